//! The intranet portal's registry (Msg. 1099/2018 §1–§2): operators with the portal's profile
//! find utilizzatori and prestatori within their scope, see the wallet with the same figures the
//! user sees, and correct the registry with a mandatory note, an optimistic version and an audit
//! record with before and after. A subject outside the scope is "not found", with no name.

use super::fe;
use super::soggetti::{Prestatore, Utilizzatore};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::auth::Session;
use crate::identity::scope::{Scope, scope};
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use chrono::Datelike;
use shared::presto::views::{ModificaAnagrafica, SchedaPresto, SoggettoPresto};
use shared::presto::{Ateco, ModalitaPagamento, Strumento};
use shared::{Email, Iban, Telefono};
use sqlx::Row;

/// The operator's reason for a change, mandatory (at least 5 characters), trimmed.
pub(crate) fn nota_obbligatoria(nota: &str) -> AppResult<String> {
    let nota = nota.trim();
    if nota.chars().count() < 5 {
        return Err(AppError::Validation(vec![fe(
            "nota",
            "required",
            "Indicare nella nota il motivo (almeno 5 caratteri).",
        )]));
    }
    Ok(nota.to_string())
}

fn not_found() -> AppError {
    AppError::NotFound("Soggetto non trovato tra quelli di competenza.".into())
}

impl Services {
    /// An operator with the portal's profile, and its scope.
    pub(crate) async fn operatore_presto<'c>(&self, caller: &'c Caller) -> AppResult<(&'c Session, Scope)> {
        let s = caller.require()?;
        let refused = || {
            AppError::Forbidden(
                "Il portale delle prestazioni occasionali richiede il profilo di operatore per le prestazioni occasionali, assegnato dall'amministratore IDM.".into(),
            )
        };
        if !s.user.role.is_operator() {
            return Err(refused());
        }
        let on: i64 = sqlx::query("SELECT profilo_presto FROM users WHERE id = $1")
            .bind(s.user.id)
            .fetch_one(&self.db.read)
            .await?
            .try_get(0)?;
        if on != 1 {
            return Err(refused());
        }
        Ok((s, scope(&s.user)?))
    }

    /// By codice fiscale (exact) or by the start of the surname / company name, within scope.
    pub async fn cerca_presto(&self, caller: &Caller, q: &str) -> AppResult<Vec<SoggettoPresto>> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let q = q.trim();
        if q.chars().count() < 2 {
            return Err(AppError::field(
                "q",
                "Indicare almeno 2 caratteri: codice fiscale, cognome o denominazione.",
                "too_short",
            ));
        }
        let upper = q.to_uppercase();
        let like = format!("{}%", upper.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let mut out = vec![];
        let us = sqlx::query(&format!(
            "{} WHERE COALESCE(c.codice_fiscale, p.codice_fiscale) = $1 OR UPPER(COALESCE(c.ragione_sociale, p.cognome)) LIKE $2 ESCAPE '\\'
             ORDER BY denominazione, u.id LIMIT 100",
            super::soggetti::UTILIZZATORE_SQL
        ))
        .bind(&upper)
        .bind(&like)
        .fetch_all(&self.db.read)
        .await?;
        for r in us {
            let u = Utilizzatore::from_row(&r)?;
            if sc.reads(&u.regione) {
                out.push(SoggettoPresto {
                    tipo: "utilizzatore".into(),
                    id: u.id,
                    denominazione: u.denominazione.clone(),
                    codice_fiscale: u.codice_fiscale.clone(),
                    descrizione: format!(
                        "Utilizzatore {}",
                        if u.strumento == Strumento::Lf { "Libretto Famiglia" } else { "CPO" }
                    ),
                    sede: u.sede_nome.clone(),
                });
            }
        }
        let ps = sqlx::query(&format!(
            "{} WHERE p.codice_fiscale = $1 OR UPPER(p.cognome) LIKE $2 ESCAPE '\\' ORDER BY p.cognome, p.nome, pr.id LIMIT 100",
            super::soggetti::PRESTATORE_SQL
        ))
        .bind(&upper)
        .bind(&like)
        .fetch_all(&self.db.read)
        .await?;
        for r in ps {
            let regione: String = r.try_get("regione")?;
            if sc.reads(&regione) {
                let (n, c): (String, String) = (r.try_get("nome")?, r.try_get("cognome")?);
                out.push(SoggettoPresto {
                    tipo: "prestatore".into(),
                    id: r.try_get("id")?,
                    denominazione: format!("{c} {n}"),
                    codice_fiscale: r.try_get("codice_fiscale")?,
                    descrizione: "Prestatore".into(),
                    sede: r.try_get("sede_nome")?,
                });
            }
        }
        Ok(out)
    }

    pub(crate) async fn utilizzatore_in_scope(&self, sc: &Scope, id: i64) -> AppResult<(Utilizzatore, bool)> {
        let u = self.utilizzatore_by("u.id = $1", id).await?.filter(|u| sc.reads(&u.regione)).ok_or_else(not_found)?;
        let acts = sc.acts(u.sede_id, &u.regione);
        Ok((u, acts))
    }

    async fn prestatore_in_scope(&self, sc: &Scope, id: i64) -> AppResult<(Prestatore, bool)> {
        let p = self.prestatore_by("pr.id = $1", id).await?.filter(|p| sc.reads(&p.regione)).ok_or_else(not_found)?;
        let acts = sc.acts(p.sede_id, &p.regione);
        Ok((p, acts))
    }

    pub async fn scheda_presto(
        &self,
        caller: &Caller,
        tipo: &str,
        id: i64,
        anno: Option<i32>,
    ) -> AppResult<SchedaPresto> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let anno = anno.unwrap_or_else(|| self.clock.today().year());
        match tipo {
            "utilizzatore" => {
                let (u, puo_modificare) = self.utilizzatore_in_scope(&sc, id).await?;
                Ok(SchedaPresto::Utilizzatore {
                    portafoglio: self.portafoglio_di(&u, anno).await?,
                    puo_modificare,
                    puo_annullare_abbinamenti: sc == Scope::Nazionale,
                })
            }
            "prestatore" => {
                let (p, puo_modificare) = self.prestatore_in_scope(&sc, id).await?;
                Ok(SchedaPresto::Prestatore { pagina: self.pagina_prestatore_di(&p, anno).await?, puo_modificare })
            }
            _ => Err(not_found()),
        }
    }

    pub async fn modifica_anagrafica(
        &self,
        caller: &Caller,
        tipo: &str,
        id: i64,
        m: ModificaAnagrafica,
    ) -> AppResult<SchedaPresto> {
        let (s, sc) = self.operatore_presto(caller).await?;
        let mut errs = vec![];
        let nota = m.nota.trim().to_string();
        if nota.chars().count() < 5 {
            errs.push(fe("nota", "required", "Indicare nella nota il motivo della modifica (almeno 5 caratteri)."));
        }
        let opt = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string());
        let email = match opt(&m.email) {
            Some(e) if e.is_empty() => Some(None),
            Some(e) => Email::parse(&e).map(|e| Some(Some(e.as_str().to_string()))).unwrap_or_else(|x| {
                errs.push(fe("email", x.code(), x.to_string()));
                None
            }),
            None => None,
        };
        let telefono = match opt(&m.telefono) {
            Some(t) if t.is_empty() => Some(None),
            Some(t) => Telefono::parse(&t).map(|t| Some(Some(t.as_str().to_string()))).unwrap_or_else(|x| {
                errs.push(fe("telefono", x.code(), x.to_string()));
                None
            }),
            None => None,
        };
        let (persona_id, before, entity, after_fields) = match tipo {
            "utilizzatore" => {
                let (u, acts) = self.utilizzatore_in_scope(&sc, id).await?;
                if !acts {
                    return Err(AppError::Forbidden(
                        "L'utilizzatore è di competenza di un'altra sede: può consultarlo ma non modificarlo.".into(),
                    ));
                }
                let ateco =
                    opt(&m.ateco).and_then(|a| Ateco::parse(&a).map_err(|x| errs.push(fe("ateco", "format", x))).ok());
                let dip = opt(&m.dipendenti).and_then(|d| {
                    super::registrazione::parse_dipendenti(&d)
                        .map_err(|x| errs.push(fe("dipendenti", "format", x)))
                        .ok()
                });
                if u.strumento == Strumento::Lf && (ateco.is_some() || dip.is_some()) {
                    errs.push(fe("ateco", "lf", "Settore e dipendenti si indicano solo per il CPO."));
                }
                if u.persona_id.is_none() && (email.is_some() || telefono.is_some()) {
                    errs.push(fe(
                        "email",
                        "azienda",
                        "I recapiti di un'azienda si aggiornano nel Cassetto previdenziale (PEC aziendale).",
                    ));
                }
                let before = serde_json::json!({"ateco": u.ateco, "dipendenti_centesimi": u.dipendenti_centesimi, "email": u.email, "telefono": u.telefono, "version": u.version});
                (
                    u.persona_id,
                    before,
                    "utilizzatore",
                    serde_json::json!({"ateco": ateco.as_ref().map(|a| a.digits().to_string()).or(u.ateco.clone()), "dipendenti_centesimi": dip.or(u.dipendenti_centesimi)}),
                )
            }
            "prestatore" => {
                let (p, acts) = self.prestatore_in_scope(&sc, id).await?;
                if !acts {
                    return Err(AppError::Forbidden(
                        "Il prestatore è di competenza di un'altra sede: può consultarlo ma non modificarlo.".into(),
                    ));
                }
                let modalita = match opt(&m.modalita_pagamento) {
                    Some(x) => ModalitaPagamento::from_code(&x).or_else(|| {
                        errs.push(fe("modalita_pagamento", "unknown", "Scegliere la modalità di pagamento."));
                        None
                    }),
                    None => Some(p.view.modalita_pagamento),
                };
                let iban = match opt(&m.iban) {
                    Some(i) if i.is_empty() => None,
                    Some(i) => Iban::parse(&i).map(|i| Some(i.as_str().to_string())).unwrap_or_else(|x| {
                        errs.push(fe("iban", x.code(), x.to_string()));
                        None
                    }),
                    None => p.view.iban.clone(),
                };
                if modalita == Some(ModalitaPagamento::Iban)
                    && iban.is_none()
                    && !errs.iter().any(|e| e.field == "iban")
                {
                    errs.push(fe("iban", "required", "Con l'accredito sul conto l'IBAN è obbligatorio."));
                }
                let before = serde_json::json!({"modalita_pagamento": p.view.modalita_pagamento.code(), "iban": p.view.iban, "email": p.view.email, "telefono": p.view.telefono, "version": p.view.version});
                (
                    Some(p.persona_id),
                    before,
                    "prestatore",
                    serde_json::json!({"modalita_pagamento": modalita.map(|x| x.code()), "iban": iban}),
                )
            }
            _ => return Err(not_found()),
        };
        if !errs.is_empty() {
            return Err(AppError::Validation(errs));
        }
        let mut tx = self.db.write.begin().await?;
        let now = clock::now_ts();
        let updated = if entity == "utilizzatore" {
            sqlx::query("UPDATE utilizzatori SET ateco = $1, dipendenti_centesimi = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5")
                .bind(after_fields["ateco"].as_str().map(str::to_string))
                .bind(after_fields["dipendenti_centesimi"].as_i64())
                .bind(&now)
                .bind(id)
                .bind(m.version)
                .execute(&mut *tx)
                .await?
        } else {
            sqlx::query("UPDATE prestatori SET modalita_pagamento = $1, iban = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5")
                .bind(after_fields["modalita_pagamento"].as_str().map(str::to_string))
                .bind(after_fields["iban"].as_str().map(str::to_string))
                .bind(&now)
                .bind(id)
                .bind(m.version)
                .execute(&mut *tx)
                .await?
        };
        if updated.rows_affected() != 1 {
            return Err(AppError::Conflict(
                "L'anagrafica è stata modificata da un altro operatore dopo la sua lettura: ricaricare la pagina e ripetere la modifica.".into(),
            ));
        }
        let mut after = after_fields.clone();
        if let Some(pid) = persona_id {
            if let Some(e) = &email {
                sqlx::query("UPDATE persone SET email = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                    .bind(e.clone())
                    .bind(&now)
                    .bind(pid)
                    .execute(&mut *tx)
                    .await?;
                after["email"] = serde_json::json!(e);
            }
            if let Some(t) = &telefono {
                sqlx::query("UPDATE persone SET telefono = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                    .bind(t.clone())
                    .bind(&now)
                    .bind(pid)
                    .execute(&mut *tx)
                    .await?;
                after["telefono"] = serde_json::json!(t);
            }
        }
        after["version"] = serde_json::json!(m.version + 1);
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity,
                entity_id: id.to_string(),
                action: "modifica_anagrafica",
                before: Some(before),
                after: Some(after),
                note: Some(nota),
            },
        )
        .await?;
        tx.commit().await?;
        self.scheda_presto(caller, tipo, id, None).await
    }
}

impl Services {
    /// The national F24 flow is loaded by head-office operators of the portal.
    pub async fn import_f24_operatore(
        &self,
        caller: &Caller,
        bytes: &[u8],
    ) -> AppResult<shared::presto::views::ReportImportF24> {
        let (s, sc) = self.operatore_presto(caller).await?;
        if sc != Scope::Nazionale {
            return Err(AppError::Forbidden("Il flusso F24 nazionale è caricato dalla Direzione Generale.".into()));
        }
        self.import_f24(&caller.actor(s), bytes).await
    }

    pub async fn pay_run_operatore(
        &self,
        caller: &Caller,
        mese: &str,
    ) -> AppResult<shared::presto::views::EsitoPayRun> {
        let (s, sc) = self.operatore_presto(caller).await?;
        if sc != Scope::Nazionale {
            return Err(AppError::Forbidden(
                "I pagamenti ai prestatori sono disposti dalla Direzione Generale.".into(),
            ));
        }
        self.pay_run(&caller.actor(s), mese).await
    }
}
