//! The dated parameters of the service, resolved as of one day from the rows of the `parametri`
//! table (name, valid from, value). The server reads the rows; this module picks, for each name,
//! the row with the latest `valido_dal` not after the day.

use super::tipi::CategoriaCpo;
use crate::money::Euro;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RigaParametro {
    pub nome: String,
    pub valido_dal: NaiveDate,
    pub valore: String,
}

pub const LIMITE_PRESTATORE: &str = "PO.LIMITE.PRESTATORE";
pub const LIMITE_UTILIZZATORE: &str = "PO.LIMITE.UTILIZZATORE";
pub const LIMITE_UTILIZZATORE_EVENTI: &str = "PO.LIMITE.UTILIZZATORE_EVENTI";
pub const LIMITE_COPPIA: &str = "PO.LIMITE.COPPIA";
pub const ORE_COPPIA: &str = "PO.LIMITE.ORE_COPPIA";
pub const PERCENTUALE_SPECIALI: &str = "PO.PERCENTUALE_CATEGORIE_SPECIALI";
pub const MINIMO_ORARIO: &str = "PO.CPO.MINIMO_ORARIO";
pub const MINIMO_GIORNALIERO: &str = "PO.CPO.MINIMO_GIORNALIERO";
pub const AGRICOLTURA_AMMESSA: &str = "PO.CPO.AGRICOLTURA_AMMESSA";
pub const PREAVVISO_MINUTI: &str = "PO.CPO.PREAVVISO_MINUTI";
pub const REVOCA_GIORNI: &str = "PO.REVOCA_GIORNI";
pub const RAPPORTO_VIETATO_MESI: &str = "PO.RAPPORTO_VIETATO_MESI";

/// The employee cap of a CPO category; no row means no cap (public administrations).
pub fn cap_dipendenti(c: CategoriaCpo) -> String {
    format!("PO.CAP_DIPENDENTI.{}", c.code().to_uppercase())
}

/// Everything the checks of one prestazione read, as of its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParametriPresto {
    pub giorno: NaiveDate,
    pub limite_prestatore: Euro,
    pub limite_utilizzatore: Euro,
    /// Only from the entry into force of D.L. 48/2023.
    pub limite_utilizzatore_eventi: Option<Euro>,
    pub limite_coppia: Euro,
    pub ore_coppia: i64,
    /// Percent of the pay to special-category prestatori counted toward the user's limit.
    pub percentuale_speciali: i64,
    pub minimo_orario: Euro,
    pub minimo_giornaliero: Euro,
    pub agricoltura_ammessa: bool,
    pub preavviso_minuti: i64,
    pub revoca_giorni: i64,
    pub rapporto_vietato_mesi: u32,
    /// Employee caps by category code (absent: no cap).
    pub cap_dipendenti: Vec<(CategoriaCpo, i64)>,
}

/// The value of `nome` on `giorno`, if any row is in force.
pub fn valore<'a>(rows: &'a [RigaParametro], nome: &str, giorno: NaiveDate) -> Option<&'a str> {
    rows.iter()
        .filter(|r| r.nome == nome && r.valido_dal <= giorno)
        .max_by_key(|r| r.valido_dal)
        .map(|r| r.valore.as_str())
}

impl ParametriPresto {
    pub fn as_of(rows: &[RigaParametro], giorno: NaiveDate) -> Result<ParametriPresto, String> {
        let num = |nome: &str| -> Result<i64, String> {
            valore(rows, nome, giorno)
                .ok_or_else(|| format!("parametro {nome} assente al {giorno}"))?
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("parametro {nome} non numerico"))
        };
        let opt = |nome: &str| -> Result<Option<i64>, String> {
            valore(rows, nome, giorno)
                .map(|v| v.trim().parse::<i64>().map_err(|_| format!("parametro {nome} non numerico")))
                .transpose()
        };
        let mut caps = vec![];
        for c in CategoriaCpo::ALL {
            if let Some(n) = opt(&cap_dipendenti(*c))? {
                caps.push((*c, n));
            }
        }
        Ok(ParametriPresto {
            giorno,
            limite_prestatore: Euro::from_cents(num(LIMITE_PRESTATORE)?),
            limite_utilizzatore: Euro::from_cents(num(LIMITE_UTILIZZATORE)?),
            limite_utilizzatore_eventi: opt(LIMITE_UTILIZZATORE_EVENTI)?.map(Euro::from_cents),
            limite_coppia: Euro::from_cents(num(LIMITE_COPPIA)?),
            ore_coppia: num(ORE_COPPIA)?,
            percentuale_speciali: num(PERCENTUALE_SPECIALI)?,
            minimo_orario: Euro::from_cents(num(MINIMO_ORARIO)?),
            minimo_giornaliero: Euro::from_cents(num(MINIMO_GIORNALIERO)?),
            agricoltura_ammessa: num(AGRICOLTURA_AMMESSA)? != 0,
            preavviso_minuti: num(PREAVVISO_MINUTI)?,
            revoca_giorni: num(REVOCA_GIORNI)?,
            rapporto_vietato_mesi: u32::try_from(num(RAPPORTO_VIETATO_MESI)?)
                .map_err(|_| format!("parametro {RAPPORTO_VIETATO_MESI} fuori intervallo"))?,
            cap_dipendenti: caps,
        })
    }

    /// Limit (b) for a user of this instrument and category.
    pub fn limite_utilizzatore_per(&self, categoria: Option<CategoriaCpo>) -> Euro {
        match (categoria, self.limite_utilizzatore_eventi) {
            (Some(CategoriaCpo::EventiFiereTermeParchi), Some(l)) => l,
            _ => self.limite_utilizzatore,
        }
    }

    pub fn cap_per(&self, categoria: CategoriaCpo) -> Option<i64> {
        self.cap_dipendenti.iter().find(|(c, _)| *c == categoria).map(|(_, n)| *n)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The rows of the migration `…_presto.sql` (the integration tests read the real table).
    pub(crate) fn righe() -> Vec<RigaParametro> {
        [
            (LIMITE_PRESTATORE, "2017-01-01", "500000"),
            (LIMITE_UTILIZZATORE, "2017-01-01", "500000"),
            (LIMITE_UTILIZZATORE, "2023-01-01", "1000000"),
            (LIMITE_UTILIZZATORE_EVENTI, "2023-05-05", "1500000"),
            (LIMITE_COPPIA, "2017-01-01", "250000"),
            (ORE_COPPIA, "2017-01-01", "280"),
            (PERCENTUALE_SPECIALI, "2017-01-01", "75"),
            (MINIMO_ORARIO, "2017-01-01", "900"),
            (MINIMO_GIORNALIERO, "2017-01-01", "3600"),
            (AGRICOLTURA_AMMESSA, "2017-01-01", "1"),
            (AGRICOLTURA_AMMESSA, "2023-01-01", "0"),
            (PREAVVISO_MINUTI, "2017-01-01", "60"),
            (REVOCA_GIORNI, "2017-01-01", "3"),
            (RAPPORTO_VIETATO_MESI, "2017-01-01", "6"),
            ("PO.CAP_DIPENDENTI.GENERALE", "2017-01-01", "5"),
            ("PO.CAP_DIPENDENTI.GENERALE", "2023-01-01", "10"),
            ("PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO", "2017-01-01", "5"),
            ("PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO", "2018-07-14", "8"),
            ("PO.CAP_DIPENDENTI.ALBERGHIERO_RICETTIVO", "2023-01-01", "10"),
            ("PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI", "2017-01-01", "5"),
            ("PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI", "2023-01-01", "10"),
            ("PO.CAP_DIPENDENTI.EVENTI_FIERE_TERME_PARCHI", "2023-05-05", "25"),
            ("PO.CAP_DIPENDENTI.AGRICOLTURA", "2017-01-01", "5"),
        ]
        .into_iter()
        .map(|(n, dal, v)| RigaParametro { nome: n.into(), valido_dal: d(dal), valore: v.into() })
        .collect()
    }

    pub(crate) fn al(giorno: &str) -> ParametriPresto {
        ParametriPresto::as_of(&righe(), d(giorno)).unwrap()
    }

    #[test]
    fn user_limit_2022_to_2023() {
        assert_eq!(al("2022-12-31").limite_utilizzatore, Euro::from_cents(500_000));
        assert_eq!(al("2023-01-01").limite_utilizzatore, Euro::from_cents(1_000_000));
    }

    #[test]
    fn events_limit_from_dl_48_2023() {
        let ev = Some(CategoriaCpo::EventiFiereTermeParchi);
        assert_eq!(al("2023-05-04").limite_utilizzatore_per(ev), Euro::from_cents(1_000_000));
        assert_eq!(al("2023-05-05").limite_utilizzatore_per(ev), Euro::from_cents(1_500_000));
        assert_eq!(al("2023-05-05").limite_utilizzatore_per(Some(CategoriaCpo::Generale)), Euro::from_cents(1_000_000));
    }

    #[test]
    fn agriculture_and_caps() {
        assert!(al("2022-12-31").agricoltura_ammessa);
        assert!(!al("2023-01-01").agricoltura_ammessa);
        assert_eq!(al("2022-12-31").cap_per(CategoriaCpo::Generale), Some(5));
        assert_eq!(al("2023-01-01").cap_per(CategoriaCpo::Generale), Some(10));
        assert_eq!(al("2018-07-13").cap_per(CategoriaCpo::AlberghieroRicettivo), Some(5));
        assert_eq!(al("2018-07-14").cap_per(CategoriaCpo::AlberghieroRicettivo), Some(8));
        assert_eq!(al("2023-05-04").cap_per(CategoriaCpo::EventiFiereTermeParchi), Some(10));
        assert_eq!(al("2023-05-05").cap_per(CategoriaCpo::EventiFiereTermeParchi), Some(25));
        assert_eq!(al("2026-01-01").cap_per(CategoriaCpo::PubblicaAmministrazione), None);
    }

    #[test]
    fn missing_parameter_is_an_error() {
        assert!(ParametriPresto::as_of(&righe(), d("2016-12-31")).is_err());
    }
}
