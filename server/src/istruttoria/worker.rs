//! The worker that decides queued requests. Several workers and replicas may run: a job is
//! claimed with a lease, and the decision, its effects, the job completion, audit and
//! notifications commit in one transaction, so a crash repeats the job but never an effect.

use super::facts::{self, RequestRow};
use super::{Check, Decision, Effect, Esito, Outcome, decide};
use crate::audit::{self, Actor, Entry};
use crate::auth;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::jobs;
use shared::smart_task::{self, Answers, Kind};
use sqlx::{AnyConnection, Row};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub const QUEUE: &str = "istruttoria";

/// Runs a worker until the process ends: takes jobs as they come (woken by `wake`), and polls
/// every half second for jobs enqueued by other replicas or left by a crashed worker.
pub fn spawn(db: Db, wake: Arc<Notify>) {
    let worker_id = format!("w-{}-{}", std::process::id(), auth::new_token().get(..8).unwrap_or("x"));
    tokio::spawn(async move {
        loop {
            match process_one(&db, &worker_id).await {
                Ok(true) => continue,
                Ok(false) => {
                    tokio::select! {
                        _ = wake.notified() => {}
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "istruttoria: errore del worker");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
}

/// Claims and decides one job. Returns whether there was one.
pub async fn process_one(db: &Db, worker: &str) -> AppResult<bool> {
    let Some(job) = jobs::claim(db, QUEUE, worker, chrono::Duration::seconds(60)).await? else { return Ok(false) };
    match decide_job(db, worker, &job).await {
        Ok(()) => {}
        Err(e) => {
            tracing::warn!(job = job.id, error = %e, "istruttoria non completata, sarà ritentata");
            jobs::fail(db, job.id, worker, job.attempts, &e.to_string()).await?;
        }
    }
    Ok(true)
}

async fn decide_job(db: &Db, worker: &str, job: &jobs::ClaimedJob) -> AppResult<()> {
    let id: i64 =
        job.payload.parse().map_err(|_| AppError::Internal(format!("payload non valido: {}", job.payload)))?;
    let r = sqlx::query(
        "SELECT id, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato, data_riferimento, protocollo
         FROM richieste WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.read)
    .await?;
    let stato: String = r.try_get("stato")?;
    if stato != "inviata" && stato != "in_istruttoria" {
        // Decided already (a previous attempt committed): just close the job.
        let mut tx = db.write.begin().await?;
        jobs::complete(&mut tx, job.id, worker).await?;
        tx.commit().await?;
        return Ok(());
    }
    let tipo: String = r.try_get("tipo")?;
    let kind = Kind::from_code(&tipo).ok_or_else(|| AppError::Internal(format!("tipo sconosciuto {tipo}")))?;
    let req = RequestRow {
        id,
        kind,
        contribuente_id: r.try_get("contribuente_id")?,
        oggetto: r.try_get("oggetto")?,
        data_riferimento: clock::parse_date(&r.try_get::<String, _>("data_riferimento")?)
            .ok_or_else(|| AppError::Internal("data di riferimento non valida".into()))?,
    };
    let protocollo: String = r.try_get("protocollo")?;
    let answers: Answers = serde_json::from_str(&r.try_get::<String, _>("risposte_json")?)
        .map_err(|e| AppError::Internal(format!("risposte: {e}")))?;
    let requester = auth::load_user(&db.read, r.try_get("richiedente_user_id")?)
        .await?
        .ok_or_else(|| AppError::Internal("richiedente inesistente".into()))?;
    // The examination's start is recorded with its outcome, in the same transaction: one write
    // transaction fewer per request (the single SQLite writer is the bottleneck), and the
    // timeline still shows when the examination began.
    let started = clock::now_ts();
    // Answers were validated at submission; a failure here is a technical inconsistency.
    let parsed = smart_task::parse(kind, &req.oggetto, &answers)
        .map_err(|e| AppError::Internal(format!("risposte non più valide: {e:?}")))?;
    let snapshot = facts::load(&db.read, &req, &requester, &parsed).await?;
    let mut decision = decide(kind, &parsed, &snapshot);

    let mut tx = db.write.begin().await?;
    let actor = Actor {
        user_id: None,
        name: "sistema:istruttoria".into(),
        acting_for_id: Some(req.contribuente_id),
        request_id: Some(protocollo.clone()),
    };
    if decision.outcome == Outcome::Accolta {
        for effect in decision.effects.clone() {
            if let Err(reason) = apply(&mut tx, &actor, &effect).await? {
                // The data changed after the facts were read: refuse, never apply twice.
                decision.checks.push(Check {
                    codice: "ST00.EFFETTO_APPLICABILE".into(),
                    descrizione: "I dati su cui la richiesta agisce non sono cambiati durante l'esame".into(),
                    esito: Esito::Ko,
                    motivo: reason,
                    riferimento: "Controllo di concorrenza".into(),
                    letti: serde_json::to_value(&effect).unwrap_or_default(),
                });
                decision.outcome = Outcome::NonAccolta;
                decision.effects.clear();
                tx.rollback().await?;
                tx = db.write.begin().await?;
                break;
            }
        }
    }
    let final_state = match decision.outcome {
        Outcome::Accolta => "accolta",
        Outcome::NonAccolta => "non_accolta",
        Outcome::InCaricoSede => "in_carico_sede",
    };
    let motivo = (decision.outcome != Outcome::Accolta).then(|| decision.motivi().join(" "));
    let trace = serde_json::json!({ "decisione": decision, "fatti": snapshot });
    sqlx::query(
        "UPDATE richieste SET stato = $1, esito_motivo = $2, ruleset = $3, decisione_json = $4, updated_at = $5, version = version + 1
         WHERE id = $6",
    )
    .bind(final_state)
    .bind(motivo.clone())
    .bind(&decision.ruleset)
    .bind(trace.to_string())
    .bind(clock::now_ts())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if stato == "inviata" {
        add_event_at(&mut tx, id, "in_istruttoria", None, &started).await?;
    }
    add_event(&mut tx, id, final_state, motivo.as_deref()).await?;
    notify(&mut tx, req.contribuente_id, id, &protocollo, kind, &decision).await?;
    audit::append(
        &mut tx,
        &actor,
        Entry {
            entity: "richiesta",
            entity_id: protocollo.clone(),
            action: "esito_istruttoria",
            before: Some(serde_json::json!({ "stato": stato })),
            after: Some(serde_json::json!({ "stato": final_state, "ruleset": decision.ruleset })),
            note: motivo,
        },
    )
    .await?;
    if !jobs::complete(&mut tx, job.id, worker).await? {
        // The lease expired and another worker owns the job now: let it decide.
        tx.rollback().await?;
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

/// Applies one effect if its precondition still holds; `Ok(Err(reason))` when it does not.
async fn apply(conn: &mut AnyConnection, actor: &Actor, effect: &Effect) -> AppResult<Result<(), String>> {
    let now = clock::now_ts();
    match effect {
        Effect::RevocaDelega { delega_id, dal } => {
            let dal = dal.format("%Y-%m-%d").to_string();
            let n = sqlx::query(
                "UPDATE deleghe SET revocata_dal = $1, updated_at = $2, version = version + 1
                 WHERE id = $3 AND revocata_dal IS NULL AND (data_fine IS NULL OR data_fine >= $1)",
            )
            .bind(&dal)
            .bind(&now)
            .bind(delega_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(Err(
                    "Nel frattempo la delega è stata revocata o è scaduta: la revoca non è stata applicata di nuovo."
                        .into(),
                ));
            }
            audit::append(
                conn,
                actor,
                Entry {
                    entity: "delega",
                    entity_id: delega_id.to_string(),
                    action: "revoca",
                    before: Some(serde_json::json!({ "revocata_dal": null })),
                    after: Some(serde_json::json!({ "revocata_dal": dal })),
                    note: None,
                },
            )
            .await?;
        }
        Effect::AggiornaPecAzienda { contribuente_id, pec } => {
            let before: Option<String> = sqlx::query("SELECT pec FROM contribuenti WHERE id = $1")
                .bind(contribuente_id)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
            if before.as_deref() == Some(pec.as_str()) {
                return Ok(Err("Nel frattempo la PEC è già stata aggiornata a questo indirizzo.".into()));
            }
            sqlx::query("UPDATE contribuenti SET pec = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                .bind(pec)
                .bind(&now)
                .bind(contribuente_id)
                .execute(&mut *conn)
                .await?;
            audit::append(
                conn,
                actor,
                Entry {
                    entity: "contribuente",
                    entity_id: contribuente_id.to_string(),
                    action: "variazione_pec",
                    before: Some(serde_json::json!({ "pec": before })),
                    after: Some(serde_json::json!({ "pec": pec })),
                    note: None,
                },
            )
            .await?;
        }
        Effect::AggiornaContattiIntermediario { intermediario_id, contatti } => {
            update_contacts(conn, actor, "intermediari", "intermediario", *intermediario_id, contatti, true).await?;
        }
        Effect::AggiornaContattiPersona { persona_id, contatti } => {
            update_contacts(conn, actor, "persone", "persona", *persona_id, contatti, false).await?;
        }
        Effect::CancellaContattoNotifica { contatto_id } => {
            let n = sqlx::query(
                "UPDATE contatti_notifica SET cancellato_il = $1, updated_at = $1, version = version + 1
                 WHERE id = $2 AND cancellato_il IS NULL",
            )
            .bind(&now)
            .bind(contatto_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(Err("Nel frattempo il contatto è già stato cancellato.".into()));
            }
            audit::append(
                conn,
                actor,
                Entry {
                    entity: "contatto_notifica",
                    entity_id: contatto_id.to_string(),
                    action: "cancellazione",
                    before: Some(serde_json::json!({ "cancellato_il": null })),
                    after: Some(serde_json::json!({ "cancellato_il": now })),
                    note: None,
                },
            )
            .await?;
        }
        Effect::RicalcolaNota { nota_id, versione, importo_prima_cents, importo_dopo_cents, esito } => {
            let stato = if esito == "annullata" { "annullata" } else { "attiva" };
            // Only from the version the facts were read on: a concurrent recomputation wins.
            let n = sqlx::query(
                "UPDATE note_rettifica SET importo_cents = $1, stato = $2, versione = versione + 1, updated_at = $3,
                        version = version + 1
                 WHERE id = $4 AND versione = $5 AND stato = 'attiva'",
            )
            .bind(importo_dopo_cents)
            .bind(stato)
            .bind(&now)
            .bind(nota_id)
            .bind(versione)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(Err(
                    "Nel frattempo la nota è stata ricalcolata o chiusa: il ricalcolo non è stato ripetuto.".into(),
                ));
            }
            sqlx::query(
                "INSERT INTO note_rettifica_versioni (nota_id, versione, esito, importo_prima_cents, importo_dopo_cents,
                                                      dettaglio_json, protocollo, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(nota_id)
            .bind(versione + 1)
            .bind(esito)
            .bind(importo_prima_cents)
            .bind(importo_dopo_cents)
            .bind(serde_json::json!({ "differenza_cents": importo_dopo_cents - importo_prima_cents }).to_string())
            .bind(actor.request_id.clone())
            .bind(&now)
            .execute(&mut *conn)
            .await?;
            audit::append(
                conn,
                actor,
                Entry {
                    entity: "nota_rettifica",
                    entity_id: nota_id.to_string(),
                    action: "ricalcolo",
                    before: Some(serde_json::json!({ "importo_cents": importo_prima_cents, "versione": versione })),
                    after: Some(serde_json::json!({ "importo_cents": importo_dopo_cents, "versione": versione + 1, "esito": esito, "stato": stato })),
                    note: None,
                },
            )
            .await?;
        }
        Effect::SpostaPagamento { pagamento_id, da, a, importo_cents, importo_pagamento_cents } => {
            let today = clock::today().format("%Y-%m-%d").to_string();
            let whole = importo_cents == importo_pagamento_cents;
            // Precondition: unused, still in `da`, same amount as read.
            let n = sqlx::query(
                "UPDATE pagamenti SET periodo_attribuito = CASE WHEN $1 = 1 THEN $2 ELSE periodo_attribuito END,
                        importo_cents = importo_cents - CASE WHEN $1 = 1 THEN 0 ELSE $3 END,
                        utilizzo = 'rettifica', rettificato_il = $4, updated_at = $5, version = version + 1
                 WHERE id = $6 AND utilizzo IS NULL AND periodo_attribuito = $7 AND importo_cents = $8",
            )
            .bind(whole as i64)
            .bind(a.key())
            .bind(importo_cents)
            .bind(&today)
            .bind(&now)
            .bind(pagamento_id)
            .bind(da.key())
            .bind(importo_pagamento_cents)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(Err(
                    "Nel frattempo il pagamento è stato usato o rettificato: la rettifica non è stata applicata."
                        .into(),
                ));
            }
            let mut nuovo: Option<i64> = None;
            if !whole {
                // The part moved becomes a line of its own, linked to the original.
                nuovo = Some(
                    sqlx::query(
                        "INSERT INTO pagamenti (contribuente_id, codice_fiscale_versante, matricola_indicata, posizione_id,
                                data_versamento, importo_cents, sede_codice, causale, periodo_indicato, periodo_attribuito,
                                utilizzo, rettificato_il, origine_id, created_at, updated_at)
                         SELECT contribuente_id, codice_fiscale_versante, matricola_indicata, posizione_id, data_versamento,
                                $1, sede_codice, causale, periodo_indicato, $2, 'rettifica', $3, id, $4, $4
                         FROM pagamenti WHERE id = $5 RETURNING id",
                    )
                    .bind(importo_cents)
                    .bind(a.key())
                    .bind(&today)
                    .bind(&now)
                    .bind(pagamento_id)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?,
                );
            }
            audit::append(
                conn,
                actor,
                Entry {
                    entity: "pagamento",
                    entity_id: pagamento_id.to_string(),
                    action: "rettifica_periodo",
                    before: Some(serde_json::json!({ "periodo_attribuito": da, "importo_cents": importo_pagamento_cents })),
                    after: Some(serde_json::json!({
                        "periodo_attribuito": if whole { a } else { da },
                        "importo_cents": if whole { *importo_pagamento_cents } else { importo_pagamento_cents - importo_cents },
                        "spostati_cents": importo_cents,
                        "verso": a,
                        "nuova_riga": nuovo,
                    })),
                    note: None,
                },
            )
            .await?;
        }
    }
    Ok(Ok(()))
}

/// Sets the contacts given (the others stay), with the before/after in the audit trail.
async fn update_contacts(
    conn: &mut AnyConnection,
    actor: &Actor,
    table: &'static str,
    entity: &'static str,
    id: i64,
    c: &shared::smart_task::Contatti,
    with_mobile: bool,
) -> AppResult<()> {
    let cols = if with_mobile { "email, pec, telefono, cellulare" } else { "email, pec, telefono" };
    let before_row =
        sqlx::query(&format!("SELECT {cols} FROM {table} WHERE id = $1")).bind(id).fetch_one(&mut *conn).await?;
    let mut before = serde_json::Map::new();
    for col in cols.split(", ") {
        before.insert(col.into(), serde_json::json!(before_row.try_get::<Option<String>, _>(col)?));
    }
    let email = c.email.as_ref().map(|e| e.as_str().to_string());
    let pec = c.pec.as_ref().map(|e| e.as_str().to_string());
    let telefono = c.telefono.as_ref().map(|t| t.as_str().to_string());
    let cellulare = c.cellulare.as_ref().map(|t| t.as_str().to_string());
    let mobile = if with_mobile { ", cellulare = COALESCE($4, cellulare)" } else { "" };
    let sql = format!(
        "UPDATE {table} SET email = COALESCE($1, email), pec = COALESCE($2, pec), telefono = COALESCE($3, telefono){mobile},
                updated_at = $5, version = version + 1 WHERE id = $6"
    );
    sqlx::query(&sql)
        .bind(email.clone())
        .bind(pec.clone())
        .bind(telefono.clone())
        .bind(cellulare.clone())
        .bind(clock::now_ts())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit::append(
        conn,
        actor,
        Entry {
            entity,
            entity_id: id.to_string(),
            action: "variazione_contatti",
            before: Some(serde_json::Value::Object(before)),
            after: Some(
                serde_json::json!({ "email": email, "pec": pec, "telefono": telefono, "cellulare": cellulare }),
            ),
            note: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn add_event(conn: &mut AnyConnection, id: i64, stato: &str, nota: Option<&str>) -> AppResult<()> {
    add_event_at(conn, id, stato, nota, &clock::now_ts()).await
}

async fn add_event_at(conn: &mut AnyConnection, id: i64, stato: &str, nota: Option<&str>, at: &str) -> AppResult<()> {
    sqlx::query("INSERT INTO richieste_eventi (richiesta_id, stato, nota, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(stato)
        .bind(nota.map(str::to_string))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// In-app notification for the contributor, and an e-mail to its PEC in the outbox (sent by a
/// separate sender so a mail failure never blocks a decision).
pub async fn queue_notification(
    conn: &mut AnyConnection,
    contribuente_id: i64,
    richiesta_id: i64,
    testo: &str,
    oggetto_email: &str,
    corpo: &str,
) -> AppResult<()> {
    let now = clock::now_ts();
    sqlx::query(
        "INSERT INTO notifiche (contribuente_id, richiesta_id, testo, letta, created_at) VALUES ($1, $2, $3, 0, $4)",
    )
    .bind(contribuente_id)
    .bind(richiesta_id)
    .bind(testo)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    let pec: Option<String> = sqlx::query("SELECT pec FROM contribuenti WHERE id = $1")
        .bind(contribuente_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    if let Some(to) = pec {
        sqlx::query(
            "INSERT INTO email_outbox (destinatario, oggetto, corpo, stato, tentativi, created_at, updated_at)
             VALUES ($1, $2, $3, 'da_inviare', 0, $4, $4)",
        )
        .bind(to)
        .bind(oggetto_email)
        .bind(corpo)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn notify(
    conn: &mut AnyConnection,
    contribuente_id: i64,
    id: i64,
    protocollo: &str,
    kind: Kind,
    d: &Decision,
) -> AppResult<()> {
    let testo = match d.outcome {
        Outcome::Accolta => format!("La richiesta {protocollo} ({}) è stata accolta.", kind.label()),
        Outcome::NonAccolta => format!("La richiesta {protocollo} ({}) non è stata accolta.", kind.label()),
        Outcome::InCaricoSede => {
            format!("La richiesta {protocollo} ({}) è passata alla sede per una verifica.", kind.label())
        }
    };
    let esito = match d.outcome {
        Outcome::Accolta => "accolta",
        Outcome::NonAccolta => "non accolta",
        Outcome::InCaricoSede => "in carico alla sede",
    };
    let mut corpo = format!("{testo}\n\nControlli eseguiti:\n");
    for c in &d.checks {
        corpo.push_str(&format!(
            "- {} [{}]: {}\n",
            c.descrizione,
            match c.esito {
                Esito::Ok => "OK",
                Esito::Ko => "KO",
                Esito::Verifica => "DA VERIFICARE",
            },
            c.motivo
        ));
    }
    queue_notification(
        conn,
        contribuente_id,
        id,
        &testo,
        &format!("INPS Smart-Task {protocollo}: richiesta {esito}"),
        &corpo,
    )
    .await
}
