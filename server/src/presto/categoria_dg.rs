//! Head office's side of a category change: the queue of requests forwarded by the branches,
//! each with the check of the existing prestazioni as it would run now, and the decision —
//! applied only if every prestazione fits the new category, or refused with a reason.

use super::categoria::{CAMBIO_SQL, cambio_view, refused_by, verifica};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::Scope;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::presto::cambio_categoria::ammissibile;
use shared::presto::portale::{CambioCategoriaView, DecisioneCategoria, StatoCambio};
use sqlx::Row;

impl Services {
    /// The changes of the operator's scope: for DG the queue of forwarded requests, each with
    /// the check of the existing prestazioni as it would run now; for a branch its requests.
    pub async fn cambi_categoria(&self, caller: &Caller) -> AppResult<Vec<CambioCategoriaView>> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let me = caller.require()?.user.id;
        let base = format!(
            "{CAMBIO_SQL} JOIN utilizzatori su ON su.id = k.utilizzatore_id JOIN sedi ss ON ss.id = su.sede_id
             WHERE (k.stato = 'inoltrato_dg' OR k.richiesto_da = $1 OR k.deciso_da = $1)"
        );
        let order = "ORDER BY k.id DESC LIMIT 200";
        let rows = match sc.read_region() {
            Some(regione) => {
                sqlx::query(&format!("{base} AND ss.regione = $2 {order}"))
                    .bind(me)
                    .bind(regione.to_string())
                    .fetch_all(&self.db.read)
                    .await?
            }
            None => sqlx::query(&format!("{base} {order}")).bind(me).fetch_all(&self.db.read).await?,
        };
        let ids = rows.iter().map(|r| r.try_get::<i64, _>("utilizzatore_id")).collect::<Result<Vec<_>, _>>()?;
        let users = self.utilizzatori_per_id(ids).await?;
        let mut out = vec![];
        for r in rows {
            let uid: i64 = r.try_get("utilizzatore_id")?;
            let Some(u) = users.get(&uid) else { continue };
            if !sc.acts(u.sede_id, &u.regione) {
                continue;
            }
            let mut v = cambio_view(&r, u)?;
            if v.stato == StatoCambio::InoltratoDg && sc == Scope::Nazionale {
                let mut conn = self.db.read.acquire().await?;
                v.verifica = verifica(&mut conn, u, v.a).await?;
                v.puo_decidere = true;
            }
            out.push(v);
        }
        Ok(out)
    }

    /// DG applies a forwarded change (only if every prestazione fits) or refuses it.
    pub async fn decidi_cambio_categoria(
        &self,
        caller: &Caller,
        cambio: i64,
        req: DecisioneCategoria,
    ) -> AppResult<CambioCategoriaView> {
        let (s, sc) = self.operatore_presto(caller).await?;
        if sc != Scope::Nazionale {
            return Err(AppError::Forbidden(
                "Le richieste di cambio di categoria le decide la Direzione Generale.".into(),
            ));
        }
        let applica = match req.esito.as_str() {
            "applica" => true,
            "rifiuta" => false,
            _ => return Err(AppError::field("esito", "Indicare se applicare o respingere il cambio.", "unknown")),
        };
        let nota = super::anagrafica::nota_obbligatoria(&req.nota)?;
        let not_found = || AppError::NotFound("Richiesta di cambio di categoria non trovata.".into());
        let row = sqlx::query(&format!("{CAMBIO_SQL} WHERE k.id = $1"))
            .bind(cambio)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(not_found)?;
        let uid: i64 = row.try_get("utilizzatore_id")?;
        let u = self.utilizzatore_by("u.id = $1", uid).await?.ok_or_else(not_found)?;
        let v = cambio_view(&row, &u)?;
        if v.stato != StatoCambio::InoltratoDg {
            return Err(AppError::Conflict(format!("La richiesta è già stata decisa: {}.", v.stato.label())));
        }
        let mut tx = self.db.write.begin().await?;
        let now = clock::now_ts();
        sqlx::query("UPDATE utilizzatori SET version = version WHERE id = $1").bind(u.id).execute(&mut *tx).await?;
        let ko = verifica(&mut tx, &u, v.a).await?;
        if applica {
            let oggi = super::parametri(&mut tx, self.clock.today()).await?;
            let mut no = ammissibile(v.a, u.dipendenti_centesimi, &oggi);
            no.extend(ko.iter().cloned());
            if !no.is_empty() {
                return Err(refused_by(
                    no,
                    "Alcune prestazioni già inserite non sono coerenti con la nuova categoria: il cambio non si può applicare.",
                ));
            }
            sqlx::query("UPDATE utilizzatori SET categoria = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                .bind(v.a.code())
                .bind(&now)
                .bind(u.id)
                .execute(&mut *tx)
                .await?;
        }
        let stato = if applica { StatoCambio::Applicato } else { StatoCambio::Rifiutato };
        let decided = sqlx::query(
            "UPDATE cambi_categoria SET stato = $1, deciso_da = $2, deciso_at = $3, nota_decisione = $4, verifica_json = $5
             WHERE id = $6 AND stato = 'inoltrato_dg'",
        )
        .bind(stato.code())
        .bind(s.user.id)
        .bind(&now)
        .bind(&nota)
        .bind(serde_json::to_string(&ko).map_err(|e| AppError::Internal(e.to_string()))?)
        .bind(cambio)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() != 1 {
            return Err(AppError::Conflict("La richiesta è stata decisa da un altro operatore un istante fa.".into()));
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "cambio_categoria",
                entity_id: cambio.to_string(),
                action: if applica { "cambio_applicato" } else { "cambio_respinto" },
                before: Some(serde_json::json!({"stato": "inoltrato_dg", "categoria": u.categoria.map(|c| c.code())})),
                after: Some(serde_json::json!({"stato": stato.code(), "categoria": if applica { v.a.code() } else { u.categoria.map(|c| c.code()).unwrap_or_default() }, "prestazioni_non_coerenti": ko.len()})),
                note: Some(nota),
            },
        )
        .await?;
        tx.commit().await?;
        let row = sqlx::query(&format!("{CAMBIO_SQL} WHERE k.id = $1")).bind(cambio).fetch_one(&self.db.read).await?;
        cambio_view(&row, &u)
    }
}
