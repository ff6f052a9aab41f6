import { expect, request, test } from "@playwright/test";
import { accessibile, actForViaApi, hydrated, login, PASSWORD, shot, watchForErrors } from "./helpers";

/** A request the automation sends to the branch: Rossi's payment with a matricola that is nobody's. */
async function requestForTheBranch(baseURL: string | undefined) {
  const api = await request.newContext({ baseURL });
  const rossi = await actForViaApi(api, "datore", "Rossi & Figli S.r.l.");
  const targets = await (await api.get(`/api/v1/smart-task/tipi/rettifica_periodo_pagamento/oggetti?soggetto_id=${rossi.id}`)).json();
  const pay = targets.find((t: { dati: string[][] }) => JSON.stringify(t.dati).includes("9999999990"));
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 8);
  const periodo = `${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
  const r = await api.post("/api/v1/richieste", {
    data: { tipo: "rettifica_periodo_pagamento", soggetto_id: rossi.id, oggetto: pay.id, risposte: { periodo_corretto: periodo, importo: "100" } },
  });
  expect(r.status()).toBe(202);
  const { protocollo } = await r.json();
  await expect(async () => {
    const v = await (await api.get(`/api/v1/richieste/${protocollo}`)).json();
    expect(["in_carico_sede", "non_accolta"]).toContain(v.stato);
  }).toPass({ timeout: 15_000 });
  await api.dispose();
}

/** Rossi's employer, logged in through the API, writes a two-way request to the branch. */
async function twoWayRequest(baseURL: string | undefined, data: Record<string, string>) {
  const api = await request.newContext({ baseURL });
  const rossi = await actForViaApi(api, "datore", "Rossi & Figli S.r.l.");
  const r = await api.post("/api/v1/comunicazioni", { data: { soggetto_id: rossi.id, ...data } });
  expect(r.status()).toBe(201);
  const { protocollo } = await r.json();
  return { api, rossi, protocollo: protocollo as string };
}

test("operatore: ricerca, Fascicolo, dettaglio con i controlli e replay; coda: presa in carico e chiusura", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await requestForTheBranch(info.project.use.baseURL);
  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.getByRole("link", { name: "Fascicolo" }).click();
  await page.fill("#q", "Rossi");
  await page.click("#cerca");
  await page.getByRole("link", { name: "Rossi & Figli S.r.l." }).click();
  await expect(page.locator("#fascicolo-nome")).toHaveText("Rossi & Figli S.r.l.");
  await expect(page.locator("#posizioni > li")).toHaveCount(2);
  await expect(page.locator("table").first()).toBeVisible();
  await shot(page, "fascicolo");
  await accessibile(page);
  await page.locator("#richieste li.smart-task a").first().click();
  await expect(page.locator("#controlli li").first()).toBeVisible();
  await expect(page.locator("#audit")).toBeVisible();
  await accessibile(page);
  await page.locator("#controlli details summary").first().click();
  await expect(page.locator("#controlli details dl.voci dt").first()).toBeVisible();
  await page.click("#replay");
  await expect(page.locator("#esito-replay")).toContainText("Decisione identica");
  await shot(page, "fascicolo-replay");

  await page.getByRole("link", { name: "Coda sede" }).click();
  await expect(page.locator("h1")).toHaveText("Richieste in carico alla sede");
  await page.locator("#coda li.smart-task a").first().click();
  await expect(page.locator("#lavora")).toBeVisible();
  await hydrated(page);
  if (await page.locator("#prendi-in-carico").count()) {
    await page.click("#prendi-in-carico");
  }
  await expect(page.locator("#in-carico")).toContainText("Carla Moretti");
  await page.fill("#testo", "Abbiamo chiesto conferma alla banca del versamento.");
  await page.click("#rispondi");
  await expect(page.locator("#messaggi")).toContainText("Abbiamo chiesto conferma alla banca");
  await page.fill("#testo", "Versamento attribuito alla matricola corretta.");
  await page.click("#accogli");
  await expect(page.locator(".request-head .tag-richiesta-accolta")).toBeVisible();
  await expect(page.locator("#lavora")).toHaveCount(0);
  await shot(page, "coda-chiusa");
  expect(problems).toEqual([]);
});

test("operatore: comunicazione bidirezionale dalla coda, presa in carico, risposta, nota interna e chiusura", async ({ page }, info) => {
  const problems = watchForErrors(page);
  const { api, rossi, protocollo } = await twoWayRequest(info.project.use.baseURL, {
    oggetto: "regolarita/durc",
    testo: "Il DURC risulta irregolare per un debito già pagato il 16/10.",
    email: "paghe@rossifigli.example.it",
  });

  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.getByRole("link", { name: "Coda sede" }).click();
  const item = page.locator("#coda li", { hasText: protocollo });
  await expect(item).toContainText("Aperta");
  await expect(item).not.toHaveClass(/smart-task/);
  await item.getByRole("link").click();
  await expect(page.locator("#testo-richiesta")).toContainText("debito già pagato");
  await expect(page.locator("#controlli")).toHaveCount(0);
  await hydrated(page);
  await page.click("#prendi-in-carico");
  await expect(page.locator(".request-head .tag-richiesta-in_carico")).toBeVisible();
  await expect(page.locator("#prendi-in-carico")).toHaveCount(0);
  await page.fill("#testo", "Può inviarci la quietanza del versamento del 16/10?");
  await page.click("#rispondi");
  await expect(page.locator("#messaggi")).toContainText("quietanza del versamento");
  // The contributor answers; the queue shows that the branch is awaited.
  const m = await api.post(`/api/v1/richieste/${protocollo}/messaggi`, { data: { testo: "La quietanza è allegata alla PEC del 18/10." } });
  expect(m.status()).toBe(201);
  await page.getByRole("link", { name: "Coda sede" }).click();
  await expect(page.locator("#coda li", { hasText: protocollo })).toContainText("Nuovo messaggio");
  await page.locator("#coda li", { hasText: protocollo }).getByRole("link").click();
  await expect(page.locator("#messaggi .messaggio-contribuente")).toContainText("PEC del 18/10");
  await hydrated(page);
  await page.fill("#testo", "Verificare con l'ufficio riscossione.");
  await page.click("#nota-interna");
  await expect(page.locator("#messaggi .nota-interna")).toContainText("ufficio riscossione");
  // A step that went through loads the page again: its form works in place once hydrated.
  await hydrated(page);
  // Closing needs the closing answer.
  await page.click("#chiudi");
  await expect(page.locator(".error-summary")).toBeVisible();
  await page.fill("#testo", "Debito annullato: il DURC è di nuovo regolare.");
  await page.click("#chiudi");
  await expect(page.locator(".request-head .tag-richiesta-chiusa")).toBeVisible();
  await expect(page.locator("#lavora")).toHaveCount(0);
  await shot(page, "bidirezionale-operatore");
  // The history in the Fascicolo, by object and state.
  await page.getByRole("link", { name: "Torna al Fascicolo" }).click();
  await page.locator("#filtri").evaluate((f) => f.closest("details")?.setAttribute("open", ""));
  await page.selectOption("#tipo", "bidirezionale:regolarita");
  await page.selectOption("#stato", "chiusa");
  await page.click("#filtra");
  await expect(page).toHaveURL(/tipo=bidirezionale%3Aregolarita/);
  await expect(page.locator("#richieste li", { hasText: protocollo })).toBeVisible();
  await expect(page.locator("#richieste li.smart-task")).toHaveCount(0);
  // The contributor was told at every step, never of the internal note.
  const n = await (await api.get(`/api/v1/notifiche?soggetto_id=${rossi.id}`)).json();
  const texts: string[] = n.notifiche.filter((x: { protocollo: string }) => x.protocollo === protocollo).map((x: { testo: string }) => x.testo);
  expect(texts.length).toBe(4);
  expect(texts.join(" ")).not.toContain("riscossione");
  await api.dispose();
  expect(problems).toEqual([]);
});

test.describe("senza JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("operatore: i passi sulla richiesta funzionano anche senza JavaScript", async ({ page, context }, info) => {
    const { api, protocollo } = await twoWayRequest(info.project.use.baseURL, {
      oggetto: "f24/rimborso",
      testo: "Chiedo il rimborso di un versamento doppio del 16/09.",
      telefono: "06 1234567",
    });
    await api.dispose();

    expect((await context.request.post("/api/v1/sessione", { data: { username: "operatore.sede", password: PASSWORD } })).ok()).toBeTruthy();
    await page.goto(`/fascicolo/richiesta/${protocollo}`);
    await page.click("#prendi-in-carico");
    await expect(page.locator(".request-head .tag-richiesta-in_carico")).toBeVisible();
    // Closing without the closing answer is refused, with the reason, in the page.
    await page.fill("#testo", " ");
    await page.click("#chiudi");
    await expect(page.locator(".error-summary")).toBeVisible();
    await page.fill("#testo", "Rimborso disposto: accredito entro 30 giorni.");
    await page.click("#chiudi");
    await expect(page.locator(".request-head .tag-richiesta-chiusa")).toBeVisible();
    await expect(page.locator("#esito")).toContainText("Rimborso disposto");
  });
});
