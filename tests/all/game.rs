//! The game: headless App tests driven by intents, egui_kittest tests of the
//! conversation and debrief views, hot reload, and the end-to-end screenshot
//! walk of the real binary under Xvfb.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kiku_game::bevy::prelude::*;
use kiku_game::bevy::state::app::StatesPlugin;
use kiku_game::bevy_egui::egui;

use kiku_board::local;
use kiku_board::store::Store;
use kiku_core::Session;
use kiku_core::text::Lang;
use kiku_game::catalog::Catalog;
use kiku_game::dev::hot_reload;
use kiku_game::prefs::Prefs;
use kiku_game::{Config, Game, Intent, Library, Screen, Settings, view};

const SAMPLE: &str = include_str!("../fixtures/sample.ron");

pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiku-game-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A headless game (no window, no drawing) on the sample scenario in `dir`.
pub(crate) fn headless(dir: &Path, data: &Path) -> App {
    std::fs::write(dir.join("sample.ron"), SAMPLE).unwrap();
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin))
        .insert_resource(Config {
            data_dir: Some(data.to_path_buf()),
            force_preview: false,
            seed: Some(7),
        })
        .insert_resource(Settings(Prefs {
            lang: Lang::Ja,
            reading_speed: 30,
            ..Prefs::default()
        }))
        .insert_resource(Library {
            catalog: Catalog::load(vec![dir.to_path_buf()]),
            records: Default::default(),
        })
        .add_plugins(kiku_game::logic_plugin);
    app.update();
    app
}

pub(crate) fn send(app: &mut App, intent: Intent) {
    app.world_mut().write_message(intent);
    // One update applies the intent, the next enters the new state.
    app.update();
    app.update();
}

pub(crate) fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

#[test]
fn a_session_goes_through_every_screen_by_intents() {
    let dir = temp_dir("flow");
    let data = temp_dir("flow-data");
    let mut app = headless(&dir, &data);
    assert_eq!(screen(&app), Screen::Title);
    send(&mut app, Intent::Open(Screen::Settings));
    assert_eq!(screen(&app), Screen::Settings);
    send(&mut app, Intent::Open(Screen::Leaderboard));
    assert_eq!(screen(&app), Screen::Leaderboard);
    send(&mut app, Intent::Open(Screen::Select));
    assert_eq!(screen(&app), Screen::Select);
    send(&mut app, Intent::Pick(0));
    assert_eq!(screen(&app), Screen::Briefing);
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Conversation);

    // Choices are refused while the member's line is still appearing.
    send(&mut app, Intent::Choose("feel".into()));
    let game = app.world().resource::<Game>();
    assert_eq!(game.play.as_ref().unwrap().session.turn_count(), 0);
    for id in ["feel", "reflect", "values", "summary"] {
        send(&mut app, Intent::SkipTyping);
        send(&mut app, Intent::Choose(id.into()));
    }
    let game = app.world().resource::<Game>();
    let play = game.play.as_ref().unwrap();
    assert!(play.session.is_over());
    assert_eq!(play.session.transcript().seed, 7);

    // The finished session is recorded once, as one Finished record, in the
    // local board and in the scenario card's record.
    let saved = Store::open(&local::path_in(&data))
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        saved[0].finished.choices,
        ["feel", "reflect", "values", "summary"]
    );
    assert_eq!(saved[0].finished.seed, 7);
    let records = local::records(&local::path_in(&data)).unwrap();
    assert_eq!(records["game_sample"].plays, 1);
    let library = app.world().resource::<Library>();
    assert_eq!(library.records["game_sample"], records["game_sample"]);
    // More updates record nothing more.
    app.update();
    app.update();
    assert_eq!(
        local::records(&local::path_in(&data)).unwrap()["game_sample"].plays,
        1
    );

    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    let game = app.world().resource::<Game>();
    let (lang, debrief) = game.debrief.as_ref().expect("debrief built");
    assert_eq!(*lang, Lang::Ja);
    assert_eq!(debrief.turns.len(), 4);
    assert_eq!(debrief.overall, saved[0].finished.scores.overall);
    assert!(
        debrief.overall >= 60,
        "a listening path scores well: {}",
        debrief.overall
    );

    // The debrief follows a language change.
    let prefs = Prefs {
        lang: Lang::En,
        ..app.world().resource::<Settings>().0
    };
    send(&mut app, Intent::SetPrefs(prefs));
    let game = app.world().resource::<Game>();
    assert_eq!(game.debrief.as_ref().unwrap().0, Lang::En);
    assert!(data.join("settings.json").exists());

    send(&mut app, Intent::PlayAgain);
    assert_eq!(screen(&app), Screen::Conversation);
    assert_eq!(
        app.world()
            .resource::<Game>()
            .play
            .as_ref()
            .unwrap()
            .session
            .turn_count(),
        0
    );
    send(&mut app, Intent::Leave);
    assert_eq!(screen(&app), Screen::Select);
    // Leaving mid-way saves nothing.
    assert_eq!(
        local::records(&local::path_in(&data)).unwrap()["game_sample"].plays,
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_broken_file_is_an_error_card_and_the_others_play() {
    let dir = temp_dir("broken");
    let data = temp_dir("broken-data");
    std::fs::write(
        dir.join("zz_broken.ron"),
        "Scenario(\n  id: \"x\",\n  title: 5,\n)",
    )
    .unwrap();
    let mut app = headless(&dir, &data);
    let library = app.world().resource::<Library>();
    let cards = view::cards(&library.catalog, &library.records, Lang::En);
    assert_eq!(cards.len(), 2);
    match &cards[1] {
        view::Card::Broken { file, errors } => {
            assert_eq!(file, "zz_broken.ron");
            assert!(errors[0].contains("zz_broken.ron:3:"), "{errors:?}");
        }
        other => panic!("{other:?}"),
    }
    // Picking the broken one does nothing; the good one plays.
    send(&mut app, Intent::Pick(1));
    assert_eq!(screen(&app), Screen::Title);
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Conversation);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn a_legacy_history_is_imported_once_on_start() {
    let data = temp_dir("legacy-data");
    std::fs::write(
        data.join("history.json"),
        r#"{"format": "kiku.history/1", "entries": [{"scenario": "game_sample",
            "scenario_hash": "h", "seed": 3, "finished_at": 1700000000, "overall": 64,
            "axes": [70, 60, 50, 80], "ending": "opened", "choices": ["feel"]}]}"#,
    )
    .unwrap();
    let args = kiku_game::GameArgs {
        scenarios: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")),
        ..Default::default()
    };
    let (_, _, library, notices) = kiku_game::setup(&args, Some(data.clone()));
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(library.records["game_sample"].best, Some(64));
    assert!(data.join("history.json.imported").exists());
    assert!(!data.join("history.json").exists());
    // The next start reads the same record from the local board alone.
    let (_, _, again, _) = kiku_game::setup(&args, Some(data.clone()));
    assert_eq!(again.records["game_sample"].plays, 1);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn corrupt_settings_and_history_are_moved_aside_with_a_message() {
    let data = temp_dir("corrupt-data");
    std::fs::write(data.join("settings.json"), "{\"lang\": ").unwrap();
    std::fs::write(data.join("history.json"), [0xff, 0x00, 0x13]).unwrap();
    let args = kiku_game::GameArgs {
        scenarios: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")),
        lang: Some(Lang::En),
        ..Default::default()
    };
    let (_, settings, library, notices) = kiku_game::setup(&args, Some(data.clone()));
    assert_eq!(settings.lang, Lang::En);
    assert!(library.records.is_empty());
    assert_eq!(notices.len(), 2, "{notices:?}");
    // Said in both languages (the Japanese screen once showed English).
    assert!(
        notices
            .iter()
            .all(|n| n.en.contains("moved") && n.ja.contains("移して")),
        "{notices:?}"
    );
    let moved = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .count();
    assert_eq!(moved, 2);
    assert_eq!(library.catalog.first_playable(), Some(0));
    let _ = std::fs::remove_dir_all(&data);
}

/// Updates `app` until `done` holds or `limit` passes; returns the time taken.
fn wait_for(app: &mut App, limit: Duration, done: impl Fn(&App) -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        app.update();
        if done(app) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn hot_reload_keeps_the_place_and_survives_a_broken_edit() {
    let dir = temp_dir("hot");
    let data = temp_dir("hot-data");
    let mut app = headless(&dir, &data);
    let watcher = hot_reload::watch(std::slice::from_ref(&dir), || {});
    app.insert_resource(watcher)
        .add_systems(Update, hot_reload::apply_changes);
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    send(&mut app, Intent::SkipTyping);
    send(&mut app, Intent::Choose("feel".into()));

    // An edit of the text: reloaded within a second, same place.
    let file = dir.join("sample.ron");
    std::fs::write(
        &file,
        SAMPLE.replace("見えない行き先", "見えない行き先(改)"),
    )
    .unwrap();
    let took = wait_for(&mut app, Duration::from_secs(3), |app| {
        let game = app.world().resource::<Game>();
        game.play.as_ref().unwrap().session.scenario().title.ja == "見えない行き先(改)"
    })
    .expect("the edit was reloaded");
    assert!(took < Duration::from_secs(1), "reload took {took:?}");
    let game = app.world().resource::<Game>();
    let play = game.play.as_ref().unwrap();
    assert_eq!(play.session.transcript().choice_ids(), ["feel"]);
    assert_eq!(play.session.node_id(), Some("moya"));

    // A broken edit: an overlay with file:line:column, the last good version plays on.
    std::fs::write(
        &file,
        SAMPLE.replacen("start: \"open\"", "start: \"nowhere\"", 1),
    )
    .unwrap();
    wait_for(&mut app, Duration::from_secs(3), |app| {
        !app.world().resource::<Game>().reload_errors.is_empty()
    })
    .expect("the broken edit was reported");
    let game = app.world().resource::<Game>();
    let error = &game.reload_errors[0];
    assert!(
        error.contains("sample.ron:") && error.contains("nowhere"),
        "{error}"
    );
    assert!(game.play.is_some());
    send(&mut app, Intent::Leave);
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Conversation);

    // Restoring the last good content clears the overlay (nothing is
    // "updated" then: the overlay once stayed).
    std::fs::write(
        &file,
        SAMPLE.replace("見えない行き先", "見えない行き先(改)"),
    )
    .unwrap();
    wait_for(&mut app, Duration::from_secs(3), |app| {
        app.world().resource::<Game>().reload_errors.is_empty()
    })
    .expect("the fix cleared the overlay");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn preview_works_on_every_bundled_scenario() {
    let loaded = kiku_core::load::load_all(&[kiku_core::load::bundled_dir()]);
    assert!(!loaded.is_empty(), "no bundled scenarios");
    for file in loaded {
        let Some(scenario) = file.scenario else {
            panic!("{}", file.render());
        };
        for seed in [1, 2, 3] {
            let mut session = Session::start(&scenario, seed);
            let mut turn = 0;
            while !session.is_over() && turn < 80 {
                for lang in Lang::ALL {
                    let mut typing = view::Typing::start(view::current_line_chars(&session, lang));
                    typing.skip();
                    let v = view::conversation(&session, typing, lang, true);
                    let preview = v.preview.as_ref().expect("preview panel");
                    assert_eq!(Some(preview.node.as_str()), session.node_id());
                    assert_eq!(preview.stats.len(), 3);
                    assert!(!v.choices.is_empty(), "{}: no replies", scenario.id);
                    assert!(
                        v.choices
                            .iter()
                            .all(|c| c.act.as_ref().is_some_and(|a| !a.is_empty()))
                    );
                    let plain = view::conversation(&session, typing, lang, false);
                    assert!(
                        plain.preview.is_none() && plain.choices.iter().all(|c| c.act.is_none())
                    );
                }
                let offers: Vec<_> = session
                    .choices()
                    .into_iter()
                    .filter(|o| o.enabled)
                    .collect();
                let pick = &offers[(turn + seed as usize) % offers.len()];
                session.choose(&pick.id).expect("an enabled reply");
                turn += 1;
            }
            assert!(
                session.is_over(),
                "{} seed {seed}: no ending in 80 turns",
                scenario.id
            );
        }
    }
}

pub(crate) fn sample() -> std::sync::Arc<kiku_core::Scenario> {
    let loaded = kiku_core::load::load_str(Path::new("sample.ron"), SAMPLE.to_string());
    loaded.scenario.expect("sample loads")
}

pub(crate) fn conversation_harness(
    view: view::Conversation,
    lang: Lang,
) -> Harness<'static, Option<Intent>> {
    Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::conversation::draw(ui, &view, lang) {
                *intent = Some(i);
            }
        },
        None,
    )
}

#[test]
fn kittest_conversation_click_a_reply_by_its_label() {
    let session = Session::start(&sample(), 1);
    let mut typing = view::Typing::start(view::current_line_chars(&session, Lang::En));
    typing.skip();
    let v = view::conversation(&session, typing, Lang::En, false);
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    // Acts are hidden during play.
    assert!(harness.query_by_label_contains("[").is_none());
    harness
        .get_by_label_contains("How have you been feeling about your work lately?")
        .click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Choose("feel".into())));

    // Number keys pick a reply.
    // Replies are shown shuffled: press the number shown beside this one.
    let v = view::conversation(&session, typing, Lang::En, false);
    let number = v
        .choices
        .iter()
        .find(|c| c.id == "advice_early")
        .expect("offered")
        .number;
    let key = egui::Key::from_name(&number.to_string()).expect("a number key");
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    harness.key_press(key);
    harness.run();
    assert_eq!(
        *harness.state(),
        Some(Intent::Choose("advice_early".into()))
    );
}

#[test]
fn kittest_preview_shows_acts_and_typing_can_be_skipped() {
    let session = Session::start(&sample(), 1);
    let typing = view::Typing::start(view::current_line_chars(&session, Lang::Ja));
    let v = view::conversation(&session, typing, Lang::Ja, false);
    assert!(v.typing);
    let mut harness = conversation_harness(v, Lang::Ja);
    harness.run_steps(2);
    harness.key_press(egui::Key::Space);
    harness.run_steps(2);
    assert_eq!(*harness.state(), Some(Intent::SkipTyping));

    let mut done = typing;
    done.skip();
    let v = view::conversation(&session, done, Lang::En, true);
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    harness.get_by_label_contains("[advise]");
    harness.get_by_label_contains("Node: open");
}

#[test]
fn kittest_debrief_reads_the_score() {
    let session = Session::replay(&sample(), 1, &["advice_early", "wrap"]).unwrap();
    let better = view::better_choices(&sample(), 1, session.transcript());
    let d = view::debrief(
        &session,
        &kiku_core::score(session.scenario(), session.transcript()),
        Lang::En,
        Some(&better),
    );
    let overall = d.overall.to_string();
    let mut harness = Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::debrief::draw(ui, &d, Lang::En) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.set_size(egui::vec2(1280.0, 2400.0));
    harness.run();
    harness.get_by_label("Overall");
    // The overall is shown (an axis may share its number).
    assert!(harness.get_all_by_label(&overall).count() >= 1);
    harness.get_by_label("The turns that cost the most");
    assert!(
        harness
            .get_all_by_label_contains("What would have been better")
            .count()
            > 0
    );
    assert!(harness.get_all_by_label_contains("Inner voice").count() > 0);
    assert!(harness.get_all_by_label_contains(" advise ").count() > 0);
    harness.get_by_label("Play again").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::PlayAgain));
}

#[test]
fn kittest_a_broken_edit_shows_its_location_in_an_overlay() {
    let errors = vec!["scenarios/x.ron:12:7: error: unknown node `nowhere`".to_string()];
    let mut harness = Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::theme::draw_overlays(ui.ctx(), &errors, &[], Lang::En) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.set_size(egui::vec2(1024.0, 600.0));
    harness.run();
    harness.get_by_label_contains("x.ron:12:7");
    harness.get_by_label("The last good version stays playable.");
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::DismissReload));
}

/// Decodes a PNG and counts its distinct colours (a blank picture has one).
fn distinct_colours(path: &Path) -> usize {
    use kiku_game::bevy::asset::RenderAssetUsages;
    use kiku_game::bevy::image::{CompressedImageFormats, Image, ImageSampler, ImageType};
    let bytes = std::fs::read(path).unwrap();
    let image = Image::from_buffer(
        &bytes,
        ImageType::Extension("png"),
        CompressedImageFormats::NONE,
        true,
        ImageSampler::Default,
        RenderAssetUsages::default(),
    )
    .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
    let data = image.data.expect("pixels");
    let mut colours: Vec<&[u8]> = data.chunks(4).step_by(7).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[test]
fn end_to_end_screenshots_under_xvfb() {
    let xvfb = std::process::Command::new("xvfb-run")
        .arg("--help")
        .output();
    assert!(
        xvfb.is_ok(),
        "xvfb-run is missing: install the packages xvfb and xauth (./.ci/test does) to run the end-to-end screenshot test"
    );
    let dir = temp_dir("screenshots");
    let output = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_kiku"))
        .arg("--screenshots")
        .arg(&dir)
        .env("KIKU_DATA_DIR", dir.join("data"))
        .output()
        .expect("xvfb-run runs");
    assert!(
        output.status.success(),
        "kiku --screenshots failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let screens = [
        "1-title",
        "2-select",
        "3-briefing",
        "4-conversation",
        "5-debrief",
        "6-settings",
        "7-ranking",
        "8-reload-error",
        "9-small-select",
        "9-small-briefing",
        "9-small-conversation",
        "9-small-settings",
        "10-briefing-recall",
        "10-recall-text-box",
        "11-recall-heard-as",
        "11-recall-heard-as-nothing",
        "12-recall-debrief",
        "13-follow-up-briefing",
        "14-large-title",
        "14-large-select",
        "14-large-briefing",
        "14-large-conversation",
        "14-large-settings",
        "14-history",
        "14-history-other",
        "14-small-history",
        "15-follow-up-briefing-own",
        "15-series-debrief",
        "15-series-view",
    ];
    for lang in ["ja", "en"] {
        for screen in screens {
            let path = dir.join(format!("{lang}-{screen}.png"));
            assert!(path.exists(), "{} is missing", path.display());
            let colours = distinct_colours(&path);
            assert!(
                colours > 8,
                "{} looks blank ({colours} colours)",
                path.display()
            );
        }
    }
    // Screenshots never write the player's files.
    assert!(!dir.join("data").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kittest_enter_starts_the_1on1_from_the_briefing() {
    let b = view::briefing(&sample(), Lang::En);
    let mut harness = Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::briefing::draw(ui, &b, Lang::En) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Begin));
}

#[test]
fn authored_straight_quotes_are_shown_curly() {
    assert_eq!(view::typeset(r#"She said "fine"."#), "She said “fine”.");
}

#[test]
fn kittest_leaving_mid_1on1_asks_first() {
    let mut session = Session::start(&sample(), 1);
    session.choose("feel").unwrap();
    let mut typing = view::Typing::start(view::current_line_chars(&session, Lang::En));
    typing.skip();
    let v = view::conversation(&session, typing, Lang::En, false);
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    harness.get_by_label("Leave").click();
    harness.run();
    assert_eq!(*harness.state(), None, "the first click only asks");
    harness.get_by_label_contains("will not be recorded");
    harness.get_by_label("Stay").click();
    harness.run();
    assert_eq!(*harness.state(), None);
    harness.get_by_label("Leave").click();
    harness.run();
    harness.get_by_label("Leave").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Leave));
}

/// Issue 13 #5: at the largest text size the settings' reading speeds ran
/// past the window's right edge ("All at once" cut), in the usual window
/// and the smallest one.
#[test]
fn kittest_settings_fit_the_window_at_the_largest_text_size() {
    for width in [1280.0, 1024.0] {
        let prefs = Prefs {
            lang: Lang::En,
            text_scale: *kiku_game::prefs::TEXT_SCALES.last().unwrap(),
            ..Prefs::default()
        };
        let mut harness = Harness::new_ui(move |ui| {
            kiku_game::theme::fonts::install(ui.ctx());
            kiku_game::theme::fonts::apply_style(ui.ctx(), prefs.text_scale);
            kiku_game::screens::settings::draw(ui, &prefs, None, false);
        });
        harness.set_size(egui::vec2(width, 720.0));
        harness.run();
        for label in ["All at once", "60 chars/s", "A++", "English"] {
            let right = harness.get_by_label(label).rect().right();
            assert!(right <= width, "at {width}: {label} ends at {right}");
        }
    }
}
