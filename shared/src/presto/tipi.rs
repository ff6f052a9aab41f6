//! The vocabulary of the service: instruments, CPO categories, ATECO codes and the special
//! categories of prestatori whose pay counts at 75 % toward the user's limit.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// As stored and as the API writes it.
            pub fn code(self) -> &'static str { match self { $($name::$v => $code),+ } }
            pub fn from_code(code: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.code() == code) }
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
        }
    };
}

coded_enum!(
    /// The two instruments of occasional work.
    Strumento {
        Lf => "lf", "Libretto Famiglia";
        Cpo => "cpo", "Contratto di Prestazione Occasionale";
    }
);

coded_enum!(
    /// Who uses a CPO (domain.md §1.4). Agricoltura is kept for historical data only.
    CategoriaCpo {
        Generale => "generale", "Generale (professionisti, imprese, associazioni, enti privati)";
        AlberghieroRicettivo => "alberghiero_ricettivo", "Alberghiero e ricettivo";
        EventiFiereTermeParchi => "eventi_fiere_terme_parchi", "Congressi, fiere, eventi, stabilimenti termali e parchi divertimento";
        PubblicaAmministrazione => "pubblica_amministrazione", "Pubblica amministrazione (incluso ente locale)";
        Agricoltura => "agricoltura", "Agricoltura (solo storico, fino al 2022)";
    }
);

coded_enum!(
    /// Self-declared categories whose pay counts at 75 % toward limit (b) (art. 54-bis c.8).
    CategoriaSpeciale {
        Pensionato => "pensionato", "Titolare di pensione di vecchiaia o di invalidità";
        Studente => "studente", "Giovane con meno di 25 anni iscritto a un ciclo di studi";
        Disoccupato => "disoccupato", "Disoccupato (art. 19 d.lgs. 150/2015)";
        SostegnoReddito => "sostegno_reddito", "Percettore di prestazioni di sostegno del reddito";
    }
);

coded_enum!(
    /// The only purposes for which a public administration may use a CPO (art. 54-bis c.7).
    FinalitaPa {
        ProgettiSpeciali => "progetti_speciali", "Progetti speciali per categorie svantaggiate";
        Emergenze => "emergenze", "Lavori di emergenza per calamità o eventi naturali";
        Solidarieta => "solidarieta", "Attività di solidarietà";
        Manifestazioni => "manifestazioni", "Manifestazioni sociali, sportive, culturali o caritatevoli";
    }
);

coded_enum!(
    /// How a prestatore is paid.
    ModalitaPagamento {
        Iban => "iban", "Accredito sul conto (IBAN)";
        BonificoDomiciliato => "bonifico_domiciliato", "Bonifico domiciliato presso Poste Italiane";
    }
);

coded_enum!(
    StatoPrestazione {
        Inserita => "inserita", "Inserita";
        Revocata => "revocata", "Revocata";
        Pagata => "pagata", "Pagata";
    }
);

/// An ATECO 2007 code as typed (`41.20.00`, `4120`, `23.70.1`): the digits, at least the two of
/// the division.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ateco(String);

impl Ateco {
    pub fn parse(input: &str) -> Result<Ateco, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Indicare il codice ATECO dell'attività.");
        }
        let digits: String = s.chars().filter(|c| *c != '.').collect();
        if !(2..=6).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Codice ATECO non valido: da 2 a 6 cifre, ad esempio 56.10.11.");
        }
        Ok(Ateco(digits))
    }
    pub fn digits(&self) -> &str {
        &self.0
    }
    /// `56.10.11` style.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        let mut out = String::new();
        for (i, c) in d.chars().enumerate() {
            if i == 2 || i == 4 {
                out.push('.');
            }
            out.push(c);
        }
        out
    }
    /// Sectors always excluded from the CPO (art. 54-bis c.14 lett. b): construction and related
    /// sectors (ATECO F 41–43), mining and quarrying (B 05–09), stone cutting and working
    /// (23.70). Our reading of "edilizia e settori affini, escavazione o lavorazione di materiale
    /// lapideo, miniere, cave e torbiere" [D].
    pub fn escluso_dal_cpo(&self) -> Option<&'static str> {
        let division: u32 = self.0[..2].parse().unwrap_or(0);
        match division {
            41..=43 => Some("edilizia e settori affini (ATECO 41–43)"),
            5..=9 => Some("miniere, cave e torbiere (ATECO 05–09)"),
            23 if self.0.starts_with("2370") => Some("lavorazione di materiale lapideo (ATECO 23.70)"),
            _ => None,
        }
    }
}

impl TryFrom<String> for Ateco {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Ateco::parse(&s)
    }
}
impl From<Ateco> for String {
    fn from(a: Ateco) -> String {
        a.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in CategoriaCpo::ALL {
            assert_eq!(CategoriaCpo::from_code(c.code()), Some(*c));
        }
        assert_eq!(Strumento::from_code("lf"), Some(Strumento::Lf));
        assert_eq!(Strumento::from_code("LF"), None);
    }

    #[test]
    fn excluded_sectors() {
        let ex = |s: &str| Ateco::parse(s).unwrap().escluso_dal_cpo().is_some();
        assert!(ex("41.20.00"));
        assert!(ex("43"));
        assert!(ex("08.11"));
        assert!(ex("05"));
        assert!(ex("23.70.10"));
        assert!(!ex("23.61"), "concrete products are not stone working");
        assert!(!ex("44.00"));
        assert!(!ex("04"));
        assert!(!ex("56.10.11"));
        assert!(!ex("93.29.10"), "discos are in the general regime");
    }

    #[test]
    fn ateco_parsing() {
        assert_eq!(Ateco::parse(" 56.10.11 ").unwrap().formatted(), "56.10.11");
        assert!(Ateco::parse("5").is_err());
        assert!(Ateco::parse("56.1a").is_err());
        assert!(Ateco::parse("").is_err());
        assert!(Ateco::parse("1234567").is_err());
    }
}
