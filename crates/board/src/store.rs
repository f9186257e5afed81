//! The leaderboard database: SQLite (bundled) in WAL mode, one savepoint
//! per submission, rankings per scenario and overall, each reply mode
//! (choose, recall) ranked on its own. Used by both the trainee's local
//! board and the workshop server. Every entry keeps its whole record as
//! JSON beside the indexed columns, so fields a newer Kiku adds survive.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use kiku_core::Finished;
pub use kiku_core::Mode;
pub use kiku_core::score::Scores;
use kiku_core::text::Text;

/// The organisation's registry of workshops on this store.
mod registry;

/// The schema version this code writes (`PRAGMA user_version`): the number
/// of [`MIGRATIONS`] applied.
const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a statement waits for a lock held by another connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Version 1: the board before reply modes. `IF NOT EXISTS` throughout, so
/// it also adopts files from before `user_version` was set.
const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    id           INTEGER PRIMARY KEY,
    submission   TEXT UNIQUE,
    nickname     TEXT NOT NULL,
    scenario     TEXT NOT NULL,
    title_ja     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    seed         INTEGER NOT NULL,
    choices      TEXT NOT NULL,
    ending       TEXT,
    overall      INTEGER NOT NULL,
    listening    INTEGER NOT NULL,
    questions    INTEGER NOT NULL,
    change       INTEGER NOT NULL,
    outcome      INTEGER NOT NULL,
    created_ms   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_scenario ON entries (scenario, overall DESC, created_ms);
CREATE INDEX IF NOT EXISTS entries_by_overall ON entries (overall DESC, created_ms);
-- Each nickname's best entry per scenario: the workshop ranks people, not attempts.
CREATE TABLE IF NOT EXISTS best (
    scenario   TEXT NOT NULL,
    nickname   TEXT NOT NULL,
    entry      INTEGER NOT NULL,
    overall    INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (scenario, nickname)
);
CREATE INDEX IF NOT EXISTS best_by_score ON best (scenario, overall DESC, created_ms);
CREATE INDEX IF NOT EXISTS best_by_name ON best (nickname);
-- Each nickname's total of bests, kept in step with `best` so ranking a
-- submission never scans the board.
CREATE TABLE IF NOT EXISTS totals (
    nickname  TEXT PRIMARY KEY,
    total     INTEGER NOT NULL,
    scenarios INTEGER NOT NULL,
    reached   INTEGER NOT NULL,
    entry     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS totals_by_total ON totals (total DESC, reached);
-- Workshop players: who holds which nickname. Only a hash of each secret
-- token is kept. A NULL token is a nickname from before tokens, claimed by
-- the first join with that exact name. Kicked players keep their row so
-- the name (and names that look like it) cannot come straight back.
CREATE TABLE IF NOT EXISTS players (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT UNIQUE,
    nickname   TEXT NOT NULL UNIQUE,
    skeleton_a TEXT NOT NULL,
    skeleton_b TEXT NOT NULL,
    kicked     INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS players_by_skeleton_a ON players (skeleton_a);
CREATE INDEX IF NOT EXISTS players_by_skeleton_b ON players (skeleton_b);
";

/// Version 2: each entry's reply mode and its whole record as JSON; `best`
/// and `totals` are kept per mode (both are derived, so they are rebuilt
/// from `entries`).
const SCHEMA_V2: &str = "
ALTER TABLE entries ADD COLUMN mode TEXT NOT NULL DEFAULT 'choose';
ALTER TABLE entries ADD COLUMN record TEXT;
CREATE INDEX entries_by_mode ON entries (scenario, mode, overall DESC, created_ms);
DROP TABLE best;
CREATE TABLE best (
    scenario   TEXT NOT NULL,
    mode       TEXT NOT NULL,
    nickname   TEXT NOT NULL,
    entry      INTEGER NOT NULL,
    overall    INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (scenario, mode, nickname)
);
CREATE INDEX best_by_score ON best (scenario, mode, overall DESC, created_ms);
CREATE INDEX best_by_name ON best (nickname);
INSERT INTO best (scenario, mode, nickname, entry, overall, created_ms)
SELECT scenario, mode, nickname, id, overall, created_ms FROM (
    SELECT scenario, mode, nickname, id, overall, created_ms, ROW_NUMBER() OVER (
        PARTITION BY scenario, mode, nickname ORDER BY overall DESC, created_ms, id) AS n
    FROM entries)
WHERE n = 1;
DROP TABLE totals;
CREATE TABLE totals (
    mode      TEXT NOT NULL,
    nickname  TEXT NOT NULL,
    total     INTEGER NOT NULL,
    scenarios INTEGER NOT NULL,
    reached   INTEGER NOT NULL,
    entry     INTEGER NOT NULL,
    PRIMARY KEY (mode, nickname)
);
CREATE INDEX totals_by_total ON totals (mode, total DESC, reached);
";

/// Version 3: several workshops in one database, each under its code (the
/// `workshop` column of every table; `''` is the trainee's own board).
/// What a file held so far is the workshop of its saved code. `best` and
/// `totals` are derived: emptied here and rebuilt per workshop after the
/// migration, under that workshop's attempt rule.
const SCHEMA_V3: &str = "
CREATE TABLE workshops (
    code       TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    active_ms  INTEGER NOT NULL
);
INSERT INTO workshops (code, created_ms, active_ms)
SELECT COALESCE((SELECT value FROM meta WHERE key = 'code'), ''),
       CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
       CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
WHERE EXISTS (SELECT 1 FROM meta) OR EXISTS (SELECT 1 FROM entries)
   OR EXISTS (SELECT 1 FROM players);
CREATE TABLE meta_v3 (
    workshop TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (workshop, key)
);
INSERT INTO meta_v3 (workshop, key, value)
SELECT (SELECT code FROM workshops), key, value FROM meta;
DROP TABLE meta;
ALTER TABLE meta_v3 RENAME TO meta;
ALTER TABLE entries ADD COLUMN workshop TEXT NOT NULL DEFAULT '';
UPDATE entries SET workshop = (SELECT code FROM workshops);
DROP INDEX IF EXISTS entries_by_scenario;
DROP INDEX IF EXISTS entries_by_overall;
DROP INDEX IF EXISTS entries_by_mode;
CREATE INDEX entries_in_workshop ON entries (workshop, scenario, mode, overall DESC, created_ms);
CREATE INDEX entries_by_name ON entries (workshop, nickname);
DROP TABLE best;
CREATE TABLE best (
    workshop   TEXT NOT NULL,
    scenario   TEXT NOT NULL,
    mode       TEXT NOT NULL,
    nickname   TEXT NOT NULL,
    entry      INTEGER NOT NULL,
    overall    INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (workshop, scenario, mode, nickname)
);
CREATE INDEX best_by_score ON best (workshop, scenario, mode, overall DESC, created_ms);
CREATE INDEX best_by_name ON best (workshop, nickname);
DROP TABLE totals;
CREATE TABLE totals (
    workshop  TEXT NOT NULL,
    mode      TEXT NOT NULL,
    nickname  TEXT NOT NULL,
    total     INTEGER NOT NULL,
    scenarios INTEGER NOT NULL,
    reached   INTEGER NOT NULL,
    entry     INTEGER NOT NULL,
    PRIMARY KEY (workshop, mode, nickname)
);
CREATE INDEX totals_by_total ON totals (workshop, mode, total DESC, reached);
CREATE TABLE players_v3 (
    id         INTEGER PRIMARY KEY,
    workshop   TEXT NOT NULL,
    token_hash TEXT,
    nickname   TEXT NOT NULL,
    skeleton_a TEXT NOT NULL,
    skeleton_b TEXT NOT NULL,
    kicked     INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    UNIQUE (workshop, nickname),
    UNIQUE (workshop, token_hash)
);
INSERT INTO players_v3 (id, workshop, token_hash, nickname, skeleton_a, skeleton_b, kicked, created_ms)
SELECT id, (SELECT code FROM workshops), token_hash, nickname, skeleton_a, skeleton_b, kicked, created_ms
FROM players;
DROP TABLE players;
ALTER TABLE players_v3 RENAME TO players;
CREATE INDEX players_by_skeleton_a ON players (workshop, skeleton_a);
CREATE INDEX players_by_skeleton_b ON players (workshop, skeleton_b);
";

/// The schema's history: migration `i` takes a file from version `i` to
/// `i + 1`, each in one transaction. Never edit one that has shipped; add
/// the next.
const MIGRATIONS: [&str; 3] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3];

/// Recomputes one nickname's totals (one per mode) from `best`, in
/// workshop `?2`.
const REFRESH_TOTAL: &str = "
INSERT OR REPLACE INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
SELECT workshop, mode, nickname, SUM(overall), COUNT(*), MAX(created_ms), MAX(entry) FROM best
WHERE workshop = ?2 AND nickname = ?1 GROUP BY mode, nickname";

/// A database error, in words.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no (the message without the SQL it was about).
    #[error("leaderboard database: {}", short(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// The file is an SQLite database, but not one Kiku can use: its
    /// tables are someone else's (SQLite's words, without the schema).
    #[error(
        "this file is not a Kiku leaderboard database (its tables differ: {0}); \
         choose another file with --db"
    )]
    Foreign(String),
    /// The folder for the database could not be made.
    #[error("leaderboard database folder {path}: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A submission id already stored for another player.
    #[error("the submission id is in use")]
    SubmissionTaken,
    /// PostgreSQL said no, or could not be reached (its message).
    #[error("leaderboard database (PostgreSQL): {0}")]
    Postgres(String),
    /// The file was written by a newer Kiku.
    #[error("the leaderboard database has schema version {0}; this Kiku knows {SCHEMA_VERSION}")]
    NewerSchema(i64),
}

/// SQLite's message for `e`, without the statement it was about (an error
/// in the schema would otherwise print the whole schema).
fn short(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(code, Some(msg)) => format!("{msg} ({:?})", code.code),
        other => {
            let text = other.to_string();
            match text.char_indices().nth(200) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

/// A finished, scored 1on1 ready to be stored: who, under which
/// submission id, and the record itself (stored as of its `finished_ms`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    /// The client's id for this submission: a retry with the same id stores
    /// nothing new and returns the first entry.
    pub submission: Option<String>,
    /// Who played (empty on the local board).
    pub nickname: String,
    /// The record.
    pub finished: Finished,
    /// Fields of the record this Kiku does not know (written by a newer
    /// one): stored with it and given back unchanged.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
}

/// A record's fields this Kiku does not know, by name.
pub type Extra = serde_json::Map<String, serde_json::Value>;

impl NewEntry {
    /// A finished 1on1 for the trainee's own board (no nickname, no
    /// submission id).
    pub fn local(finished: &Finished) -> NewEntry {
        NewEntry {
            submission: None,
            nickname: String::new(),
            finished: finished.clone(),
            extra: Extra::new(),
        }
    }
}

/// The whole record as stored: `finished`'s fields, then any `extra` ones
/// it lacks (a known field always comes from `finished`).
pub fn record_json(finished: &Finished, extra: &Extra) -> String {
    let mut value = serde_json::to_value(finished).unwrap_or_default();
    if let serde_json::Value::Object(map) = &mut value {
        for (key, v) in extra {
            map.entry(key.clone()).or_insert_with(|| v.clone());
        }
    }
    value.to_string()
}

/// Reads a stored record: the [`Finished`] it holds and the fields this
/// Kiku does not know. `None` if it is not a record.
pub fn parse_record(json: &str) -> Option<(Finished, Extra)> {
    let serde_json::Value::Object(mut all) = serde_json::from_str(json).ok()? else {
        return None;
    };
    let finished: Finished = serde_json::from_value(serde_json::Value::Object(all.clone())).ok()?;
    if let Ok(serde_json::Value::Object(known)) = serde_json::to_value(&finished) {
        all.retain(|key, _| !known.contains_key(key));
    }
    Some((finished, all))
}

/// A stored entry: its row id, who played, and the [`Finished`] record
/// (whose `finished_ms` is the time it was stored). On the wire it is
/// `protocol::EntryJson`: flat, the time named `created_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The row id.
    pub id: i64,
    /// Who played.
    pub nickname: String,
    /// The record, scored by whoever stored it.
    pub finished: Finished,
    /// The record's fields this Kiku does not know, as stored.
    pub extra: Extra,
}

/// Where a nickname stands after a submission (competition ranking: equal
/// scores share a rank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Rank of the nickname's best on this scenario, 1 = top.
    pub scenario_rank: u32,
    /// How many nicknames are ranked on this scenario.
    pub scenario_of: u32,
    /// The nickname's best overall score on this scenario.
    pub scenario_best: u32,
    /// Rank by total points (sum of bests over scenarios).
    pub overall_rank: u32,
    /// How many nicknames are ranked overall.
    pub overall_of: u32,
    /// The nickname's total points.
    pub total: u32,
}

/// The result of [`Store::insert`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inserted {
    /// The stored entry (the earlier one for a repeated submission id).
    pub entry: Entry,
    /// True when the submission id had been stored before.
    pub duplicate: bool,
    /// Where the nickname stands now.
    pub standing: Standing,
}

/// How a board ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ranking {
    /// Workshop: one row per nickname (their best per scenario; overall by
    /// the sum of their bests).
    BestPerName,
    /// Local board: every attempt is a row (overall: attempts across scenarios).
    Attempts,
}

/// One row of a board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based competition rank.
    pub rank: u32,
    /// The entry id (for the overall board by name: the nickname's latest best).
    pub entry: i64,
    /// Who.
    pub nickname: String,
    /// The scenario id (`None` for totals across scenarios).
    pub scenario: Option<String>,
    /// The points the row is ranked by: an overall score, or a total.
    pub points: u32,
    /// The axes (`None` for totals).
    pub scores: Option<Scores>,
    /// For totals: how many scenarios contributed.
    pub scenarios: u32,
    /// When the row's score was reached (ms since the epoch).
    pub created_ms: i64,
}

impl Row {
    /// The row for one attempt at `rank`.
    pub(crate) fn of(rank: u32, e: Entry) -> Row {
        let f = e.finished;
        Row {
            rank,
            entry: e.id,
            nickname: e.nickname,
            scenario: Some(f.scenario),
            points: f.scores.overall,
            scores: Some(f.scores),
            scenarios: 1,
            created_ms: f.finished_ms,
        }
    }
}

/// Both reply modes, the one that ranks by default first.
pub const MODES: [Mode; 2] = [Mode::Choose, Mode::Recall];

/// One scenario's board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioBoard {
    /// The scenario id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// The top rows.
    pub rows: Vec<Row>,
    /// How many nicknames (or attempts) are ranked in all.
    pub ranked: u32,
}

/// Top rows per scenario and overall.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// The overall board.
    pub overall: Vec<Row>,
    /// One board per scenario with entries, by scenario id.
    pub scenarios: Vec<ScenarioBoard>,
    /// How many rows the overall board has in all (nicknames, or attempts).
    pub ranked: u32,
    /// Entries stored in all.
    pub entries: u64,
}

/// What [`Store::join_player`] decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    /// Joined: the secret token to send with submissions (the same one
    /// when the client gave its own back).
    Joined {
        /// The nickname.
        nickname: String,
        /// The player's secret.
        token: String,
        /// True when the nickname already has entries.
        taken: bool,
    },
    /// Another player's name, or one that looks like it (that name).
    Taken(String),
}

/// A player found by token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Player {
    /// The nickname their entries go under.
    pub nickname: String,
    /// Removed by the facilitator.
    pub kicked: bool,
}

/// A player as the facilitator sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerInfo {
    /// The nickname.
    pub nickname: String,
    /// Removed by the facilitator (the name stays reserved).
    pub kicked: bool,
    /// False for a name from before tokens that nobody has joined as yet.
    pub joined: bool,
    /// When the name was first taken (ms since the epoch).
    pub created_ms: i64,
    /// Entries stored under it.
    pub entries: u64,
}

/// What [`Store::rename_player`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameOutcome {
    /// Done.
    Renamed,
    /// No player has that name.
    NoSuchPlayer,
    /// The new name is another player's, or looks like it (that name).
    Taken(String),
}

/// A token a client may choose: 32-128 letters, digits, `-` or `_`
/// (128 random bits in hex is what Kiku's client makes).
pub(crate) fn usable_token(token: &str) -> bool {
    (32..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The stored form of a player token: its SHA-256 in hex.
pub(crate) fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::hex(&Sha256::digest(token.as_bytes()))
}

fn has_entries(conn: &Connection, w: &str, nickname: &str) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE workshop = ?2 AND nickname = ?1)",
        [nickname, w],
        |r| r.get(0),
    )?)
}

/// A workshop in a database, as `--retain` and `kiku serve` see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkshopRow {
    /// Its code (`''`: a trainee's own board).
    pub code: String,
    /// Its last activity (ms since the epoch): its newest entry or player,
    /// or the latest start of a server for it (a running server renews it
    /// every hour).
    pub active_ms: i64,
}

/// What [`BoardStore::purge_workshops_before`] removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    /// The workshops removed, by code.
    pub workshops: Vec<String>,
    /// Their entries removed, in all.
    pub entries: u64,
}

/// What the workshop server needs of a board's database: the embedded
/// SQLite [`Store`] (the default) or [`crate::postgres::PgStore`]
/// (`kiku serve --db postgres://…`). Every call runs on the server's one
/// writer thread; a change is atomic on its own, or a savepoint of the
/// group commit between [`BoardStore::begin_batch`] and
/// [`BoardStore::commit_batch`].
pub trait BoardStore: Send {
    /// A value from the key-value table.
    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a value in the key-value table.
    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// The value of `key`, set to `make()` first if absent (when several
    /// servers share the database, the first to set it wins).
    fn meta_or_insert(
        &mut self,
        key: &str,
        make: &mut dyn FnMut() -> String,
    ) -> Result<String, StoreError>;
    /// Which attempt counts.
    fn attempt_rule(&self) -> AttemptRule;
    /// Sets which attempt counts and re-ranks everyone.
    fn set_attempt_rule(&mut self, rule: AttemptRule) -> Result<(), StoreError>;
    /// Opens a group commit; false if none could be opened.
    fn begin_batch(&mut self) -> bool;
    /// Commits the group; on failure nothing of it is stored.
    fn commit_batch(&mut self) -> Result<(), StoreError>;
    /// Stores a finished 1on1 (a repeated submission id stores nothing).
    fn insert(&mut self, new: &NewEntry) -> Result<Inserted, StoreError>;
    /// Stores a finished 1on1 as the player holding `token` (their
    /// nickname put in `new`); `None`, storing nothing, when no player
    /// holds it or they were kicked. PostgreSQL folds the look-up into the
    /// insert (fewer round trips).
    fn insert_as(
        &mut self,
        token: &str,
        new: &mut NewEntry,
    ) -> Result<Option<Inserted>, StoreError> {
        match self.player(token)? {
            Some(Player {
                nickname,
                kicked: false,
            }) => new.nickname = nickname,
            _ => return Ok(None),
        }
        self.insert(new).map(Some)
    }
    /// A trainee joins as `nickname`, with their earlier token if any.
    fn join_player(
        &mut self,
        nickname: &str,
        token: Option<&str>,
    ) -> Result<JoinOutcome, StoreError>;
    /// The player holding `token`.
    fn player(&mut self, token: &str) -> Result<Option<Player>, StoreError>;
    /// Every player, oldest first.
    fn players(&mut self) -> Result<Vec<PlayerInfo>, StoreError>;
    /// The facilitator renames a player.
    fn rename_player(&mut self, from: &str, to: &str) -> Result<RenameOutcome, StoreError>;
    /// The facilitator removes a player; their entries go.
    fn kick_player(&mut self, nickname: &str) -> Result<Option<u64>, StoreError>;
    /// Where `nickname` stands on `scenario` in `mode`, and overall.
    fn standing(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<Standing, StoreError>;
    /// Whether `nickname` has an entry on `scenario` in `mode`, and any in `mode`.
    fn is_ranked(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<(bool, bool), StoreError>;
    /// Every entry, oldest first.
    fn entries(&mut self) -> Result<Vec<Entry>, StoreError>;
    /// How many entries are stored.
    fn count(&mut self) -> Result<u64, StoreError>;
    /// Removes one entry.
    fn remove(&mut self, id: i64) -> Result<Option<Entry>, StoreError>;
    /// Removes every entry.
    fn reset(&mut self) -> Result<u64, StoreError>;
    /// From now on, works on the workshop `code` (registered if new, and
    /// its activity renewed): several workshops share one database, each
    /// under its code.
    fn use_workshop(&mut self, code: &str) -> Result<(), StoreError>;
    /// The workshop worked on.
    fn workshop(&self) -> &str;
    /// Whether its connection to the database is lost for good (a writer
    /// shared by several workshops then connects again). SQLite: never.
    fn connection_lost(&self) -> bool {
        false
    }
    /// Works on the workshop `code` from now on, for a writer shared by
    /// several workshops: like [`BoardStore::use_workshop`], but between
    /// two changes of one batch, so without renewing anything (PostgreSQL
    /// writes nothing; by default, `use_workshop` unless `code` is the
    /// workshop worked on already).
    fn enter_workshop(&mut self, code: &str) -> Result<(), StoreError> {
        if self.workshop() == code {
            return Ok(());
        }
        self.use_workshop(code)
    }
    /// Every workshop in the database, oldest activity first.
    fn workshops(&mut self) -> Result<Vec<WorkshopRow>, StoreError>;
    /// Privacy: removes every workshop whose last activity is before
    /// `cutoff_ms`, whole: its entries, players, code, token and state.
    fn purge_workshops_before(&mut self, cutoff_ms: i64) -> Result<Purged, StoreError>;
    /// The top `limit` rows of one mode's board.
    fn board_in(&mut self, limit: u32, ranking: Ranking, mode: Mode) -> Result<Board, StoreError>;
    /// Calls `on_change(true)` whenever another server on the same database
    /// changes the board (and `on_change(false)` now and then to ask whether
    /// to go on: stop on `false`). SQLite has no other servers: nothing.
    fn listen(&mut self, on_change: Box<dyn Fn(bool) -> bool + Send>) -> Result<(), StoreError> {
        drop(on_change);
        Ok(())
    }
    /// A second connection to the same database and workshop, for reading
    /// the board off the writer thread (it writes nothing: no migration,
    /// no activity renewed); `None` when there can be none (SQLite in
    /// memory).
    fn reader(&self) -> Result<Option<Box<dyn BoardStore>>, StoreError> {
        Ok(None)
    }
    /// On a [`BoardStore::reader`] of SQLite: copies the write-ahead log
    /// into the database file (the writer leaves that to its reader, so a
    /// checkpoint never holds up a commit); call it now and then.
    /// Elsewhere: nothing.
    fn checkpoint(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

impl BoardStore for Store {
    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        Store::meta(self, key)
    }
    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        Store::set_meta(self, key, value)
    }
    fn meta_or_insert(
        &mut self,
        key: &str,
        make: &mut dyn FnMut() -> String,
    ) -> Result<String, StoreError> {
        Store::meta_or_insert(self, key, make)
    }
    fn attempt_rule(&self) -> AttemptRule {
        Store::attempt_rule(self)
    }
    fn set_attempt_rule(&mut self, rule: AttemptRule) -> Result<(), StoreError> {
        Store::set_attempt_rule(self, rule)
    }
    fn begin_batch(&mut self) -> bool {
        Store::begin_batch(self)
    }
    fn commit_batch(&mut self) -> Result<(), StoreError> {
        Store::commit_batch(self)
    }
    fn insert(&mut self, new: &NewEntry) -> Result<Inserted, StoreError> {
        Store::insert(self, new)
    }
    fn join_player(
        &mut self,
        nickname: &str,
        token: Option<&str>,
    ) -> Result<JoinOutcome, StoreError> {
        Store::join_player(self, nickname, token)
    }
    fn player(&mut self, token: &str) -> Result<Option<Player>, StoreError> {
        Store::player(self, token)
    }
    fn players(&mut self) -> Result<Vec<PlayerInfo>, StoreError> {
        Store::players(self)
    }
    fn rename_player(&mut self, from: &str, to: &str) -> Result<RenameOutcome, StoreError> {
        Store::rename_player(self, from, to)
    }
    fn kick_player(&mut self, nickname: &str) -> Result<Option<u64>, StoreError> {
        Store::kick_player(self, nickname)
    }
    fn standing(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<Standing, StoreError> {
        Store::standing(self, scenario, mode, nickname)
    }
    fn is_ranked(
        &mut self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<(bool, bool), StoreError> {
        Store::is_ranked(self, scenario, mode, nickname)
    }
    fn entries(&mut self) -> Result<Vec<Entry>, StoreError> {
        Store::entries(self)
    }
    fn count(&mut self) -> Result<u64, StoreError> {
        Store::count(self)
    }
    fn remove(&mut self, id: i64) -> Result<Option<Entry>, StoreError> {
        Store::remove(self, id)
    }
    fn reset(&mut self) -> Result<u64, StoreError> {
        Store::reset(self)
    }
    fn use_workshop(&mut self, code: &str) -> Result<(), StoreError> {
        Store::use_workshop(self, code)
    }
    fn workshop(&self) -> &str {
        &self.workshop
    }
    fn workshops(&mut self) -> Result<Vec<WorkshopRow>, StoreError> {
        Store::workshops(self)
    }
    fn purge_workshops_before(&mut self, cutoff_ms: i64) -> Result<Purged, StoreError> {
        Store::purge_workshops_before(self, cutoff_ms)
    }
    fn board_in(&mut self, limit: u32, ranking: Ranking, mode: Mode) -> Result<Board, StoreError> {
        Store::board_in(self, limit, ranking, mode)
    }
    fn reader(&self) -> Result<Option<Box<dyn BoardStore>>, StoreError> {
        Ok(Store::reader(self)?.map(|r| Box::new(r) as Box<dyn BoardStore>))
    }
    fn checkpoint(&mut self) -> Result<(), StoreError> {
        Store::checkpoint(self)
    }
}

/// Whether `db` names a PostgreSQL database (a `postgres://` or
/// `postgresql://` URL) rather than an SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Opens the board's database named by `db`: PostgreSQL for a
/// `postgres://` or `postgresql://` URL, else the SQLite file at that path.
pub fn open_any(db: &str) -> Result<Box<dyn BoardStore>, StoreError> {
    if is_postgres_url(db) {
        Ok(Box::new(crate::postgres::PgStore::connect(db)?))
    } else {
        Ok(Box::new(Store::open(Path::new(db))?))
    }
}

/// The leaderboard database: one workshop of it at a time (see
/// [`Store::use_workshop`]).
pub struct Store {
    conn: Connection,
    /// Which attempt counts (kept in `meta` as [`ATTEMPT_RULE_KEY`]).
    rule: AttemptRule,
    /// The workshop worked on (`''`: a trainee's own board).
    workshop: String,
}

/// The `meta` key that holds the workshop's [`AttemptRule`].
pub const ATTEMPT_RULE_KEY: &str = "attempt_rule";

/// Which of a player's attempts at a scenario counts on the workshop board.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptRule {
    /// Their best score (ties: the earlier attempt).
    #[default]
    Best,
    /// Their first attempt, however the later ones go.
    First,
    /// Their latest attempt.
    Latest,
}

impl AttemptRule {
    /// Every rule.
    pub const ALL: [AttemptRule; 3] = [AttemptRule::Best, AttemptRule::First, AttemptRule::Latest];

    /// The rule's name: `best`, `first` or `latest`.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptRule::Best => "best",
            AttemptRule::First => "first",
            AttemptRule::Latest => "latest",
        }
    }

    /// Parses [`AttemptRule::as_str`]'s names.
    pub fn parse(name: &str) -> Option<AttemptRule> {
        AttemptRule::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// `ORDER BY` over `entries` that puts the attempt that counts first.
    pub(crate) fn order(self) -> &'static str {
        match self {
            AttemptRule::Best => "overall DESC, created_ms, id",
            AttemptRule::First => "created_ms, id",
            AttemptRule::Latest => "created_ms DESC, id DESC",
        }
    }
}

pub use kiku_core::record::now_ms;

impl Store {
    /// Opens (creating if needed) the database at `path`, in WAL mode.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        Store::setup(Connection::open(path)?)
    }

    /// A database in memory (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers never block the writer. synchronous=FULL: a commit
        // returns only once the WAL is on disk, so an acknowledged
        // submission survives a power cut too. The fsync that costs (~6 ms
        // here) is paid once per batch: the server commits every waiting
        // submission in one transaction (`begin_batch`, `commit_batch`).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema(version));
        }
        let foreign = |e: rusqlite::Error| StoreError::Foreign(short(&e));
        let first = usize::try_from(version)
            .map_err(|_| StoreError::Foreign(format!("schema version {version}")))?;
        let in_transaction = |sql: &str| {
            conn.execute_batch(&format!("BEGIN;\n{sql}\nCOMMIT;"))
                .map_err(|e| {
                    let _ = conn.execute_batch("ROLLBACK");
                    foreign(e)
                })
        };
        for (from, migration) in MIGRATIONS.iter().enumerate().skip(first) {
            in_transaction(&format!("{migration}\nPRAGMA user_version = {};", from + 1))?;
        }
        // Derived data: rebuilt on every open, so it can never drift.
        in_transaction(
            "DELETE FROM totals;
             INSERT INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
             SELECT workshop, mode, nickname, SUM(overall), COUNT(*), MAX(created_ms), MAX(entry)
             FROM best GROUP BY workshop, mode, nickname;",
        )?;
        let codes: Vec<String> = conn
            .prepare("SELECT code FROM workshops ORDER BY code")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if first < 3 {
            // Version 3 emptied `best`: rank each workshop again by its rule.
            for code in &codes {
                let rule = saved_rule(&conn, code)?;
                conn.execute_batch("BEGIN")?;
                rebuild_ranks(&conn, code, rule).inspect_err(|_| {
                    let _ = conn.execute_batch("ROLLBACK");
                })?;
                conn.execute_batch("COMMIT")?;
            }
        }
        // The workshop a file held before version 3 (or a trainee's own
        // board, `''`) until told otherwise.
        let workshop = match codes.as_slice() {
            [only] => only.clone(),
            _ => String::new(),
        };
        let rule = saved_rule(&conn, &workshop)?;
        let store = Store {
            conn,
            rule,
            workshop,
        };
        store.adopt_old_nicknames().map_err(|e| match e {
            StoreError::Sqlite(e) => StoreError::Foreign(short(&e)),
            other => other,
        })?;
        Ok(store)
    }

    /// From now on, works on the workshop `code` (registered if new, and
    /// its activity renewed). Every query is of that workshop alone.
    pub fn use_workshop(&mut self, code: &str) -> Result<(), StoreError> {
        let now = now_ms();
        self.conn.execute(
            "INSERT INTO workshops (code, created_ms, active_ms) VALUES (?1, ?2, ?2)
             ON CONFLICT (code) DO UPDATE SET active_ms = MAX(active_ms, excluded.active_ms)",
            params![code, now],
        )?;
        self.rule = saved_rule(&self.conn, code)?;
        self.workshop = code.to_string();
        Ok(())
    }

    /// A second connection to this store's file and workshop, for reading
    /// while the writer writes (WAL: a reader never waits for the writer,
    /// nor the writer for it); `None` for a database in memory. Unlike
    /// [`Store::open`] it writes nothing. From then on this store no longer
    /// checkpoints the write-ahead log after its commits: the reader's
    /// [`Store::checkpoint`] must, now and then (SQLite's own checkpoint
    /// copied up to 1,000 pages and synced the file inside a commit, while
    /// every submission of the batch waited).
    pub fn reader(&self) -> Result<Option<Store>, StoreError> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(Some(Store {
            conn,
            rule: self.rule,
            workshop: self.workshop.clone(),
        }))
    }

    /// Copies what the write-ahead log holds into the database file, as
    /// far as it can without waiting for anyone (`PRAGMA
    /// wal_checkpoint(PASSIVE)`); the writer then starts the log afresh.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The workshop worked on (`''`: a trainee's own board).
    pub fn workshop(&self) -> &str {
        &self.workshop
    }

    /// Every workshop in the file, oldest activity first.
    pub fn workshops(&self) -> Result<Vec<WorkshopRow>, StoreError> {
        let mut stmt = self.conn.prepare(WORKSHOPS_SQL)?;
        let rows = stmt.query_map([], |r| {
            Ok(WorkshopRow {
                code: r.get(0)?,
                active_ms: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Privacy: removes every workshop whose last activity is before
    /// `cutoff_ms`, whole (entries, players, code, token and state).
    pub fn purge_workshops_before(&mut self, cutoff_ms: i64) -> Result<Purged, StoreError> {
        let old: Vec<String> = self
            .workshops()?
            .into_iter()
            .filter(|w| w.active_ms < cutoff_ms)
            .map(|w| w.code)
            .collect();
        let tx = self.conn.savepoint()?;
        let mut purged = Purged::default();
        for code in old {
            purged.entries +=
                tx.execute("DELETE FROM entries WHERE workshop = ?1", [&code])? as u64;
            for table in ["best", "totals", "players", "meta"] {
                tx.execute(&format!("DELETE FROM {table} WHERE workshop = ?1"), [&code])?;
            }
            tx.execute("DELETE FROM workshops WHERE code = ?1", [&code])?;
            purged.workshops.push(code);
        }
        tx.commit()?;
        if purged.workshops.contains(&self.workshop) {
            self.rule = AttemptRule::default();
        }
        Ok(purged)
    }

    /// Nicknames with entries but no player (stored before tokens) become
    /// players without a token: the first join with that exact name claims it.
    fn adopt_old_nicknames(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT workshop, nickname FROM entries e
             WHERE nickname <> '' AND NOT EXISTS (SELECT 1 FROM players p
                 WHERE p.workshop = e.workshop AND p.nickname = e.nickname)",
        )?;
        let names: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (workshop, name) in names {
            let [a, b] = crate::nickname::skeletons(&name);
            self.conn.execute(
                "INSERT OR IGNORE INTO players
                     (workshop, token_hash, nickname, skeleton_a, skeleton_b, created_ms)
                 VALUES (?5, NULL, ?1, ?2, ?3, ?4)",
                params![name, a, b, now_ms(), workshop],
            )?;
        }
        Ok(())
    }

    /// Which attempt counts on this board.
    pub fn attempt_rule(&self) -> AttemptRule {
        self.rule
    }

    /// Sets which attempt counts, and re-ranks every player by it at once
    /// (entries stay; `best` and `totals` are rebuilt from them).
    pub fn set_attempt_rule(&mut self, rule: AttemptRule) -> Result<(), StoreError> {
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT INTO meta (workshop, key, value) VALUES (?3, ?1, ?2)
             ON CONFLICT (workshop, key) DO UPDATE SET value = excluded.value",
            [ATTEMPT_RULE_KEY, rule.as_str(), &self.workshop],
        )?;
        rebuild_ranks(&tx, &self.workshop, rule)?;
        tx.commit()?;
        self.rule = rule;
        Ok(())
    }

    /// Removes every entry of this workshop stored before `cutoff_ms`, and
    /// every player who joined before it and has no entry left (their
    /// nickname goes too). Returns the entries removed. (`kiku serve
    /// --retain` removes whole workshops: [`Store::purge_workshops_before`].)
    pub fn purge_before(&mut self, cutoff_ms: i64) -> Result<u64, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        let removed = tx.execute(
            "DELETE FROM entries WHERE workshop = ?2 AND created_ms < ?1",
            params![cutoff_ms, w],
        )?;
        tx.execute(
            "DELETE FROM players WHERE workshop = ?2 AND created_ms < ?1
             AND nickname NOT IN (SELECT nickname FROM entries WHERE workshop = ?2)",
            params![cutoff_ms, w],
        )?;
        if removed > 0 {
            rebuild_ranks(&tx, w, self.rule)?;
        }
        tx.commit()?;
        Ok(removed as u64)
    }

    /// Opens a group commit: until [`Store::commit_batch`], every change
    /// (each in its own savepoint) joins one transaction, made durable by
    /// one sync. False (and nothing opened) if SQLite refused.
    pub fn begin_batch(&mut self) -> bool {
        self.conn.execute_batch("BEGIN IMMEDIATE").is_ok()
    }

    /// Commits the group opened by [`Store::begin_batch`]; on failure rolls
    /// it back, so nothing of it is stored.
    pub fn commit_batch(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| {
            let _ = self.conn.execute_batch("ROLLBACK");
            StoreError::from(e)
        })
    }

    /// `PRAGMA synchronous`: 2 (FULL) after [`Store::open`].
    pub fn synchronous(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))?)
    }

    /// The journal mode in force (`wal` after [`Store::open`] on a file).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(lines.join("\n"))
    }

    /// A value from the key-value table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE workshop = ?2 AND key = ?1",
                [key, &self.workshop],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a value in the key-value table.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (workshop, key, value) VALUES (?3, ?1, ?2)
             ON CONFLICT (workshop, key) DO UPDATE SET value = excluded.value",
            [key, value, &self.workshop],
        )?;
        Ok(())
    }

    /// The value of `key`, set to `make()` first if absent.
    pub fn meta_or_insert(
        &mut self,
        key: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        if let Some(value) = self.meta(key)? {
            return Ok(value);
        }
        let value = make();
        self.set_meta(key, &value)?;
        Ok(value)
    }

    /// Stores a finished 1on1 in one transaction, as of its
    /// `finished_ms`. A repeated submission id stores nothing and returns
    /// the first entry.
    pub fn insert(&mut self, new: &NewEntry) -> Result<Inserted, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        if let Some(id) = &new.submission {
            let existing: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, workshop FROM entries WHERE submission = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((existing, workshop)) = existing {
                let entry = entry_by_id(&tx, existing)?;
                // Someone else's id: refused, and nothing of theirs shown.
                if entry.nickname != new.nickname || workshop != w {
                    return Err(StoreError::SubmissionTaken);
                }
                let standing = standing(
                    &tx,
                    w,
                    &entry.finished.scenario,
                    entry.finished.mode,
                    &entry.nickname,
                )?;
                tx.commit()?;
                return Ok(Inserted {
                    entry,
                    duplicate: true,
                    standing,
                });
            }
        }
        let f = &new.finished;
        let choices = serde_json::to_string(&f.choices).unwrap_or_else(|_| "[]".into());
        let s = f.scores;
        let created_ms = f.finished_ms;
        let mode = f.mode.as_str();
        tx.execute(
            "INSERT INTO entries (submission, nickname, scenario, title_ja, title_en, content_hash,
                 seed, choices, ending, overall, listening, questions, change, outcome, created_ms,
                 mode, record, workshop)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18)",
            params![
                new.submission,
                new.nickname,
                f.scenario,
                f.title.ja,
                f.title.en,
                f.content_hash,
                f.seed as i64,
                choices,
                f.ending,
                s.overall,
                s.listening,
                s.questions,
                s.change,
                s.outcome,
                created_ms,
                mode,
                record_json(f, &new.extra),
                w,
            ],
        )?;
        let id = tx.last_insert_rowid();
        // Keep the attempt that counts per (scenario, mode, nickname): the
        // best (ties keep the earlier), the first, or the latest.
        let improved = tx.prepare_cached(
            "INSERT INTO best (scenario, mode, nickname, entry, overall, created_ms, workshop)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8)
             ON CONFLICT (workshop, scenario, mode, nickname) DO UPDATE SET
                 entry = excluded.entry, overall = excluded.overall, created_ms = excluded.created_ms
             WHERE ?7 = 'latest' OR (?7 = 'best' AND excluded.overall > best.overall)",
        )?
        .execute(params![
            f.scenario,
            mode,
            new.nickname,
            id,
            s.overall,
            created_ms,
            self.rule.as_str(),
            w
        ])?;
        if improved > 0 {
            tx.prepare_cached(REFRESH_TOTAL)?
                .execute([new.nickname.as_str(), w])?;
        }
        let standing = standing(&tx, w, &f.scenario, f.mode, &new.nickname)?;
        // The record as stored: read back (and parsed) only when it holds
        // fields this Kiku does not know, else it is `new`'s own.
        let entry = if new.extra.is_empty() {
            Entry {
                id,
                nickname: new.nickname.clone(),
                finished: f.clone(),
                extra: Extra::new(),
            }
        } else {
            entry_by_id(&tx, id)?
        };
        tx.commit()?;
        Ok(Inserted {
            entry,
            duplicate: false,
            standing,
        })
    }

    /// A trainee joins as `nickname` (already checked), with the token
    /// from an earlier join if the client has one. See [`JoinOutcome`].
    pub fn join_player(
        &mut self,
        nickname: &str,
        token: Option<&str>,
    ) -> Result<JoinOutcome, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        // A client may propose its own token (so a join whose answer was
        // lost can be repeated); taken only when nobody holds it.
        let mut proposed = None;
        if let Some(token) = token {
            let known: Option<(String, bool)> = tx
                .query_row(
                    "SELECT nickname, kicked FROM players WHERE workshop = ?2 AND token_hash = ?1",
                    [token_hash(token).as_str(), w],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if known.is_none() && usable_token(token) {
                proposed = Some(token.to_string());
            }
            if let Some((name, kicked)) = known
                && name == nickname
            {
                if kicked {
                    return Ok(JoinOutcome::Taken(name));
                }
                let taken = has_entries(&tx, w, &name)?;
                return Ok(JoinOutcome::Joined {
                    nickname: name,
                    token: token.to_string(),
                    taken,
                });
            }
        }
        let [a, b] = crate::nickname::skeletons(nickname);
        let mut stmt = tx.prepare_cached(
            "SELECT id, nickname, token_hash IS NULL, kicked FROM players
             WHERE workshop = ?3 AND (skeleton_a IN (?1, ?2) OR skeleton_b IN (?1, ?2))
             ORDER BY id",
        )?;
        let alike: Vec<(i64, String, bool, bool)> = stmt
            .query_map([a.as_str(), b.as_str(), w], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        drop(stmt);
        let token = proposed.unwrap_or_else(|| crate::hex(&crate::random_bytes::<16>()));
        let outcome = match alike.as_slice() {
            [] => {
                tx.execute(
                    "INSERT INTO players
                         (token_hash, nickname, skeleton_a, skeleton_b, created_ms, workshop)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![token_hash(&token), nickname, a, b, now_ms(), w],
                )?;
                JoinOutcome::Joined {
                    nickname: nickname.to_string(),
                    token,
                    taken: has_entries(&tx, w, nickname)?,
                }
            }
            // A name from before tokens, typed exactly: the first to join claims it.
            [(id, name, true, false)] if name == nickname => {
                tx.execute(
                    "UPDATE players SET token_hash = ?1 WHERE id = ?2",
                    params![token_hash(&token), id],
                )?;
                JoinOutcome::Joined {
                    nickname: name.clone(),
                    token,
                    taken: has_entries(&tx, w, name)?,
                }
            }
            [(_, name, ..), ..] => JoinOutcome::Taken(name.clone()),
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// The player holding `token`, if any.
    pub fn player(&self, token: &str) -> Result<Option<Player>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT nickname, kicked FROM players WHERE workshop = ?2 AND token_hash = ?1",
            )?
            .query_row([token_hash(token).as_str(), &self.workshop], |r| {
                Ok(Player {
                    nickname: r.get(0)?,
                    kicked: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// Every player, oldest first, with how many entries each has.
    pub fn players(&self) -> Result<Vec<PlayerInfo>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT p.nickname, p.kicked, p.token_hash IS NOT NULL, p.created_ms,
                    (SELECT COUNT(*) FROM entries e
                     WHERE e.workshop = p.workshop AND e.nickname = p.nickname)
             FROM players p WHERE p.workshop = ?1 ORDER BY p.id",
        )?;
        let rows = stmt.query_map([&self.workshop], |r| {
            Ok(PlayerInfo {
                nickname: r.get(0)?,
                kicked: r.get(1)?,
                joined: r.get(2)?,
                created_ms: r.get(3)?,
                entries: r.get::<_, i64>(4)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The facilitator renames a player (and their entries). `to` must be
    /// checked already; it may not look like another player's name.
    pub fn rename_player(&mut self, from: &str, to: &str) -> Result<RenameOutcome, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM players WHERE workshop = ?2 AND nickname = ?1",
                [from, w],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(RenameOutcome::NoSuchPlayer);
        };
        let [a, b] = crate::nickname::skeletons(to);
        let clash: Option<String> = tx
            .query_row(
                "SELECT nickname FROM players WHERE workshop = ?4
                 AND id <> ?3 AND (skeleton_a IN (?1, ?2) OR skeleton_b IN (?1, ?2))",
                params![a, b, id, w],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(clash) = clash {
            return Ok(RenameOutcome::Taken(clash));
        }
        tx.execute(
            "UPDATE players SET nickname = ?1, skeleton_a = ?2, skeleton_b = ?3 WHERE id = ?4",
            params![to, a, b, id],
        )?;
        tx.execute(
            "UPDATE entries SET nickname = ?1 WHERE workshop = ?3 AND nickname = ?2",
            [to, from, w],
        )?;
        tx.execute(
            "UPDATE best SET nickname = ?1 WHERE workshop = ?3 AND nickname = ?2",
            [to, from, w],
        )?;
        tx.execute(
            "DELETE FROM totals WHERE workshop = ?2 AND nickname = ?1",
            [from, w],
        )?;
        tx.execute(REFRESH_TOTAL, [to, w])?;
        tx.commit()?;
        Ok(RenameOutcome::Renamed)
    }

    /// The facilitator removes a player: their entries go, their token stops
    /// working, and their name (and lookalikes) stays reserved. Returns the
    /// entries removed, or `None` if there is no such player.
    pub fn kick_player(&mut self, nickname: &str) -> Result<Option<u64>, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        let found = tx.execute(
            "UPDATE players SET kicked = 1, token_hash = NULL WHERE workshop = ?2 AND nickname = ?1",
            [nickname, w],
        )?;
        if found == 0 {
            return Ok(None);
        }
        let mut removed = 0;
        for table in ["entries", "best", "totals"] {
            let n = tx.execute(
                &format!("DELETE FROM {table} WHERE workshop = ?2 AND nickname = ?1"),
                [nickname, w],
            )?;
            if table == "entries" {
                removed = n;
            }
        }
        tx.commit()?;
        Ok(Some(removed as u64))
    }

    /// Where `nickname` stands on `scenario` and overall, among entries of
    /// the same reply `mode`.
    pub fn standing(
        &self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<Standing, StoreError> {
        standing(&self.conn, &self.workshop, scenario, mode, nickname)
    }

    /// True when `nickname` has an entry on `scenario` in `mode`, and true
    /// when they have one on any scenario in `mode`.
    pub fn is_ranked(
        &self,
        scenario: &str,
        mode: Mode,
        nickname: &str,
    ) -> Result<(bool, bool), StoreError> {
        Ok(self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM best WHERE workshop = ?4 AND scenario = ?1
                        AND mode = ?2 AND nickname = ?3),
                    EXISTS (SELECT 1 FROM totals WHERE workshop = ?4 AND mode = ?2 AND nickname = ?3)",
        )?
        .query_row([scenario, mode.as_str(), nickname, &self.workshop], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    }

    /// One entry.
    pub fn entry(&self, id: i64) -> Result<Option<Entry>, StoreError> {
        match entry_in(&self.conn, &self.workshop, id) {
            Ok(entry) => Ok(Some(entry)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.workshop = ?1 ORDER BY e.id"
        ))?;
        let rows = stmt.query_map([&self.workshop], entry_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// True when `nickname` has at least one entry.
    pub fn has_nickname(&self, nickname: &str) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM best WHERE workshop = ?2 AND nickname = ?1)",
            [nickname, &self.workshop],
            |r| r.get(0),
        )?)
    }

    /// How many entries are stored.
    pub fn count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM entries WHERE workshop = ?1",
            [&self.workshop],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Removes one entry (and recomputes that nickname's best); false if
    /// there was no such entry.
    pub fn remove(&mut self, id: i64) -> Result<Option<Entry>, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        let entry = match entry_in(&tx, w, id) {
            Ok(entry) => entry,
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => return Ok(None),
            Err(e) => return Err(e),
        };
        tx.execute("DELETE FROM entries WHERE id = ?1", [id])?;
        let key = [
            entry.finished.scenario.as_str(),
            entry.finished.mode.as_str(),
            entry.nickname.as_str(),
            w,
        ];
        tx.execute(
            "DELETE FROM best WHERE workshop = ?4 AND scenario = ?1 AND mode = ?2 AND nickname = ?3",
            key,
        )?;
        tx.execute(
            &format!(
                "INSERT INTO best (workshop, scenario, mode, nickname, entry, overall, created_ms)
                 SELECT workshop, scenario, mode, nickname, id, overall, created_ms FROM entries
                 WHERE workshop = ?4 AND scenario = ?1 AND mode = ?2 AND nickname = ?3
                 ORDER BY {} LIMIT 1",
                self.rule.order()
            ),
            key,
        )?;
        tx.execute(
            "DELETE FROM totals WHERE workshop = ?2 AND nickname = ?1",
            [entry.nickname.as_str(), w],
        )?;
        tx.execute(REFRESH_TOTAL, [entry.nickname.as_str(), w])?;
        tx.commit()?;
        Ok(Some(entry))
    }

    /// Removes every entry; returns how many there were. Keeps the
    /// workshop code and token.
    pub fn reset(&mut self) -> Result<u64, StoreError> {
        let tx = self.conn.savepoint()?;
        let w = self.workshop.as_str();
        let n = tx.execute("DELETE FROM entries WHERE workshop = ?1", [w])?;
        tx.execute("DELETE FROM best WHERE workshop = ?1", [w])?;
        tx.execute("DELETE FROM totals WHERE workshop = ?1", [w])?;
        tx.commit()?;
        Ok(n as u64)
    }

    /// The top `limit` rows per scenario and overall of the choose-mode
    /// board (records from before recall mode are on it).
    pub fn board(&self, limit: u32, ranking: Ranking) -> Result<Board, StoreError> {
        self.board_in(limit, ranking, Mode::Choose)
    }

    /// The top `limit` rows per scenario and overall among entries of one
    /// reply `mode`: each mode is ranked on its own.
    pub fn board_in(&self, limit: u32, ranking: Ranking, mode: Mode) -> Result<Board, StoreError> {
        let mode_name = mode.as_str();
        let mut scenarios = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT scenario, title_ja, title_en FROM entries
             WHERE id IN (SELECT MAX(id) FROM entries WHERE workshop = ?2 AND mode = ?1
                          GROUP BY scenario)
             ORDER BY scenario",
        )?;
        let ids: Vec<(String, Text)> = stmt
            .query_map([mode_name, &self.workshop], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Text::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, title) in ids {
            let (rows, ranked) = self.scenario_rows(&id, mode_name, limit, ranking)?;
            scenarios.push(ScenarioBoard {
                id,
                title,
                rows,
                ranked,
            });
        }
        let count = |sql: &str| -> Result<i64, StoreError> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row([mode_name, &self.workshop], |r| r.get(0))?)
        };
        let entries = count("SELECT COUNT(*) FROM entries WHERE workshop = ?2 AND mode = ?1")?;
        let ranked = match ranking {
            Ranking::BestPerName => {
                count("SELECT COUNT(*) FROM totals WHERE workshop = ?2 AND mode = ?1")?
            }
            Ranking::Attempts => entries,
        };
        Ok(Board {
            overall: self.overall_rows(mode_name, limit, ranking)?,
            ranked: to_u32(ranked),
            scenarios,
            entries: u64::try_from(entries).unwrap_or(0),
        })
    }

    fn scenario_rows(
        &self,
        scenario: &str,
        mode: &str,
        limit: u32,
        ranking: Ranking,
    ) -> Result<(Vec<Row>, u32), StoreError> {
        let (sql, count_sql) = match ranking {
            Ranking::BestPerName => (
                format!(
                    "SELECT {ENTRY_COLUMNS} FROM best b JOIN entries e ON e.id = b.entry
                     WHERE b.workshop = ?4 AND b.scenario = ?1 AND b.mode = ?2
                     ORDER BY b.overall DESC, b.created_ms, b.entry LIMIT ?3"
                ),
                "SELECT COUNT(*) FROM best WHERE workshop = ?3 AND scenario = ?1 AND mode = ?2",
            ),
            Ranking::Attempts => (
                format!(
                    "SELECT {ENTRY_COLUMNS} FROM entries e
                     WHERE e.workshop = ?4 AND e.scenario = ?1 AND e.mode = ?2
                     ORDER BY e.overall DESC, e.created_ms, e.id LIMIT ?3"
                ),
                "SELECT COUNT(*) FROM entries WHERE workshop = ?3 AND scenario = ?1 AND mode = ?2",
            ),
        };
        let w = self.workshop.as_str();
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows: Vec<Row> = stmt
            .query_map(params![scenario, mode, limit, w], board_row)?
            .collect::<Result<_, _>>()?;
        let ranked: i64 = self
            .conn
            .prepare_cached(count_sql)?
            .query_row([scenario, mode, w], |r| r.get(0))?;
        Ok((ranked_rows(rows), u32::try_from(ranked).unwrap_or(u32::MAX)))
    }

    fn overall_rows(
        &self,
        mode: &str,
        limit: u32,
        ranking: Ranking,
    ) -> Result<Vec<Row>, StoreError> {
        match ranking {
            Ranking::Attempts => {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.workshop = ?3 AND e.mode = ?1
                     ORDER BY e.overall DESC, e.created_ms, e.id LIMIT ?2"
                ))?;
                let rows: Vec<Row> = stmt
                    .query_map(params![mode, limit, self.workshop], board_row)?
                    .collect::<Result<_, _>>()?;
                Ok(ranked_rows(rows))
            }
            Ranking::BestPerName => {
                // Ties go to whoever reached the total first.
                let mut stmt = self.conn.prepare_cached(
                    "SELECT nickname, total, scenarios, reached, entry FROM totals
                     WHERE workshop = ?3 AND mode = ?1
                     ORDER BY total DESC, reached, nickname LIMIT ?2",
                )?;
                let rows: Vec<(String, i64, i64, i64, i64)> = stmt
                    .query_map(params![mode, limit, self.workshop], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(ranks(rows.iter().map(|r| to_u32(r.1)))
                    .zip(rows)
                    .map(|(rank, (nickname, total, n, reached, entry))| Row {
                        rank,
                        entry,
                        nickname,
                        scenario: None,
                        points: to_u32(total),
                        scores: None,
                        scenarios: to_u32(n),
                        created_ms: reached,
                    })
                    .collect())
            }
        }
    }
}

/// Recomputes workshop `w`'s `best` and `totals` from its `entries` under
/// `rule`.
fn rebuild_ranks(conn: &Connection, w: &str, rule: AttemptRule) -> Result<(), StoreError> {
    conn.execute("DELETE FROM best WHERE workshop = ?1", [w])?;
    conn.execute(
        &format!(
            "INSERT INTO best (workshop, scenario, mode, nickname, entry, overall, created_ms)
             SELECT workshop, scenario, mode, nickname, id, overall, created_ms FROM (
                 SELECT workshop, scenario, mode, nickname, id, overall, created_ms, ROW_NUMBER()
                     OVER (PARTITION BY scenario, mode, nickname ORDER BY {}) AS n
                 FROM entries WHERE workshop = ?1)
             WHERE n = 1",
            rule.order()
        ),
        [w],
    )?;
    conn.execute("DELETE FROM totals WHERE workshop = ?1", [w])?;
    conn.execute(
        "INSERT INTO totals (workshop, mode, nickname, total, scenarios, reached, entry)
         SELECT workshop, mode, nickname, SUM(overall), COUNT(*), MAX(created_ms), MAX(entry)
         FROM best WHERE workshop = ?1 GROUP BY mode, nickname",
        [w],
    )?;
    Ok(())
}

/// The attempt rule saved for workshop `w` (the default if none).
fn saved_rule(conn: &Connection, w: &str) -> Result<AttemptRule, StoreError> {
    let rule: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE workshop = ?2 AND key = ?1",
            [ATTEMPT_RULE_KEY, w],
            |r| r.get(0),
        )
        .optional()?;
    Ok(rule
        .as_deref()
        .and_then(AttemptRule::parse)
        .unwrap_or_default())
}

/// Every workshop and its last activity: the latest of a server starting
/// on it, its newest entry and its newest player (both stores).
pub(crate) const WORKSHOPS_SQL: &str = "
SELECT w.code, MAX(w.active_ms,
    COALESCE((SELECT MAX(created_ms) FROM entries e WHERE e.workshop = w.code), 0),
    COALESCE((SELECT MAX(created_ms) FROM players p WHERE p.workshop = w.code), 0)) AS active
FROM workshops w ORDER BY active, w.code";

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Competition ranks ("1224") for points already sorted high to low.
fn ranks(points: impl Iterator<Item = u32>) -> std::vec::IntoIter<u32> {
    let mut last: Option<u32> = None;
    let mut rank = 0;
    points
        .enumerate()
        .map(move |(i, p)| {
            if last != Some(p) {
                rank = i as u32 + 1;
                last = Some(p);
            }
            rank
        })
        .collect::<Vec<_>>()
        .into_iter()
}

const ENTRY_COLUMNS: &str = "e.id, e.nickname, e.scenario, e.title_ja, e.title_en, e.content_hash, \
     e.seed, e.choices, e.ending, e.overall, e.listening, e.questions, e.change, e.outcome, \
     e.created_ms, e.mode, e.record";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let id = r.get(0)?;
    let nickname = r.get(1)?;
    // The whole record when it was kept (every entry since schema 2); the
    // columns otherwise, or if it cannot be read.
    if let Some((finished, extra)) = r
        .get::<_, Option<String>>(16)?
        .as_deref()
        .and_then(parse_record)
    {
        return Ok(Entry {
            id,
            nickname,
            finished,
            extra,
        });
    }
    let choices: String = r.get(7)?;
    let mode: String = r.get(15)?;
    Ok(Entry {
        id,
        nickname,
        finished: Finished {
            scenario: r.get(2)?,
            title: Text::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
            content_hash: r.get(5)?,
            seed: r.get::<_, i64>(6)? as u64,
            choices: serde_json::from_str(&choices).unwrap_or_default(),
            ending: r.get(8)?,
            scores: Scores {
                overall: r.get(9)?,
                listening: r.get(10)?,
                questions: r.get(11)?,
                change: r.get(12)?,
                outcome: r.get(13)?,
            },
            finished_ms: r.get(14)?,
            mode: Mode::parse(&mode).unwrap_or_default(),
            prior: None,
        },
        extra: Extra::new(),
    })
}

/// A board row (rank still 0) from [`ENTRY_COLUMNS`], read from the ranked
/// columns alone: a board is rebuilt after every burst of submissions, and
/// parsing each row's whole record would cost more than the query.
fn board_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let scores = Scores {
        overall: r.get(9)?,
        listening: r.get(10)?,
        questions: r.get(11)?,
        change: r.get(12)?,
        outcome: r.get(13)?,
    };
    Ok(Row {
        rank: 0,
        entry: r.get(0)?,
        nickname: r.get(1)?,
        scenario: Some(r.get(2)?),
        points: scores.overall,
        scores: Some(scores),
        scenarios: 1,
        created_ms: r.get(14)?,
    })
}

/// `rows`, sorted high to low, with their competition ranks.
fn ranked_rows(mut rows: Vec<Row>) -> Vec<Row> {
    let ranked = ranks(rows.iter().map(|r| r.points));
    for (row, rank) in rows.iter_mut().zip(ranked) {
        row.rank = rank;
    }
    rows
}

fn entry_by_id(conn: &Connection, id: i64) -> Result<Entry, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id = ?1"
    ))?;
    Ok(stmt.query_row([id], entry_from_row)?)
}

/// Entry `id` if it is workshop `w`'s.
fn entry_in(conn: &Connection, w: &str, id: i64) -> Result<Entry, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id = ?1 AND e.workshop = ?2"
    ))?;
    Ok(stmt.query_row(params![id, w], entry_from_row)?)
}

fn standing(
    conn: &Connection,
    w: &str,
    scenario: &str,
    mode: Mode,
    nickname: &str,
) -> Result<Standing, StoreError> {
    let mode = mode.as_str();
    let mut stmt = conn.prepare_cached(
        "SELECT
            (SELECT overall FROM best
             WHERE workshop = ?4 AND scenario = ?1 AND mode = ?3 AND nickname = ?2),
            (SELECT COUNT(*) FROM best WHERE workshop = ?4 AND scenario = ?1 AND mode = ?3),
            (SELECT COALESCE(total, 0) FROM totals
             WHERE workshop = ?4 AND mode = ?3 AND nickname = ?2),
            (SELECT COUNT(*) FROM totals WHERE workshop = ?4 AND mode = ?3)",
    )?;
    let (best, of, total, overall_of): (Option<i64>, i64, Option<i64>, i64) = stmt
        .query_row([scenario, nickname, mode, w], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let best = best.unwrap_or(0);
    let total = total.unwrap_or(0);
    let mut above = conn.prepare_cached(
        "SELECT COUNT(*) FROM best
         WHERE workshop = ?4 AND scenario = ?1 AND mode = ?3 AND overall > ?2",
    )?;
    let scenario_above: i64 = above.query_row(params![scenario, best, mode, w], |r| r.get(0))?;
    let mut above_total = conn.prepare_cached(
        "SELECT COUNT(*) FROM totals WHERE workshop = ?3 AND mode = ?2 AND total > ?1",
    )?;
    let overall_above: i64 = above_total.query_row(params![total, mode, w], |r| r.get(0))?;
    Ok(Standing {
        scenario_rank: to_u32(scenario_above + 1),
        scenario_of: to_u32(of),
        scenario_best: to_u32(best),
        overall_rank: to_u32(overall_above + 1),
        overall_of: to_u32(overall_of),
        total: to_u32(total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(nickname: &str, scenario: &str, overall: u32, at: i64) -> NewEntry {
        NewEntry {
            submission: None,
            nickname: nickname.into(),
            finished: Finished {
                scenario: scenario.into(),
                title: Text::new("題", "Title"),
                content_hash: "h".into(),
                seed: u64::MAX,
                choices: vec!["a".into(), "b".into()],
                ending: Some("end".into()),
                scores: Scores {
                    overall,
                    listening: 1,
                    questions: 2,
                    change: 3,
                    outcome: 4,
                },
                finished_ms: at,
                mode: Mode::Choose,
                prior: None,
            },
            extra: Extra::new(),
        }
    }

    #[test]
    fn ranks_people_by_their_best_and_totals() {
        let mut store = Store::open_in_memory().unwrap();
        store.insert(&entry("ann", "s1", 50, 1)).unwrap();
        store.insert(&entry("ann", "s1", 80, 2)).unwrap();
        store.insert(&entry("bob", "s1", 80, 3)).unwrap();
        store.insert(&entry("cy", "s1", 40, 4)).unwrap();
        let got = store.insert(&entry("cy", "s2", 90, 5)).unwrap();
        assert_eq!(got.standing.scenario_rank, 1);
        assert_eq!(got.standing.total, 130);
        assert_eq!(got.standing.overall_rank, 1);
        assert_eq!(got.standing.overall_of, 3);
        let board = store.board(10, Ranking::BestPerName).unwrap();
        let s1 = &board.scenarios[0];
        assert_eq!(s1.ranked, 3);
        let names: Vec<_> = s1
            .rows
            .iter()
            .map(|r| (r.rank, r.nickname.as_str()))
            .collect();
        assert_eq!(names, [(1, "ann"), (1, "bob"), (3, "cy")]);
        assert_eq!(board.overall[0].nickname, "cy");
        assert_eq!(board.overall[0].points, 130);
        assert_eq!(board.entries, 5);
        let attempts = store.board(10, Ranking::Attempts).unwrap();
        assert_eq!(attempts.scenarios[0].rows.len(), 4);
        assert_eq!(attempts.overall[0].points, 90);
        assert_eq!(attempts.overall[0].scores.unwrap().change, 3);
    }

    #[test]
    fn each_mode_is_ranked_on_its_own() {
        let mut store = Store::open_in_memory().unwrap();
        store.insert(&entry("ann", "s1", 90, 1)).unwrap();
        let mut recall = entry("ann", "s1", 40, 2);
        recall.finished.mode = Mode::Recall;
        let got = store.insert(&recall).unwrap();
        // Her recall best is 40 although she has 90 choosing.
        assert_eq!(got.standing.scenario_best, 40);
        assert_eq!(
            (got.standing.scenario_rank, got.standing.scenario_of),
            (1, 1)
        );
        assert_eq!(got.standing.total, 40);
        let mut bob = entry("bob", "s1", 60, 3);
        bob.finished.mode = Mode::Recall;
        assert_eq!(store.insert(&bob).unwrap().standing.scenario_rank, 1);
        let choose = store.board(10, Ranking::BestPerName).unwrap();
        assert_eq!((choose.entries, choose.ranked), (1, 1));
        assert_eq!(choose.scenarios[0].rows[0].points, 90);
        let recall = store
            .board_in(10, Ranking::BestPerName, Mode::Recall)
            .unwrap();
        assert_eq!((recall.entries, recall.ranked), (2, 2));
        let names: Vec<_> = recall.scenarios[0]
            .rows
            .iter()
            .map(|r| (r.nickname.as_str(), r.points))
            .collect();
        assert_eq!(names, [("bob", 60), ("ann", 40)]);
        assert_eq!(recall.overall[0].nickname, "bob");
        let attempts = store.board_in(10, Ranking::Attempts, Mode::Recall).unwrap();
        assert_eq!(attempts.overall.len(), 2);
        assert_eq!(store.entries().unwrap()[1].finished.mode, Mode::Recall);
        // Removing her recall entry leaves her choose best alone.
        store.remove(got.entry.id).unwrap();
        assert_eq!(
            store
                .standing("s1", Mode::Choose, "ann")
                .unwrap()
                .scenario_best,
            90
        );
        assert_eq!(
            store
                .standing("s1", Mode::Recall, "ann")
                .unwrap()
                .scenario_best,
            0
        );
    }

    #[test]
    fn an_unknown_field_survives_a_round_trip() {
        let dir = std::env::temp_dir().join(format!("kiku-extra-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("b.db");
        let mut new = entry("ann", "s1", 50, 1);
        new.submission = Some("one".into());
        let prior = serde_json::json!({"entry": 12, "note": "続き"});
        new.extra.insert("future_field".into(), prior.clone());
        // A field Finished knows is never taken from `extra`.
        new.extra.insert("overall".into(), serde_json::json!(100));
        let mut store = Store::open(&path).unwrap();
        let stored = store.insert(&new).unwrap().entry;
        assert_eq!(stored.extra.len(), 1);
        assert_eq!(stored.extra["future_field"], prior);
        assert_eq!(stored.finished, new.finished);
        // Through a rename and a reopen, on every read path.
        let JoinOutcome::Joined { .. } = store.join_player("ann", None).unwrap() else {
            panic!("ann could not join");
        };
        store.rename_player("ann", "anne").unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        let again = store.entry(stored.id).unwrap().unwrap();
        assert_eq!(again.extra["future_field"], prior);
        assert_eq!(again.nickname, "anne");
        assert_eq!(store.entries().unwrap()[0].extra["future_field"], prior);
        new.nickname = "anne".into();
        let duplicate = store.insert(&new).unwrap();
        assert!(duplicate.duplicate);
        assert_eq!(duplicate.entry.extra["future_field"], prior);
        let json: String = store
            .conn
            .query_row("SELECT record FROM entries", [], |r| r.get(0))
            .unwrap();
        assert!(json.contains(r#""future_field":{"#), "{json}");
        assert!(json.contains(r#""overall":50"#), "{json}");
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_version_1_file_is_migrated_keeping_its_entries() {
        let dir = std::env::temp_dir().join(format!("kiku-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("v1.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        for (name, overall, at) in [("ann", 50, 1), ("ann", 70, 2), ("bob", 60, 3)] {
            conn.execute(
                "INSERT INTO entries (nickname, scenario, title_ja, title_en, content_hash, seed,
                     choices, ending, overall, listening, questions, change, outcome, created_ms)
                 VALUES (?1, 's1', '題', 'T', 'h', 7, '[\"a\"]', 'end', ?2, 1, 2, 3, 4, ?3)",
                params![name, overall, at],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO best SELECT scenario, nickname, MAX(id), MAX(overall), MAX(created_ms)
             FROM entries GROUP BY scenario, nickname;
             PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(conn);
        let mut store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let board = store.board(10, Ranking::BestPerName).unwrap();
        let rows: Vec<_> = board.scenarios[0]
            .rows
            .iter()
            .map(|r| (r.nickname.as_str(), r.points))
            .collect();
        assert_eq!(rows, [("ann", 70), ("bob", 60)]);
        assert_eq!(board.overall[0].points, 70);
        let old = store.entries().unwrap();
        assert_eq!(old.len(), 3);
        assert_eq!(old[0].finished.mode, Mode::Choose);
        assert_eq!(old[0].finished.choices, ["a"]);
        assert!(old[0].extra.is_empty());
        store.insert(&entry("cy", "s1", 80, 4)).unwrap();
        assert_eq!(
            store
                .standing("s1", Mode::Choose, "cy")
                .unwrap()
                .scenario_of,
            3
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        // Opening again changes nothing.
        let store = Store::open(&path).unwrap();
        assert_eq!(store.count().unwrap(), 4);
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_version_2_workshop_file_becomes_its_codes_workshop() {
        let dir = std::env::temp_dir().join(format!("kiku-migrate3-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("v2.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.execute_batch(SCHEMA_V2).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO meta VALUES ('code', 'TOKYO1'), ('token', 'secret'),
                 ('attempt_rule', 'first');
             INSERT INTO players (token_hash, nickname, skeleton_a, skeleton_b, created_ms)
             VALUES ('h', 'ann', 'ann', 'ann', 1);",
        )
        .unwrap();
        for (overall, at) in [(50, 1), (90, 2)] {
            conn.execute(
                "INSERT INTO entries (nickname, scenario, title_ja, title_en, content_hash, seed,
                     choices, ending, overall, listening, questions, change, outcome, created_ms)
                 VALUES ('ann', 's1', '題', 'T', 'h', 7, '[\"a\"]', 'end', ?1, 1, 2, 3, 4, ?2)",
                params![overall, at],
            )
            .unwrap();
        }
        drop(conn);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.workshop(), "TOKYO1");
        assert_eq!(store.meta("token").unwrap().as_deref(), Some("secret"));
        // Ranked again by the workshop's own rule: her first attempt.
        assert_eq!(store.attempt_rule(), AttemptRule::First);
        let board = store.board(10, Ranking::BestPerName).unwrap();
        assert_eq!(board.overall[0].points, 50);
        assert_eq!(store.players().unwrap().len(), 1);
        // Another workshop in the same file is apart.
        store.use_workshop("OSAKA2").unwrap();
        assert_eq!(store.count().unwrap(), 0);
        assert_eq!(store.meta("token").unwrap(), None);
        assert_eq!(store.attempt_rule(), AttemptRule::Best);
        store.insert(&entry("ann", "s1", 70, 3)).unwrap();
        let codes: Vec<String> = store
            .workshops()
            .unwrap()
            .into_iter()
            .map(|w| w.code)
            .collect();
        assert_eq!(codes.len(), 2);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        let mut store = Store::open(&path).unwrap();
        // Two workshops: none is picked for the caller.
        assert_eq!(store.workshop(), "");
        store.use_workshop("TOKYO1").unwrap();
        assert_eq!(store.count().unwrap(), 2);
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_attempt_rule_picks_which_attempt_counts() {
        let dir = std::env::temp_dir().join(format!("kiku-rule-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("b.db");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.attempt_rule(), AttemptRule::Best);
        store.set_attempt_rule(AttemptRule::First).unwrap();
        store.insert(&entry("ann", "s1", 50, 1)).unwrap();
        let later = store.insert(&entry("ann", "s1", 90, 2)).unwrap();
        assert_eq!(later.standing.scenario_best, 50);
        store.insert(&entry("ann", "s1", 30, 3)).unwrap();
        let best = |s: &Store| s.board(10, Ranking::BestPerName).unwrap().overall[0].points;
        assert_eq!(best(&store), 50);
        // Latest: her last attempt, even though it is her worst.
        store.set_attempt_rule(AttemptRule::Latest).unwrap();
        assert_eq!(best(&store), 30);
        let last = store.insert(&entry("ann", "s1", 40, 4)).unwrap();
        assert_eq!(last.standing.total, 40);
        store.remove(last.entry.id).unwrap();
        assert_eq!(best(&store), 30);
        // The rule is kept with the workshop.
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.attempt_rule(), AttemptRule::Latest);
        store.set_attempt_rule(AttemptRule::Best).unwrap();
        assert_eq!(best(&store), 90);
        assert_eq!(AttemptRule::parse("first"), Some(AttemptRule::First));
        assert_eq!(AttemptRule::parse("worst"), None);
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn old_entries_and_idle_players_are_purged() {
        let mut store = Store::open_in_memory().unwrap();
        store.join_player("ann", None).unwrap();
        store.join_player("bob", None).unwrap();
        store.insert(&entry("ann", "s1", 90, 1_000)).unwrap();
        store.insert(&entry("ann", "s1", 40, 5_000)).unwrap();
        store.insert(&entry("bob", "s1", 60, 1_000)).unwrap();
        // Everyone joined "now", after the cutoff: players stay.
        assert_eq!(store.purge_before(2_000).unwrap(), 2);
        assert_eq!(store.count().unwrap(), 1);
        let board = store.board(10, Ranking::BestPerName).unwrap();
        assert_eq!(board.overall.len(), 1);
        assert_eq!(board.overall[0].points, 40);
        assert_eq!(store.players().unwrap().len(), 2);
        // A cutoff after everything: the last entry goes, and both players
        // (joined before it, nothing left).
        let later = now_ms() + 1_000;
        assert_eq!(store.purge_before(later).unwrap(), 1);
        assert_eq!(store.count().unwrap(), 0);
        assert!(store.players().unwrap().is_empty());
        assert_eq!(store.purge_before(later).unwrap(), 0);
    }

    #[test]
    fn a_batch_commits_together_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("kiku-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("b.db");
        let mut store = Store::open(&path).unwrap();
        let other = Store::open(&path).unwrap();
        assert!(store.begin_batch());
        store.insert(&entry("ann", "s1", 50, 1)).unwrap();
        // One change in the batch fails on its own; the others stay.
        let mut clash = entry("ann", "s1", 60, 2);
        clash.submission = Some("x".into());
        store.insert(&clash).unwrap();
        clash.nickname = "bob".into();
        assert!(store.insert(&clash).is_err());
        store.insert(&entry("cy", "s1", 70, 3)).unwrap();
        // Another connection sees nothing before the commit.
        assert_eq!(other.count().unwrap(), 0);
        store.commit_batch().unwrap();
        assert_eq!(other.count().unwrap(), 3);
        // A batch rolled back stores nothing.
        assert!(store.begin_batch());
        store.insert(&entry("dan", "s1", 70, 4)).unwrap();
        store.conn.execute_batch("ROLLBACK").unwrap();
        assert_eq!(store.count().unwrap(), 3);
        assert!(store.commit_batch().is_err());
        drop((store, other));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn repeated_submission_ids_store_once() {
        let mut store = Store::open_in_memory().unwrap();
        let mut new = entry("ann", "s1", 50, 1);
        new.submission = Some("abc".into());
        let first = store.insert(&new).unwrap();
        let again = store.insert(&new).unwrap();
        assert!(!first.duplicate);
        assert!(again.duplicate);
        assert_eq!(first.entry.id, again.entry.id);
        assert_eq!(store.count().unwrap(), 1);
        assert_eq!(again.entry.finished, new.finished);
    }

    #[test]
    fn remove_recomputes_best_and_reset_empties() {
        let mut store = Store::open_in_memory().unwrap();
        store.insert(&entry("ann", "s1", 50, 1)).unwrap();
        let top = store.insert(&entry("ann", "s1", 90, 2)).unwrap();
        assert!(store.remove(top.entry.id).unwrap().is_some());
        assert!(store.remove(top.entry.id).unwrap().is_none());
        assert_eq!(
            store
                .standing("s1", Mode::Choose, "ann")
                .unwrap()
                .scenario_best,
            50
        );
        assert_eq!(store.reset().unwrap(), 1);
        assert!(
            store
                .board(10, Ranking::BestPerName)
                .unwrap()
                .overall
                .is_empty()
        );
    }

    #[test]
    fn players_hold_their_names_against_lookalikes() {
        let mut store = Store::open_in_memory().unwrap();
        let JoinOutcome::Joined { token, taken, .. } = store.join_player("alice", None).unwrap()
        else {
            panic!("alice could not join");
        };
        assert!(!taken);
        assert_eq!(token.len(), 32);
        for twin in ["alice", "аlice", "ALICE", "AIice", "ali ce"] {
            let outcome = store.join_player(twin, None).unwrap();
            if twin == "ali ce" {
                assert!(matches!(outcome, JoinOutcome::Joined { .. }), "{twin}");
            } else {
                assert_eq!(outcome, JoinOutcome::Taken("alice".into()), "{twin}");
            }
        }
        // Her own token brings her back, under the same token.
        assert_eq!(
            store.join_player("alice", Some(&token)).unwrap(),
            JoinOutcome::Joined {
                nickname: "alice".into(),
                token: token.clone(),
                taken: false
            }
        );
        assert_eq!(store.player(&token).unwrap().unwrap().nickname, "alice");
        assert!(store.player("nope").unwrap().is_none());
        // The token itself is not stored.
        let stored: String = store
            .conn
            .query_row(
                "SELECT token_hash FROM players WHERE nickname = 'alice'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_ne!(stored, token);

        // A submission id of hers cannot be replayed by anyone else.
        let mut new = entry("alice", "s1", 50, 1);
        new.submission = Some("abc".into());
        store.insert(&new).unwrap();
        new.nickname = "mallory".into();
        assert!(matches!(
            store.insert(&new),
            Err(StoreError::SubmissionTaken)
        ));

        // Rename and kick.
        assert_eq!(
            store.rename_player("alice", "ali ce").unwrap(),
            RenameOutcome::Taken("ali ce".into())
        );
        assert_eq!(
            store.rename_player("alice", "Alice B").unwrap(),
            RenameOutcome::Renamed
        );
        assert_eq!(store.player(&token).unwrap().unwrap().nickname, "Alice B");
        assert_eq!(store.entries().unwrap()[0].nickname, "Alice B");
        assert_eq!(
            store.board(10, Ranking::BestPerName).unwrap().overall[0].nickname,
            "Alice B"
        );
        assert_eq!(
            store.rename_player("nobody", "x").unwrap(),
            RenameOutcome::NoSuchPlayer
        );
        assert_eq!(store.kick_player("Alice B").unwrap(), Some(1));
        assert_eq!(store.count().unwrap(), 0);
        assert!(store.player(&token).unwrap().is_none());
        assert!(matches!(
            store.join_player("alice b", None).unwrap(),
            JoinOutcome::Taken(_)
        ));
        assert_eq!(store.kick_player("nobody").unwrap(), None);
        // A client's own token is taken for a free name, and a repeated
        // join with it (its answer lost) gets the same answer.
        let mine = "0123456789abcdef0123456789abcdef";
        for _ in 0..2 {
            let JoinOutcome::Joined { token, .. } = store.join_player("carol", Some(mine)).unwrap()
            else {
                panic!("carol could not join");
            };
            assert_eq!(token, mine);
        }
        let JoinOutcome::Joined { token, .. } = store.join_player("dan", Some("weak")).unwrap()
        else {
            panic!("dan could not join");
        };
        assert_ne!(token, "weak");
        assert_eq!(store.players().unwrap().len(), 4);
    }

    #[test]
    fn names_from_before_tokens_are_claimed_by_the_first_join() {
        let dir = std::env::temp_dir().join(format!("kiku-adopt-{}", std::process::id()));
        let path = dir.join("old.db");
        let _ = std::fs::remove_dir_all(&dir);
        let mut store = Store::open(&path).unwrap();
        store.insert(&entry("bob", "s1", 50, 1)).unwrap();
        store.conn.execute("DELETE FROM players", []).unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert!(!store.players().unwrap()[0].joined);
        assert!(matches!(
            store.join_player("BOB", None).unwrap(),
            JoinOutcome::Taken(_)
        ));
        let JoinOutcome::Joined { taken, .. } = store.join_player("bob", None).unwrap() else {
            panic!("bob could not claim his name");
        };
        assert!(taken);
        assert!(matches!(
            store.join_player("bob", None).unwrap(),
            JoinOutcome::Taken(_)
        ));
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_foreign_schema_is_refused_in_one_line() {
        let dir = std::env::temp_dir().join(format!("kiku-foreign-{}", std::process::id()));
        let path = dir.join("other.db");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE entries (id INTEGER PRIMARY KEY, secret_column TEXT);
             CREATE TABLE totals (who TEXT);",
        )
        .unwrap();
        drop(conn);
        let e = Store::open(&path)
            .err()
            .expect("a foreign schema is refused");
        let text = e.to_string();
        assert!(matches!(e, StoreError::Foreign(_)), "{text}");
        assert!(
            text.starts_with("this file is not a Kiku leaderboard database"),
            "{text}"
        );
        for leaked in ["CREATE", "secret_column", "best_by_score", "\n"] {
            assert!(!text.contains(leaked), "{leaked} in {text}");
        }
        assert!(text.len() < 200, "{text}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn file_database_is_wal_and_sound() {
        let dir = std::env::temp_dir().join(format!("kiku-store-{}", std::process::id()));
        let path = dir.join("b.db");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.journal_mode().unwrap(), "wal");
        assert_eq!(store.synchronous().unwrap(), 2);
        let code = store.meta_or_insert("code", || "ABC".into()).unwrap();
        assert_eq!(store.meta_or_insert("code", || "XYZ".into()).unwrap(), code);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_reader_sees_only_commits_and_checkpoints_for_the_writer() {
        let dir = std::env::temp_dir().join(format!("kiku-reader-{}", std::process::id()));
        let path = dir.join("b.db");
        let _ = std::fs::remove_dir_all(&dir);
        let mut store = Store::open(&path).unwrap();
        store.use_workshop("READ1").unwrap();
        assert!(Store::open_in_memory().unwrap().reader().unwrap().is_none());
        let mut reader = store.reader().unwrap().expect("a file has a reader");
        let entries = |r: &Store| r.board(10, Ranking::BestPerName).unwrap().entries;
        assert!(store.begin_batch());
        for i in 0..300 {
            store
                .insert(&entry(&format!("p{i}"), "s1", i % 90, 1000 + i64::from(i)))
                .unwrap();
        }
        // Not yet committed: not seen.
        assert_eq!(entries(&reader), 0);
        store.commit_batch().unwrap();
        assert_eq!(entries(&reader), 300);
        assert_eq!(reader.workshop(), "READ1");
        // The writer no longer copies its log into the file; the reader does.
        let auto: i64 = store
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .unwrap();
        assert_eq!(auto, 0);
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();
        assert!(store.begin_batch());
        store.insert(&entry("late", "s2", 50, 5000)).unwrap();
        store.commit_batch().unwrap();
        assert_eq!(size(), before, "the writer checkpointed");
        reader.checkpoint().unwrap();
        assert!(size() > before, "the reader's checkpoint copied nothing");
        assert_eq!(entries(&reader), 301);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop((store, reader));
        let _ = std::fs::remove_dir_all(dir);
    }
}
