//! Calibration against blind expert judgement: replays the judged
//! playthroughs of `tests/judged/` and measures how well the engine's
//! overall score agrees with the judges' mean, beside how well the judges
//! agree with each other.
//!
//! The folder holds `paths/*.json` (the playthroughs: scenario file, seed,
//! choice ids, the pattern a trainee played), `transcripts/<id>.txt` (the
//! exact words each judge read, written by [`blind_transcript`]: no choice
//! ids, acts, scores or member state) and `judges/*.json` (one file per
//! judge, each score with a one-line reason). A path whose words no longer
//! match its transcript (a scenario was edited after judging) is an error,
//! not a silent comparison with words nobody judged.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::load;
use crate::play::session::Session;
use crate::scenario::Scenario;
use crate::score::score;

/// The JSON format name of [`Calibration`].
pub const FORMAT: &str = "kiku.calibrate/1";

/// The engine's Kendall τ_b with the judges' mean may fall short of the
/// judges' own agreement by at most this much.
pub const TAU_SLACK: f64 = 0.05;
/// The most the engine may differ from the judges' mean, on average.
pub const MAX_MEAN_ABS_DIFF: f64 = 5.0;
/// The engine may not score this or more ...
pub const TOP_BAND: u32 = 95;
/// ... where the judges' mean is below this.
pub const TOP_BAND_JUDGED: f64 = 90.0;
/// Two paths of one scenario that every judge orders the same way, each by
/// at least this many points, must not be ordered the other way by the engine.
pub const CLEAR_GAP: i32 = 5;
/// "The paths judges rate 70+": the subset where fine distinctions are hard.
pub const UPPER_SET_FROM: f64 = 70.0;

/// One judged playthrough (an entry of `paths/*.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedPath {
    /// Unique id, also the transcript's file name.
    pub id: String,
    /// The scenario id.
    pub scenario: String,
    /// The scenario file, relative to the repository root.
    pub file: String,
    /// The seed it was played with.
    pub seed: u64,
    /// The kind of trainee it plays (exemplary, decides_late, ...).
    pub pattern: String,
    /// The choice ids, in order.
    pub choices: Vec<String>,
}

/// One judge's scores (a file of `judges/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgeFile {
    /// The judge's name.
    pub judge: String,
    /// Who the judge is and how they worked.
    pub about: String,
    /// The scores, by path id.
    pub scores: Vec<HandScore>,
}

/// A judge's scores of one transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandScore {
    /// The path id.
    pub id: String,
    /// 0-100.
    pub listening: u32,
    /// 0-100.
    pub questions: u32,
    /// 0-100.
    pub change: u32,
    /// 0-100.
    pub outcome: u32,
    /// The judge's overall score, 0-100.
    pub overall: u32,
    /// The one-line reason.
    pub why: String,
}

/// Everything a calibration run found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// [`FORMAT`].
    pub format: &'static str,
    /// The judges, in file-name order.
    pub judges: Vec<String>,
    /// Every path with its scores.
    pub paths: Vec<PathResult>,
    /// Per scenario, then `overall` for all paths together.
    pub groups: Vec<Agreement>,
    /// Every threshold that failed (empty: passed).
    pub failures: Vec<String>,
}

/// One path's scores side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathResult {
    /// The path id.
    pub id: String,
    /// The scenario id.
    pub scenario: String,
    /// The pattern.
    pub pattern: String,
    /// Each judge's overall, in [`Calibration::judges`] order.
    pub judged: Vec<u32>,
    /// The judges' mean overall.
    pub mean: f64,
    /// The engine's overall.
    pub engine: u32,
    /// The engine's four axes: listening, questions, change, outcome.
    pub engine_axes: [u32; 4],
    /// The judges' mean of the four axes.
    pub judged_axes: [f64; 4],
}

/// Agreement statistics over a group of paths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// A scenario id, or `overall`.
    pub group: String,
    /// How many paths.
    pub paths: usize,
    /// How many of them the judges' mean puts at 70 or more.
    pub upper_paths: usize,
    /// The judges with each other: mean pairwise Kendall τ_b.
    pub judges_tau: Option<f64>,
    /// The same among the paths rated 70+.
    pub judges_tau_upper: Option<f64>,
    /// The judges with each other: mean pairwise Pearson r.
    pub judges_r: Option<f64>,
    /// The judges with each other: mean pairwise mean absolute difference.
    pub judges_mad: Option<f64>,
    /// The engine with the judges' mean: Kendall τ_b.
    pub engine_tau: Option<f64>,
    /// The same among the paths rated 70+.
    pub engine_tau_upper: Option<f64>,
    /// The engine with the judges' mean: Pearson r.
    pub engine_r: Option<f64>,
    /// Mean |judges' mean − engine|.
    pub engine_mad: f64,
}

/// Why a calibration could not run.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// A file could not be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Something in the set does not fit together.
    #[error("{0}")]
    Set(String),
}

fn file_error(path: &Path, message: impl ToString) -> CalibrateError {
    CalibrateError::File {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// The words of a session as a judge reads them: the opening, each
/// manager line and member reply (ja / en), and the ending. No choice ids,
/// acts, scores or member state.
pub fn blind_transcript(session: &Session) -> String {
    let scenario = session.scenario();
    let transcript = session.transcript();
    let both = |t: &crate::text::Text| format!("{} / {}", t.ja, t.en);
    let line = |node: &str, variant: usize| {
        scenario
            .nodes
            .get(node)
            .and_then(|n| n.lines.get(variant))
            .map(|l| both(&l.text))
            .unwrap_or_default()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "MEMBER (opening): {}",
        line(&transcript.opening.node, transcript.opening.variant)
    );
    for (i, turn) in transcript.turns.iter().enumerate() {
        let said = scenario
            .nodes
            .get(&turn.node)
            .and_then(|n| n.choices.iter().find(|c| c.id == turn.choice))
            .map(|c| both(&c.text))
            .unwrap_or_default();
        let _ = writeln!(out, "\n[{}] MANAGER: {said}", i + 1);
        if let Some(reply) = &turn.reply {
            let _ = writeln!(out, "    MEMBER: {}", line(&reply.node, reply.variant));
        }
    }
    match session.ending() {
        Some((_, ending)) => {
            let _ = writeln!(
                out,
                "\nENDING: {}\n  {}",
                both(&ending.title),
                both(&ending.text)
            );
        }
        None => {
            let _ = writeln!(out, "\n(not over)");
        }
    }
    out
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CalibrateError> {
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    serde_json::from_str(&text).map_err(|e| file_error(path, e))
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>, CalibrateError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| file_error(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every judged path of `dir` (its `paths/*.json`), in file order.
pub fn read_paths(dir: &Path) -> Result<Vec<JudgedPath>, CalibrateError> {
    let mut paths = Vec::new();
    for file in json_files(&dir.join("paths"))? {
        let mut some: Vec<JudgedPath> = read_json(&file)?;
        paths.append(&mut some);
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in &paths {
        if !seen.insert(p.id.as_str()) {
            return Err(CalibrateError::Set(format!("path id `{}` twice", p.id)));
        }
    }
    Ok(paths)
}

/// The scenario file a path names: relative to the repository root, which
/// is two levels above a `tests/judged` folder, else to the working folder.
fn scenario_file(dir: &Path, file: &str) -> PathBuf {
    let from_root = dir.join("..").join("..").join(file);
    if from_root.exists() {
        from_root
    } else {
        PathBuf::from(file)
    }
}

/// Replays a judged path to its end.
pub fn replay_path(
    dir: &Path,
    path: &JudgedPath,
    cache: &mut BTreeMap<String, Arc<Scenario>>,
) -> Result<Session, CalibrateError> {
    let file = scenario_file(dir, &path.file);
    let key = file.to_string_lossy().into_owned();
    let scenario = match cache.get(&key) {
        Some(s) => Arc::clone(s),
        None => {
            let loaded = load::load_file(&file);
            let scenario = match (&loaded.scenario, loaded.has_errors()) {
                (Some(s), false) => Arc::clone(s),
                _ => return Err(file_error(&file, loaded.render())),
            };
            cache.insert(key, Arc::clone(&scenario));
            scenario
        }
    };
    let session = Session::replay(&scenario, path.seed, &path.choices).map_err(|(i, e)| {
        CalibrateError::Set(format!(
            "{}: choice {} (`{}`): {e}",
            path.id,
            i + 1,
            path.choices[i]
        ))
    })?;
    if !session.is_over() {
        return Err(CalibrateError::Set(format!(
            "{}: the path does not reach an ending",
            path.id
        )));
    }
    Ok(session)
}

/// Runs the calibration over `dir` (`tests/judged`).
pub fn calibrate(dir: &Path) -> Result<Calibration, CalibrateError> {
    let paths = read_paths(dir)?;
    let mut judges: Vec<JudgeFile> = Vec::new();
    for file in json_files(&dir.join("judges"))? {
        judges.push(read_json(&file)?);
    }
    if judges.len() < 2 {
        return Err(CalibrateError::Set(format!(
            "{}: calibration needs at least two judges, found {}",
            dir.join("judges").display(),
            judges.len()
        )));
    }
    let by_judge: Vec<BTreeMap<&str, &HandScore>> = judges
        .iter()
        .map(|j| j.scores.iter().map(|s| (s.id.as_str(), s)).collect())
        .collect();
    let mut cache = BTreeMap::new();
    let mut results = Vec::new();
    for path in &paths {
        let session = replay_path(dir, path, &mut cache)?;
        let judged_file = dir.join("transcripts").join(format!("{}.txt", path.id));
        let judged_words =
            std::fs::read_to_string(&judged_file).map_err(|e| file_error(&judged_file, e))?;
        if judged_words != blind_transcript(&session) {
            return Err(CalibrateError::Set(format!(
                "{}: the scenario's words have changed since this transcript was judged \
                 ({}); the hand scores are of other words. Judge the new words blind \
                 (never edit a hand score to fit)",
                path.id,
                judged_file.display()
            )));
        }
        let mut hand = Vec::new();
        for (judge, scores) in judges.iter().zip(&by_judge) {
            let score = scores.get(path.id.as_str()).ok_or_else(|| {
                CalibrateError::Set(format!(
                    "judge {} has no score for {}",
                    judge.judge, path.id
                ))
            })?;
            hand.push(*score);
        }
        let n = hand.len() as f64;
        let mean_of =
            |f: fn(&HandScore) -> u32| hand.iter().map(|h| f64::from(f(h))).sum::<f64>() / n;
        let engine = score(session.scenario(), session.transcript());
        results.push(PathResult {
            id: path.id.clone(),
            scenario: path.scenario.clone(),
            pattern: path.pattern.clone(),
            judged: hand.iter().map(|h| h.overall).collect(),
            mean: mean_of(|h| h.overall),
            engine: engine.overall,
            engine_axes: [
                engine.listening,
                engine.questions,
                engine.change,
                engine.outcome,
            ],
            judged_axes: [
                mean_of(|h| h.listening),
                mean_of(|h| h.questions),
                mean_of(|h| h.change),
                mean_of(|h| h.outcome),
            ],
        });
    }
    let mut scenarios: Vec<String> = results.iter().map(|r| r.scenario.clone()).collect();
    scenarios.dedup();
    let mut groups: Vec<Agreement> = scenarios
        .iter()
        .map(|s| {
            let members: Vec<&PathResult> = results.iter().filter(|r| &r.scenario == s).collect();
            agreement(s, &members)
        })
        .collect();
    let all: Vec<&PathResult> = results.iter().collect();
    groups.push(agreement("overall", &all));
    let failures = thresholds(&results, &groups);
    Ok(Calibration {
        format: FORMAT,
        judges: judges.into_iter().map(|j| j.judge).collect(),
        paths: results,
        groups,
        failures,
    })
}

fn agreement(group: &str, paths: &[&PathResult]) -> Agreement {
    let judges = paths.first().map_or(0, |p| p.judged.len());
    let column = |j: usize| -> Vec<f64> { paths.iter().map(|p| f64::from(p.judged[j])).collect() };
    let upper: Vec<&PathResult> = paths
        .iter()
        .copied()
        .filter(|p| p.mean >= UPPER_SET_FROM)
        .collect();
    let upper_column =
        |j: usize| -> Vec<f64> { upper.iter().map(|p| f64::from(p.judged[j])).collect() };
    let pairs: Vec<(usize, usize)> = (0..judges)
        .flat_map(|a| (a + 1..judges).map(move |b| (a, b)))
        .collect();
    let mean_over_pairs = |f: &dyn Fn(usize, usize) -> Option<f64>| -> Option<f64> {
        let values: Vec<f64> = pairs.iter().filter_map(|&(a, b)| f(a, b)).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let mean: Vec<f64> = paths.iter().map(|p| p.mean).collect();
    let engine: Vec<f64> = paths.iter().map(|p| f64::from(p.engine)).collect();
    let upper_mean: Vec<f64> = upper.iter().map(|p| p.mean).collect();
    let upper_engine: Vec<f64> = upper.iter().map(|p| f64::from(p.engine)).collect();
    Agreement {
        group: group.to_string(),
        paths: paths.len(),
        upper_paths: upper.len(),
        judges_tau: mean_over_pairs(&|a, b| kendall_tau_b(&column(a), &column(b))),
        judges_tau_upper: mean_over_pairs(&|a, b| {
            kendall_tau_b(&upper_column(a), &upper_column(b))
        }),
        judges_r: mean_over_pairs(&|a, b| pearson(&column(a), &column(b))),
        judges_mad: mean_over_pairs(&|a, b| Some(mean_abs_diff(&column(a), &column(b)))),
        engine_tau: kendall_tau_b(&engine, &mean),
        engine_tau_upper: kendall_tau_b(&upper_engine, &upper_mean),
        engine_r: pearson(&engine, &mean),
        engine_mad: mean_abs_diff(&engine, &mean),
    }
}

/// Every threshold the engine must meet; one line per failure.
fn thresholds(paths: &[PathResult], groups: &[Agreement]) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(all) = groups.iter().find(|g| g.group == "overall") {
        let tau_check =
            |name: &str, engine: Option<f64>, judges: Option<f64>| match (engine, judges) {
                (Some(e), Some(j)) if e < j - TAU_SLACK => Some(format!(
                    "{name}: the engine's Kendall τ_b with the judges' mean is {e:.3}, below the \
                 judges' own {j:.3} − {TAU_SLACK}"
                )),
                _ => None,
            };
        failures.extend(tau_check("all paths", all.engine_tau, all.judges_tau));
        failures.extend(tau_check(
            "paths rated 70+",
            all.engine_tau_upper,
            all.judges_tau_upper,
        ));
        if all.engine_mad > MAX_MEAN_ABS_DIFF {
            failures.push(format!(
                "all paths: the engine is {:.1} points from the judges' mean on average (at most {MAX_MEAN_ABS_DIFF})",
                all.engine_mad
            ));
        }
    }
    for p in paths {
        if p.engine >= TOP_BAND && p.mean < TOP_BAND_JUDGED {
            failures.push(format!(
                "{}: the engine gives {} where the judges' mean is {:.1} (below {TOP_BAND_JUDGED})",
                p.id, p.engine, p.mean
            ));
        }
    }
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            if a.scenario != b.scenario {
                continue;
            }
            for (hi, lo) in [(a, b), (b, a)] {
                let clear = hi
                    .judged
                    .iter()
                    .zip(&lo.judged)
                    .all(|(h, l)| *h as i32 - *l as i32 >= CLEAR_GAP);
                if clear && lo.engine > hi.engine {
                    failures.push(format!(
                        "{} ({}) above {} ({}) where every judge puts it {CLEAR_GAP}+ points below",
                        lo.id, lo.engine, hi.id, hi.engine
                    ));
                }
            }
        }
    }
    failures
}

/// Kendall's τ_b of two equally long series (ties in either handled);
/// `None` when either has no two different values.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut tie_x, mut tie_y) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = (x[i] - x[j]).partial_cmp(&0.0)?;
            let dy = (y[i] - y[j]).partial_cmp(&0.0)?;
            use std::cmp::Ordering::Equal;
            match (dx, dy) {
                (Equal, Equal) => {}
                (Equal, _) => tie_x += 1,
                (_, Equal) => tie_y += 1,
                _ if dx == dy => concordant += 1,
                _ => discordant += 1,
            }
        }
    }
    let n1 = (concordant + discordant + tie_x) as f64;
    let n2 = (concordant + discordant + tie_y) as f64;
    (n1 > 0.0 && n2 > 0.0).then(|| (concordant - discordant) as f64 / (n1 * n2).sqrt())
}

/// Pearson's r; `None` when either series is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx).powi(2);
        syy += (y[i] - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Mean absolute difference (0 for empty series).
pub fn mean_abs_diff(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n == 0 {
        return 0.0;
    }
    x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum::<f64>() / n as f64
}

/// The calibration as a person reads it: per scenario and overall, then
/// every path side by side, then the verdict.
pub fn render_text(c: &Calibration) -> String {
    let f = |v: Option<f64>| v.map_or_else(|| "  -  ".to_string(), |v| format!("{v:5.2}"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "judges: {}\n\n{:<22} {:>5} {:>4} | {:>6} {:>6} {:>6} {:>5} | {:>6} {:>6} {:>6} {:>5}",
        c.judges.join(", "),
        "group",
        "paths",
        "70+",
        "J τ_b",
        "J τ70",
        "J r",
        "J MAD",
        "E τ_b",
        "E τ70",
        "E r",
        "E MAD"
    );
    for g in &c.groups {
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>4} | {:>6} {:>6} {:>6} {:>5} | {:>6} {:>6} {:>6} {:>5.1}",
            g.group,
            g.paths,
            g.upper_paths,
            f(g.judges_tau),
            f(g.judges_tau_upper),
            f(g.judges_r),
            g.judges_mad
                .map_or_else(|| "-".to_string(), |v| format!("{v:.1}")),
            f(g.engine_tau),
            f(g.engine_tau_upper),
            f(g.engine_r),
            g.engine_mad
        );
    }
    let _ = writeln!(
        out,
        "\nJ = the judges with each other, E = the engine with the judges' mean.\n"
    );
    let _ = writeln!(
        out,
        "{:<34} {:<22} {:>13} {:>6} {:>6} {:>5}   axes L/Q/C/O engine (judges)",
        "path", "pattern", "judges", "mean", "engine", "diff"
    );
    for p in &c.paths {
        let judged: Vec<String> = p.judged.iter().map(u32::to_string).collect();
        let axes: Vec<String> = p
            .engine_axes
            .iter()
            .zip(&p.judged_axes)
            .map(|(e, j)| format!("{e}({j:.0})"))
            .collect();
        let _ = writeln!(
            out,
            "{:<34} {:<22} {:>13} {:>6.1} {:>6} {:>+5.1}   {}",
            p.id,
            p.pattern,
            judged.join("/"),
            p.mean,
            p.engine,
            f64::from(p.engine) - p.mean,
            axes.join(" ")
        );
    }
    if c.failures.is_empty() {
        let _ = writeln!(out, "\nPASSED: every threshold holds.");
    } else {
        let _ = writeln!(out, "\nFAILED ({}):", c.failures.len());
        for failure in &c.failures {
            let _ = writeln!(out, "  - {failure}");
        }
    }
    out
}

/// `tests/judged` of this source tree (for the test below and the CLI's default).
pub fn default_dir() -> PathBuf {
    PathBuf::from("tests/judged")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kendall_tau_b_handles_order_reversal_and_ties() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(kendall_tau_b(&x, &x), Some(1.0));
        assert_eq!(kendall_tau_b(&x, &[4.0, 3.0, 2.0, 1.0]), Some(-1.0));
        // One tie in y: 5 concordant pairs of 6, tau_b = 5 / sqrt(6 * 5).
        let t = kendall_tau_b(&x, &[1.0, 2.0, 3.0, 3.0]).unwrap();
        assert!((t - 5.0 / 30f64.sqrt()).abs() < 1e-12, "{t}");
        assert_eq!(kendall_tau_b(&x, &[1.0; 4]), None);
    }

    #[test]
    fn pearson_and_mean_abs_diff() {
        let x = [1.0, 2.0, 3.0];
        assert!((pearson(&x, &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((pearson(&x, &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&x, &[1.0, 1.0, 1.0]), None);
        assert_eq!(mean_abs_diff(&x, &[2.0, 2.0, 5.0]), 1.0);
    }

    fn result(id: &str, judged: Vec<u32>, engine: u32) -> PathResult {
        let mean = judged.iter().map(|j| f64::from(*j)).sum::<f64>() / judged.len() as f64;
        PathResult {
            id: id.into(),
            scenario: "s".into(),
            pattern: "p".into(),
            judged,
            mean,
            engine,
            engine_axes: [0; 4],
            judged_axes: [0.0; 4],
        }
    }

    #[test]
    fn thresholds_catch_the_top_band_and_clear_reversals() {
        let paths = vec![
            result("a", vec![80, 84], 96),
            result("b", vec![60, 70], 97),
            result("c", vec![40, 42], 41),
        ];
        let all: Vec<&PathResult> = paths.iter().collect();
        let groups = vec![agreement("overall", &all)];
        let failures = thresholds(&paths, &groups);
        // a and b are both >= 95 with a judged mean below 90; b sits above a
        // where both judges put it 10+ points below.
        assert!(failures.iter().any(|f| f.starts_with("a:")), "{failures:?}");
        assert!(failures.iter().any(|f| f.starts_with("b:")), "{failures:?}");
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with("b (97) above a (96)")),
            "{failures:?}"
        );
        // A fair engine passes.
        let fair = vec![
            result("a", vec![80, 84], 82),
            result("b", vec![60, 70], 66),
            result("c", vec![40, 42], 41),
        ];
        let all: Vec<&PathResult> = fair.iter().collect();
        assert!(thresholds(&fair, &[agreement("overall", &all)]).is_empty());
    }

    /// Balance against the calibration paths: every scenario's best path is
    /// an exemplary one, and a path that decides
    /// for the member (an instruction after the unease was voiced, or an
    /// ending where the manager chose the next step) scores 70 or less.
    #[test]
    fn the_best_path_is_exemplary_and_deciding_for_the_member_stays_low() {
        use crate::play::member::AdviceKind;
        use crate::scenario::NextStep;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/judged");
        let paths = read_paths(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut cache = BTreeMap::new();
        let mut exemplary = 0;
        for path in &paths {
            let session = replay_path(&dir, path, &mut cache).unwrap_or_else(|e| panic!("{e}"));
            let scored = score(session.scenario(), session.transcript());
            let decided = session.transcript().turns.iter().any(|t| {
                t.act == crate::act::Act::Instruct && t.advice == Some(AdviceKind::Unasked)
            }) || session
                .ending()
                .is_some_and(|(_, e)| e.next_step == NextStep::Manager);
            if decided {
                assert!(
                    scored.overall <= 70,
                    "{} decides for the member and scores {}",
                    path.id,
                    scored.overall
                );
            }
            if path.pattern == "exemplary" {
                exemplary += 1;
                // The engine's best path is an exemplary path: listens first,
                // no misstep, asks the being question, traces change, and the
                // member opens up and chooses their own step. (It need not be
                // the judged exemplary path move for move: the judges found
                // nits in some, e.g. growth affirmed for the member, and the
                // engine's best takes the reflection instead.)
                let analysis = crate::tools::analyse::analyse(session.scenario(), path.seed);
                let best = analysis.best;
                let replayed = Session::replay(session.scenario(), path.seed, &best.choices)
                    .unwrap_or_else(|(i, e)| panic!("{}: best path choice {i}: {e}", path.id));
                let turns = &replayed.transcript().turns;
                let (_, ending) = replayed.ending().expect("the best path ends");
                assert!(
                    crate::tools::analyse::is_listen_first(&replayed)
                        && !turns.iter().any(crate::play::session::Turn::is_misstep)
                        && turns
                            .iter()
                            .any(|t| t.act.class() == crate::act::MoveClass::BeingQuestion)
                        && turns
                            .iter()
                            .any(|t| t.act.class() == crate::act::MoveClass::ChangeQuestion
                                || t.traces_change)
                        && ending.kind == crate::scenario::EndingKind::OpenedUp
                        && ending.next_step == NextStep::Member,
                    "{}: the best path is not an exemplary one: {:?}",
                    path.id,
                    best.choices
                );
            }
        }
        assert_eq!(exemplary, 7, "one exemplary path per bundled scenario");
    }

    /// The bundled calibration set: the engine must meet the judges' own
    /// standard (the thresholds above) on every judged path.
    #[test]
    fn the_engine_meets_the_judges_standard() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/judged");
        if !dir.join("judges").is_dir() {
            panic!("no judges in {}", dir.display());
        }
        let calibration = calibrate(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            calibration.failures.is_empty(),
            "{}",
            render_text(&calibration)
        );
    }
}
