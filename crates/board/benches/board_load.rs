//! Load benchmark of the workshop servers: 5,000 trainees in 50 workshops
//! on loopback submit finished sessions of the bundled scenarios (random
//! walks), which the servers replay, re-score and store. The servers run
//! in server instances: child processes of this bench (this same program,
//! started again).
//!
//! - SQLite (default): one instance serving each workshop on a server of
//!   its own (as `kiku serve --code` does), each workshop in its own file
//!   (WAL, `synchronous=FULL`, group commit, one writer connection each).
//! - PostgreSQL (`KIKU_BENCH_POSTGRES=postgres://USER@HOST:PORT`, or
//!   `KIKU_BENCH_POSTGRES=fresh` for a throwaway server of the bench's own,
//!   Debian's `postgresql` package started in a temporary folder with
//!   `fsync` on): every
//!   workshop in one database (`kiku_bench`, made afresh), over
//!   `KIKU_BENCH_INSTANCES` instances (default 2), each a server of every
//!   workshop (`kiku serve --all`: `org::start_all`, all of them open;
//!   `--writers` writer connections per instance (2 by default), each for
//!   the workshops it is given (group commit across workshops); one
//!   listening connection per instance). As behind a load balancer, each
//!   workshop's trainees are
//!   spread over the instances (the `k`-th trainee of workshop `w` uses
//!   instance `(w + k) % instances`) and submit to `POST
//!   /api/submissions` with their workshop's code in the body, as the game
//!   does; each workshop's projector is on instance `w % instances`.
//!
//! Phases: a warm-up (one submission per trainee, paced; printed, not
//! counted), then paced at the target rate (latency under the load an
//! organisation is sized for), flat out (the most the servers sustain),
//! and, with two instances or more, paced again while instance 1 is
//! killed with SIGKILL halfway: its trainees send their submission again
//! (same id) to instance 0 and go on there, and every acknowledged
//! submission must then be stored exactly once. In every phase each
//! workshop has its projector open (`GET /api/events`), so the boards
//! pushed to it are paid for. Before the first phase every instance
//! opens every workshop it serves (one `GET` each), as a session under
//! way would have.
//! Prints throughput, latency percentiles and where the CPU went (with
//! PostgreSQL on this machine, its own processes apart).
//!
//! Run: `cargo bench -p kiku-board --bench board_load`
//! (`KIKU_BENCH_CLIENTS`, `KIKU_BENCH_WORKSHOPS`, `KIKU_BENCH_PER_CLIENT`,
//! `KIKU_BENCH_RATE`, `KIKU_BENCH_INSTANCES` change the load;
//! `KIKU_BENCH_WRITERS` the writer connections per PostgreSQL instance;
//! `KIKU_BENCH_PROJECTORS=0` opens no projector, to see what they cost).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiku_board::org::{AllConfig, start_all};
use kiku_board::protocol::Submission;
use kiku_board::rescore::Scenarios;
use kiku_board::server::{self, Config};
use kiku_board::store::{Store, is_postgres_url, open_any};
use kiku_board::throwaway::{Durability, ThrowawayPostgres};
use kiku_core::Session;
use kiku_core::scenario::Scenario;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use tokio::net::TcpStream;

const MAX_TURNS: usize = 200;
const WALKS_PER_SCENARIO: usize = 100;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A finished session by random walk, or `None` if it ran too long.
fn random_walk(scenario: &Arc<Scenario>, seed: u64) -> Option<Vec<String>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut session = Session::start(scenario, seed);
    for _ in 0..MAX_TURNS {
        if session.is_over() {
            return Some(session.transcript().choice_ids());
        }
        let offers: Vec<String> = session
            .choices()
            .into_iter()
            .filter(|o| o.enabled)
            .map(|o| o.id)
            .collect();
        if offers.is_empty() {
            return None;
        }
        let pick = offers[rng.next_u32() as usize % offers.len()].clone();
        session.choose(&pick).ok()?;
    }
    None
}

/// Writes all of `bytes` (tokio's `net` feature only: no io-util needed).
async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads one HTTP/1.1 response with a Content-Length; returns the status.
async fn read_response(stream: &TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Ok(status);
            }
        }
        stream.readable().await?;
        match stream.try_read(&mut chunk) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

/// One client on one keep-alive connection: sends its bodies one after
/// another (the `i`-th no earlier than `schedule(i)` when paced). Returns
/// each acknowledged body (201) in order: when it was due (from
/// `phase_start`), its latency, counted from that time so a server that
/// falls behind cannot hide it, and whether it was sent again after its
/// server died. When `may_die`, a connection that breaks (its server was
/// killed) sends the same request again to `fallback` and goes on there
/// (the retried one may answer 200: stored before the kill), or without a
/// fallback ends the client quietly instead of failing the bench.
async fn client(
    mut stream: TcpStream,
    bodies: Vec<Vec<u8>>,
    phase_start: tokio::time::Instant,
    pace: Option<(Duration, Duration)>,
    player: String,
    may_die: bool,
    mut fallback: Option<std::net::SocketAddr>,
) -> Vec<Sent> {
    let mut latencies = Vec::with_capacity(bodies.len());
    let mut buf = Vec::with_capacity(8192);
    for (i, body) in bodies.into_iter().enumerate() {
        let mut request = format!(
            "POST /api/submissions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nX-Kiku-Player: {player}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(&body);
        let start = match pace {
            Some((offset, interval)) => {
                let at = phase_start + offset + interval * i as u32;
                tokio::time::sleep_until(at).await;
                at
            }
            None => tokio::time::Instant::now(),
        };
        let answered = match write_all(&stream, &request).await {
            Ok(()) => read_response(&stream, &mut buf).await,
            Err(e) => Err(e),
        };
        let (status, retried) = match answered {
            Ok(status) => (status, false),
            Err(_) if may_die => {
                let Some(to) = fallback.take() else {
                    return latencies;
                };
                stream = TcpStream::connect(to)
                    .await
                    .expect("the surviving instance");
                stream.set_nodelay(true).expect("nodelay");
                write_all(&stream, &request).await.expect("sent again");
                let status = read_response(&stream, &mut buf).await.expect("answered");
                (status, true)
            }
            Err(e) => panic!("submission {i}: {e}"),
        };
        latencies.push(Sent {
            due: start - phase_start,
            latency: start.elapsed(),
            retried,
        });
        // Sent again: stored before the kill answers 200 (the first entry).
        let ok = status == 201 || (retried && status == 200);
        assert!(ok, "{status}: {}", String::from_utf8_lossy(&buf));
    }
    latencies
}

/// The first phase, not counted in the figures that matter.
const WARM_UP: &str = "warm-up";

/// Slower than this, a submission counts against the target (p99 < 50 ms).
const SLOW: Duration = Duration::from_millis(50);

/// One acknowledged submission, as a client saw it.
struct Sent {
    /// When it was due, from the start of the phase.
    due: Duration,
    /// From when it was due to its answer.
    latency: Duration,
    /// Sent again to another instance after its own was killed.
    retried: bool,
}

/// `p50 …, p90 …, p99 …, max …` of `latencies` (sorted here).
fn spread(mut latencies: Vec<Duration>) -> String {
    latencies.sort();
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.90).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// With `KIKU_BENCH_POSTGRES=postgres://USER@HOST:PORT` every workshop's
/// board goes to one PostgreSQL database, `kiku_bench` (made afresh).
const POSTGRES_ENV: &str = "KIKU_BENCH_POSTGRES";
/// In [`POSTGRES_ENV`]: start a throwaway PostgreSQL for the run
/// (`kiku_board::throwaway`, fsync on).
const FRESH: &str = "fresh";
/// Set in a child process: it is a server instance, not the bench.
const ROLE_ENV: &str = "KIKU_BENCH_INSTANCE";
/// A server instance's database: a PostgreSQL URL, or a folder of SQLite files.
const DB_ENV: &str = "KIKU_BENCH_DB";
/// A server instance's workshops: codes separated by commas, or
/// [`EVERY_WORKSHOP`].
const CODES_ENV: &str = "KIKU_BENCH_CODES";
/// In [`CODES_ENV`]: the instance serves every workshop of its database
/// on one server (`kiku serve --all`).
const EVERY_WORKSHOP: &str = "*";

/// How long a bench connection may wait idle (the server's default is 10 s).
const BENCH_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

fn scenarios() -> Scenarios {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let (scenarios, failed) = Scenarios::load(std::slice::from_ref(&dir));
    assert!(
        failed.is_empty() && !scenarios.is_empty(),
        "bundled scenarios load"
    );
    scenarios
}

/// The database of workshop `code` for a server instance.
fn workshop_db(db: &str, code: &str) -> String {
    if is_postgres_url(db) {
        db.to_string()
    } else {
        PathBuf::from(db)
            .join(format!("{code}.db"))
            .display()
            .to_string()
    }
}

/// The limits of the bench's servers: every bench client is on 127.0.0.1
/// (no cap per address), and connections are opened first and wait for
/// their turn (no idle timeout while thousands connect).
fn bench_limits(clients: usize) -> server::Limits {
    server::Limits {
        max_per_ip: 0,
        max_connections: clients + 64,
        header_timeout: BENCH_IDLE_TIMEOUT,
        ..server::Limits::default()
    }
}

/// A server instance (child process): serves its workshops on loopback,
/// prints `CODE ADDRESS` for each (`* ADDRESS` for a server of every
/// workshop) and then `ready`, and stops when its standard input closes
/// (or it is killed).
fn instance() {
    let db = std::env::var(DB_ENV).expect("database");
    let codes = std::env::var(CODES_ENV).expect("codes");
    let scenarios = scenarios();
    let clients = env_number("KIKU_BENCH_CLIENTS", 5000);
    let workshops = env_number("KIKU_BENCH_WORKSHOPS", 50);
    kiku_board::serve::raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut servers = Vec::new();
    let mut out = std::io::stdout().lock();
    if codes == EVERY_WORKSHOP {
        let (server, _org) = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let config = AllConfig {
                rate_limit: None,
                // Every workshop stays open through the run.
                max_open: workshops + 8,
                writers: env_number("KIKU_BENCH_WRITERS", kiku_board::org::DEFAULT_WRITERS),
                ..AllConfig::new(&db, "http://127.0.0.1/", scenarios.clone())
            };
            start_all(listener, config, bench_limits(clients)).expect("server")
        });
        writeln!(out, "{EVERY_WORKSHOP} {}", server.addr()).expect("stdout");
        servers.push(server);
    }
    for code in codes.split(',').filter(|c| *c != EVERY_WORKSHOP) {
        let store = open_any(&workshop_db(&db, code)).expect("database");
        let server = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            server::start_with_store(
                listener,
                store,
                Config {
                    code: code.to_string(),
                    token: "bench".into(),
                    join_url: "http://127.0.0.1/".into(),
                    scenarios: scenarios.clone(),
                    rate_limit: None,
                },
                bench_limits(clients),
            )
            .expect("server")
        });
        writeln!(out, "{code} {}", server.addr()).expect("stdout");
        servers.push(server);
    }
    writeln!(out, "ready").expect("stdout");
    out.flush().expect("stdout");
    drop(out);
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    runtime.block_on(async {
        for server in servers {
            let _ = tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await;
        }
    });
}

/// The fields of `/proc/PID/stat` after the command name (which may hold
/// spaces): the state first (`None` off Linux or once it is gone).
fn proc_stat(pid: u32) -> Option<Vec<u64>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    // The state is a letter: 0 in its place keeps the field numbers.
    Some(
        rest.split_whitespace()
            .map(|f| f.parse().unwrap_or(0))
            .collect(),
    )
}

/// CPU time (user + system) a process has used, from `/proc/PID/stat`
/// (`None` off Linux or once it is gone).
fn cpu_secs(pid: u32) -> Option<f64> {
    let fields = proc_stat(pid)?;
    Some((fields.get(11)? + fields.get(12)?) as f64 / 100.0)
}

/// CPU time of PostgreSQL running on this machine: its postmaster's own,
/// its children's (backends, writers) while they run, and theirs once
/// they have exited (the postmaster waits for them: `cutime`, `cstime`).
fn postgres_secs(postmaster: u32) -> Option<f64> {
    let own = proc_stat(postmaster)?;
    let mut ticks = own.get(11)? + own.get(12)? + own.get(13)? + own.get(14)?;
    for dir in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = dir.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some(child) = proc_stat(pid).filter(|f| f.get(1) == Some(&u64::from(postmaster))) {
            ticks += child.get(11).unwrap_or(&0) + child.get(12).unwrap_or(&0);
        }
    }
    Some(ticks as f64 / 100.0)
}

/// Opens a workshop's projector feed (`addr`, `prefix` `/w/CODE` on a
/// server of every workshop) and reads it until the task is dropped (or
/// its server goes); counts the boards pushed.
async fn projector(
    addr: std::net::SocketAddr,
    prefix: String,
    boards: Arc<std::sync::atomic::AtomicUsize>,
) {
    let Ok(stream) = TcpStream::connect(addr).await else {
        return;
    };
    let request = format!(
        "GET {prefix}/api/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
    );
    if write_all(&stream, request.as_bytes()).await.is_err() {
        return;
    }
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if stream.readable().await.is_err() {
            return;
        }
        match stream.try_read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                let events = chunk[..n]
                    .windows(12)
                    .filter(|w| w == b"event: board")
                    .count();
                boards.fetch_add(events, std::sync::atomic::Ordering::Relaxed);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// Busy and total CPU time of the whole machine, from `/proc/stat`.
fn machine_secs() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu: Vec<f64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let total: f64 = cpu.iter().sum();
    let idle = cpu.get(3)? + cpu.get(4)?;
    Some(((total - idle) / 100.0, total / 100.0))
}

/// A running server instance and its workshops' addresses.
struct Instance {
    child: Child,
    addrs: Vec<(String, std::net::SocketAddr)>,
}

fn start_instance(db: &str, codes: &[String]) -> Instance {
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .env(ROLE_ENV, "1")
        .env(DB_ENV, db)
        .env(CODES_ENV, codes.join(","))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("a server instance");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut addrs = Vec::new();
    loop {
        let line = lines.next().expect("the instance started").expect("stdout");
        if line == "ready" {
            break;
        }
        let (code, addr) = line.split_once(' ').expect("CODE ADDRESS");
        addrs.push((code.to_string(), addr.parse().expect("address")));
    }
    Instance { child, addrs }
}

impl Instance {
    /// Closes its standard input and waits for it to shut down.
    fn stop(mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn main() {
    if std::env::var_os(ROLE_ENV).is_some() {
        instance();
        return;
    }
    let clients = env_number("KIKU_BENCH_CLIENTS", 5000);
    let workshops = env_number("KIKU_BENCH_WORKSHOPS", 50).clamp(1, clients);
    let per_client = env_number("KIKU_BENCH_PER_CLIENT", 4);
    let watched = env_number("KIKU_BENCH_PROJECTORS", 1) > 0;
    let target_rate = env_number("KIKU_BENCH_RATE", 1000) as f64;
    // `fresh`: a throwaway PostgreSQL of the bench's own, durable (fsync
    // on), stopped and removed at the end.
    let mut fresh = None;
    let pg_base = std::env::var(POSTGRES_ENV).ok().map(|u| {
        if u == FRESH {
            let server = ThrowawayPostgres::start("bench", Durability::Durable)
                .unwrap_or_else(|e| panic!("a throwaway PostgreSQL: {e}"));
            let url = server.base_url();
            fresh = Some(server);
            url
        } else {
            u.trim_end_matches('/').to_string()
        }
    });
    let instances = if pg_base.is_some() {
        env_number("KIKU_BENCH_INSTANCES", 2).clamp(1, workshops)
    } else {
        1
    };
    let scenarios = scenarios();
    let infos = scenarios.infos();
    // Every socket is a file on both ends.
    let open_files = kiku_board::serve::raise_open_file_limit();
    assert!(
        open_files as usize > 2 * clients + 256,
        "the open-file limit ({open_files}) is too low for {clients} clients"
    );

    // Finished sessions to submit: random walks over every bundled scenario.
    let mut sessions = Vec::new();
    for info in &infos {
        let known = scenarios.get(&info.id).expect("listed");
        // Real trainees play whole conversations: keep the longest walks.
        let mut walks: Vec<(u64, Vec<String>)> = (0..2000u64)
            .filter_map(|seed| random_walk(&known.scenario, seed).map(|c| (seed, c)))
            .collect();
        walks.sort_by_key(|(seed, c)| (std::cmp::Reverse(c.len()), *seed));
        for (seed, choices) in walks.into_iter().take(WALKS_PER_SCENARIO) {
            sessions.push((info.id.clone(), info.hash.clone(), seed, choices));
        }
    }
    assert!(!sessions.is_empty(), "random walks finish");
    let mean_turns =
        sessions.iter().map(|s| s.3.len()).sum::<usize>() as f64 / sessions.len() as f64;
    // The CPU cost of re-scoring alone (one core, no HTTP, no database).
    let sample: Vec<Submission> = sessions
        .iter()
        .map(|(scenario, hash, seed, choices)| Submission {
            id: None,
            code: "BENCH0".into(),
            nickname: "trainee".into(),
            scenario: scenario.clone(),
            hash: hash.clone(),
            seed: *seed,
            choices: choices.clone(),
            mode: kiku_core::Mode::Choose,
            prior: None,
        })
        .collect();
    let timer = Instant::now();
    for sub in &sample {
        kiku_board::rescore::rescore(&scenarios, sub, 0).expect("re-scored");
    }
    let rescore_us = timer.elapsed().as_secs_f64() * 1e6 / sample.len() as f64;
    // Trainee `c` is in workshop `c % workshops`, whose code is `code(w)`.
    let code = |w: usize| format!("BENCH{w}");
    let submission_id = |phase: &str, c: usize, i: usize| format!("{phase}-{c}-{i}");
    let bodies = |phase: &str, per_client: usize| -> Vec<Vec<Vec<u8>>> {
        (0..clients)
            .map(|c| {
                (0..per_client)
                    .map(|i| {
                        let (scenario, hash, seed, choices) =
                            &sessions[(c * per_client + i) % sessions.len()];
                        serde_json::to_vec(&Submission {
                            id: Some(submission_id(phase, c, i)),
                            code: code(c % workshops),
                            nickname: format!("trainee {c}"),
                            scenario: scenario.clone(),
                            hash: hash.clone(),
                            seed: *seed,
                            choices: choices.clone(),
                            mode: kiku_core::Mode::Choose,
                            prior: None,
                        })
                        .expect("json")
                    })
                    .collect()
            })
            .collect()
    };

    // The databases, and every trainee joined to their workshop (with a
    // token of the bench's choosing).
    let db_dir = std::env::temp_dir().join(format!("kiku-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&db_dir);
    // PostgreSQL's postmaster, when it runs on this machine: the parent of
    // this connection's backend.
    let mut postmaster = None;
    let db = match &pg_base {
        Some(base) => {
            let mut admin = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
                .expect("PostgreSQL");
            let backend: i32 = admin
                .query_one("SELECT pg_backend_pid()", &[])
                .expect("backend")
                .get(0);
            postmaster = u32::try_from(backend)
                .ok()
                .and_then(proc_stat)
                .and_then(|f| u32::try_from(*f.get(1)?).ok())
                .filter(|p| {
                    std::fs::read_to_string(format!("/proc/{p}/comm"))
                        .is_ok_and(|c| c.starts_with("postgres"))
                });
            // One statement each: DROP/CREATE DATABASE refuse a transaction.
            for statement in [
                "DROP DATABASE IF EXISTS kiku_bench",
                "CREATE DATABASE kiku_bench",
            ] {
                admin.batch_execute(statement).expect("a fresh database");
            }
            format!("{base}/kiku_bench")
        }
        None => {
            std::fs::create_dir_all(&db_dir).expect("folder");
            db_dir.display().to_string()
        }
    };
    let player = |c: usize| format!("bench-player-{c:019}");
    for w in 0..workshops {
        let mut store = open_any(&workshop_db(&db, &code(w))).expect("database");
        store.use_workshop(&code(w)).expect("workshop");
        assert!(store.begin_batch());
        for c in (w..clients).step_by(workshops) {
            store
                .join_player(&format!("trainee {c}"), Some(&player(c)))
                .expect("join");
        }
        store.commit_batch().expect("joined");
    }
    // PostgreSQL: every instance serves every workshop (`kiku serve
    // --all`). SQLite: one server per workshop, workshop `w` on instance
    // `w % instances`.
    let every = pg_base.is_some();
    let start_instances = || -> Vec<Instance> {
        (0..instances)
            .map(|i| {
                let codes: Vec<String> = if every {
                    vec![EVERY_WORKSHOP.to_string()]
                } else {
                    (i..workshops).step_by(instances).map(code).collect()
                };
                start_instance(&db, &codes)
            })
            .collect()
    };
    let mut running = start_instances();
    // Instance `i`'s address for workshop `w`, and the path prefix of its
    // pages there.
    let addr_of = |running: &[Instance], i: usize, w: usize| {
        let wanted = if every {
            EVERY_WORKSHOP.to_string()
        } else {
            code(w)
        };
        running[i]
            .addrs
            .iter()
            .find(|(c, _)| *c == wanted)
            .expect("served")
            .1
    };
    let prefix = |w: usize| {
        if every {
            format!("/w/{}", code(w))
        } else {
            String::new()
        }
    };
    // The instance trainee `c` uses: the `k`-th trainee of workshop `w`
    // the `(w + k)`-th (spread as a load balancer would), or its
    // workshop's only server.
    let instance_of = |c: usize| {
        let w = c % workshops;
        if every {
            (w + c / workshops) % instances
        } else {
            w % instances
        }
    };

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if every {
        // Every instance opens every workshop before the clock starts, as
        // a session under way would have them open.
        client_rt.block_on(async {
            let mut buf = Vec::new();
            for i in 0..instances {
                for w in 0..workshops {
                    let stream = TcpStream::connect(addr_of(&running, i, w))
                        .await
                        .expect("connect");
                    let request = format!(
                        "GET {}/api/board HTTP/1.1\r\nHost: bench\r\n\r\n",
                        prefix(w)
                    );
                    write_all(&stream, request.as_bytes()).await.expect("sent");
                    let status = read_response(&stream, &mut buf).await.expect("answered");
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&buf));
                }
            }
        });
    }
    println!(
        "board_load: {clients} trainees in {workshops} workshops over {instances} server \
         instance(s) ({}) x {per_client} submissions each, loopback",
        if pg_base.is_some() {
            format!(
                "`kiku serve --all` each, every workshop open on every instance and its \
                 trainees spread over them; one PostgreSQL database, {} writer connection(s) per \
                 instance, each for its share of the workshops (group commit across \
                 workshops), one listening connection per instance",
                env_number("KIKU_BENCH_WRITERS", kiku_board::org::DEFAULT_WRITERS)
            )
        } else {
            "one SQLite file per workshop, synchronous=FULL, group commit".to_string()
        }
    );
    println!(
        "  scenarios: {} bundled, {} distinct finished sessions, {mean_turns:.1} choices each on \
         average; re-scoring one alone takes {rescore_us:.0} µs of one core",
        infos.len(),
        sessions.len()
    );
    // First a warm-up, not counted: one submission per trainee, paced, so
    // the phases measure servers and a database that have been running (a
    // fresh one's first second is slower: connections' first statements,
    // caches, the tables' first pages), as in a workshop under way.
    let mut phases: Vec<(&str, Option<f64>, usize)> = vec![
        (WARM_UP, Some(target_rate), 1),
        ("paced", Some(target_rate), per_client),
        ("flat-out", None, per_client),
    ];
    if instances >= 2 {
        phases.push(("kill", Some(target_rate), per_client));
    }
    let mut acknowledged = 0;
    let mut kill_acked: HashSet<String> = HashSet::new();
    for (phase, rate, per_client) in phases {
        let work = bodies(phase, per_client);
        let pace = |c: usize| {
            rate.map(|r| {
                let interval = Duration::from_secs_f64(clients as f64 / r);
                (interval * c as u32 / clients as u32, interval)
            })
        };
        let killing = phase == "kill";
        let mut started = Instant::now();
        let addrs: Vec<_> = (0..clients)
            .map(|c| addr_of(&running, instance_of(c), c % workshops))
            .collect();
        // Where a trainee of the killed instance goes on: instance 0.
        let fallback = |c: usize| {
            (killing && every && instance_of(c) != 0).then(|| addr_of(&running, 0, c % workshops))
        };
        let projected: Vec<_> = (0..workshops)
            .map(|w| (addr_of(&running, w % instances, w), prefix(w)))
            .collect();
        let victim = killing.then(|| running[1].child.id());
        let pids: Vec<u32> = running.iter().map(|i| i.child.id()).collect();
        let cpu_before = (
            cpu_secs(std::process::id()),
            pids.iter().filter_map(|p| cpu_secs(*p)).sum::<f64>(),
            machine_secs(),
            postmaster.and_then(postgres_secs),
        );
        let boards_pushed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut elapsed_at_kill = None;
        let results: Vec<Vec<Sent>> = client_rt.block_on(async {
            // Connections first (a workshop's laptops stay connected), then the clock.
            let mut streams = Vec::new();
            for addr in &addrs {
                let stream = TcpStream::connect(addr).await.expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                streams.push(stream);
            }
            // Each workshop's projector, open during the whole phase.
            let projectors: Vec<_> = projected
                .iter()
                .filter(|_| watched)
                .map(|(addr, prefix)| {
                    tokio::spawn(projector(*addr, prefix.clone(), Arc::clone(&boards_pushed)))
                })
                .collect();
            let start = tokio::time::Instant::now();
            started = Instant::now();
            let tasks: Vec<_> = work
                .into_iter()
                .zip(streams)
                .enumerate()
                .map(|(c, (b, stream))| {
                    tokio::spawn(client(
                        stream,
                        b,
                        start,
                        pace(c),
                        player(c),
                        killing,
                        fallback(c),
                    ))
                })
                .collect();
            if let Some(pid) = victim {
                // Halfway through the phase: SIGKILL, no warning.
                let half = Duration::from_secs_f64(
                    (clients * per_client) as f64 / rate.unwrap_or(1000.0) / 2.0,
                );
                tokio::time::sleep(half).await;
                // SAFETY: kill(2) on our own child's pid.
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                elapsed_at_kill = Some(started.elapsed());
            }
            let mut all = Vec::new();
            for t in tasks {
                all.push(t.await.expect("client"));
            }
            for p in projectors {
                p.abort();
            }
            all
        });
        let elapsed = started.elapsed();
        let cpu_after = (
            cpu_secs(std::process::id()),
            pids.iter().filter_map(|p| cpu_secs(*p)).sum::<f64>(),
            machine_secs(),
            postmaster.and_then(postgres_secs),
        );
        if killing {
            // Each client's acknowledged ones are its first `n` (in order).
            for (c, l) in results.iter().enumerate() {
                for i in 0..l.len() {
                    kill_acked.insert(submission_id(phase, c, i));
                }
            }
        }
        let sent: Vec<Sent> = results.into_iter().flatten().collect();
        let n = sent.len();
        acknowledged += n;
        match rate {
            Some(r) if killing => println!(
                "  {phase} at {r:.0}/s offered, instance 1 killed (SIGKILL) after {:.1} s{}:",
                elapsed_at_kill.unwrap_or_default().as_secs_f64(),
                if every {
                    ", its trainees sending again to instance 0"
                } else {
                    ""
                }
            ),
            Some(r) if phase == WARM_UP => {
                println!("  {phase} at {r:.0}/s offered, not counted:")
            }
            Some(r) => println!("  {phase} at {r:.0}/s offered:"),
            None => println!("  {phase} (each client sends its next as soon as it has an answer):"),
        }
        println!(
            "    {n} submissions re-scored, stored and acknowledged in {:.2} s: {:.0} submissions/s",
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64()
        );
        println!(
            "    latency {}",
            spread(sent.iter().map(|s| s.latency).collect())
        );
        // When the slow ones were due: the tail is a few stalls, or spread.
        let slow: Vec<&Sent> = sent.iter().filter(|s| s.latency > SLOW).collect();
        if rate.is_some() && !slow.is_empty() {
            let mut by_second = std::collections::BTreeMap::<u64, usize>::new();
            for s in &slow {
                *by_second.entry(s.due.as_secs()).or_default() += 1;
            }
            let mut worst: Vec<(u64, usize)> = by_second.into_iter().collect();
            worst.sort_by_key(|&(second, count)| (std::cmp::Reverse(count), second));
            let shown: Vec<String> = worst
                .iter()
                .take(4)
                .map(|(second, count)| format!("{count} due in second {second}"))
                .collect();
            println!(
                "      over {} ms: {} ({} of the phase's seconds; most: {})",
                SLOW.as_millis(),
                slow.len(),
                worst.len(),
                shown.join(", ")
            );
        }
        if let Some(kill) = elapsed_at_kill {
            // Where the kill phase's tail comes from: before the kill, the
            // ones sent again, and the rest after it.
            let part = |keep: &dyn Fn(&Sent) -> bool| -> (usize, String) {
                let l: Vec<Duration> = sent.iter().filter(|s| keep(s)).map(|s| s.latency).collect();
                (l.len(), spread(l))
            };
            for (what, (count, figures)) in [
                (
                    "due before the kill, not sent again",
                    part(&|s| s.due < kill && !s.retried),
                ),
                ("sent again to instance 0", part(&|s| s.retried)),
                (
                    "due after the kill, not sent again",
                    part(&|s| s.due >= kill && !s.retried),
                ),
            ] {
                println!("      {what}: {count}, {figures}");
            }
        }
        // Where the two cores went (connecting included; the killed
        // instance's time stops counting when it dies).
        if let (Some(c0), Some(c1), Some((b0, t0)), Some((b1, t1))) =
            (cpu_before.0, cpu_after.0, cpu_before.2, cpu_after.2)
        {
            let servers = cpu_after.1 - cpu_before.1;
            let bench = c1 - c0;
            let busy = b1 - b0;
            let pg = match (cpu_before.3, cpu_after.3) {
                (Some(p0), Some(p1)) => p1 - p0,
                _ => 0.0,
            };
            let pg_line = if postmaster.is_some() {
                format!(
                    "PostgreSQL {pg:.1} s ({:.0} µs per submission), ",
                    pg / n.max(1) as f64 * 1e6
                )
            } else {
                String::new()
            };
            println!(
                "    CPU: server instances {servers:.1} s ({:.0} µs per submission), {pg_line}bench \
                 clients {bench:.1} s, everything else on the machine {:.1} s; busy {busy:.1} s \
                 of {:.1} s",
                servers / n.max(1) as f64 * 1e6,
                (busy - servers - bench - pg).max(0.0),
                t1 - t0
            );
            if watched {
                println!(
                    "    projectors: {} boards pushed to the {workshops} open ones",
                    boards_pushed.load(std::sync::atomic::Ordering::Relaxed)
                );
            }
        }
    }
    for instance in running.drain(..) {
        instance.stop();
    }
    // Every acknowledged submission is stored, once (ids are unique per
    // database; a retry would have answered the first entry).
    let mut stored = 0;
    let mut kill_stored: HashSet<String> = HashSet::new();
    for w in 0..workshops {
        let mut store = open_any(&workshop_db(&db, &code(w))).expect("database");
        store.use_workshop(&code(w)).expect("workshop");
        stored += store.count().expect("count") as usize;
        if pg_base.is_none() {
            let file =
                Store::open(std::path::Path::new(&workshop_db(&db, &code(w)))).expect("database");
            assert_eq!(file.integrity_check().expect("check"), "ok");
        }
    }
    if pg_base.is_some() {
        let mut client = postgres::Client::connect(&db, postgres::NoTls).expect("PostgreSQL");
        let duplicated: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM (SELECT submission FROM entries
                 GROUP BY submission HAVING COUNT(*) > 1) d",
                &[],
            )
            .expect("count")
            .get(0);
        assert_eq!(duplicated, 0, "a submission stored twice");
        for row in client
            .query(
                "SELECT submission FROM entries WHERE submission LIKE 'kill-%'",
                &[],
            )
            .expect("kill phase")
        {
            kill_stored.insert(row.get(0));
        }
    }
    let lost: Vec<&String> = kill_acked.difference(&kill_stored).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged submissions lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    assert!(stored >= acknowledged, "acknowledged submissions missing");
    let unacked = stored - acknowledged;
    // Trainees of a killed instance send again elsewhere (PostgreSQL):
    // then every stored entry was acknowledged too.
    if instances < 2 || every {
        assert_eq!(unacked, 0, "stored entries nobody submitted");
    }
    println!(
        "  stored: {stored} entries, every one of the {acknowledged} acknowledged exactly once \
         ({unacked} more were stored but their answer was lost with the killed instance)"
    );
    let _ = std::fs::remove_dir_all(&db_dir);
    drop(fresh);
}
