import { expect, Page, test } from "@playwright/test";
import { accessibile, PASSWORD, shot } from "./helpers";

// Every page of every role, at phone and desktop size, scanned by axe-core against WCAG 2.1 A
// and AA once hydrated: no serious or critical violation. The pages of one request and of one
// contributor's Fascicolo are scanned where a flow creates and opens them (smart_task.spec,
// operatore.spec): the demo data start without requests.

async function scan(page: Page, path: string) {
  await page.goto(path);
  await accessibile(page);
}

async function signIn(page: Page, user: string, ragione?: string) {
  expect((await page.request.post("/api/v1/sessione", { data: { username: user, password: PASSWORD } })).ok()).toBeTruthy();
  if (!ragione) return undefined;
  const subjects = await (await page.request.get("/api/v1/soggetti")).json();
  const subject = subjects.find((s: { ragione_sociale: string }) => s.ragione_sociale === ragione);
  expect((await page.request.put("/api/v1/sessione/soggetto", { data: { subject_id: subject.id } })).ok()).toBeTruthy();
  return subject.id as number;
}

test("pagina di accesso", async ({ page }) => {
  await scan(page, "/accedi");
});

test("pagine del datore di lavoro", async ({ page }) => {
  await signIn(page, "datore", "Rossi & Figli S.r.l.");
  for (const p of ["/", "/richieste", "/richieste/nuova", "/richieste/comunicazione", "/notifiche", "/soggetti", "/token"]) {
    await scan(page, p);
  }
  await page.goto("/soggetti");
  await shot(page, "soggetti");
});

test("pagine delle prestazioni occasionali", async ({ page }) => {
  await signIn(page, "utilizzatore");
  for (const p of ["/presto", "/presto/rimborsi"]) await scan(page, p);
  await page.context().clearCookies();
  await signIn(page, "prestatore");
  await scan(page, "/presto/prestatore");
});

test("pagine dell'operatore di sede", async ({ page }) => {
  await signIn(page, "operatore.sede");
  const pages = [
    "/coda",
    "/fascicolo",
    "/presto/operatore",
    "/presto/operatore/liste",
    "/presto/operatore/f24",
    "/presto/operatore/versamenti",
    "/presto/operatore/deleghe",
    "/presto/operatore/rimborsi",
    "/presto/operatore/categorie",
  ];
  for (const p of pages) await scan(page, p);
});

test("pagine della Direzione generale e dell'amministratore", async ({ page }) => {
  await signIn(page, "operatore.dg");
  await scan(page, "/direzione/simulazioni");
  await page.context().clearCookies();
  await signIn(page, "admin.idm");
  for (const p of ["/amministrazione/operatori", "/amministrazione/smart-task"]) await scan(page, p);
});
