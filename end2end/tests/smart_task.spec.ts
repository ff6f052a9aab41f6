import { expect, request, test } from "@playwright/test";
import { accessibile, actForViaApi, hydrated, login, loginActingFor, shot, watchForErrors } from "./helpers";

test("Smart-Task 8: errore sul campo, riepilogo, invio, esito con i controlli", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "intermediario", "Associazione Sportiva Tuscolana");
  await page.getByRole("link", { name: "Richieste" }).click();
  await page.click("#crea-smart-task");
  await page.getByRole("link", { name: "8. Variazione indirizzo PEC aziendale" }).click();
  await page.getByRole("link", { name: /PEC di Associazione Sportiva Tuscolana/ }).click();
  // Invalid value: error summary, value kept.
  await page.fill("#pec", "segreteria.pec.it");
  await page.click("#continua");
  await expect(page.locator(".error-summary a[href='#pec']")).toBeVisible();
  await expect(page.locator("#pec")).toHaveValue("segreteria.pec.it");
  // The draft survives a reload (it lives in the address).
  await page.reload();
  await expect(page.locator("#pec")).toHaveValue("segreteria.pec.it");
  const pec = `segreteria-${info.project.name}@pec.tuscolana.it`;
  await page.fill("#pec", pec);
  await page.click("#continua");
  await expect(page.locator("h1")).toHaveText("Controlli le risposte prima di inviare");
  await expect(page.locator("#riepilogo-pec")).toHaveText(pec);
  await shot(page, "st-riepilogo");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli li")).toHaveCount(6);
  await shot(page, "st-accolta");
  await page.getByRole("link", { name: "Torna alla Lista Richieste" }).click();
  await expect(page.locator("#richieste .smart-task").first()).toContainText("Smart-Task");
  await shot(page, "st-lista");
  expect(problems).toEqual([]);
});

test("Smart-Task 4: revoca retroattiva non accolta, con il motivo", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.goto("/richieste/nuova?tipo=revoca_delega_intermediario");
  await page.getByRole("link", { name: /Giulia Bianchi/ }).click();
  await page.fill("#data_effetto", "01/01/2020");
  await page.click("#continua");
  await expect(page.locator("#riepilogo-data_effetto")).toHaveText("01/01/2020");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("non può essere retroattiva", { timeout: 15_000 });
  await expect(page.locator(".check-ko")).toContainText("ST04.DATA_EFFETTO_AMMESSA");
  await shot(page, "st-non-accolta");
  expect(problems).toEqual([]);
});

test.describe("senza JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("il riepilogo e l'invio funzionano anche senza JavaScript", async ({ page, context }, info) => {
    // Log in through the API (the login form needs no JS either, but this keeps the test short).
    const assoc = await actForViaApi(context.request, "intermediario", "Associazione Sportiva Tuscolana");
    await page.goto(`/richieste/nuova?tipo=variazione_pec_aziendale&oggetto=${assoc.id}`);
    await page.fill("#pec", `nojs-${info.project.name}@pec.tuscolana.it`);
    await page.click("#continua");
    await expect(page.locator("h1")).toHaveText("Controlli le risposte prima di inviare");
    await page.click("#invia");
    await expect(page).toHaveURL(/\/richiesta\/ST-/);
    await expect(page.locator("h1")).toHaveText("Variazione indirizzo PEC aziendale");
  });
});

test("il dettaglio di una richiesta sta in 360 px", async ({ page }) => {
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.goto("/richieste");
  // A Smart-Task (the newest request may be a two-way one, which has no checks).
  await page.locator("#richieste li.smart-task a").first().click();
  await expect(page.locator("#controlli li").first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await accessibile(page);
});

async function actFor(page, user: string, company: string) {
  await login(page, user);
  await page.getByRole("button", { name: `Opera per ${company}` }).click();
  await expect(page.locator("#azienda")).toHaveText(company);
}

async function sendAndWait(page) {
  await page.click("#continua");
  await expect(page.locator("h1")).toHaveText("Controlli le risposte prima di inviare");
  await page.click("#invia");
  await expect(page.locator("#esito")).toBeVisible({ timeout: 15_000 });
}

test("Smart-Task 5: revoca delega dipendente oltre il limite, non accolta", async ({ page }) => {
  const problems = watchForErrors(page);
  await actFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.goto("/richieste/nuova");
  await page.getByRole("link", { name: "5. Revoca delega dipendente" }).click();
  await page.getByRole("link", { name: /Luca Esposito/ }).click();
  const far = new Date(Date.now() + 800 * 86_400_000);
  await page.fill("#data_effetto", `${String(far.getUTCDate()).padStart(2, "0")}/${String(far.getUTCMonth() + 1).padStart(2, "0")}/${far.getUTCFullYear()}`);
  await sendAndWait(page);
  await expect(page.locator("#esito")).toContainText("al più tardi");
  expect(problems).toEqual([]);
});

test("Smart-Task 6: l'intermediario varia i propri contatti", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await actFor(page, "intermediario", "Gallo Trasporti S.r.l.");
  await page.goto("/richieste/nuova");
  await page.getByRole("link", { name: "6. Variazione contatti intermediario" }).click();
  await page.getByRole("link", { name: /I miei contatti/ }).click();
  await page.fill("#telefono", "12");
  await page.click("#continua");
  await expect(page.locator(".error-summary a[href='#telefono']")).toBeVisible();
  await page.fill("#telefono", info.project.name === "desktop" ? "06 7654321" : "06 7654320");
  await sendAndWait(page);
  await expect(page.locator("#esito")).toContainText("accolta");
  await shot(page, "st6-accolta");
  expect(problems).toEqual([]);
});

test("Smart-Task 7: il datore varia i contatti del dipendente delegato", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await actFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.goto("/richieste/nuova");
  await page.getByRole("link", { name: "7. Variazione contatti dipendente aziendale" }).click();
  await page.getByRole("link", { name: /Luca Esposito/ }).click();
  await page.fill("#email", `luca.${info.project.name}@rossiefigli.it`);
  await sendAndWait(page);
  await expect(page.locator("#esito")).toContainText("accolta");
  expect(problems).toEqual([]);
});

test.describe("senza JavaScript (soggetto)", () => {
  test.use({ javaScriptEnabled: false });
  test("scegliere l'azienda porta al suo Cassetto anche senza JavaScript", async ({ page, context }) => {
    const r = await context.request.post("/api/v1/sessione", { data: { username: "datore", password: "Sportello2026!" } });
    expect(r.ok()).toBeTruthy();
    await page.goto("/soggetti");
    await page.getByRole("button", { name: "Opera per Trattoria da Mario di Rossi Mario" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator("#azienda")).toHaveText("Trattoria da Mario di Rossi Mario");
  });
});


test("notifiche: contatore nell'intestazione, segna come lette; filtri della Lista Richieste", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  // A request (refused: the company registers its PEC at the Registro Imprese) brings notifications.
  const s = await (await page.request.get("/api/v1/sessione")).json();
  const r = await page.request.post("/api/v1/richieste", {
    data: { tipo: "variazione_pec_aziendale", soggetto_id: s.acting_for.id, oggetto: "", risposte: { pec: "nuova@pec.rossi.it" } },
  });
  expect(r.status()).toBe(202);
  const { protocollo } = await r.json();
  await expect(async () => {
    const d = await (await page.request.get(`/api/v1/richieste/${protocollo}`)).json();
    expect(d.stato).toBe("non_accolta");
  }).toPass({ timeout: 15_000 });
  await page.goto("/richieste");
  await expect(page.locator("#notifiche-non-lette")).toBeVisible();
  await page.click("#notifiche-link");
  await expect(page.locator("h1")).toHaveText("Notifiche");
  await expect(page.locator("#notifiche li").first()).toContainText(protocollo);
  await shot(page, "notifiche");
  await hydrated(page);
  await page.click("#segna-lette");
  await expect(page.locator("#conteggio-notifiche")).toHaveText("Tutte lette.");
  await expect(page.locator("#notifiche-non-lette")).toHaveCount(0);

  await page.getByRole("link", { name: "Richieste" }).click();
  await page.locator(".filters summary").click();
  await page.selectOption("#stato", "non_accolta");
  await page.click("#filtra");
  await expect(page).toHaveURL(/stato=non_accolta/);
  await expect(page.locator("#richieste li").first()).toContainText("Non accolta");
  const states = await page.locator("#richieste .tag[class*='tag-richiesta-']").allTextContents();
  expect(states.length).toBeGreaterThan(0);
  expect(new Set(states)).toEqual(new Set(["Non accolta"]));
  // A bad date is explained next to the form, and what was typed stays.
  await page.fill("#dal", "31/02/2026");
  await page.click("#filtra");
  await expect(page.locator(".error-summary")).toContainText("gg/mm/aaaa");
  await expect(page.locator("#dal")).toHaveValue("31/02/2026");
  // The summary comes first, above the form; the message also sits at the field.
  await expect(page.locator(".error-summary + details.filters #filtri")).toBeVisible();
  await expect(page.locator("#dal-errore")).toContainText("gg/mm/aaaa");
  await expect(page.locator("#dal")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "lista-filtri");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
});

test("token API: creato, mostrato una volta, revocato", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await login(page, "intermediario");
  await expect(page.locator("#utente-nome")).toBeVisible();
  await page.getByRole("link", { name: "Token API" }).click();
  await expect(page.locator("h1")).toHaveText("Token API");
  await hydrated(page);
  const nome = `Paghe ${info.project.name}`;
  await page.fill("#nome", nome);
  await page.click("#crea-token");
  await expect(page.locator("#token-valore")).toContainText("spt_");
  const token = (await page.locator("#token-valore").textContent()) ?? "";
  // The token works on its own, without the browser's cookie.
  const api = await request.newContext({ baseURL: info.project.use.baseURL });
  const r = await api.get("/api/v1/soggetti", { headers: { authorization: `Bearer ${token}` } });
  expect(r.status()).toBe(200);
  expect(await r.text()).toContain("Associazione Sportiva Tuscolana");
  const item = page.locator("#token li", { hasText: nome });
  await expect(item).toBeVisible();
  await shot(page, "token");
  await item.locator(".revoca-token").click();
  await expect(page.locator("#token li", { hasText: nome })).toContainText("Revocato");
  expect((await api.get("/api/v1/soggetti", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
  await api.dispose();
  expect(problems).toEqual([]);
});

test("comunicazione bidirezionale: nella lista senza colore Smart-Task, dettaglio con testo e allegato", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  const s = await (await page.request.get("/api/v1/sessione")).json();
  const pdf = Buffer.from("%PDF-1.4\n%%EOF").toString("base64");
  const r = await page.request.post("/api/v1/comunicazioni", {
    data: {
      soggetto_id: s.acting_for.id,
      oggetto: "f24/attribuzione",
      testo: `Versamento attribuito al mese sbagliato (${info.project.name}).`,
      email: "amministrazione@rossifigli.example.it",
      allegati: [{ nome: "quietanza.pdf", contenuto_base64: pdf }],
    },
  });
  expect(r.status()).toBe(201);
  const { protocollo } = await r.json();
  await page.goto("/richieste?tipo=bidirezionale");
  const row = page.locator("#richieste li", { hasText: protocollo });
  await expect(row).toBeVisible();
  await expect(row).not.toHaveClass(/smart-task/);
  await row.getByRole("link").click();
  await expect(page.locator("#testo-richiesta")).toContainText("mese sbagliato");
  await expect(page.locator("#allegati a")).toHaveText("quietanza.pdf");
  const download = await page.request.get((await page.locator("#allegati a").getAttribute("href")) ?? "");
  expect(download.headers()["content-type"]).toBe("application/pdf");
  await shot(page, "bidirezionale");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
});
