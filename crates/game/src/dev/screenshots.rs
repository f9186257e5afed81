//! `kiku --screenshots DIR`: walks title, select, briefing, conversation
//! mid-way (also as a facilitator previews it), debrief, settings, ranking,
//! the hot-reload error overlay, and select, briefing, conversation and
//! settings in the smallest window (1024x600), in Japanese then English with the first playable scenario, saves one PNG per
//! screen and language, and exits. The history screen and a follow-up's
//! series view show a trainee's weeks of practice ([`super::practice`]),
//! played through kiku-core and kept in memory only.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::winit::WinitSettings;

use crate::intent::Intent;
use crate::state::{Game, Library, Screen, Settings};
use kiku_core::text::Lang;

/// The seed every screenshot session uses (same pictures on every run).
pub const SEED: u64 = 1;

/// Frames to let egui lay out a screen (fonts, scroll areas) before a shot.
const SETTLE_FRAMES: u32 = 8;
/// Give up when a capture takes longer than this many frames.
const CAPTURE_TIMEOUT_FRAMES: u32 = 600;
/// How many replies before the "conversation mid-way" picture.
const MID_WAY_TURNS: usize = 2;
/// A safety cap on the replies played to reach an ending.
const MAX_TURNS: usize = 60;

#[derive(Clone, Debug)]
enum Step {
    Lang(Lang),
    Send(Intent),
    /// Reply until this many turns were played or the 1on1 is over.
    PlayTo(usize),
    Shot(&'static str),
    /// Pick the scenario with this id (its briefing opens).
    PickScenario(&'static str),
    /// Turn preview mode on or off.
    Preview(bool),
    /// Wait until the debrief's better replies are in.
    AwaitDebrief,
    /// The walk fails unless the game is on this screen.
    Expect(Screen),
    /// Show the hot-reload error overlay with a sample error.
    ReloadError,
    /// Resize the window (logical pixels).
    Size((f32, f32)),
    /// Fill the ranking screen's own board with 1on1s played through the
    /// core (screenshots save nothing, so the board is in memory).
    LocalBoard,
    /// Set the text size (one of [`crate::prefs::TEXT_SCALES`]).
    TextScale(f32),
    /// Fill the history screen with the practising trainee's attempts.
    Practise,
    /// Open the history screen on the scenario with this id.
    HistoryOf(&'static str),
    /// The picked follow-up starts after the practising trainee's latest
    /// record of the earlier scenario (as if read from the local board).
    PriorFromPractice,
    /// Play the best path there is from here.
    PlayBest,
    /// Scroll the screen down by this many points (the mouse wheel over
    /// the middle of the window).
    Scroll(f32),
}

/// How far down the debrief the series view is (points): the score and
/// ending cards above it.
const SERIES_SCROLL: f32 = 330.0;
/// Frames for a scroll to come to rest (egui animates it).
const SCROLL_FRAMES: u32 = 60;
/// The smallest window ([`crate::theme::MIN_SIZE`]).
const SMALL_SIZE: (f32, f32) = crate::theme::MIN_SIZE;
/// The window's usual size.
const START_SIZE_F: (f32, f32) = (
    crate::theme::START_SIZE.0 as f32,
    crate::theme::START_SIZE.1 as f32,
);
/// The error the overlay shows in the walk (as `kiku check` words one).
const SAMPLE_RELOAD_ERROR: &str = "scenarios/01_first_steps.ron:42:17: error: unknown node `open_qestion` (did you mean `open_question`?)";

#[derive(Resource, Debug)]
struct Walk {
    dir: PathBuf,
    steps: Vec<Step>,
    index: usize,
    settle: u32,
    /// Captures requested and finished.
    requested: usize,
    captured: usize,
    waited: u32,
    /// [`Step::PlayBest`]'s path, worked out once.
    best: Option<Vec<String>>,
}

fn steps() -> Vec<Step> {
    let mut steps = Vec::new();
    for lang in Lang::ALL {
        steps.extend([
            Step::Lang(lang),
            Step::Send(Intent::Open(Screen::Title)),
            Step::Shot("1-title"),
            Step::Send(Intent::Open(Screen::Select)),
            Step::Shot("2-select"),
            Step::Send(Intent::Pick(usize::MAX)),
            Step::Shot("3-briefing"),
            Step::Send(Intent::Begin),
            Step::PlayTo(MID_WAY_TURNS),
            Step::Shot("4-conversation"),
            // The same moment as a facilitator previews it.
            Step::Preview(true),
            Step::Shot("4-conversation-preview"),
            Step::Preview(false),
            Step::PlayTo(MAX_TURNS),
            Step::Send(Intent::Finish),
            Step::AwaitDebrief,
            Step::Shot("5-debrief"),
            // Play again starts a new 1on1 of the same scenario (it once
            // fell back to scenario select).
            Step::Send(Intent::PlayAgain),
            Step::Expect(Screen::Conversation),
            Step::Send(Intent::Open(Screen::Settings)),
            Step::Shot("6-settings"),
            Step::Send(Intent::Open(Screen::Leaderboard)),
            Step::LocalBoard,
            Step::Shot("7-ranking"),
            // A facilitator's broken edit, over the title.
            Step::Send(Intent::Open(Screen::Title)),
            Step::ReloadError,
            Step::Shot("8-reload-error"),
            Step::Send(Intent::DismissReload),
            // The smallest window the game allows.
            Step::Size(SMALL_SIZE),
            Step::Send(Intent::Open(Screen::Select)),
            Step::Shot("9-small-select"),
            Step::Send(Intent::Pick(usize::MAX)),
            Step::Shot("9-small-briefing"),
            Step::Send(Intent::Begin),
            Step::PlayTo(MID_WAY_TURNS),
            Step::Shot("9-small-conversation"),
            Step::Send(Intent::Open(Screen::Settings)),
            Step::Shot("9-small-settings"),
            Step::Size(START_SIZE_F),
            // Recall mode: the trainee says it in their own words.
            Step::Send(Intent::SetMode(kiku_core::Mode::Recall)),
            Step::Send(Intent::Pick(usize::MAX)),
            Step::Shot("10-briefing-recall"),
            Step::Send(Intent::Begin),
            Step::Shot("10-recall-text-box"),
            Step::Send(Intent::Say(
                lang.pick(RECALL_WORDS.0, RECALL_WORDS.1).to_string(),
            )),
            Step::Shot("11-recall-heard-as"),
            Step::Send(Intent::Say(
                lang.pick(OFF_MENU_WORDS.0, OFF_MENU_WORDS.1).to_string(),
            )),
            Step::Shot("11-recall-heard-as-nothing"),
            Step::PlayTo(MAX_TURNS),
            Step::Send(Intent::Finish),
            Step::AwaitDebrief,
            Step::Shot("12-recall-debrief"),
            Step::Send(Intent::SetMode(kiku_core::Mode::Choose)),
            // A series: the follow-up's briefing recaps last time.
            Step::PickScenario(FOLLOW_UP),
            Step::Shot("13-follow-up-briefing"),
            // The largest text size (issue 13 #5: descenders once looked
            // cut in titles, buttons, replies and settings).
            Step::TextScale(LARGEST_TEXT),
            Step::Send(Intent::Open(Screen::Title)),
            Step::Shot("14-large-title"),
            Step::Send(Intent::Open(Screen::Select)),
            Step::Shot("14-large-select"),
            Step::Send(Intent::Pick(usize::MAX)),
            Step::Shot("14-large-briefing"),
            Step::Send(Intent::Begin),
            Step::PlayTo(MID_WAY_TURNS),
            Step::Shot("14-large-conversation"),
            Step::Send(Intent::Open(Screen::Settings)),
            Step::Shot("14-large-settings"),
            Step::TextScale(1.0),
            // The trainee's own progress, weeks of practice.
            Step::Practise,
            Step::Send(Intent::History(None)),
            Step::Shot("14-history"),
            Step::HistoryOf("ai_anxiety"),
            Step::Shot("14-history-other"),
            Step::Size(SMALL_SIZE),
            Step::Shot("14-small-history"),
            Step::Size(START_SIZE_F),
            // The follow-up after the trainee's own 01: the series view.
            Step::PickScenario(FOLLOW_UP),
            Step::PriorFromPractice,
            Step::Shot("15-follow-up-briefing-own"),
            Step::Send(Intent::Begin),
            Step::PlayBest,
            Step::Send(Intent::Finish),
            Step::AwaitDebrief,
            Step::Shot("15-series-debrief"),
            // The series view, as the trainee sees it scrolled down.
            Step::Scroll(SERIES_SCROLL),
            Step::Shot("15-series-view"),
        ]);
    }
    steps
}

/// The largest text size the settings offer.
const LARGEST_TEXT: f32 = crate::prefs::TEXT_SCALES[crate::prefs::TEXT_SCALES.len() - 1];

/// The follow-up pictured (bundled; skipped when a folder replaced it away).
const FOLLOW_UP: &str = "three_months_later";

/// What the trainee types in the recall pictures: a reflection of the
/// first member's opening in the trainee's own words (Japanese, English).
const RECALL_WORDS: (&str, &str) = (
    "今のままでいいのかって、引っかかってる感じなんだね",
    "sounds like you're not sure things are fine as they are",
);

/// Words that mean no reply on offer (the game asks which one was meant).
const OFF_MENU_WORDS: (&str, &str) = (
    "ところで週末なにしてたの",
    "by the way, how was your weekend",
);

/// The plugin for a screenshot walk into `dir`.
pub fn plugin(dir: PathBuf) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(WinitSettings::continuous())
            .insert_resource(Walk {
                dir: dir.clone(),
                steps: steps(),
                index: 0,
                settle: SETTLE_FRAMES,
                requested: 0,
                captured: 0,
                waited: 0,
                best: None,
            })
            .add_systems(Last, walk);
    }
}

#[allow(clippy::too_many_arguments)] // A Bevy system: each parameter is a resource it reads.
fn walk(
    mut commands: Commands,
    mut walk: ResMut<Walk>,
    mut game: ResMut<Game>,
    mut windows: Query<&mut Window, With<bevy::window::PrimaryWindow>>,
    library: Res<Library>,
    settings: Res<Settings>,
    screen: Res<State<Screen>>,
    mut workshop: ResMut<crate::workshop::Workshop>,
    mut intents: MessageWriter<Intent>,
    mut exit: MessageWriter<AppExit>,
    mut history: ResMut<crate::screens::history::History>,
    egui_context: Query<Entity, With<bevy_egui::PrimaryEguiContext>>,
    mut egui_input: MessageWriter<bevy_egui::input::EguiInputEvent>,
) {
    if walk.captured < walk.requested {
        walk.waited += 1;
        if walk.waited > CAPTURE_TIMEOUT_FRAMES {
            error!("screenshot capture timed out");
            exit.write(AppExit::error());
        }
        return;
    }
    if walk.settle > 0 {
        walk.settle -= 1;
        return;
    }
    let Some(step) = walk.steps.get(walk.index).cloned() else {
        info!(
            "{} screenshots written to {}",
            walk.captured,
            walk.dir.display()
        );
        exit.write(AppExit::Success);
        return;
    };
    walk.settle = SETTLE_FRAMES;
    match step {
        Step::Lang(lang) => {
            intents.write(Intent::SetPrefs(crate::prefs::Prefs {
                lang,
                reading_speed: 0,
                preview: false,
                ..settings.0
            }));
        }
        Step::PickScenario(id) => {
            let found = library
                .catalog
                .entries
                .iter()
                .position(|e| e.good.as_ref().is_some_and(|s| s.id == id));
            match found {
                Some(index) => {
                    intents.write(Intent::Pick(index));
                }
                None => {
                    error!("screenshot walk: no scenario `{id}`");
                    exit.write(AppExit::error());
                    return;
                }
            }
        }
        Step::Send(Intent::Pick(_)) => {
            let first = library.catalog.first_playable().unwrap_or(0);
            intents.write(Intent::Pick(first));
        }
        Step::Send(intent) => {
            intents.write(intent);
        }
        Step::PlayTo(turns) => {
            if let Some(play) = &game.play
                && !play.session.is_over()
                && play.session.turn_count() < turns
            {
                let enabled: Vec<_> = play
                    .session
                    .choices()
                    .into_iter()
                    .filter(|o| o.enabled)
                    .collect();
                // A mixed path, so the debrief has something to say: the
                // second reply is the last on offer, the others the first.
                let pick = if play.session.turn_count() == 1 {
                    enabled.last()
                } else {
                    enabled.first()
                };
                if let Some(offer) = pick {
                    intents.write(Intent::Choose(offer.id.clone()));
                    // Stay on this step until the target is reached.
                    walk.settle = 1;
                    return;
                }
            }
        }
        Step::TextScale(text_scale) => {
            intents.write(Intent::SetPrefs(crate::prefs::Prefs {
                text_scale,
                ..settings.0
            }));
        }
        Step::Preview(preview) => {
            intents.write(Intent::SetPrefs(crate::prefs::Prefs {
                preview,
                ..settings.0
            }));
        }
        Step::AwaitDebrief => {
            let ready = game.debrief.as_ref().is_some_and(|(_, d)| !d.pending);
            if !ready {
                walk.settle = 1;
                return;
            }
        }
        Step::Expect(expected) => {
            if *screen.get() != expected {
                error!(
                    "screenshot walk: expected the {expected:?} screen, found {:?}",
                    screen.get()
                );
                exit.write(AppExit::error());
                return;
            }
        }
        Step::ReloadError => {
            game.reload_errors = vec![SAMPLE_RELOAD_ERROR.to_string()];
        }
        Step::LocalBoard => {
            workshop.local = Some(played_board(&library));
        }
        Step::Practise => {
            let scenario_of = |id: &str| library.catalog.scenario(id);
            let records = super::practice::records(scenario_of);
            history.set(crate::view::history::attempts(records, scenario_of));
        }
        Step::HistoryOf(id) => {
            let index = library
                .catalog
                .entries
                .iter()
                .position(|e| e.good.as_ref().is_some_and(|s| s.id == id));
            intents.write(Intent::History(index));
        }
        Step::PriorFromPractice => {
            let scenario = game
                .picked
                .and_then(|i| crate::state::scenario_at(&library, i));
            let earlier = scenario.as_ref().and_then(|s| s.earlier());
            let record = history
                .attempts
                .as_ref()
                .and_then(|a| a.as_ref().ok())
                .and_then(|a| {
                    a.iter()
                        .map(|a| &a.finished)
                        .filter(|f| earlier.as_ref().is_some_and(|e| e.id == f.scenario))
                        .max_by_key(|f| f.finished_ms)
                });
            let prior = match (&scenario, &earlier, record) {
                (Some(s), Some(e), Some(r)) => {
                    kiku_core::play::prior::Prior::from_record(s, e, r).ok()
                }
                _ => None,
            };
            let Some(prior) = prior else {
                error!("screenshot walk: no practice record to follow");
                exit.write(AppExit::error());
                return;
            };
            game.prior = Some(prior);
        }
        Step::PlayBest => {
            if let Some(play) = &game.play
                && !play.session.is_over()
            {
                let path = walk.best.get_or_insert_with(|| {
                    kiku_core::tools::analyse::best_from(&play.session).choices
                });
                if let Some(id) = path.get(play.session.turn_count()) {
                    intents.write(Intent::Choose(id.clone()));
                    walk.settle = 1;
                    return;
                }
            }
            walk.best = None;
        }
        Step::Scroll(points) => {
            let middle = windows
                .iter()
                .next()
                .map(|w| bevy_egui::egui::pos2(w.width() / 2.0, w.height() / 2.0));
            if let (Ok(context), Some(middle)) = (egui_context.single(), middle) {
                for event in [
                    bevy_egui::egui::Event::PointerMoved(middle),
                    bevy_egui::egui::Event::MouseWheel {
                        unit: bevy_egui::egui::MouseWheelUnit::Point,
                        delta: bevy_egui::egui::vec2(0.0, -points),
                        modifiers: bevy_egui::egui::Modifiers::NONE,
                        phase: bevy_egui::egui::TouchPhase::Move,
                    },
                ] {
                    egui_input.write(bevy_egui::input::EguiInputEvent { context, event });
                }
            }
            walk.settle = SCROLL_FRAMES;
        }
        Step::Size((width, height)) => {
            for mut window in &mut windows {
                window.resolution.set(width, height);
            }
        }
        Step::Shot(name) => {
            let path = walk
                .dir
                .join(format!("{}-{name}.png", settings.lang.code()));
            walk.requested += 1;
            walk.waited = 0;
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(path))
                .observe(|_: On<ScreenshotCaptured>, mut walk: ResMut<Walk>| {
                    walk.captured += 1;
                });
        }
    }
    walk.index += 1;
}

/// 1on1s on the board pictured: how many per scenario, on how many
/// scenarios.
const BOARD_PLAYS: usize = 4;
const BOARD_SCENARIOS: usize = 3;
/// When the first of them finished (2026-12-01 00:40 UTC: the local time
/// shown differs from UTC by the time zone), and the time between them.
const BOARD_FIRST_MS: i64 = 1_796_085_600_000;
const BOARD_STEP_MS: i64 = 47 * 60 * 1000;

/// A local board of real 1on1s: the first bundled scenarios, each played
/// a few times through the core (the first reply each time, or straying
/// once) and scored as the game scores them.
fn played_board(library: &Library) -> Result<kiku_board::store::Board, String> {
    use kiku_board::store::{NewEntry, Ranking, Store};
    let mut store = Store::open_in_memory().map_err(|e| e.to_string())?;
    let scenarios = library
        .catalog
        .entries
        .iter()
        .filter_map(|e| e.good.clone())
        .filter(|s| s.follows.is_none())
        .take(BOARD_SCENARIOS);
    let mut finished_ms = BOARD_FIRST_MS;
    for scenario in scenarios {
        for play in 0..BOARD_PLAYS {
            let mut session = kiku_core::Session::start(&scenario, SEED + play as u64);
            while !session.is_over() && session.turn_count() < MAX_TURNS {
                let enabled: Vec<_> = session
                    .choices()
                    .into_iter()
                    .filter(|o| o.enabled)
                    .collect();
                // Play 0 takes the first reply on offer every time; each
                // other play strays once, to the last reply, a little
                // later in the 1on1 each time.
                let turn = session.turn_count();
                let at = if play > 0 && turn == 2 * play - 1 {
                    enabled.len().saturating_sub(1)
                } else {
                    0
                };
                let Some(offer) = enabled.get(at) else { break };
                if session.choose(&offer.id).is_err() {
                    break;
                }
            }
            if !session.is_over() {
                continue;
            }
            let score = kiku_core::score(&scenario, session.transcript());
            let finished = kiku_core::Finished::scored(&session, &score, finished_ms);
            finished_ms += BOARD_STEP_MS;
            store
                .insert(&NewEntry::local(&finished))
                .map_err(|e| e.to_string())?;
        }
    }
    store
        .board(crate::screens::leaderboard::TOP, Ranking::Attempts)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13 #13: the ranking picture once showed an empty board. The
    /// walk's board holds real, scored 1on1s of several scenarios, with
    /// scores from careful to careless and local times.
    #[test]
    fn the_walks_board_has_played_rows_on_several_scenarios() {
        let library = Library {
            catalog: crate::catalog::Catalog::with_bundled(Vec::new()),
            records: Default::default(),
        };
        let board = played_board(&library).expect("the board builds");
        assert!(board.scenarios.len() >= 2, "{board:?}");
        assert!(board.overall.len() >= 3);
        for scenario in &board.scenarios {
            assert!(scenario.rows.len() >= 2, "{}", scenario.id);
        }
        let points: Vec<u32> = board.overall.iter().map(|r| r.points).collect();
        assert!(points[0] >= 80, "the careful play scores well: {points:?}");
        assert!(
            board
                .scenarios
                .iter()
                .flat_map(|s| &s.rows)
                .any(|r| r.points < 60),
            "and a stray reply costs"
        );
        assert!(board.overall.iter().all(|r| r.created_ms >= BOARD_FIRST_MS));
    }
}
