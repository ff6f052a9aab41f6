import { expect, Page, test } from "@playwright/test";
import { loginActingFor, shot, watchForErrors } from "./helpers";

/** gg/mm/aaaa of today plus `days`. */
function giorno(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

async function chooseKind(page: Page, label: string) {
  await page.getByRole("link", { name: "Richieste" }).click();
  await page.click("#crea-smart-task");
  await page.getByRole("link", { name: label }).click();
}

// Phone only: these requests change the demo's data (a position, a code) once.
test("Smart-Task 10: riattivazione della posizione sospesa, con la data corretta dopo un errore", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await chooseKind(page, "10. Riattivazione posizione contributiva");
  await page.getByRole("link", { name: /Sospesa dal/ }).click();
  await expect(page.locator("#dati-noti")).toContainText("Ultimo mese con lavoratori");
  await page.fill("#data_riattivazione", "31/02/2026");
  await page.click("#continua");
  await expect(page.locator(".error-summary a[href='#data_riattivazione']")).toBeVisible();
  await expect(page.locator("#data_riattivazione")).toHaveValue("31/02/2026");
  await page.fill("#data_riattivazione", giorno(0));
  await page.click("#continua");
  await expect(page.locator("#riepilogo-data_riattivazione")).toHaveText(giorno(0));
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli")).toContainText("ST10.SOSPENSIONE_ENTRO_18_MESI");
  await shot(page, "st10-accolta");
  expect(problems).toEqual([]);
});

test("Smart-Task 10: oltre 18 mesi di sospensione la riattivazione non è accolta", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "intermediario", "Associazione Sportiva Tuscolana");
  await chooseKind(page, "10. Riattivazione posizione contributiva");
  await page.getByRole("link", { name: /Sospesa dal/ }).click();
  await page.fill("#data_riattivazione", giorno(0));
  await page.click("#continua");
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("non è stata accolta", { timeout: 15_000 });
  await expect(page.locator("#esito")).toContainText("oltre 18 mesi");
  await expect(page.locator("#controlli")).toContainText("ST10.SOSPENSIONE_ENTRO_18_MESI");
  await shot(page, "st10-oltre-18-mesi");
  expect(problems).toEqual([]);
});

test("Smart-Task 16: le date chieste dipendono dal contratto del sostituto", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Trattoria da Mario di Rossi Mario");
  await chooseKind(page, "16. Sgravio per sostituzione di lavoratori in congedo (codice 9R)");
  await page.getByRole("link", { name: /Chiara Fontana/ }).click();
  await expect(page.locator("#dati-noti")).toContainText("maternità");
  // Nothing chosen yet: no dates asked.
  await expect(page.locator("#data_assunzione")).toBeHidden();
  await expect(page.locator("#data_inizio_missione")).toBeHidden();
  await page.selectOption("#tipo_contratto", "tempo_determinato");
  await expect(page.locator("#data_assunzione")).toBeVisible();
  await page.fill("#data_assunzione", giorno(-20));
  await page.selectOption("#tipo_contratto", "somministrazione");
  await expect(page.locator("#data_assunzione")).toBeHidden();
  await expect(page.locator("#data_inizio_missione")).toBeVisible();
  await page.fill("#cf_sostituto", "RSSMRA85T10A562S");
  await page.fill("#data_inizio_missione", giorno(-20));
  await page.fill("#data_fine_missione", giorno(100));
  await shot(page, "st16-modulo");
  await page.click("#continua");
  // Only the agency contract's dates are summarised (the fixed-term date typed before is dropped).
  await expect(page.locator("#riepilogo-data_inizio_missione")).toHaveText(giorno(-20));
  await expect(page.locator("#riepilogo-data_assunzione")).toHaveCount(0);
  await page.click("#invia");
  await expect(page.locator("#esito")).toContainText("accolta", { timeout: 15_000 });
  await expect(page.locator("#controlli")).toContainText("ST16.MENO_DI_20_DIPENDENTI");
  await shot(page, "st16-accolta");
  expect(problems).toEqual([]);
});
