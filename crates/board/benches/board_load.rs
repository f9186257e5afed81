//! Load benchmark of the workshop servers: 5,000 trainees in 50 workshops
//! (one server and SQLite file each, in this process) on loopback submit
//! finished sessions of the bundled scenarios (random walks), which the
//! servers replay, re-score and store (WAL, `synchronous=FULL`, group
//! commit). Two phases: paced at the target rate (latency under the load
//! an organisation is sized for) and flat out (the most the servers
//! sustain). Prints throughput and latency percentiles of each.
//!
//! Run: `cargo bench -p kiku-board --bench board_load`
//! (`KIKU_BENCH_CLIENTS`, `KIKU_BENCH_WORKSHOPS`, `KIKU_BENCH_PER_CLIENT`,
//! `KIKU_BENCH_RATE` change the load).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiku_board::protocol::Submission;
use kiku_board::rescore::Scenarios;
use kiku_board::server::{self, Config};
use kiku_board::store::{Store, open_any};
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
/// another (the `i`-th no earlier than `schedule(i)` when paced), returns
/// each latency, counted from the scheduled time so a server that falls
/// behind cannot hide it.
async fn client(
    stream: TcpStream,
    bodies: Vec<Vec<u8>>,
    start: tokio::time::Instant,
    pace: Option<(Duration, Duration)>,
    player: String,
) -> Vec<Duration> {
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
                let at = start + offset + interval * i as u32;
                tokio::time::sleep_until(at).await;
                at
            }
            None => tokio::time::Instant::now(),
        };
        write_all(&stream, &request).await.expect("send");
        let status = read_response(&stream, &mut buf).await.expect("answer");
        latencies.push(start.elapsed());
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&buf));
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// One workshop's server and its database (a file, or a PostgreSQL URL).
struct Workshop {
    server: server::Server,
    db: String,
}

/// With `KIKU_BENCH_POSTGRES=postgres://USER@HOST:PORT` the workshops'
/// boards go to PostgreSQL, one database each (`kiku_bench_N`, made afresh).
const POSTGRES_ENV: &str = "KIKU_BENCH_POSTGRES";

/// How long a bench connection may wait idle (the server's default is 10 s).
const BENCH_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

fn main() {
    let clients = env_number("KIKU_BENCH_CLIENTS", 5000);
    let workshops = env_number("KIKU_BENCH_WORKSHOPS", 50).clamp(1, clients);
    let per_client = env_number("KIKU_BENCH_PER_CLIENT", 4);
    let target_rate = env_number("KIKU_BENCH_RATE", 1000) as f64;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let (scenarios, failed) = Scenarios::load(std::slice::from_ref(&dir));
    assert!(
        failed.is_empty() && !scenarios.is_empty(),
        "bundled scenarios load"
    );
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
    // Trainee `c` is in workshop `c % workshops`, whose code is `code(w)`.
    let code = |w: usize| format!("BENCH{w}");
    let bodies = |phase: &str| -> Vec<Vec<Vec<u8>>> {
        (0..clients)
            .map(|c| {
                (0..per_client)
                    .map(|i| {
                        let (scenario, hash, seed, choices) =
                            &sessions[(c * per_client + i) % sessions.len()];
                        serde_json::to_vec(&Submission {
                            id: Some(format!("{phase}-{c}-{i}")),
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

    let pg_base = std::env::var(POSTGRES_ENV)
        .ok()
        .map(|u| u.trim_end_matches('/').to_string());
    let db_dir = std::env::temp_dir().join(format!("kiku-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&db_dir);
    // Every trainee has joined their workshop (with a token of the bench's choosing).
    let player = |c: usize| format!("bench-player-{c:019}");
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let running: Vec<Workshop> = (0..workshops)
        .map(|w| {
            let db = match &pg_base {
                Some(base) => {
                    let name = format!("kiku_bench_{w}");
                    let mut admin =
                        postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
                            .expect("PostgreSQL");
                    // One statement each: DROP/CREATE DATABASE refuse a transaction.
                    for statement in [
                        format!("DROP DATABASE IF EXISTS {name}"),
                        format!("CREATE DATABASE {name}"),
                    ] {
                        admin.batch_execute(&statement).expect("a fresh database");
                    }
                    format!("{base}/{name}")
                }
                None => {
                    std::fs::create_dir_all(&db_dir).expect("folder");
                    db_dir
                        .join(format!("workshop-{w}.db"))
                        .display()
                        .to_string()
                }
            };
            let mut store = open_any(&db).expect("database");
            store.use_workshop(&code(w)).expect("workshop");
            for c in (w..clients).step_by(workshops) {
                store
                    .join_player(&format!("trainee {c}"), Some(&player(c)))
                    .expect("join");
            }
            let server = server_rt.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                // Every bench client is on 127.0.0.1: no cap per address.
                server::start_with_store(
                    listener,
                    store,
                    Config {
                        code: code(w),
                        token: "bench".into(),
                        join_url: "http://127.0.0.1/".into(),
                        scenarios: scenarios.clone(),
                        rate_limit: None,
                    },
                    server::Limits {
                        max_per_ip: 0,
                        max_connections: clients + 64,
                        // Connections are opened first and wait for their
                        // turn: no idle timeout while thousands connect.
                        header_timeout: BENCH_IDLE_TIMEOUT,
                        ..server::Limits::default()
                    },
                )
                .expect("server")
            });
            Workshop { server, db }
        })
        .collect();
    let addrs: Vec<_> = running.iter().map(|w| w.server.addr()).collect();

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "board_load: {clients} trainees in {workshops} workshops (one server and {} each, \
         group commit) x {per_client} submissions each, loopback, 2 phases",
        if pg_base.is_some() {
            "PostgreSQL database"
        } else {
            "SQLite file (synchronous=FULL)"
        }
    );
    println!(
        "  scenarios: {} bundled, {} distinct finished sessions, {mean_turns:.1} choices each on average",
        infos.len(),
        sessions.len()
    );
    let mut total = 0;
    for (phase, rate) in [("paced", Some(target_rate)), ("flat-out", None)] {
        let work = bodies(phase);
        let pace = |c: usize| {
            rate.map(|r| {
                let interval = Duration::from_secs_f64(clients as f64 / r);
                (interval * c as u32 / clients as u32, interval)
            })
        };
        let mut started = Instant::now();
        let mut latencies: Vec<Duration> = client_rt.block_on(async {
            // Connections first (a workshop's laptops stay connected), then the clock.
            let mut streams = Vec::new();
            for c in 0..clients {
                let stream = TcpStream::connect(addrs[c % workshops])
                    .await
                    .expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                streams.push(stream);
            }
            let start = tokio::time::Instant::now();
            started = Instant::now();
            let tasks: Vec<_> = work
                .into_iter()
                .zip(streams)
                .enumerate()
                .map(|(c, (b, stream))| tokio::spawn(client(stream, b, start, pace(c), player(c))))
                .collect();
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.expect("client"));
            }
            all
        });
        let elapsed = started.elapsed();
        latencies.sort();
        let n = latencies.len();
        total += n;
        match rate {
            Some(r) => println!("  {phase} at {r:.0}/s offered:"),
            None => println!("  {phase} (each client sends its next as soon as it has an answer):"),
        }
        println!(
            "    {n} submissions re-scored and stored in {:.2} s: {:.0} submissions/s",
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64()
        );
        println!(
            "    latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.90).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies[n - 1].as_secs_f64() * 1e3
        );
    }
    let mut stored = 0;
    for w in running {
        server_rt.block_on(async {
            let _ = tokio::time::timeout(Duration::from_secs(5), w.server.shutdown()).await;
        });
        let mut store = open_any(&w.db).expect("database");
        stored += store.count().expect("count");
        if pg_base.is_none() {
            let file = Store::open(std::path::Path::new(&w.db)).expect("database");
            assert_eq!(file.integrity_check().expect("check"), "ok");
        }
    }
    assert_eq!(stored, total as u64);
    println!("  stored: {stored} entries in {workshops} databases, every one acknowledged");
    let _ = std::fs::remove_dir_all(&db_dir);
}
