import AxeBuilder from "@axe-core/playwright";
import { APIRequestContext, expect, Page, test } from "@playwright/test";

export const PASSWORD = "Sportello2026!";

/** Logs in through the API (no page, so no JavaScript needed) and acts for the company named `ragione`. */
export async function actForViaApi(api: APIRequestContext, user: string, ragione: string): Promise<{ id: number }> {
  expect((await api.post("/api/v1/sessione", { data: { username: user, password: PASSWORD } })).ok()).toBeTruthy();
  const subjects = await (await api.get("/api/v1/soggetti")).json();
  const subject = subjects.find((s: { ragione_sociale: string }) => s.ragione_sociale === ragione);
  expect((await api.put("/api/v1/sessione/soggetto", { data: { subject_id: subject.id } })).ok()).toBeTruthy();
  return subject;
}

/** Fails the test on any uncaught page error or a failed page/asset request. */
export function watchForErrors(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    const url = new URL(r.url());
    // Server functions answer errors with a status ≥ 400 on purpose (e.g. wrong password).
    if (r.status() >= 400 && !url.pathname.startsWith("/sf/") && !url.pathname.startsWith("/api/")) {
      problems.push(`HTTP ${r.status()} ${url.pathname}`);
    }
  });
  return problems;
}

/** Waits until the WASM has hydrated the page: the password toggle only works then. */
export async function waitForHydration(page: Page) {
  await expect(async () => {
    const toggle = page.locator("#mostra-password");
    if ((await toggle.count()) === 0) return;
    await toggle.click();
    await expect(page.locator("#password")).toHaveAttribute("type", "text", { timeout: 500 });
    await toggle.click();
  }).toPass({ timeout: 20_000 });
}

export async function login(page: Page, user: string, password = PASSWORD) {
  await page.goto("/accedi");
  await waitForHydration(page);
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#accedi");
}

/** Logs in through the page and chooses the company to act for, as a person does. */
export async function loginActingFor(page: Page, user: string, ragione: string) {
  await login(page, user);
  await page.getByRole("button", { name: `Opera per ${ragione}` }).click();
  await expect(page.locator("#azienda")).toHaveText(ragione);
}

export async function shot(page: Page, name: string) {
  const project = test.info().project.name;
  await page.screenshot({ path: `test-results/screens/${name}-${project}.png`, fullPage: true });
}

/** Waits until the WASM has hydrated the current page (the app marks <body data-hydrated>). */
export async function hydrated(page: Page) {
  await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 20_000 });
}

/** axe-core on the current page, once hydrated: no serious or critical WCAG 2.1 A/AA violation. */
export async function accessibile(page: Page) {
  await hydrated(page);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const gravi = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(gravi, new URL(page.url()).pathname).toEqual([]);
  // Hydration takes over the server's page: a lazy area that was not loaded in time makes the
  // browser draw the page a second time below it.
  expect(await page.locator("main h1").count(), `${new URL(page.url()).pathname}: la pagina compare una volta`).toBe(1);
}
