//! Deterministic demo data: the same seed and the same day give the same data.
//!
//! The named demo accounts (one per role) are always created, with deleghe that are active,
//! expired and revoked relative to the day of seeding; `scale` adds `scale × 1,000` generated
//! companies with positions in every state, legal representatives and intermediaries' deleghe,
//! inserted in batches so a million-row table takes seconds, not minutes.

mod posizioni;
mod presto;
pub mod presto_scala;

use crate::error::{AppError, AppResult};
use crate::identity::auth::hash_password;
use crate::infra::clock;
use crate::infra::db::{Db, Engine, dialect};
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use shared::ids::luhn_it_check_digit;
use shared::periodo::Periodo;
use sqlx::{AnyConnection, Row};
use std::collections::HashSet;

pub const DEMO_PASSWORD: &str = "Sportello2026!";

/// The demo accounts printed by `cargo xtask run`: (user name, role label, what to try).
pub const DEMO_LOGINS: &[(&str, &str, &str)] = &[
    ("datore", "Datore di lavoro", "rappresentante legale di due aziende"),
    ("intermediario", "Intermediario (consulente del lavoro)", "deleghe attive, una scaduta, una revocata"),
    ("dipendente", "Dipendente delegato", "delega a dipendente per un'azienda"),
    ("utilizzatore", "Utilizzatore Libretto Famiglia", ""),
    ("prestatore", "Prestatore", ""),
    ("operatore.sede", "Operatore di sede (Roma Eur)", ""),
    ("operatore.regionale", "Operatore regionale (Lazio)", ""),
    ("operatore.dg", "Operatore Direzione Generale", ""),
    ("admin.idm", "Amministratore profilazione (IDM)", "assegna ruoli e sedi agli operatori"),
];

const SEDI: &[(&str, &str, &str)] = &[
    ("1300", "Roma Eur", "Lazio"),
    ("1301", "Roma Tuscolano", "Lazio"),
    ("1400", "Latina", "Lazio"),
    ("4900", "Milano Nord", "Lombardia"),
    ("4901", "Milano Missori", "Lombardia"),
    ("5000", "Bergamo", "Lombardia"),
    ("8300", "Napoli", "Campania"),
    ("8400", "Salerno", "Campania"),
    ("2100", "Torino", "Piemonte"),
    ("3700", "Bologna", "Emilia-Romagna"),
    ("5500", "Firenze", "Toscana"),
    ("9100", "Palermo", "Sicilia"),
];

const SURNAMES: &[&str] = &[
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
];
const MALE: &[&str] =
    &["Mario", "Luca", "Giuseppe", "Marco", "Andrea", "Francesco", "Alessandro", "Paolo", "Stefano", "Davide"];
const FEMALE: &[&str] =
    &["Giulia", "Anna", "Francesca", "Chiara", "Sara", "Laura", "Valentina", "Elena", "Martina", "Paola"];
const ACTIVITIES: &[&str] = &[
    "Logistica",
    "Ristorazione",
    "Servizi",
    "Impianti",
    "Trasporti",
    "Alimentari",
    "Edilizia",
    "Informatica",
    "Meccanica",
    "Tessile",
    "Consulenze",
    "Arredamenti",
];
/// Belfiore codes of the sedi's cities (birth places of generated people).
const PLACES: &[&str] = &["H501", "F205", "F839", "L219", "A944", "D612", "G273", "A794", "E472", "H703"];

/// The personal codice fiscale as the Agenzia delle Entrate computes it (without omocodia).
pub fn codice_fiscale(nome: &str, cognome: &str, nascita: NaiveDate, femmina: bool, luogo: &str) -> String {
    shared::codice_fiscale::calcola(cognome, nome, nascita, femmina, luogo)
}

fn numeric_cf(rng: &mut StdRng, used: &mut HashSet<String>) -> String {
    loop {
        let body = format!("{:07}{:03}", rng.gen_range(0..10_000_000u32), rng.gen_range(1..=100u32));
        let d = luhn_it_check_digit(body.as_bytes()).unwrap_or(0);
        let cf = format!("{body}{d}");
        if used.insert(cf.clone()) {
            return cf;
        }
    }
}

#[derive(Clone, Debug)]
enum V {
    I(i64),
    T(String),
    N,
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}
fn ot(s: Option<String>) -> V {
    s.map(V::T).unwrap_or(V::N)
}

/// Multi-row INSERT in large chunks (each statement is a round trip to the driver's worker
/// thread), under both engines' parameter limits. Values are moved into the query, not cloned.
async fn insert_rows(
    engine: Engine,
    conn: &mut AnyConnection,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<V>>,
) -> AppResult<()> {
    let per_stmt = (30_000 / cols.len()).max(1);
    let mut sql_cache: Option<(usize, String)> = None;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<V>> = rows.by_ref().take(per_stmt).collect();
        if sql_cache.as_ref().is_none_or(|(n, _)| *n != chunk.len()) {
            let values = dialect::Params::new(engine).rows(chunk.len(), cols.len());
            let sql = format!("INSERT INTO {table} ({}) VALUES {values}", cols.join(", "));
            sql_cache = Some((chunk.len(), sql));
        }
        let sql = sql_cache.as_ref().map(|(_, s)| s.as_str()).unwrap_or_default();
        let mut q = sqlx::query(sql);
        for v in chunk.into_iter().flatten() {
            q = match v {
                V::I(i) => q.bind(i),
                V::T(s) => q.bind(s),
                V::N => q.bind(Option::<String>::None),
            };
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn next_id(conn: &mut AnyConnection, table: &str) -> AppResult<i64> {
    let max: Option<i64> =
        sqlx::query(&format!("SELECT MAX(id) FROM {table}")).fetch_one(&mut *conn).await?.try_get(0)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Ids and rows being built, one vector per table.
#[derive(Default)]
struct Batch {
    persone: Vec<Vec<V>>,
    contribuenti: Vec<Vec<V>>,
    posizioni: Vec<Vec<V>>,
    stati: Vec<Vec<V>>,
    collegati: Vec<Vec<V>>,
    intermediari: Vec<Vec<V>>,
    deleghe: Vec<Vec<V>>,
    next_persona: i64,
    next_contribuente: i64,
    next_posizione: i64,
    next_stato: i64,
    next_collegato: i64,
    next_intermediario: i64,
    next_delega: i64,
    next_matricola: u64,
}

struct Company<'a> {
    ragione: &'a str,
    natura: &'a str,
    sede_id: i64,
    lr: i64,
    lr_ruolo: &'a str,
    states: &'a [i64],
}

struct Validity {
    inizio: String,
    fine: Option<String>,
    revocata: Option<String>,
}

struct DemoUser<'a> {
    username: &'a str,
    name: &'a str,
    role: &'a str,
    persona: Option<i64>,
    sede_id: Option<i64>,
    regione: Option<&'a str>,
}

struct Gen {
    rng: StdRng,
    today: NaiveDate,
    now: String,
    used_cf: HashSet<String>,
    sede_ids: Vec<i64>,
}

impl Gen {
    fn d(&self, days_ago: i64) -> String {
        (self.today - Duration::days(days_ago)).format("%Y-%m-%d").to_string()
    }

    fn persona(
        &mut self,
        b: &mut Batch,
        nome: &str,
        cognome: &str,
        femmina: bool,
        email: Option<String>,
    ) -> (i64, String) {
        let id = b.next_persona;
        b.next_persona += 1;
        let cf = loop {
            let nascita = NaiveDate::from_ymd_opt(
                self.rng.gen_range(1950..2004),
                self.rng.gen_range(1..=12),
                self.rng.gen_range(1..=28),
            )
            .unwrap_or(self.today);
            let luogo = PLACES[self.rng.gen_range(0..PLACES.len())];
            let cf = codice_fiscale(nome, cognome, nascita, femmina, luogo);
            if self.used_cf.insert(cf.clone()) {
                break cf;
            }
        };
        b.persone.push(vec![V::I(id), t(&cf), t(nome), t(cognome), ot(email), V::N, V::N, t(&self.now), t(&self.now)]);
        (id, cf)
    }

    fn random_persona(&mut self, b: &mut Batch) -> i64 {
        let femmina = self.rng.gen_bool(0.45);
        let nome =
            if femmina { FEMALE.choose(&mut self.rng) } else { MALE.choose(&mut self.rng) }.copied().unwrap_or("Mario");
        let cognome = SURNAMES.choose(&mut self.rng).copied().unwrap_or("Rossi");
        self.persona(b, nome, cognome, femmina, None).0
    }

    /// A company with 1–2 positions (states spread over all six), its legal representative and
    /// the state history. Returns the company id.
    fn company(&mut self, b: &mut Batch, c: Company<'_>) -> i64 {
        let Company { ragione, natura, sede_id, lr, lr_ruolo, states } = c;
        let id = b.next_contribuente;
        b.next_contribuente += 1;
        let cf = numeric_cf(&mut self.rng, &mut self.used_cf);
        // The id keeps every PEC distinct: generated names repeat, and a PEC is one company's.
        let slug: String = ragione.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).take(20).collect();
        let slug = format!("{slug}{id}");
        let obbligo = if natura == "ASSOCIAZIONE" { 0 } else { 1 };
        b.contribuenti.push(vec![
            V::I(id),
            t(&cf),
            t(&cf),
            t(ragione),
            t(natura),
            t(format!("amministrazione@pec.{slug}.it")),
            V::I(obbligo),
            V::I(sede_id),
            t(&self.now),
            t(&self.now),
        ]);
        let start_days = self.rng.gen_range(400..6000);
        b.collegati.push(vec![
            V::I(b.next_collegato),
            V::I(id),
            V::I(lr),
            t(lr_ruolo),
            V::I(if lr_ruolo == "titolare" { 0 } else { 1 }),
            V::I(if self.rng.gen_bool(0.7) { 1 } else { 0 }),
            t(self.d(start_days)),
            V::N,
            t(&self.now),
            t(&self.now),
        ]);
        b.next_collegato += 1;
        for &stato in states {
            let pid = b.next_posizione;
            b.next_posizione += 1;
            b.next_matricola += 1 + self.rng.gen_range(0..7);
            let matricola = format!("{:010}", b.next_matricola);
            // History: active from the start, then the path that leads to the current state.
            let path: &[i64] = match stato {
                1 => &[1],
                2 => &[1, 2],
                3 => &[1, 2, 3],
                4 => &[1, 4],
                5 => &[1, 4, 5],
                _ => &[1, 6],
            };
            let mut days = start_days;
            let mut since = self.d(days);
            for (k, &s) in path.iter().enumerate() {
                let from = self.d(days);
                let next_days = if k + 1 < path.len() { self.rng.gen_range(30..days.max(31)) } else { 0 };
                let al = if k + 1 < path.len() { V::T(self.d(next_days + 1)) } else { V::N };
                b.stati.push(vec![V::I(b.next_stato), V::I(pid), V::I(s), t(&from), al, t(&self.now)]);
                b.next_stato += 1;
                since = from;
                days = next_days;
            }
            b.posizioni.push(vec![
                V::I(pid),
                V::I(id),
                t(matricola),
                V::I(stato),
                t(since),
                V::I(sede_id),
                t(&self.now),
                t(&self.now),
            ]);
        }
        id
    }

    fn delega(&mut self, b: &mut Batch, delegato: i64, contribuente: i64, ruolo: &str, v: Validity) {
        let Validity { inizio, fine, revocata } = v;
        let documento = format!("DLG-{}-{:06}", inizio.get(..4).unwrap_or("0000"), b.next_delega);
        b.deleghe.push(vec![
            V::I(b.next_delega),
            V::I(delegato),
            V::I(contribuente),
            t(ruolo),
            t(inizio),
            ot(fine),
            ot(revocata),
            t(&self.now),
            t(&self.now),
            t(&documento),
        ]);
        b.next_delega += 1;
    }

    fn random_company(&mut self, b: &mut Batch) -> i64 {
        let lr = self.random_persona(b);
        let surname = SURNAMES.choose(&mut self.rng).copied().unwrap_or("Rossi");
        let activity = ACTIVITIES.choose(&mut self.rng).copied().unwrap_or("Servizi");
        let (natura, ragione) = match self.rng.gen_range(0..6) {
            0 => ("SPA", format!("{surname} {activity} S.p.A.")),
            1 => (
                "SNC",
                format!("{surname} & {} {activity} S.n.c.", SURNAMES.choose(&mut self.rng).copied().unwrap_or("Bruno")),
            ),
            2 => ("DI", format!("{activity} {surname}")),
            3 => ("ASSOCIAZIONE", format!("Associazione {activity} {surname}")),
            _ => ("SRL", format!("{surname} {activity} S.r.l.")),
        };
        let sede = self.sede_ids[self.rng.gen_range(0..self.sede_ids.len())];
        let weights = [(1, 60), (2, 8), (3, 5), (4, 12), (5, 10), (6, 5)];
        let mut pick = || {
            let mut x = self.rng.gen_range(0..100);
            for (s, w) in weights {
                if x < w {
                    return s;
                }
                x -= w;
            }
            1
        };
        let n = if pick() % 2 == 0 { 2 } else { 1 };
        let states: Vec<i64> = (0..n).map(|_| pick()).collect();
        let ruolo = if natura == "DI" { "titolare" } else { "legale_rappresentante" };
        self.company(b, Company { ragione: &ragione, natura, sede_id: sede, lr, lr_ruolo: ruolo, states: &states })
    }
}

async fn flush(engine: Engine, conn: &mut AnyConnection, b: &mut Batch) -> AppResult<()> {
    const P: &[&str] =
        &["id", "codice_fiscale", "nome", "cognome", "email", "pec", "telefono", "created_at", "updated_at"];
    const C: &[&str] = &[
        "id",
        "codice_fiscale",
        "partita_iva",
        "ragione_sociale",
        "natura_giuridica",
        "pec",
        "obbligo_pec_registro_imprese",
        "sede_id",
        "created_at",
        "updated_at",
    ];
    const POS: &[&str] =
        &["id", "contribuente_id", "matricola", "stato", "stato_dal", "sede_id", "created_at", "updated_at"];
    const ST: &[&str] = &["id", "posizione_id", "stato", "dal", "al", "created_at"];
    const SC: &[&str] = &[
        "id",
        "contribuente_id",
        "persona_id",
        "ruolo",
        "rappresentante_legale",
        "certificato",
        "dal",
        "al",
        "created_at",
        "updated_at",
    ];
    const I: &[&str] = &[
        "id",
        "persona_id",
        "tipo",
        "denominazione",
        "email",
        "pec",
        "telefono",
        "cellulare",
        "created_at",
        "updated_at",
    ];
    const D: &[&str] = &[
        "id",
        "delegato_persona_id",
        "contribuente_id",
        "ruolo",
        "data_inizio",
        "data_fine",
        "revocata_dal",
        "created_at",
        "updated_at",
        "documento",
    ];
    insert_rows(engine, conn, "persone", P, std::mem::take(&mut b.persone)).await?;
    insert_rows(engine, conn, "contribuenti", C, std::mem::take(&mut b.contribuenti)).await?;
    insert_rows(engine, conn, "posizioni", POS, std::mem::take(&mut b.posizioni)).await?;
    insert_rows(engine, conn, "posizioni_stati", ST, std::mem::take(&mut b.stati)).await?;
    insert_rows(engine, conn, "soggetti_collegati", SC, std::mem::take(&mut b.collegati)).await?;
    insert_rows(engine, conn, "intermediari", I, std::mem::take(&mut b.intermediari)).await?;
    insert_rows(engine, conn, "deleghe", D, std::mem::take(&mut b.deleghe)).await?;
    Ok(())
}

const TABLES: &[&str] = &[
    "sedi",
    "persone",
    "contribuenti",
    "posizioni",
    "posizioni_stati",
    "soggetti_collegati",
    "intermediari",
    "deleghe",
    "utilizzatori",
    "prestatori",
    "users",
];

async fn new_batch(conn: &mut AnyConnection) -> AppResult<Batch> {
    let max_matricola: Option<String> =
        sqlx::query("SELECT MAX(matricola) FROM posizioni").fetch_one(&mut *conn).await?.try_get(0)?;
    Ok(Batch {
        next_persona: next_id(conn, "persone").await?,
        next_contribuente: next_id(conn, "contribuenti").await?,
        next_posizione: next_id(conn, "posizioni").await?,
        next_stato: next_id(conn, "posizioni_stati").await?,
        next_collegato: next_id(conn, "soggetti_collegati").await?,
        next_intermediario: next_id(conn, "intermediari").await?,
        next_delega: next_id(conn, "deleghe").await?,
        next_matricola: max_matricola.and_then(|m| m.parse().ok()).unwrap_or(1_000_000_000),
        ..Default::default()
    })
}

async fn reset_sequences(db: &Db, conn: &mut AnyConnection) -> AppResult<()> {
    for table in TABLES {
        if let Some(sql) = dialect::reset_sequence(db.engine, table) {
            sqlx::query(&sql).fetch_all(&mut *conn).await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    pub seeded_demo: bool,
    pub companies_added: i64,
}

/// Seeds the demo accounts once (marked in `app_meta`), then `scale × 1,000` generated companies.
pub async fn seed(db: &Db, scale: u32, rng_seed: u64) -> AppResult<SeedReport> {
    let mut report = SeedReport::default();
    let mut conn = db.write.acquire().await?;
    let seeded: Option<String> = sqlx::query("SELECT value FROM app_meta WHERE key = 'demo_seeded'")
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    drop(conn);
    if seeded.is_none() {
        seed_demo(db, rng_seed).await?;
        report.seeded_demo = true;
    }
    if scale > 0 {
        report.companies_added = seed_scale(db, scale, rng_seed.wrapping_add(1 + scale as u64)).await?;
    }
    Ok(report)
}

async fn seed_demo(db: &Db, rng_seed: u64) -> AppResult<()> {
    let mut tx = db.write.begin().await?;
    let now = clock::now_ts();
    let sedi = insert_sedi(&mut tx).await?;
    let mut g = Gen {
        rng: StdRng::seed_from_u64(rng_seed),
        today: clock::today(),
        now: now.clone(),
        used_cf: HashSet::new(),
        sede_ids: sedi.ids.clone(),
    };
    let mut b = new_batch(&mut tx).await?;
    let cast = named_people_and_companies(&mut g, &mut b, &sedi)?;
    demo_deleghe(&mut g, &mut b, &cast);
    background(&mut g, &mut b);
    flush(db.engine, &mut tx, &mut b).await?;
    let Cast { rossi, trattoria, gallo, giulia, conti, anna, paolo, mario, presto: pc, .. } = cast;
    seed_contributions(&mut tx, g.today, &now, Demo { rossi, trattoria, gallo, giulia, conti }).await?;
    demo_users(&mut tx, &cast, &sedi, &now).await?;
    let pcast = presto::PrestoCast {
        anna,
        paolo,
        giovanni: pc.giovanni,
        sara: pc.sara,
        marco: pc.marco,
        lucia: pc.lucia,
        elena: pc.elena,
        mario,
        rossi,
        hotel: pc.hotel,
        eventi: pc.eventi,
        comune: pc.comune,
        agricola: pc.agricola,
        roma: sedi.id("1300")?,
    };
    presto::seed(&mut tx, pcast, g.today, &now).await?;
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ('demo_seeded', $1)").bind(&now).execute(&mut *tx).await?;
    reset_sequences(db, &mut tx).await?;
    let aziende = posizioni::Aziende { rossi, trattoria, gallo, assoc: cast.assoc, verdi: cast.verdi };
    posizioni::seed(&mut tx, g.today, &now, aziende).await?;
    tx.commit().await?;
    Ok(())
}

/// The sedi of the demo, by id and by code.
struct Sedi {
    ids: Vec<i64>,
    by_code: std::collections::HashMap<String, i64>,
}

impl Sedi {
    fn id(&self, code: &str) -> AppResult<i64> {
        self.by_code.get(code).copied().ok_or_else(|| AppError::Internal(format!("sede {code}")))
    }
}

async fn insert_sedi(conn: &mut AnyConnection) -> AppResult<Sedi> {
    for (codice, nome, regione) in SEDI {
        sqlx::query("INSERT INTO sedi (codice, nome, regione) VALUES ($1, $2, $3)")
            .bind(*codice)
            .bind(*nome)
            .bind(*regione)
            .execute(&mut *conn)
            .await?;
    }
    let rows = sqlx::query("SELECT id, codice FROM sedi ORDER BY codice").fetch_all(&mut *conn).await?;
    let mut sedi = Sedi { ids: vec![], by_code: Default::default() };
    for r in rows {
        let id: i64 = r.try_get("id")?;
        sedi.ids.push(id);
        sedi.by_code.insert(r.try_get("codice")?, id);
    }
    Ok(sedi)
}

/// The people and companies the README's demo logins act on.
#[derive(Clone, Copy)]
struct Cast {
    mario: i64,
    giulia: i64,
    luca: i64,
    anna: i64,
    paolo: i64,
    conti: i64,
    rossi: i64,
    trattoria: i64,
    verdi: i64,
    neri: i64,
    gallo: i64,
    assoc: i64,
    presto: PrestoCompanies,
}

/// The prestazioni occasionali's own people and companies (users of every CPO category,
/// prestatori of every special category).
#[derive(Clone, Copy)]
struct PrestoCompanies {
    giovanni: i64,
    sara: i64,
    marco: i64,
    lucia: i64,
    elena: i64,
    hotel: i64,
    eventi: i64,
    comune: i64,
    agricola: i64,
}

fn named_people_and_companies(g: &mut Gen, b: &mut Batch, sedi: &Sedi) -> AppResult<Cast> {
    let sede = |c: &str| sedi.id(c);
    // Named people of the demo.
    let (mario, _) = g.persona(b, "Mario", "Rossi", false, Some("mario.rossi@example.it".into()));
    let (giulia, _) = g.persona(b, "Giulia", "Bianchi", true, Some("studio.bianchi@example.it".into()));
    let (luca, _) = g.persona(b, "Luca", "Esposito", false, Some("luca.esposito@example.it".into()));
    let (anna, _) = g.persona(b, "Anna", "Ferrari", true, None);
    let (paolo, _) = g.persona(b, "Paolo", "Russo", false, None);
    let roma = sede("1300")?;
    let rossi = g.company(
        b,
        Company {
            ragione: "Rossi & Figli S.r.l.",
            natura: "SRL",
            sede_id: roma,
            lr: mario,
            lr_ruolo: "legale_rappresentante",
            states: &[1, 4],
        },
    );
    let trattoria = g.company(
        b,
        Company {
            ragione: "Trattoria da Mario di Rossi Mario",
            natura: "DI",
            sede_id: sede("1301")?,
            lr: mario,
            lr_ruolo: "titolare",
            states: &[5],
        },
    );
    let verdi_lr = g.random_persona(b);
    let verdi = g.company(
        b,
        Company {
            ragione: "Verdi Logistica S.p.A.",
            natura: "SPA",
            sede_id: sede("4900")?,
            lr: verdi_lr,
            lr_ruolo: "legale_rappresentante",
            states: &[1],
        },
    );
    let neri_lr = g.random_persona(b);
    let neri = g.company(
        b,
        Company {
            ragione: "Neri Impianti S.n.c.",
            natura: "SNC",
            sede_id: sede("8300")?,
            lr: neri_lr,
            lr_ruolo: "legale_rappresentante",
            states: &[1, 2],
        },
    );
    let gallo_lr = g.random_persona(b);
    let gallo = g.company(
        b,
        Company {
            ragione: "Gallo Trasporti S.r.l.",
            natura: "SRL",
            sede_id: roma,
            lr: gallo_lr,
            lr_ruolo: "legale_rappresentante",
            states: &[1],
        },
    );
    let assoc_lr = g.random_persona(b);
    let assoc = g.company(
        b,
        Company {
            ragione: "Associazione Sportiva Tuscolana",
            natura: "ASSOCIAZIONE",
            sede_id: sede("1301")?,
            lr: assoc_lr,
            lr_ruolo: "legale_rappresentante",
            states: &[4],
        },
    );
    // Rossi's former consultant: the delega ended, its PEC is still among the NdR contacts.
    let (conti, _) = g.persona(b, "Franco", "Marino", false, Some("studio.marino@example.it".into()));
    let presto_company = |g: &mut Gen, b: &mut Batch, ragione: &'static str, natura: &'static str| {
        let lr = g.random_persona(b);
        g.company(b, Company { ragione, natura, sede_id: roma, lr, lr_ruolo: "legale_rappresentante", states: &[1] })
    };
    let presto = PrestoCompanies {
        giovanni: g.persona(b, "Giovanni", "Colombo", false, None).0,
        sara: g.persona(b, "Sara", "Ricci", true, Some("sara.ricci@example.it".into())).0,
        marco: g.persona(b, "Marco", "Greco", false, None).0,
        lucia: g.persona(b, "Lucia", "Bruno", true, None).0,
        elena: g.persona(b, "Elena", "Gatti", true, None).0,
        hotel: presto_company(g, b, "Hotel Bellavista S.r.l.", "SRL"),
        eventi: presto_company(g, b, "Roma Fiere ed Eventi S.p.A.", "SPA"),
        comune: presto_company(g, b, "Comune di Colle Sereno", "ENTE_PUBBLICO"),
        agricola: presto_company(g, b, "Azienda Agricola Colli Albani", "DI"),
    };
    Ok(Cast { mario, giulia, luca, anna, paolo, conti, rossi, trattoria, verdi, neri, gallo, assoc, presto })
}

/// Giulia's studio and her deleghe (active, expired, revoked), Luca's delega a dipendente, the
/// former consultant's ended delega.
fn demo_deleghe(g: &mut Gen, b: &mut Batch, c: &Cast) {
    let Cast { giulia, luca, conti, rossi, verdi, neri, gallo, assoc, .. } = *c;
    let now = g.now.clone();
    b.intermediari.push(vec![
        V::I(b.next_intermediario),
        V::I(giulia),
        t("consulente_lavoro"),
        t("Studio Bianchi – Consulenti del lavoro"),
        t("studio.bianchi@example.it"),
        t("studio.bianchi@pec.example.it"),
        t("0612345678"),
        t("3331234567"),
        t(&now),
        t(&now),
    ]);
    b.next_intermediario += 1;
    // Giulia: active on three companies, expired on Verdi, revoked on Neri.
    g.delega(b, giulia, rossi, "intermediario", Validity { inizio: g.d(700), fine: None, revocata: None });
    g.delega(b, giulia, gallo, "intermediario", Validity { inizio: g.d(300), fine: Some(g.d(-365)), revocata: None });
    g.delega(b, giulia, assoc, "intermediario", Validity { inizio: g.d(90), fine: None, revocata: None });
    g.delega(b, giulia, verdi, "intermediario", Validity { inizio: g.d(800), fine: Some(g.d(30)), revocata: None });
    g.delega(b, giulia, neri, "intermediario", Validity { inizio: g.d(500), fine: None, revocata: Some(g.d(10)) });
    // Luca is an employee of Rossi & Figli with a delega a dipendente.
    g.delega(b, luca, rossi, "dipendente", Validity { inizio: g.d(200), fine: None, revocata: None });
    g.delega(b, conti, rossi, "intermediario", Validity { inizio: g.d(1500), fine: Some(g.d(120)), revocata: None });
}

/// Background companies, some followed by generated intermediaries.
fn background(g: &mut Gen, b: &mut Batch) {
    let now = g.now.clone();
    let mut companies = vec![];
    for _ in 0..60 {
        companies.push(g.random_company(b));
    }
    for k in 0..5 {
        let p = g.random_persona(b);
        b.intermediari.push(vec![
            V::I(b.next_intermediario),
            V::I(p),
            t(if k % 2 == 0 { "consulente_lavoro" } else { "caf" }),
            t(format!("Studio associato n. {}", k + 1)),
            V::N,
            V::N,
            V::N,
            V::N,
            t(&now),
            t(&now),
        ]);
        b.next_intermediario += 1;
        for c in companies.iter().skip(k * 12).take(12) {
            let fine = if g.rng.gen_bool(0.2) {
                let days = g.rng.gen_range(-700..200);
                Some(g.d(days))
            } else {
                None
            };
            let days = g.rng.gen_range(200..2000);
            let inizio = g.d(days);
            g.delega(b, p, *c, "intermediario", Validity { inizio, fine, revocata: None });
        }
    }
}

/// The demo logins of the README, one per role.
async fn demo_users(conn: &mut AnyConnection, c: &Cast, sedi: &Sedi, now: &str) -> AppResult<()> {
    let Cast { mario, giulia, luca, anna, paolo, .. } = *c;
    let roma = sedi.id("1300")?;
    let sede = |code: &str| sedi.id(code);
    let users = [
        DemoUser {
            username: "datore",
            name: "Mario Rossi",
            role: "datore",
            persona: Some(mario),
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "intermediario",
            name: "Giulia Bianchi",
            role: "intermediario",
            persona: Some(giulia),
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "dipendente",
            name: "Luca Esposito",
            role: "dipendente_delegato",
            persona: Some(luca),
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "utilizzatore",
            name: "Anna Ferrari",
            role: "utilizzatore",
            persona: Some(anna),
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "prestatore",
            name: "Paolo Russo",
            role: "prestatore",
            persona: Some(paolo),
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "operatore.sede",
            name: "Carla Moretti",
            role: "operatore_sede",
            persona: None,
            sede_id: Some(roma),
            regione: Some("Lazio"),
        },
        DemoUser {
            username: "operatore.milano",
            name: "Piero Galli",
            role: "operatore_sede",
            persona: None,
            sede_id: Some(sede("4900")?),
            regione: Some("Lombardia"),
        },
        DemoUser {
            username: "operatore.regionale",
            name: "Sergio Conti",
            role: "operatore_regionale",
            persona: None,
            sede_id: None,
            regione: Some("Lazio"),
        },
        DemoUser {
            username: "operatore.dg",
            name: "Elena Vitale",
            role: "operatore_dg",
            persona: None,
            sede_id: None,
            regione: None,
        },
        DemoUser {
            username: "admin.idm",
            name: "Roberto Leone",
            role: "amministratore_profili",
            persona: None,
            sede_id: None,
            regione: None,
        },
    ];
    for DemoUser { username, name, role, persona, sede_id, regione } in users {
        let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
            .await
            .map_err(|e| AppError::Internal(format!("hash task: {e}")))??;
        sqlx::query(
            "INSERT INTO users (username, password_hash, display_name, role, persona_id, sede_id, regione, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(username)
        .bind(hash)
        .bind(name)
        .bind(role)
        .bind(persona)
        .bind(sede_id)
        .bind(regione)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

struct Demo {
    rossi: i64,
    trattoria: i64,
    gallo: i64,
    giulia: i64,
    conti: i64,
}

/// Notes di rettifica, their notification contacts, UniEmens reports and F24 payments of the
/// demo companies: one case leading to acceptance and one to each reason for refusal of
/// Smart-Task 1–3 (README, "Dati dimostrativi").
async fn seed_contributions(conn: &mut AnyConnection, today: NaiveDate, now: &str, d: Demo) -> AppResult<()> {
    async fn posizione(conn: &mut AnyConnection, contribuente: i64) -> AppResult<(i64, String)> {
        let r = sqlx::query("SELECT id, matricola FROM posizioni WHERE contribuente_id = $1 ORDER BY id LIMIT 1")
            .bind(contribuente)
            .fetch_one(&mut *conn)
            .await?;
        Ok((r.try_get("id")?, r.try_get("matricola")?))
    }
    async fn cf_pec(conn: &mut AnyConnection, contribuente: i64) -> AppResult<(String, String)> {
        let r = sqlx::query("SELECT codice_fiscale, pec FROM contribuenti WHERE id = $1")
            .bind(contribuente)
            .fetch_one(&mut *conn)
            .await?;
        Ok((r.try_get("codice_fiscale")?, r.try_get::<Option<String>, _>("pec")?.unwrap_or_default()))
    }
    let day = |days_ago: i64| (today - Duration::days(days_ago)).format("%Y-%m-%d").to_string();
    let cur = Periodo::of(today);
    let per = |months_ago: i32| cur.plus_months(-months_ago).unwrap_or(cur);
    let (pos_rossi, mat_rossi) = posizione(conn, d.rossi).await?;
    let (pos_tratt, _) = posizione(conn, d.trattoria).await?;
    let (pos_gallo, mat_gallo) = posizione(conn, d.gallo).await?;
    let (cf_rossi, pec_rossi) = cf_pec(conn, d.rossi).await?;
    let (cf_gallo, _) = cf_pec(conn, d.gallo).await?;
    let (_, pec_tratt) = cf_pec(conn, d.trattoria).await?;

    // UniEmens: (position, months ago, kind, amount due in cents, sent days ago or None = on time).
    let denunce: &[(i64, i32, &str, i64, Option<i64>)] = &[
        (pos_rossi, 3, "originale", 1_200_000, None),
        (pos_rossi, 4, "originale", 150_000, None),
        (pos_rossi, 6, "originale", 1_000_000, None),
        (pos_rossi, 6, "variazione", 900_000, Some(30)),
        (pos_rossi, 8, "originale", 500_000, None),
        (pos_rossi, 10, "originale", 300_000, None),
        (pos_rossi, 12, "originale", 250_000, None),
        (pos_rossi, 75, "originale", 80_000, None),
        (pos_gallo, 6, "originale", 400_000, None),
    ];
    for &(pos, m, tipo, cents, sent) in denunce {
        let p = per(m);
        let trasmessa = match sent {
            Some(days) => day(days),
            None => (p.scadenza() - Duration::days(1)).format("%Y-%m-%d").to_string(),
        };
        sqlx::query(
            "INSERT INTO denunce (posizione_id, periodo, tipo, dovuto_cents, trasmessa_il, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(pos)
        .bind(p.key())
        .bind(tipo)
        .bind(cents)
        .bind(trasmessa)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }

    // F24: (payer, payer's code, stated matricola, position, months ago of the period, amount,
    // causale, paid days ago or None = on the due date, use).
    struct F24<'a> {
        payer: i64,
        cf: &'a str,
        matricola: &'a str,
        pos: Option<i64>,
        months: i32,
        cents: i64,
        causale: &'a str,
        paid: Option<i64>,
        utilizzo: Option<&'a str>,
    }
    let f24 = |payer, cf, matricola, pos, months, cents, causale, paid, utilizzo| F24 {
        payer,
        cf,
        matricola,
        pos,
        months,
        cents,
        causale,
        paid,
        utilizzo,
    };
    let r = d.rossi;
    let mr = mat_rossi.as_str();
    let pagamenti = [
        f24(r, &cf_rossi, mr, Some(pos_rossi), 3, 1_200_000, "DM10", None, None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 4, 150_000, "DM10", None, None),
        // Paid again for month -4 instead of month -8: the case for a rettifica (kind 3).
        f24(r, &cf_rossi, mr, Some(pos_rossi), 4, 150_000, "DM10", Some(40), None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 6, 800_000, "DM10", None, None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 8, 400_000, "DM10", None, None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 10, 250_000, "DM10", None, None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 10, 50_000, "DM10", Some(100), None),
        f24(r, &cf_rossi, mr, Some(pos_rossi), 12, 200_000, "DM10", None, None),
        // Not DM10 contributions.
        f24(r, &cf_rossi, mr, Some(pos_rossi), 5, 70_000, "CP", Some(50), None),
        // Already used to pay a note.
        f24(r, &cf_rossi, mr, Some(pos_rossi), 7, 100_000, "DM10", Some(60), Some("nota_rettifica")),
        // The company's code with a matricola that is nobody's: a person must look at it.
        f24(r, &cf_rossi, "9999999990", None, 3, 120_000, "DM10", Some(20), None),
        f24(d.gallo, &cf_gallo, &mat_gallo, Some(pos_gallo), 6, 400_000, "DM10", None, None),
        // The late payment that settled (and so cancelled) the note for month −12.
        f24(r, &cf_rossi, mr, Some(pos_rossi), 12, 50_000, "DM10", Some(180), Some("nota_rettifica")),
    ];
    for p in pagamenti {
        let periodo = per(p.months);
        let data = match p.paid {
            Some(days) => day(days),
            None => periodo.scadenza().format("%Y-%m-%d").to_string(),
        };
        sqlx::query(
            "INSERT INTO pagamenti (contribuente_id, codice_fiscale_versante, matricola_indicata, posizione_id, data_versamento,
                                    importo_cents, sede_codice, causale, periodo_indicato, periodo_attribuito, utilizzo,
                                    created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, '1300', $7, $8, $8, $9, $10, $10)",
        )
        .bind(p.payer)
        .bind(p.cf)
        .bind(p.matricola)
        .bind(p.pos)
        .bind(data)
        .bind(p.cents)
        .bind(p.causale)
        .bind(periodo.key())
        .bind(p.utilizzo)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }

    // Notes: (position, months ago, amount, state, issued days ago, riesame).
    let note: &[(i64, i32, i64, &str, i64, bool)] = &[
        (pos_rossi, 6, 200_000, "attiva", 90, false),
        (pos_rossi, 8, 100_000, "attiva", 120, false),
        (pos_rossi, 12, 50_000, "annullata", 200, false),
        (pos_rossi, 10, 50_000, "attiva", 150, true),
        (pos_gallo, 6, 100_000, "attiva", 90, false),
    ];
    for (n, &(pos, m, cents, stato, issued, riesame)) in note.iter().enumerate() {
        sqlx::query(
            "INSERT INTO note_rettifica (numero, posizione_id, periodo, importo_cents, stato, emessa_il, riesame_in_corso,
                                         versione, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
        )
        .bind(format!("NR-{}-{:07}", today.year(), 1001 + n))
        .bind(pos)
        .bind(per(m).key())
        .bind(cents)
        .bind(stato)
        .bind(day(issued))
        .bind(riesame as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }

    // Where the notes are notified.
    let delega_of = |persona: i64| {
        sqlx::query(
            "SELECT id FROM deleghe WHERE delegato_persona_id = $1 AND contribuente_id = $2 ORDER BY id LIMIT 1",
        )
        .bind(persona)
        .bind(d.rossi)
    };
    let delega_giulia: i64 = delega_of(d.giulia).fetch_one(&mut *conn).await?.try_get(0)?;
    let delega_conti: i64 = delega_of(d.conti).fetch_one(&mut *conn).await?.try_get(0)?;
    // (position, channel, address, owner, owner's delega, anomaly)
    type Contatto<'a> = (i64, &'a str, String, &'a str, Option<i64>, Option<&'a str>);
    let contatti: Vec<Contatto> = vec![
        (pos_rossi, "pec", pec_rossi.clone(), "azienda", None, None),
        (pos_rossi, "email", "amministrazione@rossifigli.example.it".into(), "azienda", None, Some("casella_piena")),
        (
            pos_rossi,
            "pec",
            "studio.marino@pec.example.it".into(),
            "intermediario Franco Marino",
            Some(delega_conti),
            None,
        ),
        (
            pos_rossi,
            "email",
            "studio.bianchi@example.it".into(),
            "intermediario Giulia Bianchi",
            Some(delega_giulia),
            None,
        ),
        (pos_tratt, "pec", pec_tratt.clone(), "azienda", None, Some("mancata_consegna")),
        (pos_gallo, "email", "ufficio@gallotrasporti.example.it".into(), "azienda", None, Some("indirizzo_non_valido")),
    ];
    for (pos, canale, indirizzo, titolare, delega, anomalia) in contatti {
        sqlx::query(
            "INSERT INTO contatti_notifica (posizione_id, canale, indirizzo, titolare, delega_id, anomalia, anomalia_dal,
                                            created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(pos)
        .bind(canale)
        .bind(indirizzo)
        .bind(titolare)
        .bind(delega)
        .bind(anomalia)
        .bind(anomalia.map(|_| day(20)))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn seed_scale(db: &Db, scale: u32, rng_seed: u64) -> AppResult<i64> {
    let mut conn = db.write.acquire().await?;
    let rows = sqlx::query("SELECT id FROM sedi ORDER BY codice").fetch_all(&mut *conn).await?;
    let sede_ids: Vec<i64> = rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    let mut used_cf = HashSet::new();
    for r in sqlx::query("SELECT codice_fiscale FROM persone UNION ALL SELECT codice_fiscale FROM contribuenti")
        .fetch_all(&mut *conn)
        .await?
    {
        used_cf.insert(r.try_get::<String, _>(0)?);
    }
    drop(conn);
    let mut g =
        Gen { rng: StdRng::seed_from_u64(rng_seed), today: clock::today(), now: clock::now_ts(), used_cf, sede_ids };
    let total = scale as i64 * 1000;
    let mut done = 0;
    while done < total {
        // One transaction per 5,000 companies keeps memory flat and the writer responsive.
        let mut tx = db.begin_write().await?;
        let mut b = new_batch(&mut tx).await?;
        let n = (total - done).min(5000);
        let mut ids = Vec::with_capacity(n as usize);
        for _ in 0..n {
            ids.push(g.random_company(&mut b));
        }
        for chunk in ids.chunks(25) {
            let p = g.random_persona(&mut b);
            b.intermediari.push(vec![
                V::I(b.next_intermediario),
                V::I(p),
                t("consulente_lavoro"),
                t("Studio generato"),
                V::N,
                V::N,
                V::N,
                V::N,
                t(&g.now),
                t(&g.now),
            ]);
            b.next_intermediario += 1;
            for c in chunk.iter().step_by(2) {
                let days = g.rng.gen_range(30..3000);
                let inizio = g.d(days);
                g.delega(&mut b, p, *c, "intermediario", Validity { inizio, fine: None, revocata: None });
            }
        }
        flush(db.engine, &mut tx, &mut b).await?;
        tx.commit().await?;
        done += n;
    }
    let mut conn = db.write.acquire().await?;
    reset_sequences(db, &mut conn).await?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::CodiceFiscale;

    #[test]
    fn computed_codice_fiscale_matches_known_vector() {
        // RSSMRA85T10A562S: Mario Rossi, born 10/12/1985 in A562.
        let d = NaiveDate::from_ymd_opt(1985, 12, 10).unwrap();
        assert_eq!(codice_fiscale("Mario", "Rossi", d, false, "A562"), "RSSMRA85T10A562S");
        let f = codice_fiscale("Giulia", "Bianchi", d, true, "H501");
        assert_eq!(&f[9..11], "50", "women add 40 to the day");
        assert!(CodiceFiscale::parse(&f).is_ok());
    }

    #[test]
    fn generated_company_codes_are_valid_piva() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut used = HashSet::new();
        for _ in 0..200 {
            let cf = numeric_cf(&mut rng, &mut used);
            assert!(shared::PartitaIva::parse(&cf).is_ok(), "{cf}");
        }
    }
}
