//! "What if": stored decisions re-run under a parameter change, changing nothing. Each stored
//! snapshot is decided twice with today's rules — with the parameters it was decided with, and
//! with the new dated value added to the parameter's series — so only the change's effect is
//! measured (not a rules revision in between). Decisions are read from a database cursor and
//! re-run as they arrive: memory stays flat over any number of decisions, and the CSV streams
//! one row per decision while the run proceeds (its progress is the download's).

use super::facts::parameters_series;
use super::kinds::examiner;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::clock;
use crate::infra::db::readers::Readers;
use crate::infra::export::{Cella, Esportazione, Formato, corpo};
use crate::richieste::decision::{Decision, Outcome, Snapshot, Trace};
use crate::services::Services;
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use shared::Role;
use shared::dto::Esito;
use shared::smart_task::simulazione::*;
use shared::smart_task::{Answers, Kind};
use sqlx::Row;
use std::collections::BTreeMap;
use std::io;
use tokio::sync::mpsc;

const INTESTAZIONE: &[&str] =
    &["protocollo", "tipo", "data_riferimento", "esito_attuale", "esito_simulato", "cambia", "controlli"];

/// One decision re-run.
struct Rieseguita {
    protocollo: String,
    tipo: Kind,
    data_riferimento: String,
    prima: Outcome,
    dopo: Outcome,
    controlli: Vec<String>,
}

fn esito(o: Outcome) -> &'static str {
    match o {
        Outcome::Accolta => "accolta",
        Outcome::NonAccolta => "non accolta",
        Outcome::InCaricoSede => "in carico alla sede",
    }
}

/// The value in force on `day` in a dated series (ascending), if any.
fn in_vigore(serie: &[(NaiveDate, String)], day: NaiveDate) -> Option<&String> {
    serie.iter().rev().find(|(d, _)| *d <= day).map(|(_, v)| v)
}

/// The decision's snapshot with the parameter as the changed series gives it on its day.
fn con_modifica(s: &Snapshot, data_riferimento: NaiveDate, nome: &str, serie: &[(NaiveDate, String)]) -> Snapshot {
    let mut s = s.clone();
    match in_vigore(serie, s.data_parametri.unwrap_or(data_riferimento)) {
        Some(v) => s.parametri.insert(nome.to_string(), v.clone()),
        None => s.parametri.remove(nome),
    };
    s
}

fn esiti(d: &Decision) -> BTreeMap<&str, Esito> {
    d.checks.iter().map(|c| (c.codice.as_str(), c.esito)).collect()
}

/// Re-runs one stored row; None when it has no automated decision to compare.
fn riesegui(r: &sqlx::any::AnyRow, nome: &str, serie: &[(NaiveDate, String)]) -> AppResult<Option<Rieseguita>> {
    let Some(Trace { fatti, .. }) = Trace::of(r)? else { return Ok(None) };
    let tipo: String = r.try_get("tipo")?;
    let Some(kind) = Kind::from_code(&tipo) else { return Ok(None) };
    let answers: Answers = serde_json::from_str(&r.try_get::<String, _>("risposte_json")?)
        .map_err(|e| AppError::Internal(format!("risposte: {e}")))?;
    let oggetto: String = r.try_get("oggetto")?;
    let data: String = r.try_get("data_riferimento")?;
    let giorno = clock::stored_date(&data)?;
    let e = examiner(kind);
    let prima = e.decide(kind, &oggetto, &answers, &fatti)?;
    let dopo = e.decide(kind, &oggetto, &answers, &con_modifica(&fatti, giorno, nome, serie))?;
    let (a, b) = (esiti(&prima), esiti(&dopo));
    let controlli = b.iter().filter(|(k, v)| a.get(*k) != Some(*v)).map(|(k, _)| k.to_string()).collect();
    Ok(Some(Rieseguita {
        protocollo: r.try_get("protocollo")?,
        tipo: kind,
        data_riferimento: data,
        prima: prima.outcome,
        dopo: dopo.outcome,
        controlli,
    }))
}

/// Streams the re-run of every decision in scope into `tx` (stops when the receiver goes away).
async fn esegui(
    pool: Readers,
    q: Simulazione,
    serie: Vec<(NaiveDate, String)>,
    tx: mpsc::Sender<AppResult<Rieseguita>>,
) {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let sql = "SELECT protocollo, tipo, oggetto, risposte_json, data_riferimento, decisione_json FROM richieste
               WHERE decisione_json IS NOT NULL AND data_riferimento >= $1 AND data_riferimento <= $2
               AND ($3 = '' OR tipo = $3) ORDER BY id";
    let tipo = q.tipo.map(|k| k.code().to_string()).unwrap_or_default();
    let mut rows = sqlx::query(sql).bind(day(q.dal)).bind(day(q.al)).bind(tipo).fetch(&pool);
    loop {
        let next = match rows.try_next().await {
            Ok(Some(r)) => riesegui(&r, &q.parametro, &serie).transpose(),
            Ok(None) => return,
            Err(e) => Some(Err(e.into())),
        };
        if let Some(item) = next
            && tx.send(item).await.is_err()
        {
            return;
        }
    }
}

impl Services {
    fn require_head_office<'a>(&self, caller: &'a Caller) -> AppResult<&'a crate::identity::auth::Session> {
        let s = caller.require()?;
        if s.user.role != Role::OperatoreDg {
            return Err(AppError::Forbidden(
                "Solo gli operatori della Direzione generale possono simulare modifiche delle regole.".into(),
            ));
        }
        Ok(s)
    }

    /// The Smart-Task parameters with their dated values, to choose the one to change.
    pub async fn parametri_smart_task(&self, caller: &Caller) -> AppResult<Vec<ParametroView>> {
        self.require_head_office(caller)?;
        let rows = sqlx::query(
            "SELECT nome, valido_dal, valore, fonte FROM parametri WHERE nome LIKE 'ST.%' ORDER BY nome, valido_dal",
        )
        .fetch_all(&self.db.read)
        .await?;
        let mut out: Vec<ParametroView> = vec![];
        for r in rows {
            let nome: String = r.try_get("nome")?;
            let v = (r.try_get("valido_dal")?, r.try_get("valore")?, r.try_get("fonte")?);
            match out.last_mut() {
                Some(p) if p.nome == nome => p.valori.push(v),
                _ => out.push(ParametroView { nome, valori: vec![v] }),
            }
        }
        Ok(out)
    }

    /// Parses the question and starts the run: the changed parameter's series and the stream.
    async fn avvia(
        &self,
        caller: &Caller,
        r: RichiestaSimulazione,
    ) -> AppResult<mpsc::Receiver<AppResult<Rieseguita>>> {
        self.require_head_office(caller)?;
        let q = r.parse().map_err(AppError::Validation)?;
        let mut serie = parameters_series(&self.db.read, &q.parametro).await?;
        if serie.is_empty() {
            return Err(AppError::field("parametro", "Parametro sconosciuto.", "unknown"));
        }
        serie.retain(|(d, _)| *d != q.valido_dal);
        serie.push((q.valido_dal, q.valore.clone()));
        serie.sort();
        let (tx, rx) = mpsc::channel(256);
        tokio::spawn(esegui(self.db.long_read.clone(), q, serie, tx));
        Ok(rx)
    }

    pub async fn simula(&self, caller: &Caller, r: RichiestaSimulazione) -> AppResult<EsitoSimulazione> {
        let start = std::time::Instant::now();
        let mut rx = self.avvia(caller, r).await?;
        let mut out = EsitoSimulazione::default();
        let mut per_controllo: BTreeMap<String, u64> = BTreeMap::new();
        while let Some(item) = rx.recv().await {
            let d = item?;
            out.esaminate += 1;
            if d.prima == d.dopo {
                continue;
            }
            out.cambiate += 1;
            match (d.prima, d.dopo) {
                (Outcome::Accolta, _) => out.non_piu_accolte += 1,
                (_, Outcome::Accolta) => out.ora_accolte += 1,
                _ => {}
            }
            for c in &d.controlli {
                *per_controllo.entry(c.clone()).or_default() += 1;
            }
            if out.cambiate_elenco.len() < 100 {
                out.cambiate_elenco.push(DecisioneCambiata {
                    protocollo: d.protocollo,
                    tipo: d.tipo.code().into(),
                    data_riferimento: d.data_riferimento,
                    esito_prima: esito(d.prima).into(),
                    esito_dopo: esito(d.dopo).into(),
                    controlli: d.controlli,
                });
            }
        }
        out.per_controllo = per_controllo.into_iter().collect();
        out.per_controllo.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.durata_ms = start.elapsed().as_millis() as u64;
        Ok(out)
    }

    /// The report: one CSV row per decision re-run, streamed as the run proceeds.
    pub async fn esporta_simulazione(&self, caller: &Caller, r: RichiestaSimulazione) -> AppResult<Esportazione> {
        let mut rx = self.avvia(caller, r).await?;
        let (tx, righe) = mpsc::channel::<io::Result<Vec<Cella>>>(256);
        tokio::spawn(async move {
            while let Some(item) = rx.recv().await {
                let riga = item.map_err(|e| io::Error::other(e.to_string())).map(|d| {
                    vec![
                        Cella::T(d.protocollo),
                        Cella::T(d.tipo.code().into()),
                        Cella::T(shared::time::format_date_text_it(&d.data_riferimento)),
                        Cella::T(esito(d.prima).into()),
                        Cella::T(esito(d.dopo).into()),
                        Cella::T(if d.prima == d.dopo { "no" } else { "sì" }.into()),
                        Cella::T(d.controlli.join(" ")),
                    ]
                });
                // A closed receiver: the client went away, and the run stops with it.
                if tx.send(riga).await.is_err() {
                    return;
                }
            }
        });
        Ok(Esportazione {
            nome_file: "simulazione-smart-task.csv".into(),
            formato: Formato::Csv,
            corpo: corpo(Formato::Csv, INTESTAZIONE, righe),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        clock::parse_date(s).unwrap()
    }

    #[test]
    fn the_new_value_applies_from_its_day_until_the_next_dated_value() {
        let serie =
            vec![(d("2007-01-01"), "50".into()), (d("2026-01-01"), "55".into()), (d("2028-01-01"), "50".into())];
        assert_eq!(in_vigore(&serie, d("2025-12-31")).map(String::as_str), Some("50"));
        assert_eq!(in_vigore(&serie, d("2026-01-01")).map(String::as_str), Some("55"));
        assert_eq!(in_vigore(&serie, d("2028-01-01")).map(String::as_str), Some("50"));
        assert_eq!(in_vigore(&serie, d("2006-12-31")), None);
    }
}
