//! Every number and threshold of scoring, named and documented in one place.
//!
//! The axis files (`listening.rs`, `questions.rs`, `change.rs`,
//! `outcome.rs`) read their points from here, the default weights come from
//! here, and the simulated member decides what counts as *premature* advice
//! with [`UNEASE_VOICED_AT`]. `scenarios/README.md` ("How a 1on1 is scored")
//! states the same numbers; a test below keeps the two in step.

use crate::act::MoveClass;
use crate::scenario::{Layer, Weights};

// ---------------------------------------------------------------------------
// Range and weights
// ---------------------------------------------------------------------------

/// The highest score of every axis and of the overall (the lowest is 0).
pub const AXIS_MAX: i32 = 100;

/// The overall of a path with every axis at 100: the experts' top. In the
/// calibration set (`tests/judged`) the judges gave at most 96, to the
/// conversations they could not fault; the overall is on their scale.
pub const OVERALL_TOP: i32 = 96;

/// The first move that takes the conversation from the member (a cost on
/// the listening axis), repaired or not, also costs the overall this much:
/// a conversation with a misstep is not one nobody could fault.
pub const MISSTEP_OVERALL_PENALTY: i32 = -3;

/// Default weight of the listening axis in the overall score.
pub const DEFAULT_WEIGHT_LISTENING: u32 = 35;
/// Default weight of the question axis in the overall score.
pub const DEFAULT_WEIGHT_QUESTIONS: u32 = 30;
/// Default weight of the change axis in the overall score.
pub const DEFAULT_WEIGHT_CHANGE: u32 = 15;
/// Default weight of the outcome axis in the overall score.
pub const DEFAULT_WEIGHT_OUTCOME: u32 = 20;

// ---------------------------------------------------------------------------
// Listen first (聴く→助言の順)
// ---------------------------------------------------------------------------

/// The layer from which the unease counts as voiced: advice-like acts
/// before the member has voiced this layer are *premature*, after it
/// *unasked* (unless solicited or permitted).
pub const UNEASE_VOICED_AT: Layer = Layer::Unease;

/// Share of the listening axis (percent) earned by taking in each disclosure.
pub const UPTAKE_SHARE: i32 = 50;
/// Share of the listening axis (percent) earned by the reflection-to-question ratio.
pub const RATIO_SHARE: i32 = 25;
/// Share of the listening axis (percent) earned by the share of complex reflections.
pub const COMPLEX_SHARE: i32 = 25;

/// How fully a move takes in what the member has just disclosed, in
/// percent: saying back the meaning behind it takes it in fully, a nod
/// half, advice not at all. A disclosure is taken in as fully as the menu
/// allowed when the move is as good as the best one on offer.
pub fn uptake_percent(class: MoveClass) -> i32 {
    use MoveClass::*;
    match class {
        ComplexReflection | Summarize => 100,
        Empathize => 90,
        SimpleReflection => 80,
        Silence => 60,
        Acknowledge | Affirm | Repair | EmphasizeAutonomy | SeekCollaboration => 50,
        BeingQuestion | ValuesQuestion | ChangeQuestion | FeelingQuestion => 40,
        FactQuestion | DoingQuestion | WorkQuestion | ClosedQuestion | AskPermission | Inform => 20,
        SteeringQuestion | Advise | Instruct | Reassure | SelfDisclose | Judge | RedirectToWork => {
            0
        }
    }
}

/// Reflections : questions at which the ratio earns its full share (MITI's "good").
pub const RATIO_GOOD: (u32, u32) = (2, 1);
/// Percent of the ratio share earned at 0 reflections per question; it
/// grows in a straight line to 100 at [`RATIO_GOOD`].
pub const RATIO_AT_ZERO: i32 = 30;

/// Share of complex reflections at which it earns its full share (MITI's "good").
pub const COMPLEX_GOOD_SHARE: f64 = 0.5;
/// Percent of the complex share earned with no complex reflection.
pub const COMPLEX_AT_ZERO: i32 = 40;

/// Premature (the unease not yet voiced) advice.
pub const PREMATURE_ADVISE: i32 = -20;
/// Premature reassurance.
pub const PREMATURE_REASSURE: i32 = -15;
/// Premature judging or lecturing.
pub const PREMATURE_JUDGE: i32 = -30;
/// Premature instruction.
pub const PREMATURE_INSTRUCT: i32 = -30;
/// Advice nobody asked for, after the unease was voiced.
pub const UNASKED_ADVISE: i32 = -15;
/// Reassurance after the unease was voiced.
pub const UNASKED_REASSURE: i32 = -10;
/// Judging or lecturing after the unease was voiced.
pub const UNASKED_JUDGE: i32 = -20;
/// Deciding for the member (instructing) after the unease was voiced.
pub const UNASKED_INSTRUCT: i32 = -25;
/// Quoting words from the earlier 1on1 that the member never said
/// (`misremembers: true`): a misstep, which a repair next turn can mend.
pub const MISREMEMBER_LISTENING: i32 = -10;
/// Extra cost of such a move right after the member disclosed something
/// new (after the opening), when it is repaired next turn: the repair
/// gives the disclosure a second chance but does not give this back.
pub const AT_DISCLOSURE_PENALTY: i32 = -8;
/// Steering back to work progress, at any time.
pub const REDIRECT_PENALTY: i32 = -15;
/// Talking about yourself, at any time.
pub const SELF_DISCLOSE_PENALTY: i32 = -12;
/// A leading or blaming question (listening side; it costs on the question axis too).
pub const STEERING_LISTENING_PENALTY: i32 = -8;
/// A genuine repair (right after a misstep) gives back this percent of the
/// misstep's cost.
pub const REPAIR_RETURNS_PERCENT: i32 = 30;
/// The share (percent) of the listening parts that counts when the member
/// voiced the value under the unease ...
pub const DEPTH_VALUE_PERCENT: i32 = 100;
/// ... only the unease ...
pub const DEPTH_UNEASE_PERCENT: i32 = 75;
/// ... only the surface complaint ...
pub const DEPTH_SURFACE_PERCENT: i32 = 45;
/// ... or nothing.
pub const DEPTH_NOTHING_PERCENT: i32 = 30;

// ---------------------------------------------------------------------------
// Question quality (問いの質)
// ---------------------------------------------------------------------------

/// What a question is worth, in percent: who the member wants to be and
/// what matters to them are the deepest; "what do you want to do?", work
/// and closed questions the shallowest. `None` for a move that is no question.
pub fn question_percent(class: MoveClass) -> Option<i32> {
    use MoveClass::*;
    Some(match class {
        BeingQuestion | ValuesQuestion => 100,
        ChangeQuestion => 95,
        FeelingQuestion => 88,
        FactQuestion => 78,
        DoingQuestion => 72,
        WorkQuestion => 55,
        ClosedQuestion => 45,
        SteeringQuestion => 10,
        _ => return None,
    })
}

/// Extra percent for an open question that builds on the member's words
/// (`follow_up`), up to 100.
pub const FOLLOW_UP_BONUS: i32 = 5;
/// Deep questions cover who the member wants to be (`Being`), what matters
/// to them (`Values`) and what has changed (`Change`): each of the three
/// not asked at all costs this much.
pub const DEEP_FRAME_MISSING_PENALTY: i32 = -3;
/// The being question is the column's own example of a question that
/// deepens (「どのような姿でありたいか」 rather than 「どうしたい?」): not asking it
/// costs this instead.
pub const BEING_MISSING_PENALTY: i32 = -8;
/// A question worth less than this ...
pub const SHALLOW_BELOW: i32 = 70;
/// ... asked right after the member disclosed something, instead of
/// taking it in: badly timed.
pub const SHALLOW_AT_DISCLOSURE_PENALTY: i32 = -4;
/// A question worth this many percent less than the best question on offer
/// at that turn is a missed chance ...
pub const MISSED_QUESTION_GAP: i32 = 20;
/// ... which costs this.
pub const MISSED_QUESTION_PENALTY: i32 = -3;
/// A leading question.
pub const LEADING_PENALTY: i32 = -10;
/// A blaming question.
pub const BLAMING_PENALTY: i32 = -20;
/// The question axis when no question was asked at all.
pub const NO_QUESTIONS_SCORE: i32 = 0;

// ---------------------------------------------------------------------------
// Trace change (変化をたどる)
// ---------------------------------------------------------------------------

/// Eliciting change the first time: an open change question, or a
/// reflection, summary or affirmation that traces then and now.
pub const ELICIT_CREDIT: i32 = 72;
/// Eliciting change whose answer the manager's next move takes over
/// (advice, a verdict, a decision) earns this percent of [`ELICIT_CREDIT`].
pub const CUT_SHORT_PERCENT: i32 = 33;
/// Tracing change again, later in the 1on1, once.
pub const SECOND_ELICIT_CREDIT: i32 = 5;
/// Amplifying: taking in the member's answer about change within
/// [`AMPLIFY_WITHIN`] turns (a reflection, summary, empathy or follow-up
/// question), once.
pub const AMPLIFY_CREDIT: i32 = 13;
/// How many turns after eliciting change amplifying it still counts.
pub const AMPLIFY_WITHIN: usize = 2;
/// Reinforcing: summarising the change, or reflecting it back in the
/// member's own words, afterwards, once.
pub const REINFORCE_CREDIT: i32 = 10;
/// Affirming the member's growth for them after change came up ("you've
/// come a long way") names what they were to notice themselves: instead of
/// the reinforce credit it costs this (once).
pub const NAMED_FOR_THEM_PENALTY: i32 = -5;

/// A recall (the trainee quotes the member's words from the earlier 1on1 of
/// a series, `recalls`) that the member takes up: the reply voices a motif
/// or reveals a deeper layer. Once per 1on1, on top of the steps above (the
/// axis still stops at 100).
pub const RECALL_TAKEN_UP_CREDIT: i32 = 10;

/// Recalling what the member never said (`misremembers: true`) costs this
/// much trust at once (the member's state).
pub const MISREMEMBER_TRUST_COST: i32 = -15;

// ---------------------------------------------------------------------------
// Outcome (対話の結果)
// ---------------------------------------------------------------------------

/// Percent of the final trust that counts towards the outcome.
pub const STATE_TRUST_PERCENT: i32 = 8;
/// Percent of the final openness that counts towards the outcome.
pub const STATE_OPENNESS_PERCENT: i32 = 6;
/// Percent of the final clarity that counts towards the outcome.
pub const STATE_CLARITY_PERCENT: i32 = 6;
/// The most the final state can add (every stat at 100).
pub const STATE_MAX: i32 = STATE_TRUST_PERCENT + STATE_OPENNESS_PERCENT + STATE_CLARITY_PERCENT;
/// The member opened up.
pub const OPENED_UP_POINTS: i32 = 60;
/// A polite ending.
pub const POLITE_POINTS: i32 = 5;
/// The member shut down.
pub const SHUT_DOWN_POINTS: i32 = 0;
/// The member chose the next step (`next_step: Member`).
pub const MEMBER_NEXT_STEP_POINTS: i32 = 20;
/// The member chose the next step, but after the manager offered an idea
/// with permission or gave information (`Inform`): the step is partly the
/// manager's. (Advice the member asked for and got handed back is not.)
pub const IDEA_OFFERED_PENALTY: i32 = -8;
/// The manager chose the next step (`next_step: Manager`): compliance.
pub const MANAGER_NEXT_STEP_POINTS: i32 = -10;
/// No next step (`next_step: Nobody`).
pub const NO_NEXT_STEP_POINTS: i32 = 0;
/// The unease never found words.
pub const UNEASE_UNSAID_PENALTY: i32 = -5;

// ---------------------------------------------------------------------------
// How it ends caps the overall
// ---------------------------------------------------------------------------

/// Deciding for the member at the end undoes much of what came before: the
/// overall keeps this percent when the manager chose the next step.
pub const DECIDED_KEEPS_PERCENT: i32 = 70;
/// The most a 1on1 can score overall when the member shut down.
pub const CAP_SHUT_DOWN: i32 = 35;
/// The most a 1on1 can score overall when it ended politely closed.
pub const CAP_POLITE: i32 = 75;

// Checked when the crate builds: the shares of each axis add up to 100, the
// best outcome fits the axis, and the default weights add up to 100.
const _: () = assert!(UPTAKE_SHARE + RATIO_SHARE + COMPLEX_SHARE == 100);
const _: () =
    assert!(ELICIT_CREDIT + SECOND_ELICIT_CREDIT + AMPLIFY_CREDIT + REINFORCE_CREDIT == AXIS_MAX);
const _: () = assert!(STATE_MAX + OPENED_UP_POINTS + MEMBER_NEXT_STEP_POINTS == AXIS_MAX);
const _: () = assert!(
    DEFAULT_WEIGHT_LISTENING
        + DEFAULT_WEIGHT_QUESTIONS
        + DEFAULT_WEIGHT_CHANGE
        + DEFAULT_WEIGHT_OUTCOME
        == 100
);

/// Whether `reflections : questions` reaches the ratio `at` (exact integer
/// comparison: `reflections * at.1 >= questions * at.0`).
pub fn ratio_at_least(reflections: u32, questions: u32, at: (u32, u32)) -> bool {
    u64::from(reflections) * u64::from(at.1) >= u64::from(questions) * u64::from(at.0)
}

/// The default weights are the rules' own.
impl Default for Weights {
    fn default() -> Weights {
        Weights {
            listening: DEFAULT_WEIGHT_LISTENING,
            questions: DEFAULT_WEIGHT_QUESTIONS,
            change: DEFAULT_WEIGHT_CHANGE,
            outcome: DEFAULT_WEIGHT_OUTCOME,
        }
    }
}

#[cfg(test)]
mod tests {
    //! `scenarios/README.md` ("How a 1on1 is scored") states every number
    //! above; these tests keep the guide and the code in step.

    use super::*;

    const README: &str = include_str!("../../../../scenarios/README.md");

    /// The scoring section of the guide up to "What this means for authors"
    /// (whose 85/90/40 are balance targets the workspace tests check), with
    /// line breaks and runs of spaces collapsed so wrapped sentences read
    /// as one.
    fn scoring_section() -> String {
        let start = README
            .find("## How a 1on1 is scored")
            .expect("the guide has a scoring section");
        let end = start
            + README[start..]
                .find("### What this means for authors")
                .expect("the scoring section ends with the authors' notes");
        README[start..end]
            .replace('\u{2212}', "-")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Points as the guide writes them: `+10`, `-30`, `0`.
    fn signed(points: i32) -> String {
        if points > 0 {
            format!("+{points}")
        } else {
            points.to_string()
        }
    }

    /// A share as the guide writes it: `0.5` is `50%`.
    fn percent(share: f64) -> String {
        format!("{}%", (share * 100.0).round() as i64)
    }

    /// Every sentence of the guide that states a scoring number, built from
    /// the constants.
    fn expected() -> Vec<String> {
        use MoveClass::*;
        let u = uptake_percent;
        let w = |c| question_percent(c).unwrap_or(-1);
        vec![
            // The section's introduction.
            format!("each 0-{AXIS_MAX}"),
            format!(
                "default listening {DEFAULT_WEIGHT_LISTENING}, questions \
                 {DEFAULT_WEIGHT_QUESTIONS}, change {DEFAULT_WEIGHT_CHANGE}, outcome \
                 {DEFAULT_WEIGHT_OUTCOME}"
            ),
            "MITI 4.2.1".to_string(),
            // Listen first.
            format!("Taking in each disclosure ({UPTAKE_SHARE}% of the axis)."),
            format!(
                "complex reflection or summary {}%, empathy {}%, simple reflection {}%, \
                 silence {}%, a nod, affirmation, repair, autonomy or collaboration {}%, \
                 an open question about the person {}%, any other question, permission \
                 or information {}%, and advice, reassurance, judging, instructing, \
                 redirecting, self-disclosure or a leading question {}%.",
                u(ComplexReflection),
                u(Empathize),
                u(SimpleReflection),
                u(Silence),
                u(Acknowledge),
                u(BeingQuestion),
                u(DoingQuestion),
                u(Advise),
            ),
            format!("({RATIO_SHARE}% of the axis;"),
            format!(
                "{RATIO_AT_ZERO}% of it at 0:1, rising in a straight line to all of it at {}:{} (\"good\"; 1:1 is \"fair\").",
                RATIO_GOOD.0, RATIO_GOOD.1
            ),
            format!("({COMPLEX_SHARE}% of the axis): {COMPLEX_AT_ZERO}% of it with none"),
            format!(
                "all of it at {} (\"good\"; 40% is \"fair\").",
                percent(COMPLEX_GOOD_SHARE)
            ),
            format!(
                "in full when the member voiced the value under the unease, {DEPTH_UNEASE_PERCENT}% \
                 when only the unease, {DEPTH_SURFACE_PERCENT}% when only the surface complaint, \
                 {DEPTH_NOTHING_PERCENT}% when nothing."
            ),
            format!(
                "advice {}, reassurance {}, judging {}, instructing {}. After it,",
                signed(PREMATURE_ADVISE),
                signed(PREMATURE_REASSURE),
                signed(PREMATURE_JUDGE),
                signed(PREMATURE_INSTRUCT)
            ),
            format!(
                "unasked: advice {}, reassurance {}, judging {}, instructing (deciding for the member) {}.",
                signed(UNASKED_ADVISE),
                signed(UNASKED_REASSURE),
                signed(UNASKED_JUDGE),
                signed(UNASKED_INSTRUCT)
            ),
            format!(
                "steering back to work {}, talking about yourself {}, a leading or blaming question {}.",
                signed(REDIRECT_PENALTY),
                signed(SELF_DISCLOSE_PENALTY),
                signed(STEERING_LISTENING_PENALTY)
            ),
            format!(
                "In a series, quoting words the member never said last time (a misremembering recall) {}: it is a misstep.",
                signed(MISREMEMBER_LISTENING)
            ),
            format!("gives back {REPAIR_RETURNS_PERCENT}% of its cost"),
            format!(
                "as the member had opened up costs {} more.",
                signed(AT_DISCLOSURE_PENALTY)
            ),
            // Question quality.
            format!(
                "person-focused `Being` and `Values` {}%, `Change` {}%, `Feeling` {}%, \
                 `Fact` {}%, `Doing` {}%; open work-focused {}%; closed {}%; leading or \
                 blaming {}%. An open `follow_up` adds {FOLLOW_UP_BONUS} (up to 100%).",
                w(BeingQuestion),
                w(ChangeQuestion),
                w(FeelingQuestion),
                w(FactQuestion),
                w(DoingQuestion),
                w(WorkQuestion),
                w(ClosedQuestion),
                w(SteeringQuestion),
            ),
            format!(
                "No being question at all: {}; no values question: {}; no change question: {}.",
                signed(BEING_MISSING_PENALTY),
                signed(DEEP_FRAME_MISSING_PENALTY),
                signed(DEEP_FRAME_MISSING_PENALTY)
            ),
            format!(
                "A question worth less than {SHALLOW_BELOW}% right after the member disclosed \
                 something (asking instead of taking it in): {}.",
                signed(SHALLOW_AT_DISCLOSURE_PENALTY)
            ),
            format!(
                "worth {MISSED_QUESTION_GAP} or more points less than the best question on offer at that turn is a missed chance: {}.",
                signed(MISSED_QUESTION_PENALTY)
            ),
            format!(
                "Leading {}, blaming {} each.",
                signed(LEADING_PENALTY),
                signed(BLAMING_PENALTY)
            ),
            format!("No questions at all: {NO_QUESTIONS_SCORE}."),
            // Trace change.
            format!(
                "{} the first time; if the manager's very next move is a misstep (the change \
                 taken over, not traced together), {CUT_SHORT_PERCENT}% of it.",
                signed(ELICIT_CREDIT)
            ),
            format!("within {AMPLIFY_WITHIN} turns"),
            format!("open follow-up question): {} once.", signed(AMPLIFY_CREDIT)),
            format!(
                "traces change, after that: {} once.",
                signed(REINFORCE_CREDIT)
            ),
            format!(
                "what they were to notice themselves: {} once, instead of reinforcing.",
                signed(NAMED_FOR_THEM_PENALTY)
            ),
            format!(
                "Tracing change again later: {} once.",
                signed(SECOND_ELICIT_CREDIT)
            ),
            format!(
                "reveals a deeper layer): {} once, on top of the steps above (the axis still stops at {AXIS_MAX}).",
                signed(RECALL_TAKEN_UP_CREDIT)
            ),
            format!(
                "(`misremembers: true`): trust {} at once",
                signed(MISREMEMBER_TRUST_COST)
            ),
            // Outcome.
            format!(
                "{STATE_TRUST_PERCENT}% of trust + {STATE_OPENNESS_PERCENT}% of openness + \
                 {STATE_CLARITY_PERCENT}% of clarity (up to {STATE_MAX})."
            ),
            format!(
                "Ending kind: opened up {}, polite {}, shut down {}.",
                signed(OPENED_UP_POINTS),
                signed(POLITE_POINTS),
                signed(SHUT_DOWN_POINTS)
            ),
            format!(
                "(`next_step: Member`): {}, or {} when it started from the manager's permitted \
                 idea or information; the manager chose it (`next_step: Manager`): {}",
                signed(MEMBER_NEXT_STEP_POINTS),
                MEMBER_NEXT_STEP_POINTS + IDEA_OFFERED_PENALTY,
                signed(MANAGER_NEXT_STEP_POINTS)
            ),
            format!(
                "The unease never voiced: {}.",
                signed(UNEASE_UNSAID_PENALTY)
            ),
            // The overall.
            format!("all four at {AXIS_MAX} make {OVERALL_TOP}, the most the judges gave"),
            format!(
                "The first misstep (any move with a cost above), repaired or not: {}.",
                signed(MISSTEP_OVERALL_PENALTY)
            ),
            format!("the overall keeps {DECIDED_KEEPS_PERCENT}%"),
            format!("member shut down, at most {CAP_SHUT_DOWN}"),
            format!("politely closed, at most {CAP_POLITE}."),
        ]
    }

    #[test]
    fn the_guide_states_every_rule_as_the_code_does() {
        let section = scoring_section();
        let missing: Vec<String> = expected()
            .into_iter()
            .filter(|sentence| !section.contains(sentence.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "scenarios/README.md disagrees with score/rules.rs; expected to find:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_number_in_the_guides_scoring_section_is_checked() {
        let section = scoring_section();
        let mut covered = vec![false; section.len()];
        for sentence in expected() {
            for (at, _) in section.match_indices(sentence.as_str()) {
                covered[at..at + sentence.len()].fill(true);
            }
        }
        let bytes = section.as_bytes();
        let mut unchecked = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            // Digits inside a word ("1on1") are not numbers.
            let in_word = (i > 0 && bytes[i - 1].is_ascii_alphabetic())
                || bytes.get(end).is_some_and(|b| b.is_ascii_alphabetic());
            if !in_word && !covered[i] {
                let from = section.floor_char_boundary(i.saturating_sub(30));
                let to = section.ceil_char_boundary((end + 30).min(section.len()));
                unchecked.push(format!(
                    "`{}` in \"…{}…\"",
                    &section[i..end],
                    &section[from..to]
                ));
            }
            i = end;
        }
        assert!(
            unchecked.is_empty(),
            "numbers in the guide's scoring section that no rule checks:\n{}",
            unchecked.join("\n")
        );
    }
}
