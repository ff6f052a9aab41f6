//! Exports of the sede's lists and samples as CSV or XLSX, streamed: rows go from the database
//! cursor to the response in chunks (CSV) or through rust_xlsxwriter's constant-memory worksheet
//! to a temporary file that is then streamed (XLSX), so a list of a million rows never sits in
//! memory. The format is the page's: Italian dates and amounts, `;` separated, UTF-8 with BOM so
//! that a spreadsheet opens it as Italian text.

use super::elenchi::{Elenco, riga};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::services::Services;
use axum::body::Bytes;
use futures_util::TryStreamExt;
use futures_util::stream::{BoxStream, StreamExt};
use shared::presto::elenchi::RichiestaElenco;
use shared::time::format_date_text_it;
use std::io::{self, Read};
use tokio::sync::mpsc;

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formato {
    Csv,
    Xlsx,
}

impl Formato {
    pub fn parse(s: Option<&str>) -> AppResult<Formato> {
        match s.map(str::trim).unwrap_or("csv") {
            "" | "csv" => Ok(Formato::Csv),
            "xlsx" => Ok(Formato::Xlsx),
            _ => Err(AppError::field("formato", "Formato non previsto: csv oppure xlsx.", "unknown")),
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Formato::Csv => "text/csv; charset=utf-8",
            Formato::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Formato::Csv => "csv",
            Formato::Xlsx => "xlsx",
        }
    }
}

/// A download: its file name, type and body.
pub struct Esportazione {
    pub nome_file: String,
    pub formato: Formato,
    pub corpo: BoxStream<'static, io::Result<Bytes>>,
}

/// One exported cell: text, a count, or an amount in cents (numbers stay numbers in XLSX).
enum Cella {
    T(String),
    I(i64),
    E(i64),
}

const CHUNK: usize = 64 * 1024;

fn text(c: &Cella) -> String {
    match c {
        Cella::T(s) => s.clone(),
        Cella::I(n) => n.to_string(),
        Cella::E(cents) => shared::money::Euro::from_cents(*cents).importo_it(),
    }
}

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

/// Sends rows (already cells) into a CSV or XLSX body.
fn corpo(
    formato: Formato,
    intestazione: &'static [&'static str],
    mut righe: mpsc::Receiver<io::Result<Vec<Cella>>>,
) -> BoxStream<'static, io::Result<Bytes>> {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    match formato {
        Formato::Csv => {
            tokio::spawn(async move {
                let new = || csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::with_capacity(CHUNK + 1024));
                let mut w = new();
                let mut first = vec![0xEF, 0xBB, 0xBF];
                let head = w.write_record(intestazione);
                if let Err(e) = head {
                    let _ = tx.send(Err(io::Error::other(e))).await;
                    return;
                }
                while let Some(r) = righe.recv().await {
                    let row = match r {
                        Ok(row) => row,
                        Err(e) => {
                            let _ = tx.send(Err(e)).await;
                            return;
                        }
                    };
                    if let Err(e) = w.write_record(row.iter().map(text)) {
                        let _ = tx.send(Err(io::Error::other(e))).await;
                        return;
                    }
                    if w.get_ref().len() >= CHUNK {
                        let full = std::mem::replace(&mut w, new());
                        match full.into_inner() {
                            Ok(mut buf) => {
                                if !first.is_empty() {
                                    first.append(&mut buf);
                                    buf = std::mem::take(&mut first);
                                }
                                if tx.send(Ok(Bytes::from(buf))).await.is_err() {
                                    return; // the client went away
                                }
                            }
                            Err(e) => {
                                let _ = tx.send(Err(io::Error::other(e.to_string()))).await;
                                return;
                            }
                        }
                    }
                }
                if let Ok(mut buf) = w.into_inner() {
                    first.append(&mut buf);
                    let _ = tx.send(Ok(Bytes::from(first))).await;
                }
            });
        }
        Formato::Xlsx => {
            tokio::task::spawn_blocking(move || {
                let fail = |tx: &mpsc::Sender<io::Result<Bytes>>, e: String| {
                    let _ = tx.blocking_send(Err(io::Error::other(e)));
                };
                let euro = rust_xlsxwriter::Format::new().set_num_format("#,##0.00");
                let mut wb = rust_xlsxwriter::Workbook::new();
                let ws = match wb.add_worksheet_with_constant_memory() {
                    Ok(ws) => ws,
                    Err(e) => return fail(&tx, e.to_string()),
                };
                for (c, h) in intestazione.iter().enumerate() {
                    if let Err(e) = ws.write_string(0, c as u16, *h) {
                        return fail(&tx, e.to_string());
                    }
                }
                let mut n: u32 = 1;
                while let Some(r) = righe.blocking_recv() {
                    let row = match r {
                        Ok(row) => row,
                        Err(e) => return fail(&tx, e.to_string()),
                    };
                    for (c, cell) in row.iter().enumerate() {
                        let w = match cell {
                            Cella::T(s) => ws.write_string(n, c as u16, s),
                            Cella::I(x) => ws.write_number(n, c as u16, *x as f64),
                            Cella::E(x) => ws.write_number_with_format(n, c as u16, *x as f64 / 100.0, &euro),
                        };
                        if let Err(e) = w {
                            return fail(&tx, e.to_string());
                        }
                    }
                    n = n.saturating_add(1);
                }
                let file = match tempfile_path() {
                    Ok(p) => p,
                    Err(e) => return fail(&tx, e.to_string()),
                };
                if let Err(e) = wb.save(&file) {
                    return fail(&tx, e.to_string());
                }
                let opened = std::fs::File::open(&file);
                let _ = std::fs::remove_file(&file); // the open handle keeps it readable
                let mut f = match opened {
                    Ok(f) => f,
                    Err(e) => return fail(&tx, e.to_string()),
                };
                let mut buf = vec![0u8; CHUNK];
                loop {
                    match f.read(&mut buf) {
                        Ok(0) => break,
                        Ok(k) => {
                            if tx.blocking_send(Ok(Bytes::copy_from_slice(&buf[..k]))).is_err() {
                                break;
                            }
                        }
                        Err(e) => return fail(&tx, e.to_string()),
                    }
                }
            });
        }
    }
    // Fused: the compression layer polls once more after the end.
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) }).fuse().boxed()
}

fn tempfile_path() -> io::Result<std::path::PathBuf> {
    let mut name = [0u8; 12];
    rand::Rng::fill(&mut rand::thread_rng(), &mut name);
    Ok(std::env::temp_dir().join(format!("sportello-export-{}.xlsx", hex::encode(name))))
}

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
        let pool = self.db.read.clone();
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
