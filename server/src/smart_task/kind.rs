//! The contract of a Smart-Task kind: what it can act on, the facts it reads, its rules and
//! its effects. A kind implements [`SmartTaskKind`] with its own types in one file under
//! `kinds/`; the engine, the worker, the targets and the replay reach it through [`Examiner`],
//! which turns its facts and effects into the JSON stored in the decision's trace.

use super::engine::{Check, CommonFacts, Decision, RULESET, Snapshot, common_checks, incoherent};
use crate::error::{AppError, AppResult};
use crate::identity::access::User;
use crate::infra::audit::Deferred;
use crate::infra::db::Engine;
use crate::infra::db::exec::Exec;
use crate::infra::db::locks::LockKey;
use crate::infra::db::readers::Readers;
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::{FieldError, SubjectSummary, TargetView};
use shared::smart_task::{Answers, Kind};
use std::collections::BTreeMap;
use std::future::Future;

/// The stored request a decision is about.
pub struct RequestRow {
    pub id: i64,
    pub kind: Kind,
    pub contribuente_id: i64,
    pub oggetto: String,
    pub data_riferimento: NaiveDate,
}

/// What a kind's facts loader may use.
pub struct FactsCx<'a> {
    pub pool: &'a Readers,
    pub engine: Engine,
    pub req: &'a RequestRow,
    pub requester: &'a User,
    /// The requester is the contributor's legal representative on the reference date.
    pub rappresentante_legale: bool,
}

/// What a kind's list of targets may use: the subject acted for, already authorized.
pub struct TargetCx<'a> {
    pub pool: &'a Readers,
    pub kind: Kind,
    pub subject: &'a SubjectSummary,
    pub user: &'a User,
    pub today: NaiveDate,
}

/// What a kind's rules may read besides the request and its facts.
pub struct RuleCx<'a> {
    pub kind: Kind,
    pub common: &'a CommonFacts,
    pub params: &'a BTreeMap<String, String>,
}

/// A Smart-Task kind, with its own typed request, facts and effects.
pub trait SmartTaskKind: Send + Sync + 'static {
    /// The typed request (from `shared`'s file of the kind).
    type Request: Send + Sync;
    type Facts: Serialize + DeserializeOwned + Send + Sync;
    /// Serialised with a `tipo` tag, as stored in the trace.
    type Effect: Serialize + DeserializeOwned + Send + Sync;
    /// The `tipo` tag of the facts in the stored trace.
    const FACTS: &'static str;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Self::Request, Vec<FieldError>>;

    /// What a request of this kind can act on, from the subject's own data, with what INPS
    /// already knows about it and the answers it pre-fills.
    fn targets(&self, cx: &TargetCx<'_>) -> impl Future<Output = AppResult<Vec<TargetView>>> + Send;

    /// The facts snapshot (all the I/O of the examination).
    fn load(&self, cx: &FactsCx<'_>, r: &Self::Request) -> impl Future<Output = AppResult<Self::Facts>> + Send;

    /// The facts of several requests of this kind (a worker's batch), in their order. By
    /// default each is read with `load`, all at once; a kind whose facts fit one set query
    /// reads the whole batch with it.
    fn load_many(
        &self,
        items: &[(&FactsCx<'_>, &Self::Request)],
    ) -> impl Future<Output = Vec<AppResult<Self::Facts>>> + Send {
        futures_util::future::join_all(items.iter().map(|(cx, r)| self.load(cx, r)))
    }

    /// The kind's checks and, if they pass, its effects. Pure.
    fn rules(&self, r: &Self::Request, f: &Self::Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Self::Effect>);

    /// Whether `apply` gives a reason only before its first write (it checks, then writes; or
    /// its one write is conditional and wrote nothing): a decision with one such effect needs no
    /// savepoint to undo it, two statements fewer on the single writer for each request. False
    /// unless the kind's `apply` was written that way.
    const CHECKS_BEFORE_WRITING: bool = false;

    /// Applies one effect if its precondition still holds; `Ok(Err(reason))` when it does not.
    /// Its audit records go to `trail`, appended with the batch's in the same transaction.
    fn apply(
        &self,
        conn: &mut dyn Exec,
        trail: &mut Deferred,
        e: &Self::Effect,
    ) -> impl Future<Output = AppResult<Result<(), String>>> + Send;

    /// What `apply` reads or writes that another request's effects may change, as lock keys: on
    /// PostgreSQL a worker's batch whose effects all have keys runs beside the other batches but
    /// those with a key in common ([`Locks::Keys`](crate::infra::db::locks::Locks::Keys)). `None`, the default, runs the batch alone.
    /// A kind gives keys only when they cover every read of its `apply`: a read they miss could
    /// pass a check that a batch running beside it is making false.
    fn lock_keys(&self, _e: &Self::Effect) -> Option<Vec<LockKey>> {
        None
    }

    /// The day whose parameters the decision reads, when the kind takes it from an answer
    /// (kind 15: the threshold in force on the day the obligation arose); None: the request's date.
    fn parameters_date(&self, _r: &Self::Request) -> Option<NaiveDate> {
        None
    }

    /// The matricola the target belongs to, for the list filter (None for company-wide targets
    /// and for targets that are not the contributor's: theirs is never stored nor shown).
    fn matricola(
        &self,
        _pool: &Readers,
        _contribuente_id: i64,
        _r: &Self::Request,
    ) -> impl Future<Output = AppResult<Option<String>>> + Send {
        async { Ok(None) }
    }
}

/// The decision of a kind on typed inputs: the common checks, then the kind's. Pure.
pub fn decide<K: SmartTaskKind>(
    k: &K,
    kind: Kind,
    r: &K::Request,
    f: &K::Facts,
    common: &CommonFacts,
    params: &BTreeMap<String, String>,
) -> Decision {
    let mut checks = common_checks(common);
    let (own, effects) = k.rules(r, f, &RuleCx { kind, common, params });
    checks.extend(own);
    let effects = effects.iter().map(|e| serde_json::to_value(e).unwrap_or_default()).collect();
    Decision::from_checks(checks, effects, RULESET)
}

/// A kind as the engine sees it: typed inside, JSON at the trace's boundary.
#[async_trait::async_trait]
pub trait Examiner: Send + Sync {
    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>>;
    async fn matricola(
        &self,
        pool: &Readers,
        contribuente_id: i64,
        oggetto: &str,
        a: &Answers,
    ) -> AppResult<Option<String>>;
    /// The day whose parameters the decision reads (None: the request's date).
    fn parameters_date(&self, oggetto: &str, a: &Answers) -> Option<NaiveDate>;
    /// The kind's facts of several requests of this kind, in their order, as stored in the trace.
    async fn load_facts(&self, items: &[(FactsCx<'_>, &Answers)]) -> Vec<AppResult<serde_json::Value>>;
    /// The decision on a snapshot (at examination time or replayed later). Pure.
    fn decide(&self, kind: Kind, oggetto: &str, a: &Answers, s: &Snapshot) -> AppResult<Decision>;
    async fn apply(
        &self,
        conn: &mut dyn Exec,
        trail: &mut Deferred,
        effect: &serde_json::Value,
    ) -> AppResult<Result<(), String>>;
    /// [`SmartTaskKind::CHECKS_BEFORE_WRITING`].
    fn checks_before_writing(&self) -> bool;
    /// [`SmartTaskKind::lock_keys`] of a stored effect (`None` as well when it does not parse).
    fn lock_keys(&self, effect: &serde_json::Value) -> Option<Vec<LockKey>>;
}

fn stale(e: Vec<FieldError>) -> AppError {
    // Answers were validated at submission; a failure here is a technical inconsistency.
    AppError::Internal(format!("risposte non più valide: {e:?}"))
}

#[async_trait::async_trait]
impl<K: SmartTaskKind> Examiner for K {
    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        SmartTaskKind::targets(self, cx).await
    }

    async fn matricola(
        &self,
        pool: &Readers,
        contribuente_id: i64,
        oggetto: &str,
        a: &Answers,
    ) -> AppResult<Option<String>> {
        match self.parse(oggetto, a) {
            Ok(r) => SmartTaskKind::matricola(self, pool, contribuente_id, &r).await,
            Err(_) => Ok(None),
        }
    }

    fn parameters_date(&self, oggetto: &str, a: &Answers) -> Option<NaiveDate> {
        self.parse(oggetto, a).ok().and_then(|r| SmartTaskKind::parameters_date(self, &r))
    }

    async fn load_facts(&self, items: &[(FactsCx<'_>, &Answers)]) -> Vec<AppResult<serde_json::Value>> {
        // A request whose answers no longer parse fails alone; the others are read together.
        let parsed: Vec<AppResult<K::Request>> =
            items.iter().map(|(cx, a)| self.parse(&cx.req.oggetto, a).map_err(stale)).collect();
        let readable: Vec<(&FactsCx<'_>, &K::Request)> =
            items.iter().zip(&parsed).filter_map(|((cx, _), r)| r.as_ref().ok().map(|r| (cx, r))).collect();
        let mut loaded = self.load_many(&readable).await.into_iter();
        parsed
            .into_iter()
            .map(|r| {
                r?;
                let facts = loaded.next().ok_or_else(|| AppError::Internal("fatti mancanti".into()))??;
                let mut v = serde_json::to_value(&facts).map_err(|e| AppError::Internal(format!("fatti: {e}")))?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("tipo".into(), K::FACTS.into());
                }
                Ok(v)
            })
            .collect()
    }

    fn decide(&self, kind: Kind, oggetto: &str, a: &Answers, s: &Snapshot) -> AppResult<Decision> {
        let r = self.parse(oggetto, a).map_err(stale)?;
        let facts = (s.kind.get("tipo").and_then(|t| t.as_str()) == Some(K::FACTS))
            .then(|| serde_json::from_value::<K::Facts>(s.kind.clone()).ok())
            .flatten();
        Ok(match facts {
            Some(f) => decide(self, kind, &r, &f, &s.common, &s.parametri),
            None => {
                let mut checks = common_checks(&s.common);
                checks.push(incoherent());
                Decision::from_checks(checks, vec![], RULESET)
            }
        })
    }

    async fn apply(
        &self,
        conn: &mut dyn Exec,
        trail: &mut Deferred,
        effect: &serde_json::Value,
    ) -> AppResult<Result<(), String>> {
        let e: K::Effect = serde_json::from_value(effect.clone())
            .map_err(|e| AppError::Internal(format!("effetto illeggibile: {e}")))?;
        SmartTaskKind::apply(self, conn, trail, &e).await
    }

    fn checks_before_writing(&self) -> bool {
        K::CHECKS_BEFORE_WRITING
    }

    fn lock_keys(&self, effect: &serde_json::Value) -> Option<Vec<LockKey>> {
        let e: K::Effect = serde_json::from_value(effect.clone()).ok()?;
        SmartTaskKind::lock_keys(self, &e)
    }
}
