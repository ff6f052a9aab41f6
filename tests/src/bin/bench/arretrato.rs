//! Smart-Task decisions on a backlog, by the server processes themselves. Submitting and
//! deciding at once (`decisioni`) measures both on the same cores and the same writer; here the
//! two are apart, as after a deadline's burst:
//!
//! - `accoda` (a web-only server, `SPORTELLO_WORKERS=0`): the demo intermediary gets a delega on
//!   `n` companies that may change their PEC here (not bound to the Registro Imprese, none with a
//!   change already open; scale data is generated if there are too few) and sends one change
//!   for each over HTTP; nothing decides them;
//! - `smaltisci` (xtask then starts one or more deciding processes): waits until every one is
//!   decided and reads the rate from the server's own timestamps, from the first examination's
//!   start to the last outcome (stamped inside its transaction, so the last commit itself, a few
//!   ms, is not counted); beside it the raw-insert baselines of the same run (`base`).

use crate::load::pct;
use sqlx::AnyPool;
use sqlx::Row;
use std::time::{Duration, Instant};

const MARCA: &str = "bench_arretrato_da";
const CONCORRENZA: usize = 16;
/// Requests in the backlog: enough that a batch's claim and the last commit are a small part.
pub(crate) const N: usize = 5000;

async fn pool(db_url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db_url).await.expect("database")
}

async fn numero(pool: &AnyPool, sql: &str, bind: i64) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(pool).await.expect("n").try_get::<i64, _>(0).expect("n")
}

/// The companies the backlog is for: not bound to the Registro Imprese, without an open change.
async fn aziende(pool: &AnyPool, n: usize) -> Vec<i64> {
    sqlx::query(
        "SELECT id FROM contribuenti c WHERE obbligo_pec_registro_imprese = 0 AND NOT EXISTS (
             SELECT 1 FROM richieste r WHERE r.contribuente_id = c.id AND r.tipo = 'variazione_pec_aziendale'
             AND r.stato IN ('inviata', 'in_istruttoria'))
         ORDER BY id LIMIT $1",
    )
    .bind(n as i64)
    .fetch_all(pool)
    .await
    .expect("aziende")
    .iter()
    .map(|r| r.try_get::<i64, _>(0).expect("id"))
    .collect()
}

/// Sends the backlog to the web-only server at `base`. Returns how many were accepted.
pub(crate) async fn accoda(base: &str, db_url: &str, n: usize) -> usize {
    let pool = pool(db_url).await;
    let mut ids = aziende(&pool, n).await;
    if ids.len() < n {
        // Generated companies: one in six is an association (not bound to the Registro Imprese).
        let db = server::Db::connect(db_url).await.expect("database");
        let scale = ((n - ids.len()) * 7 / 1000 + 1) as u32;
        server::seed::seed(&db, scale, 2026 + n as u64).await.expect("seed scale");
        db.close().await;
        ids = aziende(&pool, n).await;
    }
    let persona: i64 = sqlx::query("SELECT persona_id FROM users WHERE username = 'intermediario'")
        .fetch_one(&pool)
        .await
        .expect("intermediario")
        .try_get(0)
        .expect("persona");
    let ora = server::infra::clock::now_ts();
    for chunk in ids.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|id| format!("({persona}, {id}, 'intermediario', '2020-01-01', '{ora}', '{ora}', 'DLG-BENCH-{id}')"))
            .collect();
        sqlx::query(&format!(
            "INSERT INTO deleghe (delegato_persona_id, contribuente_id, ruolo, data_inizio, created_at, updated_at, documento)
             VALUES {} ON CONFLICT DO NOTHING",
            values.join(", ")
        ))
        .execute(&pool)
        .await
        .expect("deleghe");
    }
    let ultimo = numero(&pool, "SELECT COALESCE(MAX(id), 0) FROM richieste WHERE id > $1", -1).await;
    sqlx::query("DELETE FROM app_meta WHERE key = $1").bind(MARCA).execute(&pool).await.expect("marca");
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2)")
        .bind(MARCA)
        .bind(ultimo.to_string())
        .execute(&pool)
        .await
        .expect("marca");

    let bearer = crate::carico::token(base).await;
    let urls = [format!("{base}/api/v1/richieste")];
    let bodies = ids.iter().enumerate().map(|(i, id)| {
        serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": id, "oggetto": "",
                            "risposte": { "pec": format!("arretrato{ultimo}x{i}@pec.bench.it") } })
    });
    let t0 = Instant::now();
    let failures = crate::decisioni::invia(&urls, &bearer, bodies.collect(), CONCORRENZA).await;
    let secs = t0.elapsed().as_secs_f64();
    let sent = ids.len().saturating_sub(failures);
    println!("\n## Smart-Task su un arretrato: invio (server solo web, nessun worker)\n");
    println!("| misura | valore |\n|---|---|");
    println!("| aziende distinte, ciascuna con una variazione PEC | {} (errori: {failures}) |", ids.len());
    println!(
        "| richieste accolte in coda al secondo (HTTP, token, concorrenza {CONCORRENZA}) | {:.0} |",
        sent as f64 / secs
    );
    pool.close().await;
    sent
}

/// Waits until the backlog is decided and prints the rate. Returns decisions per second.
pub(crate) async fn smaltisci(db_url: &str, titolo: &str) -> f64 {
    let pool = pool(db_url).await;
    let da: i64 = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
        .bind(MARCA)
        .fetch_one(&pool)
        .await
        .expect("accoda prima di smaltisci")
        .try_get::<String, _>(0)
        .expect("marca")
        .parse()
        .expect("marca");
    let totale = numero(&pool, "SELECT COUNT(*) FROM richieste WHERE id > $1", da).await;
    let t0 = Instant::now();
    let finali = "stato IN ('accolta', 'non_accolta', 'in_carico_sede')";
    loop {
        let decise = numero(&pool, &format!("SELECT COUNT(*) FROM richieste WHERE id > $1 AND {finali}"), da).await;
        if decise >= totale || t0.elapsed() > Duration::from_secs(600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Per request: the examination's start (recorded with the outcome) and the final event.
    let rows = sqlx::query(&format!(
        "SELECT r.stato, MIN(e.at), MAX(e.at) FROM richieste r JOIN richieste_eventi e ON e.richiesta_id = r.id
         WHERE r.id > $1 AND r.{finali} AND e.stato <> 'inviata' GROUP BY r.id, r.stato"
    ))
    .bind(da)
    .fetch_all(&pool)
    .await
    .expect("eventi");
    let ts = |r: &sqlx::any::AnyRow, i: usize| {
        server::infra::clock::parse_ts(&r.try_get::<String, _>(i).expect("at")).expect("timestamp")
    };
    let (Some(inizio), Some(fine)) = (rows.iter().map(|r| ts(r, 1)).min(), rows.iter().map(|r| ts(r, 2)).max()) else {
        println!("\n(arretrato: nessuna richiesta decisa)");
        return 0.0;
    };
    let secs = ((fine - inizio).num_microseconds().unwrap_or(0) as f64 / 1e6).max(1e-6);
    let decise = rows.len();
    let accolte = rows.iter().filter(|r| r.try_get::<String, _>(0).is_ok_and(|s| s == "accolta")).count();
    let mut esame: Vec<f64> =
        rows.iter().map(|r| (ts(r, 2) - ts(r, 1)).num_microseconds().unwrap_or(0) as f64 / 1000.0).collect();
    esame.sort_by(|a, b| a.total_cmp(b));
    let per_s = decise as f64 / secs;
    let (raw_per_s, batch_per_s) = crate::base::grezzi(db_url, decise).await;

    println!("\n## Smart-Task su un arretrato: decisioni ({titolo})\n");
    println!("| misura | valore |\n|---|---|");
    println!("| richieste decise | {decise} di {totale} (accolte {accolte}, non accolte {}) |", decise - accolte);
    println!("| dal primo esame all'ultima decisione (orari scritti dal server) | {secs:.2} s |");
    println!("| **richieste decise al secondo** | **{per_s:.0}** |");
    println!(
        "| base: inserimenti grezzi delle stesse righe al secondo, pool e pragma del server, una transazione ciascuno | {raw_per_s:.0} |"
    );
    println!("| base: le stesse righe in un'unica transazione, al secondo | {batch_per_s:.0} |");
    println!(
        "| **rapporto decise / inserimenti grezzi (una transazione ciascuno)** (obiettivo ≥ 0,40) | **{:.3}** |",
        per_s / raw_per_s.max(1.0)
    );
    println!("| rapporto decise / inserimenti grezzi (un'unica transazione) | {:.3} |", per_s / batch_per_s.max(1.0));
    println!("| esame → decisione scritta, p50 / p99 | {:.1} / {:.1} ms |", pct(&esame, 0.5), pct(&esame, 0.99));
    pool.close().await;
    per_s
}
