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
    let (mut sum, mut asked) = (0i32, 0i32);
    // Each question's share of the mean, so a shallow question shows what
    // it cost on its own turn.
    let all_asked = t
        .turns
        .iter()
        .filter(|turn| worth(turn).is_some())
        .count()
        .max(1) as i32;
    let mut turn_losses = 0;
    let mut asked_classes = crate::act::Offered::default();
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
        asked_classes.insert(class);
        asked += 1;
        sum += value;
        let (ja, en) = why(class);
        let lost = -((100 - value) / all_asked);
        turn_losses += lost;
        notes.add_text(n, axis, lost, || {
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
        if value < SHALLOW_BELOW && super::listening::after_disclosure(&t.turns, i) {
            penalties += SHALLOW_AT_DISCLOSURE_PENALTY;
            notes.add(n, axis, SHALLOW_AT_DISCLOSURE_PENALTY, "相手が言葉にした直後の浅い問い。受け止める前に問うと、話が相手から離れる。", "A shallow question right after the member disclosed something: asking before taking it in moves the talk away from them.");
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
    // The turns above carry what each question lost; this carries the rest.
    notes.add_text(None, axis, mean - turn_losses, || {
        Text::new(
            format!("問いの質は100点から。100%に届かない問いは、その回で分を失う(平均 {mean}%、{asked} 問)。後半の浅い問いも同じく数える。"),
            format!("Question quality starts at 100; each question worth less loses its share on its own turn ({asked} questions, {mean}% on average). A shallow question late counts as much as one early."),
        )
    });
    for (class, ja, en) in [
        (
            MoveClass::BeingQuestion,
            "ありたい姿を問う質問(「どのような姿でありたいか」)がなかった。",
            "No being question (\"what kind of person do you want to be?\").",
        ),
        (
            MoveClass::ValuesQuestion,
            "価値観を問う質問(「どんなときにやりがいを感じた?」)がなかった。",
            "No values question (\"when did your work feel most worth it?\").",
        ),
        (
            MoveClass::ChangeQuestion,
            "以前と今の変化を問う質問がなかった。",
            "No question about change between then and now.",
        ),
    ] {
        if !asked_classes.contains(class) {
            let cost = if class == MoveClass::BeingQuestion {
                BEING_MISSING_PENALTY
            } else {
                DEEP_FRAME_MISSING_PENALTY
            };
            penalties += cost;
            notes.add(None, axis, cost, ja, en);
        }
    }
    // Questions are there to help the member find words: they count in
    // full only when the member reached the value under the unease.
    let depth = super::listening::depth_percent(t.voiced());
    let short = (mean + penalties).max(0) * depth / 100 - (mean + penalties).max(0);
    if short < 0 {
        notes.add_text(None, axis, short, || {
            let layer = t.voiced().label();
            Text::new(
                format!(
                    "問いが相手を「{}」より先へ進めなかった(得点の {depth}%)。",
                    layer.ja
                ),
                format!(
                    "Your questions did not take the member beyond {} ({depth}% of the points).",
                    layer.en
                ),
            )
        });
    }
    clamp_score(mean + penalties + short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::{Act, Frame, Offered, Question};
    use crate::play::session::Turn;
    use crate::scenario::Layer;
    use crate::score::test_support::{explained, open_question, transcript, turn};

    fn ask(act: Act) -> Turn {
        turn(act, Layer::Unease, Layer::Unease)
    }

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

    fn closed() -> Act {
        Act::Question(Question {
            open: false,
            focus: Focus::Work,
            frame: Frame::Fact,
            leading: false,
            blaming: false,
            follow_up: false,
        })
    }

    fn voiced_value(mut t: Turn) -> Turn {
        t.voiced_after = Layer::Value;
        t
    }

    #[test]
    fn being_values_and_change_questions_with_nothing_weaker_earn_everything() {
        let being = || ask(open_question(Frame::Being, false));
        let values = || ask(open_question(Frame::Values, false));
        let change = || voiced_value(ask(open_question(Frame::Change, true)));
        assert_eq!(questions(vec![being(), values(), change()]), 100);
        // Without the being question, the column's own example, it costs more
        // than without the values question.
        let no_being = questions(vec![values(), change()]) as i32;
        let no_values = questions(vec![being(), change()]) as i32;
        assert_eq!(no_being, 100 + BEING_MISSING_PENALTY);
        assert_eq!(no_values, 100 + DEEP_FRAME_MISSING_PENALTY);
    }

    #[test]
    fn a_weaker_question_late_still_counts() {
        let being = || ask(open_question(Frame::Being, false));
        let values = || ask(open_question(Frame::Values, false));
        let change = || ask(open_question(Frame::Change, true));
        let full = questions(vec![being(), values(), voiced_value(change())]);
        let late_doing = questions(vec![
            being(),
            values(),
            change(),
            voiced_value(ask(open_question(Frame::Doing, false))),
        ]);
        let late_closed = questions(vec![
            being(),
            values(),
            change(),
            voiced_value(ask(closed())),
        ]);
        assert!(late_doing < full, "{late_doing} < {full}");
        assert!(late_closed < late_doing, "{late_closed} < {late_doing}");
    }

    #[test]
    fn a_shallow_question_where_a_deep_one_was_on_offer_is_a_missed_chance() {
        let doing = || voiced_value(ask(open_question(Frame::Doing, false)));
        let mut offered = Offered::default();
        offered.insert(MoveClass::BeingQuestion);
        offered.insert(MoveClass::DoingQuestion);
        let mut missed = doing();
        missed.offered = offered;
        assert_eq!(
            questions(vec![missed]) as i32,
            questions(vec![doing()]) as i32 + MISSED_QUESTION_PENALTY
        );
    }

    #[test]
    fn leading_and_blaming_questions_cost_and_no_questions_scores_the_floor() {
        let steer = |leading, blaming| {
            ask(Act::Question(Question {
                open: true,
                focus: Focus::Person,
                frame: Frame::Doing,
                leading,
                blaming,
                follow_up: false,
            }))
        };
        let base = ask(open_question(Frame::Being, false));
        let with_leading = questions(vec![base.clone(), steer(true, false)]) as i32;
        let with_blaming = questions(vec![base, steer(false, true)]) as i32;
        assert!(with_blaming < with_leading);
        assert_eq!(
            questions(vec![turn(
                Act::ComplexReflection,
                Layer::Surface,
                Layer::Surface
            )]) as i32,
            NO_QUESTIONS_SCORE
        );
    }
}
