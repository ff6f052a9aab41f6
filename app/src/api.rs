//! Server functions: parse, take the caller from the request, call the backend. No logic here.

use leptos::prelude::*;
use leptos::server_fn::codec::{JsonEncoding, MultipartData, MultipartFormData};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use shared::dto::{
    ApiTokenView, ContributorHit, FascicoloView, HomeData, KindView, MailView, NewApiToken, NotificationsView,
    OperatorRequestView, OperatorView, Problem, QueueItem, ReplayView, RequestPage, RequestView, SedeView, SessionView,
    SubjectSummary, TargetView,
};

/// The error of every server function: the server's problem details, with an Italian `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UiError(pub Box<Problem>);

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let (code, detail) = match value {
            ServerFnErrorErr::Request(_) => (
                "network",
                "Il servizio non è raggiungibile: verificare la connessione e riprovare. I dati inseriti sono ancora nel modulo.",
            ),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                ("bad_request", "I dati inviati non sono completi o non sono validi.")
            }
            _ => ("internal", "Si è verificato un errore inatteso. Riprovare tra qualche minuto."),
        };
        UiError::new(code, "Errore", 500, detail)
    }
}

impl UiError {
    /// A problem without field errors, as the server would describe it.
    pub fn new(code: &str, title: &str, status: u16, detail: impl Into<String>) -> UiError {
        UiError(Box::new(Problem {
            kind: format!("https://sportello.inps.example/problemi/{code}"),
            title: title.into(),
            status,
            detail: detail.into(),
            code: code.into(),
            errors: vec![],
        }))
    }
}

impl From<Problem> for UiError {
    fn from(p: Problem) -> Self {
        UiError(Box::new(p))
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.detail)
    }
}

impl std::error::Error for UiError {}

/// Parsing the multipart form of a two-way request (names as in the page's form).
#[cfg(feature = "ssr")]
pub mod upload {
    use super::UiError;
    use leptos::server_fn::codec::MultipartData;
    use shared::dto::{AllegatoBytes, NuovaComunicazione};

    use shared::dto::{ALLEGATI_MAX, ALLEGATO_MAX_BYTES};
    const MAX_TEXT_FIELD: usize = 64 * 1024;

    fn bad(detail: &str) -> UiError {
        UiError::new("bad_request", "Richiesta non valida", 400, detail)
    }

    /// The fields and the files as read: a file is read at most one byte past the limit (enough
    /// to refuse it), files beyond the allowed number are counted, not read.
    pub async fn read(data: MultipartData) -> Result<(NuovaComunicazione, Vec<AllegatoBytes>), UiError> {
        let (body, files, outcome) = read_partial(data).await;
        outcome.map(|()| (body, files))
    }

    /// As [`read`], but what was read before a failure is kept: the text fields come before the
    /// files, so a plain form post cut short by the size bound can still be shown again.
    pub async fn read_partial(data: MultipartData) -> (NuovaComunicazione, Vec<AllegatoBytes>, Result<(), UiError>) {
        let mut body = NuovaComunicazione {
            soggetto_id: None,
            oggetto: String::new(),
            testo: String::new(),
            email: None,
            telefono: None,
            allegati: vec![],
        };
        let mut files = vec![];
        let outcome = fields(data, &mut body, &mut files).await;
        (body, files, outcome)
    }

    async fn fields(
        data: MultipartData,
        body: &mut NuovaComunicazione,
        files: &mut Vec<AllegatoBytes>,
    ) -> Result<(), UiError> {
        let mut mp = data.into_inner().ok_or_else(|| bad("Modulo non leggibile."))?;
        let broken = || {
            bad(
                "Il modulo non è arrivato completo (connessione interrotta o file troppo grandi): i dati sono ancora nel modulo, riprovare.",
            )
        };
        while let Some(mut f) = mp.next_field().await.map_err(|_| broken())? {
            let name = f.name().unwrap_or_default().to_string();
            let file_name = f.file_name().map(str::to_string);
            // A file input left empty still sends a part, with no name and no content.
            let is_file = file_name.is_some();
            let limit = if is_file { ALLEGATO_MAX_BYTES + 1 } else { MAX_TEXT_FIELD };
            let mut bytes = vec![];
            if !is_file || files.len() < ALLEGATI_MAX {
                while bytes.len() < limit {
                    match f.chunk().await.map_err(|_| broken())? {
                        Some(c) => bytes.extend_from_slice(&c[..c.len().min(limit - bytes.len())]),
                        None => break,
                    }
                }
            }
            match (name.as_str(), file_name) {
                ("allegato", Some(n)) if n.is_empty() && bytes.is_empty() => {}
                ("allegato", Some(n)) => files.push(AllegatoBytes { nome: n, bytes }),
                (_, Some(_)) => return Err(bad("Il modulo contiene un campo inatteso.")),
                (field, None) => {
                    let v = String::from_utf8(bytes).map_err(|_| bad("Il modulo contiene testo non valido."))?;
                    match field {
                        "oggetto" => body.oggetto = v,
                        "testo" => body.testo = v,
                        "email" => body.email = Some(v),
                        "telefono" => body.telefono = Some(v),
                        "soggetto_id" => body.soggetto_id = v.trim().parse().ok(),
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(feature = "ssr")]
mod ctx {
    use super::UiError;
    use crate::backend::SharedBackend;
    use http::request::Parts;
    use leptos::prelude::*;

    fn missing(what: &str) -> UiError {
        UiError::new(
            "internal",
            "Errore del servizio",
            500,
            format!("Configurazione del servizio incompleta ({what})."),
        )
    }

    pub fn backend() -> Result<(SharedBackend, Parts), UiError> {
        let b = use_context::<SharedBackend>().ok_or_else(|| missing("backend"))?;
        let parts = use_context::<Parts>().ok_or_else(|| missing("request"))?;
        Ok((b, parts))
    }

    /// Sends a plain form post (no JavaScript yet, or none at all) to `path`. Requests made by
    /// the WASM are left alone: the page then does a full load itself, so the new identity or
    /// subject is rendered once, everywhere.
    pub fn redirect_form_post(path: &str) {
        let html = use_context::<Parts>()
            .and_then(|p| {
                p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|a| a.contains("text/html"))
            })
            .unwrap_or(false);
        if html {
            leptos_axum::redirect(path);
        }
    }

    pub fn set_cookie(value: &str) {
        if let (Some(resp), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
        {
            resp.append_header(http::header::SET_COOKIE, v);
        }
    }
}

#[server(prefix = "/sf", endpoint = "session")]
pub async fn current_session() -> Result<Option<SessionView>, UiError> {
    let (b, req) = ctx::backend()?;
    b.session(&req).await
}

#[server(prefix = "/sf", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionView, UiError> {
    let (b, req) = ctx::backend()?;
    let done = b.login(&req, username, password).await?;
    ctx::set_cookie(&done.set_cookie);
    Ok(done.session)
}

#[server(prefix = "/sf", endpoint = "logout")]
pub async fn logout() -> Result<(), UiError> {
    let (b, req) = ctx::backend()?;
    let clear = b.logout(&req).await?;
    ctx::set_cookie(&clear);
    ctx::redirect_form_post("/accedi");
    Ok(())
}

#[server(prefix = "/sf", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, UiError> {
    let (b, req) = ctx::backend()?;
    b.home(&req).await
}

#[server(prefix = "/sf", endpoint = "subjects")]
pub async fn subjects() -> Result<Vec<SubjectSummary>, UiError> {
    let (b, req) = ctx::backend()?;
    b.subjects(&req).await
}

#[server(prefix = "/sf", endpoint = "act_for")]
pub async fn act_for(subject_id: i64) -> Result<SubjectSummary, UiError> {
    let (b, req) = ctx::backend()?;
    let subject = b.act_for(&req, subject_id).await?;
    // A plain form post (no JavaScript yet) goes to the Cassetto of the chosen company.
    ctx::redirect_form_post("/");
    Ok(subject)
}

#[server(prefix = "/sf", endpoint = "operators")]
pub async fn operators() -> Result<(Vec<OperatorView>, Vec<SedeView>), UiError> {
    let (b, req) = ctx::backend()?;
    Ok((b.operators(&req).await?, b.sedi(&req).await?))
}

#[server(prefix = "/sf", endpoint = "assign_operator")]
pub async fn assign_operator(
    user_id: i64,
    role: String,
    sede_codice: Option<String>,
    regione: Option<String>,
    note: String,
) -> Result<OperatorView, UiError> {
    let (b, req) = ctx::backend()?;
    let role = shared::Role::from_code(&role).ok_or_else(|| {
        UiError(Box::new(Problem {
            kind: "https://sportello.inps.example/problemi/validation".into(),
            title: "Dati non validi".into(),
            status: 422,
            detail: "Alcuni dati non sono validi: correggere i campi indicati.".into(),
            code: "validation".into(),
            errors: vec![shared::dto::FieldError {
                field: "role".into(),
                code: "unknown".into(),
                message: "Scegliere un ruolo.".into(),
            }],
        }))
    })?;
    b.assign_operator(
        &req,
        user_id,
        shared::dto::AssignOperator { role, sede_codice, regione, note, expected_version: None },
    )
    .await
}

#[server(prefix = "/sf", endpoint = "st_kinds")]
pub async fn st_kinds() -> Result<Vec<KindView>, UiError> {
    let (b, req) = ctx::backend()?;
    b.smart_task_kinds(&req).await
}

#[server(prefix = "/sf", endpoint = "st_targets")]
pub async fn st_targets(tipo: String) -> Result<Vec<TargetView>, UiError> {
    let (b, req) = ctx::backend()?;
    b.smart_task_targets(&req, tipo).await
}

pub use submit::*;

/// One argument per form field: that is what a plain HTML form (no JavaScript) can post, and the
/// server-function macro generates client and server functions with the same arguments.
mod submit {
    #![allow(clippy::too_many_arguments)]
    use super::*;

    /// Submits the answers confirmed on the check-answers page. The idempotency key comes from the
    /// page, so a double tap or a retry after a network error creates one request.
    #[server(prefix = "/sf", endpoint = "st_submit")]
    pub async fn st_submit(
        tipo: String,
        oggetto: String,
        chiave: String,
        data_effetto: Option<String>,
        pec: Option<String>,
        email: Option<String>,
        telefono: Option<String>,
        cellulare: Option<String>,
        motivo: Option<String>,
        periodo_corretto: Option<String>,
        importo: Option<String>,
    ) -> Result<RequestView, UiError> {
        let (b, req) = ctx::backend()?;
        let mut risposte = std::collections::BTreeMap::new();
        for (k, v) in [
            ("data_effetto", data_effetto),
            ("pec", pec),
            ("email", email),
            ("telefono", telefono),
            ("cellulare", cellulare),
            ("motivo", motivo),
            ("periodo_corretto", periodo_corretto),
            ("importo", importo),
        ] {
            if let Some(v) = v {
                risposte.insert(k.to_string(), v);
            }
        }
        let view = b
            .submit_smart_task(&req, shared::dto::SubmitRequest { tipo, soggetto_id: None, oggetto, risposte }, chiave)
            .await?;
        // Without JavaScript the browser posted a plain form: send it to the request's page.
        ctx::redirect_form_post(&format!("/richiesta/{}", view.protocollo));
        Ok(view)
    }
}

/// Flat arguments: the URL-encoded codec carries plain optional fields reliably, not nested ones.
#[server(prefix = "/sf", endpoint = "st_list")]
pub async fn st_list(
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    pagina: Option<u32>,
) -> Result<RequestPage, UiError> {
    let (b, req) = ctx::backend()?;
    b.requests(&req, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }).await
}

#[server(prefix = "/sf", endpoint = "st_get")]
pub async fn st_get(protocollo: String) -> Result<RequestView, UiError> {
    let (b, req) = ctx::backend()?;
    b.request(&req, protocollo).await
}

#[server(prefix = "/sf", endpoint = "notifiche")]
pub async fn notifiche() -> Result<NotificationsView, UiError> {
    let (b, req) = ctx::backend()?;
    b.notifications(&req).await
}

#[server(prefix = "/sf", endpoint = "notifiche_lette")]
pub async fn notifiche_lette() -> Result<u64, UiError> {
    let (b, req) = ctx::backend()?;
    let n = b.mark_notifications_read(&req).await?;
    ctx::redirect_form_post("/notifiche");
    Ok(n)
}

#[server(prefix = "/sf", endpoint = "posta")]
pub async fn posta() -> Result<Vec<MailView>, UiError> {
    let (b, req) = ctx::backend()?;
    b.dev_mailbox(&req).await
}

#[server(prefix = "/sf", endpoint = "token_list")]
pub async fn token_list() -> Result<Vec<ApiTokenView>, UiError> {
    let (b, req) = ctx::backend()?;
    b.api_tokens(&req).await
}

/// No redirect for a plain form post: the answer carries the token, shown only this once.
#[server(prefix = "/sf", endpoint = "token_create")]
pub async fn token_create(nome: String) -> Result<NewApiToken, UiError> {
    let (b, req) = ctx::backend()?;
    b.create_api_token(&req, nome).await
}

#[server(prefix = "/sf", endpoint = "token_revoke")]
pub async fn token_revoke(id: i64) -> Result<ApiTokenView, UiError> {
    let (b, req) = ctx::backend()?;
    let v = b.revoke_api_token(&req, id).await?;
    ctx::redirect_form_post("/token");
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "fasc_search")]
pub async fn fasc_search(q: String) -> Result<Vec<ContributorHit>, UiError> {
    let (b, req) = ctx::backend()?;
    b.search_contributors(&req, q).await
}

#[server(prefix = "/sf", endpoint = "fasc_get")]
pub async fn fasc_get(
    id: i64,
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    pagina: Option<u32>,
) -> Result<FascicoloView, UiError> {
    let (b, req) = ctx::backend()?;
    b.fascicolo(&req, id, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }).await
}

#[server(prefix = "/sf", endpoint = "fasc_request")]
pub async fn fasc_request(protocollo: String) -> Result<OperatorRequestView, UiError> {
    let (b, req) = ctx::backend()?;
    b.operator_request(&req, protocollo).await
}

#[server(prefix = "/sf", endpoint = "fasc_replay")]
pub async fn fasc_replay(protocollo: String) -> Result<ReplayView, UiError> {
    let (b, req) = ctx::backend()?;
    b.replay(&req, protocollo).await
}

/// A two-way request from the page, as multipart (the files are sent as they are, not in
/// base64). The upload is read field by field; a file is read at most one byte past the limit
/// and the whole body is bounded by the server's middleware for this path.
#[server(prefix = "/sf", endpoint = "cb_invio", input = MultipartFormData)]
pub async fn cb_invio(data: MultipartData) -> Result<RequestView, UiError> {
    let (b, req) = ctx::backend()?;
    let (body, files) = upload::read(data).await?;
    let view = b.submit_two_way(&req, body, files).await?;
    ctx::redirect_form_post(&format!("/richiesta/{}", view.protocollo));
    Ok(view)
}

#[server(prefix = "/sf", endpoint = "cb_messaggio")]
pub async fn cb_messaggio(protocollo: String, testo: String) -> Result<RequestView, UiError> {
    let (b, req) = ctx::backend()?;
    let view = b.add_message(&req, protocollo, testo).await?;
    ctx::redirect_form_post(&format!("/richiesta/{}", view.protocollo));
    Ok(view)
}

#[server(prefix = "/sf", endpoint = "coda")]
pub async fn coda() -> Result<Vec<QueueItem>, UiError> {
    let (b, req) = ctx::backend()?;
    b.branch_queue(&req).await
}

#[server(prefix = "/sf", endpoint = "fasc_action")]
pub async fn fasc_action(
    protocollo: String,
    azione: String,
    testo: Option<String>,
    version: Option<i64>,
) -> Result<OperatorRequestView, UiError> {
    let (b, req) = ctx::backend()?;
    let v = b.branch_action(&req, protocollo.clone(), azione, testo.unwrap_or_default(), version).await?;
    ctx::redirect_form_post(&format!("/fascicolo/richiesta/{protocollo}"));
    Ok(v)
}
