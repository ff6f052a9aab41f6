//! Plain form posts that a page answers itself. leptos answers a server function posted
//! without the page's script by redirecting back, which loses what was typed and the errors;
//! a form with files cannot carry them in the address either. These handlers make the same
//! backend call as the page's server function and, on a refusal, render the page again with
//! what was typed and the errors.

use super::AppState;
use super::middleware::{UPLOAD_MAX_BYTES, declared_length};
use crate::error::AppError;
use app::backend::{ComunicazioniBackend, FascicoloBackend};
use app::components::forms::BozzaTesto;
use app::error::UiError;
use app::pages::comunicazioni::new::BozzaComunicazione;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{Method, StatusCode, header};
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;
use shared::dto::{BranchAction, Problem};

/// POST of the two-way request form: on success to the new request (303), otherwise the form
/// again with the fields as typed (the files must be chosen again) and the errors.
pub async fn two_way(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if declared_length(&parts.headers).is_some_and(|n| n > UPLOAD_MAX_BYTES) {
        // Not read at all: what was typed travels in the same body as the files.
        let problem = AppError::field(
            "allegati",
            format!(
                "{} Il modulo non è stato letto: inserisca di nuovo i dati e scelga file più piccoli.",
                shared::comunicazioni::allegati_troppo_grandi()
            ),
            "too_large",
        )
        .to_problem();
        let status = status_of(&problem);
        return render_again(state, parts, BozzaComunicazione { problem: Some(problem), ..Default::default() }, status)
            .await;
    }
    // `upload_guard` has refused anything but a well-formed multipart body on this path.
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .unwrap_or_default();
    let mp = multer::Multipart::new(body.into_data_stream(), boundary);
    let (nuova, files, read) = app::pages::comunicazioni::upload::read_partial(MultipartData::Server(mp)).await;
    let bozza = BozzaComunicazione {
        oggetto: nuova.oggetto.clone(),
        testo: nuova.testo.clone(),
        email: nuova.email.clone().unwrap_or_default(),
        telefono: nuova.telefono.clone().unwrap_or_default(),
        allegati: files.len(),
        problem: None,
    };
    let result = match read {
        Ok(()) => state.backend.submit_two_way(&parts, nuova, files).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(view) => Redirect::to(&format!("/richiesta/{}", view.protocollo)).into_response(),
        Err(UiError(p)) => {
            let status = status_of(&p);
            render_again(state, parts, BozzaComunicazione { problem: Some(*p), ..bozza }, status).await
        }
    }
}

/// POST of a message on a two-way request's page: back to the request (303), or the page again
/// with the text and the errors.
pub async fn message(State(state): State<AppState>, Path(protocollo): Path<String>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let form = Fields::read(body).await;
    let testo = form.get("testo");
    match state.backend.add_message(&parts, protocollo.clone(), testo.clone()).await {
        Ok(_) => Redirect::to(&format!("/richiesta/{protocollo}")).into_response(),
        Err(UiError(p)) => {
            let status = status_of(&p);
            render_again(state, parts, BozzaTesto { testo, problem: Some(*p) }, status).await
        }
    }
}

/// POST of a step on the operator's page of a request (take in charge, note, reply, close):
/// back to the page (303), or the page again with the text and the errors.
pub async fn branch_action(State(state): State<AppState>, Path(protocollo): Path<String>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let form = Fields::read(body).await;
    let (azione, testo) = (form.get("azione"), form.get("testo"));
    let version = form.get("version").trim().parse().ok();
    let done = match BranchAction::from_form(&azione, testo.clone()) {
        Ok(action) => state.backend.branch_action(&parts, protocollo.clone(), action, version).await,
        Err(e) => Err(UiError::field(e)),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/fascicolo/richiesta/{protocollo}")).into_response(),
        Err(UiError(p)) => {
            let status = status_of(&p);
            render_again(state, parts, BozzaTesto { testo, problem: Some(*p) }, status).await
        }
    }
}

/// The fields of a url-encoded form. A missing field reads as empty, so the service refuses it
/// with its own message in the page.
struct Fields(Vec<(String, String)>);

impl Fields {
    /// The forms hold at most a few thousand characters; a body far larger is read as empty.
    async fn read(body: Body) -> Fields {
        let bytes = axum::body::to_bytes(body, 256 * 1024).await.unwrap_or_default();
        Fields(form_urlencoded::parse(&bytes).into_owned().collect())
    }

    fn get(&self, name: &str) -> String {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

/// The status of the page rendered again: the problem's.
fn status_of(p: &Problem) -> StatusCode {
    StatusCode::from_u16(p.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

/// Renders the page at the same address (as a GET) with the draft in context.
async fn render_again<T: Clone + Send + Sync + 'static>(
    state: AppState,
    mut parts: Parts,
    bozza: T,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let (backend, opts) = (state.backend.clone(), state.leptos_options.clone());
    let render = leptos_axum::render_app_async_with_context(
        move || {
            app::backend::provide(&backend);
            provide_context(bozza.clone());
        },
        move || app::shell(opts.clone()),
    );
    let mut res = render(axum::extract::Request::from_parts(parts, Body::empty())).await;
    *res.status_mut() = status;
    res
}
