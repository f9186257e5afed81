//! The simulated member: how each act moves trust, openness and clarity.
//!
//! Listening opens the member up, layer by layer; advice, reassurance or
//! judgement while the unease is still unspoken costs trust and openness.
//! The persona's temperament scales gains and losses, and a seeded RNG adds a
//! little variation so the same line can land a little differently.

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use crate::act::{Act, Focus, Frame};
use crate::scenario::{Layer, Stats, Temperament};

/// The lowest and highest value of every stat.
pub const STAT_MIN: i32 = 0;
/// See [`STAT_MIN`].
pub const STAT_MAX: i32 = 100;

/// How an act relates to the member's readiness for advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdviceKind {
    /// The member asked for it.
    Solicited,
    /// The trainee asked permission first, after listening.
    Permitted,
    /// Given unasked after the unease was voiced.
    Unasked,
    /// Given while the unease was still unspoken: the classic failure.
    Premature,
}

/// What the member knows about the moment an act lands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    /// The deepest layer voiced so far.
    pub voiced: Layer,
    /// The member just asked for advice.
    pub asked_advice: bool,
    /// The trainee's previous act asked permission to advise.
    pub permission_asked: bool,
    /// How many times in a row the same act kind was used just before.
    pub repeats: u32,
    /// How many affirmations came before this turn.
    pub affirmations_before: u32,
    /// How many times permission was asked before this turn.
    pub permissions_before: u32,
    /// The trainee's previous act was a misstep (see [`crate::act::Act::is_misstep`]
    /// and premature or unasked advice): a repair now is genuine.
    pub after_misstep: bool,
}

/// Classifies an advice-like act by the moment it lands in: before the
/// member has voiced [`crate::score::rules::UNEASE_VOICED_AT`] it is
/// premature.
pub fn advice_kind(act: &Act, moment: &Moment) -> Option<AdviceKind> {
    if !act.is_advice_like() {
        return None;
    }
    let kind = if matches!(act, Act::Advise) && moment.asked_advice {
        AdviceKind::Solicited
    } else if matches!(act, Act::Advise) && moment.permission_asked {
        AdviceKind::Permitted
    } else if moment.voiced >= crate::score::rules::UNEASE_VOICED_AT {
        AdviceKind::Unasked
    } else {
        AdviceKind::Premature
    };
    Some(kind)
}

/// The change an act makes to the three stats, before temperament and noise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    /// Change in trust.
    pub trust: i32,
    /// Change in openness.
    pub openness: i32,
    /// Change in clarity.
    pub clarity: i32,
}

const fn d(trust: i32, openness: i32, clarity: i32) -> Delta {
    Delta {
        trust,
        openness,
        clarity,
    }
}

/// The base effect of an act in a given moment.
pub fn base_delta(act: &Act, moment: &Moment) -> Delta {
    // Third and later identical acts in a row sound perfunctory.
    let worn = moment.repeats >= 2;
    match act {
        Act::Acknowledge if worn => d(0, -1, 0),
        Act::Acknowledge => d(3, 3, 1),
        Act::Empathize => d(6, 5, 3),
        Act::SimpleReflection => d(4, 5, 5),
        Act::ComplexReflection => d(6, 7, 10),
        Act::Summarize => d(5, 4, 10),
        Act::Silence if worn => d(-2, -3, 0),
        Act::Silence => d(2, 5, 4),
        Act::Question(q) => {
            if q.blaming {
                return d(-12, -10, 0);
            }
            if q.leading {
                return d(-5, -5, 0);
            }
            if !q.open {
                return d(0, -1, 0);
            }
            match (q.focus, q.frame) {
                (Focus::Work, _) => d(0, 1, 1),
                (Focus::Person, Frame::Being) => d(3, 5, 9),
                (Focus::Person, Frame::Values) => d(3, 5, 8),
                (Focus::Person, Frame::Change) => d(3, 4, 8),
                (Focus::Person, Frame::Feeling) => d(4, 5, 6),
                (Focus::Person, Frame::Doing) => d(1, 1, 2),
                (Focus::Person, Frame::Fact) => d(1, 2, 2),
            }
        }
        // Affirmations stop earning after the first few.
        Act::Affirm if moment.affirmations_before >= 2 => d(0, 0, 0),
        Act::Affirm => d(5, 3, 1),
        Act::EmphasizeAutonomy => d(5, 4, 3),
        Act::SeekCollaboration => d(4, 3, 2),
        // Repeated perfunctory permission-asking costs partnership.
        Act::AskPermission if moment.permissions_before >= 1 => d(-3, -2, 0),
        Act::AskPermission => d(2, 1, 0),
        // Owning a misstep right after it restores much of the alliance;
        // an apology for nothing is merely odd.
        Act::Repair if moment.after_misstep => d(8, 8, 2),
        Act::Repair => d(-1, -1, 0),
        // Information is neutral: welcome when asked for or once the unease
        // is out, a drift away from the person before that.
        Act::Inform if moment.asked_advice => d(2, 1, 2),
        Act::Inform if moment.voiced >= Layer::Unease => d(1, 0, 2),
        Act::Inform => d(0, -2, 0),
        Act::SelfDisclose => d(-3, -5, 0),
        Act::RedirectToWork => d(-6, -10, -2),
        Act::Advise | Act::Instruct | Act::Reassure | Act::Judge => {
            match advice_kind(act, moment).unwrap_or(AdviceKind::Premature) {
                AdviceKind::Solicited | AdviceKind::Permitted => match act {
                    Act::Advise => d(4, 2, 2),
                    _ => d(-3, -3, 0),
                },
                AdviceKind::Unasked => match act {
                    Act::Advise => d(-3, -3, 0),
                    Act::Reassure => d(-2, -3, 0),
                    _ => d(-8, -8, 0),
                },
                AdviceKind::Premature => match act {
                    Act::Advise => d(-12, -12, -2),
                    Act::Reassure => d(-8, -12, -2),
                    Act::Instruct => d(-15, -15, -3),
                    _ => d(-16, -15, -3),
                },
            }
        }
    }
}

/// Scales a delta by temperament: reserve slows openness gains, sensitivity
/// deepens losses. Integer percentages keep it exact on every platform.
pub fn temper(delta: Delta, temperament: &Temperament) -> Delta {
    let reserve = temperament.reserve.clamp(STAT_MIN, STAT_MAX);
    let sensitivity = temperament.sensitivity.clamp(STAT_MIN, STAT_MAX);
    // reserve 0 -> 150%, 50 -> 100%, 100 -> 50% of every gain.
    let gain = 150 - reserve;
    // sensitivity 0 -> 50%, 50 -> 100%, 100 -> 150% of every loss.
    let loss = 50 + sensitivity;
    let scale = |v: i32| {
        if v >= 0 {
            v * gain / 100
        } else {
            v * loss / 100
        }
    };
    Delta {
        trust: scale(delta.trust),
        openness: scale(delta.openness),
        clarity: scale(delta.clarity),
    }
}

/// Draws an integer percentage in `80..=120` from the RNG: the member's
/// day-to-day variation.
pub fn jitter_percent(rng: &mut impl RngCore) -> i32 {
    // 41 values; the modulo bias on a u32 is far below anything visible.
    80 + (rng.next_u32() % 41) as i32
}

/// Applies an act to the state: base effect, temperament, RNG variation,
/// then the choice's extra effects, and clamps every stat to 0-100.
pub fn apply(stats: Stats, delta: Delta, percent: i32) -> Stats {
    let vary = |v: i32| {
        // Round half away from zero so small effects are not lost.
        let scaled = v * percent;
        if scaled >= 0 {
            (scaled + 50) / 100
        } else {
            (scaled - 50) / 100
        }
    };
    Stats {
        trust: clamp_stat(stats.trust + vary(delta.trust)),
        openness: clamp_stat(stats.openness + vary(delta.openness)),
        clarity: clamp_stat(stats.clarity + vary(delta.clarity)),
    }
}

/// Keeps a stat within 0-100.
pub fn clamp_stat(value: i32) -> i32 {
    value.clamp(STAT_MIN, STAT_MAX)
}

/// The least clarity a voiced layer implies: putting the unease into words
/// is clarity, whatever the acts before.
pub fn clarity_floor(layer: Layer) -> i32 {
    match layer {
        Layer::Nothing => 0,
        Layer::Surface => 20,
        Layer::Unease => 60,
        Layer::Value => 85,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::Question;

    fn moment(voiced: Layer) -> Moment {
        Moment {
            voiced,
            asked_advice: false,
            permission_asked: false,
            repeats: 0,
            affirmations_before: 0,
            permissions_before: 0,
            after_misstep: false,
        }
    }

    #[test]
    fn a_repair_helps_only_right_after_a_misstep() {
        let mut m = moment(Layer::Surface);
        assert!(base_delta(&Act::Repair, &m).trust < 0);
        m.after_misstep = true;
        let repaired = base_delta(&Act::Repair, &m);
        assert!(repaired.trust > 0 && repaired.openness > 0);
    }

    #[test]
    fn premature_advice_costs_more_than_advice_after_voicing() {
        let early = base_delta(&Act::Advise, &moment(Layer::Surface));
        let late = base_delta(&Act::Advise, &moment(Layer::Unease));
        assert!(early.trust < late.trust && early.trust < 0);
        assert!(early.openness < late.openness && early.openness < 0);
    }

    #[test]
    fn solicited_advice_helps() {
        let mut m = moment(Layer::Unease);
        m.asked_advice = true;
        assert_eq!(advice_kind(&Act::Advise, &m), Some(AdviceKind::Solicited));
        assert!(base_delta(&Act::Advise, &m).trust > 0);
    }

    #[test]
    fn listening_opens_up() {
        for act in [
            Act::Empathize,
            Act::SimpleReflection,
            Act::ComplexReflection,
            Act::Summarize,
        ] {
            let delta = base_delta(&act, &moment(Layer::Nothing));
            assert!(delta.trust > 0 && delta.openness > 0, "{act:?}");
        }
        let being = Act::Question(Question {
            open: true,
            focus: Focus::Person,
            frame: Frame::Being,
            leading: false,
            blaming: false,
            follow_up: false,
        });
        assert!(base_delta(&being, &moment(Layer::Nothing)).clarity > 0);
    }

    #[test]
    fn temperament_scales_gains_and_losses() {
        let guarded = Temperament {
            reserve: 100,
            sensitivity: 100,
        };
        let t = temper(d(10, -10, 10), &guarded);
        assert_eq!(t, d(5, -15, 5));
    }

    #[test]
    fn stats_stay_in_range() {
        let s = apply(
            Stats {
                trust: 99,
                openness: 1,
                clarity: 50,
            },
            d(50, -50, 0),
            120,
        );
        assert_eq!((s.trust, s.openness, s.clarity), (100, 0, 50));
    }
}
