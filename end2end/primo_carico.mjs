// `node primo_carico.mjs BASE_URL`: what a browser downloads to open each page for the first
// time (empty cache), as the phone gets it: every /pkg/ response (JS, WASM chunks, CSS) counted
// with its encoded size on the wire, until the page is hydrated. Prints a Markdown table with the
// issue's targets (contributor pages ≤ 200 KB, every other page ≤ 300 KB); exits 1 when a page
// fails to load or hydrate. Used by `cargo xtask bench`.
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const PASSWORD = "Sportello2026!";
const KB = 1000;

// [page, path, user, company acted for, contributor page?]
const pages = [
  ["Accesso", "/accedi", null, null, true],
  ["Home del datore", "/", "datore", "Rossi & Figli S.r.l.", true],
  ["Lista Richieste", "/richieste", "datore", "Rossi & Figli S.r.l.", true],
  ["Crea Smart-Task", "/richieste/nuova", "datore", "Rossi & Figli S.r.l.", true],
  ["Nuova comunicazione", "/richieste/comunicazione", "datore", "Rossi & Figli S.r.l.", true],
  ["Notifiche", "/notifiche", "datore", "Rossi & Figli S.r.l.", true],
  ["Soggetti", "/soggetti", "intermediario", null, true],
  ["Token API", "/token", "datore", "Rossi & Figli S.r.l.", true],
  ["Libretto / portafoglio", "/presto", "utilizzatore", null, true],
  ["Rimborsi (utilizzatore)", "/presto/rimborsi", "utilizzatore", null, true],
  ["Registrazione (prestazioni occasionali)", "/presto/registrazione", "utilizzatore", null, true],
  ["Prestatore", "/presto/prestatore", "prestatore", null, true],
  ["Coda di sede", "/coda", "operatore.sede", null, false],
  ["Ricerca Fascicolo", "/fascicolo", "operatore.sede", null, false],
  ["Portale prestazioni occasionali", "/presto/operatore", "operatore.sede", null, false],
  ["Liste di sede", "/presto/operatore/liste", "operatore.sede", null, false],
  ["Flusso F24", "/presto/operatore/f24", "operatore.sede", null, false],
  ["Versamenti da abbinare", "/presto/operatore/versamenti", "operatore.sede", null, false],
  ["Cambi di categoria", "/presto/operatore/categorie", "operatore.sede", null, false],
  ["Simulazioni (Direzione)", "/direzione/simulazioni", "operatore.dg", null, false],
  ["Operatori (amministrazione)", "/amministrazione/operatori", "admin.idm", null, false],
];

async function signIn(context, user, ragione) {
  const api = context.request;
  const login = await api.post(`${base}/api/v1/sessione`, { data: { username: user, password: PASSWORD } });
  if (!login.ok()) throw new Error(`accesso di ${user}: ${login.status()}`);
  if (!ragione) return;
  const subjects = await (await api.get(`${base}/api/v1/soggetti`)).json();
  const subject = subjects.find((s) => s.ragione_sociale === ragione);
  const act = await api.put(`${base}/api/v1/sessione/soggetto`, { data: { subject_id: subject.id } });
  if (!act.ok()) throw new Error(`scelta del soggetto: ${act.status()}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
let failed = false;
console.log("\n## Primo caricamento di ogni pagina (cache vuota, byte compressi ricevuti da /pkg/)\n");
console.log("| pagina | percorso | file | KB compressi | obiettivo | esito |\n|---|---|---|---|---|---|");
try {
  for (const [name, path, user, ragione, contributor] of pages) {
    const context = await browser.newContext();
    if (user) await signIn(context, user, ragione);
    const page = await context.newPage();
    const files = new Map();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("requestfinished", async (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith("/pkg/")) return;
      const sizes = await request.sizes().catch(() => null);
      if (sizes) files.set(url.pathname, sizes.responseBodySize);
    });
    const target = contributor ? 200 : 300;
    try {
      const response = await page.goto(`${base}${path}`);
      if (!response?.ok()) throw new Error(`HTTP ${response?.status()}`);
      await page.waitForSelector("body[data-hydrated]", { timeout: 30_000 });
      await page.waitForLoadState("networkidle");
      if (errors.length) throw new Error(errors.join("; "));
      const total = [...files.values()].reduce((a, b) => a + b, 0) / KB;
      const ok = total <= target;
      console.log(`| ${name} | ${path} | ${files.size} | ${total.toFixed(1)} | ≤ ${target} | ${ok ? "sì" : "no"} |`);
    } catch (e) {
      failed = true;
      console.log(`| ${name} | ${path} | | errore: ${String(e.message ?? e).split("\n")[0]} | ≤ ${target} | no |`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
