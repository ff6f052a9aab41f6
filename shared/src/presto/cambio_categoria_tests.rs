use super::*;
use crate::presto::parametri::tests::{al, righe};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn pr(id: i64, giorno: &str, euro: i64) -> PrestazioneRegistrata {
    PrestazioneRegistrata {
        id,
        giorno: d(giorno),
        prestatore: "Russo Paolo".into(),
        minuti: 240,
        compenso: Euro::from_cents(euro * 100),
        peso_limite: Euro::from_cents(euro * 100),
        finalita_pa: None,
    }
}

fn codici(n: &NonConforme) -> Vec<&str> {
    n.controlli.iter().map(|c| c.codice.as_str()).collect()
}

#[test]
fn everything_fits_a_wider_category() {
    let list = [pr(1, "2026-03-02", 6_000), pr(2, "2026-04-02", 6_000)];
    let out = non_conformi(CategoriaCpo::EventiFiereTermeParchi, Some(1200), &list, &righe()).unwrap();
    assert_eq!(out, vec![]);
}

#[test]
fn limit_b_of_the_new_category_lists_the_prestazione_that_crosses_it_and_the_later_ones() {
    // 14,000 € in 2026 fits events (15,000) but not the general category (10,000).
    let list = [
        pr(3, "2026-05-02", 4_000),
        pr(1, "2026-03-02", 6_000),
        pr(2, "2026-04-02", 4_000),
        pr(4, "2025-12-30", 9_000),
        pr(5, "2026-06-02", 1),
    ];
    let out = non_conformi(CategoriaCpo::Generale, Some(300), &list, &righe()).unwrap();
    let ids: Vec<i64> = out.iter().map(|n| n.prestazione.id).collect();
    assert_eq!(ids, vec![3, 5], "the 2025 one and the first 10,000 € fit: {out:#?}");
    assert_eq!(codici(&out[0]), vec!["PO.LIMITE_UTILIZZATORE"]);
    assert!(out[0].controlli[0].motivo.contains("10.000,00"), "{out:#?}");
    // Exactly at the limit fits.
    let list = [pr(1, "2026-03-02", 6_000), pr(2, "2026-04-02", 4_000)];
    assert_eq!(non_conformi(CategoriaCpo::Generale, Some(300), &list, &righe()).unwrap(), vec![]);
}

#[test]
fn public_administration_needs_a_purpose_on_every_prestazione() {
    let mut with = pr(1, "2026-03-02", 100);
    with.finalita_pa = Some(FinalitaPa::Manifestazioni);
    let out =
        non_conformi(CategoriaCpo::PubblicaAmministrazione, Some(5000), &[with, pr(2, "2026-03-03", 100)], &righe())
            .unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].prestazione.id, codici(&out[0])), (2, vec!["PO.FINALITA_PA"]));
}

#[test]
fn employee_cap_is_the_one_in_force_on_each_day() {
    // 8 employees: over the hotel cap of 5 before 14/7/2018, within 8 from that day.
    let list = [pr(1, "2018-07-13", 100), pr(2, "2018-07-14", 100)];
    let out = non_conformi(CategoriaCpo::AlberghieroRicettivo, Some(800), &list, &righe()).unwrap();
    assert_eq!(out.iter().map(|n| n.prestazione.id).collect::<Vec<_>>(), vec![1]);
    assert_eq!(codici(&out[0]), vec!["PO.DIPENDENTI"]);
}

#[test]
fn agriculture_only_until_2022_and_its_rates_do_not_survive_a_move_to_the_general_category() {
    let list = [pr(1, "2022-12-31", 100), pr(2, "2023-01-01", 100)];
    let out = non_conformi(CategoriaCpo::Agricoltura, Some(100), &list, &righe()).unwrap();
    assert_eq!(out.iter().map(|n| n.prestazione.id).collect::<Vec<_>>(), vec![2]);
    assert_eq!(codici(&out[0]), vec!["PO.CATEGORIA_AMMESSA"]);
    // 4 hours at the agricultural area-3 rate (26.24 €) is below the general 36 €.
    let mut agri = pr(3, "2022-06-01", 0);
    agri.compenso = Euro::from_cents(2624);
    let out = non_conformi(CategoriaCpo::Generale, Some(100), &[agri, pr(4, "2022-06-02", 36)], &righe()).unwrap();
    assert_eq!(out.iter().map(|n| n.prestazione.id).collect::<Vec<_>>(), vec![3]);
    assert_eq!(codici(&out[0]), vec!["PO.COMPENSO_MINIMO"]);
}

#[test]
fn admission_today() {
    assert_eq!(ammissibile(CategoriaCpo::Generale, Some(1000), &al("2026-12-04")), vec![]);
    let no = ammissibile(CategoriaCpo::Generale, Some(1001), &al("2026-12-04"));
    assert_eq!(no.iter().map(|c| c.codice.as_str()).collect::<Vec<_>>(), vec!["PO.DIPENDENTI"]);
    assert_eq!(ammissibile(CategoriaCpo::PubblicaAmministrazione, Some(900_000), &al("2026-12-04")), vec![]);
    assert_eq!(ammissibile(CategoriaCpo::Agricoltura, Some(100), &al("2026-12-04")).len(), 1);
}
