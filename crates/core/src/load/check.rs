//! Semantic checks of a parsed scenario: every reference resolves, every
//! node can be reached and can reach an ending, values are in range, text is
//! translated. All problems at once, each pointing at the file and line of
//! the culprit.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::load::diagnostic::{Diagnostic, Severity};
use crate::load::locate::Locations;
use crate::scenario::{Cond, Effect, Layer, PriorSpec, Scenario, Target};
use crate::text::{Lang, Text};

/// The most years in the company a persona can plausibly have.
const MAX_YEARS: u32 = 60;

/// Checks `scenario` (parsed from `source`, named `file` in messages).
/// Returns every error and warning, errors first, each in file order.
pub fn check(scenario: &Scenario, file: &str, source: &str) -> Vec<Diagnostic> {
    let mut checker = Checker {
        file,
        locations: Locations::index(source),
        out: Vec::new(),
    };
    checker.duplicate_keys();
    checker.header(scenario);
    checker.nodes(scenario);
    checker.series(scenario);
    checker.graph(scenario);
    checker.translations(scenario);
    let mut out = checker.out;
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    out.dedup();
    out
}

struct Checker<'a> {
    file: &'a str,
    locations: Locations,
    out: Vec<Diagnostic>,
}

fn node_path(id: &str) -> String {
    format!("nodes[{id:?}]")
}

fn choice_path(node: &str, index: usize) -> String {
    format!("nodes[{node:?}].choices[{index}]")
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Checker<'_> {
    fn push(&mut self, severity: Severity, path: &str, message: String) {
        let (line, column) = self.locations.find(path);
        self.out.push(Diagnostic {
            severity,
            file: self.file.to_string(),
            line,
            column,
            message,
            path: Some(path.to_string()),
        });
    }

    fn error(&mut self, path: &str, message: String) {
        self.push(Severity::Error, path, message);
    }

    fn warn(&mut self, path: &str, message: String) {
        self.push(Severity::Warning, path, message);
    }

    fn range(&mut self, path: &str, what: &str, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.error(
                path,
                format!("{what} is {value}, but must be between {min} and {max}"),
            );
        }
    }

    fn duplicate_keys(&mut self) {
        for (path, (line, column)) in std::mem::take(&mut self.locations.duplicate_keys) {
            self.out.push(Diagnostic {
                severity: Severity::Error,
                file: self.file.to_string(),
                line,
                column,
                message: format!("duplicate id: `{path}` is defined more than once"),
                path: Some(path),
            });
        }
    }

    fn header(&mut self, s: &Scenario) {
        if !is_slug(&s.id) {
            self.error(
                "id",
                format!(
                    "scenario id `{}` must be a slug: lowercase letters, digits, `_` or `-`",
                    s.id
                ),
            );
        }
        let t = s.persona.temperament;
        self.range(
            "persona.temperament.reserve",
            "reserve",
            t.reserve.into(),
            0,
            100,
        );
        self.range(
            "persona.temperament.sensitivity",
            "sensitivity",
            t.sensitivity.into(),
            0,
            100,
        );
        self.range(
            "persona.years",
            "years",
            s.persona.years.into(),
            0,
            MAX_YEARS.into(),
        );
        self.range(
            "initial.trust",
            "initial trust",
            s.initial.trust.into(),
            0,
            100,
        );
        self.range(
            "initial.openness",
            "initial openness",
            s.initial.openness.into(),
            0,
            100,
        );
        self.range(
            "initial.clarity",
            "initial clarity",
            s.initial.clarity.into(),
            0,
            100,
        );
        if let Some(w) = s.weights {
            for (name, value) in [
                ("listening", w.listening),
                ("questions", w.questions),
                ("change", w.change),
                ("outcome", w.outcome),
            ] {
                self.range(
                    &format!("weights.{name}"),
                    &format!("weight `{name}`"),
                    value.into(),
                    0,
                    1000,
                );
            }
        }
        if let Some(w) = s.weights
            && w.total() == 0
        {
            self.error(
                "weights",
                "the weights add up to 0; give at least one axis a weight".into(),
            );
        }
        if s.nodes.is_empty() {
            self.error("nodes", "the scenario has no nodes".into());
        } else if !s.nodes.contains_key(&s.start) {
            self.error("start", format!("start node `{}` does not exist", s.start));
        }
        if s.endings.is_empty() {
            self.error("endings", "the scenario has no endings".into());
        }
        for id in s.nodes.keys() {
            if !is_slug(id) {
                self.error(
                    &node_path(id),
                    format!("node id `{id}` must be a slug: lowercase letters, digits, `_` or `-`"),
                );
            }
        }
        for id in s.endings.keys() {
            if !is_slug(id) {
                self.error(
                    &format!("endings[{id:?}]"),
                    format!(
                        "ending id `{id}` must be a slug: lowercase letters, digits, `_` or `-`"
                    ),
                );
            }
        }
        if !s.nodes.values().any(|n| n.reveals >= Some(Layer::Unease)) {
            self.warn(
                "nodes",
                "no node has `reveals: Unease`: the member can never voice the real unease, \
                 so all advice counts as premature"
                    .into(),
            );
        }
    }

    fn nodes(&mut self, s: &Scenario) {
        let mut seen_choices: BTreeMap<&str, String> = BTreeMap::new();
        for (id, node) in &s.nodes {
            let path = node_path(id);
            if node.lines.is_empty() {
                self.error(
                    &path,
                    format!("node `{id}` has no lines: the member must say something"),
                );
            } else if node.lines.iter().all(|l| l.when.is_some()) {
                self.error(
                    &format!("{path}.lines"),
                    format!("every line of node `{id}` has a condition; give one line no `when` so the member always has something to say"),
                );
            }
            for (i, line) in node.lines.iter().enumerate() {
                if let Some(cond) = &line.when {
                    self.condition(s, &format!("{path}.lines[{i}].when"), cond);
                }
            }
            if node.choices.is_empty() {
                self.error(
                    &path,
                    format!("node `{id}` has no choices: there is no way on (end with a choice whose `next` is `End(\"...\")`)"),
                );
            } else if node.choices.iter().all(|c| c.when.is_some()) {
                self.error(
                    &format!("{path}.choices"),
                    format!("every choice of node `{id}` has a condition, so the menu can run dry; give at least one choice no `when`"),
                );
            }
            for (i, choice) in node.choices.iter().enumerate() {
                let cpath = choice_path(id, i);
                if !is_slug(&choice.id) {
                    self.error(
                        &format!("{cpath}.id"),
                        format!(
                            "choice id `{}` must be a slug: lowercase letters, digits, `_` or `-`",
                            choice.id
                        ),
                    );
                }
                if let Some(first) = seen_choices.get(choice.id.as_str()) {
                    self.error(
                        &format!("{cpath}.id"),
                        format!(
                            "duplicate choice id `{}` (first used at {first})",
                            choice.id
                        ),
                    );
                } else {
                    let (line, column) = self.locations.find(&format!("{cpath}.id"));
                    seen_choices.insert(&choice.id, format!("{}:{line}:{column}", self.file));
                }
                self.target(s, &format!("{cpath}.next"), &choice.next);
                if let Some(cond) = &choice.when {
                    self.condition(s, &format!("{cpath}.when"), cond);
                }
                for (b, branch) in choice.branches.iter().enumerate() {
                    let bpath = format!("{cpath}.branches[{b}]");
                    self.condition(s, &format!("{bpath}.when"), &branch.when);
                    self.target(s, &format!("{bpath}.next"), &branch.next);
                }
                for (e, effect) in choice.effects.iter().enumerate() {
                    let Effect::Add(_, amount) = effect;
                    self.range(
                        &format!("{cpath}.effects[{e}]"),
                        "an effect",
                        (*amount).into(),
                        -100,
                        100,
                    );
                }
            }
        }
    }

    fn target(&mut self, s: &Scenario, path: &str, target: &Target) {
        match target {
            Target::Node(id) if !s.nodes.contains_key(id) => {
                let hint = if s.endings.contains_key(id) {
                    format!(" (`{id}` is an ending: write `End(\"{id}\")`)")
                } else {
                    String::new()
                };
                self.error(path, format!("unknown node `{id}`{hint}"));
            }
            Target::End(id) if !s.endings.contains_key(id) => {
                let hint = if s.nodes.contains_key(id) {
                    format!(" (`{id}` is a node: write `Node(\"{id}\")`)")
                } else {
                    String::new()
                };
                self.error(path, format!("unknown ending `{id}`{hint}"));
            }
            _ => {}
        }
    }

    fn condition(&mut self, s: &Scenario, path: &str, cond: &Cond) {
        // Iterative, so a deeply nested condition cannot overflow the stack.
        let mut stack = vec![cond];
        while let Some(cond) = stack.pop() {
            match cond {
                Cond::All(list) | Cond::Any(list) => {
                    if list.is_empty() {
                        self.warn(
                            path,
                            "an empty `All([])` or `Any([])` in a condition".into(),
                        );
                    }
                    stack.extend(list);
                }
                Cond::Not(inner) => stack.push(inner),
                Cond::AtLeast(_, v) | Cond::AtMost(_, v) => {
                    self.range(path, "a condition's value", (*v).into(), 0, 100);
                }
                Cond::Visited(node) if !s.nodes.contains_key(node) => {
                    self.error(path, format!("condition refers to unknown node `{node}`"));
                }
                Cond::Chose(choice) if !s.choices().any(|(_, c)| &c.id == choice) => {
                    self.error(
                        path,
                        format!("condition refers to unknown choice `{choice}`"),
                    );
                }
                Cond::Motif(id) => self.motif_ref(s, path, id),
                Cond::PrevEnding(_)
                | Cond::PrevEndingId(_)
                | Cond::PrevNextStep(_)
                | Cond::PrevVoiced(_)
                | Cond::PrevMotif(_)
                    if s.follows.is_none() =>
                {
                    self.error(
                        path,
                        "a `Prev...` condition needs a series: add `follows: \"<earlier scenario id>\"`"
                            .into(),
                    );
                }
                _ => {}
            }
        }
    }

    /// A motif named where the scenario's own motifs must hold it: always
    /// in a standalone scenario; a follow-up may also name its earlier
    /// scenarios' motifs, which the series check resolves across files.
    fn motif_ref(&mut self, s: &Scenario, path: &str, id: &str) {
        if s.follows.is_none() && s.motif(id).is_none() {
            let known: Vec<&str> = s.motifs.iter().map(|m| m.id.as_str()).collect();
            self.error(
                path,
                format!(
                    "unknown motif `{id}` (declared: {}); declare it in `motifs: [(id: \"{id}\", words: (ja: \"...\", en: \"...\"))]`",
                    if known.is_empty() { "none".into() } else { known.join(", ") }
                ),
            );
        }
    }

    /// The series fields that can be checked within the one file: motif
    /// declarations, `voices`, `recalls`, the priors and `carry`.
    fn series(&mut self, s: &Scenario) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (i, motif) in s.motifs.iter().enumerate() {
            let path = format!("motifs[{i}].id");
            if !is_slug(&motif.id) {
                self.error(
                    &path,
                    format!(
                        "motif id `{}` must be a slug: lowercase letters, digits, `_` or `-`",
                        motif.id
                    ),
                );
            }
            if !seen.insert(&motif.id) {
                self.error(&path, format!("duplicate motif id `{}`", motif.id));
            }
        }
        for (id, node) in &s.nodes {
            for (i, line) in node.lines.iter().enumerate() {
                for (v, motif) in line.voices.iter().enumerate() {
                    self.motif_ref(
                        s,
                        &format!("{}.lines[{i}].voices[{v}]", node_path(id)),
                        motif,
                    );
                }
            }
            for (i, choice) in node.choices.iter().enumerate() {
                let cpath = choice_path(id, i);
                if choice.misremembers && choice.recalls.is_none() {
                    self.error(
                        &format!("{cpath}.misremembers"),
                        "`misremembers: true` needs `recalls: \"<motif>\"`: the motif the trainee wrongly recalls".into(),
                    );
                }
                if choice.recalls.is_some() && s.follows.is_none() {
                    self.error(
                        &format!("{cpath}.recalls"),
                        "`recalls` quotes the member's words from an earlier 1on1: add `follows: \"<earlier scenario id>\"`".into(),
                    );
                }
            }
        }
        match (&s.follows, &s.default_prior) {
            (Some(earlier), _) if *earlier == s.id => {
                self.error("follows", format!("scenario `{}` follows itself", s.id));
            }
            (Some(_), None) => self.error(
                "follows",
                "a follow-up needs `default_prior: (ending: \"...\", ...)`: what it assumes when played without a record of the earlier 1on1".into(),
            ),
            _ => {}
        }
        if s.follows.is_none() {
            for (field, set) in [
                ("default_prior", s.default_prior.is_some()),
                ("priors", !s.priors.is_empty()),
                ("carry", s.carry.is_some()),
            ] {
                if set {
                    self.error(
                        field,
                        format!(
                            "`{field}` is for a follow-up: add `follows: \"<earlier scenario id>\"`"
                        ),
                    );
                }
            }
        }
        if let Some(prior) = &s.default_prior {
            self.prior_spec("default_prior", prior);
        }
        let mut prior_ids: BTreeSet<&str> = BTreeSet::new();
        for (i, named) in s.priors.iter().enumerate() {
            let path = format!("priors[{i}]");
            if !is_slug(&named.id) {
                self.error(
                    &format!("{path}.id"),
                    format!(
                        "prior id `{}` must be a slug: lowercase letters, digits, `_` or `-`",
                        named.id
                    ),
                );
            }
            if named.id == crate::play::prior::DEFAULT_PRIOR_ID || !prior_ids.insert(&named.id) {
                self.error(
                    &format!("{path}.id"),
                    format!(
                        "duplicate prior id `{}` (`default` names the default prior)",
                        named.id
                    ),
                );
            }
            self.prior_spec(&format!("{path}.prior"), &named.prior);
        }
        if let Some(carry) = s.carry {
            for stat in crate::scenario::Stat::ALL {
                let name = format!("{stat:?}").to_lowercase();
                self.range(
                    &format!("carry.{name}"),
                    &format!("carry of {name}"),
                    carry.get(stat).into(),
                    0,
                    100,
                );
            }
        }
    }

    fn prior_spec(&mut self, path: &str, prior: &PriorSpec) {
        for stat in crate::scenario::Stat::ALL {
            let name = format!("{stat:?}").to_lowercase();
            self.range(
                &format!("{path}.stats.{name}"),
                &format!("the prior's {name}"),
                prior.stats.get(stat).into(),
                0,
                100,
            );
        }
    }

    fn graph(&mut self, s: &Scenario) {
        if !s.nodes.contains_key(&s.start) {
            return;
        }
        let targets = |id: &str| -> Vec<Target> {
            s.nodes.get(id).map_or(Vec::new(), |node| {
                node.choices
                    .iter()
                    .flat_map(|c| {
                        std::iter::once(c.next.clone())
                            .chain(c.branches.iter().map(|b| b.next.clone()))
                    })
                    .collect()
            })
        };
        // Forward: what the start reaches.
        let mut reached_nodes = BTreeSet::from([s.start.clone()]);
        let mut reached_endings = BTreeSet::new();
        let mut queue = VecDeque::from([s.start.clone()]);
        while let Some(id) = queue.pop_front() {
            for target in targets(&id) {
                match target {
                    Target::Node(n)
                        if s.nodes.contains_key(&n) && reached_nodes.insert(n.clone()) =>
                    {
                        queue.push_back(n);
                    }
                    Target::End(e) => {
                        reached_endings.insert(e);
                    }
                    _ => {}
                }
            }
        }
        for id in s.nodes.keys() {
            if !reached_nodes.contains(id) {
                self.error(
                    &node_path(id),
                    format!(
                        "unreachable node `{id}`: no path from the start `{}` leads here",
                        s.start
                    ),
                );
            }
        }
        for id in s.endings.keys() {
            if !reached_endings.contains(id) {
                self.error(
                    &format!("endings[{id:?}]"),
                    format!("unreachable ending `{id}`: no choice leads here"),
                );
            }
        }
        // Backward: which nodes can still reach an ending.
        let mut can_end: BTreeSet<&str> = BTreeSet::new();
        loop {
            let before = can_end.len();
            for id in s.nodes.keys() {
                if can_end.contains(id.as_str()) {
                    continue;
                }
                let ok = targets(id).iter().any(|t| match t {
                    Target::End(e) => s.endings.contains_key(e),
                    Target::Node(n) => can_end.contains(n.as_str()),
                });
                if ok {
                    can_end.insert(id);
                }
            }
            if can_end.len() == before {
                break;
            }
        }
        for id in s.nodes.keys() {
            if reached_nodes.contains(id)
                && !can_end.contains(id.as_str())
                && !s.nodes[id].choices.is_empty()
            {
                self.error(
                    &node_path(id),
                    format!("dead end: from node `{id}` no ending can be reached (the conversation would loop forever)"),
                );
            }
        }
    }

    fn translations(&mut self, s: &Scenario) {
        let mut texts: Vec<(String, &Text)> = vec![
            ("title".into(), &s.title),
            ("summary".into(), &s.summary),
            ("briefing".into(), &s.briefing),
            ("persona.name".into(), &s.persona.name),
            ("persona.role".into(), &s.persona.role),
            ("persona.background".into(), &s.persona.background),
            ("inner.surface".into(), &s.inner.surface),
            ("inner.unease".into(), &s.inner.unease),
            ("inner.value".into(), &s.inner.value),
        ];
        for (id, node) in &s.nodes {
            let path = node_path(id);
            for (i, line) in node.lines.iter().enumerate() {
                texts.push((format!("{path}.lines[{i}].text"), &line.text));
                if let Some(inner) = &line.inner {
                    texts.push((format!("{path}.lines[{i}].inner"), inner));
                }
            }
            for (i, choice) in node.choices.iter().enumerate() {
                texts.push((format!("{}.text", choice_path(id, i)), &choice.text));
            }
        }
        for (i, motif) in s.motifs.iter().enumerate() {
            texts.push((format!("motifs[{i}].words"), &motif.words));
        }
        for (i, named) in s.priors.iter().enumerate() {
            texts.push((format!("priors[{i}].title"), &named.title));
        }
        for (id, ending) in &s.endings {
            let path = format!("endings[{id:?}]");
            texts.push((format!("{path}.title"), &ending.title));
            texts.push((format!("{path}.text"), &ending.text));
            if let Some(inner) = &ending.inner {
                texts.push((format!("{path}.inner"), inner));
            }
        }
        for (path, text) in texts {
            match text.missing().as_slice() {
                [] => {}
                [lang] => {
                    let (name, field) = match lang {
                        Lang::Ja => ("Japanese", "ja"),
                        Lang::En => ("English", "en"),
                    };
                    self.warn(&path, format!("missing {name} translation (`{field}:`)"));
                }
                _ => self.error(&path, "empty text: give it `ja:` and `en:`".into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    use crate::fixtures::SAMPLE;

    /// The sample fixture with `from` replaced by `to` (exactly once).
    fn edited(from: &str, to: &str) -> String {
        assert_eq!(SAMPLE.matches(from).count(), 1, "`{from}` is not unique");
        SAMPLE.replacen(from, to, 1)
    }

    fn diagnostics(source: &str) -> Vec<Diagnostic> {
        crate::load::load_str(Path::new("sample.ron"), source.to_string()).diagnostics
    }

    /// The 1-based line of the first occurrence of `needle` in `source`.
    fn line_of(source: &str, needle: &str) -> usize {
        let at = source.find(needle).expect("needle in source");
        source[..at].matches('\n').count() + 1
    }

    fn the_one<'d>(all: &'d [Diagnostic], severity: Severity, message: &str) -> &'d Diagnostic {
        let found: Vec<&Diagnostic> = all
            .iter()
            .filter(|d| d.severity == severity && d.message.contains(message))
            .collect();
        assert_eq!(found.len(), 1, "expected one `{message}` in {all:#?}");
        found[0]
    }

    #[test]
    fn the_fixture_is_clean() {
        assert_eq!(diagnostics(SAMPLE), Vec::new());
    }

    #[test]
    fn a_dangling_goto_is_an_error_with_a_location() {
        let source = edited(
            "act: SimpleReflection, next: Node(\"moya\")",
            "act: SimpleReflection, next: Node(\"nowhere\")",
        );
        let all = diagnostics(&source);
        let d = the_one(&all, Severity::Error, "unknown node `nowhere`");
        assert_eq!(d.file, "sample.ron");
        assert_eq!(d.path.as_deref(), Some("nodes[\"open\"].choices[0].next"));
        assert_eq!(d.line, line_of(&source, "Node(\"nowhere\")"));
        assert!(d.column > 1);
        // Naming an ending as a node gets a hint.
        let source = edited(
            "act: RedirectToWork, next: End(\"report\")",
            "act: RedirectToWork, next: Node(\"report\")",
        );
        let all = diagnostics(&source);
        let d = the_one(&all, Severity::Error, "unknown node `report`");
        assert!(
            d.message.contains("write `End(\"report\")`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_duplicate_id_is_an_error() {
        let source = edited("(id: \"silence\"", "(id: \"reflect\"");
        let all = diagnostics(&source);
        let d = the_one(&all, Severity::Error, "duplicate choice id `reflect`");
        assert_eq!(d.path.as_deref(), Some("nodes[\"moya\"].choices[1].id"));
        assert_eq!(d.line, line_of(&source, "(黙ってうなずき"));
        // A node id defined twice.
        let source = edited(
            "        \"value\": (",
            "        \"moya\": (lines: [(text: (ja: \"a\", en: \"a\"))], choices: []),\n        \"value\": (",
        );
        let all = diagnostics(&source);
        let d = the_one(&all, Severity::Error, "duplicate id");
        assert!(d.message.contains("moya"), "{}", d.message);
    }

    #[test]
    fn an_unreachable_node_is_reported_at_the_node() {
        let source = edited(
            "        \"value\": (",
            "        \"orphan\": (lines: [(text: (ja: \"あ\", en: \"Ah\"))], choices: [(id: \"leave\", text: (ja: \"じゃあ\", en: \"Bye\"), act: Acknowledge, next: End(\"shut\"))]),\n        \"value\": (",
        );
        let all = diagnostics(&source);
        // The checker treats an unreachable node as an error (a scenario with
        // dead content does not load).
        let d = the_one(&all, Severity::Error, "unreachable node `orphan`");
        assert_eq!(d.path.as_deref(), Some("nodes[\"orphan\"]"));
        assert_eq!(d.line, line_of(&source, "\"orphan\""));
        assert_eq!(all.len(), 1, "{all:#?}");
    }

    #[test]
    fn a_missing_translation_is_only_a_warning() {
        let source = edited(
            "(ja: \"じゃあ、今日はこのへんで。\", en: \"Well, let's wrap up for today.\")",
            "(ja: \"じゃあ、今日はこのへんで。\")",
        );
        let loaded = crate::load::load_str(Path::new("sample.ron"), source.clone());
        let d = the_one(
            &loaded.diagnostics,
            Severity::Warning,
            "missing English translation",
        );
        assert_eq!(d.path.as_deref(), Some("nodes[\"closed\"].choices[1].text"));
        assert!(loaded.scenario.is_some(), "warnings do not stop loading");
    }

    #[test]
    fn series_fields_outside_a_series_are_errors() {
        let source = edited(
            "act: Silence, next: Node(\"deeper\")",
            "act: Silence, when: Any([PrevMotif(\"face\"), Motif(\"ghost\")]), recalls: \"face\", next: Node(\"deeper\")",
        );
        let all = diagnostics(&source);
        the_one(
            &all,
            Severity::Error,
            "a `Prev...` condition needs a series",
        );
        let ghost = the_one(&all, Severity::Error, "unknown motif `ghost`");
        assert_eq!(ghost.line, line_of(&source, "Motif(\"ghost\")"));
        the_one(&all, Severity::Error, "`recalls` quotes the member's words");
        // A declared motif voiced by a line is fine; an undeclared one is not.
        let source = edited(
            "    start: ",
            "    motifs: [(id: \"moya\", words: (ja: \"もやもや\", en: \"foggy\"))],\n    start: ",
        )
        .replacen(
            "mood: Guarded",
            "mood: Guarded, voices: [\"moya\", \"nope\"]",
            1,
        );
        let all = diagnostics(&source);
        let nope = the_one(
            &all,
            Severity::Error,
            "unknown motif `nope` (declared: moya)",
        );
        assert!(
            nope.path.as_deref().unwrap().ends_with(".voices[1]"),
            "{nope:?}"
        );
    }

    #[test]
    fn a_broken_condition_reference_is_an_error() {
        let source = edited(
            "act: Silence, next: Node(\"deeper\")",
            "act: Silence, when: Any([Chose(\"ghost\"), Visited(\"attic\")]), next: Node(\"deeper\")",
        );
        let loaded = crate::load::load_str(Path::new("sample.ron"), source.clone());
        let all = &loaded.diagnostics;
        let ghost = the_one(all, Severity::Error, "unknown choice `ghost`");
        assert_eq!(
            ghost.path.as_deref(),
            Some("nodes[\"moya\"].choices[1].when")
        );
        assert_eq!(ghost.line, line_of(&source, "Chose(\"ghost\")"));
        the_one(all, Severity::Error, "unknown node `attic`");
        assert!(loaded.scenario.is_none(), "errors stop loading");
    }
}
