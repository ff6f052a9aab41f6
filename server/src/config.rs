//! Configuration from the environment (documented in the README).

use std::net::SocketAddr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://data/sportello.db` (default) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`, the leptos convention: where to listen.
    pub bind: SocketAddr,
    /// `SPORTELLO_SECURE_COOKIES=1` when served over TLS (behind a proxy): adds `Secure`,
    /// the `__Host-` cookie prefix and HSTS.
    pub secure_cookies: bool,
    /// `SPORTELLO_PUBLIC_ORIGIN`, e.g. `https://sportello.example.it`: an extra origin accepted on
    /// state-changing requests when a proxy rewrites the Host header.
    pub public_origin: Option<String>,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Failed logins per user name in the window before the account is throttled.
    pub login_max_failures: i64,
    /// Failed logins per client address in the window.
    pub login_max_failures_ip: i64,
    pub login_window: Duration,
    /// `SPORTELLO_SMTP_URL`, e.g. `smtps://user:password@smtp.example.it:465`: where e-mails
    /// go. Unset: they stay in the outbox, readable in the development mailbox (`/posta`).
    pub smtp_url: Option<String>,
    /// `SPORTELLO_MAIL_FROM`: the sender of the e-mails.
    pub mail_from: String,
    /// `SPORTELLO_WORKERS`: examination workers per process (facts are read in parallel; on
    /// SQLite the writes still go one at a time).
    pub workers: usize,
    /// `SPORTELLO_PAGAMENTI_AUTOMATICI=0` turns off the hourly payment run of the prestazioni
    /// occasionali (then `server pay-run --month AAAA-MM` does it).
    pub pagamenti_automatici: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/sportello.db".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            secure_cookies: false,
            public_origin: None,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            login_max_failures: 5,
            login_max_failures_ip: 50,
            login_window: Duration::from_secs(15 * 60),
            smtp_url: None,
            mail_from: "Sportello INPS <noreply@sportello.invalid>".into(),
            workers: 4,
            pagamenti_automatici: true,
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let mut c = Config::default();
        if let Ok(url) = std::env::var("DATABASE_URL") {
            c.database_url = url;
        }
        if let Ok(addr) = std::env::var("LEPTOS_SITE_ADDR") {
            c.bind = addr.parse().map_err(|e| format!("LEPTOS_SITE_ADDR={addr}: {e}"))?;
        }
        c.secure_cookies = matches!(std::env::var("SPORTELLO_SECURE_COOKIES").as_deref(), Ok("1" | "true"));
        c.public_origin = std::env::var("SPORTELLO_PUBLIC_ORIGIN").ok().filter(|s| !s.is_empty());
        c.smtp_url = std::env::var("SPORTELLO_SMTP_URL").ok().filter(|s| !s.is_empty());
        if let Ok(from) = std::env::var("SPORTELLO_MAIL_FROM") {
            c.mail_from = from;
        }
        if let Ok(w) = std::env::var("SPORTELLO_WORKERS") {
            c.workers =
                w.parse().ok().filter(|n| (1..=64).contains(n)).ok_or(format!("SPORTELLO_WORKERS={w}: da 1 a 64"))?;
        }
        c.pagamenti_automatici =
            !matches!(std::env::var("SPORTELLO_PAGAMENTI_AUTOMATICI").as_deref(), Ok("0" | "false"));
        Ok(c)
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies { "__Host-sportello" } else { "sportello" }
    }
}
