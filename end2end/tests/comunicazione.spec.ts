import { expect, request, test } from "@playwright/test";
import { actForViaApi, hydrated, login, loginActingFor, PASSWORD, shot, watchForErrors } from "./helpers";

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF");
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

test("contribuente: scrive alla sede con allegati, corregge gli errori senza perdere nulla, dialoga fino alla chiusura", async ({ page }, info) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  await page.getByRole("link", { name: "Richieste" }).click();
  await page.click("#scrivi-alla-sede");
  await expect(page.locator("h1")).toHaveText("Scrivi alla sede INPS");
  await hydrated(page);

  // Wrong on purpose: text too short, bad e-mail, a web page among the attachments.
  await page.selectOption("#oggetto", "f24/attribuzione");
  await page.fill("#testo", "Breve");
  await page.fill("#email", "paghe@");
  await page.setInputFiles("#allegato-1", { name: "quietanza.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.setInputFiles("#allegato-2", { name: "pagina.html", mimeType: "text/html", buffer: Buffer.from("<script>alert(1)</script>") });
  await page.click("#invia");
  const summary = page.locator(".error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.locator("a[href='#testo']")).toBeVisible();
  await expect(summary.locator("a[href='#email']")).toBeVisible();
  await expect(page.locator("#allegati-errore")).toContainText("pagina.html: tipo di file non ammesso");
  await expect(page.locator("#testo")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "comunicazione-errori");
  // Everything typed or chosen is still there.
  await expect(page.locator("#oggetto")).toHaveValue("f24/attribuzione");
  await expect(page.locator("#testo")).toHaveValue("Breve");
  expect(await page.locator("#allegato-1").evaluate((e: HTMLInputElement) => e.files?.[0]?.name)).toBe("quietanza.pdf");

  const testo = `Il versamento del 16/03 è stato attribuito al mese sbagliato (${info.project.name}).`;
  await page.fill("#testo", testo);
  await page.fill("#email", "paghe@rossifigli.example.it");
  await page.setInputFiles("#allegato-2", { name: "ricevuta.png", mimeType: "image/png", buffer: png });
  await page.click("#invia");
  await expect(page).toHaveURL(/\/richiesta\/CB-/);
  const protocollo = decodeURIComponent(page.url().split("/richiesta/")[1]);
  await expect(page.locator(".request-head .tag-richiesta-aperta")).toBeVisible();
  await expect(page.locator("#testo-richiesta")).toHaveText(testo);
  await expect(page.locator("#allegati a")).toHaveText(["quietanza.pdf", "ricevuta.png"]);
  await shot(page, "comunicazione-aperta");

  // The branch takes it in charge and asks a question.
  const op = await request.newContext({ baseURL: info.project.use.baseURL });
  expect((await op.post("/api/v1/sessione", { data: { username: "operatore.sede", password: PASSWORD } })).ok()).toBeTruthy();
  const azioni = `/api/v1/fascicolo/richieste/${protocollo}/azioni`;
  expect((await op.post(azioni, { data: { azione: "prendi_in_carico" } })).ok()).toBeTruthy();
  expect((await op.post(azioni, { data: { azione: "nota", interna: false, testo: "Qual è la matricola corretta?" } })).ok()).toBeTruthy();
  await page.reload();
  await expect(page.locator(".request-head .tag-richiesta-in_carico")).toBeVisible();
  await expect(page.locator("#messaggi .messaggio-sede")).toContainText("matricola corretta");
  await expect(page.locator("#notifiche-non-lette")).toBeVisible();

  // The contributor answers in the page.
  await hydrated(page);
  await page.fill("#testo", "La matricola corretta è 1234567890.");
  await page.click("#invia-messaggio");
  await expect(page.locator("#messaggi .messaggio-contribuente")).toContainText("1234567890");
  await shot(page, "comunicazione-dialogo");

  // The branch closes it: the closing answer is shown, no more messages can be written.
  const d = await (await op.get(`/api/v1/fascicolo/richieste/${protocollo}`)).json();
  const chiusa = await op.post(azioni, { data: { azione: "chiudi", motivo: "Versamento attribuito alla matricola 1234567890.", version: d.version } });
  expect(chiusa.ok()).toBeTruthy();
  await op.dispose();
  await page.reload();
  await expect(page.locator(".request-head .tag-richiesta-chiusa")).toBeVisible();
  await expect(page.locator("#esito")).toContainText("Versamento attribuito alla matricola");
  await expect(page.locator("#invia-messaggio")).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "comunicazione-chiusa");

  // History: found by object and state.
  await page.goto(`/richieste?tipo=bidirezionale&stato=chiusa`);
  await expect(page.locator("#richieste li", { hasText: protocollo })).toBeVisible();
  expect(problems).toEqual([]);
});

test.describe("senza JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("il modulo rifiutato torna con i dati scritti e gli errori; corretto, arriva alla sede", async ({ page, context }, info) => {
    await actForViaApi(context.request, "datore", "Rossi & Figli S.r.l.");
    await page.goto("/richieste/comunicazione");
    await page.selectOption("#oggetto", "f24/attribuzione");
    await page.fill("#testo", "Breve");
    await page.fill("#telefono", "06 1234567");
    await page.setInputFiles("#allegato-1", { name: "quietanza.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.click("#invia");
    await expect(page).toHaveURL(/\/richieste\/comunicazione$/);
    await expect(page.locator(".error-summary a[href='#testo']")).toBeVisible();
    await expect(page.locator("#testo-errore")).toContainText("almeno 10 e al massimo");
    await expect(page.locator("#oggetto")).toHaveValue("f24/attribuzione");
    await expect(page.locator("#testo")).toHaveValue("Breve");
    await expect(page.locator("#telefono")).toHaveValue("06 1234567");
    await expect(page.locator("#allegati-da-riscegliere")).toContainText("scelga di nuovo il file allegato");
    await shot(page, "comunicazione-senza-js-errori");

    const testo = `Senza JavaScript: versamento attribuito al mese sbagliato (${info.project.name}).`;
    await page.fill("#testo", testo);
    await page.setInputFiles("#allegato-1", { name: "quietanza.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.click("#invia");
    await expect(page).toHaveURL(/\/richiesta\/CB-/);
    await expect(page.locator("#testo-richiesta")).toHaveText(testo);
    await expect(page.locator("#allegati a")).toHaveText(["quietanza.pdf"]);

    // A message too short comes back with the text; a good one joins the conversation.
    await page.fill("#testo", "?");
    await page.click("#invia-messaggio");
    await expect(page.locator("#testo-errore")).toContainText("almeno 2");
    await expect(page.locator("#testo")).toHaveValue("?");
    await page.fill("#testo", "Aggiungo: il versamento è del 16/03/2026.");
    await page.click("#invia-messaggio");
    await expect(page.locator("#messaggi .messaggio-contribuente")).toContainText("16/03/2026");
  });
});

test("inviato prima che lo script sia caricato: la pagina rifiutata si idrata con i dati scritti", async ({ page }) => {
  const problems = watchForErrors(page);
  await loginActingFor(page, "datore", "Rossi & Figli S.r.l.");
  // Hold the page's WASM until the form has been posted, as on a slow phone connection.
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  await page.route("**/pkg/*.wasm", async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto("/richieste/comunicazione");
  await page.selectOption("#oggetto", "regolarita/durc");
  await page.fill("#testo", "Corto");
  await page.fill("#email", "paghe@rossifigli.example.it");
  await page.click("#invia");
  await expect(page.locator("#testo-errore")).toBeVisible();
  release();
  await hydrated(page);
  // After hydration the page still shows what the server rendered, and works.
  await expect(page.locator(".error-summary a[href='#testo']")).toBeVisible();
  await expect(page.locator("#oggetto")).toHaveValue("regolarita/durc");
  await expect(page.locator("#testo")).toHaveValue("Corto");
  await expect(page.locator("#email")).toHaveValue("paghe@rossifigli.example.it");
  await page.fill("#testo", "Il DURC risulta irregolare ma i versamenti sono in regola: rispondete per e-mail.");
  await page.click("#invia");
  await expect(page).toHaveURL(/\/richiesta\/CB-/);
  expect(problems.filter((p) => p !== "HTTP 422 /richieste/comunicazione")).toEqual([]);
});
