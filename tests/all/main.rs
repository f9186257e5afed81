//! Kiku's integration tests: one binary (each file under tests/ would link
//! Bevy again), one module per area.

mod board;
mod core_engine;
#[cfg(feature = "gui")]
mod game;
#[cfg(feature = "gui")]
mod history;
#[cfg(feature = "gui")]
mod recall_game;
mod scenario_content;
#[cfg(feature = "gui")]
mod workshop_game;
