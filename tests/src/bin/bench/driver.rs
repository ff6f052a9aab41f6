//! The README's driver record, measured: what one statement costs through sqlx (its Any driver,
//! as the server uses it, and the native SQLite driver) against the same statements run on the
//! connection's own thread through `lock_handle()` and direct SQLite calls (option 2): the same
//! rows as `base::grezzi`, one transaction each, on a connection with the server's own pragmas.

use crate::base::{INSERISCI, RIGHE, TABELLA};
use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor, Row};
use std::ffi::{CStr, CString, c_int};
use std::time::Instant;

/// A request's row as `base::RIGHE` reads it: its texts and its two numbers.
struct Riga {
    testi: Vec<String>,
    numeri: [i64; 2],
}

/// Where `base::RIGHE`'s texts are among its columns; column `i` is `base::INSERISCI`'s parameter
/// `i + 2` (after the id). The numbers are columns 2 and 3.
const COLONNE_TESTO: [usize; 8] = [0, 1, 4, 5, 6, 7, 8, 9];

/// A prepared statement on a locked handle, finalized on drop.
struct Stmt(*mut ffi::sqlite3_stmt);

impl Stmt {
    /// Safety: `db` is a live handle that no other thread uses while this exists.
    unsafe fn new(db: *mut ffi::sqlite3, sql: &str) -> Stmt {
        let sql = CString::new(sql).expect("sql");
        let mut s = std::ptr::null_mut();
        let rc = unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut s, std::ptr::null_mut()) };
        assert_eq!(rc, ffi::SQLITE_OK, "prepare: {}", unsafe { errmsg(db) });
        Stmt(s)
    }

    /// Safety: as for `new`.
    unsafe fn run(&self, db: *mut ffi::sqlite3) {
        let rc = unsafe { ffi::sqlite3_step(self.0) };
        assert_eq!(rc, ffi::SQLITE_DONE, "step: {}", unsafe { errmsg(db) });
        unsafe { ffi::sqlite3_reset(self.0) };
    }
}

impl Drop for Stmt {
    fn drop(&mut self) {
        unsafe { ffi::sqlite3_finalize(self.0) };
    }
}

unsafe fn errmsg(db: *mut ffi::sqlite3) -> String {
    unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned()
}

/// Rows per second, one transaction each, every statement a direct call on this thread.
async fn diretto(conn: &mut SqliteConnection, righe: &[Riga]) -> f64 {
    let mut handle = conn.lock_handle().await.expect("lock_handle");
    let db = handle.as_raw_handle().as_ptr();
    // Safety: the locked handle guarantees sqlx's worker thread makes no call on `db` meanwhile.
    unsafe {
        let (begin, insert, commit) = (Stmt::new(db, "BEGIN"), Stmt::new(db, INSERISCI), Stmt::new(db, "COMMIT"));
        let t = Instant::now();
        for (k, r) in righe.iter().enumerate() {
            begin.run(db);
            ffi::sqlite3_bind_int64(insert.0, 1, k as i64 + 1);
            for (colonna, testo) in COLONNE_TESTO.iter().zip(&r.testi) {
                ffi::sqlite3_bind_text(
                    insert.0,
                    *colonna as c_int + 2,
                    testo.as_ptr().cast(),
                    testo.len() as c_int,
                    ffi::SQLITE_TRANSIENT(),
                );
            }
            ffi::sqlite3_bind_int64(insert.0, 4, r.numeri[0]);
            ffi::sqlite3_bind_int64(insert.0, 5, r.numeri[1]);
            insert.run(db);
            commit.run(db);
        }
        righe.len() as f64 / t.elapsed().as_secs_f64().max(1e-9)
    }
}

/// Rows per second, one transaction each, through sqlx's native SQLite driver.
async fn tramite_sqlx(conn: &mut SqliteConnection, righe: &[Riga]) -> f64 {
    let t = Instant::now();
    for (k, r) in righe.iter().enumerate() {
        let mut tx = conn.begin().await.expect("begin");
        let mut q = sqlx::query(INSERISCI).bind(k as i64 + 1);
        q = q.bind(&r.testi[0]).bind(&r.testi[1]).bind(r.numeri[0]).bind(r.numeri[1]);
        for testo in &r.testi[2..] {
            q = q.bind(testo);
        }
        q.execute(&mut *tx).await.expect("insert");
        tx.commit().await.expect("commit");
    }
    righe.len() as f64 / t.elapsed().as_secs_f64().max(1e-9)
}

/// (native sqlx, direct calls) in rows per second, the last `n` requests' rows.
pub async fn driver(db_url: &str, n: usize) -> (f64, f64) {
    let mut conn = SqliteConnection::connect(db_url).await.expect("sqlite");
    conn.execute(sqlx::raw_sql(server::infra::db::SQLITE_PRAGMAS)).await.expect("pragmas");
    conn.execute(TABELLA).await.expect("t");
    let righe: Vec<Riga> = sqlx::query(RIGHE)
        .bind(n as i64)
        .fetch_all(&mut conn)
        .await
        .expect("rows")
        .iter()
        .map(|r| Riga {
            testi: COLONNE_TESTO.iter().map(|&i| r.try_get::<String, _>(i).unwrap_or_default()).collect(),
            numeri: [r.try_get::<i64, _>(2).unwrap_or_default(), r.try_get::<i64, _>(3).unwrap_or_default()],
        })
        .collect();
    assert!(!righe.is_empty(), "misura del driver: nessuna richiesta nel database da copiare");
    let mut misure = (0.0, 0.0);
    // Every row must be there after each way, or the figure measured nothing.
    async fn tutte(conn: &mut SqliteConnection, n: usize) {
        let c: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bench_raw").fetch_one(&mut *conn).await.expect("n");
        assert_eq!(c as usize, n, "rows written");
        conn.execute("DELETE FROM bench_raw").await.expect("delete");
    }
    // Alternated twice, the best of each: the machine's noise is larger than one run's.
    for _ in 0..2 {
        misure.0 = f64::max(misure.0, tramite_sqlx(&mut conn, &righe).await);
        tutte(&mut conn, righe.len()).await;
        misure.1 = f64::max(misure.1, diretto(&mut conn, &righe).await);
        tutte(&mut conn, righe.len()).await;
    }
    conn.execute("DROP TABLE bench_raw").await.expect("drop");
    conn.close().await.expect("close");
    misure
}

/// The report: the three ways side by side, and what the direct calls would save.
pub async fn stampa(db_url: &str, n: usize) {
    let (any_per_s, _) = crate::base::grezzi(db_url, n).await;
    let (nativo, diretto) = driver(db_url, n).await;
    println!("\n## Il driver SQLite: la stessa riga in una transazione ciascuna ({n} righe, pragma del server)\n");
    println!("| via | righe al secondo | µs per riga |\n|---|---|---|");
    for (via, per_s) in [
        ("sqlx, driver Any (come il server), pool del server", any_per_s),
        ("sqlx, driver SQLite nativo, una connessione", nativo),
        ("chiamate dirette sul thread della connessione (`lock_handle`, opzione 2 del README)", diretto),
    ] {
        println!("| {via} | {per_s:.0} | {:.1} |", 1e6 / per_s.max(1e-9));
    }
    println!(
        "\n- chiamate dirette / driver Any: **{:.1}×**; ogni riga sono tre istruzioni (BEGIN, INSERT, COMMIT)",
        diretto / any_per_s.max(1e-9)
    );
}
