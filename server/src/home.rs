//! The home page of each role: the company acted for, or the prestazioni occasionali summary.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access::{self, User};
use crate::services::Services;
use shared::Role;
use shared::dto::{CompanyHome, HomeData, PosizioneView, SedeView, stato_posizione_label};
use sqlx::Row;

impl Services {
    /// The company acted for; `subject_id`, when given (API), must be one the caller may act for.
    pub async fn company_home(&self, caller: &Caller, subject_id: Option<i64>) -> AppResult<CompanyHome> {
        let s = caller.require()?;
        let subject = match subject_id {
            Some(id) => access::authorize_subject(&self.db.read, &s.user, id, self.clock.today()).await?,
            None => self
                .current_subject(caller)
                .await?
                .ok_or_else(|| AppError::BadRequest("Scegliere prima il soggetto per cui operare.".into()))?,
        };
        let r = sqlx::query(
            "SELECT c.pec, s.codice, s.nome, s.regione FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(subject.id)
        .fetch_one(&self.db.read)
        .await?;
        let pec: Option<String> = r.try_get("pec")?;
        let sede = SedeView { codice: r.try_get("codice")?, nome: r.try_get("nome")?, regione: r.try_get("regione")? };
        let rows = sqlx::query(
            "SELECT matricola, stato, stato_dal FROM posizioni WHERE contribuente_id = $1 ORDER BY matricola",
        )
        .bind(subject.id)
        .fetch_all(&self.db.read)
        .await?;
        let mut posizioni = Vec::with_capacity(rows.len());
        for p in rows {
            let stato: i64 = p.try_get("stato")?;
            let dal: String = p.try_get("stato_dal")?;
            posizioni.push(PosizioneView {
                matricola: p.try_get("matricola")?,
                stato,
                stato_label: stato_posizione_label(stato).into(),
                stato_dal: shared::time::format_date_text_it(&dal),
            });
        }
        let today = self.clock.today().format("%Y-%m-%d").to_string();
        let deleghe_attive: i64 = sqlx::query(
            "SELECT COUNT(*) FROM deleghe WHERE contribuente_id = $1 AND data_inizio <= $2
             AND (data_fine IS NULL OR data_fine >= $2) AND (revocata_dal IS NULL OR revocata_dal > $2)",
        )
        .bind(subject.id)
        .bind(&today)
        .fetch_one(&self.db.read)
        .await?
        .try_get(0)?;
        Ok(CompanyHome { subject, pec, sede, posizioni, deleghe_attive })
    }

    pub async fn home(&self, caller: &Caller) -> AppResult<HomeData> {
        let s = caller.require()?;
        let u = &s.user;
        match u.role {
            r if r.acts_for_company() => match s.acting_for_id {
                None => Ok(HomeData::ChooseSubject { subjects: self.subjects(caller).await? }),
                Some(_) => Ok(HomeData::Cassetto { company: self.company_home(caller, None).await? }),
            },
            Role::Utilizzatore | Role::Prestatore => self.presto_home(u).await,
            Role::OperatoreSede | Role::OperatoreRegionale | Role::OperatoreDg => {
                let (ambito, filter, bind): (String, &str, Option<String>) = match u.role {
                    Role::OperatoreSede => {
                        let sede = self.sede(u.sede_id).await?.ok_or_else(|| {
                            AppError::Forbidden("Il suo profilo di operatore non ha una sede assegnata: rivolgersi all'amministratore IDM.".into())
                        })?;
                        (
                            format!("Sede {} ({})", sede.nome, sede.codice),
                            "c.sede_id = (SELECT id FROM sedi WHERE codice = $1)",
                            Some(sede.codice),
                        )
                    }
                    Role::OperatoreRegionale => {
                        let reg = u.regione.clone().ok_or_else(|| {
                            AppError::Forbidden(
                                "Il suo profilo di operatore regionale non ha una regione assegnata.".into(),
                            )
                        })?;
                        (
                            format!("Direzione regionale {reg}"),
                            "c.sede_id IN (SELECT id FROM sedi WHERE regione = $1)",
                            Some(reg),
                        )
                    }
                    _ => ("Territorio nazionale".into(), "1 = 1", None),
                };
                let q1 = format!("SELECT COUNT(*) FROM contribuenti c WHERE {filter}");
                let q2 = format!(
                    "SELECT COUNT(*) FROM posizioni p JOIN contribuenti c ON c.id = p.contribuente_id WHERE {filter}"
                );
                let mut a = sqlx::query(&q1);
                let mut b = sqlx::query(&q2);
                if let Some(v) = &bind {
                    a = a.bind(v.clone());
                    b = b.bind(v.clone());
                }
                let contribuenti_in_ambito: i64 = a.fetch_one(&self.db.read).await?.try_get(0)?;
                let posizioni_in_ambito: i64 = b.fetch_one(&self.db.read).await?.try_get(0)?;
                Ok(HomeData::Operatore { ambito, contribuenti_in_ambito, posizioni_in_ambito })
            }
            Role::AmministratoreProfili => {
                let n: i64 = sqlx::query(
                    "SELECT COUNT(*) FROM users WHERE role IN ('operatore_sede','operatore_regionale','operatore_dg')",
                )
                .fetch_one(&self.db.read)
                .await?
                .try_get(0)?;
                Ok(HomeData::Amministratore { operatori: n })
            }
            _ => Err(AppError::Forbidden("Profilo non riconosciuto.".into())),
        }
    }

    async fn presto_home(&self, u: &User) -> AppResult<HomeData> {
        let Some(persona_id) = u.persona_id else {
            return Err(AppError::Forbidden("Il profilo non è collegato a una persona.".into()));
        };
        if u.role == Role::Utilizzatore {
            let r =
                sqlx::query("SELECT strumento, categoria, sede_id FROM utilizzatori WHERE persona_id = $1 ORDER BY id")
                    .bind(persona_id)
                    .fetch_optional(&self.db.read)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Non risulta una registrazione come utilizzatore.".into()))?;
            let strumento: String = r.try_get("strumento")?;
            let categoria: Option<String> = r.try_get("categoria")?;
            let mut dettagli = vec![(
                "Strumento".to_string(),
                if strumento == "LF" {
                    "Libretto Famiglia".into()
                } else {
                    "Contratto di Prestazione Occasionale".to_string()
                },
            )];
            if let Some(c) = categoria {
                dettagli.push(("Categoria".into(), c));
            }
            Ok(HomeData::Presto {
                descrizione: "Utilizzatore di prestazioni occasionali".into(),
                sede: self.sede(r.try_get("sede_id")?).await?,
                dettagli,
            })
        } else {
            let r = sqlx::query("SELECT iban, sede_id FROM prestatori WHERE persona_id = $1")
                .bind(persona_id)
                .fetch_optional(&self.db.read)
                .await?
                .ok_or_else(|| AppError::NotFound("Non risulta una registrazione come prestatore.".into()))?;
            let iban: Option<String> = r.try_get("iban")?;
            let masked = iban
                .map(|i| format!("{}…{}", &i[..4.min(i.len())], &i[i.len().saturating_sub(4)..]))
                .unwrap_or_else(|| "non indicato (pagamento con bonifico domiciliato)".into());
            Ok(HomeData::Presto {
                descrizione: "Prestatore di lavoro occasionale".into(),
                sede: self.sede(r.try_get("sede_id")?).await?,
                dettagli: vec![("IBAN per i pagamenti".into(), masked)],
            })
        }
    }
}
