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
use crate::store::{Store, StoreError};

/// Options of `kiku serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:PORT to let trainees on the LAN join).
    #[arg(long, default_value = "0.0.0.0:8787")]
    pub bind: String,
    /// The SQLite database file (default: workshop.db in the data folder).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Folder of scenarios the server re-scores with (default: the bundled scenarios/).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// The workshop code trainees type to join (3-12 letters or digits,
    /// e.g. TOKYO1); kept for later runs. Default: the saved code, else a
    /// fresh random one.
    #[arg(long)]
    pub code: Option<String>,
    /// Submissions per trainee: BURST/PER_MINUTE (e.g. 30/30) or `off`
    /// (default: the KIKU_RATE_LIMIT environment variable, else 30/30).
    #[arg(long, value_name = "BURST/PER_MINUTE")]
    pub rate_limit: Option<String>,
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
    #[error(
        "no valid scenario in {}: the server needs the scenarios to re-score sessions",
        .0.display()
    )]
    NoScenarios(PathBuf),
    /// The database file could not be opened.
    #[error("{}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// `--code` is not a workshop code.
    #[error("--code: {0}")]
    Code(#[source] CodeError),
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
fn public_url(bound: SocketAddr) -> String {
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
    let dir = args
        .scenarios
        .clone()
        .unwrap_or_else(kiku_core::load::bundled_dir);
    let (scenarios, failed) = Scenarios::load(std::slice::from_ref(&dir));
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
        return Err(ServeError::NoScenarios(dir));
    }
    let db_path: PathBuf = args
        .db
        .clone()
        .unwrap_or_else(|| crate::files::data_dir_or_here().join("workshop.db"));
    let mut store = Store::open(&db_path).map_err(|source| ServeError::Open {
        path: db_path.clone(),
        source,
    })?;
    // The code and token live in the database: a restarted server keeps
    // its workshop, and trainees need not join again.
    if let Some(chosen) = &args.code {
        let chosen = parse_code(chosen).map_err(ServeError::Code)?;
        store.set_meta("code", &chosen)?;
    }
    let code = store.meta_or_insert("code", new_code)?;
    let token = store.meta_or_insert("token", new_token)?;
    let listener =
        std::net::TcpListener::bind(&args.bind).map_err(|source| ServeError::Listen {
            addr: args.bind.clone(),
            source,
        })?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let url = public_url(bound);
    let entries = store.count().unwrap_or(0);

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
        let server = server::start(listener, store, config)?;
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
            "  CSV export:        {url}api/export.csv?token={token}"
        );
        let _ = writeln!(
            out,
            "  database:          {} ({entries} entries)",
            db_path.display()
        );
        let _ = writeln!(out, "  scenarios:         {count} from {}", dir.display());
        match rate_limit {
            Some(l) => {
                let _ = writeln!(
                    out,
                    "  rate limit:        {} at once, {}/min per computer",
                    l.burst, l.per_minute
                );
            }
            None => {
                let _ = writeln!(out, "  rate limit:        off");
            }
        }
        // Tests and scripts read the port from this line.
        let _ = writeln!(out, "listening on {}", server.addr());
        let _ = writeln!(out, "Press Ctrl-C to stop.");
        let _ = out.flush();
        drop(out);
        shutdown_signal().await;
        eprintln!("stopping…");
        Ok(server.shutdown().await?)
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
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
        let dir = PathBuf::from("/nowhere/scenarios");
        assert_eq!(
            ServeError::NoScenarios(dir).to_string(),
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
            "w.db: the leaderboard database has schema version 9; this Kiku knows 1"
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
