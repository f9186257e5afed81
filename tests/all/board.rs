//! The workshop board end to end: a real server on 127.0.0.1 (in process,
//! and the real binary killed with SIGKILL under load), bad input, the
//! facilitator's endpoints, live updates, the offline queue, and the
//! projector page in headless Chromium.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use kiku_board::client::{self, Client, Link, Queue, SendError};
use kiku_board::protocol::Submission;
use kiku_board::ratelimit::RateLimit;
use kiku_board::rescore::Scenarios;
use kiku_board::server::{self, Config};
use kiku_board::store::{BoardStore, Store};
use kiku_core::Session;
use kiku_core::scenario::Scenario;
use serde_json::{Value, json};

const SCENARIO_RON: &str = include_str!("../fixtures/board_scenario.ron");
const CODE: &str = "TEST42";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// The best route through the test scenario, and the worst.
const BEST: [&str; 3] = ["reflect_unsure", "ask_being", "autonomy"];
const WORST: [&str; 1] = ["reassure_early"];

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiku-board-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn scenario() -> Arc<Scenario> {
    let loaded =
        kiku_core::load::load_str(Path::new("test_scenario.ron"), SCENARIO_RON.to_string());
    loaded.scenario.expect("the fixture scenario loads")
}

fn submission(nickname: &str, choices: &[&str]) -> Submission {
    let s = scenario();
    Submission {
        id: Some(client::new_submission_id()),
        code: CODE.into(),
        nickname: nickname.into(),
        scenario: s.id.clone(),
        hash: s.content_hash(),
        seed: 7,
        choices: choices.iter().map(|c| c.to_string()).collect(),
        mode: kiku_core::Mode::Choose,
        prior: None,
    }
}

/// A server in this process on an ephemeral port.
struct TestServer {
    runtime: tokio::runtime::Runtime,
    server: Option<server::Server>,
    addr: SocketAddr,
}

impl TestServer {
    fn start(rate_limit: Option<RateLimit>) -> TestServer {
        TestServer::start_with(Store::open_in_memory().unwrap(), rate_limit, "127.0.0.1:0")
    }

    fn start_with(store: Store, rate_limit: Option<RateLimit>, bind: &str) -> TestServer {
        TestServer::start_full(store, rate_limit, bind, vec![scenario()])
    }

    fn start_full(
        store: impl BoardStore + 'static,
        rate_limit: Option<RateLimit>,
        bind: &str,
        scenarios: Vec<Arc<Scenario>>,
    ) -> TestServer {
        let store: Box<dyn BoardStore> = Box::new(store);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind(bind).await.unwrap();
            let addr = listener.local_addr().unwrap();
            server::start_with_store(
                listener,
                store,
                Config {
                    code: CODE.into(),
                    token: TOKEN.into(),
                    join_url: format!("http://{addr}/"),
                    scenarios: Scenarios::new(scenarios),
                    rate_limit,
                },
                server::Limits::default(),
            )
            .unwrap()
        });
        let addr = server.addr();
        TestServer {
            runtime,
            server: Some(server),
            addr,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn client(&self) -> Client {
        Client::new(&self.addr.to_string()).unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await
            });
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .build()
        .into()
}

/// Sends a request; returns status, headers' Retry-After and the JSON body.
fn request(method: &str, url: &str, body: Option<&[u8]>, token: Option<&str>) -> (u16, Value) {
    request_as(method, url, body, token, None)
}

/// A request that also carries a player's secret token (from joining).
fn request_as(
    method: &str,
    url: &str,
    body: Option<&[u8]>,
    token: Option<&str>,
    player: Option<&str>,
) -> (u16, Value) {
    let agent = agent();
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    if let Some(t) = token {
        builder = builder.header("Authorization", format!("Bearer {t}"));
    }
    if let Some(p) = player {
        builder = builder.header(kiku_board::protocol::PLAYER_HEADER, p);
    }
    builder = builder.header("Content-Type", "application/json");
    let result = match body {
        Some(b) => agent.run(builder.body(b.to_vec()).unwrap()),
        None => agent.run(builder.body(()).unwrap()),
    };
    let mut response = result.unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn entries(server: &TestServer) -> Vec<Value> {
    let (status, body) = request("GET", &server.url("/api/entries"), None, Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().clone()
}

#[test]
fn rescoring_ignores_client_scores_and_retries_store_once() {
    let server = TestServer::start(None);
    let mut body = serde_json::to_value(submission("Ann", &BEST)).unwrap();
    // A client that claims a score gets the one it earned.
    body["score"] = json!(100);
    body["overall"] = json!(100);
    let bytes = serde_json::to_vec(&body).unwrap();
    // Submissions carry the secret token the player got on joining.
    let ann = server.client().join(CODE, "Ann").unwrap();
    let post = |bytes: &[u8]| {
        request_as(
            "POST",
            &server.url("/api/submissions"),
            Some(bytes),
            None,
            Some(&ann.player),
        )
    };
    let (status, first) = post(&bytes);
    assert_eq!(status, 201, "{first}");
    let s = scenario();
    let session = Session::replay(&s, 7, &BEST).unwrap();
    let expected = kiku_core::score(&s, session.transcript());
    assert_eq!(first["entry"]["overall"], expected.overall);
    assert_eq!(first["entry"]["listening"], expected.listening);
    assert_eq!(first["entry"]["questions"], expected.questions);
    assert_eq!(first["entry"]["change"], expected.change);
    assert_eq!(first["entry"]["outcome"], expected.outcome);
    assert_eq!(first["standing"]["scenario_rank"], 1);
    assert_eq!(first["duplicate"], false);

    // The same submission id again (a retry after a lost answer): stored once.
    let (status, again) = post(&bytes);
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["entry"]["id"], first["entry"]["id"]);

    // A worse player ranks second; the typed client sees the rank.
    let accepted = server.client().submit(&submission("Bob", &WORST)).unwrap();
    assert_eq!(accepted.standing.scenario_rank, 2);
    assert_eq!(accepted.standing.scenario_of, 2);
    assert!(accepted.entry.finished.scores.overall < expected.overall);
    assert_eq!(entries(&server).len(), 2);

    let (status, board) = request("GET", &server.url("/api/workshop"), None, None);
    assert_eq!(status, 200);
    assert_eq!(board["scenarios"][0]["hash"], s.content_hash());
}

#[test]
fn recall_mode_is_ranked_on_its_own_board() {
    let server = TestServer::start(None);
    let client = server.client();
    client.submit(&submission("Ann", &WORST)).unwrap();
    let recall = |name: &str, route: &[&str]| Submission {
        mode: kiku_core::Mode::Recall,
        ..submission(name, route)
    };
    // Bob's recall best does not push Ann down the choose board.
    let bob = client.submit(&recall("Bob", &BEST)).unwrap();
    assert_eq!(bob.entry.finished.mode, kiku_core::Mode::Recall);
    assert_eq!(
        (bob.standing.scenario_rank, bob.standing.scenario_of),
        (1, 1)
    );
    let cy = client.submit(&recall("Cy", &WORST)).unwrap();
    assert_eq!((cy.standing.scenario_rank, cy.standing.scenario_of), (2, 2));
    // The board is recomputed shortly after each change.
    let board = wait_for(|| {
        let (status, board) = request("GET", &server.url("/api/board"), None, None);
        assert_eq!(status, 200, "{board}");
        (board["recall"]["entries"] == 2).then_some(board)
    });
    assert_eq!(board["entries"], 1);
    assert_eq!(board["overall"][0]["nickname"], "Ann");
    assert_eq!(board["overall"].as_array().unwrap().len(), 1);
    assert_eq!(board["recall"]["entries"], 2);
    assert_eq!(board["recall"]["overall"][0]["nickname"], "Bob");
    assert_eq!(board["recall"]["scenarios"][0]["rows"][1]["nickname"], "Cy");
    // The facilitator's list and CSV say which mode each entry was.
    let listed = entries(&server);
    assert!(listed[0].get("mode").is_none(), "{}", listed[0]);
    assert_eq!(listed[1]["mode"], "recall");
    let agent = agent();
    let mut csv = agent
        .get(server.url(&format!("/api/export.csv?token={TOKEN}")))
        .call()
        .unwrap();
    let csv = csv.body_mut().read_to_string().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",mode"), "{}", lines[0]);
    assert!(
        lines[1].ends_with(",choose") && lines[2].ends_with(",recall"),
        "{csv}"
    );
}

#[test]
fn a_trainee_reads_their_own_rank_privately() {
    let server = TestServer::start(None);
    let client = server.client();
    let s = scenario();
    for (name, route) in [("Ann", &BEST[..]), ("Bob", &WORST[..]), ("Cy", &BEST[..])] {
        client.submit(&submission(name, route)).unwrap();
    }
    let bob = client
        .my_rank(CODE, "Bob", &s.id, kiku_core::Mode::Choose)
        .unwrap();
    assert_eq!(bob.nickname, "Bob");
    assert_eq!((bob.rank, bob.of), (Some(3), 3));
    let session = Session::replay(&s, 7, &WORST).unwrap();
    let worst = kiku_core::score(&s, session.transcript()).overall;
    assert_eq!(bob.score, Some(worst));
    assert_eq!(
        (bob.overall_rank, bob.overall_of, bob.total),
        (Some(3), 3, worst)
    );
    // Not yet ranked in recall mode.
    let recall = client
        .my_rank(CODE, "Bob", &s.id, kiku_core::Mode::Recall)
        .unwrap();
    assert_eq!((recall.rank, recall.of, recall.score), (None, 0, None));
    // A game that never joined as Dan has no token to ask with.
    let refused = client
        .my_rank(CODE, "Dan", &s.id, kiku_core::Mode::Choose)
        .unwrap_err();
    assert!(
        matches!(&refused, SendError::Rejected { kind, .. } if kind == "bad_player"),
        "{refused:?}"
    );
    // The endpoint itself: no token, a wrong one, a bad query.
    let url = server.url(&format!("/api/me/rank?scenario={}", s.id));
    let (status, body) = request("GET", &url, None, None);
    assert_eq!((status, body["kind"].as_str()), (401, Some("bad_player")));
    let (status, _) = request_as("GET", &url, None, None, Some(&"f".repeat(32)));
    assert_eq!(status, 401);
    let (status, body) = request("GET", &server.url("/api/me/rank?mode=loud"), None, None);
    assert_eq!((status, body["kind"].as_str()), (400, Some("bad_query")));
}

#[test]
fn the_facilitator_locks_joining_freezes_and_reveals() {
    let server = TestServer::start(None);
    let client = server.client();
    let control = |action: &str, token: Option<&str>| {
        let body = serde_json::to_vec(&json!({ "action": action })).unwrap();
        request("POST", &server.url("/api/control"), Some(&body), token)
    };
    // The page is served to anyone (it holds no secret); the state is not.
    let mut page = agent().get(server.url("/control")).call().unwrap();
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.contains("Workshop control"), "{html}");
    let (status, _) = request("GET", &server.url("/api/control"), None, None);
    assert_eq!(status, 401);
    assert_eq!(control("lock", None).0, 401);
    let (status, body) = control("shout", Some(TOKEN));
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("malformed_json"))
    );

    // Lock joining: a new name is refused, a player who joined comes back.
    let ann = client.join(CODE, "Ann").unwrap();
    let (status, state) = control("lock", Some(TOKEN));
    assert_eq!(status, 200, "{state}");
    assert_eq!(state, json!({"locked": true, "frozen": false}));
    match client.join(CODE, "Newcomer") {
        Err(SendError::Rejected { status, kind, .. }) => {
            assert_eq!((status, kind.as_str()), (403, "joining_locked"));
        }
        other => panic!("a new name joined a locked workshop: {other:?}"),
    }
    let body = serde_json::to_vec(&json!({"code": CODE, "nickname": "Ann", "player": ann.player}))
        .unwrap();
    let (status, back) = request("POST", &server.url("/api/join"), Some(&body), None);
    assert_eq!(status, 200, "{back}");
    client.submit(&submission("Ann", &WORST)).unwrap();
    wait_for(|| {
        let (_, board) = request("GET", &server.url("/api/board"), None, None);
        (board["entries"] == 1).then_some(())
    });
    assert_eq!(control("unlock", Some(TOKEN)).1["locked"], false);
    client.join(CODE, "Bob").unwrap();

    // Freeze: the projector keeps the board as it was; entries still go in.
    assert_eq!(control("freeze", Some(TOKEN)).1["frozen"], true);
    client.submit(&submission("Bob", &BEST)).unwrap();
    assert_eq!(entries(&server).len(), 2);
    std::thread::sleep(Duration::from_millis(600));
    let (_, frozen) = request("GET", &server.url("/api/board"), None, None);
    assert_eq!(frozen["frozen"], true);
    assert_eq!(frozen["entries"], 1);
    assert_eq!(frozen["overall"][0]["nickname"], "Ann");

    // Reveal: the live board again, Bob on top.
    let (_, state) = control("reveal", Some(TOKEN));
    assert_eq!(state, json!({"locked": false, "frozen": false}));
    let live = wait_for(|| {
        let (_, board) = request("GET", &server.url("/api/board"), None, None);
        (board["entries"] == 2).then_some(board)
    });
    assert!(live.get("frozen").is_none(), "{live}");
    assert_eq!(live["overall"][0]["nickname"], "Bob");
}

#[test]
fn lock_freeze_and_the_required_mode_survive_a_restart() {
    let dir = temp_dir("room-restart");
    let db = dir.join("workshop.db");
    let control = |server: &TestServer, action: &str| {
        let body = serde_json::to_vec(&json!({ "action": action })).unwrap();
        let (status, state) = request(
            "POST",
            &server.url("/api/control"),
            Some(&body),
            Some(TOKEN),
        );
        assert_eq!(status, 200, "{state}");
        state
    };
    {
        let server = TestServer::start_with(Store::open(&db).unwrap(), None, "127.0.0.1:0");
        let client = server.client();
        client.submit(&submission("Ann", &WORST)).unwrap();
        wait_for(|| {
            let (_, board) = request("GET", &server.url("/api/board"), None, None);
            (board["entries"] == 1).then_some(())
        });
        control(&server, "lock");
        control(&server, "freeze");
        let state = control(&server, "require_recall");
        assert_eq!(
            state,
            json!({"locked": true, "frozen": true, "mode": "recall"})
        );
        let mut late = submission("Ann", &BEST);
        late.mode = kiku_core::Mode::Recall;
        client.submit(&late).unwrap();
    }
    let server = TestServer::start_with(Store::open(&db).unwrap(), None, "127.0.0.1:0");
    let (status, state) = request("GET", &server.url("/api/control"), None, Some(TOKEN));
    assert_eq!(status, 200);
    assert_eq!(
        state,
        json!({"locked": true, "frozen": true, "mode": "recall"})
    );
    // Still frozen on the board it froze with; still locked; still recall.
    let (_, board) = request("GET", &server.url("/api/board"), None, None);
    assert_eq!(
        (board["frozen"].as_bool(), board["entries"].as_u64()),
        (Some(true), Some(1))
    );
    let client = server.client();
    match client.join(CODE, "Newcomer") {
        Err(SendError::Rejected { kind, .. }) => assert_eq!(kind, "joining_locked"),
        other => panic!("a restart opened joining: {other:?}"),
    }
    assert_eq!(
        client.workshop(CODE).unwrap().mode,
        Some(kiku_core::Mode::Recall)
    );
    // Revealed after the restart: the live board, with the recall entry
    // stored while frozen.
    control(&server, "reveal");
    let live = wait_for(|| {
        let (_, board) = request("GET", &server.url("/api/board"), None, None);
        (board["recall"]["entries"] == 1).then_some(board)
    });
    assert_eq!(live["entries"], 1);
    assert!(live.get("frozen").is_none(), "{live}");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_board_without_recall_entries_has_no_recall_board() {
    let server = TestServer::start(None);
    server.client().submit(&submission("Ann", &BEST)).unwrap();
    let board = wait_for(|| {
        let (_, board) = request("GET", &server.url("/api/board"), None, None);
        (board["entries"] == 1).then_some(board)
    });
    assert!(board.get("recall").is_none(), "{board}");
}

#[test]
fn bad_input_gets_clear_4xx_and_stores_nothing() {
    let server = TestServer::start(None);
    let post = |body: &[u8]| request("POST", &server.url("/api/submissions"), Some(body), None);
    let with = |f: &dyn Fn(&mut Submission)| {
        let mut s = submission("Ann", &BEST);
        f(&mut s);
        serde_json::to_vec(&s).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "malformed JSON",
            b"{\"code\": ".to_vec(),
            400,
            "malformed_json",
        ),
        ("not an object", b"[1,2]".to_vec(), 400, "malformed_json"),
        (
            "missing field",
            br#"{"code":"TEST42"}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "negative seed",
            br#"{"code":"TEST42","nickname":"a","scenario":"s","hash":"h","seed":-1,"choices":[]}"#
                .to_vec(),
            400,
            "malformed_json",
        ),
        (
            "wrong code",
            with(&|s| s.code = "NOPE00".into()),
            403,
            "wrong_code",
        ),
        (
            "empty nickname",
            with(&|s| s.nickname = "  ".into()),
            400,
            "bad_nickname",
        ),
        (
            "long nickname",
            with(&|s| s.nickname = "x".repeat(25)),
            400,
            "bad_nickname",
        ),
        (
            "control char",
            with(&|s| s.nickname = "a\u{0}b".into()),
            400,
            "bad_nickname",
        ),
        (
            "bidi override",
            with(&|s| s.nickname = "a\u{202E}b".into()),
            400,
            "bad_nickname",
        ),
        (
            "bad id",
            with(&|s| s.id = Some("no spaces please".into())),
            400,
            "bad_id",
        ),
        (
            "unknown scenario",
            with(&|s| s.scenario = "nope".into()),
            404,
            "unknown_scenario",
        ),
        (
            "hash mismatch",
            with(&|s| s.hash = "00".repeat(32)),
            409,
            "hash_mismatch",
        ),
        (
            "invalid choice",
            with(&|s| s.choices = vec!["reflect_unsure".into(), "teleport".into()]),
            422,
            "invalid_choice",
        ),
        (
            "unfinished",
            with(&|s| s.choices = vec!["reflect_unsure".into()]),
            422,
            "unfinished",
        ),
        (
            "too many choices",
            with(&|s| s.choices = vec!["a".into(); 401]),
            400,
            "too_many_choices",
        ),
        (
            "body over 64 KiB",
            with(&|s| s.choices = vec!["x".repeat(60); 1200]),
            413,
            "too_large",
        ),
    ];
    for (what, body, status, kind) in cases {
        let (got, answer) = post(&body);
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(answer["kind"], kind, "{what}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.len() > 10, "{what}: no clear message: {answer}");
    }
    // 24 characters of Japanese are fine; markup is only text. (Each
    // player joins first and submits with the token it was given.)
    let players = server.client();
    for nickname in ["聴".repeat(24), "<b onclick=x()>hi</b>".to_string()] {
        let joined = players.join(CODE, &nickname).unwrap();
        let (got, answer) = request_as(
            "POST",
            &server.url("/api/submissions"),
            Some(&with(&|s| s.nickname = nickname.clone())),
            None,
            Some(&joined.player),
        );
        assert_eq!(got, 201, "{answer}");
    }
    assert_eq!(entries(&server).len(), 2);

    // Unknown endpoints and bad joins answer in JSON too.
    let (got, answer) = request("GET", &server.url("/api/nothing"), None, None);
    assert_eq!((got, answer["kind"].as_str()), (404, Some("not_found")));
    let join = serde_json::to_vec(&json!({"code": "WRONG1", "nickname": "Ann"})).unwrap();
    let (got, _) = request("POST", &server.url("/api/join"), Some(&join), None);
    assert_eq!(got, 403);
    let joined = server.client().join(" test42 ", " Ann ").unwrap();
    assert_eq!(joined.nickname, "Ann");
    assert!(!joined.taken);
    assert!(
        players
            .join(CODE, "聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴聴")
            .unwrap()
            .taken
    );
    match server.client().join(CODE, "") {
        Err(SendError::Rejected {
            status: 400, kind, ..
        }) => assert_eq!(kind, "bad_nickname"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn facilitator_endpoints_need_the_token() {
    let server = TestServer::start(None);
    let a = server.client().submit(&submission("=Ann", &BEST)).unwrap();
    server.client().submit(&submission("Bob", &WORST)).unwrap();
    for (method, path) in [
        ("GET", "/api/entries"),
        ("DELETE", "/api/entries/1"),
        ("POST", "/api/reset"),
        ("GET", "/api/export.csv"),
    ] {
        for token in [None, Some("wrong"), Some("")] {
            let (status, body) = request(method, &server.url(path), None, token);
            assert_eq!(status, 401, "{method} {path} with {token:?}: {body}");
            assert_eq!(body["kind"], "unauthorized");
        }
    }
    assert_eq!(entries(&server).len(), 2);

    // CSV, through the browser-friendly ?token= form.
    let mut response = agent()
        .get(server.url(&format!("/api/export.csv?token={TOKEN}")))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csv = response.body_mut().read_to_string().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].contains("nickname,scenario"));
    assert!(
        lines[1].contains(",'=Ann,small_example,"),
        "formula defused: {}",
        lines[1]
    );
    assert!(lines[1].contains(&format!(",{},", a.entry.finished.scores.overall)));

    let id = a.entry.id;
    let (status, body) = request(
        "DELETE",
        &server.url(&format!("/api/entries/{id}")),
        None,
        Some(TOKEN),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["removed"]["nickname"], "=Ann");
    let (status, _) = request(
        "DELETE",
        &server.url(&format!("/api/entries/{id}")),
        None,
        Some(TOKEN),
    );
    assert_eq!(status, 404);
    let (status, _) = request("DELETE", &server.url("/api/entries/abc"), None, Some(TOKEN));
    assert_eq!(status, 400);
    assert_eq!(entries(&server).len(), 1);
    let (status, body) = request("POST", &server.url("/api/reset"), None, Some(TOKEN));
    assert_eq!((status, body["removed"].as_u64()), (200, Some(1)));
    assert!(entries(&server).is_empty());
}

#[test]
fn rate_limit_is_per_client_with_retry_after() {
    let limit = RateLimit {
        burst: 3,
        per_minute: 6,
    };
    let server = TestServer::start(Some(limit));
    let client = server.client();
    for i in 0..3 {
        client
            .submit(&submission(&format!("p{i}"), &WORST))
            .unwrap();
    }
    match client.submit(&submission("p3", &WORST)) {
        Err(SendError::Busy { retry_after, .. }) => {
            assert!(retry_after >= Duration::from_secs(1) && retry_after <= Duration::from_secs(11))
        }
        other => panic!("expected 429, got {other:?}"),
    }
    let (status, body) = request(
        "POST",
        &server.url("/api/submissions"),
        Some(&serde_json::to_vec(&submission("p4", &WORST)).unwrap()),
        None,
    );
    assert_eq!((status, body["kind"].as_str()), (429, Some("rate_limited")));
    // Reading the board is not limited.
    assert_eq!(request("GET", &server.url("/api/board"), None, None).0, 200);
    assert_eq!(entries(&server).len(), 3);
}

/// Reads SSE `board` events from a raw connection.
struct EventReader {
    reader: BufReader<TcpStream>,
}

impl EventReader {
    fn connect(addr: SocketAddr) -> EventReader {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        EventReader {
            reader: BufReader::new(stream),
        }
    }

    /// The next `board` event's data (chunk-size lines are skipped).
    fn next_board(&mut self) -> Value {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "stream closed"
            );
            let line = line.trim_end();
            if line == "event: board" {
                event = "board".into();
            } else if let Some(data) = line.strip_prefix("data: ")
                && event == "board"
            {
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

#[test]
fn projector_events_push_new_entries_live() {
    let server = TestServer::start(None);
    let (status, page) = request("GET", &server.url("/"), None, None);
    assert_eq!(status, 200);
    assert!(page.as_str().unwrap().contains("EventSource"));
    let mut events = EventReader::connect(server.addr);
    let first = events.next_board();
    assert_eq!(first["code"], CODE);
    assert_eq!(first["scenarios"][0]["id"], "small_example");
    let accepted = server
        .client()
        .submit(&submission("Live <b>", &BEST))
        .unwrap();
    let pushed = events.next_board();
    assert_eq!(pushed["fresh"], json!([accepted.entry.id]));
    assert_eq!(pushed["overall"][0]["nickname"], "Live <b>");
    assert_eq!(pushed["scenarios"][0]["rows"][0]["nickname"], "Live <b>");
    let (_, board) = request("GET", &server.url("/api/board"), None, None);
    assert_eq!(board["entries"], 1);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn offline_queue_waits_and_delivers_when_the_server_comes() {
    let dir = temp_dir("queue");
    let path = dir.join("outbox.json");
    let port = free_port();
    let address = format!("127.0.0.1:{port}");

    // No server: the submission waits, on disk.
    let mut queue = Queue::open(&path);
    queue.push(&address, submission("Offline", &BEST)).unwrap();
    queue.push(&address, submission("Offline", &WORST)).unwrap();
    let report = queue.flush();
    assert_eq!(report.pending, 2);
    assert!(report.error.unwrap().contains("not reachable"));
    assert_eq!(Queue::open(&path).len(), 2);

    // The server comes up on that address: both go, in order.
    let server = TestServer::start_with(Store::open_in_memory().unwrap(), None, &address);
    let mut queue = Queue::open(&path);
    queue
        .push(&address, {
            let mut bad = submission("Offline", &BEST);
            bad.hash = "stale".into();
            bad
        })
        .unwrap();
    let report = queue.flush();
    assert_eq!(report.accepted.len(), 2, "{report:?}");
    assert_eq!(report.rejected.len(), 1);
    assert!(report.rejected[0].1.contains("differs"));
    assert_eq!(report.pending, 0);
    assert!(Queue::open(&path).is_empty());
    let stored = entries(&server);
    assert_eq!(stored.len(), 2);
    assert!(stored[0]["overall"].as_u64() > stored[1]["overall"].as_u64());
    drop(server);

    // The background link tells the game what is going on.
    let link = Link::start(&path);
    link.submit(&address, submission("Linked", &BEST));
    let status = wait_for(|| Some(link.status()).filter(|s| s.online == Some(false)));
    assert_eq!(status.pending, 1);
    assert!(status.last_error.is_some());
    let server = TestServer::start_with(Store::open_in_memory().unwrap(), None, &address);
    link.retry_now();
    let status = wait_for(|| Some(link.status()).filter(|s| s.pending == 0));
    assert_eq!(status.online, Some(true));
    assert_eq!(status.last_accepted.unwrap().standing.scenario_rank, 1);
    assert_eq!(entries(&server).len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = f() {
            return value;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "timed out");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The real binary, `kiku serve`, with its printed token and port.
struct Spawned {
    child: Child,
    addr: SocketAddr,
    token: String,
    code: String,
    /// What it printed before listening.
    said: String,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_server(db: &Path, scenarios: &Path) -> Spawned {
    spawn_server_with(db, scenarios, &[])
}

fn spawn_server_with(db: &Path, scenarios: &Path, args: &[&str]) -> Spawned {
    let child = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
        .arg("--scenarios")
        .arg(scenarios)
        // Every client of these tests is on 127.0.0.1.
        .args(["--max-per-ip", "0"])
        .args(args)
        .env("KIKU_RATE_LIMIT", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    // The guard kills the server if anything below fails.
    let mut spawned = Spawned {
        child,
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        token: String::new(),
        code: String::new(),
        said: String::new(),
    };
    let mut out = BufReader::new(spawned.child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "kiku serve exited early"
        );
        spawned.said.push_str(&line);
        let line = line.trim();
        if let Some(t) = line.strip_prefix("facilitator token:") {
            spawned.token = t.trim().to_string();
        }
        if let Some(c) = line.strip_prefix("workshop code:") {
            spawned.code = c.trim().to_string();
        }
        if let Some(addr) = line.strip_prefix("listening on ") {
            spawned.addr = addr.parse().unwrap();
            // Keep draining stdout so the server never blocks on it.
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut out, &mut std::io::sink());
            });
            return spawned;
        }
    }
}

#[test]
fn one_database_holds_many_workshops_and_retain_removes_idle_ones_whole() {
    let dir = temp_dir("many-workshops");
    std::fs::write(dir.join("s.ron"), SCENARIO_RON).unwrap();
    let db = dir.join("org.db");
    let join_and_submit = |server: &Spawned, nickname: &str| {
        let client = Client::new(&server.addr.to_string()).unwrap();
        client.join(&server.code, nickname).unwrap();
        let mut sub = submission(nickname, &BEST);
        sub.code = server.code.clone();
        client.submit(&sub).unwrap();
    };
    let board = |server: &Spawned| {
        let (_, board) = request(
            "GET",
            &format!("http://{}/api/board", server.addr),
            None,
            None,
        );
        board
    };
    {
        let alpha = spawn_server_with(&db, &dir, &["--code", "alpha1"]);
        assert_eq!(alpha.code, "ALPHA1");
        join_and_submit(&alpha, "Hana");
        let beta = spawn_server_with(&db, &dir, &["--code", "BETA22"]);
        assert_ne!(beta.token, alpha.token);
        // Each its own: the same nickname, its own board.
        join_and_submit(&beta, "Hana");
        join_and_submit(&beta, "Kai");
        let a = wait_for(|| Some(board(&alpha)).filter(|b| b["entries"] == 1));
        let b = wait_for(|| Some(board(&beta)).filter(|b| b["entries"] == 2));
        assert_eq!(
            (a["code"].as_str(), b["code"].as_str()),
            (Some("ALPHA1"), Some("BETA22"))
        );
        // The wrong code for this server is refused, whatever the database holds.
        let client = Client::new(&alpha.addr.to_string()).unwrap();
        match client.join("BETA22", "Mio") {
            Err(SendError::Rejected { kind, .. }) => assert_eq!(kind, "wrong_code"),
            other => panic!("joined another workshop's code: {other:?}"),
        }
    }
    // Without --code, a database of several workshops asks which.
    let out = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(&db)
        .arg("--scenarios")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("2 workshops (ALPHA1, BETA22): name one with --code"),
        "{said}"
    );
    // ALPHA1 has been idle for a day: `--retain 12h` removes it whole.
    let conn = rusqlite::Connection::open(&db).unwrap();
    for table in ["entries", "players"] {
        conn.execute(
            &format!(
                "UPDATE {table} SET created_ms = created_ms - 86400000 WHERE workshop = 'ALPHA1'"
            ),
            [],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE workshops SET active_ms = active_ms - 86400000 WHERE code = 'ALPHA1'",
        [],
    )
    .unwrap();
    drop(conn);
    let beta = spawn_server_with(&db, &dir, &["--code", "BETA22", "--retain", "12h"]);
    assert!(
        beta.said.contains("removed 1 workshop(s) with 1 entries"),
        "{}",
        beta.said
    );
    assert_eq!(board(&beta)["entries"], 2);
    drop(beta);
    let store = Store::open(&db).unwrap();
    let codes: Vec<String> = store
        .workshops()
        .unwrap()
        .into_iter()
        .map(|w| w.code)
        .collect();
    assert_eq!(codes, ["BETA22"]);
    // Its only workshop now: served without --code.
    drop(store);
    let again = spawn_server(&db, &dir);
    assert_eq!(again.code, "BETA22");
    drop(again);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn same_member_seeds_and_the_attempt_rule_are_kept_with_the_workshop() {
    let dir = temp_dir("same-member");
    std::fs::write(dir.join("s.ron"), SCENARIO_RON).unwrap();
    let db = dir.join("w.db");
    let s = scenario();
    let announced = |server: &Spawned| -> Option<u64> {
        let url = format!("http://{}/api/workshop", server.addr);
        let (status, info) = request("GET", &url, None, None);
        assert_eq!(status, 200, "{info}");
        let listed = info["scenarios"].as_array().unwrap();
        let ours = listed.iter().find(|i| i["id"] == s.id.as_str()).unwrap();
        ours["seed"].as_u64()
    };
    let seed = {
        let server = spawn_server_with(&db, &dir, &["--same-member", "on", "--attempts", "first"]);
        let seed = announced(&server).expect("the workshop announces a seed");
        let client = Client::new(&server.addr.to_string()).unwrap();
        let mut sub = submission("Ann", &WORST);
        sub.code = server.code.clone();
        sub.seed = seed.wrapping_add(1);
        match client.submit(&sub) {
            Err(SendError::Rejected {
                status,
                kind,
                message,
            }) => {
                assert_eq!((status, kind.as_str()), (409, "wrong_seed"));
                assert!(message.contains(&format!("seed {seed}")), "{message}");
            }
            other => panic!("another seed was not refused: {other:?}"),
        }
        sub.seed = seed;
        let first = client.submit(&sub).unwrap().standing.scenario_best;
        // The first attempt counts, however the next one goes.
        let mut better = submission("Ann", &BEST);
        better.code = server.code.clone();
        better.seed = seed;
        let standing = client.submit(&better).unwrap().standing;
        assert_eq!(standing.scenario_best, first);
        seed
    };
    // Restarted without the flags: the same seed and rule.
    let server = spawn_server_with(&db, &dir, &[]);
    assert_eq!(announced(&server), Some(seed));
    drop(server);
    let server = spawn_server_with(&db, &dir, &["--same-member", "off", "--attempts", "best"]);
    assert_eq!(announced(&server), None);
    drop(server);
    // Bad values are refused with a message.
    for (flag, value, says) in [
        ("--attempts", "worst", "give best, first or latest"),
        ("--same-member", "maybe", "give on or off"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_kiku"))
            .args(["serve", "--bind", "127.0.0.1:0", "--db"])
            .arg(&db)
            .arg("--scenarios")
            .arg(&dir)
            .args([flag, value])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn sigkill_under_load_loses_no_acknowledged_submission() {
    const SUBMISSIONS: usize = 500;
    const KILL_AFTER: usize = 120;
    let dir = temp_dir("sigkill");
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    std::fs::write(scenarios.join("small.ron"), SCENARIO_RON).unwrap();
    let db = dir.join("workshop.db");
    let mut server = spawn_server(&db, &scenarios);
    assert_eq!(server.code.len(), 6);
    assert_eq!(server.token.len(), 32);

    let subs: Vec<Submission> = (0..SUBMISSIONS)
        .map(|i| Submission {
            code: server.code.clone(),
            ..submission(&format!("p{i:03}"), if i % 2 == 0 { &BEST } else { &WORST })
        })
        .collect();
    let acked: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Barrier::new(SUBMISSIONS));
    let started = Instant::now();
    let threads: Vec<_> = subs
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, sub)| {
            let (acked, count, gate) = (Arc::clone(&acked), Arc::clone(&count), Arc::clone(&gate));
            let client = Client::new(&server.addr.to_string()).unwrap();
            std::thread::spawn(move || {
                gate.wait();
                if let Ok(a) = client.submit(&sub) {
                    acked.lock().unwrap().push((i, a.entry.id));
                    count.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    wait_for(|| (count.load(Ordering::SeqCst) >= KILL_AFTER).then_some(()));
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    eprintln!(
        "sigkill: {} of {SUBMISSIONS} acknowledged before the kill ({:?} after the start)",
        acked.len(),
        started.elapsed()
    );
    assert!(acked.len() >= KILL_AFTER);

    // The file is sound, and every acknowledged submission is in it.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for (i, id) in &acked {
        let entry = store
            .entry(*id)
            .unwrap()
            .unwrap_or_else(|| panic!("entry {id} lost"));
        assert_eq!(entry.nickname, subs[*i].nickname);
    }
    drop(store);

    // Restarted on the same file: same code and token; resending everything
    // (as the game's queue does) stores each submission exactly once.
    let mut again = spawn_server(&db, &scenarios);
    assert_eq!((&again.code, &again.token), (&server.code, &server.token));
    let client = Client::new(&again.addr.to_string()).unwrap();
    for (i, sub) in subs.iter().enumerate() {
        let a = client.submit(sub).unwrap();
        if let Some((_, id)) = acked.iter().find(|(j, _)| *j == i) {
            assert!(a.duplicate);
            assert_eq!(a.entry.id, *id);
        }
    }
    let (status, body) = request(
        "GET",
        &format!("http://{}/api/entries", again.addr),
        None,
        Some(&again.token),
    );
    assert_eq!(status, 200);
    assert_eq!(body["entries"].as_array().unwrap().len(), SUBMISSIONS);
    again.child.kill().unwrap();
    again.child.wait().unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.count().unwrap(), SUBMISSIONS as u64);
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

// ---- the projector page in headless Chromium, through WebDriver ----

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    base: String,
    session: String,
}

impl Driver {
    fn start(profile: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_for(|| {
            let (status, _) = try_request("GET", &format!("{base}/status"), None)?;
            (status == 200).then_some(())
        });
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--window-size=1920,1080", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let (status, body) = try_request("POST", &format!("{base}/session"), Some(&caps))
            .expect("chromedriver answers");
        assert_eq!(status, 200, "{body}");
        let session = body["value"]["sessionId"].as_str().unwrap().to_string();
        Driver {
            child,
            base,
            session,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let (status, value) = try_request(method, &url, body).expect("chromedriver answers");
        assert_eq!(status, 200, "{method} {path}: {value}");
        value["value"].clone()
    }

    fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(&json!({"script": js, "args": []})),
        )
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = try_request("DELETE", &url, None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn try_request(method: &str, url: &str, body: Option<&Value>) -> Option<(u16, Value)> {
    let agent = agent();
    let builder = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("Content-Type", "application/json");
    let bytes = body
        .map(|b| serde_json::to_vec(b).unwrap())
        .unwrap_or_default();
    let mut response = agent.run(builder.body(bytes).ok()?).ok()?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().ok()?;
    Some((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// Standard base64 (the screenshot WebDriver returns).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| u32::from(value(c))).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | x << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

#[test]
fn projector_page_in_headless_chromium_updates_live() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and chromium-driver (.ci/test installs them)"
        );
        eprintln!("skipped: install chromium and chromium-driver to run the browser test");
        return;
    }
    // Three scenarios and a dozen trainees: what a projector really shows.
    let variants = [
        ("small_example", "小さな例", "A small example"),
        ("career_fog", "キャリアのもやもや", "Career fog"),
        ("ai_anxiety", "AIと仕事の不安", "AI and the job"),
    ];
    let scenarios: Vec<Arc<Scenario>> = variants
        .iter()
        .map(|(id, ja, en)| {
            let ron = SCENARIO_RON
                .replace("id: \"small_example\"", &format!("id: \"{id}\""))
                .replace(
                    "ja: \"小さな例\", en: \"A small example\"",
                    &format!("ja: \"{ja}\", en: \"{en}\""),
                );
            let loaded = kiku_core::load::load_str(Path::new("v.ron"), ron);
            loaded.scenario.expect("variant loads")
        })
        .collect();
    let server = TestServer::start_full(
        Store::open_in_memory().unwrap(),
        None,
        "127.0.0.1:0",
        scenarios.clone(),
    );
    let client = server.client();
    let routes: [&[&str]; 3] = [&BEST, &["reflect_unsure", "advise_training"], &WORST];
    let people = [
        "森 遥",
        "Taro",
        "鈴木 一郎",
        "佐藤 花子",
        "高橋 健",
        "Mia",
        "田中 美咲",
        "伊藤 大輔",
        "渡辺 翔",
        "山本 あかり",
        "中村 陽介",
        "小林 Emi",
    ];
    let submit_as = |name: &str, index: usize, route: &[&str]| {
        let s = &scenarios[index];
        let mut sub = submission(name, route);
        sub.scenario = s.id.clone();
        sub.hash = s.content_hash();
        client.submit(&sub).unwrap()
    };
    for (i, name) in people.iter().enumerate() {
        for (k, _) in scenarios.iter().enumerate().take(1 + i % 3) {
            submit_as(name, k, routes[(i + k) % 3]);
        }
    }
    let profile = temp_dir("chromium-profile");
    let driver = Driver::start(&profile);
    driver.call("POST", "/url", Some(&json!({"url": server.url("/")})));
    wait_for(|| {
        let text = driver.script("return document.getElementById('overall').textContent");
        text.as_str()
            .filter(|t| t.contains("鈴木 一郎"))
            .map(|_| ())
    });
    assert_eq!(
        driver.script("return document.getElementById('code').textContent"),
        CODE
    );
    // Mark the document: a reload would lose the mark.
    driver.script("window.__kikuNoReload = 1; return 1");

    let hostile = "<img src=x onerror=p()>";
    driver.script("window.p = () => { window.__pwned = 1; }; return 1");
    submit_as(hostile, 0, &BEST);
    submit_as("新人 さくら", 1, &BEST);
    submit_as("新人 さくら", 2, &BEST);
    wait_for(|| {
        let text = driver.script("return document.body.textContent");
        text.as_str()
            .filter(|t| t.contains("新人 さくら") && t.contains(hostile))
            .map(|_| ())
    });
    assert_eq!(
        driver.script("return window.__kikuNoReload === 1"),
        true,
        "the page reloaded"
    );
    assert_eq!(
        driver.script("return window.__pwned === undefined"),
        true,
        "a name ran as HTML"
    );
    assert_eq!(
        driver.script("return document.querySelectorAll('img').length"),
        0
    );
    let fresh = driver.script("return document.querySelectorAll('li.fresh').length");
    assert!(
        fresh.as_u64().unwrap_or(0) >= 1,
        "new entries are highlighted: {fresh}"
    );
    assert_eq!(
        driver.script("return document.getElementById('status').className"),
        "live"
    );

    // Let the arrival animation finish before the picture.
    std::thread::sleep(Duration::from_millis(1200));
    let png = base64_decode(driver.call("GET", "/screenshot", None).as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("projector.png");
    std::fs::write(&shot, &png).unwrap();
    eprintln!("projector screenshot: {}", shot.display());
    // Legible from the back of a room: scenario rows at least this many
    // CSS pixels high on a 1920x1080 projector.
    const MIN_ROW_FONT_PX: f64 = 28.0;
    let row_font = driver.script(
        "return parseFloat(getComputedStyle(document.querySelector('#scenarios li')).fontSize)",
    );
    assert!(
        row_font.as_f64().unwrap_or(0.0) >= MIN_ROW_FONT_PX,
        "scenario rows are {row_font} px"
    );
    assert_eq!(
        driver.script("return document.body.classList.contains('recall')"),
        false
    );

    // Recall-mode entries: the recall board comes as its own page.
    for name in ["森 遥", "Mia"] {
        let mut sub = submission(name, &BEST);
        sub.mode = kiku_core::Mode::Recall;
        client.submit(&sub).unwrap();
    }
    driver.call(
        "POST",
        "/url",
        Some(&json!({"url": server.url("/?page=2")})),
    );
    wait_for(|| {
        let recall = driver.script(
            "return document.body.classList.contains('recall') \
             && document.getElementById('overall').textContent",
        );
        recall.as_str().filter(|t| t.contains("Mia")).map(|_| ())
    });
    assert_eq!(
        driver.script("return document.getElementById('page').textContent"),
        "2 / 2"
    );
    assert_eq!(
        driver.script("return getComputedStyle(document.getElementById('mode')).display"),
        "block"
    );
    std::thread::sleep(Duration::from_millis(1200));
    let png = base64_decode(driver.call("GET", "/screenshot", None).as_str().unwrap());
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("projector-recall.png");
    std::fs::write(&shot, &png).unwrap();
    eprintln!("projector screenshot (recall): {}", shot.display());

    // Freeze, then reveal: the podium shows the top 3.
    let control = |action: &str| {
        let body = serde_json::to_vec(&json!({ "action": action })).unwrap();
        let (status, _) = request(
            "POST",
            &server.url("/api/control"),
            Some(&body),
            Some(TOKEN),
        );
        assert_eq!(status, 200);
    };
    driver.call("POST", "/url", Some(&json!({"url": server.url("/")})));
    control("freeze");
    wait_for(|| {
        let frozen = driver.script("return document.body.classList.contains('frozen')");
        (frozen == true).then_some(())
    });
    control("reveal");
    wait_for(|| {
        let shown = driver.script(
            "return document.getElementById('podium').classList.contains('shown') \
             && document.querySelectorAll('#podium .step').length",
        );
        (shown == 3).then_some(())
    });
    assert_eq!(
        driver.script("return document.body.classList.contains('frozen')"),
        false
    );
    std::thread::sleep(Duration::from_millis(300));
    let png = base64_decode(driver.call("GET", "/screenshot", None).as_str().unwrap());
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("projector-podium.png");
    std::fs::write(&shot, &png).unwrap();
    eprintln!("projector screenshot (podium): {}", shot.display());
    drop(driver);
    let _ = std::fs::remove_dir_all(profile);
}

#[test]
fn serve_refuses_a_folder_without_scenarios() {
    let dir = temp_dir("noscenarios");
    let output = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(dir.join("w.db"))
        .arg("--scenarios")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no valid scenario"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

// The same board suite on PostgreSQL, and two servers on one database.
#[path = "board_pg.rs"]
mod pg;

// Organisation mode: every workshop of a database from one server.
#[path = "board_org.rs"]
mod org;
