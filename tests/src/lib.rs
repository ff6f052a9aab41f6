//! Test harness: a real Sportello server on a random port with its own fresh database
//! (a temporary SQLite file, or a new PostgreSQL database on `TEST_POSTGRES_URL`) and the
//! deterministic demo data, plus a cookie-keeping HTTP client.

pub mod fixtures;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::{Config, Db, seed};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
    pub config: Config,
    /// The server's business calendar: `set_today` dates what the server does from then on.
    pub clock: server::infra::clock::Clock,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    cleanup: Option<PathBuf>,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{:016x}", std::process::id(), rand::random::<u64>())
}

/// The PostgreSQL server for the tests. Missing configuration is an error, never a skip.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!("TEST_POSTGRES_URL non impostata: i test su PostgreSQL sono obbligatori. Eseguire `cargo xtask test`, che avvia un PostgreSQL temporaneo.")
    })
}

async fn database_url(engine: Engine) -> (String, Option<PathBuf>) {
    match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(unique("sportello_it"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            (format!("sqlite://{}/test.db", dir.display()), Some(dir))
        }
        Engine::Postgres => {
            let admin = postgres_admin_url();
            let name = unique("it");
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin).await.expect("connessione a TEST_POSTGRES_URL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create database");
            pool.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b).expect("url");
            (format!("{base}/{name}"), None)
        }
    }
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        Self::spawn_with(engine, |_| {}).await
    }

    pub async fn spawn_with(engine: Engine, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let (url, cleanup) = database_url(engine).await;
        // The hourly payment run would race the tests that pay a month themselves.
        let mut config = Config { database_url: url, pagamenti_automatici: false, ..Config::default() };
        tweak(&mut config);
        let options = server::leptos_options_from_env().expect("leptos options");
        let (router, services) = server::build(config.clone(), options).await.expect("build app");
        seed::seed(&services.db, 0, 2026).await.expect("seed");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server::serve(listener, router, async {
            let _ = rx.await;
        }));
        TestApp { addr, db: services.db.clone(), config, clock: services.clock.clone(), shutdown: Some(tx), cleanup }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
    }

    pub async fn login(&self, c: &Client, user: &str, password: &str) -> Response {
        c.post(self.url("/api/v1/sessione"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .expect("login")
    }

    /// A client already logged in as one of the demo accounts.
    pub async fn logged_in(&self, user: &str) -> Client {
        let c = self.client();
        let r = self.login(&c, user, seed::DEMO_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK, "login di {user}: {}", r.text().await.unwrap_or_default());
        c
    }

    pub async fn get(&self, c: &Client, path: &str) -> (StatusCode, Value) {
        let r = c.get(self.url(path)).send().await.expect("get");
        read(r).await
    }

    pub async fn put(&self, c: &Client, path: &str, body: Value) -> (StatusCode, Value) {
        let r = c.put(self.url(path)).json(&body).send().await.expect("put");
        read(r).await
    }

    pub async fn post(&self, c: &Client, path: &str, body: Value) -> (StatusCode, Value) {
        let r = c.post(self.url(path)).json(&body).send().await.expect("post");
        read(r).await
    }

    pub async fn company_id(&self, ragione: &str) -> i64 {
        self.number("SELECT id FROM contribuenti WHERE ragione_sociale = $1", &[ragione]).await
    }

    /// The one integer a query reads (a count, an id), with text parameters bound as `$1`, `$2`…
    /// (`CAST($1 AS BIGINT)` where the column is a number).
    pub async fn number(&self, sql: &str, params: &[&str]) -> i64 {
        use sqlx::Row;
        let mut q = sqlx::query(sql);
        for p in params {
            q = q.bind(*p);
        }
        q.fetch_one(&self.db.read).await.unwrap_or_else(|e| panic!("{sql}: {e}")).try_get(0).expect("an integer")
    }
}

/// The `Set-Cookie` header of the session cookie in a response (attributes included).
pub fn session_cookie(r: &Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sportello="))
        .map(str::to_string)
        .expect("Set-Cookie sportello")
}

impl TestApp {
    /// Sends only the head of a multipart POST to `path` announcing a 20 MB body, with the
    /// `extra` header lines, and reads the answer until it contains `until`: the server must
    /// answer without reading the body.
    pub async fn announce_large_upload(&self, path: &str, extra: &str, until: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(self.addr).await.expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\n{extra}Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            20 * 1024 * 1024
        );
        tcp.write_all(head.as_bytes()).await.expect("write");
        let (mut answer, mut buf) = (vec![], vec![0u8; 16 * 1024]);
        while !String::from_utf8_lossy(&answer).contains(until) {
            let n = tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read(&mut buf))
                .await
                .expect("answered without the body")
                .expect("read");
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&answer).into_owned()
    }
}

pub async fn read(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let problem = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with("application/problem+json"));
    let text = r.text().await.unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if !status.is_success() && status != StatusCode::NO_CONTENT {
        assert_eq!(problem, Some(true), "an error must be problem+json: {status} {v}");
    }
    (status, v)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(dir) = self.cleanup.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A test that hangs fails after four minutes (a whole run takes about one), instead of holding
/// the run until CI's time runs out.
pub async fn bounded(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(240), test).await.is_err() {
        panic!("il test non è terminato entro 240 s");
    }
}

/// Runs one async test body on both engines: `both!(name, |engine| async move { … })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::bounded(($body)($crate::Engine::Sqlite)).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::bounded(($body)($crate::Engine::Postgres)).await
            }
        }
    };
}

/// Smart-Task helpers shared by the API tests.
pub mod st {
    use super::{TestApp, read};
    use reqwest::{Client, StatusCode};
    use serde_json::Value;
    use std::time::Duration;

    /// Today in Italy, as the server reckons it (not UTC: they differ in the last hour(s) of the day).
    pub fn today() -> String {
        shared::time::to_rome(chrono::Utc::now().naive_utc()).date().format("%d/%m/%Y").to_string()
    }

    pub async fn submit(app: &TestApp, c: &Client, body: Value, key: Option<&str>) -> (StatusCode, Value) {
        let mut rb = c.post(app.url("/api/v1/richieste")).json(&body);
        if let Some(k) = key {
            rb = rb.header("idempotency-key", k);
        }
        read(rb.send().await.expect("submit")).await
    }

    /// Polls until the worker has decided the request.
    pub async fn decided(app: &TestApp, c: &Client, protocollo: &str) -> Value {
        for _ in 0..200 {
            let (s, v) = app.get(c, &format!("/api/v1/richieste/{protocollo}")).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            if v["stato"] == "accolta" || v["stato"] == "non_accolta" || v["stato"] == "in_carico_sede" {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("request {protocollo} not decided in time");
    }

    pub fn failed_codes(v: &Value) -> Vec<String> {
        v["controlli"]
            .as_array()
            .expect("controlli")
            .iter()
            .filter(|c| c["esito"] == "ko")
            .map(|c| c["codice"].as_str().unwrap_or("").to_string())
            .collect()
    }
}
