//! `kiku hear --eval DIR`: reads typed replies with the choice and act
//! their writer meant, hears each one and reports, per language, top-1 and
//! top-3 accuracy, act accuracy, the off-menu rate and a confusion matrix
//! of acts.
//!
//! Each `DIR/*.json` holds one entry, an array of entries or
//! `{"note": "...", "entries": [...]}`; an entry is
//! `{"scenario": ID, "file": PATH?, "prefix": [ID, ...] | "ID,ID", "lang": "ja"|"en",
//!   "text": "...", "intended": ID | null, "act": ACT?, "seed": N?}`.
//! `file` is read relative to DIR, then as given, then in the bundled
//! scenarios; without it the scenario is found by id among the bundled ones.
//! Acts are compared by kind of move ([`kiku_core::act::MoveClass`]: a
//! question's open/closed, focus and frame, leading or blaming), the
//! distinctions the scoring makes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kiku_core::act::MoveClass;
use kiku_core::load;
use kiku_core::text::Lang;
use kiku_core::{Scenario, Session};
use serde::Deserialize;

use crate::{Hearer, THRESHOLD, spell};

/// One typed reply to evaluate.
#[derive(Clone, Debug, Deserialize)]
pub struct Entry {
    /// The scenario id.
    #[serde(default)]
    pub scenario: String,
    /// The scenario file, if given.
    #[serde(default)]
    pub file: Option<String>,
    /// The choices already played.
    #[serde(default)]
    pub prefix: Prefix,
    /// The language the reply is written in.
    #[serde(default)]
    pub lang: Option<String>,
    /// The typed reply.
    pub text: String,
    /// The choice its writer meant, or `None` for an off-menu reply.
    #[serde(default)]
    pub intended: Option<String>,
    /// The act its writer meant.
    #[serde(default)]
    pub act: Option<String>,
    /// The seed the prefix is played with (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// What kind of reply it is, if the corpus says: `para` (a paraphrase
    /// of the intended choice), `near` (a near-miss) or `off` (off-menu).
    #[serde(default)]
    pub kind: Option<String>,
}

impl Entry {
    /// The choices of the prefix, in order.
    pub fn prefix_ids(&self) -> Vec<String> {
        self.prefix.ids()
    }
}

/// A file with a note on who wrote it: `{"note": "...", "entries": [...]}`.
#[derive(Clone, Debug, Deserialize)]
struct Labelled {
    entries: Vec<Entry>,
}

/// A prefix as a list or a comma-separated string.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum Prefix {
    /// `["a", "b"]`.
    List(Vec<String>),
    /// `"a,b"`.
    Joined(String),
    /// Nothing played yet.
    #[default]
    None,
}

impl Prefix {
    fn ids(&self) -> Vec<String> {
        match self {
            Prefix::List(ids) => ids.clone(),
            Prefix::Joined(s) => s
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            Prefix::None => Vec::new(),
        }
    }
}

/// The counts for one language.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Entries with an intended choice.
    pub on_menu: usize,
    /// ... heard as that choice.
    pub top1: usize,
    /// ... with that choice among the first three candidates.
    pub top3: usize,
    /// Entries with an act.
    pub with_act: usize,
    /// ... whose act was heard as the same kind of move.
    pub act_right: usize,
    /// Entries with no intended choice.
    pub off_menu: usize,
    /// ... heard as nothing or with low confidence.
    pub off_menu_right: usize,
    /// (intended act, heard act) -> count.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Entries that could not be evaluated (unknown scenario, bad prefix).
    pub skipped: Vec<String>,
    /// Wrong top-1 answers: (text, intended, heard).
    pub misses: Vec<(String, String, String)>,
    /// Wrong acts: (text, intended, heard).
    pub act_misses: Vec<(String, String, String)>,
    /// The same counts per kind of reply (`para`, `near`, `off`, or
    /// `-` when the entry says none), without confusion or misses.
    pub kinds: BTreeMap<String, KindTally>,
}

/// The counts for one kind of reply.
#[derive(Clone, Debug, Default)]
pub struct KindTally {
    /// Entries with an intended choice.
    pub on_menu: usize,
    /// ... heard as that choice.
    pub top1: usize,
    /// Entries with an act.
    pub with_act: usize,
    /// ... heard as that kind of move.
    pub act_right: usize,
    /// Entries with no intended choice.
    pub off_menu: usize,
    /// ... heard as nothing or with low confidence.
    pub off_menu_right: usize,
}

/// The report: a tally per language.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Why the sentence encoder was not used, if it was not.
    pub lexical_only: Option<String>,
    /// By language code.
    pub langs: BTreeMap<String, Tally>,
    /// Files that could not be read.
    pub errors: Vec<String>,
}

/// Reads every entry of `dir`, with the errors of unreadable files.
pub fn read_dir(dir: &Path) -> (Vec<(PathBuf, Entry)>, Vec<String>) {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(e) => return (Vec::new(), vec![format!("{}: {e}", dir.display())]),
    };
    files.sort();
    let (mut entries, mut errors) = (Vec::new(), Vec::new());
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let parsed: Result<Vec<Entry>, _> = serde_json::from_str::<Vec<Entry>>(&text)
            .or_else(|_| serde_json::from_str::<Labelled>(&text).map(|l| l.entries))
            .or_else(|_| serde_json::from_str::<Entry>(&text).map(|e| vec![e]));
        match parsed {
            Ok(list) => entries.extend(list.into_iter().map(|e| (file.clone(), e))),
            Err(e) => errors.push(format!("{}: {e}", file.display())),
        }
    }
    (entries, errors)
}

/// A loaded scenario with its prepared hearer.
type Prepared = (Arc<Scenario>, Arc<Hearer>);

/// Finds an entry's scenario, loading each file once.
struct Scenarios {
    dir: PathBuf,
    by_path: BTreeMap<PathBuf, Option<Prepared>>,
    bundled: Option<Vec<Prepared>>,
}

impl Scenarios {
    fn get(&mut self, entry: &Entry) -> Option<Prepared> {
        if let Some(file) = &entry.file {
            let candidates = [
                self.dir.join(file),
                PathBuf::from(file),
                load::bundled_dir().join(file),
            ];
            let path = candidates.into_iter().find(|p| p.is_file())?;
            return self
                .by_path
                .entry(path.clone())
                .or_insert_with(|| {
                    load::load_file(&path)
                        .scenario
                        .map(|s| (s.clone(), Arc::new(Hearer::new(&s))))
                })
                .clone();
        }
        let bundled = self.bundled.get_or_insert_with(|| {
            load::load_all(&[load::bundled_dir()])
                .into_iter()
                .filter_map(|l| l.scenario)
                .map(|s| (s.clone(), Arc::new(Hearer::new(&s))))
                .collect()
        });
        bundled
            .iter()
            .find(|(s, _)| s.id == entry.scenario)
            .cloned()
    }
}

/// Hears every entry of `dir` and tallies the results.
pub fn evaluate(dir: &Path) -> Report {
    let (entries, errors) = read_dir(dir);
    let mut report = Report {
        errors,
        lexical_only: crate::embed::shared().err(),
        ..Report::default()
    };
    let mut scenarios = Scenarios {
        dir: dir.to_path_buf(),
        by_path: BTreeMap::new(),
        bundled: None,
    };
    for (file, entry) in entries {
        let script_lang = match crate::normalise::script(&entry.text) {
            crate::normalise::Script::Japanese => Lang::Ja,
            crate::normalise::Script::Latin => Lang::En,
        };
        let lang = entry
            .lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(script_lang);
        let tally = report.langs.entry(lang.code().to_string()).or_default();
        let where_ = format!("{} ({}: {})", file.display(), entry.scenario, entry.text);
        let Some((scenario, hearer)) = scenarios.get(&entry) else {
            tally.skipped.push(format!("{where_}: scenario not found"));
            continue;
        };
        let session = match Session::replay(&scenario, entry.seed.unwrap_or(1), &entry.prefix.ids())
        {
            Ok(s) => s,
            Err((i, e)) => {
                tally
                    .skipped
                    .push(format!("{where_}: prefix choice {}: {e}", i + 1));
                continue;
            }
        };
        let heard = hearer.hear(&session, &entry.text, lang);
        let kind = tally
            .kinds
            .entry(entry.kind.clone().unwrap_or_else(|| "-".to_string()))
            .or_default();
        match &entry.intended {
            Some(intended) => {
                tally.on_menu += 1;
                kind.on_menu += 1;
                if heard.choice.as_deref() == Some(intended) {
                    tally.top1 += 1;
                    kind.top1 += 1;
                } else {
                    tally.misses.push((
                        entry.text.clone(),
                        intended.clone(),
                        heard.choice.clone().unwrap_or_else(|| {
                            format!(
                                "null ({})",
                                heard.candidates.first().map_or("", |c| c.0.as_str())
                            )
                        }),
                    ));
                }
                if heard
                    .candidates
                    .iter()
                    .take(3)
                    .any(|(id, _)| id == intended)
                {
                    tally.top3 += 1;
                }
            }
            None => {
                tally.off_menu += 1;
                kind.off_menu += 1;
                if heard.choice.is_none() || heard.confidence < THRESHOLD {
                    tally.off_menu_right += 1;
                    kind.off_menu_right += 1;
                }
            }
        }
        if let Some(gold) = entry.act.as_deref().and_then(spell::parse) {
            tally.with_act += 1;
            kind.with_act += 1;
            let (g, h) = (gold.class(), heard.act.class());
            if g == h {
                tally.act_right += 1;
                kind.act_right += 1;
            } else {
                tally.act_misses.push((
                    entry.text.clone(),
                    spell::spell(&gold),
                    spell::spell(&heard.act),
                ));
            }
            *tally
                .confusion
                .entry((class_name(g), class_name(h)))
                .or_insert(0) += 1;
        }
    }
    report
}

fn class_name(class: MoveClass) -> String {
    format!("{class:?}")
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_string()
    } else {
        format!("{:.1}% ({n}/{d})", 100.0 * n as f64 / d as f64)
    }
}

/// A percentage with its counts, compact, or `-` when there is nothing to count.
fn short_pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_string()
    } else {
        format!("{:.0}% {n}/{d}", 100.0 * n as f64 / d as f64)
    }
}

/// The report as text.
pub fn render(report: &Report, verbose: bool) -> String {
    let mut out = match &report.lexical_only {
        None if crate::acts::active().is_some() => {
            "signals: words, meaning (USE multilingual v3), act (rules and act model)\n".to_string()
        }
        None => {
            "signals: words, meaning (USE multilingual v3), act (rules; no act model)\n".to_string()
        }
        Some(why) => format!("signals: words and act only ({why})\n"),
    };
    for e in &report.errors {
        out.push_str(&format!("error: {e}\n"));
    }
    for (lang, t) in &report.langs {
        out.push_str(&format!(
            "== {lang}: {} entries ==\n",
            t.on_menu + t.off_menu
        ));
        out.push_str(&format!("top-1 accuracy   {}\n", pct(t.top1, t.on_menu)));
        out.push_str(&format!("top-3 accuracy   {}\n", pct(t.top3, t.on_menu)));
        out.push_str(&format!(
            "act accuracy     {}\n",
            pct(t.act_right, t.with_act)
        ));
        out.push_str(&format!(
            "off-menu heard as null or < {THRESHOLD}: {}\n",
            pct(t.off_menu_right, t.off_menu)
        ));
        if t.kinds.len() > 1 || t.kinds.keys().any(|k| k != "-") {
            out.push_str("by kind           top-1         act           off-menu null\n");
            for (name, k) in &t.kinds {
                out.push_str(&format!(
                    "  {name:<6} {:>4}  {:<13} {:<13} {}\n",
                    k.on_menu + k.off_menu,
                    short_pct(k.top1, k.on_menu),
                    short_pct(k.act_right, k.with_act),
                    short_pct(k.off_menu_right, k.off_menu)
                ));
            }
        }
        for s in &t.skipped {
            out.push_str(&format!("skipped: {s}\n"));
        }
        if !t.confusion.is_empty() {
            out.push_str(&confusion(&t.confusion));
        }
        if verbose {
            for (text, intended, heard) in &t.misses {
                out.push_str(&format!(
                    "miss: {text}  intended {intended}, heard {heard}\n"
                ));
            }
            for (text, intended, heard) in &t.act_misses {
                out.push_str(&format!(
                    "act miss: {text}  intended {intended}, heard {heard}\n"
                ));
            }
        }
        out.push('\n');
    }
    out
}

fn confusion(cells: &BTreeMap<(String, String), usize>) -> String {
    let mut names: Vec<&String> = cells.keys().flat_map(|(g, h)| [g, h]).collect();
    names.sort_by_key(|n| {
        MoveClass::ALL
            .iter()
            .position(|c| &class_name(*c) == *n)
            .unwrap_or(usize::MAX)
    });
    names.dedup();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0) + 4;
    let mut out = format!(
        "confusion (rows intended, columns heard, numbered as the rows):\n{:width$}",
        ""
    );
    for i in 1..=names.len() {
        out.push_str(&format!("{i:>4}"));
    }
    out.push('\n');
    for (i, g) in names.iter().enumerate() {
        out.push_str(&format!("{:<width$}", format!("{:>2} {g}", i + 1)));
        for h in &names {
            match cells.get(&((*g).clone(), (*h).clone())) {
                Some(n) => out.push_str(&format!("{n:>4}")),
                None => out.push_str(&format!("{:>4}", ".")),
            }
        }
        out.push('\n');
    }
    out
}
