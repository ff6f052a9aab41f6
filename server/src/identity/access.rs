//! "Acting for": which companies a user may work on, and the check run on every request.
//!
//! A user may act for a contribuente when, today, they are its titolare / legal representative
//! (an active soggetto collegato relation) or hold a delega for the role their account has
//! (intermediario or dipendente) that has started, has not expired and has not been revoked.

use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::readers::Readers;
use chrono::NaiveDate;
use shared::Role;
use shared::dto::{AccessBasis, SubjectSummary};
use sqlx::Row;
use std::collections::HashMap;

/// The authenticated user, as loaded from the session on each request.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub persona_id: Option<i64>,
    pub sede_id: Option<i64>,
    pub regione: Option<String>,
}

fn d(s: &NaiveDate) -> String {
    s.format("%Y-%m-%d").to_string()
}

fn summary(r: &sqlx::any::AnyRow, basis: AccessBasis) -> AppResult<SubjectSummary> {
    Ok(SubjectSummary {
        id: r.try_get("id")?,
        ragione_sociale: r.try_get("ragione_sociale")?,
        codice_fiscale: r.try_get("codice_fiscale")?,
        partita_iva: r.try_get("partita_iva")?,
        basis,
    })
}

/// Roles that work in a company's Cassetto; everyone else is refused with the same message.
pub fn require_company_role(user: &User) -> AppResult<()> {
    if user.role.acts_for_company() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Il suo profilo non opera per conto di aziende nel Cassetto previdenziale.".into()))
    }
}

/// Every subject the user may act for today, by name.
pub async fn subjects_for(pool: &Readers, user: &User, today: NaiveDate) -> AppResult<Vec<SubjectSummary>> {
    subjects(pool, user, today, None).await
}

/// The caller's title on `today` for each of `subject_ids` that it may act for (the others are
/// missing): the check of [`authorize_subject`] for many companies in one query, as a worker's
/// batch of decisions reads it. A profile that does not act for companies has none.
pub async fn titles(
    pool: &Readers,
    user: &User,
    subject_ids: &[i64],
    today: NaiveDate,
) -> AppResult<HashMap<i64, AccessBasis>> {
    if subject_ids.is_empty() || require_company_role(user).is_err() {
        return Ok(HashMap::new());
    }
    Ok(subjects(pool, user, today, Some(subject_ids)).await?.into_iter().map(|s| (s.id, s.basis)).collect())
}

/// The same rule, optionally restricted to some subjects: the per-request check must not load
/// an intermediary's hundreds of clients to look at one. The restriction is on the title's own
/// column: on `c.id` PostgreSQL walked all of an intermediary's 5,000 delegations and looked each
/// up in the list (28 ms for a worker's batch of 64, against 0.8 ms).
async fn subjects(
    pool: &Readers,
    user: &User,
    today: NaiveDate,
    only: Option<&[i64]>,
) -> AppResult<Vec<SubjectSummary>> {
    let Some(persona_id) = user.persona_id else { return Ok(vec![]) };
    let today = d(&today);
    let mut out = Vec::new();
    match user.role {
        Role::Datore => {
            let sql = format!(
                "SELECT c.id, c.ragione_sociale, c.codice_fiscale, c.partita_iva, s.ruolo
                 FROM soggetti_collegati s JOIN contribuenti c ON c.id = s.contribuente_id
                 WHERE s.persona_id = $1 AND (s.rappresentante_legale = 1 OR s.ruolo = 'titolare')
                   AND s.dal <= $2 AND (s.al IS NULL OR s.al >= $2){}
                 ORDER BY c.ragione_sociale, c.id",
                only.map(|ids| format!(" AND s.contribuente_id IN ({})", dialect::numbered(3, ids.len())))
                    .unwrap_or_default()
            );
            let mut q = sqlx::query(&sql).bind(persona_id).bind(&today);
            for id in only.unwrap_or_default() {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(pool).await?;
            for r in rows {
                let basis = AccessBasis::RappresentanteLegale { ruolo: r.try_get("ruolo")? };
                out.push(summary(&r, basis)?);
            }
            out.dedup_by_key(|s| s.id);
        }
        role => {
            let Some(ruolo) = role.delega_role() else { return Ok(vec![]) };
            let sql = format!(
                "SELECT c.id, c.ragione_sociale, c.codice_fiscale, c.partita_iva, g.data_inizio, g.data_fine
                 FROM deleghe g JOIN contribuenti c ON c.id = g.contribuente_id
                 WHERE g.delegato_persona_id = $1 AND g.ruolo = $2
                   AND g.data_inizio <= $3 AND (g.data_fine IS NULL OR g.data_fine >= $3)
                   AND (g.revocata_dal IS NULL OR g.revocata_dal > $3){}
                 ORDER BY c.ragione_sociale, c.id",
                only.map(|ids| format!(" AND g.contribuente_id IN ({})", dialect::numbered(4, ids.len())))
                    .unwrap_or_default()
            );
            let mut q = sqlx::query(&sql).bind(persona_id).bind(ruolo).bind(&today);
            for id in only.unwrap_or_default() {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(pool).await?;
            for r in rows {
                let basis = AccessBasis::Delega {
                    ruolo: ruolo.into(),
                    inizio: r.try_get("data_inizio")?,
                    fine: r.try_get("data_fine")?,
                };
                out.push(summary(&r, basis)?);
            }
            out.dedup_by_key(|s| s.id);
        }
    }
    Ok(out)
}

/// The check every request acting for `subject_id` goes through. On refusal the message says why
/// in plain Italian (no delega, expired on…, revoked from…, not yet valid) and no data is returned.
pub async fn authorize_subject(
    pool: &Readers,
    user: &User,
    subject_id: i64,
    today: NaiveDate,
) -> AppResult<SubjectSummary> {
    require_company_role(user)?;
    if let Some(s) = subjects(pool, user, today, Some(&[subject_id])).await?.into_iter().next() {
        return Ok(s);
    }
    Err(AppError::Forbidden(refusal_reason(pool, user, subject_id, today).await?.unwrap_or_else(|| GENERIC.into())))
}

/// The same check for something found by its own key (a request by protocol): when the caller
/// never had a title for its company, the thing is "not found", exactly like one that does not
/// exist, so protocols cannot be probed either.
pub async fn authorize_subject_of(
    pool: &Readers,
    user: &User,
    subject_id: i64,
    today: NaiveDate,
    not_found: &str,
) -> AppResult<SubjectSummary> {
    require_company_role(user)?;
    if let Some(s) = subjects(pool, user, today, Some(&[subject_id])).await?.into_iter().next() {
        return Ok(s);
    }
    match refusal_reason(pool, user, subject_id, today).await? {
        Some(reason) => Err(AppError::Forbidden(reason)),
        None => Err(AppError::NotFound(not_found.into())),
    }
}

/// An unknown id, and a company the caller never had a title for, get the same answer: the reply
/// must not reveal which companies exist nor their names.
const GENERIC: &str =
    "Non risulta una delega valida a suo favore per il soggetto richiesto: non è possibile operare per suo conto.";

/// Why the caller may not act for the company, only when the caller once had a title for it
/// (a delega, or the role of legal representative): then naming it reveals nothing new.
async fn refusal_reason(pool: &Readers, user: &User, subject_id: i64, today: NaiveDate) -> AppResult<Option<String>> {
    let name: Option<String> = sqlx::query("SELECT ragione_sociale FROM contribuenti WHERE id = $1")
        .bind(subject_id)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    let (Some(name), Some(persona_id)) = (name, user.persona_id) else { return Ok(None) };
    if user.role == Role::Datore {
        let past: i64 = sqlx::query(
            "SELECT COUNT(*) FROM soggetti_collegati WHERE persona_id = $1 AND contribuente_id = $2
               AND (rappresentante_legale = 1 OR ruolo = 'titolare')",
        )
        .bind(persona_id)
        .bind(subject_id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
        return Ok((past > 0).then(|| format!(
            "Non risulta che lei sia titolare o rappresentante legale di {name} alla data odierna: non è possibile operare per suo conto."
        )));
    }
    let Some(ruolo) = user.role.delega_role() else { return Ok(None) };
    let last = sqlx::query(
        "SELECT data_inizio, data_fine, revocata_dal FROM deleghe
         WHERE delegato_persona_id = $1 AND contribuente_id = $2 AND ruolo = $3
         ORDER BY data_inizio DESC, id DESC",
    )
    .bind(persona_id)
    .bind(subject_id)
    .bind(ruolo)
    .fetch_all(pool)
    .await?;
    let Some(row) = last.first() else { return Ok(None) };
    let inizio: String = row.try_get("data_inizio")?;
    let fine: Option<String> = row.try_get("data_fine")?;
    let revocata: Option<String> = row.try_get("revocata_dal")?;
    let pretty = shared::time::format_date_text_it;
    if let Some(r) = revocata.filter(|r| clock::parse_date(r).is_some_and(|r| r <= today)) {
        return Ok(Some(format!(
            "La delega per {name} è stata revocata con effetto dal {}: non è possibile operare per suo conto.",
            pretty(&r)
        )));
    }
    if let Some(f) = fine.filter(|f| clock::parse_date(f).is_some_and(|f| f < today)) {
        return Ok(Some(format!(
            "La delega per {name} è scaduta il {}: non è possibile operare per suo conto.",
            pretty(&f)
        )));
    }
    if clock::parse_date(&inizio).is_some_and(|i| i > today) {
        return Ok(Some(format!("La delega per {name} sarà valida dal {}.", pretty(&inizio))));
    }
    Ok(None)
}
