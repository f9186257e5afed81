//! The act of a typed reply from its meaning: a small linear model (softmax
//! regression) over the sentence encoder's embedding, one row per kind of
//! move (every non-question act, and one `Question` class whose attributes
//! the rules read). It is trained on replies whose act is known: every
//! authored choice line of the bundled scenarios in both languages (and
//! the authors' phrasings), plus the typed replies of the recall corpora
//! named when it is made. The rules ([`crate::classify`]) decide when a
//! clear marker holds; this model reads the replies no marker settles
//! (「年下とか関係ないですよ」 is reassurance without 大丈夫).
//!
//! The model is committed as `acts.txt` (beside this file, built into the
//! binary): one line per class, its weights quantised to 8 bits. It is made,
//! deterministically, by
//! `cargo run --release -p kiku-hear --example train_acts -- DIR...`
//! (see that file); [`train`] does the fitting. Without the sentence
//! encoder there is no embedding, and the rules alone read the act.

use std::sync::OnceLock;

use kiku_core::act::Act;

use crate::embed::Embedder;
use crate::embed::model::DIM;
use crate::spell;

/// The model reads two embeddings side by side: the whole reply's and its
/// last sentence's (where Japanese puts the sentence-final forms that
/// mark the act; the same one twice for a one-sentence reply).
pub const WIDTH: usize = 2 * DIM;

/// The last sentence of a reply: what follows the last 。, ! or ? (or
/// full stop, or line break) before its end, or the whole reply when
/// that is under two characters.
pub fn last_sentence(text: &str) -> &str {
    let stops = ['。', '!', '！', '?', '？', '\n', '.'];
    let body = text.trim().trim_end_matches(stops).trim_end();
    match body.rfind(stops) {
        Some(at) => {
            let tail = body[at..].trim_start_matches(stops).trim();
            if tail.chars().count() >= 2 {
                tail
            } else {
                body
            }
        }
        None => body,
    }
}

/// What the model reads of `text`, given its embedding `whole`: the
/// whole and the last sentence's embedding, [`WIDTH`] numbers.
pub fn features(embedder: &Embedder, text: &str, whole: &[f32]) -> Vec<f32> {
    let last = last_sentence(text);
    let mut out = whole.to_vec();
    if last == text.trim() || last.is_empty() {
        out.extend_from_slice(whole);
    } else {
        out.extend(embedder.embed(last));
    }
    out
}

/// The format line that opens `acts.txt`.
pub const FORMAT: &str = "kiku.acts/1";

/// The class that stands for any question.
pub const QUESTION: &str = "Question";

/// Embeddings are unit length (each number about 0.04); scaled by this
/// before the model reads them, so the weights are of a usual size.
const INPUT_SCALE: f32 = 16.0;

/// The committed model.
const BUNDLED: &str = include_str!("acts.txt");

/// The classes, in the model's order: every kind of act by its spelt name,
/// questions as one [`QUESTION`] class.
pub fn class_names() -> Vec<String> {
    Act::kinds().iter().map(class_of).collect()
}

/// The class of an act: its spelt name, or [`QUESTION`].
pub fn class_of(act: &Act) -> String {
    match act {
        Act::Question(_) => QUESTION.to_string(),
        other => spell::spell(other),
    }
}

/// A linear act model over sentence embeddings.
#[derive(Clone, Debug)]
pub struct ActModel {
    /// The class names, in order ([`class_names`] when trained here).
    pub classes: Vec<String>,
    /// The acts of the classes (`None` for [`QUESTION`]).
    acts: Vec<Option<Act>>,
    /// `classes.len()` rows of [`WIDTH`] weights.
    weights: Vec<f32>,
    /// One bias per class.
    bias: Vec<f32>,
}

/// The model's reading of a reply: the likeliest class and how likely.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// Every class's probability, in the model's order, beside its class.
    pub all: Vec<(String, f32)>,
    /// The act of the likeliest class, `None` when it is a question.
    pub act: Option<Act>,
    /// Its probability, 0-1.
    pub p: f32,
    /// The probability that the reply is a question at all.
    pub p_question: f32,
}

impl Reading {
    /// `act`'s class's probability relative to the likeliest class's
    /// (1 for the likeliest, 0 for a class the model does not hold).
    pub fn share(&self, act: &Act) -> f32 {
        let class = class_of(act);
        let best = self.all.iter().fold(0.0f32, |m, c| m.max(c.1));
        self.all
            .iter()
            .find(|c| c.0 == class)
            .map_or(0.0, |c| if best > 0.0 { c.1 / best } else { 0.0 })
    }
}

impl ActModel {
    /// A model from its classes, weights (row-major) and biases.
    pub fn new(
        classes: Vec<String>,
        weights: Vec<f32>,
        bias: Vec<f32>,
    ) -> Result<ActModel, String> {
        if weights.len() != classes.len() * WIDTH || bias.len() != classes.len() {
            return Err(format!(
                "{} classes need {} weights and {} biases, not {} and {}",
                classes.len(),
                classes.len() * WIDTH,
                classes.len(),
                weights.len(),
                bias.len()
            ));
        }
        let acts = classes
            .iter()
            .map(|c| {
                if c == QUESTION {
                    Ok(None)
                } else {
                    spell::parse(c)
                        .map(Some)
                        .ok_or_else(|| format!("unknown act class {c:?}"))
                }
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(ActModel {
            classes,
            acts,
            weights,
            bias,
        })
    }

    /// Parses the text form (see [`ActModel::to_text`]).
    pub fn parse(text: &str) -> Result<ActModel, String> {
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        match lines.next() {
            Some(l) if l == FORMAT => {}
            Some(l) => return Err(format!("expected {FORMAT:?}, found {l:?}")),
            None => return Err("empty act model".to_string()),
        }
        let (mut classes, mut weights, mut bias) = (Vec::new(), Vec::new(), Vec::new());
        for (n, line) in lines.enumerate() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [name, b, scale, hex] = fields[..] else {
                return Err(format!("class line {}: expected 4 fields", n + 1));
            };
            let number = |s: &str| {
                s.parse::<f32>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| format!("class {name}: bad number {s:?}"))
            };
            let (b, scale) = (number(b)?, number(scale)?);
            if hex.len() != WIDTH * 2 || !hex.is_ascii() {
                return Err(format!("class {name}: expected {WIDTH} hex bytes"));
            }
            for i in 0..WIDTH {
                let byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                    .map_err(|_| format!("class {name}: bad hex at {i}"))?;
                weights.push(f32::from(byte as i8) * scale);
            }
            classes.push(name.to_string());
            bias.push(b);
        }
        ActModel::new(classes, weights, bias)
    }

    /// The text form: [`FORMAT`], then per class its name, bias, scale and
    /// [`WIDTH`] weights as signed bytes (weight = byte x scale) in hex.
    pub fn to_text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(FORMAT);
        out.push('\n');
        for (k, name) in self.classes.iter().enumerate() {
            let row = &self.weights[k * WIDTH..(k + 1) * WIDTH];
            let max = row.iter().fold(0.0f32, |m, w| m.max(w.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            let hex: String = row
                .iter()
                .map(|w| {
                    format!(
                        "{:02x}",
                        (w / scale).round().clamp(-127.0, 127.0) as i8 as u8
                    )
                })
                .collect();
            out.push_str(&format!("{name} {:.6} {scale:.8e} {hex}\n", self.bias[k]));
        }
        out
    }

    /// The probability of each class for a reply's [`features`].
    pub fn probabilities(&self, features: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = (0..self.classes.len())
            .map(|k| {
                logit(
                    &self.weights[k * WIDTH..(k + 1) * WIDTH],
                    self.bias[k],
                    features,
                )
            })
            .collect();
        softmax(&logits)
    }

    /// The likeliest class for a reply's [`features`].
    pub fn read(&self, features: &[f32]) -> Reading {
        let p = self.probabilities(features);
        let (best, p_best) = p
            .iter()
            .enumerate()
            .fold((0, f32::MIN), |b, (i, &x)| if x > b.1 { (i, x) } else { b });
        let p_question = self
            .classes
            .iter()
            .zip(&p)
            .filter(|(c, _)| *c == QUESTION)
            .map(|(_, x)| x)
            .sum();
        Reading {
            all: self
                .classes
                .iter()
                .cloned()
                .zip(p.iter().copied())
                .collect(),
            act: self.acts.get(best).cloned().flatten(),
            p: p_best,
            p_question,
        }
    }

    /// The probability of `act`'s class (0 when the model has none).
    pub fn probability_of(&self, probabilities: &[f32], act: &Act) -> f32 {
        let class = class_of(act);
        self.classes
            .iter()
            .position(|c| *c == class)
            .and_then(|i| probabilities.get(i).copied())
            .unwrap_or(0.0)
    }
}

fn logit(row: &[f32], bias: f32, x: &[f32]) -> f32 {
    bias + INPUT_SCALE * row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>()
}

fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().fold(f32::MIN, |m, &x| m.max(x));
    let exp: Vec<f32> = logits.iter().map(|x| (x - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

/// The committed model, parsed once; `None` (the rules alone read the
/// act) when it is empty or does not parse.
pub fn bundled() -> Option<&'static ActModel> {
    static MODEL: OnceLock<Option<ActModel>> = OnceLock::new();
    MODEL.get_or_init(|| ActModel::parse(BUNDLED).ok()).as_ref()
}

/// The model in use: the file named by `KIKU_ACTS_MODEL` when that is set
/// (to try another fitting; an unreadable file means none), else
/// [`bundled`].
pub fn active() -> Option<&'static ActModel> {
    static MODEL: OnceLock<Option<ActModel>> = OnceLock::new();
    match std::env::var_os(ACTS_MODEL_ENV) {
        Some(path) => MODEL
            .get_or_init(|| {
                std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|t| ActModel::parse(&t).ok())
            })
            .as_ref(),
        None => bundled(),
    }
}

/// Names another act model file (see [`active`]).
pub const ACTS_MODEL_ENV: &str = "KIKU_ACTS_MODEL";

/// How the fitting runs.
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    /// Full passes of gradient descent.
    pub epochs: usize,
    /// The step size.
    pub rate: f32,
    /// The L2 penalty on the weights.
    pub l2: f32,
    /// Rare classes weigh more: each example weighs
    /// `(mean class size / its class size) ^ balance`.
    pub balance: f32,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit {
            epochs: 300,
            rate: 0.5,
            l2: 1e-2,
            balance: 0.5,
        }
    }
}

/// Fits a softmax regression to `examples` (a reply's [`features`] and a class
/// index below `classes.len()`, each with a weight), by full-batch
/// gradient descent from zero: the same examples always give the same
/// model.
pub fn train(
    classes: Vec<String>,
    examples: &[(Vec<f32>, usize, f32)],
    fit: Fit,
) -> Result<ActModel, String> {
    let k = classes.len();
    if let Some(bad) = examples.iter().find(|e| e.1 >= k || e.0.len() != WIDTH) {
        return Err(format!(
            "bad example: class {} of {k}, {} numbers",
            bad.1,
            bad.0.len()
        ));
    }
    let mut counts = vec![0.0f32; k];
    for e in examples {
        counts[e.1] += e.2;
    }
    let present = counts.iter().filter(|c| **c > 0.0).count().max(1);
    let mean = counts.iter().sum::<f32>() / present as f32;
    let weight_of = |e: &(Vec<f32>, usize, f32)| e.2 * (mean / counts[e.1]).powf(fit.balance);
    let total: f32 = examples.iter().map(weight_of).sum::<f32>().max(1e-6);
    let mut w = vec![0.0f32; k * WIDTH];
    let mut b = vec![0.0f32; k];
    for _ in 0..fit.epochs {
        let mut gw = vec![0.0f32; k * WIDTH];
        let mut gb = vec![0.0f32; k];
        for e in examples {
            let logits: Vec<f32> = (0..k)
                .map(|c| logit(&w[c * WIDTH..(c + 1) * WIDTH], b[c], &e.0))
                .collect();
            let p = softmax(&logits);
            let ew = weight_of(e) / total;
            for c in 0..k {
                let d = ew * (p[c] - if c == e.1 { 1.0 } else { 0.0 });
                gb[c] += d;
                for (g, x) in gw[c * WIDTH..(c + 1) * WIDTH].iter_mut().zip(&e.0) {
                    *g += d * INPUT_SCALE * x;
                }
            }
        }
        for (wi, gi) in w.iter_mut().zip(&gw) {
            *wi -= fit.rate * (gi + fit.l2 * *wi);
        }
        for (bi, gi) in b.iter_mut().zip(&gb) {
            *bi -= fit.rate * gi;
        }
    }
    ActModel::new(classes, w, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(i: usize) -> Vec<f32> {
        let mut v = vec![0.0; WIDTH];
        v[i] = 1.0;
        v
    }

    #[test]
    fn fits_separable_classes_and_round_trips_through_text() {
        let classes = vec!["Reassure".to_string(), QUESTION.to_string()];
        let examples = vec![(unit(0), 0, 1.0), (unit(1), 1, 1.0), (unit(2), 1, 1.0)];
        let model = train(classes, &examples, Fit::default()).expect("fits");
        assert_eq!(model.read(&unit(0)).act, Some(Act::Reassure));
        assert_eq!(model.read(&unit(1)).act, None);
        assert!(model.read(&unit(1)).p_question > 0.5);
        let again = ActModel::parse(&model.to_text("a test")).expect("parses");
        assert_eq!(again.classes, model.classes);
        assert_eq!(again.read(&unit(0)).act, Some(Act::Reassure));
    }

    #[test]
    fn the_committed_model_loads_with_every_class() {
        let model = bundled().expect("src/acts.txt parses (rerun examples/train_acts)");
        assert_eq!(model.classes, class_names());
    }

    #[test]
    fn the_last_sentence_carries_the_ending() {
        assert_eq!(
            last_sentence("すみません。もっと聞きたいです。"),
            "もっと聞きたいです"
        );
        assert_eq!(last_sentence("そうなんだ"), "そうなんだ");
        assert_eq!(last_sentence("ok. b"), "ok. b");
        assert_eq!(last_sentence("Sorry. Go on?"), "Go on");
    }

    #[test]
    fn rejects_a_damaged_model() {
        assert!(ActModel::parse("").is_err());
        assert!(ActModel::parse("kiku.acts/0\n").is_err());
        assert!(ActModel::parse("kiku.acts/1\nReassure 0.1 0.01 00ff\n").is_err());
        let zeros = "00".repeat(WIDTH);
        assert!(ActModel::parse(&format!("kiku.acts/1\nNoSuchAct 0 1 {zeros}\n")).is_err());
        assert!(ActModel::parse(&format!("kiku.acts/1\nReassure 0 1 {zeros}\n")).is_ok());
    }
}
