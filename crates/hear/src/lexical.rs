//! The lexical signal: IDF-weighted character and word n-grams. Each
//! choice's text in each language is one document; the scenario's choices
//! are the collection the weights come from, so words every reply shares
//! (「北村さん」, 「ですね」, "you") count for little.

use std::collections::HashMap;

use crate::normalise::{Script, script};

/// A weighted bag of n-grams.
#[derive(Clone, Debug, Default)]
pub struct Bag {
    grams: HashMap<String, f32>,
}

impl Bag {
    /// The n-grams of `text` with their weights (the largest weight when a
    /// gram repeats).
    pub fn of(text: &str) -> Bag {
        let mut grams: HashMap<String, f32> = HashMap::new();
        for (g, w) in crate::normalise::grams(text) {
            let slot = grams.entry(g).or_insert(0.0);
            *slot = slot.max(w);
        }
        Bag { grams }
    }

    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }
}

/// Document frequencies over a collection of texts, per script.
#[derive(Clone, Debug, Default)]
pub struct Idf {
    df: HashMap<String, u32>,
    docs: u32,
}

impl Idf {
    /// Counts the bags.
    pub fn new<'a>(bags: impl IntoIterator<Item = &'a Bag>) -> Idf {
        let mut idf = Idf::default();
        for bag in bags {
            idf.docs += 1;
            for g in bag.grams.keys() {
                *idf.df.entry(g.clone()).or_insert(0) += 1;
            }
        }
        idf
    }

    /// The weight of a gram: rare grams weigh more; a gram no document has
    /// weighs most.
    pub fn weight(&self, gram: &str) -> f32 {
        let df = self.df.get(gram).copied().unwrap_or(0) as f32;
        (1.0 + (self.docs as f32 + 1.0) / (df + 1.0)).ln()
    }
}

/// A document prepared for comparison: its grams weighted and its norm.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    weights: HashMap<String, f32>,
    norm: f32,
    total: f32,
}

impl Doc {
    /// Weights a bag by the collection's IDF.
    pub fn new(bag: &Bag, idf: &Idf) -> Doc {
        let weights: HashMap<String, f32> = bag
            .grams
            .iter()
            .map(|(g, w)| (g.clone(), w * idf.weight(g)))
            .collect();
        let norm = weights.values().map(|w| w * w).sum::<f32>().sqrt();
        let total = weights.values().sum();
        Doc {
            weights,
            norm,
            total,
        }
    }

    /// How well the typed document `self` matches the authored `other`,
    /// 0-1: the mean of the cosine and of the share of the typed weight
    /// found in the authored text (short typed replies are mostly
    /// contained in longer authored ones).
    pub fn similarity(&self, other: &Doc) -> f32 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let (mut dot, mut shared) = (0.0, 0.0);
        for (g, w) in &self.weights {
            if let Some(v) = other.weights.get(g) {
                dot += w * v;
                shared += w;
            }
        }
        let cosine = dot / (self.norm * other.norm);
        let contained = shared / self.total;
        0.5 * cosine + 0.5 * contained
    }
}

/// The script a typed reply should be compared in.
pub fn script_of(text: &str) -> Script {
    script(text)
}

/// Every gram of a text, for tests.
#[cfg(test)]
pub fn gram_keys(text: &str) -> Vec<String> {
    crate::normalise::grams(text)
        .into_iter()
        .map(|(g, _)| g)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paraphrase_is_closer_than_another_reply() {
        let authored = [
            "速くなるはずの道具なのに、手間はむしろ増えている。そこに納得がいかないんですね。",
            "会社の方針なので、そこはまず慣れていきましょう。",
        ];
        let bags: Vec<Bag> = authored.iter().map(|t| Bag::of(t)).collect();
        let idf = Idf::new(&bags);
        let docs: Vec<Doc> = bags.iter().map(|b| Doc::new(b, &idf)).collect();
        let typed = Doc::new(&Bag::of("手間が増えてて納得いかないんだね"), &idf);
        assert!(typed.similarity(&docs[0]) > typed.similarity(&docs[1]));
        assert!(!gram_keys("焦る").is_empty());
    }
}
