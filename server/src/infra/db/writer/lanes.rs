//! The writer's two lanes, and its own thread on SQLite.

use super::{BACKGROUND_WAIT, BATCH, Job};
use sqlx::AnyPool;
use std::time::Instant;
use tokio::sync::mpsc;

/// The writes waiting, in their two lanes.
pub(super) struct Lanes {
    requests: mpsc::Receiver<Box<dyn Job>>,
    background: mpsc::Receiver<Box<dyn Job>>,
    /// Since when background work has been waiting behind requests.
    waiting_since: Option<Instant>,
}

impl Lanes {
    pub(super) fn new(requests: mpsc::Receiver<Box<dyn Job>>, background: mpsc::Receiver<Box<dyn Job>>) -> Lanes {
        Lanes { requests, background, waiting_since: None }
    }

    /// Whether a write is waiting now, in either lane.
    pub(super) fn waiting(&self) -> bool {
        !self.requests.is_empty() || !self.background.is_empty()
    }

    /// The next batch: every request waiting (up to [`BATCH`]), and one background write when
    /// no request waits or it has waited long enough. Waits when nothing is waiting; `false`
    /// once every handle is gone.
    pub(super) async fn next(&mut self, batch: &mut Vec<Box<dyn Job>>) -> bool {
        while batch.len() < BATCH {
            match self.requests.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let overdue = self.waiting_since.is_some_and(|t| t.elapsed() >= BACKGROUND_WAIT);
        if (batch.is_empty() || overdue)
            && let Ok(job) = self.background.try_recv()
        {
            batch.push(job);
            self.waiting_since = None;
        }
        if batch.is_empty() {
            let job = tokio::select! {
                biased;
                job = self.requests.recv() => job,
                job = self.background.recv() => job,
            };
            let Some(job) = job else { return false };
            batch.push(job);
            // What else came meanwhile joins it.
            while batch.len() < BATCH {
                match self.requests.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        if !self.background.is_empty() && self.waiting_since.is_none() {
            self.waiting_since = Some(Instant::now());
        }
        true
    }
}

/// On SQLite the writer's statements go one at a time to the connection's thread and back: as a
/// task among the server's, each answer waited for its turn on a busy core, and under load the
/// connection sat idle more than half the time. On a thread of its own the writer takes each
/// answer at once. When the thread cannot start, the writes answer that the service is stopping.
pub(super) fn on_own_thread(pool: AnyPool, direct: Option<String>, lanes: Lanes) {
    let started = std::thread::Builder::new().name("sportello-writer".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => {
                if let Some(url) = &direct {
                    rt.spawn(super::checkpoint::run(url.clone()));
                }
                rt.block_on(super::direct_batch::run(pool, direct, lanes))
            }
            Err(e) => tracing::error!("scrittore del database non avviato: {e}"),
        }
    });
    if let Err(e) = started {
        tracing::error!("scrittore del database non avviato: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use futures_util::future::BoxFuture;

    /// A write that says only which lane it was sent on (through whether it is audited).
    struct Marked(bool);

    impl Job for Marked {
        fn portable(&self) -> bool {
            false
        }
        fn run<'c>(&'c mut self, _: super::super::Conn<'c>) -> BoxFuture<'c, crate::error::AppResult<()>> {
            Box::pin(async { Ok(()) })
        }
        fn locks(&self) -> Option<&crate::infra::db::locks::Locks> {
            self.0.then_some(&CHAIN)
        }
        fn take_tail(&mut self) -> super::super::Tail {
            super::super::Tail::default()
        }
        fn deliver(self: Box<Self>, _: Result<(), AppError>) {}
    }

    static CHAIN: crate::infra::db::locks::Locks = crate::infra::db::locks::Locks::Chain;
    const REQUEST: bool = true;
    const BACKGROUND: bool = false;

    fn taken(batch: &mut Vec<Box<dyn Job>>) -> Vec<bool> {
        batch.drain(..).map(|j| j.locks().is_some()).collect()
    }

    #[tokio::test]
    async fn requests_go_first_and_background_work_is_not_starved() {
        let (rq, requests) = mpsc::channel::<Box<dyn Job>>(16);
        let (bg, background) = mpsc::channel::<Box<dyn Job>>(16);
        let mut lanes = Lanes::new(requests, background);
        let mut batch = vec![];
        bg.send(Box::new(Marked(BACKGROUND))).await.expect("bg");
        for _ in 0..3 {
            rq.send(Box::new(Marked(REQUEST))).await.expect("rq");
        }
        // Requests waiting: they alone make the batch, and the background write starts waiting.
        assert!(lanes.next(&mut batch).await);
        assert_eq!(taken(&mut batch), vec![REQUEST; 3]);
        assert!(lanes.waiting_since.is_some());
        // Requests still coming, but the background write has waited long enough: it joins them.
        rq.send(Box::new(Marked(REQUEST))).await.expect("rq");
        lanes.waiting_since = Instant::now().checked_sub(BACKGROUND_WAIT);
        assert!(lanes.next(&mut batch).await);
        assert_eq!(taken(&mut batch), vec![REQUEST, BACKGROUND]);
        assert!(lanes.waiting_since.is_none());
        // No request waiting: background work goes at once.
        bg.send(Box::new(Marked(BACKGROUND))).await.expect("bg");
        assert!(lanes.next(&mut batch).await);
        assert_eq!(taken(&mut batch), vec![BACKGROUND]);
        // Nothing waiting: the writer waits for the next write, whichever lane it comes on.
        let later = tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            bg.send(Box::new(Marked(BACKGROUND))).await.expect("bg");
            bg
        });
        assert!(lanes.next(&mut batch).await);
        assert_eq!(taken(&mut batch), vec![BACKGROUND]);
        // It stops once every handle is gone.
        drop((rq, later.await.expect("sender")));
        assert!(!lanes.next(&mut batch).await);
    }
}
