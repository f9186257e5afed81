//! `kiku analyse`: walks a scenario's paths and reports what a facilitator
//! needs to balance it: how many paths, the best and worst score and the
//! choices that reach them, the score distribution, how often each ending is
//! reached, dead ends, and the decisions that matter most. The same search
//! gives the debrief its "what would have been better".
//!
//! Exhaustive depth-first search when the graph has few enough paths (its
//! structure is counted first), else seeded random playthroughs; the report
//! says which.
//!
//! The parts: `search.rs` walks, samples and beam-searches the paths;
//! `suggestions.rs` turns the search into the debrief's better choices;
//! `text.rs` renders the report for a terminal.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::play::session::Session;
use crate::scenario::{EndingKind, Scenario};
use crate::score::Scores;

mod search;
mod suggestions;
mod text;

pub use search::{advise_first, best_from, is_listen_first, random_playthrough, structural_paths};
pub use suggestions::{Suggestion, better_choices};
pub use text::render_text;

use search::{
    GUIDED_ATTEMPTS, Goal, Tally, Walk, beam, beam_width, distances_to, guided_walk, path_report,
    sample_count, sampled_pivots, top_pivots,
};

/// Above this many structural paths, analysis samples instead of walking all.
pub const EXHAUSTIVE_PATH_LIMIT: u64 = 100_000;

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
    /// How often two different paths share an overall score: of all pairs
    /// of paths walked, the share with the same overall (0-1).
    pub ties: f64,
    /// Every ending with how many paths reach it.
    pub endings: Vec<EndingCount>,
    /// Paths that hit the turn limit without an ending.
    pub dead_ends: Vec<PathReport>,
    /// Decisions where the choice changes the best reachable score most.
    pub pivots: Vec<Pivot>,
}

/// Of all pairs of paths, the share that score the same overall.
pub fn tie_share(by_score: &[u64]) -> f64 {
    let n: u64 = by_score.iter().sum();
    if n < 2 {
        return 0.0;
    }
    let same: f64 = by_score
        .iter()
        .map(|&c| c as f64 * c.saturating_sub(1) as f64)
        .sum();
    same / (n as f64 * (n - 1) as f64)
}

/// The JSON format name of [`Analysis`].
pub const FORMAT: &str = "kiku.analyse/1";

/// The most turns a path may take before it counts as a dead end (a loop).
pub fn max_turns(scenario: &Scenario) -> usize {
    (scenario.nodes.len() * 2).max(60)
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
        ties: tie_share(&tally.by_score),
        endings,
        dead_ends: tally.dead_ends,
        pivots,
    }
}

/// Calls `visit` with every route (finished or turn-limited playthrough)
/// that [`analyse`] walks with `seed`, without scoring them: every path
/// depth first when the graph is small enough, else the same seeded random
/// playthroughs, beam searches and guided walks towards missed endings.
/// Other checks (continuity) use it to cover exactly the routes analyse
/// covers. Returns how the routes were found.
pub fn for_each_route(
    scenario: &Arc<Scenario>,
    seed: u64,
    mut visit: impl FnMut(&Session),
) -> Method {
    fn dfs(session: Session, limit: usize, visit: &mut dyn FnMut(&Session)) {
        if session.is_over() || session.turn_count() >= limit {
            return visit(&session);
        }
        let mut any = false;
        for id in session.available() {
            let mut next = session.clone();
            if next.choose(id).is_ok() {
                any = true;
                dfs(next, limit, visit);
            }
        }
        if !any {
            visit(&session);
        }
    }
    let limit = max_turns(scenario);
    let start = Session::start(scenario, seed);
    if structural_paths(scenario).is_some_and(|n| n <= EXHAUSTIVE_PATH_LIMIT) {
        dfs(start, limit, &mut visit);
        return Method::Exhaustive;
    }
    let playthroughs = sample_count(scenario);
    let mut reached: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut note = |session: &Session, reached: &mut std::collections::BTreeSet<String>| {
        if let Some(id) = &session.transcript().ending {
            reached.insert(id.clone());
        }
        visit(session);
    };
    for walk in 0..playthroughs {
        note(
            &random_playthrough(scenario, seed, walk, limit),
            &mut reached,
        );
    }
    for goal in [Goal::Best, Goal::Worst, Goal::ListenFirst] {
        if let Some(found) = beam(&start, beam_width(scenario), goal, limit) {
            note(&found, &mut reached);
        }
    }
    for id in scenario.endings.keys() {
        if reached.contains(id) {
            continue;
        }
        let dist = distances_to(scenario, id);
        for attempt in 0..GUIDED_ATTEMPTS {
            note(
                &guided_walk(scenario, seed, id, attempt, &dist, limit),
                &mut reached,
            );
            if reached.contains(id) {
                break;
            }
        }
    }
    Method::Sampled { playthroughs }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loop-free, three decision points, three endings: walked exhaustively.
    fn small() -> Arc<Scenario> {
        crate::fixtures::board()
    }

    /// Loops back from `closed` to `deeper`: sampled.
    fn sample() -> Arc<Scenario> {
        crate::fixtures::sample()
    }

    #[test]
    fn exhaustive_analysis_walks_every_path_and_counts_endings() {
        let s = small();
        let a = analyse(&s, 1);
        assert_eq!(a.method, Method::Exhaustive);
        assert_eq!(a.format, FORMAT);
        let structural = structural_paths(&s).expect("loop-free");
        assert!(a.paths >= 1 && a.paths <= structural);
        assert!(a.best.score.overall >= a.worst.score.overall);
        assert!(
            a.best.score.overall > a.worst.score.overall,
            "choices matter"
        );
        // Every path ends somewhere: the ending counts add up to the paths.
        assert!(a.dead_ends.is_empty());
        let counted: u64 = a.endings.iter().map(|e| e.paths).sum();
        assert_eq!(counted, a.paths);
        assert_eq!(a.histogram.iter().sum::<u64>(), a.paths);
        let ids: Vec<&str> = a.endings.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), s.endings.len());
        assert!(a.endings.iter().all(|e| e.paths > 0), "{:?}", a.endings);
        // The best path replays to its score.
        let best = Session::replay(&s, 1, &a.best.choices).expect("the best path replays");
        assert_eq!(
            Scores::from(&crate::score::score(&s, best.transcript())),
            a.best.score
        );
        assert!(!a.pivots.is_empty());
    }

    #[test]
    fn listening_first_beats_advising_first() {
        let s = small();
        let a = analyse(&s, 1);
        let listen = a.listen_first.as_ref().expect("a listen-first path exists");
        assert!(
            listen.score.overall > a.advise_first.score.overall,
            "listen-first {} vs advise-first {}",
            listen.score.overall,
            a.advise_first.score.overall
        );
        assert!(a.best.score.overall >= listen.score.overall);
        assert!(a.advise_first.score.overall >= a.worst.score.overall);
        let first = Session::replay(&s, 1, &listen.choices).expect("replays");
        assert!(is_listen_first(&first));
        assert!(!is_listen_first(&advise_first(&s, 1)));
        // The sample loops (sampled analysis) and asks no being question, so
        // no path qualifies as listen-first; its best still beats advising.
        let s = sample();
        let a = analyse(&s, 1);
        assert!(matches!(a.method, Method::Sampled { .. }));
        assert_eq!(a.structural_paths, None);
        assert!(a.listen_first.is_none());
        assert!(a.best.score.overall > a.advise_first.score.overall);
    }

    #[test]
    fn better_choices_suggests_something_for_a_costly_turn() {
        let s = sample();
        let advise = advise_first(&s, 1);
        let choices = advise.transcript().choice_ids();
        assert_eq!(choices[0], "advice_early");
        // The debrief's costliest turn is the premature advice.
        let score = crate::score::score(&s, advise.transcript());
        assert_eq!(score.costliest_turns(choices.len(), 1), [1]);
        let suggestions = better_choices(&s, 1, &choices);
        assert_eq!(suggestions.len(), choices.len());
        let first = suggestions[0].as_ref().expect("a better first choice");
        assert_eq!(first.turn, 1);
        assert_eq!(first.chosen, "advice_early");
        assert_ne!(first.better, "advice_early");
        assert!(first.better_best > first.chosen_best);
        assert!(!first.act.is_advice_like());
        // The best path itself leaves nothing to suggest.
        let best = analyse(&small(), 1).best;
        let none = better_choices(&small(), 1, &best.choices);
        assert!(none.iter().all(Option::is_none), "{none:?}");
    }

    #[test]
    fn for_each_route_walks_the_routes_analyse_counts() {
        for s in [small(), sample()] {
            let a = analyse(&s, 1);
            let mut routes = 0;
            let method = for_each_route(&s, 1, |_| routes += 1);
            assert_eq!(method, a.method);
            assert_eq!(routes, a.paths);
        }
    }

    #[test]
    fn the_text_report_names_the_method_and_every_ending() {
        let s = small();
        let a = analyse(&s, 1);
        let text = render_text(&a, &s);
        assert!(text.starts_with(&format!("scenario `{}` (seed 1)", s.id)));
        assert!(text.contains(&format!(
            "exhaustive: every one of {} paths walked",
            a.paths
        )));
        for id in s.endings.keys() {
            assert!(text.contains(id.as_str()), "{id} missing from\n{text}");
        }
        assert!(text.contains("dead ends: none"));
    }
}
