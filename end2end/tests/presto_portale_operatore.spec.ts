import { expect, test } from "@playwright/test";
import { hydrated, login, PASSWORD, shot, watchForErrors } from "./helpers";

test("sede: abbina un F24 pagato dal legale rappresentante, con la nota", async ({ page, request }) => {
  const problems = watchForErrors(page);
  // DG loads a CLOC line paid with the own codice fiscale of Rossi & Figli's legal representative
  // (the demo's unmatched line of the same mistake tells which it is).
  expect((await request.post("/api/v1/sessione", { data: { username: "operatore.dg", password: PASSWORD } })).ok()).toBeTruthy();
  type Line = { versamento: { id: number; riferimento: string; codice_fiscale: string }; candidati: { denominazione: string; titolo: string }[] };
  const before: Line[] = await (await request.get("/api/v1/presto/operatore/versamenti")).json();
  const demo = before.find((l) => l.candidati.some((c) => c.denominazione.startsWith("Rossi & Figli") && c.titolo.includes("legale rappresentante")));
  expect(demo).toBeTruthy();
  const hits = await (await request.get("/api/v1/presto/operatore/soggetti?q=Rossi")).json();
  const rossi = hits.find((h: { tipo: string; denominazione: string }) => h.tipo === "utilizzatore" && h.denominazione.startsWith("Rossi & Figli"));
  expect(rossi).toBeTruthy();
  const id = `E2E-ABB-${Date.now()}`;
  const oggi = new Date().toISOString().slice(0, 10);
  const cf = demo?.versamento.codice_fiscale ?? "";
  expect(cf).toMatch(/^[A-Z0-9]{16}$/);
  const csv = [
    "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento",
    `${id},ELIDE,${cf},I,CLOC,,${oggi.slice(0, 4)},25000,${oggi}`,
  ].join("\n");
  const r = await request.post("/api/v1/presto/f24", { headers: { "content-type": "text/csv" }, data: csv });
  expect((await r.json()).non_abbinate).toBe(1);
  const lines: Line[] = await (await request.get("/api/v1/presto/operatore/versamenti")).json();
  const line = lines.find((l) => l.versamento.riferimento === `F24-${id}`)?.versamento;
  expect(line).toBeTruthy();

  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.goto("/presto/operatore");
  await page.getByRole("link", { name: "Versamenti F24 da abbinare" }).click();
  const card = page.locator(`#versamento-${line?.id}`);
  await expect(card).toContainText("legale rappresentante");
  await expect(card).toContainText("Rossi & Figli");
  await hydrated(page);
  await card.getByRole("button", { name: /Abbina/ }).click();
  await expect(page.locator(".error-summary")).toContainText("motivo");
  await card.locator("textarea").fill("Versamento del legale rappresentante, quietanza verificata");
  await card.getByRole("button", { name: /Abbina/ }).click();
  await expect(page.locator("#abbinamento-fatto")).toContainText(`F24-${id}`);
  await expect(page.locator(`#versamento-${line?.id}`)).toHaveCount(0);
  await shot(page, "presto-abbinamento");
  // The money is in the company's wallet, shown on its page with the manual matching.
  await page.goto(`/presto/operatore/utilizzatore/${rossi.id}`);
  await expect(page.locator("#versamenti")).toContainText("Abbinato manualmente");
  expect(problems).toEqual([]);
});

test("sede e Direzione Generale: cambio di categoria di un utilizzatore con prestazioni", async ({ page, request }) => {
  const problems = watchForErrors(page);
  expect((await request.post("/api/v1/sessione", { data: { username: "operatore.sede", password: PASSWORD } })).ok()).toBeTruthy();
  // The hotel, not Rossi & Figli: other tests read Rossi's limits.
  const hits = await (await request.get("/api/v1/presto/operatore/soggetti?q=Hotel")).json();
  const hotel = hits.find((h: { tipo: string; denominazione: string }) => h.tipo === "utilizzatore" && h.denominazione.startsWith("Hotel Bellavista"));

  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.goto(`/presto/operatore/utilizzatore/${hotel.id}`);
  await page.click("#link-categoria");
  await expect(page.locator("h1")).toContainText("Categoria di Hotel Bellavista");
  await expect(page.locator("dl.facts")).toContainText("solo la Direzione Generale");
  await hydrated(page);
  await page.selectOption("#categoria-dg", "eventi_fiere_terme_parchi");
  await page.fill("#nota-dg", "L'albergo ospita congressi e fiere: categoria da aggiornare");
  await page.getByRole("button", { name: "Inoltra alla Direzione Generale" }).click();
  await expect(page.locator("#categoria-salvata")).toBeVisible();
  await expect(page.locator("#storico-cambi")).toContainText("Inoltrato alla Direzione Generale");
  await shot(page, "presto-categoria-sede");

  await page.context().clearCookies();
  await login(page, "operatore.dg");
  await expect(page.locator("#utente-nome")).toHaveText("Elena Vitale");
  await page.goto("/presto/operatore/categorie");
  const req = page.locator(".cambio-categoria", { hasText: "Hotel Bellavista" }).filter({ hasText: "Inoltrato" }).first();
  await expect(req).toContainText("coerenti con la nuova categoria");
  await hydrated(page);
  // The hotel had 7 employees in 2022, over the cap of 5 for events then: DG's check lists that
  // prestazione, the change cannot be applied, DG refuses it with the reason.
  await expect(req).toContainText("Prestazioni non coerenti con la nuova categoria: 1");
  await req.locator("textarea").fill("Prestazione del 2022 oltre il limite di dipendenti della categoria");
  await req.getByRole("button", { name: "Applica il cambio" }).click();
  await expect(page.locator(".error-summary")).toContainText("Prestazione n.");
  await req.getByRole("button", { name: "Respingi" }).click();
  await expect(page.locator("#decisione-fatta")).toContainText("Respinto");
  await shot(page, "presto-categoria-dg");
  await page.goto(`/presto/operatore/utilizzatore/${hotel.id}/categoria`);
  await expect(page.locator("#categoria-attuale")).toContainText("Alberghiero");
  await expect(page.locator("#storico-cambi")).toContainText("Respinto");
  expect(problems).toEqual([]);
});
