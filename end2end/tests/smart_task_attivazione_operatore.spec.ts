import { expect, test } from "@playwright/test";
import { hydrated, login, loginActingFor, shot, watchForErrors } from "./helpers";

function ggmmaaaa(d: Date) {
  return `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

// The head office schedules a kind; an employer sees it as coming; the kind is then switched
// back on (other tests use it). Desktop: the head office works at a desk.
test("amministrazione: programma l'attivazione di un tipo di Smart-Task", async ({ page, browser }) => {
  const problems = watchForErrors(page);
  await login(page, "admin.idm");
  await page.getByRole("navigation", { name: "Navigazione principale" }).getByRole("link", { name: "Attivazione Smart-Task" }).click();
  await expect(page.locator("h1")).toHaveText("Attivazione dei tipi di Smart-Task");
  await hydrated(page);
  const item = page.locator("#attivazione-variazione_pec_aziendale");
  await expect(item).toContainText("Attivo dal 31/12/2023");
  const future = new Date();
  future.setFullYear(future.getFullYear() + 1);
  await item.locator("input[name=attivo_dal]").fill(ggmmaaaa(future));
  await item.getByRole("button", { name: "Salva" }).click();
  await expect(page.locator(".error-summary")).toContainText("motivo");
  await expect(item.locator(".error-message")).toContainText("motivo");
  await item.locator("textarea").fill("Nuova verifica del Registro Imprese in arrivo");
  await item.getByRole("button", { name: "Salva" }).click();
  await expect(page.locator("#esito")).toContainText(`attivazione programmata il ${ggmmaaaa(future)}`);
  await expect(page.locator("#attivazione-variazione_pec_aziendale")).toContainText("In arrivo");
  await shot(page, "smart-task-attivazione");

  const employer = await browser.newPage();
  await loginActingFor(employer, "datore", "Rossi & Figli S.r.l.");
  await employer.goto("/richieste/nuova");
  await expect(employer.locator("#prossimamente-variazione_pec_aziendale")).toContainText(
    `disponibile prossimamente (attivazione programmata il ${ggmmaaaa(future)})`,
  );
  await expect(employer.getByRole("link", { name: /Variazione indirizzo PEC aziendale/ })).toHaveCount(0);

  const again = page.locator("#attivazione-variazione_pec_aziendale");
  await again.locator("input[name=attivo_dal]").fill("31/12/2023");
  await again.locator("textarea").fill("Ripristino dopo la prova");
  await again.getByRole("button", { name: "Salva" }).click();
  await expect(page.locator("#esito")).toContainText("Attivo dal 31/12/2023");
  await employer.reload();
  await expect(employer.getByRole("link", { name: /Variazione indirizzo PEC aziendale/ })).toHaveCount(1);
  await employer.close();
  expect(problems).toEqual([]);
});
