import { expect, test } from "@playwright/test";
import { hydrated, login, shot, watchForErrors } from "./helpers";

// A Libretto Famiglia user writes to her sede from the wallet, at both sizes.
test("utilizzatore: scrive alla sede dal portafoglio e ritrova la richiesta in Assistenza", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "utilizzatore");
  await expect(page.locator("#utente-nome")).toHaveText("Anna Ferrari");
  await page.goto("/presto");
  await page.getByRole("link", { name: "Scrivi alla sede" }).click();
  await expect(page.locator("h1")).toHaveText("Scrivi alla sede INPS");
  // Only the prestazioni occasionali objects are offered to a person.
  await expect(page.locator("#oggetto optgroup")).toHaveCount(1);
  await expect(page.locator("#oggetto optgroup")).toHaveAttribute("label", "Prestazioni occasionali");
  await hydrated(page);
  await page.fill("#testo", "Troppo corto");
  await page.click("#invia");
  await expect(page.locator(".error-summary")).toContainText("oggetto");
  await expect(page.locator(".error-summary")).toContainText("e-mail o un telefono");
  await expect(page.locator("#testo")).toHaveValue("Troppo corto");
  await page.selectOption("#oggetto", "presto/f24");
  await page.fill("#testo", "Ho versato 50 euro con F24 il 2 dicembre ma il saldo del Libretto non è cambiato.");
  await page.fill("#telefono", "3331234567");
  await page.click("#invia");
  await expect(page).toHaveURL(/\/richiesta\/CB-/);
  await expect(page.locator("h1")).toContainText("Versamento F24 non accreditato");
  const protocollo = page.url().split("/").pop() ?? "";
  await shot(page, "presto-assistenza-inviata");
  await page.getByRole("link", { name: "Assistenza" }).click();
  await expect(page.locator("h1")).toHaveText("Le mie richieste di assistenza");
  await expect(page.locator("#richieste")).toContainText(protocollo);
  await expect(page.locator("#crea-smart-task")).toHaveCount(0);
  await expect(page.locator("#notifiche-link")).toBeVisible();
  await shot(page, "presto-assistenza-elenco");
  expect(problems).toEqual([]);
});
