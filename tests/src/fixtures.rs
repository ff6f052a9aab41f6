//! Builders for the data a test needs, so that a test names what it depends on instead of
//! relying on the demo seed's companies: a person, a company with its position and legal
//! representative, a delega, a user who can log in.
//!
//! ```ignore
//! let mario = fixtures::persona(&app, "Mario", "Neri").await;
//! let ditta = fixtures::Azienda::new("Neri Costruzioni S.r.l.").rappresentata_da(&mario).crea(&app).await;
//! let client = fixtures::utente(&app, "mario.neri", "datore", Some(&mario)).await;
//! ```

use crate::TestApp;
use chrono::{Duration, NaiveDate};
use reqwest::Client;
use sqlx::Row;
use std::sync::atomic::{AtomicU32, Ordering};

/// Makes every generated identifier unique within the test run (several tests share a process).
static NEXT: AtomicU32 = AtomicU32::new(1);

fn next() -> u32 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn now() -> String {
    server::infra::clock::now_ts()
}

/// The id of a sede of the demo's reference data (`1300` Roma Eur, `4900` Milano…).
pub async fn sede(app: &TestApp, codice: &str) -> i64 {
    sqlx::query("SELECT id FROM sedi WHERE codice = $1")
        .bind(codice)
        .fetch_one(&app.db.read)
        .await
        .unwrap_or_else(|e| panic!("sede {codice}: {e}"))
        .try_get(0)
        .expect("id")
}

pub struct Persona {
    pub id: i64,
    pub codice_fiscale: String,
}

/// A person with a valid codice fiscale, unique in the run.
pub async fn persona(app: &TestApp, nome: &str, cognome: &str) -> Persona {
    let n = next();
    let nascita = NaiveDate::from_ymd_opt(1960, 1, 1).expect("day") + Duration::days(n as i64);
    let cf = server::seed::codice_fiscale(nome, cognome, nascita, false, "H501");
    let id: i64 = sqlx::query(
        "INSERT INTO persone (codice_fiscale, nome, cognome, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(&cf)
    .bind(nome)
    .bind(cognome)
    .bind(now())
    .fetch_one(&app.db.write)
    .await
    .expect("persona")
    .try_get(0)
    .expect("id");
    Persona { id, codice_fiscale: cf }
}

/// A company as a test needs it; `crea` stores it with one active position.
pub struct Azienda<'a> {
    ragione: String,
    natura: &'a str,
    sede: &'a str,
    pec: Option<String>,
    obbligo_pec_registro_imprese: bool,
    rappresentante: Option<&'a Persona>,
}

pub struct AziendaCreata {
    pub id: i64,
    pub codice_fiscale: String,
    pub posizione_id: i64,
    pub matricola: String,
}

impl<'a> Azienda<'a> {
    pub fn new(ragione: &str) -> Self {
        Azienda {
            ragione: ragione.into(),
            natura: "SRL",
            sede: "1300",
            pec: None,
            obbligo_pec_registro_imprese: true,
            rappresentante: None,
        }
    }
    pub fn natura(mut self, natura: &'a str) -> Self {
        self.natura = natura;
        self
    }
    pub fn sede(mut self, codice: &'a str) -> Self {
        self.sede = codice;
        self
    }
    pub fn pec(mut self, pec: &str) -> Self {
        self.pec = Some(pec.into());
        self
    }
    /// Not obliged to register its PEC at the Registro Imprese (e.g. an association).
    pub fn senza_obbligo_pec(mut self) -> Self {
        self.obbligo_pec_registro_imprese = false;
        self
    }
    /// Its legal representative since two years ago.
    pub fn rappresentata_da(mut self, p: &'a Persona) -> Self {
        self.rappresentante = Some(p);
        self
    }

    pub async fn crea(self, app: &TestApp) -> AziendaCreata {
        let n = next();
        let sede = sede(app, self.sede).await;
        // A partita IVA with its check digit, used as the company's codice fiscale.
        let first10 = format!("{:010}", 9_000_000_000u64 + n as u64);
        let check = shared::ids::luhn_it_check_digit(first10.as_bytes()).expect("check digit");
        let cf = format!("{first10}{check}");
        let now = now();
        let id: i64 = sqlx::query(
            "INSERT INTO contribuenti (codice_fiscale, partita_iva, ragione_sociale, natura_giuridica, pec,
                                       obbligo_pec_registro_imprese, sede_id, created_at, updated_at)
             VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&cf)
        .bind(&self.ragione)
        .bind(self.natura)
        .bind(self.pec.clone())
        .bind(self.obbligo_pec_registro_imprese as i64)
        .bind(sede)
        .bind(&now)
        .fetch_one(&app.db.write)
        .await
        .expect("contribuente")
        .try_get(0)
        .expect("id");
        let matricola = format!("{:010}", 8_000_000_000u64 + n as u64);
        let dal = day(server::infra::clock::today() - Duration::days(730));
        let posizione_id: i64 = sqlx::query(
            "INSERT INTO posizioni (contribuente_id, matricola, stato, stato_dal, sede_id, created_at, updated_at)
             VALUES ($1, $2, 1, $3, $4, $5, $5) RETURNING id",
        )
        .bind(id)
        .bind(&matricola)
        .bind(&dal)
        .bind(sede)
        .bind(&now)
        .fetch_one(&app.db.write)
        .await
        .expect("posizione")
        .try_get(0)
        .expect("id");
        sqlx::query("INSERT INTO posizioni_stati (posizione_id, stato, dal, created_at) VALUES ($1, 1, $2, $3)")
            .bind(posizione_id)
            .bind(&dal)
            .bind(&now)
            .execute(&app.db.write)
            .await
            .expect("storia");
        if let Some(p) = self.rappresentante {
            sqlx::query(
                "INSERT INTO soggetti_collegati (contribuente_id, persona_id, ruolo, rappresentante_legale, certificato, dal,
                                                 created_at, updated_at)
                 VALUES ($1, $2, 'legale_rappresentante', 1, 1, $3, $4, $4)",
            )
            .bind(id)
            .bind(p.id)
            .bind(&dal)
            .bind(&now)
            .execute(&app.db.write)
            .await
            .expect("rappresentante legale");
        }
        AziendaCreata { id, codice_fiscale: cf, posizione_id, matricola }
    }
}

/// A delega of `ruolo` (`intermediario` or `dipendente`) from `azienda` to `delegato`, in force
/// from `dal` to `al` (None: no end).
pub async fn delega(
    app: &TestApp,
    delegato: &Persona,
    azienda: &AziendaCreata,
    ruolo: &str,
    dal: NaiveDate,
    al: Option<NaiveDate>,
) -> i64 {
    sqlx::query(
        "INSERT INTO deleghe (delegato_persona_id, contribuente_id, ruolo, data_inizio, data_fine, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(delegato.id)
    .bind(azienda.id)
    .bind(ruolo)
    .bind(day(dal))
    .bind(al.map(day))
    .bind(now())
    .fetch_one(&app.db.write)
    .await
    .expect("delega")
    .try_get(0)
    .expect("id")
}

/// The password of every user the builders create.
pub const PASSWORD: &str = "Prova-di-test-2026";

/// A user of `role` (as stored: `datore`, `intermediario`, `operatore_sede`…), logged in: the
/// client keeps its session cookie.
pub async fn utente(app: &TestApp, username: &str, role: &str, persona: Option<&Persona>) -> Client {
    let hash = server::identity::auth::hash_password(PASSWORD).expect("hash");
    sqlx::query(
        "INSERT INTO users (username, password_hash, display_name, role, persona_id, created_at, updated_at)
         VALUES ($1, $2, $1, $3, $4, $5, $5)",
    )
    .bind(username)
    .bind(hash)
    .bind(role)
    .bind(persona.map(|p| p.id))
    .bind(now())
    .execute(&app.db.write)
    .await
    .expect("utente");
    let c = app.client();
    let r = app.login(&c, username, PASSWORD).await;
    assert!(r.status().is_success(), "login di {username}: {}", r.status());
    c
}

/// The workforce a position declared in UniEmens for `periodo` (`AAAA-MM`): full-time workers,
/// part-time workers and their full-time equivalent in hundredths, apprentices.
pub async fn forza_lavoro(app: &TestApp, posizione_id: i64, periodo: &str, forza: (i64, i64, i64, i64)) {
    sqlx::query(
        "INSERT INTO uniemens_forza_lavoro (posizione_id, periodo, tempo_pieno, part_time, part_time_centesimi,
                                            apprendisti, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(posizione_id)
    .bind(periodo)
    .bind(forza.0)
    .bind(forza.1)
    .bind(forza.2)
    .bind(forza.3)
    .bind(now())
    .execute(&app.db.write)
    .await
    .expect("forza lavoro");
}

/// A maternity leave of an employee of the position, from `dal` to `al`, for a child born on
/// `evento`; returns its id.
pub async fn congedo(
    app: &TestApp,
    posizione_id: i64,
    cf: &str,
    dal: NaiveDate,
    al: NaiveDate,
    evento: NaiveDate,
) -> i64 {
    sqlx::query(
        "INSERT INTO congedi (posizione_id, codice_fiscale_lavoratore, nominativo, tipo, dal, al, data_evento, created_at)
         VALUES ($1, $2, 'Lavoratrice in congedo', 'maternita', $3, $4, $5, $6) RETURNING id",
    )
    .bind(posizione_id)
    .bind(cf)
    .bind(day(dal))
    .bind(day(al))
    .bind(day(evento))
    .bind(now())
    .fetch_one(&app.db.write)
    .await
    .expect("congedo")
    .try_get(0)
    .expect("id")
}
