//! `kiku replay`: play a list of choice ids and report the transcript and the
//! score, as text or as stable JSON (format `kiku.replay/1`, documented in
//! scenarios/README.md). The leaderboard server and the facilitator's tools
//! consume the JSON.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::act::Act;
use crate::play::prior::Prior;
use crate::play::session::{Session, SessionError, Voicing};
use crate::scenario::{EndingKind, Layer, Mood, Scenario, Stats};
use crate::score::{Axis, Reason, Score, score};
use crate::text::{Lang, Text};

/// The JSON format's name and version; bumped on any incompatible change.
pub const FORMAT: &str = "kiku.replay/1";

/// The machine-readable result of a replay.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// The scenario id.
    pub scenario: String,
    /// SHA-256 of the scenario's content.
    pub scenario_hash: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids played.
    pub choices: Vec<String>,
    /// True when an ending was reached.
    pub over: bool,
    /// The ending, once over.
    pub ending: Option<EndingReport>,
    /// The member's opening line.
    pub opening: LineReport,
    /// The turns.
    pub transcript: Vec<TurnReport>,
    /// The member's state now.
    pub state: Stats,
    /// The deepest layer voiced.
    pub voiced: Layer,
    /// The choices available next (empty once over).
    pub next_choices: Vec<ChoiceReport>,
    /// The score of the transcript so far.
    pub score: Score,
    /// A follow-up's memory of the earlier 1on1 it was played after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prior: Option<Prior>,
    /// The motifs the member voiced, each with the turn it was first said.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub motifs: Vec<Voicing>,
}

/// A member line in the report.
#[derive(Clone, Debug, Serialize)]
pub struct LineReport {
    /// Node id.
    pub node: String,
    /// Variant index.
    pub variant: usize,
    /// The words.
    pub text: Text,
    /// The mood.
    pub mood: Mood,
    /// The inner voice, if written.
    pub inner: Option<Text>,
}

/// One turn in the report.
#[derive(Clone, Debug, Serialize)]
pub struct TurnReport {
    /// 1-based turn number.
    pub turn: usize,
    /// The choice id.
    pub choice: String,
    /// What the trainee said.
    pub text: Text,
    /// The act.
    pub act: Act,
    /// The member's state after the turn.
    pub state: Stats,
    /// The member's reply (absent when the turn ended the 1on1).
    pub reply: Option<LineReport>,
    /// Why this turn helped or hurt.
    pub reasons: Vec<Reason>,
}

/// A choice available next.
#[derive(Clone, Debug, Serialize)]
pub struct ChoiceReport {
    /// The id to pass to `--choices`.
    pub id: String,
    /// What the trainee would say.
    pub text: Text,
    /// The act.
    pub act: Act,
    /// False when shown greyed out.
    pub enabled: bool,
}

/// The ending in the report.
#[derive(Clone, Debug, Serialize)]
pub struct EndingReport {
    /// Ending id.
    pub id: String,
    /// How it went.
    pub kind: EndingKind,
    /// Its title.
    pub title: Text,
    /// Its text.
    pub text: Text,
}

/// Replays `choices` and builds the report; fails at the first invalid id.
pub fn replay(
    scenario: &Arc<Scenario>,
    seed: u64,
    choices: &[String],
) -> Result<Report, (usize, SessionError)> {
    replay_after(scenario, seed, None, choices)
}

/// [`replay`] of a follow-up after the earlier 1on1 `prior` (`None`: its
/// default prior).
pub fn replay_after(
    scenario: &Arc<Scenario>,
    seed: u64,
    prior: Option<Prior>,
    choices: &[String],
) -> Result<Report, (usize, SessionError)> {
    let session = Session::replay_after(scenario, seed, prior, choices)?;
    Ok(report(&session))
}

fn line_report(scenario: &Scenario, node: &str, variant: usize) -> Option<LineReport> {
    let line = scenario.nodes.get(node)?.lines.get(variant)?;
    Some(LineReport {
        node: node.to_string(),
        variant,
        text: line.text.clone(),
        mood: line.mood,
        inner: line.inner.clone(),
    })
}

/// Builds the report of a session in any state.
pub fn report(session: &Session) -> Report {
    let scenario = session.scenario();
    let transcript = session.transcript();
    let score = score(scenario, transcript);
    let text_of = |node: &str, id: &str| -> Text {
        scenario
            .nodes
            .get(node)
            .and_then(|n| n.choices.iter().find(|c| c.id == id))
            .map(|c| c.text.clone())
            .unwrap_or_default()
    };
    let turns = transcript
        .turns
        .iter()
        .enumerate()
        .map(|(i, t)| TurnReport {
            turn: i + 1,
            choice: t.choice.clone(),
            text: text_of(&t.node, &t.choice),
            act: t.act.clone(),
            state: t.after,
            reply: t
                .reply
                .as_ref()
                .and_then(|r| line_report(scenario, &r.node, r.variant)),
            reasons: score.turn_reasons(i + 1).cloned().collect(),
        })
        .collect();
    let opening = &transcript.opening;
    Report {
        format: FORMAT,
        scenario: scenario.id.clone(),
        scenario_hash: scenario.content_hash(),
        seed: transcript.seed,
        choices: transcript.choice_ids(),
        over: session.is_over(),
        ending: session.ending().map(|(id, e)| EndingReport {
            id: id.to_string(),
            kind: e.kind,
            title: e.title.clone(),
            text: e.text.clone(),
        }),
        opening: line_report(scenario, &opening.node, opening.variant).unwrap_or(LineReport {
            node: opening.node.clone(),
            variant: 0,
            text: Text::default(),
            mood: Mood::Neutral,
            inner: None,
        }),
        transcript: turns,
        state: session.stats(),
        voiced: session.voiced(),
        next_choices: session
            .choices()
            .into_iter()
            .map(|o| ChoiceReport {
                id: o.id,
                text: o.text,
                act: o.act,
                enabled: o.enabled,
            })
            .collect(),
        score,
        prior: transcript.prior.clone(),
        motifs: transcript.motifs.clone(),
    }
}

/// The report as a human reads it, in `lang`.
pub fn render_text(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let stats = |s: &Stats| match lang {
        Lang::Ja => format!(
            "信頼 {} / 開示 {} / 言語化 {}",
            s.trust, s.openness, s.clarity
        ),
        Lang::En => format!(
            "trust {} / openness {} / clarity {}",
            s.trust, s.openness, s.clarity
        ),
    };
    let (member, you) = match lang {
        Lang::Ja => ("メンバー", "あなた"),
        Lang::En => ("Member", "You"),
    };
    if let Some(prior) = &report.prior {
        let label = match lang {
            Lang::Ja => "前回",
            Lang::En => "After",
        };
        let _ = writeln!(
            out,
            "{label}: `{}` {}\n",
            prior.scenario,
            crate::tools::series::describe(prior, lang)
        );
    }
    let _ = writeln!(out, "{member}: {}", report.opening.text.get(lang));
    for turn in &report.transcript {
        let _ = writeln!(
            out,
            "\n[{}] {you}: {}  ({}, `{}`)",
            turn.turn,
            turn.text.get(lang),
            turn.act.label().get(lang),
            turn.choice
        );
        for r in &turn.reasons {
            write_reason(&mut out, r, lang);
        }
        if let Some(reply) = &turn.reply {
            let _ = writeln!(out, "{member}: {}", reply.text.get(lang));
        }
        let _ = writeln!(out, "    → {}", stats(&turn.state));
    }
    match &report.ending {
        Some(e) => {
            let _ = writeln!(
                out,
                "\n== {} ({}) ==\n{}",
                e.title.get(lang),
                e.kind.label().get(lang),
                e.text.get(lang)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\n-- {} --",
                match lang {
                    Lang::Ja => "続きの選択肢",
                    Lang::En => "next choices",
                }
            );
            for c in &report.next_choices {
                let _ = writeln!(
                    out,
                    "  {}{}: {} ({})",
                    c.id,
                    if c.enabled { "" } else { " [×]" },
                    c.text.get(lang),
                    c.act.label().get(lang)
                );
            }
        }
    }
    let s = &report.score;
    let _ = writeln!(
        out,
        "\n{}: {}",
        match lang {
            Lang::Ja => "総合スコア",
            Lang::En => "Overall score",
        },
        s.overall
    );
    for axis in Axis::ALL {
        let _ = writeln!(out, "  {}: {}", axis.label().get(lang), s.axis(axis));
    }
    for r in s.reasons.iter().filter(|r| r.turn.is_none()) {
        write_reason(&mut out, r, lang);
    }
    out
}

/// One reason as an indented line: `+10 Listen first: ...`.
fn write_reason(out: &mut String, r: &Reason, lang: Lang) {
    let _ = writeln!(
        out,
        "    {:+} {}: {}",
        r.points,
        r.axis.label().get(lang),
        r.text.get(lang)
    );
}
