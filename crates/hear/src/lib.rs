//! kiku-hear: recall mode's ear. The trainee types their own words;
//! [`hear`] ranks the choices available at that point by how well the words
//! match each authored line (both languages), with a confidence, and
//! classifies the act of the words themselves.
//!
//! Offline and deterministic, no download at run time: three signals,
//! - lexical: IDF-weighted character n-grams (Japanese, after folding width
//!   and katakana) or word and character n-grams (English) against each
//!   choice's text in the typed reply's script ([`lexical`]);
//! - meaning: USE multilingual v3 sentence embeddings, shipped in
//!   `assets/model/` and run in pure Rust ([`embed`]); when the model is
//!   missing or damaged, hearing goes on without it and
//!   [`Hearer::notice`] says so;
//! - the act: rules over sentence-final forms, question words and markers
//!   ([`classify`], [`echo`]); a choice whose act agrees with the typed act
//!   scores more, one the words rule out scores less.
//!
//! A best score below [`THRESHOLD`] is heard as nothing (`choice: None`):
//! the game then asks the trainee to pick among the top candidates.

pub mod acts;
pub mod classify;
pub mod echo;
pub mod embed;
pub mod eval;
pub mod lexical;
pub mod normalise;
pub mod spell;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kiku_core::Session;
use kiku_core::act::{Act, Family, Question};
use kiku_core::scenario::Scenario;
use kiku_core::text::Lang;

use crate::classify::{Guess, Strength, classify};
use crate::embed::Embedder;
use crate::lexical::{Bag, Doc, Idf};
use crate::normalise::Script;

/// Below this confidence the reply is heard as no choice (off-menu).
pub const THRESHOLD: f32 = 0.3;

/// The share of a candidate's score that comes from the words (the rest
/// from the act's agreement), without the sentence encoder.
const LEXICAL_SHARE: f32 = 0.6;

/// A lexical similarity at or above this counts as a full match (typed
/// paraphrases of long authored lines rarely share more).
const LEXICAL_FULL: f32 = 0.45;

/// With the sentence encoder, the shares of a candidate's score that come
/// from the words, the meaning and the act's agreement, by the script the
/// reply is typed in.
#[derive(Clone, Copy, Debug)]
struct Shares {
    lexical: f32,
    semantic: f32,
    act: f32,
}

/// Japanese paraphrases share few characters with the authored line
/// (kana for kanji, other verbs, other word order), so meaning weighs most
/// and the character n-grams least; the act, read from the sentence-final
/// forms and the act model, tells apart lines whose topic is the same.
const SHARES_JA: Shares = Shares {
    lexical: 0.15,
    semantic: 0.55,
    act: 0.3,
};

/// English paraphrases keep more of the authored words.
const SHARES_EN: Shares = Shares {
    lexical: 0.3,
    semantic: 0.4,
    act: 0.3,
};

/// An embedding cosine at or below this says nothing...
const SEMANTIC_FLOOR: f32 = 0.3;
/// ... and one at or above this is a full match.
const SEMANTIC_FULL: f32 = 0.8;

/// A choice's score is multiplied by this when the typed words are a
/// different kind of move in a way the words settle: a question whose
/// marked frame differs (being vs doing), a question asked outright (not
/// leading) against a line that is no question, the member's own words said back
/// against a complex reflection.
const MISMATCH: f32 = 0.6;

/// What was heard.
#[derive(Clone, Debug, PartialEq)]
pub struct Heard {
    /// The choice the words meant, or `None` when nothing matched well enough.
    pub choice: Option<String>,
    /// How sure, 0-1.
    pub confidence: f32,
    /// Every available choice with its score (0-1), best first.
    pub candidates: Vec<(String, f32)>,
    /// The act of the typed words themselves.
    pub act: Act,
}

/// One authored choice, prepared.
#[derive(Clone, Debug)]
struct Prepared {
    id: String,
    act: Act,
    ja: Doc,
    en: Doc,
    /// The author's optional phrasings, by script.
    phrasings_ja: Vec<Doc>,
    phrasings_en: Vec<Doc>,
    /// The texts to embed, by script: the authored line, then phrasings.
    texts_ja: Vec<String>,
    texts_en: Vec<String>,
}

/// Embeddings of the choices' texts, made when first needed: (choice
/// index, script) -> one vector per text.
type EmbeddingCache = Arc<Mutex<HashMap<(usize, Lang), Arc<Vec<Vec<f32>>>>>>;

/// A scenario prepared for hearing: build it once per scenario (the game
/// keeps one per session); [`Hearer::hear`] is then cheap.
#[derive(Clone, Debug)]
pub struct Hearer {
    choices: Vec<Prepared>,
    idf_ja: Idf,
    idf_en: Idf,
    /// The sentence encoder, or why it could not be loaded.
    embedder: Result<Arc<Embedder>, String>,
    cache: EmbeddingCache,
}

impl Hearer {
    /// Prepares every choice of `scenario`, with the shared sentence
    /// encoder ([`embed::shared`]) when it loads; otherwise hearing uses
    /// the words alone and [`Hearer::notice`] says why.
    pub fn new(scenario: &Scenario) -> Hearer {
        Hearer::with_embedder(scenario, embed::shared())
    }

    /// Prepares `scenario` without the sentence encoder (words and acts only).
    pub fn lexical(scenario: &Scenario) -> Hearer {
        Hearer::with_embedder(scenario, Err("the sentence encoder is off".to_string()))
    }

    /// Prepares `scenario` with a given encoder, or the reason there is none.
    pub fn with_embedder(scenario: &Scenario, embedder: Result<Arc<Embedder>, String>) -> Hearer {
        let texts: Vec<(&str, &kiku_core::scenario::Choice)> = scenario.choices().collect();
        let ja: Vec<Bag> = texts.iter().map(|(_, c)| Bag::of(&c.text.ja)).collect();
        let en: Vec<Bag> = texts.iter().map(|(_, c)| Bag::of(&c.text.en)).collect();
        let idf_ja = Idf::new(&ja);
        let idf_en = Idf::new(&en);
        let choices = texts
            .iter()
            .zip(ja.iter().zip(&en))
            .map(|((_, c), (ja, en))| Prepared {
                id: c.id.clone(),
                act: c.act.clone(),
                ja: Doc::new(ja, &idf_ja),
                en: Doc::new(en, &idf_en),
                phrasings_ja: phrasings(c, Lang::Ja, &idf_ja),
                phrasings_en: phrasings(c, Lang::En, &idf_en),
                texts_ja: texts_in(c, Lang::Ja),
                texts_en: texts_in(c, Lang::En),
            })
            .collect();
        Hearer {
            choices,
            idf_ja,
            idf_en,
            embedder,
            cache: EmbeddingCache::default(),
        }
    }

    /// Whether the sentence encoder is in use.
    pub fn has_embedder(&self) -> bool {
        self.embedder.is_ok()
    }

    /// A notice for the trainee when hearing runs without the sentence
    /// encoder (its files missing or damaged), in `lang`; `None` when all
    /// is well. The technical reason is [`Hearer::notice_detail`].
    pub fn notice(&self, lang: Lang) -> Option<String> {
        self.embedder.as_ref().err().map(|_| {
            lang.pick(
                "意味を聞き取るモデルを読み込めなかったため、言葉の一致だけで聞き取っています。",
                "The meaning model could not be loaded, so replies are heard by their words only.",
            )
            .to_string()
        })
    }

    /// Why the sentence encoder is not in use (a file and what is wrong
    /// with it), or `None`.
    pub fn notice_detail(&self) -> Option<&str> {
        self.embedder.as_ref().err().map(String::as_str)
    }

    /// Embeds the lines of the choices available at `session`'s point, in
    /// both languages, so that hearing the reply typed there does not
    /// (about 60 ms on a 2-core machine; the game calls it when a menu
    /// appears, while the trainee reads and types). Without the encoder it
    /// does nothing. Hearing works without it; the first reply at a menu
    /// then takes that time more.
    pub fn prepare(&self, session: &Session) {
        let Ok(embedder) = &self.embedder else {
            return;
        };
        for id in session.available() {
            if let Some(index) = self.choices.iter().position(|c| c.id == id) {
                for script in Lang::ALL {
                    self.embeddings(embedder, index, script);
                }
            }
        }
    }

    /// The embeddings of choice `index`'s texts in `script`, made once.
    fn embeddings(&self, embedder: &Embedder, index: usize, script: Lang) -> Arc<Vec<Vec<f32>>> {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry((index, script))
            .or_insert_with(|| {
                let c = &self.choices[index];
                let texts = match script {
                    Lang::Ja => &c.texts_ja,
                    Lang::En => &c.texts_en,
                };
                Arc::new(texts.iter().map(|t| embedder.embed(t)).collect())
            })
            .clone()
    }

    /// Hears `text` at the session's current point. `lang` is the
    /// interface language; the reply is compared in the script it is
    /// written in, whatever `lang` says.
    pub fn hear(&self, session: &Session, text: &str, lang: Lang) -> Heard {
        let available = session.available();
        let typed_embedding = self.embedder.as_ref().ok().map(|e| (e, e.embed(text)));
        let mut guess = classify(text);
        let reading = match (&typed_embedding, acts::active()) {
            (Some((embedder, embedding)), Some(model)) => {
                Some(model.read(&acts::features(embedder, text, embedding)))
            }
            _ => None,
        };
        if let Some(reading) = &reading {
            guess = with_meaning(guess, reading, text);
        }
        let script = match lexical::script_of(text) {
            Script::Japanese => Lang::Ja,
            Script::Latin if text.chars().any(char::is_alphabetic) => Lang::En,
            Script::Latin => lang,
        };
        // The member's words at this point, to tell a simple reflection
        // (their words back) from a complex one.
        let member: String = session
            .node()
            .map(|n| {
                n.lines
                    .iter()
                    .map(|l| l.text.get(script))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let echo = guess.strength != Strength::Strong
            && matches!(
                guess.act,
                Act::SimpleReflection | Act::ComplexReflection | Act::Empathize
            )
            && echo::is_echo(text, &member);
        if echo {
            guess.act = Act::SimpleReflection;
            guess.strength = Strength::Weak;
        }
        let typed = match script {
            Lang::Ja => Doc::new(&Bag::of(text), &self.idf_ja),
            Lang::En => Doc::new(&Bag::of(text), &self.idf_en),
        };
        let mut scored: Vec<(String, f32, f32, &Act)> = available
            .iter()
            .filter_map(|id| self.choices.iter().position(|c| c.id == *id))
            .map(|index| {
                let c = &self.choices[index];
                let (authored, phrasings) = match script {
                    Lang::Ja => (&c.ja, &c.phrasings_ja),
                    Lang::En => (&c.en, &c.phrasings_en),
                };
                let raw = phrasings
                    .iter()
                    .map(|p| typed.similarity(p))
                    .fold(typed.similarity(authored), f32::max);
                let lex = (raw / LEXICAL_FULL).min(1.0);
                let mut agree = agreement(&guess, &c.act) * strength_weight(guess.strength);
                // The meaning's reading of the act agrees too, where no
                // clear marker spoke.
                if let Some(reading) = &reading
                    && guess.strength != Strength::Strong
                {
                    agree = agree.max(MEANING_AGREEMENT * reading.share(&c.act));
                }
                let mut score = match &typed_embedding {
                    Some((embedder, typed)) => {
                        let cos = self
                            .embeddings(embedder, index, script)
                            .iter()
                            .map(|e| embed::cosine(typed, e))
                            .fold(-1.0, f32::max);
                        let sem = ((cos - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR))
                            .clamp(0.0, 1.0);
                        let shares = match script {
                            Lang::Ja => SHARES_JA,
                            Lang::En => SHARES_EN,
                        };
                        shares.lexical * lex + shares.semantic * sem + shares.act * agree
                    }
                    None => LEXICAL_SHARE * lex + (1.0 - LEXICAL_SHARE) * agree,
                };
                // A typed silence has no words to compare: it means the
                // menu's silence, if there is one.
                if guess.strength == Strength::Strong
                    && guess.act == Act::Silence
                    && c.act == Act::Silence
                {
                    score = 1.0;
                }
                if mismatch(&guess, echo, &c.act) {
                    score *= MISMATCH;
                }
                (c.id.clone(), score, lex, &c.act)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let (best, second) = (
            scored.first().map_or(0.0, |s| s.1),
            scored.get(1).map_or(0.0, |s| s.1),
        );
        let confidence = confidence(best, second);
        let choice = scored
            .first()
            .filter(|_| confidence >= THRESHOLD)
            .map(|s| s.0.clone());
        let act = if echo {
            Act::SimpleReflection
        } else {
            resolve_act(
                &guess,
                reading.as_ref(),
                scored.first().map(|s| (s.2, s.3)),
                choice.is_some().then_some(confidence),
            )
        };
        Heard {
            choice,
            confidence,
            candidates: scored.iter().map(|s| (s.0.clone(), s.1)).collect(),
            act,
        }
    }
}

/// Hears `text` at `session`'s point in `scenario` (prepares the scenario
/// each call; keep a [`Hearer`] to hear many replies).
pub fn hear(scenario: &Scenario, session: &Session, text: &str, lang: Lang) -> Heard {
    Hearer::new(scenario).hear(session, text, lang)
}

/// The texts of a choice in `lang`'s script: the authored line and the
/// phrasings written in that script.
fn texts_in(choice: &kiku_core::scenario::Choice, lang: Lang) -> Vec<String> {
    let want = match lang {
        Lang::Ja => Script::Japanese,
        Lang::En => Script::Latin,
    };
    std::iter::once(choice.text.get(lang))
        .chain(
            choice
                .phrasings
                .iter()
                .flat_map(|p| [p.ja.as_str(), p.en.as_str()]),
        )
        .filter(|t| !t.trim().is_empty() && lexical::script_of(t) == want)
        .map(str::to_string)
        .collect()
}

/// A choice's phrasings written in `lang`'s script (an author may write
/// either language in either slot; each is compared in its own script).
fn phrasings(choice: &kiku_core::scenario::Choice, lang: Lang, idf: &Idf) -> Vec<Doc> {
    let want = match lang {
        Lang::Ja => Script::Japanese,
        Lang::En => Script::Latin,
    };
    choice
        .phrasings
        .iter()
        .flat_map(|p| [p.ja.as_str(), p.en.as_str()])
        .filter(|t| !t.trim().is_empty() && lexical::script_of(t) == want)
        .map(|t| Doc::new(&Bag::of(t), idf))
        .collect()
}

/// The rules' reading of the act, with the act model's reading of the
/// meaning ([`acts`]): where no marker settled the act, a confident model
/// reads it; a soft marker gives way to a model that is surer still; a
/// clear marker stands. The model's question class is left to the rules
/// (it does not say how the question asks).
fn with_meaning(guess: Guess, reading: &acts::Reading, text: &str) -> Guess {
    let needed = match guess.strength {
        Strength::None => MEANING_OVER_NONE,
        Strength::Weak => MEANING_OVER_WEAK,
        Strength::Strong => MEANING_OVER_STRONG,
    };
    // A feeling the rules heard named is empathy unless the member said
    // that word: the echo check's to tell (the model cannot see the
    // member's words).
    let reflective = |a: &Act| a.is_reflection() || *a == Act::Empathize;
    match &reading.act {
        Some(act)
            if reflective(act)
                && guess.act == Act::Empathize
                && guess.strength > Strength::None =>
        {
            guess
        }
        Some(act) if *act != guess.act && reading.p >= needed => Guess {
            act: act.clone(),
            strength: Strength::Weak,
            frame_marked: false,
            asks_outright: false,
        },
        // Heard as a question that the rules read as none: the question
        // form's attributes, from the rules. Only where the words can be
        // a question: asked with a question mark, or with no marker of
        // anything else (「何者かになりたいんだね」 states).
        None if !matches!(guess.act, Act::Question(_))
            && (text.trim_end().ends_with(['?', '？']) || guess.strength == Strength::None)
            && reading.p_question
                >= match guess.strength {
                    Strength::Strong => QUESTION_OVER_STRONG,
                    _ => QUESTION_OVER,
                } =>
        {
            classify::as_question(text).unwrap_or(guess)
        }
        _ => guess,
    }
}

/// The act model's probability that the reply is a question, needed to
/// read it as one where the rules read another act...
const QUESTION_OVER: f32 = 0.6;
/// ... with a clear marker.
const QUESTION_OVER_STRONG: f32 = 0.95;

/// The act model's probability needed to read the act where no marker
/// settled it...
const MEANING_OVER_NONE: f32 = 0.3;
/// ... over a soft marker...
const MEANING_OVER_WEAK: f32 = 0.6;
/// ... and over a clear one.
const MEANING_OVER_STRONG: f32 = 0.85;

fn strength_weight(strength: Strength) -> f32 {
    match strength {
        Strength::Strong => 1.0,
        Strength::Weak => 0.8,
        Strength::None => 0.0,
    }
}

/// The confidence: the best score, pulled down when the runner-up is close.
fn confidence(best: f32, second: f32) -> f32 {
    let margin = (best - second).max(0.0);
    (best * (0.6 + 0.4 * (margin / 0.15).min(1.0))).clamp(0.0, 1.0)
}

/// How far the typed act agrees with a choice's act, 0-1.
fn agreement(guess: &Guess, act: &Act) -> f32 {
    let typed = &guess.act;
    match (typed, act) {
        (Act::Question(t), Act::Question(a)) => question_agreement(t, a, guess.frame_marked),
        _ if typed == act => 1.0,
        _ => match (typed.family(), act.family()) {
            (Family::Listening, Family::Listening) => {
                if typed.is_reflection() && act.is_reflection()
                    || matches!(
                        (typed, act),
                        (Act::Empathize, Act::ComplexReflection)
                            | (Act::ComplexReflection, Act::Empathize)
                    )
                {
                    0.5
                } else {
                    0.3
                }
            }
            (Family::Directing, Family::Directing)
                if typed.is_advice_like() && act.is_advice_like() =>
            {
                0.5
            }
            _ if matches!(
                (typed, act),
                (Act::Affirm, Act::ComplexReflection | Act::Summarize)
                    | (Act::ComplexReflection | Act::Summarize, Act::Affirm)
                    | (Act::Advise, Act::Inform)
                    | (Act::Inform, Act::Advise)
            ) =>
            {
                0.35
            }
            _ => 0.0,
        },
    }
}

fn question_agreement(t: &Question, a: &Question, frame_marked: bool) -> f32 {
    let mut score: f32 = 0.45;
    if t.open == a.open {
        score += 0.15;
    }
    if t.frame == a.frame {
        score += if frame_marked { 0.4 } else { 0.2 };
    } else if frame_marked {
        score -= 0.15;
    }
    if t.focus != a.focus {
        score -= 0.15;
    }
    if (t.blaming || t.leading) != (a.blaming || a.leading) {
        score -= 0.2;
    }
    score.clamp(0.0, 1.0)
}

/// Whether the typed words are a different kind of move from `act` in a
/// way the words themselves settle (see [`MISMATCH`]).
fn mismatch(guess: &Guess, echo: bool, act: &Act) -> bool {
    if echo {
        return act.is_complex_reflection();
    }
    if guess.strength != Strength::Strong {
        return false;
    }
    match (&guess.act, act) {
        (Act::Question(t), Act::Question(a)) => {
            guess.frame_marked && t.open && a.open && t.focus == a.focus && t.frame != a.frame
        }
        // A question asked outright is not a statement, whatever the
        // statement does (advice asked as a question reads as advice).
        (Act::Question(q), _) => guess.asks_outright && !q.leading,
        _ => false,
    }
}

/// The act of the typed words. When they were heard as a choice, that
/// choice's act is the best reading of what they do (a paraphrase does
/// what its line does), except what the words settle themselves: a
/// question keeps its own open or closed form, its leading or blaming,
/// and any frame a marker set; a question asked outright (not leading) is a
/// question even when the line it meant is none. Heard as nothing, the rules'
/// reading stands, with a close line's act for words no marker read.
fn resolve_act(
    guess: &Guess,
    reading: Option<&acts::Reading>,
    best: Option<(f32, &Act)>,
    heard: Option<f32>,
) -> Act {
    // A match this close in the words says more than a soft marker.
    const CLOSE: f32 = 0.5;
    let Some((lex, matched)) = best else {
        return guess.act.clone();
    };
    if let Some(confidence) = heard {
        let model_says = |act: &Act| {
            reading.is_some_and(|r| r.act.as_ref().is_some_and(|a| a.class() == act.class()))
        };
        // The meaning and the match agree on a move the question form
        // hides (autonomy handed over with a question after it).
        if !matches!(matched, Act::Question(_)) && model_says(matched) {
            return matched.clone();
        }
        // A loose match whose move the words contradict: the words' own act.
        if confidence < LOOSE_MATCH
            && guess.act.class() != matched.class()
            && !matches!((&guess.act, matched), (Act::Question(_), Act::Question(_)))
            && (guess.strength == Strength::Strong
                || reading.is_some_and(|r| r.act.as_ref() == Some(&guess.act) && r.p >= 0.6))
        {
            return guess.act.clone();
        }
        return match (guess.strength, &guess.act, matched) {
            (Strength::Strong, Act::Question(t), Act::Question(m)) => {
                let (frame, focus) = if guess.frame_marked {
                    (t.frame, t.focus)
                } else {
                    (m.frame, m.focus)
                };
                Act::Question(Question {
                    frame,
                    focus,
                    follow_up: m.follow_up,
                    ..t.clone()
                })
            }
            (Strength::Strong, Act::Question(q), _) if guess.asks_outright && !q.leading => {
                guess.act.clone()
            }
            _ => matched.clone(),
        };
    }
    match (guess.strength, &guess.act, matched) {
        (Strength::Strong, _, _) => guess.act.clone(),
        (Strength::Weak, typed, matched) if lex >= CLOSE && typed.family() == matched.family() => {
            matched.clone()
        }
        (Strength::Weak, _, _) => guess.act.clone(),
        (Strength::None, _, matched) if lex >= CLOSE * 0.6 => matched.clone(),
        (Strength::None, _, _) => guess.act.clone(),
    }
}

/// How far the act model's reading counts as agreement with a choice's
/// act (its probability relative to the likeliest class's).
const MEANING_AGREEMENT: f32 = 0.5;

/// Below this confidence a heard choice is a loose match, whose act gives
/// way to a clear reading of the words' own act.
const LOOSE_MATCH: f32 = 0.45;

/// [`Heard`] in the `kiku.hear/1` JSON format, pretty-printed, fields in
/// the documented order.
pub fn to_json(heard: &Heard) -> String {
    #[derive(serde::Serialize)]
    struct Json<'a> {
        format: &'static str,
        heard: HeardJson<'a>,
        candidates: Vec<Candidate<'a>>,
        act: String,
    }
    #[derive(serde::Serialize)]
    struct HeardJson<'a> {
        choice: Option<&'a str>,
        confidence: f64,
    }
    #[derive(serde::Serialize)]
    struct Candidate<'a> {
        choice: &'a str,
        score: f64,
    }
    let round = |x: f32| (f64::from(x) * 1000.0).round() / 1000.0;
    let json = Json {
        format: "kiku.hear/1",
        heard: HeardJson {
            choice: heard.choice.as_deref(),
            confidence: round(heard.confidence),
        },
        candidates: heard
            .candidates
            .iter()
            .map(|(id, score)| Candidate {
                choice: id,
                score: round(*score),
            })
            .collect(),
        act: spell::spell(&heard.act),
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}

/// [`Heard`] for a facilitator: the line it was heard as, the act, the
/// candidates with their text.
pub fn render_text(heard: &Heard, scenario: &Scenario, lang: Lang) -> String {
    let text_of = |id: &str| {
        scenario
            .choices()
            .find(|(_, c)| c.id == id)
            .map(|(_, c)| c.text.get(lang).to_string())
            .unwrap_or_default()
    };
    let mut out = match &heard.choice {
        Some(id) => format!(
            "{} {id} ({:.2}): {}\n",
            lang.pick("聞こえた選択肢:", "heard as:"),
            heard.confidence,
            text_of(id)
        ),
        None => format!(
            "{} ({:.2} < {THRESHOLD})\n",
            lang.pick("該当する選択肢なし", "no choice matched well enough"),
            heard.confidence
        ),
    };
    out.push_str(&format!(
        "{} {} [{}]\n",
        lang.pick("言葉の働き:", "act of the words:"),
        heard.act.label().get(lang),
        spell::spell(&heard.act)
    ));
    for (id, score) in &heard.candidates {
        out.push_str(&format!("  {score:.2}  {id}: {}\n", text_of(id)));
    }
    out
}
