//! Checks that span files: a follow-up's `follows` must name a scenario that
//! is loaded (or bundled), its priors must name that scenario's endings, and
//! every motif it names must be declared in it or in an earlier scenario of
//! the series. [`link`] runs the checks over a set of loaded files and links
//! each follow-up to its earlier scenario.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::load::Loaded;
use crate::load::diagnostic::{Diagnostic, Severity};
use crate::load::locate::Locations;
use crate::scenario::{Cond, Scenario};

/// Links every follow-up in `all` to its earlier scenario (found in `all`,
/// else among the bundled ones) and adds the series diagnostics to its
/// file. A follow-up with an error there stops being playable (its
/// `scenario` becomes `None`), like any other error.
pub fn link(all: &mut [Loaded]) {
    link_with(all, true);
}

/// [`link`], with or without falling back on the bundled scenarios (the
/// bundled set itself links without, as it is what the fallback reads).
pub(crate) fn link_with(all: &mut [Loaded], bundled_fallback: bool) {
    let scenarios: Vec<Arc<Scenario>> = all.iter().filter_map(|l| l.scenario.clone()).collect();
    let broken: Vec<String> = all
        .iter()
        .filter(|l| l.scenario.is_none())
        .map(|l| l.path.display().to_string())
        .collect();
    let lookup = |id: &str| -> Option<Arc<Scenario>> {
        scenarios.iter().find(|s| s.id == id).cloned().or_else(|| {
            bundled_fallback
                .then(|| crate::load::library::bundled_scenario(id))
                .flatten()
        })
    };
    for loaded in all.iter_mut() {
        let Some(scenario) = loaded.scenario.clone() else {
            continue;
        };
        if scenario.follows.is_none() {
            continue;
        }
        let file = loaded.path.display().to_string();
        let diagnostics = check(&scenario, &file, &loaded.source, &lookup, &broken);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            loaded.scenario = None;
        } else if let Some(earlier) = scenario.follows.as_deref().and_then(lookup) {
            scenario.earlier.set(earlier);
        }
        loaded.diagnostics.extend(diagnostics);
        loaded.diagnostics.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.line.cmp(&b.line))
                .then(a.column.cmp(&b.column))
        });
    }
}

/// The series checks of one follow-up, `lookup` finding scenarios by id;
/// `broken` names the files that failed to load (for a hint when the
/// earlier scenario is among them).
pub fn check(
    scenario: &Scenario,
    file: &str,
    source: &str,
    lookup: &dyn Fn(&str) -> Option<Arc<Scenario>>,
    broken: &[String],
) -> Vec<Diagnostic> {
    let locations = Locations::index(source);
    let mut out = Vec::new();
    let mut error = |path: &str, message: String| {
        let (line, column) = locations.find(path);
        out.push(Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            column,
            message,
            path: Some(path.to_string()),
        });
    };
    let Some(follows) = scenario.follows.as_deref() else {
        return Vec::new();
    };
    let Some(earlier) = lookup(follows) else {
        let hint = if broken.is_empty() {
            String::new()
        } else {
            format!(
                " (if it is in {}, fix that file's errors first)",
                broken.join(", ")
            )
        };
        error(
            "follows",
            format!(
                "`follows: \"{follows}\"`: no scenario with id `{follows}` is loaded or bundled{hint}"
            ),
        );
        return out;
    };
    // The motifs of the earlier scenarios, walking the chain back (a cycle
    // is an error, not a hang).
    let mut before: BTreeSet<String> = BTreeSet::new();
    let mut seen = BTreeSet::from([scenario.id.clone()]);
    let mut cursor = Some(earlier.clone());
    while let Some(s) = cursor {
        if !seen.insert(s.id.clone()) {
            error(
                "follows",
                format!(
                    "the series loops: `{}` comes back to `{}`",
                    scenario.id, s.id
                ),
            );
            break;
        }
        before.extend(s.motifs.iter().map(|m| m.id.clone()));
        cursor = s.follows.as_deref().and_then(lookup);
    }
    let mut known = before.clone();
    known.extend(scenario.motifs.iter().map(|m| m.id.clone()));
    let list = |set: &BTreeSet<String>| {
        if set.is_empty() {
            "none".to_string()
        } else {
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    let endings: Vec<&str> = earlier.endings.keys().map(String::as_str).collect();
    let ending = |path: &str, id: &str, error: &mut dyn FnMut(&str, String)| {
        if !earlier.endings.contains_key(id) {
            error(
                path,
                format!(
                    "`{follows}` has no ending `{id}` (its endings: {})",
                    endings.join(", ")
                ),
            );
        }
    };
    // Motifs voiced now: this scenario's or an earlier one's.
    let now = |path: &str, id: &str, error: &mut dyn FnMut(&str, String)| {
        if !known.contains(id) {
            error(
                path,
                format!(
                    "unknown motif `{id}` (declared in this series: {})",
                    list(&known)
                ),
            );
        }
    };
    // Motifs voiced last time: declared by an earlier scenario.
    let last = |path: &str, id: &str, error: &mut dyn FnMut(&str, String)| {
        if !before.contains(id) {
            error(
                path,
                format!(
                    "unknown motif `{id}` for last time: the earlier scenarios (`{follows}` and before) declare {}",
                    list(&before)
                ),
            );
        }
    };
    let priors = scenario
        .default_prior
        .iter()
        .map(|p| ("default_prior".to_string(), p))
        .chain(
            scenario
                .priors
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("priors[{i}].prior"), &n.prior)),
        );
    for (path, prior) in priors {
        ending(&format!("{path}.ending"), &prior.ending, &mut error);
        for (m, motif) in prior.motifs.iter().enumerate() {
            last(&format!("{path}.motifs[{m}]"), motif, &mut error);
        }
    }
    let mut conds: Vec<(String, &Cond)> = Vec::new();
    for (id, node) in &scenario.nodes {
        for (i, line) in node.lines.iter().enumerate() {
            let lpath = format!("nodes[{id:?}].lines[{i}]");
            for (v, motif) in line.voices.iter().enumerate() {
                now(&format!("{lpath}.voices[{v}]"), motif, &mut error);
            }
            if let Some(cond) = &line.when {
                conds.push((format!("{lpath}.when"), cond));
            }
        }
        for (i, choice) in node.choices.iter().enumerate() {
            let cpath = format!("nodes[{id:?}].choices[{i}]");
            if let Some(motif) = &choice.recalls {
                last(&format!("{cpath}.recalls"), motif, &mut error);
            }
            if let Some(cond) = &choice.when {
                conds.push((format!("{cpath}.when"), cond));
            }
            for (b, branch) in choice.branches.iter().enumerate() {
                conds.push((format!("{cpath}.branches[{b}].when"), &branch.when));
            }
        }
    }
    for (path, cond) in conds {
        let mut stack = vec![cond];
        while let Some(cond) = stack.pop() {
            match cond {
                Cond::All(list) | Cond::Any(list) => stack.extend(list),
                Cond::Not(inner) => stack.push(inner),
                Cond::Motif(id) => now(&path, id, &mut error),
                Cond::PrevMotif(id) => last(&path, id, &mut error),
                Cond::PrevEndingId(id) => ending(&path, id, &mut error),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::load_str;

    const EARLIER: &str = crate::fixtures::SAMPLE;

    /// A follow-up of the sample fixture, with `extra` fields added and
    /// `voices`/`recalls` as given.
    fn follow_up(extra: &str) -> String {
        EARLIER
            .replacen("id: \"game_sample\"", "id: \"sample_later\"", 1)
            .replacen(
                "start: ",
                &format!(
                    "follows: \"game_sample\",\n    default_prior: (ending: \"opened\", next_step: Member, voiced: Value, motifs: [\"moya\"]),\n    {extra}\n    start: "
                ),
                1,
            )
    }

    fn earlier_with_motif() -> String {
        EARLIER.replacen(
            "start: ",
            "motifs: [(id: \"moya\", words: (ja: \"もやもや\", en: \"foggy\"))],\n    start: ",
            1,
        )
    }

    fn linked(files: &[(&str, String)]) -> Vec<Loaded> {
        let mut all: Vec<Loaded> = files
            .iter()
            .map(|(name, text)| load_str(Path::new(name), text.clone()))
            .collect();
        link_with(&mut all, false);
        all
    }

    #[test]
    fn the_sample_has_the_id_the_tests_assume() {
        assert!(EARLIER.contains("id: \"game_sample\""));
        assert!(EARLIER.contains("\"opened\""));
    }

    #[test]
    fn a_follow_up_links_to_its_earlier_scenario() {
        let all = linked(&[("a.ron", earlier_with_motif()), ("b.ron", follow_up(""))]);
        assert!(!all[1].has_errors(), "{}", all[1].render());
        let later = all[1].scenario.as_ref().unwrap();
        assert_eq!(later.earlier().unwrap().id, "game_sample");
    }

    #[test]
    fn a_missing_earlier_scenario_is_an_error_at_follows() {
        let text = follow_up("");
        let all = linked(&[("b.ron", text.clone())]);
        assert!(all[0].has_errors());
        assert!(all[0].scenario.is_none());
        let d = &all[0].diagnostics[0];
        assert!(
            d.message.contains("no scenario with id `game_sample`"),
            "{d:?}"
        );
        let line = text[..text.find("follows:").unwrap()].matches('\n').count() + 1;
        assert_eq!((d.file.as_str(), d.line), ("b.ron", line));
    }

    #[test]
    fn unknown_motifs_and_endings_are_errors_with_locations() {
        let text = follow_up("priors: [(id: \"bad\", title: (ja: \"悪い\", en: \"Bad\"), prior: (ending: \"nowhere\", motifs: [\"ghost\"]))],")
            .replacen(
                "act: SimpleReflection, next: Node(\"moya\")",
                "act: SimpleReflection, recalls: \"phantom\", when: Motif(\"nothing\"), next: Node(\"moya\")",
                1,
            );
        let all = linked(&[("a.ron", earlier_with_motif()), ("b.ron", text.clone())]);
        let messages: Vec<String> = all[1].diagnostics.iter().map(|d| d.headline()).collect();
        for needle in [
            "no ending `nowhere`",
            "unknown motif `ghost` for last time",
            "unknown motif `phantom` for last time",
            "unknown motif `nothing` (declared in this series: moya)",
        ] {
            assert!(
                messages.iter().any(|m| m.contains(needle)),
                "{needle} not in {messages:#?}"
            );
        }
        let recall = all[1]
            .diagnostics
            .iter()
            .find(|d| d.message.contains("phantom"))
            .unwrap();
        let line = text[..text.find("recalls: \"phantom\"").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(recall.line, line);
        assert!(all[1].scenario.is_none());
    }

    #[test]
    fn a_loop_in_the_series_is_an_error_not_a_hang() {
        let a = follow_up("")
            .replacen("id: \"sample_later\"", "id: \"a\"", 1)
            .replacen("follows: \"game_sample\"", "follows: \"b\"", 1);
        let b = follow_up("")
            .replacen("id: \"sample_later\"", "id: \"b\"", 1)
            .replacen("follows: \"game_sample\"", "follows: \"a\"", 1);
        let all = linked(&[("a.ron", a), ("b.ron", b)]);
        assert!(all.iter().all(Loaded::has_errors));
        assert!(
            all[0].render().contains("the series loops"),
            "{}",
            all[0].render()
        );
    }
}
