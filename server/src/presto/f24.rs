//! The F24 flow (ELIDE and EP lines with causale LIFA / CLOC) that funds the wallets: every
//! line validated and reported; idempotent on the line's identifier; credited when its CF is a
//! registered user with the right causale, otherwise kept among the unmatched payments with the
//! reason (the manual matching of the portal works on those).

use super::soggetti::UTILIZZATORE_SQL;
use crate::error::{AppError, AppResult};
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::presto::f24::{Causale, INTESTAZIONE, RigaF24, parse_riga};
use shared::presto::views::{EsitoRigaF24, ReportImportF24};
use sqlx::{AnyConnection, Row};

/// Lines per transaction: a crash loses at most a batch, which a re-import completes.
const BATCH: usize = 500;

enum Abbinamento {
    Utente(i64),
    NonAbbinato(String),
}

async fn abbina(conn: &mut AnyConnection, r: &RigaF24) -> AppResult<Abbinamento> {
    let cf = r.codice_fiscale.as_str();
    let rows = sqlx::query(&format!("{UTILIZZATORE_SQL} WHERE COALESCE(c.codice_fiscale, p.codice_fiscale) = $1"))
        .bind(cf)
        .fetch_all(&mut *conn)
        .await?;
    let want = match r.causale {
        Causale::Lifa => "lf",
        Causale::Cloc => "cpo",
    };
    let mut other = None;
    for row in &rows {
        let strumento: String = row.try_get("strumento")?;
        if strumento == want {
            if r.causale == Causale::Lifa && r.importo.cents() % 1000 != 0 {
                return Ok(Abbinamento::NonAbbinato(
                    "Importo non multiplo di 10 €: il Libretto Famiglia si alimenta con titoli da 10 €.".into(),
                ));
            }
            return Ok(Abbinamento::Utente(row.try_get("id")?));
        }
        other = Some(strumento);
    }
    if other.is_some() {
        return Ok(Abbinamento::NonAbbinato(format!(
            "Causale {} errata: il codice fiscale è registrato come utilizzatore del {}.",
            r.causale.code(),
            if want == "lf" {
                "Contratto di Prestazione Occasionale (causale CLOC)"
            } else {
                "Libretto Famiglia (causale LIFA)"
            }
        )));
    }
    // The most frequent mistake: the company's legal representative puts his own CF.
    let rappresentata = sqlx::query(
        "SELECT c.codice_fiscale FROM persone p
         JOIN soggetti_collegati s ON s.persona_id = p.id AND s.rappresentante_legale = 1
              AND s.dal <= $2 AND (s.al IS NULL OR s.al >= $2)
         JOIN contribuenti c ON c.id = s.contribuente_id
         JOIN utilizzatori u ON u.contribuente_id = c.id AND u.strumento = 'cpo'
         WHERE p.codice_fiscale = $1 ORDER BY c.id",
    )
    .bind(cf)
    .bind(r.data_versamento.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(c) = rappresentata {
        let azienda: String = c.try_get(0)?;
        return Ok(Abbinamento::NonAbbinato(format!(
            "Codice fiscale del legale rappresentante dell'utilizzatore CPO {azienda}: abbinabile manualmente dalla sede."
        )));
    }
    Ok(Abbinamento::NonAbbinato("Codice fiscale non registrato come utilizzatore di prestazioni occasionali.".into()))
}

pub(crate) enum Acquisizione {
    Accreditata(i64),
    NonAbbinata(String),
    GiaPresente,
}

/// Stores one validated line (once: the line's identifier is unique) and credits the wallet it
/// matches, in the caller's transaction.
pub(crate) async fn acquisisci(conn: &mut AnyConnection, r: &RigaF24) -> AppResult<Acquisizione> {
    let m = abbina(conn, r).await?;
    let (utente, stato, motivo) = match &m {
        Abbinamento::Utente(id) => (Some(*id), "accreditato", None),
        Abbinamento::NonAbbinato(why) => (None, "non_abbinato", Some(why.clone())),
    };
    let canale = if r.modello == "EP" { "f24_ep" } else { "f24_elide" };
    let inserted = sqlx::query(
        "INSERT INTO versamenti (canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, utilizzatore_id, stato, motivo, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (riferimento) DO NOTHING RETURNING id",
    )
    .bind(canale)
    .bind(format!("F24-{}", r.id_riga))
    .bind(r.codice_fiscale.as_str())
    .bind(r.causale.code())
    .bind(i64::from(r.anno))
    .bind(r.importo.cents())
    .bind(r.data_versamento.to_string())
    .bind(utente)
    .bind(stato)
    .bind(motivo.clone())
    .bind(clock::now_ts())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = inserted else { return Ok(Acquisizione::GiaPresente) };
    let vid: i64 = row.try_get(0)?;
    Ok(match (utente, motivo) {
        (Some(u), _) => {
            sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2")
                .bind(r.importo.cents())
                .bind(u)
                .execute(&mut *conn)
                .await?;
            Acquisizione::Accreditata(vid)
        }
        (None, motivo) => Acquisizione::NonAbbinata(motivo.unwrap_or_default()),
    })
}

fn esito(riga: u64, id_riga: &str, esito: &str, messaggio: String) -> EsitoRigaF24 {
    EsitoRigaF24 { riga, id_riga: id_riga.into(), esito: esito.into(), messaggio }
}

impl Services {
    /// Imports a flow file (CSV, header of [`INTESTAZIONE`]). `actor` is the operator or the
    /// command that runs it.
    pub async fn import_f24(&self, actor: &Actor, bytes: &[u8]) -> AppResult<ReportImportF24> {
        let mut rdr =
            csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(bytes);
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| AppError::field("flusso", format!("Flusso F24 illeggibile: {e}"), "format"))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        if header != INTESTAZIONE {
            // Readable text whose content is not a flow: the file's fault, not the request's.
            return Err(AppError::field(
                "flusso",
                format!("Intestazione del flusso F24 non valida: attesa «{}».", INTESTAZIONE.join(",")),
                "header",
            ));
        }
        let mut report = ReportImportF24::default();
        let mut records = rdr.records().enumerate().peekable();
        while records.peek().is_some() {
            let mut tx = self.db.write.begin().await?;
            let mut credited = vec![];
            let mut nuovi = 0usize;
            for (i, rec) in records.by_ref().take(BATCH) {
                let line = i as u64 + 2;
                let rec = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        report.scartate += 1;
                        report.righe.push(esito(line, "", "scartata", format!("riga illeggibile: {e}")));
                        continue;
                    }
                };
                let fields: Vec<&str> = rec.iter().collect();
                let r = match parse_riga(&fields) {
                    Ok(r) => r,
                    Err(errs) => {
                        report.scartate += 1;
                        report.righe.push(esito(
                            line,
                            fields.first().copied().unwrap_or(""),
                            "scartata",
                            errs.join("; "),
                        ));
                        continue;
                    }
                };
                match acquisisci(&mut tx, &r).await? {
                    Acquisizione::GiaPresente => {
                        report.gia_presenti += 1;
                        report.righe.push(esito(
                            line,
                            &r.id_riga,
                            "gia_presente",
                            "Riga già acquisita: ignorata.".into(),
                        ));
                    }
                    Acquisizione::Accreditata(vid) => {
                        nuovi += 1;
                        credited.push(vid);
                        report.accreditate += 1;
                        report.righe.push(esito(
                            line,
                            &r.id_riga,
                            "accreditata",
                            format!("{} accreditati.", r.importo),
                        ));
                    }
                    Acquisizione::NonAbbinata(why) => {
                        nuovi += 1;
                        report.non_abbinate += 1;
                        report.righe.push(esito(line, &r.id_riga, "non_abbinata", why));
                    }
                }
            }
            if nuovi == 0 {
                tx.commit().await?;
                continue;
            }
            audit::append(
                &mut tx,
                actor,
                Entry {
                    entity: "flusso_f24",
                    entity_id: self.clock.today().to_string(),
                    action: "importazione",
                    before: None,
                    after: Some(serde_json::json!({"versamenti_accreditati": credited})),
                    note: None,
                },
            )
            .await?;
            tx.commit().await?;
        }
        Ok(report)
    }
}
