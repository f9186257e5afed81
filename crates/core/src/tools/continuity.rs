//! Route continuity: on the routes `kiku analyse` walks, does the manager
//! quote words the member has not said yet, and does the member answer a
//! question nobody asked?
//!
//! - **Quotes.** A choice that quotes words in 「…」 (ja) or "…" / “…” (en)
//!   refers to something the member said. When, on some route, the member's
//!   words so far (the opening line and every reply, the variants the
//!   session actually picked) do not cover the quote, the trainee would be
//!   "quoting" something never said. Paraphrase is normal, so the match is
//!   fuzzy: the share of the quote's character bigrams (ja, punctuation and
//!   spaces removed) or of its words (en, small words ignored) found in the
//!   member's earlier words. A quote whose words the member says nowhere in
//!   the scenario is the manager's own framing ("when did you feel 「やって
//!   いてよかった」?"), not a quote of the member, and is not checked.
//! - **Names.** A choice that names someone or something (a capitalised
//!   word in the English text) that only the member's story introduces
//!   (it is in some member line, not in what the trainee reads before the
//!   1on1), before the member has said it on that route.
//! - **Answers.** A member line with `answers: [...]` said right after a
//!   choice not in that list.
//!
//! Member lines quoting others (imagined speech such as 「4年目にもなって…」)
//! are not checked: nothing tells a recalled quote from an imagined one.
//!
//! One finding per choice (or line) and kind, with one example route.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::load::diagnostic::{Diagnostic, Severity};
use crate::load::locate::Locations;
use crate::play::session::{Session, Spoken};
use crate::scenario::Scenario;
use crate::text::Lang;
use crate::tools::analyse::{Method, for_each_route};

/// A Japanese quote counts as said when at least this share (percent) of
/// its character bigrams is in the member's earlier words.
pub const JA_THRESHOLD: u32 = 50;

/// An English quote counts as said when at least this share (percent) of
/// its words (small words ignored) is in the member's earlier words.
pub const EN_THRESHOLD: u32 = 60;

/// What kind of continuity error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A choice quotes words the member has not said on that route.
    Quote,
    /// A choice names someone only the member's story introduces, before
    /// the member has named them on that route.
    Name,
    /// A member line answers a question that was not asked right before.
    Answer,
}

/// One continuity error, deduplicated over routes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: Kind,
    /// The node of the quoting choice (quote, name) or of the line (answer).
    pub node: String,
    /// Quote and name: the choice that quotes. Answer: the choice said
    /// right before the line on the example route (`None`: the opening).
    pub choice: Option<String>,
    /// Answer: the line's variant index.
    pub variant: Option<usize>,
    /// Quote: the quoted words not covered, with their language; name: the
    /// name.
    pub words: Vec<(Lang, String)>,
    /// Quote: how much of the least covered quote the member had said on
    /// the example route, percent.
    pub covered: u32,
    /// Quote and name: the line on the example route with the nearest words
    /// (`None`: nothing close was said on that route).
    pub nearest: Option<Spoken>,
    /// Quote and name: where the words are said in the scenario (on other
    /// routes).
    pub said_at: Option<Spoken>,
    /// Answer: the line's `answers`; also every other choice found right
    /// before it on some route.
    pub after: Vec<String>,
    /// The example route: choice ids from the start, up to and including
    /// the quoting choice (or the choice before the line).
    pub route: Vec<String>,
}

/// The continuity check of one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// How the routes were found (as `kiku analyse`).
    pub method: Method,
    /// How many routes were checked.
    pub routes: u64,
    /// The findings, by kind, then node, then choice or variant.
    pub findings: Vec<Finding>,
}

/// A quote in a choice, prepared for matching.
struct Quote {
    lang: Lang,
    text: String,
    /// How many units (bigrams or words) it has.
    units: u32,
    /// For every member line whose words share a unit with it: the line's
    /// index and the set of units found there (bit i = unit i).
    hits: Vec<(usize, u128)>,
}

impl Quote {
    /// How much of the quote one line covers, percent. A Japanese quote of
    /// more than three bigrams needs at least three of them: two shared
    /// bigrams (「どの仕事か」 and 「…の仕事…」) are a coincidence.
    fn covered(&self, hit: u128) -> u32 {
        if self.lang == Lang::Ja && self.units > 3 && hit.count_ones() < 3 {
            return coverage(hit, self.units).min(JA_THRESHOLD.saturating_sub(1));
        }
        coverage(hit, self.units)
    }
}

/// What a choice refers to.
struct Refs {
    quotes: Vec<Quote>,
    /// Names and the lines that say them.
    names: Vec<(String, Vec<usize>)>,
}

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "to", "of", "in", "on", "at", "for", "it", "is", "be",
    "am", "are", "was", "so", "that", "this", "i", "i'm", "you", "me", "my", "just", "do",
];

/// Japanese text as matched: letters and digits only.
fn ja_chars(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The bigrams of Japanese text (single characters for a one-character text).
fn ja_units(text: &str) -> Vec<String> {
    let chars = ja_chars(text);
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    let mut units: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    units.dedup();
    units
}

/// English words, lower case, curly apostrophes straightened, a trailing
/// `'s` or plural `s` dropped.
fn en_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.replace('’', "'").trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .map(|w| stem(&w))
        .collect()
}

fn stem(word: &str) -> String {
    let word = word.strip_suffix("'s").unwrap_or(word);
    for suffix in ["ing", "ed"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.len() >= 3
        {
            return stem.to_string();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
        _ => word.to_string(),
    }
}

/// The words of an English quote that carry it: small words are dropped
/// unless nothing else is left.
fn en_units(text: &str) -> Vec<String> {
    let words = en_words(text);
    let content: Vec<String> = words
        .iter()
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    let mut units = if content.is_empty() { words } else { content };
    let mut seen = BTreeSet::new();
    units.retain(|u| seen.insert(u.clone()));
    units
}

/// The quoted passages of `text`: 「…」 (nested 『』 kept inside) for
/// Japanese, "…" and “…” for English.
pub fn quotes(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    match lang {
        Lang::Ja => {
            let mut depth = 0usize;
            let mut current = String::new();
            for c in text.chars() {
                match c {
                    '「' => {
                        if depth > 0 {
                            current.push(c);
                        }
                        depth += 1;
                    }
                    '」' if depth > 0 => {
                        depth -= 1;
                        if depth == 0 {
                            out.push(std::mem::take(&mut current));
                        } else {
                            current.push(c);
                        }
                    }
                    _ if depth > 0 => current.push(c),
                    _ => {}
                }
            }
        }
        Lang::En => {
            let mut open: Option<char> = None;
            let mut current = String::new();
            for c in text.chars() {
                match (open, c) {
                    (None, '"') => open = Some('"'),
                    (None, '“') => open = Some('”'),
                    (Some(close), c) if c == close => {
                        out.push(std::mem::take(&mut current));
                        open = None;
                    }
                    (Some(_), c) => current.push(c),
                    (None, _) => {}
                }
            }
        }
    }
    out.retain(|q| q.chars().any(char::is_alphanumeric));
    out
}

/// The names in English text: capitalised words not at the start of a
/// sentence (nor "I").
fn names_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    let words: Vec<&str> = text.split_whitespace().collect();
    for (w, raw) in words.iter().enumerate() {
        // "Line 4", "Room 2": a numbered thing, not a name.
        let numbered = words
            .get(w + 1)
            .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
        let word: String = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .replace('’', "'");
        let word = word.strip_suffix("'s").unwrap_or(&word).to_string();
        let capitalised = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).all(|c| c.is_lowercase() || c == '\'');
        let opens = raw.starts_with(['"', '“', '(', '\'']);
        if capitalised
            && !numbered
            && !sentence_start
            && !opens
            && word.chars().count() > 1
            && !word.starts_with("I'")
        {
            out.push(word.clone());
        }
        sentence_start = raw.ends_with(['.', '?', '!', '…', ':', '"', '”']) || raw.ends_with(".)");
    }
    out
}

/// Every word of `text` (for names: exact, case kept, `'s` dropped).
fn tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            let w = w.replace('’', "'");
            let w = w.trim_matches('\'');
            w.strip_suffix("'s").unwrap_or(w).to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The checker's view of a scenario: member lines numbered, choices' quotes
/// and names prepared.
struct Prepared {
    /// Line index of `(node, 0)`.
    base: HashMap<String, usize>,
    /// `(node, variant)` by line index.
    lines: Vec<Spoken>,
    /// By choice id.
    refs: HashMap<String, Refs>,
}

fn coverage(bits: u128, units: u32) -> u32 {
    if units == 0 {
        return 100;
    }
    bits.count_ones() * 100 / units
}

fn threshold(lang: Lang) -> u32 {
    match lang {
        Lang::Ja => JA_THRESHOLD,
        Lang::En => EN_THRESHOLD,
    }
}

impl Prepared {
    fn new(scenario: &Scenario) -> Prepared {
        let mut base = HashMap::new();
        let mut lines = Vec::new();
        let mut texts: Vec<(BTreeSet<String>, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
        for (id, node) in &scenario.nodes {
            base.insert(id.clone(), lines.len());
            for (variant, line) in node.lines.iter().enumerate() {
                lines.push(Spoken {
                    node: id.clone(),
                    variant,
                });
                texts.push((
                    ja_units(&line.text.ja).into_iter().collect(),
                    en_words(&line.text.en).into_iter().collect(),
                    tokens(&line.text.en),
                ));
            }
        }
        // What the trainee reads before the 1on1: names from there are known.
        let known: BTreeSet<String> = [
            &scenario.title,
            &scenario.summary,
            &scenario.briefing,
            &scenario.persona.name,
            &scenario.persona.role,
            &scenario.persona.background,
        ]
        .iter()
        .flat_map(|t| tokens(&t.en))
        .collect();
        let mut refs = HashMap::new();
        for (_, choice) in scenario.choices() {
            let mut quotes = Vec::new();
            // A recall quotes the member's words from the earlier 1on1 of a
            // series: not said in this one, and not meant to be.
            let langs: &[Lang] = if choice.recalls.is_some() {
                &[]
            } else {
                &Lang::ALL
            };
            for &lang in langs {
                let text = match lang {
                    Lang::Ja => &choice.text.ja,
                    Lang::En => &choice.text.en,
                };
                for quoted in self::quotes(text, lang) {
                    let mut units = match lang {
                        Lang::Ja => ja_units(&quoted),
                        Lang::En => en_units(&quoted),
                    };
                    units.truncate(128);
                    if units.is_empty() {
                        continue;
                    }
                    let hits: Vec<(usize, u128)> = texts
                        .iter()
                        .enumerate()
                        .filter_map(|(i, (ja, en, _))| {
                            let set = if lang == Lang::Ja { ja } else { en };
                            let bits = units
                                .iter()
                                .enumerate()
                                .filter(|(_, u)| set.contains(*u))
                                .fold(0u128, |b, (k, _)| b | (1 << k));
                            (bits != 0).then_some((i, bits))
                        })
                        .collect();
                    let n = units.len() as u32;
                    quotes.push(Quote {
                        lang,
                        text: quoted,
                        units: n,
                        hits,
                    });
                }
            }
            let mut names: Vec<(String, Vec<usize>)> = Vec::new();
            for name in names_in(&choice.text.en) {
                if known.contains(&name) || names.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let said: Vec<usize> = texts
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, _, words))| words.contains(&name))
                    .map(|(i, _)| i)
                    .collect();
                if !said.is_empty() {
                    names.push((name, said));
                }
            }
            if !quotes.is_empty() || !names.is_empty() {
                refs.insert(choice.id.clone(), Refs { quotes, names });
            }
        }
        Prepared { base, lines, refs }
    }

    fn index(&self, spoken: &Spoken) -> Option<usize> {
        self.base.get(&spoken.node).map(|b| b + spoken.variant)
    }
}

/// Answer findings so far, keyed by line.
type Found = BTreeMap<(String, usize), Finding>;

fn keep(found: &mut Found, key: (String, usize), finding: Finding) {
    match found.get_mut(&key) {
        Some(old) => {
            for after in finding.after {
                if !old.after.contains(&after) {
                    old.after.push(after);
                }
            }
            if finding.route.len() < old.route.len() {
                let after = std::mem::take(&mut old.after);
                *old = Finding { after, ..finding };
            }
        }
        None => {
            found.insert(key, finding);
        }
    }
}

/// What one route showed at a quoting (or naming) choice: the node, the
/// route up to the choice and, per quote (or name), how much of it the
/// member had said and the line that came nearest.
#[derive(Clone)]
struct Example {
    node: String,
    route: Vec<String>,
    covered: Vec<u32>,
    nearest: Vec<Option<usize>>,
}

/// Per `(kind, choice)`: for every distinct pattern of said/not said
/// (one flag per quote or name), the shortest route that showed it.
type Seen = BTreeMap<String, BTreeMap<Kind, HashMap<Vec<bool>, Example>>>;

fn note(
    seen: &mut Seen,
    kind: Kind,
    choice: &str,
    ok: Vec<bool>,
    length: usize,
    example: impl FnOnce() -> Example,
) {
    let kinds = match seen.get_mut(choice) {
        Some(kinds) => kinds,
        None => seen.entry(choice.to_string()).or_default(),
    };
    let patterns = kinds.entry(kind).or_default();
    match patterns.get_mut(&ok) {
        // Only a shorter route replaces the example (nothing is built otherwise).
        Some(old) if length < old.route.len() => *old = example(),
        Some(_) => {}
        None => {
            patterns.insert(ok, example());
        }
    }
}

/// Checks one route.
fn check_route(
    scenario: &Scenario,
    prepared: &Prepared,
    session: &Session,
    found: &mut Found,
    seen: &mut Seen,
) {
    let transcript = session.transcript();
    let mut said = vec![false; prepared.lines.len()];
    let hear = |spoken: &Spoken, said: &mut Vec<bool>| {
        if let Some(i) = prepared.index(spoken)
            && i < said.len()
        {
            said[i] = true;
        }
    };
    hear(&transcript.opening, &mut said);
    let line_of = |spoken: &Spoken| {
        scenario
            .nodes
            .get(&spoken.node)
            .and_then(|n| n.lines.get(spoken.variant))
    };
    if let Some(line) = line_of(&transcript.opening)
        && !line.answers.is_empty()
    {
        keep(
            found,
            (transcript.opening.node.clone(), transcript.opening.variant),
            answer(&transcript.opening, None, &line.answers, Vec::new()),
        );
    }
    for (t, turn) in transcript.turns.iter().enumerate() {
        let route = || {
            transcript.turns[..=t]
                .iter()
                .map(|x| x.choice.clone())
                .collect()
        };
        if let Some(refs) = prepared.refs.get(&turn.choice) {
            if !refs.quotes.is_empty() {
                // Per quote: the best single line said so far.
                let best: Vec<(u32, Option<usize>)> = refs
                    .quotes
                    .iter()
                    .map(|q| {
                        q.hits
                            .iter()
                            .filter(|(i, _)| said[*i])
                            .map(|&(i, hit)| (q.covered(hit), Some(i)))
                            .max_by_key(|&(c, i)| (c, std::cmp::Reverse(i)))
                            .unwrap_or((0, None))
                    })
                    .collect();
                let ok = refs
                    .quotes
                    .iter()
                    .zip(&best)
                    .map(|(q, (c, _))| *c >= threshold(q.lang))
                    .collect();
                note(seen, Kind::Quote, &turn.choice, ok, t + 1, || Example {
                    node: turn.node.clone(),
                    route: route(),
                    covered: best.iter().map(|(c, _)| *c).collect(),
                    nearest: best.iter().map(|(_, i)| *i).collect(),
                });
            }
            if !refs.names.is_empty() {
                let at: Vec<Option<usize>> = refs
                    .names
                    .iter()
                    .map(|(_, lines)| lines.iter().copied().find(|i| said[*i]))
                    .collect();
                let ok = at.iter().map(Option::is_some).collect();
                note(seen, Kind::Name, &turn.choice, ok, t + 1, || Example {
                    node: turn.node.clone(),
                    route: route(),
                    covered: at
                        .iter()
                        .map(|a| if a.is_some() { 100 } else { 0 })
                        .collect(),
                    nearest: at.clone(),
                });
            }
        }
        if let Some(reply) = &turn.reply {
            if let Some(line) = line_of(reply)
                && !line.answers.is_empty()
                && !line.answers.contains(&turn.choice)
            {
                keep(
                    found,
                    (reply.node.clone(), reply.variant),
                    answer(reply, Some(&turn.choice), &line.answers, route()),
                );
            }
            hear(reply, &mut said);
        }
    }
}

/// One finding per choice and kind. Only quotes (names) that the member had
/// said before the choice on some route are checked; a route is flagged
/// when, in every language with such a quote, one of them had not been
/// said (a quote matched in Japanese but paraphrased in English is fine).
fn ref_findings(prepared: &Prepared, seen: Seen) -> Vec<Finding> {
    let mut out = Vec::new();
    let all = seen.into_iter().flat_map(|(choice, kinds)| {
        kinds
            .into_iter()
            .map(move |(k, p)| ((k, choice.clone()), p))
    });
    for ((kind, choice), patterns) in all {
        let Some(refs) = prepared.refs.get(&choice) else {
            continue;
        };
        let count = patterns.keys().next().map_or(0, Vec::len);
        let lang_of = |k: usize| match kind {
            Kind::Quote => refs.quotes[k].lang,
            _ => Lang::En,
        };
        // Where each quote was said, on the shortest route that said it.
        let said_at: Vec<Option<usize>> = (0..count)
            .map(|k| {
                patterns
                    .iter()
                    .filter(|(ok, _)| ok[k])
                    .min_by_key(|(_, e)| (e.route.len(), e.route.clone()))
                    .and_then(|(_, e)| e.nearest[k])
            })
            .collect();
        let checkable: Vec<usize> = (0..count).filter(|k| said_at[*k].is_some()).collect();
        let langs: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|l| checkable.iter().any(|k| lang_of(*k) == *l))
            .collect();
        let flagged = patterns
            .iter()
            .filter(|(ok, _)| {
                !checkable.is_empty()
                    && langs
                        .iter()
                        .all(|l| checkable.iter().any(|k| lang_of(*k) == *l && !ok[*k]))
            })
            .min_by_key(|(_, e)| (e.route.len(), e.route.clone()));
        let Some((ok, example)) = flagged else {
            continue;
        };
        let missing: Vec<usize> = checkable.iter().copied().filter(|k| !ok[*k]).collect();
        let Some(&worst) = missing.iter().min_by_key(|k| example.covered[**k]) else {
            continue;
        };
        out.push(Finding {
            kind,
            node: example.node.clone(),
            choice: Some(choice.clone()),
            variant: None,
            words: missing
                .iter()
                .map(|k| {
                    let text = match kind {
                        Kind::Quote => refs.quotes[*k].text.clone(),
                        _ => refs.names[*k].0.clone(),
                    };
                    (lang_of(*k), text)
                })
                .collect(),
            covered: example.covered[worst],
            nearest: example.nearest[worst].map(|i| prepared.lines[i].clone()),
            said_at: said_at[worst].map(|i| prepared.lines[i].clone()),
            after: Vec::new(),
            route: example.route.clone(),
        });
    }
    out
}

fn answer(
    line: &Spoken,
    after: Option<&String>,
    answers: &[String],
    route: Vec<String>,
) -> Finding {
    Finding {
        kind: Kind::Answer,
        node: line.node.clone(),
        choice: after.cloned(),
        variant: Some(line.variant),
        words: answers.iter().map(|a| (Lang::En, a.clone())).collect(),
        covered: 0,
        nearest: None,
        said_at: None,
        after: after.into_iter().cloned().collect(),
        route,
    }
}

/// Checks `scenario`'s continuity on the routes `kiku analyse` walks with `seed`.
pub fn check(scenario: &Arc<Scenario>, seed: u64) -> Report {
    let prepared = Prepared::new(scenario);
    let needed = !prepared.refs.is_empty()
        || scenario
            .nodes
            .values()
            .any(|n| n.lines.iter().any(|l| !l.answers.is_empty()));
    let mut found = Found::new();
    let mut seen = Seen::new();
    let mut routes = 0u64;
    let method = for_each_route(scenario, seed, |session| {
        routes += 1;
        if needed {
            check_route(scenario, &prepared, session, &mut found, &mut seen);
        }
    });
    let mut findings = ref_findings(&prepared, seen);
    findings.extend(found.into_values().map(|mut f| {
        f.after.sort();
        f
    }));
    findings.sort_by(|a, b| {
        (a.kind, &a.node, &a.choice, a.variant).cmp(&(b.kind, &b.node, &b.choice, b.variant))
    });
    Report {
        method,
        routes,
        findings,
    }
}

fn line_path(spoken: &Spoken, lang: Lang) -> String {
    format!(
        "nodes[{:?}].lines[{}].text.{}",
        spoken.node,
        spoken.variant,
        lang.code()
    )
}

fn choice_path(scenario: &Scenario, node: &str, choice: &str, lang: Lang) -> String {
    let index = scenario
        .nodes
        .get(node)
        .and_then(|n| n.choices.iter().position(|c| c.id == choice))
        .unwrap_or(0);
    format!("nodes[{node:?}].choices[{index}].text.{}", lang.code())
}

fn show_words(words: &[(Lang, String)]) -> String {
    words
        .iter()
        .map(|(lang, w)| match lang {
            Lang::Ja => format!("「{w}」"),
            Lang::En => format!("\"{w}\""),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The report as warnings for `kiku check`, each at the quoting choice (or
/// the line), naming the other location as `file:line:column`.
pub fn diagnostics(
    report: &Report,
    scenario: &Scenario,
    file: &str,
    source: &str,
) -> Vec<Diagnostic> {
    let locations = Locations::index(source);
    let at = |path: &str| {
        let (line, column) = locations.find(path);
        format!("{file}:{line}:{column}")
    };
    let line_ref = |spoken: &Spoken, lang: Lang| {
        format!(
            "`{}` line {} ({})",
            spoken.node,
            spoken.variant,
            at(&line_path(spoken, lang))
        )
    };
    let route = |r: &[String]| {
        if r.is_empty() {
            "(the opening)".to_string()
        } else {
            format!("--choices {}", r.join(","))
        }
    };
    let mut out = Vec::new();
    for f in &report.findings {
        let lang = f.words.first().map_or(Lang::Ja, |(l, _)| *l);
        let choice = f.choice.clone().unwrap_or_default();
        let (path, message) = match f.kind {
            Kind::Quote => {
                let nearest = match &f.nearest {
                    Some(n) => format!(
                        "the nearest words on that route ({}% of the quote) are at {}",
                        f.covered,
                        line_ref(n, lang)
                    ),
                    None => "the member has said none of it on that route".to_string(),
                };
                let elsewhere = f
                    .said_at
                    .as_ref()
                    .map(|s| format!("; it is said at {} on other routes", line_ref(s, lang)))
                    .unwrap_or_default();
                (
                    choice_path(scenario, &f.node, &choice, lang),
                    format!(
                        "choice `{choice}` quotes {} but the member has not said it on some route: {nearest}{elsewhere}; route: {}",
                        show_words(&f.words),
                        route(&f.route)
                    ),
                )
            }
            Kind::Name => {
                let elsewhere = f
                    .said_at
                    .as_ref()
                    .map(|s| {
                        format!(
                            " (the member names it at {} on other routes)",
                            line_ref(s, Lang::En)
                        )
                    })
                    .unwrap_or_default();
                (
                    choice_path(scenario, &f.node, &choice, Lang::En),
                    format!(
                        "choice `{choice}` names {} before the member has on some route{elsewhere}; route: {}",
                        f.words
                            .first()
                            .map_or(String::new(), |(_, w)| format!("`{w}`")),
                        route(&f.route)
                    ),
                )
            }
            Kind::Answer => {
                let variant = f.variant.unwrap_or(0);
                let spoken = Spoken {
                    node: f.node.clone(),
                    variant,
                };
                let answers: Vec<String> = f.words.iter().map(|(_, w)| format!("`{w}`")).collect();
                let before = match &f.choice {
                    Some(c) => {
                        let at_choice = scenario
                            .choices()
                            .find(|(_, x)| x.id == *c)
                            .map(|(node, _)| at(&choice_path(scenario, node, c, Lang::Ja)))
                            .unwrap_or_default();
                        let others: Vec<String> = f
                            .after
                            .iter()
                            .filter(|a| *a != c)
                            .map(|a| format!("`{a}`"))
                            .collect();
                        let also = if others.is_empty() {
                            String::new()
                        } else {
                            format!(" (also after {})", others.join(", "))
                        };
                        format!("right after choice `{c}` ({at_choice}){also}")
                    }
                    None => "as the opening line, before any question".to_string(),
                };
                (
                    format!("nodes[{:?}].lines[{variant}]", f.node),
                    format!(
                        "line {variant} of `{}` answers {} but is said {before}; route: {}",
                        spoken.node,
                        answers.join(", "),
                        route(&f.route)
                    ),
                )
            }
        };
        let (line, column) = locations.find(&path);
        out.push(Diagnostic {
            severity: Severity::Warning,
            file: file.to_string(),
            line,
            column,
            message,
            path: Some(path),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small scenario: after `c_ask` the member tells the Osaka story
    /// (naming Okada); after `c_ack` only says "that's the past". `story`
    /// line 1 is marked as answering `c_ask`. `{STORY_WHEN}`, `{BRIEFING}`
    /// and `{ANSWERS}` are replaced per test.
    const BASE: &str = r#"Scenario(
    id: "continuity_test",
    title: (ja: "テスト", en: "Test"),
    summary: (ja: "テスト", en: "Test"),
    persona: (
        name: (ja: "藤崎 蓮", en: "Ren Fujisaki"),
        role: (ja: "営業", en: "Sales"),
        years: 8,
        background: (ja: "営業。", en: "Sales."),
    ),
    inner: (
        surface: (ja: "順調", en: "Fine"),
        unease: (ja: "停滞", en: "Stuck"),
        value: (ja: "任されたい", en: "Wants to be trusted"),
    ),
    briefing: (ja: "定例の1on1。", en: "{BRIEFING}"),
    start: "opening",
    nodes: {
        "opening": (
            lines: [(text: (ja: "最近、数字ばかり追っていて疲れました。", en: "Lately I'm tired of chasing numbers."))],
            choices: [
                (id: "c_ask", text: (ja: "一番面白かった仕事は?", en: "What was the most fun?"), act: Question(open: true, focus: Person, frame: Values), next: Node("story")),
                (id: "c_ack", text: (ja: "そうなんだ。", en: "I see."), act: Acknowledge, next: Node("story")),
            ],
        ),
        "story": (
            lines: [
                ({STORY_WHEN} text: (ja: "大阪の立ち上げで、岡田部長に「大阪は任せた」って言われたんです。", en: "Opening Osaka, my boss Okada said, \"Osaka's yours.\"")),
                (text: (ja: "まあ、昔の話です。", en: "Well, that's the past."), answers: [{ANSWERS}]),
            ],
            choices: [
                (id: "s_quote", text: (ja: "「大阪は任せた」って言葉、一言一句覚えてるんですね。", en: "You remember \"Osaka's yours\" word for word."), act: ComplexReflection, next: End("end")),
                (id: "s_name", text: (ja: "岡田さんに任されたんですね。", en: "So it was Okada who trusted you."), act: SimpleReflection, next: End("end")),
                (id: "s_frame", text: (ja: "「やっていてよかった」と思えたのはいつ?", en: "When did you feel \"glad I did it\"?"), act: Question(open: true, focus: Person, frame: Values), next: End("end")),
            ],
        ),
    },
    endings: {
        "end": (kind: Polite, title: (ja: "終わり", en: "End"), text: (ja: "「はい」", en: "\"Yes.\"")),
    },
)"#;

    fn scenario(story_when: &str, briefing: &str, answers: &str) -> Arc<Scenario> {
        let text = BASE
            .replace("{STORY_WHEN}", story_when)
            .replace("{BRIEFING}", briefing)
            .replace("{ANSWERS}", answers);
        crate::fixtures::scenario("continuity_test.ron", &text)
    }

    /// The story is told only after `c_ask`.
    fn planted() -> Arc<Scenario> {
        scenario("when: Chose(\"c_ask\"),", "A regular 1on1.", "")
    }

    fn find<'r>(report: &'r Report, kind: Kind, at: &str) -> Option<&'r Finding> {
        report.findings.iter().find(|f| {
            f.kind == kind
                && match kind {
                    Kind::Answer => f.node == at,
                    _ => f.choice.as_deref() == Some(at),
                }
        })
    }

    #[test]
    fn quotes_are_extracted_per_language() {
        assert_eq!(
            quotes("「大阪は任せた」って『x』", Lang::Ja),
            ["大阪は任せた"]
        );
        assert_eq!(quotes("「外「内」外」", Lang::Ja), ["外「内」外"]);
        assert_eq!(
            quotes("say \"a b\" and “c d”, it's", Lang::En),
            ["a b", "c d"]
        );
        assert!(quotes("no quotes here, it's fine", Lang::En).is_empty());
    }

    #[test]
    fn a_quote_of_words_not_said_on_some_route_is_flagged_with_both_places() {
        let s = planted();
        let report = check(&s, 1);
        assert_eq!(report.method, Method::Exhaustive);
        let f = find(&report, Kind::Quote, "s_quote").expect("the planted quote is caught");
        assert_eq!(f.route, ["c_ack", "s_quote"]);
        assert_eq!(f.node, "story");
        assert_eq!(f.nearest, None, "nothing close was said after c_ack");
        assert_eq!(
            f.said_at,
            Some(Spoken {
                node: "story".into(),
                variant: 0
            })
        );
        assert!(f.words.contains(&(Lang::Ja, "大阪は任せた".to_string())));
        assert!(f.words.contains(&(Lang::En, "Osaka's yours".to_string())));
        // The name is caught too: Okada is only in the member's story.
        let n = find(&report, Kind::Name, "s_name").expect("the planted name is caught");
        assert_eq!(n.words, [(Lang::En, "Okada".to_string())]);
        assert_eq!(n.route, ["c_ack", "s_name"]);
        // The manager's own framing is never a quote of the member.
        assert!(find(&report, Kind::Quote, "s_frame").is_none());
        // As warnings: at the choice, naming the line where it is said.
        let source = BASE
            .replace("{STORY_WHEN}", "when: Chose(\"c_ask\"),")
            .replace("{BRIEFING}", "A regular 1on1.")
            .replace("{ANSWERS}", "");
        let diagnostics = diagnostics(&report, &s, "t.ron", &source);
        let quote = diagnostics
            .iter()
            .find(|d| d.message.contains("`s_quote`"))
            .expect("a warning");
        assert_eq!(quote.severity, Severity::Warning);
        let choice_line = source
            .lines()
            .position(|l| l.contains("id: \"s_quote\""))
            .unwrap()
            + 1;
        let story_line = source.lines().position(|l| l.contains("岡田部長")).unwrap() + 1;
        assert_eq!(quote.line, choice_line);
        assert!(
            quote.message.contains(&format!("t.ron:{story_line}:")),
            "{}",
            quote.message
        );
        assert!(
            quote.message.contains("--choices c_ack,s_quote"),
            "{}",
            quote.message
        );
    }

    #[test]
    fn a_quote_said_on_every_route_is_not_flagged() {
        // With the story on every route: nothing to report.
        let always = scenario("when: Turns(0),", "A regular 1on1.", "");
        let report = check(&always, 1);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }

    #[test]
    fn paraphrase_counts_as_said() {
        let text = BASE
            .replace("{STORY_WHEN}", "")
            .replace("{BRIEFING}", "")
            .replace("{ANSWERS}", "")
            .replace("まあ、昔の話です。", "大阪は、私に任せてもらった。")
            .replace("Well, that's the past.", "Osaka was all yours, they said.");
        let s = crate::fixtures::scenario("p.ron", &text);
        for seed in 1..8 {
            let report = check(&s, seed);
            assert!(
                find(&report, Kind::Quote, "s_quote").is_none(),
                "seed {seed}: {:?}",
                report.findings
            );
        }
    }

    #[test]
    fn a_name_the_trainee_was_briefed_on_is_not_flagged() {
        let s = scenario(
            "when: Chose(\"c_ask\"),",
            "A regular 1on1. Okada is his old boss.",
            "",
        );
        let report = check(&s, 1);
        assert!(find(&report, Kind::Name, "s_name").is_none());
        assert!(find(&report, Kind::Quote, "s_quote").is_some());
    }

    #[test]
    fn a_line_answering_a_question_not_asked_is_flagged() {
        // Line 1 (said after `c_ack`) claims to answer `c_ask`.
        let s = scenario("when: Chose(\"c_ask\"),", "A regular 1on1.", "\"c_ask\"");
        let report = check(&s, 1);
        let f = find(&report, Kind::Answer, "story").expect("caught");
        assert_eq!(f.variant, Some(1));
        assert_eq!(f.choice.as_deref(), Some("c_ack"));
        assert_eq!(f.route, ["c_ack"]);
        // Marked as answering both: nothing to report.
        let s = scenario(
            "when: Chose(\"c_ask\"),",
            "A regular 1on1.",
            "\"c_ask\", \"c_ack\"",
        );
        assert!(find(&check(&s, 1), Kind::Answer, "story").is_none());
    }

    #[test]
    fn the_fixtures_and_a_large_scenario_are_checked_quickly() {
        for s in [crate::fixtures::sample(), crate::fixtures::board()] {
            let mut routes = 0;
            for_each_route(&s, 1, |_| routes += 1);
            assert_eq!(check(&s, 1).routes, routes);
        }
        let big = Arc::new(crate::tools::synthetic::layered(2_000));
        let report = check(&big, 1);
        assert!(matches!(report.method, Method::Sampled { .. }));
        assert!(report.findings.is_empty());
    }
}
