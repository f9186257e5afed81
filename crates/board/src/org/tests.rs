//! Organisation mode end to end, on SQLite and on a throwaway PostgreSQL
//! ([`crate::throwaway`]), as the board's suite in `tests/all/board_pg.rs`
//! runs.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;
use crate::server::tests::{http, parse, post_json, quick};
use crate::throwaway::{Durability, ThrowawayPostgres};

const CODES: [&str; 3] = ["AAA1", "BBB2", "CCC3"];

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiku-org-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An SQLite database file for one test.
fn sqlite(name: &str) -> String {
    temp_dir(name).join("org.db").to_string_lossy().into_owned()
}

/// Makes the workshops `codes` in `db` (as `kiku workshop new` does, on
/// a thread that may block); their facilitator tokens.
async fn make_workshops(db: &str, codes: &[&str]) -> Vec<String> {
    let db = db.to_string();
    let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut store = open_registry(&db).unwrap();
        codes
            .iter()
            .map(|code| {
                new_workshop(store.as_mut(), Some(code), &Terms::default())
                    .unwrap()
                    .token
            })
            .collect()
    })
    .await
    .unwrap()
}

/// Settings small enough for tests to reach.
fn test_config(db: &str) -> AllConfig {
    AllConfig {
        rate_limit: None,
        evict_after: Duration::ZERO,
        refresh_every: Duration::from_millis(200),
        ..AllConfig::new(
            db,
            "http://127.0.0.1/",
            Scenarios::new([crate::server_tests_fixture()]),
        )
    }
}

async fn start(config: AllConfig) -> (Server, Arc<Organisation>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_all(listener, config, quick()).unwrap()
}

/// A finished session of the test scenario for workshop `code`.
fn finished(code: &str, nickname: &str, id: &str) -> Value {
    let mut body = crate::server::tests::finished(nickname, id);
    body["code"] = json!(code);
    body
}

/// Joins `code` as `nickname` through the bare `POST /api/join`: the
/// player token.
async fn join(addr: SocketAddr, code: &str, nickname: &str) -> String {
    let body = json!({"code": code, "nickname": nickname});
    let (status, answer) = post_json(addr, "/api/join", &[], &body).await;
    assert_eq!(status, 200, "{code} {nickname}: {answer}");
    answer["player"].as_str().unwrap().to_string()
}

/// Submits through the bare `POST /api/submissions`: the status and answer.
async fn submit(addr: SocketAddr, code: &str, player: &str, id: &str) -> (u16, Value) {
    let headers = [("x-kiku-player", player)];
    post_json(
        addr,
        "/api/submissions",
        &headers,
        &finished(code, "whoever", id),
    )
    .await
}

/// A GET's status and JSON.
async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let (status, body) = http(addr, "GET", path, headers, "").await;
    (status, parse(&body))
}

/// The board at `path` once it shows `entries` entries (boards are
/// pushed a moment after a change), within 5 s.
async fn board_with(addr: SocketAddr, path: &str, entries: u64) -> Value {
    let mut last = Value::Null;
    let waited = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let (status, board) = get(addr, path, &[]).await;
            assert_eq!(status, 200, "{path}: {board}");
            if board["entries"].as_u64() == Some(entries) {
                return board;
            }
            last = board;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    waited.unwrap_or_else(|_| panic!("{path} never showed {entries} entries: {last}"))
}

/// The routing suite: three workshops on one server, reached by prefix,
/// by body code and by `?code=`, each with its own board, players and
/// facilitator token.
async fn three_workshops(db: &str) {
    let tokens = make_workshops(db, &CODES).await;
    let (server, org) = start(test_config(db)).await;
    let addr = server.addr();
    assert!(
        org.open_codes().is_empty(),
        "nothing opens before a request"
    );

    // The same nickname in every workshop: each holds its own players.
    let mut players = Vec::new();
    for code in CODES {
        players.push(join(addr, code, "ann").await);
    }
    // AAA1 gets two entries, BBB2 one, CCC3 none.
    for (i, (code, player)) in [(0, 0), (0, 0), (1, 1)]
        .into_iter()
        .map(|(c, p)| (CODES[c], &players[p]))
        .enumerate()
    {
        let (status, body) = submit(addr, code, player, &format!("sub-{i}")).await;
        assert_eq!(status, 201, "{code}: {body}");
        assert_eq!(body["entry"]["nickname"], "ann");
    }
    // A player token belongs to its workshop alone.
    let (status, body) = submit(addr, "CCC3", &players[0], "sub-x").await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (401, Some("bad_player")),
        "{body}"
    );
    assert_eq!(org.open_codes(), CODES.to_vec());
    assert_eq!(org.opened(), 3);

    // Boards by prefix and by ?code= (in any case), each its own.
    for (code, entries) in CODES.iter().zip([2, 1, 0]) {
        for path in [
            format!("/w/{code}/api/board"),
            format!("/w/{}/api/board", code.to_lowercase()),
            format!("/api/board?code={code}"),
            format!("/api/board?code={}", code.to_lowercase()),
        ] {
            let board = board_with(addr, &path, entries).await;
            assert_eq!(board["code"], *code, "{path}");
        }
    }
    // A trainee's own rank, by ?code= and by prefix.
    let scenario = Scenarios::new([crate::server_tests_fixture()]).infos()[0]
        .id
        .clone();
    let mine = [("x-kiku-player", players[1].as_str())];
    for path in [
        format!("/api/me/rank?code=BBB2&scenario={scenario}&mode=choose"),
        format!("/w/BBB2/api/me/rank?scenario={scenario}"),
    ] {
        let (status, rank) = get(addr, &path, &mine).await;
        assert_eq!((status, rank["rank"].as_u64()), (200, Some(1)), "{rank}");
    }
    // A code in the query that names another workshop than the path's.
    let (status, body) = get(addr, "/w/AAA1/api/workshop?code=BBB2", &[]).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("wrong_code")));
    // Each facilitator token opens its own workshop only.
    let theirs = format!("Bearer {}", tokens[0]);
    let others = format!("Bearer {}", tokens[1]);
    let (status, list) = get(addr, "/w/AAA1/api/entries", &[("authorization", &theirs)]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["entries"].as_array().unwrap().len(), 2);
    let (status, _) = get(addr, "/w/AAA1/api/entries", &[("authorization", &others)]).await;
    assert_eq!(status, 401);
    let (status, _) = get(
        addr,
        "/api/entries?code=BBB2",
        &[("authorization", &others)],
    )
    .await;
    assert_eq!(status, 200);
    // The facilitator's control under the prefix.
    let (status, state) = post_json(
        addr,
        "/w/CCC3/api/control",
        &[("authorization", &format!("Bearer {}", tokens[2]))],
        &json!({"action": "lock"}),
    )
    .await;
    assert_eq!((status, state["locked"].as_bool()), (200, Some(true)));
    let body = json!({"code": "ccc3", "nickname": "late"});
    let (status, answer) = post_json(addr, "/api/join", &[], &body).await;
    assert_eq!(
        (status, answer["kind"].as_str()),
        (403, Some("joining_locked"))
    );
    let body = json!({"code": "AAA1", "nickname": "late"});
    assert_eq!(post_json(addr, "/api/join", &[], &body).await.0, 200);

    // The pages: under the prefix, with their own relative addresses.
    let (status, page) = http(addr, "GET", "/w/AAA1/", &[], "").await;
    assert_eq!(status, 200);
    assert!(page.contains("EventSource(\"api/events\")"));
    let (status, page) = http(addr, "GET", "/w/AAA1/control", &[], "").await;
    assert_eq!(status, 200);
    assert!(page.contains("api(\"GET\", \"api/control\")"));
    let (status, _) = http(addr, "GET", "/w/AAA1", &[], "").await;
    assert_eq!(status, 308);
    let (status, _) = http(addr, "GET", "/w/..", &[], "").await;
    assert_eq!(status, 403);
    // `/` asks for a code and never lists one.
    let (status, page) = http(addr, "GET", "/", &[], "").await;
    assert_eq!(status, 200);
    assert!(page.contains("Workshop code"));
    for code in CODES {
        assert!(!page.contains(code));
    }
    let (status, _) = http(addr, "GET", "/?code=bbb2", &[], "").await;
    assert_eq!(status, 303);
    // A bare GET that names no workshop.
    let (status, body) = get(addr, "/api/workshop", &[]).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("wrong_code")));
    let (status, body) = get(addr, "/elsewhere", &[]).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("not_found")));
    // Bodies are read as on a server of one workshop.
    let (status, body) = http(addr, "POST", "/api/join", &[], "{\"code\":\"AAA1\"}").await;
    assert_eq!(
        (status, parse(&body)["kind"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let big = format!("{{\"code\":\"AAA1\",\"x\":\"{}\"}}", "a".repeat(70_000));
    let headers = [("content-type", "application/json")];
    let (status, body) = http(addr, "POST", "/api/submissions", &headers, &big).await;
    assert_eq!(
        (status, parse(&body)["kind"].as_str()),
        (413, Some("too_large"))
    );
    let (status, body) = http(addr, "POST", "/api/join", &headers, "{\"nickname\":\"x\"}").await;
    assert_eq!(
        (status, parse(&body)["kind"].as_str()),
        (400, Some("malformed_json"))
    );

    // The game's client against a server of every workshop.
    let base = addr.to_string();
    let (info, joined, submitted, rank) = tokio::task::spawn_blocking(move || {
        let client = crate::client::Client::new(&base).unwrap();
        let info = client.workshop("CCC3");
        let joined = client.join("AAA1", "Kenji");
        let mut sub: crate::protocol::Submission =
            serde_json::from_value(finished("AAA1", "Kenji", "x")).unwrap();
        sub.id = Some(crate::client::new_submission_id());
        let submitted = client.submit(&sub);
        let rank = client.my_rank("AAA1", "Kenji", &sub.scenario, kiku_core::Mode::Choose);
        (info, joined, submitted, rank)
    })
    .await
    .unwrap();
    assert_eq!(info.unwrap().scenarios.len(), 1);
    assert_eq!(joined.unwrap().nickname, "Kenji");
    assert_eq!(submitted.unwrap().entry.nickname, "Kenji");
    assert_eq!(rank.unwrap().of, 2);

    server.shutdown().await.unwrap();
    let closed = async {
        while !org.open_codes().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(3), closed)
        .await
        .expect("the shutdown leaves workshops open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workshops_on_sqlite() {
    three_workshops(&sqlite("three")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workshops_on_postgres() {
    let pg = ThrowawayPostgres::start("three", Durability::Tests).unwrap();
    let db = pg.database("org").unwrap();
    three_workshops(&db).await;
    drop(pg);
}

/// On PostgreSQL a few writer connections serve every open workshop: many
/// submissions to three workshops at once (committed together in shared
/// batches) each land in their own workshop, once, with each player's
/// standing in it; the server holds one connection per open workshop (its
/// board's reader) besides its writers in use, registry and listener.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_writers_serve_every_workshop_on_postgres() {
    let pg = ThrowawayPostgres::start("writer", Durability::Tests).unwrap();
    for writers in [1, 2] {
        let db = pg.database(&format!("org{writers}")).unwrap();
        shared_writers(&db, writers).await;
    }
    drop(pg);
}

async fn shared_writers(db: &str, writers: usize) {
    let db = db.to_string();
    make_workshops(&db, &CODES).await;
    let (server, _org) = start(AllConfig {
        writers,
        ..test_config(&db)
    })
    .await;
    let addr = server.addr();
    let mut players = Vec::new();
    for code in CODES {
        players.push((code, join(addr, code, &format!("p-{code}")).await));
    }
    let mut sent = Vec::new();
    for i in 0..30 {
        let (code, player) = players[i % 3].clone();
        sent.push(tokio::spawn(async move {
            submit(addr, code, &player, &format!("many-{i}")).await
        }));
    }
    for (i, task) in sent.into_iter().enumerate() {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 201, "{i}: {body}");
        let code = CODES[i % 3];
        assert_eq!(body["entry"]["nickname"], format!("p-{code}"), "{body}");
        assert_eq!(body["standing"]["scenario_of"], 1, "{body}");
    }
    for code in CODES {
        let board = board_with(addr, &format!("/w/{code}/api/board"), 10).await;
        assert_eq!(board["ranked"], 1, "{code}: {board}");
    }
    let url = db.clone();
    let connections: i64 = tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0)
    })
    .await
    .unwrap();
    let used: std::collections::HashSet<usize> = CODES
        .iter()
        .map(|code| crate::server::writer_of(code, writers))
        .collect();
    assert_eq!(
        connections,
        3 + used.len() as i64 + 2,
        "3 readers; {} writer(s) of {writers}, registry, listener",
        used.len()
    );
    server.shutdown().await.unwrap();
}

/// Unknown codes, however many, open nothing and read the list of codes
/// at most once per `refresh_every`; a workshop made after the start is
/// served.
async fn unknown_and_new_codes(db: &str) {
    make_workshops(db, &CODES).await;
    let (server, org) = start(test_config(db)).await;
    let addr = server.addr();
    let started = Instant::now();
    let headers = [("content-type", "application/json")];
    for i in 0..60 {
        let code = format!("NO{i:04}");
        let body = json!({"code": code, "nickname": "scanner"}).to_string();
        for (method, path, body) in [
            ("GET", format!("/w/{code}/api/board"), String::new()),
            ("GET", format!("/w/{code}/"), String::new()),
            ("GET", format!("/api/board?code={code}"), String::new()),
            ("GET", format!("/api/events?code={code}"), String::new()),
            ("POST", "/api/join".to_string(), body.clone()),
            ("POST", "/api/submissions".to_string(), body),
        ] {
            let (status, answer) = http(addr, method, &path, &headers, &body).await;
            assert_eq!(status, 403, "{method} {path}: {answer}");
            assert_eq!(parse(&answer)["kind"], "wrong_code", "{path}");
        }
    }
    for bad in [
        "/w/a/",
        "/w/%2E%2E/api/board",
        "/w/THIRTEENCHARS/",
        "/w//api/board",
    ] {
        let (status, answer) = get(addr, bad, &[]).await;
        assert_eq!(
            (status, answer["kind"].as_str()),
            (403, Some("wrong_code")),
            "{bad}"
        );
    }
    let elapsed = started.elapsed().as_millis() as u64;
    assert_eq!(org.opened(), 0);
    assert!(org.open_codes().is_empty());
    assert!(
        org.code_reads() <= elapsed / 200 + 2,
        "{} reads in {elapsed} ms",
        org.code_reads()
    );

    // Made after the start: served within a refresh.
    make_workshops(db, &["DDD4"]).await;
    let served = async {
        loop {
            let (status, info) = get(addr, "/api/workshop?code=DDD4", &[]).await;
            if status == 200 {
                return info;
            }
            assert_eq!(status, 403);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let info = tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("a workshop made after the start is not served");
    assert_eq!(info["server"], "kiku");
    assert_eq!(org.open_codes(), vec!["DDD4".to_string()]);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_new_codes_on_sqlite() {
    unknown_and_new_codes(&sqlite("unknown")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_new_codes_on_postgres() {
    let pg = ThrowawayPostgres::start("unknown", Durability::Tests).unwrap();
    let db = pg.database("org").unwrap();
    unknown_and_new_codes(&db).await;
    drop(pg);
}

/// Opens `path`'s event stream; the stream and the first board.
async fn events(addr: SocketAddr, path: &str) -> (TcpStream, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let first = read_until(&mut stream, "event: board").await;
    (stream, first)
}

/// Reads from `stream` until what came holds `wanted` (or 10 s pass).
async fn read_until(stream: &mut TcpStream, wanted: &str) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 8192];
        while !String::from_utf8_lossy(&got).contains(wanted) {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&got).into_owned();
    assert!(read.is_ok(), "no `{wanted}` in: {text}");
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_workshops_are_capped_and_idle_ones_closed() {
    let db = sqlite("cap");
    make_workshops(&db, &CODES).await;
    let (server, org) = start(AllConfig {
        max_open: 2,
        idle: Duration::from_millis(400),
        ..test_config(&db)
    })
    .await;
    let addr = server.addr();
    // Two projector pages hold two workshops open: a third cannot open.
    let (held_a, _) = events(addr, "/w/AAA1/api/events").await;
    let (held_b, first) = events(addr, "/api/events?code=BBB2").await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("\"code\":\"BBB2\""), "{first}");
    let (status, body) = get(addr, "/w/CCC3/api/board", &[]).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (503, Some("server_full")),
        "{body}"
    );
    assert_eq!(org.open_codes(), ["AAA1", "BBB2"]);
    // One page closes: its workshop makes room for the third.
    drop(held_b);
    let served = async {
        loop {
            if get(addr, "/w/CCC3/api/board", &[]).await.0 == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("the idle workshop was not closed to make room");
    assert_eq!(org.open_codes(), ["AAA1", "CCC3"]);
    // Idle and without pages: closed after a while; one with a page stays.
    let closed = async {
        while org.open_codes() != ["AAA1"] {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("an idle workshop stays open");
    drop(held_a);
    let closed = async {
        while !org.open_codes().is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("an idle workshop stays open");
    // Opened again on demand, with what it stored.
    let (status, board) = get(addr, "/api/board?code=AAA1", &[]).await;
    assert_eq!((status, board["code"].as_str()), (200, Some("AAA1")));
    assert_eq!(org.opened(), 4);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projector_pages_are_capped_for_the_whole_process() {
    let db = sqlite("streams");
    make_workshops(&db, &CODES).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let limits = Limits {
        max_event_streams: 1,
        ..quick()
    };
    let (server, _) = start_all(listener, test_config(&db), limits).unwrap();
    let addr = server.addr();
    let (held, _) = events(addr, "/w/AAA1/api/events").await;
    // Another workshop's page: the process has none left.
    let (status, body) = get(addr, "/api/events?code=BBB2", &[]).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (503, Some("server_full")),
        "{body}"
    );
    // Trainees are still served.
    let (status, _) = get(addr, "/api/workshop?code=BBB2", &[]).await;
    assert_eq!(status, 200);
    drop(held);
    let freed = async {
        loop {
            let (status, _) = http_head(addr, "/w/BBB2/api/events").await;
            if status == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), freed)
        .await
        .expect("a closed page does not free its place");
    server.shutdown().await.unwrap();
}

/// The status of a GET whose answer may stream on: read up to the end of
/// its headers, then the connection is dropped.
async fn http_head(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let head = read_until(&mut stream, "\r\n\r\n").await;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retain_purges_idle_workshops_and_keeps_open_ones() {
    let db = sqlite("retain");
    make_workshops(&db, &CODES).await;
    let (server, org) = start(AllConfig {
        retain_ms: Some(500),
        ..test_config(&db)
    })
    .await;
    let addr = server.addr();
    assert_eq!(get(addr, "/api/workshop?code=AAA1", &[]).await.0, 200);
    tokio::time::sleep(Duration::from_millis(700)).await;
    // As every 10 minutes: AAA1 is open, so renewed; the others are idle.
    org.renew_and_purge().await;
    let left = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || open_registry(&db).unwrap().workshop_codes().unwrap())
            .await
            .unwrap()
    };
    assert_eq!(left, ["AAA1"]);
    assert_eq!(get(addr, "/w/AAA1/api/board", &[]).await.0, 200);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (status, body) = get(addr, "/w/BBB2/api/board", &[]).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("wrong_code")));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_postgres_share_a_workshop() {
    let pg = ThrowawayPostgres::start("two", Durability::Tests).unwrap();
    let db = pg.database("org").unwrap();
    make_workshops(&db, &CODES).await;
    let (here, here_org) = start(test_config(&db)).await;
    let (there, there_org) = start(test_config(&db)).await;
    // A projector on the second server, a trainee on the first.
    let (mut projector, first) = events(there.addr(), "/w/BBB2/api/events").await;
    assert!(first.contains("\"entries\":0"), "{first}");
    let player = join(here.addr(), "BBB2", "mio").await;
    let (status, body) = submit(here.addr(), "BBB2", &player, "shared-1").await;
    assert_eq!(status, 201, "{body}");
    let pushed = read_until(&mut projector, "\"entries\":1").await;
    assert!(pushed.contains("mio"), "{pushed}");
    board_with(there.addr(), "/api/board?code=BBB2", 1).await;
    // Each server's listening connection announces its own changes,
    // coalesced: a burst of submissions here tells the other server at
    // most once per 500 ms (one more for a notice from before the burst),
    // not once each; and a server skips its own notices.
    let heard_before = there_org.notices_heard();
    let burst = std::time::Instant::now();
    for i in 0..20 {
        let (status, body) = submit(here.addr(), "BBB2", &player, &format!("burst-{i}")).await;
        assert_eq!(status, 201, "{body}");
    }
    board_with(there.addr(), "/api/board?code=BBB2", 21).await;
    let window = burst.elapsed();
    let heard = there_org.notices_heard() - heard_before;
    let most = window.as_millis() as u64 / 500 + 2;
    assert!(
        (1..=most).contains(&heard),
        "{heard} notices for 20 submissions in {window:?}"
    );
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        here_org.notices_heard(),
        0,
        "a server heard its own notices"
    );
    // The player joined on one server is known on the other.
    let (status, body) = submit(there.addr(), "BBB2", &player, "shared-2").await;
    assert_eq!(
        (status, body["entry"]["nickname"].as_str()),
        (201, Some("mio"))
    );
    let (status, board) = get(here.addr(), "/w/AAA1/api/board", &[]).await;
    assert_eq!((status, board["entries"].as_u64()), (200, Some(0)));
    // The change made there is announced here (not this server's own).
    let heard = tokio::time::timeout(Duration::from_secs(5), async {
        while here_org.notices_heard() == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(heard.is_ok(), "the other server's change was never heard");
    // One listening connection per server, not one per open workshop
    // (three are open: two here, one there).
    let url = db.clone();
    let listening: i64 = tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'kiku-listen'",
                &[],
            )
            .unwrap()
            .get(0)
    })
    .await
    .unwrap();
    assert_eq!(listening, 2);
    here.shutdown().await.unwrap();
    there.shutdown().await.unwrap();
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_of_one_workshop_checks_the_query_code() {
    let server = crate::server::tests::serve(quick()).await;
    let addr = server.addr();
    let code = crate::server::tests::CODE;
    for path in [
        "/api/workshop".to_string(),
        format!("/api/workshop?code={code}"),
        format!("/api/workshop?code={}", code.to_lowercase()),
        format!("/api/board?code={code}"),
    ] {
        assert_eq!(get(addr, &path, &[]).await.0, 200, "{path}");
    }
    for path in ["/api/workshop?code=OTHER1", "/api/board?code=OTHER1"] {
        let (status, body) = get(addr, path, &[]).await;
        assert_eq!(
            (status, body["kind"].as_str()),
            (403, Some("wrong_code")),
            "{path}"
        );
    }
    let base = addr.to_string();
    let (right, wrong) = tokio::task::spawn_blocking(move || {
        let client = crate::client::Client::new(&base).unwrap();
        (client.workshop(code), client.workshop("OTHER1"))
    })
    .await
    .unwrap();
    assert!(right.is_ok(), "{right:?}");
    match wrong {
        Err(crate::client::SendError::Rejected { status, kind, .. }) => {
            assert_eq!((status, kind.as_str()), (403, "wrong_code"));
        }
        other => panic!("{other:?}"),
    }
    server.shutdown().await.unwrap();
}

#[test]
fn workshops_are_made_and_listed() {
    let db = sqlite("new");
    let mut store = open_registry(&db).unwrap();
    let terms = Terms {
        mode: Some("recall".into()),
        attempts: Some("latest".into()),
        same_member: Some("on".into()),
    };
    let made = new_workshop(store.as_mut(), Some(" tokyo1 "), &terms).unwrap();
    assert_eq!(made.code, "TOKYO1");
    assert_eq!(made.token.len(), 32);
    assert_eq!(
        server::required_mode(store.as_mut()).unwrap(),
        Some(kiku_core::Mode::Recall)
    );
    assert_eq!(store.attempt_rule(), crate::store::AttemptRule::Latest);
    let again = new_workshop(store.as_mut(), Some("TOKYO1"), &Terms::default());
    assert!(
        matches!(&again, Err(NewWorkshopError::Exists(code)) if code == "TOKYO1"),
        "{again:?}"
    );
    let bad = Terms {
        mode: Some("sing".into()),
        ..Terms::default()
    };
    let e = new_workshop(store.as_mut(), Some("OSAKA"), &bad).unwrap_err();
    assert_eq!(e.to_string(), "--mode: `sing`: give choose, recall or any");
    let e = new_workshop(store.as_mut(), Some("東京"), &Terms::default()).unwrap_err();
    assert!(e.to_string().contains("3-12 letters or digits"), "{e}");
    let fresh = new_workshop(store.as_mut(), None, &Terms::default()).unwrap();
    assert_eq!(fresh.code.len(), 6);
    assert_ne!(fresh.token, made.token);

    let text = describe(
        &made,
        Some("http://10.0.0.5:8787/"),
        &db,
        store.attempt_rule(),
        Some(kiku_core::Mode::Recall),
        true,
    );
    for line in [
        "workshop code:     TOKYO1",
        &format!("facilitator token: {}", made.token),
        "projector page:    http://10.0.0.5:8787/w/TOKYO1/",
        &format!(
            "control page:      http://10.0.0.5:8787/w/TOKYO1/control#token={}",
            made.token
        ),
        "trainees join:     10.0.0.5:8787 with code TOKYO1",
        "reply mode:        recall",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    // Shown again, token and all.
    assert_eq!(existing_workshop(store.as_mut(), "tokyo1").unwrap(), made);
    let e = existing_workshop(store.as_mut(), "KYOTO9").unwrap_err();
    assert!(
        matches!(&e, NewWorkshopError::Unknown(code) if code == "KYOTO9"),
        "{e:?}"
    );
    let rows = store.workshop_summaries().unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    // OSAKA's terms were refused: it was not made.
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(codes.contains(&"TOKYO1") && codes.contains(&fresh.code.as_str()));
    let listed = list_text(&rows, now_ms() + 2 * 3_600_000);
    assert!(listed.starts_with("CODE"), "{listed}");
    assert!(listed.contains("TOKYO1"), "{listed}");
    assert!(listed.contains("2 h ago"), "{listed}");
    assert!(!listed.contains(&made.token), "{listed}");
    assert_eq!(
        list_text(&[], 0),
        "no workshops yet: make one with `kiku workshop new`\n"
    );
}

#[test]
fn ages_read_in_words() {
    assert_eq!(ago(-5), "just now");
    assert_eq!(ago(59_999), "just now");
    assert_eq!(ago(5 * 60_000), "5 min ago");
    assert_eq!(ago(3 * 3_600_000), "3 h ago");
    assert_eq!(ago(12 * 86_400_000), "12 d ago");
}
