//! "What if" re-runs per second over at least 100,000 stored decisions (the run's decisions
//! copied under new protocols), beside the baseline measured in the same run through the
//! server's own pool and pragmas (`server::Db::connect`): the same rows read and their traces
//! parsed, without deciding. The re-run decides each twice (as stored, and changed).

use futures_util::TryStreamExt;
use server::richieste::decision::Trace;
use sqlx::Row;
use std::time::Instant;

const OBIETTIVO: i64 = 100_000;

async fn decise(pool: &sqlx::AnyPool) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM richieste WHERE decisione_json IS NOT NULL")
        .fetch_one(pool)
        .await
        .expect("n")
        .try_get(0)
        .expect("n")
}

pub async fn simulazione(base: &str, db_url: &str) {
    let db = server::Db::connect(db_url).await.expect("database");
    let mut n = decise(&db.write).await;
    if n == 0 {
        println!("\n(Simulazione: nessuna decisione memorizzata da rieseguire)");
        return;
    }
    let mut k = 0;
    while n < OBIETTIVO {
        k += 1;
        sqlx::query(
            "INSERT INTO richieste (protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                                    data_riferimento, esito_motivo, ruleset, decisione_json, created_at, updated_at, matricola)
             SELECT protocollo || $1, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                    data_riferimento, esito_motivo, ruleset, decisione_json, created_at, updated_at, matricola
             FROM richieste WHERE decisione_json IS NOT NULL AND protocollo NOT LIKE '%-C%'",
        )
        .bind(format!("-C{k}"))
        .execute(&db.write)
        .await
        .expect("copie");
        n = decise(&db.write).await;
    }

    // Baseline: the same rows through the server's read pool, traces parsed.
    let t = Instant::now();
    let mut rows = sqlx::query(
        "SELECT protocollo, tipo, oggetto, risposte_json, data_riferimento, decisione_json FROM richieste
         WHERE decisione_json IS NOT NULL ORDER BY id",
    )
    .fetch(&db.read);
    let mut lette = 0u64;
    while let Some(r) = rows.try_next().await.expect("lettura") {
        if Trace::of(&r).expect("traccia").is_some() {
            lette += 1;
        }
    }
    let base_s = t.elapsed().as_secs_f64();

    let client = crate::load::signed_in(base, "operatore.dg").await;
    let t = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/smart-task/simulazioni"))
        .json(&serde_json::json!({ "dal": "01/01/2000", "al": "31/12/2099", "parametro": "ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO",
                                   "valore": "30", "valido_dal": "01/01/2000" }))
        .send()
        .await
        .expect("simulazione");
    let status = r.status();
    let v: serde_json::Value = r.json().await.unwrap_or_default();
    let sim_s = t.elapsed().as_secs_f64();
    assert!(status.is_success(), "simulazione: {status} {v}");
    let esaminate = v["esaminate"].as_u64().unwrap_or(0);
    let al_s = esaminate as f64 / sim_s.max(1e-9);
    let base_al_s = lette as f64 / base_s.max(1e-9);
    println!("\n## Simulazione «e se» (SQLite, build release)\n");
    println!("| misura | valore |\n|---|---|");
    println!("| decisioni memorizzate rieseguite | {esaminate} (cambierebbero: {}) |", v["cambiate"]);
    println!("| tempo della simulazione (HTTP, tutto compreso) | {sim_s:.2} s |");
    println!("| **decisioni rieseguite al secondo** (due decisioni ciascuna) | **{al_s:.0}** |");
    println!("| base: stesse righe lette e tracce analizzate, pool del server | {base_al_s:.0} al secondo |");
    println!("| rapporto simulazione / base | {:.3} |", al_s / base_al_s.max(1.0));
}
