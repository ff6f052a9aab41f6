//! The demo's positions as the position-state Smart-Tasks (9–11) read them: monthly UniEmens
//! workforce and a dated history for each case the examination distinguishes — Rossi's
//! suspended matricola can be reactivated (suspended nine months ago), the Tuscolana
//! association's cannot (suspended twenty months ago: beyond 18 months), Rossi's active one has
//! workers up to last month (a suspension from earlier is refused). Runs after the sequences
//! are reset: it inserts history rows without explicit ids.

use crate::error::AppResult;
use chrono::{Duration, NaiveDate};
use shared::periodo::Periodo;
use shared::posizione::StatoPosizione;
use sqlx::{AnyConnection, Row};

pub(super) struct Aziende {
    pub rossi: i64,
    pub trattoria: i64,
    pub gallo: i64,
    pub assoc: i64,
    pub verdi: i64,
}

/// Full-time, part-time (heads, full-time equivalent in hundredths), apprentices.
type Forza = (i64, i64, i64, i64);

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn posizioni(conn: &mut AnyConnection, contribuente: i64) -> AppResult<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT id, stato FROM posizioni WHERE contribuente_id = $1 ORDER BY id")
        .bind(contribuente)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("stato")?))).collect()
}

/// Monthly workforce for the `mesi` months ending with `ultimo`.
async fn forza(conn: &mut AnyConnection, pos: i64, ultimo: Periodo, mesi: i32, f: Forza, now: &str) -> AppResult<()> {
    for k in 0..mesi {
        let Some(p) = ultimo.plus_months(-k) else { continue };
        sqlx::query(
            "INSERT INTO uniemens_forza_lavoro (posizione_id, periodo, tempo_pieno, part_time, part_time_centesimi,
                                                apprendisti, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(pos)
        .bind(p.key())
        .bind(f.0)
        .bind(f.1)
        .bind(f.2)
        .bind(f.3)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Rewrites a suspended position's history: active for years, suspended from `dal`.
async fn sospesa_dal(conn: &mut AnyConnection, pos: i64, today: NaiveDate, dal: NaiveDate, now: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM posizioni_stati WHERE posizione_id = $1").bind(pos).execute(&mut *conn).await?;
    let storia = [
        (StatoPosizione::Attiva, today - Duration::days(3000), Some(dal - Duration::days(1))),
        (StatoPosizione::Sospesa, dal, None),
    ];
    for (stato, da, al) in storia {
        sqlx::query(
            "INSERT INTO posizioni_stati (posizione_id, stato, dal, al, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(pos)
        .bind(stato.code())
        .bind(day(da))
        .bind(al.map(day))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE posizioni SET stato = $1, stato_dal = $2 WHERE id = $3")
        .bind(StatoPosizione::Sospesa.code())
        .bind(day(dal))
        .bind(pos)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn seed(conn: &mut AnyConnection, today: NaiveDate, now: &str, a: Aziende) -> AppResult<()> {
    let scorso = Periodo::of(today).plus_months(-1).unwrap_or(Periodo::of(today));
    for (pos, stato) in posizioni(conn, a.rossi).await? {
        if stato == StatoPosizione::Sospesa.code() {
            let dal = today - Duration::days(270);
            sospesa_dal(conn, pos, today, dal, now).await?;
            let prima = Periodo::of(dal).plus_months(-1).unwrap_or(scorso);
            forza(conn, pos, prima, 12, (4, 0, 0, 0), now).await?;
        } else {
            forza(conn, pos, scorso, 24, (12, 2, 125, 1), now).await?;
        }
    }
    for (pos, _) in posizioni(conn, a.assoc).await? {
        let dal = today - Duration::days(610);
        sospesa_dal(conn, pos, today, dal, now).await?;
        let prima = Periodo::of(dal).plus_months(-1).unwrap_or(scorso);
        forza(conn, pos, prima, 12, (2, 1, 50, 0), now).await?;
    }
    for (pos, _) in posizioni(conn, a.trattoria).await? {
        forza(conn, pos, scorso, 6, (3, 1, 50, 0), now).await?;
    }
    for (pos, _) in posizioni(conn, a.gallo).await? {
        forza(conn, pos, scorso, 24, (25, 4, 250, 2), now).await?;
    }
    // Verdi Logistica: 70 employees, liable for the Fondo di Tesoreria (Smart-Task 15).
    for (pos, _) in posizioni(conn, a.verdi).await? {
        forza(conn, pos, scorso, 24, (68, 4, 200, 5), now).await?;
    }
    // Leaves (Smart-Task 16): the trattoria (3.5 employees) may claim the 9R relief, Gallo
    // Trasporti (27.5) may not.
    let nascita = NaiveDate::from_ymd_opt(1992, 5, 14).unwrap_or(today);
    let congedi = [
        (
            a.trattoria,
            "Chiara",
            "Fontana",
            today - Duration::days(40),
            today + Duration::days(110),
            today - Duration::days(10),
        ),
        (
            a.gallo,
            "Marta",
            "Lombardi",
            today - Duration::days(20),
            today + Duration::days(130),
            today + Duration::days(10),
        ),
    ];
    for (azienda, nome, cognome, dal, al, evento) in congedi {
        let Some((pos, _)) = posizioni(conn, azienda).await?.into_iter().next() else { continue };
        sqlx::query(
            "INSERT INTO congedi (posizione_id, codice_fiscale_lavoratore, nominativo, tipo, dal, al, data_evento, created_at)
             VALUES ($1, $2, $3, 'maternita', $4, $5, $6, $7)",
        )
        .bind(pos)
        .bind(super::codice_fiscale(nome, cognome, nascita, true, "H501"))
        .bind(format!("{nome} {cognome}"))
        .bind(day(dal))
        .bind(day(al))
        .bind(day(evento))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    // The demo offers the kinds built after 1–8 at once; a real installation receives them "in
    // arrivo" and the head office schedules them (migration 15).
    // A DPA for the under-36 relief on Rossi's active matricola, January–June (Smart-Task 17:
    // another for overlapping months is refused).
    let anno = chrono::Datelike::year(&today);
    let rossi = posizioni(conn, a.rossi).await?;
    if let Some((pos, _)) = rossi.into_iter().find(|(_, s)| *s == StatoPosizione::Attiva.code()) {
        sqlx::query(
            "INSERT INTO dpa (posizione_id, agevolazione, mese_dal, mese_al, origine, created_at)
             VALUES ($1, 'esonero_giovani', $2, $3, 'sede', $4)",
        )
        .bind(pos)
        .bind(format!("{anno:04}-01"))
        .bind(format!("{anno:04}-06"))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let nuovi = shared::smart_task::Kind::ALL.iter().filter(|k| k.number() > 8).map(|k| k.code());
    for tipo in nuovi {
        sqlx::query(
            "INSERT INTO smart_task_attivazioni (tipo, attivo_dal, nota, aggiornato_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(tipo)
        .bind(day(today - Duration::days(30)))
        .bind("Dati dimostrativi: tipo attivato per la prova")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
