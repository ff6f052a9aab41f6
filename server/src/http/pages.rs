//! Plain form posts that a page answers itself. leptos answers a server function posted
//! without the page's script by redirecting back, which loses what was typed and the errors;
//! a form with files cannot carry them in the address either. These handlers render the page
//! again with both.

use super::AppState;
use super::backend::ServerBackend;
use crate::error::AppError;
use crate::services::Caller;
use app::backend::SharedBackend;
use app::pages::two_way::{BozzaComunicazione, BozzaMessaggio};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{Method, StatusCode, header};
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;
use shared::dto::Problem;
use std::sync::Arc;

/// POST of the two-way request form: on success to the new request (303), otherwise the form
/// again with the fields as typed (the files must be chosen again) and the errors.
pub async fn two_way(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let caller = match caller(&parts) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let declared =
        parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > super::middleware::UPLOAD_MAX_BYTES) {
        // Not read at all: what was typed travels in the same body as the files.
        let problem = AppError::field(
            "allegati",
            "Gli allegati superano nel complesso il limite di 3 file da 3 MB: il modulo non è stato letto. Inserisca di nuovo i dati e scelga file più piccoli.",
            "too_large",
        )
        .to_problem();
        let bozza = BozzaComunicazione { problem: Some(problem.clone()), ..Default::default() };
        return render_again(state, parts, bozza, &problem).await;
    }
    // `upload_guard` has refused anything but a well-formed multipart body on this path.
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .unwrap_or_default();
    let mp = multer::Multipart::new(body.into_data_stream(), boundary);
    let (nuova, files, read) = app::api::upload::read_partial(MultipartData::Server(mp)).await;
    let bozza = BozzaComunicazione {
        oggetto: nuova.oggetto.clone(),
        testo: nuova.testo.clone(),
        email: nuova.email.clone().unwrap_or_default(),
        telefono: nuova.telefono.clone().unwrap_or_default(),
        allegati: files.len(),
        problem: None,
    };
    let problem = match read {
        Err(e) => *e.0,
        Ok(()) => match state.services.register_two_way(&caller, nuova, files, vec![]).await {
            Ok(view) => return Redirect::to(&format!("/richiesta/{}", view.protocollo)).into_response(),
            Err(e) => problem(e),
        },
    };
    render_again(state, parts, BozzaComunicazione { problem: Some(problem.clone()), ..bozza }, &problem).await
}

/// POST of a message on a two-way request's page: back to the request (303), or the page again
/// with the text and the errors.
pub async fn message(State(state): State<AppState>, Path(protocollo): Path<String>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let caller = match caller(&parts) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    // The text is at most a few thousand characters; anything far larger is not this form.
    let testo = match axum::body::to_bytes(body, 256 * 1024).await {
        Ok(bytes) => form_urlencoded::parse(&bytes).find(|(k, _)| k == "testo").map(|(_, v)| v.into_owned()),
        Err(_) => None,
    };
    let Some(testo) = testo else {
        return AppError::BadRequest("Il modulo non contiene il messaggio.".into()).into_response();
    };
    let problem = match state.services.add_message(&caller, &protocollo, &testo).await {
        Ok(_) => return Redirect::to(&format!("/richiesta/{protocollo}")).into_response(),
        Err(e) => problem(e),
    };
    render_again(state, parts, BozzaMessaggio { testo, problem: Some(problem.clone()) }, &problem).await
}

fn caller(parts: &http::request::Parts) -> Result<Caller, Box<Response>> {
    parts
        .extensions
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| Box::new(AppError::Internal("caller middleware missing".into()).into_response()))
}

/// The problem shown in the page; a failure of the service itself is logged.
fn problem(e: AppError) -> Problem {
    if e.status().is_server_error() {
        tracing::error!(error = %e, "form post failed");
    }
    e.to_problem()
}

/// Renders the page at the same address (as a GET) with the draft in context, with the
/// problem's status.
async fn render_again<T: Clone + Send + Sync + 'static>(
    state: AppState,
    mut parts: http::request::Parts,
    bozza: T,
    problem: &Problem,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let backend: SharedBackend = Arc::new(ServerBackend { services: state.services.clone() });
    let opts = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(backend.clone());
            provide_context(bozza.clone());
        },
        move || app::shell(opts.clone()),
    );
    let mut res = render(Request::from_parts(parts, Body::empty())).await;
    *res.status_mut() = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    res
}

/// POST of a step on the operator's page of a request (take in charge, note, reply, close):
/// back to the page (303), or the page again with the text and the errors.
pub async fn branch_action(State(state): State<AppState>, Path(protocollo): Path<String>, req: Request) -> Response {
    use app::backend::Backend as _;
    let (parts, body) = req.into_parts();
    let fields: Vec<(String, String)> = match axum::body::to_bytes(body, 256 * 1024).await {
        Ok(bytes) => form_urlencoded::parse(&bytes).into_owned().collect(),
        Err(_) => vec![],
    };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let testo = get("testo").unwrap_or_default();
    let version = get("version").and_then(|v| v.trim().parse().ok());
    let Some(azione) = get("azione") else {
        return AppError::BadRequest("Il modulo non indica il passo da eseguire.".into()).into_response();
    };
    let backend = ServerBackend { services: state.services.clone() };
    match backend.branch_action(&parts, protocollo.clone(), azione, testo.clone(), version).await {
        Ok(_) => Redirect::to(&format!("/fascicolo/richiesta/{protocollo}")).into_response(),
        Err(e) => {
            let problem = *e.0;
            let bozza = app::pages::fascicolo::BozzaAzione { testo, problem: Some(problem.clone()) };
            render_again(state, parts, bozza, &problem).await
        }
    }
}
