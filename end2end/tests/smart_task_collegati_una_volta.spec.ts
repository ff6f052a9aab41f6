import { expect, test } from "@playwright/test";
import { loginActingFor, shot, watchForErrors } from "./helpers";

// Phone only: the request adds a partner to the demo company once.
test("Smart-Task 13: il codice fiscale deve corrispondere ai dati anagrafici", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.getByRole("link", { name: "Richieste" }).click();
  await page.click("#crea-smart-task");
  await page.getByRole("link", { name: "13. Inserimento soggetto collegato" }).click();
  await page.getByRole("link", { name: /Soggetti collegati di Rossi/ }).click();
  await page.fill("#cf_collegato", "RSSMRA85T10A562S");
  await page.fill("#cognome", "Rossi");
  await page.fill("#nome", "Mario");
  await page.fill("#data_nascita", "11/12/1985");
  await page.selectOption("#sesso", "M");
  await page.fill("#luogo_nascita", "San Giuliano Terme");
  await page.selectOption("#ruolo", "socio");
  await page.fill("#data_inizio", "01/03/2026");
  await page.click("#continua");
  // The error is at the field, and what was typed stays.
  await expect(page.locator(".error-summary a[href='#cf_collegato']")).toBeVisible();
  await expect(page.locator("#cf_collegato-errore")).toContainText("non corrisponde");
  await expect(page.locator("#luogo_nascita")).toHaveValue("San Giuliano Terme");
  await shot(page, "st13-errore-cf");
  await page.fill("#data_nascita", "10/12/1985");
  await page.click("#continua");
  await expect(page.locator("#riepilogo-data_nascita")).toHaveText("10/12/1985");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli")).toContainText("ST13.LUOGO_NASCITA_COERENTE");
  await shot(page, "st13-accolta");
  expect(problems).toEqual([]);
});
