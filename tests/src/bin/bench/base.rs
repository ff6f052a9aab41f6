//! The write baselines of the bench, measured in the same run through the server's own pool and
//! pragmas (`server::Db::connect`: WAL, synchronous=NORMAL…), so a ratio compares like with like:
//! the last `n` requests' rows inserted raw into a copy of the table, one transaction each (what
//! each submission's commit costs at least) and all in one transaction (what batching could reach).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::time::Instant;

/// The copy of `richieste` the baselines write into, empty.
pub(crate) const TABELLA: &str = "CREATE TABLE IF NOT EXISTS bench_raw AS SELECT * FROM richieste WHERE 1 = 0";
/// The last `$1` requests' rows: texts at 0, 1, 4–9, numbers at 2, 3.
pub(crate) const RIGHE: &str =
    "SELECT protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato, data_riferimento,
            created_at, updated_at FROM richieste ORDER BY id DESC LIMIT $1";
/// One row: `$1` its id, then the columns of [`RIGHE`] in their order.
pub(crate) const INSERISCI: &str =
    "INSERT INTO bench_raw (id, protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                            data_riferimento, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)";

async fn inserisci(conn: &mut AnyConnection, id: i64, r: &AnyRow) {
    let t = |i: usize| r.try_get::<String, _>(i).unwrap_or_default();
    let n = |i: usize| r.try_get::<i64, _>(i).unwrap_or_default();
    sqlx::query(INSERISCI)
        .bind(id)
        .bind(t(0))
        .bind(t(1))
        .bind(n(2))
        .bind(n(3))
        .bind(t(4))
        .bind(t(5))
        .bind(t(6))
        .bind(t(7))
        .bind(t(8))
        .bind(t(9))
        .execute(&mut *conn)
        .await
        .expect("insert");
}

/// Rows per second: (one transaction each, one transaction for all).
pub async fn grezzi(db_url: &str, n: usize) -> (f64, f64) {
    let db = server::Db::connect(db_url).await.expect("database");
    let pool = db.write.clone();
    sqlx::query(TABELLA).execute(&pool).await.expect("t");
    let rows = sqlx::query(RIGHE).bind(n as i64).fetch_all(&pool).await.expect("rows");
    let t = Instant::now();
    for (k, r) in rows.iter().enumerate() {
        let mut tx = pool.begin().await.expect("tx");
        inserisci(&mut tx, k as i64 + 1, r).await;
        tx.commit().await.expect("commit");
    }
    let singole = rows.len() as f64 / t.elapsed().as_secs_f64().max(1e-9);
    sqlx::query("DELETE FROM bench_raw").execute(&pool).await.expect("delete");
    let t = Instant::now();
    let mut tx = pool.begin().await.expect("tx");
    for (k, r) in rows.iter().enumerate() {
        inserisci(&mut tx, k as i64 + 1, r).await;
    }
    tx.commit().await.expect("commit");
    let insieme = rows.len() as f64 / t.elapsed().as_secs_f64().max(1e-9);
    sqlx::query("DROP TABLE bench_raw").execute(&pool).await.expect("drop");
    db.close().await;
    (singole, insieme)
}
