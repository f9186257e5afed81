//! The listening axis (まず聴く: 聴く→助言の順): listening before advising.

use super::rules::*;
use super::{Axis, Metrics, Notes, clamp_score};
use crate::act::{Act, Family};
use crate::play::member::AdviceKind;
use crate::play::session::Transcript;

/// Scores listening before advising, 0-100, and fills in the reflection and
/// question counts of `m`.
pub(super) fn axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
    let axis = Axis::Listening;
    let mut points = 0;
    let mut advised = false;
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let act = &turn.act;
        if act.is_reflection() {
            m.reflections += 1;
        }
        if act.is_complex_reflection() {
            m.complex_reflections += 1;
        }
        if act.question().is_some() {
            m.questions += 1;
        }
        match turn.advice {
            Some(AdviceKind::Premature) => {
                advised = true;
                m.premature_advice += 1;
                points += PREMATURE_PENALTY;
                notes.add(
                    n,
                    axis,
                    PREMATURE_PENALTY,
                    "相手がまだもやもやを言葉にしていないうちに、助言・励まし・評価をした。相手は「聴いてもらえていない」と感じ、口を閉ざしやすくなる。",
                    "You advised, reassured or judged before the member had put their unease into words. They feel unheard and tend to close up.",
                );
            }
            Some(AdviceKind::Unasked) => {
                advised = true;
                points += UNASKED_PENALTY;
                notes.add(
                    n,
                    axis,
                    UNASKED_PENALTY,
                    "もやもやは言葉になっていたが、求められていない助言だった。先に「私の考えを話してもいい?」と許可を取ると受け取られやすい。",
                    "The unease was out, but nobody asked for this advice. Asking first (\"May I share a thought?\") makes it easier to take in.",
                );
            }
            Some(AdviceKind::Solicited) => notes.add(
                n,
                axis,
                0,
                "相手から求められた助言。求められてからの助言は受け取られやすい。",
                "The member asked for this advice: advice that was asked for lands well.",
            ),
            Some(AdviceKind::Permitted) => notes.add(
                n,
                axis,
                0,
                "許可を取ってからの助言。押しつけにならず、選ぶのは相手のまま。",
                "You asked permission before advising: it stays an offer, and the choice stays theirs.",
            ),
            None => {}
        }
        match act {
            Act::SelfDisclose => {
                points += SELF_DISCLOSE_PENALTY;
                notes.add(
                    n,
                    axis,
                    SELF_DISCLOSE_PENALTY,
                    "自分の話をした。会話の主役が上司に移り、相手の話が止まる。",
                    "You talked about yourself: the conversation became about you and the member's story stopped.",
                );
            }
            Act::Inform => notes.add(
                n,
                axis,
                0,
                "情報提供。求められたときや、もやもやが言葉になった後なら役に立つが、聴くことの代わりにはならない。",
                "Giving information: useful when asked for or once the unease is out, but no substitute for listening.",
            ),
            Act::RedirectToWork => {
                points += REDIRECT_PENALTY;
                notes.add(
                    n,
                    axis,
                    REDIRECT_PENALTY,
                    "業務の話に戻した。1on1は進捗報告の場ではなく、人に焦点を当てる場。",
                    "You steered back to work progress. A 1on1 is about the person, not a status report.",
                );
            }
            _ => {}
        }
        if act.family() == Family::Listening && !advised {
            m.listening_before_advice += 1;
            if m.listening_before_advice <= LISTEN_CREDITS_MAX {
                points += LISTEN_CREDIT;
                notes.add(
                    n,
                    axis,
                    LISTEN_CREDIT,
                    "助言より先に、まず聴いた。相手は「自分の話をきちんと聴いてくれている」と感じる。",
                    "You listened before advising: the member feels their story is really being heard.",
                );
            }
        }
    }
    // MITI summary measures: reflection-to-question ratio and complex share.
    let (r, q) = (m.reflections, m.questions);
    m.reflection_to_question = (q > 0).then(|| f64::from(r) / f64::from(q));
    const GOOD: (&str, &str) = (
        "聞き返しが質問の2倍以上(MITIの「良い」水準)。問い詰めず、受け止めながら進めた。",
        "Reflections outnumbered questions two to one or more (MITI's \"good\" level): you took in before asking more.",
    );
    let (ratio_points, (ja, en)) = match (r, q) {
        (0, _) => (
            0,
            (
                "聞き返しがほとんどない。相手の言葉や気持ちを返すことが「聴いている」ことを伝える。",
                "Almost no reflections. Saying back their words and feelings is what shows you are listening.",
            ),
        ),
        (_, 0) => (RATIO_NO_QUESTIONS_POINTS, GOOD),
        _ if ratio_at_least(r, q, RATIO_GOOD) => (RATIO_GOOD_POINTS, GOOD),
        _ if ratio_at_least(r, q, RATIO_FAIR) => (
            RATIO_FAIR_POINTS,
            (
                "聞き返しと質問がほぼ同数(MITIの「まずまず」水準)。質問の前にもう一度聞き返すと、さらに深まる。",
                "About one reflection per question (MITI's \"fair\" level). One more reflection before the next question deepens it.",
            ),
        ),
        _ if ratio_at_least(r, q, RATIO_LOW) => (
            RATIO_LOW_POINTS,
            (
                "質問が聞き返しより多い。尋問のように感じさせないよう、相手の言葉を返してから問う。",
                "More questions than reflections: say back what you heard before asking again, so it does not feel like an interrogation.",
            ),
        ),
        _ => (
            0,
            (
                "聞き返しがほとんどない。相手の言葉や気持ちを返すことが「聴いている」ことを伝える。",
                "Almost no reflections. Saying back their words and feelings is what shows you are listening.",
            ),
        ),
    };
    points += ratio_points;
    notes.add(None, axis, ratio_points, ja, en);
    if r > 0 {
        let share = f64::from(m.complex_reflections) / f64::from(r);
        m.complex_share = Some(share);
        let complex_points = if share >= COMPLEX_GOOD_SHARE {
            COMPLEX_GOOD_POINTS
        } else if share >= COMPLEX_FAIR_SHARE {
            COMPLEX_FAIR_POINTS
        } else if m.complex_reflections > 0 {
            COMPLEX_ANY_POINTS
        } else {
            0
        };
        points += complex_points;
        let (ja, en) = if share >= COMPLEX_FAIR_SHARE {
            (
                "言葉の奥にある意味や気持ちを返す「複雑な聞き返し」が多かった。",
                "Many complex reflections: you said back the meaning and feeling behind the words.",
            )
        } else {
            (
                "聞き返しが言葉のなぞりに留まりがち。言葉の奥の気持ちや意味を返してみる。",
                "Your reflections mostly repeated words. Try saying back the feeling or meaning behind them.",
            )
        };
        notes.add(None, axis, complex_points, ja, en);
    }
    clamp_score(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::Frame;
    use crate::play::member::AdviceKind;
    use crate::scenario::Layer;
    use crate::score::test_support::{explained, open_question, transcript, turn};

    fn listening(t: &Transcript) -> (u32, Metrics, Vec<super::super::Reason>) {
        let mut notes = explained();
        let mut m = Metrics::default();
        let points = axis(t, &mut notes, &mut m);
        (points, m, notes.reasons)
    }

    #[test]
    fn premature_advice_costs_exactly_the_premature_penalty() {
        let mut advice = turn(Act::Advise, Layer::Surface, Layer::Surface);
        advice.advice = Some(AdviceKind::Premature);
        let (points, m, reasons) = listening(&transcript(vec![advice]));
        // Nothing else earns: no reflections, no questions.
        assert_eq!(points, 0);
        assert_eq!(m.premature_advice, 1);
        let turn_points: Vec<i32> = reasons
            .iter()
            .filter(|r| r.turn == Some(1))
            .map(|r| r.points)
            .collect();
        assert_eq!(turn_points, vec![PREMATURE_PENALTY]);
        assert_eq!(PREMATURE_PENALTY, -30);

        // Against a base of listening credit, the penalty shows in full.
        let listen = || turn(Act::Empathize, Layer::Surface, Layer::Surface);
        let base = listening(&transcript(vec![listen(), listen(), listen(), listen()])).0;
        let mut advice = turn(Act::Advise, Layer::Surface, Layer::Surface);
        advice.advice = Some(AdviceKind::Premature);
        let with = listening(&transcript(vec![
            listen(),
            listen(),
            listen(),
            listen(),
            advice,
        ]))
        .0;
        assert_eq!(base as i32 + PREMATURE_PENALTY, with as i32);
    }

    #[test]
    fn listening_credit_stops_at_the_maximum_and_at_the_first_advice() {
        let listen = || turn(Act::Acknowledge, Layer::Surface, Layer::Surface);
        let six = transcript((0..6).map(|_| listen()).collect());
        let (points, m, _) = listening(&six);
        assert_eq!(m.listening_before_advice, 6);
        assert_eq!(points as i32, LISTEN_CREDIT * LISTEN_CREDITS_MAX as i32);

        let mut advice = turn(Act::Advise, Layer::Unease, Layer::Unease);
        advice.advice = Some(AdviceKind::Unasked);
        let after = transcript(vec![listen(), advice, listen()]);
        let (points, m, _) = listening(&after);
        assert_eq!(m.listening_before_advice, 1);
        assert_eq!(points as i32, (LISTEN_CREDIT + UNASKED_PENALTY).max(0));
    }

    #[test]
    fn reflection_ratio_and_complex_share_tiers() {
        use Layer::Surface;
        let complex = || turn(Act::ComplexReflection, Surface, Surface);
        let simple = || turn(Act::SimpleReflection, Surface, Surface);
        let ask = || turn(open_question(Frame::Feeling, false), Surface, Surface);
        // Two reflections (one complex: 50%) per question: good ratio, good share.
        let (points, m, _) = listening(&transcript(vec![complex(), simple(), ask()]));
        assert_eq!(m.reflection_to_question, Some(2.0));
        assert_eq!(m.complex_share, Some(0.5));
        // The question is not a listening act: two listening credits.
        assert_eq!(
            points as i32,
            2 * LISTEN_CREDIT + RATIO_GOOD_POINTS + COMPLEX_GOOD_POINTS
        );
        // One simple reflection for two questions: low ratio, no complex share.
        let (points, _, _) = listening(&transcript(vec![simple(), ask(), ask()]));
        assert_eq!(points as i32, LISTEN_CREDIT + RATIO_LOW_POINTS);
        // One simple reflection for three questions: below every tier.
        let (points, _, _) = listening(&transcript(vec![simple(), ask(), ask(), ask()]));
        assert_eq!(points as i32, LISTEN_CREDIT);
    }

    #[test]
    fn self_disclosure_and_redirect_cost_their_penalties() {
        let listen = || turn(Act::Acknowledge, Layer::Surface, Layer::Surface);
        let base = listening(&transcript(vec![listen(), listen(), listen()])).0 as i32;
        let with = |act: Act| {
            listening(&transcript(vec![
                listen(),
                listen(),
                listen(),
                turn(act, Layer::Surface, Layer::Surface),
            ]))
            .0 as i32
        };
        assert_eq!(with(Act::SelfDisclose), base + SELF_DISCLOSE_PENALTY);
        assert_eq!(with(Act::RedirectToWork), base + REDIRECT_PENALTY);
    }
}
