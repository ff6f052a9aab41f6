//! The sede's lists for checks (Msg. 1099/2018 §5): utilizzatori and prestatori with prestazioni
//! in a period, filtered by instrument, category, special category and amounts. One query
//! builder serves the page (counted and paged), the samples (every row) and the exports (a stream
//! of rows, never the whole list in memory).

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::Scope;
use crate::services::Services;
use shared::dto::FieldError;
use shared::money::Euro;
use shared::presto::elenchi::{FiltriElenco, PaginaElenco, RichiestaElenco, RigaElenco, TipoElenco};
use shared::presto::{CategoriaCpo, Strumento};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Rows of a page of the list.
pub(crate) const PER_PAGINA: i64 = 100;

#[derive(Debug, Clone)]
pub(crate) enum Bind {
    I(i64),
    T(String),
}

/// A list's query with its parameters, in the operator's scope.
#[derive(Debug, Clone)]
pub struct Elenco {
    pub tipo: TipoElenco,
    sql: String,
    binds: Vec<Bind>,
}

impl Elenco {
    /// The prestazioni of the period are aggregated first, per user or prestatore, reading only
    /// the covering index `(owner, giorno, stato, compenso_cents)` for the owners in scope; names
    /// and codes are joined to the aggregated rows afterwards (a few thousand, not a million).
    pub fn new(f: &FiltriElenco, sc: &Scope) -> Elenco {
        let mut binds = vec![Bind::T(f.dal.to_string()), Bind::T(f.al.to_string())];
        let next = |b: Bind, binds: &mut Vec<Bind>| {
            binds.push(b);
            format!("${}", binds.len())
        };
        let (table, alias, column) = match f.tipo {
            TipoElenco::Utilizzatori => ("utilizzatori", "u", "utilizzatore_id"),
            TipoElenco::Prestatori => ("prestatori", "pr", "prestatore_id"),
        };
        // Who is in the list: the owners of the operator's scope, with the owner's filters.
        let mut owners = vec!["1 = 1".to_string()];
        match sc {
            Scope::Sede { sede_id, .. } => {
                owners.push(format!("{alias}.sede_id = {}", next(Bind::I(*sede_id), &mut binds)))
            }
            Scope::Regione(r) => owners.push(format!("s.regione = {}", next(Bind::T(r.clone()), &mut binds))),
            Scope::Nazionale => {}
        }
        if let Some(k) = f.strumento {
            owners.push(format!("u.strumento = {}", next(Bind::T(k.code().into()), &mut binds)));
        }
        if let Some(c) = f.categoria {
            owners.push(format!("u.categoria = {}", next(Bind::T(c.code().into()), &mut binds)));
        }
        if let Some(k) = f.categoria_speciale {
            owners.push(format!(
                "EXISTS (SELECT 1 FROM prestatori_categorie pc WHERE pc.prestatore_id = pr.id AND pc.categoria = {}
                         AND pc.dal <= $2 AND (pc.al IS NULL OR pc.al >= $1))",
                next(Bind::T(k.code().into()), &mut binds)
            ));
        }
        let mut having = vec![];
        if let Some(m) = f.importo_min {
            having.push(format!("SUM(x.compenso_cents) >= {}", next(Bind::I(m.cents()), &mut binds)));
        }
        if let Some(m) = f.importo_max {
            having.push(format!("SUM(x.compenso_cents) <= {}", next(Bind::I(m.cents()), &mut binds)));
        }
        let having = if having.is_empty() { String::new() } else { format!(" HAVING {}", having.join(" AND ")) };
        let aggregate = format!(
            "SELECT x.{column} AS sid, COUNT(*) AS n, CAST(SUM(x.compenso_cents) AS BIGINT) AS compenso,
                    MIN(x.giorno) AS primo, MAX(x.giorno) AS ultimo
             FROM prestazioni x
             WHERE x.stato <> 'revocata' AND x.giorno >= $1 AND x.giorno <= $2
               AND x.{column} IN (SELECT {alias}.id FROM {table} {alias} JOIN sedi s ON s.id = {alias}.sede_id WHERE {})
             GROUP BY x.{column}{having}",
            owners.join(" AND ")
        );
        let sql = match f.tipo {
            TipoElenco::Utilizzatori => format!(
                "SELECT u.id, COALESCE(c.ragione_sociale, p.cognome || ' ' || p.nome) AS denominazione,
                        COALESCE(c.codice_fiscale, p.codice_fiscale) AS codice_fiscale, u.strumento, u.categoria,
                        a.n, a.compenso, a.primo, a.ultimo, CAST(0 AS BIGINT) AS speciali
                 FROM ({aggregate}) a JOIN utilizzatori u ON u.id = a.sid
                      LEFT JOIN persone p ON p.id = u.persona_id LEFT JOIN contribuenti c ON c.id = u.contribuente_id"
            ),
            TipoElenco::Prestatori => format!(
                "SELECT pr.id, p.cognome || ' ' || p.nome AS denominazione, p.codice_fiscale, 'prestatore' AS strumento,
                        CAST(NULL AS TEXT) AS categoria, a.n, a.compenso, a.primo, a.ultimo,
                        (SELECT COUNT(*) FROM prestatori_categorie pc WHERE pc.prestatore_id = pr.id
                            AND pc.dal <= $2 AND (pc.al IS NULL OR pc.al >= $1)) AS speciali
                 FROM ({aggregate}) a JOIN prestatori pr ON pr.id = a.sid JOIN persone p ON p.id = pr.persona_id"
            ),
        };
        Elenco { tipo: f.tipo, sql, binds }
    }

    pub(crate) fn query<'a>(&self, sql: &'a str) -> sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments<'a>> {
        let mut q = sqlx::query(sql);
        for b in &self.binds {
            q = match b {
                Bind::I(i) => q.bind(*i),
                Bind::T(t) => q.bind(t.clone()),
            };
        }
        q
    }

    /// Every row, in a stable order (name, then id).
    pub(crate) fn ordered(&self) -> String {
        format!("SELECT * FROM ({}) t ORDER BY denominazione, id", self.sql)
    }

    /// The ordered query with its values written in (text quoted): what the bench hands to the
    /// `sqlite3` CLI to compare the export with the same query on the same file.
    pub fn letterale(&self) -> String {
        let mut sql = self.ordered();
        // From the highest placeholder down, so that `$1` does not eat the start of `$10`.
        for (i, b) in self.binds.iter().enumerate().rev() {
            let v = match b {
                Bind::I(n) => n.to_string(),
                Bind::T(t) => format!("'{}'", t.replace('\'', "''")),
            };
            sql = sql.replace(&format!("${}", i + 1), &v);
        }
        sql
    }

    pub(crate) fn counted(&self) -> String {
        format!("SELECT COUNT(*) FROM ({}) t", self.sql)
    }
}

pub(crate) fn riga(tipo: TipoElenco, r: &AnyRow) -> AppResult<RigaElenco> {
    let strumento: String = r.try_get("strumento")?;
    let categoria: Option<String> = r.try_get("categoria")?;
    let speciali: i64 = r.try_get("speciali")?;
    let (soggetto, descrizione, strato) = match tipo {
        TipoElenco::Utilizzatori => {
            let k = Strumento::from_code(&strumento).map(|s| s.label()).unwrap_or("");
            let c = categoria.as_deref().and_then(CategoriaCpo::from_code);
            let descr = match c {
                Some(c) => format!("{k} · {}", c.label()),
                None => k.to_string(),
            };
            ("utilizzatore", descr, format!("{strumento}/{}", categoria.unwrap_or_default()))
        }
        TipoElenco::Prestatori => {
            let s = if speciali > 0 { "categoria speciale (75 %)" } else { "nessuna categoria speciale" };
            ("prestatore", format!("Prestatore · {s}"), if speciali > 0 { "speciale" } else { "ordinario" }.to_string())
        }
    };
    Ok(RigaElenco {
        tipo: soggetto.into(),
        id: r.try_get("id")?,
        denominazione: r.try_get("denominazione")?,
        codice_fiscale: r.try_get("codice_fiscale")?,
        descrizione,
        prestazioni: r.try_get("n")?,
        compenso: Euro::from_cents(r.try_get("compenso")?),
        primo_giorno: r.try_get("primo")?,
        ultimo_giorno: r.try_get("ultimo")?,
        strato,
    })
}

pub(crate) fn filtri(r: &RichiestaElenco) -> AppResult<FiltriElenco> {
    r.parse().map_err(|errs| {
        AppError::Validation(
            errs.into_iter()
                .map(|(field, code, message)| FieldError { field: field.into(), code: code.into(), message })
                .collect(),
        )
    })
}

impl Services {
    /// The list in the operator's scope: branch operators their sede, regional operators their
    /// region, the head office everything.
    pub(crate) async fn elenco_di(&self, caller: &Caller, r: &RichiestaElenco) -> AppResult<(Elenco, Scope)> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let f = filtri(r)?;
        if f.tipo == TipoElenco::Prestatori && (f.strumento.is_some() || f.categoria.is_some()) {
            return Err(AppError::field(
                "strumento",
                "Strumento e categoria CPO filtrano gli utilizzatori, non i prestatori.",
                "tipo",
            ));
        }
        if f.tipo == TipoElenco::Utilizzatori && f.categoria_speciale.is_some() {
            return Err(AppError::field(
                "categoria_speciale",
                "La categoria speciale è dei prestatori: scegliere l'elenco dei prestatori.",
                "tipo",
            ));
        }
        Ok((Elenco::new(&f, &sc), sc))
    }

    pub async fn elenco(&self, caller: &Caller, r: RichiestaElenco, pagina: u32) -> AppResult<PaginaElenco> {
        let (e, _) = self.elenco_di(caller, &r).await?;
        let mut conn = self.db.read.acquire().await?;
        let offset = i64::from(pagina.max(1) - 1) * PER_PAGINA;
        // The total comes with the page (one pass over the prestazioni); past the last page the
        // list is counted apart.
        let paged = format!(
            "SELECT t.*, COUNT(*) OVER () AS totale FROM ({}) t ORDER BY denominazione, id LIMIT {PER_PAGINA} OFFSET {offset}",
            e.sql
        );
        let rows = e.query(&paged).fetch_all(&mut *conn).await?;
        let totale: i64 = match rows.first() {
            Some(r) => r.try_get("totale")?,
            None => {
                let counted = e.counted();
                e.query(&counted).fetch_one(&mut *conn).await?.try_get(0)?
            }
        };
        let righe = rows.iter().map(|r| riga(e.tipo, r)).collect::<AppResult<Vec<_>>>()?;
        Ok(PaginaElenco { totale, pagina: pagina.max(1), righe })
    }
}
