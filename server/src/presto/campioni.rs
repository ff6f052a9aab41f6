//! Samples of the sede's lists for checking self-declarations (Msg. 1099/2018 §5): drawn with a
//! recorded seed by the pure sampler of `shared` (the same list and seed give the same rows),
//! stored as a named check list, each row then marked with its outcome and a note. Audited.

use super::elenchi::riga;
use super::fe;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::Scope;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use futures_util::TryStreamExt;
use shared::dto::FieldError;
use shared::money::Euro;
use shared::presto::campioni::{CampioneSintesi, CampioneView, ESITI, EsitoVerifica, NuovoCampione, RigaCampione};
use shared::presto::elenchi::{Dimensione, RichiestaElenco, campione};
use sqlx::Row;
use std::collections::HashMap;

fn not_found() -> AppError {
    AppError::NotFound("Campione non trovato tra quelli di competenza.".into())
}

/// Whose samples an operator sees and works: its sede's, its region's, or (head office) all.
fn vede(sc: &Scope, sede_id: Option<i64>, regione: Option<&str>) -> bool {
    match sc {
        Scope::Nazionale => true,
        Scope::Regione(r) => regione == Some(r.as_str()),
        Scope::Sede { sede_id: s, .. } => sede_id == Some(*s),
    }
}

fn dimensione(req: &NuovoCampione, errs: &mut Vec<FieldError>) -> Option<Dimensione> {
    let p = req.percentuale.trim();
    let n = req.numero.trim();
    match (p.is_empty(), n.is_empty()) {
        (false, true) => match p.trim_end_matches('%').trim().parse::<u32>() {
            Ok(v) if (1..=100).contains(&v) => Some(Dimensione::Percentuale(v)),
            _ => {
                errs.push(fe("percentuale", "range", "La percentuale è un numero intero da 1 a 100."));
                None
            }
        },
        (true, false) => match n.parse::<u64>() {
            Ok(v) if (1..=100_000).contains(&v) => Some(Dimensione::Numero(v)),
            _ => {
                errs.push(fe("numero", "range", "Il numero di righe è un intero da 1 a 100.000."));
                None
            }
        },
        (true, true) => {
            errs.push(fe("percentuale", "required", "Indicare la percentuale oppure il numero di righe del campione."));
            None
        }
        (false, false) => {
            errs.push(fe("numero", "both", "Indicare la percentuale oppure il numero di righe, non entrambi."));
            None
        }
    }
}

const RIGA_COLS: &str =
    "r.id, r.posizione, r.soggetto_tipo, r.soggetto_id, r.denominazione, r.codice_fiscale, r.strato,
     r.prestazioni, r.compenso_cents, r.esito, r.nota, r.verificato_at, r.version, v.username AS verificato_da";

impl Services {
    pub async fn crea_campione(&self, caller: &Caller, req: NuovoCampione) -> AppResult<CampioneView> {
        let (e, sc) = self.elenco_di(caller, &req.elenco).await?;
        let s = caller.require()?;
        let mut errs = vec![];
        let nome = req.nome.trim().to_string();
        if !(3..=120).contains(&nome.chars().count()) {
            errs.push(fe("nome", "required", "Dare al campione un nome da 3 a 120 caratteri."));
        }
        let d = dimensione(&req, &mut errs);
        let seme = match req.seme.trim() {
            "" => Some(rand::random::<u64>()),
            t => t
                .parse::<u64>()
                .map_err(|_| errs.push(fe("seme", "format", "Il seme è un numero intero positivo (fino a 20 cifre).")))
                .ok(),
        };
        let (Some(d), Some(seme)) = (d, seme) else { return Err(AppError::Validation(errs)) };
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        // Two passes over the list: the keys to draw from, then the chosen rows; neither keeps
        // the whole list's rows in memory.
        let mut conn = self.db.read.acquire().await?;
        let sql = e.ordered();
        let mut keys: Vec<(i64, String)> = vec![];
        {
            let mut rows = e.query(&sql).fetch(&mut *conn);
            while let Some(r) = rows.try_next().await? {
                let x = riga(e.tipo, &r)?;
                keys.push((x.id, x.strato));
            }
        }
        if keys.is_empty() {
            return Err(AppError::field("elenco", "L'elenco è vuoto: nessun campione da estrarre.", "empty"));
        }
        let chosen = campione(&keys, seme, d, req.stratificato);
        let rank: HashMap<i64, usize> = chosen.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut picked = vec![None; chosen.len()];
        {
            let mut rows = e.query(&sql).fetch(&mut *conn);
            while let Some(r) = rows.try_next().await? {
                let id: i64 = r.try_get("id")?;
                if let Some(i) = rank.get(&id) {
                    picked[*i] = Some(riga(e.tipo, &r)?);
                }
            }
        }
        drop(conn);
        let (sede_id, regione) = match &sc {
            Scope::Sede { sede_id, regione } => (Some(*sede_id), Some(regione.clone())),
            Scope::Regione(r) => (None, Some(r.clone())),
            Scope::Nazionale => (None, None),
        };
        let (percentuale, numero) = match d {
            Dimensione::Percentuale(p) => (Some(i64::from(p)), None),
            Dimensione::Numero(n) => (None, i64::try_from(n).ok()),
        };
        let filtri = serde_json::to_string(&req.elenco).map_err(|x| AppError::Internal(x.to_string()))?;
        let mut tx = self.db.write.begin().await?;
        let now = clock::now_ts();
        let id: i64 = sqlx::query(
            "INSERT INTO campioni (nome, tipo, filtri_json, seme, percentuale, numero, stratificato, righe_elenco, sede_id, regione, creato_da, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&nome)
        .bind(e.tipo.code())
        .bind(&filtri)
        .bind(seme.to_string())
        .bind(percentuale)
        .bind(numero)
        .bind(i64::from(req.stratificato))
        .bind(keys.len() as i64)
        .bind(sede_id)
        .bind(regione)
        .bind(s.user.id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for (pos, r) in picked.into_iter().flatten().enumerate() {
            sqlx::query(
                "INSERT INTO campioni_righe (campione_id, posizione, soggetto_tipo, soggetto_id, denominazione, codice_fiscale, strato, prestazioni, compenso_cents)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(pos as i64 + 1)
            .bind(&r.tipo)
            .bind(r.id)
            .bind(&r.denominazione)
            .bind(&r.codice_fiscale)
            .bind(&r.strato)
            .bind(r.prestazioni)
            .bind(r.compenso.cents())
            .execute(&mut *tx)
            .await?;
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "campione",
                entity_id: id.to_string(),
                action: "estrazione_campione",
                before: None,
                after: Some(serde_json::json!({"nome": nome, "tipo": e.tipo.code(), "filtri": req.elenco, "seme": seme.to_string(),
                    "percentuale": percentuale, "numero": numero, "stratificato": req.stratificato, "righe_elenco": keys.len(), "righe_campione": chosen.len()})),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.campione(caller, id).await
    }

    pub async fn campioni(&self, caller: &Caller) -> AppResult<Vec<CampioneSintesi>> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let rows = sqlx::query(
            "SELECT k.id, k.nome, k.tipo, k.sede_id, k.regione, k.created_at, u.username,
                    (SELECT COUNT(*) FROM campioni_righe r WHERE r.campione_id = k.id) AS righe,
                    (SELECT COUNT(*) FROM campioni_righe r WHERE r.campione_id = k.id AND r.esito IS NOT NULL) AS verificate
             FROM campioni k JOIN users u ON u.id = k.creato_da ORDER BY k.id DESC LIMIT 500",
        )
        .fetch_all(&self.db.read)
        .await?;
        let mut out = vec![];
        for r in rows {
            let regione: Option<String> = r.try_get("regione")?;
            if !vede(&sc, r.try_get("sede_id")?, regione.as_deref()) {
                continue;
            }
            out.push(CampioneSintesi {
                id: r.try_get("id")?,
                nome: r.try_get("nome")?,
                tipo: r.try_get("tipo")?,
                righe: r.try_get("righe")?,
                verificate: r.try_get("verificate")?,
                creato_da: r.try_get("username")?,
                created_at: r.try_get("created_at")?,
            });
        }
        Ok(out)
    }

    pub async fn campione(&self, caller: &Caller, id: i64) -> AppResult<CampioneView> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let k =
            sqlx::query("SELECT k.*, u.username FROM campioni k JOIN users u ON u.id = k.creato_da WHERE k.id = $1")
                .bind(id)
                .fetch_optional(&self.db.read)
                .await?
                .ok_or_else(not_found)?;
        let regione: Option<String> = k.try_get("regione")?;
        if !vede(&sc, k.try_get("sede_id")?, regione.as_deref()) {
            return Err(not_found());
        }
        let rows = sqlx::query(&format!(
            "SELECT {RIGA_COLS} FROM campioni_righe r LEFT JOIN users v ON v.id = r.verificato_da
             WHERE r.campione_id = $1 ORDER BY r.posizione"
        ))
        .bind(id)
        .fetch_all(&self.db.read)
        .await?;
        let mut righe = Vec::with_capacity(rows.len());
        for r in rows {
            righe.push(RigaCampione {
                id: r.try_get("id")?,
                posizione: r.try_get("posizione")?,
                soggetto_tipo: r.try_get("soggetto_tipo")?,
                soggetto_id: r.try_get("soggetto_id")?,
                denominazione: r.try_get("denominazione")?,
                codice_fiscale: r.try_get("codice_fiscale")?,
                strato: r.try_get("strato")?,
                prestazioni: r.try_get("prestazioni")?,
                compenso: Euro::from_cents(r.try_get("compenso_cents")?),
                esito: r.try_get("esito")?,
                nota: r.try_get("nota")?,
                verificato_da: r.try_get("verificato_da")?,
                verificato_at: r.try_get("verificato_at")?,
                version: r.try_get("version")?,
            });
        }
        let filtri: String = k.try_get("filtri_json")?;
        let elenco: RichiestaElenco = serde_json::from_str(&filtri).map_err(|x| AppError::Internal(x.to_string()))?;
        let stratificato: i64 = k.try_get("stratificato")?;
        Ok(CampioneView {
            id,
            nome: k.try_get("nome")?,
            tipo: k.try_get("tipo")?,
            elenco,
            seme: k.try_get("seme")?,
            percentuale: k.try_get("percentuale")?,
            numero: k.try_get("numero")?,
            stratificato: stratificato == 1,
            righe_elenco: k.try_get("righe_elenco")?,
            creato_da: k.try_get("username")?,
            created_at: k.try_get("created_at")?,
            verificate: righe.iter().filter(|r| r.esito.is_some()).count() as i64,
            righe,
        })
    }

    /// Records the outcome of checking one row of a sample.
    pub async fn verifica_riga(
        &self,
        caller: &Caller,
        id: i64,
        riga: i64,
        req: EsitoVerifica,
    ) -> AppResult<CampioneView> {
        let k = self.campione(caller, id).await?;
        let s = caller.require()?;
        let r = k
            .righe
            .iter()
            .find(|r| r.id == riga)
            .ok_or_else(|| AppError::NotFound("Riga non trovata nel campione.".into()))?;
        let mut errs = vec![];
        let esito = ESITI.iter().map(|(c, _)| *c).find(|c| *c == req.esito.trim());
        if esito.is_none() {
            errs.push(fe("esito", "unknown", "Scegliere l'esito della verifica."));
        }
        let nota = req.nota.trim().to_string();
        if esito != Some("conforme") && nota.chars().count() < 5 {
            errs.push(fe(
                "nota",
                "required",
                "Per un esito diverso da «confermata» la nota è obbligatoria (almeno 5 caratteri).",
            ));
        }
        let Some(esito) = esito.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
        let mut tx = self.db.write.begin().await?;
        let now = clock::now_ts();
        let done = sqlx::query(
            "UPDATE campioni_righe SET esito = $1, nota = $2, verificato_da = $3, verificato_at = $4, version = version + 1
             WHERE id = $5 AND campione_id = $6 AND version = $7",
        )
        .bind(esito)
        .bind(Some(nota.clone()).filter(|n| !n.is_empty()))
        .bind(s.user.id)
        .bind(&now)
        .bind(riga)
        .bind(id)
        .bind(req.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "La riga è stata aggiornata da un altro operatore dopo la sua lettura: ricaricare la pagina.".into(),
            ));
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "campione",
                entity_id: id.to_string(),
                action: "verifica_riga",
                before: Some(serde_json::json!({"riga": riga, "esito": r.esito, "nota": r.nota, "version": r.version})),
                after: Some(serde_json::json!({"riga": riga, "soggetto": r.codice_fiscale, "esito": esito, "version": req.version + 1})),
                note: Some(nota).filter(|n| !n.is_empty()),
            },
        )
        .await?;
        tx.commit().await?;
        self.campione(caller, id).await
    }
}
