//! `kiku analyse`: walks a scenario's paths and reports what a facilitator
//! needs to balance it: how many paths, the best and worst score and the
//! choices that reach them, the score distribution, how often each ending is
//! reached, dead ends, and the decisions that matter most. The same search
//! gives the debrief its "what would have been better".
//!
//! Exhaustive depth-first search when the graph has few enough paths (its
//! structure is counted first), else seeded random playthroughs; the report
//! says which.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::Serialize;

use crate::act::{Act, Family, Frame};
use crate::play::session::Session;
use crate::scenario::{EndingKind, Scenario, Target};
use crate::score::rules::UNEASE_VOICED_AT;
use crate::score::{Score, Scores, score_quick};

/// Above this many structural paths, analysis samples instead of walking all.
pub const EXHAUSTIVE_PATH_LIMIT: u64 = 100_000;

/// How many partial paths the beam search keeps at each depth, for a
/// scenario of up to 100 nodes; bigger graphs get a narrower beam.
const BEAM_WIDTH: usize = 48;

/// Guided attempts per ending that random playthroughs did not reach.
const GUIDED_ATTEMPTS: u64 = 300;

fn beam_width(scenario: &Scenario) -> usize {
    (BEAM_WIDTH * 100 / scenario.nodes.len().max(1)).clamp(4, BEAM_WIDTH)
}

/// One complete path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathReport {
    /// Its score.
    pub score: Scores,
    /// The choice ids, in order.
    pub choices: Vec<String>,
    /// The ending reached (`None`: the path ran into the turn limit).
    pub ending: Option<String>,
}

/// How the paths were walked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Method {
    /// Every path, depth first.
    Exhaustive,
    /// Random playthroughs (the graph has too many paths or loops), plus a
    /// beam search for the best, worst and listen-first paths and guided
    /// walks towards endings the playthroughs missed. Best and worst are
    /// then the best and worst *found*; pivots come from the playthroughs.
    Sampled {
        /// How many random playthroughs.
        playthroughs: u64,
    },
}

/// How often an ending is reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndingCount {
    /// Ending id.
    pub id: String,
    /// Its kind.
    pub kind: EndingKind,
    /// Paths (or playthroughs) that reach it.
    pub paths: u64,
}

/// A decision point where the choice matters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pivot {
    /// The node.
    pub node: String,
    /// The best reachable score after the best choice here.
    pub best: u32,
    /// The best reachable score after the worst choice here.
    pub worst: u32,
    /// The choice with the best reachable score.
    pub best_choice: String,
    /// The choice with the worst best-reachable score.
    pub worst_choice: String,
}

/// The analysis of one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// Format name and version of the JSON form.
    pub format: &'static str,
    /// Scenario id.
    pub scenario: String,
    /// The seed the paths were played with.
    pub seed: u64,
    /// Exhaustive or sampled.
    pub method: Method,
    /// The structural path count (saturating; `None` when the graph loops).
    pub structural_paths: Option<u64>,
    /// Paths walked (or playthroughs).
    pub paths: u64,
    /// The best-scoring path.
    pub best: PathReport,
    /// The worst-scoring path.
    pub worst: PathReport,
    /// The best path that listens first: its first act is a listening act,
    /// it never advises, instructs, reassures or judges before the unease is
    /// voiced, and it asks at least one open being question. `None` if no
    /// path qualifies.
    pub listen_first: Option<PathReport>,
    /// The path that advises at every chance (first advice-like option, else
    /// the first self-disclosure or redirect, else the first option).
    pub advise_first: PathReport,
    /// Paths per score band: `histogram[i]` counts scores `10*i ..= 10*i+9`
    /// (the last band includes 100).
    pub histogram: [u64; 10],
    /// Every ending with how many paths reach it.
    pub endings: Vec<EndingCount>,
    /// Paths that hit the turn limit without an ending.
    pub dead_ends: Vec<PathReport>,
    /// Decisions where the choice changes the best reachable score most.
    pub pivots: Vec<Pivot>,
}

/// The JSON format name of [`Analysis`].
pub const FORMAT: &str = "kiku.analyse/1";

/// The most turns a path may take before it counts as a dead end (a loop).
pub fn max_turns(scenario: &Scenario) -> usize {
    (scenario.nodes.len() * 2).max(60)
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

fn path_report(session: &Session) -> (PathReport, Score) {
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
struct Tally {
    paths: u64,
    histogram: [u64; 10],
    endings: BTreeMap<String, u64>,
    best: Option<PathReport>,
    worst: Option<PathReport>,
    listen_first: Option<PathReport>,
    dead_ends: Vec<PathReport>,
}

impl Tally {
    /// Counts one finished (or turn-limited) path; returns its overall score.
    fn add(&mut self, session: &Session) -> u32 {
        let (report, _) = path_report(session);
        let overall = report.score.overall;
        self.paths += 1;
        self.histogram[(overall as usize / 10).min(9)] += 1;
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

struct Walk<'a> {
    limit: usize,
    tally: &'a mut Tally,
    pivots: BTreeMap<String, Pivot>,
}

impl Walk<'_> {
    /// Walks every path below `session`; returns the best overall reachable.
    fn dfs(&mut self, session: Session) -> u32 {
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
enum Goal {
    Best,
    Worst,
    ListenFirst,
}

/// Beam search from `start`: keeps the `width` most promising partial paths
/// (by the score of the path so far) at each depth; returns the best
/// finished path for the goal, if any.
fn beam(start: &Session, width: usize, goal: Goal, limit: usize) -> Option<Session> {
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
fn distances_to(scenario: &Scenario, id: &str) -> HashMap<String, u32> {
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
fn guided_walk(
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

/// Analyses `scenario` with `seed`.
pub fn analyse(scenario: &Arc<Scenario>, seed: u64) -> Analysis {
    let structural = structural_paths(scenario);
    let exhaustive = structural.is_some_and(|n| n <= EXHAUSTIVE_PATH_LIMIT);
    let limit = max_turns(scenario);
    let mut tally = Tally::default();
    let start = Session::start(scenario, seed);

    let (method, pivots) = if exhaustive {
        let mut walk = Walk {
            limit,
            tally: &mut tally,
            pivots: BTreeMap::new(),
        };
        walk.dfs(start);
        let pivots = top_pivots(walk.pivots.into_values().collect());
        (Method::Exhaustive, pivots)
    } else {
        let playthroughs = sample_count(scenario);
        let mut by_choice: BTreeMap<(String, String), u32> = BTreeMap::new();
        for walk in 0..playthroughs {
            let session = random_playthrough(scenario, seed, walk, limit);
            let overall = tally.add(&session);
            for turn in &session.transcript().turns {
                let best = by_choice
                    .entry((turn.node.clone(), turn.choice.clone()))
                    .or_default();
                *best = (*best).max(overall);
            }
        }
        for goal in [Goal::Best, Goal::Worst, Goal::ListenFirst] {
            if let Some(found) = beam(&start, beam_width(scenario), goal, limit) {
                tally.add(&found);
            }
        }
        for id in scenario.endings.keys() {
            if tally.endings.contains_key(id) {
                continue;
            }
            let dist = distances_to(scenario, id);
            for attempt in 0..GUIDED_ATTEMPTS {
                tally.add(&guided_walk(scenario, seed, id, attempt, &dist, limit));
                if tally.endings.contains_key(id) {
                    break;
                }
            }
        }
        (Method::Sampled { playthroughs }, sampled_pivots(&by_choice))
    };

    let empty = || PathReport {
        score: Scores::default(),
        choices: Vec::new(),
        ending: None,
    };
    let endings = scenario
        .endings
        .iter()
        .map(|(id, e)| EndingCount {
            id: id.clone(),
            kind: e.kind,
            paths: tally.endings.get(id).copied().unwrap_or(0),
        })
        .collect();
    Analysis {
        format: FORMAT,
        scenario: scenario.id.clone(),
        seed,
        method,
        structural_paths: structural,
        paths: tally.paths,
        best: tally.best.unwrap_or_else(empty),
        worst: tally.worst.unwrap_or_else(empty),
        listen_first: tally.listen_first,
        advise_first: path_report(&advise_first(scenario, seed)).0,
        histogram: tally.histogram,
        endings,
        dead_ends: tally.dead_ends,
        pivots,
    }
}

/// The five pivots with the widest spread, ignoring decisions that do not
/// matter.
fn top_pivots(pivots: Vec<Pivot>) -> Vec<Pivot> {
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
fn sampled_pivots(by_choice: &BTreeMap<(String, String), u32>) -> Vec<Pivot> {
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
fn sample_count(scenario: &Scenario) -> u64 {
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

/// The analysis as a facilitator reads it in a terminal.
pub fn render_text(a: &Analysis, scenario: &Scenario) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let method = match &a.method {
        Method::Exhaustive => format!("exhaustive: every one of {} paths walked", a.paths),
        Method::Sampled { playthroughs } => format!(
            "sampled: {playthroughs} random playthroughs ({})",
            match a.structural_paths {
                Some(n) => format!("{n} structural paths is too many to walk"),
                None => "the graph loops".to_string(),
            }
        ),
    };
    let _ = writeln!(out, "scenario `{}` (seed {})", a.scenario, a.seed);
    let _ = writeln!(out, "method:   {method}");
    let path = |p: &PathReport| {
        const SHOWN: usize = 40;
        let mut choices = p
            .choices
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(",");
        if p.choices.len() > SHOWN {
            choices.push_str(&format!(",… ({} more)", p.choices.len() - SHOWN));
        }
        format!(
            "{:>3}  (listen {} / questions {} / change {} / outcome {})  ending {}\n      --choices {}",
            p.score.overall,
            p.score.listening,
            p.score.questions,
            p.score.change,
            p.score.outcome,
            p.ending.as_deref().unwrap_or("(none: turn limit)"),
            choices
        )
    };
    let _ = writeln!(out, "best:         {}", path(&a.best));
    match &a.listen_first {
        Some(p) => {
            let _ = writeln!(out, "listen-first: {}", path(p));
        }
        None => {
            let _ = writeln!(
                out,
                "listen-first: (no path listens first and asks an open being question)"
            );
        }
    }
    let _ = writeln!(out, "advise-first: {}", path(&a.advise_first));
    let _ = writeln!(out, "worst:        {}", path(&a.worst));
    let _ = writeln!(out, "\nscore distribution ({} paths):", a.paths);
    let max = a.histogram.iter().copied().max().unwrap_or(0).max(1);
    for (i, count) in a.histogram.iter().enumerate() {
        let bar = "#".repeat(((count * 40).div_ceil(max)) as usize);
        let label = if i == 9 {
            "90-100".to_string()
        } else {
            format!("{}-{}", i * 10, i * 10 + 9)
        };
        let _ = writeln!(out, "  {label:>6} | {bar} {count}");
    }
    let _ = writeln!(out, "\nendings:");
    for e in &a.endings {
        let share = if a.paths > 0 {
            100.0 * e.paths as f64 / a.paths as f64
        } else {
            0.0
        };
        let warn = if e.paths == 0 {
            "  <- never reached"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<24} {:<10} {:>8} paths ({share:.1}%){warn}",
            e.id,
            format!("{:?}", e.kind),
            e.paths
        );
    }
    if a.dead_ends.is_empty() {
        let _ = writeln!(out, "\ndead ends: none");
    } else {
        let _ = writeln!(
            out,
            "\ndead ends (paths that never reach an ending within {} turns):",
            max_turns(scenario)
        );
        for d in &a.dead_ends {
            let _ = writeln!(out, "  --choices {}", d.choices.join(","));
        }
    }
    if !a.pivots.is_empty() {
        let _ = writeln!(
            out,
            "\ndecisions that matter most (best reachable score after the best vs the worst choice):"
        );
        for p in &a.pivots {
            let _ = writeln!(
                out,
                "  {:<24} {:>3} via `{}`  vs {:>3} via `{}`",
                p.node, p.best, p.best_choice, p.worst, p.worst_choice
            );
        }
    }
    out
}
