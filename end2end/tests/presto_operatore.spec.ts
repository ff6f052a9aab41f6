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
