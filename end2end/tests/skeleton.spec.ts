import { expect, test } from "@playwright/test";
import { hydrated, login, shot, waitForHydration, watchForErrors, PASSWORD } from "./helpers";

test("la pagina si idrata: il pulsante Mostra password funziona solo con il WASM", async ({ page }) => {
  const problems = watchForErrors(page);
  await page.goto("/accedi");
  await expect(page).toHaveTitle("Accedi – Sportello INPS");
  await expect(page.locator("h1")).toHaveText("Accedi a Sportello");
  await waitForHydration(page);
  await page.click("#mostra-password");
  await expect(page.locator("#password")).toHaveAttribute("type", "text");
  await expect(page.locator("#mostra-password")).toHaveAttribute("aria-pressed", "true");
  await shot(page, "accedi");
  expect(problems).toEqual([]);
});

test("credenziali errate: riepilogo errori, valori conservati", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "datore", "sbagliata");
  const summary = page.locator(".error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toContainText("Nome utente o password non corretti.");
  await expect(summary).toBeFocused();
  await expect(page.locator("#username")).toHaveValue("datore");
  await shot(page, "accedi-errore");
  // Empty fields: field errors linked from the summary.
  await page.fill("#username", "");
  await page.fill("#password", "");
  await page.click("#accedi");
  await expect(page.locator(".error-summary a[href='#username']")).toHaveText("Inserire il nome utente.");
  await expect(page.locator("#username-errore")).toBeVisible();
  expect(problems).toEqual([]);
});

test("datore: accede, sceglie l'azienda, la cambia", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "datore");
  await expect(page.locator("h1")).toHaveText("Per chi vuole operare?");
  await expect(page.locator("#utente-nome")).toHaveText("Mario Rossi");
  await expect(page.locator("#utente-ruolo")).toHaveText("Datore di lavoro");
  await shot(page, "datore-scelta");
  await page.getByRole("button", { name: "Opera per Rossi & Figli S.r.l." }).click();
  await expect(page.locator("#azienda")).toHaveText("Rossi & Figli S.r.l.");
  await expect(page.locator("#per-conto-di")).toHaveText("Rossi & Figli S.r.l.");
  // The positions with their states (Rossi's second matricola is reactivated by a phone test).
  await expect(page.locator("table")).toContainText("Attiva");
  await expect(page.locator("table")).toContainText("1000000002");
  await shot(page, "datore-cassetto");
  // Switch subject.
  await page.getByRole("link", { name: "Cambia" }).click();
  await expect(page.locator("h1")).toHaveText("Per chi vuole operare?");
  await page.getByRole("button", { name: "Opera per Trattoria da Mario di Rossi Mario" }).click();
  await expect(page.locator("#azienda")).toHaveText("Trattoria da Mario di Rossi Mario");
  await expect(page.locator("#per-conto-di")).toHaveText("Trattoria da Mario di Rossi Mario");
  // The page must fit a 360 px phone: nothing wider than the viewport.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Logout.
  await page.click("#esci");
  await expect(page).toHaveURL(/\/accedi$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/accedi$/);
  expect(problems).toEqual([]);
});

test("intermediario: vede solo le deleghe valide e opera per un cliente", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "intermediario");
  await expect(page.locator("h1")).toHaveText("Per chi vuole operare?");
  const cards = page.locator(".card-title");
  await expect(cards).toHaveText(["Associazione Sportiva Tuscolana", "Gallo Trasporti S.r.l.", "Rossi & Figli S.r.l."]);
  await expect(page.locator("body")).not.toContainText("Verdi Logistica");
  await expect(page.locator("body")).not.toContainText("Neri Impianti");
  await shot(page, "intermediario-scelta");
  await page.getByRole("button", { name: "Opera per Gallo Trasporti S.r.l." }).click();
  await expect(page.locator("#azienda")).toHaveText("Gallo Trasporti S.r.l.");
  await expect(page.locator("dl")).toContainText("Delega a intermediario");
  await shot(page, "intermediario-cassetto");
  expect(problems).toEqual([]);
});

test("operatore e amministratore: home per ruolo e profilazione", async ({ page }) => {
  const problems = watchForErrors(page);
  await login(page, "operatore.sede");
  await expect(page.locator("h1")).toHaveText("Area operatore");
  await expect(page.locator("#ambito")).toContainText("Roma Eur");
  await page.click("#esci");
  await expect(page).toHaveURL(/\/accedi$/);
  await login(page, "admin.idm");
  await expect(page.locator("h1")).toHaveText("Amministrazione profili (IDM)");
  await page.getByRole("link", { name: "Gestisci operatori" }).click();
  await expect(page.locator("#operatori")).toContainText("Piero Galli");
  await hydrated(page);
  await page.selectOption("#user_id", { label: "Piero Galli (operatore.milano)" });
  await page.selectOption("#role", "operatore_sede");
  await page.selectOption("#sede_codice", "3700");
  await page.click("#salva-profilo");
  await expect(page.locator(".error-summary")).toContainText("Indicare il motivo");
  // Nothing the user chose is lost after a refused save.
  await expect(page.locator("#user_id")).toHaveValue(await page.locator("#user_id option", { hasText: "Piero Galli" }).getAttribute("value") ?? "");
  await expect(page.locator("#sede_codice")).toHaveValue("3700");
  await page.fill("#note", "Trasferimento alla sede di Bologna");
  await page.click("#salva-profilo");
  await expect(page.locator("#esito")).toContainText("Profilo di Piero Galli aggiornato");
  await expect(page.locator("#operatori")).toContainText("Sede 3700");
  await shot(page, "admin-operatori");
  expect(problems).toEqual([]);
});

test("pagina inesistente: 404 in italiano", async ({ page }) => {
  const res = await page.goto("/pagina-che-non-esiste");
  expect(res?.status()).toBe(404);
  await expect(page.locator("h1")).toHaveText("Pagina non trovata");
});

test.describe("senza JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("la pagina di accesso è leggibile", async ({ page }) => {
    await page.goto("/accedi");
    await expect(page.locator("h1")).toHaveText("Accedi a Sportello");
    await expect(page.locator("label[for=username]")).toHaveText("Nome utente");
    void PASSWORD;
  });
});
