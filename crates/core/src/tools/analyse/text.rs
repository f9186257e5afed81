//! The analysis as plain text for a facilitator's terminal.

use super::{Analysis, Method, PathReport, max_turns};
use crate::scenario::Scenario;

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
    let _ = writeln!(
        out,
        "\nscore distribution ({} paths; two paths share an overall score {:.1}% of the time):",
        a.paths,
        a.ties * 100.0
    );
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
