//! The `kiku` binary: the game with no arguments, the facilitator's tools as
//! subcommands (`cli.rs`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run(std::env::args_os())
}
