//! The electronic wallet as its user sees it (balance, payments in, prestazioni, limits as used
//! and remaining), the prestatore's page, and funding by pagoPA (credited at once).

use super::prestazioni::{PRESTAZIONE_SQL, view_from_row};
use super::soggetti::{Prestatore, Utilizzatore};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use chrono::{Datelike, NaiveDate};
use rand::RngCore;
use shared::Euro;
use shared::dto::FieldError;
use shared::presto::views::{
    LimiteView, PagamentoPagoPa, PagamentoView, PaginaPrestatore, PortafoglioView, PrestazioneView, VersamentoView,
};
use shared::presto::{ModalitaPagamento, Strumento};
use sqlx::{AnyConnection, Row};

/// The day whose parameters a year's limits are shown with: today for this year, the last day
/// of a past year.
fn giorno_limiti(anno: i32) -> NaiveDate {
    let today = clock::today();
    if anno >= today.year() { today } else { NaiveDate::from_ymd_opt(anno, 12, 31).unwrap_or(today) }
}

fn anno_valido(anno: Option<i32>) -> AppResult<i32> {
    let this = clock::today().year();
    match anno {
        None => Ok(this),
        Some(a) if (2017..=this + 1).contains(&a) => Ok(a),
        Some(_) => Err(AppError::field("anno", "Anno non valido: dal 2017 all'anno prossimo.", "range")),
    }
}

fn euro_limite(codice: &str, etichetta: String, usato: i64, limite: Euro, nota: Option<String>) -> LimiteView {
    LimiteView { codice: codice.into(), etichetta, unita: "euro".into(), usato, limite: limite.cents(), nota }
}

pub(crate) async fn limiti_utilizzatore(
    conn: &mut AnyConnection,
    u: &Utilizzatore,
    anno: i32,
) -> AppResult<Vec<LimiteView>> {
    let par = super::parametri(conn, giorno_limiti(anno)).await?;
    let usato: Option<i64> = sqlx::query("SELECT CAST(SUM(peso_limite_cents) AS BIGINT) FROM prestazioni WHERE utilizzatore_id = $1 AND anno = $2 AND stato <> 'revocata'")
        .bind(u.id)
        .bind(i64::from(anno))
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let mut out = vec![euro_limite(
        "PO.LIMITE_UTILIZZATORE",
        "Compensi erogati a tutti i prestatori".into(),
        usato.unwrap_or(0),
        par.limite_utilizzatore_per(u.categoria),
        Some(format!("I compensi ai prestatori di categoria speciale contano al {} %.", par.percentuale_speciali)),
    )];
    let pairs = sqlx::query(
        "SELECT pp.cognome || ' ' || pp.nome AS nome, CAST(SUM(x.compenso_cents) AS BIGINT) AS compenso, CAST(SUM(x.minuti) AS BIGINT) AS minuti
         FROM prestazioni x JOIN prestatori pr ON pr.id = x.prestatore_id JOIN persone pp ON pp.id = pr.persona_id
         WHERE x.utilizzatore_id = $1 AND x.anno = $2 AND x.stato <> 'revocata'
         GROUP BY pp.cognome, pp.nome, pr.id ORDER BY pp.cognome, pp.nome, pr.id",
    )
    .bind(u.id)
    .bind(i64::from(anno))
    .fetch_all(&mut *conn)
    .await?;
    for r in pairs {
        let nome: String = r.try_get("nome")?;
        out.push(euro_limite(
            "PO.LIMITE_COPPIA",
            format!("Compensi a {nome}"),
            r.try_get::<Option<i64>, _>("compenso")?.unwrap_or(0),
            par.limite_coppia,
            None,
        ));
        out.push(LimiteView {
            codice: "PO.ORE_COPPIA".into(),
            etichetta: format!("Ore di lavoro di {nome}"),
            unita: "minuti".into(),
            usato: r.try_get::<Option<i64>, _>("minuti")?.unwrap_or(0),
            limite: par.ore_coppia * 60,
            nota: None,
        });
    }
    Ok(out)
}

pub(crate) async fn limiti_prestatore(
    conn: &mut AnyConnection,
    p: &Prestatore,
    anno: i32,
) -> AppResult<Vec<LimiteView>> {
    let par = super::parametri(conn, giorno_limiti(anno)).await?;
    let rows = sqlx::query(
        "SELECT COALESCE(c.ragione_sociale, pu.cognome || ' ' || pu.nome) AS nome, CAST(SUM(x.compenso_cents) AS BIGINT) AS compenso, CAST(SUM(x.minuti) AS BIGINT) AS minuti
         FROM prestazioni x JOIN utilizzatori u ON u.id = x.utilizzatore_id
         LEFT JOIN persone pu ON pu.id = u.persona_id LEFT JOIN contribuenti c ON c.id = u.contribuente_id
         WHERE x.prestatore_id = $1 AND x.anno = $2 AND x.stato <> 'revocata'
         GROUP BY c.ragione_sociale, pu.cognome, pu.nome, u.id ORDER BY u.id",
    )
    .bind(p.id)
    .bind(i64::from(anno))
    .fetch_all(&mut *conn)
    .await?;
    let mut totale = 0i64;
    let mut pairs = vec![];
    for r in rows {
        let c: i64 = r.try_get::<Option<i64>, _>("compenso")?.unwrap_or(0);
        totale = totale.saturating_add(c);
        let nome: String = r.try_get("nome")?;
        pairs.push(euro_limite("PO.LIMITE_COPPIA", format!("Compensi da {nome}"), c, par.limite_coppia, None));
    }
    let mut out = vec![euro_limite(
        "PO.LIMITE_PRESTATORE",
        "Compensi da tutti gli utilizzatori".into(),
        totale,
        par.limite_prestatore,
        None,
    )];
    out.extend(pairs);
    Ok(out)
}

/// The year's prestazioni of one user or prestatore (`column` = id), latest first.
async fn prestazioni_anno(
    conn: &mut AnyConnection,
    column: &str,
    id: i64,
    anno: i32,
) -> AppResult<Vec<PrestazioneView>> {
    sqlx::query(&format!(
        "{PRESTAZIONE_SQL} WHERE {column} = $1 AND x.anno = $2 ORDER BY x.giorno DESC, x.id DESC LIMIT 500"
    ))
    .bind(id)
    .bind(i64::from(anno))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(view_from_row)
    .collect()
}

pub(crate) fn versamento_view(r: &sqlx::any::AnyRow) -> AppResult<VersamentoView> {
    Ok(VersamentoView {
        id: r.try_get("id")?,
        canale: r.try_get("canale")?,
        riferimento: r.try_get("riferimento")?,
        codice_fiscale: r.try_get("codice_fiscale")?,
        causale: r.try_get("causale")?,
        anno: r.try_get("anno")?,
        importo: Euro::from_cents(r.try_get("importo_cents")?),
        data: r.try_get("data_versamento")?,
        stato: r.try_get("stato")?,
        motivo: r.try_get("motivo")?,
    })
}

pub(crate) const VERSAMENTO_COLUMNS: &str =
    "id, canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, stato, motivo";

impl Services {
    pub async fn portafoglio(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
        anno: Option<i32>,
    ) -> AppResult<PortafoglioView> {
        let anno = anno_valido(anno)?;
        let (_, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        self.portafoglio_di(&u, anno).await
    }

    pub(crate) async fn portafoglio_di(&self, u: &Utilizzatore, anno: i32) -> AppResult<PortafoglioView> {
        let mut conn = self.db.read.acquire().await?;
        let versamenti = sqlx::query(&format!(
            "SELECT {VERSAMENTO_COLUMNS} FROM versamenti WHERE utilizzatore_id = $1 ORDER BY data_versamento DESC, id DESC LIMIT 200"
        ))
        .bind(u.id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(versamento_view)
        .collect::<AppResult<Vec<_>>>()?;
        let prestazioni = prestazioni_anno(&mut conn, "x.utilizzatore_id", u.id, anno).await?;
        let limiti = limiti_utilizzatore(&mut conn, u, anno).await?;
        let saldo: i64 = sqlx::query("SELECT saldo_cents FROM utilizzatori WHERE id = $1")
            .bind(u.id)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        Ok(PortafoglioView {
            utilizzatore: u.view(),
            anno,
            saldo: Euro::from_cents(saldo),
            versamenti,
            prestazioni,
            limiti,
        })
    }

    pub async fn pagina_prestatore(&self, caller: &Caller, anno: Option<i32>) -> AppResult<PaginaPrestatore> {
        let anno = anno_valido(anno)?;
        let p = self.mio_prestatore(caller).await?;
        self.pagina_prestatore_di(&p, anno).await
    }

    pub(crate) async fn pagina_prestatore_di(&self, p: &Prestatore, anno: i32) -> AppResult<PaginaPrestatore> {
        let mut conn = self.db.read.acquire().await?;
        let prestazioni = prestazioni_anno(&mut conn, "x.prestatore_id", p.id, anno).await?;
        let mut pagamenti = vec![];
        for r in sqlx::query("SELECT mese, importo_cents, prestazioni, modalita, data_pagamento FROM pagamenti_prestatori WHERE prestatore_id = $1 ORDER BY mese DESC LIMIT 60")
            .bind(p.id)
            .fetch_all(&mut *conn)
            .await?
        {
            let m: String = r.try_get("modalita")?;
            pagamenti.push(PagamentoView {
                mese: r.try_get("mese")?,
                importo: Euro::from_cents(r.try_get("importo_cents")?),
                prestazioni: r.try_get("prestazioni")?,
                modalita: ModalitaPagamento::from_code(&m).ok_or_else(|| AppError::Internal(format!("modalità {m}")))?,
                data: r.try_get("data_pagamento")?,
            });
        }
        let limiti = limiti_prestatore(&mut conn, p, anno).await?;
        Ok(PaginaPrestatore { prestatore: p.view.clone(), anno, prestazioni, pagamenti, limiti })
    }

    /// A pagoPA payment (the receipt is simulated): credited at once.
    pub async fn pagopa(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
        req: PagamentoPagoPa,
    ) -> AppResult<VersamentoView> {
        let (s, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        let err = |code: &str, m: &str| {
            AppError::Validation(vec![FieldError { field: "importo".into(), code: code.into(), message: m.into() }])
        };
        let importo = Euro::parse_it(&req.importo).map_err(|e| err("format", &e.to_string()))?;
        if importo.cents() <= 0 || importo.cents() > 10_000_000 {
            return Err(err("range", "Indicare un importo maggiore di zero e non oltre 100.000,00 €."));
        }
        if u.strumento == Strumento::Lf && importo.cents() % 1000 != 0 {
            return Err(err(
                "multiplo_10",
                "Il Libretto Famiglia si alimenta con multipli di 10 € (un titolo vale 10 €).",
            ));
        }
        let mut iuv = [0u8; 9];
        rand::thread_rng().fill_bytes(&mut iuv);
        let riferimento = format!("PAGOPA-{}", hex::encode(iuv).to_uppercase());
        let causale = if u.strumento == Strumento::Lf { "LIFA" } else { "CLOC" };
        let today = self.clock.today();
        let mut tx = self.db.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO versamenti (canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, utilizzatore_id, stato, created_at)
             VALUES ('pagopa', $1, $2, $3, $4, $5, $6, $7, 'accreditato', $8) RETURNING id",
        )
        .bind(&riferimento)
        .bind(&u.codice_fiscale)
        .bind(causale)
        .bind(i64::from(today.year()))
        .bind(importo.cents())
        .bind(today.to_string())
        .bind(u.id)
        .bind(clock::now_ts())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2")
            .bind(importo.cents())
            .bind(u.id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            &caller.actor(&s),
            Entry {
                entity: "versamento",
                entity_id: id.to_string(),
                action: "accredito_pagopa",
                before: None,
                after: Some(serde_json::json!({"utilizzatore_id": u.id, "importo_cents": importo.cents(), "riferimento": riferimento})),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        let r = sqlx::query(&format!("SELECT {VERSAMENTO_COLUMNS} FROM versamenti WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.db.write)
            .await?;
        versamento_view(&r)
    }
}
