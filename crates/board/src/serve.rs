//! `kiku serve`: opens the workshop database, loads the scenarios, prints
//! the code, the projector address and the facilitator token, and serves
//! until Ctrl-C.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ratelimit::{RateLimit, RateLimitError};
use crate::rescore::Scenarios;
use crate::server::{self, Config};
use crate::store::{AttemptRule, BoardStore, StoreError, open_any};

/// Options of `kiku serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:PORT to let trainees on the LAN join).
    #[arg(long, default_value = "0.0.0.0:8787")]
    pub bind: String,
    /// The SQLite database file (default: workshop.db in the data folder),
    /// or a PostgreSQL URL (`postgres://USER:PASSWORD@HOST:PORT/DB`) that
    /// several servers of one organisation share.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// A folder of scenarios that adds to the bundled ones or replaces them
    /// by id (as do `scenarios/` beside the executable and `KIKU_SCENARIOS`).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// The workshop code trainees type to join (3-12 letters or digits,
    /// e.g. TOKYO1). One database holds many workshops, each under its
    /// code: this server serves this one (made if new). Default: the
    /// database's only workshop, else a fresh random code.
    #[arg(long)]
    pub code: Option<String>,
    /// Submissions per trainee: BURST/PER_MINUTE (e.g. 30/30) or `off`
    /// (default: the KIKU_RATE_LIMIT environment variable, else 30/30).
    #[arg(long, value_name = "BURST/PER_MINUTE")]
    pub rate_limit: Option<String>,
    /// Which attempt at a scenario counts on the board: best, first or
    /// latest; kept for later runs (default: the saved rule, else best).
    /// Changing it re-ranks everyone at once.
    #[arg(long, value_name = "best|first|latest")]
    pub attempts: Option<String>,
    /// Everyone meets the same member: the workshop fixes one seed per
    /// scenario (announced to the games, kept for later runs) and refuses
    /// submissions played with another (`on`, or `off` to let any seed in
    /// again). Default: as saved, else off.
    #[arg(long, value_name = "on|off")]
    pub same_member: Option<String>,
    /// The reply mode every 1on1 must be played in: choose, recall, or
    /// any (each ranked on its own); kept for later runs, and changeable
    /// on the control page. The games are told; a submission in the other
    /// mode is refused (`wrong_mode`). Default: as saved, else any.
    #[arg(long, value_name = "choose|recall|any")]
    pub mode: Option<String>,
    /// Open connections one IP address may hold (0: no cap per address;
    /// raise it when a whole room shares one NAT address).
    #[arg(long, value_name = "N", default_value_t = server::DEFAULT_MAX_PER_IP)]
    pub max_per_ip: usize,
    /// Privacy: remove whole workshops (entries, players, code, token and
    /// state) idle for longer than this (e.g. 30d or 12h), at start and
    /// every 10 minutes. A running server keeps its own workshop active.
    /// Default: keep.
    #[arg(long, value_name = "AGE")]
    pub retain: Option<String>,
    /// Organisation mode: serve every workshop of the database from this
    /// one process, each under /w/CODE/ (the API also routes by the code in
    /// a join's or submission's body, or by ?code=), opening a workshop on
    /// its first request. Make workshops with `kiku workshop new`; several
    /// servers on one PostgreSQL serve the same workshops. Not with --code,
    /// --attempts, --same-member or --mode (set per workshop by `kiku
    /// workshop new`).
    #[arg(long, conflicts_with_all = ["code", "attempts", "same_member", "mode"])]
    pub all: bool,
    /// With --all: the most workshops open at once (each holds its own
    /// database connections and threads); the least recently used idle one
    /// is closed to open another.
    #[arg(long, value_name = "N", default_value_t = crate::org::DEFAULT_MAX_OPEN)]
    pub max_open: usize,
    /// With --all on PostgreSQL: the writer connections that store every
    /// workshop's submissions (each workshop always through the same one,
    /// each committing the batches waiting for it in one transaction).
    #[arg(long, value_name = "N", default_value_t = crate::org::DEFAULT_WRITERS)]
    pub writers: usize,
}

/// How often a running server renews its workshop's activity (so no
/// `--retain` purges it) and, with `--retain`, purges idle workshops.
pub(crate) const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(600);
/// Milliseconds in an hour.
const HOUR_MS: i64 = 3_600_000;
/// Hours in a day.
const DAY_HOURS: i64 = 24;

/// Reads `--retain`: a whole number of days (`30d`) or hours (`12h`), as
/// milliseconds.
pub fn parse_retain(text: &str) -> Result<i64, ServeError> {
    let text = text.trim();
    let bad = || ServeError::Retain(text.to_string());
    let (number, unit_hours) = match text.char_indices().last() {
        Some((at, 'd')) => (&text[..at], DAY_HOURS),
        Some((at, 'h')) => (&text[..at], 1),
        _ => return Err(bad()),
    };
    let n: i64 = number.parse().map_err(|_| bad())?;
    if n <= 0 {
        return Err(bad());
    }
    n.checked_mul(unit_hours)
        .and_then(|h| h.checked_mul(HOUR_MS))
        .ok_or_else(bad)
}

/// The `meta` key that says whether the workshop fixes seeds (`on`/`off`).
pub(crate) const SAME_MEMBER_KEY: &str = "same_member";

/// The database as printed: a PostgreSQL URL without its user and password.
pub(crate) fn shown_db(db: &str) -> String {
    match (db.split_once("://"), db.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…@{}", &db[at + 1..]),
        _ => db.to_string(),
    }
}

/// Letters and digits that cannot be mistaken for each other on a projector.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a workshop code.
const CODE_LEN: usize = 6;
/// Environment variable that sets the per-client rate limit (`BURST/PER_MINUTE` or `off`).
pub const RATE_LIMIT_ENV: &str = "KIKU_RATE_LIMIT";

/// A fresh workshop code, e.g. `K7P2QX`.
pub fn new_code() -> String {
    crate::random_bytes::<CODE_LEN>()
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect()
}

/// A workshop code that is not 3-12 letters or digits (the text as typed,
/// trimmed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}`: a code is 3-12 letters or digits, e.g. TOKYO1")]
pub struct CodeError(pub String);

/// A workshop code the facilitator chose: 3-12 ASCII letters or digits,
/// upper-cased (trainees may type it in either case).
pub fn parse_code(text: &str) -> Result<String, CodeError> {
    let code = text.trim().to_ascii_uppercase();
    if (3..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(CodeError(text.trim().to_string()))
    }
}

/// Why `kiku serve` could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// `--rate-limit` or [`RATE_LIMIT_ENV`] is not a rate limit.
    #[error("{from}: {source}")]
    RateLimit {
        /// Where it came from: `--rate-limit` or the variable's name.
        from: &'static str,
        /// What is wrong with it.
        source: RateLimitError,
    },
    /// The scenario folder has no valid scenario.
    #[error("no valid scenario in {0}: the server needs the scenarios to re-score sessions")]
    NoScenarios(String),
    /// The database file could not be opened.
    #[error("{}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// `--retain` is not an age.
    #[error("--retain: `{0}`: give a whole number of days or hours, e.g. 30d or 12h")]
    Retain(String),
    /// `--same-member` is neither on nor off.
    #[error("--same-member: `{0}`: give on or off")]
    SameMember(String),
    /// `--mode` is not a reply mode.
    #[error("--mode: `{0}`: give choose, recall or any")]
    Mode(String),
    /// `--attempts` is not a rule.
    #[error("--attempts: `{0}`: give best, first or latest")]
    Attempts(String),
    /// `--code` is not a workshop code.
    #[error("--code: {0}")]
    Code(#[source] CodeError),
    /// The database holds several workshops and `--code` named none.
    #[error("this database holds {} workshops ({}): name one with --code", .0.len(), .0.join(", "))]
    WhichWorkshop(Vec<String>),
    /// Reading or writing the code or token failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// `--max-open` is 0.
    #[error("--max-open: give 1 or more workshops")]
    MaxOpen,
    /// `--writers` is 0.
    #[error("--writers: give 1 or more connections")]
    Writers,
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The listening socket or the server failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A fresh facilitator token: 128 random bits in hex.
pub fn new_token() -> String {
    crate::hex(&crate::random_bytes::<16>())
}

/// The address other machines on the LAN reach this one at, if any. Asks
/// the OS which interface would route outward; no packet is sent.
pub fn lan_ip() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // TEST-NET-1 (RFC 5737): connecting a UDP socket only picks a route.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// The address to show for a server bound to `bound`.
pub(crate) fn public_url(bound: SocketAddr) -> String {
    let ip = if bound.ip().is_unspecified() {
        lan_ip().unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        bound.ip()
    };
    format!("http://{}/", SocketAddr::new(ip, bound.port()))
}

/// Runs the workshop server until interrupted.
pub fn run(args: &ServeArgs) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The rate limit from `--rate-limit`, else from `env` (the value of
/// [`RATE_LIMIT_ENV`]), else the default.
fn rate_limit(arg: Option<&str>, env: Option<&str>) -> Result<Option<RateLimit>, ServeError> {
    let (from, text) = match (arg, env) {
        (Some(text), _) => ("--rate-limit", text),
        (None, Some(text)) => (RATE_LIMIT_ENV, text),
        (None, None) => return Ok(Some(RateLimit::default())),
    };
    RateLimit::parse(text).map_err(|source| ServeError::RateLimit { from, source })
}

fn serve(args: &ServeArgs) -> Result<(), ServeError> {
    let env = std::env::var(RATE_LIMIT_ENV).ok();
    let rate_limit = rate_limit(args.rate_limit.as_deref(), env.as_deref())?;
    // A folder named on the command line must hold scenarios: an empty or
    // mistyped one is a mistake, not "the bundled ones only".
    if let Some(dir) = &args.scenarios
        && kiku_core::load::discover(std::slice::from_ref(dir))
            .iter()
            .all(|f| !f.is_file())
    {
        return Err(ServeError::NoScenarios(format!(
            "{} (--scenarios)",
            dir.display()
        )));
    }
    let folders = kiku_core::load::library::folders(args.scenarios.as_deref());
    let (scenarios, failed) = Scenarios::library(&kiku_core::load::library::paths(&folders));
    let from = std::iter::once("bundled".to_string())
        .chain(folders.iter().map(kiku_core::load::Folder::describe))
        .collect::<Vec<_>>()
        .join(", ");
    for message in &failed {
        eprintln!("{message}");
    }
    if !failed.is_empty() {
        eprintln!(
            "warning: {} scenario file(s) have errors and are not ranked (fix them: `kiku check`)",
            failed.len()
        );
    }
    if scenarios.is_empty() {
        return Err(ServeError::NoScenarios(from));
    }
    let db_path: PathBuf = args
        .db
        .clone()
        .unwrap_or_else(|| crate::files::data_dir_or_here().join("workshop.db"));
    let db_name = db_path.to_string_lossy().to_string();
    if args.all {
        return crate::org::serve_all(args, &db_name, scenarios, rate_limit, &from);
    }
    let mut store = open_any(&db_name).map_err(|source| ServeError::Open {
        path: db_path.clone(),
        source,
    })?;
    // The code and token live in the database: a restarted server keeps
    // its workshop, and trainees need not join again. One database holds
    // many workshops, each under its code.
    let code = match &args.code {
        Some(chosen) => parse_code(chosen).map_err(ServeError::Code)?,
        None => {
            let named: Vec<String> = store
                .workshops()?
                .into_iter()
                .map(|w| w.code)
                .filter(|c| !c.is_empty())
                .collect();
            match named.as_slice() {
                [] => new_code(),
                [only] => only.clone(),
                _ => return Err(ServeError::WhichWorkshop(named)),
            }
        }
    };
    let retain = args.retain.as_deref().map(parse_retain).transpose()?;
    // Purged before this server claims its workshop: an idle one of its
    // own goes too, and starts afresh.
    let purged = match retain {
        Some(age) => Some(store.purge_workshops_before(crate::store::now_ms() - age)?),
        None => None,
    };
    store.use_workshop(&code)?;
    store.set_meta("code", &code)?;
    let terms = Terms {
        attempts: args.attempts.clone(),
        same_member: args.same_member.clone(),
        mode: args.mode.clone(),
    };
    terms.apply(store.as_mut())?;
    let (scenarios, same_member) = workshop_scenarios(store.as_mut(), scenarios)?;
    {
        // While the server runs, a connection of its own renews the
        // workshop's activity and purges idle ones.
        let (path, code) = (db_name.clone(), code.clone());
        std::thread::Builder::new()
            .name("kiku-board-retain".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(RENEW_EVERY);
                    let result = open_any(&path).and_then(|mut s| {
                        s.use_workshop(&code)?;
                        match retain {
                            Some(age) => s
                                .purge_workshops_before(crate::store::now_ms() - age)
                                .map(drop),
                            None => Ok(()),
                        }
                    });
                    if let Err(e) = result {
                        eprintln!("warning: renewing the workshop or --retain failed: {e}");
                    }
                }
            })?;
    }
    let token = store.meta_or_insert("token", &mut new_token)?;
    let listener =
        std::net::TcpListener::bind(&args.bind).map_err(|source| ServeError::Listen {
            addr: args.bind.clone(),
            source,
        })?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let url = public_url(bound);
    let entries = store.count().unwrap_or(0);
    let rule = store.attempt_rule();
    let mode = server::required_mode(store.as_mut())?;

    // Every connection is a file: raise the soft limit to the hard one
    // (commonly 1,024 soft) before sizing the connection caps.
    let open_files = raise_open_file_limit();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let config = Config {
            code: code.clone(),
            token: token.clone(),
            join_url: url.clone(),
            scenarios,
            rate_limit,
        };
        let count = config.scenarios.len();
        let limits = server::Limits {
            max_per_ip: args.max_per_ip,
            ..server::Limits::default()
        }
        .fit_open_files(open_files);
        let server = server::start_with_store(listener, store, config, limits)?;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Kiku workshop board");
        let _ = writeln!(out, "  workshop code:     {code}");
        let _ = writeln!(out, "  projector page:    {url}");
        let _ = writeln!(
            out,
            "  trainees join:     {} with code {code}",
            url.trim_end_matches('/').trim_start_matches("http://")
        );
        let _ = writeln!(out, "  facilitator token: {token}");
        let _ = writeln!(
            out,
            "  control page:      {}control#token={token}",
            url.trim_end_matches('/').to_string() + "/"
        );
        let _ = writeln!(
            out,
            "  CSV export:        {url}api/export.csv?token={token}"
        );
        let _ = writeln!(
            out,
            "  database:          {} ({entries} entries)",
            shown_db(&db_name)
        );
        let _ = writeln!(out, "  scenarios:         {count} from {from}");
        let _ = writeln!(
            out,
            "  attempt counted:   {} (--attempts best|first|latest)",
            rule.as_str()
        );
        let _ = writeln!(
            out,
            "  reply mode:        {} (--mode choose|recall|any)",
            mode.map_or("any", kiku_core::Mode::as_str)
        );
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
        let _ = writeln!(
            out,
            "  same member:       {} (--same-member on|off)",
            if same_member {
                "on: one seed per scenario"
            } else {
                "off: any seed"
            }
        );
        write_limits_and_address(&mut out, &limits, rate_limit, "per computer", server.addr());
        drop(out);
        run_until_signalled(server).await
    })
}

/// The last lines a server prints as it starts (`kiku serve` and `kiku
/// serve --all`): its connection caps, its rate limit (`per`: what one
/// allowance is counted for), and the address it listens on.
pub(crate) fn write_limits_and_address(
    out: &mut impl Write,
    limits: &server::Limits,
    rate_limit: Option<RateLimit>,
    per: &str,
    addr: SocketAddr,
) {
    let _ = writeln!(
        out,
        "  connections:       at most {} ({} projector pages, {} per address)",
        limits.max_connections,
        limits.max_event_streams,
        match limits.max_per_ip {
            0 => "no cap".to_string(),
            n => n.to_string(),
        }
    );
    match rate_limit {
        Some(l) => {
            let _ = writeln!(
                out,
                "  rate limit:        {} at once, {}/min {per}",
                l.burst, l.per_minute
            );
        }
        None => {
            let _ = writeln!(out, "  rate limit:        off");
        }
    }
    // Tests and scripts read the port from this line.
    let _ = writeln!(out, "listening on {addr}");
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    let _ = out.flush();
}

/// Serves until Ctrl-C or SIGTERM, then stops gracefully; a second signal
/// stops the process at once.
pub(crate) async fn run_until_signalled(server: server::Server) -> Result<(), ServeError> {
    let signals = signals();
    match stop_on_signals(server, signals).await {
        Stopped::Graceful(result) => Ok(result?),
        Stopped::Forced => {
            eprintln!("stopped at once");
            // Connections still open are dropped with the process.
            std::process::exit(130)
        }
    }
}

/// A workshop's terms as given on the command line (`kiku serve`, `kiku
/// workshop new`); each one left out keeps what is saved.
#[derive(Clone, Debug, Default)]
pub(crate) struct Terms {
    /// `--attempts`: best, first or latest.
    pub(crate) attempts: Option<String>,
    /// `--same-member`: on or off.
    pub(crate) same_member: Option<String>,
    /// `--mode`: choose, recall or any.
    pub(crate) mode: Option<String>,
}

/// [`Terms`] read and checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct CheckedTerms {
    rule: Option<AttemptRule>,
    same_member: Option<String>,
    /// `Some(None)`: either mode.
    required: Option<Option<kiku_core::Mode>>,
}

impl Terms {
    /// Reads every term: the first one that is not valid is the error.
    pub(crate) fn check(&self) -> Result<CheckedTerms, ServeError> {
        let rule = match &self.attempts {
            Some(rule) => Some(
                AttemptRule::parse(rule.trim())
                    .ok_or_else(|| ServeError::Attempts(rule.trim().to_string()))?,
            ),
            None => None,
        };
        let same_member = match &self.same_member {
            Some(choice) => {
                let choice = choice.trim().to_ascii_lowercase();
                if choice != "on" && choice != "off" {
                    return Err(ServeError::SameMember(choice));
                }
                Some(choice)
            }
            None => None,
        };
        let required = match &self.mode {
            Some(mode) => {
                let mode = mode.trim().to_ascii_lowercase();
                Some(match mode.as_str() {
                    "any" => None,
                    name => {
                        Some(kiku_core::Mode::parse(name).ok_or(ServeError::Mode(mode.clone()))?)
                    }
                })
            }
            None => None,
        };
        Ok(CheckedTerms {
            rule,
            same_member,
            required,
        })
    }

    /// Checks every term, then saves them in the workshop `store` works on.
    pub(crate) fn apply(&self, store: &mut dyn BoardStore) -> Result<(), ServeError> {
        let terms = self.check()?;
        if let Some(rule) = terms.rule
            && rule != store.attempt_rule()
        {
            store.set_attempt_rule(rule)?;
        }
        if let Some(choice) = terms.same_member {
            store.set_meta(SAME_MEMBER_KEY, &choice)?;
        }
        if let Some(required) = terms.required {
            server::set_required_mode(store, required)?;
        }
        Ok(())
    }
}

/// The scenarios as the workshop `store` works on announces them: with
/// one seed per scenario when it fixes the member (`--same-member on`),
/// and whether it does.
pub(crate) fn workshop_scenarios(
    store: &mut dyn BoardStore,
    mut scenarios: Scenarios,
) -> Result<(Scenarios, bool), StoreError> {
    let same_member = store.meta(SAME_MEMBER_KEY)?.as_deref() == Some("on");
    if same_member {
        // One seed per scenario, kept in the database so a restart (or a
        // later session of the workshop) announces the same ones.
        let mut failed = None;
        scenarios.fix_seeds(|id| {
            let make = || u64::from_le_bytes(crate::random_bytes::<8>()).to_string();
            match store.meta_or_insert(&format!("seed:{id}"), &mut { make }) {
                Ok(text) => text.parse().unwrap_or_default(),
                Err(e) => {
                    failed = Some(e);
                    0
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
    }
    Ok((scenarios, same_member))
}

/// How the server stopped.
#[derive(Debug)]
enum Stopped {
    /// After the first signal: requests in flight finished (or the deadline passed).
    Graceful(std::io::Result<()>),
    /// A second signal came before that.
    Forced,
}

/// Waits for the first signal, then shuts the server down; a second
/// signal during the shutdown gives up on it at once.
async fn stop_on_signals(
    server: server::Server,
    mut signals: tokio::sync::mpsc::UnboundedReceiver<()>,
) -> Stopped {
    if signals.recv().await.is_none() {
        // No signal can arrive: serve until the server stops by itself.
        return Stopped::Graceful(server.wait().await);
    }
    eprintln!("stopping… (press Ctrl-C again to stop at once)");
    tokio::select! {
        result = server.shutdown() => Stopped::Graceful(result),
        Some(()) = signals.recv() => Stopped::Forced,
    }
}

/// Every Ctrl-C, and SIGTERM on Unix, as messages (call within the runtime).
fn signals() -> tokio::sync::mpsc::UnboundedReceiver<()> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
            match signal(kind) {
                Ok(mut stream) => {
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        while stream.recv().await.is_some() {
                            if tx.send(()).is_err() {
                                return;
                            }
                        }
                    });
                }
                Err(e) => eprintln!("warning: cannot listen for signals: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        while tokio::signal::ctrl_c().await.is_ok() {
            if tx.send(()).is_err() {
                return;
            }
        }
    });
    rx
}

/// Raises this process's soft limit on open files to its hard limit
/// (capped at 65,536); returns the soft limit in force.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
pub fn raise_open_file_limit() -> u64 {
    const WANT: u64 = 65_536;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        let current = limit.rlim_cur as u64;
        let target = (limit.rlim_max as u64).min(WANT);
        if target > current {
            let mut raised = limit;
            raised.rlim_cur = target as libc::rlim_t;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return target;
            }
            // macOS refuses more than OPEN_MAX whatever the hard limit says.
            raised.rlim_cur = (10_240_u64.max(current)).min(target) as libc::rlim_t;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur as u64;
            }
        }
        current
    }
}

/// No such limit to raise here; the default caps apply.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> u64 {
    u64::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_codes() {
        assert_eq!(parse_code(" tokyo1 ").unwrap(), "TOKYO1");
        for bad in ["ab", "THIRTEEN_CHARS", "東京", "a b c", ""] {
            assert!(parse_code(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ServeError::Code(parse_code(" ab ").unwrap_err()).to_string(),
            "--code: `ab`: a code is 3-12 letters or digits, e.g. TOKYO1"
        );
    }

    #[test]
    fn rate_limits_name_where_they_came_from() {
        assert_eq!(rate_limit(None, None).unwrap(), Some(RateLimit::default()));
        assert_eq!(rate_limit(Some("off"), Some("1/1")).unwrap(), None);
        assert_eq!(
            rate_limit(None, Some("3/4")).unwrap(),
            Some(RateLimit {
                burst: 3,
                per_minute: 4
            })
        );
        assert_eq!(
            rate_limit(Some("x"), None).unwrap_err().to_string(),
            "--rate-limit: `x`: write BURST/PER_MINUTE (e.g. 30/30) or off"
        );
        assert_eq!(
            rate_limit(None, Some("0/1")).unwrap_err().to_string(),
            "KIKU_RATE_LIMIT: `0` is not a positive whole number"
        );
    }

    #[test]
    fn error_messages_read_as_before() {
        assert_eq!(
            ServeError::NoScenarios("/nowhere/scenarios".into()).to_string(),
            "no valid scenario in /nowhere/scenarios: the server needs the scenarios to re-score sessions"
        );
        let refused = std::io::Error::new(std::io::ErrorKind::AddrInUse, "in use");
        assert_eq!(
            ServeError::Listen {
                addr: "0.0.0.0:8787".into(),
                source: refused
            }
            .to_string(),
            "cannot listen on 0.0.0.0:8787: in use"
        );
        let open = ServeError::Open {
            path: PathBuf::from("w.db"),
            source: StoreError::NewerSchema(9),
        };
        assert_eq!(
            open.to_string(),
            "w.db: the leaderboard database has schema version 9; this Kiku knows 3"
        );
    }

    #[test]
    fn codes_and_tokens() {
        let code = new_code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let token = new_token();
        assert_eq!(token.len(), 32);
        assert_ne!(token, new_token());
    }
}

#[cfg(test)]
mod stop_tests {
    use super::*;
    use std::time::{Duration, Instant};
    use tokio::io::AsyncWriteExt;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_signal_stops_at_once() {
        let server = crate::server::tests::serve(server::Limits {
            header_timeout: Duration::from_secs(60),
            shutdown_deadline: Duration::from_secs(60),
            ..server::Limits::default()
        })
        .await;
        // A request that never finishes keeps a graceful shutdown waiting.
        let mut slow = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
        slow.write_all(b"POST /api/join HTTP/1.1\r\nhost: x\r\ncontent-length: 9\r\n\r\n{")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let stopping = tokio::spawn(stop_on_signals(server, rx));
        tx.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!stopping.is_finished());
        let started = Instant::now();
        tx.send(()).unwrap();
        let stopped = tokio::time::timeout(Duration::from_secs(3), stopping)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(stopped, Stopped::Forced), "{stopped:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_signal_stops_gracefully() {
        let server = crate::server::tests::serve(crate::server::tests::quick()).await;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tx.send(()).unwrap();
        let stopped = tokio::time::timeout(Duration::from_secs(3), stop_on_signals(server, rx))
            .await
            .unwrap();
        assert!(matches!(stopped, Stopped::Graceful(Ok(()))), "{stopped:?}");
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::unnecessary_cast)]
    fn the_open_file_limit_is_raised() {
        let read = || {
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: reads into the struct given.
            assert_eq!(
                unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
                0
            );
            (limit.rlim_cur as u64, limit.rlim_max as u64)
        };
        let (soft, hard) = read();
        let now = raise_open_file_limit();
        assert!(now >= soft);
        assert_eq!(read().0, now);
        assert!(now >= hard.min(10_240).max(soft), "{soft}/{hard} -> {now}");
    }

    #[test]
    fn retention_ages_read_as_days_or_hours() {
        assert_eq!(parse_retain("30d").unwrap(), 30 * 24 * 3_600_000);
        assert_eq!(parse_retain(" 12h ").unwrap(), 12 * 3_600_000);
        for bad in [
            "",
            "30",
            "d",
            "0d",
            "-1d",
            "1.5d",
            "30w",
            "99999999999999999d",
        ] {
            let e = parse_retain(bad).unwrap_err().to_string();
            assert!(e.contains("e.g. 30d or 12h"), "{bad}: {e}");
        }
    }
}
