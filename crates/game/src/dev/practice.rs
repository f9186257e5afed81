//! A trainee practising over weeks, for the screenshot walk's history and
//! series pictures: real 1on1s played through kiku-core (not typed-in
//! scores) by a trainee who listens a little more each time, days apart,
//! in both reply modes. Deterministic: the same pictures on every run.

use std::sync::Arc;

use kiku_core::act::Family;
use kiku_core::play::session::{Offer, Session};
use kiku_core::tools::analyse::best_from;
use kiku_core::{Finished, Mode, Scenario};

/// One attempt of the plan: the turns at which the trainee slips into
/// advising or directing (elsewhere they play the best reply there is from
/// where they are, as a trainee who knows the scenario well would), how
/// they reply, and the day and minute it was played.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// The 0-based turns where the trainee directs rather than listens.
    pub slips: &'static [usize],
    /// Chose from the menu or said it in their own words.
    pub mode: Mode,
    /// Days after the first attempt.
    pub day: i64,
    /// Minutes after midnight UTC on that day.
    pub minute: i64,
}

const fn step(slips: &'static [usize], mode: Mode, day: i64, minute: i64) -> Step {
    Step {
        slips,
        mode,
        day,
        minute,
    }
}

/// The plan: scenario id and its attempts, slipping less as the weeks go
/// by (the scores are bimodal: one early slip costs little, two cost the
/// member's trust, and a late one shuts her down). The first 1on1 of the series (01) is played last, without a slip, so a
/// follow-up after it has motifs to recall.
pub const PLAN: [(&str, &[Step]); 2] = [
    (
        "ai_anxiety",
        &[
            step(&[0, 2], Mode::Choose, 2, 9 * 60 + 10),
            step(&[4], Mode::Recall, 16, 12 * 60 + 40),
            step(&[], Mode::Recall, 30, 8 * 60 + 5),
            // An off day: one late slip.
            step(&[5], Mode::Choose, 44, 10 * 60 + 20),
        ],
    ),
    (
        "first_steps",
        &[
            step(&[0, 1], Mode::Choose, 0, 9 * 60 + 30),
            step(&[5], Mode::Choose, 7, 18 * 60 + 15),
            step(&[1], Mode::Recall, 21, 9 * 60),
            step(&[3], Mode::Recall, 35, 13 * 60 + 45),
            step(&[], Mode::Choose, 49, 10 * 60),
        ],
    ),
];

/// 2026-10-05 00:00 UTC, the first attempt's day.
pub const START_MS: i64 = 1_791_158_400_000;

/// The seed of attempt `k` (each attempt meets the member anew).
fn seed(k: usize) -> u64 {
    1 + k as u64
}

/// A small deterministic generator (xorshift64*), so the game needs no
/// random number crate for its pictures.
struct Dice(u64);

impl Dice {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> Option<&'a T> {
        (!from.is_empty()).then(|| &from[(self.unit() * from.len() as f64) as usize % from.len()])
    }
}

fn directing(o: &Offer) -> bool {
    o.act.is_advice_like() || o.act.family() == Family::Directing
}

/// Plays one attempt of `scenario` as `step` says.
pub fn play(scenario: &Arc<Scenario>, k: usize, step: &Step) -> Session {
    let mut session = Session::start(scenario, seed(k));
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ seed(k).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let limit = kiku_core::tools::analyse::max_turns(scenario);
    // The best path from where the trainee is (worked out again after a slip).
    let mut path: Option<Vec<String>> = None;
    while !session.is_over() && session.turn_count() < limit {
        let turn = session.turn_count();
        let offers: Vec<Offer> = session
            .choices()
            .into_iter()
            .filter(|o| o.enabled)
            .collect();
        let direct: Vec<Offer> = offers.iter().filter(|o| directing(o)).cloned().collect();
        let slip = step
            .slips
            .contains(&turn)
            .then(|| dice.pick(&direct))
            .flatten();
        let id = match slip {
            Some(o) => {
                path = None;
                o.id.clone()
            }
            None => {
                let best = path.get_or_insert_with(|| best_from(&session).choices);
                match best.get(turn) {
                    Some(id) => id.clone(),
                    None => break,
                }
            }
        };
        if session.choose(&id).is_err() {
            break;
        }
    }
    session
}

/// Every attempt of [`PLAN`] on the scenarios `scenario_of` finds (a
/// scenario not found is skipped), as finished records dated by the plan.
pub fn records(scenario_of: impl Fn(&str) -> Option<Arc<Scenario>>) -> Vec<Finished> {
    let mut out = Vec::new();
    for (id, steps) in PLAN {
        let Some(scenario) = scenario_of(id) else {
            continue;
        };
        for (k, step) in steps.iter().enumerate() {
            let session = play(&scenario, k, step);
            if !session.is_over() {
                continue;
            }
            let at = START_MS + (step.day * 24 * 60 + step.minute) * 60_000;
            let mut finished = Finished::of(&session, at);
            finished.mode = step.mode;
            out.push(finished);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trainee_gets_better_and_every_record_replays() {
        let bundled: Vec<Arc<Scenario>> = kiku_core::load::library::bundled()
            .into_iter()
            .filter_map(|l| l.scenario)
            .collect();
        let of = |id: &str| bundled.iter().find(|s| s.id == id).cloned();
        let records = records(of);
        assert_eq!(
            records.len(),
            PLAN.iter().map(|(_, s)| s.len()).sum::<usize>()
        );
        for (id, _) in PLAN {
            let mine: Vec<_> = records.iter().filter(|r| r.scenario == id).collect();
            let (first, last) = (mine[0], mine[mine.len() - 1]);
            assert!(
                last.scores.overall > first.scores.overall,
                "{id}: {} then {}",
                first.scores.overall,
                last.scores.overall
            );
            assert!(mine.iter().any(|r| r.mode == Mode::Recall));
            for r in mine {
                let (_, again) = r.rescore(&of(id).unwrap()).unwrap();
                assert_eq!(again.scores, r.scores);
            }
        }
    }
}
