//! What the kinds about a company's linked persons (12 contacts, 13 new relation, 14 end of a
//! relation) share: a relation as the examination reads it, the relations offered as targets,
//! whether the company has a position in being.

use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::readers::Readers;
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::TargetCx;
use crate::smart_task::targets::{it, target};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::dto::TargetView;
use shared::time::format_date_it;
use sqlx::Row;

/// A linked person's relation with the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relazione {
    pub relazione_id: i64,
    pub persona_id: i64,
    pub ruolo: String,
    pub rappresentante_legale: bool,
    /// Certified by the Chamber of Commerce (InfoCamere): changed there, not here.
    pub certificata: bool,
    pub dal: NaiveDate,
    pub al: Option<NaiveDate>,
    pub email: Option<String>,
    pub pec: Option<String>,
    pub telefono: Option<String>,
}

impl Relazione {
    pub fn attiva(&self, giorno: NaiveDate) -> bool {
        self.dal <= giorno && self.al.is_none_or(|a| giorno <= a)
    }
}

const RELAZIONE: &str = "SELECT k.id, k.persona_id, k.ruolo, k.rappresentante_legale, k.certificato, k.dal, k.al,
                                p.email, p.pec, p.telefono, p.nome, p.cognome
                         FROM soggetti_collegati k JOIN persone p ON p.id = k.persona_id";

fn relazione(r: &sqlx::any::AnyRow) -> AppResult<Relazione> {
    Ok(Relazione {
        relazione_id: r.try_get("id")?,
        persona_id: r.try_get("persona_id")?,
        ruolo: r.try_get("ruolo")?,
        rappresentante_legale: r.try_get::<i64, _>("rappresentante_legale")? != 0,
        certificata: r.try_get::<i64, _>("certificato")? != 0,
        dal: clock::stored_date(&r.try_get::<String, _>("dal")?)?,
        al: r.try_get::<Option<String>, _>("al")?.as_deref().map(clock::stored_date).transpose()?,
        email: r.try_get("email")?,
        pec: r.try_get("pec")?,
        telefono: r.try_get("telefono")?,
    })
}

/// The relation `id` if it is the contributor's (another's and a missing one read the same).
pub async fn load(pool: &Readers, contribuente_id: i64, id: i64) -> AppResult<Option<Relazione>> {
    let sql = format!("{RELAZIONE} WHERE k.id = $1 AND k.contribuente_id = $2");
    let r = sqlx::query(&sql).bind(id).bind(contribuente_id).fetch_optional(pool).await?;
    r.as_ref().map(relazione).transpose()
}

/// The contributor's relations in force today, with the person's name and role.
pub async fn targets(cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
    let sql = format!("{RELAZIONE} WHERE k.contribuente_id = $1 ORDER BY k.dal, k.id");
    let rows = sqlx::query(&sql).bind(cx.subject.id).fetch_all(cx.pool).await?;
    let mut out = vec![];
    for r in &rows {
        let rel = relazione(r)?;
        if !rel.attiva(cx.today) {
            continue;
        }
        let nome = format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?);
        let ruolo = rel.ruolo.replace('_', " ");
        let non_indicato = || "non indicato".to_string();
        out.push(target(
            rel.relazione_id,
            format!("{nome} – {ruolo} dal {}", format_date_it(rel.dal)),
            vec![
                ("Soggetto", nome),
                ("Ruolo", ruolo),
                ("In carica dal", it(&rel.dal.to_string())),
                ("Certificata dalla Camera di Commercio", if rel.certificata { "sì".into() } else { "no".into() }),
                ("E-mail", rel.email.clone().unwrap_or_else(non_indicato)),
                ("Telefono", rel.telefono.clone().unwrap_or_else(non_indicato)),
            ],
        ));
    }
    Ok(out)
}

/// Whether the company has a position in being (Attiva, Sospesa or Riattivata).
pub async fn posizione_attiva(pool: &Readers, contribuente_id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM posizioni WHERE contribuente_id = $1 AND stato IN (1, 4, 5)")
        .bind(contribuente_id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

pub fn check_posizione_attiva(rule: &Rule, attiva: bool) -> Check {
    rule.check(
        attiva,
        "L'azienda ha una posizione contributiva in essere.",
        "L'azienda non ha posizioni contributive in essere: i soggetti collegati si aggiornano con la posizione attiva.",
        serde_json::json!({ "posizione_attiva": attiva }),
    )
}

pub fn check_relazione(rule: &Rule, r: Option<&Relazione>) -> Check {
    rule.check(
        r.is_some(),
        "La relazione è dell'azienda.",
        "La relazione indicata non esiste o non è di questa azienda.",
        serde_json::json!({ "trovata": r.is_some() }),
    )
}

pub fn check_attiva(rule: &Rule, r: &Relazione, giorno: NaiveDate) -> Check {
    rule.check(
        r.attiva(giorno),
        format!("La relazione è in corso dal {}.", format_date_it(r.dal)),
        match r.al {
            Some(a) if a < giorno => format!("La relazione è cessata il {}.", format_date_it(a)),
            _ => format!("La relazione inizia il {}.", format_date_it(r.dal)),
        },
        serde_json::json!({ "dal": r.dal, "al": r.al, "data_riferimento": giorno }),
    )
}
