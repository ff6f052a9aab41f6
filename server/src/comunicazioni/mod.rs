//! Comunicazioni bidirezionali (Msg. INPS 16719/2009): a free request of a contributor (or its
//! intermediary) to its branch, with an object from a two-level list, text, reply contacts and
//! up to three attachments. Stored as a request of its own kind next to the Smart-Task ones, so
//! the same list, detail, notifications and Fascicolo show it.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::richieste::conversation::{self, MAX_TESTO, MAX_TESTO_IT};
use crate::richieste::limiti::Flusso;
use crate::richieste::protocol::next_protocol;
use crate::richieste::soggetto::Soggetto;
use crate::richieste::{notifications::queue_notification, timeline::add_event};
use crate::services::Services;
use base64::Engine as _;
use chrono::Datelike;
use sha2::{Digest, Sha256};
use shared::dto::{AllegatoBytes, FieldError, NuovaComunicazione, RequestView, Stato, oggetto_bidirezionale_label};
use shared::{Email, Telefono};
use sqlx::Row;

use crate::richieste::attachments::{safe_name, sniff};
/// `richieste.tipo` of a two-way request.
pub use shared::comunicazioni::TIPO;
pub use shared::dto::{ALLEGATI_MAX as MAX_ALLEGATI, ALLEGATO_MAX_BYTES as MAX_BYTES};

struct Allegato {
    nome: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

fn field(errors: &mut Vec<FieldError>, f: &str, code: &str, m: impl Into<String>) {
    errors.push(FieldError { field: f.into(), code: code.into(), message: m.into() });
}

/// A two-way request whose fields are valid, with its attachments read and recognised.
struct Valida {
    oggetto: String,
    testo: String,
    email: Option<String>,
    telefono: Option<String>,
    allegati: Vec<Allegato>,
}

/// Checks every field of the form; all the errors at once, in the form's order.
/// A person (prestazioni occasionali user) writes only about prestazioni occasionali.
fn validate(
    body: &NuovaComunicazione,
    files: Vec<AllegatoBytes>,
    mut errors: Vec<FieldError>,
    persona: bool,
) -> AppResult<Valida> {
    let oggetto = body.oggetto.trim().to_string();
    if oggetto_bidirezionale_label(&oggetto).is_none() || (persona && !shared::comunicazioni::oggetto_presto(&oggetto))
    {
        field(&mut errors, "oggetto", "invalid", "Scegliere l'oggetto della richiesta dall'elenco.");
    }
    let testo = body.testo.trim().to_string();
    let n = testo.chars().count();
    if !(10..=MAX_TESTO).contains(&n) {
        field(
            &mut errors,
            "testo",
            if n < 10 { "too_short" } else { "too_long" },
            format!("Descrivere la richiesta in almeno 10 e al massimo {MAX_TESTO_IT} caratteri (ora {n})."),
        );
    }
    let email = match body.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => match Email::parse(e) {
            Ok(e) => Some(e.as_str().to_string()),
            Err(err) => {
                field(&mut errors, "email", err.code(), format!("E-mail non valida. {err}"));
                None
            }
        },
        None => None,
    };
    let telefono = match body.telefono.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => match Telefono::parse(t) {
            Ok(t) => Some(t.as_str().to_string()),
            Err(err) => {
                field(&mut errors, "telefono", err.code(), format!("Telefono non valido. {err}"));
                None
            }
        },
        None => None,
    };
    if body.email.as_deref().is_none_or(|e| e.trim().is_empty())
        && body.telefono.as_deref().is_none_or(|t| t.trim().is_empty())
    {
        field(&mut errors, "email", "empty", "Indicare un'e-mail o un telefono per la risposta.");
    }
    if files.len() > MAX_ALLEGATI {
        field(
            &mut errors,
            "allegati",
            "too_many",
            format!("Sono ammessi al massimo {MAX_ALLEGATI} allegati (ne sono stati inviati {}).", files.len()),
        );
    }
    let allegati = check_attachments(files, &mut errors);
    if !errors.is_empty() {
        // In the order of the form, so the page's summary reads top to bottom.
        let rank =
            |f: &str| ["oggetto", "testo", "email", "telefono", "allegati"].iter().position(|p| f.starts_with(p));
        errors.sort_by_key(|e| rank(&e.field));
        return Err(AppError::Validation(errors));
    }
    Ok(Valida { oggetto, testo, email, telefono, allegati })
}

/// The files within the limits, recognised by their content; an error for each refused one.
fn check_attachments(files: Vec<AllegatoBytes>, errors: &mut Vec<FieldError>) -> Vec<Allegato> {
    let mut allegati = vec![];
    for (i, a) in files.into_iter().enumerate().take(MAX_ALLEGATI) {
        let name = format!("allegati[{i}]");
        if errors.iter().any(|e| e.field == name) {
            continue;
        }
        let Some(nome) = safe_name(&a.nome) else {
            field(errors, &name, "name", format!("L'allegato {} non ha un nome valido.", i + 1));
            continue;
        };
        let bytes = a.bytes;
        if bytes.is_empty() || bytes.len() > MAX_BYTES {
            field(
                errors,
                &name,
                if bytes.is_empty() { "empty" } else { "too_large" },
                if bytes.is_empty() {
                    format!("{nome}: il file è vuoto.")
                } else {
                    shared::comunicazioni::allegato_troppo_grande(&nome)
                },
            );
            continue;
        }
        match sniff(&bytes) {
            Some((ct, _)) => allegati.push(Allegato { nome, content_type: ct, bytes }),
            None => field(
                errors,
                &name,
                "type",
                format!("{nome}: tipo di file non ammesso. Sono ammessi PDF, JPEG, PNG e ZIP."),
            ),
        }
    }
    allegati
}

/// Stores the attachments of request `id`; their names, for the audit record.
async fn store_attachments(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    allegati: &[Allegato],
    now: &str,
) -> AppResult<Vec<String>> {
    let mut names = vec![];
    for a in allegati {
        sqlx::query(
            "INSERT INTO allegati (richiesta_id, nome, content_type, dimensione, sha256, contenuto_b64, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&a.nome)
        .bind(a.content_type)
        .bind(a.bytes.len() as i64)
        .bind(hex::encode(Sha256::digest(&a.bytes)))
        .bind(base64::engine::general_purpose::STANDARD.encode(&a.bytes))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        names.push(a.nome.clone());
    }
    Ok(names)
}

impl Services {
    /// The API's form: attachments in base64, decoded here (bounded before decoding).
    pub async fn submit_two_way(&self, caller: &Caller, mut body: NuovaComunicazione) -> AppResult<RequestView> {
        self.within_submission_rate(caller.require()?.user.id, Flusso::Comunicazioni).await?;
        let mut errors = vec![];
        let mut files = vec![];
        for (i, a) in std::mem::take(&mut body.allegati).into_iter().enumerate() {
            let name = format!("allegati[{i}]");
            let shown = safe_name(&a.nome).unwrap_or_else(|| format!("L'allegato {}", i + 1));
            // Decoded size is bounded before decoding: base64 is 4 characters per 3 bytes.
            let bytes = if i >= MAX_ALLEGATI {
                vec![]
            } else if a.contenuto_base64.len() > MAX_BYTES / 3 * 4 + 8 {
                field(&mut errors, &name, "too_large", shared::comunicazioni::allegato_troppo_grande(&shown));
                vec![]
            } else {
                base64::engine::general_purpose::STANDARD.decode(a.contenuto_base64.trim()).unwrap_or_else(|_| {
                    field(&mut errors, &name, "format", format!("{shown}: il contenuto non è in base64 valido."));
                    vec![]
                })
            };
            files.push(AllegatoBytes { nome: a.nome, bytes });
        }
        self.register_two_way(caller, body, files, errors).await
    }

    /// Checks and registers a two-way request. `errors` holds what the transport already found
    /// wrong with some attachments (those are not checked again).
    pub async fn register_two_way(
        &self,
        caller: &Caller,
        body: NuovaComunicazione,
        files: Vec<AllegatoBytes>,
        errors: Vec<FieldError>,
    ) -> AppResult<RequestView> {
        let s = caller.require()?;
        let soggetto = self.request_subject(caller, body.soggetto_id).await?;
        // A person's request goes to the sede of its registration; a company's follows the company.
        let sede_persona = match soggetto {
            Soggetto::Persona(_) => Some(self.sede_assistenza_presto(&s.user).await?),
            Soggetto::Contribuente(_) => None,
        };
        let Valida { oggetto, testo, email, telefono, allegati } =
            validate(&body, files, errors, sede_persona.is_some())?;

        let today = self.clock.today();
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        self.allowance(Flusso::Comunicazioni).take(&mut *tx, s.user.id).await?;
        let protocollo = next_protocol(&mut *tx, "CB", today.year()).await?;
        // Same shape as a Smart-Task's answers (text values only), so every reader can show them.
        let mut risposte = std::collections::BTreeMap::new();
        risposte.insert("testo", testo.clone());
        if let Some(e) = &email {
            risposte.insert("email", e.clone());
        }
        if let Some(t) = &telefono {
            risposte.insert("telefono", t.clone());
        }
        let risposte = serde_json::to_value(&risposte).map_err(|e| AppError::Internal(e.to_string()))?;
        let id: i64 = sqlx::query(
            "INSERT INTO richieste (protocollo, tipo, contribuente_id, persona_id, sede_id, richiedente_user_id, oggetto,
                                    risposte_json, stato, data_riferimento, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'aperta', $9, $10, $10) RETURNING id",
        )
        .bind(&protocollo)
        .bind(TIPO)
        .bind(soggetto.contribuente())
        .bind(sede_persona.map(|_| soggetto.id()))
        .bind(sede_persona)
        .bind(s.user.id)
        .bind(&oggetto)
        .bind(risposte.to_string())
        .bind(today.format("%Y-%m-%d").to_string())
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        add_event(&mut tx, id, Stato::Aperta.code(), None).await?;
        let names = store_attachments(&mut tx, id, &allegati, &now).await?;
        let mut actor = caller.actor(s);
        actor.acting_for_id = soggetto.contribuente();
        audit::append(
            &mut tx,
            &actor,
            Entry {
                after: Some(serde_json::json!({ "oggetto": oggetto, "allegati": names, "sede_id": sede_persona })),
                ..Entry::richiesta(&protocollo, "invio_bidirezionale")
            },
        )
        .await?;
        let label = oggetto_bidirezionale_label(&oggetto).unwrap_or_default();
        let testo_notifica = format!("La richiesta {protocollo} ({label}) è stata registrata e inviata alla sede.");
        queue_notification(
            &mut tx,
            soggetto,
            id,
            &testo_notifica,
            &format!("INPS {protocollo}: richiesta registrata"),
            &testo_notifica,
        )
        .await?;
        tx.commit().await?;
        self.request_view(caller, &protocollo).await
    }

    /// A follow-up message of the contributor on an open two-way request (e.g. the answer to a
    /// question of the branch). Writing needs the right to act for the company today, even for
    /// whoever opened the request; the version is bumped so an operator working on a page read
    /// before the message cannot close the request without seeing it.
    pub async fn add_message(&self, caller: &Caller, protocollo: &str, testo: &str) -> AppResult<RequestView> {
        let s = caller.require()?;
        let r = sqlx::query(
            "SELECT id, tipo, stato, contribuente_id, persona_id, version FROM richieste WHERE protocollo = $1",
        )
        .bind(protocollo)
        .fetch_optional(&self.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("Richiesta non trovata.".into()))?;
        let soggetto = Soggetto::of_row(&r)?;
        self.authorize_request_subject(&s.user, soggetto, "Richiesta non trovata.").await?;
        if r.try_get::<String, _>("tipo")? != TIPO {
            return Err(AppError::Conflict(
                "Si possono aggiungere messaggi solo alle comunicazioni bidirezionali.".into(),
            ));
        }
        let stato = crate::richieste::view::stato_of(&r)?;
        if stato == Stato::Chiusa {
            return Err(AppError::Conflict(
                "La richiesta è chiusa: per un nuovo argomento apra una nuova comunicazione.".into(),
            ));
        }
        let testo = conversation::testo(testo, "testo", 2)?;
        let id: i64 = r.try_get("id")?;
        let version: i64 = r.try_get("version")?;
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let letta = conversation::Letta { id, version, stato };
        let conflict =
            "Nel frattempo la richiesta è cambiata: ricarichi la pagina e riprovi (il testo è ancora nel modulo).";
        conversation::bump_version(&mut tx, &letta, &now, conflict).await?;
        conversation::add_message(&mut tx, id, s.user.id, &testo, conversation::Autore::Contribuente, &now).await?;
        let mut actor = caller.actor(s);
        actor.acting_for_id = soggetto.contribuente();
        audit::append(
            &mut tx,
            &actor,
            Entry {
                before: Some(serde_json::json!({ "stato": stato, "version": version })),
                after: Some(serde_json::json!({ "testo": testo })),
                ..Entry::richiesta(protocollo, "messaggio_contribuente")
            },
        )
        .await?;
        tx.commit().await?;
        self.request_view(caller, protocollo).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|t| t.0), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|t| t.0), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").map(|t| t.0), Some("image/png"));
        assert_eq!(sniff(b"PK\x03\x04....").map(|t| t.0), Some("application/zip"));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None, "Windows executables are refused");
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_name("C:\\Users\\a\\F24 marzo.pdf").as_deref(), Some("F24 marzo.pdf"));
        assert_eq!(safe_name(".htaccess").as_deref(), Some("htaccess"));
        assert_eq!(safe_name("a\u{0}b\nc.pdf").as_deref(), Some("abc.pdf"));
        assert_eq!(safe_name("///"), None);
        assert_eq!(safe_name(&"x".repeat(300)).map(|n| n.len()), Some(100));
    }
}
