//! The game's side of the workshop: an HTTP client for `kiku serve`, a
//! persistent queue of submissions that survives restarts and network
//! loss, and a background [`Link`] that keeps retrying. Pure Rust, no Bevy.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::protocol::{
    Accepted, ErrorBody, JoinRequest, Joined, MyRank, PLAYER_HEADER, RejectionKind, ScenarioInfo,
    Submission, WorkshopInfo,
};
use kiku_core::{Finished, Mode};

/// The seed the workshop fixes for `scenario` (from [`Joined::scenarios`]
/// or [`Client::workshop`]), so everyone meets the same member: start the
/// 1on1 with it. `None`: the workshop takes any seed.
pub fn workshop_seed(scenarios: &[ScenarioInfo], scenario: &str) -> Option<u64> {
    scenarios.iter().find(|s| s.id == scenario)?.seed
}

/// The port `kiku serve` listens on by default.
pub const DEFAULT_PORT: u16 = 8787;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Retry delays grow to this.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
const FIRST_BACKOFF: Duration = Duration::from_secs(2);

/// Why a request did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No answer (no network, server down, timeout) or a server fault:
    /// worth trying again later.
    #[error("the workshop server is not reachable: {0}")]
    Unreachable(String),
    /// Too many requests: try again after the delay.
    #[error("the workshop server is busy: {message}")]
    Busy {
        /// How long to wait.
        retry_after: Duration,
        /// The server's words.
        message: String,
    },
    /// The server refused the request for good (wrong code, bad nickname,
    /// different scenario version, ...).
    #[error("{message}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The server's error kind (e.g. `wrong_code`).
        kind: String,
        /// The server's words.
        message: String,
    },
}

impl From<AddressError> for SendError {
    /// An address that is not one: refused for good, kind `bad_address`.
    fn from(e: AddressError) -> SendError {
        SendError::Rejected {
            status: 0,
            kind: RejectionKind::BadAddress.as_str().to_string(),
            message: e.to_string(),
        }
    }
}

impl SendError {
    /// True when sending again later may succeed.
    pub fn retryable(&self) -> bool {
        !matches!(self, SendError::Rejected { .. })
    }
}

/// Why a typed server address cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// `https://`: the workshop server does not speak TLS.
    #[error("the workshop server speaks plain http://, not https://")]
    Https,
    /// Empty, or with a path, spaces, a query or a user name.
    #[error("`{0}` is not a server address (e.g. 192.168.1.20:8787)")]
    NotAnAddress(String),
}

/// The `http://host:port` for what a trainee typed: `192.168.1.20`,
/// `192.168.1.20:8787`, `http://kiku.local:8787/` all work.
pub fn base_url(server: &str) -> Result<String, AddressError> {
    let text = server.trim().trim_end_matches('/');
    let rest = text
        .strip_prefix("http://")
        .unwrap_or(text)
        .trim_end_matches('/');
    if text.starts_with("https://") {
        return Err(AddressError::Https);
    }
    if rest.is_empty() || rest.contains(['/', ' ', '?', '#', '@']) {
        return Err(AddressError::NotAnAddress(server.trim().to_string()));
    }
    // A bare IPv6 address has colons but no port.
    let has_port = rest.rsplit_once(':').is_some_and(|(host, port)| {
        !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && (!host.contains(':') || host.ends_with(']'))
    });
    Ok(if has_port {
        format!("http://{rest}")
    } else {
        format!("http://{rest}:{DEFAULT_PORT}")
    })
}

/// A submission id: 128 random bits in hex.
pub fn new_submission_id() -> String {
    crate::hex(&crate::random_bytes::<16>())
}

/// The submission for a finished 1on1 (a fresh id; no score: the server
/// computes its own).
pub fn submission(finished: &Finished, code: &str, nickname: &str) -> Submission {
    Submission {
        id: Some(new_submission_id()),
        code: code.trim().to_string(),
        nickname: nickname.trim().to_string(),
        scenario: finished.scenario.clone(),
        hash: finished.content_hash.clone(),
        seed: finished.seed,
        choices: finished.choices.clone(),
        mode: finished.mode,
        prior: finished.prior.clone(),
    }
}

/// The player tokens this process got on joining, by workshop code and
/// nickname, then by server address: kept in memory, and in
/// [`PLAYERS_FILE`] beside the outbox once a [`Queue`] (or [`Link`]) is
/// opened, so a restarted game still submits as its player.
#[derive(Default, Serialize, Deserialize)]
struct Players {
    #[serde(skip)]
    file: Option<PathBuf>,
    format: String,
    /// `CODE\u{1f}nickname` → server base URL → token.
    tokens: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// The file of player tokens, beside the outbox.
pub const PLAYERS_FILE: &str = "players.json";
const PLAYERS_FORMAT: &str = "kiku.players/1";

static PLAYERS: Mutex<Option<Players>> = Mutex::new(None);

fn player_key(code: &str, nickname: &str) -> String {
    let name =
        crate::rescore::check_nickname(nickname).unwrap_or_else(|_| nickname.trim().to_string());
    format!("{}\u{1f}{name}", code.trim().to_uppercase())
}

fn with_players<R>(f: impl FnOnce(&mut Players) -> R) -> R {
    let mut guard = PLAYERS.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(Players::default))
}

impl Players {
    /// Writes the file, if there is one and its folder still exists.
    fn save(&mut self) {
        let Some(path) = self.file.clone() else {
            return;
        };
        if path
            .parent()
            .is_some_and(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            return;
        }
        self.format = PLAYERS_FORMAT.into();
        if let Err(e) = crate::files::write_json(&path, self) {
            eprintln!("warning: could not save {}: {e}", path.display());
        }
    }
}

/// Keeps player tokens in `path` from now on (tokens already in memory
/// are added to it; the file's own are read).
pub fn use_players_file(path: &Path) {
    with_players(|players| {
        if players.file.as_deref() == Some(path) {
            return;
        }
        if let crate::files::Read::Ok(saved) = crate::files::read_json::<Players>(path)
            && saved.format == PLAYERS_FORMAT
        {
            for (key, servers) in saved.tokens {
                let known = players.tokens.entry(key).or_default();
                for (base, token) in servers {
                    known.entry(base).or_insert(token);
                }
            }
        }
        players.file = Some(path.to_path_buf());
        players.save();
    });
}

/// The token for `nickname` in workshop `code` on `base` (else one from
/// the same workshop at another address: the server may have moved).
fn player_token(base: &str, code: &str, nickname: &str) -> Option<(String, String)> {
    with_players(|players| {
        let servers = players.tokens.get(&player_key(code, nickname))?;
        servers
            .get(base)
            .map(|t| (base.to_string(), t.clone()))
            .or_else(|| servers.iter().next().map(|(b, t)| (b.clone(), t.clone())))
    })
}

fn remember_player(base: &str, code: &str, nickname: &str, token: &str) {
    with_players(|players| {
        let servers = players
            .tokens
            .entry(player_key(code, nickname))
            .or_default();
        if servers.get(base).map(String::as_str) != Some(token) {
            servers.insert(base.to_string(), token.to_string());
            players.save();
        }
    });
}

fn forget_player(base: &str, code: &str, nickname: &str) {
    with_players(|players| {
        let key = player_key(code, nickname);
        if let Some(servers) = players.tokens.get_mut(&key)
            && servers.remove(base).is_some()
        {
            if servers.is_empty() {
                players.tokens.remove(&key);
            }
            players.save();
        }
    });
}

/// A client for one workshop server.
#[derive(Clone, Debug)]
pub struct Client {
    agent: ureq::Agent,
    base: String,
}

impl Client {
    /// A client for `server` (see [`base_url`]).
    pub fn new(server: &str) -> Result<Client, AddressError> {
        let base = base_url(server)?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            // The workshop is on the LAN: never through a corporate proxy.
            .proxy(None)
            .build()
            .into();
        Ok(Client { agent, base })
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET /api/workshop?code=CODE`: the scenarios the workshop `code`
    /// ranks (a server of one workshop refuses another code as
    /// `wrong_code`; a server of many serves the one named).
    pub fn workshop(&self, code: &str) -> Result<WorkshopInfo, SendError> {
        let response = self
            .agent
            .get(format!("{}/api/workshop", self.base))
            .query("code", code.trim())
            .call()
            .map_err(|e| SendError::Unreachable(e.to_string()))?;
        answer(response)
    }

    /// `POST /api/join`: checks the code and the nickname, and takes the
    /// nickname for this player. The secret player token in the answer is
    /// also kept by the client (see [`use_players_file`]): later
    /// submissions as this nickname carry it. Joining again with the same
    /// nickname keeps the same token.
    pub fn join(&self, code: &str, nickname: &str) -> Result<Joined, SendError> {
        // Without a token yet, make one and keep it before asking: if the
        // answer is lost, joining again with it gets the same answer.
        let (known, proposed) = match player_token(&self.base, code, nickname) {
            Some((_, token)) => (token, false),
            None => {
                let token = crate::hex(&crate::random_bytes::<16>());
                remember_player(&self.base, code, nickname, &token);
                (token, true)
            }
        };
        let response = self
            .agent
            .post(format!("{}/api/join", self.base))
            .send_json(JoinRequest {
                code: code.trim().to_string(),
                nickname: nickname.to_string(),
                player: Some(known),
            })
            .map_err(|e| SendError::Unreachable(e.to_string()))?;
        let joined: Joined = match answer(response) {
            Ok(joined) => joined,
            Err(e) => {
                if proposed && !e.retryable() {
                    forget_player(&self.base, code, nickname);
                }
                return Err(e);
            }
        };
        if joined.player.is_empty() {
            // A server from before player tokens.
            forget_player(&self.base, code, nickname);
        } else {
            remember_player(&self.base, code, nickname, &joined.player);
            remember_player(&self.base, code, &joined.nickname, &joined.player);
        }
        Ok(joined)
    }

    /// `POST /api/submissions`: the server replays, scores and stores it.
    /// Sends the player token this client got on joining as the
    /// submission's nickname; without one (or when the server no longer
    /// knows it) joins first.
    pub fn submit(&self, submission: &Submission) -> Result<Accepted, SendError> {
        let (code, nickname) = (&submission.code, &submission.nickname);
        let (used, token) = match player_token(&self.base, code, nickname) {
            Some(known) => known,
            None => (self.base.clone(), self.join(code, nickname)?.player),
        };
        match self.send_submission(submission, &token) {
            Err(SendError::Rejected { kind, .. }) if kind == RejectionKind::BadPlayer.as_str() => {
                // A server that lost or revoked the token, or another
                // workshop with the same code: join again once.
                forget_player(&used, code, nickname);
                let token = self.join(code, nickname)?.player;
                self.send_submission(submission, &token)
            }
            other => other,
        }
    }

    /// `GET /api/me/rank`: where the player who joined `code` as
    /// `nickname` from this game stands on `scenario` in `mode` (rank, of
    /// how many, best score, and overall), told to them alone. Refused with
    /// kind `bad_player` when this game has not joined as that nickname.
    pub fn my_rank(
        &self,
        code: &str,
        nickname: &str,
        scenario: &str,
        mode: Mode,
    ) -> Result<MyRank, SendError> {
        let Some((base, token)) = player_token(&self.base, code, nickname) else {
            return Err(SendError::Rejected {
                status: 401,
                kind: RejectionKind::BadPlayer.as_str().to_string(),
                message: "join the workshop first: your rank is found by your player token".into(),
            });
        };
        let response = self
            .agent
            .get(format!("{base}/api/me/rank"))
            // Names the workshop for a server of many (`kiku serve --all`).
            .query("code", code.trim())
            .query("scenario", scenario)
            .query("mode", mode.as_str())
            .header(PLAYER_HEADER, &token)
            .call()
            .map_err(|e| SendError::Unreachable(e.to_string()))?;
        answer(response)
    }

    fn send_submission(&self, submission: &Submission, token: &str) -> Result<Accepted, SendError> {
        let mut request = self.agent.post(format!("{}/api/submissions", self.base));
        if !token.is_empty() {
            request = request.header(PLAYER_HEADER, token);
        }
        let response = request
            .send_json(submission)
            .map_err(|e| SendError::Unreachable(e.to_string()))?;
        answer(response)
    }
}

fn answer<T: serde::de::DeserializeOwned>(
    mut response: ureq::http::Response<ureq::Body>,
) -> Result<T, SendError> {
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return response
            .body_mut()
            .read_json()
            .map_err(|e| SendError::Unreachable(format!("unreadable answer: {e}")));
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body: Option<ErrorBody> = response.body_mut().read_json().ok();
    let (kind, message) = match body {
        Some(b) => (b.kind, b.error),
        None => (String::new(), format!("HTTP {status}")),
    };
    Err(match status {
        429 => SendError::Busy {
            retry_after: retry_after.unwrap_or(FIRST_BACKOFF),
            message,
        },
        500.. => SendError::Unreachable(format!("server error {status}: {message}")),
        _ => SendError::Rejected {
            status,
            kind,
            message,
        },
    })
}

/// A submission waiting to be sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    /// The server it is for (as typed when joining).
    pub server: String,
    /// The submission.
    pub submission: Submission,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct QueueFile {
    format: String,
    items: Vec<Queued>,
}

const QUEUE_FORMAT: &str = "kiku.outbox/1";

/// Submissions not yet acknowledged, kept in a JSON file that is replaced
/// atomically on every change: a crash or power cut leaves either the old
/// or the new queue, never half of one.
#[derive(Debug)]
pub struct Queue {
    path: PathBuf,
    items: Vec<Queued>,
}

/// What one [`Queue::flush`] did.
#[derive(Clone, Debug, Default)]
pub struct FlushReport {
    /// Submissions the server stored, with its answer.
    pub accepted: Vec<(Submission, Accepted)>,
    /// Submissions the server refused for good, with its reason (dropped).
    pub rejected: Vec<(Submission, String)>,
    /// Still waiting.
    pub pending: usize,
    /// Why the rest is still waiting, if it is.
    pub error: Option<String>,
    /// The server asked to wait this long.
    pub retry_after: Option<Duration>,
}

/// The queue file: `outbox.json` in [`crate::files::data_dir`].
pub fn default_queue_path() -> PathBuf {
    crate::files::data_dir_or_here().join("outbox.json")
}

impl Queue {
    /// Opens the queue at `path`. A missing file is an empty queue; an
    /// unreadable one is kept aside as `*.bad` and the queue starts empty.
    /// Player tokens are kept beside it, in [`PLAYERS_FILE`].
    pub fn open(path: &Path) -> Queue {
        use_players_file(&path.with_file_name(PLAYERS_FILE));
        let items = match std::fs::read(path) {
            Ok(bytes) => match serde_json::from_slice::<QueueFile>(&bytes) {
                Ok(file) if file.format == QUEUE_FORMAT => file.items,
                _ => {
                    let _ = std::fs::rename(path, path.with_extension("json.bad"));
                    Vec::new()
                }
            },
            Err(_) => Vec::new(),
        };
        Queue {
            path: path.to_path_buf(),
            items,
        }
    }

    /// The waiting submissions, oldest first.
    pub fn items(&self) -> &[Queued] {
        &self.items
    }

    /// How many are waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds a submission for `server` and saves the queue.
    pub fn push(&mut self, server: &str, submission: Submission) -> std::io::Result<()> {
        self.items.push(Queued {
            server: server.trim().to_string(),
            submission,
            attempts: 0,
            last_error: None,
        });
        self.save()
    }

    /// Sends what waits, oldest first; keeps what could not be sent (and
    /// everything after it for the same server, so order holds), drops what
    /// the server refused for good. Saves the queue.
    pub fn flush(&mut self) -> FlushReport {
        let mut report = FlushReport::default();
        let mut keep = Vec::new();
        let mut down: Vec<String> = Vec::new();
        for mut item in std::mem::take(&mut self.items) {
            if down.contains(&item.server) {
                keep.push(item);
                continue;
            }
            let result = Client::new(&item.server)
                .map_err(SendError::from)
                .and_then(|client| client.submit(&item.submission));
            match result {
                Ok(accepted) => report.accepted.push((item.submission, accepted)),
                Err(e) if e.retryable() => {
                    if let SendError::Busy { retry_after, .. } = &e {
                        report.retry_after = Some(*retry_after);
                    }
                    item.attempts += 1;
                    item.last_error = Some(e.to_string());
                    report.error = Some(e.to_string());
                    down.push(item.server.clone());
                    keep.push(item);
                }
                Err(e) => report.rejected.push((item.submission, e.to_string())),
            }
        }
        self.items = keep;
        report.pending = self.items.len();
        if let Err(e) = self.save() {
            report.error = Some(format!("could not save the queue: {e}"));
        }
        report
    }

    /// Writes the queue: a temporary file, synced, then renamed over the old.
    fn save(&self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = QueueFile {
            format: QUEUE_FORMAT.into(),
            items: self.items.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        let tmp = self.path.with_extension("json.tmp");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)?;
        #[cfg(unix)]
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

/// What the game shows about its workshop connection.
#[derive(Clone, Debug, Default)]
pub struct LinkStatus {
    /// Submissions waiting in the queue.
    pub pending: usize,
    /// `Some(false)` after a failed attempt, `Some(true)` after a success,
    /// `None` before any attempt.
    pub online: Option<bool>,
    /// Why the queue is waiting.
    pub last_error: Option<String>,
    /// The latest accepted submission: the server's scores and the rank.
    pub last_accepted: Option<Accepted>,
    /// Submissions refused for good, with the reason (newest last).
    pub rejected: Vec<String>,
    /// Grows with every change, so a screen can tell when to redraw.
    pub version: u64,
}

enum Command {
    Submit(String, Box<Submission>),
    Retry,
    Stop,
}

/// A background thread that owns the queue: submits, and keeps retrying
/// with growing delays (2 s to 60 s) while anything waits.
pub struct Link {
    commands: mpsc::Sender<Command>,
    status: Arc<Mutex<LinkStatus>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Link {
    /// Starts the link on the queue at `path` (tries what waits at once).
    pub fn start(path: &Path) -> Link {
        let (commands, inbox) = mpsc::channel();
        let status = Arc::new(Mutex::new(LinkStatus::default()));
        let shared = Arc::clone(&status);
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("kiku-workshop-link".into())
            .spawn(move || link_loop(&path, &inbox, &shared))
            .ok();
        Link {
            commands,
            status,
            thread,
        }
    }

    /// Queues a submission for `server` and tries to send it.
    pub fn submit(&self, server: &str, submission: Submission) {
        let _ = self
            .commands
            .send(Command::Submit(server.to_string(), Box::new(submission)));
    }

    /// Tries the queue again now.
    pub fn retry_now(&self) {
        let _ = self.commands.send(Command::Retry);
    }

    /// The connection's state now.
    pub fn status(&self) -> LinkStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        // The thread may be mid-request (up to the request timeout): let it
        // finish on its own rather than hold up the game.
        drop(self.thread.take());
    }
}

fn link_loop(path: &Path, inbox: &mpsc::Receiver<Command>, status: &Mutex<LinkStatus>) {
    let mut queue = Queue::open(path);
    let mut backoff = FIRST_BACKOFF;
    let update = |f: &mut dyn FnMut(&mut LinkStatus)| {
        let mut s = status.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s);
        s.version += 1;
    };
    let mut wait = Duration::ZERO;
    loop {
        let command = if queue.is_empty() {
            inbox.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            inbox.recv_timeout(wait)
        };
        match command {
            Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(Command::Submit(server, submission)) => {
                if let Err(e) = queue.push(&server, *submission) {
                    update(&mut |s| s.last_error = Some(format!("could not save the queue: {e}")));
                }
                backoff = FIRST_BACKOFF;
            }
            Ok(Command::Retry) => backoff = FIRST_BACKOFF,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if queue.is_empty() {
            continue;
        }
        let report = queue.flush();
        update(&mut |s| {
            s.pending = report.pending;
            if let Some((_, last)) = report.accepted.last() {
                s.last_accepted = Some(last.clone());
                s.online = Some(true);
            }
            s.rejected
                .extend(report.rejected.iter().map(|(_, why)| why.clone()));
            if report.error.is_some() {
                s.online = Some(false);
            } else if report.pending == 0 {
                s.online = Some(true);
            }
            s.last_error = report.error.clone();
        });
        wait = report.retry_after.unwrap_or(backoff);
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Forgets the tokens in memory (as a restarted game would).
#[cfg(test)]
pub(crate) fn forget_players_in_memory() {
    *PLAYERS.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            base_url("192.168.1.20").unwrap(),
            "http://192.168.1.20:8787"
        );
        assert_eq!(
            base_url(" 192.168.1.20:9000 ").unwrap(),
            "http://192.168.1.20:9000"
        );
        assert_eq!(
            base_url("http://kiku.local:8787/").unwrap(),
            "http://kiku.local:8787"
        );
        assert_eq!(base_url("[::1]:8787").unwrap(), "http://[::1]:8787");
        assert_eq!(base_url("[::1]").unwrap(), "http://[::1]:8787");
        assert_eq!(base_url(""), Err(AddressError::NotAnAddress(String::new())));
        assert_eq!(base_url("https://x"), Err(AddressError::Https));
        assert_eq!(
            base_url(" a b ").unwrap_err().to_string(),
            "`a b` is not a server address (e.g. 192.168.1.20:8787)"
        );
    }

    #[test]
    fn a_bad_address_is_refused_for_good() {
        let e = SendError::from(Client::new("https://x").unwrap_err());
        assert!(!e.retryable());
        assert_eq!(
            e,
            SendError::Rejected {
                status: 0,
                kind: "bad_address".into(),
                message: "the workshop server speaks plain http://, not https://".into(),
            }
        );
    }

    #[test]
    fn queue_survives_reopen_and_bad_files() {
        let dir = std::env::temp_dir().join(format!("kiku-queue-{}", std::process::id()));
        let path = dir.join("outbox.json");
        let _ = std::fs::remove_dir_all(&dir);
        let mut queue = Queue::open(&path);
        let sub = Submission {
            id: Some(new_submission_id()),
            code: "ABC".into(),
            nickname: "n".into(),
            scenario: "s".into(),
            hash: "h".into(),
            seed: 1,
            choices: vec!["a".into()],
            mode: kiku_core::Mode::Choose,
            prior: None,
        };
        queue.push("127.0.0.1:9", sub.clone()).unwrap();
        let reopened = Queue::open(&path);
        assert_eq!(reopened.items()[0].submission, sub);
        std::fs::write(&path, b"{ half a file").unwrap();
        assert!(Queue::open(&path).is_empty());
        assert!(path.with_extension("json.bad").exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
