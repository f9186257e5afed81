//! `kiku serve`: opens the workshop database, loads the scenarios, prints
//! the code, the projector address and the facilitator token, and serves
//! until Ctrl-C.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ratelimit::RateLimit;
use crate::rescore::Scenarios;
use crate::server::{self, Config};
use crate::store::Store;

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

/// A workshop code the facilitator chose: 3-12 ASCII letters or digits,
/// upper-cased (trainees may type it in either case).
pub fn parse_code(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if (3..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(format!(
            "`{}`: a code is 3-12 letters or digits, e.g. TOKYO1",
            text.trim()
        ))
    }
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
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &ServeArgs) -> Result<(), String> {
    let rate_limit = match (&args.rate_limit, std::env::var(RATE_LIMIT_ENV)) {
        (Some(text), _) => RateLimit::parse(text).map_err(|e| format!("--rate-limit: {e}"))?,
        (None, Ok(text)) => {
            RateLimit::parse(&text).map_err(|e| format!("{RATE_LIMIT_ENV}: {e}"))?
        }
        (None, Err(_)) => Some(RateLimit::default()),
    };
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
        return Err(format!(
            "no valid scenario in {}: the server needs the scenarios to re-score sessions",
            dir.display()
        ));
    }
    let db_path: PathBuf = args
        .db
        .clone()
        .unwrap_or_else(|| crate::files::data_dir_or_here().join("workshop.db"));
    let mut store = Store::open(&db_path).map_err(|e| format!("{}: {e}", db_path.display()))?;
    // The code and token live in the database: a restarted server keeps
    // its workshop, and trainees need not join again.
    if let Some(chosen) = &args.code {
        let chosen = parse_code(chosen).map_err(|e| format!("--code: {e}"))?;
        store.set_meta("code", &chosen).map_err(|e| e.to_string())?;
    }
    let code = store
        .meta_or_insert("code", new_code)
        .map_err(|e| e.to_string())?;
    let token = store
        .meta_or_insert("token", new_token)
        .map_err(|e| e.to_string())?;
    let listener = std::net::TcpListener::bind(&args.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    let url = public_url(bound);
    let entries = store.count().unwrap_or(0);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        let config = Config {
            code: code.clone(),
            token: token.clone(),
            join_url: url.clone(),
            scenarios,
            rate_limit,
        };
        let count = config.scenarios.len();
        let server = server::start(listener, store, config).map_err(|e| e.to_string())?;
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
        server.shutdown().await.map_err(|e| e.to_string())
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
