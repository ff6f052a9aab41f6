//! Finding a contributor: by identifier or the start of its name, within the operator's scope.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::{Scope, scope};
use crate::services::Services;
use shared::dto::ContributorHit;
use sqlx::Row;

impl Services {
    /// Search by codice fiscale, partita IVA, matricola or the start of the name, within the
    /// operator's reading scope; at most 50 results.
    pub async fn search_contributors(&self, caller: &Caller, q: &str) -> AppResult<Vec<ContributorHit>> {
        let s = caller.require()?;
        let sc = scope(&s.user)?;
        let q = q.trim();
        if q.chars().count() < 3 {
            return Err(AppError::field(
                "q",
                "Scrivere almeno 3 caratteri: codice fiscale, partita IVA, matricola o l'inizio della denominazione.",
                "too_short",
            ));
        }
        let upper = q.to_uppercase();
        let digits = q.chars().all(|c| c.is_ascii_digit());
        // SQLite's name search also binds the prefix and its upper bound ($3, $4).
        let mut range: Option<(String, String)> = None;
        let (cond, value) = if digits && q.len() == 10 {
            ("c.id IN (SELECT contribuente_id FROM posizioni WHERE matricola = $1)".to_string(), upper)
        } else if digits && q.len() == 11 {
            ("(c.codice_fiscale = $1 OR c.partita_iva = $1)".to_string(), upper)
        } else if q.len() == 16 && q.chars().all(|c| c.is_ascii_alphanumeric()) {
            (
                "(c.codice_fiscale = $1 OR c.id IN (SELECT k.contribuente_id FROM soggetti_collegati k JOIN persone p ON p.id = k.persona_id WHERE p.codice_fiscale = $1))".to_string(),
                upper,
            )
        } else {
            // Name prefix, case-insensitive; LIKE wildcards typed by the user are taken literally.
            let lower = q.to_lowercase();
            let esc = lower.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let (cond, ranged) = crate::infra::db::dialect::name_prefix(self.db.engine, "c.ragione_sociale");
            if ranged {
                range = Some((prefix_upper_bound(&lower), lower));
            }
            (cond, format!("{esc}%"))
        };
        let (scope_cond, scope_val) = match &sc {
            Scope::Sede { regione, .. } | Scope::Regione(regione) => ("s.regione = $2", regione.clone()),
            Scope::Nazionale => ("$2 = $2", String::new()),
        };
        let sql = format!(
            "SELECT c.id, c.ragione_sociale, c.codice_fiscale, c.partita_iva, c.sede_id, s.codice, s.nome, s.regione
             FROM contribuenti c JOIN sedi s ON s.id = c.sede_id
             WHERE {cond} AND {scope_cond} ORDER BY LOWER(c.ragione_sociale), c.id LIMIT 50"
        );
        let mut query = sqlx::query(&sql).bind(value).bind(scope_val);
        if let Some((upper_bound, prefix)) = range {
            query = query.bind(prefix).bind(upper_bound);
        }
        let rows = query.fetch_all(&self.db.read).await?;
        rows.iter()
            .map(|r| {
                let regione: String = r.try_get("regione")?;
                Ok(ContributorHit {
                    id: r.try_get("id")?,
                    ragione_sociale: r.try_get("ragione_sociale")?,
                    codice_fiscale: r.try_get("codice_fiscale")?,
                    partita_iva: r.try_get("partita_iva")?,
                    sede: format!("{} {}", r.try_get::<String, _>("codice")?, r.try_get::<String, _>("nome")?),
                    puo_agire: sc.acts(r.try_get("sede_id")?, &regione),
                })
            })
            .collect()
    }
}

/// The smallest string greater than every string that starts with `prefix`, in byte (code point)
/// order: the prefix with its last character incremented.
fn prefix_upper_bound(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (last as u32).checked_add(1).and_then(char::from_u32) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Only U+10FFFF characters: no upper bound (the LIKE still decides).
    char::MAX.to_string().repeat(prefix.chars().count() + 1)
}

#[cfg(test)]
mod prefix_tests {
    use super::prefix_upper_bound;
    use proptest::prelude::*;

    #[test]
    fn known_bounds() {
        assert_eq!(prefix_upper_bound("ross"), "rost");
        assert_eq!(prefix_upper_bound("caffè"), "caffé");
        assert_eq!(prefix_upper_bound("a z"), "a {");
    }

    proptest! {
        /// Every string with the prefix sorts between the prefix and the bound.
        #[test]
        fn bound_covers_every_extension(p in "[a-zà-ü &'.0-9]{3,8}", rest in "\\PC{0,12}") {
            let s = format!("{p}{rest}");
            let b = prefix_upper_bound(&p);
            prop_assert!(s.as_str() >= p.as_str() && s.as_str() < b.as_str(), "{s:?} not in [{p:?}, {b:?})");
        }
    }
}
