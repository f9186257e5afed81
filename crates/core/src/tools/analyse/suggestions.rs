//! The debrief's "what would have been better": per turn, the choice with
//! the best reachable score when it beats the trainee's.

use std::sync::Arc;

use serde::Serialize;

use super::best_from;
use crate::act::Act;
use crate::play::session::Session;
use crate::scenario::Scenario;

/// For the debrief: at one turn of a transcript, the choice that leads to
/// the best reachable score, when it beats what the trainee chose.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// 1-based turn.
    pub turn: usize,
    /// What the trainee chose.
    pub chosen: String,
    /// The best score reachable after the trainee's choice.
    pub chosen_best: u32,
    /// The better choice.
    pub better: String,
    /// The best score reachable after it.
    pub better_best: u32,
    /// Its act.
    pub act: Act,
}

/// For each turn the trainee took, the choice with the best reachable score
/// if it beats theirs. `choices` are the transcript's choice ids.
pub fn better_choices(
    scenario: &Arc<Scenario>,
    seed: u64,
    choices: &[String],
) -> Vec<Option<Suggestion>> {
    let mut out = Vec::with_capacity(choices.len());
    let mut session = Session::start(scenario, seed);
    for (index, chosen) in choices.iter().enumerate() {
        let mut best: Option<(String, u32, Act)> = None;
        let mut chosen_best = 0;
        for offer in session.choices().into_iter().filter(|o| o.enabled) {
            let mut next = session.clone();
            if next.choose(&offer.id).is_err() {
                continue;
            }
            let reachable = best_from(&next).score.overall;
            if &offer.id == chosen {
                chosen_best = reachable;
            }
            if best.as_ref().is_none_or(|(_, b, _)| reachable > *b) {
                best = Some((offer.id.clone(), reachable, offer.act.clone()));
            }
        }
        out.push(match best {
            Some((better, better_best, act)) if better != *chosen && better_best > chosen_best => {
                Some(Suggestion {
                    turn: index + 1,
                    chosen: chosen.clone(),
                    chosen_best,
                    better,
                    better_best,
                    act,
                })
            }
            _ => None,
        });
        if session.choose(chosen).is_err() {
            break;
        }
    }
    out
}
