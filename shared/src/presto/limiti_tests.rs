use super::*;
use crate::presto::costo::{costo_cpo, costo_lf};
use crate::presto::parametri::tests::al;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A CPO of 4 hours at 9 €/h on `giorno`, from 9:00, communicated the day before.
fn cpo(giorno: &str, compenso_cents: i64) -> NuovaPrestazioneFatti {
    let g = d(giorno);
    NuovaPrestazioneFatti {
        strumento: Strumento::Cpo,
        categoria: Some(CategoriaCpo::Generale),
        dipendenti_centesimi: Some(300),
        giorno: g,
        inizio: g.and_hms_opt(9, 0, 0),
        minuti: 240,
        titoli: None,
        costo: costo_cpo(Euro::from_cents(compenso_cents)).unwrap(),
        adesso: g.pred_opt().unwrap().and_hms_opt(18, 0, 0).unwrap(),
        saldo: Euro::from_cents(10_000_000),
        prestatore_speciale: false,
        ultimo_rapporto: None,
        finalita_pa: None,
    }
}

fn esito(checks: &[CheckView], codice: &str) -> Esito {
    checks.iter().find(|c| c.codice == codice).unwrap_or_else(|| panic!("{codice} non eseguito")).esito
}

fn run(f: &NuovaPrestazioneFatti, c: &Contatori) -> Vec<CheckView> {
    controlli_prestazione(f, c, &al(&f.giorno.to_string()))
}

#[test]
fn all_pass_on_a_plain_prestazione() {
    let checks = run(&cpo("2026-06-10", 3600), &Contatori::default());
    assert!(checks.iter().all(|c| c.esito == Esito::Ok), "{checks:#?}");
}

#[test]
fn user_limit_exactly_at_and_over_both_sides_of_2023() {
    // 2022: 5,000. Exactly at the limit passes, one cent over fails.
    let f = cpo("2022-12-31", 5000);
    let at = Contatori { utilizzatore_pesato: Euro::from_cents(500_000 - 5000), ..Default::default() };
    let over = Contatori { utilizzatore_pesato: Euro::from_cents(500_000 - 4999), ..Default::default() };
    assert_eq!(esito(&run(&f, &at), "PO.LIMITE_UTILIZZATORE"), Esito::Ok);
    assert_eq!(esito(&run(&f, &over), "PO.LIMITE_UTILIZZATORE"), Esito::Ko);
    // 2023: 10,000, so the same counters pass.
    let f = cpo("2023-01-01", 5000);
    assert_eq!(esito(&run(&f, &over), "PO.LIMITE_UTILIZZATORE"), Esito::Ok);
    let over23 = Contatori { utilizzatore_pesato: Euro::from_cents(1_000_000 - 4999), ..Default::default() };
    assert_eq!(esito(&run(&f, &over23), "PO.LIMITE_UTILIZZATORE"), Esito::Ko);
}

#[test]
fn events_limit_both_sides_of_dl_48_2023() {
    let c = Contatori { utilizzatore_pesato: Euro::from_cents(1_200_000), ..Default::default() };
    let mut before = cpo("2023-05-04", 5000);
    before.categoria = Some(CategoriaCpo::EventiFiereTermeParchi);
    let mut after = before.clone();
    after.giorno = d("2023-05-05");
    after.inizio = after.giorno.and_hms_opt(9, 0, 0);
    after.adesso = d("2023-05-04").and_hms_opt(18, 0, 0).unwrap();
    assert_eq!(esito(&run(&before, &c), "PO.LIMITE_UTILIZZATORE"), Esito::Ko);
    assert_eq!(esito(&run(&after, &c), "PO.LIMITE_UTILIZZATORE"), Esito::Ok);
}

#[test]
fn special_categories_count_at_75_percent_on_the_user_limit_only() {
    // 100 € pay counts 75 € toward (b): 9,925 + 75 = 10,000 exactly.
    let mut f = cpo("2026-03-02", 10_000);
    f.prestatore_speciale = true;
    let c = Contatori {
        utilizzatore_pesato: Euro::from_cents(992_500),
        prestatore: Euro::from_cents(490_000),
        ..Default::default()
    };
    let checks = run(&f, &c);
    assert_eq!(esito(&checks, "PO.LIMITE_UTILIZZATORE"), Esito::Ok);
    assert_eq!(esito(&checks, "PO.LIMITE_PRESTATORE"), Esito::Ok, "490,000 + 10,000 = 500,000 exactly");
    f.prestatore_speciale = false;
    assert_eq!(esito(&run(&f, &c), "PO.LIMITE_UTILIZZATORE"), Esito::Ko);
    let c = Contatori { prestatore: Euro::from_cents(490_001), ..Default::default() };
    f.prestatore_speciale = true;
    assert_eq!(
        esito(&run(&f, &c), "PO.LIMITE_PRESTATORE"),
        Esito::Ko,
        "(a) counts at 100 % even for special categories"
    );
    assert_eq!(peso_limite(Euro::from_cents(3333), true, 75), Euro::from_cents(2500));
}

#[test]
fn pair_limit_and_hours() {
    let f = cpo("2026-03-02", 5000);
    let at = Contatori { coppia: Euro::from_cents(245_000), coppia_minuti: 280 * 60 - 240, ..Default::default() };
    let checks = run(&f, &at);
    assert_eq!(esito(&checks, "PO.LIMITE_COPPIA"), Esito::Ok);
    assert_eq!(esito(&checks, "PO.ORE_COPPIA"), Esito::Ok);
    let over = Contatori { coppia: Euro::from_cents(245_001), coppia_minuti: 280 * 60 - 239, ..Default::default() };
    let checks = run(&f, &over);
    assert_eq!(esito(&checks, "PO.LIMITE_COPPIA"), Esito::Ko);
    assert_eq!(esito(&checks, "PO.ORE_COPPIA"), Esito::Ko);
}

#[test]
fn balance_must_cover_the_cost() {
    let mut f = cpo("2026-03-02", 3600);
    f.saldo = Euro::from_cents(4964);
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.SALDO"), Esito::Ok);
    f.saldo = Euro::from_cents(4963);
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.SALDO"), Esito::Ko);
}

#[test]
fn minimum_pay_hourly_and_daily() {
    // 4 h need 36 €; 5 h need 45 €; 1 h still needs 36 € (daily minimum).
    assert_eq!(esito(&run(&cpo("2026-03-02", 3600), &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ok);
    assert_eq!(esito(&run(&cpo("2026-03-02", 3599), &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ko);
    let mut f = cpo("2026-03-02", 4500);
    f.minuti = 300;
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ok);
    f.costo = costo_cpo(Euro::from_cents(4499)).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ko);
    f.minuti = 60;
    f.costo = costo_cpo(Euro::from_cents(900)).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ko);
}

#[test]
fn notice_60_minutes_before_start() {
    let mut f = cpo("2026-03-02", 3600);
    f.adesso = d("2026-03-02").and_hms_opt(8, 0, 0).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.PREAVVISO"), Esito::Ok, "exactly 60 minutes");
    f.adesso = d("2026-03-02").and_hms_opt(8, 0, 1).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.PREAVVISO"), Esito::Ko);
}

#[test]
fn lf_deadline_third_of_next_month() {
    assert_eq!(termine_lf(d("2026-01-31")), d("2026-02-03"));
    assert_eq!(termine_lf(d("2026-12-15")), d("2027-01-03"));
    let mut f = cpo("2026-01-20", 0);
    f.strumento = Strumento::Lf;
    f.categoria = None;
    f.inizio = None;
    f.titoli = Some(4);
    f.costo = costo_lf(4).unwrap();
    f.adesso = d("2026-02-03").and_hms_opt(23, 59, 0).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.TERMINE_LF"), Esito::Ok);
    f.adesso = d("2026-02-04").and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.TERMINE_LF"), Esito::Ko);
    // One voucher covers at most an hour.
    f.minuti = 241;
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.COMPENSO_MINIMO"), Esito::Ko);
}

#[test]
fn agriculture_both_sides_of_2023_and_pa_purposes() {
    let mut f = cpo("2022-12-31", 3600);
    f.categoria = Some(CategoriaCpo::Agricoltura);
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.CATEGORIA_AMMESSA"), Esito::Ok);
    let mut g = cpo("2023-01-01", 3600);
    g.categoria = Some(CategoriaCpo::Agricoltura);
    assert_eq!(esito(&run(&g, &Contatori::default()), "PO.CATEGORIA_AMMESSA"), Esito::Ko);
    let mut pa = cpo("2026-03-02", 3600);
    pa.categoria = Some(CategoriaCpo::PubblicaAmministrazione);
    pa.dipendenti_centesimi = Some(100_000);
    let checks = run(&pa, &Contatori::default());
    assert_eq!(esito(&checks, "PO.FINALITA_PA"), Esito::Ko);
    assert!(checks.iter().all(|c| c.codice != "PO.DIPENDENTI"), "no cap for PAs");
    pa.finalita_pa = Some(FinalitaPa::Manifestazioni);
    assert_eq!(esito(&run(&pa, &Contatori::default()), "PO.FINALITA_PA"), Esito::Ok);
}

#[test]
fn employee_cap_as_of_the_day() {
    let mut f = cpo("2022-12-31", 3600);
    f.dipendenti_centesimi = Some(500);
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.DIPENDENTI"), Esito::Ok, "exactly 5 in 2022");
    f.dipendenti_centesimi = Some(501);
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.DIPENDENTI"), Esito::Ko);
    let mut g = cpo("2023-01-01", 3600);
    g.dipendenti_centesimi = Some(1000);
    assert_eq!(esito(&run(&g, &Contatori::default()), "PO.DIPENDENTI"), Esito::Ok, "exactly 10 from 2023");
    g.dipendenti_centesimi = Some(1001);
    assert_eq!(esito(&run(&g, &Contatori::default()), "PO.DIPENDENTI"), Esito::Ko);
}

#[test]
fn forbidden_pair_within_six_months() {
    let mut f = cpo("2026-06-30", 3600);
    f.ultimo_rapporto = Some(d("2025-12-30"));
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.RAPPORTO_VIETATO"), Esito::Ok);
    f.ultimo_rapporto = Some(d("2025-12-31"));
    assert_eq!(esito(&run(&f, &Contatori::default()), "PO.RAPPORTO_VIETATO"), Esito::Ko);
}
