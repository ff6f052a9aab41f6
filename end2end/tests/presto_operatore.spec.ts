import { expect, test } from "@playwright/test";
import { hydrated, login, shot, watchForErrors } from "./helpers";

test("operatore: anagrafica di un prestatore corretta con la nota, tracciata", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.getByRole("link", { name: "Prestazioni occasionali", exact: true }).click();
  await page.fill("#q", "Russo");
  await page.click("#cerca");
  await page.getByRole("link", { name: "Russo Paolo" }).click();
  await expect(page.locator("h1")).toHaveText("Russo Paolo");
  await expect(page.locator("#limiti li").first()).toBeVisible();
  await hydrated(page);
  const telefono = `33${Date.now() % 100000000}`.padEnd(10, "0");
  await page.fill("#telefono", telefono);
  await page.click("#salva-anagrafica");
  await expect(page.locator(".error-summary")).toContainText("motivo della modifica");
  await expect(page.locator("#telefono")).toHaveValue(telefono);
  await page.fill("#nota", "Numero comunicato allo sportello dal prestatore");
  await page.click("#salva-anagrafica");
  await expect(page.locator("#modifica-salvata")).toBeVisible();
  await expect(page.locator("#nota")).toHaveValue("");
  await expect(page.locator("dl.facts")).toContainText(telefono);
  // A second correction right after: the form carries the new version (no conflict).
  const altro = telefono.replace(/^33/, "34");
  await page.fill("#telefono", altro);
  await page.fill("#nota", "Secondo numero, comunicato per e-mail");
  await page.click("#salva-anagrafica");
  await expect(page.locator("dl.facts")).toContainText(altro);
  await expect(page.locator(".error-summary")).toHaveCount(0);
  await shot(page, "presto-operatore");
  expect(problems).toEqual([]);
});

test("Direzione Generale: carica un flusso F24 e legge l'esito per riga", async ({ page, request }) => {
  const problems = watchForErrors(page);
  expect((await request.post("/api/v1/sessione", { data: { username: "operatore.dg", password: "Sportello2026!" } })).ok()).toBeTruthy();
  const hits = await (await request.get("/api/v1/presto/operatore/soggetti?q=Ferrari")).json();
  const anna = hits.find((h: { tipo: string }) => h.tipo === "utilizzatore").codice_fiscale;
  const id = `E2E-${Date.now()}`;
  const csv = [
    "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento",
    `${id}-1,ELIDE,${anna},I,LIFA,,2026,2000,2026-11-02`,
    `${id}-2,ELIDE,${anna},I,CLOC,,2026,2000,2026-11-02`,
    `${id}-3,ELIDE,ABC,I,DM10,,2026,-1,2026-11-02`,
  ].join("\n");
  await login(page, "operatore.dg");
  await expect(page.locator("#utente-nome")).toHaveText("Elena Vitale");
  await page.goto("/presto/operatore/f24");
  await hydrated(page);
  await page.click("#carica");
  await expect(page.locator(".error-summary")).toContainText("Scegliere il file");
  await page.setInputFiles("#flusso", { name: "flusso.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.click("#carica");
  await expect(page.locator("#esito-f24")).toContainText("Accreditate 1, non abbinate 1, già presenti 0, scartate 1");
  await expect(page.locator("#righe-f24")).toContainText("Causale CLOC errata");
  await shot(page, "presto-f24");
  expect(problems).toEqual([]);
});
