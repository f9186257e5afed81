//! What the trainee asks for ([`Intent`]) and the one system that applies
//! it: drawing code returns intents, tests send them, and only
//! [`apply_intents`] changes the game, by calling the pure core.

use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use crate::finish::OneOnOneFinished;
use crate::prefs::Prefs;
use crate::state::{
    Config, Game, Library, Play, Recall, Said, Screen, Settings, Settled, Unclear, scenario_at,
};
use crate::view::{self, Typing};
use kiku_core::Mode;
use kiku_core::act::Act;

/// What the trainee asked for. Drawing code returns these; tests send them.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum Intent {
    /// Go to a screen (title, select, settings, leaderboard).
    Open(Screen),
    /// Pick the scenario at this catalog index: go to its briefing.
    Pick(usize),
    /// Start the 1on1 of the picked scenario.
    Begin,
    /// Say the reply with this choice id.
    Choose(String),
    /// Recall mode: say these words (heard as one of the replies on offer).
    Say(String),
    /// Recall mode: the trainee meant this reply. After words heard as
    /// nothing, it says it; after words heard as another reply ("not what I
    /// meant"), it takes that reply back and says this one instead.
    Mean(String),
    /// Choose from the menu or say it yourself, from the next 1on1 on.
    SetMode(Mode),
    /// Resume the 1on1 left unfinished last time.
    Resume,
    /// Forget the 1on1 left unfinished last time.
    DiscardResume,
    /// Show the member's whole line at once.
    SkipTyping,
    /// From a finished 1on1 to the debrief.
    Finish,
    /// Leave the 1on1 without finishing (nothing saved).
    Leave,
    /// Play the same scenario again (a new seed).
    PlayAgain,
    /// Change the settings (saved at once).
    SetPrefs(Prefs),
    /// Close the hot-reload error overlay.
    DismissReload,
    /// Close the notices (e.g. a corrupt file moved aside).
    DismissNotices,
    /// Leave the game.
    Quit,
    /// Open the trainee's progress, on the scenario at this catalog index
    /// (`None`: the one played last).
    History(Option<usize>),
}

/// Everything an intent may change.
#[derive(SystemParam)]
pub struct Target<'w> {
    next: ResMut<'w, NextState<Screen>>,
    screen: Res<'w, State<Screen>>,
    game: ResMut<'w, Game>,
    library: Res<'w, Library>,
    settings: ResMut<'w, Settings>,
    config: Res<'w, Config>,
    workshop: Res<'w, crate::workshop::Workshop>,
    finished: MessageWriter<'w, OneOnOneFinished>,
    exit: MessageWriter<'w, AppExit>,
}

/// Applies the trainee's intents: the only system that changes the game.
pub fn apply_intents(mut intents: MessageReader<Intent>, mut to: Target) {
    for intent in intents.read() {
        match intent {
            Intent::Open(screen) => to.next.set(*screen),
            Intent::Pick(index) => {
                if let Some(scenario) = scenario_at(&to.library, *index) {
                    let (prior, notice) =
                        crate::series::prior_for(&scenario, to.config.data_dir.as_deref());
                    to.game.prior = prior;
                    to.game.notices.extend(notice);
                    to.game.picked = Some(*index);
                    to.next.set(Screen::Briefing);
                }
            }
            Intent::Begin => {
                let entry = to.game.picked;
                begin(&mut to, entry);
            }
            Intent::PlayAgain => {
                let entry = to.game.play.as_ref().map(|p| p.entry).or(to.game.picked);
                begin(&mut to, entry);
            }
            Intent::Choose(id) => choose(&mut to, id),
            Intent::Say(text) => say(&mut to, text),
            Intent::Mean(id) => mean(&mut to, id),
            Intent::Resume => resume(&mut to),
            Intent::DiscardResume => {
                to.game.resumable = None;
                if let Some(dir) = &to.config.data_dir {
                    crate::resume::forget(dir);
                }
            }
            Intent::SetMode(mode) => {
                let prefs = Prefs {
                    mode: *mode,
                    ..to.settings.0
                };
                set_prefs(&mut to, &prefs);
            }
            Intent::SkipTyping => {
                if let Some(play) = to.game.play.as_mut() {
                    play.typing.skip();
                }
            }
            Intent::Finish => {
                if to.game.play.as_ref().is_some_and(|p| p.session.is_over()) {
                    record(&mut to);
                    to.next.set(Screen::Debrief);
                }
            }
            Intent::Leave => {
                record(&mut to);
                to.game.play = None;
                to.next.set(Screen::Select);
            }
            Intent::SetPrefs(prefs) => set_prefs(&mut to, prefs),
            Intent::DismissReload => to.game.reload_errors.clear(),
            Intent::DismissNotices => to.game.notices.clear(),
            Intent::Quit => {
                to.exit.write(AppExit::Success);
            }
            Intent::History(index) => {
                to.game.history = index
                    .and_then(|i| scenario_at(&to.library, i))
                    .map(|s| s.id.clone());
                to.next.set(Screen::History);
            }
        }
    }
}

/// A fresh seed for a 1on1 when none is fixed.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

/// Starts the 1on1 of catalog entry `entry`.
fn begin(to: &mut Target, entry: Option<usize>) {
    let Some(entry) = entry else {
        return;
    };
    let Some(scenario) = scenario_at(&to.library, entry) else {
        return;
    };
    // A workshop that fixes the seed: everyone meets the same member (and
    // the server refuses any other seed).
    let seed = to
        .workshop
        .seed_for(&scenario.id)
        .or(to.config.seed)
        .unwrap_or_else(fresh_seed);
    // A follow-up starts from the prior read when it was picked (the same
    // one again on Play again).
    if scenario.follows.is_some()
        && to
            .game
            .prior
            .as_ref()
            .is_none_or(|p| Some(&p.scenario) != scenario.follows.as_ref())
    {
        to.game.prior = crate::series::prior_for(&scenario, to.config.data_dir.as_deref()).0;
    }
    let prior = scenario
        .follows
        .is_some()
        .then(|| to.game.prior.clone())
        .flatten();
    let session = kiku_core::Session::start_after(&scenario, seed, prior);
    let mut typing = Typing::start(view::current_line_chars(&session, to.settings.lang));
    typing.advance(0.0, to.settings.reading_speed);
    // A workshop that requires a mode has it, whatever the setting says.
    let mode = to.workshop.required_mode().unwrap_or(to.settings.mode);
    let play = Play::new(entry, session, typing, mode);
    start_play(to, play);
}

/// Makes `play` the 1on1 being played and opens the conversation.
fn start_play(to: &mut Target, play: Play) {
    to.game.picked = Some(play.entry);
    to.game.play = Some(play);
    to.game.debrief = None;
    to.game.suggestions = None;
    to.next.set(Screen::Conversation);
}

/// Resumes the 1on1 left unfinished: replays its choices on the scenario
/// as it is now; if it no longer replays, says so and forgets it.
fn resume(to: &mut Target) {
    let Some(saved) = to.game.resumable.take() else {
        return;
    };
    let found = to
        .library
        .catalog
        .entries
        .iter()
        .enumerate()
        .find_map(|(i, e)| {
            e.good
                .as_ref()
                .filter(|s| s.id == saved.scenario)
                .map(|s| (i, std::sync::Arc::clone(s)))
        });
    let replayed = found
        .ok_or_else(|| "the scenario is not here any more".to_string())
        .and_then(|(entry, scenario)| {
            kiku_core::Session::replay_after(
                &scenario,
                saved.seed,
                saved.prior.clone(),
                &saved.choices,
            )
            .map(|session| (entry, session))
            .map_err(|(at, e)| format!("reply {} no longer fits: {e}", at + 1))
        });
    let (entry, session) = match replayed {
        Ok(found) => found,
        Err(why) => {
            to.game.notices.push(kiku_core::text::Text::new(
                format!("途中の1on1を再開できませんでした({why})。"),
                format!("could not resume the 1on1: {why}"),
            ));
            if let Some(dir) = &to.config.data_dir {
                crate::resume::forget(dir);
            }
            return;
        }
    };
    let mut typing = Typing::start(view::current_line_chars(&session, to.settings.lang));
    typing.skip();
    // The trainee's words are not thrown away when the workshop has
    // required another mode since: the 1on1 resumes as it was played, and
    // its result stays in the trainee's own records only.
    if let Some(required) = to.workshop.required_mode().filter(|m| *m != saved.mode) {
        let label = crate::screens::briefing::mode_label;
        let (ja, en) = (
            label(required, kiku_core::text::Lang::Ja),
            label(required, kiku_core::text::Lang::En),
        );
        to.game.notices.push(kiku_core::text::Text::new(
            format!(
                "ワークショップはいま「{ja}」で遊ぶことになっています。この1on1は別のモードで始めたので、結果はあなたの記録にだけ残り、ワークショップには送られません。"
            ),
            format!(
                "The workshop now asks for “{en}”. This 1on1 was started in the other mode, so its result stays in your own records and is not sent to the workshop."
            ),
        ));
    }
    let mut play = Play::new(entry, session, typing, saved.mode);
    if let Some(recall) = play.recall.as_mut() {
        recall.said = saved.said;
        recall.said.truncate(play.session.turn_count());
    }
    play.score = play.session.is_over().then(|| {
        Arc::new(kiku_core::score(
            play.session.scenario(),
            play.session.transcript(),
        ))
    });
    to.game.prior = play.session.prior().cloned();
    start_play(to, play);
}

/// Says reply `id` from the menu; when that ends the 1on1, scores it once
/// and sends the finished record. (In recall mode the menu is not shown, but
/// a test or the preview may still pick; it counts as said without words.)
fn choose(to: &mut Target, id: &str) {
    if *to.screen.get() != Screen::Conversation {
        return;
    }
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    if play.recall.as_ref().is_some_and(|r| r.unclear.is_some()) {
        // Words heard as nothing are waiting: picking a reply settles them.
        mean(to, id);
        return;
    }
    if !play.typing.done() || play.session.choose(id).is_err() {
        return;
    }
    if let Some(recall) = play.recall.as_mut() {
        recall.before_last = None;
        recall.said.push(Said {
            text: String::new(),
            act: play
                .session
                .transcript()
                .turns
                .last()
                .map_or(Act::Silence, |t| t.act.clone()),
            candidates: vec![id.to_string()],
            settled: Settled::Picked,
        });
    }
    said_one(to);
}

/// Recall mode: hears `text` at this point and says the reply it was heard
/// as; words heard as nothing wait for the trainee to pick.
fn say(to: &mut Target, text: &str) {
    if *to.screen.get() != Screen::Conversation {
        return;
    }
    let lang = to.settings.lang;
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    let text = text.trim();
    if text.is_empty() || !play.typing.done() || play.session.is_over() {
        return;
    }
    let Some(recall) = play.recall.as_mut() else {
        return;
    };
    let heard = recall.hearer.hear(&play.session, text, lang);
    let candidates: Vec<String> = heard.candidates.iter().map(|(id, _)| id.clone()).collect();
    let Some(id) = heard.choice else {
        recall.unclear = Some(Unclear {
            text: text.to_string(),
            act: heard.act,
            candidates,
        });
        return;
    };
    let said = Said {
        text: text.to_string(),
        act: heard.act,
        candidates,
        settled: Settled::Heard,
    };
    if say_meant(&mut play.session, recall, &id, said) {
        recall.unclear = None;
        said_one(to);
    }
}

/// Recall mode: says reply `id` for the words in `said`, keeping the
/// session as it was so the reply can be taken back. False (and nothing
/// changed) when `id` is not available.
fn say_meant(session: &mut kiku_core::Session, recall: &mut Recall, id: &str, said: Said) -> bool {
    let before = session.clone();
    if session.choose(id).is_err() {
        return false;
    }
    recall.before_last = Some(before);
    recall.said.push(said);
    true
}

/// Recall mode: the trainee meant reply `id` (see [`Intent::Mean`]).
fn mean(to: &mut Target, id: &str) {
    if *to.screen.get() != Screen::Conversation {
        return;
    }
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    let Some(recall) = play.recall.as_mut() else {
        return;
    };
    if let Some(unclear) = recall.unclear.clone() {
        let said = Said {
            text: unclear.text,
            act: unclear.act,
            candidates: unclear.candidates,
            settled: Settled::Picked,
        };
        if !say_meant(&mut play.session, recall, id, said) {
            return;
        }
        recall.unclear = None;
    } else {
        // Take the last reply back (the 1on1 may have ended on it; the
        // record is sent only once the trainee lets the last reply stand,
        // see `said_one`) and say `id` instead.
        let Some(before) = recall.before_last.clone() else {
            return;
        };
        let mut again = before;
        if again.choose(id).is_err() {
            return;
        }
        play.session = again;
        if let Some(last) = recall.said.last_mut() {
            last.settled = Settled::Corrected;
            if let Some(at) = last.candidates.iter().position(|c| c == id) {
                let meant = last.candidates.remove(at);
                last.candidates.insert(0, meant);
            }
        }
        play.score = None;
    }
    said_one(to);
}

/// After a reply: starts the member's next line and, when the 1on1 is
/// over, scores it once and sends the finished record.
fn said_one(to: &mut Target) {
    let lang = to.settings.lang;
    let speed = to.settings.reading_speed;
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    play.typing = Typing::start(view::current_line_chars(&play.session, lang));
    play.typing.advance(0.0, speed);
    // Recall mode: embed the next menu's lines now, while the member speaks,
    // so hearing the reply typed there is quick.
    if let Some(recall) = &play.recall {
        recall.hearer.prepare(&play.session);
    }
    if play.session.is_over() && play.score.is_none() {
        play.score = Some(Arc::new(kiku_core::score(
            play.session.scenario(),
            play.session.transcript(),
        )));
    }
    // Recall mode records when the trainee leaves the end (the last reply
    // can still be taken back until then).
    if play.recall.is_none() {
        record(to);
    }
}

/// Sends the finished record of an ended 1on1, once.
fn record(to: &mut Target) {
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    if play.recorded || !play.session.is_over() {
        return;
    }
    let Some(score) = play.score.clone() else {
        return;
    };
    let mut record =
        kiku_core::Finished::scored(&play.session, &score, kiku_core::record::now_ms());
    record.mode = play.mode();
    play.recorded = true;
    to.finished.write(OneOnOneFinished(record));
}

/// Changes the settings and saves them.
fn set_prefs(to: &mut Target, prefs: &Prefs) {
    let prefs = prefs.sanitised();
    if prefs.lang != to.settings.lang
        && let Some(play) = to.game.play.as_mut()
    {
        // The line is now in another language: show it whole.
        play.typing = Typing::start(view::current_line_chars(&play.session, prefs.lang));
        play.typing.skip();
    }
    to.settings.0 = prefs;
    if let Some(dir) = &to.config.data_dir
        && let Err(e) = crate::prefs::save(dir, &prefs)
    {
        to.game.notices.push(kiku_core::text::Text::new(
            format!("設定を保存できませんでした({e})。"),
            format!("could not save the settings: {e}"),
        ));
    }
}
