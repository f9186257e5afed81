//! The path search behind the analysis: exhaustive depth-first walks,
//! seeded random playthroughs, beam search and walks guided towards an
//! ending.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use super::{EXHAUSTIVE_PATH_LIMIT, PathReport, Pivot, max_turns};
use crate::act::{Family, Frame};
use crate::play::session::Session;
use crate::scenario::{Scenario, Target};
use crate::score::rules::UNEASE_VOICED_AT;
use crate::score::{Score, Scores, score_quick};

/// How many partial paths the beam search keeps at each depth, for a
/// scenario of up to 100 nodes; bigger graphs get a narrower beam.
const BEAM_WIDTH: usize = 48;

/// Guided attempts per ending that random playthroughs did not reach.
pub(super) const GUIDED_ATTEMPTS: u64 = 300;

pub(super) fn beam_width(scenario: &Scenario) -> usize {
    (BEAM_WIDTH * 100 / scenario.nodes.len().max(1)).clamp(4, BEAM_WIDTH)
}

/// Counts the scenario's paths from its structure (every choice and branch
/// target, conditions ignored): an upper bound for loop-free graphs, `None`
/// when the graph has a cycle.
pub fn structural_paths(scenario: &Scenario) -> Option<u64> {
    // Iterative post-order DFS with colours to detect cycles.
    let mut memo: HashMap<&str, u64> = HashMap::new();
    let mut on_stack: HashMap<&str, bool> = HashMap::new();
    let mut stack: Vec<(&str, bool)> = vec![(scenario.start.as_str(), false)];
    while let Some((id, expanded)) = stack.pop() {
        let node = scenario.nodes.get(id)?;
        let targets = node
            .choices
            .iter()
            .flat_map(|c| std::iter::once(&c.next).chain(c.branches.iter().map(|b| &b.next)));
        if expanded {
            let mut total: u64 = 0;
            for target in targets {
                let n = match target {
                    Target::End(_) => 1,
                    Target::Node(next) => *memo.get(next.as_str())?,
                };
                total = total.saturating_add(n);
            }
            memo.insert(id, total);
            on_stack.insert(id, false);
            continue;
        }
        if memo.contains_key(id) {
            continue;
        }
        if on_stack.get(id).copied().unwrap_or(false) {
            return None;
        }
        on_stack.insert(id, true);
        stack.push((id, true));
        for target in targets {
            if let Target::Node(next) = target {
                if on_stack.get(next.as_str()).copied().unwrap_or(false) {
                    return None;
                }
                if !memo.contains_key(next.as_str()) {
                    stack.push((next.as_str(), false));
                }
            }
        }
    }
    memo.get(scenario.start.as_str()).copied()
}

pub(super) fn path_report(session: &Session) -> (PathReport, Score) {
    let score = score_quick(session.scenario(), session.transcript());
    let report = PathReport {
        score: Scores::from(&score),
        choices: session.transcript().choice_ids(),
        ending: session.transcript().ending.clone(),
    };
    (report, score)
}

fn enabled(session: &Session) -> Vec<String> {
    session
        .available()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Plays the advise-first policy: the first advice-like option when there is
/// one, else the first self-disclosure or redirect, else the first option.
pub fn advise_first(scenario: &Arc<Scenario>, seed: u64) -> Session {
    let mut session = Session::start(scenario, seed);
    let limit = max_turns(scenario);
    while !session.is_over() && session.turn_count() < limit {
        let offers: Vec<_> = session
            .choices()
            .into_iter()
            .filter(|o| o.enabled)
            .collect();
        let pick = offers
            .iter()
            .find(|o| o.act.is_advice_like())
            .or_else(|| offers.iter().find(|o| o.act.family() == Family::Directing))
            .or(offers.first());
        let Some(pick) = pick.map(|o| o.id.clone()) else {
            break;
        };
        if session.choose(&pick).is_err() {
            break;
        }
    }
    session
}

/// Whether a finished path qualifies as "listen first" (see [`Analysis::listen_first`]).
pub fn is_listen_first(session: &Session) -> bool {
    let turns = &session.transcript().turns;
    let Some(first) = turns.first() else {
        return false;
    };
    first.act.family() == Family::Listening
        && !turns
            .iter()
            .any(|t| t.act.is_advice_like() && t.voiced_before < UNEASE_VOICED_AT)
        && turns.iter().any(|t| {
            t.act
                .question()
                .is_some_and(|q| q.open && q.frame == Frame::Being && !q.leading && !q.blaming)
        })
}

/// Everything counted over the walked paths.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) paths: u64,
    pub(super) histogram: [u64; 10],
    /// Paths per exact overall score 0-100, for the tie rate.
    pub(super) by_score: Vec<u64>,
    pub(super) endings: BTreeMap<String, u64>,
    pub(super) best: Option<PathReport>,
    pub(super) worst: Option<PathReport>,
    pub(super) listen_first: Option<PathReport>,
    pub(super) dead_ends: Vec<PathReport>,
}

impl Tally {
    /// Counts one finished (or turn-limited) path; returns its overall score.
    pub(super) fn add(&mut self, session: &Session) -> u32 {
        let (report, _) = path_report(session);
        let overall = report.score.overall;
        self.paths += 1;
        self.histogram[(overall as usize / 10).min(9)] += 1;
        let at = (overall as usize).min(100);
        if self.by_score.len() <= at {
            self.by_score.resize(101, 0);
        }
        self.by_score[at] += 1;
        match &report.ending {
            Some(id) => *self.endings.entry(id.clone()).or_default() += 1,
            None if self.dead_ends.len() < 10 => self.dead_ends.push(report.clone()),
            None => {}
        }
        if is_listen_first(session)
            && self
                .listen_first
                .as_ref()
                .is_none_or(|b| overall > b.score.overall)
        {
            self.listen_first = Some(report.clone());
        }
        if self.best.as_ref().is_none_or(|b| overall > b.score.overall) {
            self.best = Some(report.clone());
        }
        if self
            .worst
            .as_ref()
            .is_none_or(|w| overall < w.score.overall)
        {
            self.worst = Some(report);
        }
        overall
    }
}

pub(super) struct Walk<'a> {
    pub(super) limit: usize,
    pub(super) tally: &'a mut Tally,
    pub(super) pivots: BTreeMap<String, Pivot>,
}

impl Walk<'_> {
    /// Walks every path below `session`; returns the best overall reachable.
    pub(super) fn dfs(&mut self, session: Session) -> u32 {
        if session.is_over() || session.turn_count() >= self.limit {
            return self.tally.add(&session);
        }
        let node = session.node_id().unwrap_or_default().to_string();
        let mut results: Vec<(String, u32)> = Vec::new();
        for id in enabled(&session) {
            let mut next = session.clone();
            if next.choose(&id).is_ok() {
                let best = self.dfs(next);
                results.push((id, best));
            }
        }
        let Some(best) = results.iter().max_by_key(|(_, s)| *s).cloned() else {
            return self.tally.add(&session);
        };
        if let Some(worst) = results.iter().min_by_key(|(_, s)| *s).cloned() {
            let entry = self.pivots.entry(node.clone()).or_insert_with(|| Pivot {
                node,
                best: best.1,
                worst: worst.1,
                best_choice: best.0.clone(),
                worst_choice: worst.0.clone(),
            });
            if best.1 - worst.1 > entry.best - entry.worst {
                entry.best = best.1;
                entry.worst = worst.1;
                entry.best_choice = best.0.clone();
                entry.worst_choice = worst.0.clone();
            }
        }
        best.1
    }
}

/// What a beam search looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Goal {
    Best,
    Worst,
    ListenFirst,
}

/// Beam search from `start`: keeps the `width` most promising partial paths
/// (by the score of the path so far) at each depth; returns the best
/// finished path for the goal, if any.
pub(super) fn beam(start: &Session, width: usize, goal: Goal, limit: usize) -> Option<Session> {
    let rank = |s: &Session| -> i64 {
        let overall = i64::from(score_quick(s.scenario(), s.transcript()).overall);
        if goal == Goal::Worst {
            -overall
        } else {
            overall
        }
    };
    let allowed = |s: &Session| goal != Goal::ListenFirst || could_listen_first(s);
    let mut frontier = vec![start.clone()];
    let mut finished: Option<(i64, Session)> = None;
    while !frontier.is_empty() {
        let mut next: Vec<(i64, Session)> = Vec::new();
        for session in &frontier {
            for id in enabled(session) {
                let mut child = session.clone();
                if child.choose(&id).is_err() || !allowed(&child) {
                    continue;
                }
                let r = rank(&child);
                if child.is_over() || child.turn_count() >= limit {
                    let qualifies = goal != Goal::ListenFirst || is_listen_first(&child);
                    if qualifies && finished.as_ref().is_none_or(|(best, _)| r > *best) {
                        finished = Some((r, child));
                    }
                } else {
                    next.push((r, child));
                }
            }
        }
        next.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        next.truncate(width);
        frontier = next.into_iter().map(|(_, s)| s).collect();
    }
    finished.map(|(_, s)| s)
}

/// Can this partial path still become a listen-first path?
fn could_listen_first(session: &Session) -> bool {
    let turns = &session.transcript().turns;
    turns
        .first()
        .is_none_or(|t| t.act.family() == Family::Listening)
        && !turns
            .iter()
            .any(|t| t.act.is_advice_like() && t.voiced_before < UNEASE_VOICED_AT)
}

/// Structural distance (in choices) from every node to the ending `id`.
pub(super) fn distances_to(scenario: &Scenario, id: &str) -> HashMap<String, u32> {
    let mut dist: HashMap<String, u32> = HashMap::new();
    loop {
        let mut changed = false;
        for (node_id, node) in &scenario.nodes {
            let best = node
                .choices
                .iter()
                .flat_map(|c| std::iter::once(&c.next).chain(c.branches.iter().map(|b| &b.next)))
                .filter_map(|t| match t {
                    Target::End(e) if e == id => Some(1),
                    Target::Node(n) => dist.get(n).map(|d| d + 1),
                    Target::End(_) => None,
                })
                .min();
            if let Some(best) = best
                && dist.get(node_id).is_none_or(|d| best < *d)
            {
                dist.insert(node_id.clone(), best);
                changed = true;
            }
        }
        if !changed {
            return dist;
        }
    }
}

/// A walk that heads for the ending `id`: mostly the choice whose
/// destination is structurally closest to it, sometimes a random one.
pub(super) fn guided_walk(
    scenario: &Arc<Scenario>,
    seed: u64,
    id: &str,
    attempt: u64,
    dist: &HashMap<String, u32>,
    limit: usize,
) -> Session {
    let mut rng = ChaCha8Rng::seed_from_u64(attempt ^ 0x6A09_E667_F3BC_C908);
    let mut session = Session::start(scenario, seed);
    while !session.is_over() && session.turn_count() < limit {
        let ids = enabled(&session);
        if ids.is_empty() {
            break;
        }
        let node = session.node().cloned();
        let distance = |choice: &str| -> u32 {
            node.as_ref()
                .and_then(|n| n.choices.iter().find(|c| c.id == choice))
                .map_or(u32::MAX, |c| match &c.next {
                    Target::End(e) if e == id => 0,
                    Target::End(_) => u32::MAX,
                    Target::Node(n) => dist.get(n).copied().unwrap_or(u32::MAX),
                })
        };
        let pick = if rng.next_u32() % 4 == 0 {
            ids[rng.next_u32() as usize % ids.len()].clone()
        } else {
            let closest = ids.iter().map(|c| distance(c)).min().unwrap_or(u32::MAX);
            let candidates: Vec<&String> = ids.iter().filter(|c| distance(c) == closest).collect();
            candidates[rng.next_u32() as usize % candidates.len()].clone()
        };
        if session.choose(&pick).is_err() {
            break;
        }
    }
    session
}

/// The five pivots with the widest spread, ignoring decisions that do not
/// matter.
pub(super) fn top_pivots(pivots: Vec<Pivot>) -> Vec<Pivot> {
    let mut pivots: Vec<Pivot> = pivots.into_iter().filter(|p| p.best > p.worst).collect();
    pivots.sort_by(|a, b| {
        (b.best - b.worst)
            .cmp(&(a.best - a.worst))
            .then(a.node.cmp(&b.node))
    });
    pivots.truncate(5);
    pivots
}

/// Pivots from random playthroughs (sampled mode): per node, the best
/// score seen after each choice made there.
pub(super) fn sampled_pivots(by_choice: &BTreeMap<(String, String), u32>) -> Vec<Pivot> {
    let mut pivots: BTreeMap<&str, Pivot> = BTreeMap::new();
    for ((node, choice), &score) in by_choice {
        let pivot = pivots.entry(node).or_insert_with(|| Pivot {
            node: node.clone(),
            best: score,
            worst: score,
            best_choice: choice.clone(),
            worst_choice: choice.clone(),
        });
        if score > pivot.best {
            pivot.best = score;
            pivot.best_choice = choice.clone();
        }
        if score < pivot.worst {
            pivot.worst = score;
            pivot.worst_choice = choice.clone();
        }
    }
    top_pivots(pivots.into_values().collect())
}

/// How many random playthroughs a sampled analysis makes: more for small
/// graphs, fewer for huge ones, always deterministic.
pub(super) fn sample_count(scenario: &Scenario) -> u64 {
    let size = scenario.nodes.len().max(1) as u64;
    (2_000_000 / size).clamp(200, 20_000)
}

/// One seeded random playthrough: uniform over the enabled choices.
pub fn random_playthrough(scenario: &Arc<Scenario>, seed: u64, walk: u64, limit: usize) -> Session {
    let mut rng = ChaCha8Rng::seed_from_u64(walk.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed);
    let mut session = Session::start(scenario, seed);
    while !session.is_over() && session.turn_count() < limit {
        let ids = enabled(&session);
        if ids.is_empty() {
            break;
        }
        let pick = &ids[rng.next_u32() as usize % ids.len()];
        if session.choose(pick).is_err() {
            break;
        }
    }
    session
}

/// The best path reachable from `session`: exhaustive when the rest of the
/// graph is small enough, else a beam search (a path at least that good
/// exists; a better one may).
pub fn best_from(session: &Session) -> PathReport {
    let scenario = Arc::clone(session.scenario());
    let limit = max_turns(&scenario);
    if session.is_over() {
        return path_report(session).0;
    }
    let small = structural_paths(&scenario).is_some_and(|n| n <= EXHAUSTIVE_PATH_LIMIT);
    if small {
        let mut tally = Tally::default();
        let mut walk = Walk {
            limit,
            tally: &mut tally,
            pivots: BTreeMap::new(),
        };
        walk.dfs(session.clone());
        if let Some(best) = tally.best {
            return best;
        }
    } else if let Some(found) = beam(session, beam_width(&scenario), Goal::Best, limit) {
        return path_report(&found).0;
    }
    path_report(session).0
}
