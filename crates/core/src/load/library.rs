//! Where the scenarios come from: the bundled ones, embedded in the binary at
//! build time (`build.rs`), and the folders on disk a facilitator edits,
//! whose scenarios add to the bundled ones or replace them by id.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::load::{Loaded, load_all, load_str};
use crate::scenario::Scenario;

/// What `build.rs` embedded: the scenario files and the two guides.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The environment variable naming a scenario folder.
pub const ENV: &str = "KIKU_SCENARIOS";

/// The folder beside the executable that is read when it exists.
pub const BESIDE_EXECUTABLE: &str = "scenarios";

/// The folder shown in the path of a bundled scenario (`(bundled)/01_first_steps.ron`).
pub const BUNDLED_FOLDER: &str = "(bundled)";

/// Where a loaded scenario came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary when it was built.
    Bundled,
    /// A file on disk.
    File(PathBuf),
}

impl Origin {
    /// A short label for people: `bundled`, or the file's path.
    pub fn label(&self) -> String {
        match self {
            Origin::Bundled => "bundled".into(),
            Origin::File(path) => path.display().to_string(),
        }
    }
}

/// Why a folder of scenarios is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// `scenarios/` beside the executable.
    BesideExecutable,
    /// The `KIKU_SCENARIOS` environment variable.
    Env,
    /// The command line (`--scenarios DIR`).
    Option,
}

/// A folder (or file) of scenarios on disk, and why it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    /// The folder as found.
    pub path: PathBuf,
    /// Why it is read.
    pub why: Why,
}

impl Folder {
    /// `PATH (why)`, for messages.
    pub fn describe(&self) -> String {
        let why = match self.why {
            Why::BesideExecutable => "scenarios/ beside the executable",
            Why::Env => ENV,
            Why::Option => "--scenarios",
        };
        format!("{} ({why})", self.path.display())
    }
}

/// The bundled scenarios, loaded and checked, in file-name order.
pub fn bundled() -> Vec<Loaded> {
    embedded::SCENARIOS
        .iter()
        .map(|(name, text)| {
            let mut loaded = load_str(&Path::new(BUNDLED_FOLDER).join(name), (*text).to_string());
            loaded.origin = Origin::Bundled;
            loaded
        })
        .collect()
}

/// The bundled scenario with `id`, loaded once per process (a follow-up
/// loaded on its own finds its earlier scenario here).
pub fn bundled_scenario(id: &str) -> Option<Arc<Scenario>> {
    static BUNDLED: OnceLock<Vec<Arc<Scenario>>> = OnceLock::new();
    BUNDLED
        .get_or_init(|| {
            let mut all = bundled();
            crate::load::series::link_with(&mut all, false);
            all.into_iter().filter_map(|l| l.scenario).collect()
        })
        .iter()
        .find(|s| s.id == id)
        .cloned()
}

/// The folders on disk that add to the bundled scenarios, in the order they
/// apply (a later folder's scenario replaces an earlier one with the same
/// id): `scenarios/` beside the executable when it exists, then
/// `KIKU_SCENARIOS`, then `option` (`--scenarios DIR`). The last two are
/// listed even when missing, so that a mistyped folder shows as an error.
pub fn folders(option: Option<&Path>) -> Vec<Folder> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(BESIDE_EXECUTABLE)));
    let env = std::env::var_os(ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    folders_from(beside.as_deref(), env, option)
}

fn folders_from(beside: Option<&Path>, env: Option<PathBuf>, option: Option<&Path>) -> Vec<Folder> {
    let mut found = Vec::new();
    if let Some(dir) = beside.filter(|d| d.is_dir()) {
        found.push(Folder {
            path: dir.to_path_buf(),
            why: Why::BesideExecutable,
        });
    }
    if let Some(dir) = env {
        found.push(Folder {
            path: dir,
            why: Why::Env,
        });
    }
    if let Some(dir) = option {
        found.push(Folder {
            path: dir.to_path_buf(),
            why: Why::Option,
        });
    }
    // The same folder named twice is read once, where it applies last.
    let mut unique: Vec<Folder> = Vec::new();
    for folder in found.into_iter().rev() {
        if !unique.iter().any(|u| same_path(&u.path, &folder.path)) {
            unique.insert(0, folder);
        }
    }
    unique
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The paths of `folders`, for [`library`] and [`crate::load::discover`].
pub fn paths(folders: &[Folder]) -> Vec<PathBuf> {
    folders.iter().map(|f| f.path.clone()).collect()
}

/// The scenarios to play: the bundled ones, then every file under `paths`
/// (see [`crate::load::discover`]), each merged in with [`merge`].
pub fn library(paths: &[PathBuf]) -> Vec<Loaded> {
    let mut all = bundled();
    for loaded in load_all(paths) {
        merge(&mut all, loaded);
    }
    crate::load::series::link(&mut all);
    all
}

/// Adds `loaded` to `all`: it takes the place of a scenario with the same
/// id, else it is added at the end. A file that failed to load has no id
/// and is added (its errors are shown; the scenario it meant to replace
/// stays playable).
pub fn merge(all: &mut Vec<Loaded>, loaded: Loaded) {
    let same = loaded.scenario.as_ref().and_then(|new| {
        all.iter()
            .position(|l| l.scenario.as_ref().is_some_and(|old| old.id == new.id))
    });
    match same {
        Some(index) => all[index] = loaded,
        None => all.push(loaded),
    }
}

/// The scenario in `library` named `name`: its id, its file name or its
/// file name without `.ron` (`first_steps`, `01_first_steps.ron`).
pub fn find<'a>(library: &'a [Loaded], name: &str) -> Option<&'a Loaded> {
    let by_id = library
        .iter()
        .find(|l| l.scenario.as_ref().is_some_and(|s| s.id == name));
    by_id.or_else(|| {
        library.iter().find(|l| {
            let file = l.path.file_name().and_then(|n| n.to_str());
            let stem = l.path.file_stem().and_then(|n| n.to_str());
            file == Some(name) || stem == Some(name)
        })
    })
}

/// A file [`export`] writes: its name in the folder and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// The file name.
    pub name: String,
    /// The text.
    pub text: String,
}

/// The files `kiku scenarios export` writes: the bundled scenarios, the
/// authoring guide as `README.md` and `1on1-guide.md`, with the links
/// between the two guides pointing at each other in the one folder.
pub fn export_files() -> Vec<ExportFile> {
    let mut files: Vec<ExportFile> = embedded::SCENARIOS
        .iter()
        .map(|(name, text)| ExportFile {
            name: (*name).to_string(),
            text: (*text).to_string(),
        })
        .collect();
    files.push(ExportFile {
        name: "README.md".into(),
        text: embedded::AUTHORING_GUIDE.replace("../docs/1on1-guide.md", "1on1-guide.md"),
    });
    files.push(ExportFile {
        name: "1on1-guide.md".into(),
        text: embedded::FACILITATOR_GUIDE.replace("../scenarios/README.md", "README.md"),
    });
    files
}

/// Why [`export`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target exists and is not a folder.
    #[error("{}: exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Files would be overwritten and `force` was not given.
    #[error(
        "{} already holds {}; nothing was written (use --force to overwrite them)",
        dir.display(),
        names.join(", ")
    )]
    WouldOverwrite {
        /// The folder.
        dir: PathBuf,
        /// The files that exist.
        names: Vec<String>,
    },
    /// The folder could not be made, or a file written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Writes [`export_files`] into `dir` (made if missing). Refuses to
/// overwrite any file unless `force`; returns the paths written.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>, ExportError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ExportError::NotAFolder(dir.to_path_buf()));
    }
    let files = export_files();
    if !force {
        let names: Vec<String> = files
            .iter()
            .filter(|f| dir.join(&f.name).symlink_metadata().is_ok())
            .map(|f| f.name.clone())
            .collect();
        if !names.is_empty() {
            return Err(ExportError::WouldOverwrite {
                dir: dir.to_path_buf(),
                names,
            });
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        std::fs::write(&path, file.text).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_is_embedded_and_loads() {
        let on_disk = crate::load::discover(&[crate::load::bundled_dir()]);
        let bundled = bundled();
        assert!(!bundled.is_empty());
        assert_eq!(bundled.len(), on_disk.len());
        for loaded in &bundled {
            assert_eq!(loaded.origin, Origin::Bundled);
            assert!(!loaded.has_errors(), "{}", loaded.render());
            assert!(loaded.path.starts_with(BUNDLED_FOLDER));
        }
        assert!(embedded::AUTHORING_GUIDE.contains("Scenario("));
        assert!(!embedded::FACILITATOR_GUIDE.is_empty());
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kiku-library-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_folder_adds_and_replaces_by_id_and_keeps_broken_files() {
        let dir = temp("merge");
        std::fs::create_dir_all(&dir).unwrap();
        let (name, text) = embedded::SCENARIOS[0];
        let id = bundled()[0].scenario.as_ref().unwrap().id.clone();
        // Same id, another file name: replaces the bundled one in place.
        let edited = text.replacen("Scenario(", "Scenario(\n", 1);
        std::fs::write(dir.join(format!("mine_{name}")), &edited).unwrap();
        // A new id: added.
        let new_id = text.replacen(&format!("\"{id}\""), "\"my_own\"", 1);
        std::fs::write(dir.join("new.ron"), new_id).unwrap();
        std::fs::write(dir.join("broken.ron"), "Scenario(").unwrap();
        let all = library(std::slice::from_ref(&dir));
        let count = embedded::SCENARIOS.len();
        assert_eq!(all.len(), count + 2);
        assert_eq!(
            all[0].origin,
            Origin::File(dir.join(format!("mine_{name}")))
        );
        assert_eq!(all[0].scenario.as_ref().unwrap().id, id);
        assert!(all[1].origin == Origin::Bundled);
        assert!(
            all.iter()
                .any(|l| l.has_errors() && l.path.ends_with("broken.ron"))
        );
        assert!(find(&all, "my_own").is_some());
        assert_eq!(find(&all, &id).unwrap().origin, all[0].origin);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn folders_come_in_order_and_missing_ones_only_when_named() {
        let dir = temp("folders");
        std::fs::create_dir_all(&dir).unwrap();
        let none = folders_from(Some(&dir.join("missing")), None, None);
        assert!(none.is_empty());
        let all = folders_from(Some(&dir), Some(dir.join("env")), Some(&dir.join("opt")));
        let whys: Vec<Why> = all.iter().map(|f| f.why).collect();
        assert_eq!(whys, [Why::BesideExecutable, Why::Env, Why::Option]);
        // The same folder twice is read once, where it applies last.
        let twice = folders_from(Some(&dir), None, Some(&dir));
        assert_eq!(twice.len(), 1);
        assert_eq!(twice[0].why, Why::Option);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn export_writes_everything_and_refuses_to_overwrite() {
        let dir = temp("export").join("new/folder");
        let written = export(&dir, false).unwrap();
        assert_eq!(written.len(), embedded::SCENARIOS.len() + 2);
        let again = export(&dir, false).unwrap_err().to_string();
        assert!(
            again.contains("--force") && again.contains("README.md"),
            "{again}"
        );
        assert_eq!(export(&dir, true).unwrap().len(), written.len());
        let checked = crate::load::load_all(std::slice::from_ref(&dir));
        assert_eq!(checked.len(), embedded::SCENARIOS.len());
        assert!(checked.iter().all(|l| !l.has_errors()));
        let guide = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(!guide.contains("../docs/1on1-guide.md"));
        let file = dir.join("README.md");
        assert!(matches!(
            export(&file, false),
            Err(ExportError::NotAFolder(_))
        ));
        let _ = std::fs::remove_dir_all(temp("export"));
    }
}
