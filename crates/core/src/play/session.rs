//! A 1on1 in progress: a pure, deterministic state machine over a scenario.
//!
//! `start`, `choices`, `choose`, `is_over`. The same scenario, seed and
//! choices give the same transcript on every platform (ChaCha8 stream,
//! integer arithmetic only). The game, the CLI, the tests and the
//! leaderboard server all drive this code.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::act::{Act, Offered};
use crate::play::member::{self, AdviceKind, Moment};
use crate::play::prior::Prior;
use crate::scenario::{Choice, Cond, Effect, Ending, Layer, Line, Node, Scenario, Stats, Target};
use crate::text::Text;

/// What went wrong when choosing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The id names no choice at the current point.
    #[error("no choice `{id}` here (available: {available})")]
    UnknownChoice {
        /// The id given.
        id: String,
        /// The ids that are available, comma-separated.
        available: String,
    },
    /// The choice exists but its condition does not hold (or it was used).
    #[error("choice `{0}` is not available right now")]
    Unavailable(String),
    /// The conversation has ended.
    #[error("the conversation is over")]
    Over,
}

/// A member line that was said: the node and which variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spoken {
    /// The node id.
    pub node: String,
    /// The index into the node's `lines`.
    pub variant: usize,
}

/// One turn: the trainee's choice and what it did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The node the choice was made at.
    pub node: String,
    /// The choice id.
    pub choice: String,
    /// The choice's act.
    pub act: Act,
    /// For advice-like acts: solicited, permitted, unasked or premature.
    pub advice: Option<AdviceKind>,
    /// The member's state before the act.
    pub before: Stats,
    /// The member's state after the act and the member's reply.
    pub after: Stats,
    /// The deepest layer voiced before the act.
    pub voiced_before: Layer,
    /// The deepest layer voiced after the member's reply.
    pub voiced_after: Layer,
    /// What the member said in reply, or `None` when the choice ended it.
    pub reply: Option<Spoken>,
    /// The kinds of move the menu offered at this turn (enabled choices):
    /// the scoring compares the move made with the best on offer.
    #[serde(default)]
    pub offered: Offered,
    /// The choice traces change between then and now (`traces_change`).
    #[serde(default)]
    pub traces_change: bool,
    /// The choice quoted the member's words from last time (`recalls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<Recall>,
}

/// A recall move: the trainee quoted a motif from the earlier 1on1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recall {
    /// The motif quoted.
    pub motif: String,
    /// The member never said it last time (`misremembers: true`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub misremembered: bool,
    /// The member took it up: the reply voiced a motif or revealed a
    /// deeper layer.
    pub taken_up: bool,
}

/// A motif the member voiced in this 1on1, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voicing {
    /// The motif id.
    pub motif: String,
    /// How many turns had been played when the member said it (0: the
    /// opening line).
    pub turn: usize,
}

impl Turn {
    /// A move that took the conversation from the member: a misstep whatever
    /// the moment ([`Act::is_misstep`]), advice or reassurance nobody
    /// asked for, or quoting words the member never said last time
    /// (a misremembering recall). The member takes a repair right after one as genuine, and
    /// the listening axis charges for each.
    pub fn is_misstep(&self) -> bool {
        self.act.is_misstep()
            || matches!(
                self.advice,
                Some(AdviceKind::Premature | AdviceKind::Unasked)
            )
            || self.recall.as_ref().is_some_and(|r| r.misremembered)
    }
}

/// Everything that happened: enough to score and to replay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The scenario id.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// The member's state at the start.
    pub initial: Stats,
    /// The member's first line.
    pub opening: Spoken,
    /// The turns, in order.
    pub turns: Vec<Turn>,
    /// The ending reached, if the conversation is over.
    pub ending: Option<String>,
    /// The motifs the member voiced, each the first time, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motifs: Vec<Voicing>,
    /// A follow-up's memory of the earlier 1on1 (`None` for a standalone
    /// scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<Prior>,
}

impl Transcript {
    /// The choice ids in order: with the seed, all a replay needs.
    pub fn choice_ids(&self) -> Vec<String> {
        self.turns.iter().map(|t| t.choice.clone()).collect()
    }

    /// The member's state at the end (or now).
    pub fn final_stats(&self) -> Stats {
        self.turns.last().map_or(self.initial, |t| t.after)
    }

    /// The deepest layer voiced by the end (or now).
    pub fn voiced(&self) -> Layer {
        self.turns.last().map_or(Layer::Nothing, |t| t.voiced_after)
    }
}

/// A choice as offered at the current point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The choice id.
    pub id: String,
    /// What the trainee would say.
    pub text: Text,
    /// The act (hidden from trainees during play; shown in preview mode).
    pub act: Act,
    /// False when shown greyed out.
    pub enabled: bool,
}

/// FNV-1a, 64 bits: a stable hash of a node id for [`Session::offered`].
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A 1on1 in progress.
#[derive(Clone, Debug)]
pub struct Session {
    scenario: Arc<Scenario>,
    rng: ChaCha8Rng,
    stats: Stats,
    voiced: Layer,
    /// The node the member is at, or `None` once ended.
    node: Option<String>,
    line: usize,
    visits: BTreeMap<String, u32>,
    chosen: BTreeMap<String, u32>,
    transcript: Transcript,
}

/// The trust a misremembering recall (`misremembers: true`) costs.
pub use crate::score::rules::MISREMEMBER_TRUST_COST;

impl Session {
    /// Starts a 1on1 on `scenario` with `seed`. The scenario must have passed
    /// [`crate::load::check`]; a missing start node ends the session at once
    /// rather than panicking.
    ///
    /// A follow-up (`follows`) starts under its default prior, as if the
    /// earlier 1on1 had gone as its author assumed: see [`Session::start_after`].
    pub fn start(scenario: &Arc<Scenario>, seed: u64) -> Session {
        Session::start_after(scenario, seed, Prior::default_for(scenario))
    }

    /// Starts a 1on1 that remembers the earlier one: `prior` feeds the
    /// `Prev...` conditions, decides which recall choices are offered, and
    /// (with the scenario's `carry`) the member's starting state. `None`
    /// for a follow-up means its default prior; a standalone scenario
    /// ignores the prior.
    pub fn start_after(scenario: &Arc<Scenario>, seed: u64, prior: Option<Prior>) -> Session {
        let prior = if scenario.follows.is_some() {
            prior.or_else(|| Prior::default_for(scenario))
        } else {
            None
        };
        let initial = prior
            .as_ref()
            .map_or(scenario.initial, |p| p.starting_stats(scenario));
        let mut session = Session {
            scenario: Arc::clone(scenario),
            rng: ChaCha8Rng::seed_from_u64(seed),
            stats: clamp_all(initial),
            voiced: Layer::Nothing,
            node: None,
            line: 0,
            visits: BTreeMap::new(),
            chosen: BTreeMap::new(),
            transcript: Transcript {
                scenario: scenario.id.clone(),
                seed,
                initial: clamp_all(scenario.initial),
                opening: Spoken {
                    node: scenario.start.clone(),
                    variant: 0,
                },
                turns: Vec::new(),
                ending: None,
                motifs: Vec::new(),
                prior,
            },
        };
        let opening = session.enter(&scenario.start.clone());
        session.transcript.initial = session.stats;
        if let Some(opening) = opening {
            session.transcript.opening = opening;
        }
        session
    }

    /// Starts a session and plays `choices`; fails at the first invalid one
    /// with its index.
    pub fn replay(
        scenario: &Arc<Scenario>,
        seed: u64,
        choices: &[impl AsRef<str>],
    ) -> Result<Session, (usize, SessionError)> {
        Session::replay_after(scenario, seed, None, choices)
    }

    /// [`Session::replay`] after an earlier 1on1 ([`Session::start_after`]).
    pub fn replay_after(
        scenario: &Arc<Scenario>,
        seed: u64,
        prior: Option<Prior>,
        choices: &[impl AsRef<str>],
    ) -> Result<Session, (usize, SessionError)> {
        let mut session = Session::start_after(scenario, seed, prior);
        for (index, id) in choices.iter().enumerate() {
            session.choose(id.as_ref()).map_err(|e| (index, e))?;
        }
        Ok(session)
    }

    /// Replays as many of `choices` as still fit `scenario` (after an edit,
    /// say) and stops at the first that does not: hot reload keeps the
    /// trainee's place when it can and falls back towards the start.
    pub fn replay_prefix(scenario: &Arc<Scenario>, seed: u64, choices: &[String]) -> Session {
        Session::replay_prefix_after(scenario, seed, None, choices)
    }

    /// [`Session::replay_prefix`] after an earlier 1on1 ([`Session::start_after`]).
    pub fn replay_prefix_after(
        scenario: &Arc<Scenario>,
        seed: u64,
        prior: Option<Prior>,
        choices: &[String],
    ) -> Session {
        let mut session = Session::start_after(scenario, seed, prior);
        for id in choices {
            if session.choose(id).is_err() {
                break;
            }
        }
        session
    }

    /// The scenario being played.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    /// The member's state now.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The deepest layer the member has voiced.
    pub fn voiced(&self) -> Layer {
        self.voiced
    }

    /// What this follow-up remembers of the earlier 1on1 (`None` for a
    /// standalone scenario).
    pub fn prior(&self) -> Option<&Prior> {
        self.transcript.prior.as_ref()
    }

    /// True when the member has voiced `motif` in this 1on1.
    pub fn voiced_motif(&self, motif: &str) -> bool {
        self.transcript.motifs.iter().any(|v| v.motif == motif)
    }

    /// The current node id, or `None` once over.
    pub fn node_id(&self) -> Option<&str> {
        self.node.as_deref()
    }

    /// The current node, or `None` once over.
    pub fn node(&self) -> Option<&Node> {
        self.node
            .as_ref()
            .and_then(|id| self.scenario.nodes.get(id))
    }

    /// What the member is saying now, or `None` once over.
    pub fn line(&self) -> Option<&Line> {
        self.node().and_then(|node| node.lines.get(self.line))
    }

    /// True once an ending has been reached.
    pub fn is_over(&self) -> bool {
        self.node.is_none()
    }

    /// The ending reached, with its id, once over.
    pub fn ending(&self) -> Option<(&str, &Ending)> {
        let id = self.transcript.ending.as_deref()?;
        self.scenario.endings.get(id).map(|e| (id, e))
    }

    /// Everything so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// How many choices have been made.
    pub fn turn_count(&self) -> usize {
        self.transcript.turns.len()
    }

    /// The choices offered now, in file order: available ones, and greyed-out
    /// ones whose author asked for that. Empty once over.
    pub fn choices(&self) -> Vec<Offer> {
        self.shown()
            .into_iter()
            .map(|(choice, enabled)| Offer {
                id: choice.id.clone(),
                text: choice.text.clone(),
                act: choice.act.clone(),
                enabled,
            })
            .collect()
    }

    /// The choices offered now in the order a trainee sees them: shuffled,
    /// so the best reply is not always in the same place (authors tend to
    /// write it first, and "always press 1" must not be a strategy). The
    /// order is a pure function of the seed, the turn and the node: the same
    /// session shows the same order again, and the member's randomness is
    /// untouched. Choice ids, not positions, are what transcripts record.
    pub fn offered(&self) -> Vec<Offer> {
        let mut offers = self.choices();
        let node = self.node_id().unwrap_or_default();
        // Its own generator: the member's `rng` must not move.
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.transcript.seed
                ^ (self.turn_count() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ fnv1a(node.as_bytes()),
        );
        // Fisher-Yates.
        for i in (1..offers.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            offers.swap(i, j);
        }
        offers
    }

    /// The ids of the choices that can be made now (no text copied: the
    /// analyser calls this millions of times).
    pub fn available(&self) -> Vec<&str> {
        self.shown()
            .into_iter()
            .filter(|(_, enabled)| *enabled)
            .map(|(choice, _)| choice.id.as_str())
            .collect()
    }

    /// The choices shown now with whether each is enabled.
    fn shown(&self) -> Vec<(&Choice, bool)> {
        let Some(node) = self.node() else {
            return Vec::new();
        };
        let shown = self.shown_at(node, false);
        if shown.iter().any(|(_, enabled)| *enabled) {
            shown
        } else {
            // Everything is used up: once-only choices come back rather than
            // leave the trainee stuck.
            self.shown_at(node, true)
        }
    }

    fn shown_at<'n>(&self, node: &'n Node, reuse: bool) -> Vec<(&'n Choice, bool)> {
        node.choices
            .iter()
            .filter(|c| reuse || c.sticky || !self.chosen.contains_key(&c.id))
            .filter(|c| self.recall_fits(c))
            .filter_map(|c| {
                let holds = c.when.as_ref().is_none_or(|cond| self.holds(cond));
                let shown = holds || c.unavailable == crate::scenario::Unavailable::Disable;
                shown.then_some((c, holds))
            })
            .collect()
    }

    /// A recall choice is offered only when the motif was voiced last time;
    /// a misremembering one only when it was not. Neither is ever shown
    /// greyed out (that would give the trap away).
    fn recall_fits(&self, choice: &Choice) -> bool {
        match &choice.recalls {
            None => true,
            Some(motif) => {
                let voiced = self.prior().is_some_and(|p| p.voiced_motif(motif));
                voiced != choice.misremembers
            }
        }
    }

    /// Makes the choice `id`: the member reacts and the transcript grows.
    pub fn choose(&mut self, id: &str) -> Result<&Turn, SessionError> {
        let node_id = self.node.clone().ok_or(SessionError::Over)?;
        let scenario = Arc::clone(&self.scenario);
        let shown = self.shown();
        let choice: &Choice = match shown.iter().find(|(c, _)| c.id == id) {
            Some((choice, true)) => {
                // Re-borrow from our own Arc so `self` is free to change below.
                let index = scenario.nodes[&node_id]
                    .choices
                    .iter()
                    .position(|c| c.id == choice.id)
                    .ok_or(SessionError::Over)?;
                &scenario.nodes[&node_id].choices[index]
            }
            Some((_, false)) => return Err(SessionError::Unavailable(id.to_string())),
            None => {
                let used = scenario.nodes[&node_id].choices.iter().any(|c| c.id == id);
                if used {
                    return Err(SessionError::Unavailable(id.to_string()));
                }
                let available = shown
                    .iter()
                    .filter(|(_, enabled)| *enabled)
                    .map(|(c, _)| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(SessionError::UnknownChoice {
                    id: id.to_string(),
                    available,
                });
            }
        };
        let node = &scenario.nodes[&node_id];
        let mut offered = Offered::default();
        for (c, enabled) in &shown {
            if *enabled {
                offered.insert(c.act.class());
            }
        }

        let before = self.stats;
        let voiced_before = self.voiced;
        let moment = self.moment(node, &choice.act);
        let advice = member::advice_kind(&choice.act, &moment);
        let delta = member::temper(
            member::base_delta(&choice.act, &moment),
            &scenario.persona.temperament,
        );
        let percent = member::jitter_percent(&mut self.rng);
        self.stats = member::apply(self.stats, delta, percent);
        for effect in &choice.effects {
            let Effect::Add(stat, amount) = effect;
            let value = self.stats.get_mut(*stat);
            *value = member::clamp_stat(value.saturating_add(*amount));
        }
        if choice.misremembers {
            self.stats.trust = member::clamp_stat(self.stats.trust + MISREMEMBER_TRUST_COST);
        }
        let motifs_before = self.transcript.motifs.len();
        *self.chosen.entry(choice.id.clone()).or_default() += 1;
        // Count this turn before branch conditions such as `Turns(n)`.
        self.transcript.turns.push(Turn {
            node: node_id,
            choice: choice.id.clone(),
            act: choice.act.clone(),
            advice,
            before,
            after: self.stats,
            voiced_before,
            voiced_after: self.voiced,
            reply: None,
            offered,
            traces_change: choice.traces_change,
            recall: choice.recalls.as_ref().map(|motif| Recall {
                motif: motif.clone(),
                misremembered: choice.misremembers,
                taken_up: false,
            }),
        });

        let target = choice
            .branches
            .iter()
            .find(|b| self.holds(&b.when))
            .map_or(&choice.next, |b| &b.next)
            .clone();
        let reply = match target {
            Target::Node(next) => self.enter(&next),
            Target::End(ending) => {
                self.node = None;
                self.transcript.ending = Some(ending);
                None
            }
        };
        let stats = self.stats;
        let voiced = self.voiced;
        // Taken up: the reply says a motif (new or again) or goes deeper.
        let says_motif = reply.as_ref().is_some_and(|r| {
            scenario
                .nodes
                .get(&r.node)
                .and_then(|n| n.lines.get(r.variant))
                .is_some_and(|l| !l.voices.is_empty())
        }) || self.transcript.motifs.len() > motifs_before;
        let turn = self.transcript.turns.last_mut().ok_or(SessionError::Over)?;
        turn.after = stats;
        turn.voiced_after = voiced;
        turn.reply = reply;
        if let Some(recall) = &mut turn.recall {
            recall.taken_up = !recall.misremembered && (says_motif || voiced > voiced_before);
        }
        Ok(turn)
    }

    /// Moves to a node: counts the visit, picks the line, voices its layer.
    fn enter(&mut self, id: &str) -> Option<Spoken> {
        let scenario = Arc::clone(&self.scenario);
        let Some(node) = scenario.nodes.get(id) else {
            // Only reachable with an unchecked scenario: end rather than panic.
            self.node = None;
            return None;
        };
        self.node = Some(id.to_string());
        *self.visits.entry(id.to_string()).or_default() += 1;
        // A variant written for this moment (its condition holds) wins over
        // the general ones; among equals the seeded RNG picks.
        let specific: Vec<usize> = node
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.when.as_ref().is_some_and(|c| self.holds(c)))
            .map(|(i, _)| i)
            .collect();
        let candidates: Vec<usize> = if specific.is_empty() {
            node.lines
                .iter()
                .enumerate()
                .filter(|(_, line)| line.when.is_none())
                .map(|(i, _)| i)
                .collect()
        } else {
            specific
        };
        // Always draw, so adding a variant elsewhere never shifts this stream.
        let draw = self.rng.next_u32() as usize;
        self.line = if candidates.is_empty() {
            0
        } else {
            candidates[draw % candidates.len()]
        };
        if let Some(layer) = node.reveals
            && layer > self.voiced
        {
            self.voiced = layer;
        }
        if let Some(line) = node.lines.get(self.line) {
            let turn = self.transcript.turns.len();
            for motif in &line.voices {
                if !self.voiced_motif(motif) {
                    self.transcript.motifs.push(Voicing {
                        motif: motif.clone(),
                        turn,
                    });
                }
            }
        }
        self.stats.clarity = self.stats.clarity.max(member::clarity_floor(self.voiced));
        Some(Spoken {
            node: id.to_string(),
            variant: self.line,
        })
    }

    fn moment(&self, node: &Node, act: &Act) -> Moment {
        let turns = &self.transcript.turns;
        let repeats = turns
            .iter()
            .rev()
            .take_while(|t| t.act.key() == act.key())
            .count() as u32;
        let count = |key: &str| turns.iter().filter(|t| t.act.key() == key).count() as u32;
        Moment {
            voiced: self.voiced,
            asked_advice: node.asks_advice,
            permission_asked: turns
                .last()
                .is_some_and(|t| matches!(t.act, Act::AskPermission)),
            repeats,
            affirmations_before: count("affirm"),
            permissions_before: count("ask_permission"),
            after_misstep: turns.last().is_some_and(Turn::is_misstep),
        }
    }

    /// Evaluates a condition now.
    pub fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::All(all) => all.iter().all(|c| self.holds(c)),
            Cond::Any(any) => any.iter().any(|c| self.holds(c)),
            Cond::Not(inner) => !self.holds(inner),
            Cond::AtLeast(stat, value) => self.stats.get(*stat) >= *value,
            Cond::AtMost(stat, value) => self.stats.get(*stat) <= *value,
            Cond::Voiced(layer) => self.voiced >= *layer,
            Cond::Visited(node) => self.visits.contains_key(node),
            Cond::Chose(choice) => self.chosen.contains_key(choice),
            Cond::Turns(n) => self.transcript.turns.len() as u64 >= u64::from(*n),
            Cond::PrevEnding(kind) => self.prior().is_some_and(|p| p.kind == Some(*kind)),
            Cond::PrevEndingId(id) => self.prior().is_some_and(|p| &p.ending == id),
            Cond::PrevNextStep(step) => self.prior().is_some_and(|p| p.next_step == *step),
            Cond::PrevVoiced(layer) => self.prior().is_some_and(|p| p.voiced >= *layer),
            Cond::PrevMotif(motif) => self.prior().is_some_and(|p| p.voiced_motif(motif)),
            Cond::Motif(motif) => self.voiced_motif(motif),
        }
    }
}

fn clamp_all(stats: Stats) -> Stats {
    Stats {
        trust: member::clamp_stat(stats.trust),
        openness: member::clamp_stat(stats.openness),
        clarity: member::clamp_stat(stats.clarity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One looping node: `listen` is once-only, `nod` sticky, `advise`
    /// greyed out until `listen` was chosen, `hidden` not shown until the
    /// value is voiced, `bye` ends it.
    const LOOP: &str = r#"Scenario(
        id: "loop",
        title: (ja: "ループ", en: "Loop"),
        summary: (ja: "テスト用", en: "For tests"),
        persona: (
            name: (ja: "田中", en: "Tanaka"),
            role: (ja: "開発", en: "Developer"),
            years: 2,
            background: (ja: "テスト用", en: "For tests"),
            temperament: (reserve: 50, sensitivity: 50),
        ),
        inner: (
            surface: (ja: "表", en: "Surface"),
            unease: (ja: "もやもや", en: "Unease"),
            value: (ja: "価値", en: "Value"),
        ),
        briefing: (ja: "テスト用", en: "For tests"),
        start: "hub",
        nodes: {
            "hub": (
                lines: [
                    (text: (ja: "うーん。", en: "Hmm."), mood: Guarded),
                    (text: (ja: "そうですね。", en: "Well."), mood: Guarded),
                ],
                reveals: Surface,
                choices: [
                    (id: "listen", text: (ja: "聞き返す", en: "Reflect"), act: SimpleReflection, next: Node("hub")),
                    (id: "nod", text: (ja: "うなずく", en: "Nod"), act: Acknowledge, sticky: true, next: Node("hub")),
                    (id: "advise", text: (ja: "助言", en: "Advise"), act: Advise, when: Chose("listen"), unavailable: Disable, next: Node("hub")),
                    (id: "hidden", text: (ja: "情報", en: "Inform"), act: Inform, when: Voiced(Value), next: Node("hub")),
                    (id: "bye", text: (ja: "まとめる", en: "Sum up"), act: Summarize, next: End("done")),
                ],
            ),
        },
        endings: {
            "done": (kind: Polite, title: (ja: "終わり", en: "The end"), text: (ja: "終わった。", en: "It ended.")),
        },
    )"#;

    fn looping() -> Arc<Scenario> {
        crate::fixtures::scenario("loop.ron", LOOP)
    }

    fn sample() -> Arc<Scenario> {
        crate::fixtures::sample()
    }

    #[test]
    fn start_and_play_are_deterministic_per_seed() {
        let s = sample();
        let choices = ["nod", "reflect", "values", "summary"];
        let a = Session::replay(&s, 7, &choices).expect("the good path plays");
        let b = Session::replay(&s, 7, &choices).expect("the good path plays");
        assert_eq!(a.transcript(), b.transcript());
        assert_eq!(
            Session::start(&s, 7).transcript(),
            Session::start(&s, 7).transcript()
        );
        assert_eq!(a.transcript().ending.as_deref(), Some("opened"));
        // The seed matters: the member's day-to-day variation moves the stats.
        let finals: std::collections::BTreeSet<_> = (0..16)
            .map(|seed| {
                let t = Session::replay(&s, seed, &choices).expect("plays");
                let f = t.transcript().final_stats();
                (f.trust, f.openness, f.clarity)
            })
            .collect();
        assert!(finals.len() > 1, "every seed gave {finals:?}");
    }

    #[test]
    fn choose_rejects_unknown_disabled_used_and_late_choices() {
        let s = looping();
        let mut session = Session::start(&s, 1);
        assert_eq!(
            session.choose("nope").unwrap_err(),
            SessionError::UnknownChoice {
                id: "nope".into(),
                available: "listen, nod, bye".into(),
            }
        );
        // Greyed out: its condition does not hold yet.
        assert_eq!(
            session.choose("advise").unwrap_err(),
            SessionError::Unavailable("advise".into())
        );
        // Hidden (condition false, not greyed out): still known at this node.
        assert_eq!(
            session.choose("hidden").unwrap_err(),
            SessionError::Unavailable("hidden".into())
        );
        assert_eq!(session.turn_count(), 0, "a rejected choice plays nothing");
        session.choose("listen").expect("listen is offered");
        // Once-only: used.
        assert_eq!(
            session.choose("listen").unwrap_err(),
            SessionError::Unavailable("listen".into())
        );
        session.choose("bye").expect("bye ends it");
        assert_eq!(session.choose("nod").unwrap_err(), SessionError::Over);
    }

    #[test]
    fn once_only_choices_go_and_sticky_ones_stay() {
        let s = looping();
        let mut session = Session::start(&s, 1);
        assert_eq!(session.available(), ["listen", "nod", "bye"]);
        let shown: Vec<(String, bool)> = session
            .choices()
            .into_iter()
            .map(|o| (o.id, o.enabled))
            .collect();
        assert!(shown.contains(&("advise".to_string(), false)));
        assert!(!shown.iter().any(|(id, _)| id == "hidden"));
        session.choose("listen").unwrap();
        session.choose("nod").unwrap();
        session.choose("nod").unwrap();
        // `listen` is used up, `nod` stays, `advise` is now enabled.
        assert_eq!(session.available(), ["nod", "advise", "bye"]);
        assert_eq!(session.turn_count(), 3);
    }

    #[test]
    fn replay_fails_at_the_first_bad_index() {
        let s = looping();
        let err = Session::replay(&s, 1, &["nod", "nod", "nope", "bye"]).unwrap_err();
        assert_eq!(err.0, 2);
        assert!(matches!(err.1, SessionError::UnknownChoice { ref id, .. } if id == "nope"));
        let err = Session::replay(&s, 1, &["listen", "listen"]).unwrap_err();
        assert_eq!(err, (1, SessionError::Unavailable("listen".into())));
        let err = Session::replay(&s, 1, &["bye", "nod"]).unwrap_err();
        assert_eq!(err, (1, SessionError::Over));
    }

    #[test]
    fn replay_prefix_stops_at_the_first_bad_id() {
        let s = looping();
        let ids: Vec<String> = ["listen", "nod", "bogus", "bye"]
            .iter()
            .map(|id| id.to_string())
            .collect();
        let session = Session::replay_prefix(&s, 1, &ids);
        assert_eq!(session.transcript().choice_ids(), ["listen", "nod"]);
        assert!(!session.is_over(), "`bye` after the bad id was not played");
    }

    #[test]
    fn is_over_after_an_ending() {
        let s = looping();
        let mut session = Session::start(&s, 1);
        assert!(!session.is_over());
        assert_eq!(session.node_id(), Some("hub"));
        let turn = session.choose("bye").unwrap();
        assert!(turn.reply.is_none(), "the ending choice gets no reply");
        assert!(session.is_over());
        assert_eq!(session.node_id(), None);
        assert_eq!(session.ending().map(|(id, _)| id), Some("done"));
        assert_eq!(session.transcript().ending.as_deref(), Some("done"));
        assert!(session.choices().is_empty() && session.available().is_empty());
    }

    #[test]
    fn offered_is_a_stable_shuffle_that_does_not_always_put_the_first_reply_first() {
        let scenario = crate::fixtures::sample();
        let mut first_first = 0;
        for seed in 0..40 {
            let session = Session::start(&scenario, seed);
            let offered: Vec<String> = session.offered().into_iter().map(|o| o.id).collect();
            let mut sorted = offered.clone();
            sorted.sort();
            let mut file: Vec<String> = session.choices().into_iter().map(|o| o.id).collect();
            file.sort();
            // The same replies, in an order that repeats for the same session.
            assert_eq!(sorted, file);
            let again: Vec<String> = Session::start(&scenario, seed)
                .offered()
                .into_iter()
                .map(|o| o.id)
                .collect();
            assert_eq!(offered, again);
            if offered[0] == session.choices()[0].id {
                first_first += 1;
            }
        }
        // With 3+ replies the author's first one leads about a third of the time.
        assert!(first_first < 30, "first reply first in {first_first} of 40");
        assert!(first_first > 0);
    }
}
