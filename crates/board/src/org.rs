//! Organisation mode: `kiku serve --all` serves every workshop of its
//! database from one process, each under `/w/CODE/` (the bare API routes
//! by the `code` in a join's or a submission's body, or by `?code=`), and
//! `kiku workshop new|list` makes and lists the workshops. A workshop's
//! state (writer thread and connection on SQLite, a share of the server's
//! `--writers` on PostgreSQL; publisher, rate limiters, room) is opened on
//! the first request for a code that exists in the database,
//! and closed when idle or to make room under `--max-open`. Several such
//! servers on one PostgreSQL serve the same workshops interchangeably.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use clap::{Args, Subcommand};
use serde::Deserialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

use crate::protocol::RejectionKind;
use crate::ratelimit::RateLimit;
use crate::rescore::Scenarios;
use crate::serve::{self, ServeArgs, ServeError, Terms};
use crate::server::{
    self, ApiError, Config, FULL_RETRY_SECS, Limits, MAX_BODY_BYTES, Server, SharedWriter,
    WorkshopApp, parse_body, query_codes, wrong_code,
};
use crate::store::{BoardStore, Store, StoreError, is_postgres_url, now_ms};

/// Workshops one `kiku serve --all` keeps open at once by default (each
/// holds its database connections and threads, as a one-workshop server
/// does; the server adds one connection of its own and, on PostgreSQL,
/// one that listens for every workshop's changes and announces its own,
/// each workshop's at most every 500 ms).
pub const DEFAULT_MAX_OPEN: usize = 32;
/// `--writers`: writer connections of a server of every workshop on
/// PostgreSQL. Two let the database work on two batches at once (on a
/// 2-core machine one writer held 1,533-1,768 submissions/s, and its queue
/// made the tail at 1,000/s; two held 3,399-3,533/s).
pub const DEFAULT_WRITERS: usize = 2;
/// A workshop with no request for this long and no projector page open is
/// closed (opened again on its next request).
pub const DEFAULT_IDLE: Duration = Duration::from_secs(600);
/// The least time since a workshop's last request before it may be closed
/// to make room for another under `--max-open`.
pub const DEFAULT_EVICT_AFTER: Duration = Duration::from_secs(30);
/// The least time between two reads of the database's list of codes, made
/// when a request names a code not seen yet: a client trying codes at
/// random costs the database no more than that.
pub const DEFAULT_REFRESH_EVERY: Duration = Duration::from_secs(1);

/// The page at `/` in organisation mode: asks for a workshop code and
/// leads to its projector page (it never lists the codes).
const ASK_HTML: &str = include_str!("ask.html");

/// What the organisation's server needs of its database beyond one
/// workshop's board: which workshops exist, and making new ones.
/// Implemented by SQLite's [`Store`] and PostgreSQL's
/// [`crate::postgres::PgStore`].
pub trait Registry: BoardStore {
    /// Every workshop's code (not the trainee's own board, `''`).
    fn workshop_codes(&mut self) -> Result<Vec<String>, StoreError>;
    /// Whether the workshop `code` exists (nothing is made).
    fn has_workshop(&mut self, code: &str) -> Result<bool, StoreError>;
    /// Makes the workshop `code`; false (and nothing changed) when it
    /// exists already.
    fn create_workshop(&mut self, code: &str) -> Result<bool, StoreError>;
    /// Every workshop with its size and last activity, by code.
    fn workshop_summaries(&mut self) -> Result<Vec<WorkshopSummary>, StoreError>;
}

/// What the one listener of a server of every workshop hears from the
/// database (PostgreSQL; SQLite has no other servers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice<'a> {
    /// Another server changed the workshop of this code.
    Changed(&'a str),
    /// The listener (re)connected: changes meanwhile sent no notice.
    Missed,
    /// Nothing for a while: whether to go on listening.
    StillWanted,
}

/// One workshop as `kiku workshop list` shows it (never its token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkshopSummary {
    /// Its code.
    pub code: String,
    /// Entries stored.
    pub entries: u64,
    /// Players who joined (kicked ones too).
    pub players: u64,
    /// Its last activity (ms since the epoch): its newest entry or player,
    /// or the latest start or renewal by a server.
    pub active_ms: i64,
}

/// Opens the database named by `db` as a [`Registry`]: PostgreSQL for a
/// `postgres://` or `postgresql://` URL, else the SQLite file at that path.
pub fn open_registry(db: &str) -> Result<Box<dyn Registry>, StoreError> {
    if is_postgres_url(db) {
        Ok(Box::new(crate::postgres::PgStore::connect(db)?))
    } else {
        Ok(Box::new(Store::open(std::path::Path::new(db))?))
    }
}

/// A workshop made by [`new_workshop`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWorkshop {
    /// Its code.
    pub code: String,
    /// The facilitator's token.
    pub token: String,
}

/// Why a workshop could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewWorkshopError {
    /// The code chosen is taken.
    #[error(
        "the workshop {0} exists already in this database: choose another code \
         (kiku workshop list shows them)"
    )]
    Exists(String),
    /// No workshop has the code asked for.
    #[error("no workshop has the code {0} in this database (kiku workshop list shows them)")]
    Unknown(String),
    /// A term or the code is not valid, or the database failed.
    #[error(transparent)]
    Serve(#[from] ServeError),
}

impl From<StoreError> for NewWorkshopError {
    fn from(e: StoreError) -> NewWorkshopError {
        NewWorkshopError::Serve(ServeError::Store(e))
    }
}

/// Fresh codes tried before giving up (a clash is one in a billion).
const FRESH_CODE_TRIES: usize = 16;

/// Makes a workshop in `store` with `code` (a fresh one if `None`) and
/// `terms`, and its facilitator token, as `kiku serve` makes one.
pub(crate) fn new_workshop(
    store: &mut dyn Registry,
    code: Option<&str>,
    terms: &Terms,
) -> Result<NewWorkshop, NewWorkshopError> {
    // Refused before anything is made.
    terms.check()?;
    let code = match code {
        Some(chosen) => {
            let code = serve::parse_code(chosen).map_err(ServeError::Code)?;
            if !store.create_workshop(&code)? {
                return Err(NewWorkshopError::Exists(code));
            }
            code
        }
        None => {
            let mut made = None;
            for _ in 0..FRESH_CODE_TRIES {
                let code = serve::new_code();
                if store.create_workshop(&code)? {
                    made = Some(code);
                    break;
                }
            }
            made.ok_or_else(|| NewWorkshopError::Exists("(every fresh code tried)".into()))?
        }
    };
    store.use_workshop(&code)?;
    store.set_meta("code", &code)?;
    terms.apply(store)?;
    let token = store.meta_or_insert("token", &mut serve::new_token)?;
    Ok(NewWorkshop { code, token })
}

/// `kiku workshop`: make and list the workshops of an organisation's
/// database (served by `kiku serve --all`).
#[derive(Debug, Clone, Subcommand)]
pub enum WorkshopCommand {
    /// Make a workshop: prints its code, the facilitator token and its
    /// pages on a `kiku serve --all` server (one running now serves it
    /// within a second).
    New(NewArgs),
    /// List the workshops: code, entries, players and last activity (never
    /// the tokens).
    List {
        /// The SQLite database file (default: workshop.db in the data
        /// folder) or a PostgreSQL URL, as `kiku serve --db`.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Show one workshop as `new` did: its code, the facilitator token
    /// (for a facilitator who lost it) and its pages.
    Show {
        /// The SQLite database file (default: workshop.db in the data
        /// folder) or a PostgreSQL URL, as `kiku serve --db`.
        #[arg(long)]
        db: Option<PathBuf>,
        /// The workshop's code.
        #[arg(long)]
        code: String,
        /// The server's address, to print whole links.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
}

/// Options of `kiku workshop new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The SQLite database file (default: workshop.db in the data folder)
    /// or a PostgreSQL URL, as `kiku serve --db`.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// The code trainees type (3-12 letters or digits, e.g. TOKYO1;
    /// default: a fresh random one). Refused if the database has it.
    #[arg(long)]
    pub code: Option<String>,
    /// Which attempt at a scenario counts: best, first or latest (default best).
    #[arg(long, value_name = "best|first|latest")]
    pub attempts: Option<String>,
    /// Everyone meets the same member (one seed per scenario): on or off
    /// (default off).
    #[arg(long, value_name = "on|off")]
    pub same_member: Option<String>,
    /// The reply mode every 1on1 must be played in: choose, recall or any
    /// (default any; changeable on the control page).
    #[arg(long, value_name = "choose|recall|any")]
    pub mode: Option<String>,
    /// The server's address, to print whole links (e.g.
    /// http://10.0.0.5:8787/); without it the paths are printed.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

/// The database `--db` names, or the default `workshop.db`.
fn db_name(db: Option<&PathBuf>) -> String {
    db.cloned()
        .unwrap_or_else(|| crate::files::data_dir_or_here().join("workshop.db"))
        .to_string_lossy()
        .into_owned()
}

/// Runs `kiku workshop …`.
pub fn run(command: &WorkshopCommand) -> ExitCode {
    let result = match command {
        WorkshopCommand::New(args) => new_cmd(args),
        WorkshopCommand::List { db } => list_cmd(db.as_ref()),
        WorkshopCommand::Show { db, code, url } => show_cmd(db.as_ref(), code, url.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn new_cmd(args: &NewArgs) -> Result<(), NewWorkshopError> {
    let db = db_name(args.db.as_ref());
    let mut store = open_registry(&db).map_err(|source| ServeError::Open {
        path: PathBuf::from(serve::shown_db(&db)),
        source,
    })?;
    let terms = Terms {
        attempts: args.attempts.clone(),
        same_member: args.same_member.clone(),
        mode: args.mode.clone(),
    };
    let made = new_workshop(store.as_mut(), args.code.as_deref(), &terms)?;
    print_workshop(store.as_mut(), &made, args.url.as_deref(), &db)
}

/// Prints what [`describe`] says of `made`, the workshop `store` works on.
fn print_workshop(
    store: &mut dyn Registry,
    made: &NewWorkshop,
    url: Option<&str>,
    db: &str,
) -> Result<(), NewWorkshopError> {
    let rule = store.attempt_rule();
    let mode = server::required_mode(store)?;
    let same = store.meta(serve::SAME_MEMBER_KEY)?.as_deref() == Some("on");
    let text = describe(made, url, db, rule, mode, same);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}

/// The workshop `code` of `store` and its token (its activity renewed,
/// as a server renews it); [`NewWorkshopError::Unknown`] if the database
/// has no such workshop.
pub(crate) fn existing_workshop(
    store: &mut dyn Registry,
    code: &str,
) -> Result<NewWorkshop, NewWorkshopError> {
    let code = serve::parse_code(code).map_err(ServeError::Code)?;
    if !store.has_workshop(&code)? {
        return Err(NewWorkshopError::Unknown(code));
    }
    store.use_workshop(&code)?;
    let token = store.meta_or_insert("token", &mut serve::new_token)?;
    Ok(NewWorkshop { code, token })
}

fn show_cmd(db: Option<&PathBuf>, code: &str, url: Option<&str>) -> Result<(), NewWorkshopError> {
    let name = db_name(db);
    let mut store = open_registry(&name).map_err(|source| ServeError::Open {
        path: PathBuf::from(serve::shown_db(&name)),
        source,
    })?;
    let shown = existing_workshop(store.as_mut(), code)?;
    print_workshop(store.as_mut(), &shown, url, &name)
}

/// What `kiku workshop new` (and `show`) prints.
fn describe(
    made: &NewWorkshop,
    url: Option<&str>,
    db: &str,
    rule: crate::store::AttemptRule,
    mode: Option<kiku_core::Mode>,
    same_member: bool,
) -> String {
    let NewWorkshop { code, token } = made;
    let base = url.map_or(String::new(), |u| {
        u.trim().trim_end_matches('/').to_string()
    });
    let join = if base.is_empty() {
        "the server's address".to_string()
    } else {
        base.trim_start_matches("http://").to_string()
    };
    format!(
        "Kiku workshop (served by: kiku serve --all --db …)\n\
         \x20 workshop code:     {code}\n\
         \x20 facilitator token: {token}\n\
         \x20 projector page:    {base}/w/{code}/\n\
         \x20 control page:      {base}/w/{code}/control#token={token}\n\
         \x20 CSV export:        {base}/w/{code}/api/export.csv?token={token}\n\
         \x20 trainees join:     {join} with code {code}\n\
         \x20 database:          {}\n\
         \x20 attempt counted:   {}\n\
         \x20 reply mode:        {}\n\
         \x20 same member:       {}\n",
        serve::shown_db(db),
        rule.as_str(),
        mode.map_or("any", kiku_core::Mode::as_str),
        if same_member { "on" } else { "off" },
    )
}

fn list_cmd(db: Option<&PathBuf>) -> Result<(), NewWorkshopError> {
    let name = db_name(db);
    let mut store = open_registry(&name).map_err(|source| ServeError::Open {
        path: PathBuf::from(serve::shown_db(&name)),
        source,
    })?;
    let rows = store.workshop_summaries()?;
    let text = list_text(&rows, now_ms());
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}

/// `kiku workshop list`'s table.
fn list_text(rows: &[WorkshopSummary], now: i64) -> String {
    if rows.is_empty() {
        return "no workshops yet: make one with `kiku workshop new`\n".into();
    }
    let mut text = format!(
        "{:<12} {:>8} {:>8}  {}\n",
        "CODE", "ENTRIES", "PLAYERS", "LAST ACTIVITY"
    );
    for row in rows {
        text.push_str(&format!(
            "{:<12} {:>8} {:>8}  {}\n",
            row.code,
            row.entries,
            row.players,
            ago(now - row.active_ms)
        ));
    }
    text
}

/// An age in words: `just now`, `5 min ago`, `3 h ago`, `12 d ago`.
fn ago(ms: i64) -> String {
    const MIN: i64 = 60_000;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;
    match ms.max(0) {
        ms if ms < MIN => "just now".into(),
        ms if ms < HOUR => format!("{} min ago", ms / MIN),
        ms if ms < DAY => format!("{} h ago", ms / HOUR),
        ms => format!("{} d ago", ms / DAY),
    }
}

/// What a server of every workshop needs besides its database.
#[derive(Clone, Debug)]
pub struct AllConfig {
    /// The database: an SQLite file or a PostgreSQL URL.
    pub db: String,
    /// The address trainees join, shown on every projector.
    pub join_url: String,
    /// The scenarios submissions are re-scored with (each workshop fixes
    /// its own seeds when it fixes the member).
    pub scenarios: Scenarios,
    /// Per-client limit on submissions and joins, per workshop.
    pub rate_limit: Option<RateLimit>,
    /// Workshops open at once, at most.
    pub max_open: usize,
    /// PostgreSQL: the writer connections every open workshop's changes
    /// go through (each workshop always through the same one).
    pub writers: usize,
    /// A workshop with no request for this long and no projector page
    /// open is closed.
    pub idle: Duration,
    /// The least time since a workshop's last request before it is closed
    /// to make room for another.
    pub evict_after: Duration,
    /// The least time between two reads of the list of codes.
    pub refresh_every: Duration,
    /// `--retain`: workshops idle longer than this (ms) are removed, every
    /// [`serve::RENEW_EVERY`]; the open ones are renewed first.
    pub retain_ms: Option<i64>,
}

impl AllConfig {
    /// The defaults for `db`, `join_url` and `scenarios`.
    pub fn new(db: &str, join_url: &str, scenarios: Scenarios) -> AllConfig {
        AllConfig {
            db: db.to_string(),
            join_url: join_url.to_string(),
            scenarios,
            rate_limit: Some(RateLimit::default()),
            max_open: DEFAULT_MAX_OPEN,
            writers: DEFAULT_WRITERS,
            idle: DEFAULT_IDLE,
            evict_after: DEFAULT_EVICT_AFTER,
            refresh_every: DEFAULT_REFRESH_EVERY,
            retain_ms: None,
        }
    }
}

/// Work for the registry's thread, given its connection (opened, or
/// opened again after a failure, on demand).
type RegistryJob = Box<dyn FnOnce(&mut Option<Box<dyn Registry>>) + Send>;

/// One connection of the server's own, on its own thread (a blocking
/// PostgreSQL client may not run on the async workers): reads the list of
/// codes, renews the open workshops and purges idle ones.
struct RegistryThread {
    jobs: std::sync::mpsc::Sender<RegistryJob>,
    db: String,
}

impl RegistryThread {
    fn spawn(db: &str) -> std::io::Result<RegistryThread> {
        let (jobs, queue) = std::sync::mpsc::channel::<RegistryJob>();
        std::thread::Builder::new()
            .name("kiku-board-registry".into())
            .spawn(move || {
                let mut store = None;
                while let Ok(job) = queue.recv() {
                    job(&mut store);
                }
            })?;
        Ok(RegistryThread {
            jobs,
            db: db.to_string(),
        })
    }

    async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Registry) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = oneshot::channel();
        let db = self.db.clone();
        let job: RegistryJob = Box::new(move |slot: &mut Option<Box<dyn Registry>>| {
            let result = match slot {
                Some(store) => f(store.as_mut()),
                None => open_registry(&db).and_then(|store| f(slot.insert(store).as_mut())),
            };
            if result.is_err() {
                // Connect again next time: the connection may be what failed.
                *slot = None;
            }
            let _ = tx.send(result);
        });
        let stopped = || StoreError::Postgres("the registry thread has stopped".into());
        self.jobs.send(job).map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

/// A workshop open in this process.
struct Opened {
    app: WorkshopApp,
    /// When it last answered a request.
    used: Mutex<Instant>,
}

impl Opened {
    fn touch(&self) {
        *self.used.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn idle_for(&self) -> Duration {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }

    /// Closable: no projector page open, and no request for `after`.
    fn idle(&self, after: Duration) -> bool {
        self.app.streams_open() == 0 && self.idle_for() >= after
    }
}

/// The codes the database had when last read.
#[derive(Default)]
struct KnownCodes {
    codes: HashSet<String>,
    read_at: Option<Instant>,
}

/// The state of a server of every workshop: the workshops open, the codes
/// known, and the server's own connection.
pub struct Organisation {
    config: AllConfig,
    limits: Limits,
    registry: RegistryThread,
    /// PostgreSQL: the changes the open workshops commit, announced by the
    /// server's listening connection.
    announcements: Option<crate::postgres::Announcements>,
    /// Other servers' changes heard (this server's own are skipped).
    heard: AtomicU64,
    /// PostgreSQL: the writer connections every open workshop shares.
    writer: Option<SharedWriter>,
    open: Mutex<HashMap<String, Arc<Opened>>>,
    /// Held while a workshop opens, so two first requests open it once.
    opening: tokio::sync::Mutex<()>,
    known: Mutex<KnownCodes>,
    /// Held while the codes are read again.
    refreshing: tokio::sync::Mutex<()>,
    /// Projector pages open in this process, over every workshop.
    streams: Arc<Semaphore>,
    opened: AtomicU64,
    reads: AtomicU64,
    /// Set once the server stops: the listener then stops too.
    stopped: std::sync::atomic::AtomicBool,
}

impl Organisation {
    /// The codes of the workshops open now, sorted.
    pub fn open_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.open_map().keys().cloned().collect();
        codes.sort();
        codes
    }

    /// How many times a workshop has been opened since the start.
    pub fn opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    /// How many changes by other servers the listening connection has
    /// heard (PostgreSQL; its own notices are not counted: they are
    /// skipped).
    pub fn notices_heard(&self) -> u64 {
        self.heard.load(Ordering::Relaxed)
    }

    /// How many times the list of codes has been read from the database.
    pub fn code_reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    fn open_map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Opened>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn known(&self) -> std::sync::MutexGuard<'_, KnownCodes> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The workshop `text` names, opened if it exists and is not open yet;
    /// `wrong_code` (and nothing opened or kept) if it does not exist.
    async fn workshop(self: &Arc<Self>, text: &str) -> Result<Arc<Opened>, ApiError> {
        let code = serve::parse_code(text).map_err(|_| wrong_code())?;
        if let Some(open) = self.open_map().get(&code) {
            open.touch();
            return Ok(Arc::clone(open));
        }
        if !self.exists(&code).await {
            return Err(wrong_code());
        }
        let _opening = self.opening.lock().await;
        if let Some(open) = self.open_map().get(&code) {
            open.touch();
            return Ok(Arc::clone(open));
        }
        self.make_room()?;
        let (db, limits) = (self.config.db.clone(), self.limits);
        let announcements = self.announcements.clone();
        let writer = self.writer.clone();
        let config = Config {
            code: code.clone(),
            token: String::new(),
            join_url: self.config.join_url.clone(),
            scenarios: self.config.scenarios.clone(),
            rate_limit: self.config.rate_limit,
        };
        let opened = tokio::task::spawn_blocking(move || {
            open_workshop(&db, config, limits, announcements, writer)
        })
        .await
        .map_err(|e| OpenError::Failed(format!("opening the workshop panicked: {e}")))
        .and_then(|opened| opened);
        let app = match opened {
            Ok(app) => app,
            Err(OpenError::Gone) => {
                self.known().codes.remove(&code);
                return Err(wrong_code());
            }
            Err(OpenError::Failed(e)) => {
                eprintln!("error: opening the workshop {code}: {e}");
                return Err(ApiError::internal(
                    "the server could not open this workshop: the database failed \
                     (see the server's terminal)",
                ));
            }
        };
        let opened = Arc::new(Opened {
            app,
            used: Mutex::new(Instant::now()),
        });
        {
            let mut open = self.open_map();
            // The server stopped while this opened: serve this request,
            // and close it with it.
            if !self.stopped.load(Ordering::Relaxed) {
                open.insert(code, Arc::clone(&opened));
            }
        }
        self.opened.fetch_add(1, Ordering::Relaxed);
        Ok(opened)
    }

    /// Whether the database has the workshop `code`: from the codes last
    /// read, read again if they are older than
    /// [`AllConfig::refresh_every`].
    async fn exists(&self, code: &str) -> bool {
        if self.known().codes.contains(code) {
            return true;
        }
        let _one = self.refreshing.lock().await;
        {
            let known = self.known();
            if known.codes.contains(code) {
                return true;
            }
            if known
                .read_at
                .is_some_and(|at| at.elapsed() < self.config.refresh_every)
            {
                return false;
            }
        }
        let read = self.registry.call(|r| r.workshop_codes()).await;
        self.reads.fetch_add(1, Ordering::Relaxed);
        let mut known = self.known();
        known.read_at = Some(Instant::now());
        match read {
            Ok(codes) => known.codes = codes.into_iter().collect(),
            Err(e) => eprintln!("warning: reading the workshops' codes: {e}"),
        }
        known.codes.contains(code)
    }

    /// Closes the least recently used idle workshop when
    /// [`AllConfig::max_open`] are open; 503 when none is idle.
    fn make_room(&self) -> Result<(), ApiError> {
        let closed = {
            let mut open = self.open_map();
            if open.len() < self.config.max_open.max(1) {
                return Ok(());
            }
            let victim = open
                .iter()
                .filter(|(_, o)| o.idle(self.config.evict_after))
                .max_by_key(|(_, o)| o.idle_for())
                .map(|(code, _)| code.clone());
            match victim {
                Some(code) => open.remove(&code),
                None => None,
            }
        };
        match closed {
            // Dropped outside the lock: closing stops its tasks.
            Some(closed) => {
                drop(closed);
                Ok(())
            }
            None => Err(ApiError {
                retry_after: Some(FULL_RETRY_SECS),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    RejectionKind::ServerFull,
                    format!(
                        "this server has {} workshops open, all in use: try again in a minute",
                        self.config.max_open
                    ),
                )
            }),
        }
    }

    /// Closes the workshops idle for [`AllConfig::idle`].
    fn close_idle(&self) {
        let closed: Vec<Arc<Opened>> = {
            let mut open = self.open_map();
            let idle: Vec<String> = open
                .iter()
                .filter(|(_, o)| o.idle(self.config.idle))
                .map(|(code, _)| code.clone())
                .collect();
            idle.iter().filter_map(|code| open.remove(code)).collect()
        };
        drop(closed);
    }

    /// Tells the open workshops what the database's listener heard; false
    /// once the server has stopped.
    fn heard(&self, notice: Notice<'_>) -> bool {
        if self.stopped.load(Ordering::Relaxed) {
            return false;
        }
        match notice {
            Notice::Changed(code) => {
                self.heard.fetch_add(1, Ordering::Relaxed);
                if let Some(open) = self.open_map().get(code) {
                    open.app.changed();
                }
            }
            Notice::Missed => {
                for open in self.open_map().values() {
                    open.app.changed();
                }
            }
            Notice::StillWanted => {}
        }
        true
    }

    /// Closes every workshop (the server is stopping).
    fn close_all(&self) {
        let closed: Vec<Arc<Opened>> = {
            let mut open = self.open_map();
            self.stopped.store(true, Ordering::Relaxed);
            open.drain().map(|(_, o)| o).collect()
        };
        for opened in &closed {
            opened.app.close();
        }
    }

    /// Renews the open workshops' activity (so `--retain` never removes
    /// one in use) and, with `--retain`, removes the idle ones.
    async fn renew_and_purge(&self) {
        let codes = self.open_codes();
        let retain = self.config.retain_ms;
        let done = self
            .registry
            .call(move |r| {
                for code in &codes {
                    r.use_workshop(code)?;
                }
                match retain {
                    Some(age) => r.purge_workshops_before(now_ms() - age).map(Some),
                    None => Ok(None),
                }
            })
            .await;
        match done {
            Ok(Some(purged)) => {
                let mut known = self.known();
                for code in &purged.workshops {
                    known.codes.remove(code);
                }
            }
            Ok(None) => {}
            Err(e) => eprintln!("warning: renewing the workshops or --retain failed: {e}"),
        }
    }
}

/// Why a workshop could not be opened.
enum OpenError {
    /// It is no longer in the database.
    Gone,
    /// The database failed.
    Failed(String),
}

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> OpenError {
        OpenError::Failed(e.to_string())
    }
}

/// Opens the workshop `config.code` on a connection of its own, as `kiku
/// serve --code` would serve it (blocks: call off the async workers).
/// On PostgreSQL, `announcements` is the server's listening connection's:
/// the workshop's changes are announced through it, coalesced.
/// With `writer`, its changes go through that writer, shared with the
/// server's other workshops.
fn open_workshop(
    db: &str,
    mut config: Config,
    limits: Limits,
    announcements: Option<crate::postgres::Announcements>,
    writer: Option<SharedWriter>,
) -> Result<WorkshopApp, OpenError> {
    let mut store: Box<dyn Registry> = match announcements {
        Some(later) => {
            let mut store = crate::postgres::PgStore::connect(db)?;
            store.announce_through(later);
            Box::new(store)
        }
        None => open_registry(db)?,
    };
    if !store.has_workshop(&config.code)? {
        return Err(OpenError::Gone);
    }
    store.use_workshop(&config.code)?;
    config.token = store.meta_or_insert("token", &mut serve::new_token)?;
    let (scenarios, _) = serve::workshop_scenarios(store.as_mut(), config.scenarios)?;
    config.scenarios = scenarios;
    let store: Box<dyn BoardStore> = store;
    WorkshopApp::open(store, config, limits, writer.as_ref())
        .map_err(|e| OpenError::Failed(e.to_string()))
}

/// Starts serving every workshop of `config.db` on `listener` (call within
/// a tokio runtime). Returns the server and its organisation's state.
pub fn start_all(
    listener: tokio::net::TcpListener,
    config: AllConfig,
    limits: Limits,
) -> std::io::Result<(Server, Arc<Organisation>)> {
    let announcements = is_postgres_url(&config.db).then(crate::postgres::announcements);
    // PostgreSQL: `writers` writer connections shared by every open
    // workshop (SQLite keeps one per workshop, each file its own).
    let writer = match &announcements {
        Some(later) => {
            let (db, later) = (config.db.clone(), Arc::clone(later));
            Some(SharedWriter::spawn(
                config.writers,
                Arc::new(move || {
                    let mut store = crate::postgres::PgStore::connect(&db)?;
                    store.announce_through(Arc::clone(&later));
                    Ok(Box::new(store) as Box<dyn BoardStore>)
                }),
            )?)
        }
        None => None,
    };
    let org = Arc::new(Organisation {
        registry: RegistryThread::spawn(&config.db)?,
        announcements,
        writer,
        heard: AtomicU64::new(0),
        streams: Arc::new(Semaphore::new(limits.max_event_streams)),
        config,
        limits,
        open: Mutex::new(HashMap::new()),
        opening: tokio::sync::Mutex::new(()),
        known: Mutex::new(KnownCodes::default()),
        refreshing: tokio::sync::Mutex::new(()),
        opened: AtomicU64::new(0),
        reads: AtomicU64::new(0),
        stopped: std::sync::atomic::AtomicBool::new(false),
    });
    // Other servers' changes, for every workshop on one connection (not
    // one per open workshop), which also announces this server's:
    // PostgreSQL only.
    if let Some(later) = &org.announcements {
        let weak = Arc::downgrade(&org);
        crate::postgres::PgStore::listen_all(
            &org.config.db,
            Arc::clone(later),
            Box::new(move |notice| weak.upgrade().is_some_and(|org| org.heard(notice))),
        )
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    let state = Arc::clone(&org);
    let server = server::start_router(listener, limits, move |stopped| {
        tokio::spawn(upkeep(Arc::clone(&state), stopped));
        Ok(Router::new()
            .fallback(route)
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .with_state(state))
    })?;
    Ok((server, org))
}

/// Closes idle workshops now and then, renews the open ones and applies
/// `--retain` every [`serve::RENEW_EVERY`]; closes every workshop when the
/// server stops.
async fn upkeep(org: Arc<Organisation>, mut stopped: watch::Receiver<bool>) {
    let sweep = (org.config.idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
    let mut sweeps = tokio::time::interval(sweep);
    let mut renewals = tokio::time::interval(serve::RENEW_EVERY);
    // The first renewal is at start, where `kiku serve --all` purged already.
    renewals.tick().await;
    loop {
        let renew = tokio::select! {
            _ = sweeps.tick() => false,
            _ = renewals.tick() => true,
            _ = stopped.wait_for(|s| *s) => break,
        };
        if renew {
            org.renew_and_purge().await;
        } else {
            org.close_idle();
        }
    }
    org.close_all();
}

/// Every request: bounded in time (event streams answer at once and
/// stream on), then routed to its workshop.
async fn route(State(org): State<Arc<Organisation>>, request: Request) -> Response {
    match tokio::time::timeout(org.limits.request_timeout, dispatch(&org, request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            RejectionKind::Timeout,
            "the request took too long to arrive",
        )
        .into_response(),
    }
}

/// The `code` of a join's or a submission's body.
#[derive(Deserialize)]
struct Coded {
    code: String,
}

/// `/` asks for a code, `/w/CODE/…` is that workshop's, `POST /api/join`
/// and `POST /api/submissions` go by their body's code, and the rest of
/// `/api/…` by `?code=`.
async fn dispatch(org: &Arc<Organisation>, request: Request) -> Result<Response, ApiError> {
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    if path == "/" {
        return Ok(ask(&request));
    }
    if let Some(rest) = path.strip_prefix("/w/") {
        let (code, tail) = match rest.split_once('/') {
            Some((code, tail)) => (code, format!("/{tail}")),
            None => {
                // `/w/CODE`: the page's relative links need the slash.
                let code = serve::parse_code(rest).map_err(|_| wrong_code())?;
                let to = format!(
                    "/w/{code}/{}",
                    query.map_or(String::new(), |q| format!("?{q}"))
                );
                return Ok(Redirect::permanent(&to).into_response());
            }
        };
        let workshop = org.workshop(code).await?;
        return forward(org, &workshop, request, &tail, query.as_deref()).await;
    }
    if !path.starts_with("/api/") {
        return Err(not_found());
    }
    if request.method() == Method::POST && (path == "/api/join" || path == "/api/submissions") {
        let (parts, body) = request.into_parts();
        let read = Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await;
        let bytes = read.as_ref().ok().cloned().unwrap_or_default();
        let Coded { code } = parse_body(&parts.headers, read)?;
        let workshop = org.workshop(&code).await?;
        let request = Request::from_parts(parts, Body::from(bytes));
        return forward(org, &workshop, request, &path, query.as_deref()).await;
    }
    let codes = query_codes(request.uri());
    let Some(code) = codes.first() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            RejectionKind::WrongCode,
            "this server serves several workshops: name one with ?code=CODE \
             (or use /w/CODE/…)",
        ));
    };
    let workshop = org.workshop(code).await?;
    forward(org, &workshop, request, &path, query.as_deref()).await
}

/// Answers `request` with `workshop`'s routes at `path`.
async fn forward(
    org: &Organisation,
    workshop: &Opened,
    mut request: Request,
    path: &str,
    query: Option<&str>,
) -> Result<Response, ApiError> {
    let target = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    *request.uri_mut() = target.parse::<Uri>().map_err(|_| not_found())?;
    // Projector pages are capped for the whole process, not per workshop.
    let slot = if path == "/api/events" {
        Some(Arc::clone(&org.streams).try_acquire_owned().map_err(|_| {
            server::projectors_full(org.limits.max_event_streams, " on this server")
        })?)
    } else {
        None
    };
    let mut router = workshop.app.router.clone();
    let response = match tower_service::Service::call(&mut router, request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    workshop.touch();
    Ok(match slot {
        Some(slot) => hold_while_streaming(response, slot),
        None => response,
    })
}

/// The response, holding `slot` until its body is done.
fn hold_while_streaming(response: Response, slot: OwnedSemaphorePermit) -> Response {
    use futures_util::StreamExt;
    let (parts, body) = response.into_parts();
    let stream = body.into_data_stream().map(move |chunk| {
        let _held = &slot;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// `GET /`: the page that asks for a workshop code; `/?code=CODE` (the
/// page without JavaScript) leads to that workshop's projector page.
fn ask(request: &Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            RejectionKind::NotFound,
            "this endpoint does not take that method (see README: Workshop server)",
        )
        .into_response();
    }
    if let Some(code) = query_codes(request.uri())
        .first()
        .and_then(|c| serve::parse_code(c).ok())
    {
        return Redirect::to(&format!("/w/{code}/")).into_response();
    }
    ([(header::CACHE_CONTROL, "no-cache")], Html(ASK_HTML)).into_response()
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        RejectionKind::NotFound,
        "no such endpoint: a workshop's pages are under /w/CODE/ (see README: Workshop server)",
    )
}

/// `kiku serve --all`: serves every workshop of the database until
/// interrupted.
pub(crate) fn serve_all(
    args: &ServeArgs,
    db: &str,
    scenarios: Scenarios,
    rate_limit: Option<RateLimit>,
    from: &str,
) -> Result<(), ServeError> {
    if args.max_open == 0 {
        return Err(ServeError::MaxOpen);
    }
    if args.writers == 0 {
        return Err(ServeError::Writers);
    }
    let mut store = open_registry(db).map_err(|source| ServeError::Open {
        path: PathBuf::from(serve::shown_db(db)),
        source,
    })?;
    let retain = args
        .retain
        .as_deref()
        .map(serve::parse_retain)
        .transpose()?;
    let purged = match retain {
        Some(age) => Some(store.purge_workshops_before(now_ms() - age)?),
        None => None,
    };
    let workshops = store.workshop_codes()?.len();
    drop(store);
    let listener =
        std::net::TcpListener::bind(&args.bind).map_err(|source| ServeError::Listen {
            addr: args.bind.clone(),
            source,
        })?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let url = serve::public_url(bound);
    let open_files = serve::raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let count = scenarios.len();
        let config = AllConfig {
            rate_limit,
            max_open: args.max_open,
            writers: args.writers,
            retain_ms: retain,
            ..AllConfig::new(db, &url, scenarios)
        };
        let limits = Limits {
            max_per_ip: args.max_per_ip,
            ..Limits::default()
        }
        .fit_open_files(open_files);
        let (server, _org) = start_all(listener, config, limits)?;
        let base = url.trim_end_matches('/');
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Kiku workshop board: every workshop of the database");
        let _ = writeln!(
            out,
            "  workshops:         {workshops} now (kiku workshop new|list --db …; \
             new ones are served as they come)"
        );
        let _ = writeln!(
            out,
            "  projector pages:   {base}/w/CODE/ ({url} asks for the code)"
        );
        let _ = writeln!(out, "  control pages:     {base}/w/CODE/control");
        let _ = writeln!(
            out,
            "  trainees join:     {} with their workshop's code",
            base.trim_start_matches("http://")
        );
        let _ = writeln!(out, "  database:          {}", serve::shown_db(db));
        let _ = writeln!(out, "  scenarios:         {count} from {from}");
        let _ = writeln!(
            out,
            "  open at once:      at most {} workshops (--max-open)",
            args.max_open
        );
        if is_postgres_url(db) {
            let _ = writeln!(
                out,
                "  writers:           {} connection(s) for every workshop's changes (--writers)",
                args.writers
            );
        }
        if let (Some(age), Some(purged)) = (&args.retain, &purged) {
            let _ = writeln!(
                out,
                "  retention:         {} idle (removed {} workshop(s) with {} entries; \
                 again every 10 minutes)",
                age.trim(),
                purged.workshops.len(),
                purged.entries
            );
        }
        serve::write_limits_and_address(
            &mut out,
            &limits,
            rate_limit,
            "per computer and workshop",
            server.addr(),
        );
        drop(out);
        serve::run_until_signalled(server).await
    })
}

#[cfg(test)]
mod tests;
