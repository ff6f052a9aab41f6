//! Unit tests of the rules of fondo_tesoreria.rs, with the thresholds as the migration dates them.

use super::*;
use crate::smart_task::engine::Esito;

/// The threshold in force on `day`, as `facts::parameters` reads it from the migration's rows.
fn params(day: &str) -> BTreeMap<String, String> {
    let rows = [("2007-01-01", "50"), ("2026-01-01", "60"), ("2028-01-01", "50"), ("2032-01-01", "40")];
    rows.iter()
        .rev()
        .find(|(dal, _)| *dal <= day)
        .map(|(_, v)| [(PARAM_SOGLIA.to_string(), v.to_string())].into())
        .unwrap_or_default()
}

fn facts(media: i64) -> Facts {
    Facts {
        contribuente_id: 1,
        natura_giuridica: "SRL".into(),
        anno_riferimento: 2025,
        media_centesimi: media,
        mesi_dichiarati: 12,
        presente_dal: None,
        matricole: vec![10, 11],
        cedente_obbligato: None,
    }
}

fn failed(dal: &str, base: Base, f: &Facts) -> Vec<String> {
    let r = Richiesta { dal: crate::infra::clock::parse_date(dal).unwrap(), base };
    let (checks, _) = rules(&r, f, &params(dal));
    checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
}

#[test]
fn the_threshold_in_force_on_the_start_date() {
    // 55 employees: enough under the threshold of 50, not under the 60 of 2026–27.
    assert!(failed("2025-12-31", Base::Soglia, &facts(5500)).is_empty());
    assert_eq!(failed("2026-01-01", Base::Soglia, &facts(5500)), ["ST15.SOGLIA_DIMENSIONALE"]);
    assert!(failed("2026-01-01", Base::Soglia, &facts(6000)).is_empty());
    assert_eq!(failed("2026-01-01", Base::Soglia, &facts(5999)), ["ST15.SOGLIA_DIMENSIONALE"]);
    assert_eq!(failed("2027-12-31", Base::Soglia, &facts(5500)), ["ST15.SOGLIA_DIMENSIONALE"]);
    assert!(failed("2028-01-01", Base::Soglia, &facts(5500)).is_empty());
    assert_eq!(failed("2031-12-31", Base::Soglia, &facts(4500)), ["ST15.SOGLIA_DIMENSIONALE"]);
    assert!(failed("2032-01-01", Base::Soglia, &facts(4500)).is_empty());
    // Before 2007 no threshold is in force.
    assert_eq!(failed("2006-12-31", Base::Soglia, &facts(9000)), ["ST15.SOGLIA_DIMENSIONALE"]);
}

#[test]
fn each_other_failure() {
    let mut pa = facts(9000);
    pa.natura_giuridica = "ENTE_PUBBLICO".into();
    assert_eq!(failed("2025-06-01", Base::Soglia, &pa), ["ST15.DATORE_PRIVATO"]);
    let mut gia = facts(9000);
    gia.presente_dal = crate::infra::clock::parse_date("2020-01-01");
    assert_eq!(failed("2025-06-01", Base::Soglia, &gia), ["ST15.CODICE_1R_NON_PRESENTE"]);
    let mut nessuna = facts(9000);
    nessuna.matricole.clear();
    assert_eq!(failed("2025-06-01", Base::Soglia, &nessuna), ["ST15.MATRICOLE_IN_ESSERE"]);
    let cedente = || Base::Trasferimento { cedente: shared::ids::CodiceFiscale::parse("12345678903").unwrap() };
    let mut t = facts(1000);
    t.cedente_obbligato = Some(true);
    assert!(failed("2026-03-01", cedente(), &t).is_empty(), "a transfer does not need the threshold");
    t.cedente_obbligato = Some(false);
    assert_eq!(failed("2026-03-01", cedente(), &t), ["ST15.CEDENTE_TENUTO_AL_VERSAMENTO"]);
}
