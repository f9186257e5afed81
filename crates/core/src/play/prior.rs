//! What a follow-up 1on1 remembers of the earlier one: the [`Prior`].
//!
//! A prior comes from a real record (the earlier scenario replayed from a
//! [`Finished`]), from an authored named prior (`priors: [...]`) or from the
//! follow-up's `default_prior`, used when it is played without a record.
//! The session reads it in the `Prev...` conditions, in which recall
//! choices it offers, and (with `carry`) in the member's starting state.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::play::session::{Session, SessionError};
use crate::record::Finished;
use crate::scenario::{EndingKind, Layer, NextStep, PriorSpec, Scenario, Stat, Stats};
use crate::text::Text;

/// The id [`Prior::all_for`] gives the default prior (a named prior may not use it).
pub const DEFAULT_PRIOR_ID: &str = "default";

/// How the earlier 1on1 of a series went, as the follow-up reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prior {
    /// The earlier scenario's id.
    pub scenario: String,
    /// The ending reached there.
    pub ending: String,
    /// That ending's kind (`None` when the earlier scenario could not be
    /// found: `PrevEnding` conditions then fail).
    pub kind: Option<EndingKind>,
    /// Who chose the next step.
    pub next_step: NextStep,
    /// The deepest layer the member voiced.
    pub voiced: Layer,
    /// The member's state at the end.
    pub stats: Stats,
    /// The motifs the member voiced, in order.
    pub motifs: Vec<String>,
    /// Where this prior came from.
    pub source: PriorSource,
}

/// Where a [`Prior`] came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorSource {
    /// The follow-up's `default_prior` (played without a record).
    Default,
    /// An authored named prior, by id.
    Named(String),
    /// A replay of a real record of the earlier 1on1.
    Record {
        /// The earlier record's seed.
        seed: u64,
        /// Its choices, in order.
        choices: Vec<String>,
    },
}

/// Why a record could not become a prior.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PriorError {
    /// The record is of another scenario than the one the follow-up follows.
    #[error("the record is of `{record}`, but `{follow_up}` follows `{expected}`")]
    WrongScenario {
        /// The record's scenario.
        record: String,
        /// The follow-up.
        follow_up: String,
        /// What it follows.
        expected: String,
    },
    /// The scenario is not a follow-up.
    #[error("`{0}` is not a follow-up (it has no `follows`)")]
    NotAFollowUp(String),
    /// A choice of the record does not replay.
    #[error("choice {} (`{id}`) of the earlier record: {error}", index + 1)]
    Replay {
        /// Its index.
        index: usize,
        /// The choice id.
        id: String,
        /// Why.
        error: SessionError,
    },
    /// The record's choices do not reach an ending.
    #[error("the earlier record does not reach an ending after its {0} choice(s)")]
    Unfinished(usize),
}

impl Prior {
    /// The prior a finished session of the earlier scenario leaves.
    pub fn from_session(session: &Session, source: PriorSource) -> Option<Prior> {
        let (id, ending) = session.ending()?;
        let transcript = session.transcript();
        Some(Prior {
            scenario: session.scenario().id.clone(),
            ending: id.to_string(),
            kind: Some(ending.kind),
            next_step: ending.next_step,
            voiced: transcript.voiced(),
            stats: transcript.final_stats(),
            motifs: transcript.motifs.iter().map(|v| v.motif.clone()).collect(),
            source,
        })
    }

    /// Replays `choices` on `earlier` with `seed` (under `prior` when the
    /// earlier scenario is itself a follow-up) and reads the prior it leaves.
    pub fn from_choices(
        earlier: &Arc<Scenario>,
        seed: u64,
        choices: &[String],
        prior: Option<Prior>,
    ) -> Result<Prior, PriorError> {
        let mut session = Session::start_after(earlier, seed, prior);
        for (index, id) in choices.iter().enumerate() {
            session.choose(id).map_err(|error| PriorError::Replay {
                index,
                id: id.clone(),
                error,
            })?;
        }
        let source = PriorSource::Record {
            seed,
            choices: choices.to_vec(),
        };
        Prior::from_session(&session, source).ok_or(PriorError::Unfinished(choices.len()))
    }

    /// Replays a record of the earlier 1on1 (as the game or `kiku replay
    /// --json` writes it) and reads the prior it leaves for `follow_up`.
    pub fn from_record(
        follow_up: &Scenario,
        earlier: &Arc<Scenario>,
        record: &Finished,
    ) -> Result<Prior, PriorError> {
        let expected = follow_up
            .follows
            .clone()
            .ok_or_else(|| PriorError::NotAFollowUp(follow_up.id.clone()))?;
        if record.scenario != expected || earlier.id != expected {
            return Err(PriorError::WrongScenario {
                record: record.scenario.clone(),
                follow_up: follow_up.id.clone(),
                expected,
            });
        }
        Prior::from_choices(earlier, record.seed, &record.choices, record.prior.clone())
    }

    /// An authored prior of `follow_up`, its kind read from the earlier
    /// scenario (when it can be found).
    pub fn from_spec(follow_up: &Scenario, spec: &PriorSpec, source: PriorSource) -> Prior {
        let earlier = follow_up.earlier();
        let kind = earlier
            .as_ref()
            .and_then(|e| e.endings.get(&spec.ending))
            .map(|e| e.kind);
        Prior {
            scenario: follow_up.follows.clone().unwrap_or_default(),
            ending: spec.ending.clone(),
            kind,
            next_step: spec.next_step,
            voiced: spec.voiced.unwrap_or_default(),
            stats: spec.stats,
            motifs: spec.motifs.clone(),
            source,
        }
    }

    /// The prior a follow-up assumes without a record: its `default_prior`.
    /// `None` for a scenario that follows nothing (or, unchecked, declares
    /// no default).
    pub fn default_for(follow_up: &Scenario) -> Option<Prior> {
        follow_up.follows.as_ref()?;
        let spec = follow_up.default_prior.as_ref()?;
        Some(Prior::from_spec(follow_up, spec, PriorSource::Default))
    }

    /// Every authored prior of `follow_up`: the default first (id
    /// [`DEFAULT_PRIOR_ID`]), then the named ones in file order, each with
    /// its id and title. Empty for a scenario that follows nothing.
    pub fn all_for(follow_up: &Scenario) -> Vec<(String, Text, Prior)> {
        let mut all = Vec::new();
        if let Some(prior) = Prior::default_for(follow_up) {
            all.push((
                DEFAULT_PRIOR_ID.to_string(),
                Text::new(
                    "既定(記録なしで遊ぶとき)",
                    "default (played without a record)",
                ),
                prior,
            ));
        }
        if follow_up.follows.is_some() {
            for named in &follow_up.priors {
                let source = PriorSource::Named(named.id.clone());
                all.push((
                    named.id.clone(),
                    named.title.clone(),
                    Prior::from_spec(follow_up, &named.prior, source),
                ));
            }
        }
        all
    }

    /// True when the member voiced `motif` last time.
    pub fn voiced_motif(&self, motif: &str) -> bool {
        self.motifs.iter().any(|m| m == motif)
    }

    /// The member's starting state in `follow_up`: its `initial`, plus the
    /// `carry` percent of the difference between this prior's end state and
    /// `initial`, per stat (rounded towards zero, kept within 0-100).
    pub fn starting_stats(&self, follow_up: &Scenario) -> Stats {
        let mut stats = follow_up.initial;
        if let Some(carry) = follow_up.carry {
            for stat in Stat::ALL {
                let initial = follow_up.initial.get(stat);
                let moved = (self.stats.get(stat) - initial) * carry.get(stat) / 100;
                *stats.get_mut(stat) = (initial + moved).clamp(0, 100);
            }
        }
        stats
    }
}

/// The briefing's recap of the earlier 1on1, in the member's own words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recap {
    /// The earlier scenario's title.
    pub title: Text,
    /// How it ended (the ending's title).
    pub ending_title: Text,
    /// The ending's words (the member's last words, or what happened).
    pub ending_text: Text,
    /// The ending's kind, as a label.
    pub kind: Option<EndingKind>,
    /// Who chose the next step, as a sentence for the briefing.
    pub next_step: Text,
    /// The member's lines that voiced a motif, in the order she said them:
    /// the very lines when the prior comes from a record, else the first
    /// authored line voicing the motif.
    pub said: Vec<RecapLine>,
    /// True when the prior is an assumption (the default or a named prior),
    /// not a record: the briefing should say so.
    pub assumed: bool,
}

/// One motif in the recap: the words and the line that said them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecapLine {
    /// The motif id.
    pub motif: String,
    /// The motif's words (「顔が見える」).
    pub words: Text,
    /// The member's whole line.
    pub line: Text,
}

impl Prior {
    /// The recap of last time for a follow-up's briefing, from `earlier`
    /// (the scenario this prior is of): how it ended, who chose the next
    /// step, and what the member said in her own words.
    pub fn recap(&self, earlier: &Arc<Scenario>) -> Recap {
        let ending = earlier.endings.get(&self.ending);
        let next_step = match self.next_step {
            NextStep::Member => Text::new(
                "次の一歩は、本人が自分で決めた。",
                "The member chose the next step herself.",
            ),
            NextStep::Manager => Text::new(
                "次の一歩は、上司(あなた)が決めた。",
                "The manager (you) decided the next step.",
            ),
            NextStep::Nobody => Text::new("次の一歩は決まらなかった。", "No next step was set."),
        };
        Recap {
            title: earlier.title.clone(),
            ending_title: ending.map(|e| e.title.clone()).unwrap_or_default(),
            ending_text: ending.map(|e| e.text.clone()).unwrap_or_default(),
            kind: self.kind,
            next_step,
            said: self.said_lines(earlier),
            assumed: !matches!(self.source, PriorSource::Record { .. }),
        }
    }

    fn said_lines(&self, earlier: &Arc<Scenario>) -> Vec<RecapLine> {
        // From a record: replay it and take the very lines.
        let mut lines: Vec<(String, Text)> = Vec::new();
        if let PriorSource::Record { seed, choices } = &self.source
            && let Ok(session) = Session::replay(earlier, *seed, choices)
        {
            let transcript = session.transcript();
            let spoken = std::iter::once(&transcript.opening)
                .chain(transcript.turns.iter().filter_map(|t| t.reply.as_ref()));
            for s in spoken {
                if let Some(line) = earlier
                    .nodes
                    .get(&s.node)
                    .and_then(|n| n.lines.get(s.variant))
                {
                    for motif in &line.voices {
                        if !lines.iter().any(|(m, _)| m == motif) {
                            lines.push((motif.clone(), line.text.clone()));
                        }
                    }
                }
            }
        }
        self.motifs
            .iter()
            .filter_map(|motif| {
                let words = earlier.motif(motif)?.words.clone();
                let line = lines
                    .iter()
                    .find(|(m, _)| m == motif)
                    .map(|(_, t)| t.clone())
                    .or_else(|| {
                        earlier
                            .nodes
                            .values()
                            .flat_map(|n| &n.lines)
                            .find(|l| l.voices.contains(motif))
                            .map(|l| l.text.clone())
                    })
                    .unwrap_or_else(|| words.clone());
                Some(RecapLine {
                    motif: motif.clone(),
                    words,
                    line,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Carry;

    #[test]
    fn carry_moves_the_start_by_a_share_of_the_difference() {
        let mut s = (*crate::fixtures::sample()).clone();
        s.initial = Stats {
            trust: 50,
            openness: 40,
            clarity: 0,
        };
        let prior = Prior {
            scenario: "x".into(),
            ending: "e".into(),
            kind: None,
            next_step: NextStep::Member,
            voiced: Layer::Value,
            stats: Stats {
                trust: 90,
                openness: 10,
                clarity: 80,
            },
            motifs: vec![],
            source: PriorSource::Default,
        };
        assert_eq!(prior.starting_stats(&s), s.initial, "no carry, no change");
        s.carry = Some(Carry {
            trust: 50,
            openness: 50,
            clarity: 0,
        });
        assert_eq!(
            prior.starting_stats(&s),
            Stats {
                trust: 70,
                openness: 25,
                clarity: 0
            }
        );
    }
}
