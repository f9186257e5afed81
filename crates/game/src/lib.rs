//! kiku-game: the Bevy game, a thin shell over kiku-core. One plugin per
//! screen over the [`Screen`] state; drawing code (egui, `screens/`) turns a
//! view model (`view/`) into an [`Intent`]; [`intent::apply_intents`] is the
//! only place intents change the game. A finished 1on1 becomes one
//! [`finish::OneOnOneFinished`] message that [`finish`] stores.
//!
//! Bevy-free parts (testable without a window): [`catalog`], [`prefs`],
//! [`view`].

use std::process::ExitCode;

use bevy::prelude::*;

pub mod catalog;
pub mod dev;
pub mod finish;
pub mod intent;
pub mod prefs;
pub mod resume;
pub mod screens;
pub mod series;
pub mod state;
pub mod theme;
pub mod view;
pub mod workshop;

// The engine versions the game is built on, for the integration tests (so
// the top-level package needs no Bevy of its own when built without the game).
pub use bevy;
pub use bevy_egui;

pub use intent::Intent;
pub use state::{
    Config, Game, GameArgs, Library, Play, Screen, Settings, Suggestions, scenario_at, setup,
};

/// The game's logic without any window or drawing: states, resources,
/// intent handling, recording finished 1on1s. Headless tests add it to
/// `MinimalPlugins` + `StatesPlugin`.
pub fn logic_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_message::<Intent>()
        .init_resource::<Game>()
        .add_systems(Update, (intent::apply_intents, finish::record).chain())
        .add_plugins((
            finish::plugin,
            resume::plugin,
            workshop::plugin,
            screens::conversation::logic,
            screens::debrief::logic,
        ));
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
        config.seed = Some(dev::screenshots::SEED);
    }
    let roots = library.catalog.roots.clone();
    let mut app = App::new();
    app.add_plugins(theme::window_plugins(screenshots.is_some()))
        .insert_resource(config)
        .insert_resource(settings)
        .insert_resource(library)
        .add_plugins((logic_plugin, theme::plugin, screens::plugin));
    app.world_mut().resource_mut::<Game>().notices = notices;
    match screenshots {
        Some(dir) => {
            app.add_plugins(dev::screenshots::plugin(dir));
        }
        None => {
            app.add_plugins(dev::hot_reload::plugin(roots));
        }
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
