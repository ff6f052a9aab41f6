//! Fascicolo elettronico del contribuente, for INPS operators: search, the contributor's file,
//! the detail of a request with what each check read, replay of a decision, and the branch
//! queue of requests the automation could not decide.
//!
//! Scope (README, "Fascicolo"): operators read the contributors of their region (head office:
//! all); they act (take in charge, reply, close) only within their own sede (regional operators:
//! their region; head office: everywhere).

use crate::access::User;
use crate::audit::{self, Entry};
use crate::clock;
use crate::conversazione;
use crate::error::{AppError, AppResult};
use crate::istruttoria::{self, Decision, Snapshot};
use crate::services::{Caller, Services};
use crate::smart_task::{REQUEST_COLUMNS, to_view};
use shared::Role;
use shared::dto::{
    CheckView, ContributorHit, FascicoloView, OperatorNote, OperatorRequestView, PosizioneFascicolo, QueueItem,
    ReplayView, RequestFilter, Riga, SedeView, StatoStorico, Tabella,
};
use shared::money::Euro;
use shared::smart_task::{self, Answers, Kind};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// Where an operator works.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Sede { sede_id: i64, regione: String },
    Regione(String),
    Nazionale,
}

fn scope(user: &User) -> AppResult<Scope> {
    let no_scope = || AppError::Forbidden("Il suo profilo operatore non ha una sede o una regione assegnata.".into());
    match user.role {
        Role::OperatoreSede => Ok(Scope::Sede {
            sede_id: user.sede_id.ok_or_else(no_scope)?,
            regione: user.regione.clone().ok_or_else(no_scope)?,
        }),
        Role::OperatoreRegionale => Ok(Scope::Regione(user.regione.clone().ok_or_else(no_scope)?)),
        Role::OperatoreDg => Ok(Scope::Nazionale),
        _ => Err(AppError::Forbidden("Il Fascicolo elettronico è riservato agli operatori INPS.".into())),
    }
}

impl Scope {
    fn reads(&self, regione: &str) -> bool {
        match self {
            Scope::Sede { regione: r, .. } | Scope::Regione(r) => r == regione,
            Scope::Nazionale => true,
        }
    }
    fn acts(&self, sede_id: i64, regione: &str) -> bool {
        match self {
            Scope::Sede { sede_id: s, .. } => *s == sede_id,
            Scope::Regione(r) => r == regione,
            Scope::Nazionale => true,
        }
    }
}

fn stato_label(s: i64) -> String {
    shared::dto::stato_posizione_label(s).into()
}

fn it(s: &str) -> String {
    clock::it_date_text(s)
}

fn opt_it(s: Option<String>) -> String {
    s.as_deref().map(it).unwrap_or_else(|| "–".into())
}

struct Contributor {
    id: i64,
    sede_id: i64,
    regione: String,
}

impl Services {
    /// The contributor, if the operator may read it; and whether they may act on it.
    async fn contributor_in_scope(&self, user: &User, id: i64) -> AppResult<(Contributor, bool)> {
        let sc = scope(user)?;
        let r = sqlx::query(
            "SELECT c.id, c.sede_id, s.regione FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("Contribuente non trovato.".into()))?;
        let c = Contributor { id: r.try_get("id")?, sede_id: r.try_get("sede_id")?, regione: r.try_get("regione")? };
        if !sc.reads(&c.regione) {
            return Err(AppError::Forbidden(format!(
                "Il contribuente è gestito da una sede della regione {}, fuori dal suo ambito.",
                c.regione
            )));
        }
        let acts = sc.acts(c.sede_id, &c.regione);
        Ok((c, acts))
    }

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
            let (cond, ranged) = crate::db::dialect::name_prefix(self.db.engine, "c.ragione_sociale");
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

    pub async fn fascicolo(&self, caller: &Caller, id: i64, filter: RequestFilter) -> AppResult<FascicoloView> {
        let s = caller.require()?;
        let (c, puo_agire) = self.contributor_in_scope(&s.user, id).await?;
        let pool = &self.db.read;
        let r = sqlx::query(
            "SELECT c.ragione_sociale, c.codice_fiscale, c.partita_iva, c.natura_giuridica, c.pec, s.codice, s.nome, s.regione
             FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(c.id)
        .fetch_one(pool)
        .await?;

        let pos_rows = sqlx::query(
            "SELECT p.id, p.matricola, p.stato, s.codice, s.nome FROM posizioni p JOIN sedi s ON s.id = p.sede_id
             WHERE p.contribuente_id = $1 ORDER BY p.matricola",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?;
        let hist = sqlx::query(
            "SELECT h.posizione_id, h.stato, h.dal, h.al FROM posizioni_stati h JOIN posizioni p ON p.id = h.posizione_id
             WHERE p.contribuente_id = $1 ORDER BY h.dal, h.id",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?;
        let mut storie: HashMap<i64, Vec<StatoStorico>> = HashMap::new();
        for h in &hist {
            let stato: i64 = h.try_get("stato")?;
            storie.entry(h.try_get("posizione_id")?).or_default().push(StatoStorico {
                stato,
                stato_label: stato_label(stato),
                dal: it(&h.try_get::<String, _>("dal")?),
                al: h.try_get::<Option<String>, _>("al")?.as_deref().map(it),
            });
        }
        let posizioni = pos_rows
            .iter()
            .map(|p| {
                let stato: i64 = p.try_get("stato")?;
                Ok(PosizioneFascicolo {
                    matricola: p.try_get("matricola")?,
                    stato,
                    stato_label: stato_label(stato),
                    sede: format!("{} {}", p.try_get::<String, _>("codice")?, p.try_get::<String, _>("nome")?),
                    storia: storie.remove(&p.try_get::<i64, _>("id")?).unwrap_or_default(),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;

        let today = clock::today().format("%Y-%m-%d").to_string();
        let table = |titolo: &str, colonne: &[&str], righe: Vec<Riga>| Tabella {
            titolo: titolo.into(),
            colonne: colonne.iter().map(|c| c.to_string()).collect(),
            righe,
        };
        let collegati = sqlx::query(
            "SELECT p.nome, p.cognome, p.codice_fiscale, k.ruolo, k.rappresentante_legale, k.certificato, k.dal, k.al
             FROM soggetti_collegati k JOIN persone p ON p.id = k.persona_id WHERE k.contribuente_id = $1 ORDER BY k.dal",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let al: Option<String> = r.try_get("al")?;
            Ok(Riga {
                attenuata: al.as_deref().is_some_and(|a| a < today.as_str()),
                celle: vec![
                    format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?),
                    r.try_get("codice_fiscale")?,
                    r.try_get::<String, _>("ruolo")?.replace('_', " "),
                    if r.try_get::<i64, _>("rappresentante_legale")? != 0 { "sì" } else { "no" }.into(),
                    if r.try_get::<i64, _>("certificato")? != 0 { "InfoCamere" } else { "–" }.into(),
                    it(&r.try_get::<String, _>("dal")?),
                    opt_it(al),
                ],
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        let deleghe = sqlx::query(
            "SELECT p.nome, p.cognome, p.codice_fiscale, g.ruolo, g.data_inizio, g.data_fine, g.revocata_dal
             FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id WHERE g.contribuente_id = $1
             ORDER BY g.data_inizio DESC, g.id",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let inizio: String = r.try_get("data_inizio")?;
            let fine: Option<String> = r.try_get("data_fine")?;
            let rev: Option<String> = r.try_get("revocata_dal")?;
            let attiva = inizio.as_str() <= today.as_str()
                && fine.as_deref().is_none_or(|f| f >= today.as_str())
                && rev.as_deref().is_none_or(|x| x > today.as_str());
            Ok(Riga {
                attenuata: !attiva,
                celle: vec![
                    format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?),
                    r.try_get("codice_fiscale")?,
                    r.try_get("ruolo")?,
                    it(&inizio),
                    opt_it(fine),
                    opt_it(rev),
                    if attiva { "in vigore" } else { "cessata" }.into(),
                ],
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        let note = sqlx::query(
            "SELECT n.numero, p.matricola, n.periodo, n.importo_cents, n.stato, n.emessa_il, n.versione, n.riesame_in_corso
             FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE p.contribuente_id = $1
             ORDER BY n.emessa_il DESC, n.id DESC",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let stato: String = r.try_get("stato")?;
            Ok(Riga {
                attenuata: stato != "attiva",
                celle: vec![
                    r.try_get("numero")?,
                    r.try_get("matricola")?,
                    shared::Periodo::parse(&r.try_get::<String, _>("periodo")?).map(|p| p.to_string()).unwrap_or_default(),
                    Euro::from_cents(r.try_get("importo_cents")?).to_string(),
                    stato.replace('_', " "),
                    it(&r.try_get::<String, _>("emessa_il")?),
                    format!(
                        "{}{}",
                        r.try_get::<i64, _>("versione")?,
                        if r.try_get::<i64, _>("riesame_in_corso")? != 0 { " · riesame in corso" } else { "" }
                    ),
                ],
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        let pagamenti = sqlx::query(
            "SELECT g.data_versamento, g.importo_cents, g.causale, g.matricola_indicata, g.periodo_indicato,
                    g.periodo_attribuito, g.utilizzo
             FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id
             WHERE g.contribuente_id = $1 OR p.contribuente_id = $1 ORDER BY g.data_versamento DESC, g.id DESC LIMIT 100",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let per = |col: &str| -> AppResult<String> {
                let v: String = r.try_get(col)?;
                Ok(shared::Periodo::parse(&v).map(|p| p.to_string()).unwrap_or(v))
            };
            let utilizzo: Option<String> = r.try_get("utilizzo")?;
            Ok(Riga {
                attenuata: utilizzo.is_some(),
                celle: vec![
                    it(&r.try_get::<String, _>("data_versamento")?),
                    Euro::from_cents(r.try_get("importo_cents")?).to_string(),
                    r.try_get("causale")?,
                    r.try_get("matricola_indicata")?,
                    per("periodo_indicato")?,
                    per("periodo_attribuito")?,
                    utilizzo.map(|u| u.replace('_', " ")).unwrap_or_else(|| "–".into()),
                ],
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        let contatti = sqlx::query(
            "SELECT c.canale, c.indirizzo, c.titolare, c.anomalia, c.cancellato_il, p.matricola
             FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id WHERE p.contribuente_id = $1
             ORDER BY p.matricola, c.id",
        )
        .bind(c.id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let cancellato: Option<String> = r.try_get("cancellato_il")?;
            Ok(Riga {
                attenuata: cancellato.is_some(),
                celle: vec![
                    r.try_get("matricola")?,
                    r.try_get::<String, _>("canale")?.to_uppercase(),
                    r.try_get("indirizzo")?,
                    r.try_get("titolare")?,
                    r.try_get::<Option<String>, _>("anomalia")?
                        .map(|a| a.replace('_', " "))
                        .unwrap_or_else(|| "–".into()),
                    cancellato.map(|c| shared::time::format_it_datetime(&c)).unwrap_or_else(|| "–".into()),
                ],
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
        Ok(FascicoloView {
            id: c.id,
            ragione_sociale: r.try_get("ragione_sociale")?,
            codice_fiscale: r.try_get("codice_fiscale")?,
            partita_iva: r.try_get("partita_iva")?,
            natura_giuridica: r.try_get("natura_giuridica")?,
            pec: r.try_get("pec")?,
            sede: SedeView { codice: r.try_get("codice")?, nome: r.try_get("nome")?, regione: r.try_get("regione")? },
            puo_agire,
            posizioni,
            tabelle: vec![
                table(
                    "Soggetti collegati",
                    &["Nome", "Codice fiscale", "Ruolo", "Rappr. legale", "Certificato", "Dal", "Al"],
                    collegati,
                ),
                table(
                    "Deleghe",
                    &["Delegato", "Codice fiscale", "Ruolo", "Dal", "Scadenza", "Revocata dal", "Stato"],
                    deleghe,
                ),
                table(
                    "Note di rettifica",
                    &["Numero", "Matricola", "Periodo", "Importo", "Stato", "Emessa il", "Versione"],
                    note,
                ),
                table(
                    "Pagamenti F24 (ultimi 100)",
                    &[
                        "Data",
                        "Importo",
                        "Causale",
                        "Matricola indicata",
                        "Periodo indicato",
                        "Periodo attribuito",
                        "Utilizzo",
                    ],
                    pagamenti,
                ),
                table(
                    "Contatti per le note di rettifica",
                    &["Matricola", "Canale", "Indirizzo", "Di", "Anomalia", "Cancellato"],
                    contatti,
                ),
            ],
            richieste: self.requests_of(c.id, filter).await?,
        })
    }

    async fn request_row(&self, protocollo: &str) -> AppResult<AnyRow> {
        sqlx::query(&format!("SELECT {REQUEST_COLUMNS}, version, operatore_id FROM richieste WHERE protocollo = $1"))
            .bind(protocollo)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(|| AppError::NotFound("Richiesta non trovata.".into()))
    }

    /// Notes on a request; `only_replies` for the contributor's view.
    pub(crate) async fn request_notes(&self, richiesta_id: i64, only_replies: bool) -> AppResult<Vec<OperatorNote>> {
        let rows = sqlx::query(
            "SELECT u.display_name, n.testo, n.interna, n.dal_contribuente, n.created_at FROM richieste_note n JOIN users u ON u.id = n.user_id
             WHERE n.richiesta_id = $1 AND ($2 = 0 OR n.interna = 0) ORDER BY n.id",
        )
        .bind(richiesta_id)
        .bind(only_replies as i64)
        .fetch_all(&self.db.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OperatorNote {
                    autore: r.try_get("display_name")?,
                    testo: r.try_get("testo")?,
                    interna: r.try_get::<i64, _>("interna")? != 0,
                    dal_contribuente: r.try_get::<i64, _>("dal_contribuente")? != 0,
                    at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub async fn operator_request(&self, caller: &Caller, protocollo: &str) -> AppResult<OperatorRequestView> {
        let s = caller.require()?;
        let row = self.request_row(protocollo).await?;
        let (c, puo_agire) = self.contributor_in_scope(&s.user, row.try_get("contribuente_id")?).await?;
        let id: i64 = row.try_get("id")?;
        let mut events = self.events_for(&[id]).await?;
        let mut richiesta = to_view(&row, &mut events)?;
        richiesta.allegati = self.attachments(id).await?;
        let trace: Option<serde_json::Value> =
            row.try_get::<Option<String>, _>("decisione_json")?.and_then(|t| serde_json::from_str(&t).ok());
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
        let (letti, effetti, fatti) = match &trace {
            Some(t) => (
                t["decisione"]["checks"]
                    .as_array()
                    .map(|cs| {
                        cs.iter()
                            .map(|c| (c["codice"].as_str().unwrap_or("").to_string(), pretty(&c["letti"])))
                            .collect()
                    })
                    .unwrap_or_default(),
                t["decisione"]["effects"].as_array().map(|es| es.iter().map(pretty).collect()).unwrap_or_default(),
                Some(pretty(&t["fatti"])),
            ),
            None => (vec![], vec![], None),
        };
        let audit = sqlx::query(&format!(
            "SELECT {} FROM audit_log WHERE request_id = $1 OR (entity = 'richiesta' AND entity_id = $1) ORDER BY seq",
            audit::RECORD_COLUMNS
        ))
        .bind(protocollo)
        .fetch_all(&self.db.read)
        .await?
        .iter()
        .map(audit::record_view)
        .collect::<AppResult<Vec<_>>>()?;
        let operatore_in_carico = match row.try_get::<Option<i64>, _>("operatore_id")? {
            Some(uid) => Some(
                sqlx::query("SELECT display_name FROM users WHERE id = $1")
                    .bind(uid)
                    .fetch_one(&self.db.read)
                    .await?
                    .try_get(0)?,
            ),
            None => None,
        };
        let ragione_sociale: String = sqlx::query("SELECT ragione_sociale FROM contribuenti WHERE id = $1")
            .bind(c.id)
            .fetch_one(&self.db.read)
            .await?
            .try_get(0)?;
        Ok(OperatorRequestView {
            richiesta,
            ragione_sociale,
            letti,
            effetti,
            fatti,
            audit,
            note: self.request_notes(id, false).await?,
            operatore_in_carico,
            puo_agire,
            version: row.try_get("version")?,
        })
    }

    /// Re-runs the decision on the stored snapshot with today's rules and compares.
    pub async fn replay(&self, caller: &Caller, protocollo: &str) -> AppResult<ReplayView> {
        let s = caller.require()?;
        let row = self.request_row(protocollo).await?;
        self.contributor_in_scope(&s.user, row.try_get("contribuente_id")?).await?;
        let trace: serde_json::Value = row
            .try_get::<Option<String>, _>("decisione_json")?
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| {
                AppError::Conflict("La richiesta non è ancora stata decisa: non c'è nulla da rieseguire.".into())
            })?;
        let stored: Decision = serde_json::from_value(trace["decisione"].clone())
            .map_err(|e| AppError::Internal(format!("decisione memorizzata illeggibile: {e}")))?;
        let snapshot: Snapshot = serde_json::from_value(trace["fatti"].clone())
            .map_err(|e| AppError::Internal(format!("fatti memorizzati illeggibili: {e}")))?;
        let tipo: String = row.try_get("tipo")?;
        let kind = Kind::from_code(&tipo).ok_or_else(|| AppError::Internal(format!("tipo {tipo}")))?;
        let answers: Answers = serde_json::from_str(&row.try_get::<String, _>("risposte_json")?)
            .map_err(|e| AppError::Internal(format!("risposte: {e}")))?;
        let parsed = smart_task::parse(kind, &row.try_get::<String, _>("oggetto")?, &answers)
            .map_err(|e| AppError::Internal(format!("risposte non più valide: {e:?}")))?;
        let again = istruttoria::decide(kind, &parsed, &snapshot);
        // A concurrency refusal is added at commit time, outside the pure decision.
        let mut stored_checks = stored.checks.clone();
        let concurrency = stored_checks.iter().any(|c| c.codice == "ST00.EFFETTO_APPLICABILE");
        stored_checks.retain(|c| c.codice != "ST00.EFFETTO_APPLICABILE");
        let mut differenze = vec![];
        if stored.ruleset != istruttoria::RULESET {
            differenze.push(format!(
                "Le regole sono cambiate: la decisione è stata presa con la versione {}, oggi è in vigore la {}.",
                stored.ruleset,
                istruttoria::RULESET
            ));
        }
        if stored_checks != again.checks {
            for (a, b) in stored_checks.iter().zip(again.checks.iter()) {
                if a != b {
                    differenze.push(format!("Il controllo {} dà ora un esito diverso: {}", b.codice, b.motivo));
                }
            }
            if stored_checks.len() != again.checks.len() {
                differenze.push(format!(
                    "Controlli eseguiti: {} allora, {} oggi.",
                    stored_checks.len(),
                    again.checks.len()
                ));
            }
        }
        if !concurrency && stored.effects != again.effects {
            differenze.push("Gli effetti calcolati sono diversi.".into());
        }
        let label = |o: istruttoria::Outcome| match o {
            istruttoria::Outcome::Accolta => "accolta",
            istruttoria::Outcome::NonAccolta => "non accolta",
            istruttoria::Outcome::InCaricoSede => "in carico alla sede",
        };
        let esito_memorizzato = if concurrency {
            format!("{} (effetto non applicabile al momento del salvataggio)", label(stored.outcome))
        } else {
            label(stored.outcome).to_string()
        };
        Ok(ReplayView {
            identica: differenze.is_empty(),
            ruleset_memorizzato: stored.ruleset.clone(),
            ruleset_attuale: istruttoria::RULESET.into(),
            esito_memorizzato,
            esito_ricalcolato: label(again.outcome).into(),
            controlli_ricalcolati: again
                .checks
                .iter()
                .map(|c| CheckView {
                    codice: c.codice.clone(),
                    descrizione: c.descrizione.clone(),
                    esito: match c.esito {
                        istruttoria::Esito::Ok => "ok",
                        istruttoria::Esito::Ko => "ko",
                        istruttoria::Esito::Verifica => "verifica",
                    }
                    .into(),
                    motivo: c.motivo.clone(),
                    riferimento: c.riferimento.clone(),
                })
                .collect(),
            differenze,
        })
    }

    /// Requests the automation sent to the branch, within the operator's scope for acting.
    pub async fn branch_queue(&self, caller: &Caller) -> AppResult<Vec<QueueItem>> {
        let s = caller.require()?;
        let sc = scope(&s.user)?;
        let (cond, val): (&str, String) = match &sc {
            Scope::Sede { sede_id, .. } => ("c.sede_id = CAST($1 AS BIGINT)", sede_id.to_string()),
            Scope::Regione(r) => ("s.regione = $1", r.clone()),
            Scope::Nazionale => ("$1 = $1", String::new()),
        };
        let cols = REQUEST_COLUMNS.split(", ").map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, c.ragione_sociale, u.display_name AS in_carico,
                    (SELECT n.dal_contribuente FROM richieste_note n WHERE n.richiesta_id = r.id AND n.interna = 0
                     ORDER BY n.id DESC LIMIT 1) AS ultimo_dal_contribuente
             FROM richieste r
             JOIN contribuenti c ON c.id = r.contribuente_id JOIN sedi s ON s.id = c.sede_id
             LEFT JOIN users u ON u.id = r.operatore_id
             WHERE r.stato IN ('in_carico_sede', 'aperta', 'in_carico') AND {cond} ORDER BY r.created_at, r.id LIMIT 200"
        ))
        .bind(val)
        .fetch_all(&self.db.read)
        .await?;
        let ids = rows.iter().map(|r| r.try_get("id")).collect::<Result<Vec<i64>, _>>()?;
        let mut events = self.events_for(&ids).await?;
        rows.iter()
            .map(|r| {
                Ok(QueueItem {
                    richiesta: to_view(r, &mut events)?,
                    ragione_sociale: r.try_get("ragione_sociale")?,
                    operatore_in_carico: r.try_get("in_carico")?,
                    attende_sede: r.try_get::<Option<i64>, _>("ultimo_dal_contribuente")?.unwrap_or(0) != 0,
                })
            })
            .collect()
    }

    /// Take in charge, add a note or a reply, or close a request sent to the branch. Every step
    /// is audited; the contributor is notified of what concerns them (not of internal notes).
    pub async fn branch_action(
        &self,
        caller: &Caller,
        protocollo: &str,
        action: BranchAction,
        expected_version: Option<i64>,
    ) -> AppResult<OperatorRequestView> {
        let s = caller.require()?;
        let row = self.request_row(protocollo).await?;
        let (c, puo_agire) = self.contributor_in_scope(&s.user, row.try_get("contribuente_id")?).await?;
        if !puo_agire {
            return Err(AppError::Forbidden(
                "Può consultare questa richiesta ma non lavorarla: il contribuente è di un'altra sede.".into(),
            ));
        }
        let stato: String = row.try_get("stato")?;
        let tipo: String = row.try_get("tipo")?;
        // Two-way requests are worked from Aperta to Chiusa; a Smart-Task only once the
        // automation has sent it to the branch.
        let due_vie = tipo == crate::comunicazioni::TIPO;
        let lavorabile = if due_vie { stato == "aperta" || stato == "in_carico" } else { stato == "in_carico_sede" };
        if !lavorabile {
            return Err(AppError::Conflict(if due_vie || matches!(stato.as_str(), "accolta" | "non_accolta") {
                "La richiesta è già chiusa: non si possono aggiungere passi.".into()
            } else {
                "La richiesta è esaminata dalla procedura automatica: la sede può lavorarla solo se le viene inviata."
                    .into()
            }));
        }
        let id: i64 = row.try_get("id")?;
        let version: i64 = row.try_get("version")?;
        if expected_version.is_some_and(|v| v != version) {
            return Err(AppError::Conflict(
                "Nel frattempo un altro operatore ha lavorato la richiesta: ricarichi la pagina.".into(),
            ));
        }
        let label = if due_vie {
            shared::dto::oggetto_bidirezionale_label(&row.try_get::<String, _>("oggetto")?).unwrap_or_default()
        } else {
            Kind::from_code(&tipo).map(|k| k.label()).unwrap_or("").to_string()
        };
        // What was written is checked before anything is: the text, and a Smart-Task's outcome
        // (a two-way request is answered and closed without one).
        let checked = match &action {
            BranchAction::PrendiInCarico => None,
            BranchAction::Nota { testo, .. } => Some((conversazione::testo(testo, "testo", 1)?, None)),
            BranchAction::Chiudi { accolta, motivo } => {
                let chiusa = match (due_vie, accolta) {
                    (true, _) => "chiusa",
                    (false, Some(true)) => "accolta",
                    (false, Some(false)) => "non_accolta",
                    (false, None) => {
                        return Err(AppError::field(
                            "accolta",
                            "Indicare se la richiesta è accolta o non accolta.",
                            "empty",
                        ));
                    }
                };
                Some((conversazione::testo(motivo, "motivo", 1)?, Some(chiusa)))
            }
        };
        let (t, chiusa) = checked.unwrap_or_default();
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        conversazione::bump_version(
            &mut tx,
            id,
            version,
            &stato,
            &now,
            "Nel frattempo un altro operatore ha lavorato la richiesta: ricarichi la pagina.",
        )
        .await?;
        let (audit_action, after, notify): (&str, serde_json::Value, Option<String>) = match &action {
            BranchAction::PrendiInCarico => {
                // A two-way request changes state (Aperta → In carico); a Smart-Task already is
                // with the branch and only gets its operator.
                sqlx::query("UPDATE richieste SET operatore_id = $1, stato = $2 WHERE id = $3")
                    .bind(s.user.id)
                    .bind(if due_vie { "in_carico" } else { stato.as_str() })
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::istruttoria::worker::add_event(
                    &mut tx,
                    id,
                    if due_vie { "in_carico" } else { "presa_in_carico" },
                    Some(&s.user.display_name),
                )
                .await?;
                (
                    "presa_in_carico",
                    serde_json::json!({ "operatore": s.user.username }),
                    Some(format!(
                        "La richiesta {protocollo} ({label}) è stata presa in carico da un operatore della sede."
                    )),
                )
            }
            BranchAction::Nota { interna, .. } => {
                let autore = conversazione::Autore::Sede { interna: *interna };
                conversazione::add_message(&mut tx, id, s.user.id, &t, autore, &now).await?;
                (
                    if *interna { "nota_interna" } else { "risposta" },
                    serde_json::json!({ "testo": t, "interna": interna }),
                    (!*interna).then(|| format!("La sede ha risposto sulla richiesta {protocollo} ({label}): {t}")),
                )
            }
            BranchAction::Chiudi { .. } => {
                let (m, stato) = (t.as_str(), chiusa.unwrap_or("chiusa"));
                sqlx::query("UPDATE richieste SET stato = $1, esito_motivo = $2, operatore_id = COALESCE(operatore_id, $3) WHERE id = $4")
                    .bind(stato)
                    .bind(m)
                    .bind(s.user.id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::istruttoria::worker::add_event(&mut tx, id, stato, Some(m)).await?;
                (
                    "chiusura_sede",
                    serde_json::json!({ "stato": stato, "motivo": m }),
                    Some(if due_vie {
                        format!("La richiesta {protocollo} ({label}) è stata chiusa dalla sede: {m}")
                    } else {
                        format!(
                            "La richiesta {protocollo} ({label}) è stata {} dalla sede: {m}",
                            if stato == "accolta" { "accolta" } else { "non accolta" }
                        )
                    }),
                )
            }
        };
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "richiesta",
                entity_id: protocollo.to_string(),
                action: audit_action,
                before: Some(serde_json::json!({ "stato": stato, "version": version })),
                after: Some(after),
                note: None,
            },
        )
        .await?;
        if let Some(testo) = notify {
            crate::istruttoria::worker::queue_notification(
                &mut tx,
                c.id,
                id,
                &testo,
                &format!("INPS {protocollo}: aggiornamento dalla sede"),
                &testo,
            )
            .await?;
        }
        tx.commit().await?;
        self.operator_request(caller, protocollo).await
    }
}

/// What an operator does on a request in the branch queue.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "azione", rename_all = "snake_case")]
pub enum BranchAction {
    PrendiInCarico,
    Nota {
        testo: String,
        interna: bool,
    },
    /// `accolta` is the outcome of a Smart-Task; a two-way request is closed without one.
    Chiudi {
        #[serde(default)]
        accolta: Option<bool>,
        motivo: String,
    },
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
