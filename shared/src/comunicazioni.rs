//! Comunicazioni bidirezionali (standard two-way requests): the object tree, a new request with
//! its attachments, the attachment limits.

use serde::{Deserialize, Serialize};

/// The `tipo` of a two-way request, beside the Smart-Task kinds' codes.
pub const TIPO: &str = "bidirezionale";

/// The two-level object tree of a two-way request (Msg. INPS 16719/2009): (code, label, children).
/// (code, label) of a second-level object.
pub type Sottoggetto = (&'static str, &'static str);
pub const OGGETTI_BIDIREZIONALI: &[(&str, &str, &[Sottoggetto])] = &[
    (
        "regolarita",
        "Regolarità contributiva",
        &[("durc", "DURC on line"), ("irregolarita", "Segnalazione di irregolarità"), ("altro", "Altro")],
    ),
    (
        "dm",
        "Denunce contributive (UniEmens/DM10)",
        &[("variazione", "Variazione di una denuncia"), ("note_rettifica", "Note di rettifica"), ("altro", "Altro")],
    ),
    (
        "f24",
        "Versamenti F24",
        &[("attribuzione", "Attribuzione di un versamento"), ("rimborso", "Rimborso"), ("altro", "Altro")],
    ),
    (
        "anagrafica",
        "Anagrafica e posizione contributiva",
        &[("variazione", "Variazione dati"), ("sospensione", "Sospensione o cessazione"), ("altro", "Altro")],
    ),
    ("generica", "Richiesta generica", &[("altro", "Altro")]),
];

/// The objects of a support request of a prestazioni occasionali user (Msg. INPS 1099/2018: the
/// portal lets the sede answer its users' requests). A person registered as Libretto Famiglia
/// user or prestatore chooses among these only; a company (a CPO user, or one asking how to
/// become one) has them beside the Cassetto's.
pub const OGGETTI_PRESTO: &[(&str, &str, &[Sottoggetto])] = &[(
    "presto",
    "Prestazioni occasionali",
    &[
        ("registrazione", "Registrazione e dati anagrafici"),
        ("portafoglio", "Portafoglio elettronico e saldo"),
        ("f24", "Versamento F24 non accreditato"),
        ("prestazione", "Comunicazione o revoca di una prestazione"),
        ("compenso", "Pagamento del compenso al prestatore"),
        ("categoria", "Categoria dell'utilizzatore (CPO)"),
        ("rimborso", "Rimborso o trasferimento di somme"),
        ("altro", "Altro"),
    ],
)];

/// A first-level group of objects: (code, label, second-level objects).
pub type GruppoOggetti = (&'static str, &'static str, &'static [Sottoggetto]);

/// The groups a subject may write about: a person only prestazioni occasionali, a company all.
pub fn gruppi_oggetti(persona: bool) -> Vec<&'static GruppoOggetti> {
    let presto = OGGETTI_PRESTO.iter();
    if persona { presto.collect() } else { OGGETTI_BIDIREZIONALI.iter().chain(presto).collect() }
}

/// Whether an object code belongs to the prestazioni occasionali groups.
pub fn oggetto_presto(code: &str) -> bool {
    code.split_once('/').is_some_and(|(a, _)| OGGETTI_PRESTO.iter().any(|(c, _, _)| *c == a))
}

/// Label "Livello 1 – Livello 2" of an object code `livello1/livello2`, if it exists.
pub fn oggetto_bidirezionale_label(code: &str) -> Option<String> {
    let (a, b) = code.split_once('/')?;
    let (_, l1, children) = gruppi_oggetti(false).into_iter().find(|(c, _, _)| *c == a)?;
    let (_, l2) = children.iter().find(|(c, _)| *c == b)?;
    Some(format!("{l1} – {l2}"))
}

/// An attachment as sent through the API (content in standard base64).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegatoIn {
    pub nome: String,
    pub contenuto_base64: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NuovaComunicazione {
    #[serde(default, deserialize_with = "crate::intero::optional")]
    pub soggetto_id: Option<i64>,
    /// `livello1/livello2`, from [`OGGETTI_BIDIREZIONALI`].
    pub oggetto: String,
    pub testo: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub telefono: Option<String>,
    #[serde(default)]
    pub allegati: Vec<AllegatoIn>,
}

/// At most this many attachments per two-way request, each at most this size.
pub const ALLEGATI_MAX: usize = 3;
pub const ALLEGATO_MAX_BYTES: usize = 3 * 1024 * 1024;
/// The size limit as the pages and messages write it.
pub const ALLEGATO_MAX_IT: &str = "3 MB";

/// The bound on the page's multipart upload: every file at the limit, their parts' headers and
/// the text fields.
pub const UPLOAD_MULTIPART_MAX_BYTES: usize = ALLEGATI_MAX * (ALLEGATO_MAX_BYTES + 64 * 1024) + 256 * 1024;
/// The bound on the API's JSON body: the files travel in base64 (4 bytes for every 3) beside
/// the text fields.
pub const UPLOAD_JSON_MAX_BYTES: usize = ALLEGATI_MAX * ALLEGATO_MAX_BYTES / 3 * 4 + 1024 * 1024;

/// Why an upload over the whole bound is refused.
pub fn allegati_troppo_grandi() -> String {
    format!(
        "Gli allegati superano nel complesso il limite: al massimo {ALLEGATI_MAX} file di {ALLEGATO_MAX_IT} ciascuno."
    )
}

/// Why one file is refused for its size.
pub fn allegato_troppo_grande(nome: &str) -> String {
    format!("{nome}: supera il limite di {ALLEGATO_MAX_IT}.")
}

/// An attachment as the page uploads it (multipart), before any check. `bytes` may stop one
/// byte past the limit: the upload is not read further than needed to refuse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllegatoBytes {
    pub nome: String,
    pub bytes: Vec<u8>,
}

#[cfg(test)]
mod oggetti_tests {
    use super::*;
    #[test]
    fn every_object_has_a_label_and_unknown_ones_none() {
        for (a, _, children) in OGGETTI_BIDIREZIONALI {
            assert!(!children.is_empty());
            for (b, _) in *children {
                assert!(oggetto_bidirezionale_label(&format!("{a}/{b}")).is_some());
            }
        }
        for (a, _, children) in OGGETTI_PRESTO {
            for (b, _) in *children {
                let code = format!("{a}/{b}");
                assert!(oggetto_bidirezionale_label(&code).is_some() && oggetto_presto(&code));
            }
        }
        assert!(!oggetto_presto("f24/rimborso"));
        assert_eq!(gruppi_oggetti(true).len(), OGGETTI_PRESTO.len());
        assert_eq!(gruppi_oggetti(false).len(), OGGETTI_BIDIREZIONALI.len() + OGGETTI_PRESTO.len());
        let codes: Vec<&str> = gruppi_oggetti(false).iter().map(|g| g.0).collect();
        assert!(codes.iter().all(|c| codes.iter().filter(|d| *d == c).count() == 1), "group codes are unique");
        assert_eq!(oggetto_bidirezionale_label("f24/inventato"), None);
        assert_eq!(oggetto_bidirezionale_label("f24"), None);
        assert_eq!(
            oggetto_bidirezionale_label("dm/variazione").as_deref(),
            Some("Denunce contributive (UniEmens/DM10) – Variazione di una denuncia")
        );
    }
}
