//! Pages made a few at a time, in the order they were asked for, then compressed whole with zstd
//! on a context each thread keeps.
//!
//! On SQLite a page's reads are direct calls: making it is CPU alone. Made 64 at a time (64
//! connections), every page held its memory while the cores went round all of them: a page's
//! allocations found their memory out of the cache (a tenth of the list's time was one load in
//! the allocator), and a page that had to wait its turn to run waited behind all the others. A
//! page now waits for a turn (`Config::max_concurrent_pages`, fair), is made and collected whole
//! while it holds it, and the turn is given back before the answer is sent, so a slow client
//! never holds one. Requests other than GET and HEAD (a form posted without the page's script)
//! take no turn: they wait for the writer. tower's concurrency limit would not do: it gives the
//! turn back as soon as the answer's head is ready, before the page's body is made, and it would
//! hold form posts too.
//!
//! tower-http's layer compresses as the body streams and sets up a new zstd context for every
//! answer, sized for an input of unknown length: for a page of 17 KB that setup cost more than
//! compressing it. A page is collected (it is made in well under a millisecond), then compressed
//! with its length known, on the worker thread's own context. Anything else, and a client that
//! does not take zstd, goes on to tower-http's layer, which leaves alone what already has a
//! `Content-Encoding`.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http_body::Frame;
use http_body_util::{BodyExt, BodyStream, StreamBody};
use std::cell::RefCell;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Larger answers are not pages: what was read of them goes on with the rest, streamed.
const MAX_PAGE: usize = 1 << 20;
/// zstd's fastest level, as tower-http's layer uses for the other answers.
const LEVEL: i32 = 1;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
}

/// The turns to make a page: a fair semaphore, shared by the process' page routes.
#[derive(Clone)]
pub struct PageTurns(Arc<Semaphore>);

impl PageTurns {
    pub fn new(at_once: usize) -> PageTurns {
        PageTurns(Arc::new(Semaphore::new(at_once.max(1))))
    }
}

pub async fn made_pages(State(turns): State<PageTurns>, req: Request, next: Next) -> Response {
    let accepts = accepts_zstd(req.headers());
    // The request's deadline (an outer layer) bounds the wait; the semaphore is never closed.
    let turn = match *req.method() {
        Method::GET | Method::HEAD => turns.0.clone().acquire_owned().await.ok(),
        _ => None,
    };
    let res = next.run(req).await;
    if !is_page(&res) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let page = match collect_page(body).await {
        Collected::Whole(page) => page,
        Collected::Streamed(body) => return Response::from_parts(parts, body),
        Collected::Failed(e) => {
            tracing::error!(error = %e, "pagina non completata");
            return crate::error::AppError::Internal(format!("pagina non completata: {e}")).into_response();
        }
    };
    let compressed = if accepts { compress(&page) } else { None };
    drop(turn);
    let Some(compressed) = compressed else {
        return Response::from_parts(parts, Body::from(page));
    };
    parts.headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
    parts.headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ACCEPT_RANGES);
    Response::from_parts(parts, Body::from(compressed))
}

enum Collected {
    /// The whole page, to compress here.
    Whole(Vec<u8>),
    /// Longer than a page, or with trailers: what was read, then the rest, as it comes.
    Streamed(Body),
    /// The body failed before its end.
    Failed(axum::Error),
}

async fn collect_page(mut body: Body) -> Collected {
    let mut read: Vec<Frame<Bytes>> = vec![];
    let mut len = 0;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return Collected::Failed(e),
        };
        let (data, trailers) = (frame.data_ref().map_or(0, Bytes::len), !frame.is_data());
        read.push(frame);
        len += data;
        if trailers || len > MAX_PAGE {
            return Collected::Streamed(resume(read, body));
        }
    }
    let mut page = Vec::with_capacity(len);
    for frame in &read {
        page.extend_from_slice(frame.data_ref().map_or(&[][..], |d| &d[..]));
    }
    Collected::Whole(page)
}

/// The frames already read (trailers included), then the rest of the body.
fn resume(read: Vec<Frame<Bytes>>, rest: Body) -> Body {
    let head = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
    Body::new(StreamBody::new(head.chain(BodyStream::new(rest))))
}

fn compress(page: &[u8]) -> Option<Vec<u8>> {
    COMPRESSOR.with(|c| {
        let mut c = c.try_borrow_mut().ok()?;
        if c.is_none() {
            *c = zstd::bulk::Compressor::new(LEVEL).ok();
        }
        c.as_mut()?.compress(page).ok()
    })
}

/// A page made here: HTML, complete (no range), not compressed yet.
fn is_page(res: &Response) -> bool {
    let h = res.headers();
    res.status() == StatusCode::OK
        && !h.contains_key(header::CONTENT_ENCODING)
        && !h.contains_key(header::CONTENT_RANGE)
        && h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

/// Whether `Accept-Encoding` lists zstd with a quality above zero.
fn accepts_zstd(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let q = parts
                .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                .map_or(Some(1.0), |q| q.parse::<f32>().ok());
            name.eq_ignore_ascii_case("zstd") && q.is_some_and(|q| q > 0.0)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn zstd_is_taken_only_when_listed_with_a_quality_above_zero() {
        assert!(accepts_zstd(&with("gzip, deflate, br, zstd")));
        assert!(accepts_zstd(&with("ZSTD;q=0.5, gzip")));
        assert!(!accepts_zstd(&with("gzip, br")));
        assert!(!accepts_zstd(&with("zstd;q=0, gzip")));
        assert!(!accepts_zstd(&with("zstd;q=abc")));
        assert!(!accepts_zstd(&HeaderMap::new()));
    }

    async fn collected(body: Body) -> (Bytes, Option<HeaderMap>) {
        let c = body.collect().await.expect("body");
        let trailers = c.trailers().cloned();
        (c.to_bytes(), trailers)
    }

    #[tokio::test]
    async fn a_page_is_collected_and_anything_else_goes_on_intact() {
        let chunks = || futures_util::stream::iter(["<html>", "<p>ciao</p>", "</html>"].map(Ok::<_, axum::Error>));
        assert!(
            matches!(collect_page(Body::from_stream(chunks())).await, Collected::Whole(p) if p == b"<html><p>ciao</p></html>")
        );
        // Over the limit: streamed, every byte in order.
        let big = vec![b'x'; MAX_PAGE + 10];
        let long = futures_util::stream::iter(
            big.chunks(4096).map(|c| Ok::<_, axum::Error>(Bytes::copy_from_slice(c))).collect::<Vec<_>>(),
        );
        let Collected::Streamed(body) = collect_page(Body::from_stream(long)).await else { panic!("not streamed") };
        assert_eq!(collected(body).await.0, big);
        // Trailers: streamed, and kept.
        let mut t = HeaderMap::new();
        t.insert("x-fine", HeaderValue::from_static("si"));
        let frames = futures_util::stream::iter([
            Ok::<_, axum::Error>(Frame::data(Bytes::from("<html>"))),
            Ok(Frame::trailers(t.clone())),
        ]);
        let Collected::Streamed(body) = collect_page(Body::new(StreamBody::new(frames))).await else {
            panic!("not streamed")
        };
        assert_eq!(collected(body).await, (Bytes::from("<html>"), Some(t)));
    }

    mod turns {
        use super::*;
        use axum::Router;
        use axum::response::Html;
        use axum::routing::get;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::Duration;
        use tower::ServiceExt;

        #[derive(Default)]
        struct Making {
            now: AtomicUsize,
            most: AtomicUsize,
        }

        /// A page that takes a while to make, counting how many are being made at once; `/modulo`
        /// answers a form post the same way.
        fn app(turns: usize, making: Arc<Making>) -> Router {
            let page = move || {
                let m = making.clone();
                async move {
                    let now = m.now.fetch_add(1, Ordering::SeqCst) + 1;
                    m.most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    m.now.fetch_sub(1, Ordering::SeqCst);
                    Html("<html><p>Lista Richieste</p></html>")
                }
            };
            Router::new()
                .route("/pagina", get(page.clone()))
                .route("/modulo", axum::routing::post(page))
                .layer(axum::middleware::from_fn_with_state(PageTurns::new(turns), made_pages))
        }

        fn request(method: Method, path: &str) -> Request {
            Request::builder().method(method).uri(path).body(Body::empty()).expect("request")
        }

        /// `n` requests sent at once, answered.
        async fn all_at_once(app: &Router, n: usize, method: Method, path: &str) -> Vec<Response> {
            let sent = (0..n).map(|_| tokio::spawn(app.clone().oneshot(request(method.clone(), path))));
            let answers = futures_util::future::join_all(sent).await;
            answers.into_iter().map(|a| a.expect("task").expect("answer")).collect()
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn pages_are_made_a_few_at_a_time_and_all_answered_whole() {
            let making = Arc::new(Making::default());
            for res in all_at_once(&app(2, making.clone()), 24, Method::GET, "/pagina").await {
                assert_eq!(res.status(), StatusCode::OK);
                assert_eq!(collected(res.into_body()).await.0, "<html><p>Lista Richieste</p></html>");
            }
            assert_eq!(making.most.load(Ordering::SeqCst), 2);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn form_posts_take_no_turn() {
            let making = Arc::new(Making::default());
            for res in all_at_once(&app(1, making.clone()), 8, Method::POST, "/modulo").await {
                assert_eq!(res.status(), StatusCode::OK);
            }
            assert!(making.most.load(Ordering::SeqCst) > 1);
        }

        #[tokio::test]
        async fn an_answer_not_yet_read_holds_no_turn() {
            let app = app(1, Arc::new(Making::default()));
            // Its body is left unread, as by a client on a slow line.
            let first = app.clone().oneshot(request(Method::GET, "/pagina")).await.expect("answer");
            let second = tokio::time::timeout(Duration::from_secs(5), app.oneshot(request(Method::GET, "/pagina")))
                .await
                .expect("the second page waited for the first one's client")
                .expect("answer");
            assert_eq!(second.status(), StatusCode::OK);
            drop(first);
        }
    }

    #[test]
    fn a_page_comes_back_whole_from_its_compressed_form() {
        let page = "<html><body>".to_string() + &"<p>Lista Richieste</p>".repeat(500) + "</body></html>";
        let compressed = compress(page.as_bytes()).expect("compressed");
        assert!(compressed.len() < page.len() / 10);
        assert_eq!(zstd::bulk::decompress(&compressed, 1 << 20).expect("decompressed"), page.as_bytes());
        // The thread's context serves the next page as well.
        let again = compress(b"<html></html>").expect("compressed");
        assert_eq!(zstd::bulk::decompress(&again, 1 << 20).expect("decompressed"), b"<html></html>");
    }
}
