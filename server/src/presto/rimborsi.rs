//! Refunds of the unused balance and transfers of a payment made under the wrong instrument
//! (announced by Msg. 1099/2018). The amount leaves the wallet when the user asks — a
//! conditional update, so the wallet never goes negative and the money cannot also pay a
//! prestazione — and comes back if the sede refuses; a decision is taken once (conditional on the
//! state), and a payment moves to the other instrument at most once (unique index).

use super::fe;
use super::soggetti::Utilizzatore;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::Iban;
use shared::money::Euro;
use shared::presto::Strumento;
use shared::presto::rimborsi::{DecisioneRimborso, NuovoRimborso, RimborsoView};
use sqlx::Row;
use sqlx::any::AnyRow;

const RIMBORSO_SQL: &str = "SELECT r.id, r.utilizzatore_id, r.destinazione_id, r.tipo, r.importo_cents, r.iban, r.motivo, r.stato, r.richiesto_at,
        r.deciso_at, r.nota_decisione, v.riferimento AS versamento_rif, d.strumento AS dest_strumento, ud.username AS deciso_da
     FROM rimborsi r LEFT JOIN versamenti v ON v.id = r.versamento_id LEFT JOIN utilizzatori d ON d.id = r.destinazione_id
          LEFT JOIN users ud ON ud.id = r.deciso_da";

fn view(r: &AnyRow, u: &Utilizzatore, puo_decidere: bool) -> AppResult<RimborsoView> {
    let dest: Option<String> = r.try_get("dest_strumento")?;
    let stato: String = r.try_get("stato")?;
    Ok(RimborsoView {
        id: r.try_get("id")?,
        tipo: r.try_get("tipo")?,
        importo: Euro::from_cents(r.try_get("importo_cents")?),
        iban: r.try_get("iban")?,
        destinazione: dest.and_then(|d| Strumento::from_code(&d)).map(|s| s.label().to_string()),
        versamento: r.try_get("versamento_rif")?,
        motivo: r.try_get("motivo")?,
        puo_decidere: puo_decidere && stato == "richiesto",
        stato,
        utilizzatore_id: u.id,
        denominazione: u.denominazione.clone(),
        codice_fiscale: u.codice_fiscale.clone(),
        sede: u.sede_nome.clone(),
        richiesto_at: r.try_get("richiesto_at")?,
        deciso_da: r.try_get("deciso_da")?,
        deciso_at: r.try_get("deciso_at")?,
        nota_decisione: r.try_get("nota_decisione")?,
    })
}

/// What a request moves: the amount, and for a transfer the payment and the other wallet.
struct Richiesta {
    tipo: &'static str,
    importo: Euro,
    iban: Option<String>,
    versamento: Option<i64>,
    destinazione: Option<i64>,
    motivo: String,
}

impl Services {
    async fn parse_rimborso(&self, u: &Utilizzatore, req: &NuovoRimborso) -> AppResult<Richiesta> {
        let mut errs = vec![];
        let motivo = req.motivo.trim().to_string();
        if motivo.chars().count() < 5 {
            errs.push(fe("motivo", "required", "Indicare il motivo della richiesta (almeno 5 caratteri)."));
        }
        let out = match req.tipo.trim() {
            "rimborso" => {
                let importo = match Euro::parse_it(&req.importo) {
                    Ok(e) if e.cents() > 0 => Some(e),
                    Ok(_) => {
                        errs.push(fe("importo", "range", "Indicare un importo maggiore di zero."));
                        None
                    }
                    Err(e) => {
                        errs.push(fe("importo", "format", e.to_string()));
                        None
                    }
                };
                let iban =
                    Iban::parse(&req.iban).map_err(|e| errs.push(fe("iban", e.code(), format!("IBAN: {e}")))).ok();
                if !req.iban_intestato {
                    errs.push(fe(
                        "iban_intestato",
                        "required",
                        "Il rimborso si accredita solo su un conto intestato a chi lo chiede: confermarlo.",
                    ));
                }
                importo.map(|importo| Richiesta {
                    tipo: "rimborso",
                    importo,
                    iban: iban.map(|i| i.as_str().to_string()),
                    versamento: None,
                    destinazione: None,
                    motivo: motivo.clone(),
                })
            }
            "trasferimento" => {
                let dest = match u.persona_id {
                    Some(p) => {
                        sqlx::query("SELECT id, strumento FROM utilizzatori WHERE persona_id = $1 AND strumento <> $2")
                            .bind(p)
                            .bind(u.strumento.code())
                            .fetch_optional(&self.db.read)
                            .await?
                            .map(|r| {
                                Ok::<_, sqlx::Error>((r.try_get::<i64, _>("id")?, r.try_get::<String, _>("strumento")?))
                            })
                            .transpose()?
                    }
                    None => None,
                };
                if dest.is_none() {
                    errs.push(fe(
                        "tipo",
                        "senza_destinazione",
                        "Il trasferimento sposta un versamento tra Libretto Famiglia e CPO della stessa persona: non risulta la registrazione all'altro strumento.",
                    ));
                }
                let versamento = match req.versamento_id {
                    None => {
                        errs.push(fe("versamento_id", "required", "Scegliere il versamento da trasferire."));
                        None
                    }
                    Some(v) => sqlx::query(
                        "SELECT importo_cents FROM versamenti WHERE id = $1 AND utilizzatore_id = $2 AND stato IN ('accreditato', 'abbinato_manuale')",
                    )
                    .bind(v)
                    .bind(u.id)
                    .fetch_optional(&self.db.read)
                    .await?
                    .map(|r| r.try_get::<i64, _>(0))
                    .transpose()?
                    .map(|c| (v, Euro::from_cents(c)))
                    .or_else(|| {
                        errs.push(fe("versamento_id", "not_found", "Versamento non trovato tra quelli del portafoglio."));
                        None
                    }),
                };
                if let (Some((_, imp)), Some((_, "lf"))) = (versamento, dest.as_ref().map(|(i, s)| (*i, s.as_str())))
                    && imp.cents() % 1000 != 0
                {
                    errs.push(fe(
                        "versamento_id",
                        "multiplo_10",
                        "Il Libretto Famiglia si alimenta con titoli da 10 €: l'importo non è un multiplo di 10 €, chiederne il rimborso.",
                    ));
                }
                match (versamento, dest) {
                    (Some((v, importo)), Some((d, _))) => Some(Richiesta {
                        tipo: "trasferimento",
                        importo,
                        iban: None,
                        versamento: Some(v),
                        destinazione: Some(d),
                        motivo: motivo.clone(),
                    }),
                    _ => None,
                }
            }
            _ => {
                errs.push(fe("tipo", "unknown", "Scegliere: rimborso del saldo o trasferimento di un versamento."));
                None
            }
        };
        match out {
            Some(r) if errs.is_empty() => Ok(r),
            _ => Err(AppError::Validation(errs)),
        }
    }

    /// The user asks; the amount is reserved at once.
    pub async fn chiedi_rimborso(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
        req: NuovoRimborso,
    ) -> AppResult<RimborsoView> {
        let (s, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        let r = self.parse_rimborso(&u, &req).await?;
        let mut tx = self.db.write.begin().await?;
        let taken =
            sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents - $1 WHERE id = $2 AND saldo_cents >= $1")
                .bind(r.importo.cents())
                .bind(u.id)
                .execute(&mut *tx)
                .await?;
        if taken.rows_affected() != 1 {
            let saldo: i64 = sqlx::query("SELECT saldo_cents FROM utilizzatori WHERE id = $1")
                .bind(u.id)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            return Err(AppError::Refused(
                "Il saldo non copre la richiesta.".into(),
                vec![fe(
                    if r.tipo == "rimborso" { "importo" } else { "versamento_id" },
                    "PO.RIMB.SALDO",
                    format!(
                        "Il saldo disponibile è {}: si può chiedere al massimo questo importo (le somme già usate per prestazioni non si rimborsano).",
                        Euro::from_cents(saldo)
                    ),
                )],
            ));
        }
        if let Some(v) = r.versamento {
            let n: i64 = sqlx::query(
                "SELECT COUNT(*) FROM rimborsi WHERE versamento_id = $1 AND tipo = 'trasferimento' AND stato <> 'rifiutato'",
            )
            .bind(v)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            if n > 0 {
                return Err(AppError::Conflict("Per questo versamento un trasferimento è già stato chiesto.".into()));
            }
        }
        let now = clock::now_ts();
        let id: i64 = sqlx::query(
            "INSERT INTO rimborsi (utilizzatore_id, tipo, importo_cents, iban, destinazione_id, versamento_id, motivo, stato, richiesto_da, richiesto_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'richiesto', $8, $9) RETURNING id",
        )
        .bind(u.id)
        .bind(r.tipo)
        .bind(r.importo.cents())
        .bind(r.iban.clone())
        .bind(r.destinazione)
        .bind(r.versamento)
        .bind(&r.motivo)
        .bind(s.user.id)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::append(
            &mut tx,
            &caller.actor(&s),
            Entry {
                entity: "rimborso",
                entity_id: id.to_string(),
                action: "richiesta_rimborso",
                before: None,
                after: Some(serde_json::json!({"utilizzatore_id": u.id, "tipo": r.tipo, "importo_cents": r.importo.cents(), "iban": r.iban, "versamento_id": r.versamento, "destinazione_id": r.destinazione})),
                note: Some(r.motivo.clone()),
            },
        )
        .await?;
        tx.commit().await?;
        let row = sqlx::query(&format!("{RIMBORSO_SQL} WHERE r.id = $1")).bind(id).fetch_one(&self.db.read).await?;
        view(&row, &u, false)
    }

    pub async fn miei_rimborsi(
        &self,
        caller: &Caller,
        soggetto_id: Option<i64>,
        strumento: Option<Strumento>,
    ) -> AppResult<Vec<RimborsoView>> {
        let (_, u) = self.mio_utilizzatore(caller, soggetto_id, strumento).await?;
        sqlx::query(&format!("{RIMBORSO_SQL} WHERE r.utilizzatore_id = $1 ORDER BY r.id DESC LIMIT 100"))
            .bind(u.id)
            .fetch_all(&self.db.read)
            .await?
            .iter()
            .map(|r| view(r, &u, false))
            .collect()
    }

    /// The sede's queue: waiting requests first, then the latest decided; the operator's region
    /// is filtered in the query, so other regions' requests never crowd it out.
    pub async fn rimborsi_sede(&self, caller: &Caller) -> AppResult<Vec<RimborsoView>> {
        let (_, sc) = self.operatore_presto(caller).await?;
        let base = format!(
            "{RIMBORSO_SQL} JOIN utilizzatori su ON su.id = r.utilizzatore_id JOIN sedi ss ON ss.id = su.sede_id"
        );
        let order = "ORDER BY CASE WHEN r.stato = 'richiesto' THEN 0 ELSE 1 END, r.id DESC LIMIT 300";
        let rows = match sc.read_region() {
            Some(regione) => {
                sqlx::query(&format!("{base} WHERE ss.regione = $1 {order}"))
                    .bind(regione.to_string())
                    .fetch_all(&self.db.read)
                    .await?
            }
            None => sqlx::query(&format!("{base} {order}")).fetch_all(&self.db.read).await?,
        };
        let ids = rows.iter().map(|r| r.try_get::<i64, _>("utilizzatore_id")).collect::<Result<Vec<_>, _>>()?;
        let users = self.utilizzatori_per_id(ids).await?;
        let mut out = vec![];
        for r in rows {
            let Some(u) = users.get(&r.try_get::<i64, _>("utilizzatore_id")?) else { continue };
            if sc.reads(&u.regione) {
                out.push(view(&r, u, sc.acts(u.sede_id, &u.regione))?);
            }
        }
        Ok(out)
    }

    /// The sede approves (the money leaves, or reaches the other wallet) or refuses (it returns).
    pub async fn decidi_rimborso(&self, caller: &Caller, id: i64, req: DecisioneRimborso) -> AppResult<RimborsoView> {
        let (s, sc) = self.operatore_presto(caller).await?;
        let not_found = || AppError::NotFound("Richiesta di rimborso non trovata tra quelle di competenza.".into());
        let row = sqlx::query(&format!("{RIMBORSO_SQL} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(not_found)?;
        let u = self
            .utilizzatore_by("u.id = $1", row.try_get("utilizzatore_id")?)
            .await?
            .filter(|u| sc.reads(&u.regione))
            .ok_or_else(not_found)?;
        if !sc.acts(u.sede_id, &u.regione) {
            return Err(AppError::Forbidden("La richiesta è di competenza di un'altra sede.".into()));
        }
        let approva = match req.esito.trim() {
            "approva" => true,
            "rifiuta" => false,
            _ => return Err(AppError::field("esito", "Indicare se approvare o respingere la richiesta.", "unknown")),
        };
        let nota = req.nota.trim().to_string();
        if !approva && nota.chars().count() < 5 {
            return Err(AppError::field("nota", "Indicare il motivo del rifiuto (almeno 5 caratteri).", "required"));
        }
        let importo: i64 = row.try_get("importo_cents")?;
        let tipo: String = row.try_get("tipo")?;
        let dest: Option<i64> = row.try_get("destinazione_id")?;
        let mut tx = self.db.write.begin().await?;
        let now = clock::now_ts();
        let decided = sqlx::query(
            "UPDATE rimborsi SET stato = $1, deciso_da = $2, deciso_at = $3, nota_decisione = $4 WHERE id = $5 AND stato = 'richiesto'",
        )
        .bind(if approva { "approvato" } else { "rifiutato" })
        .bind(s.user.id)
        .bind(&now)
        .bind(Some(nota.clone()).filter(|n| !n.is_empty()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() != 1 {
            return Err(AppError::Conflict("La richiesta è già stata decisa.".into()));
        }
        // Refused: the reserved amount returns. Approved transfer: it reaches the other wallet,
        // shown there as a payment in. Approved refund: it is paid out (bank transfer).
        let credit_to = match (approva, tipo.as_str(), dest) {
            (false, _, _) => Some(u.id),
            (true, "trasferimento", Some(d)) => Some(d),
            _ => None,
        };
        if let Some(w) = credit_to {
            sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2")
                .bind(importo)
                .bind(w)
                .execute(&mut *tx)
                .await?;
        }
        if let (true, "trasferimento", Some(d)) = (approva, tipo.as_str(), dest) {
            let causale = if u.strumento == Strumento::Lf { "CLOC" } else { "LIFA" };
            sqlx::query(
                "INSERT INTO versamenti (canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, utilizzatore_id, stato, motivo, created_at)
                 VALUES ('trasferimento', $1, $2, $3, $4, $5, $6, $7, 'accreditato', $8, $9)",
            )
            .bind(format!("TRASF-{id}"))
            .bind(&u.codice_fiscale)
            .bind(causale)
            .bind(i64::from(chrono::Datelike::year(&self.clock.today())))
            .bind(importo)
            .bind(self.clock.today().to_string())
            .bind(d)
            .bind(format!("Trasferito dal {}", u.strumento.label()))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "rimborso",
                entity_id: id.to_string(),
                action: if approva { "rimborso_approvato" } else { "rimborso_respinto" },
                before: Some(serde_json::json!({"stato": "richiesto"})),
                after: Some(serde_json::json!({"stato": if approva { "approvato" } else { "rifiutato" }, "tipo": tipo, "importo_cents": importo, "accreditato_a": credit_to})),
                note: Some(nota).filter(|n| !n.is_empty()),
            },
        )
        .await?;
        tx.commit().await?;
        let row = sqlx::query(&format!("{RIMBORSO_SQL} WHERE r.id = $1")).bind(id).fetch_one(&self.db.read).await?;
        view(&row, &u, true)
    }
}
