//! What a personal codice fiscale says about its holder (D.M. 23/12/1976): surname, name, birth
//! date and sex are encoded in its first 11 characters, the birthplace's cadastral (Belfiore)
//! code in the next 4. Omocodia (digits replaced by letters to tell two holders apart) is
//! undone before comparing. Whether the birthplace code existed on the birth date is the
//! server's to check: the registry of comuni and countries is not sent to the browser.

use crate::ids::{CodiceFiscale, cf_check_char};
use chrono::{Datelike, NaiveDate};

const MONTHS: &[u8] = b"ABCDEHLMPRST";
const OMOCODE: &[u8] = b"LMNPQRSTUV";
/// 0-based positions holding digits, which omocodia may turn into letters.
const DIGITS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

fn letters(s: &str) -> (Vec<char>, Vec<char>) {
    // Accented letters count as their base letter (È → E), apostrophes and spaces not at all.
    let up: Vec<char> = s
        .to_uppercase()
        .chars()
        .map(|c| match c {
            'À' | 'Á' => 'A',
            'È' | 'É' => 'E',
            'Ì' | 'Í' => 'I',
            'Ò' | 'Ó' => 'O',
            'Ù' | 'Ú' => 'U',
            c => c,
        })
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    let vowels = up.iter().copied().filter(|c| "AEIOU".contains(*c)).collect();
    let cons = up.iter().copied().filter(|c| !"AEIOU".contains(*c)).collect();
    (cons, vowels)
}

fn three(mut v: Vec<char>) -> String {
    v.truncate(3);
    while v.len() < 3 {
        v.push('X');
    }
    v.into_iter().collect()
}

/// The first 11 characters for these personal data (surname, name, year, month, day + 40 for women).
pub fn dati_anagrafici(cognome: &str, nome: &str, nascita: NaiveDate, femmina: bool) -> String {
    let (c, v) = letters(cognome);
    let surname = three(c.into_iter().chain(v).collect());
    let (c, v) = letters(nome);
    let name = if c.len() >= 4 { three(vec![c[0], c[2], c[3]]) } else { three(c.into_iter().chain(v).collect()) };
    let month = MONTHS[nascita.month0() as usize] as char;
    let day = nascita.day() + if femmina { 40 } else { 0 };
    format!("{surname}{name}{:02}{month}{day:02}", nascita.year().rem_euclid(100))
}

/// The whole code for these data and birthplace code (without omocodia).
pub fn calcola(cognome: &str, nome: &str, nascita: NaiveDate, femmina: bool, luogo: &str) -> String {
    let first15 = format!("{}{luogo}", dati_anagrafici(cognome, nome, nascita, femmina));
    let check = cf_check_char(first15.as_bytes()).unwrap_or('X');
    format!("{first15}{check}")
}

/// The code with omocodia undone (letters in digit positions back to digits).
fn senza_omocodia(cf: &str) -> String {
    cf.bytes()
        .enumerate()
        .map(|(i, c)| match OMOCODE.iter().position(|o| *o == c) {
            Some(d) if DIGITS.contains(&i) => (b'0' + d as u8) as char,
            _ => c as char,
        })
        .collect()
}

/// The birthplace's cadastral code (e.g. H501 Roma, Z404 Stati Uniti), omocodia undone; None
/// for a company's numeric code.
pub fn codice_luogo(cf: &CodiceFiscale) -> Option<String> {
    cf.is_person().then(|| senza_omocodia(cf.as_str()).get(11..15).map(str::to_string)).flatten()
}

/// Whether a personal code encodes these surname, name, birth date and sex.
pub fn coerente(cf: &CodiceFiscale, cognome: &str, nome: &str, nascita: NaiveDate, femmina: bool) -> bool {
    cf.is_person()
        && senza_omocodia(cf.as_str()).get(..11) == Some(dati_anagrafici(cognome, nome, nascita, femmina).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, g).unwrap()
    }

    #[test]
    fn encodes_the_personal_data() {
        assert_eq!(calcola("Rossi", "Mario", d(1985, 12, 10), false, "A562"), "RSSMRA85T10A562S");
        assert_eq!(dati_anagrafici("Bianchi", "Giulia", d(1990, 1, 1), true), "BNCGLI90A41");
        // Four consonants or more in the name: first, third and fourth.
        assert_eq!(dati_anagrafici("Fo", "Gianfranco", d(1950, 3, 24), false), "FOXGFR50C24");
        assert_eq!(dati_anagrafici("D'Àngelo", "Nicolò", d(2001, 7, 5), false), "DNGNCL01L05");
    }

    #[test]
    fn checks_coherence_through_omocodia() {
        let cf = CodiceFiscale::parse("RSSMRA85T10A562S").unwrap();
        assert!(coerente(&cf, "Rossi", "Mario", d(1985, 12, 10), false));
        assert!(!coerente(&cf, "Rossi", "Mario", d(1985, 12, 11), false));
        assert!(!coerente(&cf, "Rossi", "Maria", d(1985, 12, 10), true));
        assert!(!coerente(&cf, "Bianchi", "Mario", d(1985, 12, 10), false));
        assert_eq!(codice_luogo(&cf).as_deref(), Some("A562"));
        // The last digit of the place turned into a letter (2 → N), check character recomputed.
        let first15 = "RSSMRA85T10A56N";
        let omocode = format!("{first15}{}", cf_check_char(first15.as_bytes()).unwrap());
        let cf = CodiceFiscale::parse(&omocode).unwrap();
        assert!(coerente(&cf, "Rossi", "Mario", d(1985, 12, 10), false));
        assert_eq!(codice_luogo(&cf).as_deref(), Some("A562"));
    }
}
