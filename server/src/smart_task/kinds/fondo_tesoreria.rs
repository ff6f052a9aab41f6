//! Smart-Task 15: Fondo di Tesoreria (codice di autorizzazione 1R).

use crate::error::AppResult;
use crate::infra::audit::Deferred;
use crate::infra::db::exec::Exec;
use crate::smart_task::codici::{self, Effect, unita};
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::target;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::fondo_tesoreria::{self as form, Base, Richiesta};
use shared::time::format_date_it;

use sqlx::Row;
use std::collections::BTreeMap;

pub struct FondoTesoreria;

pub const CODICE: &str = "1R";
/// The average headcount from which the obligation arises, dated.
pub const PARAM_SOGLIA: &str = "ST.TESORERIA.SOGLIA_DIPENDENTI";
/// Legal forms that are not private employers (public bodies, households).
const NON_PRIVATI: &[&str] = &["ENTE_PUBBLICO", "LAVORO_DOMESTICO"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub natura_giuridica: String,
    /// The calendar year whose average is compared (the one before the obligation arose).
    pub anno_riferimento: i32,
    /// Average headcount of that year over all matricole, in hundredths.
    pub media_centesimi: i64,
    pub mesi_dichiarati: i64,
    /// 1R already on a matricola (from when).
    pub presente_dal: Option<NaiveDate>,
    /// The matricole that would receive the code.
    pub matricole: Vec<i64>,
    /// For a transfer of staff: whether the transferor had 1R in force on the day.
    pub cedente_obbligato: Option<bool>,
}

pub const DATORE_PRIVATO: Rule = Rule {
    codice: "ST15.DATORE_PRIVATO",
    descrizione: "Il contribuente è un datore di lavoro privato",
    riferimento: "L. 296/2006, art. 1, c. 755: esclusi i datori pubblici e il lavoro domestico",
};
pub const SOGLIA: Rule = Rule {
    codice: "ST15.SOGLIA_DIMENSIONALE",
    descrizione: "La media dei dipendenti dell'anno precedente raggiunge la soglia in vigore alla data di decorrenza",
    riferimento: "L. 296/2006, art. 1, c. 755 e Legge di bilancio 2026; parametro ST.TESORERIA.SOGLIA_DIPENDENTI",
};
pub const CEDENTE: Rule = Rule {
    codice: "ST15.CEDENTE_TENUTO_AL_VERSAMENTO",
    descrizione: "Il datore cedente era tenuto al versamento al Fondo alla data del passaggio",
    riferimento: "Art. 2112 c.c.; Circ. INPS 70/2007 (personale trasferito da datore già obbligato)",
};
pub const NON_PRESENTE: Rule = Rule {
    codice: "ST15.CODICE_1R_NON_PRESENTE",
    descrizione: "Il codice 1R non è già attribuito",
    riferimento: "Controllo di coerenza",
};
pub const MATRICOLE: Rule = Rule {
    codice: "ST15.MATRICOLE_IN_ESSERE",
    descrizione: "L'azienda ha almeno una matricola in essere",
    riferimento: "Il codice 1R si attribuisce a tutte le matricole dell'azienda",
};

pub fn rules(r: &Richiesta, f: &Facts, params: &BTreeMap<String, String>) -> (Vec<Check>, Vec<Effect>) {
    let privato = !NON_PRIVATI.contains(&f.natura_giuridica.as_str());
    let mut checks = vec![DATORE_PRIVATO.check(
        privato,
        "Il contribuente è un datore di lavoro privato.",
        "I datori di lavoro pubblici e i datori di lavoro domestico non versano al Fondo di Tesoreria.",
        serde_json::json!({ "natura_giuridica": f.natura_giuridica }),
    )];
    let dal = format_date_it(r.dal);
    match &r.base {
        Base::Soglia => {
            let soglia: Option<i64> = params.get(PARAM_SOGLIA).and_then(|v| v.parse().ok());
            let (anno, media) = (f.anno_riferimento, unita(f.media_centesimi));
            let ko = match soglia {
                None => format!("Al {dal} non è in vigore alcuna soglia per il Fondo di Tesoreria (obbligo dal 2007)."),
                Some(_) if f.mesi_dichiarati == 0 => format!(
                    "Nel {anno} non risultano lavoratori nelle denunce UniEmens: nel primo anno di attività l'obbligo non sorge."
                ),
                Some(s) => format!("Nel {anno} la media dei dipendenti è {media}, sotto la soglia di {s} in vigore al {dal}."),
            };
            checks.push(SOGLIA.check(
                soglia.is_some_and(|s| f.media_centesimi >= s.saturating_mul(100)),
                format!("Nel {anno} la media dei dipendenti è {media}: raggiunge la soglia di {} in vigore al {dal}.", soglia.unwrap_or(0)),
                ko,
                serde_json::json!({ "anno_riferimento": anno, "media_dipendenti": media, "mesi_dichiarati": f.mesi_dichiarati, PARAM_SOGLIA: soglia, "data_decorrenza": r.dal }),
            ));
        }
        Base::Trasferimento { .. } => checks.push(CEDENTE.check(
            f.cedente_obbligato == Some(true),
            format!("Il datore cedente versava al Fondo di Tesoreria al {dal}."),
            // Says nothing else of the other employer: only whether the condition holds.
            format!("Il codice fiscale indicato non risulta di un datore di lavoro tenuto al versamento al Fondo di Tesoreria al {dal}."),
            serde_json::json!({ "cedente_obbligato": f.cedente_obbligato, "data_decorrenza": r.dal }),
        )),
    }
    checks.push(NON_PRESENTE.check(
        f.presente_dal.is_none(),
        "Il codice 1R non è attribuito.",
        format!("Il codice 1R è già attribuito dal {}.", f.presente_dal.map(format_date_it).unwrap_or_default()),
        serde_json::json!({ "presente_dal": f.presente_dal }),
    ));
    checks.push(MATRICOLE.check(
        !f.matricole.is_empty(),
        format!("Il codice sarà attribuito a {} matricola/e.", f.matricole.len()),
        "L'azienda non ha matricole in essere a cui attribuire il codice.",
        serde_json::json!({ "matricole": f.matricole.len() }),
    ));
    let effect = Effect::AssegnaCodice {
        codice: CODICE.into(),
        posizioni: f.matricole.clone(),
        dal: r.dal,
        al: None,
        unico: true,
    };
    (checks, vec![effect])
}

impl SmartTaskKind for FondoTesoreria {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "fondo_tesoreria";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    fn parameters_date(&self, r: &Richiesta) -> Option<NaiveDate> {
        Some(r.dal)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let matricole = codici::matricole_in_essere(cx.pool, cx.subject.id).await?;
        let anno = cx.today.year() - 1;
        let (media, _) = codici::media_annua(cx.pool, cx.subject.id, anno).await?;
        let presente = codici::codice_presente(cx.pool, cx.subject.id, CODICE, cx.today).await?;
        let elenco: Vec<String> = matricole.into_iter().map(|(_, m)| m).collect();
        Ok(vec![target(
            cx.subject.id,
            format!("Fondo di Tesoreria di {}", cx.subject.ragione_sociale),
            vec![
                ("Matricole", if elenco.is_empty() { "nessuna".into() } else { elenco.join(", ") }),
                ("Media dipendenti UniEmens", format!("{} nel {anno}", unita(media))),
                (
                    "Codice 1R",
                    presente
                        .map(|d| format!("attribuito dal {}", format_date_it(d)))
                        .unwrap_or("non attribuito".into()),
                ),
            ],
        )])
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        let id = cx.req.contribuente_id;
        let row = sqlx::query("SELECT codice_fiscale, natura_giuridica FROM contribuenti WHERE id = $1")
            .bind(id)
            .fetch_one(cx.pool)
            .await?;
        let proprio: String = row.try_get("codice_fiscale")?;
        let anno = r.dal.year() - 1;
        let (media, mesi) = codici::media_annua(cx.pool, id, anno).await?;
        let cedente_obbligato = match &r.base {
            Base::Soglia => None,
            Base::Trasferimento { cedente } if cedente.as_str() == proprio => Some(false),
            Base::Trasferimento { cedente } => {
                let altro = sqlx::query("SELECT id FROM contribuenti WHERE codice_fiscale = $1")
                    .bind(cedente.as_str())
                    .fetch_optional(cx.pool)
                    .await?;
                match altro {
                    None => Some(false),
                    Some(a) => {
                        let dal = codici::codice_presente(cx.pool, a.try_get("id")?, CODICE, r.dal).await?;
                        Some(dal.is_some_and(|d| d <= r.dal))
                    }
                }
            }
        };
        Ok(Facts {
            contribuente_id: id,
            natura_giuridica: row.try_get("natura_giuridica")?,
            anno_riferimento: anno,
            media_centesimi: media,
            mesi_dichiarati: mesi,
            presente_dal: codici::codice_presente(cx.pool, id, CODICE, r.dal).await?,
            matricole: codici::matricole_in_essere(cx.pool, id).await?.into_iter().map(|(p, _)| p).collect(),
            cedente_obbligato,
        })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f, cx.params)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        codici::apply(conn, trail, e).await
    }
}

#[cfg(test)]
#[path = "fondo_tesoreria_tests.rs"]
mod tests;
