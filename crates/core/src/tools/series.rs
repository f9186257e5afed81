//! Series tools: every prior a follow-up should be played under (its
//! authored priors and priors derived from real replays of the earlier
//! scenario), and the analysis of the follow-up under each.

use std::sync::Arc;

use serde::Serialize;

use crate::play::prior::{Prior, PriorSource};
use crate::scenario::{PriorSpec, Scenario};
use crate::text::Text;
use crate::tools::analyse::{self, Analysis};

/// The earlier 1on1 as `kiku replay --after RECORD.json` reads it: a
/// [`crate::Finished`] record or a `kiku.replay/1` report (both carry these
/// fields; the rest is ignored).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct EarlierRecord {
    /// The earlier scenario's id.
    pub scenario: String,
    /// The seed it was played with.
    pub seed: u64,
    /// Its choices.
    pub choices: Vec<String>,
    /// Its own prior, when it was itself a follow-up.
    #[serde(default)]
    pub prior: Option<Prior>,
}

impl EarlierRecord {
    /// Reads the JSON of a record or a replay report.
    pub fn parse(json: &str) -> Result<EarlierRecord, String> {
        serde_json::from_str(json).map_err(|e| {
            format!(
                "not a finished record or replay report (JSON with scenario, seed, choices): {e}"
            )
        })
    }
}

/// A prior to play a follow-up under, with a name for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedPrior {
    /// `default`, a named prior's id, or `replay:<path>` for one derived
    /// from a real replay of the earlier scenario.
    pub id: String,
    /// What it stands for.
    pub title: Text,
    /// The prior.
    pub prior: Prior,
}

/// Every prior `follow_up` should be tried under: the default and the named
/// ones, then the priors left by real replays of the earlier scenario (its
/// analysed best, listen-first and advise-first paths, played with `seed`).
/// Empty for a scenario that follows nothing.
pub fn priors(follow_up: &Scenario, seed: u64) -> Vec<NamedPrior> {
    let mut all: Vec<NamedPrior> = Prior::all_for(follow_up)
        .into_iter()
        .map(|(id, title, prior)| NamedPrior { id, title, prior })
        .collect();
    let Some(earlier) = follow_up.earlier() else {
        return all;
    };
    let analysis = analyse::analyse(&earlier, seed);
    let mut paths = vec![
        (
            "best",
            Text::new("前回の最高得点の道筋", "last time's best path"),
            analysis.best.choices.clone(),
        ),
        (
            "advise_first",
            Text::new("前回、すぐ助言した道筋", "last time, advising first"),
            analysis.advise_first.choices.clone(),
        ),
    ];
    if let Some(listen) = &analysis.listen_first {
        paths.insert(
            1,
            (
                "listen_first",
                Text::new("前回、まず聴いた道筋", "last time, listening first"),
                listen.choices.clone(),
            ),
        );
    }
    for (name, title, choices) in paths {
        // The earlier scenario may itself follow another: its default prior.
        if let Ok(prior) = Prior::from_choices(&earlier, seed, &choices, None) {
            all.push(NamedPrior {
                id: format!("replay:{name}"),
                title,
                prior,
            });
        }
    }
    all
}

/// The follow-up as it plays under `prior`: a copy whose default prior is
/// `prior` (same earlier scenario, same graph), for tools that start
/// sessions with [`crate::Session::start`].
pub fn under(follow_up: &Arc<Scenario>, prior: &Prior) -> Arc<Scenario> {
    let mut copy = (**follow_up).clone();
    copy.default_prior = Some(PriorSpec {
        ending: prior.ending.clone(),
        next_step: prior.next_step,
        voiced: Some(prior.voiced),
        motifs: prior.motifs.clone(),
        stats: prior.stats,
    });
    Arc::new(copy)
}

/// The analysis of a follow-up under one prior.
#[derive(Clone, Debug, Serialize)]
pub struct PriorAnalysis {
    /// Which prior.
    pub prior: NamedPrior,
    /// The member's starting state under it.
    pub start: crate::scenario::Stats,
    /// The analysis.
    pub analysis: Analysis,
}

/// Analyses `follow_up` once per prior of [`priors`].
pub fn analyse_each(follow_up: &Arc<Scenario>, seed: u64) -> Vec<PriorAnalysis> {
    priors(follow_up, seed)
        .into_iter()
        .map(|prior| {
            let played = under(follow_up, &prior.prior);
            PriorAnalysis {
                start: prior.prior.starting_stats(follow_up),
                analysis: analyse::analyse(&played, seed),
                prior,
            }
        })
        .collect()
}

/// A one-line description of a prior for reports.
pub fn describe(prior: &Prior, lang: crate::text::Lang) -> String {
    let kind = prior
        .kind
        .map_or_else(|| "?".to_string(), |k| k.label().get(lang).to_string());
    let source = match &prior.source {
        PriorSource::Default => "default".to_string(),
        PriorSource::Named(id) => format!("named `{id}`"),
        PriorSource::Record { choices, .. } => format!("replay of {} choice(s)", choices.len()),
    };
    format!(
        "ending `{}` ({kind}), next step {:?}, voiced {:?}, motifs [{}], end stats {}/{}/{}; {source}",
        prior.ending,
        prior.next_step,
        prior.voiced,
        prior.motifs.join(", "),
        prior.stats.trust,
        prior.stats.openness,
        prior.stats.clarity,
    )
}
