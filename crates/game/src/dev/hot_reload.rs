//! Hot reload: saving a scenario file while the game runs reloads it within
//! a second. A broken edit shows its file:line:column in an overlay and the
//! last good version stays playable; the 1on1 in progress keeps its place
//! (its choices are replayed on the new version as far as they still fit).

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use bevy::prelude::*;
use notify::{RecursiveMode, Watcher as _};

use crate::state::{Game, Library, Screen, Settings};
use crate::view::{self, Typing};
use kiku_core::play::session::Session;

/// Quiet time after the last file event before reloading: editors write a
/// file in several steps.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The file watcher and the channel it reports on.
#[derive(Resource)]
pub struct ScenarioWatcher {
    _watcher: Option<notify::RecommendedWatcher>,
    changes: Mutex<Receiver<()>>,
}

/// Watches `roots` and reloads the catalog when a scenario file changes.
pub fn plugin(roots: Vec<PathBuf>) -> impl Fn(&mut App) {
    move |app: &mut App| {
        let roots = roots.clone();
        app.add_systems(
            Startup,
            move |mut commands: Commands,
                  proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>| {
                let proxy = proxy.map(|p| (**p).clone());
                let wake = move || {
                    if let Some(proxy) = &proxy {
                        let _ = proxy.send_event(bevy::winit::WinitUserEvent::WakeUp);
                    }
                };
                commands.insert_resource(watch(&roots, wake));
            },
        )
        .add_systems(Update, apply_changes.after(crate::intent::apply_intents));
    }
}

/// Starts watching `roots`; `wake` is called (from another thread) after a
/// change settled, so a sleeping event loop runs [`apply_changes`].
pub fn watch(roots: &[PathBuf], wake: impl Fn() + Send + 'static) -> ScenarioWatcher {
    let (raw_tx, raw_rx) = mpsc::channel::<()>();
    let (tx, rx) = mpsc::channel::<()>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !event.kind.is_access()
        {
            let _ = raw_tx.send(());
        }
    });
    let watcher = match watcher {
        Ok(mut w) => {
            for root in roots {
                if let Err(e) = w.watch(root, RecursiveMode::NonRecursive) {
                    warn!("hot reload: cannot watch {}: {e}", root.display());
                }
            }
            Some(w)
        }
        Err(e) => {
            warn!("hot reload is off: {e}");
            None
        }
    };
    // Debounce on a thread of its own, then wake the game once.
    std::thread::Builder::new()
        .name("kiku-hot-reload".into())
        .spawn(move || {
            while raw_rx.recv().is_ok() {
                loop {
                    match raw_rx.recv_timeout(DEBOUNCE) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if tx.send(()).is_err() {
                    return;
                }
                wake();
            }
        })
        .ok();
    ScenarioWatcher {
        _watcher: watcher,
        changes: Mutex::new(rx),
    }
}

/// Reloads the catalog after a change and keeps the 1on1 in progress.
pub fn apply_changes(
    watcher: Option<Res<ScenarioWatcher>>,
    mut library: ResMut<Library>,
    mut game: ResMut<Game>,
    settings: Res<Settings>,
    screen: Option<Res<State<Screen>>>,
) {
    let Some(watcher) = watcher else {
        return;
    };
    let changed = watcher
        .changes
        .lock()
        .map(|rx| rx.try_iter().count() > 0)
        .unwrap_or(false);
    if changed {
        // The debrief is about the 1on1 as it was played: leave it be.
        let keep_play = screen.is_some_and(|s| *s.get() == Screen::Debrief);
        reload(&mut library, &mut game, &settings, keep_play);
    }
}

/// Reloads every scenario file now. Unless `keep_play`, the 1on1 in
/// progress moves to the new version of its scenario, keeping its place.
pub fn reload(library: &mut Library, game: &mut Game, settings: &Settings, keep_play: bool) {
    // Indices shift when files come and go: remember the picked file.
    let picked = game
        .picked
        .and_then(|i| library.catalog.entries.get(i))
        .map(|e| e.path().to_path_buf());
    let report = library.catalog.reload();
    game.picked = picked.and_then(|p| library.catalog.index_of(&p));
    for e in &report.errors {
        warn!("{e}");
    }
    // The overlay shows what is broken now, in every file: a file restored
    // to its last good content clears it even though nothing was updated.
    game.reload_errors = library
        .catalog
        .entries
        .iter()
        .flat_map(|e| e.errors())
        .collect();
    // Keep the trainee's place in the 1on1, on the new version.
    let Some(play) = game.play.as_mut().filter(|_| !keep_play) else {
        return;
    };
    let Some(entry) = library.catalog.entries.iter().position(|e| {
        e.good
            .as_ref()
            .is_some_and(|s| s.id == play.session.scenario().id)
    }) else {
        return;
    };
    let Some(new) = library.catalog.entries[entry].good.clone() else {
        return;
    };
    if *new == **play.session.scenario() {
        return;
    }
    let t = play.session.transcript();
    let session = Session::replay_prefix(&new, t.seed, &t.choice_ids());
    info!(
        "hot reload: {} replayed {} of {} choices",
        new.id,
        session.turn_count(),
        t.turns.len()
    );
    let mut typing = Typing::start(view::current_line_chars(&session, settings.lang));
    typing.skip();
    // A finished 1on1 was recorded once; its debrief now scores the new
    // version. One replayed to an earlier point keeps the old score, so
    // finishing it again does not record it twice.
    let score = match (&play.score, session.is_over()) {
        (Some(_), true) => Some(std::sync::Arc::new(kiku_core::score(
            &new,
            session.transcript(),
        ))),
        (old, _) => old.clone(),
    };
    // Recall mode hears with the new version's words; what was typed stays.
    let recall = play.recall.take().map(|mut r| {
        r.hearer = std::sync::Arc::new(kiku_hear::Hearer::new(&new));
        r.said.truncate(session.transcript().turns.len());
        r.unclear = None;
        r.before_last = None;
        r
    });
    *play = crate::state::Play {
        entry,
        session,
        typing,
        score,
        recorded: play.recorded,
        recall,
    };
    game.debrief = None;
    game.suggestions = None;
}
