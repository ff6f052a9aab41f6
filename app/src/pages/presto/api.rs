//! Server functions of the prestazioni occasionali pages: parse, call the backend.

// A form's fields arrive as the function's arguments, one per field.
#![allow(clippy::too_many_arguments)]

use crate::components::forms::Fatto;
use crate::error::UiError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use shared::presto::campioni::*;
use shared::presto::portale::*;
use shared::presto::views::*;
#[cfg(feature = "ssr")]
use {super::backend::PrestoBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "po_portafoglio")]
pub async fn po_portafoglio(anno: Option<i32>) -> Result<PortafoglioView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.portafoglio(&req, anno).await
}

#[server(prefix = "/sf", endpoint = "po_prestazione")]
pub async fn po_prestazione(
    prestatore: String,
    giorno: String,
    #[server(default)] ora_inizio: String,
    #[server(default)] ora_fine: String,
    #[server(default)] compenso: String,
    #[server(default)] titoli: String,
    #[server(default)] ore: String,
    #[server(default)] luogo: String,
    #[server(default)] oggetto: String,
    #[server(default)] finalita_pa: String,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let p = NuovaPrestazione {
        prestatore,
        giorno,
        ora_inizio,
        ora_fine,
        compenso,
        titoli,
        ore,
        luogo,
        oggetto,
        finalita_pa,
    };
    let v = b.nuova_prestazione(&req, p).await?;
    Ok(Fatto::vai(format!("/presto?accettata={}", v.id)))
}

#[server(prefix = "/sf", endpoint = "po_revoca")]
pub async fn po_revoca(id: i64) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.revoca(&req, id).await?;
    Ok(Fatto::vai(format!("/presto?revocata={}", v.id)))
}

#[server(prefix = "/sf", endpoint = "po_pagopa")]
pub async fn po_pagopa(importo: String) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.pagopa(&req, PagamentoPagoPa { importo }).await?;
    Ok(Fatto::vai(format!("/presto?versamento={}", v.id)))
}

#[server(prefix = "/sf", endpoint = "po_prestatore")]
pub async fn po_prestatore(anno: Option<i32>) -> Result<PaginaPrestatore, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.pagina_prestatore(&req, anno).await
}

/// The F24 flow file, as multipart (field `flusso`): read up to 64 MiB, refused beyond.
#[server(prefix = "/sf", endpoint = "po_f24", input = MultipartFormData)]
pub async fn po_f24(data: MultipartData) -> Result<ReportImportF24, UiError> {
    const MAX: usize = 64 * 1024 * 1024;
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let bad = |m: &str| UiError::new("bad_request", "Richiesta non valida", 400, m);
    let mut mp = data.into_inner().ok_or_else(|| bad("Modulo non leggibile."))?;
    let mut flusso = None;
    while let Some(mut f) = mp.next_field().await.map_err(|_| bad("Il file non è arrivato completo: riprovare."))? {
        if f.name() != Some("flusso") {
            continue;
        }
        let mut bytes = vec![];
        while let Some(c) = f.chunk().await.map_err(|_| bad("Il file non è arrivato completo: riprovare."))? {
            bytes.extend_from_slice(&c);
            if bytes.len() > MAX {
                return Err(bad("Il flusso supera 64 MB: dividerlo in più file."));
            }
        }
        flusso = Some(bytes);
    }
    match flusso.filter(|b| !b.is_empty()) {
        Some(bytes) => b.import_f24(&req, bytes).await,
        None => Err(UiError::field(shared::dto::FieldError {
            field: "flusso".into(),
            code: "required".into(),
            message: "Scegliere il file del flusso F24 (CSV).".into(),
        })),
    }
}

#[server(prefix = "/sf", endpoint = "po_sedi")]
pub async fn po_sedi() -> Result<Vec<shared::dto::SedeView>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.sedi(&req).await
}

#[server(prefix = "/sf", endpoint = "po_registra_utilizzatore")]
pub async fn po_registra_utilizzatore(
    strumento: String,
    #[server(default)] categoria: String,
    #[server(default)] ateco: String,
    #[server(default)] dipendenti: String,
    #[server(default)] sede_codice: String,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let r = RegistrazioneUtilizzatore { strumento, categoria, ateco, dipendenti, sede_codice };
    b.registra_utilizzatore(&req, r).await?;
    Ok(Fatto::vai("/presto".into()))
}

#[server(prefix = "/sf", endpoint = "po_registra_prestatore")]
pub async fn po_registra_prestatore(
    modalita_pagamento: String,
    #[server(default)] iban: String,
    #[server(default)] categoria: String,
    #[server(default)] dal: String,
    #[server(default)] al: String,
    #[server(default)] sede_codice: String,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let categorie = if categoria.trim().is_empty() { vec![] } else { vec![CategoriaDichiarata { categoria, dal, al }] };
    b.registra_prestatore(&req, RegistrazionePrestatore { modalita_pagamento, iban, categorie, sede_codice }).await?;
    Ok(Fatto::vai("/presto/prestatore".into()))
}

#[server(prefix = "/sf", endpoint = "po_cerca")]
pub async fn po_cerca(q: String) -> Result<Vec<SoggettoPresto>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.cerca(&req, q).await
}

#[server(prefix = "/sf", endpoint = "po_scheda")]
pub async fn po_scheda(tipo: String, id: i64) -> Result<SchedaPresto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.scheda(&req, tipo, id).await
}

#[server(prefix = "/sf", endpoint = "po_modifica")]
pub async fn po_modifica(
    tipo: String,
    id: i64,
    version: i64,
    nota: String,
    email: Option<String>,
    telefono: Option<String>,
    modalita_pagamento: Option<String>,
    iban: Option<String>,
    ateco: Option<String>,
    dipendenti: Option<String>,
) -> Result<SchedaPresto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let m = ModificaAnagrafica { version, nota, email, telefono, modalita_pagamento, iban, ateco, dipendenti };
    let v = b.modifica(&req, tipo.clone(), id, m).await?;
    ctx::redirect_form_post(&format!("/presto/operatore/{tipo}/{id}"));
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "po_versamenti")]
pub async fn po_versamenti(pagina: u32) -> Result<Vec<VersamentoDaAbbinare>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.versamenti(&req, pagina).await
}

#[server(prefix = "/sf", endpoint = "po_abbina")]
pub async fn po_abbina(versamento: i64, utilizzatore_id: i64, nota: String) -> Result<VersamentoView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.abbina(&req, versamento, AbbinamentoManuale { utilizzatore_id, nota }).await?;
    ctx::redirect_form_post("/presto/operatore/versamenti");
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "po_annulla_abbinamento")]
pub async fn po_annulla_abbinamento(
    versamento: i64,
    utilizzatore: i64,
    nota: String,
) -> Result<VersamentoView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.annulla_abbinamento(&req, versamento, Nota { nota }).await?;
    ctx::redirect_form_post(&format!("/presto/operatore/utilizzatore/{utilizzatore}"));
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "po_categoria")]
pub async fn po_categoria(id: i64) -> Result<CategoriaUtilizzatore, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.categoria(&req, id).await
}

/// `inoltra`: the branch forwards the change to DG instead of applying it.
#[server(prefix = "/sf", endpoint = "po_cambia_categoria")]
pub async fn po_cambia_categoria(
    id: i64,
    version: i64,
    #[server(default)] categoria: String,
    #[server(default)] nota: String,
    #[server(default)] inoltra: bool,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let c = CambioCategoria { categoria, nota, version };
    if inoltra {
        b.inoltra_categoria(&req, id, c).await?;
    } else {
        b.cambia_categoria(&req, id, c).await?;
    }
    Ok(Fatto::vai(format!("/presto/operatore/utilizzatore/{id}/categoria?salvata=1")))
}

#[server(prefix = "/sf", endpoint = "po_cambi_categoria")]
pub async fn po_cambi_categoria() -> Result<Vec<CambioCategoriaView>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.cambi_categoria(&req).await
}

#[server(prefix = "/sf", endpoint = "po_decidi_categoria")]
pub async fn po_decidi_categoria(id: i64, esito: String, #[server(default)] nota: String) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.decidi_categoria(&req, id, DecisioneCategoria { esito, nota }).await?;
    Ok(Fatto::vai(format!("/presto/operatore/categorie?decisa={}", v.id)))
}

#[server(prefix = "/sf", endpoint = "po_delega")]
pub async fn po_delega(delegato: String, delegante: String, ruolo: String) -> Result<EsitoDelega, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.delega(&req, RicercaDelega { delegato, delegante, ruolo }).await
}

#[server(prefix = "/sf", endpoint = "po_elenco")]
pub async fn po_elenco(
    r: shared::presto::elenchi::RichiestaElenco,
    pagina: u32,
) -> Result<shared::presto::elenchi::PaginaElenco, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.elenco(&req, r, pagina).await
}

#[server(prefix = "/sf", endpoint = "po_crea_campione")]
pub async fn po_crea_campione(
    #[server(default)] tipo: String,
    #[server(default)] dal: String,
    #[server(default)] al: String,
    #[server(default)] strumento: String,
    #[server(default)] categoria: String,
    #[server(default)] categoria_speciale: String,
    #[server(default)] importo_min: String,
    #[server(default)] importo_max: String,
    #[server(default)] nome: String,
    #[server(default)] percentuale: String,
    #[server(default)] numero: String,
    #[server(default)] seme: String,
    #[server(default)] stratificato: Option<String>,
) -> Result<CampioneView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let elenco = shared::presto::elenchi::RichiestaElenco {
        tipo,
        dal,
        al,
        strumento,
        categoria,
        categoria_speciale,
        importo_min,
        importo_max,
    };
    let n = NuovoCampione { nome, elenco, percentuale, numero, seme, stratificato: stratificato.is_some() };
    let v = b.crea_campione(&req, n).await?;
    ctx::redirect_form_post(&format!("/presto/operatore/campioni/{}", v.id));
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "po_campioni")]
pub async fn po_campioni() -> Result<Vec<CampioneSintesi>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.campioni(&req).await
}

#[server(prefix = "/sf", endpoint = "po_campione")]
pub async fn po_campione(id: i64) -> Result<CampioneView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.campione(&req, id).await
}

#[server(prefix = "/sf", endpoint = "po_verifica_riga")]
pub async fn po_verifica_riga(
    id: i64,
    riga: i64,
    version: i64,
    #[server(default)] esito: String,
    #[server(default)] nota: String,
) -> Result<CampioneView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.verifica_riga(&req, id, riga, EsitoVerifica { esito, nota, version }).await?;
    ctx::redirect_form_post(&format!("/presto/operatore/campioni/{id}#riga-{riga}"));
    Ok(v)
}

#[server(prefix = "/sf", endpoint = "po_rimborsi")]
pub async fn po_rimborsi() -> Result<Vec<shared::presto::rimborsi::RimborsoView>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.rimborsi(&req).await
}

#[server(prefix = "/sf", endpoint = "po_chiedi_rimborso")]
pub async fn po_chiedi_rimborso(
    #[server(default)] tipo: String,
    #[server(default)] importo: String,
    #[server(default)] iban: String,
    #[server(default)] iban_intestato: Option<String>,
    #[server(default)] versamento_id: String,
    #[server(default)] motivo: String,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let n = shared::presto::rimborsi::NuovoRimborso {
        tipo,
        importo,
        iban,
        iban_intestato: iban_intestato.is_some(),
        versamento_id: versamento_id.trim().parse().ok(),
        motivo,
    };
    let v = b.chiedi_rimborso(&req, n).await?;
    Ok(Fatto::vai(format!("/presto/rimborsi?chiesto={}", v.id)))
}

#[server(prefix = "/sf", endpoint = "po_rimborsi_sede")]
pub async fn po_rimborsi_sede() -> Result<Vec<shared::presto::rimborsi::RimborsoView>, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    b.rimborsi_sede(&req).await
}

#[server(prefix = "/sf", endpoint = "po_decidi_rimborso")]
pub async fn po_decidi_rimborso(
    id: i64,
    esito: String,
    #[server(default)] nota: String,
) -> Result<shared::presto::rimborsi::RimborsoView, UiError> {
    let (b, req) = ctx::backend::<dyn PrestoBackend>()?;
    let v = b.decidi_rimborso(&req, id, shared::presto::rimborsi::DecisioneRimborso { esito, nota }).await?;
    ctx::redirect_form_post("/presto/operatore/rimborsi");
    Ok(v)
}
