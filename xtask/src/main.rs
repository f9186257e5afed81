//! `cargo xtask dist`: builds the release binary and packs the archive a
//! facilitator hands out (`dist/kiku-<version>-<target>.tar.gz`);
//! `cargo xtask dist --check [ARCHIVE]` unpacks it into an empty folder
//! outside the source tree and runs it from there.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Errors are messages for the person at the terminal.
type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask dist [--no-default-features]
       cargo xtask dist --check [ARCHIVE]   (default: the archive `dist` writes on this machine)";

/// The version of the workspace (xtask shares it).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long the `--screenshots` walk may take before the check gives up.
const SCREENSHOTS_LIMIT: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["dist"] => dist(true),
        ["dist", "--no-default-features"] => dist(false),
        ["dist", "--check"] => default_archive().and_then(|a| check(&a)),
        ["dist", "--check", archive] => check(Path::new(archive)),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives in `xtask/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The host's target triple, from `rustc -vV`.
fn host_triple() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot run rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .ok_or_else(|| "rustc -vV printed no `host:` line".to_string())
}

/// `kiku-<version>-<target>`: the archive's name and its top folder.
fn archive_name() -> Result<String> {
    Ok(format!("kiku-{VERSION}-{}", host_triple()?))
}

fn default_archive() -> Result<PathBuf> {
    Ok(root()
        .join("dist")
        .join(format!("{}.tar.gz", archive_name()?)))
}

/// The file name of the binary on this platform.
fn exe_name() -> String {
    format!("kiku{}", std::env::consts::EXE_SUFFIX)
}

/// A file in the archive: its path under the top folder, its bytes, and
/// whether it is executable.
struct Packed {
    path: String,
    bytes: Vec<u8>,
    executable: bool,
}

fn dist(gui: bool) -> Result<()> {
    let root = root();
    let name = archive_name()?;
    let started = Instant::now();
    let binary = build_release(&root, gui)?;
    eprintln!(
        "xtask: built {} in {:.0} s",
        binary.display(),
        started.elapsed().as_secs_f64()
    );
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let text = |relative: &str| read(&root.join(relative));
    // The facilitator's guide links the authoring guide by its place in the
    // source tree; in the archive both guides sit in docs/.
    let facilitator = String::from_utf8(text("docs/1on1-guide.md")?)
        .map_err(|_| "docs/1on1-guide.md is not UTF-8".to_string())?
        .replace("../scenarios/README.md", "scenario-guide.md");
    let files = vec![
        Packed {
            path: exe_name(),
            bytes: read(&binary)?,
            executable: true,
        },
        Packed {
            path: "README.md".into(),
            bytes: text("xtask/dist/README.md")?,
            executable: false,
        },
        Packed {
            path: "LICENSE".into(),
            bytes: text("LICENSE")?,
            executable: false,
        },
        Packed {
            path: "LICENSE-BIZUDGothic.txt".into(),
            bytes: text("assets/fonts/LICENSE-BIZUDGothic.txt")?,
            executable: false,
        },
        // Recall mode's sentence encoder, found beside the executable.
        Packed {
            path: "model/weights.npz".into(),
            bytes: text("assets/model/weights.npz")?,
            executable: false,
        },
        Packed {
            path: "model/sp.model".into(),
            bytes: text("assets/model/sp.model")?,
            executable: false,
        },
        Packed {
            path: "model/LICENSE".into(),
            bytes: text("assets/model/LICENSE")?,
            executable: false,
        },
        Packed {
            path: "model/NOTICE".into(),
            bytes: text("assets/model/NOTICE")?,
            executable: false,
        },
        Packed {
            // Its link to ../docs/1on1-guide.md still resolves from docs/.
            path: "docs/scenario-guide.md".into(),
            bytes: text("scenarios/README.md")?,
            executable: false,
        },
        Packed {
            path: "docs/1on1-guide.md".into(),
            bytes: facilitator.into_bytes(),
            executable: false,
        },
    ];
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    let archive = dist.join(format!("{name}.tar.gz"));
    write_archive(&archive, &name, &files)?;
    let size = std::fs::metadata(&archive)
        .map_err(|e| format!("{}: {e}", archive.display()))?
        .len();
    println!(
        "wrote {}: {} ({} bytes; binary {})",
        archive.display(),
        megabytes(size),
        thousands(size),
        megabytes(files[0].bytes.len() as u64)
    );
    println!("check it: cargo xtask dist --check {}", archive.display());
    Ok(())
}

/// `cargo build --release -p kiku`; returns the binary it built.
fn build_release(root: &Path, gui: bool) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--release", "--locked", "--package", "kiku"])
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if !gui {
        command.arg("--no-default-features");
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo build --release failed ({})", out.status));
    }
    // The last artifact named `kiku` with an executable is the binary.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "kiku")
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .next_back()
        .ok_or_else(|| "cargo build reported no `kiku` executable".to_string())
}

fn write_archive(archive: &Path, top: &str, files: &[Packed]) -> Result<()> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", archive.display());
    let file = std::fs::File::create(archive).map_err(fail)?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut folders = vec![top.to_string()];
    for f in files {
        if let Some((dir, _)) = f.path.rsplit_once('/') {
            let dir = format!("{top}/{dir}");
            if !folders.contains(&dir) {
                folders.push(dir);
            }
        }
    }
    for dir in &folders {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_mode(0o755);
        header.set_size(0);
        header.set_mtime(now);
        header.set_cksum();
        tar.append_data(&mut header, format!("{dir}/"), std::io::empty())
            .map_err(fail)?;
    }
    for f in files {
        let mut header = tar::Header::new_gnu();
        header.set_mode(if f.executable { 0o755 } else { 0o644 });
        header.set_size(f.bytes.len() as u64);
        header.set_mtime(now);
        header.set_cksum();
        tar.append_data(&mut header, format!("{top}/{}", f.path), f.bytes.as_slice())
            .map_err(fail)?;
    }
    tar.into_inner()
        .and_then(|gz| gz.finish())
        .and_then(|file| file.sync_all())
        .map_err(fail)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The folder the check runs in, and whether it succeeded (kept on failure).
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("xtask: left {} for a look", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn check(archive: &Path) -> Result<()> {
    if !archive.is_file() {
        return Err(format!(
            "{}: no such archive (build it with `cargo xtask dist`)",
            archive.display()
        ));
    }
    let archive = archive
        .canonicalize()
        .map_err(|e| format!("{}: {e}", archive.display()))?;
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let dir = std::env::temp_dir().join(format!("kiku-dist-check-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut scratch = Scratch { dir, keep: true };
    let dir = scratch
        .dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", scratch.dir.display()))?;
    if let Ok(source) = root().canonicalize()
        && dir.starts_with(&source)
    {
        return Err(format!(
            "the temporary folder {} is inside the source tree; set TMPDIR elsewhere",
            dir.display()
        ));
    }
    eprintln!("xtask: checking {} in {}", archive.display(), dir.display());
    unpack(&archive, &dir)?;
    let top = single_folder(&dir)?;
    for expected in [
        exe_name().as_str(),
        "README.md",
        "LICENSE",
        "LICENSE-BIZUDGothic.txt",
        "docs/scenario-guide.md",
        "docs/1on1-guide.md",
        "model/weights.npz",
        "model/sp.model",
        "model/LICENSE",
        "model/NOTICE",
    ] {
        if !top.join(expected).is_file() {
            return Err(format!("the archive has no {expected}"));
        }
    }
    let kiku = Kiku {
        binary: top.join(exe_name()),
        dir: dir.clone(),
    };
    run_steps(&kiku, &top)?;
    scratch.keep = false;
    println!("archive check passed: {}", archive.display());
    Ok(())
}

fn unpack(archive: &Path, into: &Path) -> Result<()> {
    let file = std::fs::File::open(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    tar.set_preserve_permissions(true);
    tar.unpack(into)
        .map_err(|e| format!("cannot unpack {}: {e}", archive.display()))
}

/// The one `kiku-*` folder the archive unpacked to.
fn single_folder(dir: &Path) -> Result<PathBuf> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    match found.as_slice() {
        [one] if one.is_dir() => Ok(one.clone()),
        _ => Err(format!(
            "the archive should hold one folder kiku-<version>-<target>/, found {} entries",
            found.len()
        )),
    }
}

/// The unpacked binary, run with a clean environment from the scratch folder.
struct Kiku {
    binary: PathBuf,
    dir: PathBuf,
}

impl Kiku {
    /// A command for `program` (the binary itself, or a wrapper such as
    /// xvfb-run) with nothing of the developer's environment: no
    /// KIKU_SCENARIOS, HOME and the data folder in the scratch folder.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.dir)
            .env_clear()
            .env("HOME", self.dir.join("home"))
            .env("KIKU_DATA_DIR", self.dir.join("data"))
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null());
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        command
    }

    /// Runs `kiku ARGS`; fails unless its exit status is `success`.
    fn run(&self, args: &[&str], success: bool) -> Result<Output> {
        let started = Instant::now();
        let out = self
            .command(&self.binary)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run kiku {}: {e}", args.join(" ")))?;
        let shown = format!("kiku {}", args.join(" "));
        if out.status.success() != success {
            return Err(format!(
                "`{shown}` {} ({})\n--- stdout\n{}--- stderr\n{}",
                if success {
                    "failed"
                } else {
                    "should have failed"
                },
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        eprintln!(
            "xtask: ok  {shown}  ({}{:.1} s)",
            if success {
                ""
            } else {
                "refused, as it should; "
            },
            started.elapsed().as_secs_f64()
        );
        Ok(out)
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn expect(condition: bool, what: &str, out: &Output) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(format!(
            "{what}\n--- stdout\n{}--- stderr\n{}",
            stdout(out),
            stderr(out)
        ))
    }
}

fn run_steps(kiku: &Kiku, top: &Path) -> Result<()> {
    let version = kiku.run(&["--version"], true)?;
    expect(
        stdout(&version).contains(VERSION),
        "kiku --version does not print this version",
        &version,
    )?;

    // Nothing on disk: the embedded scenarios.
    let checked = kiku.run(&["check"], true)?;
    expect(
        stdout(&checked).contains("bundled scenarios embedded"),
        "`kiku check` with no folder should check the embedded scenarios",
        &checked,
    )?;
    let listed = kiku.run(&["scenarios", "list"], true)?;
    let bundled: Vec<String> = stdout(&listed)
        .lines()
        .filter(|l| l.ends_with("[bundled]"))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    expect(!bundled.is_empty(), "no bundled scenario listed", &listed)?;
    eprintln!("xtask:     {} bundled scenarios", bundled.len());

    // A facilitator starts from the bundled ones.
    let exported = kiku.run(&["scenarios", "export", "own"], true)?;
    let own = kiku.dir.join("own");
    let ron: Vec<PathBuf> = std::fs::read_dir(&own)
        .map_err(|e| format!("{}: {e}", own.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    expect(
        ron.len() == bundled.len()
            && own.join("README.md").is_file()
            && own.join("1on1-guide.md").is_file(),
        "the export lacks scenarios or guides",
        &exported,
    )?;
    let again = kiku.run(&["scenarios", "export", "own"], false)?;
    expect(
        stderr(&again).contains("--force"),
        "a second export should refuse and name --force",
        &again,
    )?;
    kiku.run(&["check", "own"], true)?;

    // Recall mode hears with the sentence encoder in model/ beside the
    // binary (no notice that it fell back to the words alone).
    let first_file = ron.iter().min().cloned().unwrap_or_default();
    let heard = kiku.run(
        &[
            "hear",
            &first_file.to_string_lossy(),
            "--text",
            "大丈夫、心配ないよ",
            "--json",
        ],
        true,
    )?;
    expect(
        stdout(&heard).contains("kiku.hear/1") && stderr(&heard).trim().is_empty(),
        "`kiku hear` should hear with the model in model/ and print no notice",
        &heard,
    )?;

    // The facilitator's own scenario, in scenarios/ beside the binary.
    let first = ron.iter().min().cloned().unwrap_or_default();
    let text = std::fs::read_to_string(&first).map_err(|e| format!("{}: {e}", first.display()))?;
    let mine = with_id(&text, "my_own")
        .ok_or_else(|| format!("{}: no `id: \"...\"` to change", first.display()))?;
    let beside = top.join("scenarios");
    std::fs::create_dir_all(&beside).map_err(|e| format!("{}: {e}", beside.display()))?;
    std::fs::write(beside.join("my_own.ron"), mine).map_err(|e| format!("{e}"))?;
    let checked = kiku.run(&["check"], true)?;
    expect(
        stdout(&checked).contains("scenarios/ beside the executable")
            && stdout(&checked).contains("checked 1 file(s): 1 ok"),
        "`kiku check` should check the folder beside the binary",
        &checked,
    )?;
    let listed = kiku.run(&["scenarios", "list"], true)?;
    expect(
        stdout(&listed)
            .lines()
            .any(|l| l.starts_with("my_own ") && l.contains("my_own.ron")),
        "the own scenario is not listed with its file",
        &listed,
    )?;

    // Play a bundled scenario's best path by its id.
    let id = bundled[0].as_str();
    let analysis = kiku.run(&["analyse", id, "--json"], true)?;
    let json: serde_json::Value = serde_json::from_slice(&analysis.stdout)
        .map_err(|e| format!("kiku analyse --json: {e}"))?;
    let choices: Vec<&str> = json["best"]["choices"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
        .unwrap_or_default();
    let choices = choices.join(",");
    let replayed = kiku.run(&["replay", id, "--choices", &choices, "--json"], true)?;
    let report: serde_json::Value =
        serde_json::from_slice(&replayed.stdout).map_err(|e| format!("kiku replay --json: {e}"))?;
    expect(
        report["over"] == true,
        "the best path's replay did not reach an ending",
        &replayed,
    )?;
    kiku.run(&["replay", "my_own", "--choices", &choices], true)?;

    screenshots(kiku)
}

/// `text` with its first `id: "..."` set to `id`.
fn with_id(text: &str, id: &str) -> Option<String> {
    let start = text.find("id: \"")? + "id: \"".len();
    let end = start + text[start..].find('"')?;
    Some(format!("{}{id}{}", &text[..start], &text[end..]))
}

/// The `--screenshots` walk under Xvfb, when the binary has the game and
/// xvfb-run is installed.
fn screenshots(kiku: &Kiku) -> Result<()> {
    let help = kiku.run(&["--help"], true)?;
    if !stdout(&help).contains("--screenshots") {
        println!(
            "screenshots: skipped, this kiku was built without the game (--no-default-features)"
        );
        return Ok(());
    }
    let Some(xvfb) = find_in_path("xvfb-run") else {
        println!("screenshots: skipped, xvfb-run is not installed (apt-get install xvfb xauth)");
        return Ok(());
    };
    let started = Instant::now();
    let shots = kiku.dir.join("shots");
    let mut child = kiku
        .command(&xvfb)
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(&kiku.binary)
        .arg("--screenshots")
        .arg(&shots)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run xvfb-run: {e}"))?;
    // Drain the pipes on threads so a chatty game never blocks.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > SCREENSHOTS_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(format!("waiting for the screenshots: {e}")),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let pictures = std::fs::read_dir(&shots)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                .count()
        })
        .unwrap_or(0);
    match status {
        Some(s) if s.success() && pictures > 0 => {
            eprintln!(
                "xtask: ok  kiku --screenshots under xvfb-run: {pictures} pictures ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some(s) => Err(format!(
            "`xvfb-run kiku --screenshots` {s} with {pictures} pictures\n--- stdout\n{out}--- stderr\n{err}"
        )),
        None => Err(format!(
            "`xvfb-run kiku --screenshots` took over {} s and was stopped\n--- stderr\n{err}",
            SCREENSHOTS_LIMIT.as_secs()
        )),
    }
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_ids() {
        assert_eq!(thousands(65_444_616), "65,444,616");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            with_id("Scenario(\n  id: \"first\",\n  x: (id: \"n\"))", "mine").as_deref(),
            Some("Scenario(\n  id: \"mine\",\n  x: (id: \"n\"))")
        );
    }
}
