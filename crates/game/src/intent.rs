//! What the trainee asks for ([`Intent`]) and the one system that applies
//! it: drawing code returns intents, tests send them, and only
//! [`apply_intents`] changes the game, by calling the pure core.

use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use crate::finish::OneOnOneFinished;
use crate::prefs::Prefs;
use crate::state::{Config, Game, Library, Play, Screen, Settings, scenario_at};
use crate::view::{self, Typing};

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
    finished: MessageWriter<'w, OneOnOneFinished>,
    exit: MessageWriter<'w, AppExit>,
}

/// Applies the trainee's intents: the only system that changes the game.
pub fn apply_intents(mut intents: MessageReader<Intent>, mut to: Target) {
    for intent in intents.read() {
        match intent {
            Intent::Open(screen) => to.next.set(*screen),
            Intent::Pick(index) => {
                if scenario_at(&to.library, *index).is_some() {
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
            Intent::SkipTyping => {
                if let Some(play) = to.game.play.as_mut() {
                    play.typing.skip();
                }
            }
            Intent::Finish => {
                if to.game.play.as_ref().is_some_and(|p| p.session.is_over()) {
                    to.next.set(Screen::Debrief);
                }
            }
            Intent::Leave => {
                to.game.play = None;
                to.next.set(Screen::Select);
            }
            Intent::SetPrefs(prefs) => set_prefs(&mut to, prefs),
            Intent::DismissReload => to.game.reload_errors.clear(),
            Intent::DismissNotices => to.game.notices.clear(),
            Intent::Quit => {
                to.exit.write(AppExit::Success);
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
    let session = kiku_core::Session::start(&scenario, to.config.seed.unwrap_or_else(fresh_seed));
    let mut typing = Typing::start(view::current_line_chars(&session, to.settings.lang));
    typing.advance(0.0, to.settings.reading_speed);
    to.game.picked = Some(entry);
    to.game.play = Some(Play {
        entry,
        session,
        typing,
        score: None,
    });
    to.game.debrief = None;
    to.game.suggestions = None;
    to.next.set(Screen::Conversation);
}

/// Says reply `id`; when that ends the 1on1, scores it once and sends the
/// finished record.
fn choose(to: &mut Target, id: &str) {
    if *to.screen.get() != Screen::Conversation {
        return;
    }
    let lang = to.settings.lang;
    let speed = to.settings.reading_speed;
    let Some(play) = to.game.play.as_mut() else {
        return;
    };
    if !play.typing.done() || play.session.choose(id).is_err() {
        return;
    }
    play.typing = Typing::start(view::current_line_chars(&play.session, lang));
    play.typing.advance(0.0, speed);
    if play.session.is_over() && play.score.is_none() {
        let score = kiku_core::score(play.session.scenario(), play.session.transcript());
        let record =
            kiku_core::Finished::scored(&play.session, &score, kiku_core::record::now_ms());
        play.score = Some(Arc::new(score));
        to.finished.write(OneOnOneFinished(record));
    }
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
