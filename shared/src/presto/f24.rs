//! A line of the F24 flow that funds the wallets (domain.md §1.5), as INPS receives it and as
//! `server import-f24` reads it. The flow is CSV with this header (one line per F24 line):
//!
//! `id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento`
//!
//! - `id_riga`: the line's identifier in the flow (unique; a repeated line is ignored);
//! - `modello`: `ELIDE` or `EP` (public administrations);
//! - `codice_fiscale`: the CONTRIBUENTE section (the user's CF);
//! - `sezione`: `I`; `causale`: `LIFA` (Libretto Famiglia) or `CLOC` (CPO);
//! - ELIDE: `riferimento_a` empty, `riferimento_b` the year (AAAA); EP: `riferimento_a` `00MM`,
//!   `riferimento_b` the year;
//! - `importo_centesimi`: the amount in cents; `data_versamento`: AAAA-MM-GG.

use crate::ids::CodiceFiscale;
use crate::money::Euro;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const INTESTAZIONE: [&str; 9] = [
    "id_riga",
    "modello",
    "codice_fiscale",
    "sezione",
    "causale",
    "riferimento_a",
    "riferimento_b",
    "importo_centesimi",
    "data_versamento",
];

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Causale {
    Lifa,
    Cloc,
}

impl Causale {
    pub fn code(self) -> &'static str {
        match self {
            Causale::Lifa => "LIFA",
            Causale::Cloc => "CLOC",
        }
    }
    pub fn from_code(s: &str) -> Option<Causale> {
        match s {
            "LIFA" => Some(Causale::Lifa),
            "CLOC" => Some(Causale::Cloc),
            _ => None,
        }
    }
}

/// A validated line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RigaF24 {
    pub id_riga: String,
    pub modello: String,
    pub codice_fiscale: CodiceFiscale,
    pub causale: Causale,
    pub anno: i32,
    pub importo: Euro,
    pub data_versamento: NaiveDate,
}

/// Validates the fields of one line (in the order of [`INTESTAZIONE`]); every problem is listed.
pub fn parse_riga(f: &[&str]) -> Result<RigaF24, Vec<String>> {
    if f.len() != INTESTAZIONE.len() {
        return Err(vec![format!("attesi {} campi, trovati {}", INTESTAZIONE.len(), f.len())]);
    }
    let mut errs = vec![];
    let id_riga = f[0].trim().to_string();
    if id_riga.is_empty() || id_riga.len() > 64 {
        errs.push("id_riga mancante o più lungo di 64 caratteri".to_string());
    }
    let modello = f[1].trim().to_ascii_uppercase();
    if modello != "ELIDE" && modello != "EP" {
        errs.push(format!("modello «{}» non valido (ELIDE o EP)", f[1].trim()));
    }
    let cf = CodiceFiscale::parse(f[2]).map_err(|e| errs.push(format!("codice fiscale: {e}"))).ok();
    if f[3].trim() != "I" {
        errs.push(format!("sezione «{}» non valida (atteso I)", f[3].trim()));
    }
    let causale_txt = f[4].trim().to_ascii_uppercase();
    let causale = Causale::from_code(&causale_txt);
    if causale.is_none() {
        errs.push(format!("causale «{}» non valida (LIFA o CLOC)", f[4].trim()));
    }
    if modello == "EP" {
        let a = f[5].trim();
        let ok = a.len() == 4 && a.starts_with("00") && a[2..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
        if !ok {
            errs.push(format!("riferimento A «{a}» non valido per F24 EP (00MM)"));
        }
        if causale == Some(Causale::Lifa) {
            errs.push("il modello F24 EP si usa solo con la causale CLOC".into());
        }
    }
    let anno = f[6].trim().parse::<i32>().ok().filter(|y| (2017..=2100).contains(y));
    if anno.is_none() {
        errs.push(format!("anno di riferimento «{}» non valido", f[6].trim()));
    }
    let importo = f[7].trim().parse::<i64>().ok().filter(|c| *c > 0).map(Euro::from_cents);
    if importo.is_none() {
        errs.push(format!("importo «{}» non valido (centesimi, maggiore di zero)", f[7].trim()));
    }
    let data = NaiveDate::parse_from_str(f[8].trim(), "%Y-%m-%d").ok();
    if data.is_none() {
        errs.push(format!("data di versamento «{}» non valida (AAAA-MM-GG)", f[8].trim()));
    }
    match (cf, causale, anno, importo, data) {
        (Some(codice_fiscale), Some(causale), Some(anno), Some(importo), Some(data_versamento)) if errs.is_empty() => {
            Ok(RigaF24 { id_riga, modello, codice_fiscale, causale, anno, importo, data_versamento })
        }
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_lines() {
        let ok =
            parse_riga(&["R1", "ELIDE", "RSSMRA85T10A562S", "I", "LIFA", "", "2026", "10000", "2026-03-01"]).unwrap();
        assert_eq!((ok.causale, ok.anno, ok.importo.cents()), (Causale::Lifa, 2026, 10000));
        let ep = parse_riga(&["R2", "EP", "80012345676", "I", "CLOC", "0003", "2026", "5000", "2026-03-01"]);
        assert!(ep.is_ok(), "{ep:?}");
        let bad = parse_riga(&["", "X", "ABC", "E", "DM10", "", "20x6", "-3", "01/03/2026"]).unwrap_err();
        assert_eq!(bad.len(), 8, "{bad:?}");
        assert!(parse_riga(&["R3", "EP", "80012345676", "I", "CLOC", "0013", "2026", "5000", "2026-03-01"]).is_err());
        assert!(parse_riga(&["R3", "ELIDE"]).is_err());
    }
}
