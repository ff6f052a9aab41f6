//! The portal's lists for checking self-declarations (Msg. 1099/2018 §5): utilizzatori (LF, CPO)
//! and prestatori with prestazioni in a period, for the operator's sede, and the reproducible
//! random samples drawn from them. The sampler is pure: the same list, seed and size always give
//! the same rows, whatever order the database returns them in.

use super::tipi::{CategoriaCpo, CategoriaSpeciale, Strumento};
use crate::money::Euro;
use serde::{Deserialize, Serialize};

/// Which list: users of one or both instruments, or prestatori.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipoElenco {
    Utilizzatori,
    Prestatori,
}

impl TipoElenco {
    pub fn code(self) -> &'static str {
        match self {
            TipoElenco::Utilizzatori => "utilizzatori",
            TipoElenco::Prestatori => "prestatori",
        }
    }
    pub fn from_code(s: &str) -> Option<TipoElenco> {
        [TipoElenco::Utilizzatori, TipoElenco::Prestatori].into_iter().find(|t| t.code() == s)
    }
}

/// The filters as typed (query string or form): every field text, parsed by [`FiltriElenco::parse`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RichiestaElenco {
    /// `utilizzatori` (default) or `prestatori`.
    pub tipo: String,
    /// First and last day of the prestazioni (gg/mm/aaaa or aaaa-mm-gg).
    pub dal: String,
    pub al: String,
    /// Utilizzatori: `lf` or `cpo` (empty: both).
    pub strumento: String,
    /// Utilizzatori CPO: the category code.
    pub categoria: String,
    /// Prestatori: a special category of the 75 % rule declared in the period.
    pub categoria_speciale: String,
    /// Total pay in the period, from / to (euro, Italian format).
    pub importo_min: String,
    pub importo_max: String,
}

/// The filters, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiltriElenco {
    pub tipo: TipoElenco,
    pub dal: chrono::NaiveDate,
    pub al: chrono::NaiveDate,
    pub strumento: Option<Strumento>,
    pub categoria: Option<CategoriaCpo>,
    pub categoria_speciale: Option<CategoriaSpeciale>,
    pub importo_min: Option<Euro>,
    pub importo_max: Option<Euro>,
}

/// A field and what is wrong with it (the server turns them into field errors).
pub type ErroreCampo = (&'static str, &'static str, String);

impl RichiestaElenco {
    /// Every error at once. The period is at most 10 years (the service began in 2017).
    pub fn parse(&self) -> Result<FiltriElenco, Vec<ErroreCampo>> {
        let mut errs: Vec<ErroreCampo> = vec![];
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let tipo = match opt(&self.tipo) {
            None => Some(TipoElenco::Utilizzatori),
            Some(t) => TipoElenco::from_code(&t).or_else(|| {
                errs.push(("tipo", "unknown", "Scegliere l'elenco: utilizzatori o prestatori.".into()));
                None
            }),
        };
        let mut day = |f: &'static str, s: &str, label: &str| match opt(s) {
            None => {
                errs.push((f, "required", format!("Indicare la data {label} del periodo.")));
                None
            }
            Some(d) => crate::time::parse_date_it(&d).or_else(|| {
                errs.push((f, "format", format!("Data {label} non valida: usare gg/mm/aaaa.")));
                None
            }),
        };
        let dal = day("dal", &self.dal, "iniziale");
        let al = day("al", &self.al, "finale");
        if let (Some(a), Some(b)) = (dal, al) {
            if b < a {
                errs.push(("al", "order", "La data finale precede quella iniziale.".into()));
            } else if (b - a).num_days() > 366 * 10 {
                errs.push(("al", "range", "Il periodo può essere al massimo di 10 anni.".into()));
            }
        }
        let code = |f: &'static str, s: &str, errs: &mut Vec<ErroreCampo>, parse: &dyn Fn(&str) -> bool| match opt(s) {
            Some(v) if !parse(&v) => {
                errs.push((f, "unknown", "Valore non previsto: sceglierlo dall'elenco.".into()));
                None
            }
            v => v,
        };
        let strumento = code("strumento", &self.strumento, &mut errs, &|v| Strumento::from_code(v).is_some())
            .and_then(|v| Strumento::from_code(&v));
        let categoria = code("categoria", &self.categoria, &mut errs, &|v| CategoriaCpo::from_code(v).is_some())
            .and_then(|v| CategoriaCpo::from_code(&v));
        let categoria_speciale = code("categoria_speciale", &self.categoria_speciale, &mut errs, &|v| {
            CategoriaSpeciale::from_code(v).is_some()
        })
        .and_then(|v| CategoriaSpeciale::from_code(&v));
        let mut euro = |f: &'static str, s: &str| {
            opt(s).and_then(|v| match Euro::parse_it(&v) {
                Ok(e) if e.cents() >= 0 => Some(e),
                _ => {
                    errs.push((f, "format", "Importo non valido: ad esempio 1.500,00.".into()));
                    None
                }
            })
        };
        let importo_min = euro("importo_min", &self.importo_min);
        let importo_max = euro("importo_max", &self.importo_max);
        if let (Some(a), Some(b)) = (importo_min, importo_max)
            && b < a
        {
            errs.push(("importo_max", "order", "L'importo massimo è minore del minimo.".into()));
        }
        match (tipo, dal, al) {
            (Some(tipo), Some(dal), Some(al)) if errs.is_empty() => {
                Ok(FiltriElenco { tipo, dal, al, strumento, categoria, categoria_speciale, importo_min, importo_max })
            }
            _ => Err(errs),
        }
    }
}

/// One row of a list: a user or a prestatore with its prestazioni in the period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RigaElenco {
    /// `utilizzatore` or `prestatore`.
    pub tipo: String,
    pub id: i64,
    pub denominazione: String,
    pub codice_fiscale: String,
    /// Utilizzatori: instrument and category; prestatori: the special categories declared.
    pub descrizione: String,
    pub prestazioni: i64,
    pub compenso: Euro,
    pub primo_giorno: String,
    pub ultimo_giorno: String,
    /// What a stratified sample groups by (instrument and category, or special category).
    pub strato: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaginaElenco {
    pub totale: i64,
    pub pagina: u32,
    pub righe: Vec<RigaElenco>,
}

/// How big a sample is: a percentage of the list (rounded up) or a number of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimensione {
    Percentuale(u32),
    Numero(u64),
}

/// SplitMix64: a fixed, documented mixing function, so that a sample can be re-drawn anywhere
/// from its seed.
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn quota(d: Dimensione, n: u64) -> u64 {
    match d {
        Dimensione::Percentuale(p) => (n * u64::from(p.min(100))).div_ceil(100),
        Dimensione::Numero(k) => k.min(n),
    }
}

/// The sample: each row ranked by `splitmix64(seed ^ splitmix64(id))`, the lowest ranks taken.
/// Stratified: the size is split among the strata in proportion to their rows (largest
/// remainders, ties to the first stratum by name). Returns the chosen ids in rank order.
pub fn campione(righe: &[(i64, String)], seme: u64, d: Dimensione, stratificato: bool) -> Vec<i64> {
    let rank = |id: i64| splitmix64(seme ^ splitmix64(id as u64));
    let n = righe.len() as u64;
    let k = quota(d, n);
    let mut per_strato: Vec<(String, Vec<i64>)> = vec![];
    for (id, strato) in righe {
        let key = if stratificato { strato.clone() } else { String::new() };
        match per_strato.iter_mut().find(|(s, _)| *s == key) {
            Some((_, v)) => v.push(*id),
            None => per_strato.push((key, vec![*id])),
        }
    }
    per_strato.sort_by(|a, b| a.0.cmp(&b.0));
    // Proportional allocation by largest remainder.
    let mut alloc: Vec<(usize, u64, u64)> = per_strato
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let exact = k * v.len() as u64;
            (i, exact / n.max(1), exact % n.max(1))
        })
        .collect();
    let mut rest = k - alloc.iter().map(|a| a.1).sum::<u64>();
    let mut order: Vec<usize> = (0..alloc.len()).collect();
    order.sort_by(|&a, &b| alloc[b].2.cmp(&alloc[a].2).then(a.cmp(&b)));
    for i in order {
        if rest == 0 {
            break;
        }
        alloc[i].1 += 1;
        rest -= 1;
    }
    let mut out: Vec<(u64, i64)> = vec![];
    for (i, take, _) in alloc {
        let mut ids: Vec<(u64, i64)> = per_strato[i].1.iter().map(|id| (rank(*id), *id)).collect();
        ids.sort_unstable();
        out.extend(ids.into_iter().take(take as usize));
    }
    out.sort_unstable();
    out.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
#[path = "elenchi_tests.rs"]
mod tests;
