//! Parsing the multipart form of a two-way request (names as in the page's form).

use crate::error::UiError;
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
