//! Smart-Task requests: what a user may ask, submission (idempotent), list and detail.

use crate::access;
use crate::audit::{self, Actor, Entry};
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::istruttoria::worker::{self, QUEUE};
use crate::jobs;
use crate::services::{Caller, Services};
use chrono::Datelike;
use shared::Matricola;
use shared::dto::{
    CheckView, EventView, FieldError, KindView, RequestFilter, RequestPage, RequestView, STATI_RICHIESTA,
    SubjectSummary, SubmitRequest, stato_richiesta_label,
};
use shared::smart_task::{self, Kind};
use sqlx::Row;
use std::collections::HashMap;

pub(crate) fn kind_of(code: &str) -> AppResult<Kind> {
    Kind::from_code(code)
        .ok_or_else(|| AppError::field("tipo", format!("Tipo di richiesta sconosciuto: {code}."), "unknown"))
}

impl Services {
    /// The subject a call works on: the one given (API) or the one the session acts for; checked
    /// against the caller's rights today on every call.
    pub(crate) async fn subject(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<SubjectSummary> {
        let s = caller.require()?;
        let id = soggetto_id
            .or(s.acting_for_id)
            .ok_or_else(|| AppError::BadRequest("Scegliere prima il soggetto per cui operare.".into()))?;
        access::authorize_subject(&self.db.read, &s.user, id, clock::today()).await
    }

    pub async fn smart_task_kinds(&self, caller: &Caller) -> AppResult<Vec<KindView>> {
        access::require_company_role(&caller.require()?.user)?;
        Ok(Kind::ALL
            .into_iter()
            .map(|k| KindView {
                codice: k.code().into(),
                numero: k.number(),
                descrizione: k.label().into(),
                disponibile: k.implemented(),
            })
            .collect())
    }

    /// Stores the request and its examination job in one transaction and answers at once
    /// (state *Inviata*). The same `Idempotency-Key` from the same user returns the same request.
    pub async fn submit_smart_task(
        &self,
        caller: &Caller,
        body: SubmitRequest,
        idempotency_key: Option<String>,
    ) -> AppResult<RequestView> {
        let s = caller.require()?;
        let key = idempotency_key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        if let Some(k) = &key {
            if k.len() > 200 {
                return Err(AppError::BadRequest("Idempotency-Key troppo lunga (massimo 200 caratteri).".into()));
            }
            if let Some(existing) = self.request_by_key(s.user.id, k).await? {
                return self.request_view(caller, &existing).await;
            }
        }
        let kind = kind_of(&body.tipo)?;
        let subject = self.subject(caller, body.soggetto_id).await?;
        if !kind.implemented() {
            return Err(AppError::field(
                "tipo",
                format!(
                    "La richiesta \"{}\" non è ancora disponibile in Smart-Task: usare una comunicazione bidirezionale.",
                    kind.label()
                ),
                "not_available",
            ));
        }
        // Same parser as the browser form; PEC variation always targets the subject itself.
        let oggetto =
            if kind == Kind::VariazionePecAziendale { subject.id.to_string() } else { body.oggetto.trim().to_string() };
        let parsed = smart_task::parse(kind, &oggetto, &body.risposte).map_err(AppError::Validation)?;
        let matricola = self.matricola_of(&parsed).await?;
        let today = clock::today();
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let protocollo = next_protocol(&mut tx, "ST", today.year()).await?;
        let risposte = serde_json::to_string(&body.risposte).map_err(|e| AppError::Internal(e.to_string()))?;
        let inserted = sqlx::query(
            "INSERT INTO richieste (protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                                    data_riferimento, idempotency_key, created_at, updated_at, matricola)
             VALUES ($1, $2, $3, $4, $5, $6, 'inviata', $7, $8, $9, $9, $10) RETURNING id",
        )
        .bind(&protocollo)
        .bind(kind.code())
        .bind(subject.id)
        .bind(s.user.id)
        .bind(&oggetto)
        .bind(&risposte)
        .bind(today.format("%Y-%m-%d").to_string())
        .bind(key.clone())
        .bind(&now)
        .bind(matricola)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(r) => r.try_get(0)?,
            // A concurrent retry with the same key won the race: answer with its request.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && key.is_some() => {
                drop(tx);
                let k = key.unwrap_or_default();
                let existing = self
                    .request_by_key(s.user.id, &k)
                    .await?
                    .ok_or_else(|| AppError::Internal("idempotency race".into()))?;
                return self.request_view(caller, &existing).await;
            }
            Err(e) => return Err(e.into()),
        };
        worker::add_event(&mut tx, id, "inviata", None).await?;
        let testo = format!("La richiesta {protocollo} ({}) è stata ricevuta ed è in esame.", kind.label());
        worker::queue_notification(
            &mut tx,
            subject.id,
            id,
            &testo,
            &format!("INPS Smart-Task {protocollo}: richiesta ricevuta"),
            &format!("{testo}\n\nRiceverà un messaggio con l'esito e i controlli eseguiti."),
        )
        .await?;
        jobs::enqueue(&mut tx, QUEUE, &id.to_string()).await?;
        let actor = Actor {
            user_id: Some(s.user.id),
            name: s.user.username.clone(),
            acting_for_id: Some(subject.id),
            request_id: Some(caller.request_id.clone()),
        };
        audit::append(
            &mut tx,
            &actor,
            Entry {
                entity: "richiesta",
                entity_id: protocollo.clone(),
                action: "invio",
                before: None,
                after: Some(serde_json::json!({ "tipo": kind.code(), "oggetto": oggetto, "risposte": body.risposte })),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.wake.notify_one();
        self.request_view(caller, &protocollo).await
    }

    /// The matricola a request's target belongs to, for the list filter (None for company-wide
    /// targets such as a delega or the PEC).
    async fn matricola_of(&self, parsed: &smart_task::Parsed) -> AppResult<Option<String>> {
        use smart_task::Parsed::*;
        let (sql, id) = match parsed {
            CancellazioneContatto { contatto_id, .. } => (
                "SELECT p.matricola FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id WHERE c.id = $1",
                *contatto_id,
            ),
            RicalcoloNota { nota_id, .. } => (
                "SELECT p.matricola FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE n.id = $1",
                *nota_id,
            ),
            RettificaPagamento { pagamento_id, .. } => {
                ("SELECT matricola_indicata FROM pagamenti WHERE id = $1", *pagamento_id)
            }
            _ => return Ok(None),
        };
        Ok(sqlx::query(sql).bind(id).fetch_optional(&self.db.read).await?.map(|r| r.try_get(0)).transpose()?)
    }

    async fn request_by_key(&self, user_id: i64, key: &str) -> AppResult<Option<String>> {
        // Committed rows are visible to the WAL readers: no need to take the single writer.
        Ok(sqlx::query("SELECT protocollo FROM richieste WHERE richiedente_user_id = $1 AND idempotency_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&self.db.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// Requests of the subject, newest first, filtered and paged: one query for the count, one
    /// for the page, one for the page's events.
    pub async fn list_requests(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        filter: RequestFilter,
    ) -> AppResult<RequestPage> {
        let subject = self.subject(caller, soggetto_id).await?;
        self.requests_of(subject.id, filter).await
    }

    /// A page of a contributor's requests, for a caller already authorized to read them.
    pub(crate) async fn requests_of(&self, contribuente_id: i64, filter: RequestFilter) -> AppResult<RequestPage> {
        let f = ParsedFilter::parse(&filter)?;
        let mut conds = vec!["contribuente_id = $1".to_string()];
        let mut binds: Vec<String> = vec![];
        let mut push = |cond: &str, v: String| {
            binds.push(v);
            conds.push(cond.replace('?', &format!("${}", binds.len() + 1)));
        };
        if let Some(v) = f.stato {
            push("stato = ?", v);
        }
        if let Some(v) = f.tipo {
            push("tipo = ?", v);
        }
        if let Some(v) = f.matricola {
            push("matricola = ?", v);
        }
        if let Some(v) = f.dal {
            push("created_at >= ?", v);
        }
        if let Some(v) = f.al {
            push("created_at < ?", v);
        }
        if !f.oggetti.is_empty() {
            let first = binds.len() + 2;
            let list = (first..first + f.oggetti.len()).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
            conds.push(format!("oggetto IN ({list})"));
            binds.extend(f.oggetti);
        }
        let wh = conds.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM richieste WHERE {wh}");
        let mut q = sqlx::query(&count_sql).bind(contribuente_id);
        for b in &binds {
            q = q.bind(b);
        }
        let totale: i64 = q.fetch_one(&self.db.read).await?.try_get(0)?;
        let pagine = ((totale + PER_PAGINA as i64 - 1) / PER_PAGINA as i64).max(1) as u32;
        let pagina = filter.pagina.unwrap_or(1).clamp(1, pagine);
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM richieste WHERE {wh} ORDER BY created_at DESC, id DESC LIMIT {PER_PAGINA} OFFSET {}",
            (pagina - 1) * PER_PAGINA
        );
        let mut q = sqlx::query(&sql).bind(contribuente_id);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.db.read).await?;
        let ids = rows.iter().map(|r| r.try_get("id")).collect::<Result<Vec<i64>, _>>()?;
        let mut events = self.events_for(&ids).await?;
        let richieste = rows.iter().map(|r| to_view(r, &mut events)).collect::<AppResult<Vec<_>>>()?;
        Ok(RequestPage { richieste, pagina, pagine, per_pagina: PER_PAGINA, totale })
    }

    /// One request, if the caller submitted it or may act today for the subject it belongs to.
    pub async fn request_view(&self, caller: &Caller, protocollo: &str) -> AppResult<RequestView> {
        let s = caller.require()?;
        let r = sqlx::query(&format!("SELECT {REQUEST_COLUMNS} FROM richieste WHERE protocollo = $1"))
            .bind(protocollo)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(|| AppError::NotFound("Richiesta non trovata.".into()))?;
        // Whoever submitted a request may always read it, even after losing the delega (e.g. by
        // revoking their own): it is their act. Everyone else needs the right to act for the
        // company today.
        if r.try_get::<i64, _>("richiedente_user_id")? != s.user.id {
            access::authorize_subject(&self.db.read, &s.user, r.try_get("contribuente_id")?, clock::today()).await?;
        }
        let id: i64 = r.try_get("id")?;
        let mut events = self.events_for(&[id]).await?;
        let mut v = to_view(&r, &mut events)?;
        v.messaggi_sede = self.request_notes(id, true).await?;
        v.allegati = self.attachments(id).await?;
        Ok(v)
    }

    /// The timelines of several requests in one query, by request id.
    pub(crate) async fn events_for(&self, ids: &[i64]) -> AppResult<HashMap<i64, Vec<EventView>>> {
        let mut out: HashMap<i64, Vec<EventView>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let placeholders = (1..=ids.len()).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT richiesta_id, stato, at, nota FROM richieste_eventi WHERE richiesta_id IN ({placeholders}) ORDER BY id"
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for e in q.fetch_all(&self.db.read).await? {
            out.entry(e.try_get("richiesta_id")?).or_default().push(EventView {
                stato: e.try_get("stato")?,
                at: e.try_get("at")?,
                nota: e.try_get("nota")?,
            });
        }
        Ok(out)
    }
}

pub const PER_PAGINA: u32 = 20;

/// The next protocol number of the year, `PREFIX-AAAA-NNNNNNN` (one counter for all requests).
/// The row's UPDATE … RETURNING also serialises concurrent writers on PostgreSQL.
pub(crate) async fn next_protocol(conn: &mut sqlx::AnyConnection, prefix: &str, year: i32) -> AppResult<String> {
    let year = year as i64;
    sqlx::query("INSERT INTO protocolli (anno, ultimo) VALUES ($1, 0) ON CONFLICT (anno) DO NOTHING")
        .bind(year)
        .execute(&mut *conn)
        .await?;
    let n: i64 = sqlx::query("UPDATE protocolli SET ultimo = ultimo + 1 WHERE anno = $1 RETURNING ultimo")
        .bind(year)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    Ok(format!("{prefix}-{year}-{n:07}"))
}

/// A list filter whose values are valid; dates become the UTC bounds of Italian days.
struct ParsedFilter {
    stato: Option<String>,
    tipo: Option<String>,
    /// Two-way objects (`livello1/livello2`), any of which matches.
    oggetti: Vec<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
}

impl ParsedFilter {
    fn parse(f: &RequestFilter) -> AppResult<ParsedFilter> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let mut errors = vec![];
        let mut err = |field: &str, message: &str| {
            errors.push(FieldError { field: field.into(), code: "invalid".into(), message: message.into() });
        };
        let stato = given(&f.stato);
        if stato.as_deref().is_some_and(|s| !STATI_RICHIESTA.contains(&s)) {
            err("stato", "Stato sconosciuto.");
        }
        // A Smart-Task kind, all two-way requests, or two-way requests on one object:
        // `bidirezionale:<livello1>` (a group) or `bidirezionale:<livello1>/<livello2>`.
        let tipo = given(&f.tipo);
        let mut oggetti = vec![];
        if let Some(t) = tipo.as_deref() {
            match t.split_once(':') {
                Some((crate::comunicazioni::TIPO, o)) => {
                    oggetti = shared::dto::OGGETTI_BIDIREZIONALI
                        .iter()
                        .flat_map(|(c1, _, figli)| figli.iter().map(move |(c2, _)| format!("{c1}/{c2}")))
                        .filter(|code| code == o || code.split('/').next() == Some(o))
                        .collect();
                    if oggetti.is_empty() {
                        err("tipo", "Oggetto della richiesta sconosciuto.");
                    }
                }
                Some(_) => err("tipo", "Oggetto della richiesta sconosciuto."),
                None if Kind::from_code(t).is_none() && t != crate::comunicazioni::TIPO => {
                    err("tipo", "Oggetto della richiesta sconosciuto.")
                }
                None => {}
            }
        }
        let tipo = if oggetti.is_empty() { tipo } else { Some(crate::comunicazioni::TIPO.to_string()) };
        let matricola = match given(&f.matricola) {
            Some(m) => match Matricola::parse(&m) {
                Ok(m) => Some(m.as_str().to_string()),
                Err(e) => {
                    err("matricola", &format!("Matricola non valida. {e}"));
                    None
                }
            },
            None => None,
        };
        let mut day = |field: &str, v: Option<String>, next: bool| match v {
            None => None,
            Some(s) => match smart_task::parse_date_it(&s) {
                Some(d) => {
                    let d = if next { d.succ_opt().unwrap_or(d) } else { d };
                    Some(format!("{}Z", shared::time::rome_day_start_utc(d).format("%Y-%m-%dT%H:%M:%S%.6f")))
                }
                None => {
                    err(field, "La data deve essere nel formato gg/mm/aaaa, ad esempio 01/10/2026.");
                    None
                }
            },
        };
        let dal = day("dal", given(&f.dal), false);
        let al = day("al", given(&f.al), true);
        if let (Some(a), Some(b)) = (&dal, &al)
            && a >= b
        {
            err("al", "La data finale non può precedere quella iniziale.");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ParsedFilter { stato, tipo, oggetti, matricola, dal, al })
    }
}

pub(crate) const REQUEST_COLUMNS: &str = "id, protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato, \
     data_riferimento, esito_motivo, ruleset, decisione_json, created_at";

/// A stored request as the contributor sees it: the checks without the facts they read.
pub(crate) fn to_view(r: &sqlx::any::AnyRow, events: &mut HashMap<i64, Vec<EventView>>) -> AppResult<RequestView> {
    let id: i64 = r.try_get("id")?;
    let tipo: String = r.try_get("tipo")?;
    let stato: String = r.try_get("stato")?;
    let decisione: Option<String> = r.try_get("decisione_json")?;
    let controlli = decisione
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
        .and_then(|v| serde_json::from_value::<Vec<crate::istruttoria::Check>>(v["decisione"]["checks"].clone()).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|c| CheckView {
            codice: c.codice,
            descrizione: c.descrizione,
            esito: match c.esito {
                crate::istruttoria::Esito::Ok => "ok".into(),
                crate::istruttoria::Esito::Ko => "ko".into(),
                crate::istruttoria::Esito::Verifica => "verifica".into(),
            },
            motivo: c.motivo,
            riferimento: c.riferimento,
        })
        .collect();
    let two_way = tipo == crate::comunicazioni::TIPO;
    let oggetto: String = r.try_get("oggetto")?;
    Ok(RequestView {
        protocollo: r.try_get("protocollo")?,
        descrizione: if two_way {
            shared::dto::oggetto_bidirezionale_label(&oggetto).unwrap_or_default()
        } else {
            Kind::from_code(&tipo).map(|k| k.label().to_string()).unwrap_or_default()
        },
        tipo,
        smart_task: !two_way,
        soggetto_id: r.try_get("contribuente_id")?,
        oggetto,
        stato_label: stato_richiesta_label(&stato).into(),
        stato,
        data_riferimento: r.try_get("data_riferimento")?,
        inviata_il: r.try_get("created_at")?,
        risposte: serde_json::from_str(&r.try_get::<String, _>("risposte_json")?).unwrap_or_default(),
        motivo: r.try_get("esito_motivo")?,
        ruleset: r.try_get("ruleset")?,
        controlli,
        eventi: events.remove(&id).unwrap_or_default(),
        messaggi_sede: vec![],
        allegati: vec![],
    })
}
