//! The gradual activation of Smart-Task kinds (Msg. INPS 4583/2023): each kind is offered and
//! accepted from a day the head office sets (or schedules); before it, "in arrivo". Read from the
//! database at every submission, so a change applies on every replica without a restart.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use chrono::NaiveDate;
use shared::dto::{AttivazioneView, FieldError, ImpostaAttivazione};
use shared::smart_task::Kind;
use shared::smart_task::attivazione::{attivo, stato};
use sqlx::Row;
use std::collections::HashMap;

const ATTIVAZIONE: &str = "gestire l'attivazione dei tipi di Smart-Task";

/// A kind's stored activation.
struct Riga {
    attivo_dal: Option<NaiveDate>,
    nota: String,
    aggiornato_at: Option<String>,
    version: i64,
}

fn vista(kind: Kind, r: Option<&Riga>, oggi: NaiveDate) -> AttivazioneView {
    let dal = r.and_then(|r| r.attivo_dal);
    AttivazioneView {
        tipo: kind.code().into(),
        numero: kind.number(),
        descrizione: kind.label().into(),
        attivo_dal: dal.map(|d| d.format("%Y-%m-%d").to_string()),
        attivo: attivo(dal, oggi),
        stato: stato(dal, oggi),
        nota: r.map(|r| r.nota.clone()).unwrap_or_default(),
        aggiornato_at: r.and_then(|r| r.aggiornato_at.clone()),
        version: r.map_or(0, |r| r.version),
    }
}

fn riga(r: &sqlx::any::AnyRow) -> AppResult<Riga> {
    let dal: Option<String> = r.try_get("attivo_dal")?;
    Ok(Riga {
        attivo_dal: dal.as_deref().and_then(clock::parse_date),
        nota: r.try_get("nota")?,
        aggiornato_at: Some(r.try_get("aggiornato_at")?),
        version: r.try_get("version")?,
    })
}

impl Services {
    async fn righe_attivazione(&self) -> AppResult<HashMap<String, Riga>> {
        let rows = sqlx::query("SELECT tipo, attivo_dal, nota, aggiornato_at, version FROM smart_task_attivazioni")
            .fetch_all(&self.db.read)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("tipo")?, riga(r)?))).collect()
    }

    /// Every kind's activation as of today (kinds with no row are in arrivo).
    pub(crate) async fn attivazioni_oggi(&self) -> AppResult<HashMap<Kind, AttivazioneView>> {
        let righe = self.righe_attivazione().await?;
        let oggi = self.clock.today();
        Ok(Kind::ALL.iter().map(|&k| (k, vista(k, righe.get(k.code()), oggi))).collect())
    }

    /// A submission of a kind not active today is refused, saying from when it will be.
    pub(crate) async fn require_active(&self, kind: Kind) -> AppResult<()> {
        let dal: Option<String> = sqlx::query("SELECT attivo_dal FROM smart_task_attivazioni WHERE tipo = $1")
            .bind(kind.code())
            .fetch_optional(&self.db.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .flatten();
        let dal = dal.as_deref().and_then(clock::parse_date);
        let oggi = self.clock.today();
        if attivo(dal, oggi) {
            return Ok(());
        }
        let quando = match dal {
            Some(d) => format!("sarà disponibile in Smart-Task dal {}", shared::time::format_date_it(d)),
            None => "non è ancora disponibile in Smart-Task".to_string(),
        };
        Err(AppError::field(
            "tipo",
            format!(
                "La richiesta \"{}\" {quando}: fino ad allora usare una comunicazione bidirezionale.",
                kind.label()
            ),
            "not_active",
        ))
    }

    pub async fn attivazioni(&self, caller: &Caller) -> AppResult<Vec<AttivazioneView>> {
        self.require_admin(caller, ATTIVAZIONE)?;
        let mut all = self.attivazioni_oggi().await?;
        Ok(Kind::ALL.iter().filter_map(|k| all.remove(k)).collect())
    }

    /// Sets (or schedules, or withdraws) a kind's activation. Audited with before and after; the
    /// version read is a condition of the write.
    pub async fn imposta_attivazione(
        &self,
        caller: &Caller,
        tipo: &str,
        body: ImpostaAttivazione,
    ) -> AppResult<AttivazioneView> {
        let s = self.require_admin(caller, ATTIVAZIONE)?;
        let kind = Kind::from_code(tipo).ok_or_else(|| AppError::NotFound("Tipo di Smart-Task sconosciuto.".into()))?;
        let mut errors = vec![];
        let err = |f: &str, c: &str, m: &str| FieldError { field: f.into(), code: c.into(), message: m.into() };
        let dal = match body.attivo_dal.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => match shared::time::parse_date_it(d) {
                Some(d) => Some(d),
                None => {
                    errors.push(err(
                        "attivo_dal",
                        "format",
                        "La data deve essere nel formato gg/mm/aaaa, ad esempio 01/02/2027 (vuota: in arrivo).",
                    ));
                    None
                }
            },
        };
        let nota = body.nota.trim().to_string();
        if !(5..=1000).contains(&nota.chars().count()) {
            errors.push(err("nota", "length", "Indicare il motivo della modifica (da 5 a 1.000 caratteri)."));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let prima = sqlx::query(
            "SELECT tipo, attivo_dal, nota, aggiornato_at, version FROM smart_task_attivazioni WHERE tipo = $1",
        )
        .bind(kind.code())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| riga(&r))
        .transpose()?;
        let stale = || {
            AppError::Conflict(
                "L'attivazione è stata modificata da un altro amministratore dopo che l'ha aperta: ricarichi la pagina."
                    .into(),
            )
        };
        let dal_iso = dal.map(|d| d.format("%Y-%m-%d").to_string());
        let scritte = match &prima {
            Some(p) if p.version == body.version => sqlx::query(
                "UPDATE smart_task_attivazioni SET attivo_dal = $1, nota = $2, aggiornato_da = $3, aggiornato_at = $4,
                        version = version + 1 WHERE tipo = $5 AND version = $6",
            )
            .bind(&dal_iso)
            .bind(&nota)
            .bind(s.user.id)
            .bind(&now)
            .bind(kind.code())
            .bind(body.version)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            None if body.version == 0 => sqlx::query(
                "INSERT INTO smart_task_attivazioni (tipo, attivo_dal, nota, aggiornato_da, aggiornato_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(kind.code())
            .bind(&dal_iso)
            .bind(&nota)
            .bind(s.user.id)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            _ => 0,
        };
        if scritte != 1 {
            return Err(stale());
        }
        let oggi = self.clock.today();
        let riga_dopo =
            Riga { attivo_dal: dal, nota: nota.clone(), aggiornato_at: Some(now), version: body.version + 1 };
        let dopo = vista(kind, Some(&riga_dopo), oggi);
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "smart_task_attivazione",
                entity_id: kind.code().into(),
                action: "attivazione",
                before: prima.as_ref().map(|p| serde_json::json!({ "attivo_dal": p.attivo_dal, "version": p.version })),
                after: Some(serde_json::json!({ "attivo_dal": dal_iso, "stato": dopo.stato })),
                note: Some(nota),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(dopo)
    }
}
