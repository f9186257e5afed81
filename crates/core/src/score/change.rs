//! The change axis (変化をたどる): tracing change between then and now
//! together, by question or by reflection (EARS: elicit, amplify, reinforce).
//!
//! What counts is tracing change, not questions as such: an open change
//! question, or a reflection, summary or affirmation the author marked
//! `traces_change`, elicits it; taking in the member's answer right after
//! amplifies it; affirming or summarising it later reinforces it. In a
//! series, quoting the member's own words from last time (a recall) that
//! the member takes up traces change across the two 1on1s.

use super::rules::*;
use super::{Axis, Notes, clamp_score};
use crate::act::{Act, Frame};
use crate::play::session::{Transcript, Turn};

/// Whether a turn draws out or traces change between then and now.
fn traces(turn: &Turn) -> bool {
    let question = turn
        .act
        .question()
        .is_some_and(|q| q.open && !q.leading && !q.blaming && q.frame == Frame::Change);
    question || (turn.traces_change && !turn.act.is_misstep() && turn.act.question().is_none())
}

/// Scores tracing change, 0-100.
pub(super) fn axis(t: &Transcript, notes: &mut Notes) -> u32 {
    let axis = Axis::Change;
    let mut points = 0;
    let mut elicited: Option<usize> = None;
    let (mut again, mut amplified, mut reinforced, mut named) = (false, false, false, false);
    let mut recalled = false;
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let act = &turn.act;
        if !recalled && turn.recall.as_ref().is_some_and(|r| r.taken_up) {
            recalled = true;
            points += RECALL_TAKEN_UP_CREDIT;
            notes.add(n, axis, RECALL_TAKEN_UP_CREDIT, "前回の本人の言葉を引いて返し、本人がそれを受けて話を深めた。1on1をまたいで変化をたどっている。", "You quoted the member's own words from last time and they took them up: change traced across 1on1s.");
        }
        match elicited {
            None if traces(turn) => {
                elicited = Some(i);
                // The member's answer met by a misstep (advice, a verdict,
                // a decision) is change the manager took over, not traced
                // together: half the credit.
                let cut_short = t.turns.get(i + 1).is_some_and(Turn::is_misstep);
                let credit = if cut_short {
                    ELICIT_CREDIT * CUT_SHORT_PERCENT / 100
                } else {
                    ELICIT_CREDIT
                };
                points += credit;
                if cut_short {
                    notes.add(n, axis, credit, "以前と今を振り返り始めたが、次の一手で上司が話を引き取ってしまい、変化を一緒にたどるところまで行かなかった。", "You started looking back at then and now, but your next move took the conversation over before the change was traced together.");
                    continue;
                }
                let (ja, en) = if act.question().is_some() {
                    (
                        "以前と今を比べる問い。一緒に振り返ると、本人が気づいていない成長や変化が見えてくる。",
                        "A then-and-now question: looking back together shows growth the member had not noticed.",
                    )
                } else {
                    (
                        "以前と今を対比して返した。問わなくても、聞き返しで変化を一緒にたどれる。",
                        "You contrasted then and now in your reflection: change can be traced by reflecting as well as by asking.",
                    )
                };
                notes.add(n, axis, credit, ja, en);
            }
            None => {}
            Some(first) => {
                let right_after = i <= first + AMPLIFY_WITHIN;
                let takes_in = act.is_reflection()
                    || matches!(act, Act::Empathize)
                    || act
                        .question()
                        .is_some_and(|q| q.open && q.follow_up && !q.leading && !q.blaming);
                if right_after && takes_in && !amplified {
                    amplified = true;
                    points += AMPLIFY_CREDIT;
                    notes.add(n, axis, AMPLIFY_CREDIT, "相手が語った変化を受け止めて、さらに広げた(EARSの「広げる」)。", "You took in the change the member named and drew it out further (the \"amplify\" step of EARS).");
                } else if matches!(act, Act::Affirm) && !named {
                    named = true;
                    points += NAMED_FOR_THEM_PENALTY;
                    notes.add(n, axis, NAMED_FOR_THEM_PENALTY, "成長を上司が言葉にしてしまった。本人の言葉で返すと、本人が自分で気づき、変化が本人のものになる。", "You named the member's growth for them. Reflecting it in their own words lets them notice it themselves, and the change becomes theirs.");
                } else if (matches!(act, Act::Summarize)
                    || (traces(turn) && act.question().is_none()))
                    && !reinforced
                {
                    reinforced = true;
                    points += REINFORCE_CREDIT;
                    notes.add(n, axis, REINFORCE_CREDIT, "見えてきた変化を認め、言葉にして返した(EARSの「強化」)。本人が自分の成長に気づく。", "You recognised the change you had found together (the \"reinforce\" step of EARS): the member sees their own growth.");
                } else if traces(turn) && !again {
                    again = true;
                    points += SECOND_ELICIT_CREDIT;
                    notes.add(
                        n,
                        axis,
                        SECOND_ELICIT_CREDIT,
                        "もう一度、以前と今をたどった。",
                        "You traced then and now once more.",
                    );
                }
            }
        }
    }
    if elicited.is_none() {
        notes.add(None, axis, 0, "以前と今の変化を一緒にたどらなかった。「数カ月前と今で、何が変わった?」と聞くか、前と今を対比して返してみる。", "Change between then and now was never traced. Ask \"What has changed since a few months ago?\" or contrast then and now in a reflection.");
    }
    clamp_score(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Layer;
    use crate::score::test_support::{explained, open_question, transcript, turn};

    fn change_points(turns: Vec<Turn>) -> u32 {
        axis(&transcript(turns), &mut explained())
    }

    fn at(act: Act) -> Turn {
        turn(act, Layer::Unease, Layer::Unease)
    }

    fn tracing(act: Act) -> Turn {
        let mut t = at(act);
        t.traces_change = true;
        t
    }

    #[test]
    fn a_follow_up_question_that_asks_no_change_earns_nothing_here() {
        assert_eq!(
            change_points(vec![at(open_question(Frame::Feeling, true))]),
            0
        );
        assert_eq!(
            change_points(vec![at(open_question(Frame::Change, false))]) as i32,
            ELICIT_CREDIT
        );
    }

    #[test]
    fn change_traced_by_reflection_counts_like_a_question() {
        assert_eq!(
            change_points(vec![tracing(Act::ComplexReflection)]) as i32,
            ELICIT_CREDIT
        );
        // An unmarked reflection traces nothing.
        assert_eq!(change_points(vec![at(Act::ComplexReflection)]), 0);
    }

    #[test]
    fn elicit_amplify_reinforce_earn_the_whole_axis_at_most() {
        let full = change_points(vec![
            at(open_question(Frame::Change, false)),
            at(Act::ComplexReflection),
            at(Act::Summarize),
            tracing(Act::ComplexReflection),
        ]);
        assert_eq!(
            full as i32,
            ELICIT_CREDIT + AMPLIFY_CREDIT + REINFORCE_CREDIT + SECOND_ELICIT_CREDIT
        );
        assert_eq!(full, 100);
        // Amplifying must come soon after the change was elicited.
        let late = change_points(vec![
            at(open_question(Frame::Change, false)),
            at(Act::Acknowledge),
            at(Act::Acknowledge),
            at(Act::ComplexReflection),
        ]);
        assert_eq!(late as i32, ELICIT_CREDIT);
    }

    #[test]
    fn a_recall_taken_up_earns_once_and_one_not_taken_up_nothing() {
        use crate::play::session::Recall;
        let recall = |taken_up: bool| {
            let mut t = at(Act::ComplexReflection);
            t.recall = Some(Recall {
                motif: "face".into(),
                misremembered: false,
                taken_up,
            });
            t
        };
        assert_eq!(
            change_points(vec![recall(true), recall(true)]) as i32,
            RECALL_TAKEN_UP_CREDIT
        );
        assert_eq!(change_points(vec![recall(false)]), 0);
    }

    #[test]
    fn naming_the_growth_for_them_costs_and_a_takeover_cuts_it_short() {
        let named = change_points(vec![
            at(open_question(Frame::Change, false)),
            at(Act::Acknowledge),
            at(Act::Acknowledge),
            at(Act::Affirm),
        ]);
        assert_eq!(named as i32, ELICIT_CREDIT + NAMED_FOR_THEM_PENALTY);
        let mut advice = at(Act::Advise);
        advice.advice = Some(crate::play::member::AdviceKind::Unasked);
        let taken_over = change_points(vec![at(open_question(Frame::Change, false)), advice]);
        assert_eq!(taken_over as i32, ELICIT_CREDIT * CUT_SHORT_PERCENT / 100);
    }
}
