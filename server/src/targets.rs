//! What a Smart-Task can act on, from the subject's own data (never typed blind), with what
//! INPS already knows about it (shown above the form) and the answers it pre-fills.

use crate::clock;
use crate::error::AppResult;
use crate::services::{Caller, Services};
use crate::smart_task::kind_of;
use shared::dto::TargetView;
use shared::money::Euro;
use shared::periodo::Periodo;
use shared::smart_task::Kind;
use sqlx::Row;
use sqlx::any::AnyRow;

fn target(id: i64, descrizione: String, dati: Vec<(&str, String)>) -> TargetView {
    TargetView {
        id: id.to_string(),
        descrizione,
        dati: dati.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        predefiniti: Default::default(),
    }
}

fn it(s: &str) -> String {
    clock::it_date_text(s)
}

fn per(s: &str) -> String {
    Periodo::parse(s).map(|p| p.to_string()).unwrap_or_else(|_| s.to_string())
}

fn opt(r: &AnyRow, col: &str) -> AppResult<String> {
    Ok(r.try_get::<Option<String>, _>(col)?.unwrap_or_else(|| "non indicato".into()))
}

fn anomalia(a: Option<&str>) -> &'static str {
    match a {
        Some("mancata_consegna") => "mancata consegna",
        Some("casella_piena") => "casella piena",
        Some("indirizzo_non_valido") => "indirizzo non valido",
        Some("non_pec") => "non è una PEC",
        Some(_) => "anomalia segnalata",
        None => "nessuna anomalia segnalata",
    }
}

fn stato_nota(s: &str) -> &'static str {
    match s {
        "attiva" => "attiva",
        "annullata" => "annullata",
        "saldata" => "saldata",
        "avviso_addebito" => "passata ad avviso di addebito",
        _ => "stato sconosciuto",
    }
}

impl Services {
    pub async fn smart_task_targets(
        &self,
        caller: &Caller,
        kind: &str,
        soggetto_id: Option<i64>,
    ) -> AppResult<Vec<TargetView>> {
        let kind = kind_of(kind)?;
        let subject = self.subject(caller, soggetto_id).await?;
        let today = clock::today().format("%Y-%m-%d").to_string();
        let pool = &self.db.read;
        match kind {
            Kind::VariazioneContattiIntermediario => {
                let s = caller.require()?;
                let rows = sqlx::query(
                    "SELECT id, denominazione, email, pec, telefono, cellulare FROM intermediari WHERE persona_id = $1",
                )
                .bind(s.user.persona_id.unwrap_or(-1))
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(target(
                            r.try_get("id")?,
                            format!("I miei contatti ({})", r.try_get::<String, _>("denominazione")?),
                            vec![
                                ("E-mail attuale", opt(r, "email")?),
                                ("PEC attuale", opt(r, "pec")?),
                                ("Telefono attuale", opt(r, "telefono")?),
                                ("Cellulare attuale", opt(r, "cellulare")?),
                            ],
                        ))
                    })
                    .collect()
            }
            Kind::RevocaDelegaIntermediario | Kind::RevocaDelegaDipendente | Kind::VariazioneContattiDipendente => {
                let ruolo = if kind == Kind::RevocaDelegaIntermediario { "intermediario" } else { "dipendente" };
                let rows = sqlx::query(
                    "SELECT g.id, p.nome, p.cognome, p.codice_fiscale, p.email, p.pec, p.telefono, g.data_inizio, g.data_fine
                     FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id
                     WHERE g.contribuente_id = $1 AND g.ruolo = $2 AND g.data_inizio <= $3
                       AND (g.data_fine IS NULL OR g.data_fine >= $3) AND (g.revocata_dal IS NULL OR g.revocata_dal > $3)
                     ORDER BY p.cognome, p.nome, g.id",
                )
                .bind(subject.id)
                .bind(ruolo)
                .bind(&today)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let inizio: String = r.try_get("data_inizio")?;
                        let fine: Option<String> = r.try_get("data_fine")?;
                        let mut dati = vec![
                            (
                                "Delegato",
                                format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?),
                            ),
                            ("Codice fiscale", r.try_get("codice_fiscale")?),
                            ("In vigore dal", it(&inizio)),
                            ("Scadenza", fine.as_deref().map(it).unwrap_or_else(|| "nessuna".into())),
                        ];
                        if kind == Kind::VariazioneContattiDipendente {
                            dati.push(("E-mail attuale", opt(r, "email")?));
                            dati.push(("PEC attuale", opt(r, "pec")?));
                            dati.push(("Telefono attuale", opt(r, "telefono")?));
                        }
                        Ok(target(
                            r.try_get("id")?,
                            format!(
                                "{} {} ({}), delega dal {}",
                                r.try_get::<String, _>("nome")?,
                                r.try_get::<String, _>("cognome")?,
                                r.try_get::<String, _>("codice_fiscale")?,
                                it(&inizio)
                            ),
                            dati,
                        ))
                    })
                    .collect()
            }
            Kind::VariazionePecAziendale => {
                let r = sqlx::query("SELECT pec, natura_giuridica FROM contribuenti WHERE id = $1")
                    .bind(subject.id)
                    .fetch_one(pool)
                    .await?;
                Ok(vec![target(
                    subject.id,
                    format!("PEC di {}", subject.ragione_sociale),
                    vec![("PEC attuale", opt(&r, "pec")?), ("Natura giuridica", r.try_get("natura_giuridica")?)],
                )])
            }
            Kind::CancellazioneContattiAnomaliNdr => {
                let rows = sqlx::query(
                    "SELECT c.id, c.canale, c.indirizzo, c.titolare, c.anomalia, c.anomalia_dal, p.matricola
                     FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id
                     WHERE p.contribuente_id = $1 AND c.cancellato_il IS NULL ORDER BY p.matricola, c.id",
                )
                .bind(subject.id)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let canale: String = r.try_get("canale")?;
                        let canale = if canale == "pec" { "PEC" } else { "E-mail" };
                        let indirizzo: String = r.try_get("indirizzo")?;
                        let a: Option<String> = r.try_get("anomalia")?;
                        let titolare: String = r.try_get("titolare")?;
                        let matricola: String = r.try_get("matricola")?;
                        let dal: Option<String> = r.try_get("anomalia_dal")?;
                        Ok(target(
                            r.try_get("id")?,
                            format!("{canale} {indirizzo} – matricola {matricola} – {}", anomalia(a.as_deref())),
                            vec![
                                ("Contatto", format!("{canale} {indirizzo}")),
                                ("Di", titolare),
                                ("Matricola", matricola),
                                (
                                    "Esito delle consegne",
                                    match dal {
                                        Some(d) => format!("{} dal {}", anomalia(a.as_deref()), it(&d)),
                                        None => anomalia(a.as_deref()).to_string(),
                                    },
                                ),
                            ],
                        ))
                    })
                    .collect()
            }
            Kind::RicalcoloNotaRettifica => {
                let rows = sqlx::query(
                    "SELECT n.id, n.numero, n.periodo, n.importo_cents, n.stato, n.emessa_il, p.matricola
                     FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id
                     WHERE p.contribuente_id = $1 ORDER BY n.emessa_il DESC, n.id DESC",
                )
                .bind(subject.id)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let numero: String = r.try_get("numero")?;
                        let periodo = per(&r.try_get::<String, _>("periodo")?);
                        let importo = Euro::from_cents(r.try_get("importo_cents")?).to_string();
                        let stato = stato_nota(&r.try_get::<String, _>("stato")?);
                        Ok(target(
                            r.try_get("id")?,
                            format!("Nota {numero} – periodo {periodo} – {importo} – {stato}"),
                            vec![
                                ("Nota di rettifica", numero),
                                ("Matricola", r.try_get("matricola")?),
                                ("Periodo di competenza", periodo),
                                ("Importo", importo),
                                ("Emessa il", it(&r.try_get::<String, _>("emessa_il")?)),
                                ("Stato", stato.to_string()),
                            ],
                        ))
                    })
                    .collect()
            }
            Kind::RettificaPeriodoPagamento => {
                let rows = sqlx::query(
                    "SELECT g.id, g.data_versamento, g.importo_cents, g.causale, g.sede_codice, g.matricola_indicata,
                            g.periodo_indicato, g.periodo_attribuito, g.utilizzo
                     FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id
                     WHERE g.contribuente_id = $1 OR p.contribuente_id = $1
                     ORDER BY g.data_versamento DESC, g.id DESC LIMIT 200",
                )
                .bind(subject.id)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let cents: i64 = r.try_get("importo_cents")?;
                        let importo = Euro::from_cents(cents);
                        let data = it(&r.try_get::<String, _>("data_versamento")?);
                        let attribuito = per(&r.try_get::<String, _>("periodo_attribuito")?);
                        let causale: String = r.try_get("causale")?;
                        let mut t = target(
                            r.try_get("id")?,
                            format!("F24 del {data} – {importo} – causale {causale} – periodo {attribuito}"),
                            vec![
                                ("Data del versamento", data),
                                ("Importo", importo.to_string()),
                                ("Causale", causale),
                                ("Sede", r.try_get("sede_codice")?),
                                ("Matricola indicata", r.try_get("matricola_indicata")?),
                                ("Periodo indicato nell'F24", per(&r.try_get::<String, _>("periodo_indicato")?)),
                                ("Periodo a cui è attribuito", attribuito),
                                (
                                    "Utilizzo",
                                    match r.try_get::<Option<String>, _>("utilizzo")?.as_deref() {
                                        None => "non utilizzato".to_string(),
                                        Some("nota_rettifica") => "usato per una nota di rettifica".to_string(),
                                        Some("avviso_addebito") => "usato per un avviso di addebito".to_string(),
                                        Some("rettifica") => "già rettificato".to_string(),
                                        Some(other) => other.to_string(),
                                    },
                                ),
                            ],
                        );
                        // The whole payment by default, written as Italians type it.
                        t.predefiniti.insert("importo".into(), importo.to_string().trim_end_matches(" €").to_string());
                        Ok(t)
                    })
                    .collect()
            }
        }
    }
}
