//! Manual matching of F24 lines (Msg. 1099/2018 §4): the branch attaches a line the flow could
//! not credit to the user it belongs to — a CPO company whose legal representative paid with his
//! own codice fiscale, or a user that registered after paying — and the money moves to that
//! wallet at once, exactly once. Only the head office undoes a matching, and only while the
//! wallet still holds the money.

use super::portafoglio::{VERSAMENTO_COLUMNS, versamento_view};
use super::soggetti::Utilizzatore;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::Scope;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::dto::FieldError;
use shared::money::Euro;
use shared::presto::Strumento;
use shared::presto::portale::{AbbinamentoManuale, CandidatoAbbinamento, Nota, VersamentoDaAbbinare};
use shared::presto::views::VersamentoView;
use sqlx::{AnyConnection, Row};

/// Why a line may belong to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Titolo {
    /// The payer is the company's legal representative on the payment date (since `dal`).
    Rappresentante { dal: String },
    /// The line carries the user's own codice fiscale (registered after paying).
    Proprio,
}

impl Titolo {
    fn describe(&self) -> String {
        match self {
            Titolo::Rappresentante { dal } => format!(
                "Il versante è il legale rappresentante dell'azienda dal {}.",
                shared::time::format_date_text_it(dal)
            ),
            Titolo::Proprio => "Il codice fiscale del versamento è quello dell'utilizzatore.".into(),
        }
    }
}

/// The users a line of `cf` paid on `data` may belong to, with why.
const CANDIDATI_SQL: &str = "
    SELECT u.id AS uid, s.dal AS dal FROM persone p
      JOIN soggetti_collegati s ON s.persona_id = p.id AND s.rappresentante_legale = 1
           AND s.dal <= $2 AND (s.al IS NULL OR s.al >= $2)
      JOIN utilizzatori u ON u.contribuente_id = s.contribuente_id AND u.strumento = 'cpo'
     WHERE p.codice_fiscale = $1
    UNION ALL
    SELECT u.id AS uid, NULL AS dal FROM persone p JOIN utilizzatori u ON u.persona_id = p.id WHERE p.codice_fiscale = $1
    UNION ALL
    SELECT u.id AS uid, NULL AS dal FROM contribuenti c JOIN utilizzatori u ON u.contribuente_id = c.id WHERE c.codice_fiscale = $1";

struct Linea {
    view: VersamentoView,
    abbinato_a: Option<i64>,
}

async fn linea(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Linea>> {
    let Some(r) = sqlx::query(&format!("SELECT {VERSAMENTO_COLUMNS}, utilizzatore_id FROM versamenti WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Linea { view: versamento_view(&r)?, abbinato_a: r.try_get("utilizzatore_id")? }))
}

async fn titoli(conn: &mut AnyConnection, l: &VersamentoView) -> AppResult<Vec<(i64, Titolo)>> {
    let rows = sqlx::query(CANDIDATI_SQL).bind(&l.codice_fiscale).bind(&l.data).fetch_all(&mut *conn).await?;
    let mut out: Vec<(i64, Titolo)> = vec![];
    for r in rows {
        let uid: i64 = r.try_get("uid")?;
        let dal: Option<String> = r.try_get("dal")?;
        let t = dal.map(|dal| Titolo::Rappresentante { dal }).unwrap_or(Titolo::Proprio);
        if !out.iter().any(|(u, _)| *u == uid) {
            out.push((uid, t));
        }
    }
    Ok(out)
}

/// The unmatched lines with a candidate user that satisfies `cond` (on `u`, its sede `se`): the
/// three ways of CANDIDATI_SQL, for every line at once.
fn in_scope(cond: &str) -> String {
    format!(
        "SELECT DISTINCT x.vid FROM (
           SELECT v.id AS vid, u.id AS uid FROM versamenti v JOIN persone p ON p.codice_fiscale = v.codice_fiscale
             JOIN soggetti_collegati s ON s.persona_id = p.id AND s.rappresentante_legale = 1
                  AND s.dal <= v.data_versamento AND (s.al IS NULL OR s.al >= v.data_versamento)
             JOIN utilizzatori u ON u.contribuente_id = s.contribuente_id AND u.strumento = 'cpo'
            WHERE v.stato = 'non_abbinato'
           UNION ALL
           SELECT v.id, u.id FROM versamenti v JOIN persone p ON p.codice_fiscale = v.codice_fiscale
             JOIN utilizzatori u ON u.persona_id = p.id WHERE v.stato = 'non_abbinato'
           UNION ALL
           SELECT v.id, u.id FROM versamenti v JOIN contribuenti c ON c.codice_fiscale = v.codice_fiscale
             JOIN utilizzatori u ON u.contribuente_id = c.id WHERE v.stato = 'non_abbinato'
         ) x JOIN utilizzatori u ON u.id = x.uid JOIN sedi se ON se.id = u.sede_id
         WHERE {cond} ORDER BY x.vid DESC LIMIT 50 OFFSET $2"
    )
}

fn ko(code: &str, message: String) -> FieldError {
    super::fe("utilizzatore_id", code, message)
}

/// The rules of a manual matching, each with its stable code: the causale is the user's
/// instrument's, the payer is the user or (CPO) its legal representative on the payment date,
/// and a Libretto Famiglia is funded in whole 10 € vouchers.
fn regole(l: &VersamentoView, u: &Utilizzatore, titolo: Option<&Titolo>) -> Vec<FieldError> {
    let mut out = vec![];
    let atteso = if u.strumento == Strumento::Lf { "LIFA" } else { "CLOC" };
    if l.causale != atteso {
        out.push(ko(
            "PO.ABB.CAUSALE",
            format!(
                "Causale {}: un versamento per il {} si fa con causale {atteso}. Le somme versate con la causale sbagliata si spostano con un trasferimento, non con l'abbinamento.",
                l.causale,
                u.strumento.label()
            ),
        ));
    }
    match (u.strumento, titolo) {
        (Strumento::Cpo, Some(_)) | (Strumento::Lf, Some(Titolo::Proprio)) => {}
        (Strumento::Cpo, None) => out.push(ko(
            "PO.ABB.VERSANTE",
            format!(
                "Il codice fiscale del versante ({}) non è quello del legale rappresentante dell'azienda alla data del versamento ({}): si abbinano solo i versamenti del legale rappresentante.",
                l.codice_fiscale,
                shared::time::format_date_text_it(&l.data)
            ),
        )),
        (Strumento::Lf, _) => out.push(ko(
            "PO.ABB.VERSANTE",
            format!(
                "Il codice fiscale del versante ({}) non è quello del titolare del Libretto Famiglia.",
                l.codice_fiscale
            ),
        )),
    }
    if u.strumento == Strumento::Lf && l.importo.cents() % 1000 != 0 {
        out.push(ko(
            "PO.ABB.MULTIPLO_10",
            format!("Importo {}: il Libretto Famiglia si alimenta con titoli da 10 €.", l.importo),
        ));
    }
    out
}

fn non_trovato() -> AppError {
    AppError::NotFound("Versamento non trovato tra quelli di competenza.".into())
}

impl Services {
    /// The unmatched lines the operator may work: those that may belong to a user of its scope
    /// (the head office sees every line, also those nobody could claim), newest first.
    pub async fn versamenti_da_abbinare(&self, caller: &Caller, pagina: u32) -> AppResult<Vec<VersamentoDaAbbinare>> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let offset = i64::from(pagina.max(1) - 1) * 50;
        let mut conn = self.db.read.acquire().await?;
        let ids: Vec<i64> = match &sc {
            Scope::Nazionale => {
                sqlx::query(
                    "SELECT id FROM versamenti WHERE stato = 'non_abbinato' ORDER BY id DESC LIMIT 50 OFFSET $1",
                )
                .bind(offset)
                .fetch_all(&mut *conn)
                .await?
            }
            Scope::Sede { sede_id, .. } => {
                sqlx::query(&in_scope("u.sede_id = $1")).bind(*sede_id).bind(offset).fetch_all(&mut *conn).await?
            }
            Scope::Regione(r) => {
                sqlx::query(&in_scope("se.regione = $1")).bind(r.clone()).bind(offset).fetch_all(&mut *conn).await?
            }
        }
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
        let mut lines = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(l) = linea(&mut conn, id).await? else { continue };
            let t = titoli(&mut conn, &l.view).await?;
            lines.push((l, t));
        }
        let ids: Vec<i64> = lines.iter().flat_map(|(_, t)| t.iter().map(|(uid, _)| *uid)).collect();
        let users = self.utilizzatori_per_id(ids).await?;
        let mut out = vec![];
        for (l, titoli) in lines {
            let mut candidati = vec![];
            for (uid, t) in titoli {
                let Some(u) = users.get(&uid) else { continue };
                if !sc.reads(&u.regione) {
                    continue;
                }
                let impedimento = if sc.acts(u.sede_id, &u.regione) {
                    regole(&l.view, u, Some(&t)).into_iter().next().map(|e| e.message)
                } else {
                    Some(format!("Utilizzatore di competenza della sede di {}.", u.sede_nome))
                };
                candidati.push(CandidatoAbbinamento {
                    utilizzatore_id: u.id,
                    denominazione: u.denominazione.clone(),
                    codice_fiscale: u.codice_fiscale.clone(),
                    strumento: u.strumento,
                    sede: u.sede_nome.clone(),
                    titolo: t.describe(),
                    puo_abbinare: impedimento.is_none(),
                    impedimento,
                });
            }
            out.push(VersamentoDaAbbinare { versamento: l.view, candidati });
        }
        Ok(out)
    }

    /// Attaches an unmatched line to a user of the operator's sede and credits its wallet, in one
    /// transaction; a second matching of the same line (even at the same instant) is a conflict.
    pub async fn abbina_versamento(
        &self,
        caller: &Caller,
        id: i64,
        req: AbbinamentoManuale,
    ) -> AppResult<VersamentoView> {
        let (s, sc) = self.operatore_presto(caller).await?;
        let nota = super::anagrafica::nota_obbligatoria(&req.nota)?;
        let u = self
            .utilizzatore_by("u.id = $1", req.utilizzatore_id)
            .await?
            .filter(|u| sc.reads(&u.regione))
            .ok_or_else(|| {
                AppError::Validation(vec![ko("not_found", "Utilizzatore non trovato tra quelli di competenza.".into())])
            })?;
        if !sc.acts(u.sede_id, &u.regione) {
            return Err(AppError::Forbidden(
                "L'utilizzatore è di competenza di un'altra sede: l'abbinamento spetta a quella sede.".into(),
            ));
        }
        let mut tx = self.db.write.begin().await?;
        let l = linea(&mut tx, id).await?.ok_or_else(non_trovato)?;
        if l.view.stato != "non_abbinato" {
            return Err(AppError::Conflict(
                "Il versamento è già accreditato a un portafoglio: non si abbina una seconda volta.".into(),
            ));
        }
        let titolo = titoli(&mut tx, &l.view).await?.into_iter().find(|(uid, _)| *uid == u.id).map(|(_, t)| t);
        let errs = regole(&l.view, &u, titolo.as_ref());
        if !errs.is_empty() {
            return Err(AppError::Refused("Il versamento non può essere abbinato a questo utilizzatore.".into(), errs));
        }
        let now = clock::now_ts();
        let moved = sqlx::query(
            "UPDATE versamenti SET stato = 'abbinato_manuale', utilizzatore_id = $1, abbinato_da = $2, abbinato_at = $3, nota = $4
             WHERE id = $5 AND stato = 'non_abbinato'",
        )
        .bind(u.id)
        .bind(s.user.id)
        .bind(&now)
        .bind(&nota)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "Il versamento è stato abbinato da un altro operatore un istante fa: ricaricare l'elenco.".into(),
            ));
        }
        credit(&mut tx, u.id, l.view.importo).await?;
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "versamento",
                entity_id: id.to_string(),
                action: "abbinamento_manuale",
                before: Some(serde_json::json!({"stato": "non_abbinato", "motivo": l.view.motivo})),
                after: Some(serde_json::json!({"stato": "abbinato_manuale", "utilizzatore_id": u.id, "importo_cents": l.view.importo.cents(), "titolo": titolo.map(|t| t.describe())})),
                note: Some(nota),
            },
        )
        .await?;
        let out = linea(&mut tx, id).await?.ok_or_else(non_trovato)?;
        tx.commit().await?;
        Ok(out.view)
    }

    /// DG's undo: the line goes back among the unmatched ones and its amount leaves the wallet,
    /// only if the wallet still holds it (a wallet never goes negative).
    pub async fn annulla_abbinamento(&self, caller: &Caller, id: i64, req: Nota) -> AppResult<VersamentoView> {
        let (s, sc) = self.operatore_presto(caller).await?;
        if sc != Scope::Nazionale {
            return Err(AppError::Forbidden("L'annullamento di un abbinamento spetta alla Direzione Generale.".into()));
        }
        let nota = super::anagrafica::nota_obbligatoria(&req.nota)?;
        let mut tx = self.db.write.begin().await?;
        let l = linea(&mut tx, id).await?.ok_or_else(non_trovato)?;
        let (true, Some(uid)) = (l.view.stato == "abbinato_manuale", l.abbinato_a) else {
            return Err(AppError::Conflict(
                "Il versamento non risulta abbinato manualmente: nulla da annullare.".into(),
            ));
        };
        // The line first, conditionally: a second undo of the same line (even at the same
        // instant) finds it no longer matched and takes nothing from the wallet.
        let back = sqlx::query(
            "UPDATE versamenti SET stato = 'non_abbinato', utilizzatore_id = NULL, abbinato_da = NULL, abbinato_at = NULL, nota = $1
             WHERE id = $2 AND stato = 'abbinato_manuale'",
        )
        .bind(&nota)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if back.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "L'abbinamento è stato annullato un istante fa da un altro operatore.".into(),
            ));
        }
        let taken =
            sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents - $1 WHERE id = $2 AND saldo_cents >= $1")
                .bind(l.view.importo.cents())
                .bind(uid)
                .execute(&mut *tx)
                .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::Conflict(format!(
                "La somma di {} è già stata utilizzata per prestazioni: il portafoglio non la contiene più e l'abbinamento non si può annullare.",
                l.view.importo
            )));
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "versamento",
                entity_id: id.to_string(),
                action: "annullamento_abbinamento",
                before: Some(serde_json::json!({"stato": "abbinato_manuale", "utilizzatore_id": uid})),
                after: Some(serde_json::json!({"stato": "non_abbinato", "importo_cents": l.view.importo.cents()})),
                note: Some(nota),
            },
        )
        .await?;
        let out = linea(&mut tx, id).await?.ok_or_else(non_trovato)?;
        tx.commit().await?;
        Ok(out.view)
    }
}

async fn credit(conn: &mut AnyConnection, utilizzatore: i64, importo: Euro) -> AppResult<()> {
    sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2")
        .bind(importo.cents())
        .bind(utilizzatore)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
