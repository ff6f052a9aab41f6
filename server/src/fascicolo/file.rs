//! The contributor's file: registry data, positions with their history, linked subjects,
//! deleghe, notes, payments, contacts and requests.

use super::{it, opt_it, stato_label};
use crate::error::AppResult;
use crate::identity::Caller;
use crate::infra::db::readers::Readers;
use crate::services::Services;
use shared::dto::{FascicoloView, PosizioneFascicolo, RequestFilter, Riga, SedeView, StatoStorico, Tabella};
use shared::money::Euro;
use sqlx::Row;
use std::collections::HashMap;

impl Services {
    pub async fn fascicolo(&self, caller: &Caller, id: i64, filter: RequestFilter) -> AppResult<FascicoloView> {
        let s = caller.require()?;
        let (c, puo_agire) = self.contributor_in_scope(&s.user, id, "Contribuente non trovato.").await?;
        let pool = &self.db.read;
        let r = sqlx::query(
            "SELECT c.ragione_sociale, c.codice_fiscale, c.partita_iva, c.natura_giuridica, c.pec, s.codice, s.nome, s.regione
             FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(c.id)
        .fetch_one(pool)
        .await?;

        let today = self.clock.today().format("%Y-%m-%d").to_string();
        let posizioni = posizioni(pool, c.id).await?;
        let collegati = collegati(pool, c.id, &today).await?;
        let deleghe = deleghe(pool, c.id, &today).await?;
        let note = note(pool, c.id).await?;
        let pagamenti = pagamenti(pool, c.id).await?;
        let contatti = contatti(pool, c.id).await?;
        let forza = super::contributivo::forza_lavoro(pool, c.id).await?;
        let codici = super::contributivo::codici(pool, c.id).await?;
        let congedi = super::contributivo::congedi(pool, c.id).await?;
        let dpa = super::contributivo::dpa(pool, c.id).await?;
        let table = |titolo: &str, colonne: &[&str], righe: Vec<Riga>| Tabella {
            titolo: titolo.into(),
            colonne: colonne.iter().map(|c| c.to_string()).collect(),
            righe,
        };
        Ok(FascicoloView {
            id: c.id,
            ragione_sociale: r.try_get("ragione_sociale")?,
            codice_fiscale: r.try_get("codice_fiscale")?,
            partita_iva: r.try_get("partita_iva")?,
            natura_giuridica: r.try_get("natura_giuridica")?,
            pec: r.try_get("pec")?,
            sede: SedeView { codice: r.try_get("codice")?, nome: r.try_get("nome")?, regione: r.try_get("regione")? },
            puo_agire,
            posizioni,
            tabelle: vec![
                table(
                    "Soggetti collegati",
                    &["Nome", "Codice fiscale", "Ruolo", "Rappr. legale", "Certificato", "Dal", "Al"],
                    collegati,
                ),
                table(
                    "Deleghe",
                    &["Delegato", "Codice fiscale", "Ruolo", "Dal", "Scadenza", "Revocata dal", "Stato"],
                    deleghe,
                ),
                table(
                    "Note di rettifica",
                    &["Numero", "Matricola", "Periodo", "Importo", "Stato", "Emessa il", "Versione"],
                    note,
                ),
                table(
                    "Pagamenti F24 (ultimi 100)",
                    &[
                        "Data",
                        "Importo",
                        "Causale",
                        "Matricola indicata",
                        "Periodo indicato",
                        "Periodo attribuito",
                        "Utilizzo",
                    ],
                    pagamenti,
                ),
                table(
                    "Contatti per le note di rettifica",
                    &["Matricola", "Canale", "Indirizzo", "Di", "Anomalia", "Cancellato"],
                    contatti,
                ),
                table(
                    "Forza aziendale dichiarata in UniEmens (ultimi mesi)",
                    &[
                        "Matricola",
                        "Mese",
                        "Tempo pieno",
                        "Part-time (equivalenti)",
                        "Apprendisti",
                        "Dipendenti equivalenti",
                    ],
                    forza,
                ),
                table("Codici di autorizzazione", &["Matricola", "Codice", "Dal", "Al", "Attribuito da"], codici),
                table(
                    "Congedi di maternità e paternità",
                    &["Lavoratore", "Codice fiscale", "Congedo", "Dal", "Al", "Nascita o ingresso", "Matricola"],
                    congedi,
                ),
                table(
                    "Dichiarazioni preventive di agevolazione (DPA)",
                    &["Matricola", "Agevolazione", "Dal", "Al", "Registrata da"],
                    dpa,
                ),
            ],
            richieste: self.requests_of(crate::richieste::soggetto::Soggetto::Contribuente(c.id), filter).await?,
        })
    }
}

/// The positions with their dated history of states.
async fn posizioni(pool: &Readers, id: i64) -> AppResult<Vec<PosizioneFascicolo>> {
    let pos_rows = sqlx::query(
        "SELECT p.id, p.matricola, p.stato, s.codice, s.nome FROM posizioni p JOIN sedi s ON s.id = p.sede_id
         WHERE p.contribuente_id = $1 ORDER BY p.matricola",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let hist = sqlx::query(
        "SELECT h.posizione_id, h.stato, h.dal, h.al FROM posizioni_stati h JOIN posizioni p ON p.id = h.posizione_id
         WHERE p.contribuente_id = $1 ORDER BY h.dal, h.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut storie: HashMap<i64, Vec<StatoStorico>> = HashMap::new();
    for h in &hist {
        let stato: i64 = h.try_get("stato")?;
        storie.entry(h.try_get("posizione_id")?).or_default().push(StatoStorico {
            stato,
            stato_label: stato_label(stato),
            dal: it(&h.try_get::<String, _>("dal")?),
            al: h.try_get::<Option<String>, _>("al")?.as_deref().map(it),
        });
    }
    pos_rows
        .iter()
        .map(|p| {
            let stato: i64 = p.try_get("stato")?;
            Ok(PosizioneFascicolo {
                matricola: p.try_get("matricola")?,
                stato,
                stato_label: stato_label(stato),
                sede: format!("{} {}", p.try_get::<String, _>("codice")?, p.try_get::<String, _>("nome")?),
                storia: storie.remove(&p.try_get::<i64, _>("id")?).unwrap_or_default(),
            })
        })
        .collect()
}

/// Linked subjects (legal representatives and others), ended ones dimmed.
async fn collegati(pool: &Readers, id: i64, today: &str) -> AppResult<Vec<Riga>> {
    sqlx::query(
        "SELECT p.nome, p.cognome, p.codice_fiscale, k.ruolo, k.rappresentante_legale, k.certificato, k.dal, k.al
         FROM soggetti_collegati k JOIN persone p ON p.id = k.persona_id WHERE k.contribuente_id = $1 ORDER BY k.dal",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let al: Option<String> = r.try_get("al")?;
        Ok(Riga {
            attenuata: al.as_deref().is_some_and(|a| a < today),
            celle: vec![
                format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?),
                r.try_get("codice_fiscale")?,
                r.try_get::<String, _>("ruolo")?.replace('_', " "),
                if r.try_get::<i64, _>("rappresentante_legale")? != 0 { "sì" } else { "no" }.into(),
                if r.try_get::<i64, _>("certificato")? != 0 { "InfoCamere" } else { "–" }.into(),
                it(&r.try_get::<String, _>("dal")?),
                opt_it(al),
            ],
        })
    })
    .collect::<AppResult<Vec<_>>>()
}

/// Deleghe, with the state they have today.
async fn deleghe(pool: &Readers, id: i64, today: &str) -> AppResult<Vec<Riga>> {
    sqlx::query(
        "SELECT p.nome, p.cognome, p.codice_fiscale, g.ruolo, g.data_inizio, g.data_fine, g.revocata_dal
         FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id WHERE g.contribuente_id = $1
         ORDER BY g.data_inizio DESC, g.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let inizio: String = r.try_get("data_inizio")?;
        let fine: Option<String> = r.try_get("data_fine")?;
        let rev: Option<String> = r.try_get("revocata_dal")?;
        let attiva = inizio.as_str() <= today
            && fine.as_deref().is_none_or(|f| f >= today)
            && rev.as_deref().is_none_or(|x| x > today);
        Ok(Riga {
            attenuata: !attiva,
            celle: vec![
                format!("{} {}", r.try_get::<String, _>("nome")?, r.try_get::<String, _>("cognome")?),
                r.try_get("codice_fiscale")?,
                r.try_get("ruolo")?,
                it(&inizio),
                opt_it(fine),
                opt_it(rev),
                if attiva { "in vigore" } else { "cessata" }.into(),
            ],
        })
    })
    .collect::<AppResult<Vec<_>>>()
}

/// Notes di rettifica, newest first.
async fn note(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    sqlx::query(
        "SELECT n.numero, p.matricola, n.periodo, n.importo_cents, n.stato, n.emessa_il, n.versione, n.riesame_in_corso
         FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE p.contribuente_id = $1
         ORDER BY n.emessa_il DESC, n.id DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let stato: String = r.try_get("stato")?;
        Ok(Riga {
            attenuata: stato != "attiva",
            celle: vec![
                r.try_get("numero")?,
                r.try_get("matricola")?,
                shared::Periodo::parse(&r.try_get::<String, _>("periodo")?).map(|p| p.to_string()).unwrap_or_default(),
                Euro::from_cents(r.try_get("importo_cents")?).to_string(),
                stato.replace('_', " "),
                it(&r.try_get::<String, _>("emessa_il")?),
                format!(
                    "{}{}",
                    r.try_get::<i64, _>("versione")?,
                    if r.try_get::<i64, _>("riesame_in_corso")? != 0 { " · riesame in corso" } else { "" }
                ),
            ],
        })
    })
    .collect::<AppResult<Vec<_>>>()
}

/// The latest 100 F24 payment lines, by the company's code or for its matricole.
async fn pagamenti(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    sqlx::query(
        "SELECT g.data_versamento, g.importo_cents, g.causale, g.matricola_indicata, g.periodo_indicato,
                g.periodo_attribuito, g.utilizzo
         FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id
         WHERE g.contribuente_id = $1 OR p.contribuente_id = $1 ORDER BY g.data_versamento DESC, g.id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let per = |col: &str| -> AppResult<String> {
            let v: String = r.try_get(col)?;
            Ok(shared::Periodo::parse(&v).map(|p| p.to_string()).unwrap_or(v))
        };
        let utilizzo: Option<String> = r.try_get("utilizzo")?;
        Ok(Riga {
            attenuata: utilizzo.is_some(),
            celle: vec![
                it(&r.try_get::<String, _>("data_versamento")?),
                Euro::from_cents(r.try_get("importo_cents")?).to_string(),
                r.try_get("causale")?,
                r.try_get("matricola_indicata")?,
                per("periodo_indicato")?,
                per("periodo_attribuito")?,
                utilizzo.map(|u| u.replace('_', " ")).unwrap_or_else(|| "–".into()),
            ],
        })
    })
    .collect::<AppResult<Vec<_>>>()
}

/// Contacts for the notes di rettifica, deleted ones dimmed.
async fn contatti(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    sqlx::query(
        "SELECT c.canale, c.indirizzo, c.titolare, c.anomalia, c.cancellato_il, p.matricola
         FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id WHERE p.contribuente_id = $1
         ORDER BY p.matricola, c.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let cancellato: Option<String> = r.try_get("cancellato_il")?;
        Ok(Riga {
            attenuata: cancellato.is_some(),
            celle: vec![
                r.try_get("matricola")?,
                r.try_get::<String, _>("canale")?.to_uppercase(),
                r.try_get("indirizzo")?,
                r.try_get("titolare")?,
                r.try_get::<Option<String>, _>("anomalia")?.map(|a| a.replace('_', " ")).unwrap_or_else(|| "–".into()),
                cancellato.map(|c| shared::time::format_it_datetime(&c)).unwrap_or_else(|| "–".into()),
            ],
        })
    })
    .collect::<AppResult<Vec<_>>>()
}
