//! Recall mode in the game: a 1on1 said in the trainee's own words, driven
//! by intents (heard, "not what I meant", heard as nothing, the last reply
//! taken back, the record and the debrief), the text box under
//! egui_kittest (IME composition and commit, paste, Enter), and resuming a
//! 1on1 cut off by a crash.

use egui_kittest::kittest::Queryable as _;
use kiku_core::Mode;
use kiku_core::text::Lang;
use kiku_game::bevy::prelude::*;
use kiku_game::bevy_egui::egui;
use kiku_game::finish::OneOnOneFinished;
use kiku_game::prefs::Prefs;
use kiku_game::state::Settled;
use kiku_game::{Game, Intent, Screen, Settings, view};

use super::game::{conversation_harness, headless, sample, screen, send, temp_dir};

/// Every finished record the game sent (only this file's one headless test
/// writes here).
static SENT: std::sync::Mutex<Vec<kiku_core::Finished>> = std::sync::Mutex::new(Vec::new());

fn collect(mut finished: MessageReader<OneOnOneFinished>) {
    let mut sent = SENT.lock().unwrap();
    sent.extend(finished.read().map(|f| f.0.clone()));
}

fn sent() -> Vec<kiku_core::Finished> {
    SENT.lock().unwrap().clone()
}

fn turns(app: &App) -> Vec<String> {
    let game = app.world().resource::<Game>();
    game.play
        .as_ref()
        .unwrap()
        .session
        .transcript()
        .choice_ids()
}

fn say(app: &mut App, words: &str) {
    send(app, Intent::SkipTyping);
    send(app, Intent::Say(words.into()));
}

#[test]
fn a_recall_1on1_is_heard_corrected_recorded_and_debriefed() {
    let dir = temp_dir("recall");
    let data = temp_dir("recall-data");
    let mut app = headless(&dir, &data);
    app.add_systems(Update, collect);

    // The briefing's switch is a setting, kept for next time.
    send(&mut app, Intent::SetMode(Mode::Recall));
    assert_eq!(app.world().resource::<Settings>().mode, Mode::Recall);
    assert!(data.join("settings.json").exists());
    send(&mut app, Intent::Pick(0));
    send(&mut app, Intent::Begin);
    assert_eq!(screen(&app), Screen::Conversation);

    // Words are refused while the member is still speaking.
    send(&mut app, Intent::Say("最近の仕事、どう感じてる?".into()));
    assert!(turns(&app).is_empty());

    // Heard: the member answers the reply the words meant.
    say(&mut app, "最近の仕事、どう感じてる?");
    assert_eq!(turns(&app), ["feel"]);
    {
        let game = app.world().resource::<Game>();
        let recall = game.play.as_ref().unwrap().recall.as_ref().unwrap();
        assert_eq!(recall.said.len(), 1);
        assert_eq!(recall.said[0].settled, Settled::Heard);
        assert_eq!(recall.said[0].text, "最近の仕事、どう感じてる?");
        assert!(recall.said[0].candidates.len() >= 3);
    }

    // "Not what I meant": the reply is taken back and another said.
    send(&mut app, Intent::Mean("nod".into()));
    assert_eq!(turns(&app), ["nod"]);
    {
        let game = app.world().resource::<Game>();
        let recall = game.play.as_ref().unwrap().recall.as_ref().unwrap();
        assert_eq!(recall.said[0].settled, Settled::Corrected);
        assert_eq!(recall.said[0].candidates[0], "nod");
    }

    // Heard as nothing: nothing is said until the trainee picks.
    say(&mut app, "qqq zzz xkcd");
    assert_eq!(turns(&app), ["nod"]);
    {
        let game = app.world().resource::<Game>();
        let recall = game.play.as_ref().unwrap().recall.as_ref().unwrap();
        assert_eq!(recall.unclear.as_ref().unwrap().text, "qqq zzz xkcd");
    }
    send(&mut app, Intent::Mean("reflect".into()));
    assert_eq!(turns(&app), ["nod", "reflect"]);

    say(&mut app, "これまでで、どんなときにやりがいを感じた?");
    assert_eq!(turns(&app), ["nod", "reflect", "values"]);
    say(
        &mut app,
        "役に立てているっていう実感が、佐藤さんにとって大事なことなんだね",
    );
    assert_eq!(turns(&app), ["nod", "reflect", "values", "summary"]);
    // The last reply can still be taken back: nothing is recorded yet.
    assert!(sent().is_empty());
    send(&mut app, Intent::Mean("autonomy".into()));
    assert_eq!(turns(&app), ["nod", "reflect", "values", "autonomy"]);

    // Leaving the end records it once, as a recall-mode record.
    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    app.update();
    let sent = sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mode, Mode::Recall);
    assert_eq!(sent[0].choices, ["nod", "reflect", "values", "autonomy"]);

    // The debrief shows the trainee's own words beside the reply heard.
    let game = app.world().resource::<Game>();
    let (_, debrief) = game.debrief.as_ref().expect("debrief built");
    let said: Vec<_> = debrief.turns.iter().map(|t| t.said.clone()).collect();
    assert_eq!(said[1].as_ref().unwrap().text, "qqq zzz xkcd");
    assert!(said[0].as_ref().unwrap().settled.is_some(), "corrected");
    assert!(said[1].as_ref().unwrap().settled.is_some(), "picked");
    assert!(said[2].as_ref().unwrap().settled.is_none(), "heard");
    // A question heard as a question is not flagged.
    assert!(said[2].as_ref().unwrap().other_act.is_none());

    // Choose mode again: a new 1on1 shows the menu.
    send(&mut app, Intent::SetMode(Mode::Choose));
    send(&mut app, Intent::PlayAgain);
    let game = app.world().resource::<Game>();
    assert!(game.play.as_ref().unwrap().recall.is_none());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

/// The conversation at its first menu in recall mode.
fn recall_view(lang: Lang) -> view::Conversation {
    let session = kiku_core::Session::start(&sample(), 1);
    let mut typing = view::Typing::start(view::current_line_chars(&session, lang));
    typing.skip();
    let mut v = view::conversation(&session, typing, lang, false);
    v.recall = Some(view::RecallView::default());
    v
}

#[test]
fn kittest_the_text_box_takes_ime_commits_and_paste_and_enter_says_it() {
    let mut harness = conversation_harness(recall_view(Lang::Ja), Lang::Ja);
    harness.run();
    // No menu in recall mode, and the number keys type, they do not choose.
    assert!(
        harness
            .query_by_label_contains("最近の仕事、どんなふうに感じてる?")
            .is_none()
    );
    harness.key_press(egui::Key::Num1);
    harness.run();
    assert_eq!(*harness.state(), None);

    // The box has focus: an IME composes, commits, and a paste follows.
    harness
        .input_mut()
        .events
        .push(egui::Event::Ime(egui::ImeEvent::Preedit {
            text: "きもち".into(),
            active_range_chars: None,
        }));
    harness.run();
    harness
        .input_mut()
        .events
        .push(egui::Event::Ime(egui::ImeEvent::Commit("気持ち".into())));
    // Enter in the same frame as the commit confirms the IME, not the reply.
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(*harness.state(), None);
    harness
        .input_mut()
        .events
        .push(egui::Event::Paste("、どう?".into()));
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Say("気持ち、どう?".into())));
}

#[test]
fn kittest_not_what_i_meant_offers_the_next_two() {
    let session = kiku_core::Session::replay(&sample(), 1, &["feel".to_string()]).expect("replays");
    let mut v = view::conversation(&session, view::Typing::start(0), Lang::En, false);
    v.recall = Some(view::RecallView {
        heard: Some(view::HeardView {
            typed: "how do you feel about work".into(),
            line: "How have you been feeling about your work lately?".into(),
            act: "open question".into(),
            corrected: false,
            others: vec![
                view::ChoiceView {
                    number: 1,
                    id: "nod".into(),
                    text: "Mm-hm. Going fine, then.".into(),
                    enabled: true,
                    act: None,
                },
                view::ChoiceView {
                    number: 2,
                    id: "progress".into(),
                    text: "By the way, how's that project going?".into(),
                    enabled: true,
                    act: None,
                },
            ],
        }),
        unclear: None,
        notice: None,
    });
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    harness.get_by_label_contains("Heard as:");
    assert!(
        harness
            .query_by_label_contains("Going fine, then")
            .is_none()
    );
    // One key opens the two next candidates.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label_contains("Going fine, then").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Mean("nod".into())));
}

#[test]
fn kittest_words_heard_as_nothing_offer_the_closest() {
    let mut v = recall_view(Lang::En);
    let closest = v.choices.iter().take(3).cloned().collect::<Vec<_>>();
    let want = closest[2].id.clone();
    v.recall = Some(view::RecallView {
        heard: None,
        unclear: Some(("lovely weather".into(), closest.clone())),
        notice: None,
    });
    let mut harness = conversation_harness(v, Lang::En);
    harness.run();
    harness.get_by_label_contains("could not hear “lovely weather”");
    harness.get_by_label_contains(&closest[2].text).click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Mean(want)));
}

#[test]
fn the_setting_survives_a_restart() {
    let dir = temp_dir("recall-prefs");
    let prefs = Prefs {
        mode: Mode::Recall,
        ..Prefs::default()
    };
    kiku_game::prefs::save(&dir, &prefs).unwrap();
    assert_eq!(kiku_game::prefs::load(Some(&dir)).0.mode, Mode::Recall);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_1on1_cut_off_by_a_crash_resumes_where_it_stopped() {
    let dir = temp_dir("resume");
    let data = temp_dir("resume-data");
    {
        let mut app = headless(&dir, &data);
        send(&mut app, Intent::SetMode(Mode::Recall));
        send(&mut app, Intent::Pick(0));
        send(&mut app, Intent::Begin);
        say(&mut app, "最近の仕事、どう感じてる?");
        send(&mut app, Intent::Mean("nod".into()));
        say(&mut app, "このままでいいのか、モヤモヤしてるんだね");
        assert_eq!(turns(&app).len(), 2);
        // The app is dropped here without leaving: a crash or a closed window.
    }
    let saved = kiku_game::resume::load(&data).unwrap().expect("saved");
    assert_eq!(saved.choices.len(), 2);
    assert_eq!(saved.said.len(), 2);

    let mut app = headless(&dir, &data);
    let offered = app.world().resource::<Game>().resumable.clone();
    assert_eq!(
        offered.as_ref().map(|u| u.choices.clone()),
        Some(saved.choices.clone())
    );
    send(&mut app, Intent::Resume);
    assert_eq!(screen(&app), Screen::Conversation);
    assert_eq!(turns(&app), saved.choices);
    {
        let game = app.world().resource::<Game>();
        let play = game.play.as_ref().unwrap();
        assert_eq!(play.mode(), Mode::Recall);
        let said = &play.recall.as_ref().unwrap().said;
        assert_eq!(said[0].settled, Settled::Corrected);
        assert_eq!(said[1].text, "このままでいいのか、モヤモヤしてるんだね");
    }
    // It plays on and, once recorded, nothing is left to resume.
    say(&mut app, "これまでで、どんなときにやりがいを感じた?");
    say(&mut app, "役に立てている実感が、大事なんだね");
    assert!(kiku_game::resume::load(&data).unwrap().is_some());
    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(kiku_game::resume::load(&data).unwrap().is_none());

    // A corrupt file is moved aside with a message; nothing is offered.
    std::fs::write(kiku_game::resume::path_in(&data), "{\"scenario\": 3").unwrap();
    let app = headless(&dir, &data);
    let game = app.world().resource::<Game>();
    assert!(game.resumable.is_none());
    assert!(!game.notices.is_empty());
    assert!(!kiku_game::resume::path_in(&data).exists());

    // One that no longer replays (the scenario changed) says so and goes.
    let mut stale = saved.clone();
    stale.choices = vec!["no_such_reply".into()];
    kiku_board::files::write_json(&kiku_game::resume::path_in(&data), &stale).unwrap();
    let mut app = headless(&dir, &data);
    send(&mut app, Intent::Resume);
    assert_ne!(screen(&app), Screen::Conversation);
    let game = app.world().resource::<Game>();
    assert!(
        game.notices
            .iter()
            .any(|n| n.en.contains("could not resume"))
    );
    assert!(!kiku_game::resume::path_in(&data).exists());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn kittest_the_title_offers_to_resume() {
    let r = kiku_game::screens::title::Resumable {
        title: "Is this all there is?".into(),
        turns: 3,
        saved: "2026-12-02 10:00".into(),
    };
    let mut harness = egui_kittest::Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::title::draw(ui, Lang::En, Some(&r)) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.run();
    harness.get_by_label_contains("“Is this all there is?”, 3 turns in");
    harness.get_by_label("Resume it").click();
    harness.run();
    assert_eq!(*harness.state(), Some(Intent::Resume));
}

/// Issue 11: a 1on1 cut off by a crash (the app dropped mid-way, its
/// `unfinished.json` left behind) is resumed by clicking the title's offer
/// under egui_kittest; the click's intent goes to the restarted game, which
/// plays on from the same turn and records the 1on1 once.
#[test]
fn kittest_a_click_on_the_title_resumes_after_a_crash() {
    let dir = temp_dir("resume-click");
    let data = temp_dir("resume-click-data");
    {
        let mut app = headless(&dir, &data);
        send(&mut app, Intent::Pick(0));
        send(&mut app, Intent::Begin);
        for id in ["feel", "reflect"] {
            send(&mut app, Intent::SkipTyping);
            send(&mut app, Intent::Choose(id.into()));
        }
        assert_eq!(turns(&app), ["feel", "reflect"]);
        // Dropped without leaving: the crash.
    }
    assert!(kiku_game::resume::path_in(&data).exists());

    let mut app = headless(&dir, &data);
    assert_eq!(screen(&app), Screen::Title);
    let offer = kiku_game::screens::title::Resumable::of(
        app.world()
            .resource::<Game>()
            .resumable
            .as_ref()
            .expect("the restarted game offers the 1on1"),
        Lang::En,
    );
    let mut harness = egui_kittest::Harness::new_ui_state(
        move |ui, intent: &mut Option<Intent>| {
            if let Some(i) = kiku_game::screens::title::draw(ui, Lang::En, Some(&offer)) {
                *intent = Some(i);
            }
        },
        None,
    );
    harness.run();
    harness.get_by_label_contains("2 turns in");
    harness.get_by_label("Resume it").click();
    harness.run();
    let clicked = harness.state().clone().expect("the click gives an intent");
    assert_eq!(clicked, Intent::Resume);
    send(&mut app, clicked);
    assert_eq!(screen(&app), Screen::Conversation);
    assert_eq!(turns(&app), ["feel", "reflect"]);
    {
        let game = app.world().resource::<Game>();
        assert!(game.resumable.is_none());
        assert_eq!(game.play.as_ref().unwrap().mode(), Mode::Choose);
    }
    // It plays on to the end and is recorded once; nothing is left to resume.
    for id in ["values", "summary"] {
        send(&mut app, Intent::SkipTyping);
        send(&mut app, Intent::Choose(id.into()));
    }
    send(&mut app, Intent::Finish);
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(kiku_game::resume::load(&data).unwrap().is_none());
    let stored = kiku_board::store::Store::open(&kiku_board::local::path_in(&data))
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].finished.choices,
        ["feel", "reflect", "values", "summary"]
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&data);
}
