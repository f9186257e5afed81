//! The game in a workshop, end to end against a real `kiku serve` on
//! 127.0.0.1: joining keeps the workshop's seed (also offline, after a
//! restart), the 1on1 starts with it, and the debrief shows the trainee's
//! own rank only, asked privately; with the server gone, kind words. A
//! workshop that requires a mode fixes the briefing's switch and the 1on1.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kiku_game::bevy::prelude::*;

use kiku_board::client::{self, Client};
use kiku_board::rescore::Scenarios;
use kiku_board::server::{self, Config};
use kiku_board::store::Store;
use kiku_core::text::Lang;
use kiku_core::{Mode, Session};
use kiku_game::workshop::{JoinedAs, Workshop, start_join};
use kiku_game::{Game, Intent, Screen, view};

use crate::game::{headless, sample, screen, send, temp_dir};

const CODE: &str = "ROOM42";
/// The seed the test workshop fixes for every scenario.
const WORKSHOP_SEED: u64 = 4242;

/// A server in this process, on an ephemeral loopback port, ranking the
/// game's sample scenario with a fixed seed.
struct RoomServer {
    runtime: tokio::runtime::Runtime,
    server: Option<server::Server>,
    addr: SocketAddr,
}

impl RoomServer {
    fn start() -> RoomServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut scenarios = Scenarios::new(vec![sample()]);
        scenarios.fix_seeds(|_| WORKSHOP_SEED);
        let server = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            server::start_with_store(
                listener,
                Box::new(Store::open_in_memory().unwrap()),
                Config {
                    code: CODE.into(),
                    token: "0123456789abcdef0123456789abcdef".into(),
                    join_url: format!("http://{addr}/"),
                    scenarios,
                    rate_limit: None,
                },
                server::Limits::default(),
            )
            .unwrap()
        });
        let addr = server.addr();
        RoomServer {
            runtime,
            server: Some(server),
            addr,
        }
    }
}

impl Drop for RoomServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await
            });
        }
    }
}

/// Updates the game until `done` (sleeping a little between frames, as
/// the threads answer), at most `limit`.
fn update_until(app: &mut App, limit: Duration, done: impl Fn(&App) -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        app.update();
        if done(app) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn play(app: &mut App, choices: &[&str]) {
    for id in choices {
        send(app, Intent::SkipTyping);
        send(app, Intent::Choose(id.to_string()));
    }
}

fn seed_played(app: &App) -> u64 {
    let game = app.world().resource::<Game>();
    game.play.as_ref().unwrap().session.transcript().seed
}

fn rank_on_debrief(app: &App) -> Option<view::rank::RankView> {
    let game = app.world().resource::<Game>();
    game.debrief.as_ref().and_then(|(_, d)| d.rank.clone())
}

/// Another trainee's 1on1, sent straight to the server.
fn other_player(server: &RoomServer, nickname: &str, choices: &[&str]) -> u32 {
    let scenario = sample();
    let session = Session::replay(&scenario, WORKSHOP_SEED, choices).unwrap();
    let score = kiku_core::score(&scenario, session.transcript());
    let finished = kiku_core::Finished::scored(&session, &score, 0);
    let client = Client::new(&server.addr.to_string()).unwrap();
    client
        .submit(&client::submission(&finished, CODE, nickname))
        .unwrap();
    score.overall
}

fn joined_file(data: &Path) -> JoinedAs {
    serde_json::from_slice(&std::fs::read(data.join("workshop.json")).unwrap()).unwrap()
}

#[test]
fn a_joined_trainee_meets_the_workshop_member_and_sees_only_their_own_rank() {
    let dir = temp_dir("workshop-rank");
    let data = temp_dir("workshop-rank-data");
    let server = RoomServer::start();
    let top = other_player(&server, "ann-wg", &["feel", "reflect", "values", "summary"]);
    let low = other_player(&server, "ben-wg", &["progress"]);

    let mut app = headless(&dir, &data);
    {
        let mut workshop = app.world_mut().resource_mut::<Workshop>();
        workshop.form.server = server.addr.to_string();
        workshop.form.code = CODE.to_lowercase();
        workshop.form.nickname = "aoi-wg".into();
        start_join(&mut workshop, Lang::Ja);
    }
    assert!(
        update_until(&mut app, Duration::from_secs(20), |app| {
            app.world().resource::<Workshop>().joined.is_some()
        }),
        "joined: {:?}",
        app.world().resource::<Workshop>().join_error
    );
    // The workshop's seed is kept with it, for playing offline later.
    assert_eq!(
        joined_file(&data).seed_for("game_sample"),
        Some(WORKSHOP_SEED)
    );

    send(&mut app, Intent::Open(Screen::Select));
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    // The workshop's seed wins over any other (the test game fixes 7).
    assert_eq!(seed_played(&app), WORKSHOP_SEED);
    let ours = ["feel", "silence", "change", "autonomy"];
    play(&mut app, &ours);
    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    let game = app.world().resource::<Game>();
    let overall = game.debrief.as_ref().unwrap().1.overall;

    // The rank arrives from a thread; the debrief fills it in.
    assert!(
        update_until(&mut app, Duration::from_secs(30), |app| {
            rank_on_debrief(app).is_some_and(|r| r.rank.is_some())
        }),
        "no rank: {:?}",
        rank_on_debrief(&app)
    );
    let rank = rank_on_debrief(&app).unwrap();
    let expected = 1 + [top, low].iter().filter(|&&s| s > overall).count();
    assert_eq!(rank.rank, Some(format!("{expected}位 / 3人")), "{rank:?}");
    assert!(rank.text.contains("あなたにだけ"), "{}", rank.text);
    // Only the trainee's own place: nobody else is named.
    for other in ["ann-wg", "ben-wg"] {
        assert!(!format!("{rank:?}").contains(other));
    }

    // The server goes away; the game restarts and still plays the
    // workshop's member; the result waits, and the debrief says so kindly.
    drop(server);
    drop(app);
    let mut app = headless(&dir, &data);
    let workshop = app.world().resource::<Workshop>();
    assert_eq!(workshop.seed_for("game_sample"), Some(WORKSHOP_SEED));
    send(&mut app, Intent::Open(Screen::Select));
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    assert_eq!(seed_played(&app), WORKSHOP_SEED);
    play(&mut app, &ours);
    send(&mut app, Intent::Finish);
    assert!(
        update_until(&mut app, Duration::from_secs(30), |app| {
            rank_on_debrief(app).is_some_and(|r| r.text.contains("自動で送ります"))
        }),
        "{:?}",
        rank_on_debrief(&app)
    );
    assert_eq!(rank_on_debrief(&app).unwrap().rank, None);
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_workshop_that_requires_recall_fixes_the_mode() {
    let dir = temp_dir("workshop-mode");
    let data = temp_dir("workshop-mode-data");
    let mut app = headless(&dir, &data);
    // As the server announces it on joining.
    let joined = kiku_board::server::Joined {
        nickname: "aoi".into(),
        taken: false,
        scenarios: Vec::new(),
        player: String::new(),
        mode: Some(Mode::Recall),
    };
    let mut as_joined = JoinedAs {
        server: "127.0.0.1:9".into(),
        code: CODE.into(),
        nickname: joined.nickname.clone(),
        seeds: Default::default(),
        mode: None,
    };
    as_joined.take_terms(&joined.scenarios, joined.mode);
    app.world_mut().resource_mut::<Workshop>().joined = Some(as_joined);
    assert_eq!(
        app.world().resource::<kiku_game::Settings>().mode,
        Mode::Choose
    );
    send(&mut app, Intent::Open(Screen::Select));
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    let game = app.world().resource::<Game>();
    assert_eq!(game.play.as_ref().unwrap().mode(), Mode::Recall);
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn kittest_the_briefing_fixes_the_mode_a_workshop_requires_and_says_why() {
    let mut b = view::briefing(&sample(), Lang::En);
    b.required_mode = Some(Mode::Recall);
    b.mode = Mode::Recall;
    b.workshop_seed = Some(WORKSHOP_SEED);
    let b = Arc::new(b);
    let mut harness = Harness::new_ui_state(
        {
            let b = Arc::clone(&b);
            move |ui, intent: &mut Option<Intent>| {
                if let Some(i) = kiku_game::screens::briefing::draw(ui, &b, Lang::En) {
                    *intent = Some(i);
                }
            }
        },
        None,
    );
    harness.set_size(kiku_game::bevy_egui::egui::vec2(1280.0, 1200.0));
    harness.run();
    harness.get_by_label_contains("everyone meets the same member");
    harness.get_by_label_contains("This workshop has everyone say it in their own words");
    harness.get_by_label("Choose a reply").click();
    harness.run();
    assert_eq!(*harness.state(), None, "the switch is fixed");
    // Without a workshop the same click switches.
    let free = view::briefing(&sample(), Lang::En);
    let mut harness = Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::briefing::draw(ui, &free, Lang::En) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.set_size(kiku_game::bevy_egui::egui::vec2(1280.0, 1200.0));
    harness.run();
    assert!(
        harness
            .query_by_label_contains("everyone meets the same member")
            .is_none()
    );
    harness.get_by_label("Say it in your own words").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::SetMode(Mode::Recall)));
}

#[test]
fn kittest_the_debrief_shows_the_own_rank_big_and_nothing_else() {
    let scenario = sample();
    let session = Session::replay(&scenario, 1, &["feel", "reflect", "values", "summary"]).unwrap();
    let score = kiku_core::score(&scenario, session.transcript());
    let mut d = view::debrief(&session, &score, Lang::Ja, Some(&[]));
    d.rank = Some(view::rank::rank_view(
        &kiku_game::workshop::RankState::Ranked(kiku_board::protocol::MyRank {
            nickname: "aoi".into(),
            scenario: "game_sample".into(),
            mode: Mode::Choose,
            rank: Some(5),
            of: 23,
            score: Some(score.overall),
            overall_rank: Some(4),
            overall_of: 23,
            total: score.overall,
        }),
        Lang::Ja,
    ));
    let mut harness = Harness::new_ui(move |ui| {
        kiku_game::screens::debrief::draw(ui, &d, Lang::Ja);
    });
    harness.set_size(kiku_game::bevy_egui::egui::vec2(1280.0, 900.0));
    harness.run();
    harness.get_by_label("5位 / 23人");
    harness.get_by_label("ワークショップでのあなたの順位");
}

/// A 1on1 left unfinished in choose mode, resumed after the joined
/// workshop began to require recall: the trainee's turns are kept and it
/// plays on as it was started, the title's resume says the result will
/// not go to the workshop, and it is not sent (the server would refuse
/// it); the debrief says why, kindly, and the result is in the records.
#[test]
fn a_resumed_1on1_in_a_mode_the_workshop_no_longer_takes_is_kept_not_sent() {
    let dir = temp_dir("workshop-resume-mode");
    let data = temp_dir("workshop-resume-mode-data");
    {
        let mut app = headless(&dir, &data);
        send(&mut app, Intent::Open(Screen::Select));
        send(&mut app, Intent::Pick(0));
        send(&mut app, Intent::Begin);
        play(&mut app, &["feel", "silence"]);
        // Dropped mid-way: a crash or a closed window.
    }
    let joined = JoinedAs {
        // Nothing listens there: the saved terms hold.
        server: "127.0.0.1:9".into(),
        code: CODE.into(),
        nickname: "aoi".into(),
        seeds: Default::default(),
        mode: Some(Mode::Recall),
    };
    std::fs::write(
        data.join("workshop.json"),
        serde_json::to_vec(&joined).unwrap(),
    )
    .unwrap();

    let mut app = headless(&dir, &data);
    assert_eq!(
        app.world().resource::<Workshop>().required_mode(),
        Some(Mode::Recall)
    );
    send(&mut app, Intent::Resume);
    assert_eq!(screen(&app), Screen::Conversation);
    {
        let game = app.world().resource::<Game>();
        assert_eq!(game.play.as_ref().unwrap().mode(), Mode::Choose);
        assert!(
            game.notices
                .iter()
                .any(|n| n.get(Lang::Ja).contains("ワークショップには送られません")),
            "{:?}",
            game.notices
        );
    }
    play(&mut app, &["change", "autonomy"]);
    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    let rank = rank_on_debrief(&app).expect("the workshop card");
    assert!(rank.text.contains("違うモード"), "{rank:?}");
    assert!(
        rank.detail
            .as_deref()
            .is_some_and(|d| d.starts_with("wrong_mode")),
        "{rank:?}"
    );
    assert!(!rank.waiting);
    // Not queued for the server; kept in the trainee's own records.
    let outbox =
        std::fs::read_to_string(data.join(kiku_game::workshop::OUTBOX)).unwrap_or_default();
    assert!(!outbox.contains("game_sample"), "{outbox}");
    let local = std::fs::read(kiku_board::local::path_in(&data)).unwrap();
    assert!(local.windows(11).any(|w| w == b"game_sample"));
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}
