import { expect, Page, test } from "@playwright/test";
import { login, loginActingFor, shot, watchForErrors } from "./helpers";

/** MM/AAAA of the month `monthsAgo` months before today (Italian time is close enough here). */
function periodo(monthsAgo: number): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - monthsAgo);
  return `${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

async function actForRossi(page: Page) {
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
}

async function chooseKind(page: Page, label: string) {
  await page.getByRole("link", { name: "Richieste" }).click();
  await page.click("#crea-smart-task");
  await page.getByRole("link", { name: label }).click();
}

test("Smart-Task 1: cancellazione di un contatto anomalo, dal modulo alla lista", async ({ page }) => {
  const problems = watchForErrors(page);
  await actForRossi(page);
  await chooseKind(page, "1. Cancellazione contatti anomali Note di Rettifica");
  await page.getByRole("link", { name: /amministrazione@rossifigli.*casella piena/ }).click();
  // What INPS knows is shown, not asked.
  await expect(page.locator("#dati-noti")).toContainText("casella piena");
  // Nothing chosen: the error summary points to the field.
  await page.click("#continua");
  await expect(page.locator(".error-summary a[href='#motivo']")).toBeVisible();
  await page.selectOption("#motivo", "casella_piena");
  await page.click("#continua");
  await expect(page.locator("#riepilogo-motivo")).toHaveText("Casella piena");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli")).toContainText("ST01.CANALE_RESIDUO");
  await shot(page, "st1-accolta");
  await page.getByRole("link", { name: "Torna alla Lista Richieste" }).click();
  const first = page.locator("#richieste li").first();
  await expect(first).toHaveClass(/smart-task/);
  await expect(first).toContainText("Cancellazione contatti anomali");
  await expect(first).toContainText("Accolta");
  expect(problems).toEqual([]);
});

test("Smart-Task 2: ricalcolo della nota dopo una variazione UniEmens", async ({ page }) => {
  const problems = watchForErrors(page);
  await actForRossi(page);
  await chooseKind(page, "2. Ricalcolo Nota di Rettifica");
  await page.getByRole("link", { name: new RegExp(`periodo ${periodo(6).replace("/", "\\/")}`) }).click();
  await expect(page.locator("#dati-noti")).toContainText("2.000,00 €");
  await page.selectOption("#motivo", "variazione_uniemens");
  await page.click("#continua");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli")).toContainText("ridotta a 1.000,00 €");
  await shot(page, "st2-accolta");
  expect(problems).toEqual([]);
});

test("Smart-Task 3: importo non valido, bozza dopo il ricaricamento, rettifica accolta", async ({ page }) => {
  const problems = watchForErrors(page);
  await actForRossi(page);
  await chooseKind(page, "3. Rettifica periodo di riferimento di un pagamento");
  await page.getByRole("link", { name: /1\.500,00 € – causale DM10/ }).first().click();
  // The amount is suggested from the payment.
  await expect(page.locator("#importo")).toHaveValue("1.500,00");
  await page.fill("#periodo_corretto", periodo(8));
  await page.fill("#importo", "mille");
  await page.click("#continua");
  await expect(page.locator(".error-summary a[href='#importo']")).toBeVisible();
  await expect(page.locator("#importo")).toHaveValue("mille");
  await expect(page.locator("#periodo_corretto")).toHaveValue(periodo(8));
  await page.reload();
  await expect(page.locator("#importo")).toHaveValue("mille");
  await page.fill("#importo", "1.000,00");
  await page.click("#continua");
  await expect(page.locator("#riepilogo-importo")).toHaveText("1.000,00 €");
  await expect(page.locator("#riepilogo-periodo_corretto")).toHaveText(periodo(8));
  await shot(page, "st3-riepilogo");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli li")).toHaveCount(9);
  await shot(page, "st3-accolta");
  expect(problems).toEqual([]);
});

test("Smart-Task 3: un pagamento con matricola altrui passa alla sede", async ({ page }) => {
  const problems = watchForErrors(page);
  await actForRossi(page);
  await chooseKind(page, "3. Rettifica periodo di riferimento di un pagamento");
  await page.getByRole("link", { name: /1\.200,00 € – causale DM10/ }).last().click();
  await expect(page.locator("#dati-noti")).toContainText("9999999990");
  await page.fill("#periodo_corretto", periodo(8));
  await page.fill("#importo", "100");
  await page.click("#continua");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("passata alla sede", { timeout: 15_000 });
  await expect(page.locator(".check-verifica")).toContainText("Da verificare in sede");
  await shot(page, "st3-sede");
  expect(problems).toEqual([]);
});
