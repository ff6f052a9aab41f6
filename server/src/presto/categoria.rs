//! Changing a CPO user's category (Msg. 1099/2018 §3). The branch changes it while the user has
//! no prestazione; afterwards only the head office may, after checking that every prestazione
//! already entered fits the new category — so the branch forwards a request (the regional
//! directorate's path to DG), which DG applies or refuses with a reason. Every step audited.

use super::fe;
use super::soggetti::Utilizzatore;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::Scope;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::money::Euro;
use shared::presto::cambio_categoria::{PrestazioneRegistrata, ammissibile, non_conformi};
use shared::presto::portale::{CambioCategoria, CambioCategoriaView, CategoriaUtilizzatore, StatoCambio};
use shared::presto::{CategoriaCpo, FinalitaPa, Strumento};
use shared::richiesta::CheckView;
use sqlx::{AnyConnection, Row};

fn internal(what: &str, v: &str) -> AppError {
    AppError::Internal(format!("{what} sconosciuto: {v}"))
}

async fn prestazioni_entrate(conn: &mut AnyConnection, utilizzatore: i64) -> AppResult<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM prestazioni WHERE utilizzatore_id = $1")
        .bind(utilizzatore)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

/// The prestazioni that would not fit `nuova`, as checks the pages and the API show: one per
/// failed rule of each prestazione, named by day and prestatore.
pub(super) async fn verifica(
    conn: &mut AnyConnection,
    u: &Utilizzatore,
    nuova: CategoriaCpo,
) -> AppResult<Vec<CheckView>> {
    let rows = sqlx::query(
        "SELECT x.id, x.giorno, x.minuti, x.compenso_cents, x.peso_limite_cents, x.finalita_pa,
                p.cognome || ' ' || p.nome AS prestatore
         FROM prestazioni x JOIN prestatori pr ON pr.id = x.prestatore_id JOIN persone p ON p.id = pr.persona_id
         WHERE x.utilizzatore_id = $1 AND x.stato <> 'revocata'",
    )
    .bind(u.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for r in rows {
        let giorno: String = r.try_get("giorno")?;
        let finalita: Option<String> = r.try_get("finalita_pa")?;
        list.push(PrestazioneRegistrata {
            id: r.try_get("id")?,
            giorno: clock::parse_date(&giorno).ok_or_else(|| internal("giorno", &giorno))?,
            prestatore: r.try_get("prestatore")?,
            minuti: r.try_get("minuti")?,
            compenso: Euro::from_cents(r.try_get("compenso_cents")?),
            peso_limite: Euro::from_cents(r.try_get("peso_limite_cents")?),
            finalita_pa: finalita.filter(|f| !f.is_empty()).and_then(|f| FinalitaPa::from_code(&f)),
        });
    }
    let righe = super::righe_parametri(conn).await?;
    let out = non_conformi(nuova, u.dipendenti_centesimi, &list, &righe).map_err(AppError::Internal)?;
    Ok(out
        .into_iter()
        .flat_map(|n| {
            let chi = format!(
                "Prestazione n. {} del {} ({})",
                n.prestazione.id,
                shared::time::format_date_it(n.prestazione.giorno),
                n.prestazione.prestatore
            );
            n.controlli.into_iter().map(move |mut c| {
                c.motivo = format!("{chi}: {}", c.motivo);
                c
            })
        })
        .collect())
}

pub(super) fn refused_by(checks: Vec<CheckView>, title: &str) -> AppError {
    let errs = checks.into_iter().map(|c| fe("categoria", &c.codice, c.motivo)).collect();
    AppError::Refused(title.into(), errs)
}

pub(super) const CAMBIO_SQL: &str =
    "SELECT k.id, k.utilizzatore_id, k.categoria_da, k.categoria_a, k.stato, k.motivo, k.richiesto_at,
        k.deciso_at, k.nota_decisione, k.verifica_json, ur.username AS richiesto_da, ud.username AS deciso_da
     FROM cambi_categoria k JOIN users ur ON ur.id = k.richiesto_da LEFT JOIN users ud ON ud.id = k.deciso_da";

pub(super) fn cambio_view(r: &sqlx::any::AnyRow, u: &Utilizzatore) -> AppResult<CambioCategoriaView> {
    let cat = |v: String| CategoriaCpo::from_code(&v).ok_or_else(|| internal("categoria", &v));
    let stato: String = r.try_get("stato")?;
    let verifica: Option<String> = r.try_get("verifica_json")?;
    Ok(CambioCategoriaView {
        id: r.try_get("id")?,
        utilizzatore_id: u.id,
        denominazione: u.denominazione.clone(),
        sede: u.sede_nome.clone(),
        da: r.try_get::<Option<String>, _>("categoria_da")?.map(cat).transpose()?,
        a: cat(r.try_get("categoria_a")?)?,
        stato: StatoCambio::from_code(&stato).ok_or_else(|| internal("stato", &stato))?,
        motivo: r.try_get("motivo")?,
        richiesto_da: r.try_get("richiesto_da")?,
        richiesto_at: r.try_get("richiesto_at")?,
        deciso_da: r.try_get("deciso_da")?,
        deciso_at: r.try_get("deciso_at")?,
        nota_decisione: r.try_get("nota_decisione")?,
        verifica: verifica
            .map(|j| serde_json::from_str(&j))
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?
            .unwrap_or_default(),
        puo_decidere: false,
    })
}

impl Services {
    async fn cpo_in_scope(&self, caller: &Caller, id: i64) -> AppResult<(Scope, Utilizzatore, bool)> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let (u, acts) = self.utilizzatore_in_scope(&sc, id).await?;
        if u.strumento != Strumento::Cpo {
            return Err(AppError::Conflict("La categoria si indica solo per gli utilizzatori del CPO.".into()));
        }
        Ok((sc, u, acts))
    }

    async fn cambi_di(&self, u: &Utilizzatore) -> AppResult<Vec<CambioCategoriaView>> {
        sqlx::query(&format!("{CAMBIO_SQL} WHERE k.utilizzatore_id = $1 ORDER BY k.id DESC LIMIT 50"))
            .bind(u.id)
            .fetch_all(&self.db.read)
            .await?
            .iter()
            .map(|r| cambio_view(r, u))
            .collect()
    }

    pub async fn categoria_utilizzatore(&self, caller: &Caller, id: i64) -> AppResult<CategoriaUtilizzatore> {
        let (sc, u, acts) = self.cpo_in_scope(caller, id).await?;
        let mut conn = self.db.read.acquire().await?;
        let prestazioni = prestazioni_entrate(&mut conn, u.id).await?;
        drop(conn);
        let cambi = self.cambi_di(&u).await?;
        let in_attesa = cambi.iter().any(|c| c.stato == StatoCambio::InoltratoDg);
        let dg = sc == Scope::Nazionale;
        Ok(CategoriaUtilizzatore {
            utilizzatore: u.view(),
            prestazioni,
            competenza: if prestazioni == 0 { "sede" } else { "dg" }.into(),
            puo_modificare: acts && (prestazioni == 0 || dg),
            puo_inoltrare: acts && !dg && prestazioni > 0 && !in_attesa,
            cambi,
        })
    }

    fn nuova_categoria(u: &Utilizzatore, code: &str) -> AppResult<CategoriaCpo> {
        let nuova = CategoriaCpo::from_code(code.trim())
            .ok_or_else(|| AppError::Validation(vec![fe("categoria", "unknown", "Scegliere la nuova categoria.")]))?;
        if Some(nuova) == u.categoria {
            return Err(AppError::Validation(vec![fe(
                "categoria",
                "invariata",
                "La categoria indicata è già quella dell'utilizzatore.",
            )]));
        }
        Ok(nuova)
    }

    /// The branch (no prestazione yet) or DG (every prestazione fits) changes the category.
    pub async fn cambia_categoria(
        &self,
        caller: &Caller,
        id: i64,
        req: CambioCategoria,
    ) -> AppResult<CategoriaUtilizzatore> {
        let (sc, u, acts) = self.cpo_in_scope(caller, id).await?;
        let s = caller.require()?;
        if !acts {
            return Err(AppError::Forbidden(
                "L'utilizzatore è di competenza di un'altra sede: può consultarlo ma non modificarlo.".into(),
            ));
        }
        let nuova = Self::nuova_categoria(&u, &req.categoria)?;
        let nota = super::anagrafica::nota_obbligatoria(&req.nota)?;
        let mut tx = self.db.write.begin().await?;
        let oggi = super::parametri(&mut tx, self.clock.today()).await?;
        let no = ammissibile(nuova, u.dipendenti_centesimi, &oggi);
        if !no.is_empty() {
            return Err(refused_by(no, "La nuova categoria non è ammessa per questo utilizzatore."));
        }
        // Taken first: the row is the lock every new prestazione of this user also takes.
        let now = clock::now_ts();
        let updated = sqlx::query(
            "UPDATE utilizzatori SET categoria = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
        )
        .bind(nuova.code())
        .bind(&now)
        .bind(u.id)
        .bind(req.version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "L'anagrafica è stata modificata da un altro operatore dopo la sua lettura: ricaricare la pagina."
                    .into(),
            ));
        }
        let n = prestazioni_entrate(&mut tx, u.id).await?;
        if n > 0 && sc != Scope::Nazionale {
            return Err(AppError::Conflict(format!(
                "L'utilizzatore ha già {n} prestazioni: la categoria la cambia la Direzione Generale, dopo aver verificato che siano coerenti con la nuova. Inoltrare la richiesta alla Direzione Generale."
            )));
        }
        let ko = verifica(&mut tx, &u, nuova).await?;
        if !ko.is_empty() {
            return Err(refused_by(ko, "Alcune prestazioni già inserite non sono coerenti con la nuova categoria."));
        }
        sqlx::query(
            "INSERT INTO cambi_categoria (utilizzatore_id, categoria_da, categoria_a, stato, motivo, richiesto_da, richiesto_at, deciso_da, deciso_at, verifica_json)
             VALUES ($1, $2, $3, 'applicato', $4, $5, $6, $5, $6, '[]')",
        )
        .bind(u.id)
        .bind(u.categoria.map(|c| c.code()))
        .bind(nuova.code())
        .bind(&nota)
        .bind(s.user.id)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "utilizzatore",
                entity_id: u.id.to_string(),
                action: "cambio_categoria",
                before: Some(serde_json::json!({"categoria": u.categoria.map(|c| c.code()), "version": u.version})),
                after: Some(serde_json::json!({"categoria": nuova.code(), "prestazioni_verificate": n, "version": req.version + 1})),
                note: Some(nota),
            },
        )
        .await?;
        tx.commit().await?;
        self.categoria_utilizzatore(caller, id).await
    }

    /// The branch forwards the change to DG (the user already has prestazioni).
    pub async fn inoltra_cambio_categoria(
        &self,
        caller: &Caller,
        id: i64,
        req: CambioCategoria,
    ) -> AppResult<CategoriaUtilizzatore> {
        let (sc, u, acts) = self.cpo_in_scope(caller, id).await?;
        let s = caller.require()?;
        if !acts || sc == Scope::Nazionale {
            return Err(AppError::Forbidden(
                "Inoltra la richiesta alla Direzione Generale la sede competente per l'utilizzatore.".into(),
            ));
        }
        let nuova = Self::nuova_categoria(&u, &req.categoria)?;
        let motivo = super::anagrafica::nota_obbligatoria(&req.nota)?;
        let mut tx = self.db.write.begin().await?;
        // The user's row orders this forwarding against a concurrent one.
        sqlx::query("UPDATE utilizzatori SET version = version WHERE id = $1").bind(u.id).execute(&mut *tx).await?;
        if prestazioni_entrate(&mut tx, u.id).await? == 0 {
            return Err(AppError::Conflict(
                "L'utilizzatore non ha prestazioni: la sede può cambiare la categoria direttamente.".into(),
            ));
        }
        let waiting: i64 =
            sqlx::query("SELECT COUNT(*) FROM cambi_categoria WHERE utilizzatore_id = $1 AND stato = 'inoltrato_dg'")
                .bind(u.id)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        if waiting > 0 {
            return Err(AppError::Conflict(
                "Una richiesta di cambio di categoria per questo utilizzatore è già all'esame della Direzione Generale.".into(),
            ));
        }
        let now = clock::now_ts();
        let cid: i64 = sqlx::query(
            "INSERT INTO cambi_categoria (utilizzatore_id, categoria_da, categoria_a, stato, motivo, richiesto_da, richiesto_at)
             VALUES ($1, $2, $3, 'inoltrato_dg', $4, $5, $6) RETURNING id",
        )
        .bind(u.id)
        .bind(u.categoria.map(|c| c.code()))
        .bind(nuova.code())
        .bind(&motivo)
        .bind(s.user.id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "cambio_categoria",
                entity_id: cid.to_string(),
                action: "inoltro_dg",
                before: None,
                after: Some(serde_json::json!({"utilizzatore_id": u.id, "da": u.categoria.map(|c| c.code()), "a": nuova.code()})),
                note: Some(motivo),
            },
        )
        .await?;
        tx.commit().await?;
        self.categoria_utilizzatore(caller, id).await
    }
}
