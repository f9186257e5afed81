//! Files in Kiku's data folder (settings, the local board, the offline
//! queue, the workshop database): where they live, atomic writes with
//! fsync, moving a corrupt file aside instead of crashing, and dates.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The environment variable that overrides the data folder (tests use it so
/// they never touch the real home).
pub const DATA_DIR_ENV: &str = "KIKU_DATA_DIR";

/// The folder Kiku keeps its files in: `KIKU_DATA_DIR` if set, else the
/// platform's data folder (e.g. `~/.local/share/kiku`), else `None` (the
/// platform has no home folder).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "kiku", "kiku").map(|d| d.data_dir().to_path_buf())
}

/// [`data_dir`], or `./kiku-data` where the platform has none (the tools
/// and the server must put their database somewhere).
pub fn data_dir_or_here() -> PathBuf {
    data_dir().unwrap_or_else(|| PathBuf::from("kiku-data"))
}

/// What happened when reading a file.
#[derive(Debug)]
pub enum Read<T> {
    /// No file yet.
    Missing,
    /// Read and parsed.
    Ok(T),
    /// The file was unreadable or corrupt; it was moved to `moved_to` (if the
    /// move worked) and the caller starts afresh. `message` says so.
    Corrupt {
        /// Where the bad file went.
        moved_to: Option<PathBuf>,
        /// A sentence for the player, in both languages.
        message: kiku_core::text::Text,
    },
}

/// Reads JSON from `path`; a corrupt file is renamed to
/// `<name>.corrupt-<unix seconds>` so it is neither lost nor read again.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Read<T> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Missing,
        Err(e) => {
            return Read::Corrupt {
                moved_to: None,
                message: kiku_core::text::Text::new(
                    format!("{} を読み込めませんでした({e})。", path.display()),
                    format!("could not read {}: {e}", path.display()),
                ),
            };
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(value) => Read::Ok(value),
        Err(e) => {
            let aside = aside_path(path);
            let moved_to = fs::rename(path, &aside).ok().map(|()| aside);
            let message = match &moved_to {
                Some(to) => kiku_core::text::Text::new(
                    format!(
                        "{} が壊れていたため、{} に移して新しく始めました。",
                        path.display(),
                        to.display()
                    ),
                    format!(
                        "{} was damaged ({e}); it was moved to {} and a fresh one started",
                        path.display(),
                        to.display()
                    ),
                ),
                None => kiku_core::text::Text::new(
                    format!(
                        "{} が壊れていて、移すこともできませんでした。",
                        path.display()
                    ),
                    format!(
                        "{} is damaged ({e}) and could not be moved aside",
                        path.display()
                    ),
                ),
            };
            Read::Corrupt { moved_to, message }
        }
    }
}

fn aside_path(path: &Path) -> PathBuf {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{secs}"));
    path.with_file_name(name)
}

/// Writes `value` as JSON to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed over the old one. A crash half-way
/// leaves the old file intact.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(&json)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// `YYYY-MM-DD HH:MM` (UTC) for Unix seconds.
pub fn format_date(secs: u64) -> String {
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian): days
/// since 1970-01-01 to (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kiku-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn round_trips_and_moves_corrupt_files_aside() {
        let dir = temp_dir("corrupt");
        let path = dir.join("x.json");
        assert!(matches!(read_json::<Vec<u32>>(&path), Read::Missing));
        write_json(&path, &vec![1u32, 2]).unwrap();
        assert!(matches!(read_json::<Vec<u32>>(&path), Read::Ok(v) if v == vec![1, 2]));
        fs::write(&path, b"{not json").unwrap();
        match read_json::<Vec<u32>>(&path) {
            Read::Corrupt { moved_to, message } => {
                let moved = moved_to.unwrap();
                assert!(moved.exists());
                assert!(message.en.contains("moved"));
                assert!(message.ja.contains("移して"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!path.exists());
        // No temporary file is left behind.
        write_json(&path, &vec![3u32]).unwrap();
        let leftovers = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .count();
        assert_eq!(leftovers, 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn formats_dates() {
        assert_eq!(format_date(0), "1970-01-01 00:00");
        assert_eq!(format_date(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599_999), "2025-12-31T23:59:59Z");
    }
}
