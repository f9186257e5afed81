//! Scoring: the score types and the `score` entry points, a pure function
//! of scenario + transcript.
//!
//! Four axes, each 0-100, from ../shared/SOURCE.md and MITI 4.2.1:
//! listening before advising (聴く→助言の順, `listening.rs`), question
//! quality (問いの質, `questions.rs`), tracing change (変化をたどる,
//! `change.rs`), and the outcome (the member's state and how the 1on1 ended,
//! `outcome.rs`). Every point comes with a reason a trainee can read, tied to
//! the turn that earned or lost it. Every number lives in [`rules`];
//! `scenarios/README.md` documents each of them.

use serde::{Deserialize, Serialize};

use crate::play::session::Transcript;
use crate::scenario::{EndingKind, NextStep, Scenario, Weights};
use crate::text::Text;

mod change;
mod listening;
mod outcome;
pub mod progress;
mod questions;
pub mod rules;

/// A score axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// 聴く→助言の順: listening before advising.
    Listening,
    /// 問いの質: question quality.
    Questions,
    /// 変化をたどる: tracing change together.
    Change,
    /// The member's state and the ending.
    Outcome,
}

impl Axis {
    /// All four, in display order.
    pub const ALL: [Axis; 4] = [
        Axis::Listening,
        Axis::Questions,
        Axis::Change,
        Axis::Outcome,
    ];

    /// The axis name for a trainee.
    pub fn label(self) -> Text {
        match self {
            Axis::Listening => Text::new("まず聴く", "Listen first"),
            Axis::Questions => Text::new("問いの質", "Question quality"),
            Axis::Change => Text::new("変化をたどる", "Trace change"),
            Axis::Outcome => Text::new("対話の結果", "Outcome"),
        }
    }
}

/// Why points moved: on one axis, for one turn (or the whole session).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The 1-based turn, or `None` for the session as a whole.
    pub turn: Option<usize>,
    /// The axis.
    pub axis: Axis,
    /// Points added (negative: taken away) on that axis.
    pub points: i32,
    /// The explanation.
    pub text: Text,
}

/// The counts behind the score, MITI style.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Listening acts before the first unasked advice (all if none).
    pub listening_before_advice: u32,
    /// Advice-like acts while the unease was unspoken.
    pub premature_advice: u32,
    /// Reflections (simple, complex, summaries).
    pub reflections: u32,
    /// Complex reflections and summaries.
    pub complex_reflections: u32,
    /// Questions.
    pub questions: u32,
    /// Open questions.
    pub open_questions: u32,
    /// Questions about the person.
    pub person_questions: u32,
    /// Reflections per question (`None` without questions).
    pub reflection_to_question: Option<f64>,
    /// Share of complex reflections among reflections, 0-1.
    pub complex_share: Option<f64>,
    /// Share of open questions, 0-1.
    pub open_share: Option<f64>,
}

/// The five numbers of a score, without the reasons: what the analyser
/// compares and the leaderboard stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Weighted overall, 0-100.
    pub overall: u32,
    /// 聴く→助言の順, 0-100.
    pub listening: u32,
    /// 問いの質, 0-100.
    pub questions: u32,
    /// 変化をたどる, 0-100.
    pub change: u32,
    /// Outcome, 0-100.
    pub outcome: u32,
}

impl From<&Score> for Scores {
    fn from(score: &Score) -> Scores {
        Scores {
            overall: score.overall,
            listening: score.listening,
            questions: score.questions,
            change: score.change,
            outcome: score.outcome,
        }
    }
}

/// The score of a transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Weighted overall, 0-100.
    pub overall: u32,
    /// 聴く→助言の順, 0-100.
    pub listening: u32,
    /// 問いの質, 0-100.
    pub questions: u32,
    /// 変化をたどる, 0-100.
    pub change: u32,
    /// Outcome, 0-100.
    pub outcome: u32,
    /// The weights used.
    pub weights: Weights,
    /// Every reason, turn by turn, then the session-level ones.
    pub reasons: Vec<Reason>,
    /// The counts behind it.
    pub metrics: Metrics,
}

impl Score {
    /// The score of one axis.
    pub fn axis(&self, axis: Axis) -> u32 {
        match axis {
            Axis::Listening => self.listening,
            Axis::Questions => self.questions,
            Axis::Change => self.change,
            Axis::Outcome => self.outcome,
        }
    }

    /// The reasons for one turn (1-based).
    pub fn turn_reasons(&self, turn: usize) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(move |r| r.turn == Some(turn))
    }

    /// The net points of one turn, weighted like the overall score.
    pub fn turn_impact(&self, turn: usize) -> f64 {
        let w = self.weights;
        let total = w.total().max(1) as f64;
        self.turn_reasons(turn)
            .map(|r| {
                let weight = match r.axis {
                    Axis::Listening => w.listening,
                    Axis::Questions => w.questions,
                    Axis::Change => w.change,
                    Axis::Outcome => w.outcome,
                };
                f64::from(r.points) * f64::from(weight) / total
            })
            .sum()
    }

    /// Up to `n` turns that cost the most (most negative impact first).
    pub fn costliest_turns(&self, turns: usize, n: usize) -> Vec<usize> {
        let mut costs: Vec<(usize, f64)> = (1..=turns)
            .map(|t| (t, self.turn_impact(t)))
            .filter(|(_, impact)| *impact < 0.0)
            .collect();
        costs.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        costs.into_iter().take(n).map(|(t, _)| t).collect()
    }
}

/// Scores a transcript of `scenario`. Pure: the same input always gives the
/// same score; every axis and the overall stay within 0-100.
pub fn score(scenario: &Scenario, transcript: &Transcript) -> Score {
    score_with(scenario, transcript, true)
}

/// The score without the reasons: the same numbers, without building any
/// text (for the analyser, which scores millions of paths).
pub fn score_quick(scenario: &Scenario, transcript: &Transcript) -> Score {
    score_with(scenario, transcript, false)
}

fn score_with(scenario: &Scenario, transcript: &Transcript, explain: bool) -> Score {
    let mut notes = Notes {
        explain,
        reasons: Vec::new(),
    };
    let mut metrics = Metrics::default();
    let listening = listening::axis(transcript, &mut notes, &mut metrics);
    let questions = questions::axis(transcript, &mut notes, &mut metrics);
    let change = change::axis(transcript, &mut notes);
    let outcome = outcome::axis(scenario, transcript, &mut notes);
    let mut reasons = notes.reasons;
    let weights = scenario.weights();
    let total = weights.total();
    let sum = u64::from(listening) * u64::from(weights.listening)
        + u64::from(questions) * u64::from(weights.questions)
        + u64::from(change) * u64::from(weights.change)
        + u64::from(outcome) * u64::from(weights.outcome);
    // Rounded weighted mean on the experts' scale (a conversation nobody
    // could fault scores OVERALL_TOP); weights that add up to 0 score 0.
    let scaled = sum * rules::OVERALL_TOP as u64;
    let denominator = total * rules::AXIS_MAX as u64;
    let mut overall = (scaled + denominator / 2)
        .checked_div(denominator)
        .unwrap_or(0) as u32;
    // A misstep colours the whole conversation, beyond the axis it costs on
    // (even when it was repaired): the first one keeps it out of the top.
    if let Some((i, _)) = transcript
        .turns
        .iter()
        .enumerate()
        .find(|(_, t)| t.is_misstep())
    {
        {
            let cut = (-rules::MISSTEP_OVERALL_PENALTY).min(overall as i32);
            overall -= cut as u32;
            if explain && cut > 0 {
                reasons.push(Reason {
                    turn: Some(i + 1),
                    axis: Axis::Listening,
                    points: 0,
                    text: Text::new(
                        format!("この一手は会話全体の印象にも残る(総合 -{cut})。"),
                        format!("A misstep colours the whole conversation (overall -{cut})."),
                    ),
                });
            }
        }
    }
    // How it ends caps the total: the first half cannot buy back deciding
    // for the member or shutting them down.
    if let Some(ending) = transcript
        .ending
        .as_ref()
        .and_then(|id| scenario.endings.get(id))
    {
        let before = overall as i32;
        let (capped, ja, en) = match (ending.kind, ending.next_step) {
            (EndingKind::ShutDown, _) => (
                before.min(rules::CAP_SHUT_DOWN),
                "相手が心を閉ざして終わった1on1は、前半がよくても高得点にはならない",
                "A 1on1 that ends with the member shut down cannot score high, however good its first half",
            ),
            (_, NextStep::Manager) => (
                (before * rules::DECIDED_KEEPS_PERCENT + 50) / 100,
                "最後に上司が決めてしまうと、それまでの対話の多くが台無しになる。決めるのは本人",
                "Deciding for the member at the end undoes much of what came before: the choice was theirs",
            ),
            (EndingKind::Polite, _) => (
                before.min(rules::CAP_POLITE),
                "礼儀正しく閉じて終わった1on1は、上位の得点にはならない",
                "A 1on1 that ends politely closed cannot reach the top band",
            ),
            _ => (before, "", ""),
        };
        if capped < before {
            overall = capped.max(0) as u32;
            if explain {
                reasons.push(Reason {
                    turn: None,
                    axis: Axis::Outcome,
                    points: capped - before,
                    text: Text::new(
                        format!("{ja}(総合 {before} → {capped} 点)。"),
                        format!("{en} (overall {before} → {capped})."),
                    ),
                });
            }
        }
    }
    // Turn reasons first in turn order, session-level reasons last.
    reasons.sort_by_key(|r: &Reason| (r.turn.unwrap_or(usize::MAX), axis_order(r.axis)));
    Score {
        overall: overall.min(rules::AXIS_MAX as u32),
        listening,
        questions,
        change,
        outcome,
        weights,
        reasons,
        metrics,
    }
}

fn axis_order(axis: Axis) -> usize {
    Axis::ALL.iter().position(|a| *a == axis).unwrap_or(0)
}

/// Keeps an axis score within 0-[`rules::AXIS_MAX`].
fn clamp_score(points: i32) -> u32 {
    points.clamp(0, rules::AXIS_MAX) as u32
}

/// Collects reasons, or only counts when nobody will read them.
struct Notes {
    explain: bool,
    reasons: Vec<Reason>,
}

impl Notes {
    fn add(&mut self, turn: Option<usize>, axis: Axis, points: i32, ja: &str, en: &str) {
        if self.explain {
            self.reasons.push(Reason {
                turn,
                axis,
                points,
                text: Text::new(ja, en),
            });
        }
    }

    fn add_text(
        &mut self,
        turn: Option<usize>,
        axis: Axis,
        points: i32,
        text: impl FnOnce() -> Text,
    ) {
        if self.explain {
            self.reasons.push(Reason {
                turn,
                axis,
                points,
                text: text(),
            });
        }
    }
}

/// Small builders for the axis tests.
#[cfg(test)]
mod test_support {
    use super::Notes;
    use crate::act::{Act, Focus, Frame, Question};
    use crate::play::session::{Spoken, Transcript, Turn};
    use crate::scenario::{Layer, Stats};

    /// A turn with `act`, no advice kind and default stats.
    pub fn turn(act: Act, voiced_before: Layer, voiced_after: Layer) -> Turn {
        Turn {
            node: "n".into(),
            choice: "c".into(),
            act,
            advice: None,
            before: Stats::default(),
            after: Stats::default(),
            voiced_before,
            voiced_after,
            reply: None,
            offered: Default::default(),
            traces_change: false,
            recall: None,
        }
    }

    /// An open person-focused question of `frame`.
    pub fn open_question(frame: Frame, follow_up: bool) -> Act {
        Act::Question(Question {
            open: true,
            focus: Focus::Person,
            frame,
            leading: false,
            blaming: false,
            follow_up,
        })
    }

    /// A transcript of `turns` with no ending.
    pub fn transcript(turns: Vec<Turn>) -> Transcript {
        Transcript {
            scenario: "t".into(),
            seed: 1,
            initial: Stats::default(),
            opening: Spoken {
                node: "n".into(),
                variant: 0,
            },
            turns,
            ending: None,
            motifs: Vec::new(),
            prior: None,
        }
    }

    /// Notes that keep every reason.
    pub fn explained() -> Notes {
        Notes {
            explain: true,
            reasons: Vec::new(),
        }
    }
}
