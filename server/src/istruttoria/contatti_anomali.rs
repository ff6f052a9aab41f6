//! Smart-Task 1: Cancellazione contatti anomali Note di Rettifica.
//!
//! A contact where notes di rettifica are notified may be deleted when the delivery system
//! flagged it (undelivered, mailbox full, invalid, not a PEC) or when it belongs to a delegato
//! whose delega has ended, provided another valid channel remains: a note must always reach
//! the contributor (domain.md §4.3 row 1).

use super::revoca_delega::{self, Delega};
use super::{Check, CommonFacts, Effect, Rule};
use serde::{Deserialize, Serialize};
use shared::smart_task::MotivoCancellazione;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contatto {
    pub id: i64,
    /// The contributor owning the position the contact is attached to.
    pub contribuente_id: i64,
    pub matricola: String,
    pub canale: String,
    pub indirizzo: String,
    pub titolare: String,
    pub anomalia: Option<String>,
    pub cancellato: bool,
    pub delega: Option<Delega>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub contatto: Option<Contatto>,
    /// The other contacts of the same position that are neither flagged nor deleted.
    pub altri_contatti_validi: Vec<String>,
    /// The company's PEC as registered (INI-PEC / Registro Imprese), a channel of last resort.
    pub pec_registrata: Option<String>,
}

pub const CONTATTO_DELLA_MATRICOLA: Rule = Rule {
    codice: "ST01.CONTATTO_DELLA_MATRICOLA",
    descrizione: "Il contatto è tra quelli a cui sono notificate le note di rettifica del contribuente",
    riferimento: "Msg. INPS 4583/2023, Cancellazione contatti anomali Note di Rettifica",
};
pub const CONTATTO_ANOMALO: Rule = Rule {
    codice: "ST01.CONTATTO_ANOMALO",
    descrizione: "Il contatto risulta anomalo oppure appartiene a un delegato con delega cessata",
    riferimento: "Msg. INPS 4583/2023; esiti di consegna del sistema di notifica",
};
pub const CANALE_RESIDUO: Rule = Rule {
    codice: "ST01.CANALE_RESIDUO",
    descrizione: "Dopo la cancellazione resta almeno un canale valido per le notifiche",
    riferimento: "D.L. 179/2012 art. 5 (INI-PEC); regola di progetto: la nota deve poter essere notificata",
};

fn anomalia_label(a: &str) -> &str {
    match a {
        "mancata_consegna" => "mancata consegna",
        "casella_piena" => "casella piena",
        "indirizzo_non_valido" => "indirizzo non valido",
        "non_pec" => "l'indirizzo non è una PEC",
        other => other,
    }
}

pub fn rules(
    contatto_id: i64,
    motivo: MotivoCancellazione,
    f: &Facts,
    common: &CommonFacts,
) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let contatto = f.contatto.as_ref().filter(|c| c.contribuente_id == f.contribuente_id && !c.cancellato);
    checks.push(
        CONTATTO_DELLA_MATRICOLA.check(
            contatto.is_some(),
            contatto
                .map(|c| format!("{} è un contatto di notifica della matricola {}.", c.indirizzo, c.matricola))
                .unwrap_or_default(),
            match &f.contatto {
                Some(c) if c.cancellato => "Il contatto risulta già cancellato.".to_string(),
                _ => {
                    "Il contatto indicato non è tra quelli di notifica delle note di rettifica di questo contribuente."
                        .to_string()
                }
            },
            serde_json::json!({
                "contatto_id": contatto_id,
                "trovato": f.contatto.is_some(),
                "contribuente_contatto": f.contatto.as_ref().map(|c| c.contribuente_id),
                "cancellato": f.contatto.as_ref().map(|c| c.cancellato),
            }),
        ),
    );
    let Some(c) = contatto else { return (checks, vec![]) };

    let delega_cessata = c.delega.as_ref().is_some_and(|g| !revoca_delega::attiva(g, common.data_riferimento));
    let ok = c.anomalia.is_some() || delega_cessata;
    let motivo_ok = match (&c.anomalia, delega_cessata) {
        (Some(a), _) => format!("Il sistema di notifica ha segnalato: {}.", anomalia_label(a)),
        _ => "Il contatto è di un delegato la cui delega è cessata.".to_string(),
    };
    let motivo_ko = if motivo == MotivoCancellazione::DelegaCessata && c.delega.is_some() {
        "La delega del titolare di questo contatto è ancora in vigore: per cancellarlo va prima revocata la delega."
    } else {
        "Il contatto non risulta anomalo: i messaggi vengono consegnati regolarmente. Se non è più corretto, lo aggiorni con una richiesta di variazione contatti."
    };
    checks.push(CONTATTO_ANOMALO.check(
        ok,
        motivo_ok,
        motivo_ko,
        serde_json::json!({
            "anomalia": c.anomalia,
            "titolare": c.titolare,
            "delega": c.delega.as_ref().map(|g| serde_json::json!({ "id": g.id, "data_fine": g.data_fine, "revocata_dal": g.revocata_dal })),
            "delega_cessata": delega_cessata,
            "motivo_dichiarato": motivo,
            "data_riferimento": common.data_riferimento,
        }),
    ));

    // The registered PEC counts unless it is the very address being deleted.
    let pec_alternativa = f.pec_registrata.as_deref().filter(|p| !p.eq_ignore_ascii_case(&c.indirizzo));
    let residuo_ok = !f.altri_contatti_validi.is_empty() || pec_alternativa.is_some();
    checks.push(CANALE_RESIDUO.check(
        residuo_ok,
        match (f.altri_contatti_validi.first(), pec_alternativa) {
            (Some(a), _) => format!("Le note continueranno ad arrivare a {a}."),
            (None, Some(p)) => format!("Le note saranno notificate alla PEC registrata {p}."),
            (None, None) => String::new(),
        },
        "È l'unico recapito valido per le notifiche: prima di cancellarlo comunichi una PEC valida (variazione PEC aziendale o Registro Imprese).",
        serde_json::json!({ "altri_contatti_validi": f.altri_contatti_validi, "pec_registrata": f.pec_registrata }),
    ));
    (checks, vec![Effect::CancellaContattoNotifica { contatto_id: c.id }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::{Esito, KindFacts, Outcome, Snapshot, decide};
    use chrono::NaiveDate;
    use shared::smart_task::{Kind, Parsed};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn facts() -> Facts {
        Facts {
            contribuente_id: 7,
            contatto: Some(Contatto {
                id: 11,
                contribuente_id: 7,
                matricola: "1000000012".into(),
                canale: "email".into(),
                indirizzo: "amministrazione@ditta.example.it".into(),
                titolare: "azienda".into(),
                anomalia: Some("casella_piena".into()),
                cancellato: false,
                delega: None,
            }),
            altri_contatti_validi: vec!["ditta@pec.example.it".into()],
            pec_registrata: Some("ditta@pec.example.it".into()),
        }
    }

    fn run(f: Facts, motivo: MotivoCancellazione) -> crate::istruttoria::Decision {
        let s = Snapshot {
            common: CommonFacts {
                data_riferimento: day(2026, 11, 22),
                titolo_richiedente: Some("titolare".into()),
                richieste_aperte_stesso_oggetto: 0,
            },
            kind: KindFacts::ContattiAnomali(f),
            parametri: Default::default(),
        };
        decide(Kind::CancellazioneContattiAnomaliNdr, &Parsed::CancellazioneContatto { contatto_id: 11, motivo }, &s)
    }

    fn failed(d: &crate::istruttoria::Decision) -> Vec<&str> {
        d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
    }

    #[test]
    fn flagged_contact_is_deleted() {
        let d = run(facts(), MotivoCancellazione::CasellaPiena);
        assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
        assert_eq!(d.effects, vec![Effect::CancellaContattoNotifica { contatto_id: 11 }]);
        assert!(d.checks[3].motivo.contains("casella piena"));
    }

    #[test]
    fn contact_of_another_contributor_or_already_deleted() {
        let mut f = facts();
        f.contatto.as_mut().unwrap().contribuente_id = 8;
        assert_eq!(failed(&run(f, MotivoCancellazione::CasellaPiena)), ["ST01.CONTATTO_DELLA_MATRICOLA"]);
        let mut f = facts();
        f.contatto.as_mut().unwrap().cancellato = true;
        let d = run(f, MotivoCancellazione::CasellaPiena);
        assert_eq!(failed(&d), ["ST01.CONTATTO_DELLA_MATRICOLA"]);
        assert!(d.motivi()[0].contains("già cancellato"));
        let mut f = facts();
        f.contatto = None;
        assert_eq!(failed(&run(f, MotivoCancellazione::CasellaPiena)), ["ST01.CONTATTO_DELLA_MATRICOLA"]);
    }

    #[test]
    fn a_working_contact_is_not_deleted_unless_its_delega_ended() {
        let mut f = facts();
        f.contatto.as_mut().unwrap().anomalia = None;
        assert_eq!(failed(&run(f.clone(), MotivoCancellazione::MancataConsegna)), ["ST01.CONTATTO_ANOMALO"]);
        let delega = Delega {
            id: 5,
            contribuente_id: 7,
            ruolo: "intermediario".into(),
            delegato_persona_id: 3,
            data_inizio: day(2020, 1, 1),
            data_fine: Some(day(2026, 11, 21)),
            revocata_dal: None,
        };
        f.contatto.as_mut().unwrap().delega = Some(delega.clone());
        assert_eq!(run(f.clone(), MotivoCancellazione::DelegaCessata).outcome, Outcome::Accolta);
        // Still in force on its last day: not deletable, and the message says why.
        f.contatto.as_mut().unwrap().delega = Some(Delega { data_fine: Some(day(2026, 11, 22)), ..delega });
        let d = run(f, MotivoCancellazione::DelegaCessata);
        assert_eq!(failed(&d), ["ST01.CONTATTO_ANOMALO"]);
        assert!(d.motivi()[0].contains("ancora in vigore"));
    }

    #[test]
    fn the_last_channel_stays() {
        let mut f = facts();
        f.altri_contatti_validi.clear();
        // The registered PEC is another address: it is the remaining channel.
        assert_eq!(run(f.clone(), MotivoCancellazione::CasellaPiena).outcome, Outcome::Accolta);
        // The contact to delete is the registered PEC itself and nothing else is valid.
        f.pec_registrata = Some("AMMINISTRAZIONE@ditta.example.it".into());
        assert_eq!(failed(&run(f.clone(), MotivoCancellazione::CasellaPiena)), ["ST01.CANALE_RESIDUO"]);
        f.pec_registrata = None;
        assert_eq!(failed(&run(f, MotivoCancellazione::CasellaPiena)), ["ST01.CANALE_RESIDUO"]);
    }
}
