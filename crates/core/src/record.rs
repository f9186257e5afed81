//! `Finished`: the one shape of a finished 1on1. The game builds it once,
//! the local board and the workshop store it, the wire carries it, and a
//! follow-up 1on1 can read it.

use serde::{Deserialize, Serialize};

use crate::play::prior::Prior;
use crate::play::session::{Session, SessionError};
use crate::scenario::Scenario;
use crate::score::{Score, Scores, score};
use crate::text::Text;

/// A finished, scored 1on1: enough to replay it (scenario, hash, seed,
/// choices) plus what it came to (ending, scores) and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    /// The scenario id.
    pub scenario: String,
    /// The scenario's title, for boards that outlive the scenario file.
    pub title: Text,
    /// [`Scenario::content_hash`] of the scenario as played.
    pub content_hash: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids, in order.
    pub choices: Vec<String>,
    /// The ending reached (`None` only for records imported from an
    /// unfinished legacy entry).
    pub ending: Option<String>,
    /// The scores, 0-100 each.
    #[serde(flatten)]
    pub scores: Scores,
    /// When it finished, milliseconds since the Unix epoch (UTC).
    pub finished_ms: i64,
    /// How the trainee replied: chose from the menu or said it in their own
    /// words (recall mode). Records from before recall mode read as `Choose`.
    #[serde(default)]
    pub mode: Mode,
    /// A follow-up's memory of the earlier 1on1 it was played after (what
    /// its replay needs besides the seed and choices). `None` for a
    /// standalone scenario, and for a follow-up played under its default
    /// prior by records from before series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<Prior>,
}

/// How the trainee gave their replies in a 1on1. Boards rank each mode on
/// its own: recalling a reply is harder than recognising it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Picked one of the authored replies (recognition).
    #[default]
    Choose,
    /// Typed their own words, heard as an authored reply (recall).
    Recall,
}

impl Mode {
    /// The mode's wire and storage name: `choose` or `recall`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Choose => "choose",
            Mode::Recall => "recall",
        }
    }

    /// Parses [`Mode::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Mode> {
        match name {
            "choose" => Some(Mode::Choose),
            "recall" => Some(Mode::Recall),
            _ => None,
        }
    }
}

impl Finished {
    /// Scores `session` and records it as finished at `finished_ms`.
    pub fn of(session: &Session, finished_ms: i64) -> Finished {
        let scored = score(session.scenario(), session.transcript());
        Finished::scored(session, &scored, finished_ms)
    }

    /// Records `session`, already scored as `scored` (the game scores once,
    /// for the debrief's reasons and for this record).
    pub fn scored(session: &Session, scored: &Score, finished_ms: i64) -> Finished {
        let scenario = session.scenario();
        let transcript = session.transcript();
        Finished {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            content_hash: scenario.content_hash(),
            seed: transcript.seed,
            choices: transcript.choice_ids(),
            ending: transcript.ending.clone(),
            scores: Scores::from(scored),
            finished_ms,
            mode: Mode::Choose,
            prior: transcript.prior.clone(),
        }
    }

    /// Replays `choices` on `scenario` with `seed` and scores the result:
    /// what a server trusts instead of a client's numbers. Returns the index
    /// of the first choice that is not available, with why.
    pub fn replay(
        scenario: &std::sync::Arc<Scenario>,
        seed: u64,
        choices: &[String],
        finished_ms: i64,
    ) -> Result<(Session, Finished), (usize, SessionError)> {
        Finished::replay_after(scenario, seed, None, choices, finished_ms)
    }

    /// [`Finished::replay`] of a follow-up played after the earlier 1on1
    /// `prior` (`None`: its default prior).
    pub fn replay_after(
        scenario: &std::sync::Arc<Scenario>,
        seed: u64,
        prior: Option<Prior>,
        choices: &[String],
        finished_ms: i64,
    ) -> Result<(Session, Finished), (usize, SessionError)> {
        let session = Session::replay_after(scenario, seed, prior, choices)?;
        let mut finished = Finished::of(&session, finished_ms);
        finished.mode = Mode::Choose;
        Ok((session, finished))
    }

    /// Replays this record on `scenario` (with its seed, choices and, for a
    /// follow-up, its prior) and scores it again; the mode is kept.
    pub fn rescore(
        &self,
        scenario: &std::sync::Arc<Scenario>,
    ) -> Result<(Session, Finished), (usize, SessionError)> {
        let (session, mut finished) = Finished::replay_after(
            scenario,
            self.seed,
            self.prior.clone(),
            &self.choices,
            self.finished_ms,
        )?;
        finished.mode = self.mode;
        Ok((session, finished))
    }
}

/// Milliseconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_replays_to_the_same_record() {
        let scenario = crate::fixtures::sample();
        let mut session = Session::start(&scenario, 7);
        while !session.is_over() {
            let offer = session
                .choices()
                .into_iter()
                .find(|o| o.enabled)
                .expect("a reply");
            let id = offer.id.clone();
            session.choose(&id).unwrap();
        }
        let record = Finished::of(&session, 1_700_000_000_000);
        let (_, again) =
            Finished::replay(&scenario, record.seed, &record.choices, record.finished_ms).unwrap();
        assert_eq!(again, record);
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(serde_json::from_str::<Finished>(&json).unwrap(), record);
        assert_eq!(
            record.scores,
            Scores::from(&score(&scenario, session.transcript()))
        );
    }
}
