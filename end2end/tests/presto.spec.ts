import { expect, request, test } from "@playwright/test";
import { actForViaApi, hydrated, login, loginActingFor, shot, watchForErrors } from "./helpers";

/** The codice fiscale of a prestatore of the demo, as an operator of the portal finds it. */
async function prestatoreCf(baseURL: string | undefined, cognome: string): Promise<string> {
  const api = await request.newContext({ baseURL });
  expect((await api.post("/api/v1/sessione", { data: { username: "operatore.sede", password: "Sportello2026!" } })).ok()).toBeTruthy();
  const hits = await (await api.get(`/api/v1/presto/operatore/soggetti?q=${cognome}`)).json();
  await api.dispose();
  return hits.find((h: { tipo: string }) => h.tipo === "prestatore").codice_fiscale;
}

function oggi(): string {
  const d = new Date(new Date().toLocaleString("en-US", { timeZone: "Europe/Rome" }));
  return `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

test("utilizzatore: portafoglio con i limiti, una prestazione rifiutata e una accettata", async ({ page }, info) => {
  const problems = watchForErrors(page);
  const cf = await prestatoreCf(info.project.use.baseURL, "Colombo");
  await login(page, "utilizzatore");
  await expect(page.locator("#utente-nome")).toHaveText("Anna Ferrari");
  await page.getByRole("link", { name: "Portafoglio" }).click();
  await expect(page.locator("h1")).toHaveText("Portafoglio elettronico");
  await expect(page.locator("#limiti li").first()).toContainText("Compensi erogati a tutti i prestatori");
  await expect(page.locator("#limiti li[data-codice='PO.ORE_COPPIA']", { hasText: "Russo" })).toContainText("Vicino al limite");
  const saldo = await page.locator("#saldo").textContent();
  await hydrated(page);
  // Four hours with three vouchers: refused, with the reason, and nothing typed is lost.
  await page.fill("#prestatore", cf);
  await page.fill("#giorno", oggi());
  await page.fill("#titoli", "3");
  await page.fill("#ore", "4");
  await page.click("#invia-prestazione");
  await expect(page.locator(".error-summary")).toContainText("Un titolo da 10 € per ogni ora");
  await expect(page.locator("#prestatore")).toHaveValue(cf);
  await shot(page, "presto-rifiutata");
  await page.fill("#titoli", "4");
  await page.click("#invia-prestazione");
  await expect(page.locator("#prestazione-accettata")).toContainText("40,00 €");
  await expect(page.locator("#saldo")).not.toHaveText(saldo ?? "");
  await expect(page.locator("#prestazioni li").first()).toContainText("Colombo");
  const dopo = await page.locator("#saldo").textContent();
  await shot(page, "presto-portafoglio");
  // Revoked the same day: the cost goes back to the wallet, and the page says so.
  await hydrated(page);
  await page.locator("#prestazioni li").first().locator(".revoca-prestazione").click();
  await expect(page.locator("#prestazione-revocata")).toContainText("40,00 € restituiti");
  await expect(page.locator("#saldo")).toHaveText(saldo ?? "");
  await expect(page.locator("#prestazioni li").first()).toContainText("Revocata");
  // pagoPA: an amount that is not a multiple of 10 € is refused, then 10 € are credited.
  await hydrated(page);
  await page.fill("#importo", "15");
  await page.click("#paga-pagopa");
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect(page.locator("#importo")).toHaveValue("15");
  await page.fill("#importo", "10");
  await page.click("#paga-pagopa");
  await expect(page.locator("#versamento-accreditato")).toContainText("10,00 €");
  await expect(page.locator("#saldo")).not.toHaveText(saldo ?? "");
  expect(dopo).not.toEqual(saldo);
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "presto-portafoglio-versamento");
  expect(problems).toEqual([]);
});

test("prestatore: prestazioni ricevute, pagamenti e limiti", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "prestatore");
  await expect(page.locator("#utente-nome")).toHaveText("Paolo Russo");
  await page.getByRole("link", { name: "Le mie prestazioni" }).click();
  await expect(page.locator("#limiti li").first()).toContainText("Compensi da tutti gli utilizzatori");
  await expect(page.locator("#pagamenti li").first()).toBeVisible();
  await shot(page, "presto-prestatore");
  expect(problems).toEqual([]);
});

test("datore: il portafoglio CPO dell'azienda, vicino al limite annuo", async ({ page }, info) => {
  const problems = watchForErrors(page);
  const api = await request.newContext({ baseURL: info.project.use.baseURL });
  await actForViaApi(api, "datore", "Rossi & Figli S.r.l.");
  const w = await (await api.get("/api/v1/presto/portafoglio")).json();
  expect(w.limiti[0].usato).toBe(970000);
  await api.dispose();
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.getByRole("link", { name: "Prestazioni occasionali", exact: true }).click();
  await expect(page.locator("#limiti li").first()).toContainText("restano 300,00 €");
  await expect(page.locator("#ora_inizio")).toBeVisible();
  expect(problems).toEqual([]);
});
