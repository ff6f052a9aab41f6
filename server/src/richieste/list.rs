//! A subject's requests, newest first, filtered and paged (the Lista Richieste and the
//! operator's Fascicolo share it).

use super::soggetto::Soggetto;
use super::view::{REQUEST_COLUMNS, SUMMARY_COLUMNS, to_summary, to_view};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::db::dialect;
use crate::services::Services;
use shared::Matricola;
use shared::dto::{FieldError, RequestFilter, RequestPage, Stato, SummaryPage};
use shared::smart_task::Kind;
use sqlx::Row;
use sqlx::any::AnyRow;

pub const PER_PAGINA: u32 = 20;

impl Services {
    /// Requests of the subject, newest first, filtered and paged: one query for the count, one
    /// for the page, one for the page's events.
    pub async fn list_requests(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        filter: RequestFilter,
    ) -> AppResult<RequestPage> {
        let subject = self.request_subject(caller, soggetto_id).await?;
        self.requests_of(subject, filter).await
    }

    /// The Lista Richieste page: the same page of requests as [`Services::list_requests`], each
    /// with only what the list shows (no checks, answers or timeline to read and parse).
    pub async fn request_summaries(&self, caller: &Caller, filter: RequestFilter) -> AppResult<SummaryPage> {
        let subject = self.request_subject(caller, None).await?;
        let (rows, p) = self.page_rows(subject, &filter, SUMMARY_COLUMNS).await?;
        let richieste = rows.iter().map(to_summary).collect::<AppResult<Vec<_>>>()?;
        Ok(SummaryPage { richieste, pagina: p.pagina, pagine: p.pagine, per_pagina: PER_PAGINA, totale: p.totale })
    }

    /// A page of a subject's requests, for a caller already authorized to read them.
    pub(crate) async fn requests_of(&self, soggetto: Soggetto, filter: RequestFilter) -> AppResult<RequestPage> {
        let (rows, p) = self.page_rows(soggetto, &filter, REQUEST_COLUMNS).await?;
        let ids = rows.iter().map(|r| r.try_get("id")).collect::<Result<Vec<i64>, _>>()?;
        let mut events = self.events_for(&ids).await?;
        let richieste = rows.iter().map(|r| to_view(r, &mut events)).collect::<AppResult<Vec<_>>>()?;
        Ok(RequestPage { richieste, pagina: p.pagina, pagine: p.pagine, per_pagina: PER_PAGINA, totale: p.totale })
    }

    /// The rows (`columns`) of the filter's page, newest first, and where that page is.
    async fn page_rows(
        &self,
        soggetto: Soggetto,
        filter: &RequestFilter,
        columns: &str,
    ) -> AppResult<(Vec<AnyRow>, Paging)> {
        let f = ParsedFilter::parse(filter)?;
        let mut conds = vec![format!("{} = $1", soggetto.colonna())];
        let mut binds: Vec<String> = vec![];
        let mut push = |cond: &str, v: String| {
            binds.push(v);
            conds.push(cond.replace('?', &format!("${}", binds.len() + 1)));
        };
        if let Some(v) = f.stato {
            push("stato = ?", v.code().to_string());
        }
        if let Some(v) = f.tipo {
            push("tipo = ?", v);
        }
        if let Some(v) = f.matricola {
            push("matricola = ?", v);
        }
        if let Some(v) = f.dal {
            push("created_at >= ?", v);
        }
        if let Some(v) = f.al {
            push("created_at < ?", v);
        }
        if !f.oggetti.is_empty() {
            let first = binds.len() + 2;
            let list = dialect::numbered(first, f.oggetti.len());
            conds.push(format!("oggetto IN ({list})"));
            binds.extend(f.oggetti);
        }
        let wh = conds.join(" AND ");
        // Unfiltered, the subject's total is kept as requests are stored (a large company's
        // requests are not counted again for each page); filtered, they are counted.
        let totale: i64 = if conds.len() == 1 {
            sqlx::query("SELECT totale FROM richieste_per_soggetto WHERE colonna = $1 AND soggetto_id = $2")
                .bind(soggetto.colonna())
                .bind(soggetto.id())
                .fetch_optional(&self.db.read)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?
                .unwrap_or(0)
        } else {
            let count_sql = format!("SELECT COUNT(*) FROM richieste WHERE {wh}");
            let mut q = sqlx::query(&count_sql).bind(soggetto.id());
            for b in &binds {
                q = q.bind(b);
            }
            q.fetch_one(&self.db.read).await?.try_get(0)?
        };
        let pagine = ((totale + PER_PAGINA as i64 - 1) / PER_PAGINA as i64).max(1) as u32;
        let pagina = filter.pagina.unwrap_or(1).clamp(1, pagine);
        let sql = format!(
            "SELECT {columns} FROM richieste WHERE {wh} ORDER BY created_at DESC, id DESC LIMIT {PER_PAGINA} OFFSET {}",
            (pagina - 1) * PER_PAGINA
        );
        let mut q = sqlx::query(&sql).bind(soggetto.id());
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.db.read).await?;
        Ok((rows, Paging { pagina, pagine, totale }))
    }
}

struct Paging {
    pagina: u32,
    pagine: u32,
    totale: i64,
}

/// A list filter whose values are valid; dates become the UTC bounds of Italian days.
struct ParsedFilter {
    stato: Option<Stato>,
    tipo: Option<String>,
    /// Two-way objects (`livello1/livello2`), any of which matches.
    oggetti: Vec<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
}

impl ParsedFilter {
    fn parse(f: &RequestFilter) -> AppResult<ParsedFilter> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let mut errors = vec![];
        let mut err = |field: &str, message: &str| {
            errors.push(FieldError { field: field.into(), code: "invalid".into(), message: message.into() });
        };
        let stato = given(&f.stato).and_then(|s| {
            let parsed = Stato::from_code(&s);
            if parsed.is_none() {
                err("stato", "Stato sconosciuto.");
            }
            parsed
        });
        // A Smart-Task kind, all two-way requests, or two-way requests on one object:
        // `bidirezionale:<livello1>` (a group) or `bidirezionale:<livello1>/<livello2>`.
        let tipo = given(&f.tipo);
        let mut oggetti = vec![];
        if let Some(t) = tipo.as_deref() {
            match t.split_once(':') {
                Some((shared::comunicazioni::TIPO, o)) => {
                    oggetti = shared::comunicazioni::gruppi_oggetti(false)
                        .into_iter()
                        .flat_map(|(c1, _, figli)| figli.iter().map(move |(c2, _)| format!("{c1}/{c2}")))
                        .filter(|code| code == o || code.split('/').next() == Some(o))
                        .collect();
                    if oggetti.is_empty() {
                        err("tipo", "Oggetto della richiesta sconosciuto.");
                    }
                }
                Some(_) => err("tipo", "Oggetto della richiesta sconosciuto."),
                None if Kind::from_code(t).is_none() && t != shared::comunicazioni::TIPO => {
                    err("tipo", "Oggetto della richiesta sconosciuto.")
                }
                None => {}
            }
        }
        let tipo = if oggetti.is_empty() { tipo } else { Some(shared::comunicazioni::TIPO.to_string()) };
        let matricola = match given(&f.matricola) {
            Some(m) => match Matricola::parse(&m) {
                Ok(m) => Some(m.as_str().to_string()),
                Err(e) => {
                    err("matricola", &format!("Matricola non valida. {e}"));
                    None
                }
            },
            None => None,
        };
        let mut day = |field: &str, v: Option<String>, next: bool| match v {
            None => None,
            Some(s) => match shared::time::parse_date_it(&s) {
                Some(d) => {
                    let d = if next { d.succ_opt().unwrap_or(d) } else { d };
                    Some(format!("{}Z", shared::time::rome_day_start_utc(d).format("%Y-%m-%dT%H:%M:%S%.6f")))
                }
                None => {
                    err(field, "La data deve essere nel formato gg/mm/aaaa, ad esempio 01/10/2026.");
                    None
                }
            },
        };
        let dal = day("dal", given(&f.dal), false);
        let al = day("al", given(&f.al), true);
        if let (Some(a), Some(b)) = (&dal, &al)
            && a >= b
        {
            err("al", "La data finale non può precedere quella iniziale.");
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ParsedFilter { stato, tipo, oggetti, matricola, dal, al })
    }
}
