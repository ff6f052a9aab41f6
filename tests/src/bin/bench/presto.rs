//! Prestazioni occasionali: prestazioni accepted per second over HTTP (each with every limit
//! check under its locks) against raw inserts of the same rows, one transaction each, on the
//! server's own writer pool and pragmas; the latency of an entry (its checks) with the table grown to
//! 1 M rows (and more with `SPORTELLO_BENCH_PRESTAZIONI=1000000,10000000`); the F24 flow's lines
//! per second against raw inserts of the same lines in the same batches.

use super::load::pct;
use sqlx::{AnyPool, Row};
use std::time::Instant;

const USERS: usize = 8;
const PRESTATORI: usize = 64;

async fn one(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(pool).await.expect(sql).try_get(0).expect("value")
}

/// Bench users (CPO professionals, funded) and prestatori, straight into the database.
async fn fixtures(pool: &AnyPool) -> (Vec<String>, Vec<String>) {
    let now = server::infra::clock::now_ts();
    let hash = server::identity::auth::hash_password(server::seed::DEMO_PASSWORD).expect("hash");
    let sede = one(pool, "SELECT id FROM sedi WHERE codice = '1300'").await;
    let day = |k: usize| chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("day") + chrono::Duration::days(k as i64);
    let mut users = vec![];
    let mut cfs = vec![];
    for k in 0..USERS + PRESTATORI {
        let cf = server::seed::codice_fiscale("Banco", "Prova", day(k), false, "H501");
        let pid: i64 = sqlx::query("INSERT INTO persone (codice_fiscale, nome, cognome, created_at, updated_at) VALUES ($1, 'Banco', 'Prova', $2, $2) RETURNING id")
            .bind(&cf).bind(&now).fetch_one(pool).await.expect("persona").try_get(0).expect("id");
        if k < USERS {
            let name = format!("bench.cpo{k}");
            sqlx::query("INSERT INTO users (username, password_hash, display_name, role, persona_id, created_at, updated_at) VALUES ($1, $2, $1, 'utilizzatore', $3, $4, $4)")
                .bind(&name).bind(&hash).bind(pid).bind(&now).execute(pool).await.expect("user");
            sqlx::query("INSERT INTO utilizzatori (persona_id, strumento, categoria, ateco, dipendenti_centesimi, sede_id, saldo_cents, created_at, updated_at)
                         VALUES ($1, 'cpo', 'generale', '6920', 0, $2, 100000000, $3, $3)")
                .bind(pid).bind(sede).bind(&now).execute(pool).await.expect("utilizzatore");
            users.push(name);
        } else {
            sqlx::query("INSERT INTO prestatori (persona_id, modalita_pagamento, sede_id, created_at, updated_at) VALUES ($1, 'bonifico_domiciliato', $2, $3, $3)")
                .bind(pid).bind(sede).bind(&now).execute(pool).await.expect("prestatore");
            cfs.push(cf);
        }
    }
    (users, cfs)
}

/// `per_user` entries from each user in parallel, each user sequential; returns accepted,
/// elapsed seconds and the latency of every entry in ms.
async fn entries(
    base: &str,
    users: &[String],
    cfs: &[String],
    per_user: usize,
    round: usize,
) -> (usize, f64, Vec<f64>) {
    let giorno = (shared::time::to_rome(chrono::Utc::now().naive_utc()).date() + chrono::Duration::days(1))
        .format("%d/%m/%Y")
        .to_string();
    let t0 = Instant::now();
    let mut handles = vec![];
    for (u, name) in users.iter().enumerate() {
        let (base, name, cfs, giorno) = (base.to_string(), name.clone(), cfs.to_vec(), giorno.clone());
        handles.push(tokio::spawn(async move {
            let c = reqwest::Client::builder().cookie_store(true).build().expect("client");
            let r = c.post(format!("{base}/api/v1/sessione")).json(&serde_json::json!({"username": name, "password": server::seed::DEMO_PASSWORD})).send().await.expect("login");
            assert!(r.status().is_success(), "login {name}: {}", r.status());
            let (mut ok, mut lat) = (0, vec![]);
            for i in 0..per_user {
                let cf = &cfs[(u * 7 + i + round * 13) % cfs.len()];
                let body = serde_json::json!({"prestatore": cf, "giorno": giorno, "ora_inizio": "09:00", "ora_fine": "13:00", "compenso": "36,00", "luogo": "Studio", "oggetto": "Banco di prova"});
                let t = Instant::now();
                let r = c.post(format!("{base}/api/v1/presto/prestazioni")).json(&body).send().await.expect("entry");
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                if r.status().as_u16() == 201 { ok += 1 } else { eprintln!("prestazione rifiutata: {}", r.text().await.unwrap_or_default()) }
            }
            (ok, lat)
        }));
    }
    let (mut ok, mut lat) = (0, vec![]);
    for h in handles {
        let (o, l) = h.await.expect("task");
        ok += o;
        lat.extend(l);
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    (ok, t0.elapsed().as_secs_f64(), lat)
}

/// Grows the table with `server seed --prestazioni`'s own function; returns its seconds.
async fn grow(db: &server::Db, target: i64) -> f64 {
    let t = Instant::now();
    server::seed::presto_scala::grow_prestazioni(db, target).await.expect("grow");
    t.elapsed().as_secs_f64()
}

pub(crate) async fn presto(base: &str, db_url: &str) {
    // The server's own writer pool and pragmas: the raw baseline runs exactly as the server writes.
    let db = server::Db::connect(db_url).await.expect("database");
    let pool = db.write.clone();
    let (users, cfs) = fixtures(&pool).await;
    // 200 entries of 36 € per user, then 25 per growth step: within the user's 10,000 €.
    let per_user = 200;
    let (ok, secs, lat0) = entries(base, &users, &cfs, per_user, 0).await;
    let accepted_per_s = ok as f64 / secs;

    // The same rows inserted raw, one transaction each, into a copy of the table.
    sqlx::query("CREATE TABLE bench_raw_prestazioni AS SELECT * FROM prestazioni WHERE 1 = 0")
        .execute(&pool)
        .await
        .expect("copy");
    let rows = sqlx::query("SELECT * FROM prestazioni ORDER BY id DESC LIMIT $1")
        .bind(ok as i64)
        .fetch_all(&pool)
        .await
        .expect("rows");
    let t1 = Instant::now();
    for r in &rows {
        let mut tx = pool.begin().await.expect("tx");
        sqlx::query("INSERT INTO bench_raw_prestazioni (id, utilizzatore_id, prestatore_id, strumento, anno, giorno, ora_inizio, ora_fine, minuti,
                         compenso_cents, ivs_cents, inail_cents, oneri_cents, costo_cents, peso_limite_cents, luogo, oggetto, stato, controlli_json,
                         revocabile_fino, created_at, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1)")
            .bind(r.try_get::<i64, _>("id").unwrap_or_default())
            .bind(r.try_get::<i64, _>("utilizzatore_id").unwrap_or_default())
            .bind(r.try_get::<i64, _>("prestatore_id").unwrap_or_default())
            .bind(r.try_get::<String, _>("strumento").unwrap_or_default())
            .bind(r.try_get::<i64, _>("anno").unwrap_or_default())
            .bind(r.try_get::<String, _>("giorno").unwrap_or_default())
            .bind(r.try_get::<Option<String>, _>("ora_inizio").unwrap_or_default())
            .bind(r.try_get::<Option<String>, _>("ora_fine").unwrap_or_default())
            .bind(r.try_get::<i64, _>("minuti").unwrap_or_default())
            .bind(r.try_get::<i64, _>("compenso_cents").unwrap_or_default())
            .bind(r.try_get::<i64, _>("ivs_cents").unwrap_or_default())
            .bind(r.try_get::<i64, _>("inail_cents").unwrap_or_default())
            .bind(r.try_get::<i64, _>("oneri_cents").unwrap_or_default())
            .bind(r.try_get::<i64, _>("costo_cents").unwrap_or_default())
            .bind(r.try_get::<i64, _>("peso_limite_cents").unwrap_or_default())
            .bind(r.try_get::<Option<String>, _>("luogo").unwrap_or_default())
            .bind(r.try_get::<Option<String>, _>("oggetto").unwrap_or_default())
            .bind(r.try_get::<String, _>("stato").unwrap_or_default())
            .bind(r.try_get::<String, _>("controlli_json").unwrap_or_default())
            .bind(r.try_get::<String, _>("revocabile_fino").unwrap_or_default())
            .bind(r.try_get::<String, _>("created_at").unwrap_or_default())
            .execute(&mut *tx)
            .await
            .expect("raw insert");
        tx.commit().await.expect("commit");
    }
    let raw_per_s = rows.len() as f64 / t1.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_raw_prestazioni").execute(&pool).await.expect("drop");

    println!("\n## Prestazioni occasionali (SQLite, build release)\n");
    println!("| misura | valore |\n|---|---|");
    println!(
        "| prestazioni CPO inviate via API ({USERS} utilizzatori in parallelo, {PRESTATORI} prestatori) | {} (accettate {ok}) |",
        USERS * per_user
    );
    println!("| **prestazioni accettate al secondo** (tutti i controlli, sotto i lock) | **{accepted_per_s:.0}** |");
    println!("| inserimenti grezzi delle stesse righe al secondo (una transazione ciascuno) | {raw_per_s:.0} |");
    println!("| rapporto accettate / inserimenti grezzi | {:.3} |", accepted_per_s / raw_per_s.max(1.0));

    // Entry latency (checks included) as the table grows.
    let sizes: Vec<i64> = std::env::var("SPORTELLO_BENCH_PRESTAZIONI")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000_000]);
    let base_rows = one(&pool, "SELECT COUNT(*) FROM prestazioni").await;
    println!("\n| righe in `prestazioni` | latenza inserimento con i controlli p50 | p99 |\n|---|---|---|");
    println!("| {base_rows} | {:.1} ms | {:.1} ms |", pct(&lat0, 0.5), pct(&lat0, 0.99));
    for (round, size) in sizes.into_iter().enumerate() {
        let grown = grow(&db, size).await;
        let (_, _, lat) = entries(base, &users, &cfs, 25, round + 1).await;
        let rows = one(&pool, "SELECT COUNT(*) FROM prestazioni").await;
        println!("| {rows} (cresciute in {grown:.0} s) | {:.1} ms | {:.1} ms |", pct(&lat, 0.5), pct(&lat, 0.99));
    }

    let roma = one(&pool, "SELECT id FROM sedi WHERE codice = '1300'").await;
    super::liste::liste(base, db_url, roma).await;

    f24(base, &pool, &cfs).await;
}

/// The F24 flow: 20,000 lines, half credited to the bench users, half unmatched.
async fn f24(base: &str, pool: &AnyPool, cfs: &[String]) {
    let user_cfs: Vec<String> = sqlx::query(
        "SELECT p.codice_fiscale FROM persone p JOIN users u ON u.persona_id = p.id WHERE u.username LIKE 'bench.cpo%'",
    )
    .fetch_all(pool)
    .await
    .expect("cf")
    .iter()
    .map(|r| r.try_get(0).expect("cf"))
    .collect();
    let n = 20_000;
    let mut csv = String::from(
        "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento\n",
    );
    for i in 0..n {
        let cf = if i % 2 == 0 { &user_cfs[i % user_cfs.len()] } else { &cfs[i % cfs.len()] };
        csv.push_str(&format!("BENCH-{i},ELIDE,{cf},I,CLOC,,2026,10000,2026-11-02\n"));
    }
    let dg = crate::load::signed_in(base, "operatore.dg").await;
    let t = Instant::now();
    let r = dg
        .post(format!("{base}/api/v1/presto/f24"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("import");
    assert!(r.status().is_success(), "import: {}", r.status());
    let report: serde_json::Value = r.json().await.expect("report");
    let import_per_s = n as f64 / t.elapsed().as_secs_f64();
    // The same lines as raw inserts, in transactions of 500 like the import.
    sqlx::query("CREATE TABLE bench_raw_versamenti AS SELECT * FROM versamenti WHERE 1 = 0")
        .execute(pool)
        .await
        .expect("copy");
    let t = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut tx = pool.begin().await.expect("tx");
        for i in chunk {
            sqlx::query("INSERT INTO bench_raw_versamenti (id, canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, stato, created_at)
                         VALUES ($1, 'f24_elide', $2, $3, 'CLOC', 2026, 10000, '2026-11-02', 'accreditato', '2026-11-02')")
                .bind(*i as i64).bind(format!("RAW-{i}")).bind(&cfs[i % cfs.len()]).execute(&mut *tx).await.expect("raw");
        }
        tx.commit().await.expect("commit");
    }
    let raw_per_s = n as f64 / t.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_raw_versamenti").execute(pool).await.expect("drop");
    println!("\n| flusso F24 | valore |\n|---|---|");
    println!(
        "| righe importate (accreditate {}, non abbinate {}) | {n} |",
        report["accreditate"], report["non_abbinate"]
    );
    println!("| **righe importate al secondo** (convalida, abbinamento, accredito) | **{import_per_s:.0}** |");
    println!("| inserimenti grezzi delle stesse righe al secondo (transazioni da 500) | {raw_per_s:.0} |");
    println!("| rapporto importate / inserimenti grezzi | {:.3} |", import_per_s / raw_per_s.max(1.0));
}
