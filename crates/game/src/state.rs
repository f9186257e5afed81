//! The game's resources besides the screen: how it was started, the
//! player's settings, the scenarios with the player's records, and the 1on1
//! being played. [`setup`] builds them from the command line.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use kiku_board::local::{self, Imported, Record};
use kiku_core::act::Act;
use kiku_core::play::session::Session;
use kiku_core::scenario::Scenario;
use kiku_core::text::{Lang, Text};
use kiku_core::{Mode, Score};
use kiku_hear::Hearer;

use crate::catalog::Catalog;
use crate::prefs::{self, Prefs};
use crate::view::{self, Typing};

/// Options of the game (used when no subcommand is given).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GameArgs {
    /// Facilitator preview: show each choice's act and the member's hidden state.
    #[arg(long)]
    pub preview: bool,
    /// Interface language: ja or en (default: the saved setting, else the system locale).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Walk through every screen in both languages, save one PNG per screen
    /// and language into DIR, and exit.
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
    /// A folder of scenarios that add to the bundled ones or replace them by
    /// id (as do `scenarios/` beside the executable and `KIKU_SCENARIOS`).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("unknown language `{s}`: use ja or en"))
}

/// The screen the trainee is on.
#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    /// The title.
    #[default]
    Title,
    /// Scenario select.
    Select,
    /// Who the member is and what to aim for.
    Briefing,
    /// The 1on1.
    Conversation,
    /// The debrief.
    Debrief,
    /// Settings.
    Settings,
    /// The workshop leaderboard (its plugin lives in `leaderboard.rs`).
    Leaderboard,
    /// The trainee's own progress over their attempts (`history.rs`).
    History,
}

/// How the game was started.
#[derive(Resource, Clone, Debug, Default)]
pub struct Config {
    /// Where settings and the local board are saved (`None`: nothing is saved).
    pub data_dir: Option<PathBuf>,
    /// `--preview` was given: preview mode regardless of the setting.
    pub force_preview: bool,
    /// A fixed seed for every 1on1 (screenshots and tests), else random.
    pub seed: Option<u64>,
}

/// The player's settings in force.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Deref)]
pub struct Settings(pub Prefs);

/// The scenarios and the player's record on each.
#[derive(Resource, Debug, Default)]
pub struct Library {
    /// Every scenario file.
    pub catalog: Catalog,
    /// Best, last and number of plays per scenario id, read from the local
    /// board at start and kept up to date as 1on1s finish.
    pub records: BTreeMap<String, Record>,
}

impl Library {
    /// Counts one more finished 1on1 with `overall` on `scenario`.
    pub fn count(&mut self, scenario: &str, overall: u32) {
        self.records
            .entry(scenario.to_string())
            .or_default()
            .add(overall);
    }
}

/// The 1on1 being played (or just finished).
#[derive(Clone, Debug)]
pub struct Play {
    /// The catalog index of its scenario.
    pub entry: usize,
    /// The session.
    pub session: Session,
    /// How far the member's current line has appeared.
    pub typing: Typing,
    /// The score, worked out once when the 1on1 finishes.
    pub score: Option<Arc<Score>>,
    /// Recall mode's state (`None` when the trainee chooses from the menu).
    pub recall: Option<Recall>,
    /// The finished record was sent (once per play).
    pub recorded: bool,
}

impl Play {
    /// A new play of `session` in `mode` (recall mode prepares the ear).
    pub fn new(entry: usize, session: Session, typing: Typing, mode: Mode) -> Play {
        let recall = (mode == Mode::Recall).then(|| {
            let recall = Recall::new(session.scenario());
            recall.hearer.prepare(&session);
            recall
        });
        Play {
            entry,
            session,
            typing,
            score: None,
            recall,
            recorded: false,
        }
    }

    /// How the trainee replies in this play.
    pub fn mode(&self) -> Mode {
        if self.recall.is_some() {
            Mode::Recall
        } else {
            Mode::Choose
        }
    }
}

/// Recall mode: what the trainee typed and how each reply was heard.
#[derive(Clone, Debug)]
pub struct Recall {
    /// The ear, prepared once for the scenario.
    pub hearer: Arc<Hearer>,
    /// One entry per turn said so far, in order.
    pub said: Vec<Said>,
    /// The last words typed were heard as no reply: the trainee picks among
    /// the closest (or types again).
    pub unclear: Option<Unclear>,
    /// The session as it was before the last reply, so "not what I meant"
    /// can take that reply back and say another.
    pub before_last: Option<Session>,
}

impl Recall {
    /// Prepares recall mode for `scenario`.
    pub fn new(scenario: &Scenario) -> Recall {
        Recall {
            hearer: Arc::new(Hearer::new(scenario)),
            said: Vec::new(),
            unclear: None,
            before_last: None,
        }
    }
}

/// One typed reply and how it was taken.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Said {
    /// The trainee's own words.
    pub text: String,
    /// The act of the words themselves (as Kiku classified them).
    pub act: Act,
    /// The choice ids it could have meant, best first (the first is what
    /// it was heard as, unless the trainee picked another).
    pub candidates: Vec<String>,
    /// How the reply was settled.
    pub settled: Settled,
}

/// How a typed reply became an authored one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Settled {
    /// Heard, and the trainee let it stand.
    Heard,
    /// Heard as another reply; the trainee said "not what I meant" and
    /// picked this one.
    Corrected,
    /// Heard as nothing; the trainee picked among the closest.
    Picked,
}

/// Words heard as no reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Unclear {
    /// The words.
    pub text: String,
    /// Their act.
    pub act: Act,
    /// The closest choice ids, best first.
    pub candidates: Vec<String>,
}

/// The game's state besides the screen.
#[derive(Resource, Debug, Default)]
pub struct Game {
    /// The scenario picked in select (a catalog index).
    pub picked: Option<usize>,
    /// The current or last 1on1.
    pub play: Option<Play>,
    /// The debrief, built once per finished 1on1 and language.
    pub debrief: Option<(Lang, view::Debrief)>,
    /// Messages for the player (a corrupt file moved aside, a failed save).
    pub notices: Vec<Text>,
    /// Errors of a broken scenario edit (hot reload), shown in an overlay.
    pub reload_errors: Vec<String>,
    /// The debrief's better replies: worked out on a thread.
    pub suggestions: Option<Suggestions>,
    /// A 1on1 left unfinished last time (quit or crash), offered on the
    /// title screen.
    pub resumable: Option<crate::resume::Unfinished>,
    /// A follow-up was picked: how its earlier 1on1 went (the trainee's own
    /// last record, else the authored default), read once on picking.
    pub prior: Option<kiku_core::play::prior::Prior>,
    /// The scenario id the history screen is asked to show (`None`: the
    /// one played last).
    pub history: Option<String>,
}

/// The debrief's "what would have been better", which searches the graph.
#[derive(Debug)]
pub enum Suggestions {
    /// Being worked out on a thread.
    Pending(std::sync::Mutex<std::sync::mpsc::Receiver<Vec<Option<view::Suggestion>>>>),
    /// Done.
    Ready(Vec<Option<view::Suggestion>>),
}

impl Game {
    /// The preview setting in force.
    pub fn preview(config: &Config, settings: &Settings) -> bool {
        config.force_preview || settings.preview
    }
}

/// The scenario a catalog index plays (its last good version).
pub fn scenario_at(library: &Library, index: usize) -> Option<Arc<Scenario>> {
    library.catalog.entries.get(index)?.good.clone()
}

/// Builds the state from the command line: settings, catalog, and the
/// player's records from the local board (importing a Kiku 0.1
/// `history.json` into it first, once).
pub fn setup(args: &GameArgs, data_dir: Option<PathBuf>) -> (Config, Settings, Library, Vec<Text>) {
    let mut notices = Vec::new();
    let (mut prefs, msg) = prefs::load(data_dir.as_deref());
    notices.extend(msg);
    if let Some(lang) = args.lang {
        prefs.lang = lang;
    }
    let folders = kiku_core::load::library::folders(args.scenarios.as_deref());
    let catalog = Catalog::with_bundled(kiku_core::load::library::paths(&folders));
    let mut records = BTreeMap::new();
    if let Some(dir) = &data_dir {
        let title = |id: &str| catalog.scenario(id).map(|s| s.title.clone());
        match local::import_legacy_history(dir, title) {
            Ok(Imported::Nothing | Imported::Entries { .. }) => {}
            Ok(Imported::Corrupt(message)) => notices.push(message),
            Err(e) => notices.push(Text::new(
                format!("以前の記録を取り込めませんでした({e})。"),
                format!("could not import the old history: {e}"),
            )),
        }
        match local::records(&local::path_in(dir)) {
            Ok(found) => records = found,
            Err(e) => notices.push(Text::new(
                format!("これまでの得点を読み込めませんでした({e})。"),
                format!("could not read your past scores: {e}"),
            )),
        }
    }
    (
        Config {
            data_dir,
            force_preview: args.preview,
            seed: None,
        },
        Settings(prefs),
        Library { catalog, records },
        notices,
    )
}
