//! The examination of one prestazione under lock and its storage: the year's counters, the
//! special category, the forbidden pair, the parameters as of the day, the pure checks of
//! `shared::presto::limiti`, then the row and the wallet's debit in the same transaction.

use super::soggetti::Utilizzatore;
use crate::error::{AppError, AppResult};
use crate::infra::clock;
use chrono::NaiveTime;
use chrono::{Datelike, Duration, NaiveDate};
use shared::presto::{Contatori, NuovaPrestazioneFatti, controlli_prestazione};
use shared::presto::{Costo, FinalitaPa};
use shared::richiesta::{CheckView, Esito};
use shared::{CodiceFiscale, Euro};
use sqlx::{AnyConnection, Row};

/// What was typed, parsed for the user's instrument.
pub(crate) struct Input {
    pub prestatore_cf: CodiceFiscale,
    pub giorno: NaiveDate,
    pub inizio: Option<NaiveTime>,
    pub fine: Option<NaiveTime>,
    pub minuti: i64,
    pub titoli: Option<u32>,
    pub costo: Costo,
    pub luogo: Option<String>,
    pub oggetto: Option<String>,
    pub finalita_pa: Option<FinalitaPa>,
}

/// The outcome of the checks of one prestazione, read under the locks.
pub(crate) struct Esame {
    pub controlli: Vec<CheckView>,
    pub peso: Euro,
    pub revocabile_fino: NaiveDate,
}

impl Esame {
    pub fn ko(&self) -> Vec<&CheckView> {
        self.controlli.iter().filter(|c| c.esito != Esito::Ok).collect()
    }
}

/// Takes the user's and the prestatore's locks, always in this order (user, then prestatore):
/// no two entries can interleave on the same user or prestatore, and no cycle can form. Then
/// reads the year's counters and the parameters as of the day and runs every check.
pub(crate) async fn esamina(
    conn: &mut AnyConnection,
    u: &Utilizzatore,
    pid: i64,
    input: &Input,
    adesso: chrono::NaiveDateTime,
) -> AppResult<Esame> {
    let saldo: i64 =
        sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents WHERE id = $1 RETURNING saldo_cents")
            .bind(u.id)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    sqlx::query("UPDATE prestatori SET prestazioni_seq = prestazioni_seq + 1 WHERE id = $1")
        .bind(pid)
        .execute(&mut *conn)
        .await?;
    let par = super::parametri(conn, input.giorno).await?;
    let cont = contatori(conn, u.id, pid, i64::from(input.giorno.year())).await?;
    let prestatore_speciale = speciale(conn, pid, input.giorno).await?;
    let ultimo: Option<String> = sqlx::query(
        "SELECT MAX(COALESCE(al, '9999-12-31')) FROM rapporti_lavoro WHERE utilizzatore_id = $1 AND prestatore_id = $2 AND dal <= $3",
    )
    .bind(u.id)
    .bind(pid)
    .bind(input.giorno.to_string())
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    let ultimo_rapporto = ultimo.and_then(|d| clock::parse_date(&d)).map(|d| d.min(input.giorno));
    let fatti = NuovaPrestazioneFatti {
        strumento: u.strumento,
        categoria: u.categoria,
        dipendenti_centesimi: u.dipendenti_centesimi,
        giorno: input.giorno,
        inizio: input.inizio.map(|t| input.giorno.and_time(t)),
        minuti: input.minuti,
        titoli: input.titoli,
        costo: input.costo,
        adesso,
        saldo: Euro::from_cents(saldo),
        prestatore_speciale,
        ultimo_rapporto,
        finalita_pa: input.finalita_pa,
    };
    Ok(Esame {
        controlli: controlli_prestazione(&fatti, &cont, &par),
        peso: shared::presto::limiti::peso_limite(input.costo.compenso, prestatore_speciale, par.percentuale_speciali),
        revocabile_fino: input.giorno + Duration::days(par.revoca_giorni),
    })
}

/// Stores an examined prestazione and takes its cost from the wallet (same transaction).
pub(crate) async fn registra(
    conn: &mut AnyConnection,
    u: &Utilizzatore,
    pid: i64,
    input: &Input,
    esame: &Esame,
    user_id: Option<i64>,
) -> AppResult<i64> {
    let controlli_json = serde_json::to_string(&esame.controlli).map_err(|e| AppError::Internal(e.to_string()))?;
    let id: i64 = sqlx::query(
        "INSERT INTO prestazioni (utilizzatore_id, prestatore_id, strumento, anno, giorno, ora_inizio, ora_fine, minuti, titoli,
            compenso_cents, ivs_cents, inail_cents, oneri_cents, costo_cents, peso_limite_cents, luogo, oggetto, finalita_pa,
            stato, controlli_json, revocabile_fino, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'inserita', $19, $20, $21, $22)
         RETURNING id",
    )
    .bind(u.id)
    .bind(pid)
    .bind(u.strumento.code())
    .bind(i64::from(input.giorno.year()))
    .bind(input.giorno.to_string())
    .bind(input.inizio.map(|t| t.format("%H:%M").to_string()))
    .bind(input.fine.map(|t| t.format("%H:%M").to_string()))
    .bind(input.minuti)
    .bind(input.titoli.map(i64::from))
    .bind(input.costo.compenso.cents())
    .bind(input.costo.ivs.cents())
    .bind(input.costo.inail.cents())
    .bind(input.costo.oneri_gestione.cents())
    .bind(input.costo.totale.cents())
    .bind(esame.peso.cents())
    .bind(input.luogo.clone())
    .bind(input.oggetto.clone())
    .bind(input.finalita_pa.map(|f| f.code()))
    .bind(&controlli_json)
    .bind(esame.revocabile_fino.to_string())
    .bind(user_id)
    .bind(clock::now_ts())
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    // The balance check ran under the lock; the condition is a second guard.
    let moved =
        sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents - $1 WHERE id = $2 AND saldo_cents >= $1")
            .bind(input.costo.totale.cents())
            .bind(u.id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if moved != 1 {
        return Err(AppError::Conflict("Il saldo è cambiato durante l'inserimento: riprovare.".into()));
    }
    Ok(id)
}

async fn sum(conn: &mut AnyConnection, sql: &str, a: i64, b: Option<i64>, anno: i64) -> AppResult<(i64, i64)> {
    let mut q = sqlx::query(sql).bind(a).bind(anno);
    if let Some(b) = b {
        q = q.bind(b);
    }
    let r = q.fetch_one(&mut *conn).await?;
    Ok((r.try_get::<Option<i64>, _>(0)?.unwrap_or(0), r.try_get::<Option<i64>, _>(1)?.unwrap_or(0)))
}

/// The counters of the year, read inside the transaction that holds the locks.
pub(crate) async fn contatori(
    conn: &mut AnyConnection,
    utilizzatore: i64,
    prestatore: i64,
    anno: i64,
) -> AppResult<Contatori> {
    const LIVE: &str = "stato <> 'revocata'";
    let (p, _) = sum(
        conn,
        &format!("SELECT CAST(SUM(compenso_cents) AS BIGINT), CAST(0 AS BIGINT) FROM prestazioni WHERE prestatore_id = $1 AND anno = $2 AND {LIVE}"),
        prestatore,
        None,
        anno,
    )
    .await?;
    let (u, _) = sum(
        conn,
        &format!(
            "SELECT CAST(SUM(peso_limite_cents) AS BIGINT), CAST(0 AS BIGINT) FROM prestazioni WHERE utilizzatore_id = $1 AND anno = $2 AND {LIVE}"
        ),
        utilizzatore,
        None,
        anno,
    )
    .await?;
    let (c, m) = sum(conn, &format!("SELECT CAST(SUM(compenso_cents) AS BIGINT), CAST(SUM(minuti) AS BIGINT) FROM prestazioni WHERE utilizzatore_id = $1 AND anno = $2 AND prestatore_id = $3 AND {LIVE}"), utilizzatore, Some(prestatore), anno).await?;
    Ok(Contatori {
        prestatore: Euro::from_cents(p),
        utilizzatore_pesato: Euro::from_cents(u),
        coppia: Euro::from_cents(c),
        coppia_minuti: m,
    })
}

/// Whether the prestatore declared a special category valid on `giorno`.
pub(crate) async fn speciale(conn: &mut AnyConnection, prestatore: i64, giorno: NaiveDate) -> AppResult<bool> {
    let g = giorno.to_string();
    Ok(sqlx::query(
        "SELECT 1 FROM prestatori_categorie WHERE prestatore_id = $1 AND dal <= $2 AND (al IS NULL OR al >= $2)",
    )
    .bind(prestatore)
    .bind(&g)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}
