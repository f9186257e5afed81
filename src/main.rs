//! The `kiku` binary: the game with no arguments, the facilitator's tools as
//! subcommands.

use std::process::ExitCode;

fn main() -> ExitCode {
    kiku::cli::run(std::env::args_os())
}
