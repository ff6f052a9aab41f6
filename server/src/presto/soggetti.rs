//! The two kinds of subject of the service as loaded from the database, and whose wallet or
//! page a caller may open.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::auth::Session;
use crate::services::Services;
use shared::Role;
use shared::presto::views::{CategoriaView, PrestatoreView, UtilizzatoreView};
use shared::presto::{CategoriaCpo, CategoriaSpeciale, ModalitaPagamento, Strumento};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub(crate) struct Utilizzatore {
    pub id: i64,
    pub strumento: Strumento,
    pub categoria: Option<CategoriaCpo>,
    pub ateco: Option<String>,
    pub dipendenti_centesimi: Option<i64>,
    pub sede_id: i64,
    pub regione: String,
    pub sede_nome: String,
    pub persona_id: Option<i64>,
    pub denominazione: String,
    pub codice_fiscale: String,
    pub email: Option<String>,
    pub telefono: Option<String>,
    pub version: i64,
}

pub(crate) const UTILIZZATORE_SQL: &str = "SELECT u.id, u.strumento, u.categoria, u.ateco, u.dipendenti_centesimi,
        u.sede_id, s.regione, s.nome AS sede_nome, u.persona_id, u.contribuente_id, u.saldo_cents, u.version,
        COALESCE(c.ragione_sociale, p.cognome || ' ' || p.nome) AS denominazione,
        COALESCE(c.codice_fiscale, p.codice_fiscale) AS codice_fiscale,
        COALESCE(c.pec, p.email) AS email, p.telefono
     FROM utilizzatori u JOIN sedi s ON s.id = u.sede_id
     LEFT JOIN persone p ON p.id = u.persona_id LEFT JOIN contribuenti c ON c.id = u.contribuente_id";

fn bad(what: &str, v: &str) -> AppError {
    AppError::Internal(format!("{what} sconosciuto: {v}"))
}

impl Utilizzatore {
    pub fn from_row(r: &AnyRow) -> AppResult<Utilizzatore> {
        let strumento: String = r.try_get("strumento")?;
        let categoria: Option<String> = r.try_get("categoria")?;
        Ok(Utilizzatore {
            id: r.try_get("id")?,
            strumento: Strumento::from_code(&strumento).ok_or_else(|| bad("strumento", &strumento))?,
            categoria: categoria
                .map(|c| CategoriaCpo::from_code(&c).ok_or_else(|| bad("categoria", &c)))
                .transpose()?,
            ateco: r.try_get("ateco")?,
            dipendenti_centesimi: r.try_get("dipendenti_centesimi")?,
            sede_id: r.try_get("sede_id")?,
            regione: r.try_get("regione")?,
            sede_nome: r.try_get("sede_nome")?,
            persona_id: r.try_get("persona_id")?,
            denominazione: r.try_get("denominazione")?,
            codice_fiscale: r.try_get("codice_fiscale")?,
            email: r.try_get("email")?,
            telefono: r.try_get("telefono")?,
            version: r.try_get("version")?,
        })
    }

    pub fn view(&self) -> UtilizzatoreView {
        UtilizzatoreView {
            id: self.id,
            strumento: self.strumento,
            categoria: self.categoria,
            ateco: self.ateco.clone(),
            dipendenti_centesimi: self.dipendenti_centesimi,
            denominazione: self.denominazione.clone(),
            codice_fiscale: self.codice_fiscale.clone(),
            persona: self.persona_id.is_some(),
            email: self.email.clone(),
            telefono: self.telefono.clone(),
            sede: self.sede_nome.clone(),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Prestatore {
    pub id: i64,
    pub persona_id: i64,
    pub sede_id: i64,
    pub regione: String,
    pub view: PrestatoreView,
}

pub(crate) const PRESTATORE_SQL: &str =
    "SELECT pr.id, pr.persona_id, pr.iban, pr.modalita_pagamento, pr.sede_id, pr.version,
        s.regione, s.nome AS sede_nome, p.nome, p.cognome, p.codice_fiscale, p.email, p.telefono
     FROM prestatori pr JOIN sedi s ON s.id = pr.sede_id JOIN persone p ON p.id = pr.persona_id";

/// Who opens a wallet: a person (Libretto Famiglia, professional) or a company (CPO).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Titolare {
    Persona(i64),
    Azienda(i64),
}

impl Services {
    pub(crate) async fn prestatore_by(&self, cond: &str, bind: i64) -> AppResult<Option<Prestatore>> {
        let Some(r) =
            sqlx::query(&format!("{PRESTATORE_SQL} WHERE {cond}")).bind(bind).fetch_optional(&self.db.read).await?
        else {
            return Ok(None);
        };
        let id: i64 = r.try_get("id")?;
        let modalita: String = r.try_get("modalita_pagamento")?;
        let cats = sqlx::query(
            "SELECT categoria, dal, al FROM prestatori_categorie WHERE prestatore_id = $1 ORDER BY dal, id",
        )
        .bind(id)
        .fetch_all(&self.db.read)
        .await?;
        let mut categorie = vec![];
        for c in cats {
            let code: String = c.try_get("categoria")?;
            categorie.push(CategoriaView {
                categoria: CategoriaSpeciale::from_code(&code).ok_or_else(|| bad("categoria speciale", &code))?,
                dal: c.try_get("dal")?,
                al: c.try_get("al")?,
            });
        }
        Ok(Some(Prestatore {
            id,
            persona_id: r.try_get("persona_id")?,
            sede_id: r.try_get("sede_id")?,
            regione: r.try_get("regione")?,
            view: PrestatoreView {
                id,
                nome: r.try_get("nome")?,
                cognome: r.try_get("cognome")?,
                codice_fiscale: r.try_get("codice_fiscale")?,
                email: r.try_get("email")?,
                telefono: r.try_get("telefono")?,
                modalita_pagamento: ModalitaPagamento::from_code(&modalita)
                    .ok_or_else(|| bad("modalità di pagamento", &modalita))?,
                iban: r.try_get("iban")?,
                categorie,
                sede: r.try_get("sede_nome")?,
                version: r.try_get("version")?,
            },
        }))
    }

    /// Many users at once (the portal's queues and lists), by id, in one query.
    pub(crate) async fn utilizzatori_per_id(
        &self,
        ids: impl IntoIterator<Item = i64>,
    ) -> AppResult<std::collections::HashMap<i64, Utilizzatore>> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{UTILIZZATORE_SQL} WHERE u.id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.db.read).await?.iter().map(|r| Utilizzatore::from_row(r).map(|u| (u.id, u))).collect()
    }

    pub(crate) async fn utilizzatore_by(&self, cond: &str, bind: i64) -> AppResult<Option<Utilizzatore>> {
        sqlx::query(&format!("{UTILIZZATORE_SQL} WHERE {cond} ORDER BY u.id"))
            .bind(bind)
            .fetch_optional(&self.db.read)
            .await?
            .map(|r| Utilizzatore::from_row(&r))
            .transpose()
    }

    /// Whose wallet the caller works on: its own (role `utilizzatore`) or, for company roles, the
    /// company it acts for (checked today, like every Cassetto call).
    pub(crate) async fn titolare<'c>(
        &self,
        caller: &'c Caller,
        soggetto_id: Option<i64>,
    ) -> AppResult<(&'c Session, Titolare)> {
        let s = caller.require()?;
        if s.user.role == Role::Utilizzatore {
            let p = s
                .user
                .persona_id
                .ok_or_else(|| AppError::Forbidden("Il profilo non è collegato a una persona.".into()))?;
            return Ok((s, Titolare::Persona(p)));
        }
        if s.user.role.acts_for_company() {
            let subject = self.subject(caller, soggetto_id).await?;
            return Ok((s, Titolare::Azienda(subject.id)));
        }
        Err(AppError::Forbidden("Il portafoglio delle prestazioni occasionali è riservato agli utilizzatori.".into()))
    }

    /// The caller's registration as utilizzatore (for a person with both instruments,
    /// `strumento` chooses; the Libretto Famiglia otherwise).
    pub(crate) async fn mio_utilizzatore(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
    ) -> AppResult<(Session, Utilizzatore)> {
        let (s, t) = self.titolare(caller, soggetto_id).await?;
        let rows = match t {
            Titolare::Persona(p) => {
                sqlx::query(&format!("{UTILIZZATORE_SQL} WHERE u.persona_id = $1 ORDER BY u.strumento DESC"))
                    .bind(p)
                    .fetch_all(&self.db.read)
                    .await?
            }
            Titolare::Azienda(c) => {
                sqlx::query(&format!("{UTILIZZATORE_SQL} WHERE u.contribuente_id = $1"))
                    .bind(c)
                    .fetch_all(&self.db.read)
                    .await?
            }
        };
        let mut all = rows.iter().map(Utilizzatore::from_row).collect::<AppResult<Vec<_>>>()?;
        if let Some(k) = strumento {
            all.retain(|u| u.strumento == k);
        }
        let u = all.into_iter().next().ok_or_else(|| {
            AppError::NotFound(
                "Non risulta una registrazione come utilizzatore di prestazioni occasionali: registrarsi prima.".into(),
            )
        })?;
        Ok((s.clone(), u))
    }

    pub(crate) async fn mio_prestatore(&self, caller: &Caller) -> AppResult<Prestatore> {
        let s = caller.require()?;
        if s.user.role != Role::Prestatore {
            return Err(AppError::Forbidden("La pagina è riservata ai prestatori di lavoro occasionale.".into()));
        }
        let p =
            s.user.persona_id.ok_or_else(|| AppError::Forbidden("Il profilo non è collegato a una persona.".into()))?;
        self.prestatore_by("pr.persona_id = $1", p).await?.ok_or_else(|| {
            AppError::NotFound("Non risulta una registrazione come prestatore: registrarsi prima.".into())
        })
    }
}
