//! kiku-game: the Bevy game: one plugin per screen over a `Screen` state. Drawing code
//! (egui) turns a view model into an [`Intent`]; [`apply_intents`] is the
//! only place intents change the game, by calling the pure core.
//!
//! Bevy-free parts (testable without a window): [`catalog`], [`history`],
//! [`prefs`], [`store`], [`strings`], [`view`].

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bevy::prelude::*;

use kiku_core::scenario::Scenario;
use kiku_core::play::session::Session;
use kiku_core::text::Lang;

pub mod briefing;
pub mod catalog;
pub mod conversation;
pub mod debrief;
pub mod history;
pub mod hot_reload;
pub mod leaderboard;
pub mod prefs;
pub mod select;
pub mod settings;
pub mod strings;
pub mod title;
pub mod view;

mod fonts;
mod portrait;
mod screenshots;
pub mod ui;

use catalog::Catalog;
use history::History;
use prefs::Prefs;
use view::Typing;

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
    /// Folder of scenarios to play (default: the bundled scenarios/).
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
}

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

/// How the game was started.
#[derive(Resource, Clone, Debug, Default)]
pub struct Config {
    /// Where settings and history are saved (`None`: nothing is saved).
    pub data_dir: Option<PathBuf>,
    /// `--preview` was given: preview mode regardless of the setting.
    pub force_preview: bool,
    /// A fixed seed for every 1on1 (screenshots and tests), else random.
    pub seed: Option<u64>,
}

/// The player's settings in force.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Deref)]
pub struct Settings(pub Prefs);

/// The scenarios and the player's history.
#[derive(Resource, Debug, Default)]
pub struct Library {
    /// Every scenario file.
    pub catalog: Catalog,
    /// Every finished 1on1.
    pub history: History,
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
    /// True once saved to the history.
    pub saved: bool,
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
    pub notices: Vec<String>,
    /// Errors of a broken scenario edit (hot reload), shown in an overlay.
    pub reload_errors: Vec<String>,
    /// The debrief's better replies: worked out on a thread.
    pub suggestions: Option<Suggestions>,
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

/// The game's logic without any window or drawing: states, resources and
/// intent handling. Headless tests add it to `MinimalPlugins` + `StatesPlugin`.
pub fn logic_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<Intent>()
        .init_resource::<Game>()
        .add_systems(
            Update,
            (apply_intents, advance_typing, refresh_debrief).chain(),
        );
}

/// Builds the state from the command line: settings, history, catalog.
pub fn setup(
    args: &GameArgs,
    data_dir: Option<PathBuf>,
) -> (Config, Settings, Library, Vec<String>) {
    let mut notices = Vec::new();
    let (mut prefs, msg) = prefs::load(data_dir.as_deref());
    notices.extend(msg);
    if let Some(lang) = args.lang {
        prefs.lang = lang;
    }
    let (history, msg) = history::load(data_dir.as_deref());
    notices.extend(msg);
    let root = args
        .scenarios
        .clone()
        .unwrap_or_else(kiku_core::load::bundled_dir);
    let catalog = Catalog::load(vec![root]);
    (
        Config {
            data_dir,
            force_preview: args.preview,
            seed: None,
        },
        Settings(prefs),
        Library { catalog, history },
        notices,
    )
}

fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

fn start_play(
    config: &Config,
    library: &Library,
    settings: &Settings,
    entry: usize,
) -> Option<Play> {
    let scenario = scenario_at(library, entry)?;
    let session = Session::start(&scenario, config.seed.unwrap_or_else(fresh_seed));
    let mut typing = Typing::start(view::current_line_chars(&session, settings.lang));
    typing.advance(0.0, settings.reading_speed);
    Some(Play {
        entry,
        session,
        typing,
        saved: false,
    })
}

/// Applies the trainee's intents: the only system that changes the game.
#[allow(clippy::too_many_arguments)]
pub fn apply_intents(
    mut intents: MessageReader<Intent>,
    mut next: ResMut<NextState<Screen>>,
    screen: Res<State<Screen>>,
    mut game: ResMut<Game>,
    mut library: ResMut<Library>,
    mut settings: ResMut<Settings>,
    config: Res<Config>,
    mut exit: MessageWriter<AppExit>,
) {
    for intent in intents.read() {
        match intent {
            Intent::Open(to) => next.set(*to),
            Intent::Pick(index) => {
                if scenario_at(&library, *index).is_some() {
                    game.picked = Some(*index);
                    next.set(Screen::Briefing);
                }
            }
            Intent::Begin | Intent::PlayAgain => {
                let entry = match intent {
                    Intent::PlayAgain => game.play.as_ref().map(|p| p.entry).or(game.picked),
                    _ => game.picked,
                };
                if let Some(play) = entry.and_then(|e| start_play(&config, &library, &settings, e))
                {
                    game.picked = Some(play.entry);
                    game.play = Some(play);
                    game.debrief = None;
                    game.suggestions = None;
                    next.set(Screen::Conversation);
                }
            }
            Intent::Choose(id) => {
                if *screen.get() != Screen::Conversation {
                    continue;
                }
                let Some(play) = game.play.as_mut() else {
                    continue;
                };
                if !play.typing.done() || play.session.choose(id).is_err() {
                    continue;
                }
                play.typing = Typing::start(view::current_line_chars(&play.session, settings.lang));
                play.typing.advance(0.0, settings.reading_speed);
                if play.session.is_over() && !play.saved {
                    play.saved = true;
                    let entry = {
                        let s = play.session.scenario();
                        let score = kiku_core::score::score(s, play.session.transcript());
                        history::Entry::of(&play.session, &score, kiku_board::files::now_secs())
                    };
                    match &config.data_dir {
                        Some(dir) => {
                            let library = &mut *library;
                            if let Err(e) = history::append(dir, &mut library.history, entry) {
                                game.notices
                                    .push(format!("could not save the history: {e}"));
                            }
                        }
                        None => library.history.entries.push(entry),
                    }
                }
            }
            Intent::SkipTyping => {
                if let Some(play) = game.play.as_mut() {
                    play.typing.skip();
                }
            }
            Intent::Finish => {
                if game.play.as_ref().is_some_and(|p| p.session.is_over()) {
                    next.set(Screen::Debrief);
                }
            }
            Intent::Leave => {
                game.play = None;
                next.set(Screen::Select);
            }
            Intent::SetPrefs(prefs) => {
                let prefs = prefs.sanitised();
                if prefs.lang != settings.lang
                    && let Some(play) = game.play.as_mut()
                {
                    // The line is now in another language: show it whole.
                    play.typing =
                        Typing::start(view::current_line_chars(&play.session, prefs.lang));
                    play.typing.skip();
                }
                settings.0 = prefs;
                if let Some(dir) = &config.data_dir
                    && let Err(e) = prefs::save(dir, &prefs)
                {
                    game.notices
                        .push(format!("could not save the settings: {e}"));
                }
            }
            Intent::DismissReload => game.reload_errors.clear(),
            Intent::DismissNotices => game.notices.clear(),
            Intent::Quit => {
                exit.write(AppExit::Success);
            }
        }
    }
}

/// Advances the member's line at reading speed (the drawing code asks for
/// redraws only while it is still appearing).
fn advance_typing(time: Res<Time>, mut game: ResMut<Game>, settings: Res<Settings>) {
    if let Some(play) = game.play.as_mut()
        && !play.typing.done()
    {
        play.typing
            .advance(time.delta_secs(), settings.reading_speed);
    }
}

/// Builds the debrief once per finished 1on1 and language, while on its
/// screen; the better replies arrive from a thread and fill it in.
fn refresh_debrief(screen: Res<State<Screen>>, settings: Res<Settings>, mut game: ResMut<Game>) {
    if *screen.get() != Screen::Debrief {
        return;
    }
    let Some(session) = game
        .play
        .as_ref()
        .filter(|p| p.session.is_over())
        .map(|p| p.session.clone())
    else {
        return;
    };
    let mut arrived = false;
    match &game.suggestions {
        None => {
            let (tx, rx) = std::sync::mpsc::channel();
            let scenario = Arc::clone(session.scenario());
            let transcript = session.transcript().clone();
            let spawned = std::thread::Builder::new()
                .name("kiku-debrief".into())
                .spawn(move || {
                    let started = std::time::Instant::now();
                    let found = view::better_choices(&scenario, transcript.seed, &transcript);
                    debug!("better replies found in {:?}", started.elapsed());
                    let _ = tx.send(found);
                });
            game.suggestions = Some(match spawned {
                Ok(_) => Suggestions::Pending(std::sync::Mutex::new(rx)),
                // No thread: the debrief still shows, without suggestions.
                Err(_) => Suggestions::Ready(Vec::new()),
            });
        }
        Some(Suggestions::Pending(rx)) => {
            let received = rx.lock().ok().and_then(|rx| match rx.try_recv() {
                Ok(found) => Some(found),
                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Vec::new()),
            });
            if let Some(found) = received {
                game.suggestions = Some(Suggestions::Ready(found));
                arrived = true;
            }
        }
        Some(Suggestions::Ready(_)) => {}
    }
    let lang = settings.lang;
    if !arrived && game.debrief.as_ref().is_some_and(|(l, _)| *l == lang) {
        return;
    }
    let ready = match &game.suggestions {
        Some(Suggestions::Ready(found)) => Some(found.as_slice()),
        _ => None,
    };
    let debrief = view::debrief(&session, lang, ready);
    game.debrief = Some((lang, debrief));
}

/// Opens the game window (or, with `--screenshots`, walks every screen and
/// saves pictures).
pub fn run(args: &GameArgs) -> ExitCode {
    let screenshots = args.screenshots.clone();
    // Screenshots never read or write the player's files.
    let data_dir = if screenshots.is_some() {
        None
    } else {
        kiku_board::files::data_dir()
    };
    let (mut config, settings, library, notices) = setup(args, data_dir);
    if let Some(dir) = &screenshots {
        if library.catalog.first_playable().is_none() {
            eprintln!(
                "error: no playable scenario in {}",
                library
                    .catalog
                    .roots
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for entry in &library.catalog.entries {
                eprintln!("{}", entry.loaded.render());
            }
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        config.seed = Some(screenshots::SEED);
    }
    let roots = library.catalog.roots.clone();
    let mut app = App::new();
    app.add_plugins(ui::window_plugins(screenshots.is_some()))
        .insert_resource(config)
        .insert_resource(settings)
        .insert_resource(library)
        .add_plugins(logic_plugin)
        .add_plugins(ui::plugin)
        .add_plugins((
            title::plugin,
            select::plugin,
            briefing::plugin,
            conversation::plugin,
            debrief::plugin,
            settings::plugin,
            leaderboard::plugin,
        ));
    app.world_mut().resource_mut::<Game>().notices = notices;
    match screenshots {
        Some(dir) => {
            app.add_plugins(screenshots::plugin(dir));
        }
        None => {
            app.add_plugins(hot_reload::plugin(roots));
        }
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
