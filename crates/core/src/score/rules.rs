//! Every number and threshold of scoring, named and documented in one place.
//!
//! The axis files (`listening.rs`, `questions.rs`, `change.rs`,
//! `outcome.rs`) read their points from here, the default weights come from
//! here, and the simulated member decides what counts as *premature* advice
//! with [`UNEASE_VOICED_AT`]. `scenarios/README.md` ("How a 1on1 is scored")
//! states the same numbers; a test below keeps the two in step.

use crate::scenario::{Layer, Weights};

// ---------------------------------------------------------------------------
// Range and weights
// ---------------------------------------------------------------------------

/// The highest score of every axis and of the overall (the lowest is 0).
pub const AXIS_MAX: i32 = 100;

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

/// Credit for each listening act before the first unasked or premature advice.
pub const LISTEN_CREDIT: i32 = 10;
/// How many listening acts earn [`LISTEN_CREDIT`].
pub const LISTEN_CREDITS_MAX: u32 = 4;
/// Every premature advice, reassurance, instruction or judgement.
pub const PREMATURE_PENALTY: i32 = -30;
/// Unasked advice after the unease was voiced.
pub const UNASKED_PENALTY: i32 = -10;
/// Talking about yourself.
pub const SELF_DISCLOSE_PENALTY: i32 = -8;
/// Steering back to work progress.
pub const REDIRECT_PENALTY: i32 = -12;

/// Reflections : questions at or above which the ratio is MITI's "good".
pub const RATIO_GOOD: (u32, u32) = (2, 1);
/// Points for a "good" reflection-to-question ratio.
pub const RATIO_GOOD_POINTS: i32 = 30;
/// Reflections : questions at or above which the ratio is MITI's "fair".
pub const RATIO_FAIR: (u32, u32) = (1, 1);
/// Points for a "fair" reflection-to-question ratio.
pub const RATIO_FAIR_POINTS: i32 = 20;
/// Reflections : questions at or above which the ratio still earns a little.
pub const RATIO_LOW: (u32, u32) = (1, 2);
/// Points for a ratio at or above [`RATIO_LOW`] but below [`RATIO_FAIR`].
pub const RATIO_LOW_POINTS: i32 = 10;
/// Points for reflections with no questions at all.
pub const RATIO_NO_QUESTIONS_POINTS: i32 = 30;

/// Share of complex reflections (complex + summaries) among reflections at
/// or above which it is MITI's "good".
pub const COMPLEX_GOOD_SHARE: f64 = 0.5;
/// Points for a "good" complex-reflection share.
pub const COMPLEX_GOOD_POINTS: i32 = 30;
/// Complex-reflection share at or above which it is MITI's "fair".
pub const COMPLEX_FAIR_SHARE: f64 = 0.4;
/// Points for a "fair" complex-reflection share.
pub const COMPLEX_FAIR_POINTS: i32 = 20;
/// Points for any complex reflection below the "fair" share.
pub const COMPLEX_ANY_POINTS: i32 = 10;

// ---------------------------------------------------------------------------
// Question quality (問いの質)
// ---------------------------------------------------------------------------

/// An open person-focused `Being` question.
pub const BEING_CREDIT: i32 = 25;
/// An open person-focused `Values` question.
pub const VALUES_CREDIT: i32 = 22;
/// An open person-focused `Feeling` question.
pub const FEELING_CREDIT: i32 = 15;
/// An open person-focused `Change` question.
pub const CHANGE_FRAME_CREDIT: i32 = 15;
/// An open person-focused `Doing` question.
pub const DOING_CREDIT: i32 = 8;
/// An open person-focused `Fact` question.
pub const FACT_CREDIT: i32 = 8;
/// An open work-focused question (any frame).
pub const WORK_QUESTION_CREDIT: i32 = 4;
/// Extra credit when an open question is a `follow_up`.
pub const FOLLOW_UP_CREDIT: i32 = 5;
/// The n-th question of the same frame (and every later one) earns only
/// its credit divided by [`REPEATED_FRAME_DIVISOR`] (anti-gaming).
pub const REPEATED_FRAME_FROM: usize = 3;
/// See [`REPEATED_FRAME_FROM`]: "half" credit, in integer division.
pub const REPEATED_FRAME_DIVISOR: i32 = 2;
/// The most the per-question credits add up to.
pub const QUESTION_CREDIT_CAP: i32 = 70;
/// The n-th closed question in a row (and every later one) costs
/// [`CLOSED_STRING_PENALTY`].
pub const CLOSED_STRING_FROM: u32 = 3;
/// A closed question too many in a row.
pub const CLOSED_STRING_PENALTY: i32 = -10;
/// A leading question.
pub const LEADING_PENALTY: i32 = -15;
/// A blaming question.
pub const BLAMING_PENALTY: i32 = -25;
/// Share of open questions at or above which [`OPEN_GOOD_POINTS`] is earned.
pub const OPEN_GOOD_SHARE: f64 = 0.7;
/// Points for a high share of open questions.
pub const OPEN_GOOD_POINTS: i32 = 20;
/// Share of open questions at or above which [`OPEN_FAIR_POINTS`] is earned.
pub const OPEN_FAIR_SHARE: f64 = 0.5;
/// Points for a fair share of open questions.
pub const OPEN_FAIR_POINTS: i32 = 10;
/// Share of questions about the person at or above which
/// [`PERSON_FOCUS_POINTS`] is earned.
pub const PERSON_FOCUS_SHARE: f64 = 0.6;
/// Points for questions mostly about the person.
pub const PERSON_FOCUS_POINTS: i32 = 10;

// ---------------------------------------------------------------------------
// Trace change (変化をたどる)
// ---------------------------------------------------------------------------

/// Credit for the first, second, and each later open `Change` question.
pub const CHANGE_CREDITS: [i32; 3] = [35, 25, 10];
/// Credit for each open `follow_up` question.
pub const FOLLOW_UP_CHANGE_CREDIT: i32 = 15;
/// How many `follow_up` questions earn [`FOLLOW_UP_CHANGE_CREDIT`].
pub const FOLLOW_UP_CHANGE_MAX: u32 = 3;
/// Taking in (reflecting, summarising, empathising) what was just voiced.
pub const PICK_UP_CREDIT: i32 = 10;
/// How many pick-ups earn [`PICK_UP_CREDIT`].
pub const PICK_UP_MAX: u32 = 2;
/// Affirming right after eliciting or amplifying change (EARS), once.
pub const REINFORCE_CREDIT: i32 = 10;
/// A summary after a change question, once.
pub const TRACE_SUMMARY_CREDIT: i32 = 10;

// ---------------------------------------------------------------------------
// Outcome (対話の結果)
// ---------------------------------------------------------------------------

/// Percent of the final trust that counts towards the outcome.
pub const STATE_TRUST_PERCENT: i32 = 30;
/// Percent of the final openness that counts towards the outcome.
pub const STATE_OPENNESS_PERCENT: i32 = 20;
/// Percent of the final clarity that counts towards the outcome.
pub const STATE_CLARITY_PERCENT: i32 = 20;
/// The most the final state can add (every stat at 100).
pub const STATE_MAX: i32 = STATE_TRUST_PERCENT + STATE_OPENNESS_PERCENT + STATE_CLARITY_PERCENT;
/// The member opened up.
pub const OPENED_UP_POINTS: i32 = 20;
/// A polite ending.
pub const POLITE_POINTS: i32 = 8;
/// The member shut down.
pub const SHUT_DOWN_POINTS: i32 = 0;
/// The member chose the next step (`next_step: Member`).
pub const MEMBER_NEXT_STEP_POINTS: i32 = 10;
/// The manager chose the next step (`next_step: Manager`).
pub const MANAGER_NEXT_STEP_POINTS: i32 = 0;
/// No next step (`next_step: Nobody`).
pub const NO_NEXT_STEP_POINTS: i32 = 0;

// Checked when the crate builds: later change questions never earn more
// than earlier ones, the best outcome fits the axis, and the default
// weights add up to 100.
const _: () =
    assert!(CHANGE_CREDITS[0] >= CHANGE_CREDITS[1] && CHANGE_CREDITS[1] >= CHANGE_CREDITS[2]);
const _: () = assert!(STATE_MAX + OPENED_UP_POINTS + MEMBER_NEXT_STEP_POINTS <= AXIS_MAX);
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

    fn ordinal(n: usize) -> &'static str {
        match n {
            1 => "first",
            2 => "second",
            3 => "third",
            4 => "fourth",
            5 => "fifth",
            _ => panic!("no ordinal word for {n}"),
        }
    }

    fn fraction(divisor: i32) -> &'static str {
        match divisor {
            2 => "half",
            3 => "a third",
            4 => "a quarter",
            _ => panic!("no fraction word for 1/{divisor}"),
        }
    }

    /// Every sentence of the guide that states a scoring number, built from
    /// the constants.
    fn expected() -> Vec<String> {
        let [first, second, later] = CHANGE_CREDITS;
        vec![
            // The section's introduction.
            format!("each 0-{AXIS_MAX}"),
            format!(
                "default listening {DEFAULT_WEIGHT_LISTENING}, questions \
                 {DEFAULT_WEIGHT_QUESTIONS}, change {DEFAULT_WEIGHT_CHANGE}, outcome \
                 {DEFAULT_WEIGHT_OUTCOME}"
            ),
            // Listen first.
            format!("{} for each listening act", signed(LISTEN_CREDIT)),
            format!("unasked or premature advice, up to {LISTEN_CREDITS_MAX}."),
            "MITI 4.2.1".to_string(),
            format!(
                "{}:{} or more {} (\"good\"), {}:{} {} (\"fair\"), {}:{} {}, less 0.",
                RATIO_GOOD.0,
                RATIO_GOOD.1,
                signed(RATIO_GOOD_POINTS),
                RATIO_FAIR.0,
                RATIO_FAIR.1,
                signed(RATIO_FAIR_POINTS),
                RATIO_LOW.0,
                RATIO_LOW.1,
                signed(RATIO_LOW_POINTS),
            ),
            format!(
                "Reflections with no questions at all: {}.",
                signed(RATIO_NO_QUESTIONS_POINTS)
            ),
            format!(
                "{} or more {} (\"good\"), {} {} (\"fair\"), any {}.",
                percent(COMPLEX_GOOD_SHARE),
                signed(COMPLEX_GOOD_POINTS),
                percent(COMPLEX_FAIR_SHARE),
                signed(COMPLEX_FAIR_POINTS),
                signed(COMPLEX_ANY_POINTS),
            ),
            format!("{} for every premature advice", signed(PREMATURE_PENALTY)),
            format!("{} for unasked advice after it", signed(UNASKED_PENALTY)),
            format!(
                "{} for talking about yourself",
                signed(SELF_DISCLOSE_PENALTY)
            ),
            format!("{} for steering back to work", signed(REDIRECT_PENALTY)),
            // Question quality.
            format!(
                "person-focused `Being` {}, `Values` {}, `Feeling` {}, `Change` {}, \
                 `Doing` {}, `Fact` {}; work-focused {}; {} more when it is a `follow_up`.",
                signed(BEING_CREDIT),
                signed(VALUES_CREDIT),
                signed(FEELING_CREDIT),
                signed(CHANGE_FRAME_CREDIT),
                signed(DOING_CREDIT),
                signed(FACT_CREDIT),
                signed(WORK_QUESTION_CREDIT),
                signed(FOLLOW_UP_CREDIT),
            ),
            format!(
                "The {} question of the same frame earns {}",
                ordinal(REPEATED_FRAME_FROM),
                fraction(REPEATED_FRAME_DIVISOR)
            ),
            format!("Question credit is capped at {QUESTION_CREDIT_CAP}."),
            format!(
                "the {} closed question in a row and every one after costs {}.",
                ordinal(CLOSED_STRING_FROM as usize),
                signed(CLOSED_STRING_PENALTY)
            ),
            format!(
                "Leading {}, blaming {} each.",
                signed(LEADING_PENALTY),
                signed(BLAMING_PENALTY)
            ),
            format!(
                "Share of open questions: {} or more {}, {} {}.",
                percent(OPEN_GOOD_SHARE),
                signed(OPEN_GOOD_POINTS),
                percent(OPEN_FAIR_SHARE),
                signed(OPEN_FAIR_POINTS),
            ),
            format!(
                "{} or more of questions about the person: {}.",
                percent(PERSON_FOCUS_SHARE),
                signed(PERSON_FOCUS_POINTS)
            ),
            "No questions at all: 0.".to_string(),
            // Trace change.
            format!(
                "{} for the first, {} for the second, {} for each after.",
                signed(first),
                signed(second),
                signed(later)
            ),
            format!(
                "{} each, up to {FOLLOW_UP_CHANGE_MAX}.",
                signed(FOLLOW_UP_CHANGE_CREDIT)
            ),
            format!(
                "(taking it in): {}, up to {PICK_UP_MAX}.",
                signed(PICK_UP_CREDIT)
            ),
            format!("then \"reinforce\"): {} once.", signed(REINFORCE_CREDIT)),
            format!(
                "A summary after a change question: {} once.",
                signed(TRACE_SUMMARY_CREDIT)
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
                "(`next_step: Member`): {}.",
                signed(MEMBER_NEXT_STEP_POINTS)
            ),
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
