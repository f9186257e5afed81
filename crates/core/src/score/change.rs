//! The change axis (変化をたどる): tracing change between then and now together.

use super::rules::*;
use super::{Axis, Notes, clamp_score};
use crate::act::{Act, Frame};
use crate::play::session::Transcript;
use crate::scenario::Layer;

/// Scores tracing change, 0-100.
pub(super) fn axis(t: &Transcript, notes: &mut Notes) -> u32 {
    let axis = Axis::Change;
    let mut points = 0;
    let mut change_questions = 0usize;
    let mut follow_ups = 0;
    let mut pick_ups = 0;
    let mut reinforced = false;
    let mut traced = false;
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let previous = i.checked_sub(1).map(|p| &t.turns[p]);
        if let Some(q) = turn.act.question()
            && q.open
            && !q.leading
            && !q.blaming
        {
            if q.frame == Frame::Change {
                let credit = CHANGE_CREDITS[change_questions.min(CHANGE_CREDITS.len() - 1)];
                change_questions += 1;
                points += credit;
                notes.add(n, axis, credit, "以前と今を比べる問い。一緒に振り返ると、本人が気づいていない成長や変化が見えてくる。", "A then-and-now question: looking back together shows growth and change the member had not noticed.");
            }
            if q.follow_up && follow_ups < FOLLOW_UP_CHANGE_MAX {
                follow_ups += 1;
                points += FOLLOW_UP_CHANGE_CREDIT;
                notes.add(n, axis, FOLLOW_UP_CHANGE_CREDIT, "相手がいま話したことを受けて問いを重ねた。話がつながり、深まっていく。", "You built your question on what the member had just said: the conversation connects and deepens.");
            }
        }
        let just_voiced = previous.map_or(turn.voiced_before > Layer::Nothing, |p| {
            p.voiced_after > p.voiced_before
        });
        // Taking in what was just voiced: saying it back, or naming the feeling.
        let takes_in = turn.act.is_reflection() || matches!(turn.act, Act::Empathize);
        if takes_in && just_voiced && pick_ups < PICK_UP_MAX {
            pick_ups += 1;
            points += PICK_UP_CREDIT;
            notes.add(n, axis, PICK_UP_CREDIT, "相手がやっと言葉にしたことを、すぐに受け止めて返した。", "The member had just put something into words, and you took it in and said it back.");
        }
        // EARS: reinforce right after eliciting a change (a change question)
        // or amplifying it (a follow-up question once change was elicited).
        let after_change = previous.and_then(|p| p.act.question()).is_some_and(|q| {
            q.open && (q.frame == Frame::Change || (q.follow_up && change_questions > 0))
        });
        if matches!(turn.act, Act::Affirm) && after_change && !reinforced {
            reinforced = true;
            points += REINFORCE_CREDIT;
            notes.add(
                n,
                axis,
                REINFORCE_CREDIT,
                "見えてきた変化を認めて言葉にした(EARSの「強化」)。",
                "You recognised the change they found (the \"reinforce\" step of EARS).",
            );
        }
        if matches!(turn.act, Act::Summarize) && change_questions > 0 && !traced {
            traced = true;
            points += TRACE_SUMMARY_CREDIT;
            notes.add(
                n,
                axis,
                TRACE_SUMMARY_CREDIT,
                "振り返った変化をまとめた。変化の道筋が本人のものになる。",
                "You summarised the change you traced together: the path becomes the member's own.",
            );
        }
    }
    if change_questions == 0 {
        notes.add(None, axis, 0, "以前と今の変化を一緒にたどる問いがなかった。「数カ月前と今で、何が変わった?」と聞いてみる。", "No question traced change between then and now. Try \"What has changed since a few months ago?\"");
    }
    clamp_score(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::session::Turn;
    use crate::score::test_support::{explained, open_question, transcript, turn};

    fn change_points(turns: Vec<Turn>) -> u32 {
        axis(&transcript(turns), &mut explained())
    }

    #[test]
    fn change_questions_earn_first_second_then_later_credit() {
        use Layer::Unease;
        let ask = || turn(open_question(Frame::Change, false), Unease, Unease);
        assert_eq!(change_points(vec![ask()]) as i32, CHANGE_CREDITS[0]);
        assert_eq!(
            change_points(vec![ask(), ask(), ask(), ask()]) as i32,
            CHANGE_CREDITS[0] + CHANGE_CREDITS[1] + 2 * CHANGE_CREDITS[2]
        );
        assert_eq!(CHANGE_CREDITS, [35, 25, 10]);
    }

    #[test]
    fn follow_ups_earn_up_to_the_maximum() {
        use Layer::Unease;
        let follow = || turn(open_question(Frame::Feeling, true), Unease, Unease);
        let five = change_points((0..5).map(|_| follow()).collect());
        assert_eq!(
            five as i32,
            FOLLOW_UP_CHANGE_CREDIT * FOLLOW_UP_CHANGE_MAX as i32
        );
    }

    #[test]
    fn empathy_takes_in_what_was_just_voiced() {
        use Layer::{Surface, Unease};
        let voiced = turn(Act::Acknowledge, Surface, Unease);
        assert_eq!(
            change_points(vec![voiced.clone(), turn(Act::Empathize, Unease, Unease)]) as i32,
            PICK_UP_CREDIT
        );
        // Without a newly voiced layer there is nothing to take in.
        let quiet = turn(Act::Acknowledge, Unease, Unease);
        assert_eq!(
            change_points(vec![quiet, turn(Act::Empathize, Unease, Unease)]),
            0
        );
    }

    #[test]
    fn affirming_after_an_amplifying_question_reinforces() {
        use Layer::Unease;
        let elicit = turn(open_question(Frame::Change, false), Unease, Unease);
        let amplify = turn(open_question(Frame::Feeling, true), Unease, Unease);
        let affirm = turn(Act::Affirm, Unease, Unease);
        // 35 (change question) + 15 (follow-up) + 10 (reinforce).
        assert_eq!(
            change_points(vec![elicit, amplify.clone(), affirm.clone()]) as i32,
            CHANGE_CREDITS[0] + FOLLOW_UP_CHANGE_CREDIT + REINFORCE_CREDIT
        );
        // A follow-up before any change came up is not amplifying a change.
        assert_eq!(
            change_points(vec![amplify, affirm]) as i32,
            FOLLOW_UP_CHANGE_CREDIT
        );
    }

    #[test]
    fn a_summary_after_a_change_question_traces_once() {
        use Layer::Unease;
        let elicit = || turn(open_question(Frame::Change, false), Unease, Unease);
        let summary = || turn(Act::Summarize, Unease, Unease);
        assert_eq!(
            change_points(vec![elicit(), summary(), summary()]) as i32,
            CHANGE_CREDITS[0] + TRACE_SUMMARY_CREDIT
        );
        // Before any change question, a summary traces nothing (and with
        // nothing voiced it takes nothing in).
        let early = turn(Act::Summarize, Layer::Nothing, Layer::Nothing);
        assert_eq!(
            change_points(vec![early, elicit()]) as i32,
            CHANGE_CREDITS[0]
        );
    }
}
