//! Demo data of the prestazioni occasionali: users of the Libretto Famiglia and of every CPO
//! category, prestatori of every special category, funded wallets, prestazioni in 2022, 2023 and
//! this year entered through the same checks as the service (a seeded row that would fail a
//! check stops the seed), users and prestatori near each limit, unmatched F24 lines (one paid
//! with a legal representative's own CF), a revoked prestazione and the closed months paid.

use crate::error::{AppError, AppResult};
use crate::infra::audit::Actor;
use crate::presto::esame::{Input, esamina, registra};
use crate::presto::f24::acquisisci;
use crate::presto::pay_run::{chiusura_mese, paga_prestatore};
use crate::presto::soggetti::{UTILIZZATORE_SQL, Utilizzatore};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime};
use shared::presto::f24::parse_riga;
use shared::presto::{FinalitaPa, costo_cpo, costo_lf};
use shared::{CodiceFiscale, Euro};
use sqlx::{AnyConnection, Row};

pub(super) struct PrestoCast {
    pub anna: i64,
    pub paolo: i64,
    pub giovanni: i64,
    pub sara: i64,
    pub marco: i64,
    pub lucia: i64,
    pub elena: i64,
    pub mario: i64,
    pub rossi: i64,
    pub hotel: i64,
    pub eventi: i64,
    pub comune: i64,
    pub agricola: i64,
    pub roma: i64,
}

fn d(y: i32, m: u32, day: u32) -> AppResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day).ok_or_else(|| AppError::Internal(format!("data {y}-{m}-{day}")))
}

async fn cf_persona(conn: &mut AnyConnection, id: i64) -> AppResult<String> {
    Ok(sqlx::query("SELECT codice_fiscale FROM persone WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

async fn cf_azienda(conn: &mut AnyConnection, id: i64) -> AppResult<String> {
    Ok(sqlx::query("SELECT codice_fiscale FROM contribuenti WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

#[allow(clippy::too_many_arguments)]
async fn utilizzatore(
    conn: &mut AnyConnection,
    persona: Option<i64>,
    azienda: Option<i64>,
    strumento: &str,
    categoria: Option<&str>,
    ateco: Option<&str>,
    dipendenti: Option<i64>,
    sede: i64,
    now: &str,
) -> AppResult<Utilizzatore> {
    let id: i64 = sqlx::query(
        "INSERT INTO utilizzatori (persona_id, contribuente_id, strumento, categoria, ateco, dipendenti_centesimi, sede_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(persona)
    .bind(azienda)
    .bind(strumento)
    .bind(categoria)
    .bind(ateco)
    .bind(dipendenti)
    .bind(sede)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    let r = sqlx::query(&format!("{UTILIZZATORE_SQL} WHERE u.id = $1")).bind(id).fetch_one(&mut *conn).await?;
    Utilizzatore::from_row(&r)
}

async fn prestatore(
    conn: &mut AnyConnection,
    persona: i64,
    iban: Option<&str>,
    categoria: Option<(&str, NaiveDate, Option<NaiveDate>)>,
    sede: i64,
    now: &str,
) -> AppResult<(i64, String)> {
    let modalita = if iban.is_some() { "iban" } else { "bonifico_domiciliato" };
    let id: i64 = sqlx::query(
        "INSERT INTO prestatori (persona_id, iban, modalita_pagamento, sede_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(persona)
    .bind(iban)
    .bind(modalita)
    .bind(sede)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    if let Some((c, dal, al)) = categoria {
        sqlx::query("INSERT INTO prestatori_categorie (prestatore_id, categoria, dal, al, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(c)
            .bind(dal.to_string())
            .bind(al.map(|a| a.to_string()))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok((id, cf_persona(conn, persona).await?))
}

/// One F24 line of the demo flow, through the same acquisition as `server import-f24`.
#[allow(clippy::too_many_arguments)]
async fn f24(
    conn: &mut AnyConnection,
    id: &str,
    modello: &str,
    cf: &str,
    causale: &str,
    rif_a: &str,
    euro: i64,
    data: NaiveDate,
) -> AppResult<()> {
    let anno = data.year().to_string();
    let cents = (euro * 100).to_string();
    let day = data.to_string();
    let r = parse_riga(&[id, modello, cf, "I", causale, rif_a, &anno, &cents, &day])
        .map_err(|e| AppError::Internal(format!("riga F24 dimostrativa {id}: {}", e.join("; "))))?;
    acquisisci(conn, &r).await?;
    Ok(())
}

enum Tipo {
    Lf { titoli: u32, minuti: i64 },
    Cpo { compenso: i64, minuti: i64, finalita: Option<FinalitaPa> },
}

/// A prestazione entered through the service's own checks, as if communicated in time.
async fn prestazione(
    conn: &mut AnyConnection,
    u: &Utilizzatore,
    p: &(i64, String),
    giorno: NaiveDate,
    tipo: Tipo,
) -> AppResult<i64> {
    let nove = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let (inizio, fine, minuti, titoli, costo, finalita_pa, adesso) = match tipo {
        Tipo::Lf { titoli, minuti } => {
            (None, None, minuti, Some(titoli), costo_lf(titoli), None, giorno.and_hms_opt(20, 0, 0).unwrap_or_default())
        }
        Tipo::Cpo { compenso, minuti, finalita } => (
            Some(nove),
            Some(nove + Duration::minutes(minuti)),
            minuti,
            None,
            costo_cpo(Euro::from_cents(compenso)),
            finalita,
            (giorno - Duration::days(1)).and_hms_opt(18, 0, 0).unwrap_or_default(),
        ),
    };
    let input = Input {
        prestatore_cf: CodiceFiscale::parse(&p.1).map_err(|e| AppError::Internal(e.to_string()))?,
        giorno,
        inizio,
        fine,
        minuti,
        titoli,
        costo: costo.map_err(|e| AppError::Internal(e.to_string()))?,
        luogo: inizio.map(|_| "Sede dell'utilizzatore".to_string()),
        oggetto: inizio.map(|_| "Supporto occasionale".to_string()),
        finalita_pa,
    };
    let esame = esamina(conn, u, p.0, &input, adesso).await?;
    let ko: Vec<String> = esame.ko().iter().map(|c| format!("{} ({})", c.codice, c.motivo)).collect();
    if !ko.is_empty() {
        return Err(AppError::Internal(format!("prestazione dimostrativa del {giorno} rifiutata: {}", ko.join("; "))));
    }
    registra(conn, u, p.0, &input, &esame, None).await
}

pub(super) async fn seed(conn: &mut AnyConnection, c: PrestoCast, today: NaiveDate, now: &str) -> AppResult<()> {
    let y = today.year();
    let roma = c.roma;
    let anna = utilizzatore(conn, Some(c.anna), None, "lf", None, None, None, roma, now).await?;
    let rossi =
        utilizzatore(conn, None, Some(c.rossi), "cpo", Some("generale"), Some("4690"), Some(400), roma, now).await?;
    let hotel = utilizzatore(
        conn,
        None,
        Some(c.hotel),
        "cpo",
        Some("alberghiero_ricettivo"),
        Some("551000"),
        Some(700),
        roma,
        now,
    )
    .await?;
    let eventi = utilizzatore(
        conn,
        None,
        Some(c.eventi),
        "cpo",
        Some("eventi_fiere_terme_parchi"),
        Some("8230"),
        Some(2000),
        roma,
        now,
    )
    .await?;
    let comune = utilizzatore(
        conn,
        None,
        Some(c.comune),
        "cpo",
        Some("pubblica_amministrazione"),
        Some("8411"),
        Some(12000),
        roma,
        now,
    )
    .await?;
    let agricola =
        utilizzatore(conn, None, Some(c.agricola), "cpo", Some("agricoltura"), Some("0111"), Some(300), roma, now)
            .await?;

    let paolo = prestatore(conn, c.paolo, Some("IT60X0542811101000000123456"), None, roma, now).await?;
    let giovanni = prestatore(conn, c.giovanni, None, Some(("pensionato", d(2015, 3, 1)?, None)), roma, now).await?;
    let sara = prestatore(
        conn,
        c.sara,
        Some("IT02L1234512345123456789012"),
        Some(("studente", d(2021, 9, 1)?, Some(d(y + 1, 6, 30)?))),
        roma,
        now,
    )
    .await?;
    let marco = prestatore(conn, c.marco, None, Some(("disoccupato", d(2020, 1, 1)?, None)), roma, now).await?;
    let lucia =
        prestatore(conn, c.lucia, None, Some(("sostegno_reddito", d(2022, 1, 1)?, Some(d(2023, 12, 31)?))), roma, now)
            .await?;
    let elena = prestatore(conn, c.elena, None, None, roma, now).await?;

    // Paolo worked for Rossi & Figli until two months ago: a forbidden pair for six months.
    sqlx::query("INSERT INTO rapporti_lavoro (utilizzatore_id, prestatore_id, tipo, dal, al) VALUES ($1, $2, 'subordinato', $3, $4)")
        .bind(rossi.id)
        .bind(paolo.0)
        .bind(d(2019, 1, 1)?.to_string())
        .bind((today - Duration::days(60)).to_string())
        .execute(&mut *conn)
        .await?;

    // Funding: ELIDE and EP lines, one pagoPA receipt, and three unmatched lines.
    let gennaio = d(2022, 1, 10)?;
    let anna_cf = cf_persona(conn, c.anna).await?;
    f24(conn, "DEMO-0001", "ELIDE", &anna_cf, "LIFA", "", 4000, gennaio).await?;
    let cf_02 = cf_azienda(conn, c.rossi).await?;
    f24(conn, "DEMO-0002", "ELIDE", &cf_02, "CLOC", "", 30000, gennaio).await?;
    let cf_03 = cf_azienda(conn, c.hotel).await?;
    f24(conn, "DEMO-0003", "ELIDE", &cf_03, "CLOC", "", 8000, gennaio).await?;
    let cf_04 = cf_azienda(conn, c.eventi).await?;
    f24(conn, "DEMO-0004", "ELIDE", &cf_04, "CLOC", "", 25000, gennaio).await?;
    let cf_05 = cf_azienda(conn, c.comune).await?;
    f24(conn, "DEMO-0005", "EP", &cf_05, "CLOC", "0001", 5000, gennaio).await?;
    let cf_06 = cf_azienda(conn, c.agricola).await?;
    f24(conn, "DEMO-0006", "ELIDE", &cf_06, "CLOC", "", 3000, gennaio).await?;
    let recente = today - Duration::days(20);
    let cf_07 = cf_persona(conn, c.mario).await?;
    f24(conn, "DEMO-0007", "ELIDE", &cf_07, "CLOC", "", 1200, recente).await?;
    f24(conn, "DEMO-0008", "ELIDE", &anna_cf, "CLOC", "", 300, recente).await?;
    f24(conn, "DEMO-0009", "ELIDE", "RSSMRA85T10A562S", "LIFA", "", 50, recente).await?;
    sqlx::query(
        "INSERT INTO versamenti (canale, riferimento, codice_fiscale, causale, anno, importo_cents, data_versamento, utilizzatore_id, stato, created_at)
         VALUES ('pagopa', 'PAGOPA-DEMO0000000000000001', $1, 'LIFA', $2, 10000, $3, $4, 'accreditato', $5)",
    )
    .bind(&anna_cf)
    .bind(i64::from(y))
    .bind(recente.to_string())
    .bind(anna.id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + 10000 WHERE id = $1")
        .bind(anna.id)
        .execute(&mut *conn)
        .await?;

    let cpo = |compenso: i64, minuti: i64| Tipo::Cpo { compenso, minuti, finalita: None };
    // 2022: agriculture still allowed, the old 5,000 limits.
    for day in [6, 7, 8] {
        prestazione(conn, &agricola, &marco, d(2022, 6, day)?, cpo(8000, 480)).await?;
    }
    prestazione(conn, &rossi, &giovanni, d(2022, 3, 14)?, cpo(4000, 240)).await?;
    prestazione(conn, &anna, &paolo, d(2022, 5, 20)?, Tipo::Lf { titoli: 3, minuti: 180 }).await?;
    prestazione(conn, &hotel, &lucia, d(2022, 8, 12)?, cpo(8000, 480)).await?;
    // 2023.
    prestazione(conn, &eventi, &sara, d(2023, 6, 10)?, cpo(6000, 360)).await?;
    prestazione(conn, &hotel, &lucia, d(2023, 8, 12)?, cpo(8000, 480)).await?;
    prestazione(conn, &anna, &paolo, d(2023, 2, 11)?, Tipo::Lf { titoli: 4, minuti: 240 }).await?;

    // This year. Anna and Paolo: 270 of the 280 hours of the pair.
    for k in 0..27u64 {
        let giorno = d(y, 1, 7)? + Duration::days(9 * k as i64);
        prestazione(conn, &anna, &paolo, giorno, Tipo::Lf { titoli: 10, minuti: 600 }).await?;
    }
    // Rossi & Figli: 9,700 of its 10,000 (special categories at 75 %); Lucia at 2,450 of the
    // pair's 2,500; Giovanni with the hotel too, at 4,900 of his 5,000.
    let base = d(y, 2, 2)?;
    for (p, rate) in [(&lucia, 5), (&elena, 5), (&giovanni, 5), (&sara, 5)] {
        for k in 0..rate {
            prestazione(conn, &rossi, p, base + Duration::days(7 * k + p.0 % 5), cpo(49000, 480)).await?;
        }
    }
    for k in 0..3 {
        prestazione(conn, &rossi, &marco, base + Duration::days(30 + 7 * k), cpo(50000, 480)).await?;
    }
    for k in 0..5 {
        prestazione(conn, &hotel, &giovanni, d(y, 4, 3)? + Duration::days(7 * k), cpo(49000, 480)).await?;
    }
    prestazione(conn, &eventi, &sara, d(y, 5, 16)?, cpo(50000, 480)).await?;
    let pa = Tipo::Cpo { compenso: 20000, minuti: 480, finalita: Some(FinalitaPa::Manifestazioni) };
    prestazione(conn, &comune, &marco, d(y, 6, 21)?, pa).await?;
    // A revoked one (the work did not happen), and one tomorrow that can still be revoked.
    let revocata = prestazione(conn, &hotel, &elena, d(y, 3, 9)?, cpo(3600, 240)).await?;
    let costo: i64 =
        sqlx::query("UPDATE prestazioni SET stato = 'revocata', revocata_at = $1 WHERE id = $2 RETURNING costo_cents")
            .bind(now)
            .bind(revocata)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + $1 WHERE id = $2")
        .bind(costo)
        .bind(hotel.id)
        .execute(&mut *conn)
        .await?;
    prestazione(conn, &hotel, &elena, today + Duration::days(1), cpo(3600, 240)).await?;

    // The closed months are paid, as the monthly run would have done.
    let months = sqlx::query("SELECT DISTINCT prestatore_id, SUBSTR(giorno, 1, 7) AS mese FROM prestazioni WHERE stato = 'inserita' ORDER BY 2, 1")
        .fetch_all(&mut *conn)
        .await?;
    let actor = Actor::system("dati_dimostrativi");
    for r in months {
        let mese: String = r.try_get("mese")?;
        let first = NaiveDate::parse_from_str(&format!("{mese}-01"), "%Y-%m-%d")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let last = first.checked_add_months(Months::new(1)).and_then(|x| x.pred_opt()).unwrap_or(first);
        if chiusura_mese(last, 3) < today {
            paga_prestatore(conn, &actor, r.try_get("prestatore_id")?, first, last, today).await?;
        }
    }
    // The demo's branch and head-office operators work the portal; the regional one does not.
    sqlx::query(
        "UPDATE users SET profilo_presto = 1 WHERE username IN ('operatore.sede', 'operatore.milano', 'operatore.dg')",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
