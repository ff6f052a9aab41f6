use super::*;

fn righe(n: i64, strati: &[&str]) -> Vec<(i64, String)> {
    (1..=n).map(|id| (id, strati[(id as usize) % strati.len()].to_string())).collect()
}

#[test]
fn the_same_seed_draws_the_same_rows_in_any_order() {
    let list = righe(1000, &["lf"]);
    let a = campione(&list, 42, Dimensione::Percentuale(5), false);
    let mut reversed = list.clone();
    reversed.reverse();
    assert_eq!(a, campione(&reversed, 42, Dimensione::Percentuale(5), false));
    assert_eq!(a.len(), 50);
    let b = campione(&list, 43, Dimensione::Percentuale(5), false);
    assert_ne!(a, b, "another seed, another sample");
    let mut unique = a.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 50);
}

#[test]
fn sizes_round_up_and_never_exceed_the_list() {
    assert_eq!(campione(&righe(7, &["x"]), 1, Dimensione::Percentuale(10), false).len(), 1);
    assert_eq!(campione(&righe(7, &["x"]), 1, Dimensione::Percentuale(100), false).len(), 7);
    assert_eq!(campione(&righe(7, &["x"]), 1, Dimensione::Numero(20), false).len(), 7);
    assert_eq!(campione(&righe(0, &["x"]), 1, Dimensione::Numero(20), false), Vec::<i64>::new());
    assert_eq!(campione(&righe(7, &["x"]), 1, Dimensione::Numero(0), false), Vec::<i64>::new());
}

#[test]
fn strata_get_their_share() {
    // 600 in "a", 300 in "b", 100 in "c": 10 % gives 60, 30 and 10.
    let mut list = vec![];
    for id in 1..=1000i64 {
        let s = if id <= 600 {
            "a"
        } else if id <= 900 {
            "b"
        } else {
            "c"
        };
        list.push((id, s.to_string()));
    }
    let got = campione(&list, 7, Dimensione::Percentuale(10), true);
    let count = |lo: i64, hi: i64| got.iter().filter(|id| (lo..=hi).contains(*id)).count();
    assert_eq!((count(1, 600), count(601, 900), count(901, 1000)), (60, 30, 10));
    // 7 rows: 4.2, 2.1 and 0.7 by proportion; the largest remainder gives the last one to "c".
    let got = campione(&list, 7, Dimensione::Numero(7), true);
    assert_eq!(got.len(), 7);
    let count = |lo: i64, hi: i64| got.iter().filter(|id| (lo..=hi).contains(*id)).count();
    assert_eq!((count(1, 600), count(601, 900), count(901, 1000)), (4, 2, 1));
}

#[test]
fn filters_are_parsed_with_every_error_at_once() {
    let ok = RichiestaElenco {
        tipo: "prestatori".into(),
        dal: "01/01/2026".into(),
        al: "2026-12-31".into(),
        categoria_speciale: "pensionato".into(),
        importo_min: "1.000,00".into(),
        ..Default::default()
    };
    let f = ok.parse().unwrap();
    assert_eq!((f.tipo, f.categoria_speciale), (TipoElenco::Prestatori, Some(CategoriaSpeciale::Pensionato)));
    assert_eq!(f.importo_min, Some(Euro::from_cents(100_000)));
    let bad = RichiestaElenco {
        tipo: "tutti".into(),
        dal: "31/02/2026".into(),
        al: "".into(),
        strumento: "xx".into(),
        importo_min: "dieci".into(),
        ..Default::default()
    };
    let fields: Vec<&str> = bad.parse().unwrap_err().iter().map(|e| e.0).collect();
    assert_eq!(fields, vec!["tipo", "dal", "al", "strumento", "importo_min"]);
    let reversed = RichiestaElenco { dal: "02/01/2026".into(), al: "01/01/2026".into(), ..Default::default() };
    assert_eq!(reversed.parse().unwrap_err()[0].1, "order");
}
