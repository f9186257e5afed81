//! Synthetic scenarios of any size, for benchmarks and stress tests of the
//! checker and the analyser (not for play).

use std::collections::BTreeMap;

use crate::act::{Act, Focus, Frame, Question};
use crate::scenario::{
    Choice, Difficulty, Ending, EndingKind, Inner, Layer, Line, Mood, NextStep, Node, Persona,
    Scenario, Stats, Target, Temperament, Unavailable,
};
use crate::text::Text;

/// How many turns deep a synthetic conversation is (a long 1on1).
const LAYERS: usize = 40;

/// A scenario with `nodes` nodes in 40 layers, like a long conversation:
/// each node offers a listening act and a good question (each to a node of
/// the next layer) and advice (an early ending), so the number of paths is
/// astronomical and analysis has to sample.
pub fn layered(nodes: usize) -> Scenario {
    // Layer `l` holds min(2^l, width) nodes; `width` is the smallest that
    // gives at least `nodes` in all. Each node leads to two nodes of the
    // next layer, so every node is reachable.
    let layer_width = |layer: usize, width: usize| (1usize << layer.min(20)).min(width);
    let total = |width: usize| (0..LAYERS).map(|l| layer_width(l, width)).sum::<usize>();
    let mut width = 1;
    while total(width) < nodes {
        width += 1;
    }
    let text = |s: String| Text::new(s.clone(), s);
    let node_id = |layer: usize, slot: usize| format!("n{layer}_{slot}");
    let step = |layer: usize, slot: usize| {
        if layer + 1 < LAYERS {
            Target::Node(node_id(layer + 1, slot % layer_width(layer + 1, width)))
        } else {
            Target::End("opened".into())
        }
    };
    let mut graph = BTreeMap::new();
    for (layer, slot) in (0..LAYERS).flat_map(|l| (0..layer_width(l, width)).map(move |k| (l, k))) {
        let reveals = match layer {
            0 => Some(Layer::Surface),
            _ if layer == LAYERS / 3 => Some(Layer::Unease),
            _ if layer == 2 * LAYERS / 3 => Some(Layer::Value),
            _ => None,
        };
        let choice = |suffix: &str, act: Act, next: Target| Choice {
            id: format!("c{layer}_{slot}_{suffix}"),
            text: text(format!("choice {suffix} at {layer}.{slot}")),
            act,
            next,
            when: None,
            unavailable: Unavailable::Hide,
            sticky: false,
            effects: Vec::new(),
            branches: Vec::new(),
            traces_change: false,
            phrasings: Vec::new(),
            recalls: None,
            misremembers: false,
        };
        let question = Act::Question(Question {
            open: true,
            focus: Focus::Person,
            frame: [Frame::Being, Frame::Values, Frame::Change][layer % 3],
            leading: false,
            blaming: false,
            follow_up: layer % 2 == 0,
        });
        graph.insert(
            node_id(layer, slot),
            Node {
                lines: vec![Line {
                    text: text(format!("line {layer}.{slot}")),
                    mood: Mood::Thoughtful,
                    inner: None,
                    when: None,
                    answers: Vec::new(),
                    voices: Vec::new(),
                }],
                reveals,
                asks_advice: false,
                choices: vec![
                    choice("reflect", Act::ComplexReflection, step(layer, 2 * slot)),
                    choice("ask", question, step(layer, 2 * slot + 1)),
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
        id: format!("layered_{}", total(width)),
        title: text(format!("{} nodes in {LAYERS} layers", total(width))),
        summary: text("synthetic".into()),
        difficulty: Difficulty::Normal,
        persona: Persona {
            name: text("Synthetic".into()),
            role: text("member".into()),
            years: 3,
            background: text("none".into()),
            temperament: Temperament::default(),
            look: None,
        },
        inner: Inner {
            surface: text("surface".into()),
            unease: text("unease".into()),
            value: text("value".into()),
        },
        briefing: text("synthetic".into()),
        initial: Stats::default(),
        start: node_id(0, 0),
        nodes: graph,
        endings: BTreeMap::from([
            (
                "opened".to_string(),
                ending(EndingKind::OpenedUp, NextStep::Member),
            ),
            (
                "closed".to_string(),
                ending(EndingKind::ShutDown, NextStep::Nobody),
            ),
        ]),
        weights: None,
        follows: None,
        motifs: Vec::new(),
        default_prior: None,
        priors: Vec::new(),
        carry: None,
        hash: Default::default(),
        earlier: Default::default(),
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
