//! The trainee's own board: every finished 1on1 is recorded, as its
//! [`Finished`] record, in `local.db` in the data folder, with no network.
//! The leaderboard screen reads it back ranked; the scenario cards read each
//! scenario's best, last and number of plays from it. A `history.json` left
//! by Kiku 0.1 is imported once and renamed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use kiku_core::score::Scores;
use kiku_core::text::Text;
use kiku_core::{Finished, Mode};

use crate::files::{self, Read};
use crate::store::{Board, Entry, NewEntry, Ranking, Store, StoreError};

/// The local board's file name in the data folder.
pub const FILE_NAME: &str = "local.db";

/// The local board's file in `dir`.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Records a finished 1on1 in the local board at `path`.
pub fn record_at(path: &Path, finished: &Finished) -> Result<Entry, StoreError> {
    let mut store = Store::open(path)?;
    let inserted = store.insert(&NewEntry::local(finished))?;
    Ok(inserted.entry)
}

/// The local board: the best `limit` attempts per scenario and overall,
/// among 1on1s played by choosing replies (and those from before recall
/// mode).
pub fn board(path: &Path, limit: u32) -> Result<Board, StoreError> {
    Store::open(path)?.board(limit, Ranking::Attempts)
}

/// The local board of one reply `mode`: each mode is ranked on its own
/// (recalling a reply is harder than recognising it).
pub fn board_in(path: &Path, limit: u32, mode: Mode) -> Result<Board, StoreError> {
    Store::open(path)?.board_in(limit, Ranking::Attempts, mode)
}

/// A trainee's record on one scenario, for its card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Best overall score.
    pub best: Option<u32>,
    /// Most recent overall score.
    pub last: Option<u32>,
    /// How many times it was finished.
    pub plays: usize,
}

impl Record {
    /// Counts one more finished 1on1 that scored `overall`, as the latest.
    pub fn add(&mut self, overall: u32) {
        self.best = Some(self.best.map_or(overall, |b| b.max(overall)));
        self.last = Some(overall);
        self.plays += 1;
    }
}

/// Every scenario's [`Record`] in the local board at `path`, by scenario id.
/// A board that does not exist yet has no records.
pub fn records(path: &Path) -> Result<BTreeMap<String, Record>, StoreError> {
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    // Oldest first, so the last one seen is the most recent.
    for entry in Store::open(path)?.entries()? {
        records
            .entry(entry.finished.scenario)
            .or_default()
            .add(entry.finished.scores.overall);
    }
    Ok(records)
}

/// The history file Kiku 0.1 kept beside the local board.
pub const LEGACY_HISTORY: &str = "history.json";

/// One finished 1on1 as Kiku 0.1's `history.json` held it.
#[derive(Debug, Deserialize)]
struct LegacyEntry {
    scenario: String,
    scenario_hash: String,
    seed: u64,
    finished_at: u64,
    overall: u32,
    axes: [u32; 4],
    ending: Option<String>,
    choices: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct LegacyHistory {
    entries: Vec<LegacyEntry>,
}

/// What [`import_legacy_history`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Imported {
    /// There was no `history.json`.
    Nothing,
    /// This many entries went into the local board; the file was renamed to
    /// `renamed_to`.
    Entries {
        /// How many.
        count: usize,
        /// The old file's new name.
        renamed_to: PathBuf,
    },
    /// The file could not be read as a history; it was moved aside (see the
    /// message) and nothing was imported.
    Corrupt(kiku_core::text::Text),
}

/// Imports a Kiku 0.1 `history.json` in `dir` into the local board in the
/// same folder, once: every entry becomes a [`Finished`] record with the
/// scores it had, then the file is renamed to `history.json.imported` so it
/// is neither lost nor imported again. `title` names a scenario id (the old
/// file had no titles; an unknown id keeps the id as its title).
pub fn import_legacy_history(
    dir: &Path,
    title: impl Fn(&str) -> Option<Text>,
) -> Result<Imported, StoreError> {
    let path = dir.join(LEGACY_HISTORY);
    let history = match files::read_json::<LegacyHistory>(&path) {
        Read::Missing => return Ok(Imported::Nothing),
        Read::Corrupt { message, .. } => return Ok(Imported::Corrupt(message)),
        Read::Ok(history) => history,
    };
    let mut store = Store::open(&path_in(dir))?;
    for (index, old) in history.entries.iter().enumerate() {
        let [listening, questions, change, outcome] = old.axes;
        let finished = Finished {
            scenario: old.scenario.clone(),
            title: title(&old.scenario).unwrap_or_else(|| Text::new(&old.scenario, &old.scenario)),
            content_hash: old.scenario_hash.clone(),
            seed: old.seed,
            choices: old.choices.clone(),
            ending: old.ending.clone(),
            scores: Scores {
                overall: old.overall,
                listening,
                questions,
                change,
                outcome,
            },
            finished_ms: i64::try_from(old.finished_at)
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
            mode: kiku_core::Mode::Choose,
            prior: None,
        };
        // A submission id per old entry: if a crash stops the import half-way,
        // the next start stores only what is missing.
        let new = NewEntry {
            submission: Some(format!("history-{index}-{}", old.finished_at)),
            ..NewEntry::local(&finished)
        };
        store.insert(&new)?;
    }
    let renamed_to = dir.join(format!("{LEGACY_HISTORY}.imported"));
    std::fs::rename(&path, &renamed_to).map_err(|source| StoreError::Folder {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Imported::Entries {
        count: history.entries.len(),
        renamed_to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::Session;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kiku-local-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn records_and_ranks_attempts() {
        let scenario = crate::server_tests_fixture();
        let dir = temp_dir("rank");
        let path = path_in(&dir);
        assert!(records(&path).unwrap().is_empty());
        for (at, choices) in [
            (1_000, &["reassure_early"][..]),
            (2_000, &["reflect_unsure", "ask_being", "autonomy"]),
        ] {
            let session = Session::replay(&scenario, 1, choices).unwrap();
            record_at(&path, &Finished::of(&session, at)).unwrap();
        }
        let board = board(&path, 10).unwrap();
        assert_eq!(board.entries, 2);
        assert_eq!(board.scenarios[0].rows.len(), 2);
        assert!(board.overall[0].points > board.overall[1].points);
        let record = records(&path).unwrap()[&scenario.id];
        assert_eq!(record.plays, 2);
        assert_eq!(record.last, Some(board.overall[0].points));
        assert_eq!(record.best, Some(board.overall[0].points));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn imports_a_legacy_history_once_and_loses_nothing() {
        let dir = temp_dir("import");
        let legacy = r#"{"format": "kiku.history/1", "entries": [
            {"scenario": "first_steps", "scenario_hash": "h1", "seed": 3,
             "finished_at": 1700000000, "overall": 70, "axes": [80, 60, 50, 90],
             "ending": "opened", "choices": ["a", "b"]},
            {"scenario": "gone", "scenario_hash": "h2", "seed": 4,
             "finished_at": 1700000100, "overall": 40, "axes": [40, 40, 40, 40],
             "ending": null, "choices": ["c"]}]}"#;
        std::fs::write(dir.join(LEGACY_HISTORY), legacy).unwrap();
        let title =
            |id: &str| (id == "first_steps").then(|| Text::new("はじめの一歩", "First steps"));
        let imported = import_legacy_history(&dir, title).unwrap();
        assert_eq!(
            imported,
            Imported::Entries {
                count: 2,
                renamed_to: dir.join("history.json.imported")
            }
        );
        assert!(!dir.join(LEGACY_HISTORY).exists());
        assert!(dir.join("history.json.imported").exists());
        // A second start finds nothing to import.
        assert_eq!(
            import_legacy_history(&dir, title).unwrap(),
            Imported::Nothing
        );
        let entries = Store::open(&path_in(&dir)).unwrap().entries().unwrap();
        assert_eq!(entries.len(), 2);
        let first = &entries[0].finished;
        assert_eq!(first.scenario, "first_steps");
        assert_eq!(first.title.en, "First steps");
        assert_eq!(first.content_hash, "h1");
        assert_eq!((first.seed, first.finished_ms), (3, 1_700_000_000_000));
        assert_eq!(first.choices, ["a", "b"]);
        assert_eq!(first.ending.as_deref(), Some("opened"));
        assert_eq!(
            first.scores,
            Scores {
                overall: 70,
                listening: 80,
                questions: 60,
                change: 50,
                outcome: 90
            }
        );
        assert_eq!(entries[1].finished.title.ja, "gone");
        let records = records(&path_in(&dir)).unwrap();
        assert_eq!(records["first_steps"].best, Some(70));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_corrupt_legacy_history_is_moved_aside_not_imported() {
        let dir = temp_dir("corrupt");
        std::fs::write(dir.join(LEGACY_HISTORY), b"{\"entries\": [").unwrap();
        let imported = import_legacy_history(&dir, |_| None).unwrap();
        assert!(matches!(imported, Imported::Corrupt(m) if m.en.contains("moved")));
        assert!(!path_in(&dir).exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
