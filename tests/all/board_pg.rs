//! The board on PostgreSQL: a throwaway server per test
//! (`kiku_board::throwaway`: initdb and pg_ctl from Debian's `postgresql`
//! package, in a temp dir, on a free loopback port, stopped by a guard even
//! when the test fails). The same store suite
//! and server suite run on SQLite and on PostgreSQL; two servers on one
//! database show each other's submissions on their projectors.

use super::*;

use kiku_board::postgres::PgStore;
use kiku_board::store::{
    AttemptRule, Extra, JoinOutcome, NewEntry, Ranking, RenameOutcome, StoreError,
};
use kiku_board::throwaway::{Durability, ThrowawayPostgres};
use kiku_core::{Finished, Mode};

fn finished(route: &[&str], mode: Mode, at: i64) -> Finished {
    let choices: Vec<String> = route.iter().map(|c| c.to_string()).collect();
    let (_, mut f) = Finished::replay(&scenario(), 7, &choices, at).unwrap();
    f.mode = mode;
    f
}

fn new_entry(nickname: &str, route: &[&str], mode: Mode, at: i64) -> NewEntry {
    NewEntry {
        submission: None,
        nickname: nickname.into(),
        finished: finished(route, mode, at),
        extra: Extra::new(),
    }
}

/// The store suite: every call the server makes, with the answers it needs.
fn store_suite(store: &mut dyn BoardStore) {
    let best = finished(&BEST, Mode::Choose, 0).scores.overall;
    let worst = finished(&WORST, Mode::Choose, 0).scores.overall;
    assert!(best > worst);
    let id = scenario().id.clone();

    assert_eq!(
        store
            .meta_or_insert("code", &mut || String::from("AAA"))
            .unwrap(),
        "AAA"
    );
    assert_eq!(
        store
            .meta_or_insert("code", &mut || String::from("BBB"))
            .unwrap(),
        "AAA"
    );
    store.set_meta("code", "CCC").unwrap();
    assert_eq!(store.meta("code").unwrap().as_deref(), Some("CCC"));
    assert_eq!(store.meta("none").unwrap(), None);

    let JoinOutcome::Joined { token: ann, .. } = store.join_player("ann", None).unwrap() else {
        panic!("ann could not join");
    };
    // A Cyrillic а: looks like ann.
    assert_eq!(
        store.join_player("\u{430}nn", None).unwrap(),
        JoinOutcome::Taken("ann".into())
    );
    store.join_player("bob", None).unwrap();
    assert_eq!(store.player(&ann).unwrap().unwrap().nickname, "ann");

    // A record's unknown field survives; a repeated id stores once; another
    // player's id is refused.
    let mut first = new_entry("ann", &WORST, Mode::Choose, 1);
    first.submission = Some("sub-1".into());
    first
        .extra
        .insert("future_field".into(), json!({"entry": 1, "note": "続き"}));
    let stored = store.insert(&first).unwrap();
    assert!(!stored.duplicate);
    assert_eq!(stored.entry.extra["future_field"]["note"], "続き");
    assert_eq!(stored.entry.finished, first.finished);
    let again = store.insert(&first).unwrap();
    assert!(again.duplicate);
    assert_eq!(again.entry.id, stored.entry.id);
    let mut stolen = first.clone();
    stolen.nickname = "bob".into();
    assert!(matches!(
        store.insert(&stolen),
        Err(StoreError::SubmissionTaken)
    ));

    let top = store
        .insert(&new_entry("ann", &BEST, Mode::Choose, 2))
        .unwrap();
    assert_eq!(top.standing.scenario_best, best);
    let bob = store
        .insert(&new_entry("bob", &WORST, Mode::Choose, 3))
        .unwrap();
    assert_eq!(
        (bob.standing.scenario_rank, bob.standing.scenario_of),
        (2, 2)
    );
    // Recall is ranked on its own.
    let recall = store
        .insert(&new_entry("bob", &BEST, Mode::Recall, 4))
        .unwrap();
    assert_eq!(
        (recall.standing.scenario_rank, recall.standing.scenario_of),
        (1, 1)
    );
    let choose_board = store
        .board_in(10, Ranking::BestPerName, Mode::Choose)
        .unwrap();
    assert_eq!((choose_board.entries, choose_board.ranked), (3, 2));
    let rows: Vec<_> = choose_board.scenarios[0]
        .rows
        .iter()
        .map(|r| (r.rank, r.nickname.as_str(), r.points))
        .collect();
    assert_eq!(rows, [(1, "ann", best), (2, "bob", worst)]);
    assert_eq!(choose_board.scenarios[0].title, scenario().title);
    assert_eq!(choose_board.overall[0].points, best);
    let recall_board = store
        .board_in(10, Ranking::BestPerName, Mode::Recall)
        .unwrap();
    assert_eq!(
        (
            recall_board.entries,
            recall_board.overall[0].nickname.as_str()
        ),
        (1, "bob")
    );
    let attempts = store.board_in(10, Ranking::Attempts, Mode::Choose).unwrap();
    assert_eq!(attempts.overall.len(), 3);
    assert_eq!(
        store.is_ranked(&id, Mode::Recall, "ann").unwrap(),
        (false, false)
    );
    assert_eq!(
        store.is_ranked(&id, Mode::Choose, "ann").unwrap(),
        (true, true)
    );
    let all = store.entries().unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].extra["future_field"]["entry"], 1);
    assert_eq!(all[3].finished.mode, Mode::Recall);
    assert_eq!(store.count().unwrap(), 4);

    // The attempt rule re-ranks at once.
    store.set_attempt_rule(AttemptRule::First).unwrap();
    assert_eq!(store.attempt_rule(), AttemptRule::First);
    assert_eq!(
        store
            .standing(&id, Mode::Choose, "ann")
            .unwrap()
            .scenario_best,
        worst
    );
    store.set_attempt_rule(AttemptRule::Best).unwrap();
    assert_eq!(
        store
            .standing(&id, Mode::Choose, "ann")
            .unwrap()
            .scenario_best,
        best
    );

    // Rename, kick, remove.
    assert_eq!(
        store.rename_player("ann", "Ann B").unwrap(),
        RenameOutcome::Renamed
    );
    assert_eq!(store.player(&ann).unwrap().unwrap().nickname, "Ann B");
    assert_eq!(
        store.rename_player("bob", "ann b").unwrap(),
        RenameOutcome::Taken("Ann B".into())
    );
    assert_eq!(
        store.rename_player("nobody", "x").unwrap(),
        RenameOutcome::NoSuchPlayer
    );
    assert_eq!(store.kick_player("bob").unwrap(), Some(2));
    assert_eq!(store.kick_player("nobody").unwrap(), None);
    assert!(matches!(
        store.join_player("bob", None).unwrap(),
        JoinOutcome::Taken(_)
    ));
    assert_eq!(store.players().unwrap().len(), 2);
    assert!(store.remove(top.entry.id).unwrap().is_some());
    assert!(store.remove(top.entry.id).unwrap().is_none());
    assert_eq!(
        store
            .standing(&id, Mode::Choose, "Ann B")
            .unwrap()
            .scenario_best,
        worst
    );

    // Group commit: together or not at all.
    assert!(store.begin_batch());
    store
        .insert(&new_entry("Ann B", &BEST, Mode::Choose, 5))
        .unwrap();
    assert!(store.insert(&stolen).is_err());
    store.commit_batch().unwrap();
    assert_eq!(store.count().unwrap(), 2);

    // Reset.
    assert_eq!(store.reset().unwrap(), 2);
    assert!(
        store
            .board_in(10, Ranking::BestPerName, Mode::Choose)
            .unwrap()
            .overall
            .is_empty()
    );
    workshops_suite(store);
}

/// Several workshops in one database, each under its code: nothing of one
/// shows in another, and `--retain` removes idle ones whole.
fn workshops_suite(store: &mut dyn BoardStore) {
    let worst = finished(&WORST, Mode::Choose, 0).scores.overall;
    store.use_workshop("OLD1").unwrap();
    assert_eq!(store.workshop(), "OLD1");
    store.set_meta("token", "old secret").unwrap();
    let JoinOutcome::Joined { token: old_ann, .. } = store.join_player("ann", None).unwrap() else {
        panic!("ann could not join OLD1");
    };
    let mut shared = new_entry("ann", &BEST, Mode::Choose, 1);
    shared.submission = Some("an-id-of-old1".into());
    store.insert(&shared).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let cutoff = kiku_board::store::now_ms();
    std::thread::sleep(Duration::from_millis(20));

    store.use_workshop("NEW2").unwrap();
    assert_eq!(store.count().unwrap(), 0);
    assert!(store.entries().unwrap().is_empty());
    assert_eq!(store.meta("token").unwrap(), None);
    assert_eq!(store.player(&old_ann).unwrap(), None);
    assert!(store.players().unwrap().is_empty());
    // The same nickname is free here; another workshop's id is not.
    assert!(matches!(
        store.join_player("ann", None).unwrap(),
        JoinOutcome::Joined { .. }
    ));
    assert!(matches!(
        store.insert(&shared),
        Err(StoreError::SubmissionTaken)
    ));
    let here = store
        .insert(&new_entry("ann", &WORST, Mode::Choose, cutoff + 10))
        .unwrap();
    assert_eq!(
        (here.standing.scenario_rank, here.standing.scenario_of),
        (1, 1)
    );
    let board = store
        .board_in(10, Ranking::BestPerName, Mode::Choose)
        .unwrap();
    assert_eq!((board.entries, board.overall.len()), (1, 1));
    assert_eq!(board.overall[0].points, worst);

    // OLD1 has been idle since before the cutoff: it goes whole; NEW2 stays.
    let codes = |s: &mut dyn BoardStore| -> Vec<String> {
        s.workshops().unwrap().into_iter().map(|w| w.code).collect()
    };
    assert_eq!(codes(store), ["OLD1", "NEW2"]);
    let purged = store.purge_workshops_before(cutoff).unwrap();
    assert_eq!((purged.workshops, purged.entries), (vec!["OLD1".into()], 1));
    assert_eq!(codes(store), ["NEW2"]);
    assert_eq!(store.count().unwrap(), 1);
    store.use_workshop("OLD1").unwrap();
    assert_eq!(store.count().unwrap(), 0);
    assert_eq!(store.meta("token").unwrap(), None);
    assert!(store.players().unwrap().is_empty());
    // Nothing idle now.
    assert!(
        store
            .purge_workshops_before(cutoff)
            .unwrap()
            .workshops
            .is_empty()
    );
}

/// The server suite: joining, re-scoring, duplicates, modes, a private
/// rank, the projector's stream and the control page, over HTTP.
fn server_suite(server: &TestServer) {
    let client = server.client();
    let mut events = EventReader::connect(server.addr);
    assert_eq!(events.next_board()["code"], CODE);
    let ann = client.submit(&submission("Ann", &BEST)).unwrap();
    let again = client
        .submit(&Submission {
            id: None,
            ..submission("Ann", &BEST)
        })
        .unwrap();
    assert!(!again.duplicate);
    let mut retry = submission("Bob", &WORST);
    let first = client.submit(&retry).unwrap();
    assert!(client.submit(&retry).unwrap().duplicate);
    retry.mode = Mode::Recall;
    retry.id = Some(client::new_submission_id());
    client.submit(&retry).unwrap();
    assert_eq!(first.standing.scenario_rank, 2);
    let pushed = loop {
        let board = events.next_board();
        if board["entries"] == 3 && board["recall"]["entries"] == 1 {
            break board;
        }
    };
    assert_eq!(pushed["overall"][0]["nickname"], "Ann");
    assert_eq!(pushed["recall"]["overall"][0]["nickname"], "Bob");
    let rank = client
        .my_rank(CODE, "Bob", &scenario().id, Mode::Choose)
        .unwrap();
    assert_eq!((rank.rank, rank.of), (Some(2), 2));
    assert_eq!(entries(server).len(), 4);
    assert_eq!(
        ann.entry.finished.scores.overall,
        pushed["overall"][0]["points"]
    );
    let body = serde_json::to_vec(&json!({"nickname": "Bob"})).unwrap();
    let (status, kicked) = request(
        "POST",
        &server.url("/api/players/kick"),
        Some(&body),
        Some(TOKEN),
    );
    assert_eq!((status, kicked["removed"].as_u64()), (200, Some(2)));
    assert_eq!(entries(server).len(), 2);
    required_mode_suite(server);
}

/// The facilitator's action `action` on the control page's API.
fn control(server: &TestServer, action: &str) -> Value {
    let body = serde_json::to_vec(&json!({ "action": action })).unwrap();
    let (status, state) = request(
        "POST",
        &server.url("/api/control"),
        Some(&body),
        Some(TOKEN),
    );
    assert_eq!(status, 200, "{state}");
    state
}

/// A workshop that requires recall mode says so to the games (workshop
/// info and the join answer) and refuses a 1on1 played by choosing.
fn required_mode_suite(server: &TestServer) {
    let client = server.client();
    assert_eq!(client.workshop(CODE).unwrap().mode, None);
    assert_eq!(control(server, "require_recall")["mode"], "recall");
    assert_eq!(client.workshop(CODE).unwrap().mode, Some(Mode::Recall));
    let joined = client.join(CODE, "Mio").unwrap();
    assert_eq!(joined.mode, Some(Mode::Recall));
    let before = entries(server).len();
    match client.submit(&submission("Mio", &BEST)) {
        Err(SendError::Rejected {
            status,
            kind,
            message,
        }) => {
            assert_eq!((status, kind.as_str()), (409, "wrong_mode"));
            assert!(message.contains("recall mode"), "{message}");
            assert!(message.contains("自分の言葉で言う"), "{message}");
        }
        other => panic!("a choose-mode 1on1 was taken by a recall workshop: {other:?}"),
    }
    assert_eq!(entries(server).len(), before);
    let mut recalled = submission("Mio", &BEST);
    recalled.mode = Mode::Recall;
    assert_eq!(
        client.submit(&recalled).unwrap().entry.finished.mode,
        Mode::Recall
    );
    // The JSON error format, as every other refusal.
    let (status, body) = request_as(
        "POST",
        &server.url("/api/submissions"),
        Some(&serde_json::to_vec(&submission("Mio", &BEST)).unwrap()),
        None,
        Some(&joined.player),
    );
    assert_eq!((status, body["kind"].as_str()), (409, Some("wrong_mode")));
    assert!(body["error"].is_string(), "{body}");
    // Choose only, then either again.
    assert_eq!(control(server, "require_choose")["mode"], "choose");
    assert_eq!(client.workshop(CODE).unwrap().mode, Some(Mode::Choose));
    match client.submit(&Submission {
        id: Some(client::new_submission_id()),
        ..recalled.clone()
    }) {
        Err(SendError::Rejected { kind, message, .. }) => {
            assert_eq!(kind, "wrong_mode");
            assert!(message.contains("choose mode"), "{message}");
        }
        other => panic!("a recall 1on1 was taken by a choose workshop: {other:?}"),
    }
    client.submit(&submission("Mio", &BEST)).unwrap();
    let state = control(server, "any_mode");
    assert!(state.get("mode").is_none(), "{state}");
    assert_eq!(client.workshop(CODE).unwrap().mode, None);
    client
        .submit(&Submission {
            id: Some(client::new_submission_id()),
            ..recalled
        })
        .unwrap();
}

#[test]
fn the_store_suite_passes_on_sqlite_and_postgresql() {
    store_suite(&mut Store::open_in_memory().unwrap());
    let pg = ThrowawayPostgres::start("store", Durability::Tests).unwrap();
    let url = pg.database("store_suite").unwrap();
    store_suite(&mut PgStore::connect(&url).unwrap());
    // Connecting again finds the schema at its version and migrates nothing.
    let mut again = PgStore::connect(&url).unwrap();
    again.use_workshop("NEW2").unwrap();
    assert_eq!(again.count().unwrap(), 1);
}

#[test]
fn a_postgresql_database_of_one_workshop_becomes_that_workshop() {
    let pg = ThrowawayPostgres::start("migrate", Durability::Tests).unwrap();
    let url = pg.database("before_workshops").unwrap();
    // A database as the first PostgreSQL version left it: schema 1, one
    // workshop's code in `meta`, an entry and a player.
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    raw.batch_execute(kiku_board::postgres::migration(0).unwrap())
        .unwrap();
    raw.batch_execute(
        "CREATE TABLE kiku_schema (version BIGINT NOT NULL);
         INSERT INTO kiku_schema VALUES (1);
         INSERT INTO meta VALUES ('code', 'LEGACY'), ('token', 'the old token');
         INSERT INTO players (token_hash, nickname, skeleton_a, skeleton_b, created_ms)
         VALUES (NULL, 'ann', 'ann', 'ann', 1);",
    )
    .unwrap();
    let f = finished(&BEST, Mode::Choose, 5);
    let record = kiku_board::store::record_json(&f, &Extra::new());
    raw.execute(
        "INSERT INTO entries (submission, nickname, scenario, mode, overall, created_ms, record)
         VALUES ('old-id', 'ann', $1, 'choose', $2, 5, $3)",
        &[&f.scenario, &i64::from(f.scores.overall), &record],
    )
    .unwrap();
    raw.batch_execute(
        "INSERT INTO best SELECT scenario, mode, nickname, id, overall, created_ms FROM entries;
         INSERT INTO totals SELECT mode, nickname, overall, 1, created_ms, id FROM entries;",
    )
    .unwrap();
    drop(raw);
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(store.workshop(), "LEGACY");
    assert_eq!(
        store.meta("token").unwrap().as_deref(),
        Some("the old token")
    );
    assert_eq!(store.count().unwrap(), 1);
    let board = store
        .board_in(10, Ranking::BestPerName, Mode::Choose)
        .unwrap();
    assert_eq!(board.overall[0].nickname, "ann");
    // The old player claims the name; a second workshop is apart.
    assert!(matches!(
        store.join_player("ann", None).unwrap(),
        JoinOutcome::Joined { taken: true, .. }
    ));
    store.use_workshop("FRESH").unwrap();
    assert_eq!(store.count().unwrap(), 0);
    let codes: Vec<String> = store
        .workshops()
        .unwrap()
        .into_iter()
        .map(|w| w.code)
        .collect();
    assert_eq!(codes.len(), 2);
}

#[test]
fn the_server_suite_passes_on_sqlite_and_postgresql() {
    server_suite(&TestServer::start(None));
    let pg = ThrowawayPostgres::start("server", Durability::Tests).unwrap();
    let url = pg.database("server_suite").unwrap();
    let server = TestServer::start_full(
        PgStore::connect(&url).unwrap(),
        None,
        "127.0.0.1:0",
        vec![scenario()],
    );
    server_suite(&server);
}

#[test]
fn two_servers_on_one_postgresql_show_each_others_submissions() {
    let pg = ThrowawayPostgres::start("two", Durability::Tests).unwrap();
    let url = pg.database("organisation").unwrap();
    let scenarios = temp_dir("pg-two-scenarios");
    std::fs::write(scenarios.join("small.ron"), SCENARIO_RON).unwrap();
    // One in this process, one the real `kiku serve --db postgres://…`.
    let here = TestServer::start_full(
        PgStore::connect(&url).unwrap(),
        None,
        "127.0.0.1:0",
        vec![scenario()],
    );
    let there = spawn_server_with(Path::new(&url), &scenarios, &["--code", CODE]);
    let mut projector = EventReader::connect(there.addr);
    let before = projector.next_board();
    assert_eq!(before["entries"], 0);
    // A submission to this server shows on the other's projector.
    let accepted = here.client().submit(&submission("Hana", &BEST)).unwrap();
    let seen = loop {
        let board = projector.next_board();
        if board["entries"] == 1 {
            break board;
        }
    };
    assert_eq!(seen["overall"][0]["nickname"], "Hana");
    assert_eq!(seen["overall"][0]["entry"], accepted.entry.id);
    // And the other way round: Hana's name is taken there too.
    // (Without her token: this process's client would offer it, as the
    // same workshop on another server.)
    let other = Client::new(&there.addr.to_string()).unwrap();
    let body = serde_json::to_vec(&json!({"code": CODE, "nickname": "Hana"})).unwrap();
    let (status, refused) = request(
        "POST",
        &format!("http://{}/api/join", there.addr),
        Some(&body),
        None,
    );
    assert_eq!(
        (status, refused["kind"].as_str()),
        (409, Some("nickname_taken"))
    );
    let mut sub = submission("Kai", &WORST);
    sub.code = there.code.clone();
    other.submit(&sub).unwrap();
    let mut events = EventReader::connect(here.addr);
    let board = loop {
        let board = events.next_board();
        if board["entries"] == 2 {
            break board;
        }
    };
    assert_eq!(board["overall"][1]["nickname"], "Kai");

    // The room's state is the database's: locked, frozen, a required mode
    // and a reveal on one server hold on the other.
    let body = serde_json::to_vec(&json!({ "action": "lock" })).unwrap();
    let (status, _) = request("POST", &here.url("/api/control"), Some(&body), Some(TOKEN));
    assert_eq!(status, 200);
    match other.join(&there.code, "Newcomer") {
        Err(SendError::Rejected { kind, .. }) => assert_eq!(kind, "joining_locked"),
        got => panic!("the other server let a new name into a locked room: {got:?}"),
    }
    control(&here, "require_recall");
    let mode = wait_for(|| {
        let mode = other.workshop(CODE).ok()?.mode;
        mode.is_some().then_some(mode)
    });
    assert_eq!(mode, Some(Mode::Recall));
    control(&here, "freeze");
    let frozen = loop {
        let board = projector.next_board();
        if board["frozen"] == true {
            break board;
        }
    };
    assert_eq!(frozen["entries"], 2);
    let mut late = submission("Kai", &BEST);
    late.code = there.code.clone();
    late.mode = Mode::Recall;
    other.submit(&late).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let (_, still) = request(
        "GET",
        &format!("http://{}/api/board", there.addr),
        None,
        None,
    );
    assert_eq!(
        (still["frozen"].as_bool(), still["entries"].as_u64()),
        (Some(true), Some(2))
    );
    control(&here, "reveal");
    let revealed = loop {
        let board = projector.next_board();
        if board["reveal"] == true {
            break board;
        }
    };
    assert_eq!(revealed["recall"]["entries"], 1);
    assert!(revealed.get("frozen").is_none(), "{revealed}");

    // Another workshop on the same database: its own board, names and
    // room, and none of the first one's notices.
    let third = spawn_server_with(Path::new(&url), &scenarios, &["--code", "OTHER9"]);
    let mut third_projector = EventReader::connect(third.addr);
    assert_eq!(third_projector.next_board()["entries"], 0);
    let client3 = Client::new(&third.addr.to_string()).unwrap();
    let joined = client3.join("OTHER9", "Hana").unwrap();
    assert_eq!(joined.mode, None);
    let mut sub = submission("Hana", &WORST);
    sub.code = "OTHER9".into();
    let stored = client3.submit(&sub).unwrap();
    assert_eq!(
        (stored.standing.scenario_of, stored.standing.overall_of),
        (1, 1)
    );
    let own = loop {
        let board = third_projector.next_board();
        if board["entries"] == 1 {
            break board;
        }
    };
    assert_eq!(own["code"], "OTHER9");
    let (_, first_board) = request("GET", &here.url("/api/board"), None, None);
    assert_eq!(first_board["entries"], 2);
    drop(third);
    drop(there);
    let _ = std::fs::remove_dir_all(scenarios);
}
