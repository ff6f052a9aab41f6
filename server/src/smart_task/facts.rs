//! Loads the facts snapshot a decision reads: the facts every kind shares and the parameters
//! in force on the reference date here (once for a worker's batch), the kind's own facts in its
//! file (all the I/O of the examination happens before the pure decision).

use super::engine::{CommonFacts, Snapshot};
use super::kind::{FactsCx, RequestRow};
use super::kinds::examiner;
use crate::error::{AppError, AppResult};
use crate::identity::access::{self, User};
use crate::infra::db::readers::Readers;
use crate::infra::db::{Db, dialect};
use chrono::NaiveDate;
use shared::dto::{AccessBasis, Stato};
use shared::smart_task::{Answers, Kind};
use sqlx::Row;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// Parameters in force on `date`: for each name, the value with the latest `valido_dal <= date`.
pub async fn parameters(pool: &Readers, date: NaiveDate) -> AppResult<BTreeMap<String, String>> {
    let day = date.format("%Y-%m-%d").to_string();
    let rows = sqlx::query(
        "SELECT p.nome, p.valore FROM parametri p
         WHERE p.valido_dal = (SELECT MAX(q.valido_dal) FROM parametri q WHERE q.nome = p.nome AND q.valido_dal <= $1)",
    )
    .bind(&day)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("nome")?, r.try_get("valore")?))).collect()
}

/// A parameter's dated values, oldest first.
pub async fn parameters_series(pool: &Readers, nome: &str) -> AppResult<Vec<(NaiveDate, String)>> {
    let rows = sqlx::query("SELECT valido_dal, valore FROM parametri WHERE nome = $1 ORDER BY valido_dal")
        .bind(nome)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let dal: String = r.try_get("valido_dal")?;
            let dal = crate::infra::clock::parse_date(&dal)
                .ok_or_else(|| AppError::Internal(format!("parametro {nome}: data {dal}")))?;
            Ok((dal, r.try_get("valore")?))
        })
        .collect()
}

/// One request of a batch whose facts are loaded.
pub struct Item<'a> {
    pub req: &'a RequestRow,
    pub requester: &'a User,
    pub answers: &'a Answers,
}

/// What the facts of a worker's batch share, read once for the whole batch with set queries:
/// the requester's title for each (requester, contributor, day), the open requests on the same
/// object for each request, the parameters for each day.
#[derive(Default)]
pub struct Shared {
    titoli: HashMap<(i64, i64, NaiveDate), Option<AccessBasis>>,
    aperte: HashMap<i64, i64>,
    parametri: HashMap<NaiveDate, BTreeMap<String, String>>,
}

impl Shared {
    pub async fn load(db: &Db, items: &[Item<'_>]) -> AppResult<Shared> {
        let pool = &db.read;
        let mut shared = Shared::default();
        if items.is_empty() {
            return Ok(shared);
        }
        // The titles with one query for each requester and day, whatever the number of companies.
        let mut asked: BTreeMap<(i64, NaiveDate), (&User, Vec<i64>)> = BTreeMap::new();
        for it in items {
            let (_, ids) = asked.entry((it.requester.id, it.req.data_riferimento)).or_insert((it.requester, vec![]));
            if !ids.contains(&it.req.contribuente_id) {
                ids.push(it.req.contribuente_id);
            }
        }
        for ((user_id, day), (user, ids)) in asked {
            let mut found = access::titles(pool, user, &ids, day).await?;
            for id in ids {
                shared.titoli.insert((user_id, id, day), found.remove(&id));
            }
        }
        for it in items {
            if let Entry::Vacant(slot) = shared.parametri.entry(parameters_day(it.req, it.answers)) {
                let day = *slot.key();
                slot.insert(parameters(pool, day).await?);
            }
        }
        let list = dialect::Params::new(db.engine).list(items.len());
        let sql = format!(
            "SELECT r.id, (SELECT COUNT(*) FROM richieste o
                           WHERE o.tipo = r.tipo AND o.oggetto = r.oggetto AND o.contribuente_id = r.contribuente_id
                             AND o.stato IN ({}) AND o.id < r.id) AS aperte
             FROM richieste r WHERE r.id IN ({list})",
            Stato::sql_list(|s| !s.is_final())
        );
        let mut q = sqlx::query(&sql);
        for it in items {
            q = q.bind(it.req.id);
        }
        for r in q.fetch_all(pool).await? {
            shared.aperte.insert(r.try_get("id")?, r.try_get("aperte")?);
        }
        Ok(shared)
    }
}

/// The day whose parameters a request's decision reads.
fn parameters_day(req: &RequestRow, answers: &Answers) -> NaiveDate {
    examiner(req.kind).parameters_date(&req.oggetto, answers).unwrap_or(req.data_riferimento)
}

/// The snapshots of a batch's requests of one kind, in their order: what they share with the
/// others from `shared`, the kind's own facts read together (`Examiner::load_facts`). A request
/// whose facts cannot be read fails alone.
pub async fn load_kind(db: &Db, kind: Kind, items: &[Item<'_>], shared: &Shared) -> Vec<AppResult<Snapshot>> {
    let examiner = examiner(kind);
    let common: Vec<AppResult<(CommonFacts, bool)>> = items.iter().map(|it| common_facts(it, shared)).collect();
    let cxs: Vec<(FactsCx<'_>, &Answers)> = items
        .iter()
        .zip(&common)
        .filter_map(|(it, c)| {
            let (_, rappresentante_legale) = c.as_ref().ok()?;
            let cx = FactsCx {
                pool: &db.read,
                engine: db.engine,
                req: it.req,
                requester: it.requester,
                rappresentante_legale: *rappresentante_legale,
            };
            Some((cx, it.answers))
        })
        .collect();
    let mut loaded = examiner.load_facts(&cxs).await.into_iter();
    items
        .iter()
        .zip(common)
        .map(|(it, c)| {
            let (common, _) = c?;
            let kind = loaded.next().ok_or_else(|| AppError::Internal("fatti mancanti".into()))??;
            let missing = || AppError::Internal(format!("parametri della richiesta {} non letti", it.req.id));
            let parametri = shared.parametri.get(&parameters_day(it.req, it.answers)).ok_or_else(missing)?.clone();
            let data_parametri = examiner.parameters_date(&it.req.oggetto, it.answers);
            Ok(Snapshot { common, kind, parametri, data_parametri })
        })
        .collect()
}

/// The facts every kind shares, from the batch's, and whether the requester is the
/// contributor's legal representative.
fn common_facts(it: &Item<'_>, shared: &Shared) -> AppResult<(CommonFacts, bool)> {
    let (req, requester) = (it.req, it.requester);
    let missing = || AppError::Internal(format!("fatti comuni della richiesta {} non letti", req.id));
    let titolo = shared.titoli.get(&(requester.id, req.contribuente_id, req.data_riferimento)).ok_or_else(missing)?;
    let aperte = *shared.aperte.get(&req.id).ok_or_else(missing)?;
    let common = CommonFacts {
        data_riferimento: req.data_riferimento,
        titolo_richiedente: titolo.as_ref().map(|b| match b {
            AccessBasis::RappresentanteLegale { ruolo } if ruolo == "titolare" => "titolare".to_string(),
            AccessBasis::RappresentanteLegale { .. } => "rappresentante legale".to_string(),
            AccessBasis::Delega { ruolo, .. } => format!("delegato ({ruolo})"),
        }),
        richieste_aperte_stesso_oggetto: aperte,
    };
    Ok((common, matches!(titolo, Some(AccessBasis::RappresentanteLegale { .. }))))
}
