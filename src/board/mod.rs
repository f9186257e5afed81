//! The leaderboard: local store, workshop server and client (placeholder
//! until the workshop leaderboard issue lands).

/// `kiku serve`: the workshop server.
pub mod serve {
    use std::process::ExitCode;

    use crate::cli::ServeArgs;

    /// Runs the workshop server until interrupted.
    pub fn run(_args: &ServeArgs) -> ExitCode {
        eprintln!("the workshop server is not built yet");
        ExitCode::FAILURE
    }
}
