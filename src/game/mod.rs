//! The Bevy game (placeholder until the game issue lands).

use std::process::ExitCode;

use crate::cli::GameArgs;

/// Opens the game window.
pub fn run(_args: &GameArgs) -> ExitCode {
    eprintln!("the game is not built yet; use the subcommands (`kiku --help`)");
    ExitCode::FAILURE
}
