// `node lighthouse.mjs BASE_URL`: Lighthouse in its default mobile mode (an emulated mid-range
// phone on a throttled 4G link) on the login page, the Lista Richieste and "Crea Smart-Task" of
// an employer, in Debian's Chromium; prints a Markdown table of the performance and
// accessibility scores with the targets. Used by `cargo xtask bench`.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const PASSWORD = "Sportello2026!";

/** A session of the employer acting for Rossi & Figli, as a cookie header. */
async function session() {
  const login = await fetch(`${base}/api/v1/sessione`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "datore", password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`accesso: ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const subjects = await (await fetch(`${base}/api/v1/soggetti`, { headers: { cookie } })).json();
  const rossi = subjects.find((s) => s.ragione_sociale === "Rossi & Figli S.r.l.");
  const act = await fetch(`${base}/api/v1/sessione/soggetto`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ subject_id: rossi.id }),
  });
  if (!act.ok) throw new Error(`scelta del soggetto: ${act.status}`);
  return cookie;
}

const cookie = await session();
const pages = [
  ["Accesso", "/accedi", undefined],
  ["Lista Richieste", "/richieste", { Cookie: cookie }],
  ["Crea Smart-Task", "/richieste/nuova", { Cookie: cookie }],
];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
let failed = false;
console.log("\n## Lighthouse (modalità mobile: telefono emulato, rete 4G rallentata)\n");
console.log("| pagina | prestazioni (obiettivo ≥ 95) | accessibilità (obiettivo 100) | FCP | LCP | TBT |\n|---|---|---|---|---|---|");
try {
  for (const [name, path, extraHeaders] of pages) {
    const result = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility"],
      extraHeaders,
    });
    const lhr = result?.lhr;
    if (!lhr || lhr.runtimeError) {
      failed = true;
      console.log(`| ${name} | errore: ${lhr?.runtimeError?.message ?? "nessun risultato"} | | | | |`);
      continue;
    }
    const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const audit = (a) => lhr.audits[a]?.displayValue ?? "n.d.";
    console.log(
      `| ${name} | ${score("performance")} | ${score("accessibility")} | ${audit("first-contentful-paint")} | ${audit("largest-contentful-paint")} | ${audit("total-blocking-time")} |`,
    );
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
