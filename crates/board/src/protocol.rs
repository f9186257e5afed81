//! The workshop's wire format: every JSON message between the game's client
//! and `kiku serve`, in one place (README "HTTP API" documents it). The
//! board rows ([`Row`](crate::store::Row), [`ScenarioBoard`]) come straight
//! from the store.

use serde::{Deserialize, Serialize};

use kiku_core::score::Scores;
use kiku_core::text::Text;
use kiku_core::{Finished, Mode};

pub use crate::store::Standing;
use crate::store::{Entry, Row, ScenarioBoard};

/// A finished session as the game sends it (`POST /api/submissions`):
/// enough to replay it. Scores are not part of it; any the client adds are
/// ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// The client's id for this submission (letters, digits, `-`, `_`; up to
    /// 64): retries with the same id are stored once.
    #[serde(default)]
    pub id: Option<String>,
    /// The workshop code shown on the projector.
    pub code: String,
    /// The trainee's nickname (1-24 characters, no control characters).
    pub nickname: String,
    /// The scenario id.
    pub scenario: String,
    /// [`kiku_core::Scenario::content_hash`] of the scenario as played.
    pub hash: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids, in order.
    pub choices: Vec<String>,
    /// How the trainee replied: `choose` (the default, and what servers
    /// before recall mode assume) or `recall`. Each mode is ranked on its own.
    #[serde(default, skip_serializing_if = "is_choose")]
    pub mode: Mode,
    /// A follow-up: how the earlier 1on1 went, as it was played. The server
    /// trusts only its source: it replays the earlier record (or takes the
    /// named or default prior) itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<kiku_core::play::prior::Prior>,
}

/// True for the default mode (left out of the JSON, which then reads as
/// it did before recall mode).
fn is_choose(mode: &Mode) -> bool {
    *mode == Mode::Choose
}

/// A scenario as listed to clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// The id.
    pub id: String,
    /// The title.
    pub title: Text,
    /// The content hash the server scores against.
    pub hash: String,
    /// The seed to play it with, when the workshop fixes one so everyone
    /// meets the same member (a submission with another seed is refused,
    /// `wrong_seed`). Absent: any seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// `GET /api/workshop` answer: the scenarios this workshop ranks.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkshopInfo {
    /// Always `kiku`.
    pub server: String,
    /// The scenarios, with the content hash the server expects.
    pub scenarios: Vec<ScenarioInfo>,
    /// The mode every 1on1 of this workshop must be played in (the game
    /// then offers no other; a submission in another mode is refused,
    /// `wrong_mode`). Absent: either mode, each ranked on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// The request header that carries a player's secret token on
/// `POST /api/submissions`.
pub const PLAYER_HEADER: &str = "x-kiku-player";

/// `POST /api/join` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The workshop code.
    pub code: String,
    /// The nickname to use.
    pub nickname: String,
    /// The player token from an earlier join with this nickname, if the
    /// client has one: joining again keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player: Option<String>,
}

/// `POST /api/join` answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Joined {
    /// The nickname as it will be shown (NFKC-normalised, trimmed).
    pub nickname: String,
    /// True when the nickname already has entries (stored before this
    /// client joined, or by this player before).
    pub taken: bool,
    /// The scenarios this workshop ranks.
    pub scenarios: Vec<ScenarioInfo>,
    /// The player's secret token: send it with every submission in the
    /// [`PLAYER_HEADER`] header. Whoever holds it submits as this nickname.
    #[serde(default)]
    pub player: String,
    /// The mode this workshop requires, as in [`WorkshopInfo::mode`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// `GET /api/players` answer (facilitator): every nickname taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerList {
    /// The players, oldest first.
    pub players: Vec<crate::store::PlayerInfo>,
}

/// `POST /api/players/rename` body (facilitator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameRequest {
    /// The player's nickname now.
    pub from: String,
    /// The new nickname (checked like a join's).
    pub to: String,
}

/// `POST /api/players/rename` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renamed {
    /// The old nickname.
    pub from: String,
    /// The nickname now (normalised).
    pub to: String,
}

/// `POST /api/players/kick` body (facilitator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KickRequest {
    /// The player's nickname.
    pub nickname: String,
}

/// `POST /api/players/kick` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kicked {
    /// The nickname, which stays reserved.
    pub kicked: String,
    /// How many of their entries were removed.
    pub removed: u64,
}

/// `GET /api/me/rank` answer: where the asking player stands, told to
/// them alone (the projector shows only the top 10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRank {
    /// The player's nickname.
    pub nickname: String,
    /// The scenario asked about.
    pub scenario: String,
    /// The reply mode asked about (each is ranked on its own).
    pub mode: Mode,
    /// Their rank on that scenario, 1 = top (`None` before their first
    /// entry there).
    pub rank: Option<u32>,
    /// How many players are ranked on that scenario in that mode.
    pub of: u32,
    /// Their best score there (`None` before their first entry).
    pub score: Option<u32>,
    /// Their rank by total points over every scenario in that mode
    /// (`None` before their first entry in that mode).
    pub overall_rank: Option<u32>,
    /// How many players are ranked overall in that mode.
    pub overall_of: u32,
    /// Their total points in that mode.
    pub total: u32,
}

/// `POST /api/control` body (facilitator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRequest {
    /// What to do.
    pub action: ControlAction,
}

/// What the facilitator's control page can do to the room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ControlAction {
    /// Refuse new nicknames (players who joined may still come back).
    Lock,
    /// Take new nicknames again.
    Unlock,
    /// Hold the projector's board as it is; submissions are still stored.
    Freeze,
    /// Show the live board again, with a top-3 podium.
    Reveal,
    /// Every 1on1 must be played in choose mode (others: `wrong_mode`).
    #[serde(rename = "require_choose")]
    RequireChoose,
    /// Every 1on1 must be played in recall mode (others: `wrong_mode`).
    #[serde(rename = "require_recall")]
    RequireRecall,
    /// Either mode, each ranked on its own.
    #[serde(rename = "any_mode")]
    AnyMode,
}

/// `GET`/`POST /api/control` answer: the room's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlState {
    /// New nicknames are refused (`joining_locked`).
    pub locked: bool,
    /// The projector's board is frozen.
    pub frozen: bool,
    /// The reply mode every 1on1 must be played in (absent: either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// `POST /api/submissions` answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Accepted {
    /// The stored entry with the server's scores.
    pub entry: Entry,
    /// True when this submission id had been stored before.
    pub duplicate: bool,
    /// Where the nickname stands now.
    pub standing: Standing,
}

/// The board as the projector and clients see it (`GET /api/board` and
/// every `board` event of `GET /api/events`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublicBoard {
    /// The workshop code.
    pub code: String,
    /// The address to join.
    pub join: String,
    /// Entries stored in all.
    pub entries: u64,
    /// Top rows by total points.
    pub overall: Vec<Row>,
    /// Nicknames ranked overall.
    pub ranked: u32,
    /// Top rows per scenario: every scenario the server knows, then any
    /// others with entries.
    pub scenarios: Vec<ScenarioBoard>,
    /// Entry ids stored since the previous push (to highlight).
    pub fresh: Vec<i64>,
    /// True while the facilitator has frozen the board: the rows are as
    /// they were when it froze (submissions are still stored).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub frozen: bool,
    /// True on the one push that reveals a frozen board: the projector
    /// shows the top 3 on a podium.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reveal: bool,
    /// The recall-mode board (replies in the trainee's own words), ranked
    /// on its own; absent while nobody has played in recall mode. The
    /// fields above are the choose-mode board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<ModeBoard>,
}

/// One reply mode's board within [`PublicBoard`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModeBoard {
    /// Entries of this mode stored in all.
    pub entries: u64,
    /// Top rows by total points.
    pub overall: Vec<Row>,
    /// Nicknames ranked overall.
    pub ranked: u32,
    /// Top rows per scenario with entries of this mode.
    pub scenarios: Vec<ScenarioBoard>,
}

/// `GET /api/entries` answer (facilitator): every entry, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryList {
    /// The entries.
    pub entries: Vec<Entry>,
}

/// `DELETE /api/entries/{id}` answer (`Removed<Entry>`, the entry removed)
/// and `POST /api/reset` answer (`Removed<u64>`, how many were).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed<T> {
    /// What was removed.
    pub removed: T,
}

/// Every error answer: `{"error": "...", "kind": "..."}`. The kind is kept
/// as text so a client understands servers that know more kinds than it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What is wrong, in words.
    pub error: String,
    /// A [`RejectionKind`] as text (empty if the server sent none).
    #[serde(default)]
    pub kind: String,
}

impl ErrorBody {
    /// The body for `kind` and `message`.
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: message.into(),
            kind: kind.as_str().to_string(),
        }
    }

    /// The kind, if this client knows it.
    pub fn kind(&self) -> Option<RejectionKind> {
        self.kind.parse().ok()
    }
}

/// Why a request was turned away, for programs: the `kind` of an error
/// answer. The strings are part of the API (README) and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// The nickname is empty, too long or has control characters.
    BadNickname,
    /// The workshop code is not this server's.
    WrongCode,
    /// The body is not JSON, or lacks fields.
    MalformedJson,
    /// The body could not be read.
    BadBody,
    /// The body is over the size limit.
    TooLarge,
    /// The player's scenario differs from the server's.
    HashMismatch,
    /// A choice is not available at that point.
    InvalidChoice,
    /// The session is not over.
    Unfinished,
    /// The server has no such scenario.
    UnknownScenario,
    /// Too many requests from one client.
    RateLimited,
    /// A submission id, or an entry id in a path, is malformed.
    BadId,
    /// More choices than any 1on1 has.
    TooManyChoices,
    /// A choice id is too long.
    BadChoice,
    /// A facilitator endpoint without the right token.
    Unauthorized,
    /// No such endpoint.
    NotFound,
    /// No such entry.
    NoEntry,
    /// The server failed (database).
    Internal,
    /// Never sent by a server: the client's own kind for a server address
    /// it cannot use.
    BadAddress,
    /// Too many connections or projector pages: try again shortly (503).
    ServerFull,
    /// The request took too long to arrive (408).
    Timeout,
    /// A body that is not `Content-Type: application/json` (415).
    UnsupportedMediaType,
    /// A query string that cannot be read, e.g. `?token=` twice (400).
    BadQuery,
    /// A submission without a valid player token (401): join first.
    BadPlayer,
    /// The nickname is another player's, or looks like it (409).
    NicknameTaken,
    /// No player has that nickname (facilitator, 404).
    NoPlayer,
    /// The workshop fixes this scenario's seed and the submission used
    /// another (409).
    WrongSeed,
    /// The facilitator has locked joining: no new nicknames (403).
    JoiningLocked,
    /// The workshop requires one reply mode and the submission was played
    /// in the other (409).
    WrongMode,
}

impl RejectionKind {
    /// Every kind.
    pub const ALL: [RejectionKind; 28] = [
        RejectionKind::BadNickname,
        RejectionKind::WrongCode,
        RejectionKind::MalformedJson,
        RejectionKind::BadBody,
        RejectionKind::TooLarge,
        RejectionKind::HashMismatch,
        RejectionKind::InvalidChoice,
        RejectionKind::Unfinished,
        RejectionKind::UnknownScenario,
        RejectionKind::RateLimited,
        RejectionKind::BadId,
        RejectionKind::TooManyChoices,
        RejectionKind::BadChoice,
        RejectionKind::Unauthorized,
        RejectionKind::NotFound,
        RejectionKind::NoEntry,
        RejectionKind::Internal,
        RejectionKind::BadAddress,
        RejectionKind::ServerFull,
        RejectionKind::Timeout,
        RejectionKind::UnsupportedMediaType,
        RejectionKind::BadQuery,
        RejectionKind::BadPlayer,
        RejectionKind::NicknameTaken,
        RejectionKind::NoPlayer,
        RejectionKind::WrongSeed,
        RejectionKind::JoiningLocked,
        RejectionKind::WrongMode,
    ];

    /// The kind as it goes on the wire, e.g. `bad_nickname`.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectionKind::BadNickname => "bad_nickname",
            RejectionKind::WrongCode => "wrong_code",
            RejectionKind::MalformedJson => "malformed_json",
            RejectionKind::BadBody => "bad_body",
            RejectionKind::TooLarge => "too_large",
            RejectionKind::HashMismatch => "hash_mismatch",
            RejectionKind::InvalidChoice => "invalid_choice",
            RejectionKind::Unfinished => "unfinished",
            RejectionKind::UnknownScenario => "unknown_scenario",
            RejectionKind::RateLimited => "rate_limited",
            RejectionKind::BadId => "bad_id",
            RejectionKind::TooManyChoices => "too_many_choices",
            RejectionKind::BadChoice => "bad_choice",
            RejectionKind::Unauthorized => "unauthorized",
            RejectionKind::NotFound => "not_found",
            RejectionKind::NoEntry => "no_entry",
            RejectionKind::Internal => "internal",
            RejectionKind::BadAddress => "bad_address",
            RejectionKind::ServerFull => "server_full",
            RejectionKind::Timeout => "timeout",
            RejectionKind::UnsupportedMediaType => "unsupported_media_type",
            RejectionKind::BadQuery => "bad_query",
            RejectionKind::BadPlayer => "bad_player",
            RejectionKind::NicknameTaken => "nickname_taken",
            RejectionKind::NoPlayer => "no_player",
            RejectionKind::WrongSeed => "wrong_seed",
            RejectionKind::JoiningLocked => "joining_locked",
            RejectionKind::WrongMode => "wrong_mode",
        }
    }
}

impl std::fmt::Display for RejectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind string no [`RejectionKind`] has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown error kind `{0}`")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for RejectionKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<RejectionKind, UnknownKind> {
        RejectionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

impl PartialEq<&str> for RejectionKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A stored [`Entry`] as it goes on the wire (`entry` of
/// [`Accepted`], `GET /api/entries`, `DELETE /api/entries/{id}`): the
/// record's fields flat, its time named `created_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryJson {
    /// The row id.
    pub id: i64,
    /// Who played.
    pub nickname: String,
    /// The scenario id.
    pub scenario: String,
    /// The scenario title.
    pub title: Text,
    /// The content hash played on.
    pub content_hash: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids.
    pub choices: Vec<String>,
    /// The ending reached.
    pub ending: Option<String>,
    /// The scores.
    #[serde(flatten)]
    pub scores: Scores,
    /// When it was stored, milliseconds since the Unix epoch (UTC).
    pub created_ms: i64,
    /// How the trainee replied (left out for `choose`, so such entries
    /// read as they did before recall mode).
    #[serde(default, skip_serializing_if = "is_choose")]
    pub mode: Mode,
    /// The record's fields this Kiku does not know, flat beside the others.
    #[serde(flatten)]
    pub extra: crate::store::Extra,
}

/// The wire names of [`EntryJson`]'s own fields: a stored record's unknown
/// field with one of these names stays in the store, off the wire.
const ENTRY_FIELDS: [&str; 16] = [
    "id",
    "nickname",
    "scenario",
    "title",
    "content_hash",
    "seed",
    "choices",
    "ending",
    "overall",
    "listening",
    "questions",
    "change",
    "outcome",
    "created_ms",
    "mode",
    "finished_ms",
];

// `Entry` goes on the wire as `EntryJson` (store.rs stays free of the wire).
impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EntryJson::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Entry, D::Error> {
        EntryJson::deserialize(deserializer).map(Entry::from)
    }
}

impl From<Entry> for EntryJson {
    fn from(e: Entry) -> EntryJson {
        let f = e.finished;
        let mut extra = e.extra;
        extra.retain(|key, _| !ENTRY_FIELDS.contains(&key.as_str()));
        EntryJson {
            id: e.id,
            nickname: e.nickname,
            scenario: f.scenario,
            title: f.title,
            content_hash: f.content_hash,
            seed: f.seed,
            choices: f.choices,
            ending: f.ending,
            scores: f.scores,
            created_ms: f.finished_ms,
            mode: f.mode,
            extra,
        }
    }
}

impl From<EntryJson> for Entry {
    fn from(e: EntryJson) -> Entry {
        Entry {
            id: e.id,
            nickname: e.nickname,
            finished: Finished {
                scenario: e.scenario,
                title: e.title,
                content_hash: e.content_hash,
                seed: e.seed,
                choices: e.choices,
                ending: e.ending,
                scores: e.scores,
                finished_ms: e.created_ms,
                mode: e.mode,
                prior: None,
            },
            extra: e.extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ending: Option<&str>) -> Entry {
        Entry {
            id: 7,
            nickname: "森 遥".into(),
            finished: Finished {
                scenario: "first_steps".into(),
                title: Text::new("はじめの一歩", "First steps"),
                content_hash: "abc".into(),
                seed: u64::MAX,
                choices: vec!["a".into(), "b".into()],
                ending: ending.map(Into::into),
                scores: Scores {
                    overall: 78,
                    listening: 85,
                    questions: 70,
                    change: 60,
                    outcome: 90,
                },
                finished_ms: 1_767_225_600_000,
                mode: Mode::Choose,
                prior: None,
            },
            extra: crate::store::Extra::new(),
        }
    }

    /// The JSON the server sent for an entry before `Entry` held a
    /// `Finished` (taken from that code): it must not change.
    #[test]
    fn an_entry_keeps_its_json() {
        let pinned = r#"{"id":7,"nickname":"森 遥","scenario":"first_steps","title":{"ja":"はじめの一歩","en":"First steps"},"content_hash":"abc","seed":18446744073709551615,"choices":["a","b"],"ending":"opened","overall":78,"listening":85,"questions":70,"change":60,"outcome":90,"created_ms":1767225600000}"#;
        assert_eq!(
            serde_json::to_string(&entry(Some("opened"))).unwrap(),
            pinned
        );
        assert_eq!(
            serde_json::from_str::<Entry>(pinned).unwrap(),
            entry(Some("opened"))
        );
        let unfinished = serde_json::to_string(&entry(None)).unwrap();
        assert!(unfinished.contains(r#""ending":null,"overall":78"#));
        assert_eq!(
            serde_json::from_str::<Entry>(&unfinished).unwrap(),
            entry(None)
        );
    }

    #[test]
    fn a_recall_entry_says_so_and_unknown_fields_travel_flat() {
        let mut recall = entry(Some("opened"));
        recall.finished.mode = Mode::Recall;
        recall
            .extra
            .insert("future_field".into(), serde_json::json!({"entry": 3}));
        let json = serde_json::to_value(&recall).unwrap();
        assert_eq!(json["mode"], "recall");
        assert_eq!(json["future_field"]["entry"], 3);
        assert_eq!(json["overall"], 78);
        let back: Entry = serde_json::from_value(json).unwrap();
        assert_eq!(back, recall);
        // A submission says recall only when it is.
        let mut sub = Submission {
            id: None,
            code: "C".into(),
            nickname: "n".into(),
            scenario: "s".into(),
            hash: "h".into(),
            seed: 1,
            choices: vec![],
            mode: Mode::Choose,
            prior: None,
        };
        assert!(!serde_json::to_string(&sub).unwrap().contains("mode"));
        sub.mode = Mode::Recall;
        let text = serde_json::to_string(&sub).unwrap();
        assert!(text.contains(r#""mode":"recall""#), "{text}");
        assert_eq!(serde_json::from_str::<Submission>(&text).unwrap(), sub);
    }

    #[test]
    fn an_accepted_answer_keeps_its_shape() {
        let accepted = Accepted {
            entry: entry(Some("opened")),
            duplicate: false,
            standing: Standing {
                scenario_rank: 2,
                scenario_of: 14,
                scenario_best: 78,
                overall_rank: 3,
                overall_of: 20,
                total: 201,
            },
        };
        let json = serde_json::to_value(&accepted).unwrap();
        assert_eq!(json["entry"]["created_ms"], 1_767_225_600_000_i64);
        assert_eq!(json["entry"]["overall"], 78);
        assert_eq!(json["standing"]["total"], 201);
        assert!(json["entry"].get("finished_ms").is_none());
        assert!(json["entry"].get("finished").is_none());
        let back: Accepted = serde_json::from_value(json).unwrap();
        assert_eq!(back.entry, accepted.entry);
    }

    #[test]
    fn facilitator_answers_keep_their_shape() {
        let list = EntryList {
            entries: vec![entry(None)],
        };
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json["entries"][0]["created_ms"], 1_767_225_600_000_i64);
        assert_eq!(serde_json::from_value::<EntryList>(json).unwrap(), list);
        assert_eq!(
            serde_json::to_string(&Removed { removed: 3_u64 }).unwrap(),
            r#"{"removed":3}"#
        );
        let removed = serde_json::to_value(Removed {
            removed: entry(None),
        })
        .unwrap();
        assert_eq!(removed["removed"]["id"], 7);
    }

    #[test]
    fn every_kind_keeps_its_string() {
        let expected = [
            "bad_nickname",
            "wrong_code",
            "malformed_json",
            "bad_body",
            "too_large",
            "hash_mismatch",
            "invalid_choice",
            "unfinished",
            "unknown_scenario",
            "rate_limited",
            "bad_id",
            "too_many_choices",
            "bad_choice",
            "unauthorized",
            "not_found",
            "no_entry",
            "internal",
            "bad_address",
            "server_full",
            "timeout",
            "unsupported_media_type",
            "bad_query",
            "bad_player",
            "nickname_taken",
            "no_player",
            "wrong_seed",
            "joining_locked",
            "wrong_mode",
        ];
        assert_eq!(RejectionKind::ALL.len(), expected.len());
        for (kind, text) in RejectionKind::ALL.into_iter().zip(expected) {
            assert_eq!(kind.as_str(), text);
            assert_eq!(kind.to_string(), text);
            assert_eq!(serde_json::to_value(kind).unwrap(), text);
            assert_eq!(
                serde_json::from_value::<RejectionKind>(text.into()).unwrap(),
                kind
            );
            assert_eq!(text.parse::<RejectionKind>().unwrap(), kind);
        }
        // A new kind does not compile here until it is listed: list it in
        // ALL and `expected` too.
        for kind in RejectionKind::ALL {
            match kind {
                RejectionKind::BadNickname
                | RejectionKind::WrongCode
                | RejectionKind::MalformedJson
                | RejectionKind::BadBody
                | RejectionKind::TooLarge
                | RejectionKind::HashMismatch
                | RejectionKind::InvalidChoice
                | RejectionKind::Unfinished
                | RejectionKind::UnknownScenario
                | RejectionKind::RateLimited
                | RejectionKind::BadId
                | RejectionKind::TooManyChoices
                | RejectionKind::BadChoice
                | RejectionKind::Unauthorized
                | RejectionKind::NotFound
                | RejectionKind::NoEntry
                | RejectionKind::Internal
                | RejectionKind::BadAddress
                | RejectionKind::ServerFull
                | RejectionKind::Timeout
                | RejectionKind::UnsupportedMediaType
                | RejectionKind::BadQuery
                | RejectionKind::BadPlayer
                | RejectionKind::NicknameTaken
                | RejectionKind::NoPlayer
                | RejectionKind::WrongSeed
                | RejectionKind::JoiningLocked
                | RejectionKind::WrongMode => {}
            }
        }
        assert_eq!(
            "nope".parse::<RejectionKind>(),
            Err(UnknownKind("nope".into()))
        );
    }

    #[test]
    fn error_bodies() {
        let body = ErrorBody::new(RejectionKind::WrongCode, "wrong workshop code");
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":"wrong workshop code","kind":"wrong_code"}"#
        );
        assert_eq!(body.kind(), Some(RejectionKind::WrongCode));
        let old: ErrorBody = serde_json::from_str(r#"{"error": "x"}"#).unwrap();
        assert_eq!((old.kind.as_str(), old.kind()), ("", None));
    }
}
