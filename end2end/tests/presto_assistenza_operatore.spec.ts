import { expect, request, test } from "@playwright/test";
import { hydrated, login, PASSWORD, shot, watchForErrors } from "./helpers";

test("sede: risponde alla richiesta di assistenza di un'utilizzatrice e apre il suo portafoglio", async ({ page }, info) => {
  const problems = watchForErrors(page);
  // Anna writes, through the API.
  const api = await request.newContext({ baseURL: info.project.use.baseURL });
  expect((await api.post("/api/v1/sessione", { data: { username: "utilizzatore", password: PASSWORD } })).ok()).toBeTruthy();
  const r = await api.post("/api/v1/comunicazioni", {
    data: { oggetto: "presto/portafoglio", testo: "Il saldo del portafoglio non comprende il versamento di ieri.", email: "anna@example.it" },
  });
  expect(r.status()).toBe(201);
  const { protocollo } = await r.json();

  await login(page, "operatore.sede");
  await expect(page.locator("#utente-nome")).toHaveText("Carla Moretti");
  await page.goto("/coda");
  await page.getByRole("link", { name: /Ferrari Anna – Prestazioni occasionali – Portafoglio/ }).last().click();
  await expect(page.locator("#richiedente")).toContainText(`Richiesta di assistenza di Ferrari Anna · protocollo ${protocollo}`);
  await hydrated(page);
  await page.click("#prendi-in-carico");
  await expect(page.locator("#in-carico")).toContainText("Carla Moretti");
  await page.fill("#testo", "Il versamento è stato accreditato oggi: il saldo è aggiornato.");
  await page.click("#rispondi");
  await expect(page.locator("#messaggi")).toContainText("accreditato oggi");
  await shot(page, "presto-assistenza-sede");
  // The person's wallet, one click away.
  await page.getByRole("link", { name: "Utilizzatore Libretto Famiglia: anagrafica e portafoglio" }).click();
  await expect(page.locator("h1")).toContainText("Ferrari");
  // She reads the answer.
  const mine = await (await api.get(`/api/v1/richieste/${protocollo}`)).json();
  expect(JSON.stringify(mine.messaggi_sede)).toContain("accreditato oggi");
  await api.dispose();
  expect(problems).toEqual([]);
});
