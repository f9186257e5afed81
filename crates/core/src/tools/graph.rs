//! `kiku graph`: the conversation graph as Graphviz DOT, so a facilitator can
//! see the branching (`kiku graph FILE | dot -Tsvg > graph.svg`). Node and
//! edge styles follow the act family; endings have their own shapes.

use std::fmt::Write as _;

use crate::act::Family;
use crate::scenario::{Cond, EndingKind, Scenario, Target};
use crate::text::Lang;

/// Quotes a string for DOT.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn excerpt(text: &str, max: usize) -> String {
    let mut s: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        s.push('…');
    }
    s
}

fn colour(family: Family) -> &'static str {
    match family {
        Family::Listening => "#2e7d32",
        Family::Question => "#1565c0",
        Family::Partnership => "#00838f",
        Family::Informing => "#6d4c41",
        Family::Directing => "#c62828",
    }
}

fn cond_text(cond: &Cond) -> String {
    match cond {
        Cond::All(list) => format!(
            "all({})",
            list.iter().map(cond_text).collect::<Vec<_>>().join(", ")
        ),
        Cond::Any(list) => format!(
            "any({})",
            list.iter().map(cond_text).collect::<Vec<_>>().join(", ")
        ),
        Cond::Not(inner) => format!("not {}", cond_text(inner)),
        Cond::AtLeast(stat, v) => format!("{stat:?} ≥ {v}"),
        Cond::AtMost(stat, v) => format!("{stat:?} ≤ {v}"),
        Cond::Voiced(layer) => format!("voiced {layer:?}"),
        Cond::Visited(node) => format!("visited {node}"),
        Cond::Chose(choice) => format!("chose {choice}"),
        Cond::Turns(n) => format!("turns ≥ {n}"),
        Cond::PrevEnding(kind) => format!("last time {kind:?}"),
        Cond::PrevEndingId(id) => format!("last time ended {id}"),
        Cond::PrevNextStep(step) => format!("last time next step by {step:?}"),
        Cond::PrevVoiced(layer) => format!("last time voiced {layer:?}"),
        Cond::PrevMotif(motif) => format!("last time said {motif}"),
        Cond::Motif(motif) => format!("said {motif}"),
    }
}

fn target_id(target: &Target) -> String {
    match target {
        Target::Node(id) => format!("n:{id}"),
        Target::End(id) => format!("e:{id}"),
    }
}

/// The scenario as a DOT digraph, with text excerpts in `lang`.
pub fn dot(scenario: &Scenario, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&scenario.id));
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"sans-serif\", label={}, labelloc=t];",
        quote(scenario.title.get(lang))
    );
    let _ = writeln!(out, "  node [fontname=\"sans-serif\", fontsize=10];");
    let _ = writeln!(out, "  edge [fontname=\"sans-serif\", fontsize=9];");
    let _ = writeln!(out, "  start [shape=point, width=0.2];");
    let _ = writeln!(
        out,
        "  start -> {};",
        quote(&format!("n:{}", scenario.start))
    );
    for (id, node) in &scenario.nodes {
        let line = node
            .lines
            .first()
            .map(|l| excerpt(l.text.get(lang), 28))
            .unwrap_or_default();
        let mut label = format!("{id}\n{line}");
        if let Some(layer) = node.reveals {
            let _ = write!(label, "\n[reveals {layer:?}]");
        }
        if node.asks_advice {
            label.push_str("\n[asks advice]");
        }
        let style = if node.reveals.is_some() {
            "rounded,filled,bold"
        } else {
            "rounded,filled"
        };
        let _ = writeln!(
            out,
            "  {} [shape=box, style=\"{style}\", fillcolor=\"#fafafa\", label={}];",
            quote(&format!("n:{id}")),
            quote(&label)
        );
    }
    for (id, ending) in &scenario.endings {
        let (shape, fill) = match ending.kind {
            EndingKind::OpenedUp => ("doubleoctagon", "#c8e6c9"),
            EndingKind::Polite => ("octagon", "#fff9c4"),
            EndingKind::ShutDown => ("tripleoctagon", "#ffcdd2"),
        };
        let label = format!(
            "{id}\n{}\n({:?})",
            excerpt(ending.title.get(lang), 24),
            ending.kind
        );
        let _ = writeln!(
            out,
            "  {} [shape={shape}, style=filled, fillcolor=\"{fill}\", label={}];",
            quote(&format!("e:{id}")),
            quote(&label)
        );
    }
    for (id, node) in &scenario.nodes {
        let from = quote(&format!("n:{id}"));
        for choice in &node.choices {
            let family = choice.act.family();
            let colour = colour(family);
            let mut label = format!("{}\n{}", choice.id, choice.act.label().get(lang));
            if let Some(cond) = &choice.when {
                let _ = write!(label, "\nif {}", cond_text(cond));
            }
            let style = if choice.when.is_some() {
                "dotted"
            } else {
                "solid"
            };
            let width = if family == Family::Directing {
                1.0
            } else {
                1.6
            };
            let _ = writeln!(
                out,
                "  {from} -> {} [color=\"{colour}\", fontcolor=\"{colour}\", style={style}, penwidth={width}, label={}];",
                quote(&target_id(&choice.next)),
                quote(&label)
            );
            for branch in &choice.branches {
                let label = format!("{} if {}", choice.id, cond_text(&branch.when));
                let _ = writeln!(
                    out,
                    "  {from} -> {} [color=\"{colour}\", fontcolor=\"{colour}\", style=dashed, label={}];",
                    quote(&target_id(&branch.next)),
                    quote(&label)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "  subgraph cluster_legend {{ label=\"acts\"; fontsize=9; style=dashed;"
    );
    for (name, family) in [
        ("listening", Family::Listening),
        ("question", Family::Question),
        ("partnership", Family::Partnership),
        ("informing", Family::Informing),
        ("directing", Family::Directing),
    ] {
        let _ = writeln!(
            out,
            "    {} [shape=plaintext, fontcolor=\"{}\", label={}];",
            quote(&format!("legend:{name}")),
            colour(family),
            quote(name)
        );
    }
    let _ = writeln!(out, "  }}");
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_safely() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\"");
    }
}
