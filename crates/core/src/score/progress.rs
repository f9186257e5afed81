//! How the trainee talks, attempt by attempt: the MITI-style counts behind
//! the history screen's "how your own talk changed" (reflection-to-question
//! ratio, share of open and of being questions, turns before the first
//! advice). A pure function of a transcript. It adds the being share and
//! the first advice to the counts the score's own `Metrics` keeps.

use serde::{Deserialize, Serialize};

use crate::act::{Act, Frame};
use crate::play::session::Transcript;

/// The trainee's talk in one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TalkMetrics {
    /// Turns played.
    pub turns: usize,
    /// Reflections (simple, complex, summaries: MITI counts summaries as
    /// complex reflections).
    pub reflections: usize,
    /// Questions of any kind.
    pub questions: usize,
    /// Reflections per question (MITI: 1 fair, 2 good); `None` with no
    /// questions.
    pub reflection_to_question: Option<f64>,
    /// Share of the questions that were open, 0-1; `None` with no questions.
    pub open_share: Option<f64>,
    /// Share of the questions about who the member wants to be (the
    /// `Being` frame), 0-1; `None` with no questions.
    pub being_share: Option<f64>,
    /// Turns played before the first advice or instruction (`Advise`,
    /// `Instruct`); `None` when the trainee never advised.
    pub turns_before_first_advice: Option<usize>,
}

/// The talk metrics of `transcript`.
pub fn talk_metrics(transcript: &Transcript) -> TalkMetrics {
    let turns = &transcript.turns;
    let reflections = turns.iter().filter(|t| t.act.is_reflection()).count();
    let questions: Vec<_> = turns.iter().filter_map(|t| t.act.question()).collect();
    let share = |n: usize| (!questions.is_empty()).then(|| n as f64 / questions.len() as f64);
    TalkMetrics {
        turns: turns.len(),
        reflections,
        questions: questions.len(),
        reflection_to_question: share(reflections),
        open_share: share(questions.iter().filter(|q| q.open).count()),
        being_share: share(questions.iter().filter(|q| q.frame == Frame::Being).count()),
        turns_before_first_advice: turns
            .iter()
            .position(|t| matches!(t.act, Act::Advise | Act::Instruct)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Layer;
    use crate::score::test_support::{open_question, transcript, turn};

    fn at(act: Act) -> crate::play::session::Turn {
        turn(act, Layer::Surface, Layer::Surface)
    }

    #[test]
    fn counts_reflections_questions_and_the_first_advice() {
        let closed = Act::Question(crate::act::Question {
            open: false,
            focus: crate::act::Focus::Work,
            frame: Frame::Fact,
            leading: false,
            blaming: false,
            follow_up: false,
        });
        let t = transcript(vec![
            at(Act::ComplexReflection),
            at(open_question(Frame::Being, false)),
            at(Act::SimpleReflection),
            at(closed),
            at(Act::Summarize),
            at(Act::Advise),
            at(Act::Instruct),
        ]);
        let m = talk_metrics(&t);
        assert_eq!(m.turns, 7);
        assert_eq!((m.reflections, m.questions), (3, 2));
        assert_eq!(m.reflection_to_question, Some(1.5));
        assert_eq!(m.open_share, Some(0.5));
        assert_eq!(m.being_share, Some(0.5));
        assert_eq!(m.turns_before_first_advice, Some(5));
    }

    #[test]
    fn no_questions_and_no_advice_are_none_not_zero() {
        let m = talk_metrics(&transcript(vec![at(Act::Acknowledge), at(Act::Reassure)]));
        assert_eq!(m.questions, 0);
        assert_eq!(m.reflection_to_question, None);
        assert_eq!(m.open_share, None);
        assert_eq!(m.being_share, None);
        // Reassurance is not advice.
        assert_eq!(m.turns_before_first_advice, None);
        let empty = talk_metrics(&transcript(vec![]));
        assert_eq!(empty.turns, 0);
    }
}
