//! The portal's delega check (Msg. 1099/2018 §6): the operator names delegato, delegante and
//! role; the portal shows the latest delega for the three and opens the delegante's position
//! only when it is valid today. Missing, expired, revoked or not yet valid: no access through
//! this channel, and the reason. A delegante outside the operator's region reads as missing.

use super::fe;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::clock;
use crate::services::Services;
use shared::CodiceFiscale;
use shared::presto::portale::{DelegaView, EsitoDelega, RicercaDelega};
use shared::time::format_date_text_it;
use sqlx::Row;

const RUOLI: &[&str] = &["intermediario", "dipendente"];

/// The three keys, parsed: every error at once.
fn chiavi(q: &RicercaDelega) -> AppResult<(CodiceFiscale, CodiceFiscale, &'static str)> {
    let mut errs = vec![];
    let delegato = match CodiceFiscale::parse(&q.delegato) {
        Ok(cf) if cf.is_person() => Some(cf),
        Ok(_) => {
            errs.push(fe(
                "delegato",
                "persona",
                "Il delegato è una persona: indicare il codice fiscale di 16 caratteri.",
            ));
            None
        }
        Err(e) => {
            errs.push(fe("delegato", e.code(), format!("Codice fiscale del delegato: {e}")));
            None
        }
    };
    let delegante = CodiceFiscale::parse(&q.delegante)
        .map_err(|e| errs.push(fe("delegante", e.code(), format!("Codice fiscale del delegante: {e}"))))
        .ok();
    let ruolo = RUOLI.iter().copied().find(|r| *r == q.ruolo.trim());
    if ruolo.is_none() {
        errs.push(fe("ruolo", "unknown", "Scegliere il ruolo del delegato: intermediario o dipendente."));
    }
    match (delegato, delegante, ruolo) {
        (Some(a), Some(b), Some(r)) if errs.is_empty() => Ok((a, b, r)),
        _ => Err(AppError::Validation(errs)),
    }
}

impl Services {
    pub async fn verifica_delega(&self, caller: &Caller, q: RicercaDelega) -> AppResult<EsitoDelega> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let (delegato, delegante, ruolo) = chiavi(&q)?;
        let rows = sqlx::query(
            "SELECT g.id, g.ruolo, g.data_inizio, g.data_fine, g.revocata_dal, g.documento,
                    p.cognome || ' ' || p.nome AS delegato, p.codice_fiscale AS delegato_cf,
                    c.id AS contribuente_id, c.ragione_sociale, c.codice_fiscale AS delegante_cf, s.regione
             FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id
                  JOIN contribuenti c ON c.id = g.contribuente_id JOIN sedi s ON s.id = c.sede_id
             WHERE p.codice_fiscale = $1 AND c.codice_fiscale = $2 AND g.ruolo = $3
             ORDER BY g.data_inizio DESC, g.id DESC",
        )
        .bind(delegato.as_str())
        .bind(delegante.as_str())
        .bind(ruolo)
        .fetch_all(&self.db.read)
        .await?;
        let mut found = None;
        for r in rows {
            let regione: String = r.try_get("regione")?;
            if sc.reads(&regione) {
                found = Some(r);
                break;
            }
        }
        let Some(r) = found else {
            return Ok(EsitoDelega {
                stato: "assente".into(),
                messaggio: "Non risulta una delega tra questo delegato e questo delegante per il ruolo indicato, tra i soggetti di competenza: la posizione del delegante non è accessibile da questo canale.".into(),
                delega: None,
                contribuente_id: None,
                utilizzatore_id: None,
            });
        };
        let d = DelegaView {
            id: r.try_get("id")?,
            delegato: r.try_get("delegato")?,
            delegato_cf: r.try_get("delegato_cf")?,
            delegante: r.try_get("ragione_sociale")?,
            delegante_cf: r.try_get("delegante_cf")?,
            ruolo: r.try_get("ruolo")?,
            data_inizio: r.try_get("data_inizio")?,
            data_fine: r.try_get("data_fine")?,
            revocata_dal: r.try_get("revocata_dal")?,
            documento: r.try_get("documento")?,
        };
        let today = self.clock.today();
        let day = |s: &Option<String>| s.as_deref().and_then(clock::parse_date);
        let no = "la posizione del delegante non è accessibile da questo canale.";
        let (stato, messaggio) = if let Some(rev) = day(&d.revocata_dal).filter(|x| *x <= today) {
            ("revocata", format!("Delega revocata con effetto dal {}: {no}", format_date_text_it(&rev.to_string())))
        } else if let Some(fine) = day(&d.data_fine).filter(|x| *x < today) {
            ("scaduta", format!("Delega scaduta il {}: {no}", format_date_text_it(&fine.to_string())))
        } else if clock::parse_date(&d.data_inizio).is_some_and(|i| i > today) {
            ("futura", format!("Delega valida dal {}: oggi {no}", format_date_text_it(&d.data_inizio)))
        } else {
            ("valida", "Delega valida oggi: è possibile consultare la posizione del delegante.".to_string())
        };
        let (contribuente_id, utilizzatore_id) = if stato == "valida" {
            let cid: i64 = r.try_get("contribuente_id")?;
            let uid: Option<i64> = sqlx::query("SELECT id FROM utilizzatori WHERE contribuente_id = $1")
                .bind(cid)
                .fetch_optional(&self.db.read)
                .await?
                .map(|x| x.try_get(0))
                .transpose()?;
            (Some(cid), uid)
        } else {
            (None, None)
        };
        Ok(EsitoDelega { stato: stato.into(), messaggio, delega: Some(d), contribuente_id, utilizzatore_id })
    }
}
