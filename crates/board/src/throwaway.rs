//! A throwaway PostgreSQL server, for the board's tests and its load
//! bench: Debian's `postgresql` package's `initdb` and `pg_ctl`, in a
//! temporary folder, on a free loopback port (127.0.0.1 only), run as the
//! `postgres` user when this process is root (initdb refuses root), and
//! stopped and removed when dropped, also when a test fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where Debian puts PostgreSQL's programs, one folder per version.
const PG_ROOT: &str = "/usr/lib/postgresql";
/// How long `pg_ctl` may take to start or stop the server, in seconds.
const PG_CTL_WAIT_SECS: &str = "60";

/// Why a throwaway server could not be made: the tool's output and the
/// server's log, shown as they are (also by `unwrap`).
pub struct PgError(String);

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PgError {}

/// A PostgreSQL server of this process's own, stopped and removed on drop.
pub struct ThrowawayPostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// Run the tools as the `postgres` user.
    as_postgres: bool,
}

/// How a throwaway server keeps what it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// `fsync=off`: fast, lost with the machine (tests).
    Tests,
    /// PostgreSQL's defaults, `fsync` on, and room for a load bench's
    /// connections (`max_connections=300`): what a measurement needs.
    Durable,
}

impl ThrowawayPostgres {
    /// Makes and starts a server; `name` goes into its folder's name.
    pub fn start(name: &str, durability: Durability) -> Result<ThrowawayPostgres, PgError> {
        let bin = newest_bin().ok_or_else(|| {
            PgError(format!(
                "PostgreSQL is not installed (no {PG_ROOT}/*/bin/initdb): run .ci/test, which \
                 installs the postgresql package"
            ))
        })?;
        // Unique within this process too (tests run side by side).
        static MADE: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kiku-pg-{name}-{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| PgError(format!("{}: {e}", dir.display())))?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if root {
            let chown = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(&dir)
                .status()
                .map_err(|e| PgError(format!("chown: {e}")))?;
            if !chown.success() {
                return Err(PgError(format!(
                    "chown of {} to postgres failed",
                    dir.display()
                )));
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| PgError(format!("a free loopback port: {e}")))?
            .port();
        let server = ThrowawayPostgres {
            dir,
            bin,
            port,
            as_postgres: root,
        };
        let data = server.dir.join("data");
        let mut initdb = vec!["-D", path_str(&data)?, "-A", "trust", "-U", "postgres"];
        initdb.extend(["-E", "UTF8", "--locale=C"]);
        if durability == Durability::Tests {
            initdb.push("--no-sync");
        }
        server.run("initdb", &initdb)?;
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 {}",
            server.port,
            server.dir.display(),
            match durability {
                Durability::Tests => "-c fsync=off",
                Durability::Durable => "-c max_connections=300",
            }
        );
        let log = server.dir.join("log");
        server.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&data)?,
                "-l",
                path_str(&log)?,
                "-w",
                "-t",
                PG_CTL_WAIT_SECS,
                "-o",
                &options,
                "start",
            ],
        )?;
        Ok(server)
    }

    /// `postgres://postgres@127.0.0.1:PORT` (no database).
    pub fn base_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// A new, empty database: its URL.
    pub fn database(&self, name: &str) -> Result<String, PgError> {
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name],
        )?;
        Ok(format!("{}/{name}", self.base_url()))
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(exe);
            command
        } else {
            Command::new(exe)
        }
    }

    /// Runs one of PostgreSQL's tools; its output and the server's log
    /// when it fails.
    fn run(&self, tool: &str, args: &[&str]) -> Result<(), PgError> {
        let out = self
            .command(tool)
            .args(args)
            .output()
            .map_err(|e| PgError(format!("{tool}: {e}")))?;
        if out.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
        Err(PgError(format!(
            "{tool}: {}{}\nserver log:\n{log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "-t", PG_CTL_WAIT_SECS, "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The `bin` folder of the newest PostgreSQL installed.
fn newest_bin() -> Option<PathBuf> {
    std::fs::read_dir(PG_ROOT).ok().and_then(|versions| {
        versions
            .filter_map(Result::ok)
            .map(|v| v.path().join("bin"))
            .filter(|bin| bin.join("initdb").is_file())
            .max()
    })
}

fn path_str(path: &Path) -> Result<&str, PgError> {
    path.to_str()
        .ok_or_else(|| PgError(format!("{}: not UTF-8", path.display())))
}
