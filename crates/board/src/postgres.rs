//! The workshop board on PostgreSQL (`kiku serve --db postgres://…`), for an
//! organisation: several `kiku serve` instances on one database serve one
//! workshop, and each instance's projector follows the others' submissions
//! through `LISTEN`/`NOTIFY`.
//!
//! Client: the `postgres` crate, the blocking face of `tokio-postgres`. The
//! board's writes all go through writer threads (one per workshop for
//! `kiku serve --code`; for `--all`, `--writers` of them shared by every
//! workshop, each workshop always on the same one), with the same group
//! commit as SQLite: every waiting request in one transaction, one
//! savepoint each, answered after the commit. So each writer connection
//! belongs to one thread and a pool (deadpool) would hold connections
//! nobody uses; the blocking client keeps both stores behind one
//! synchronous [`BoardStore`] trait on that thread, with no async trait and
//! no second runtime inside the server's. `LISTEN` runs on a second
//! connection on its own thread, which also announces the server's own
//! changes (at most every 500 ms per workshop); the projector's
//! board is read on a third ([`BoardStore::reader`]).
//!
//! Each statement is prepared once per connection and kept ([`Conn`]): a
//! `query` with SQL text would parse it again on the server first, one more
//! round trip per statement.
//!
//! Each entry keeps its whole record as JSON (`record`) beside the columns
//! the rankings use, so fields a newer Kiku adds survive.

use std::collections::HashMap;
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};

use kiku_core::Mode;
use kiku_core::text::Text;

use crate::store::{
    AttemptRule, Board, BoardStore, Entry, Inserted, JoinOutcome, NewEntry, Player, PlayerInfo,
    Purged, Ranking, RenameOutcome, Row, ScenarioBoard, Standing, StoreError, WorkshopRow, now_ms,
    parse_record, record_json,
};

/// The organisation's registry of workshops on this store.
mod registry;

/// The channel every change is announced on.
const CHANNEL: &str = "kiku_board";

/// The advisory lock taken while migrating, so two instances starting at
/// once do not both migrate.
const MIGRATION_LOCK: i64 = 0x6b69_6b75;

/// How long a lost `LISTEN` connection waits before connecting again.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Once a server listens, its listening connection announces the changes
/// this server commits, each workshop's at most once in this time (a
/// projector is pushed at most a board a second anyway). Announcing every
/// transaction cost most of PostgreSQL's time under a paced load: one
/// small transaction after another, each notice waking every listening
/// connection of the database.
const NOTICE_EVERY: Duration = Duration::from_millis(500);

/// Workshops with changes committed here that other servers have not been
/// told of yet (the listening thread tells them); `None` once that thread
/// has ended.
type Unannounced = std::sync::Arc<std::sync::Mutex<Option<std::collections::HashSet<String>>>>;

/// What a server of every workshop shares between the stores of its open
/// workshops and its one listening connection: the changes they commit,
/// which that connection announces ([`PgStore::listen_all`],
/// [`PgStore::announce_through`]).
pub(crate) type Announcements = Unannounced;

/// A fresh, empty [`Announcements`].
pub(crate) fn announcements() -> Announcements {
    std::sync::Arc::new(std::sync::Mutex::new(Some(Default::default())))
}

/// The `application_name` of listening connections (and their `LISTEN`),
/// one statement for both: tells them apart in `pg_stat_activity`.
const LISTEN_SQL: &str = "SET application_name = 'kiku-listen'; LISTEN kiku_board";

/// A connection listening for the board's notices, and its backend's
/// process id (the notices this server sent itself carry it); `None` (the
/// caller waits and tries again) when it cannot connect or listen.
fn listening(url: &str) -> Option<(Client, i32)> {
    let mut client = match Client::connect(url, NoTls) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("warning: LISTEN connection: {e}");
            return None;
        }
    };
    client.batch_execute(LISTEN_SQL).ok()?;
    let own = client
        .query_one("SELECT pg_backend_pid()", &[])
        .ok()?
        .get::<_, i32>(0);
    Some((client, own))
}

/// Sends the notices that wait in `later`, all in one statement (one
/// transaction: PostgreSQL delivers one notice per payload), at most once
/// per [`NOTICE_EVERY`] (`last_sent`); false if the connection failed
/// (what it could not send waits for the next try).
fn announce_waiting(
    client: &mut Client,
    later: &Unannounced,
    last_sent: &mut Option<std::time::Instant>,
) -> bool {
    if last_sent.is_some_and(|t| t.elapsed() < NOTICE_EVERY) {
        return true;
    }
    let waiting: Vec<String> = later
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_mut()
        .map(|w| w.drain().collect())
        .unwrap_or_default();
    if waiting.is_empty() {
        return true;
    }
    let sent = client.execute(
        "SELECT pg_notify($1, w) FROM unnest($2::TEXT[]) AS w",
        &[&CHANNEL, &waiting],
    );
    if sent.is_err() {
        if let Some(w) = later.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            w.extend(waiting);
        }
        return false;
    }
    *last_sent = Some(std::time::Instant::now());
    true
}

/// Marks the listening thread ended, however it ends: from then on the
/// writer announces its changes itself.
struct Ended(Unannounced);

impl Drop for Ended {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// The schema's history: migration `i` takes the database from version `i`
/// to `i + 1`, each in one transaction. Never edit one that has shipped;
/// add the next.
const MIGRATIONS: [&str; 2] = [
    "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE entries (
    id         BIGSERIAL PRIMARY KEY,
    submission TEXT UNIQUE,
    nickname   TEXT NOT NULL,
    scenario   TEXT NOT NULL,
    mode       TEXT NOT NULL,
    overall    BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX entries_by_scenario ON entries (scenario, mode, overall DESC, created_ms);
CREATE INDEX entries_by_name ON entries (nickname);
CREATE TABLE best (
    scenario   TEXT NOT NULL,
    mode       TEXT NOT NULL,
    nickname   TEXT NOT NULL,
    entry      BIGINT NOT NULL,
    overall    BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (scenario, mode, nickname)
);
CREATE INDEX best_by_score ON best (scenario, mode, overall DESC, created_ms);
CREATE INDEX best_by_name ON best (nickname);
CREATE TABLE totals (
    mode      TEXT NOT NULL,
    nickname  TEXT NOT NULL,
    total     BIGINT NOT NULL,
    scenarios BIGINT NOT NULL,
    reached   BIGINT NOT NULL,
    entry     BIGINT NOT NULL,
    PRIMARY KEY (mode, nickname)
);
CREATE INDEX totals_by_total ON totals (mode, total DESC, reached);
CREATE TABLE players (
    id         BIGSERIAL PRIMARY KEY,
    token_hash TEXT UNIQUE,
    nickname   TEXT NOT NULL UNIQUE,
    skeleton_a TEXT NOT NULL,
    skeleton_b TEXT NOT NULL,
    kicked     BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms BIGINT NOT NULL
);
CREATE INDEX players_by_skeleton_a ON players (skeleton_a);
CREATE INDEX players_by_skeleton_b ON players (skeleton_b);
",
    "
-- Version 2: several workshops in one database, each under its code (the
-- `workshop` column of every table). What the database held so far is the
-- workshop of its saved code.
CREATE TABLE workshops (
    code       TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL,
    active_ms  BIGINT NOT NULL
);
INSERT INTO workshops (code, created_ms, active_ms)
SELECT COALESCE((SELECT value FROM meta WHERE key = 'code'), ''),
       (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT
WHERE EXISTS (SELECT 1 FROM meta) OR EXISTS (SELECT 1 FROM entries)
   OR EXISTS (SELECT 1 FROM players);
ALTER TABLE meta ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
ALTER TABLE entries ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
ALTER TABLE best ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
ALTER TABLE totals ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
ALTER TABLE players ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
UPDATE meta SET workshop = (SELECT code FROM workshops);
UPDATE entries SET workshop = (SELECT code FROM workshops);
UPDATE best SET workshop = (SELECT code FROM workshops);
UPDATE totals SET workshop = (SELECT code FROM workshops);
UPDATE players SET workshop = (SELECT code FROM workshops);
ALTER TABLE meta DROP CONSTRAINT meta_pkey;
ALTER TABLE meta ADD PRIMARY KEY (workshop, key);
ALTER TABLE best DROP CONSTRAINT best_pkey;
ALTER TABLE best ADD PRIMARY KEY (workshop, scenario, mode, nickname);
ALTER TABLE totals DROP CONSTRAINT totals_pkey;
ALTER TABLE totals ADD PRIMARY KEY (workshop, mode, nickname);
ALTER TABLE players DROP CONSTRAINT players_nickname_key;
ALTER TABLE players DROP CONSTRAINT players_token_hash_key;
ALTER TABLE players ADD UNIQUE (workshop, nickname);
ALTER TABLE players ADD UNIQUE (workshop, token_hash);
DROP INDEX entries_by_scenario;
DROP INDEX entries_by_name;
DROP INDEX best_by_score;
DROP INDEX best_by_name;
DROP INDEX totals_by_total;
DROP INDEX players_by_skeleton_a;
DROP INDEX players_by_skeleton_b;
CREATE INDEX entries_in_workshop ON entries (workshop, scenario, mode, overall DESC, created_ms);
CREATE INDEX entries_by_name ON entries (workshop, nickname);
CREATE INDEX best_by_score ON best (workshop, scenario, mode, overall DESC, created_ms);
CREATE INDEX best_by_name ON best (workshop, nickname);
CREATE INDEX totals_by_total ON totals (workshop, mode, total DESC, reached);
CREATE INDEX players_by_skeleton_a ON players (workshop, skeleton_a);
CREATE INDEX players_by_skeleton_b ON players (workshop, skeleton_b);
",
];

/// Recomputes one nickname's totals (one per mode) from `best`, in
/// workshop `$2`.
const REFRESH_TOTAL: &str = "
INSERT INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
SELECT workshop, mode, nickname, SUM(overall)::BIGINT, COUNT(*), MAX(created_ms), MAX(entry)
FROM best WHERE workshop = $2 AND nickname = $1 GROUP BY workshop, mode, nickname
ON CONFLICT (workshop, mode, nickname) DO UPDATE SET total = excluded.total,
    scenarios = excluded.scenarios, reached = excluded.reached, entry = excluded.entry";

/// Every workshop and its last activity (see `store::WorkshopRow`).
const WORKSHOPS_SQL: &str = "
SELECT w.code, GREATEST(w.active_ms,
    COALESCE((SELECT MAX(created_ms) FROM entries e WHERE e.workshop = w.code), 0),
    COALESCE((SELECT MAX(created_ms) FROM players p WHERE p.workshop = w.code), 0)) AS active
FROM workshops w ORDER BY active, w.code";

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        // The server's message without the statement it was about.
        let text = match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => e.to_string(),
        };
        StoreError::Postgres(text)
    }
}

/// A connection and the statements prepared on it, by their SQL. The SQL
/// texts are this file's constants (a few built with `format!` from fixed
/// sets), so the cache stays small; a prepared statement lives as long as
/// its connection and outlives a rolled-back transaction.
struct Conn {
    client: Client,
    prepared: HashMap<String, Statement>,
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            prepared: HashMap::new(),
        }
    }

    /// `sql` prepared on this connection: once, then from the cache.
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn query(&mut self, sql: &str, params: &Params) -> Result<Vec<postgres::Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query(&statement, params)
    }

    fn query_one(&mut self, sql: &str, params: &Params) -> Result<postgres::Row, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query_one(&statement, params)
    }

    fn query_opt(
        &mut self,
        sql: &str,
        params: &Params,
    ) -> Result<Option<postgres::Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.query_opt(&statement, params)
    }

    fn execute(&mut self, sql: &str, params: &Params) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.client.execute(&statement, params)
    }

    /// Runs `sql` (one statement or several, no parameters) unprepared.
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.client.batch_execute(sql)
    }
}

/// The board in a PostgreSQL database.
pub struct PgStore {
    url: String,
    client: Conn,
    rule: AttemptRule,
    in_batch: bool,
    /// In a batch: its transaction was opened (with its first change, in
    /// the same round trip; a batch that changes nothing opens none).
    begun: bool,
    /// In a batch: the last change's savepoint is still open (released by
    /// the next change's round trip, or by the commit, instead of one of
    /// its own).
    held: bool,
    /// The workshop whose change this batch has already announced (in a
    /// savepoint since released): PostgreSQL delivers one notice per
    /// transaction, channel and payload, so a second `pg_notify` would be
    /// a round trip for nothing.
    announced: Option<String>,
    /// Once [`BoardStore::listen`] runs: what its thread is to announce.
    later: Option<Unannounced>,
    /// Workshops changed in this batch, announced once it commits (when
    /// the listening thread announces).
    to_announce: Vec<String>,
    /// The workshop worked on.
    workshop: String,
    /// The attempt rules of the other workshops this store has worked on
    /// ([`BoardStore::enter_workshop`]), as a store of one workshop keeps
    /// its own.
    rules: HashMap<String, AttemptRule>,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and brings the
    /// schema up to date.
    /// Works on the database's only workshop (from before version 2), or
    /// `''` until [`BoardStore::use_workshop`] names one.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let mut client = Client::connect(url, NoTls)?;
        migrate(&mut client)?;
        let mut client = Conn::new(client);
        let codes: Vec<String> = client
            .query("SELECT code FROM workshops ORDER BY code LIMIT 2", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let workshop = match codes.as_slice() {
            [only] => only.clone(),
            _ => String::new(),
        };
        let rule = saved_rule(&mut client, &workshop)?;
        Ok(PgStore {
            url: url.to_string(),
            client,
            rule,
            in_batch: false,
            begun: false,
            held: false,
            later: None,
            to_announce: Vec::new(),
            announced: None,
            workshop,
            rules: HashMap::new(),
        })
    }

    /// From now on, the changes this store commits are announced by the
    /// listening connection that drains `later` ([`PgStore::listen_all`]
    /// for a server of every workshop), coalesced, instead of by a notice
    /// in each transaction.
    pub(crate) fn announce_through(&mut self, later: Announcements) {
        self.later = Some(later);
    }

    /// Gives the workshops changed by what was just committed to the
    /// listening thread to announce (announces them now, on their own,
    /// if that thread has ended).
    fn hand_over(&mut self) {
        let Some(later) = &self.later else {
            self.to_announce.clear();
            return;
        };
        let ended = match later.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            Some(waiting) => {
                waiting.extend(self.to_announce.drain(..));
                false
            }
            None => true,
        };
        if ended {
            for w in std::mem::take(&mut self.to_announce) {
                if let Err(e) = self
                    .client
                    .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &w])
                {
                    eprintln!("warning: other servers were not told of a change: {e}");
                }
            }
        }
    }

    /// Runs `f` atomically: in its own transaction, or in a savepoint of the
    /// batch's. Announces a change when `notify` (inside the transaction,
    /// or once it is committed through the listening thread).
    fn atomically<T>(
        &mut self,
        notify: bool,
        f: impl FnOnce(&mut Conn, AttemptRule, &str) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (begin, done, undo) = if self.in_batch {
            (
                if !self.begun {
                    "BEGIN; SAVEPOINT kiku"
                } else if self.held {
                    "RELEASE SAVEPOINT kiku; SAVEPOINT kiku"
                } else {
                    "SAVEPOINT kiku"
                },
                // Held open: released with the next one's begin, or committed.
                "",
                "ROLLBACK TO SAVEPOINT kiku; RELEASE SAVEPOINT kiku",
            )
        } else {
            ("BEGIN", "COMMIT", "ROLLBACK")
        };
        self.held = false;
        self.begun |= self.in_batch;
        self.client.batch_execute(begin)?;
        let announced = self.in_batch && self.announced.as_deref() == Some(self.workshop.as_str());
        let later = self.later.is_some();
        let result = f(&mut self.client, self.rule, &self.workshop).and_then(|value| {
            if notify && !announced && !later {
                // Delivered to every listener when the transaction commits
                // (once per transaction and workshop).
                self.client
                    .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &self.workshop])?;
            }
            Ok(value)
        });
        match result {
            Ok(value) => {
                if self.in_batch {
                    self.held = true;
                } else {
                    self.client.batch_execute(done)?;
                }
                if notify && later {
                    if !self.to_announce.contains(&self.workshop) {
                        self.to_announce.push(self.workshop.clone());
                    }
                    if !self.in_batch {
                        self.hand_over();
                    }
                } else if notify && self.in_batch {
                    self.announced = Some(self.workshop.clone());
                }
                Ok(value)
            }
            Err(e) => {
                let _ = self.client.batch_execute(undo);
                Err(e)
            }
        }
    }
}

/// The SQL of migration `i` (from schema version `i` to `i + 1`), for
/// tests that build an older database.
#[doc(hidden)]
pub fn migration(i: usize) -> Option<&'static str> {
    MIGRATIONS.get(i).copied()
}

/// Applies the migrations this database lacks, under an advisory lock.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS kiku_schema (version BIGINT NOT NULL)")?;
    let version: i64 = match tx.query_opt("SELECT version FROM kiku_schema", &[])? {
        Some(row) => row.get(0),
        None => {
            tx.execute("INSERT INTO kiku_schema (version) VALUES (0)", &[])?;
            0
        }
    };
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::NewerSchema(version));
    }
    for (from, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(migration)?;
        tx.execute("UPDATE kiku_schema SET version = $1", &[&(from as i64 + 1)])?;
    }
    tx.commit()?;
    Ok(())
}

/// The attempt rule saved for workshop `w` (the default if none).
fn saved_rule(client: &mut Conn, w: &str) -> Result<AttemptRule, StoreError> {
    Ok(client
        .query_opt(
            "SELECT value FROM meta WHERE workshop = $1 AND key = 'attempt_rule'",
            &[&w],
        )?
        .and_then(|r| AttemptRule::parse(r.get::<_, &str>(0)))
        .unwrap_or_default())
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// An entry from `id, nickname, record`.
fn entry_of(row: &postgres::Row) -> Result<Entry, StoreError> {
    let id: i64 = row.get(0);
    let record: &str = row.get(2);
    let (finished, extra) = parse_record(record)
        .ok_or_else(|| StoreError::Postgres(format!("entry {id}: its record cannot be read")))?;
    Ok(Entry {
        id,
        nickname: row.get(1),
        finished,
        extra,
    })
}

/// Entry `id` if it is workshop `w`'s.
fn entry_by_id(client: &mut Conn, w: &str, id: i64) -> Result<Option<Entry>, StoreError> {
    client
        .query_opt(
            "SELECT id, nickname, record FROM entries WHERE id = $1 AND workshop = $2",
            &[&id, &w],
        )?
        .map(|row| entry_of(&row))
        .transpose()
}

fn standing(
    client: &mut Conn,
    w: &str,
    scenario: &str,
    mode: Mode,
    nickname: &str,
) -> Result<Standing, StoreError> {
    let mode = mode.as_str();
    // One round trip: the name's best and total (0 without one), then how
    // many are ranked and how many above them (one pass over each table).
    let row = client.query_one(
        "SELECT mine.best, b.n, mine.total, t.n, b.above, t.above FROM
             (SELECT
                 COALESCE((SELECT overall FROM best WHERE workshop = $4 AND scenario = $1
                               AND mode = $3 AND nickname = $2), 0) AS best,
                 COALESCE((SELECT total FROM totals
                           WHERE workshop = $4 AND mode = $3 AND nickname = $2), 0) AS total)
                 mine,
             LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE overall > mine.best) AS above
                      FROM best WHERE workshop = $4 AND scenario = $1 AND mode = $3) b,
             LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE total > mine.total) AS above
                      FROM totals WHERE workshop = $4 AND mode = $3) t",
        &[&scenario, &nickname, &mode, &w],
    )?;
    let best: i64 = row.get(0);
    let total: i64 = row.get(2);
    Ok(Standing {
        scenario_rank: to_u32(row.get::<_, i64>(4) + 1),
        scenario_of: to_u32(row.get(1)),
        scenario_best: to_u32(best),
        overall_rank: to_u32(row.get::<_, i64>(5) + 1),
        overall_of: to_u32(row.get(3)),
        total: to_u32(total),
    })
}

/// The entry already stored under `new`'s submission id, if it is the same
/// player's in workshop `w` (else [`StoreError::SubmissionTaken`]).
fn stored_before(c: &mut Conn, w: &str, new: &NewEntry) -> Result<Inserted, StoreError> {
    let existing = match &new.submission {
        Some(id) => c.query_opt("SELECT id FROM entries WHERE submission = $1", &[id])?,
        None => None,
    };
    let Some(row) = existing else {
        return Err(StoreError::Postgres("an entry vanished".into()));
    };
    // Another workshop's id is someone else's too.
    let Some(entry) = entry_by_id(c, w, row.get(0))? else {
        return Err(StoreError::SubmissionTaken);
    };
    if entry.nickname != new.nickname {
        return Err(StoreError::SubmissionTaken);
    }
    let standing = standing(
        c,
        w,
        &entry.finished.scenario,
        entry.finished.mode,
        &entry.nickname,
    )?;
    Ok(Inserted {
        entry,
        duplicate: true,
        standing,
    })
}

/// A new entry's first round trip: finds the player by token (not kicked),
/// stores the entry unless its submission id is taken, and keeps it as the
/// attempt that counts when it does (as `insert`). Answers the player's
/// nickname (none: unknown token), the new entry's id (none: the id was
/// taken) and whether the attempt that counts changed.
const INSERT_AS: &str = "
WITH p AS (
    SELECT nickname FROM players WHERE workshop = $8 AND token_hash = $2 AND NOT kicked
), ins AS (
    INSERT INTO entries (submission, nickname, scenario, mode, overall, created_ms, record, workshop)
    SELECT $1::TEXT, p.nickname, $3::TEXT, $4::TEXT, $5::BIGINT, $6::BIGINT, $7::TEXT, $8::TEXT
    FROM p
    ON CONFLICT (submission) DO NOTHING
    RETURNING id, nickname
), b AS (
    INSERT INTO best (scenario, mode, nickname, entry, overall, created_ms, workshop)
    SELECT $3::TEXT, $4::TEXT, ins.nickname, ins.id, $5::BIGINT, $6::BIGINT, $8::TEXT FROM ins
    ON CONFLICT (workshop, scenario, mode, nickname) DO UPDATE SET
        entry = excluded.entry, overall = excluded.overall, created_ms = excluded.created_ms
    WHERE $9::TEXT = 'latest' OR ($9::TEXT = 'best' AND excluded.overall > best.overall)
    RETURNING 1
)
SELECT (SELECT nickname FROM p), (SELECT id FROM ins), (SELECT COUNT(*) FROM b)";

/// A new entry's second round trip: the player's total in its mode
/// recomputed when the attempt that counts changed (`$5`), then their
/// standing as `standing` finds it. The counts of `totals` see it as it was
/// before this statement, so the player's own row is counted apart.
const TOTAL_AND_STANDING: &str = "
WITH t AS (
    INSERT INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
    SELECT workshop, mode, nickname, SUM(overall)::BIGINT, COUNT(*), MAX(created_ms), MAX(entry)
    FROM best WHERE workshop = $4 AND mode = $3 AND nickname = $2 AND $5::BOOLEAN
    GROUP BY workshop, mode, nickname
    ON CONFLICT (workshop, mode, nickname) DO UPDATE SET total = excluded.total,
        scenarios = excluded.scenarios, reached = excluded.reached, entry = excluded.entry
    RETURNING total
)
SELECT mine.best, b.n, mine.total, t2.n + 1, b.above, t2.above FROM
    (SELECT
        COALESCE((SELECT overall FROM best WHERE workshop = $4 AND scenario = $1
                      AND mode = $3 AND nickname = $2), 0) AS best,
        COALESCE((SELECT total FROM t), (SELECT total FROM totals
                  WHERE workshop = $4 AND mode = $3 AND nickname = $2), 0) AS total) mine,
    LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE overall > mine.best) AS above
             FROM best WHERE workshop = $4 AND scenario = $1 AND mode = $3) b,
    LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE total > mine.total) AS above
             FROM totals WHERE workshop = $4 AND mode = $3 AND nickname <> $2) t2";

fn has_entries(client: &mut Conn, w: &str, nickname: &str) -> Result<bool, StoreError> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE workshop = $2 AND nickname = $1)",
            &[&nickname, &w],
        )?
        .get(0))
}

/// Recomputes workshop `w`'s `best` and `totals` from its `entries` under
/// `rule`.
fn rebuild_ranks(client: &mut Conn, w: &str, rule: AttemptRule) -> Result<(), StoreError> {
    client.execute("DELETE FROM best WHERE workshop = $1", &[&w])?;
    client.execute(
        &format!(
            "INSERT INTO best (workshop, scenario, mode, nickname, entry, overall, created_ms)
             SELECT workshop, scenario, mode, nickname, id, overall, created_ms FROM (
                 SELECT workshop, scenario, mode, nickname, id, overall, created_ms, ROW_NUMBER()
                     OVER (PARTITION BY scenario, mode, nickname ORDER BY {}) AS n
                 FROM entries WHERE workshop = $1) ranked
             WHERE n = 1",
            rule.order()
        ),
        &[&w],
    )?;
    client.execute("DELETE FROM totals WHERE workshop = $1", &[&w])?;
    client.execute(
        "INSERT INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
         SELECT workshop, mode, nickname, SUM(overall)::BIGINT, COUNT(*), MAX(created_ms),
             MAX(entry)
         FROM best WHERE workshop = $1 GROUP BY workshop, mode, nickname",
        &[&w],
    )?;
    Ok(())
}

/// Competition ranks ("1224") for points already sorted high to low.
fn ranks(points: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let rank = if i > 0 && points[i - 1] == *p {
            out[i - 1]
        } else {
            i as u32 + 1
        };
        out.push(rank);
    }
    out
}

fn rows_of(entries: Vec<Entry>) -> Vec<Row> {
    let points: Vec<u32> = entries.iter().map(|e| e.finished.scores.overall).collect();
    ranks(&points)
        .into_iter()
        .zip(entries)
        .map(|(rank, e)| Row::of(rank, e))
        .collect()
}

/// The overall rows of a board from rows of `totals` whose first five
/// columns are nickname, total, scenarios, reached and entry, best first.
fn total_rows(rows: &[postgres::Row]) -> Vec<Row> {
    let points: Vec<u32> = rows.iter().map(|r| to_u32(r.get(1))).collect();
    ranks(&points)
        .into_iter()
        .zip(rows)
        .map(|(rank, r)| Row {
            rank,
            entry: r.get(4),
            nickname: r.get(0),
            scenario: None,
            points: to_u32(r.get(1)),
            scores: None,
            scenarios: to_u32(r.get(2)),
            created_ms: r.get(3),
        })
        .collect()
}

/// Workshop `w`'s board of reply `mode`, each name's best (the server's
/// board): two round trips, where a query per scenario took about twenty.
/// The top `limit` per scenario and how many are ranked on each come from
/// one pass over `best` with window functions; the overall top, how many
/// totals and how many entries from a second query.
fn best_board(c: &mut Conn, w: &str, mode: &str, limit: i64) -> Result<Board, StoreError> {
    let rows = c.query(
        "SELECT e.id, e.nickname, e.record, r.ranked, r.scenario FROM (
             SELECT entry, scenario,
                 ROW_NUMBER() OVER (PARTITION BY scenario
                                    ORDER BY overall DESC, created_ms, entry) AS n,
                 COUNT(*) OVER (PARTITION BY scenario) AS ranked
             FROM best WHERE workshop = $1 AND mode = $2) r
         JOIN entries e ON e.id = r.entry
         WHERE r.n <= $3
         ORDER BY r.scenario, r.n",
        &[&w, &mode, &limit],
    )?;
    let mut scenarios: Vec<ScenarioBoard> = Vec::new();
    // The title of each scenario's newest entry among its rows.
    let mut newest: Vec<i64> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let flush = |scenarios: &mut Vec<ScenarioBoard>, entries: &mut Vec<Entry>| {
        if let Some(board) = scenarios.last_mut() {
            board.rows = rows_of(std::mem::take(entries));
        }
    };
    for row in &rows {
        let scenario: &str = row.get(4);
        if scenarios.last().is_none_or(|b| b.id != scenario) {
            flush(&mut scenarios, &mut entries);
            scenarios.push(ScenarioBoard {
                id: scenario.to_string(),
                title: Text::new(scenario.to_string(), scenario.to_string()),
                rows: Vec::new(),
                ranked: to_u32(row.get(3)),
            });
            newest.push(i64::MIN);
        }
        let entry = entry_of(row)?;
        if let (Some(board), Some(id)) = (scenarios.last_mut(), newest.last_mut())
            && entry.id > *id
        {
            *id = entry.id;
            board.title = entry.finished.title.clone();
        }
        entries.push(entry);
    }
    flush(&mut scenarios, &mut entries);
    let top = c.query(
        "SELECT nickname, total, scenarios, reached, entry, COUNT(*) OVER (),
             (SELECT COUNT(*) FROM entries WHERE workshop = $1 AND mode = $2)
         FROM totals WHERE workshop = $1 AND mode = $2
         ORDER BY total DESC, reached, nickname LIMIT $3",
        &[&w, &mode, &limit],
    )?;
    let (ranked, entries): (i64, i64) = match top.first() {
        Some(r) => (r.get(5), r.get(6)),
        // No totals: no entries either, unless one came meanwhile.
        None => (
            0,
            c.query_one(
                "SELECT COUNT(*) FROM entries WHERE workshop = $2 AND mode = $1",
                &[&mode, &w],
            )?
            .get(0),
        ),
    };
    let overall = total_rows(&top);
    Ok(Board {
        overall,
        scenarios,
        ranked: to_u32(ranked),
        entries: u64::try_from(entries).unwrap_or(0),
    })
}

impl BoardStore for PgStore {
    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .client
            .query_opt(
                "SELECT value FROM meta WHERE workshop = $2 AND key = $1",
                &[&key, &self.workshop],
            )?
            .map(|r| r.get(0)))
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        // Announced: the room's state (lock, freeze, mode) lives here, and
        // every server on the database follows it.
        self.atomically(true, |c, _, w| {
            c.execute(
                "INSERT INTO meta (workshop, key, value) VALUES ($3, $1, $2)
                 ON CONFLICT (workshop, key) DO UPDATE SET value = excluded.value",
                &[&key, &value, &w],
            )?;
            Ok(())
        })
    }

    fn meta_or_insert(
        &mut self,
        key: &str,
        make: &mut dyn FnMut() -> String,
    ) -> Result<String, StoreError> {
        let value = make();
        // The first instance to write wins; every instance reads its value.
        self.atomically(false, |c, _, w| {
            c.execute(
                "INSERT INTO meta (workshop, key, value) VALUES ($3, $1, $2)
                 ON CONFLICT (workshop, key) DO NOTHING",
                &[&key, &value, &w],
            )?;
            Ok(c.query_one(
                "SELECT value FROM meta WHERE workshop = $2 AND key = $1",
                &[&key, &w],
            )?
            .get(0))
        })
    }

    fn attempt_rule(&self) -> AttemptRule {
        self.rule
    }

    fn set_attempt_rule(&mut self, rule: AttemptRule) -> Result<(), StoreError> {
        self.atomically(true, |c, _, w| {
            c.execute(
                "INSERT INTO meta (workshop, key, value) VALUES ($2, 'attempt_rule', $1)
                 ON CONFLICT (workshop, key) DO UPDATE SET value = excluded.value",
                &[&rule.as_str(), &w],
            )?;
            rebuild_ranks(c, w, rule)
        })?;
        self.rule = rule;
        Ok(())
    }

    fn begin_batch(&mut self) -> bool {
        self.announced = None;
        self.to_announce.clear();
        self.held = false;
        // Opened by the batch's first change (see `atomically`).
        self.begun = false;
        self.in_batch = true;
        true
    }

    fn commit_batch(&mut self) -> Result<(), StoreError> {
        self.in_batch = false;
        self.held = false;
        self.announced = None;
        if !std::mem::take(&mut self.begun) {
            return Ok(());
        }
        match self.client.batch_execute("COMMIT") {
            Ok(()) => {
                self.hand_over();
                Ok(())
            }
            Err(e) => {
                self.to_announce.clear();
                let _ = self.client.batch_execute("ROLLBACK");
                Err(StoreError::from(e))
            }
        }
    }

    fn insert(&mut self, new: &NewEntry) -> Result<Inserted, StoreError> {
        self.atomically(true, |c, rule, w| {
            let f = &new.finished;
            let mode = f.mode.as_str();
            let overall = i64::from(f.scores.overall);
            // Stored unless its submission id already is (checked by the
            // insert itself: one round trip for a new entry).
            let stored = c.query_opt(
                "INSERT INTO entries
                     (submission, nickname, scenario, mode, overall, created_ms, record, workshop)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (submission) DO NOTHING
                 RETURNING id, nickname, record",
                &[
                    &new.submission,
                    &new.nickname,
                    &f.scenario,
                    &mode,
                    &overall,
                    &f.finished_ms,
                    &record_json(f, &new.extra),
                    &w,
                ],
            )?;
            let Some(stored) = stored else {
                return stored_before(c, w, new);
            };
            let entry = entry_of(&stored)?;
            let id = entry.id;
            let improved = c.execute(
                "INSERT INTO best (scenario, mode, nickname, entry, overall, created_ms, workshop)
                 VALUES ($1, $2, $3, $4, $5, $6, $8)
                 ON CONFLICT (workshop, scenario, mode, nickname) DO UPDATE SET
                     entry = excluded.entry, overall = excluded.overall,
                     created_ms = excluded.created_ms
                 WHERE $7 = 'latest' OR ($7 = 'best' AND excluded.overall > best.overall)",
                &[
                    &f.scenario,
                    &mode,
                    &new.nickname,
                    &id,
                    &overall,
                    &f.finished_ms,
                    &rule.as_str(),
                    &w,
                ],
            )?;
            if improved > 0 {
                c.execute(REFRESH_TOTAL, &[&new.nickname, &w])?;
            }
            let standing = standing(c, w, &f.scenario, f.mode, &new.nickname)?;
            Ok(Inserted {
                entry,
                duplicate: false,
                standing,
            })
        })
    }

    fn insert_as(
        &mut self,
        token: &str,
        new: &mut NewEntry,
    ) -> Result<Option<Inserted>, StoreError> {
        self.atomically(true, |c, rule, w| {
            let f = &new.finished;
            let mode = f.mode.as_str();
            let overall = i64::from(f.scores.overall);
            let record = record_json(f, &new.extra);
            let row = c.query_one(
                INSERT_AS,
                &[
                    &new.submission,
                    &crate::store::token_hash(token),
                    &f.scenario,
                    &mode,
                    &overall,
                    &f.finished_ms,
                    &record,
                    &w,
                    &rule.as_str(),
                ],
            )?;
            let Some(nickname) = row.get::<_, Option<String>>(0) else {
                return Ok(None);
            };
            new.nickname = nickname;
            let Some(id) = row.get::<_, Option<i64>>(1) else {
                return stored_before(c, w, new).map(Some);
            };
            let improved = row.get::<_, i64>(2) > 0;
            let row = c.query_one(
                TOTAL_AND_STANDING,
                &[&f.scenario, &new.nickname, &mode, &w, &improved],
            )?;
            let best: i64 = row.get(0);
            let total: i64 = row.get(2);
            let standing = Standing {
                scenario_rank: to_u32(row.get::<_, i64>(4) + 1),
                scenario_of: to_u32(row.get(1)),
                scenario_best: to_u32(best),
                overall_rank: to_u32(row.get::<_, i64>(5) + 1),
                overall_of: to_u32(row.get(3)),
                total: to_u32(total),
            };
            // The record as stored, read back only when it holds fields
            // this Kiku does not know (else it is `new`'s own).
            let entry = if new.extra.is_empty() {
                Entry {
                    id,
                    nickname: new.nickname.clone(),
                    finished: f.clone(),
                    extra: new.extra.clone(),
                }
            } else {
                let (finished, extra) = parse_record(&record).ok_or_else(|| {
                    StoreError::Postgres(format!("entry {id}: its record cannot be read"))
                })?;
                Entry {
                    id,
                    nickname: new.nickname.clone(),
                    finished,
                    extra,
                }
            };
            Ok(Some(Inserted {
                entry,
                duplicate: false,
                standing,
            }))
        })
    }

    fn join_player(
        &mut self,
        nickname: &str,
        token: Option<&str>,
    ) -> Result<JoinOutcome, StoreError> {
        self.atomically(false, |c, _, w| {
            let mut proposed = None;
            if let Some(token) = token {
                let known = c.query_opt(
                    "SELECT nickname, kicked FROM players WHERE workshop = $2 AND token_hash = $1",
                    &[&crate::store::token_hash(token), &w],
                )?;
                if known.is_none() && crate::store::usable_token(token) {
                    proposed = Some(token.to_string());
                }
                if let Some(row) = known {
                    let (name, kicked): (String, bool) = (row.get(0), row.get(1));
                    if name == nickname {
                        if kicked {
                            return Ok(JoinOutcome::Taken(name));
                        }
                        let taken = has_entries(c, w, &name)?;
                        return Ok(JoinOutcome::Joined {
                            nickname: name,
                            token: token.to_string(),
                            taken,
                        });
                    }
                }
            }
            let [a, b] = crate::nickname::skeletons(nickname);
            let alike = c.query(
                "SELECT id, nickname, token_hash IS NULL, kicked FROM players
                 WHERE workshop = $3 AND (skeleton_a IN ($1, $2) OR skeleton_b IN ($1, $2))
                 ORDER BY id",
                &[&a, &b, &w],
            )?;
            let token = proposed.unwrap_or_else(|| crate::hex(&crate::random_bytes::<16>()));
            match alike.as_slice() {
                [] => {
                    c.execute(
                        "INSERT INTO players
                             (token_hash, nickname, skeleton_a, skeleton_b, created_ms, workshop)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                        &[
                            &crate::store::token_hash(&token),
                            &nickname,
                            &a,
                            &b,
                            &now_ms(),
                            &w,
                        ],
                    )?;
                    Ok(JoinOutcome::Joined {
                        nickname: nickname.to_string(),
                        token,
                        taken: has_entries(c, w, nickname)?,
                    })
                }
                [only]
                    if only.get::<_, bool>(2)
                        && !only.get::<_, bool>(3)
                        && only.get::<_, String>(1) == nickname =>
                {
                    c.execute(
                        "UPDATE players SET token_hash = $1 WHERE id = $2",
                        &[&crate::store::token_hash(&token), &only.get::<_, i64>(0)],
                    )?;
                    Ok(JoinOutcome::Joined {
                        nickname: nickname.to_string(),
                        token,
                        taken: has_entries(c, w, nickname)?,
                    })
                }
                [first, ..] => Ok(JoinOutcome::Taken(first.get(1))),
            }
        })
    }

    fn player(&mut self, token: &str) -> Result<Option<Player>, StoreError> {
        Ok(self
            .client
            .query_opt(
                "SELECT nickname, kicked FROM players WHERE workshop = $2 AND token_hash = $1",
                &[&crate::store::token_hash(token), &self.workshop],
            )?
            .map(|r| Player {
                nickname: r.get(0),
                kicked: r.get(1),
            }))
    }

    fn players(&mut self) -> Result<Vec<PlayerInfo>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT p.nickname, p.kicked, p.token_hash IS NOT NULL, p.created_ms,
                        (SELECT COUNT(*) FROM entries e
                         WHERE e.workshop = p.workshop AND e.nickname = p.nickname)
                 FROM players p WHERE p.workshop = $1 ORDER BY p.id",
                &[&self.workshop],
            )?
            .iter()
            .map(|r| PlayerInfo {
                nickname: r.get(0),
                kicked: r.get(1),
                joined: r.get(2),
                created_ms: r.get(3),
                entries: r.get::<_, i64>(4).max(0) as u64,
            })
            .collect())
    }

    fn rename_player(&mut self, from: &str, to: &str) -> Result<RenameOutcome, StoreError> {
        self.atomically(true, |c, _, w| {
            let Some(row) = c.query_opt(
                "SELECT id FROM players WHERE workshop = $2 AND nickname = $1",
                &[&from, &w],
            )?
            else {
                return Ok(RenameOutcome::NoSuchPlayer);
            };
            let id: i64 = row.get(0);
            let [a, b] = crate::nickname::skeletons(to);
            if let Some(clash) = c.query_opt(
                "SELECT nickname FROM players WHERE workshop = $4
                 AND id <> $3 AND (skeleton_a IN ($1, $2) OR skeleton_b IN ($1, $2)) LIMIT 1",
                &[&a, &b, &id, &w],
            )? {
                return Ok(RenameOutcome::Taken(clash.get(0)));
            }
            c.execute(
                "UPDATE players SET nickname = $1, skeleton_a = $2, skeleton_b = $3 WHERE id = $4",
                &[&to, &a, &b, &id],
            )?;
            c.execute(
                "UPDATE entries SET nickname = $1 WHERE workshop = $3 AND nickname = $2",
                &[&to, &from, &w],
            )?;
            c.execute(
                "UPDATE best SET nickname = $1 WHERE workshop = $3 AND nickname = $2",
                &[&to, &from, &w],
            )?;
            c.execute(
                "DELETE FROM totals WHERE workshop = $2 AND nickname = $1",
                &[&from, &w],
            )?;
            c.execute(REFRESH_TOTAL, &[&to, &w])?;
            Ok(RenameOutcome::Renamed)
        })
    }

    fn kick_player(&mut self, nickname: &str) -> Result<Option<u64>, StoreError> {
        self.atomically(true, |c, _, w| {
            let found = c.execute(
                "UPDATE players SET kicked = TRUE, token_hash = NULL
                 WHERE workshop = $2 AND nickname = $1",
                &[&nickname, &w],
            )?;
            if found == 0 {
                return Ok(None);
            }
            let removed = c.execute(
                "DELETE FROM entries WHERE workshop = $2 AND nickname = $1",
                &[&nickname, &w],
            )?;
            c.execute(
                "DELETE FROM best WHERE workshop = $2 AND nickname = $1",
                &[&nickname, &w],
            )?;
            c.execute(
                "DELETE FROM totals WHERE workshop = $2 AND nickname = $1",
                &[&nickname, &w],
            )?;
            Ok(Some(removed))
        })
    }

    fn standing(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<Standing, StoreError> {
        standing(&mut self.client, &self.workshop, scenario, mode, nickname)
    }

    fn is_ranked(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<(bool, bool), StoreError> {
        let row = self.client.query_one(
            "SELECT EXISTS (SELECT 1 FROM best WHERE workshop = $4 AND scenario = $1
                        AND mode = $2 AND nickname = $3),
                    EXISTS (SELECT 1 FROM totals WHERE workshop = $4 AND mode = $2 AND nickname = $3)",
            &[&scenario, &mode.as_str(), &nickname, &self.workshop],
        )?;
        Ok((row.get(0), row.get(1)))
    }

    fn entries(&mut self) -> Result<Vec<Entry>, StoreError> {
        self.client
            .query(
                "SELECT id, nickname, record FROM entries WHERE workshop = $1 ORDER BY id",
                &[&self.workshop],
            )?
            .iter()
            .map(entry_of)
            .collect()
    }

    fn count(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self
            .client
            .query_one(
                "SELECT COUNT(*) FROM entries WHERE workshop = $1",
                &[&self.workshop],
            )?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn remove(&mut self, id: i64) -> Result<Option<Entry>, StoreError> {
        self.atomically(true, |c, rule, w| {
            let Some(entry) = entry_by_id(c, w, id)? else {
                return Ok(None);
            };
            let (scenario, mode, nickname) = (
                entry.finished.scenario.as_str(),
                entry.finished.mode.as_str(),
                entry.nickname.as_str(),
            );
            c.execute("DELETE FROM entries WHERE id = $1", &[&id])?;
            c.execute(
                "DELETE FROM best
                 WHERE workshop = $4 AND scenario = $1 AND mode = $2 AND nickname = $3",
                &[&scenario, &mode, &nickname, &w],
            )?;
            c.execute(
                &format!(
                    "INSERT INTO best (workshop, scenario, mode, nickname, entry, overall, created_ms)
                     SELECT workshop, scenario, mode, nickname, id, overall, created_ms FROM entries
                     WHERE workshop = $4 AND scenario = $1 AND mode = $2 AND nickname = $3
                     ORDER BY {} LIMIT 1",
                    rule.order()
                ),
                &[&scenario, &mode, &nickname, &w],
            )?;
            c.execute(
                "DELETE FROM totals WHERE workshop = $2 AND nickname = $1",
                &[&nickname, &w],
            )?;
            c.execute(REFRESH_TOTAL, &[&nickname, &w])?;
            Ok(Some(entry))
        })
    }

    fn reset(&mut self) -> Result<u64, StoreError> {
        self.atomically(true, |c, _, w| {
            let n = c.execute("DELETE FROM entries WHERE workshop = $1", &[&w])?;
            c.execute("DELETE FROM best WHERE workshop = $1", &[&w])?;
            c.execute("DELETE FROM totals WHERE workshop = $1", &[&w])?;
            Ok(n)
        })
    }

    fn use_workshop(&mut self, code: &str) -> Result<(), StoreError> {
        self.client.execute(
            "INSERT INTO workshops (code, created_ms, active_ms) VALUES ($1, $2, $2)
             ON CONFLICT (code) DO UPDATE
                 SET active_ms = GREATEST(workshops.active_ms, excluded.active_ms)",
            &[&code, &now_ms()],
        )?;
        self.rule = saved_rule(&mut self.client, code)?;
        self.workshop = code.to_string();
        Ok(())
    }

    fn workshop(&self) -> &str {
        &self.workshop
    }

    fn connection_lost(&self) -> bool {
        self.client.client.is_closed()
    }

    fn enter_workshop(&mut self, code: &str) -> Result<(), StoreError> {
        if self.workshop == code {
            return Ok(());
        }
        let rule = match self.rules.get(code) {
            Some(rule) => *rule,
            None => saved_rule(&mut self.client, code)?,
        };
        let left = std::mem::replace(&mut self.workshop, code.to_string());
        self.rules.insert(left, self.rule);
        self.rule = rule;
        Ok(())
    }

    fn workshops(&mut self) -> Result<Vec<WorkshopRow>, StoreError> {
        Ok(self
            .client
            .query(WORKSHOPS_SQL, &[])?
            .iter()
            .map(|r| WorkshopRow {
                code: r.get(0),
                active_ms: r.get(1),
            })
            .collect())
    }

    fn purge_workshops_before(&mut self, cutoff_ms: i64) -> Result<Purged, StoreError> {
        let old: Vec<String> = self
            .workshops()?
            .into_iter()
            .filter(|w| w.active_ms < cutoff_ms)
            .map(|w| w.code)
            .collect();
        let purged = self.atomically(false, |c, _, _| {
            let mut purged = Purged::default();
            for code in old {
                // Still old under the lock: a server may have started on it
                // a moment ago.
                let row = c.query_opt(
                    "SELECT code FROM workshops WHERE code = $1 AND active_ms < $2 FOR UPDATE",
                    &[&code, &cutoff_ms],
                )?;
                if row.is_none() {
                    continue;
                }
                purged.entries += c.execute("DELETE FROM entries WHERE workshop = $1", &[&code])?;
                for table in ["best", "totals", "players", "meta"] {
                    c.execute(
                        &format!("DELETE FROM {table} WHERE workshop = $1"),
                        &[&code],
                    )?;
                }
                c.execute("DELETE FROM workshops WHERE code = $1", &[&code])?;
                c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &code])?;
                purged.workshops.push(code);
            }
            Ok(purged)
        })?;
        if purged.workshops.contains(&self.workshop) {
            self.rule = AttemptRule::default();
        }
        for code in &purged.workshops {
            self.rules.remove(code);
        }
        Ok(purged)
    }

    fn board_in(&mut self, limit: u32, ranking: Ranking, mode: Mode) -> Result<Board, StoreError> {
        let mode = mode.as_str();
        let limit = i64::from(limit);
        let w = self.workshop.as_str();
        let c = &mut self.client;
        if ranking == Ranking::BestPerName {
            return best_board(c, w, mode, limit);
        }
        let titled = c.query(
            "SELECT scenario, record FROM entries
             WHERE id IN (SELECT MAX(id) FROM entries WHERE workshop = $2 AND mode = $1
                          GROUP BY scenario)
             ORDER BY scenario",
            &[&mode, &w],
        )?;
        let mut scenarios = Vec::new();
        for row in titled {
            let id: String = row.get(0);
            let title = parse_record(row.get(1))
                .map(|(f, _)| f.title)
                .unwrap_or_else(|| Text::new(id.clone(), id.clone()));
            let (sql, count_sql) = match ranking {
                Ranking::BestPerName => (
                    "SELECT e.id, e.nickname, e.record FROM best b JOIN entries e ON e.id = b.entry
                     WHERE b.workshop = $4 AND b.scenario = $1 AND b.mode = $2
                     ORDER BY b.overall DESC, b.created_ms, b.entry LIMIT $3",
                    "SELECT COUNT(*) FROM best WHERE workshop = $3 AND scenario = $1 AND mode = $2",
                ),
                Ranking::Attempts => (
                    "SELECT e.id, e.nickname, e.record FROM entries e
                     WHERE e.workshop = $4 AND e.scenario = $1 AND e.mode = $2
                     ORDER BY e.overall DESC, e.created_ms, e.id LIMIT $3",
                    "SELECT COUNT(*) FROM entries
                     WHERE workshop = $3 AND scenario = $1 AND mode = $2",
                ),
            };
            let entries: Vec<Entry> = c
                .query(sql, &[&id, &mode, &limit, &w])?
                .iter()
                .map(entry_of)
                .collect::<Result<_, _>>()?;
            let ranked: i64 = c.query_one(count_sql, &[&id, &mode, &w])?.get(0);
            scenarios.push(ScenarioBoard {
                id,
                title,
                rows: rows_of(entries),
                ranked: to_u32(ranked),
            });
        }
        let entries: i64 = c
            .query_one(
                "SELECT COUNT(*) FROM entries WHERE workshop = $2 AND mode = $1",
                &[&mode, &w],
            )?
            .get(0);
        let (overall, ranked) = match ranking {
            Ranking::Attempts => {
                let top: Vec<Entry> = c
                    .query(
                        "SELECT id, nickname, record FROM entries WHERE workshop = $3 AND mode = $1
                         ORDER BY overall DESC, created_ms, id LIMIT $2",
                        &[&mode, &limit, &w],
                    )?
                    .iter()
                    .map(entry_of)
                    .collect::<Result<_, _>>()?;
                (rows_of(top), entries)
            }
            Ranking::BestPerName => {
                let rows = c.query(
                    "SELECT nickname, total, scenarios, reached, entry FROM totals
                     WHERE workshop = $3 AND mode = $1
                     ORDER BY total DESC, reached, nickname LIMIT $2",
                    &[&mode, &limit, &w],
                )?;
                let overall = total_rows(&rows);
                let ranked: i64 = c
                    .query_one(
                        "SELECT COUNT(*) FROM totals WHERE workshop = $2 AND mode = $1",
                        &[&mode, &w],
                    )?
                    .get(0);
                (overall, ranked)
            }
        };
        Ok(Board {
            overall,
            scenarios,
            ranked: to_u32(ranked),
            entries: u64::try_from(entries).unwrap_or(0),
        })
    }

    fn reader(&self) -> Result<Option<Box<dyn BoardStore>>, StoreError> {
        // The schema is this store's, migrated already: connect, nothing more.
        Ok(Some(Box::new(PgStore {
            url: self.url.clone(),
            client: Conn::new(Client::connect(&self.url, NoTls)?),
            rule: self.rule,
            in_batch: false,
            begun: false,
            held: false,
            later: None,
            to_announce: Vec::new(),
            announced: None,
            workshop: self.workshop.clone(),
            rules: HashMap::new(),
        })))
    }

    fn listen(&mut self, on_change: Box<dyn Fn(bool) -> bool + Send>) -> Result<(), StoreError> {
        let url = self.url.clone();
        let workshop = self.workshop.clone();
        let later: Unannounced =
            std::sync::Arc::new(std::sync::Mutex::new(Some(Default::default())));
        let ended = Ended(std::sync::Arc::clone(&later));
        let handed = std::sync::Arc::clone(&later);
        let mut last_sent: Option<std::time::Instant> = None;
        let mut announce =
            move |client: &mut Client| announce_waiting(client, &later, &mut last_sent);
        std::thread::Builder::new()
            .name("kiku-board-listen".into())
            .spawn(move || {
                let _ended = ended;
                // `on_change(false)` asks whether anyone still cares.
                while on_change(false) {
                    // Its own notices are this server's.
                    let Some((mut client, own)) = listening(&url) else {
                        std::thread::sleep(RECONNECT_AFTER);
                        continue;
                    };
                    // Changes made before this LISTEN (while starting or
                    // reconnecting) sent no notice here: catch up once.
                    if !on_change(true) {
                        return;
                    }
                    loop {
                        if !announce(&mut client) {
                            break;
                        }
                        // A fresh wait each time: a timed-out iterator
                        // answers at once from then on.
                        let next = postgres::fallible_iterator::FallibleIterator::next(
                            &mut client.notifications().timeout_iter(NOTICE_EVERY),
                        );
                        match next {
                            // Another workshop's change: not this board's;
                            // or this server's own, known here already.
                            Ok(Some(notice))
                                if notice.payload() != workshop || notice.process_id() == own => {}
                            Ok(Some(_)) => {
                                if !on_change(true) {
                                    return;
                                }
                            }
                            // Nothing for a while (or the connection ended):
                            // still wanted?
                            Ok(None) => {
                                if !on_change(false) {
                                    return;
                                }
                                if client.is_closed() {
                                    break;
                                }
                            }
                            Err(_) => break,
                        }
                    }
                }
            })
            .map_err(|e| StoreError::Postgres(format!("cannot start the LISTEN thread: {e}")))?;
        self.later = Some(handed);
        Ok(())
    }
}
