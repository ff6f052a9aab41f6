import { expect, test } from "@playwright/test";
import { hydrated, loginActingFor, shot, watchForErrors } from "./helpers";

// Once per database (a registration cannot be repeated): phone size only.
test("azienda: registrazione al CPO, settore escluso rifiutato con il motivo, poi il portafoglio", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Trattoria da Mario di Rossi Mario");
  await page.getByRole("link", { name: "Prestazioni occasionali", exact: true }).click();
  await expect(page.locator("#non-registrato")).toContainText("Non risulta una registrazione");
  await page.getByRole("link", { name: "Registrati al servizio" }).click();
  await expect(page.locator("h1")).toHaveText("Registrazione");
  await hydrated(page);
  await page.selectOption("#categoria", "generale");
  await page.fill("#ateco", "41.20.00");
  await page.fill("#dipendenti", "2");
  await page.click("#registrati");
  await expect(page.locator(".error-summary")).toContainText("edilizia");
  await expect(page.locator("#ateco")).toHaveValue("41.20.00");
  await shot(page, "presto-registrazione-rifiutata");
  await page.fill("#ateco", "56.10.11");
  await page.click("#registrati");
  await expect(page.locator("h1")).toHaveText("Portafoglio elettronico");
  await expect(page.locator("#saldo")).toHaveText("0,00 €");
  expect(problems).toEqual([]);
});
