//! Changing a CPO user's category (Msg. 1099/2018 §3): whether the new category fits today, and
//! whether every prestazione already entered would have been allowed under it on its own day —
//! the check the head office runs before a change that a branch may not make. Pure: the server
//! loads the prestazioni and the rows of the dated parameters.

use super::parametri::{ParametriPresto, RigaParametro};
use super::tipi::{CategoriaCpo, FinalitaPa};
use crate::money::Euro;
use crate::richiesta::{CheckView, Esito};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A prestazione already entered (revoked ones are not passed: they never counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrestazioneRegistrata {
    pub id: i64,
    pub giorno: NaiveDate,
    pub prestatore: String,
    pub minuti: i64,
    pub compenso: Euro,
    /// What counted toward limit (b) (75 % for special categories).
    pub peso_limite: Euro,
    pub finalita_pa: Option<FinalitaPa>,
}

/// One prestazione that would not have been allowed under the new category, with every check it
/// fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonConforme {
    pub prestazione: PrestazioneRegistrata,
    pub controlli: Vec<CheckView>,
}

const RIF_C14: &str = "art. 54-bis c.14 D.L. 50/2017";

fn ko(codice: &str, descrizione: &str, motivo: String, riferimento: &str) -> CheckView {
    CheckView {
        codice: codice.into(),
        descrizione: descrizione.into(),
        esito: Esito::Ko,
        motivo,
        riferimento: riferimento.into(),
    }
}

fn dipendenti(n: i64) -> String {
    format!("{},{:02}", n / 100, n % 100)
}

/// Whether a user may take `nuova` on `p.giorno` (the category's own admission and employee cap):
/// the reasons it may not, empty when it may.
pub fn ammissibile(nuova: CategoriaCpo, dipendenti_centesimi: Option<i64>, p: &ParametriPresto) -> Vec<CheckView> {
    let mut out = vec![];
    if nuova == CategoriaCpo::Agricoltura && !p.agricoltura_ammessa {
        out.push(ko(
            "PO.CATEGORIA_AMMESSA",
            "La categoria può usare il CPO in quella data",
            format!(
                "Il {} le imprese agricole non potevano usare il CPO (dal 1° gennaio 2023 si usa il LOAgri).",
                p.giorno.format("%d/%m/%Y")
            ),
            "art. 1 c.343 L. 197/2022",
        ));
    }
    if let (Some(cap), Some(n)) = (p.cap_per(nuova), dipendenti_centesimi)
        && n > cap * 100
    {
        out.push(ko(
            "PO.DIPENDENTI",
            "Dipendenti a tempo indeterminato entro il limite della categoria",
            format!(
                "Media dichiarata {}; il {} il limite della categoria era di {cap} dipendenti.",
                dipendenti(n),
                p.giorno.format("%d/%m/%Y")
            ),
            RIF_C14,
        ));
    }
    out
}

/// The prestazioni that would not have been allowed under `nuova`, each as of its own day: the
/// category's admission and employee cap, the purposes allowed to public administrations, the
/// general pay minimum (agricultural rates were lower), and limit (b) of the new category summed
/// over each calendar year in the order the prestazioni were entered.
pub fn non_conformi(
    nuova: CategoriaCpo,
    dipendenti_centesimi: Option<i64>,
    prestazioni: &[PrestazioneRegistrata],
    parametri: &[RigaParametro],
) -> Result<Vec<NonConforme>, String> {
    let mut ordinate: Vec<&PrestazioneRegistrata> = prestazioni.iter().collect();
    ordinate.sort_by_key(|p| (p.giorno, p.id));
    let mut per_anno: HashMap<i32, Euro> = HashMap::new();
    let mut out = vec![];
    for pr in ordinate {
        let p = ParametriPresto::as_of(parametri, pr.giorno)?;
        let mut controlli = ammissibile(nuova, dipendenti_centesimi, &p);
        if nuova == CategoriaCpo::PubblicaAmministrazione && pr.finalita_pa.is_none() {
            controlli.push(ko(
                "PO.FINALITA_PA",
                "Le pubbliche amministrazioni solo per le finalità consentite",
                "La prestazione non indica una delle finalità consentite alle pubbliche amministrazioni.".into(),
                "art. 54-bis c.7 D.L. 50/2017",
            ));
        }
        if nuova != CategoriaCpo::Agricoltura {
            let orario =
                Euro::from_decimal(p.minimo_orario.to_decimal() * Decimal::new(pr.minuti, 0) / Decimal::new(60, 0))
                    .unwrap_or(Euro::ZERO);
            let minimo = orario.max(p.minimo_giornaliero);
            if pr.compenso < minimo {
                controlli.push(ko(
                    "PO.COMPENSO_MINIMO",
                    "Compenso minimo: 9 € l'ora e 36 € al giorno",
                    format!(
                        "Compenso {} sotto il minimo di {minimo} (le tariffe agricole non valgono per la nuova categoria).",
                        pr.compenso
                    ),
                    "art. 54-bis c.16 D.L. 50/2017",
                ));
            }
        }
        let gia = per_anno.entry(pr.giorno.year()).or_insert(Euro::ZERO);
        let limite = p.limite_utilizzatore_per(Some(nuova));
        match gia.checked_add(pr.peso_limite) {
            Some(tot) if tot <= limite => *gia = tot,
            tot => {
                controlli.push(ko(
                    "PO.LIMITE_UTILIZZATORE",
                    "Limite annuo dell'utilizzatore (tutti i prestatori)",
                    format!(
                        "Con questa prestazione l'utilizzatore arriva a {} nel {}, oltre il limite di {limite} della nuova categoria.",
                        tot.map(|t| t.to_string()).unwrap_or_else(|| "un importo fuori scala".into()),
                        pr.giorno.year()
                    ),
                    "art. 54-bis c.1 lett. b D.L. 50/2017",
                ));
                // Counted anyway: every later prestazione of the year is over the limit too.
                *gia = tot.unwrap_or(*gia);
            }
        }
        if !controlli.is_empty() {
            out.push(NonConforme { prestazione: pr.clone(), controlli });
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "cambio_categoria_tests.rs"]
mod tests;
