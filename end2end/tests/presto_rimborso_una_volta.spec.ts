import { expect, test } from "@playwright/test";
import { hydrated, login, shot, watchForErrors } from "./helpers";

// A refund changes the demo wallet: once per database, at phone size.
test("utilizzatore: chiede il rimborso del saldo non utilizzato", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "utilizzatore");
  await expect(page.locator("#utente-nome")).toHaveText("Anna Ferrari");
  await page.goto("/presto");
  await page.getByRole("link", { name: "Rimborsi e trasferimenti" }).click();
  await expect(page.locator("h1")).toHaveText("Rimborsi e trasferimenti");
  await hydrated(page);
  // Only the chosen kind's fields show.
  await expect(page.locator("#versamento_id")).toBeHidden();
  await page.check("#tipo-trasferimento");
  await expect(page.locator("#iban")).toBeHidden();
  await expect(page.locator("#versamento_id")).toBeVisible();
  await page.check("#tipo-rimborso");
  await expect(page.locator("#versamento_id")).toBeHidden();
  await page.fill("#importo", "10,00");
  await page.fill("#iban", "IT00X0000");
  await page.fill("#motivo", "Non uso più il Libretto Famiglia");
  await page.click("#chiedi-rimborso");
  await expect(page.locator(".error-summary")).toContainText("IBAN");
  await expect(page.locator(".error-summary")).toContainText("intestato");
  await expect(page.locator("#motivo")).toHaveValue("Non uso più il Libretto Famiglia");
  await page.fill("#iban", "IT60X0542811101000000123456");
  await page.check("#iban_intestato");
  await page.click("#chiedi-rimborso");
  await expect(page.locator("#rimborso-chiesto")).toContainText("10,00 €");
  await expect(page.locator("#rimborsi")).toContainText("In attesa della sede");
  await shot(page, "presto-rimborso");
  expect(problems).toEqual([]);
});
