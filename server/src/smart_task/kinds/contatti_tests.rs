//! Unit tests of the rules of contatti.rs.

use super::*;
use crate::smart_task::engine::Esito;
use chrono::NaiveDate;
use shared::{Email, Telefono};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
fn new() -> Contatti {
    Contatti {
        email: Some(Email::parse("nuova@studio.it").unwrap()),
        pec: None,
        telefono: Some(Telefono::parse("06 123456").unwrap()),
        cellulare: None,
    }
}
fn failed(c: &[Check]) -> Vec<&str> {
    c.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
}
fn common() -> CommonFacts {
    CommonFacts {
        data_riferimento: day(2026, 11, 22),
        titolo_richiedente: Some("x".into()),
        richieste_aperte_stesso_oggetto: 0,
    }
}
/// An employee's delega given by contributor `cid`, in force since 2025.
fn delega_of(cid: i64) -> Delega {
    Delega {
        id: 9,
        contribuente_id: cid,
        ruolo: "dipendente".into(),
        delegato_persona_id: 30,
        data_inizio: day(2025, 1, 1),
        data_fine: None,
        revocata_dal: None,
    }
}
fn ifacts() -> IntermediarioFacts {
    IntermediarioFacts {
        intermediario_id: Some(1),
        intermediario_persona_id: Some(5),
        richiedente_persona_id: Some(5),
        deleghe_attive: 3,
        attuali: Current { email: Some("vecchia@studio.it".into()), ..Default::default() },
    }
}

#[test]
fn intermediario_checks() {
    let (c, e) = rules_intermediario(&new(), &ifacts());
    assert!(failed(&c).is_empty());
    assert_eq!(e.len(), 1);
    let mut f = ifacts();
    f.richiedente_persona_id = Some(6);
    assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST06.RICHIEDENTE_E_L_INTERMEDIARIO"]);
    let mut f = ifacts();
    f.deleghe_attive = 0;
    assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST06.ALMENO_UNA_DELEGA_ATTIVA"]);
    let mut f = ifacts();
    f.attuali =
        Current { email: Some("nuova@studio.it".into()), telefono: Some("06123456".into()), ..Default::default() };
    assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST00.ALMENO_UN_CONTATTO_VARIATO"]);
}

#[test]
fn dipendente_checks() {
    let common = common();
    let delega = delega_of(2);
    let f = DipendenteFacts {
        contribuente_id: 2,
        delega: Some(delega.clone()),
        richiedente_persona_id: Some(30),
        richiedente_rappresentante_legale: false,
        attuali: Current::default(),
    };
    assert!(failed(&rules_dipendente(&new(), &f, &common).0).is_empty());
    let mut g = f.clone();
    g.delega = Some(Delega { revocata_dal: Some(day(2026, 1, 1)), ..delega.clone() });
    assert_eq!(failed(&rules_dipendente(&new(), &g, &common).0), ["ST07.DELEGA_A_DIPENDENTE_IN_VIGORE"]);
    let mut g = f.clone();
    g.richiedente_persona_id = Some(31);
    assert_eq!(failed(&rules_dipendente(&new(), &g, &common).0), ["ST07.RICHIEDENTE_TITOLATO"]);
    g.richiedente_rappresentante_legale = true;
    assert!(failed(&rules_dipendente(&new(), &g, &common).0).is_empty(), "the legal representative may");
}

#[test]
fn someone_elses_intermediary_is_refused_alone_and_reveals_nothing() {
    // As loaded for a target that is not the requester's: nothing read from it.
    let f = IntermediarioFacts {
        intermediario_id: None,
        intermediario_persona_id: None,
        richiedente_persona_id: Some(6),
        deleghe_attive: 0,
        attuali: Current::default(),
    };
    let (c, e) = rules_intermediario(&new(), &f);
    assert_eq!(c.len(), 1, "no other check runs: {c:?}");
    assert_eq!(failed(&c), ["ST06.RICHIEDENTE_E_L_INTERMEDIARIO"]);
    assert_eq!(c[0].letti, serde_json::json!({ "richiedente_e_intermediario": false }));
    assert!(e.is_empty());
}

#[test]
fn a_delega_of_another_contributor_is_refused_alone() {
    let common = common();
    let altrui = delega_of(3);
    // Even facts stored before the loader filtered (a replay) give nothing away.
    let f = DipendenteFacts {
        contribuente_id: 2,
        delega: Some(altrui),
        richiedente_persona_id: Some(30),
        richiedente_rappresentante_legale: true,
        attuali: Current { email: Some("privata@example.it".into()), ..Default::default() },
    };
    let (c, e) = rules_dipendente(&new(), &f, &common);
    assert_eq!(failed(&c), ["ST07.DELEGA_DEL_CONTRIBUENTE"]);
    assert_eq!(c.len(), 1);
    assert!(!serde_json::to_string(&c).unwrap().contains("privata"));
    assert!(e.is_empty());
    let none = DipendenteFacts { delega: None, attuali: Current::default(), ..f };
    assert_eq!(rules_dipendente(&new(), &none, &common).0, c, "the same as a delega that does not exist");
}
