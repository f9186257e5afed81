//! Scoring: a pure function of scenario + transcript.
//!
//! Four axes, each 0-100, from ../shared/SOURCE.md and MITI 4.2.1:
//! listening before advising (聴く→助言の順), question quality (問いの質),
//! tracing change (変化をたどる), and the outcome (the member's state and
//! how the 1on1 ended). Every point comes with a reason a trainee can read,
//! tied to the turn that earned or lost it. `scenarios/README.md` documents
//! every rule and number here.

use serde::{Deserialize, Serialize};

use crate::act::{Act, Focus, Frame};
use crate::play::member::AdviceKind;
use crate::scenario::{EndingKind, Layer, NextStep, Scenario, Weights};
use crate::play::session::Transcript;
use crate::text::Text;

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

// Listening axis.
const LISTEN_CREDIT: i32 = 10;
const LISTEN_CREDITS_MAX: u32 = 4;
const PREMATURE_PENALTY: i32 = -30;
const UNASKED_PENALTY: i32 = -10;
const SELF_DISCLOSE_PENALTY: i32 = -8;
const REDIRECT_PENALTY: i32 = -12;
// Question axis.
const QUESTION_CREDIT_CAP: i32 = 70;
const BLAMING_PENALTY: i32 = -25;
const LEADING_PENALTY: i32 = -15;
const CLOSED_STRING_PENALTY: i32 = -10;
const FOLLOW_UP_CREDIT: i32 = 5;
// Change axis.
const CHANGE_CREDITS: [i32; 3] = [35, 25, 10];
const FOLLOW_UP_CHANGE_CREDIT: i32 = 15;
const FOLLOW_UP_CHANGE_MAX: u32 = 3;
const PICK_UP_CREDIT: i32 = 10;
const PICK_UP_MAX: u32 = 2;
const REINFORCE_CREDIT: i32 = 10;
const TRACE_SUMMARY_CREDIT: i32 = 10;

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
    let listening = listening_axis(transcript, &mut notes, &mut metrics);
    let questions = question_axis(transcript, &mut notes, &mut metrics);
    let change = change_axis(transcript, &mut notes);
    let outcome = outcome_axis(scenario, transcript, &mut notes);
    let mut reasons = notes.reasons;
    let weights = scenario.weights();
    let total = weights.total();
    let sum = u64::from(listening) * u64::from(weights.listening)
        + u64::from(questions) * u64::from(weights.questions)
        + u64::from(change) * u64::from(weights.change)
        + u64::from(outcome) * u64::from(weights.outcome);
    // Rounded weighted mean; weights that add up to 0 score 0.
    let overall = (sum + total / 2).checked_div(total).unwrap_or(0) as u32;
    // Turn reasons first in turn order, session-level reasons last.
    reasons.sort_by_key(|r: &Reason| (r.turn.unwrap_or(usize::MAX), axis_order(r.axis)));
    Score {
        overall: overall.min(100),
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

fn clamp_score(points: i32) -> u32 {
    points.clamp(0, 100) as u32
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

fn listening_axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
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
        if act.family() == crate::act::Family::Listening && !advised {
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
    let ratio_points = match (r, q) {
        (0, _) => 0,
        (_, 0) => 30,
        _ if r >= 2 * q => 30,
        _ if r >= q => 20,
        _ if 2 * r >= q => 10,
        _ => 0,
    };
    points += ratio_points;
    let (ja, en) = match ratio_points {
        30 => (
            "聞き返しが質問の2倍以上(MITIの「良い」水準)。問い詰めず、受け止めながら進めた。",
            "Reflections outnumbered questions two to one or more (MITI's \"good\" level): you took in before asking more.",
        ),
        20 => (
            "聞き返しと質問がほぼ同数(MITIの「まずまず」水準)。質問の前にもう一度聞き返すと、さらに深まる。",
            "About one reflection per question (MITI's \"fair\" level). One more reflection before the next question deepens it.",
        ),
        10 => (
            "質問が聞き返しより多い。尋問のように感じさせないよう、相手の言葉を返してから問う。",
            "More questions than reflections: say back what you heard before asking again, so it does not feel like an interrogation.",
        ),
        _ => (
            "聞き返しがほとんどない。相手の言葉や気持ちを返すことが「聴いている」ことを伝える。",
            "Almost no reflections. Saying back their words and feelings is what shows you are listening.",
        ),
    };
    notes.add(None, axis, ratio_points, ja, en);
    if r > 0 {
        let share = f64::from(m.complex_reflections) / f64::from(r);
        m.complex_share = Some(share);
        let complex_points = if share >= 0.5 {
            30
        } else if share >= 0.4 {
            20
        } else if m.complex_reflections > 0 {
            10
        } else {
            0
        };
        points += complex_points;
        let (ja, en) = if complex_points >= 20 {
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

fn question_axis(t: &Transcript, notes: &mut Notes, m: &mut Metrics) -> u32 {
    let axis = Axis::Questions;
    let mut credit = 0;
    let mut penalty = 0;
    let mut closed_run = 0;
    let mut frames: Vec<Frame> = Vec::new();
    for (i, turn) in t.turns.iter().enumerate() {
        let n = Some(i + 1);
        let Some(q) = turn.act.question() else {
            if turn.act.family() != crate::act::Family::Question {
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
            if closed_run >= 3 {
                penalty += CLOSED_STRING_PENALTY;
                notes.add(n, axis, CLOSED_STRING_PENALTY, "閉じた質問が続いた。はい・いいえで答える問いが重なると、面談が確認作業になる。", "Another closed question in a row: a string of yes/no questions turns the 1on1 into a checklist.");
            } else {
                notes.add(n, axis, 0, "閉じた質問。事実の確認には役立つが、相手の考えは広がらない。", "A closed question: fine to check a fact, but it does not open up the member's thinking.");
            }
            continue;
        }
        let (base, ja, en) = match (q.focus, q.frame) {
            (Focus::Work, _) => (
                4,
                "仕事についての開いた質問。状況は分かるが、人に焦点が当たっていない。",
                "An open question about the work: you learn the situation, but the focus is not on the person.",
            ),
            (Focus::Person, Frame::Being) => (
                25,
                "「どのような姿でありたいか」を問う、ありたい姿の問い。相手が自分の軸を考え始める。",
                "A being question (\"what kind of person do you want to be?\"): the member starts to think about what matters to them.",
            ),
            (Focus::Person, Frame::Values) => (
                22,
                "価値観を問う質問(「どんなときにやりがいを感じた?」など)。判断の軸が言葉になる。",
                "A values question (\"when did you feel it was worth it?\"): it puts their criteria into words.",
            ),
            (Focus::Person, Frame::Feeling) => (
                15,
                "気持ちを問う開いた質問。まだ言葉になっていないものに触れる。",
                "An open question about feelings: it reaches what has no words yet.",
            ),
            (Focus::Person, Frame::Change) => (
                15,
                "以前と今の違いを問う質問。気づいていない変化に目が向く。",
                "A question about change between then and now: it shows change the member had not noticed.",
            ),
            (Focus::Person, Frame::Doing) => (
                8,
                "「どうしたい?」という問い。悪くはないが、答えを持たない相手には重い。「どうありたいか」の方が考えやすい。",
                "A \"what do you want to do?\" question. Not bad, but heavy for someone without an answer; \"how do you want to be?\" is easier to think about.",
            ),
            (Focus::Person, Frame::Fact) => (
                8,
                "本人の経験についての開いた質問。話のきっかけになる。",
                "An open question about their experience: a good way in.",
            ),
        };
        let repeats = frames.iter().filter(|f| **f == q.frame).count();
        frames.push(q.frame);
        // Anti-gaming: the third question of the same frame earns half.
        let mut earned = if repeats >= 2 { base / 2 } else { base };
        if q.follow_up {
            earned += FOLLOW_UP_CREDIT;
        }
        credit += earned;
        notes.add_text(n, axis, earned, || {
            let (mut ja, mut en) = (ja.to_string(), en.to_string());
            if repeats >= 2 {
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
        notes.add(
            None,
            axis,
            capped - credit,
            "問いの加点は上限(70点)まで。数より一つひとつの問いの深さが大切。",
            "Question credit is capped at 70: depth matters more than number.",
        );
    }
    let open_share = f64::from(m.open_questions) / f64::from(m.questions);
    m.open_share = Some(open_share);
    let open_points = if open_share >= 0.7 {
        20
    } else if open_share >= 0.5 {
        10
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
    let person_points = if f64::from(m.person_questions) / f64::from(m.questions) >= 0.6 {
        notes.add(
            None,
            axis,
            10,
            "仕事より人に焦点を当てた問いが中心だった。",
            "Your questions were mostly about the person, not the work.",
        );
        10
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

fn change_axis(t: &Transcript, notes: &mut Notes) -> u32 {
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

fn outcome_axis(s: &Scenario, t: &Transcript, notes: &mut Notes) -> u32 {
    let axis = Axis::Outcome;
    let end = t.final_stats();
    // Weighted state at the end: trust 30%, openness 20%, clarity 20%.
    let state = (end.trust * 30 + end.openness * 20 + end.clarity * 20 + 50) / 100;
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
    match t.voiced() {
        Layer::Unease | Layer::Value => {}
        _ => notes.add(
            None,
            axis,
            0,
            "本当のもやもやは最後まで言葉にならなかった。",
            "The real unease never found words.",
        ),
    }
    let ending = t.ending.as_ref().and_then(|id| s.endings.get(id));
    match ending {
        Some(e) => {
            let (kind_points, ja, en) = match e.kind {
                EndingKind::OpenedUp => (20, "相手が心を開いて終わった。", "The member opened up."),
                EndingKind::Polite => (
                    8,
                    "礼儀正しく終わったが、本音は出なかった。",
                    "It ended politely, but nothing real was said.",
                ),
                EndingKind::ShutDown => {
                    (0, "相手は心を閉ざして終わった。", "The member shut down.")
                }
            };
            points += kind_points;
            notes.add(None, axis, kind_points, ja, en);
            let (step_points, ja, en) = match e.next_step {
                NextStep::Member => (
                    10,
                    "次の一歩を本人が自分で決めた。",
                    "The member chose the next step themselves.",
                ),
                NextStep::Manager => (
                    0,
                    "次の一歩を上司が決めてしまった。本人が選ぶ余地を残す。",
                    "You chose the next step for them; leave the choice to the member.",
                ),
                NextStep::Nobody => (0, "次の一歩は決まらなかった。", "No next step was set."),
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
    use crate::act::{Focus, Question};
    use crate::scenario::Stats;
    use crate::play::session::Turn;

    fn turn(act: Act, voiced_before: Layer, voiced_after: Layer) -> Turn {
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
        }
    }

    fn question(frame: Frame, follow_up: bool) -> Act {
        Act::Question(Question {
            open: true,
            focus: Focus::Person,
            frame,
            leading: false,
            blaming: false,
            follow_up,
        })
    }

    fn change_points(turns: Vec<Turn>) -> u32 {
        let transcript = Transcript {
            scenario: "t".into(),
            seed: 1,
            initial: Stats::default(),
            opening: crate::play::session::Spoken {
                node: "n".into(),
                variant: 0,
            },
            turns,
            ending: None,
        };
        change_axis(
            &transcript,
            &mut Notes {
                explain: false,
                reasons: Vec::new(),
            },
        )
    }

    #[test]
    fn empathy_takes_in_what_was_just_voiced() {
        use Layer::{Surface, Unease};
        let voiced = turn(Act::Acknowledge, Surface, Unease);
        assert_eq!(
            change_points(vec![voiced.clone(), turn(Act::Empathize, Unease, Unease)]),
            10
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
        let elicit = turn(question(Frame::Change, false), Unease, Unease);
        let amplify = turn(question(Frame::Feeling, true), Unease, Unease);
        let affirm = turn(Act::Affirm, Unease, Unease);
        // 35 (change question) + 15 (follow-up) + 10 (reinforce).
        assert_eq!(
            change_points(vec![elicit, amplify.clone(), affirm.clone()]),
            60
        );
        // A follow-up before any change came up is not amplifying a change.
        assert_eq!(change_points(vec![amplify, affirm]), 15);
    }
}
