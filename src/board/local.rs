//! The trainee's own board: every finished session is recorded in
//! `local.db` in the data folder, with no network. The leaderboard screen
//! reads it back ranked per scenario and overall.

use std::path::{Path, PathBuf};

use crate::board::store::{Board, Entry, NewEntry, Ranking, Scores, Store, StoreError};
use crate::scenario::Scenario;
use crate::score::Score;
use crate::session::Transcript;

/// The local board's file: `local.db` in [`crate::board::data_dir`].
pub fn default_path() -> PathBuf {
    crate::board::data_dir().join("local.db")
}

/// Records a finished session in the local board at [`default_path`].
pub fn record(
    scenario: &Scenario,
    transcript: &Transcript,
    score: &Score,
) -> Result<Entry, StoreError> {
    record_at(&default_path(), scenario, transcript, score)
}

/// Records a finished session in the local board at `path`.
pub fn record_at(
    path: &Path,
    scenario: &Scenario,
    transcript: &Transcript,
    score: &Score,
) -> Result<Entry, StoreError> {
    let mut store = Store::open(path)?;
    let inserted = store.insert(&NewEntry {
        submission: None,
        nickname: String::new(),
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        content_hash: scenario.content_hash(),
        seed: transcript.seed,
        choices: transcript.choice_ids(),
        ending: transcript.ending.clone(),
        scores: Scores::from(score),
    })?;
    Ok(inserted.entry)
}

/// The local board: the best `limit` attempts per scenario and overall.
pub fn board(path: &Path, limit: u32) -> Result<Board, StoreError> {
    Store::open(path)?.board(limit, Ranking::Attempts)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Session;

    #[test]
    fn records_and_ranks_attempts() {
        let scenario = crate::board::server_tests_fixture();
        let dir = std::env::temp_dir().join(format!("kiku-local-{}", std::process::id()));
        let path = dir.join("local.db");
        for choices in [
            &["reassure_early"][..],
            &["reflect_unsure", "ask_being", "autonomy"],
        ] {
            let session = Session::replay(&scenario, 1, choices).unwrap();
            let score = crate::score::score(&scenario, session.transcript());
            record_at(&path, &scenario, session.transcript(), &score).unwrap();
        }
        let board = board(&path, 10).unwrap();
        assert_eq!(board.entries, 2);
        assert_eq!(board.scenarios[0].rows.len(), 2);
        assert!(board.overall[0].points > board.overall[1].points);
        let _ = Arc::strong_count(&scenario);
        let _ = std::fs::remove_dir_all(dir);
    }
}
