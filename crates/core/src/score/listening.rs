//! The listening axis (まず聴く: 聴く→助言の順): listening throughout the
//! 1on1, and no advice before the member has been heard.
//!
//! Three parts, judged over the whole conversation: how fully each
//! disclosure was taken in (against the best move the menu offered), the
//! reflection-to-question ratio and the share of complex reflections
//! (MITI 4.2.1's summary measures); then every move that takes the
//! conversation from the member costs by its kind and moment, and a genuine
//! repair right after a misstep gives part of it back.

use super::rules::*;
use super::{Axis, Metrics, Notes, clamp_score};
use crate::act::{Act, Family};
use crate::play::member::AdviceKind;
use crate::play::session::{Transcript, Turn};
use crate::scenario::Layer;
use crate::text::Text;

/// Whether the member disclosed something just before `turns[i]`: the
/// opening said something, or the previous reply voiced a deeper layer.
pub(super) fn after_disclosure(turns: &[Turn], i: usize) -> bool {
    match i.checked_sub(1) {
        None => turns[i].voiced_before > Layer::Nothing,
        Some(p) => turns[p].voiced_after > turns[p].voiced_before,
    }
}

/// The cost of a move that takes the conversation from the member, with
/// the reason (principle named), or `None` for any other move.
fn cost(turn: &Turn) -> Option<(i32, &'static str, &'static str)> {
    let act = &turn.act;
    // Quoting words the member never said tells her last time was not
    // listened to, whatever act carried the quote.
    if turn.recall.as_ref().is_some_and(|r| r.misremembered) {
        return Some((
            MISREMEMBER_LISTENING,
            "前回、相手が言っていないことを「言っていた」と引用した。覚え違いは「前回ちゃんと聴いていなかった」と伝わる。",
            "You quoted words the member never said last time: misremembering tells her she was not really heard then.",
        ));
    }
    Some(match (act, turn.advice) {
        (_, Some(AdviceKind::Solicited | AdviceKind::Permitted)) => return None,
        (Act::Advise, Some(AdviceKind::Premature)) => (
            PREMATURE_ADVISE,
            "相手がまだもやもやを言葉にしていないうちに助言した。まず聴く前の助言は「聴いてもらえていない」と感じさせる。",
            "You advised before the member had put their unease into words. Advice before listening tells them they have not been heard.",
        ),
        (Act::Reassure, Some(AdviceKind::Premature)) => (
            PREMATURE_REASSURE,
            "もやもやが言葉になる前の「大丈夫」。早すぎる励ましは、話す理由を消してしまう。",
            "\"It'll be fine\" before the unease was voiced: early reassurance takes away the reason to say more.",
        ),
        (Act::Judge, Some(AdviceKind::Premature)) => (
            PREMATURE_JUDGE,
            "もやもやが言葉になる前に評価・説教した。相手は守りに入り、本音は出てこなくなる。",
            "You judged or lectured before the unease was voiced: the member gets defensive and the real concern stays hidden.",
        ),
        (Act::Instruct, Some(AdviceKind::Premature)) => (
            PREMATURE_INSTRUCT,
            "話を聴く前に、やることを指示した。1on1が相手の場ではなくなる。",
            "You told them what to do before listening: the 1on1 stopped being theirs.",
        ),
        (Act::Advise, _) => (
            UNASKED_ADVISE,
            "もやもやは言葉になっていたが、求められていない助言だった。「私の考えを話してもいい?」と許可を取るか、本人の考えを先に聴く。",
            "The unease was out, but nobody asked for this advice. Ask permission first (\"May I share a thought?\") or hear their own idea first.",
        ),
        (Act::Reassure, _) => (
            UNASKED_REASSURE,
            "もやもやが言葉になった後の「大丈夫」。気持ちに付き合う代わりに、心配を打ち消してしまう。",
            "Reassurance after the unease was voiced: it waves the worry away instead of staying with it.",
        ),
        (Act::Judge, _) => (
            UNASKED_JUDGE,
            "相手の気持ちを評価・説教した。許可を取っても、評価は相手の話を止める。",
            "You judged or lectured: with or without permission, a verdict stops the member's own thinking.",
        ),
        (Act::Instruct, _) => (
            UNASKED_INSTRUCT,
            "相手の代わりに決めた。本人が選ぶはずの一歩を上司が取り上げると、自律は育たない。許可を取っても同じ。",
            "You decided for the member. Taking over the step that was theirs to choose stunts their autonomy, permission or not.",
        ),
        (Act::RedirectToWork, _) => (
            REDIRECT_PENALTY,
            "業務の話に戻した。1on1は進捗報告の場ではなく、人に焦点を当てる場。",
            "You steered back to work progress. A 1on1 is about the person, not a status report.",
        ),
        (Act::SelfDisclose, _) => (
            SELF_DISCLOSE_PENALTY,
            "自分の話をした。会話の主役が上司に移り、相手の話が止まる。",
            "You talked about yourself: the conversation became about you and the member's story stopped.",
        ),
        (Act::Question(q), _) if q.leading || q.blaming => (
            STEERING_LISTENING_PENALTY,
            "答えを誘導する・責める問いは、聴く姿勢から外れる。",
            "A leading or blaming question steers instead of listening.",
        ),
        _ => return None,
    })
}

/// Scores listening throughout, 0-100, and fills in the MITI counts of `m`.
pub(super) fn axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
    let axis = Axis::Listening;
    let mut penalties = 0;
    let mut advised = false;
    let mut last_cost: Option<i32> = None;
    let (mut uptake_sum, mut disclosures) = (0i64, 0i64);
    // Each disclosure's share of the uptake part, so a turn that took one
    // in less fully shows what it cost.
    let all_disclosures = (0..t.turns.len())
        .filter(|&i| after_disclosure(&t.turns, i))
        .count()
        .max(1) as i32;
    let mut turn_losses = 0;
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
        if turn.advice == Some(AdviceKind::Premature) {
            m.premature_advice += 1;
        }
        if matches!(
            turn.advice,
            Some(AdviceKind::Premature | AdviceKind::Unasked)
        ) {
            advised = true;
        }
        if act.family() == Family::Listening && !advised {
            m.listening_before_advice += 1;
        }
        // Taking in a disclosure, against the best move on offer. A misstep
        // owned at once (a repair next turn) leaves the disclosure to the
        // move after the repair: that is where it is taken in, or not.
        let this_cost = cost(turn);
        let disclosed = after_disclosure(&t.turns, i);
        let repair_next = t.turns.get(i + 1).is_some_and(|r| r.act == Act::Repair);
        if disclosed {
            let judged = if repair_next && this_cost.is_some() {
                t.turns.get(i + 2).unwrap_or(turn)
            } else {
                turn
            };
            let taken = taken_in(judged);
            disclosures += 1;
            uptake_sum += i64::from(taken);
            let lost = -((100 - taken) * UPTAKE_SHARE / (100 * all_disclosures));
            turn_losses += lost;
            if taken >= 100 {
                notes.add(n, axis, 0, "相手が言葉にしたことを、その場でいちばん深く受け止めた。", "The member had just disclosed something, and you took it in as fully as the moment allowed.");
            } else {
                notes.add_text(n, axis, lost, || {
                    Text::new(
                        format!("相手が言葉にした直後。もっと深く受け止める応答(聞き返し・共感)が選べた(受け止め {taken}%)。"),
                        format!("The member had just disclosed something; a reply that took it in more fully (a reflection or empathy) was on offer (taken in {taken}%)."),
                    )
                });
            }
        }
        match (act, this_cost) {
            (Act::Repair, _) => match last_cost {
                Some(lost) => {
                    let back = -lost * REPAIR_RETURNS_PERCENT / 100;
                    penalties += back;
                    notes.add(n, axis, back, "直前の自分の先走りを認め、続きを促した(修復)。関係の傷はすぐ手当てすると、むしろ信頼が深まることもある。", "You owned your misstep right after it and invited them to go on: a prompt repair can leave the relationship stronger.");
                }
                None => notes.add(n, axis, 0, "謝ったが、直前に修復すべき失敗はなかった。理由のない謝罪は相手を戸惑わせる。", "You apologised, but there was no misstep just before to repair; an apology for nothing puzzles the member."),
            },
            (_, Some((points, ja, en))) => {
                penalties += points;
                notes.add(n, axis, points, ja, en);
                // At the moment the member has just opened up, the same
                // misstep lands harder: owning it next turn hands the
                // disclosure on (see above) but cannot undo that it was
                // said then. (Unrepaired, the missed disclosure costs.)
                if disclosed && i > 0 && repair_next {
                    penalties += AT_DISCLOSURE_PENALTY;
                    notes.add(n, axis, AT_DISCLOSURE_PENALTY, "相手がちょうど心を開いた瞬間の一手だった。いちばん聴いてほしいときに話を引き取られると、傷は深い。", "It came just as the member had opened up: being cut off at the moment they most needed to be heard cuts deepest.");
                }
            }
            _ => {}
        }
        last_cost = this_cost.map(|(points, _, _)| points);
    }
    // Part 1: every disclosure taken in.
    let uptake = if disclosures > 0 {
        (uptake_sum / disclosures) as i32
    } else {
        0
    };
    let uptake_points = uptake * UPTAKE_SHARE / 100;
    // The turns above carry what each disclosure lost; this carries the rest.
    notes.add_text(None, axis, uptake_points - turn_losses, || {
        Text::new(
            format!("打ち明けられたことを受け止める(最大 {UPTAKE_SHARE} 点)。受け止めきれなかった分は、その回で引かれる(平均 {uptake}%、{disclosures} 回)。"),
            format!("Taking in what the member disclosed (up to {UPTAKE_SHARE}); a disclosure taken in less fully loses its share on its own turn ({uptake}% on average over {disclosures})."),
        )
    });
    // Part 2: MITI's reflection-to-question ratio, over the whole 1on1.
    let (r, q) = (m.reflections, m.questions);
    m.reflection_to_question = (q > 0).then(|| f64::from(r) / f64::from(q));
    let ratio_percent = ratio_percent(r, q);
    let ratio_points = ratio_percent * RATIO_SHARE / 100;
    notes.add_text(None, axis, ratio_points, || {
        let (ja, en) = if r == 0 {
            ("聞き返しがなかった。相手の言葉や気持ちを返すことが「聴いている」ことを伝える。".to_string(), "No reflections: saying back their words and feelings is what shows you are listening.".to_string())
        } else {
            (
                format!("聞き返し {r} 回: 質問 {q} 回(カウンセリング研究の評価基準MITIの目安: 1:1 でまずまず、2:1 で良い)。"),
                format!("{r} reflections to {q} questions (MITI, the research code for counselling conversations: 1:1 fair, 2:1 good)."),
            )
        };
        Text::new(ja, en)
    });
    // Part 3: MITI's share of complex reflections.
    let share = (r > 0).then(|| f64::from(m.complex_reflections) / f64::from(r));
    m.complex_share = share;
    let complex_percent = share.map_or(0, complex_percent);
    let complex_points = complex_percent * COMPLEX_SHARE / 100;
    notes.add_text(None, axis, complex_points, || {
        let pct = (share.unwrap_or(0.0) * 100.0).round() as i32;
        Text::new(
            format!("複雑な聞き返し(言葉の奥の意味や気持ちを返す)が聞き返しの {pct}%(MITIの目安: 40% でまずまず、50% で良い)。"),
            format!("Complex reflections (the meaning or feeling behind the words) were {pct}% of reflections (MITI: 40% fair, 50% good)."),
        )
    });
    // How far listening let the member go: the parts above count in full
    // only when the member reached the value under the unease.
    let raw = uptake_points + ratio_points + complex_points;
    let depth = depth_percent(t.voiced());
    let short = raw * depth / 100 - raw;
    if short < 0 {
        notes.add_text(None, axis, short, || {
            let layer = t.voiced().label();
            Text::new(
                format!("相手が言葉にできたのは「{}」まで。聴くことで、もやもやとその奥の価値観まで言葉にしてもらう(聴けた分の {depth}%)。", layer.ja),
                format!("The member got only as far as {}. Listening is what lets the unease, and the value under it, find words ({depth}% of what you earned).", layer.en),
            )
        });
    }
    clamp_score(raw + short + penalties)
}

/// The share of the listening parts that counts, by the deepest layer the
/// member voiced.
pub fn depth_percent(voiced: Layer) -> i32 {
    match voiced {
        Layer::Value => DEPTH_VALUE_PERCENT,
        Layer::Unease => DEPTH_UNEASE_PERCENT,
        Layer::Surface => DEPTH_SURFACE_PERCENT,
        Layer::Nothing => DEPTH_NOTHING_PERCENT,
    }
}

/// How fully a turn takes in what was just disclosed, in percent of the
/// best move on offer.
fn taken_in(turn: &Turn) -> i32 {
    let chosen = uptake_percent(turn.act.class());
    let best = turn
        .offered
        .iter()
        .map(uptake_percent)
        .max()
        .unwrap_or(chosen)
        .max(chosen)
        .max(1);
    chosen * 100 / best
}

/// Percent of the ratio share: [`RATIO_AT_ZERO`] at no reflections, growing
/// in a straight line to 100 at [`RATIO_GOOD`]; reflections with no
/// question earn it all, no reflection nothing.
pub fn ratio_percent(reflections: u32, questions: u32) -> i32 {
    if reflections == 0 {
        return 0;
    }
    if ratio_at_least(reflections, questions, RATIO_GOOD) {
        return 100;
    }
    // r/q of the way to RATIO_GOOD, in integer arithmetic.
    let (good_r, good_q) = (i64::from(RATIO_GOOD.0), i64::from(RATIO_GOOD.1));
    let num = i64::from(reflections) * good_q * i64::from(100 - RATIO_AT_ZERO);
    let den = i64::from(questions) * good_r;
    RATIO_AT_ZERO + (num / den.max(1)) as i32
}

/// Percent of the complex share: [`COMPLEX_AT_ZERO`] at none, growing in a
/// straight line to 100 at [`COMPLEX_GOOD_SHARE`].
pub fn complex_percent(share: f64) -> i32 {
    let reached = (share / COMPLEX_GOOD_SHARE).min(1.0);
    COMPLEX_AT_ZERO + (reached * f64::from(100 - COMPLEX_AT_ZERO)).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::{Frame, MoveClass, Offered};
    use crate::play::member::AdviceKind;
    use crate::scenario::Layer;
    use crate::score::test_support::{explained, open_question, transcript, turn};

    fn listening(turns: Vec<Turn>) -> (u32, Metrics) {
        let mut notes = explained();
        let mut m = Metrics::default();
        let points = axis(&transcript(turns), &mut notes, &mut m);
        (points, m)
    }

    fn offering(mut turn: Turn, classes: &[MoveClass]) -> Turn {
        let mut offered = Offered::default();
        for c in classes {
            offered.insert(*c);
        }
        turn.offered = offered;
        turn
    }

    fn advice(act: Act, kind: AdviceKind) -> Turn {
        let mut t = turn(act, Layer::Value, Layer::Value);
        t.advice = Some(kind);
        t
    }

    /// A reflection once the member has voiced everything (so the depth of
    /// what was voiced does not scale the comparisons).
    fn reflect() -> Turn {
        turn(Act::ComplexReflection, Layer::Value, Layer::Value)
    }

    #[test]
    fn every_misstep_costs_and_nothing_else_does() {
        // `cost` (the points) and `Turn::is_misstep` (the member's and the
        // other axes' notion) must name the same moves.
        let kinds = [
            None,
            Some(AdviceKind::Solicited),
            Some(AdviceKind::Permitted),
            Some(AdviceKind::Unasked),
            Some(AdviceKind::Premature),
        ];
        let mut acts = Act::kinds();
        acts.push(Act::Question(crate::act::Question {
            open: true,
            focus: crate::act::Focus::Person,
            frame: Frame::Doing,
            leading: true,
            blaming: false,
            follow_up: false,
        }));
        for act in acts {
            for kind in kinds {
                // Only advice-like acts are classified by the moment, and
                // only advice can be asked for or permitted
                // (`play::member::advice_kind`).
                let asked = matches!(kind, Some(AdviceKind::Solicited | AdviceKind::Permitted));
                if act.is_advice_like() != kind.is_some() || (asked && act != Act::Advise) {
                    continue;
                }
                let mut t = turn(act.clone(), Layer::Value, Layer::Value);
                t.advice = kind;
                assert_eq!(cost(&t).is_some(), t.is_misstep(), "{act:?} {kind:?}");
            }
        }
    }

    #[test]
    fn each_directing_move_costs_by_its_kind_and_moment() {
        let base = listening(vec![reflect(), reflect()]).0 as i32;
        let with = |t: Turn| listening(vec![reflect(), reflect(), t]).0 as i32 - base;
        assert_eq!(
            with(advice(Act::Advise, AdviceKind::Premature)),
            PREMATURE_ADVISE
        );
        assert_eq!(
            with(advice(Act::Advise, AdviceKind::Unasked)),
            UNASKED_ADVISE
        );
        assert_eq!(
            with(advice(Act::Instruct, AdviceKind::Unasked)),
            UNASKED_INSTRUCT
        );
        assert_eq!(with(advice(Act::Judge, AdviceKind::Unasked)), UNASKED_JUDGE);
        assert_eq!(with(advice(Act::Advise, AdviceKind::Solicited)), 0);
        // Deciding for the member costs more than an unasked idea.
        const { assert!(UNASKED_INSTRUCT < UNASKED_ADVISE && PREMATURE_JUDGE < UNASKED_JUDGE) };
    }

    #[test]
    fn a_repair_right_after_a_misstep_gives_half_back_and_only_then() {
        let slip = || {
            let mut t = turn(Act::Reassure, Layer::Value, Layer::Value);
            t.advice = Some(AdviceKind::Premature);
            t
        };
        let repair = || turn(Act::Repair, Layer::Value, Layer::Value);
        let slipped = listening(vec![reflect(), slip(), reflect()]).0 as i32;
        let repaired = listening(vec![reflect(), slip(), repair(), reflect()]).0 as i32;
        // The repair gives back half the cost; its own place in the ratio
        // is neutral (it is neither a reflection nor a question).
        assert_eq!(
            repaired - slipped,
            -PREMATURE_REASSURE * REPAIR_RETURNS_PERCENT / 100
        );
        // An apology with nothing to repair gives nothing back.
        let plain = listening(vec![reflect(), reflect()]).0;
        assert_eq!(listening(vec![reflect(), repair(), reflect()]).0, plain);
    }

    #[test]
    fn a_disclosure_is_judged_against_the_best_move_on_offer() {
        let disclosed = || turn(Act::ComplexReflection, Layer::Surface, Layer::Unease);
        let ask = || {
            turn(
                open_question(Frame::Feeling, false),
                Layer::Unease,
                Layer::Unease,
            )
        };
        // A reflection was on offer and the trainee asked instead.
        let missed = listening(vec![
            disclosed(),
            offering(
                ask(),
                &[MoveClass::FeelingQuestion, MoveClass::ComplexReflection],
            ),
        ])
        .0;
        // Only questions were on offer: asking took it in as fully as possible.
        let only = listening(vec![
            disclosed(),
            offering(ask(), &[MoveClass::FeelingQuestion]),
        ])
        .0;
        assert!(missed < only, "{missed} < {only}");
    }

    #[test]
    fn ratio_and_complex_share_follow_miti() {
        assert_eq!(ratio_percent(0, 3), 0);
        assert_eq!(ratio_percent(4, 2), 100);
        assert_eq!(ratio_percent(3, 0), 100);
        assert_eq!(
            ratio_percent(1, 1),
            RATIO_AT_ZERO + (100 - RATIO_AT_ZERO) / 2
        );
        assert_eq!(complex_percent(0.0), COMPLEX_AT_ZERO);
        assert_eq!(complex_percent(0.5), 100);
        assert_eq!(complex_percent(0.9), 100);
        let (_, m) = listening(vec![
            reflect(),
            turn(Act::SimpleReflection, Layer::Surface, Layer::Surface),
        ]);
        assert_eq!(m.complex_share, Some(0.5));
        assert_eq!(m.reflections, 2);
    }
}
