//! The workshop server: an axum app over the store. Re-scores every
//! submission with the core engine, pushes the board to projector pages over
//! Server-Sent Events, and guards the facilitator's endpoints with a token.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tokio::sync::{Notify, broadcast, oneshot, watch};

use crate::protocol::{EntryList, ErrorBody, RejectionKind, Removed, Submission};
use crate::ratelimit::{Limiter, RateLimit};
use crate::rescore::{self, Rejection, Scenarios};
use crate::store::{Board, Entry, Ranking, ScenarioBoard, Store, now_ms};
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

    /// Stops accepting, closes event streams, waits for requests in flight.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or(Ok(()))
    }

    /// Runs until the server stops by itself (it does not, barring errors).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.unwrap_or(Ok(()))
    }
}

/// Starts serving on `listener` (call within a tokio runtime).
pub fn start(
    listener: tokio::net::TcpListener,
    store: Store,
    config: Config,
) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let app = Arc::new(App::new(store, config, stopped.clone()));
    tokio::spawn(publish(Arc::clone(&app), stopped.clone()));
    let router = router(app);
    let mut shutdown = stopped;
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|s| *s).await;
        })
        .await
    });
    Ok(Server { addr, stop, task })
}

/// The routes (see README "Workshop server").
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(projector))
        .route("/api/workshop", get(workshop))
        .route("/api/join", post(join))
        .route("/api/submissions", post(submit))
        .route("/api/board", get(board))
        .route("/api/events", get(events))
        .route("/api/entries", get(list_entries))
        .route("/api/entries/{id}", delete(remove_entry))
        .route("/api/reset", post(reset))
        .route("/api/export.csv", get(export_csv))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}

/// Work for the database thread.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// The one connection that writes, on its own thread: SQLite serialises
/// writers anyway, and the async workers never block on disk.
#[derive(Clone)]
struct Db {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Db {
    fn spawn(mut store: Store) -> Db {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kiku-board-db".into())
            .spawn(move || {
                for job in queue {
                    job(&mut store);
                }
            })
            .expect("spawning the database thread");
        Db { jobs }
    }

    async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> R + Send + 'static,
    ) -> Result<R, ApiError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |store| {
                let _ = tx.send(f(store));
            }))
            .map_err(|_| ApiError::internal("the database thread has stopped"))?;
        rx.await
            .map_err(|_| ApiError::internal("the database thread has stopped"))
    }
}

struct App {
    db: Db,
    config: Config,
    limiter: Option<Mutex<Limiter>>,
    /// Signalled after every change to the board.
    changed: Notify,
    /// Entries stored since the last push (highlighted on the projector).
    fresh: Mutex<Vec<i64>>,
    /// The latest board as JSON.
    snapshot: RwLock<Arc<str>>,
    /// Pushed boards.
    pushes: broadcast::Sender<Arc<str>>,
    stopped: watch::Receiver<bool>,
}

impl App {
    fn new(store: Store, config: Config, stopped: watch::Receiver<bool>) -> App {
        let limiter = config.rate_limit.map(|l| Mutex::new(Limiter::new(l)));
        // The first page load gets a real board, not an empty one.
        let first = match store.board(TOP, Ranking::BestPerName) {
            Ok(board) => board,
            Err(e) => {
                eprintln!("warning: could not read the board: {e}");
                Board::default()
            }
        };
        let first =
            serde_json::to_string(&public_board(&config, first, Vec::new())).unwrap_or_default();
        let (pushes, _) = broadcast::channel(16);
        App {
            db: Db::spawn(store),
            limiter,
            changed: Notify::new(),
            fresh: Mutex::new(Vec::new()),
            snapshot: RwLock::new(Arc::from(first)),
            pushes,
            stopped,
            config,
        }
    }

    fn limit(&self, peer: SocketAddr) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else {
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
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                RejectionKind::WrongCode,
                "wrong workshop code: check the code on the projector",
            ))
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

    fn changed(&self, fresh: Option<i64>) {
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

fn public_board(config: &Config, board: Board, fresh: Vec<i64>) -> PublicBoard {
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
    }
}

/// Recomputes and pushes the board after changes, at most once per
/// [`PUBLISH_DELAY`].
async fn publish(app: Arc<App>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = app.changed.notified() => {}
            _ = stopped.wait_for(|s| *s) => return,
        }
        tokio::time::sleep(PUBLISH_DELAY).await;
        let board = match app.db.call(|s| s.board(TOP, Ranking::BestPerName)).await {
            Ok(Ok(board)) => board,
            Ok(Err(e)) => {
                eprintln!("warning: could not read the board: {e}");
                continue;
            }
            Err(_) => return,
        };
        let fresh = std::mem::take(&mut *app.fresh.lock().unwrap_or_else(|e| e.into_inner()));
        let mut public = public_board(&app.config, board, fresh);
        let pushed: Arc<str> = Arc::from(serde_json::to_string(&public).unwrap_or_default());
        public.fresh.clear();
        let resting: Arc<str> = Arc::from(serde_json::to_string(&public).unwrap_or_default());
        *app.snapshot.write().unwrap_or_else(|e| e.into_inner()) = resting;
        let _ = app.pushes.send(pushed);
    }
}

/// An error answer: a status and an [`ErrorBody`].
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    kind: RejectionKind,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, kind: RejectionKind, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            retry_after: None,
        }
    }

    fn internal(message: impl Into<String>) -> ApiError {
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
        eprintln!("error: {e}");
        ApiError::internal(format!("the server could not store this: {e}"))
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

/// Parses a JSON body, turning every failure into a clear 4xx.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
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

/// `?token=` for facilitator links opened in a browser.
#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    token: Option<String>,
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

async fn workshop(State(app): State<Arc<App>>) -> Json<WorkshopInfo> {
    Json(WorkshopInfo {
        server: "kiku".into(),
        scenarios: app.config.scenarios.infos(),
    })
}

async fn join(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Joined>, ApiError> {
    app.limit(peer)?;
    let request: JoinRequest = parse_body(body)?;
    app.check_code(&request.code)?;
    let nickname = rescore::check_nickname(&request.nickname)?;
    let name = nickname.clone();
    let taken = app.db.call(move |s| s.has_nickname(&name)).await??;
    Ok(Json(Joined {
        nickname,
        taken,
        scenarios: app.config.scenarios.infos(),
    }))
}

async fn submit(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    app.limit(peer)?;
    let submission: Submission = parse_body(body)?;
    app.check_code(&submission.code)?;
    let mut new = rescore::rescore(&app.config.scenarios, &submission, now_ms())?;
    let inserted = app
        .db
        .call(move |s| {
            // Timed as it is stored, on the one writer thread: entries are
            // timed in the order they are stored.
            new.finished.finished_ms = now_ms();
            s.insert(&new)
        })
        .await??;
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
        app.snapshot().to_string(),
    )
        .into_response()
}

async fn events(State(app): State<Arc<App>>) -> impl IntoResponse {
    struct Feed {
        first: Option<Arc<str>>,
        pushes: broadcast::Receiver<Arc<str>>,
        stopped: watch::Receiver<bool>,
        app: Arc<App>,
    }
    let feed = Feed {
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
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

async fn list_entries(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Json<EntryList>, ApiError> {
    app.authorize(&headers, &query)?;
    let entries = app.db.call(|s| s.entries()).await??;
    Ok(Json(EntryList { entries }))
}

async fn remove_entry(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
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

async fn reset(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Json<Removed<u64>>, ApiError> {
    app.authorize(&headers, &query)?;
    let removed = app.db.call(|s| s.reset()).await??;
    app.changed(None);
    Ok(Json(Removed { removed }))
}

async fn export_csv(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
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
