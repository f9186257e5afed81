//! Every finished 1on1, saved in the data folder: scenario, seed, date, score
//! and choices (enough to replay it). No Bevy here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use kiku_board::files::{self as store, Read};
use kiku_core::score::Score;
use kiku_core::play::session::Session;

/// The file format's name and version.
pub const FORMAT: &str = "kiku.history/1";

/// One finished session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The scenario id.
    pub scenario: String,
    /// SHA-256 of the scenario's content when it was played.
    pub scenario_hash: String,
    /// The seed.
    pub seed: u64,
    /// When it finished (Unix seconds).
    pub finished_at: u64,
    /// The overall score.
    pub overall: u32,
    /// Listening, questions, change, outcome.
    pub axes: [u32; 4],
    /// The ending id.
    pub ending: Option<String>,
    /// The choice ids in order.
    pub choices: Vec<String>,
}

impl Entry {
    /// The entry for a finished (or abandoned) session.
    pub fn of(session: &Session, score: &Score, finished_at: u64) -> Entry {
        let transcript = session.transcript();
        Entry {
            scenario: transcript.scenario.clone(),
            scenario_hash: session.scenario().content_hash(),
            seed: transcript.seed,
            finished_at,
            overall: score.overall,
            axes: [
                score.listening,
                score.questions,
                score.change,
                score.outcome,
            ],
            ending: transcript.ending.clone(),
            choices: transcript.choice_ids(),
        }
    }
}

/// The whole history file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Always [`FORMAT`] when written by this version.
    #[serde(default)]
    pub format: String,
    /// Oldest first.
    pub entries: Vec<Entry>,
}

/// A player's record on one scenario, for its card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Best overall score.
    pub best: Option<u32>,
    /// Most recent overall score.
    pub last: Option<u32>,
    /// How many times it was finished.
    pub plays: usize,
}

impl History {
    /// The best and last score on `scenario`.
    pub fn record(&self, scenario: &str) -> Record {
        let scores: Vec<u32> = self
            .entries
            .iter()
            .filter(|e| e.scenario == scenario)
            .map(|e| e.overall)
            .collect();
        Record {
            best: scores.iter().copied().max(),
            last: scores.last().copied(),
            plays: scores.len(),
        }
    }
}

/// The history file in `dir`.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join("history.json")
}

/// Loads the history from `dir`; a corrupt file is moved aside and the
/// message returned.
pub fn load(dir: Option<&Path>) -> (History, Option<String>) {
    let Some(dir) = dir else {
        return (History::default(), None);
    };
    match store::read_json::<History>(&path_in(dir)) {
        Read::Ok(h) => (h, None),
        Read::Missing => (History::default(), None),
        Read::Corrupt { message, .. } => (History::default(), Some(message)),
    }
}

/// Appends `entry` and saves the whole history atomically.
pub fn append(dir: &Path, history: &mut History, entry: Entry) -> std::io::Result<()> {
    history.entries.push(entry);
    history.format = FORMAT.to_string();
    store::write_json(&path_in(dir), history)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(scenario: &str, overall: u32) -> Entry {
        Entry {
            scenario: scenario.into(),
            scenario_hash: "h".into(),
            seed: 1,
            finished_at: 0,
            overall,
            axes: [overall; 4],
            ending: None,
            choices: vec!["a".into()],
        }
    }

    #[test]
    fn records_best_and_last_and_persists() {
        let dir = std::env::temp_dir().join(format!("kiku-history-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (mut history, message) = load(Some(&dir));
        assert!(message.is_none());
        append(&dir, &mut history, entry("a", 70)).unwrap();
        append(&dir, &mut history, entry("a", 55)).unwrap();
        append(&dir, &mut history, entry("b", 90)).unwrap();
        let (again, _) = load(Some(&dir));
        assert_eq!(again, history);
        assert_eq!(
            again.record("a"),
            Record {
                best: Some(70),
                last: Some(55),
                plays: 2
            }
        );
        assert_eq!(again.record("zzz"), Record::default());
        std::fs::write(path_in(&dir), b"\xff\x00 garbage").unwrap();
        let (fresh, message) = load(Some(&dir));
        assert!(fresh.entries.is_empty());
        assert!(message.unwrap().contains("moved"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
