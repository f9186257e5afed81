//! The scenarios on offer: the bundled ones (embedded in the binary) and
//! every file in the scenario folders, which add to them or replace them by
//! id; loaded and checked, keeping the last good version of each file across
//! edits (hot reload). No Bevy here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kiku_core::load::{self, Loaded};
use kiku_core::scenario::Scenario;

/// One scenario file.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The latest load of the file (its diagnostics, maybe no scenario).
    pub loaded: Loaded,
    /// The last version that loaded without errors: still playable while an
    /// edit is broken.
    pub good: Option<Arc<Scenario>>,
}

impl Entry {
    /// The file.
    pub fn path(&self) -> &Path {
        &self.loaded.path
    }

    /// The error headlines (`file:line:column: error: ...`) of the latest load.
    pub fn errors(&self) -> Vec<String> {
        self.loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == kiku_core::Severity::Error)
            .map(|d| d.headline())
            .collect()
    }
}

/// What a reload changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reload {
    /// Files whose new version loaded cleanly and differs from the old one.
    pub updated: Vec<PathBuf>,
    /// Errors of files whose latest edit is broken, as headlines.
    pub errors: Vec<String>,
}

/// Every scenario file in the folders the game plays from.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// The folders (or files) scanned.
    pub roots: Vec<PathBuf>,
    /// One entry per scenario: the bundled ones first (when `bundled`),
    /// then each folder's files sorted by path.
    pub entries: Vec<Entry>,
    /// Whether the bundled scenarios are on offer too.
    pub bundled: bool,
}

impl Catalog {
    /// Loads every `.ron` file under `roots`.
    pub fn load(roots: Vec<PathBuf>) -> Catalog {
        Catalog::new(roots, false)
    }

    /// The bundled scenarios, with every `.ron` file under `roots` added or
    /// replacing one by id (`kiku_core::load::library::library`).
    pub fn with_bundled(roots: Vec<PathBuf>) -> Catalog {
        Catalog::new(roots, true)
    }

    fn new(roots: Vec<PathBuf>, bundled: bool) -> Catalog {
        let mut catalog = Catalog {
            roots,
            entries: Vec::new(),
            bundled,
        };
        catalog.entries = catalog
            .read()
            .into_iter()
            .map(|loaded| Entry {
                good: loaded.scenario.clone(),
                loaded,
            })
            .collect();
        catalog
    }

    /// Everything on offer, freshly loaded.
    fn read(&self) -> Vec<Loaded> {
        if self.bundled {
            load::library::library(&self.roots)
        } else {
            load::load_all(&self.roots)
        }
    }

    /// The first entry that plays.
    pub fn first_playable(&self) -> Option<usize> {
        self.entries.iter().position(|e| e.good.is_some())
    }

    /// The playable scenario with this id (its last good version).
    pub fn scenario(&self, id: &str) -> Option<Arc<Scenario>> {
        self.entries
            .iter()
            .filter_map(|e| e.good.as_ref())
            .find(|s| s.id == id)
            .cloned()
    }

    /// The entry for `path`, if known.
    pub fn index_of(&self, path: &Path) -> Option<usize> {
        self.entries.iter().position(|e| e.path() == path)
    }

    /// Reads the folders again. A file that now fails keeps its last good
    /// version; new files are added; deleted files disappear.
    pub fn reload(&mut self) -> Reload {
        let mut report = Reload::default();
        let mut entries = Vec::new();
        for loaded in self.read() {
            let path = loaded.path.clone();
            let old = self.entries.iter().find(|e| e.path() == path);
            let good = match (&loaded.scenario, old) {
                (Some(new), Some(old)) => {
                    if old.good.as_deref() != Some(new) {
                        report.updated.push(path.clone());
                    }
                    Some(new.clone())
                }
                (Some(new), None) => {
                    report.updated.push(path.clone());
                    Some(new.clone())
                }
                (None, old) => old.and_then(|o| o.good.clone()),
            };
            let changed = old.is_none_or(|o| o.loaded.source != loaded.source);
            let entry = Entry { loaded, good };
            if changed {
                report.errors.extend(entry.errors());
            }
            entries.push(entry);
        }
        self.entries = entries;
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use kiku_core::fixtures::SAMPLE;

    #[test]
    fn a_broken_edit_keeps_the_last_good_version() {
        let dir = std::env::temp_dir().join(format!("kiku-catalog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.ron");
        std::fs::write(&file, SAMPLE).unwrap();
        std::fs::write(dir.join("broken.ron"), "Scenario(\n  id: 3,\n)").unwrap();
        let mut catalog = Catalog::load(vec![dir.clone()]);
        assert_eq!(catalog.entries.len(), 2);
        assert_eq!(catalog.first_playable(), Some(0));
        assert!(catalog.entries[1].errors()[0].contains("broken.ron:"));

        // Nothing changed: nothing reported.
        assert_eq!(catalog.reload(), Reload::default());

        std::fs::write(
            &file,
            SAMPLE.replacen("start: \"open\"", "start: \"nowhere\"", 1),
        )
        .unwrap();
        let report = catalog.reload();
        assert!(report.updated.is_empty());
        assert!(report.errors[0].contains("a.ron:"), "{report:?}");
        assert!(catalog.entries[0].good.is_some(), "last good version kept");

        std::fs::write(&file, SAMPLE.replace("見えない行き先", "見えない行き先 2")).unwrap();
        let report = catalog.reload();
        assert_eq!(report.updated, vec![file.clone()]);
        assert!(report.errors.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
