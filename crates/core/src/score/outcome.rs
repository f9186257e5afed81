//! The outcome axis (対話の結果): the member's state at the end and how it ended.

use super::rules::*;
use super::{Axis, Notes, clamp_score};
use crate::play::session::Transcript;
use crate::scenario::{EndingKind, NextStep, Scenario};
use crate::text::Text;

/// Scores the outcome, 0-100: the weighted final state, the ending's kind
/// and who chose the next step.
pub(super) fn axis(s: &Scenario, t: &Transcript, notes: &mut Notes) -> u32 {
    let axis = Axis::Outcome;
    let end = t.final_stats();
    // Weighted state at the end, rounded: trust, openness and clarity in
    // percent.
    let state = (end.trust * STATE_TRUST_PERCENT
        + end.openness * STATE_OPENNESS_PERCENT
        + end.clarity * STATE_CLARITY_PERCENT
        + 50)
        / 100;
    let mut points = state;
    notes.add_text(None, axis, state, || {
        Text::new(
            format!(
                "終了時の状態: 信頼 {}、開示 {}、言語化 {}。",
                end.trust, end.openness, end.clarity
            ),
            format!(
                "State at the end: trust {}, openness {}, clarity {}.",
                end.trust, end.openness, end.clarity
            ),
        )
    });
    if t.voiced() < UNEASE_VOICED_AT {
        points += UNEASE_UNSAID_PENALTY;
        notes.add(
            None,
            axis,
            UNEASE_UNSAID_PENALTY,
            "本当のもやもやは最後まで言葉にならなかった。",
            "The real unease never found words.",
        );
    }
    let ending = t.ending.as_ref().and_then(|id| s.endings.get(id));
    match ending {
        Some(e) => {
            let (kind_points, ja, en) = match e.kind {
                EndingKind::OpenedUp => (
                    OPENED_UP_POINTS,
                    "相手が心を開いて終わった。",
                    "The member opened up.",
                ),
                EndingKind::Polite if t.voiced() >= UNEASE_VOICED_AT => (
                    POLITE_POINTS,
                    "もやもやは言葉になったが、最後は礼儀正しく閉じて終わった。",
                    "The unease was voiced, but it ended politely closed.",
                ),
                EndingKind::Polite => (
                    POLITE_POINTS,
                    "礼儀正しく終わったが、本音は出なかった。",
                    "It ended politely, but the real concern was never said.",
                ),
                EndingKind::ShutDown => (
                    SHUT_DOWN_POINTS,
                    "相手は心を閉ざして終わった。",
                    "The member shut down.",
                ),
            };
            points += kind_points;
            notes.add(None, axis, kind_points, ja, en);
            let (step_points, ja, en) = match e.next_step {
                NextStep::Member
                    if t.turns.iter().any(|turn| {
                        turn.act == crate::act::Act::Inform
                            || turn.advice == Some(crate::play::member::AdviceKind::Permitted)
                    }) =>
                {
                    (
                        MEMBER_NEXT_STEP_POINTS + IDEA_OFFERED_PENALTY,
                        "次の一歩は本人が決めたが、そのきっかけは上司の案や情報だった。本人の中から出てきた一歩ほどには本人のものにならない。",
                        "The member chose the next step, but it started from your idea or information: it is less their own than a step they found themselves.",
                    )
                }
                NextStep::Member => (
                    MEMBER_NEXT_STEP_POINTS,
                    "次の一歩を本人が自分で決めた。",
                    "The member chose the next step themselves.",
                ),
                NextStep::Manager => (
                    MANAGER_NEXT_STEP_POINTS,
                    "次の一歩を上司が決めてしまった。本人は従うだけになり、自分で選ぶ力は育たない。",
                    "You chose the next step for them: the member ends up complying instead of choosing.",
                ),
                NextStep::Nobody => (
                    NO_NEXT_STEP_POINTS,
                    "次の一歩は決まらなかった。",
                    "No next step was set.",
                ),
            };
            points += step_points;
            notes.add(None, axis, step_points, ja, en);
        }
        None => notes.add(
            None,
            axis,
            0,
            "会話は終わりまで進まなかった。",
            "The conversation did not reach an end.",
        ),
    }
    clamp_score(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::Act;
    use crate::scenario::{Layer, Stats};
    use crate::score::test_support::{explained, transcript, turn};
    use std::sync::Arc;

    /// The test fixture: endings `opened` (OpenedUp, Member), `report`
    /// (Polite, Nobody) and `shut` (ShutDown, Nobody).
    fn sample() -> Arc<Scenario> {
        crate::fixtures::sample()
    }

    fn ended(ending: Option<&str>, after: Stats) -> Transcript {
        let mut last = turn(Act::Acknowledge, Layer::Unease, Layer::Unease);
        last.after = after;
        let mut t = transcript(vec![last]);
        t.ending = ending.map(str::to_string);
        t
    }

    fn stats(trust: i32, openness: i32, clarity: i32) -> Stats {
        Stats {
            trust,
            openness,
            clarity,
        }
    }

    #[test]
    fn the_final_state_is_weighted_and_rounded() {
        let s = sample();
        let t = ended(None, stats(50, 40, 31));
        // 50*8% + 40*6% + 31*6% = 4 + 2.4 + 1.86 -> 8.
        assert_eq!(axis(&s, &t, &mut explained()), 8);
        let full = ended(None, stats(100, 100, 100));
        assert_eq!(axis(&s, &full, &mut explained()) as i32, STATE_MAX);
        assert_eq!(STATE_MAX, 20);
    }

    #[test]
    fn the_ending_kind_and_next_step_add_their_points() {
        let s = sample();
        let zero = stats(0, 0, 0);
        assert_eq!(s.endings["opened"].kind, EndingKind::OpenedUp);
        assert_eq!(s.endings["opened"].next_step, NextStep::Member);
        assert_eq!(
            axis(&s, &ended(Some("opened"), zero), &mut explained()) as i32,
            OPENED_UP_POINTS + MEMBER_NEXT_STEP_POINTS
        );
        // The manager choosing the next step costs (compliance); the state
        // keeps the axis from going below 0.
        let mut decided = (*s).clone();
        decided.endings.get_mut("opened").unwrap().next_step = NextStep::Manager;
        assert_eq!(
            axis(
                &decided,
                &ended(Some("opened"), stats(100, 100, 100)),
                &mut explained()
            ) as i32,
            STATE_MAX + OPENED_UP_POINTS + MANAGER_NEXT_STEP_POINTS
        );
        assert_eq!(s.endings["report"].kind, EndingKind::Polite);
        assert_eq!(
            axis(&s, &ended(Some("report"), zero), &mut explained()) as i32,
            POLITE_POINTS + NO_NEXT_STEP_POINTS
        );
        assert_eq!(
            axis(&s, &ended(Some("shut"), zero), &mut explained()) as i32,
            SHUT_DOWN_POINTS
        );
        // An unknown or missing ending adds nothing.
        assert_eq!(axis(&s, &ended(Some("nowhere"), zero), &mut explained()), 0);
    }
}
