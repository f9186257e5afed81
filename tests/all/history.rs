//! The history screen: attempts played through the game are read back from
//! the local board and replayed for the talk metrics; no board, a corrupt
//! board, one attempt and many attempts each get a clear screen
//! (egui_kittest), and the title and a scenario card open it.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kiku_core::Mode;
use kiku_core::text::Lang;
use kiku_game::screens::history::{self, Action};
use kiku_game::view::history::{HistoryView, history as view_of};
use kiku_game::{Game, Intent, Library, Screen};

use super::game::{headless, screen, send, temp_dir};

/// Plays the picked scenario to its end: each turn the first reply on
/// offer, or the last when `last` is set.
fn play_through(app: &mut kiku_game::bevy::prelude::App, last: bool) {
    send(app, Intent::Pick(0));
    send(app, Intent::Begin);
    for _ in 0..40 {
        send(app, Intent::SkipTyping);
        let game = app.world().resource::<Game>();
        let session = &game.play.as_ref().unwrap().session;
        if session.is_over() {
            break;
        }
        let offers: Vec<_> = session
            .choices()
            .into_iter()
            .filter(|o| o.enabled)
            .collect();
        let pick = if last { offers.last() } else { offers.first() };
        let id = pick.expect("a reply on offer").id.clone();
        send(app, Intent::Choose(id));
    }
    send(app, Intent::Finish);
    assert_eq!(screen(app), Screen::Debrief);
}

fn when(ms: i64) -> String {
    format!("at {ms}")
}

fn harness(view: Result<HistoryView, String>, lang: Lang) -> Harness<'static, Option<Action>> {
    Harness::builder()
        .with_size(kiku_game::bevy_egui::egui::vec2(1280.0, 720.0))
        .build_ui_state(
            move |ui, action: &mut Option<Action>| {
                if let Some(a) = history::draw(ui, view.as_ref().map_err(String::as_str), lang) {
                    *action = Some(a);
                }
            },
            None,
        )
}

#[test]
fn attempts_played_in_the_game_come_back_with_their_talk() {
    let dir = temp_dir("history");
    let data = temp_dir("history-data");
    let mut app = headless(&dir, &data);

    // No board yet: no attempts, and no board is made by looking.
    let library = app.world().resource::<Library>();
    assert_eq!(history::load(&data, library).unwrap(), vec![]);
    assert!(!kiku_board::local::path_in(&data).exists());

    play_through(&mut app, false);
    send(&mut app, Intent::SetMode(Mode::Recall));
    play_through(&mut app, true);
    send(&mut app, Intent::SetMode(Mode::Choose));

    let library = app.world().resource::<Library>();
    let attempts = history::load(&data, library).unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a.talk.is_some()), "both replay");
    assert_eq!(attempts[1].finished.mode, Mode::Recall);
    let order = vec![("game_sample".to_string(), "Sample".to_string())];
    let v = view_of(&attempts, &order, None, Lang::En, &when);
    let h = &v.scenarios[v.shown.unwrap()];
    assert_eq!(h.attempts.len(), 2);
    assert_eq!(h.first().overall, attempts[0].finished.scores.overall);
    assert_eq!(h.latest().overall, attempts[1].finished.scores.overall);
    assert_eq!(h.latest().mode_label, "own words");
    // The talk counted from the replays matches the turns played.
    let turns = attempts[0].talk.unwrap().turns;
    assert_eq!(turns, attempts[0].finished.choices.len());

    // A scenario card opens the history on its scenario; the title on the
    // one played last.
    send(&mut app, Intent::History(Some(0)));
    assert_eq!(screen(&app), Screen::History);
    assert_eq!(
        app.world().resource::<Game>().history.as_deref(),
        Some("game_sample")
    );
    send(&mut app, Intent::Open(Screen::Title));
    send(&mut app, Intent::History(None));
    assert_eq!(screen(&app), Screen::History);
    assert_eq!(app.world().resource::<Game>().history, None);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_corrupt_board_is_a_clear_message_not_a_panic() {
    let dir = temp_dir("history-corrupt");
    let data = temp_dir("history-corrupt-data");
    let app = headless(&dir, &data);
    let path = kiku_board::local::path_in(&data);
    std::fs::write(&path, b"this is not a database, it was cut off mid-wr").unwrap();
    let library = app.world().resource::<Library>();
    let message = history::load(&data, library).unwrap_err();
    assert!(
        message.en.contains(&path.display().to_string()),
        "{}",
        message.en
    );
    assert!(message.ja.contains("読めませんでした"));
    // The file is left as it was, for the trainee (or support) to look at.
    assert!(std::fs::read(&path).unwrap().starts_with(b"this is not"));

    let mut h = harness(Err(message.en.clone()), Lang::En);
    h.run();
    h.get_by_label("Your records could not be read");
    h.get_by_label_contains("may be damaged");
    h.get_by_label("← Back").click();
    h.run();
    assert_eq!(*h.state(), Some(Action::Go(Intent::Open(Screen::Title))));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

/// Records of the sample played `n` times, alternating two paths, a day
/// apart.
fn sample_attempts(n: usize) -> Vec<kiku_game::view::history::Attempt> {
    let s = super::game::sample();
    let records = (0..n)
        .map(|k| {
            let mut session = kiku_core::Session::start(&s, k as u64 + 1);
            while !session.is_over() {
                let offers: Vec<_> = session
                    .choices()
                    .into_iter()
                    .filter(|o| o.enabled)
                    .collect();
                let pick = if k % 2 == 0 {
                    offers.last()
                } else {
                    offers.first()
                };
                session.choose(&pick.unwrap().id.clone()).unwrap();
            }
            let mut f = kiku_core::Finished::of(&session, 86_400_000 * (k as i64 + 1));
            if k == 1 {
                f.mode = Mode::Recall;
            }
            f
        })
        .collect();
    kiku_game::view::history::attempts(records, |id| (id == s.id).then(|| s.clone()))
}

#[test]
fn kittest_no_attempts_says_how_to_get_some() {
    let v = view_of(&[], &[], None, Lang::Ja, &when);
    let mut h = harness(Ok(v), Lang::Ja);
    h.run();
    h.get_by_label("まだ記録がありません");
    h.get_by_label("シナリオを選ぶ").click();
    h.run();
    assert_eq!(*h.state(), Some(Action::Go(Intent::Open(Screen::Select))));
}

#[test]
fn kittest_one_attempt_is_shown_and_asks_for_another() {
    let attempts = sample_attempts(1);
    let v = view_of(&attempts, &[], None, Lang::En, &when);
    let mut h = harness(Ok(v), Lang::En);
    h.run();
    h.get_by_label("Your attempt");
    h.get_by_label("Play again to compare your first, best and latest attempts.");
    h.get_all_by_label(&format!("{}", attempts[0].finished.scores.overall))
        .next()
        .unwrap();
    assert!(h.query_by_label("Best").is_none());
    h.get_by_label("How your own talk changed");
}

#[test]
fn kittest_many_attempts_compare_first_best_latest_and_switch_scenarios() {
    let mut attempts = sample_attempts(3);
    // A second scenario, no longer in the catalog: its stored title shows.
    let mut other = attempts[0].clone();
    other.finished.scenario = "retired".into();
    other.finished.title = kiku_core::text::Text::new("引退したシナリオ", "A retired scenario");
    other.talk = None;
    attempts.push(other);
    let order = vec![("game_sample".to_string(), "Sample".to_string())];
    let v = view_of(&attempts, &order, Some("game_sample"), Lang::En, &when);
    let mut h = harness(Ok(v), Lang::En);
    h.run();
    for head in [
        "First",
        "Best",
        "Latest",
        "Every attempt",
        "Scores, attempt by attempt",
    ] {
        h.get_by_label(head);
    }
    h.get_by_label("Sample (3)");
    // Every attempt is listed with when it was played and how.
    for k in 1..=3 {
        h.get_all_by_label(&format!("at {}", 86_400_000 * k))
            .next()
            .unwrap();
    }
    h.get_all_by_label("own words").next().unwrap();
    h.get_by_label("A retired scenario (1)").click();
    h.run();
    assert_eq!(*h.state(), Some(Action::Show("retired".into())));

    // Shown: the retired one says its talk cannot be counted.
    let v = view_of(&attempts, &order, Some("retired"), Lang::En, &when);
    let mut h = harness(Ok(v), Lang::En);
    h.run();
    h.get_by_label_contains("no longer replay");
}

#[test]
fn kittest_the_title_opens_the_history() {
    let mut h = Harness::new_ui_state(
        |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::title::draw(ui, Lang::Ja, None) {
                *intent = Some(i);
            }
        },
        None,
    );
    h.run();
    h.get_by_label("これまでの記録").click();
    h.run();
    assert_eq!(*h.state(), Some(Intent::History(None)));
}
