//! Unit tests of the rules of contatti_anomali.rs.

use super::*;
use crate::smart_task::engine::{Decision, Esito, Outcome};
use crate::smart_task::kind::decide;
use chrono::NaiveDate;
use shared::smart_task::Kind;

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

fn run(f: Facts, motivo: MotivoCancellazione) -> Decision {
    let common = CommonFacts {
        data_riferimento: day(2026, 11, 22),
        titolo_richiedente: Some("titolare".into()),
        richieste_aperte_stesso_oggetto: 0,
    };
    let r = Richiesta { contatto_id: 11, motivo };
    decide(&CancellazioneContattiAnomali, Kind::CancellazioneContattiAnomaliNdr, &r, &f, &common, &Default::default())
}

fn failed(d: &Decision) -> Vec<&str> {
    d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
}

#[test]
fn flagged_contact_is_deleted() {
    let d = run(facts(), MotivoCancellazione::CasellaPiena);
    assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
    assert_eq!(d.effects, vec![serde_json::to_value(Effect::CancellaContattoNotifica { contatto_id: 11 }).unwrap()]);
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
