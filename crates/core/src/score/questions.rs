//! The question axis (問いの質): how deep each question went, over the
//! whole 1on1, against the questions the menu offered.
//!
//! The mean worth of every question asked (a weaker question late still
//! counts), plus asking deep questions at all (being, values, change); a
//! question well below the best one on offer at that turn is a missed
//! chance, and leading or blaming questions cost.

use super::rules::*;
use super::{Axis, Metrics, Notes, clamp_score};
use crate::act::{Focus, MoveClass};
use crate::play::session::Transcript;
use crate::text::Text;

/// What one question is worth, in percent, `follow_up` included.
fn worth(turn: &crate::play::session::Turn) -> Option<i32> {
    let q = turn.act.question()?;
    let base = question_percent(turn.act.class())?;
    let follow = q.open && q.follow_up && !q.leading && !q.blaming;
    Some(if follow {
        (base + FOLLOW_UP_BONUS).min(100)
    } else {
        base
    })
}

fn why(class: MoveClass) -> (&'static str, &'static str) {
    use MoveClass::*;
    match class {
        BeingQuestion => (
            "「どのような姿でありたいか」を問う、ありたい姿の問い。相手が自分の軸を考え始める。",
            "A being question (\"what kind of person do you want to be?\"): the member starts to think about what matters to them.",
        ),
        ValuesQuestion => (
            "価値観を問う質問(「どんなときにやりがいを感じた?」など)。判断の軸が言葉になる。",
            "A values question (\"when did it feel worth it?\"): it puts their criteria into words.",
        ),
        ChangeQuestion => (
            "以前と今の違いを問う質問。気づいていない変化に目が向く。",
            "A then-and-now question: it shows change the member had not noticed.",
        ),
        FeelingQuestion => (
            "気持ちを問う開いた質問。まだ言葉になっていないものに触れる。",
            "An open question about feelings: it reaches what has no words yet.",
        ),
        FactQuestion => (
            "本人の経験についての開いた質問。話のきっかけにはなるが、深まりは浅い。",
            "An open question about their experience: a way in, but not deep.",
        ),
        DoingQuestion => (
            "「どうしたい?」という問い。答えを持たない相手には重い。「どうありたいか」の方が考えやすい。",
            "A \"what do you want to do?\" question: heavy for someone without an answer; \"how do you want to be?\" is easier to think about.",
        ),
        WorkQuestion => (
            "仕事についての質問。状況は分かるが、人に焦点が当たっていない。",
            "A question about the work: you learn the situation, but the focus is not on the person.",
        ),
        ClosedQuestion => (
            "閉じた質問。はい・いいえで終わり、相手の考えは広がらない。",
            "A closed question: it ends in yes or no and does not open up the member's thinking.",
        ),
        _ => (
            "答えを誘導する・責める問い。形は質問でも、相手が自分で考える余地がない。",
            "A leading or blaming question: a question in form, but it leaves no room for the member's own thinking.",
        ),
    }
}

/// Scores question quality, 0-100, and fills in the open and person-focused
/// question counts of `m` (`m.questions` must already be counted).
pub(super) fn axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
    let axis = Axis::Questions;
    let mut penalties = 0;
    let (mut sum, mut asked, mut deep) = (0i32, 0i32, 0u32);
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let Some(q) = turn.act.question() else {
            continue;
        };
        let Some(value) = worth(turn) else {
            continue;
        };
        if q.open {
            m.open_questions += 1;
        }
        if q.focus == Focus::Person {
            m.person_questions += 1;
        }
        let class = turn.act.class();
        asked += 1;
        sum += value;
        if matches!(
            class,
            MoveClass::BeingQuestion | MoveClass::ValuesQuestion | MoveClass::ChangeQuestion
        ) {
            deep += 1;
        }
        let (ja, en) = why(class);
        notes.add_text(n, axis, 0, || {
            Text::new(
                format!("{ja}(問いの深さ {value}%)"),
                format!("{en} (worth {value}%)"),
            )
        });
        if q.blaming {
            penalties += BLAMING_PENALTY;
            notes.add(n, axis, BLAMING_PENALTY, "責める響きの問い。「なぜ」は詰問に聞こえやすく、相手は守りに入る。", "A blaming question: \"why didn't you…\" sounds like an accusation and puts the member on the defensive.");
        } else if q.leading {
            penalties += LEADING_PENALTY;
            notes.add(n, axis, LEADING_PENALTY, "答えを誘導する問い。中身は助言で、相手が自分で考える余地がない。", "A leading question: advice in substance, with no room for the member's own thinking.");
        }
        // A missed chance: a clearly deeper question was on offer.
        let best = turn
            .offered
            .iter()
            .filter_map(question_percent)
            .max()
            .unwrap_or(value);
        if best - value >= MISSED_QUESTION_GAP {
            penalties += MISSED_QUESTION_PENALTY;
            notes.add(
                n,
                axis,
                MISSED_QUESTION_PENALTY,
                "このとき、もっと深く問える質問(ありたい姿・価値観・変化など)が選べた。",
                "A deeper question (being, values or change) was on offer at this point.",
            );
        }
    }
    if m.questions == 0 {
        notes.add(
            None,
            axis,
            NO_QUESTIONS_SCORE,
            "質問を一度もしなかった。聞き返しで深めることはできても、問いかけが対話の「質の鍵」。",
            "You asked no questions. Reflections can deepen a conversation, but questions are the key to its quality.",
        );
        return clamp_score(NO_QUESTIONS_SCORE);
    }
    m.open_share = Some(f64::from(m.open_questions) / f64::from(m.questions));
    let mean = sum / asked.max(1);
    let quality_points = mean * QUALITY_SHARE / 100;
    notes.add_text(None, axis, quality_points, || {
        Text::new(
            format!("問いの深さの平均 {mean}%({asked} 問)。後半の浅い問いも平均を下げる。"),
            format!("Your questions were worth {mean}% on average ({asked} questions); a shallow question late counts too."),
        )
    });
    let depth_points =
        deep.min(DEEP_QUESTIONS_FULL) as i32 * DEPTH_SHARE / DEEP_QUESTIONS_FULL as i32;
    notes.add_text(None, axis, depth_points, || {
        if deep == 0 {
            Text::new(
                "ありたい姿・価値観・変化を問う質問がなかった。「どんなときにやりがいを感じた?」と聞いてみる。",
                "No question about being, values or change. Try \"When did your work feel most worth it?\"",
            )
        } else {
            Text::new(
                format!("ありたい姿・価値観・変化を問う深い質問が {deep} つ。"),
                format!("{deep} deep question(s) about being, values or change."),
            )
        }
    });
    clamp_score(quality_points + depth_points + penalties)
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
