//! The OpenAPI document of /api/v1, generated from the handlers' annotations and the shared
//! types, with what every route may answer whatever its handler does (the layers' refusals).

use super::{
    admin, comunicazioni, fascicolo, identity, presto, presto_elenchi, presto_portale, presto_rimborsi, richieste,
    simulazioni, smart_task,
};
use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::{self, RefOr};

super::routes::api_routes! {
    get "/openapi.json" => openapi_json;
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Sportello – API per i programmi degli intermediari", version = "1",
        description = "Le stesse operazioni del Cassetto previdenziale, con gli stessi controlli. Autenticazione: cookie di sessione oppure `Authorization: Bearer <token API>`. Errori: application/problem+json con errori per campo."),
    paths(identity::login, identity::session, identity::logout, identity::act_for, identity::home, identity::subjects,
        identity::subject, identity::check_identifier, identity::api_tokens, identity::create_api_token,
        identity::revoke_api_token, smart_task::st_kinds, smart_task::st_targets, smart_task::st_submit,
        smart_task::st_attivazioni, smart_task::st_imposta_attivazione, simulazioni::parametri, simulazioni::simula,
        simulazioni::esporta,
        richieste::st_list, richieste::st_get, richieste::receipt, richieste::notifications, richieste::notifications_read,
        richieste::dev_mailbox, comunicazioni::submit_two_way, comunicazioni::add_message, comunicazioni::attachment,
        fascicolo::fascicolo_search, fascicolo::fascicolo, fascicolo::operator_request, fascicolo::replay,
        fascicolo::branch_action, fascicolo::branch_queue, admin::operators, admin::assign_operator, admin::sedi,
        admin::audit, presto::registra_utilizzatore, presto::registra_prestatore, presto::portafoglio, presto::pagopa,
        presto::nuova_prestazione, presto::revoca, presto::pagina_prestatore, presto::import_f24, presto::pay_run,
        presto::cerca, presto::scheda, presto::modifica, presto_portale::versamenti, presto_portale::abbina,
        presto_portale::annulla, presto_portale::categoria, presto_portale::cambia_categoria, presto_portale::inoltra,
        presto_portale::cambi, presto_portale::decidi, presto_portale::delega, presto_elenchi::elenco, presto_elenchi::esporta_elenco,
        presto_elenchi::campioni, presto_elenchi::crea_campione, presto_elenchi::campione, presto_elenchi::verifica_riga,
        presto_elenchi::esporta_campione, presto_rimborsi::miei, presto_rimborsi::chiedi, presto_rimborsi::coda,
        presto_rimborsi::decidi, openapi_json),
    modifiers(&Security, &EveryRoute),
    security(("token" = []), ("cookie" = []))
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        use openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        c.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("sportello"))));
    }
}

/// Answers the server's layers give on any route before or around its handler: malformed
/// input, no or insufficient login, too large or too slow a body, per-user limits, overload.
const EVERY_ROUTE: &[(&str, &str, bool)] = &[
    ("400", "Richiesta malformata (JSON o parametri non leggibili)", false),
    ("401", "Non autenticato", false),
    ("403", "Non autorizzato (ruolo, soggetto o token di sola lettura)", false),
    ("408", "Il corpo della richiesta è arrivato troppo lentamente", false),
    ("413", "Corpo della richiesta troppo grande", false),
    ("429", "Troppe richieste: riprovare dopo i secondi di Retry-After", true),
    ("503", "Servizio momentaneamente non disponibile: riprovare dopo i secondi di Retry-After", true),
];

struct EveryRoute;

impl utoipa::Modify for EveryRoute {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        use openapi::{ContentBuilder, HeaderBuilder, ResponseBuilder, schema::Type};
        let problem = |desc: &str, retry: bool| {
            let content = ContentBuilder::new().schema(Some(openapi::Ref::from_schema_name("Problem"))).build();
            let mut r = ResponseBuilder::new().description(desc).content("application/problem+json", content);
            if retry {
                let h = HeaderBuilder::new().schema(openapi::ObjectBuilder::new().schema_type(Type::Integer)).build();
                r = r.header("Retry-After", h);
            }
            RefOr::T(r.build())
        };
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.delete].into_iter().flatten() {
                for (code, desc, retry) in EVERY_ROUTE {
                    op.responses.responses.entry((*code).into()).or_insert_with(|| problem(desc, *retry));
                }
                // Whatever takes input checks it beyond its shape (check digits, dates, the
                // subject a token must name in every call).
                // A path names a record, `soggetto_id` a subject: either may not exist or not be
                // the caller's to see.
                let params = op.parameters.as_deref().unwrap_or_default();
                let names_something = params
                    .iter()
                    .any(|p| matches!(p.parameter_in, openapi::path::ParameterIn::Path) || p.name == "soggetto_id");
                if names_something {
                    let desc = "Risorsa o soggetto inesistente, o non visibile al chiamante";
                    op.responses.responses.entry("404".into()).or_insert_with(|| problem(desc, false));
                }
                if op.request_body.is_some() || !params.is_empty() {
                    let desc = "Dati non validi, con l'errore per ogni campo";
                    op.responses.responses.entry("422".into()).or_insert_with(|| problem(desc, false));
                }
            }
        }
    }
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "documentazione", security(()),
    responses((status = 200, description = "Questo documento (OpenAPI 3.1)", content_type = "application/json")))]
async fn openapi_json() -> Response {
    Json(<ApiDoc as utoipa::OpenApi>::openapi()).into_response()
}
