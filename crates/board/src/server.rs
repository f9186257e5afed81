//! The workshop server: an axum app over the store. Re-scores every
//! submission with the core engine, pushes the board to projector pages over
//! Server-Sent Events, and guards the facilitator's endpoints with a token.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::Request;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::Deserialize;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, broadcast, oneshot, watch};
use tokio::task::JoinSet;

use crate::protocol::{
    ControlAction, ControlRequest, ControlState, EntryList, ErrorBody, KickRequest, Kicked,
    ModeBoard, MyRank, PLAYER_HEADER, PlayerList, RejectionKind, Removed, RenameRequest, Renamed,
    Submission,
};
use crate::ratelimit::{Limiter, RateLimit};
use crate::rescore::{self, Rejection, Scenarios};
use crate::store::{
    Board, BoardStore, Entry, JoinOutcome, Mode, Player, Ranking, RenameOutcome, ScenarioBoard,
    Store, StoreError, now_ms,
};
use crate::{csv, page};

/// The messages this server answers with, now in [`crate::protocol`];
/// still reachable here under their old paths.
pub use crate::protocol::{Accepted, JoinRequest, Joined, PublicBoard, WorkshopInfo};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Rows per board on the projector.
pub const TOP: u32 = 10;
/// How long the board waits after a change before it is pushed, so a burst
/// of submissions costs one snapshot.
const PUBLISH_DELAY: Duration = Duration::from_millis(150);
/// The least time between two boards pushed: under a steady stream of
/// submissions rebuilding it every [`PUBLISH_DELAY`] cost more CPU than
/// storing them (measured with the load bench: 672 µs per submission paced
/// against 224 µs flat out, when the writer thread rebuilt it). The board
/// is now read on a connection of its own, and only while a projector
/// watches (else when `GET /api/board` asks for it).
const PUBLISH_EVERY: Duration = Duration::from_secs(1);
/// Where in each [`PUBLISH_EVERY`] workshop `code`'s boards are rebuilt
/// while changes keep coming: a fixed place per workshop, spread over the
/// period by its code, so a server of many workshops under a steady load
/// rebuilds them one after another, not all in the same few milliseconds
/// (when they all started together: a burst of board reads each second,
/// which the submissions arriving meanwhile waited behind).
fn publish_slot(code: &str) -> Duration {
    let period = PUBLISH_EVERY.as_millis() as u64;
    Duration::from_millis(code_hash(code) % period.max(1))
}

/// Which of `writers` writers (at least one) workshop `code` goes to.
pub(crate) fn writer_of(code: &str, writers: usize) -> usize {
    // The remainder is below the number of writers, a usize.
    (code_hash(code) % writers.max(1) as u64) as usize
}

/// A hash of a workshop's code, stable across runs and servers: FNV-1a,
/// then SplitMix64's finaliser, so codes that differ only in their last
/// character still differ in every bit (FNV-1a alone leaves its high bits,
/// and so the choice between two writers, the same for BENCH0..BENCH49).
fn code_hash(code: &str) -> u64 {
    let h = code.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The first time at or after `earliest` that is `slot` past a multiple
/// of [`PUBLISH_EVERY`] since `epoch`.
fn next_slot(
    earliest: tokio::time::Instant,
    epoch: tokio::time::Instant,
    slot: Duration,
) -> tokio::time::Instant {
    let base = epoch + slot;
    if earliest <= base {
        return base;
    }
    let period = PUBLISH_EVERY.as_nanos().max(1);
    let periods = (earliest - base).as_nanos().div_ceil(period);
    base + PUBLISH_EVERY * u32::try_from(periods).unwrap_or(u32::MAX)
}

/// SSE comment sent on idle connections so proxies keep them open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What a server needs besides its database.
#[derive(Clone, Debug)]
pub struct Config {
    /// The short workshop code trainees type.
    pub code: String,
    /// The facilitator's secret.
    pub token: String,
    /// The address trainees join, shown on the projector.
    pub join_url: String,
    /// The scenarios submissions are re-scored with.
    pub scenarios: Scenarios,
    /// Per-client limit on submissions and joins (`None`: unlimited).
    pub rate_limit: Option<RateLimit>,
}

/// How many connections the server holds and for how long. The defaults
/// suit a workshop of a few hundred trainees on one laptop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Open connections in all; one more gets a 503 (kind `server_full`).
    pub max_connections: usize,
    /// Of those, projector pages (`GET /api/events`); one more gets a 503
    /// (kind `server_full`) while submissions are still served.
    pub max_event_streams: usize,
    /// Time a client has to send a request's headers, and the longest a
    /// kept-alive connection may sit idle between requests.
    pub header_timeout: Duration,
    /// Time to read a request's body and answer it (event streams excepted).
    pub request_timeout: Duration,
    /// After a shutdown begins, how long requests in flight may take before
    /// their connections are dropped.
    pub shutdown_deadline: Duration,
    /// Open connections from one IP address; one more gets a 503 (kind
    /// `server_full`), so one machine cannot take the room's connections.
    /// 0: no cap per address.
    pub max_per_ip: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 768,
            max_event_streams: 64,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_deadline: Duration::from_secs(5),
            max_per_ip: DEFAULT_MAX_PER_IP,
        }
    }
}

/// Connections one IP address may hold by default: a game holds one or
/// two, a projector page one; a room behind one NAT address may need
/// `kiku serve --max-per-ip` raised (or 0).
pub const DEFAULT_MAX_PER_IP: usize = 64;

/// Open connections per IP address.
#[derive(Clone, Default)]
struct PerIp(Arc<Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>);

/// One connection counted against its address until dropped.
struct IpSlot {
    per_ip: PerIp,
    ip: std::net::IpAddr,
}

impl PerIp {
    /// Counts a connection from `ip`, unless it already holds `max` (0: no cap).
    fn take(&self, ip: std::net::IpAddr, max: usize) -> Option<IpSlot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(ip).or_insert(0);
        if max > 0 && *count >= max {
            return None;
        }
        *count += 1;
        Some(IpSlot {
            per_ip: self.clone(),
            ip,
        })
    }
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        let mut open = self.per_ip.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

impl Limits {
    /// These limits, with the connection caps lowered to fit under
    /// `open_files` (the process's file limit) with room for the database
    /// and the listening socket.
    pub fn fit_open_files(mut self, open_files: u64) -> Limits {
        let room = usize::try_from(open_files.saturating_sub(64))
            .unwrap_or(usize::MAX)
            .max(8);
        self.max_connections = self.max_connections.min(room);
        // Projector pages may never take every connection.
        self.max_event_streams = self.max_event_streams.min(self.max_connections / 4).max(1);
        self
    }
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes event streams and idle connections, waits for
    /// requests in flight up to [`Limits::shutdown_deadline`], then drops
    /// whatever is still open.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or(Ok(()))
    }

    /// Runs until the server stops by itself (it does not, barring errors).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.unwrap_or(Ok(()))
    }
}

/// Starts serving on `listener` with the default [`Limits`] (call within a
/// tokio runtime).
pub fn start(
    listener: tokio::net::TcpListener,
    store: Store,
    config: Config,
) -> std::io::Result<Server> {
    start_with_limits(listener, store, config, Limits::default())
}

/// Starts serving on `listener` (call within a tokio runtime).
pub fn start_with_limits(
    listener: tokio::net::TcpListener,
    store: Store,
    config: Config,
    limits: Limits,
) -> std::io::Result<Server> {
    start_with_store(listener, Box::new(store), config, limits)
}

/// Starts serving on `listener` with any [`BoardStore`] (SQLite or
/// PostgreSQL; call within a tokio runtime): the workshop of
/// `config.code` in that database (one database holds many, each under
/// its code). With PostgreSQL, changes made by other servers to the same
/// workshop reach this one's projectors too.
pub fn start_with_store(
    listener: tokio::net::TcpListener,
    store: Box<dyn BoardStore>,
    config: Config,
    limits: Limits,
) -> std::io::Result<Server> {
    start_router(listener, limits, |stopped| {
        let app = workshop_app(store, config, limits, stopped, None)?;
        follow_other_servers(&app);
        Ok(router(app))
    })
}

/// Serves the router `make` builds (given the server's stop signal) on
/// `listener`, with the connection caps and timeouts of [`Limits`]: one
/// workshop's routes, or an organisation's (`crate::org`).
pub(crate) fn start_router(
    listener: tokio::net::TcpListener,
    limits: Limits,
    make: impl FnOnce(watch::Receiver<bool>) -> std::io::Result<Router>,
) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let router = make(stopped.clone())?;
    let task = tokio::spawn(accept_loop(listener, router, limits, stopped));
    Ok(Server { addr, stop, task })
}

/// One workshop's app, live: its board read and its publisher running
/// until `stopped`.
fn workshop_app(
    store: Box<dyn BoardStore>,
    config: Config,
    limits: Limits,
    stopped: watch::Receiver<bool>,
    writer: Option<&SharedWriter>,
) -> std::io::Result<Arc<App>> {
    let app = Arc::new(App::new(store, config, limits, stopped.clone(), writer)?);
    tokio::spawn(publish(Arc::clone(&app), stopped));
    Ok(app)
}

/// Other servers' changes to `app`'s workshop push its board again, until
/// it stops (PostgreSQL: a `LISTEN` connection of its own).
fn follow_other_servers(app: &Arc<App>) {
    let weak = Arc::downgrade(app);
    let on_change = Box::new(move |changed: bool| {
        let Some(app) = weak.upgrade() else {
            return false;
        };
        if *app.stopped.borrow() {
            return false;
        }
        if changed {
            app.changed(None);
        }
        true
    });
    let _ = app
        .db
        .jobs
        .send(Box::new(move |store: &mut dyn BoardStore| {
            if let Err(e) = store.listen(on_change) {
                eprintln!("warning: changes from other servers will not show: {e}");
            }
            Box::new(|_: Result<(), String>| {}) as Reply
        }));
}

/// One workshop's routes and state (writer thread, publisher, rate
/// limiters, room), for a server of many workshops (`crate::org`), which
/// opens it on demand and closes it when idle. Closed on drop.
pub(crate) struct WorkshopApp {
    /// Its routes, as a single-workshop server serves them.
    pub(crate) router: Router,
    app: Arc<App>,
    stop: watch::Sender<bool>,
}

impl WorkshopApp {
    /// Opens the workshop `config.code` of `store` (call on a thread that
    /// may block, within a tokio runtime). Other servers' changes reach it
    /// through [`WorkshopApp::changed`] (one listener for every workshop).
    /// With `writer`, its changes are written by that writer, shared with
    /// the server's other workshops, and `store` only reads its board.
    pub(crate) fn open(
        store: Box<dyn BoardStore>,
        config: Config,
        limits: Limits,
        writer: Option<&SharedWriter>,
    ) -> std::io::Result<WorkshopApp> {
        let (stop, stopped) = watch::channel(false);
        let app = workshop_app(store, config, limits, stopped, writer)?;
        Ok(WorkshopApp {
            router: router(Arc::clone(&app)),
            app,
            stop,
        })
    }

    /// Projector pages open on it now.
    pub(crate) fn streams_open(&self) -> usize {
        self.app
            .limits
            .max_event_streams
            .saturating_sub(self.app.streams.available_permits())
    }

    /// Another server changed this workshop: read and push its board again.
    pub(crate) fn changed(&self) {
        self.app.changed(None);
    }

    /// Stops its publisher and its event streams; requests in flight still
    /// finish (its writer thread ends with the last of them).
    pub(crate) fn close(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for WorkshopApp {
    fn drop(&mut self) {
        self.close();
    }
}

/// Accepts connections up to the cap (refusing the rest with a 503) and
/// serves each with header and idle timeouts; on shutdown, closes what is
/// idle and gives the rest until the deadline.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_ip = PerIp::default();
    // Refusals are short, but bounded too: past this many, close at once.
    let refusals = Arc::new(Semaphore::new(64));
    let mut tasks = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.wait_for(|s| *s) => break,
        };
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, or the peer gave up: wait a moment
                // instead of spinning.
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) {
                    eprintln!("warning: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let slot = per_ip
            .take(peer.ip(), limits.max_per_ip)
            .and_then(|ip| Some((Arc::clone(&slots).try_acquire_owned().ok()?, ip)));
        match slot {
            Some((slot, ip_slot)) => {
                tasks.spawn(connection(
                    stream,
                    peer,
                    router.clone(),
                    limits,
                    stopped.clone(),
                    (slot, ip_slot),
                ));
            }
            None => {
                if let Ok(permit) = Arc::clone(&refusals).try_acquire_owned() {
                    tasks.spawn(async move {
                        refuse_full(stream).await;
                        drop(permit);
                    });
                }
            }
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(limits.shutdown_deadline, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        eprintln!(
            "closing {} connection(s) still open {} s after the shutdown began",
            tasks.len(),
            limits.shutdown_deadline.as_secs_f32()
        );
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    Ok(())
}

/// Serves one connection (HTTP/1.1) until it closes, times out, or the
/// server stops.
async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
    _slot: (OwnedSemaphorePermit, IpSlot),
) {
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let mut router = router.clone();
        tower_service::Service::call(&mut router, request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // The header timeout also runs while a kept-alive connection waits for
    // its next request: it is the idle timeout too.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true)
        .max_buf_size(MAX_BODY_BYTES * 2);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopped.wait_for(|s| *s) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Answers a connection over the cap with a 503 and closes it.
async fn refuse_full(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = serde_json::to_string(&ErrorBody::new(
        RejectionKind::ServerFull,
        "the workshop server has too many open connections: try again in a few seconds",
    ))
    .unwrap_or_default();
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: {FULL_RETRY_SECS}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        // Read what the client sent so far, so closing does not reset the
        // connection before it reads the answer.
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf)).await;
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        let _ = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
    })
    .await;
}

/// Retry-After for 503 answers when the server is full.
pub(crate) const FULL_RETRY_SECS: u64 = 5;

/// The routes (see README "Workshop server").
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(projector))
        .route("/control", get(control_page))
        .route("/api/control", get(control_state).post(control))
        .route("/api/workshop", get(workshop))
        .route("/api/join", post(join))
        .route("/api/submissions", post(submit))
        .route("/api/board", get(board))
        .route("/api/me/rank", get(my_rank))
        .route("/api/events", get(events))
        .route("/api/entries", get(list_entries))
        .route("/api/entries/{id}", delete(remove_entry))
        .route("/api/reset", post(reset))
        .route("/api/export.csv", get(export_csv))
        .route("/api/players", get(list_players))
        .route("/api/players/rename", post(rename_player))
        .route("/api/players/kick", post(kick_player))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), query_code))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            request_timeout,
        ))
        .with_state(app)
}

/// Work for the database thread: it runs on the store and gives back how
/// to answer once its batch is committed (or not).
type Job = Box<dyn FnOnce(&mut dyn BoardStore) -> Reply + Send>;

/// Answers one job's caller with whether its batch was committed.
type Reply = Box<dyn FnOnce(Result<(), String>) + Send>;

/// The most jobs one group commit takes.
const MAX_BATCH: usize = 512;

/// The one connection that writes, on its own thread: SQLite serialises
/// writers anyway, and the async workers never block on disk. Group commit:
/// every job waiting when the thread comes round runs in one transaction,
/// and nobody is answered until it is durable (one fsync per batch, not per
/// submission, under `synchronous=FULL`).
#[derive(Clone)]
struct Db {
    jobs: std::sync::mpsc::Sender<Job>,
    /// On a writer shared by several workshops: this one's code, entered
    /// before each of its jobs ([`BoardStore::enter_workshop`]).
    workshop: Option<String>,
}

/// The next batch of a writer: the first job to arrive and every one
/// already queued behind it, up to [`MAX_BATCH`]; `None` once every sender
/// is gone.
fn next_batch(queue: &std::sync::mpsc::Receiver<Job>) -> Option<Vec<Job>> {
    let mut batch = vec![queue.recv().ok()?];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Runs a batch in one transaction (group commit) and answers each job
/// once that has committed. Without the outer transaction each change
/// commits (durably) on its own: slower, still correct.
fn run_batch(store: &mut dyn BoardStore, batch: Vec<Job>) {
    let grouped = store.begin_batch();
    let replies: Vec<Reply> = batch.into_iter().map(|job| job(&mut *store)).collect();
    let committed = if grouped {
        store.commit_batch().map_err(|e| e.to_string())
    } else {
        Ok(())
    };
    for reply in replies {
        reply(committed.clone());
    }
}

/// The writer connections of a server of every workshop (PostgreSQL):
/// the same group commit as a workshop's own writer, but each writer's
/// batch holds the changes of every workshop it serves that are waiting,
/// so the database commits (and flushes its log) once for all of them,
/// not once per workshop. A workshop always goes to the same writer (by
/// its code), so its changes keep their order; with several writers the
/// database works on several batches at once. Each connects as it starts
/// (or, failing that, on its next batch), and again after its connection
/// is lost.
#[derive(Clone)]
pub(crate) struct SharedWriter {
    writers: Vec<std::sync::mpsc::Sender<Job>>,
}

/// Opens a shared writer's connection.
pub(crate) type Connect = Arc<dyn Fn() -> Result<Box<dyn BoardStore>, StoreError> + Send + Sync>;

impl SharedWriter {
    /// Starts `count` writer threads (at least one); `connect` opens
    /// each one's connection.
    pub(crate) fn spawn(count: usize, connect: Connect) -> std::io::Result<SharedWriter> {
        let mut writers = Vec::new();
        for n in 0..count.max(1) {
            let (jobs, queue) = std::sync::mpsc::channel::<Job>();
            let connect = Arc::clone(&connect);
            std::thread::Builder::new()
                .name(format!("kiku-board-db-all-{n}"))
                .spawn(move || {
                    // Connected now, so the first submissions do not wait
                    // for it (and again on a batch if this fails).
                    let mut store: Option<Box<dyn BoardStore>> = connect().ok();
                    while let Some(batch) = next_batch(&queue) {
                        if store.is_none() {
                            match connect() {
                                Ok(connected) => store = Some(connected),
                                Err(e) => {
                                    // Dropped unrun: their callers hear
                                    // that the database failed.
                                    eprintln!("error: the writer cannot connect: {e}");
                                    drop(batch);
                                    std::thread::sleep(Duration::from_millis(200));
                                    continue;
                                }
                            }
                        }
                        let Some(connected) = store.as_mut() else {
                            continue;
                        };
                        run_batch(connected.as_mut(), batch);
                        if connected.connection_lost() {
                            store = None;
                        }
                    }
                })?;
            writers.push(jobs);
        }
        Ok(SharedWriter { writers })
    }

    /// Workshop `code`'s way to its writer (always the same one for a
    /// code, picked by [`code_hash`]).
    fn for_workshop(&self, code: &str) -> Db {
        Db {
            jobs: self.writers[writer_of(code, self.writers.len())].clone(),
            workshop: Some(code.to_string()),
        }
    }
}

impl Db {
    fn spawn(mut store: Box<dyn BoardStore>) -> Db {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kiku-board-db".into())
            .spawn(move || {
                while let Some(batch) = next_batch(&queue) {
                    run_batch(store.as_mut(), batch);
                }
            })
            .expect("spawning the database thread");
        Db {
            jobs,
            workshop: None,
        }
    }

    /// A thread for a second connection that only reads (the board): each
    /// job runs on its own, outside any transaction, and is answered at once.
    fn spawn_reader(mut store: Box<dyn BoardStore>) -> Db {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kiku-board-read".into())
            .spawn(move || {
                while let Ok(job) = queue.recv() {
                    job(store.as_mut())(Ok(()));
                }
            })
            .expect("spawning the board reader thread");
        Db {
            jobs,
            workshop: None,
        }
    }

    async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn BoardStore) -> R + Send + 'static,
    ) -> Result<R, ApiError> {
        let (tx, rx) = oneshot::channel();
        let workshop = self.workshop.clone();
        self.jobs
            .send(Box::new(move |store| {
                if let Some(code) = workshop
                    && let Err(e) = store.enter_workshop(&code)
                {
                    let e = e.to_string();
                    return Box::new(move |_: Result<(), String>| {
                        let _ = tx.send(Err(e));
                    });
                }
                let result = f(store);
                Box::new(move |committed: Result<(), String>| {
                    let _ = tx.send(committed.map(|()| result));
                })
            }))
            .map_err(|_| ApiError::internal("the database thread has stopped"))?;
        rx.await
            .map_err(|_| ApiError::internal("the database thread has stopped"))?
            .map_err(|e| ApiError::internal(format!("the database could not commit: {e}")))
    }
}

struct App {
    db: Db,
    /// Reads the board: a second connection on its own thread, so a
    /// rebuild never holds up the submissions waiting for the writer (the
    /// writer itself when the store has no second connection).
    reader: Db,
    /// Changes made so far (see [`App::changed`]).
    changes: AtomicU64,
    /// How many of [`App::changes`] the board in `snapshot` shows.
    built: AtomicU64,
    /// Held while the board is rebuilt and shown (on request, `GET
    /// /api/board`, or pushed), so requests arriving together share one
    /// rebuild and an older board never replaces a newer one.
    rebuilding: tokio::sync::Mutex<()>,
    config: Config,
    limiter: Option<Mutex<Limiter>>,
    /// Joins have their own allowance, so joining never uses up a
    /// trainee's submissions.
    join_limiter: Option<Mutex<Limiter>>,
    /// Signalled after every change to the board.
    changed: Notify,
    /// Entries stored since the last push (highlighted on the projector).
    fresh: Mutex<Vec<i64>>,
    /// The latest board as JSON.
    snapshot: RwLock<Arc<str>>,
    /// Pushed boards.
    pushes: broadcast::Sender<Arc<str>>,
    stopped: watch::Receiver<bool>,
    limits: Limits,
    /// One permit per open event stream.
    streams: Arc<Semaphore>,
    /// What the facilitator has done to the room (lock, freeze), and
    /// whether the next push reveals the board.
    room: Mutex<Room>,
}

/// The room's state as this server last read it from the database (where
/// it lives, so it survives a restart and every server on a PostgreSQL
/// database sees it), and how many reveals it has shown.
#[derive(Debug, Default)]
struct Room {
    state: ControlState,
    reveals_seen: u64,
}

/// The `meta` key of the room's state ([`StoredRoom`] as JSON).
const ROOM_KEY: &str = "room";
/// The `meta` key of the board the projectors froze with ([`PublicBoard`]
/// as JSON), while the room is frozen.
const FROZEN_BOARD_KEY: &str = "frozen_board";

/// What the facilitator has done to the room, as stored: lock, freeze, the
/// required reply mode, and how many times the board has been revealed
/// (each server shows the podium once for every new reveal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(default)]
struct StoredRoom {
    locked: bool,
    frozen: bool,
    mode: Option<Mode>,
    reveals: u64,
}

impl StoredRoom {
    fn state(self) -> ControlState {
        ControlState {
            locked: self.locked,
            frozen: self.frozen,
            mode: self.mode,
        }
    }
}

/// The room's state from the database (the default if never set, or if
/// it cannot be read), and the frozen board when it is frozen.
fn read_room(store: &mut dyn BoardStore) -> Result<(StoredRoom, Option<String>), StoreError> {
    let room: StoredRoom = match store.meta(ROOM_KEY)? {
        Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
            eprintln!("warning: the stored room state cannot be read ({e}); starting afresh");
            StoredRoom::default()
        }),
        None => StoredRoom::default(),
    };
    let frozen = if room.frozen {
        store.meta(FROZEN_BOARD_KEY)?
    } else {
        None
    };
    Ok((room, frozen))
}

fn write_room(store: &mut dyn BoardStore, room: &StoredRoom) -> Result<(), StoreError> {
    let json = serde_json::to_string(room).unwrap_or_default();
    store.set_meta(ROOM_KEY, &json)
}

/// The reply mode the workshop in `store` requires (`None`: either).
pub fn required_mode(store: &mut dyn BoardStore) -> Result<Option<Mode>, StoreError> {
    Ok(read_room(store)?.0.mode)
}

/// Sets the reply mode the workshop in `store` requires (`kiku serve
/// --mode`; `None`: either), keeping the rest of the room's state.
pub fn set_required_mode(store: &mut dyn BoardStore, mode: Option<Mode>) -> Result<(), StoreError> {
    let (mut room, _) = read_room(store)?;
    room.mode = mode;
    write_room(store, &room)
}

impl App {
    fn new(
        mut store: Box<dyn BoardStore>,
        config: Config,
        limits: Limits,
        stopped: watch::Receiver<bool>,
        writer: Option<&SharedWriter>,
    ) -> std::io::Result<App> {
        let limiter = config.rate_limit.map(|l| Mutex::new(Limiter::new(l)));
        let join_limiter = config.rate_limit.map(|l| Mutex::new(Limiter::new(l)));
        // The first page load gets a real board, not an empty one.
        // On a thread of its own: a blocking PostgreSQL client may not run
        // inside the async runtime that calls this.
        let mut reader = None;
        let shared = writer.is_some();
        let first = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    store.use_workshop(&config.code)?;
                    if shared {
                        // `store` itself reads the board (the writer is shared).
                        return Ok((boards(store.as_mut())?, read_room(store.as_mut())?));
                    }
                    reader = store.reader().unwrap_or_else(|e| {
                        eprintln!("warning: the board is read on the writer's connection: {e}");
                        None
                    });
                    Ok((boards(store.as_mut())?, read_room(store.as_mut())?))
                })
                .join()
                .unwrap_or_else(|_| Err(StoreError::Postgres("reading the board panicked".into())))
        });
        if store.workshop() != config.code {
            return Err(std::io::Error::other(format!(
                "the workshop {} cannot be opened in the database: {}",
                config.code,
                first.err().map(|e| e.to_string()).unwrap_or_default()
            )));
        }
        let (first, (room, frozen)) = match first {
            Ok(read) => read,
            Err(e) => {
                eprintln!("warning: could not read the board: {e}");
                Default::default()
            }
        };
        // A restarted server keeps the room as the facilitator left it:
        // still frozen on the same board, and no podium shown again.
        let first = match frozen.and_then(|json| frozen_board(&config, &json)) {
            Some(frozen) => frozen,
            None => public_board(&config, first, Vec::new()),
        };
        let first = serde_json::to_string(&first).unwrap_or_default();
        let room = Room {
            state: room.state(),
            reveals_seen: room.reveals,
        };
        let (pushes, _) = broadcast::channel(16);
        let (db, reader) = match writer {
            Some(writer) => (writer.for_workshop(&config.code), Db::spawn_reader(store)),
            None => {
                let db = Db::spawn(store);
                (db.clone(), reader.map_or(db, Db::spawn_reader))
            }
        };
        Ok(App {
            reader,
            changes: AtomicU64::new(0),
            built: AtomicU64::new(0),
            rebuilding: tokio::sync::Mutex::new(()),
            db,
            limiter,
            join_limiter,
            changed: Notify::new(),
            fresh: Mutex::new(Vec::new()),
            snapshot: RwLock::new(Arc::from(first)),
            pushes,
            stopped,
            config,
            limits,
            streams: Arc::new(Semaphore::new(limits.max_event_streams)),
            room: Mutex::new(room),
        })
    }

    fn room(&self) -> std::sync::MutexGuard<'_, Room> {
        self.room.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Shows `board`, built after `changes` changes, on every projector
    /// now and on pages opened later.
    fn show_built(&self, board: &PublicBoard, changes: u64) {
        self.built.fetch_max(changes, Ordering::SeqCst);
        self.show(board);
    }

    /// True when changes were made since the board was last built.
    fn stale(&self) -> bool {
        self.changes.load(Ordering::SeqCst) > self.built.load(Ordering::SeqCst)
    }

    /// Shows `board` on every projector now, and on pages opened later.
    fn show(&self, board: &PublicBoard) {
        let pushed: Arc<str> = Arc::from(serde_json::to_string(board).unwrap_or_default());
        let mut resting = board.clone();
        resting.fresh.clear();
        resting.reveal = false;
        let resting: Arc<str> = Arc::from(serde_json::to_string(&resting).unwrap_or_default());
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = resting;
        let _ = self.pushes.send(pushed);
    }

    fn limit(&self, peer: SocketAddr) -> Result<(), ApiError> {
        Self::limit_with(self.limiter.as_ref(), peer)
    }

    fn limit_join(&self, peer: SocketAddr) -> Result<(), ApiError> {
        Self::limit_with(self.join_limiter.as_ref(), peer)
    }

    fn limit_with(limiter: Option<&Mutex<Limiter>>, peer: SocketAddr) -> Result<(), ApiError> {
        let Some(limiter) = limiter else {
            return Ok(());
        };
        let mut limiter = limiter.lock().unwrap_or_else(|e| e.into_inner());
        limiter.check(peer.ip(), Instant::now()).map_err(|wait| {
            let secs = wait.as_secs() + 1;
            ApiError {
                retry_after: Some(secs),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    RejectionKind::RateLimited,
                    format!("too many requests from this computer: try again in {secs} s"),
                )
            }
        })
    }

    fn check_code(&self, code: &str) -> Result<(), ApiError> {
        if code.trim().eq_ignore_ascii_case(&self.config.code) {
            Ok(())
        } else {
            Err(wrong_code())
        }
    }

    fn authorize(&self, headers: &HeaderMap, query: &TokenQuery) -> Result<(), ApiError> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let given = bearer.or(query.token.as_deref()).unwrap_or("");
        if !given.is_empty() && same(given.as_bytes(), self.config.token.as_bytes()) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                RejectionKind::Unauthorized,
                "this needs the facilitator token (header `Authorization: Bearer TOKEN`)",
            ))
        }
    }

    /// Called once a change is committed (here, or on another server).
    fn changed(&self, fresh: Option<i64>) {
        self.changes.fetch_add(1, Ordering::SeqCst);
        if let Some(id) = fresh {
            self.fresh
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(id);
        }
        self.changed.notify_one();
    }

    fn snapshot(&self) -> Arc<str> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The choose-mode and recall-mode boards: each mode is ranked on its own.
fn boards(store: &mut dyn BoardStore) -> Result<(Board, Board), StoreError> {
    Ok((
        store.board_in(TOP, Ranking::BestPerName, Mode::Choose)?,
        store.board_in(TOP, Ranking::BestPerName, Mode::Recall)?,
    ))
}

fn public_board(config: &Config, (board, recall): (Board, Board), fresh: Vec<i64>) -> PublicBoard {
    let mut scenarios: Vec<ScenarioBoard> = config
        .scenarios
        .infos()
        .into_iter()
        .map(|info| ScenarioBoard {
            id: info.id,
            title: info.title,
            rows: Vec::new(),
            ranked: 0,
        })
        .collect();
    for with_rows in board.scenarios {
        match scenarios.iter_mut().find(|s| s.id == with_rows.id) {
            Some(known) => {
                known.rows = with_rows.rows;
                known.ranked = with_rows.ranked;
            }
            None => scenarios.push(with_rows),
        }
    }
    PublicBoard {
        code: config.code.clone(),
        join: config.join_url.clone(),
        entries: board.entries,
        overall: board.overall,
        ranked: board.ranked,
        scenarios,
        fresh,
        frozen: false,
        reveal: false,
        // Shown only once someone has played in recall mode.
        recall: (recall.entries > 0).then_some(ModeBoard {
            entries: recall.entries,
            overall: recall.overall,
            ranked: recall.ranked,
            scenarios: recall.scenarios,
        }),
    }
}

/// The frozen board as stored (perhaps by another server), with this
/// server's code and address.
fn frozen_board(config: &Config, json: &str) -> Option<PublicBoard> {
    let mut board: PublicBoard = serde_json::from_str(json).ok()?;
    board.code = config.code.clone();
    board.join = config.join_url.clone();
    board.frozen = true;
    board.fresh.clear();
    board.reveal = false;
    Some(board)
}

/// Recomputes and pushes the board after changes: [`PUBLISH_DELAY`] after
/// the first, and at most once per [`PUBLISH_EVERY`] (under a steady
/// stream of changes, at the workshop's own place in each period:
/// [`publish_slot`]); the boards only
/// while a projector watches (`GET /api/events`), the room's state always
/// (it decides what submissions and joins may do).
async fn publish(app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    // One epoch for every workshop of the process, so their slots spread.
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let epoch = tokio::time::Instant::from_std(*EPOCH.get_or_init(std::time::Instant::now));
    let slot = publish_slot(&app.config.code);
    let mut last = tokio::time::Instant::now() - PUBLISH_EVERY;
    loop {
        tokio::select! {
            () = app.changed.notified() => {}
            _ = stopped.wait_for(|s| *s) => return,
        }
        // Changes meanwhile are taken in by this push (a notice left while
        // it runs brings another).
        // A board quiet for a while: pushed soon after its change. Under a
        // steady stream: once per period, at this workshop's slot.
        let soon = tokio::time::Instant::now() + PUBLISH_DELAY;
        let due = if last + PUBLISH_EVERY > soon {
            // (Not before `last`'s slot a period on, however late it ran.)
            next_slot(last + PUBLISH_EVERY - PUBLISH_DELAY, epoch, slot)
        } else {
            soon
        };
        tokio::time::sleep_until(due).await;
        last = tokio::time::Instant::now();
        // One rebuild at a time (here or for a request), so boards are
        // shown in the order they were read.
        let _one_at_a_time = app.rebuilding.lock().await;
        // Nobody watches: the board waits for someone to ask for it.
        let watched = app.pushes.receiver_count() > 0;
        // Counted before reading: every change counted is committed.
        let changes = app.changes.load(Ordering::SeqCst);
        let read = app
            .reader
            .call(move |s| -> Result<_, StoreError> {
                let board = if watched { Some(boards(s)?) } else { None };
                let room = read_room(s)?;
                // At most once a second, after changes, off the writer.
                if let Err(e) = s.checkpoint() {
                    eprintln!("warning: the database's log could not be checkpointed: {e}");
                }
                Ok((board, room))
            })
            .await;
        let (board, (room, frozen)) = match read {
            Ok(Ok(read)) => read,
            Ok(Err(e)) => {
                eprintln!("warning: could not read the board: {e}");
                continue;
            }
            Err(_) => return,
        };
        let fresh = std::mem::take(&mut *app.fresh.lock().unwrap_or_else(|e| e.into_inner()));
        let mut public = board.map(|board| public_board(&app.config, board, fresh));
        let newly_frozen = {
            let mut seen = app.room();
            let newly_frozen = room.frozen && !seen.state.frozen;
            seen.state = room.state();
            // A reveal made here or on another server: the podium, once.
            if let Some(public) = &mut public {
                public.reveal = room.reveals > seen.reveals_seen;
            }
            seen.reveals_seen = room.reveals;
            newly_frozen
        };
        // Frozen: the projectors keep the board they froze with (frozen on
        // another server: the one it stored).
        if room.frozen {
            if newly_frozen
                && let Some(board) = frozen.and_then(|json| frozen_board(&app.config, &json))
            {
                app.show(&board);
            }
            continue;
        }
        if let Some(public) = public {
            app.show_built(&public, changes);
        }
    }
}

/// The board as it is now, for `GET /api/board` and a freeze: rebuilt on
/// the reader first when changes came since it was last built (which
/// happens while no projector watches), unless the room is frozen.
async fn current_board(app: &Arc<App>) -> Arc<str> {
    if app.stale() && !app.room().state.frozen {
        let _one_at_a_time = app.rebuilding.lock().await;
        if app.stale() {
            let changes = app.changes.load(Ordering::SeqCst);
            match app
                .reader
                .call(|s| -> Result<_, StoreError> { Ok((boards(s)?, read_room(s)?.0)) })
                .await
            {
                // Frozen meanwhile (perhaps on another server): the
                // publisher shows the frozen board.
                Ok(Ok((board, room))) if !room.frozen && !app.room().state.frozen => {
                    let public = public_board(&app.config, board, Vec::new());
                    let resting: Arc<str> =
                        Arc::from(serde_json::to_string(&public).unwrap_or_default());
                    app.built.fetch_max(changes, Ordering::SeqCst);
                    *app.snapshot.write().unwrap_or_else(|e| e.into_inner()) = resting;
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => eprintln!("warning: could not read the board: {e}"),
                Err(_) => {}
            }
        }
    }
    app.snapshot()
}

/// An error answer: a status and an [`ErrorBody`].
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) kind: RejectionKind,
    pub(crate) message: String,
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        kind: RejectionKind,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            RejectionKind::Internal,
            message,
        )
    }
}

impl From<Rejection> for ApiError {
    fn from(r: Rejection) -> ApiError {
        ApiError::new(
            StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST),
            r.kind,
            r.message,
        )
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        // The details are for the facilitator's terminal, not for clients.
        eprintln!("error: {e}");
        ApiError::internal(
            "the server could not store this: the database failed (see the server's terminal)",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(ErrorBody::new(self.kind, self.message))).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// True for `application/json`, with or without parameters
/// (`; charset=utf-8`), in any case.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a JSON body, turning every failure into a clear 4xx. Only
/// `Content-Type: application/json` is read: a browser cannot send that
/// to another site without asking it first (CORS preflight), so a web page
/// cannot post forms or text here behind a trainee's back.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    if !is_json(headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RejectionKind::UnsupportedMediaType,
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                RejectionKind::TooLarge,
                format!("the request body is over {} KiB", MAX_BODY_BYTES / 1024),
            )
        } else {
            ApiError::new(
                e.status(),
                RejectionKind::BadBody,
                format!("could not read the body: {e}"),
            )
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let what = if e.is_data() {
            "the JSON does not have the expected fields"
        } else {
            "the body is not valid JSON"
        };
        ApiError::new(
            StatusCode::BAD_REQUEST,
            RejectionKind::MalformedJson,
            format!("{what}: {e}"),
        )
    })
}

/// `GET /api/me/rank?scenario=ID&mode=choose|recall`.
#[derive(Debug, Deserialize)]
struct RankQuery {
    scenario: String,
    #[serde(default)]
    mode: Mode,
}

/// A trainee's own rank, for their eyes only: found by their player token,
/// never by name, so nobody reads another's place at the bottom.
async fn my_rank(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    query: Result<Query<RankQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<MyRank>, ApiError> {
    app.limit_join(peer)?;
    let Ok(Query(RankQuery { scenario, mode })) = query else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            RejectionKind::BadQuery,
            "give ?scenario=ID once, and ?mode= as choose or recall (choose if left out)",
        ));
    };
    let token = player_token(&headers)?;
    let answer = app
        .db
        .call(move |s| -> Result<Option<MyRank>, StoreError> {
            let Some(Player {
                nickname,
                kicked: false,
            }) = s.player(&token)?
            else {
                return Ok(None);
            };
            let standing = s.standing(&scenario, mode, &nickname)?;
            let (here, anywhere) = s.is_ranked(&scenario, mode, &nickname)?;
            Ok(Some(MyRank {
                nickname,
                scenario,
                mode,
                rank: here.then_some(standing.scenario_rank),
                of: standing.scenario_of,
                score: here.then_some(standing.scenario_best),
                overall_rank: anywhere.then_some(standing.overall_rank),
                overall_of: standing.overall_of,
                total: standing.total,
            }))
        })
        .await??;
    answer
        .map(Json)
        .ok_or_else(|| bad_player("this player token is not known here: join the workshop again"))
}

/// `?token=` for facilitator links opened in a browser.
#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The `?token=` query, or a JSON 400 when it cannot be read (e.g. the
/// token given twice).
struct TokenParam(TokenQuery);

impl<S: Send + Sync> FromRequestParts<S> for TokenParam {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<TokenParam, ApiError> {
        match Query::<TokenQuery>::from_request_parts(parts, state).await {
            Ok(Query(query)) => Ok(TokenParam(query)),
            Err(_) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                RejectionKind::BadQuery,
                "the query string cannot be read: give `?token=` once at most",
            )),
        }
    }
}

async fn projector() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Html(page::PROJECTOR_HTML),
    )
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        RejectionKind::NotFound,
        "no such endpoint (see README: Workshop server)",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        RejectionKind::NotFound,
        "this endpoint does not take that method (see README: Workshop server)",
    )
}

/// Bounds the time to read a request's body and answer it, so a client
/// that trickles its body cannot hold a connection (event streams are
/// answered at once and stream on).
async fn request_timeout(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(app.limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            RejectionKind::Timeout,
            "the request took too long to arrive",
        )
        .into_response(),
    }
}

async fn workshop(State(app): State<Arc<App>>) -> Json<WorkshopInfo> {
    Json(WorkshopInfo {
        server: "kiku".into(),
        scenarios: app.config.scenarios.infos(),
        mode: app.room().state.mode,
    })
}

async fn join(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Joined>, ApiError> {
    app.limit_join(peer)?;
    let request: JoinRequest = parse_body(&headers, body)?;
    app.check_code(&request.code)?;
    let nickname = rescore::check_nickname(&request.nickname)?;
    let name = nickname.clone();
    let given = request.player.filter(|t| !t.is_empty() && t.len() <= 128);
    let (outcome, mode) = app
        .db
        .call(
            move |s| -> Result<(Option<JoinOutcome>, Option<Mode>), StoreError> {
                // Read here, not from memory: another server on the same
                // database may have locked joining a moment ago.
                let (room, _) = read_room(s)?;
                // Locked: only a player coming back with their own token.
                if room.locked {
                    let back = match given.as_deref() {
                        Some(token) => s.player(token)?,
                        None => None,
                    };
                    if !matches!(back, Some(Player { nickname, kicked: false }) if nickname == name)
                    {
                        return Ok((None, room.mode));
                    }
                }
                Ok((Some(s.join_player(&name, given.as_deref())?), room.mode))
            },
        )
        .await??;
    let Some(outcome) = outcome else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            RejectionKind::JoiningLocked,
            "参加の受付は締め切られました / the facilitator has closed joining for this workshop",
        ));
    };
    match outcome {
        JoinOutcome::Joined {
            nickname,
            token,
            taken,
        } => Ok(Json(Joined {
            nickname,
            taken,
            scenarios: app.config.scenarios.infos(),
            player: token,
            mode,
        })),
        JoinOutcome::Taken(holder) => Err(name_taken(&nickname, &holder)),
    }
}

/// The refusal of a nickname another player holds (or one like it).
fn name_taken(wanted: &str, holder: &str) -> ApiError {
    let message = if wanted == holder {
        format!(
            "「{wanted}」は使われています。別の名前にしてください / \
             \"{wanted}\" is taken in this workshop: pick another nickname"
        )
    } else {
        format!(
            "「{wanted}」は「{holder}」と見分けにくいため使えません / \
             \"{wanted}\" looks too much like \"{holder}\", already in this workshop: pick another nickname"
        )
    };
    ApiError::new(StatusCode::CONFLICT, RejectionKind::NicknameTaken, message)
}

/// The player token a submission carries (header [`PLAYER_HEADER`]).
fn player_token(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(PLAYER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .map(str::to_string)
        .ok_or_else(|| {
            bad_player(
                "join the workshop first: a submission needs the player token \
                 from POST /api/join (header X-Kiku-Player)",
            )
        })
}

/// The refusal of a submission played in the mode the workshop does not
/// allow.
fn wrong_mode(required: Mode) -> ApiError {
    let message = match required {
        Mode::Recall => {
            "このワークショップでは「自分の言葉で言う」で返答します。その返答のしかたで、\
             もう一度1on1をしてください / this workshop is played in recall mode \
             (say it in your own words): play the 1on1 again in that mode"
        }
        Mode::Choose => {
            "このワークショップでは「選んで答える」で返答します。その返答のしかたで、\
             もう一度1on1をしてください / this workshop is played in choose mode \
             (choose a reply): play the 1on1 again in that mode"
        }
    };
    ApiError::new(StatusCode::CONFLICT, RejectionKind::WrongMode, message)
}

fn bad_player(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        RejectionKind::BadPlayer,
        message.to_string(),
    )
}

/// Why a submission was not stored, on the database thread.
enum NotStored {
    UnknownPlayer,
    Store(StoreError),
}

async fn submit(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    app.limit(peer)?;
    let submission: Submission = parse_body(&headers, body)?;
    app.check_code(&submission.code)?;
    let required = app.room().state.mode;
    if let Some(required) = required.filter(|m| *m != submission.mode) {
        return Err(wrong_mode(required));
    }
    let mut new = rescore::rescore(&app.config.scenarios, &submission, now_ms())?;
    let token = player_token(&headers)?;
    let inserted = app
        .db
        .call(move |s| {
            // Timed as it is stored, on the workshop's one writer thread:
            // its entries are timed in the order they are stored.
            new.finished.finished_ms = now_ms();
            // The token decides whose entry it is (after a rename by the
            // facilitator, the game may still send the old nickname).
            s.insert_as(&token, &mut new)
                .map_err(NotStored::Store)?
                .ok_or(NotStored::UnknownPlayer)
        })
        .await?
        .map_err(|e| match e {
            NotStored::UnknownPlayer => {
                bad_player("this player token is not known here: join the workshop again")
            }
            NotStored::Store(StoreError::SubmissionTaken) => ApiError::new(
                StatusCode::CONFLICT,
                RejectionKind::BadId,
                "this submission id is in use: send the 1on1 with a new id",
            ),
            NotStored::Store(other) => other.into(),
        })?;
    let status = if inserted.duplicate {
        StatusCode::OK
    } else {
        app.changed(Some(inserted.entry.id));
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(Accepted {
            entry: inserted.entry,
            duplicate: inserted.duplicate,
            standing: inserted.standing,
        }),
    ))
}

async fn board(State(app): State<Arc<App>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        current_board(&app).await.to_string(),
    )
        .into_response()
}

/// The answer when `max` projector pages are open already (503, try again
/// later); `on` says where (" on this server" when the cap is the whole
/// process's).
pub(crate) fn projectors_full(max: usize, on: &str) -> ApiError {
    ApiError {
        retry_after: Some(FULL_RETRY_SECS),
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            RejectionKind::ServerFull,
            format!("{max} projector pages are open{on} already: close one, or use GET /api/board"),
        )
    }
}

async fn events(State(app): State<Arc<App>>) -> Result<impl IntoResponse, ApiError> {
    struct Feed {
        first: Option<Arc<str>>,
        pushes: broadcast::Receiver<Arc<str>>,
        stopped: watch::Receiver<bool>,
        app: Arc<App>,
        /// Held while the stream is open.
        _slot: OwnedSemaphorePermit,
    }
    let slot = Arc::clone(&app.streams)
        .try_acquire_owned()
        .map_err(|_| projectors_full(app.limits.max_event_streams, ""))?;
    // The board was not kept up to date while nobody watched: a fresh one
    // follows shortly.
    if app.stale() {
        app.changed.notify_one();
    }
    let feed = Feed {
        _slot: slot,
        first: Some(app.snapshot()),
        pushes: app.pushes.subscribe(),
        stopped: app.stopped.clone(),
        app,
    };
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        let data = if let Some(first) = feed.first.take() {
            first
        } else {
            tokio::select! {
                pushed = feed.pushes.recv() => match pushed {
                    Ok(data) => data,
                    // Every push is a whole board: after a gap, the latest will do.
                    Err(broadcast::error::RecvError::Lagged(_)) => feed.app.snapshot(),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = feed.stopped.wait_for(|s| *s) => return None,
            }
        };
        let event = Event::default().event("board").data(&*data);
        Some((Ok::<_, Infallible>(event), feed))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

async fn list_entries(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
) -> Result<Json<EntryList>, ApiError> {
    app.authorize(&headers, &query)?;
    let entries = app.db.call(|s| s.entries()).await??;
    Ok(Json(EntryList { entries }))
}

async fn remove_entry(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
    Path(id): Path<String>,
) -> Result<Json<Removed<Entry>>, ApiError> {
    app.authorize(&headers, &query)?;
    let id: i64 = id.parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            RejectionKind::BadId,
            format!("`{id}` is not an entry id"),
        )
    })?;
    match app.db.call(move |s| s.remove(id)).await?? {
        Some(entry) => {
            app.changed(None);
            Ok(Json(Removed { removed: entry }))
        }
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            RejectionKind::NoEntry,
            format!("there is no entry {id}"),
        )),
    }
}

async fn control_page() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Html(page::CONTROL_HTML),
    )
}

async fn control_state(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
) -> Result<Json<ControlState>, ApiError> {
    app.authorize(&headers, &query)?;
    // From the database: another server on it may have changed the room.
    let (room, _) = app.db.call(|s| read_room(s)).await??;
    Ok(Json(room.state()))
}

/// The facilitator locks or opens joining, freezes the projector's board or
/// reveals it with a podium.
async fn control(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ControlState>, ApiError> {
    app.authorize(&headers, &query)?;
    let request: ControlRequest = parse_body(&headers, body)?;
    let action = request.action;
    // The board the projectors freeze with: the one they show now.
    let frozen_board = match action {
        ControlAction::Freeze => {
            let mut board: PublicBoard = serde_json::from_str(&current_board(&app).await)
                .map_err(|e| ApiError::internal(format!("the board cannot be read: {e}")))?;
            board.frozen = true;
            board.fresh.clear();
            Some(board)
        }
        _ => None,
    };
    let frozen_json = frozen_board
        .as_ref()
        .map(|b| serde_json::to_string(b).unwrap_or_default());
    // Read, changed and written on the database thread, so two servers on
    // one database (or two facilitators) never undo each other's change.
    let (before, after) = app
        .db
        .call(move |s| -> Result<(StoredRoom, StoredRoom), StoreError> {
            let (before, _) = read_room(s)?;
            let mut room = before;
            match action {
                ControlAction::Lock => room.locked = true,
                ControlAction::Unlock => room.locked = false,
                ControlAction::Freeze => {
                    if !room.frozen
                        && let Some(json) = &frozen_json
                    {
                        s.set_meta(FROZEN_BOARD_KEY, json)?;
                    }
                    room.frozen = true;
                }
                ControlAction::Reveal => {
                    room.frozen = false;
                    room.reveals += 1;
                }
                ControlAction::RequireChoose => room.mode = Some(Mode::Choose),
                ControlAction::RequireRecall => room.mode = Some(Mode::Recall),
                ControlAction::AnyMode => room.mode = None,
            }
            if room != before {
                write_room(s, &room)?;
            }
            Ok((before, room))
        })
        .await??;
    {
        let mut seen = app.room();
        seen.state.locked = after.locked;
        seen.state.mode = after.mode;
        if after.frozen && !before.frozen {
            seen.state.frozen = true;
        }
    }
    match frozen_board {
        Some(board) if !before.frozen => app.show(&board),
        // The publisher shows the podium (here and on every other server).
        _ if action == ControlAction::Reveal => app.changed(None),
        _ => {}
    }
    Ok(Json(after.state()))
}

async fn reset(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
) -> Result<Json<Removed<u64>>, ApiError> {
    app.authorize(&headers, &query)?;
    let removed = app.db.call(|s| s.reset()).await??;
    app.changed(None);
    Ok(Json(Removed { removed }))
}

async fn list_players(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
) -> Result<Json<PlayerList>, ApiError> {
    app.authorize(&headers, &query)?;
    let players = app.db.call(|s| s.players()).await??;
    Ok(Json(PlayerList { players }))
}

async fn rename_player(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Renamed>, ApiError> {
    app.authorize(&headers, &query)?;
    let request: RenameRequest = parse_body(&headers, body)?;
    // The facilitator is trusted with words (a real name may trip the
    // block list), not with invisible characters or lookalikes.
    let to = rescore::check_nickname_any_words(&request.to)?;
    let (from, new) = (request.from.clone(), to.clone());
    match app.db.call(move |s| s.rename_player(&from, &new)).await?? {
        RenameOutcome::Renamed => {
            app.changed(None);
            Ok(Json(Renamed {
                from: request.from,
                to,
            }))
        }
        RenameOutcome::Taken(holder) => Err(name_taken(&to, &holder)),
        RenameOutcome::NoSuchPlayer => Err(no_player(&request.from)),
    }
}

async fn kick_player(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Kicked>, ApiError> {
    app.authorize(&headers, &query)?;
    let request: KickRequest = parse_body(&headers, body)?;
    let name = request.nickname.clone();
    match app.db.call(move |s| s.kick_player(&name)).await?? {
        Some(removed) => {
            app.changed(None);
            Ok(Json(Kicked {
                kicked: request.nickname,
                removed,
            }))
        }
        None => Err(no_player(&request.nickname)),
    }
}

fn no_player(nickname: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        RejectionKind::NoPlayer,
        format!(
            "no player is called `{}` (GET /api/players lists them)",
            nickname.chars().take(40).collect::<String>()
        ),
    )
}

async fn export_csv(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    TokenParam(query): TokenParam,
) -> Result<Response, ApiError> {
    app.authorize(&headers, &query)?;
    let entries = app.db.call(|s| s.entries()).await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kiku-workshop.csv\"",
            ),
        ],
        csv::export(&entries),
    )
        .into_response())
}

/// The refusal of a workshop code this server does not serve.
pub(crate) fn wrong_code() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        RejectionKind::WrongCode,
        "wrong workshop code: check the code on the projector",
    )
}

/// The `code` parameters of a request's query string (none if it has no
/// query, or one that cannot be read: the handlers refuse that themselves).
pub(crate) fn query_codes(uri: &axum::http::Uri) -> Vec<String> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| {
            pairs
                .into_iter()
                .filter(|(key, _)| key == "code")
                .map(|(_, value)| value)
                .collect()
        })
        .unwrap_or_default()
}

/// The game names its workshop with `?code=` on every GET (a server of
/// many workshops routes by it): a code other than this workshop's is
/// refused as `wrong_code`, as a wrong code in a body is.
async fn query_code(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let codes = query_codes(request.uri());
    if codes.iter().any(|c| app.check_code(c).is_err()) {
        return wrong_code().into_response();
    }
    next.run(request).await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    pub(crate) const CODE: &str = "TEST42";
    pub(crate) const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    /// A server on 127.0.0.1 with these limits.
    pub(crate) async fn serve(limits: Limits) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = Config {
            code: CODE.into(),
            token: TOKEN.into(),
            join_url: format!("http://{addr}/"),
            scenarios: Scenarios::new([crate::server_tests_fixture()]),
            rate_limit: None,
        };
        start_with_limits(listener, Store::open_in_memory().unwrap(), config, limits).unwrap()
    }

    /// Limits small enough for tests to reach.
    pub(crate) fn quick() -> Limits {
        Limits {
            header_timeout: Duration::from_millis(300),
            shutdown_deadline: Duration::from_millis(300),
            ..Limits::default()
        }
    }

    /// Reads until the peer closes (or 5 s pass); returns what came and
    /// whether it closed.
    pub(crate) async fn read_to_close(stream: &mut TcpStream) -> (String, bool) {
        let mut got = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            let mut buf = [0u8; 4096];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await
        .is_ok();
        (String::from_utf8_lossy(&got).into_owned(), closed)
    }

    /// One request on its own connection (`Connection: close`): the status
    /// and the body.
    pub(crate) async fn http(
        addr: SocketAddr,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(body);
        stream.write_all(head.as_bytes()).await.unwrap();
        let (answer, closed) = read_to_close(&mut stream).await;
        assert!(closed, "no answer to {method} {path}: {answer}");
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// POSTs JSON.
    pub(crate) async fn post_json(
        addr: SocketAddr,
        path: &str,
        extra: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend_from_slice(extra);
        let (status, body) = http(addr, "POST", path, &headers, &body.to_string()).await;
        (status, parse(&body))
    }

    /// The JSON of a body (chunked bodies: the part in braces).
    pub(crate) fn parse(body: &str) -> serde_json::Value {
        let start = body.find('{').unwrap_or(0);
        let end = body.rfind('}').map_or(body.len(), |e| e + 1);
        serde_json::from_str(&body[start..end]).unwrap_or(serde_json::Value::Null)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn half_a_request_and_idle_connections_are_closed() {
        let server = serve(quick()).await;
        let started = Instant::now();
        let mut half = TcpStream::connect(server.addr()).await.unwrap();
        half.write_all(b"G").await.unwrap();
        let mut idle = TcpStream::connect(server.addr()).await.unwrap();
        let (_, closed) = read_to_close(&mut half).await;
        assert!(closed, "a half request stays open");
        let (_, closed) = read_to_close(&mut idle).await;
        assert!(closed, "an idle connection stays open");
        assert!(started.elapsed() < Duration::from_secs(3));
        // A kept-alive connection is closed when idle too.
        let mut kept = TcpStream::connect(server.addr()).await.unwrap();
        kept.write_all(b"GET /api/workshop HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let (answer, closed) = read_to_close(&mut kept).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(closed);
        tokio::time::timeout(Duration::from_secs(3), server.shutdown())
            .await
            .unwrap()
            .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn event_streams_outlive_the_header_and_request_timeouts() {
        let server = serve(Limits {
            header_timeout: Duration::from_millis(200),
            request_timeout: Duration::from_millis(200),
            ..quick()
        })
        .await;
        let mut events = TcpStream::connect(server.addr()).await.unwrap();
        events
            .write_all(b"GET /api/events HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), events.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        tokio::time::sleep(Duration::from_millis(700)).await;
        // Still open: reading waits (no end of stream) until the board changes.
        let waited = tokio::time::timeout(Duration::from_millis(300), async {
            loop {
                match events.read(&mut buf).await {
                    Ok(0) | Err(_) => return false,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(waited.is_err(), "the event stream was closed");
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn shutdown_has_a_deadline() {
        let server = serve(Limits {
            header_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(60),
            ..quick()
        })
        .await;
        // Half a request line, and a request whose body never comes.
        let mut half = TcpStream::connect(server.addr()).await.unwrap();
        half.write_all(b"G").await.unwrap();
        let mut slow = TcpStream::connect(server.addr()).await.unwrap();
        slow.write_all(
            b"POST /api/join HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
        let mut events = TcpStream::connect(server.addr()).await.unwrap();
        events
            .write_all(b"GET /api/events HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(3), server.shutdown())
            .await
            .expect("the shutdown waits forever")
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        for stream in [&mut half, &mut slow, &mut events] {
            let (_, closed) = read_to_close(stream).await;
            assert!(closed);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_address_cannot_take_every_connection() {
        let server = serve(Limits {
            max_per_ip: 3,
            header_timeout: Duration::from_secs(30),
            ..quick()
        })
        .await;
        let addr = server.addr();
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(TcpStream::connect(addr).await.unwrap());
        }
        // The fourth from the same address is refused at once.
        let mut fourth = TcpStream::connect(addr).await.unwrap();
        let (answer, closed) = read_to_close(&mut fourth).await;
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(answer.contains("server_full"), "{answer}");
        assert!(closed);
        // One closes: a new one is served again.
        drop(held.pop());
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut again = TcpStream::connect(addr).await.unwrap();
        again
            .write_all(b"GET /api/workshop HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let (answer, _) = read_to_close(&mut again).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn connections_and_event_streams_are_capped() {
        let server = serve(Limits {
            max_connections: 4,
            max_event_streams: 2,
            header_timeout: Duration::from_secs(30),
            ..quick()
        })
        .await;
        let addr = server.addr();
        let mut streams = Vec::new();
        for _ in 0..2 {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET /api/events HTTP/1.1\r\nhost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 1024];
            let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
                .await
                .unwrap()
                .unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
            streams.push(s);
        }
        // A third projector page is turned away; trainees are still served.
        let (status, body) = http(addr, "GET", "/api/events", &[], "").await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(parse(&body)["kind"], "server_full");
        let (status, _) = http(addr, "GET", "/api/workshop", &[], "").await;
        assert_eq!(status, 200);
        let join = serde_json::json!({"code": CODE, "nickname": "ann"});
        assert_eq!(post_json(addr, "/api/join", &[], &join).await.0, 200);
        // Two idle connections fill the server: the next gets a clear 503.
        // (First let the connections above finish closing: one still open
        // would turn an idle one away and leave a place free.)
        tokio::time::sleep(Duration::from_millis(300)).await;
        for _ in 0..2 {
            streams.push(TcpStream::connect(addr).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let (status, body) = http(addr, "GET", "/api/workshop", &[], "").await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(parse(&body)["kind"], "server_full");
        // A closed stream frees its place.
        streams.clear();
        let served = async {
            loop {
                if http(addr, "GET", "/api/workshop", &[], "").await.0 == 200 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(5), served)
            .await
            .unwrap();
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn only_json_bodies_are_read() {
        let server = serve(quick()).await;
        let addr = server.addr();
        let join = serde_json::json!({"code": CODE, "nickname": "ann"}).to_string();
        for path in ["/api/join", "/api/submissions"] {
            for content_type in [
                None,
                Some("text/plain"),
                Some("text/plain;charset=UTF-8"),
                Some("application/x-www-form-urlencoded"),
                Some("multipart/form-data; boundary=x"),
                Some("application/jsonp"),
            ] {
                let headers: Vec<(&str, &str)> = content_type
                    .map(|t| ("content-type", t))
                    .into_iter()
                    .collect();
                let (status, body) = http(addr, "POST", path, &headers, &join).await;
                assert_eq!(status, 415, "{path} {content_type:?}: {body}");
                let body = parse(&body);
                assert_eq!(body["kind"], "unsupported_media_type", "{body}");
                assert!(body["error"].as_str().unwrap().contains("application/json"));
            }
        }
        let headers = [("content-type", "Application/JSON; charset=utf-8")];
        let (status, body) = http(addr, "POST", "/api/join", &headers, &join).await;
        assert_eq!(status, 200, "{body}");
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_error_is_json() {
        let server = serve(quick()).await;
        let addr = server.addr();
        let twice = format!("/api/export.csv?token={TOKEN}&token={TOKEN}");
        let (status, body) = http(addr, "GET", &twice, &[], "").await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(parse(&body)["kind"], "bad_query", "{body}");
        let (status, body) = http(addr, "GET", "/api/entries?token=a&token=b", &[], "").await;
        assert_eq!(
            (status, parse(&body)["kind"].as_str()),
            (400, Some("bad_query"))
        );
        let (status, body) = http(addr, "PUT", "/api/join", &[], "").await;
        assert_eq!(status, 405, "{body}");
        assert!(parse(&body)["error"].is_string(), "{body}");
        let once = format!("/api/export.csv?token={TOKEN}");
        assert_eq!(http(addr, "GET", &once, &[], "").await.0, 200);
        server.shutdown().await.unwrap();
    }

    /// A finished session for the test scenario, as `nickname`.
    pub(crate) fn finished(nickname: &str, id: &str) -> serde_json::Value {
        let scenarios = Scenarios::new([crate::server_tests_fixture()]);
        let info = &scenarios.infos()[0];
        serde_json::json!({
            "id": id, "code": CODE, "nickname": nickname, "scenario": info.id,
            "hash": info.hash, "seed": 5, "choices": ["reflect_unsure", "ask_being", "autonomy"],
        })
    }

    async fn join(addr: SocketAddr, nickname: &str) -> (u16, serde_json::Value) {
        let body = serde_json::json!({"code": CODE, "nickname": nickname});
        post_json(addr, "/api/join", &[], &body).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn players_own_their_nicknames_and_submission_ids() {
        let server = serve(quick()).await;
        let addr = server.addr();
        let (status, alice) = join(addr, "alice").await;
        assert_eq!(status, 200, "{alice}");
        let alice = alice["player"].as_str().unwrap().to_string();
        assert_eq!(alice.len(), 32);
        // Lookalikes of a name in use cannot join.
        for twin in ["alice", "аlice", "ali\u{2060}ce", "ALICE", "ａｌｉｃｅ"] {
            let (status, body) = join(addr, twin).await;
            assert!(status == 409 || status == 400, "{twin}: {status} {body}");
        }
        assert_eq!(join(addr, "аlice").await.1["kind"], "nickname_taken");
        // Joining again with her token keeps it.
        let again = serde_json::json!({"code": CODE, "nickname": "alice", "player": alice});
        let (status, body) = post_json(addr, "/api/join", &[], &again).await;
        assert_eq!(
            (status, body["player"].as_str()),
            (200, Some(alice.as_str()))
        );

        // Submissions need a token, and the token decides the nickname.
        let sub = finished("alice", "sub-alice-1");
        let (status, body) = post_json(addr, "/api/submissions", &[], &sub).await;
        assert_eq!(
            (status, body["kind"].as_str()),
            (401, Some("bad_player")),
            "{body}"
        );
        let wrong = [("x-kiku-player", "0000")];
        let (status, body) = post_json(addr, "/api/submissions", &wrong, &sub).await;
        assert_eq!(
            (status, body["kind"].as_str()),
            (401, Some("bad_player")),
            "{body}"
        );
        let hers = [("x-kiku-player", alice.as_str())];
        let (status, body) = post_json(addr, "/api/submissions", &hers, &sub).await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = post_json(addr, "/api/submissions", &hers, &sub).await;
        assert_eq!(
            (status, body["duplicate"].as_bool()),
            (200, Some(true)),
            "{body}"
        );

        // Bob replays her submission id under his name: refused, and
        // nothing of hers comes back.
        let (_, bob) = join(addr, "bob").await;
        let bob = bob["player"].as_str().unwrap().to_string();
        let his = [("x-kiku-player", bob.as_str())];
        for nickname in ["bob", "alice"] {
            let (status, raw) = http(
                addr,
                "POST",
                "/api/submissions",
                &[("content-type", "application/json"), his[0]],
                &finished(nickname, "sub-alice-1").to_string(),
            )
            .await;
            assert_eq!(status, 409, "{raw}");
            assert_eq!(parse(&raw)["kind"], "bad_id");
            for secret in ["alice", "reflect_unsure", "\"seed\"", "overall"] {
                assert!(!raw.contains(secret), "{secret} revealed: {raw}");
            }
        }
        // Claiming her nickname in the body does not make his entry hers.
        let (status, body) = post_json(
            addr,
            "/api/submissions",
            &his,
            &finished("alice", "sub-bob-1"),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["entry"]["nickname"], "bob");
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_facilitator_renames_and_kicks() {
        let server = serve(quick()).await;
        let addr = server.addr();
        let (_, body) = join(addr, "rude").await;
        let token = body["player"].as_str().unwrap().to_string();
        let theirs = [("x-kiku-player", token.as_str())];
        let (status, _) =
            post_json(addr, "/api/submissions", &theirs, &finished("rude", "r1")).await;
        assert_eq!(status, 201);
        let auth = format!("Bearer {TOKEN}");
        let facilitator = [("authorization", auth.as_str())];
        let rename = serde_json::json!({"from": "rude", "to": "Polite"});
        let (status, body) = post_json(addr, "/api/players/rename", &[], &rename).await;
        assert_eq!((status, body["kind"].as_str()), (401, Some("unauthorized")));
        let (status, body) = post_json(addr, "/api/players/rename", &facilitator, &rename).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["to"], "Polite");
        // The player's token follows the new name.
        let (status, body) =
            post_json(addr, "/api/submissions", &theirs, &finished("rude", "r2")).await;
        assert_eq!(
            (status, body["entry"]["nickname"].as_str()),
            (201, Some("Polite"))
        );
        let hidden = serde_json::json!({"from": "Polite", "to": "Pol\u{200B}ite"});
        let (status, body) = post_json(addr, "/api/players/rename", &facilitator, &hidden).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("bad_nickname")));
        // A trainee whose real name trips the block list gets it from the facilitator.
        assert_eq!(join(addr, "Hancock").await.0, 400);
        let real = serde_json::json!({"from": "Polite", "to": "Hancock"});
        let (status, body) = post_json(addr, "/api/players/rename", &facilitator, &real).await;
        assert_eq!(status, 200, "{body}");
        let back = serde_json::json!({"from": "Hancock", "to": "Polite"});
        assert_eq!(
            post_json(addr, "/api/players/rename", &facilitator, &back)
                .await
                .0,
            200
        );
        let kick = serde_json::json!({"nickname": "Polite"});
        let (status, body) = post_json(addr, "/api/players/kick", &facilitator, &kick).await;
        assert_eq!((status, body["removed"].as_u64()), (200, Some(2)), "{body}");
        let (status, _) = post_json(addr, "/api/submissions", &theirs, &finished("x", "r3")).await;
        assert_eq!(status, 401);
        assert_eq!(join(addr, "polite").await.0, 409);
        let (status, body) = post_json(addr, "/api/players/kick", &facilitator, &kick).await;
        assert_eq!(status, 200, "{body}");
        let nobody = serde_json::json!({"nickname": "nobody"});
        let (status, body) = post_json(addr, "/api/players/kick", &facilitator, &nobody).await;
        assert_eq!((status, body["kind"].as_str()), (404, Some("no_player")));
        let (status, body) = http(addr, "GET", "/api/players", &facilitator, "").await;
        assert_eq!(status, 200);
        assert_eq!(parse(&body)["players"][0]["kicked"], true);
        server.shutdown().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_games_client_keeps_and_sends_its_token() {
        use crate::client::{Client, Queue, SendError};
        let server = serve(quick()).await;
        let addr = server.addr().to_string();
        let dir = std::env::temp_dir().join(format!("kiku-client-token-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let outbox = dir.join("outbox.json");
        let finished_as = |nickname: &str| -> Submission {
            let mut sub: Submission = serde_json::from_value(finished(nickname, "x")).unwrap();
            sub.id = Some(crate::client::new_submission_id());
            sub
        };
        let (players_file, outcome) = tokio::task::spawn_blocking(move || {
            // As the game does it: join, then submit through the queue.
            let _queue = Queue::open(&outbox);
            let joined = Client::new(&addr).unwrap().join(CODE, " Kenji ").unwrap();
            assert_eq!(joined.player.len(), 32);
            let mut queue = Queue::open(&outbox);
            queue.push(&addr, finished_as("Kenji")).unwrap();
            let report = queue.flush();
            assert_eq!(report.accepted.len(), 1, "{report:?}");
            // A restarted game reads its token back from players.json.
            crate::client::forget_players_in_memory();
            let _queue = Queue::open(&outbox);
            let again = Client::new(&addr)
                .unwrap()
                .submit(&finished_as("Kenji"))
                .unwrap();
            assert_eq!(again.entry.nickname, "Kenji");
            // Someone else's lookalike is refused for good.
            let other = Client::new(&addr).unwrap().submit(&finished_as("KENJI"));
            let players_file = std::fs::read_to_string(dir.join("players.json")).unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            (players_file, other)
        })
        .await
        .unwrap();
        assert!(players_file.contains("Kenji"), "{players_file}");
        match outcome {
            Err(SendError::Rejected {
                status: 409, kind, ..
            }) => assert_eq!(kind, "nickname_taken"),
            other => panic!("{other:?}"),
        }
        server.shutdown().await.unwrap();
    }

    /// Under a steady stream each workshop's board is rebuilt once a
    /// period at a place of its own, spread by code over the period.
    #[test]
    fn boards_are_rebuilt_at_slots_spread_over_the_period() {
        let slots: std::collections::HashSet<Duration> = (0..50)
            .map(|w| super::publish_slot(&format!("BENCH{w}")))
            .collect();
        assert!(slots.len() > 40, "{slots:?}");
        assert!(slots.iter().all(|s| *s < super::PUBLISH_EVERY));
        assert_eq!(super::publish_slot("ABC"), super::publish_slot("ABC"));
        let epoch = tokio::time::Instant::now();
        let slot = Duration::from_millis(300);
        let at = |ms: u64| epoch + Duration::from_millis(ms);
        assert_eq!(super::next_slot(at(0), epoch, slot), at(300));
        assert_eq!(super::next_slot(at(300), epoch, slot), at(300));
        assert_eq!(super::next_slot(at(301), epoch, slot), at(1300));
        assert_eq!(super::next_slot(at(2250), epoch, slot), at(2300));
    }

    #[test]
    fn workshops_are_shared_out_between_writers() {
        // Codes alike but for their last characters (as a bench's, or a
        // facilitator's numbered rooms) land on every writer, in fair
        // shares, each always on the same one.
        for writers in [2usize, 3] {
            let mut counts = vec![0usize; writers];
            for w in 0..50 {
                let code = format!("BENCH{w}");
                let n = super::writer_of(&code, writers);
                assert_eq!(n, super::writer_of(&code, writers));
                counts[n] += 1;
            }
            assert!(
                counts.iter().all(|&c| c >= 50 / writers / 2),
                "{writers} writers: {counts:?}"
            );
        }
        assert_eq!(super::writer_of("ABC", 1), 0);
        assert_eq!(super::writer_of("ABC", 0), 0);
    }

    #[test]
    fn caps_fit_the_open_file_limit() {
        let fitted = Limits::default().fit_open_files(256);
        assert_eq!(fitted.max_connections, 192);
        assert_eq!(fitted.max_event_streams, 48);
        assert_eq!(Limits::default().fit_open_files(1 << 20), Limits::default());
        assert!(Limits::default().fit_open_files(0).max_connections >= 8);
    }
}
