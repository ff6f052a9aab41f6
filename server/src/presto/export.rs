//! Exports of the sede's lists and samples as CSV or XLSX: the rows, read from a database cursor,
//! as the page shows them (Italian dates and amounts), streamed by `infra::export`.

use super::elenchi::{Elenco, riga};
use crate::error::AppResult;
use crate::identity::Caller;
use crate::infra::export::{Cella, corpo};
pub use crate::infra::export::{Esportazione, Formato};
use crate::services::Services;
use futures_util::TryStreamExt;
use shared::presto::elenchi::RichiestaElenco;
use shared::time::format_date_text_it;
use std::io;
use tokio::sync::mpsc;

const INTESTAZIONE_ELENCO: &[&str] = &[
    "tipo",
    "codice_fiscale",
    "denominazione",
    "descrizione",
    "prestazioni",
    "compenso_euro",
    "primo_giorno",
    "ultimo_giorno",
];

impl Services {
    /// The list, every row, as a download.
    pub async fn esporta_elenco(
        &self,
        caller: &Caller,
        r: RichiestaElenco,
        formato: Formato,
    ) -> AppResult<Esportazione> {
        let (e, _) = self.elenco_di(caller, &r).await?;
        let (tx, rx) = mpsc::channel::<io::Result<Vec<Cella>>>(256);
        let pool = self.db.long_read.clone();
        let tipo = e.tipo;
        tokio::spawn(async move {
            let run = async {
                let e: Elenco = e;
                let mut conn = pool.acquire().await.map_err(io::Error::other)?;
                let sql = e.ordered();
                let mut rows = e.query(&sql).fetch(&mut *conn);
                while let Some(r) = rows.try_next().await.map_err(io::Error::other)? {
                    let x = riga(tipo, &r).map_err(|e| io::Error::other(e.to_string()))?;
                    let cells = vec![
                        Cella::T(x.tipo),
                        Cella::T(x.codice_fiscale),
                        Cella::T(x.denominazione),
                        Cella::T(x.descrizione),
                        Cella::I(x.prestazioni),
                        Cella::E(x.compenso.cents()),
                        Cella::T(format_date_text_it(&x.primo_giorno)),
                        Cella::T(format_date_text_it(&x.ultimo_giorno)),
                    ];
                    if tx.send(Ok(cells)).await.is_err() {
                        break;
                    }
                }
                Ok::<(), io::Error>(())
            };
            if let Err(e) = run.await {
                tracing::warn!(error = %e, "esportazione interrotta");
                let _ = tx.send(Err(e)).await;
            }
        });
        Ok(Esportazione {
            nome_file: format!("elenco-{}-{}.{}", tipo.code(), self.clock.today(), formato.ext()),
            formato,
            corpo: corpo(formato, INTESTAZIONE_ELENCO, rx),
        })
    }

    /// A sample with its outcomes, as a download.
    pub async fn esporta_campione(&self, caller: &Caller, id: i64, formato: Formato) -> AppResult<Esportazione> {
        const H: &[&str] = &[
            "posizione",
            "tipo",
            "codice_fiscale",
            "denominazione",
            "strato",
            "prestazioni",
            "compenso_euro",
            "esito",
            "nota",
            "verificato_da",
            "verificato_il",
        ];
        let k = self.campione(caller, id).await?;
        let (tx, rx) = mpsc::channel::<io::Result<Vec<Cella>>>(256);
        let righe: Vec<Vec<Cella>> = k
            .righe
            .into_iter()
            .map(|r| {
                vec![
                    Cella::I(r.posizione),
                    Cella::T(r.soggetto_tipo),
                    Cella::T(r.codice_fiscale),
                    Cella::T(r.denominazione),
                    Cella::T(r.strato),
                    Cella::I(r.prestazioni),
                    Cella::E(r.compenso.cents()),
                    Cella::T(r.esito.unwrap_or_default()),
                    Cella::T(r.nota.unwrap_or_default()),
                    Cella::T(r.verificato_da.unwrap_or_default()),
                    Cella::T(r.verificato_at.as_deref().map(format_date_text_it).unwrap_or_default()),
                ]
            })
            .collect();
        tokio::spawn(async move {
            for r in righe {
                if tx.send(Ok(r)).await.is_err() {
                    break;
                }
            }
        });
        Ok(Esportazione {
            nome_file: format!("campione-{id}.{}", formato.ext()),
            formato,
            corpo: corpo(formato, H, rx),
        })
    }
}
