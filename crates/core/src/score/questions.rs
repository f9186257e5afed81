//! The question axis (問いの質): what kind of questions, and how they were asked.

use super::rules::*;
use super::{Axis, Metrics, Notes, clamp_score};
use crate::act::{Family, Focus, Frame};
use crate::play::session::Transcript;
use crate::text::Text;

/// Scores question quality, 0-100, and fills in the open and person-focused
/// question counts of `m` (`m.questions` must already be counted).
pub(super) fn axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
    let axis = Axis::Questions;
    let mut credit = 0;
    let mut penalty = 0;
    let mut closed_run = 0;
    let mut frames: Vec<Frame> = Vec::new();
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let Some(q) = turn.act.question() else {
            if turn.act.family() != Family::Question {
                closed_run = 0;
            }
            continue;
        };
        if q.open {
            m.open_questions += 1;
            closed_run = 0;
        } else {
            closed_run += 1;
        }
        if q.focus == Focus::Person {
            m.person_questions += 1;
        }
        if q.blaming {
            penalty += BLAMING_PENALTY;
            notes.add(n, axis, BLAMING_PENALTY, "責める響きの問い。「なぜ」は詰問に聞こえやすく、相手は守りに入る。", "A blaming question. \"Why didn't you…\" sounds like an accusation and puts the member on the defensive.");
            continue;
        }
        if q.leading {
            penalty += LEADING_PENALTY;
            notes.add(n, axis, LEADING_PENALTY, "答えを誘導する問い。形は質問でも中身は助言で、相手が自分で考える余地がない。", "A leading question: a question in form, advice in substance. It leaves no room for the member's own thinking.");
            continue;
        }
        if !q.open {
            if closed_run >= CLOSED_STRING_FROM {
                penalty += CLOSED_STRING_PENALTY;
                notes.add(n, axis, CLOSED_STRING_PENALTY, "閉じた質問が続いた。はい・いいえで答える問いが重なると、面談が確認作業になる。", "Another closed question in a row: a string of yes/no questions turns the 1on1 into a checklist.");
            } else {
                notes.add(n, axis, 0, "閉じた質問。事実の確認には役立つが、相手の考えは広がらない。", "A closed question: fine to check a fact, but it does not open up the member's thinking.");
            }
            continue;
        }
        let (base, ja, en) = match (q.focus, q.frame) {
            (Focus::Work, _) => (
                WORK_QUESTION_CREDIT,
                "仕事についての開いた質問。状況は分かるが、人に焦点が当たっていない。",
                "An open question about the work: you learn the situation, but the focus is not on the person.",
            ),
            (Focus::Person, Frame::Being) => (
                BEING_CREDIT,
                "「どのような姿でありたいか」を問う、ありたい姿の問い。相手が自分の軸を考え始める。",
                "A being question (\"what kind of person do you want to be?\"): the member starts to think about what matters to them.",
            ),
            (Focus::Person, Frame::Values) => (
                VALUES_CREDIT,
                "価値観を問う質問(「どんなときにやりがいを感じた?」など)。判断の軸が言葉になる。",
                "A values question (\"when did you feel it was worth it?\"): it puts their criteria into words.",
            ),
            (Focus::Person, Frame::Feeling) => (
                FEELING_CREDIT,
                "気持ちを問う開いた質問。まだ言葉になっていないものに触れる。",
                "An open question about feelings: it reaches what has no words yet.",
            ),
            (Focus::Person, Frame::Change) => (
                CHANGE_FRAME_CREDIT,
                "以前と今の違いを問う質問。気づいていない変化に目が向く。",
                "A question about change between then and now: it shows change the member had not noticed.",
            ),
            (Focus::Person, Frame::Doing) => (
                DOING_CREDIT,
                "「どうしたい?」という問い。悪くはないが、答えを持たない相手には重い。「どうありたいか」の方が考えやすい。",
                "A \"what do you want to do?\" question. Not bad, but heavy for someone without an answer; \"how do you want to be?\" is easier to think about.",
            ),
            (Focus::Person, Frame::Fact) => (
                FACT_CREDIT,
                "本人の経験についての開いた質問。話のきっかけになる。",
                "An open question about their experience: a good way in.",
            ),
        };
        // Anti-gaming: from the REPEATED_FRAME_FROM-th question of the same
        // frame on, it earns half.
        let repeated = frames.iter().filter(|f| **f == q.frame).count() + 1 >= REPEATED_FRAME_FROM;
        frames.push(q.frame);
        let mut earned = if repeated {
            base / REPEATED_FRAME_DIVISOR
        } else {
            base
        };
        if q.follow_up {
            earned += FOLLOW_UP_CREDIT;
        }
        credit += earned;
        notes.add_text(n, axis, earned, || {
            let (mut ja, mut en) = (ja.to_string(), en.to_string());
            if repeated {
                ja.push_str("(同じ種類の問いが3回目なので半分)");
                en.push_str(" (third question of this kind: half credit)");
            }
            if q.follow_up {
                ja.push_str("相手の言葉を受けて問いを重ねた。");
                en.push_str(" It built on what they had just said.");
            }
            Text::new(ja, en)
        });
    }
    if m.questions == 0 {
        notes.add(
            None,
            axis,
            0,
            "質問を一度もしなかった。問いかけが対話の「質の鍵」。",
            "You asked no questions. Questions are the key to the quality of a 1on1.",
        );
        return 0;
    }
    let capped = credit.min(QUESTION_CREDIT_CAP);
    if credit > QUESTION_CREDIT_CAP {
        notes.add_text(None, axis, capped - credit, || {
            Text::new(
                format!("問いの加点は上限({QUESTION_CREDIT_CAP}点)まで。数より一つひとつの問いの深さが大切。"),
                format!("Question credit is capped at {QUESTION_CREDIT_CAP}: depth matters more than number."),
            )
        });
    }
    let open_share = f64::from(m.open_questions) / f64::from(m.questions);
    m.open_share = Some(open_share);
    let open_points = if open_share >= OPEN_GOOD_SHARE {
        OPEN_GOOD_POINTS
    } else if open_share >= OPEN_FAIR_SHARE {
        OPEN_FAIR_POINTS
    } else {
        0
    };
    let (ja, en) = if open_points > 0 {
        (
            "開いた質問の割合が高かった。相手が自分の言葉で語れた。",
            "A high share of open questions: the member could answer in their own words.",
        )
    } else {
        (
            "閉じた質問が多かった。「どんな」「どのように」で始まる問いに変えてみる。",
            "Mostly closed questions. Try starting with \"what\" or \"how\".",
        )
    };
    notes.add(None, axis, open_points, ja, en);
    let person_share = f64::from(m.person_questions) / f64::from(m.questions);
    let person_points = if person_share >= PERSON_FOCUS_SHARE {
        notes.add(
            None,
            axis,
            PERSON_FOCUS_POINTS,
            "仕事より人に焦点を当てた問いが中心だった。",
            "Your questions were mostly about the person, not the work.",
        );
        PERSON_FOCUS_POINTS
    } else {
        notes.add(
            None,
            axis,
            0,
            "仕事についての問いが多かった。1on1では、その仕事を本人がどう受け止めたかを問う。",
            "Many questions were about the work. In a 1on1, ask how the person experienced it.",
        );
        0
    };
    clamp_score(capped + open_points + person_points + penalty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::{Act, Question};
    use crate::play::session::Turn;
    use crate::scenario::Layer;
    use crate::score::test_support::{explained, open_question, transcript};

    /// Scores only the question axis; counts questions like the listening
    /// axis does first.
    fn questions(turns: Vec<Turn>) -> u32 {
        let t = transcript(turns);
        let mut m = Metrics {
            questions: t
                .turns
                .iter()
                .filter(|t| t.act.question().is_some())
                .count() as u32,
            ..Metrics::default()
        };
        axis(&t, &mut explained(), &mut m)
    }

    fn ask(act: Act) -> Turn {
        crate::score::test_support::turn(act, Layer::Surface, Layer::Surface)
    }

    /// The attributes of an open person-focused question of `frame`.
    fn person(frame: Frame) -> Question {
        open_question(frame, false)
            .question()
            .cloned()
            .expect("a question")
    }

    fn closed(focus: Focus) -> Act {
        Act::Question(Question {
            open: false,
            focus,
            frame: Frame::Fact,
            leading: false,
            blaming: false,
            follow_up: false,
        })
    }

    /// Share bonuses for all-open, all-person questions.
    const SHARES: i32 = OPEN_GOOD_POINTS + PERSON_FOCUS_POINTS;

    #[test]
    fn a_doing_question_earns_less_than_a_being_question() {
        let being = questions(vec![ask(open_question(Frame::Being, false))]);
        let doing = questions(vec![ask(open_question(Frame::Doing, false))]);
        assert!(doing < being);
        assert_eq!(being as i32, BEING_CREDIT + SHARES);
        assert_eq!(doing as i32, DOING_CREDIT + SHARES);
    }

    #[test]
    fn the_third_question_of_a_frame_earns_half_and_credit_is_capped() {
        let feeling = || ask(open_question(Frame::Feeling, false));
        let three = questions(vec![feeling(), feeling(), feeling()]);
        assert_eq!(
            three as i32,
            2 * FEELING_CREDIT + FEELING_CREDIT / REPEATED_FRAME_DIVISOR + SHARES
        );
        // Being + Values + Being + Values (with follow-ups) goes over the
        // cap; two closed questions keep the total below 100 (open share
        // 4/6: the fair tier).
        let many = questions(vec![
            ask(open_question(Frame::Being, true)),
            ask(open_question(Frame::Values, true)),
            ask(closed(Focus::Person)),
            ask(closed(Focus::Person)),
            ask(open_question(Frame::Being, true)),
            ask(open_question(Frame::Values, true)),
        ]);
        const {
            assert!(2 * (BEING_CREDIT + VALUES_CREDIT + 2 * FOLLOW_UP_CREDIT) > QUESTION_CREDIT_CAP)
        };
        assert_eq!(
            many as i32,
            QUESTION_CREDIT_CAP + OPEN_FAIR_POINTS + PERSON_FOCUS_POINTS
        );
    }

    #[test]
    fn leading_blaming_and_strings_of_closed_questions_cost() {
        let leading = Act::Question(Question {
            leading: true,
            ..person(Frame::Doing)
        });
        let blaming = Act::Question(Question {
            blaming: true,
            ..person(Frame::Fact)
        });
        // One open (for the share), then the penalty.
        let being = || ask(open_question(Frame::Being, false));
        let base = questions(vec![being(), being()]) as i32;
        assert_eq!(base, 2 * BEING_CREDIT + SHARES);
        // Open leading and blaming questions still count as open and
        // person-focused for the shares; they earn no credit, only the penalty.
        assert_eq!(
            questions(vec![being(), being(), ask(leading)]) as i32,
            2 * BEING_CREDIT + SHARES + LEADING_PENALTY
        );
        assert_eq!(
            questions(vec![being(), being(), ask(blaming)]) as i32,
            2 * BEING_CREDIT + SHARES + BLAMING_PENALTY
        );
        // Three closed questions in a row: the third costs. Open share 2/5
        // earns nothing; person share 5/5 still earns.
        let c = || ask(closed(Focus::Person));
        assert_eq!(
            questions(vec![being(), being(), c(), c(), c()]) as i32,
            2 * BEING_CREDIT + PERSON_FOCUS_POINTS + CLOSED_STRING_PENALTY
        );
        // A listening act between them breaks the string (open share still
        // 2/5: nothing).
        let nod = ask(Act::Acknowledge);
        assert_eq!(
            questions(vec![being(), being(), c(), c(), nod, c()]) as i32,
            2 * BEING_CREDIT + PERSON_FOCUS_POINTS
        );
    }

    #[test]
    fn work_questions_earn_little_and_no_questions_score_zero() {
        let work = Act::Question(Question {
            focus: Focus::Work,
            ..person(Frame::Being)
        });
        assert_eq!(
            questions(vec![ask(work)]) as i32,
            WORK_QUESTION_CREDIT + OPEN_GOOD_POINTS
        );
        assert_eq!(questions(vec![ask(Act::Empathize)]), 0);
    }
}
