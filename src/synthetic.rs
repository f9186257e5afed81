//! Synthetic scenarios of any size, for benchmarks and stress tests of the
//! checker and the analyser (not for play).

use std::collections::BTreeMap;

use crate::act::{Act, Focus, Frame, Question};
use crate::scenario::{
    Choice, Difficulty, Ending, EndingKind, Inner, Layer, Line, Mood, Node, NextStep, Persona,
    Scenario, Stats, Target, Temperament, Unavailable,
};
use crate::text::Text;

/// A scenario with `nodes` nodes in a long corridor: each node offers a
/// listening act (one step on), a good question (two steps on) and advice
/// (an early ending), so path counts grow like Fibonacci numbers and
/// analysis has to sample.
pub fn corridor(nodes: usize) -> Scenario {
    let nodes = nodes.max(2);
    let text = |s: String| Text::new(s.clone(), s);
    let node_id = |i: usize| format!("n{i}");
    let step = |i: usize| {
        if i < nodes {
            Target::Node(node_id(i))
        } else {
            Target::End("opened".into())
        }
    };
    let mut graph = BTreeMap::new();
    for i in 0..nodes {
        let reveals = match i {
            0 => Some(Layer::Surface),
            _ if i == nodes / 3 => Some(Layer::Unease),
            _ if i == 2 * nodes / 3 => Some(Layer::Value),
            _ => None,
        };
        let choice = |suffix: &str, act: Act, next: Target| Choice {
            id: format!("c{i}_{suffix}"),
            text: text(format!("choice {suffix} at {i}")),
            act,
            next,
            when: None,
            unavailable: Unavailable::Hide,
            sticky: false,
            effects: Vec::new(),
            branches: Vec::new(),
        };
        let question = Act::Question(Question {
            open: true,
            focus: Focus::Person,
            frame: [Frame::Being, Frame::Values, Frame::Change][i % 3],
            leading: false,
            blaming: false,
            follow_up: i % 2 == 0,
        });
        graph.insert(
            node_id(i),
            Node {
                lines: vec![Line {
                    text: text(format!("line {i}")),
                    mood: Mood::Thoughtful,
                    inner: None,
                    when: None,
                }],
                reveals,
                asks_advice: false,
                choices: vec![
                    choice("reflect", Act::ComplexReflection, step(i + 1)),
                    choice("ask", question, step(i + 2)),
                    choice("advise", Act::Advise, Target::End("closed".into())),
                ],
            },
        );
    }
    let ending = |kind, next_step| Ending {
        kind,
        title: text(format!("{kind:?}")),
        text: text(format!("{kind:?}")),
        next_step,
        inner: None,
    };
    Scenario {
        id: format!("corridor_{nodes}"),
        title: text(format!("Corridor of {nodes} nodes")),
        summary: text("synthetic".into()),
        difficulty: Difficulty::Normal,
        persona: Persona {
            name: text("Synthetic".into()),
            role: text("member".into()),
            years: 3,
            background: text("none".into()),
            temperament: Temperament::default(),
        },
        inner: Inner {
            surface: text("surface".into()),
            unease: text("unease".into()),
            value: text("value".into()),
        },
        briefing: text("synthetic".into()),
        initial: Stats::default(),
        start: node_id(0),
        nodes: graph,
        endings: BTreeMap::from([
            ("opened".to_string(), ending(EndingKind::OpenedUp, NextStep::Member)),
            ("closed".to_string(), ending(EndingKind::ShutDown, NextStep::Nobody)),
        ]),
        weights: None,
    }
}

/// The scenario written out as RON text (what a facilitator would write).
pub fn to_ron(scenario: &Scenario) -> String {
    let config = ron::ser::PrettyConfig::default().extensions(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    );
    ron::ser::to_string_pretty(scenario, config).unwrap_or_default()
}
