import { expect, test } from "@playwright/test";
import { hydrated, login, shot, watchForErrors } from "./helpers";

// Desktop: the head office re-runs past decisions under a changed parameter; nothing changes.
test("direzione generale: simulazione di una modifica di parametro", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "operatore.dg");
  await page.getByRole("navigation", { name: "Navigazione principale" }).getByRole("link", { name: "Simulazione regole" }).click();
  await expect(page.locator("h1")).toHaveText("E se le regole cambiassero?");
  await hydrated(page);
  await page.click("#simula");
  await expect(page.locator(".error-summary")).toContainText("parametro");
  await expect(page.locator("#dal")).toBeVisible();
  await page.fill("#dal", "01/01/2020");
  await page.fill("#al", "31/12/2099");
  await page.selectOption("#parametro", "ST.RIATTIVAZIONE.MAX_MESI_SOSPENSIONE");
  await page.fill("#valore", "24");
  await page.fill("#valido_dal", "01/01/1970");
  await page.click("#simula");
  await expect(page.locator("#esito-simulazione")).toContainText("Decisioni rieseguite:");
  await expect(page.locator("#esito-simulazione")).toContainText("Nulla è stato modificato");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#scarica-simulazione")]);
  expect(csv.suggestedFilename()).toBe("simulazione-smart-task.csv");
  await expect(page.locator("#scarica-simulazione-stato")).toContainText("File salvato", { timeout: 15_000 });
  await shot(page, "simulazione");
  expect(problems).toEqual([]);
});
