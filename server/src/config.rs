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
    /// `SPORTELLO_LOGIN_CONCORRENTI`: password checks running at once (each holds 19 MiB for
    /// tens of ms); a login that finds none free in `login_hash_wait` is answered 503 with
    /// `Retry-After`. Default: the number of cores. A check keeps one core busy, so more at once
    /// only wait for a core while holding their memory (4 on 2 cores: +84 MiB resident, and
    /// kept by the allocator).
    pub login_concurrent_hashes: usize,
    /// `SPORTELLO_LOGIN_ATTESA` (seconds): how long a login waits for a free password check before the 503 (default 3 s): a burst
    /// of logins is absorbed, a flood is refused without holding memory.
    pub login_hash_wait: Duration,
    /// `SPORTELLO_PROXY_FIDATI`: addresses of the reverse proxies in front of the server
    /// (comma-separated). Only a connection from one of them may name the client address, in
    /// the header `SPORTELLO_HEADER_IP_CLIENTE` (default `X-Forwarded-For`); from anyone else
    /// the header is ignored, so a client cannot choose the address it is throttled under.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub client_ip_header: String,
    /// `SPORTELLO_INVII_PER_MINUTO`: Smart-Task requests one user may send in a minute.
    pub submissions_per_minute: i64,
    /// `SPORTELLO_COMUNICAZIONI_PER_ORA`: two-way requests one user may send in an hour.
    pub two_way_per_hour: i64,
    /// `SPORTELLO_TEMPO_MASSIMO` (seconds): a request not answered by then is abandoned (its
    /// transaction rolled back) and answered 503; `SPORTELLO_TEMPO_CORPO`: the time a client
    /// has to send a request's body (a slow upload cannot hold the server).
    pub request_timeout: Duration,
    pub body_timeout: Duration,
    /// `SPORTELLO_RICHIESTE_CONCORRENTI`: requests handled at once by this process.
    pub max_concurrent_requests: usize,
    /// `SPORTELLO_PAGINE_CONCORRENTI`: pages made at once by this process (default 4 per core);
    /// the others wait their turn in order (`http::made_pages`).
    pub max_concurrent_pages: usize,
    /// `SPORTELLO_SMTP_URL`, e.g. `smtps://user:password@smtp.example.it:465`: where e-mails
    /// go. Unset: they stay in the outbox, readable in the development mailbox (`/posta`).
    pub smtp_url: Option<String>,
    /// `SPORTELLO_MAIL_FROM`: the sender of the e-mails.
    pub mail_from: String,
    /// `SPORTELLO_WORKERS`: examination workers per process (facts are read in parallel; on
    /// SQLite the writes still go one at a time). 0: this process only takes requests and
    /// another one examines them (a web-only replica).
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
            login_concurrent_hashes: crate::infra::cores().min(256),
            login_hash_wait: Duration::from_secs(3),
            trusted_proxies: vec![],
            submissions_per_minute: 120,
            two_way_per_hour: 30,
            request_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(30),
            max_concurrent_requests: 512,
            max_concurrent_pages: 4 * crate::infra::cores(),
            client_ip_header: "x-forwarded-for".into(),
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
                w.parse().ok().filter(|n| (0..=64).contains(n)).ok_or(format!("SPORTELLO_WORKERS={w}: da 0 a 64"))?;
        }
        if let Ok(n) = std::env::var("SPORTELLO_LOGIN_CONCORRENTI") {
            c.login_concurrent_hashes = n
                .parse()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or(format!("SPORTELLO_LOGIN_CONCORRENTI={n}: da 1 a 256"))?;
        }
        let number = |name: &str, min: u64, max: u64| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Ok(v) => v
                    .parse()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .map(Some)
                    .ok_or(format!("{name}={v}: da {min} a {max}")),
                Err(_) => Ok(None),
            }
        };
        if let Some(n) = number("SPORTELLO_INVII_PER_MINUTO", 1, 1_000_000)? {
            c.submissions_per_minute = n as i64;
        }
        if let Some(n) = number("SPORTELLO_COMUNICAZIONI_PER_ORA", 1, 100_000)? {
            c.two_way_per_hour = n as i64;
        }
        if let Some(n) = number("SPORTELLO_TEMPO_MASSIMO", 1, 3600)? {
            c.request_timeout = Duration::from_secs(n);
        }
        if let Some(n) = number("SPORTELLO_TEMPO_CORPO", 1, 3600)? {
            c.body_timeout = Duration::from_secs(n);
        }
        if let Some(n) = number("SPORTELLO_RICHIESTE_CONCORRENTI", 1, 100_000)? {
            c.max_concurrent_requests = n as usize;
        }
        if let Some(n) = number("SPORTELLO_PAGINE_CONCORRENTI", 1, 100_000)? {
            c.max_concurrent_pages = n as usize;
        }
        if let Ok(n) = std::env::var("SPORTELLO_LOGIN_ATTESA") {
            c.login_hash_wait = Duration::from_secs(
                n.parse().ok().filter(|n| *n <= 60).ok_or(format!("SPORTELLO_LOGIN_ATTESA={n}: da 0 a 60 secondi"))?,
            );
        }
        if let Ok(spec) = std::env::var("SPORTELLO_CHIAVI_AUDIT").map(|s| s.trim().to_string())
            && !spec.is_empty()
        {
            crate::infra::audit::AuditKeys::parse(&spec).map_err(|e| format!("SPORTELLO_CHIAVI_AUDIT: {e}"))?;
        }
        if let Ok(list) = std::env::var("SPORTELLO_PROXY_FIDATI") {
            c.trusted_proxies = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|a| a.parse().map_err(|e| format!("SPORTELLO_PROXY_FIDATI: {a}: {e}")))
                .collect::<Result<_, _>>()?;
        }
        if let Ok(h) = std::env::var("SPORTELLO_HEADER_IP_CLIENTE") {
            axum::http::HeaderName::try_from(h.as_str())
                .map_err(|e| format!("SPORTELLO_HEADER_IP_CLIENTE={h}: {e}"))?;
            c.client_ip_header = h.to_ascii_lowercase();
        }
        c.pagamenti_automatici =
            !matches!(std::env::var("SPORTELLO_PAGAMENTI_AUTOMATICI").as_deref(), Ok("0" | "false"));
        Ok(c)
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the last
    /// address in the header that is not itself a trusted proxy (the one the proxy saw).
    pub fn client_ip(&self, peer: Option<std::net::IpAddr>, headers: &axum::http::HeaderMap) -> String {
        let Some(peer) = peer else { return "sconosciuto".into() };
        if !self.trusted_proxies.contains(&peer) {
            return peer.to_string();
        }
        let forwarded = headers
            .get_all(self.client_ip_header.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded.into_iter().rev().find(|a| !self.trusted_proxies.contains(a)).unwrap_or(peer).to_string()
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies { "__Host-sportello" } else { "sportello" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().expect("header"));
        h
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let mut c = Config::default();
        let client = "203.0.113.7".parse().ok();
        assert_eq!(c.client_ip(client, &headers("198.51.100.1")), "203.0.113.7", "no proxy configured");
        c.trusted_proxies = vec!["10.0.0.1".parse().expect("ip"), "10.0.0.2".parse().expect("ip")];
        let proxy = "10.0.0.1".parse().ok();
        assert_eq!(c.client_ip(client, &headers("198.51.100.1")), "203.0.113.7", "a client is not a proxy");
        // The client may prepend anything; the proxy's own entry is the last one.
        assert_eq!(c.client_ip(proxy, &headers("1.2.3.4, 198.51.100.9")), "198.51.100.9");
        assert_eq!(c.client_ip(proxy, &headers("198.51.100.9, 10.0.0.2")), "198.51.100.9", "chained proxies");
        assert_eq!(c.client_ip(proxy, &headers("non-un-indirizzo")), "10.0.0.1");
        assert_eq!(c.client_ip(proxy, &HeaderMap::new()), "10.0.0.1");
        assert_eq!(c.client_ip(None, &HeaderMap::new()), "sconosciuto");
    }
}
