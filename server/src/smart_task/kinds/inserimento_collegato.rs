//! Smart-Task 13: Inserimento soggetto collegato.

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::catasto;
use crate::smart_task::collegati;
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::target;
use crate::vals;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::codice_fiscale::codice_luogo;
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::inserimento_collegato::{self as form, Richiesta};
use shared::time::format_date_it;
use sqlx::Row;

pub struct InserimentoCollegato;

/// What the cadastral registry says of the code in the codice fiscale, on the birth date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Luogo {
    pub codice: String,
    /// None: no comune or country had that code on that day.
    pub nome: Option<String>,
    pub provincia: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub posizione_attiva: bool,
    pub luogo: Luogo,
    /// The person is already registered under this code with another surname or name.
    pub anagrafica_diversa: bool,
    /// The same person in the same role, in a relation overlapping the new one.
    pub relazioni_sovrapposte: i64,
}

pub const POSIZIONE: Rule = Rule {
    codice: "ST13.POSIZIONE_ATTIVA",
    descrizione: "L'azienda ha una posizione contributiva in essere",
    riferimento: "Msg. INPS 4583/2023, Inserimento soggetto collegato",
};
pub const LUOGO: Rule = Rule {
    codice: "ST13.LUOGO_NASCITA_COERENTE",
    descrizione: "Il luogo di nascita del codice fiscale esisteva alla data di nascita ed è quello indicato",
    riferimento: "D.M. 23/12/1976 (codice catastale del comune o dello Stato estero di nascita); archivio dei codici catastali",
};
pub const ANAGRAFICA: Rule = Rule {
    codice: "ST13.ANAGRAFICA_COERENTE",
    descrizione: "Il codice fiscale non è registrato con un altro nominativo",
    riferimento: "Anagrafe tributaria: un codice fiscale identifica una sola persona",
};
pub const SOVRAPPOSTA: Rule = Rule {
    codice: "ST13.NESSUNA_RELAZIONE_IDENTICA",
    descrizione: "La stessa persona non ha già lo stesso ruolo nel periodo",
    riferimento: "Controllo di coerenza dell'anagrafica dei soggetti collegati",
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    InserisciRelazione {
        contribuente_id: i64,
        codice_fiscale: String,
        cognome: String,
        nome: String,
        email: Option<String>,
        ruolo: String,
        rappresentante_legale: bool,
        dal: NaiveDate,
    },
}

pub fn rules(r: &Richiesta, f: &Facts) -> (Vec<Check>, Vec<Effect>) {
    let nascita = format_date_it(r.nascita);
    let luogo_ok = f.luogo.nome.as_deref().is_some_and(|n| catasto::stesso_nome(n, &r.luogo_nascita));
    let luogo_ko = match (&f.luogo.nome, &f.luogo.provincia) {
        (None, _) => format!(
            "Il codice fiscale indica il luogo di nascita {}, che il {nascita} non corrispondeva ad alcun comune o Stato estero: controlli il codice fiscale.",
            f.luogo.codice
        ),
        (Some(n), p) => format!(
            "Il codice fiscale indica come luogo di nascita {n}{}, non {}: controlli il luogo o il codice fiscale.",
            p.as_deref().filter(|p| *p != "EE").map(|p| format!(" ({p})")).unwrap_or_default(),
            r.luogo_nascita
        ),
    };
    let checks = vec![
        collegati::check_posizione_attiva(&POSIZIONE, f.posizione_attiva),
        LUOGO.check(
            luogo_ok,
            format!("Luogo di nascita {} ({}), esistente il {nascita}.", r.luogo_nascita, f.luogo.codice),
            luogo_ko,
            serde_json::json!({ "codice": f.luogo.codice, "nome_catasto": f.luogo.nome, "indicato": r.luogo_nascita, "data_nascita": r.nascita }),
        ),
        ANAGRAFICA.check(
            !f.anagrafica_diversa,
            "Il codice fiscale non risulta registrato con un altro nominativo.",
            // Nothing about the registered person is told: only that the data do not match.
            "Il codice fiscale risulta registrato con un cognome o un nome diversi: controlli i dati.",
            serde_json::json!({ "anagrafica_diversa": f.anagrafica_diversa }),
        ),
        SOVRAPPOSTA.check(
            f.relazioni_sovrapposte == 0,
            "La persona non ha già questo ruolo nel periodo.",
            format!("La persona risulta già {} dell'azienda nel periodo indicato.", r.ruolo.code().replace('_', " ")),
            serde_json::json!({ "relazioni_sovrapposte": f.relazioni_sovrapposte }),
        ),
    ];
    let effect = Effect::InserisciRelazione {
        contribuente_id: f.contribuente_id,
        codice_fiscale: r.cf.as_str().to_string(),
        cognome: r.cognome.clone(),
        nome: r.nome.clone(),
        email: r.email.as_ref().map(|e| e.as_str().to_string()),
        ruolo: r.ruolo.code().into(),
        rappresentante_legale: r.ruolo.rappresenta(),
        dal: r.dal,
    };
    (checks, vec![effect])
}

async fn sovrapposte(pool: &Readers, contribuente_id: i64, cf: &str, ruolo: &str, dal: NaiveDate) -> AppResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) FROM soggetti_collegati k JOIN persone p ON p.id = k.persona_id
         WHERE k.contribuente_id = $1 AND p.codice_fiscale = $2 AND k.ruolo = $3 AND (k.al IS NULL OR k.al >= $4)",
    )
    .bind(contribuente_id)
    .bind(cf)
    .bind(ruolo)
    .bind(dal.format("%Y-%m-%d").to_string())
    .fetch_one(pool)
    .await?
    .try_get(0)?)
}

impl SmartTaskKind for InserimentoCollegato {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "inserimento_collegato";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM soggetti_collegati WHERE contribuente_id = $1 AND (al IS NULL OR al >= $2)",
        )
        .bind(cx.subject.id)
        .bind(cx.today.format("%Y-%m-%d").to_string())
        .fetch_one(cx.pool)
        .await?
        .try_get(0)?;
        Ok(vec![target(
            cx.subject.id,
            format!("Soggetti collegati di {}", cx.subject.ragione_sociale),
            vec![("Soggetti collegati in carica", n.to_string())],
        )])
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        let id = cx.req.contribuente_id;
        let codice = codice_luogo(&r.cf).unwrap_or_default();
        let voce = catasto::voce(&codice, r.nascita);
        let registrata = sqlx::query("SELECT nome, cognome FROM persone WHERE codice_fiscale = $1")
            .bind(r.cf.as_str())
            .fetch_optional(cx.pool)
            .await?;
        let anagrafica_diversa = match registrata {
            None => false,
            Some(p) => {
                !catasto::stesso_nome(&p.try_get::<String, _>("nome")?, &r.nome)
                    || !catasto::stesso_nome(&p.try_get::<String, _>("cognome")?, &r.cognome)
            }
        };
        Ok(Facts {
            contribuente_id: id,
            posizione_attiva: collegati::posizione_attiva(cx.pool, id).await?,
            luogo: Luogo { codice, nome: voce.map(|v| v.nome.clone()), provincia: voce.map(|v| v.provincia.clone()) },
            anagrafica_diversa,
            relazioni_sovrapposte: sovrapposte(cx.pool, id, r.cf.as_str(), r.ruolo.code(), r.dal).await?,
        })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, _cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::InserisciRelazione {
            contribuente_id,
            codice_fiscale,
            cognome,
            nome,
            email,
            ruolo,
            rappresentante_legale,
            dal,
        } = e;
        let now = clock::now_ts();
        let esistente =
            conn.fetch_optional("SELECT id FROM persone WHERE codice_fiscale = $1", vals![codice_fiscale]).await?;
        let persona_id: i64 = match esistente {
            Some(r) => r.int("id")?,
            None => conn
                .fetch_one(
                    "INSERT INTO persone (codice_fiscale, nome, cognome, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                    vals![codice_fiscale, nome, cognome, email, &now],
                )
                .await?
                .int(0)?,
        };
        let dal_s = dal.format("%Y-%m-%d").to_string();
        let gia = conn
            .fetch_one(
                "SELECT COUNT(*) FROM soggetti_collegati WHERE contribuente_id = $1 AND persona_id = $2 AND ruolo = $3 AND (al IS NULL OR al >= $4)",
                vals![*contribuente_id, persona_id, ruolo, &dal_s],
            )
            .await?
            .int(0)?;
        if gia > 0 {
            return Ok(Err("Nel frattempo la stessa relazione è stata inserita.".into()));
        }
        let id = conn
            .fetch_one(
                "INSERT INTO soggetti_collegati (contribuente_id, persona_id, ruolo, rappresentante_legale, certificato, dal, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, 0, $5, $6, $6) RETURNING id",
                vals![*contribuente_id, persona_id, ruolo, i64::from(*rappresentante_legale), &dal_s, &now],
            )
            .await?
            .int(0)?;
        let entry = Entry {
            entity: "soggetto_collegato",
            entity_id: id.to_string(),
            action: "inserimento",
            before: None,
            after: Some(
                serde_json::json!({ "contribuente_id": contribuente_id, "persona_id": persona_id, "ruolo": ruolo, "dal": dal }),
            ),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::engine::Esito;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn facts(luogo: Option<&str>) -> Facts {
        Facts {
            contribuente_id: 1,
            posizione_attiva: true,
            luogo: Luogo { codice: "A562".into(), nome: luogo.map(String::from), provincia: Some("PI".into()) },
            anagrafica_diversa: false,
            relazioni_sovrapposte: 0,
        }
    }

    fn richiesta(luogo: &str) -> Richiesta {
        let a = answers(&[
            ("cf_collegato", "RSSMRA85T10A562S"),
            ("cognome", "Rossi"),
            ("nome", "Mario"),
            ("data_nascita", "10/12/1985"),
            ("sesso", "M"),
            ("luogo_nascita", luogo),
            ("ruolo", "socio"),
            ("data_inizio", "01/03/2026"),
        ]);
        form::parse("1", &a).unwrap()
    }

    fn failed(r: &Richiesta, f: &Facts) -> Vec<String> {
        rules(r, f).0.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        let r = richiesta("san giuliano terme");
        assert!(failed(&r, &facts(Some("San Giuliano Terme"))).is_empty());
        assert_eq!(failed(&richiesta("Pisa"), &facts(Some("San Giuliano Terme"))), ["ST13.LUOGO_NASCITA_COERENTE"]);
        assert_eq!(failed(&r, &facts(None)), ["ST13.LUOGO_NASCITA_COERENTE"]);
        let mut f = facts(Some("San Giuliano Terme"));
        f.posizione_attiva = false;
        assert_eq!(failed(&r, &f), ["ST13.POSIZIONE_ATTIVA"]);
        let mut f = facts(Some("San Giuliano Terme"));
        f.anagrafica_diversa = true;
        assert_eq!(failed(&r, &f), ["ST13.ANAGRAFICA_COERENTE"]);
        let mut f = facts(Some("San Giuliano Terme"));
        f.relazioni_sovrapposte = 1;
        assert_eq!(failed(&r, &f), ["ST13.NESSUNA_RELAZIONE_IDENTICA"]);
    }
}
