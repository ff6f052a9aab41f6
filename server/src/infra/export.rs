//! Downloads streamed as they are produced: rows go from a channel to the response in chunks
//! (CSV: Italian, `;` separated, UTF-8 with BOM so a spreadsheet opens it as Italian text) or
//! through rust_xlsxwriter's constant-memory worksheet to a temporary file that is then streamed
//! (XLSX), so a list of a million rows never sits in memory. Used by the sede's lists and samples
//! and by the Smart-Task "what if" report.

use crate::error::{AppError, AppResult};
use axum::body::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
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
pub enum Cella {
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

/// Sends rows (already cells) into a CSV or XLSX body.
pub fn corpo(
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
