//! Reading scenario files: bytes → text → RON → [`Scenario`], with a clear
//! diagnostic (file, line, column) for anything that goes wrong on the way.
//! Never panics, whatever the input.

pub mod check;
pub mod diagnostic;
pub mod library;
pub mod locate;
pub mod series;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ron::extensions::Extensions;

use crate::load::diagnostic::{Diagnostic, Severity, line_col};
pub use crate::load::library::{Folder, Origin};
use crate::scenario::Scenario;

/// The largest scenario file accepted. The biggest real scenario is a few
/// hundred kilobytes; anything near this is a mistake.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// How deep brackets may nest before the parser gives up.
const RECURSION_LIMIT: usize = 64;

/// A loaded (or failed) scenario file.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The path as given.
    pub path: PathBuf,
    /// The text (lossy for invalid UTF-8, empty for unreadable files).
    pub source: String,
    /// The scenario, if it parsed and has no errors.
    pub scenario: Option<Arc<Scenario>>,
    /// Every error and warning, errors first in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where it came from: bundled in the binary, or a file on disk.
    pub origin: Origin,
}

impl Loaded {
    /// True when there is at least one error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Every diagnostic rendered with its source excerpt.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.source))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The RON options scenarios are read with: `Some(..)` may be omitted, and
/// `Question(open: true, ..)` needs no double parentheses.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Loads and checks one file. Only regular files are read (a folder, a
/// FIFO or a device such as `/dev/zero` gets a message, never a hang), and
/// never more than [`MAX_FILE_BYTES`] + 1 bytes of them.
pub fn load_file(path: &Path) -> Loaded {
    use std::io::Read as _;
    let name = path.display().to_string();
    let refuse = |message: String| failed(path, String::new(), error_at(&name, 1, 1, message));
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return refuse("is a folder, not a scenario file".into()),
        Ok(meta) if !meta.is_file() => {
            return refuse(
                "is not a regular file (a device, pipe or socket), not a scenario file".into(),
            );
        }
        Ok(_) => {}
        Err(e) => return refuse(format!("cannot read the file: {e}")),
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes));
    match read {
        // `load_bytes` refuses a file over the limit.
        Ok(_) => load_bytes(path, &bytes),
        Err(e) => refuse(format!("cannot read the file: {e}")),
    }
}

/// Loads and checks a scenario from bytes (`path` is only used in messages).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Loaded {
    let name = path.display().to_string();
    if bytes.len() > MAX_FILE_BYTES {
        return failed(
            path,
            String::new(),
            error_at(
                &name,
                1,
                1,
                format!(
                    "file too large: a scenario may be at most {} MiB",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ),
        );
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = line_col(valid, valid.len());
            let diagnostic = error_at(
                &name,
                line,
                column,
                format!(
                    "not valid UTF-8 text (byte {:#04x} at offset {}); save the file as UTF-8",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            );
            return failed(path, lossy, diagnostic);
        }
    };
    load_str(path, source)
}

/// Loads and checks a scenario from text.
pub fn load_str(path: &Path, source: String) -> Loaded {
    let name = path.display().to_string();
    if let Some(offset) = source.find('\0') {
        let (line, column) = line_col(&source, offset);
        let diagnostic = error_at(
            &name,
            line,
            column,
            "NUL byte in the file: this looks like binary data, not a RON scenario".into(),
        );
        return failed(path, source, diagnostic);
    }
    let trimmed = source.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        let diagnostic = error_at(
            &name,
            1,
            1,
            "the file is empty; a scenario starts with `Scenario(`".into(),
        );
        return failed(path, source, diagnostic);
    }
    let parsed: Result<Scenario, ron::error::SpannedError> =
        ron_options().from_str(source.trim_start_matches('\u{feff}'));
    match parsed {
        Ok(scenario) => {
            let diagnostics = check::check(&scenario, &name, &source);
            let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
            Loaded {
                path: path.to_path_buf(),
                scenario: ok.then(|| Arc::new(scenario)),
                diagnostics,
                source,
                origin: Origin::File(path.to_path_buf()),
            }
        }
        Err(e) => {
            let mut message = describe_ron_error(&e.code);
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                message.push_str(
                    " (this looks like JSON; a scenario is RON: `Scenario(id: \"...\", ...)`)",
                );
            }
            let line = e.span.start.line.max(1);
            let column = e.span.start.col.max(1);
            let diagnostic = error_at(&name, line, column, message);
            failed(path, source, diagnostic)
        }
    }
}

/// Words for RON's error codes, with a hint where a common mistake is likely.
fn describe_ron_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends too early: a bracket or quote is not closed".into(),
        E::ExceededRecursionLimit => {
            format!("brackets nest more than {RECURSION_LIMIT} deep; no scenario needs that")
        }
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            format!("{code} (a scenario file starts with `Scenario(`)")
        }
        _ => code.to_string(),
    }
}

fn error_at(file: &str, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_string(),
        line,
        column,
        message,
        path: None,
    }
}

fn failed(path: &Path, source: String, diagnostic: Diagnostic) -> Loaded {
    Loaded {
        path: path.to_path_buf(),
        source,
        scenario: None,
        diagnostics: vec![diagnostic],
        origin: Origin::File(path.to_path_buf()),
    }
}

/// The `.ron` files named by `paths`: files as given, folders searched (not
/// recursively), sorted for a stable order.
pub fn discover(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Loads every scenario under `paths` (see [`discover`]).
pub fn load_all(paths: &[PathBuf]) -> Vec<Loaded> {
    discover(paths).iter().map(|p| load_file(p)).collect()
}

/// The source tree's folder of bundled scenarios, for tests and tools that
/// read the files themselves: `KIKU_SCENARIOS` if set, else `./scenarios`,
/// else the workspace's `scenarios/` this crate was built from. The game, the
/// server and `kiku check` use the copies embedded in the binary instead
/// ([`library::bundled`]), plus the folders of [`library::folders`].
pub fn bundled_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KIKU_SCENARIOS") {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from("scenarios");
    if here.is_dir() {
        return here;
    }
    // crates/core -> the workspace root.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_message(bytes: &[u8]) -> String {
        let loaded = load_bytes(Path::new("t.ron"), bytes);
        assert!(loaded.has_errors());
        assert!(loaded.scenario.is_none());
        let _ = loaded.render();
        loaded.diagnostics[0].headline()
    }

    #[test]
    fn hostile_inputs_get_messages() {
        assert!(first_message(b"").contains("empty"));
        assert!(first_message(b"   \n ").contains("empty"));
        assert!(first_message(b"Scenario(id: \"x\", ").contains("ends too early"));
        assert!(first_message(b"\x00\x01\x02binary").contains("NUL"));
        assert!(first_message(b"Scenario(id: \"\xff\xfe\")").contains("UTF-8"));
        assert!(first_message(b"{\"id\": \"x\"}").contains("JSON"));
        let nested = "[".repeat(100_000);
        assert!(first_message(nested.as_bytes()).contains("t.ron:1:"));
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert!(first_message(&big).contains("too large"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_pipes_and_folders_are_refused_without_reading() {
        let message = |p: &Path| load_file(p).diagnostics[0].message.clone();
        assert!(message(Path::new("/dev/zero")).contains("not a regular file"));
        assert!(message(Path::new("/")).contains("is a folder"));
        let dir = std::env::temp_dir().join(format!("kiku-load-fifo-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let fifo = dir.join("pipe.ron");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO with no writer would block: it must not be opened.
            assert!(message(&fifo).contains("not a regular file"));
        }
        assert!(message(&dir.join("missing.ron")).contains("cannot read"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let headline =
            first_message(b"Scenario(\n  id: \"x\",\n  title: (ja: \"a\" en: \"b\"),\n)");
        assert!(headline.starts_with("t.ron:3:"), "{headline}");
    }
}
