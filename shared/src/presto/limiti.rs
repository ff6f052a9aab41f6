//! The checks run on every prestazione before it is accepted (domain.md §1.2–§1.4): each a
//! small named rule with a stable code, an Italian reason and its legal reference. Pure: the
//! server loads the counters of the calendar year (under lock) and the parameters as of the day.

use super::costo::Costo;
use super::parametri::ParametriPresto;
use super::tipi::{CategoriaCpo, FinalitaPa, Strumento};
use crate::money::Euro;
use crate::richiesta::{CheckView, Esito};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// What the year already holds (revoked prestazioni excluded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contatori {
    /// (a) pay to this prestatore from all users.
    pub prestatore: Euro,
    /// (b) pay from this user to all prestatori, special categories at 75 %.
    pub utilizzatore_pesato: Euro,
    /// (c) pay from this user to this prestatore.
    pub coppia: Euro,
    pub coppia_minuti: i64,
}

/// The facts of the prestazione being entered.
#[derive(Debug, Clone)]
pub struct NuovaPrestazioneFatti {
    pub strumento: Strumento,
    pub categoria: Option<CategoriaCpo>,
    /// Average employees × 100 (the real average, not rounded).
    pub dipendenti_centesimi: Option<i64>,
    pub giorno: NaiveDate,
    /// CPO: start, Italian local time.
    pub inizio: Option<NaiveDateTime>,
    pub minuti: i64,
    /// LF: vouchers used.
    pub titoli: Option<u32>,
    pub costo: Costo,
    /// Italian local time of the communication.
    pub adesso: NaiveDateTime,
    pub saldo: Euro,
    pub prestatore_speciale: bool,
    /// End (or today, if ongoing) of the latest employment or co.co.co. between the two parties.
    pub ultimo_rapporto: Option<NaiveDate>,
    pub finalita_pa: Option<FinalitaPa>,
}

const ART: &str = "art. 54-bis D.L. 50/2017";

fn check(codice: &str, descrizione: &str, ok: bool, motivo: String, riferimento: &str) -> CheckView {
    CheckView {
        codice: codice.into(),
        descrizione: descrizione.into(),
        esito: if ok { Esito::Ok } else { Esito::Ko },
        motivo,
        riferimento: riferimento.into(),
    }
}

/// The pay counted toward the user's limit: 75 % for special-category prestatori.
pub fn peso_limite(compenso: Euro, speciale: bool, percentuale: i64) -> Euro {
    if !speciale {
        return compenso;
    }
    Euro::from_decimal(compenso.to_decimal() * Decimal::new(percentuale, 2)).unwrap_or(compenso)
}

/// The last day an LF prestazione may be communicated: the 3rd of the following month.
pub fn termine_lf(giorno: NaiveDate) -> NaiveDate {
    let first = giorno.with_day(1).unwrap_or(giorno);
    first.checked_add_months(Months::new(1)).and_then(|d| d.with_day(3)).unwrap_or(giorno)
}

fn limite(codice: &str, descr: &str, gia: Euro, nuovo: Euro, max: Euro, rif: &str) -> CheckView {
    let totale = gia.checked_add(nuovo);
    let ok = totale.is_some_and(|t| t <= max);
    let residuo = max.checked_sub(gia).unwrap_or(Euro::ZERO).max(Euro::ZERO);
    let motivo = if ok {
        format!(
            "Utilizzati {gia} su {max}; dopo questa prestazione restano {}.",
            max.checked_sub(totale.unwrap_or(max)).unwrap_or(Euro::ZERO)
        )
    } else {
        format!("Utilizzati {gia} su {max}: restano {residuo}, la prestazione ne richiede {nuovo}.")
    };
    check(codice, descr, ok, motivo, rif)
}

/// Every check, in the order shown to the user. Accepted iff none is KO.
pub fn controlli_prestazione(f: &NuovaPrestazioneFatti, c: &Contatori, p: &ParametriPresto) -> Vec<CheckView> {
    let mut out = vec![termini(f, p)];
    out.push(compenso_minimo(f, p));
    if let Some(cat) = f.categoria {
        out.extend(categoria(f, cat, p));
    }
    out.push(match f.ultimo_rapporto {
        Some(fine) if f.giorno.checked_sub_months(Months::new(p.rapporto_vietato_mesi)).is_none_or(|da| fine > da) => {
            check(
                "PO.RAPPORTO_VIETATO",
                "Nessun rapporto di lavoro subordinato o co.co.co. negli ultimi 6 mesi",
                false,
                format!(
                    "Tra le parti risulta un rapporto di lavoro cessato il {} o ancora in corso: occorrono {} mesi.",
                    fine.format("%d/%m/%Y"),
                    p.rapporto_vietato_mesi
                ),
                "art. 54-bis c.5 D.L. 50/2017",
            )
        }
        _ => check(
            "PO.RAPPORTO_VIETATO",
            "Nessun rapporto di lavoro subordinato o co.co.co. negli ultimi 6 mesi",
            true,
            "Nessun rapporto di lavoro tra le parti negli ultimi 6 mesi.".into(),
            "art. 54-bis c.5 D.L. 50/2017",
        ),
    });
    let saldo_ok = f.saldo >= f.costo.totale;
    out.push(check(
        "PO.SALDO",
        "Il portafoglio copre l'intero costo",
        saldo_ok,
        if saldo_ok {
            format!("Saldo {}, costo {}.", f.saldo, f.costo.totale)
        } else {
            format!("Il saldo disponibile ({}) non copre il costo della prestazione ({}): alimentare il portafoglio con F24 o pagoPA.", f.saldo, f.costo.totale)
        },
        "art. 54-bis c.9 D.L. 50/2017",
    ));
    let compenso = f.costo.compenso;
    out.push(limite(
        "PO.LIMITE_PRESTATORE",
        "Limite annuo del prestatore (tutti gli utilizzatori)",
        c.prestatore,
        compenso,
        p.limite_prestatore,
        "art. 54-bis c.1 lett. a",
    ));
    let peso = peso_limite(compenso, f.prestatore_speciale, p.percentuale_speciali);
    let mut lu = limite(
        "PO.LIMITE_UTILIZZATORE",
        "Limite annuo dell'utilizzatore (tutti i prestatori)",
        c.utilizzatore_pesato,
        peso,
        p.limite_utilizzatore_per(f.categoria),
        "art. 54-bis c.1 lett. b e c.8",
    );
    if f.prestatore_speciale {
        lu.motivo = format!(
            "{} Il compenso conta al {} % (prestatore di categoria speciale).",
            lu.motivo, p.percentuale_speciali
        );
    }
    out.push(lu);
    out.push(limite(
        "PO.LIMITE_COPPIA",
        "Limite annuo tra lo stesso utilizzatore e lo stesso prestatore",
        c.coppia,
        compenso,
        p.limite_coppia,
        "art. 54-bis c.1 lett. c",
    ));
    let max_min = p.ore_coppia * 60;
    let ore_ok = c.coppia_minuti.checked_add(f.minuti).is_some_and(|t| t <= max_min);
    out.push(check(
        "PO.ORE_COPPIA",
        "Al massimo 280 ore nell'anno con lo stesso utilizzatore",
        ore_ok,
        format!(
            "Ore già svolte {}, questa prestazione {}, massimo {}.",
            ore(c.coppia_minuti),
            ore(f.minuti),
            p.ore_coppia
        ),
        "art. 54-bis c.20 D.L. 50/2017",
    ));
    out
}

fn ore(minuti: i64) -> String {
    if minuti % 60 == 0 { format!("{}", minuti / 60) } else { format!("{}:{:02}", minuti / 60, minuti % 60) }
}

fn termini(f: &NuovaPrestazioneFatti, p: &ParametriPresto) -> CheckView {
    match (f.strumento, f.inizio) {
        (Strumento::Cpo, Some(inizio)) => {
            let anticipo = (inizio - f.adesso).num_minutes();
            check(
                "PO.PREAVVISO",
                "Comunicazione almeno 60 minuti prima dell'inizio",
                anticipo >= p.preavviso_minuti,
                if anticipo >= p.preavviso_minuti {
                    format!("Comunicata {} prima dell'inizio.", ore(anticipo))
                } else {
                    format!(
                        "La prestazione inizia il {} alle {}: va comunicata almeno {} minuti prima.",
                        inizio.format("%d/%m/%Y"),
                        inizio.format("%H:%M"),
                        p.preavviso_minuti
                    )
                },
                "art. 54-bis c.17 D.L. 50/2017",
            )
        }
        (Strumento::Cpo, None) => check(
            "PO.PREAVVISO",
            "Comunicazione almeno 60 minuti prima dell'inizio",
            false,
            "Manca l'ora di inizio.".into(),
            ART,
        ),
        (Strumento::Lf, _) => {
            let termine = termine_lf(f.giorno);
            let ok = f.adesso.date() <= termine;
            check(
                "PO.TERMINE_LF",
                "Comunicazione entro il giorno 3 del mese successivo",
                ok,
                format!("Termine: {}.", termine.format("%d/%m/%Y")),
                "art. 54-bis c.12 D.L. 50/2017",
            )
        }
    }
}

fn compenso_minimo(f: &NuovaPrestazioneFatti, p: &ParametriPresto) -> CheckView {
    match f.strumento {
        Strumento::Lf => {
            let titoli = i64::from(f.titoli.unwrap_or(0));
            let ok = titoli >= 1 && f.minuti <= titoli * 60;
            check(
                "PO.COMPENSO_MINIMO",
                "Un titolo da 10 € per ogni ora di lavoro",
                ok,
                format!("{} titoli per {} ore.", titoli, ore(f.minuti)),
                "art. 54-bis c.11 D.L. 50/2017",
            )
        }
        Strumento::Cpo => {
            let orario =
                Euro::from_decimal(p.minimo_orario.to_decimal() * Decimal::new(f.minuti, 0) / Decimal::new(60, 0))
                    .unwrap_or(Euro::ZERO);
            let minimo = orario.max(p.minimo_giornaliero);
            let ok = f.costo.compenso >= minimo;
            check(
                "PO.COMPENSO_MINIMO",
                "Compenso minimo: 9 € l'ora e 36 € al giorno",
                ok,
                if ok {
                    format!("Compenso {} per {} ore (minimo {}).", f.costo.compenso, ore(f.minuti), minimo)
                } else {
                    format!(
                        "Per {} ore il compenso minimo è {} (9 € l'ora, almeno 36 € al giorno); indicato {}.",
                        ore(f.minuti),
                        minimo,
                        f.costo.compenso
                    )
                },
                "art. 54-bis c.16 D.L. 50/2017",
            )
        }
    }
}

fn categoria(f: &NuovaPrestazioneFatti, cat: CategoriaCpo, p: &ParametriPresto) -> Vec<CheckView> {
    let mut out = vec![];
    match cat {
        CategoriaCpo::Agricoltura => out.push(check(
            "PO.CATEGORIA_AMMESSA", "La categoria dell'utilizzatore può usare il CPO nel giorno della prestazione", p.agricoltura_ammessa,
            if p.agricoltura_ammessa { "Agricoltura ammessa fino al 31/12/2022.".into() } else { "Dal 1° gennaio 2023 le imprese agricole non possono usare il CPO (si usa il lavoro occasionale in agricoltura, LOAgri).".into() },
            "art. 1 c.343 L. 197/2022")),
        CategoriaCpo::PubblicaAmministrazione => out.push(check(
            "PO.FINALITA_PA", "Le pubbliche amministrazioni solo per le finalità consentite", f.finalita_pa.is_some(),
            match f.finalita_pa { Some(x) => format!("Finalità: {}.", x.label()), None => "Indicare una delle finalità consentite alle pubbliche amministrazioni.".into() },
            "art. 54-bis c.7 D.L. 50/2017")),
        _ => {}
    }
    if let (Some(cap), Some(n)) = (p.cap_per(cat), f.dipendenti_centesimi) {
        let ok = n <= cap * 100;
        out.push(check(
            "PO.DIPENDENTI",
            "Numero di dipendenti a tempo indeterminato entro il limite della categoria",
            ok,
            format!("Media dichiarata {},{:02}; limite per la categoria {} dipendenti.", n / 100, n % 100, cap),
            "art. 54-bis c.14 lett. a D.L. 50/2017",
        ));
    }
    out
}

#[cfg(test)]
#[path = "limiti_tests.rs"]
mod tests;
