//! The act of a typed reply, from rules: Japanese sentence-final forms,
//! question words and markers of advice, reassurance, repair and the rest;
//! English likewise. The rules read the folded text (katakana as hiragana,
//! so the patterns spell katakana words in hiragana).
//!
//! The rules are tables ([`Rule`]: a [`Cue`] and the act it marks), read
//! in order; the first that holds decides. Order matters: advice phrased
//! as a question (「資格とか取ってみたら?」, "have you tried...?") is
//! advice, so the directing markers are read before the question form; a
//! short 「そうなんですね」 is a nod before it is a reflection. Between the
//! directing table and the listening table sits the question form, whose
//! attributes (open or closed, focus, frame) come from further tables.

use kiku_core::act::{Act, Focus, Frame, Question};

use crate::normalise::{Script, compact, fold, is_kanji, kanji_forms, script};

/// How sure the rules are of the act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// No marker: the act is a default.
    None,
    /// A soft marker (a listening form whose exact kind the words decide).
    Weak,
    /// A clear marker (a question form, an advice or reassurance marker).
    Strong,
}

/// The classifier's reading of a reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Guess {
    /// The act.
    pub act: Act,
    /// How sure.
    pub strength: Strength,
    /// For questions: whether a marker set the frame (else it is `Fact` by default).
    pub frame_marked: bool,
    /// For questions: asked outright, with a question word, a polite
    /// question ending (〜ですか) or an English question word or inverted
    /// auxiliary, not only a rising 「〜感じ?」 that can be a reflection.
    pub asks_outright: bool,
}

impl Guess {
    fn new(act: Act, strength: Strength) -> Guess {
        Guess {
            act,
            strength,
            frame_marked: false,
            asks_outright: false,
        }
    }
}

fn any(text: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| text.contains(p))
}

fn ends_any(text: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| text.ends_with(p))
}

/// What a rule looks for in a reply.
#[derive(Clone, Copy, Debug)]
enum Cue {
    /// One of these in the reply (Japanese: folded, without spaces or
    /// question marks; English: lower-case words between single spaces,
    /// padded with a space at each end).
    Any(&'static [&'static str]),
    /// The reply ends with one of these (same text as [`Cue::Any`]).
    Ends(&'static [&'static str]),
    /// One of these in the folded Japanese reply without spaces, its
    /// question marks kept (「たら?」).
    Marked(&'static [&'static str]),
    /// One of these in the reply as typed (English: lower-cased), for
    /// stage directions in brackets.
    Typed(&'static [&'static str]),
    /// A space-separated chunk of the Japanese reply opens with one of these.
    ChunkOpens(&'static [&'static str]),
    /// The English reply opens with one of these words.
    Opens(&'static [&'static str]),
    /// The reply ends with a question mark.
    Asks,
    /// A Japanese question word is in it (indefinites such as 「何か」 aside).
    QWord,
    /// At most this many words (English).
    AtMostWords(usize),

    /// Nothing but dots, brackets and spaces (a typed silence).
    Blank,
    /// Every cue holds.
    All(&'static [Cue]),
    /// One of the cues holds.
    Either(&'static [Cue]),
    /// The cue does not hold.
    Not(&'static Cue),
}

/// A rule: when the cue holds, the act, this sure.
#[derive(Clone, Debug)]
struct Rule {
    cue: Cue,
    act: Act,
    strength: Strength,
}

const fn strong(act: Act, cue: Cue) -> Rule {
    Rule {
        cue,
        act,
        strength: Strength::Strong,
    }
}

const fn weak(act: Act, cue: Cue) -> Rule {
    Rule {
        cue,
        act,
        strength: Strength::Weak,
    }
}

/// A reply prepared for the rules.
struct Reply<'a> {
    /// As typed (English: lower-cased).
    typed: &'a str,
    /// What [`Cue::Any`] reads.
    text: String,
    /// The same in the spelling authored lines use
    /// ([`crate::normalise::kanji_forms`]), also read by [`Cue::Any`] and
    /// [`Cue::Ends`] (Japanese; empty for English).
    alt: String,
    /// What [`Cue::Marked`] reads.
    marked: String,
    /// Space-separated chunks (Japanese) or words (English).
    words: Vec<String>,
    /// Ends with a question mark.
    asks: bool,
    /// Holds a Japanese question word.
    qword: bool,
}

impl Reply<'_> {
    fn holds(&self, cue: &Cue) -> bool {
        match cue {
            Cue::Any(ps) => {
                any(&self.text, ps)
                    || !self.alt.is_empty()
                        && ps.iter().any(|p| {
                            self.alt.contains(p)
                                || dropped_particle(p).is_some_and(|d| self.alt.contains(&d))
                        })
            }
            Cue::Ends(ps) => {
                ends_any(&self.text, ps) || !self.alt.is_empty() && ends_any(&self.alt, ps)
            }
            Cue::Marked(ps) => any(&self.marked, ps),
            Cue::Typed(ps) => any(self.typed, ps),
            Cue::ChunkOpens(ps) => self
                .words
                .iter()
                .any(|w| ps.iter().any(|p| w.starts_with(p))),
            Cue::Opens(ps) => ps.iter().any(|p| self.text.starts_with(&format!(" {p} "))),
            Cue::Asks => self.asks,
            Cue::QWord => self.qword,
            Cue::AtMostWords(n) => self.words.len() <= *n,
            Cue::Blank => is_silence(self.typed),
            Cue::All(cues) => cues.iter().all(|c| self.holds(c)),
            Cue::Either(cues) => cues.iter().any(|c| self.holds(c)),
            Cue::Not(cue) => !self.holds(cue),
        }
    }

    /// The act of the first rule whose cue holds.
    fn first(&self, rules: &[Rule]) -> Option<Guess> {
        rules
            .iter()
            .find(|r| self.holds(&r.cue))
            .map(|r| Guess::new(r.act.clone(), r.strength))
    }
}

/// A Japanese pattern with its object or subject particle between two
/// kanji dropped, as casual typing drops it (「腰を折」 → 「腰折」), or
/// `None` when it has no such particle.
fn dropped_particle(pattern: &str) -> Option<String> {
    if !pattern.contains(['を', 'が']) {
        return None;
    }
    let chars: Vec<char> = pattern.chars().collect();
    let at = chars
        .windows(3)
        .position(|w| matches!(w[1], 'を' | 'が') && is_kanji(w[0]) && is_kanji(w[2]))?;
    Some(
        chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at + 1)
            .map(|(_, c)| c)
            .collect(),
    )
}

/// Classifies the act of `text` (Japanese or English, by its script).
pub fn classify(text: &str) -> Guess {
    if let Some(rest) = after_topic_shift(text) {
        return topic_shift(&rest, classify_plain(&rest));
    }
    classify_plain(text)
}

fn classify_plain(text: &str) -> Guess {
    let folded = fold(text);
    match script(&folded) {
        Script::Japanese => classify_ja(text, &folded),
        Script::Latin => classify_en(text, &folded),
    }
}

/// Openers that change the subject (「そういえば」, "by the way"): they say
/// a new topic comes, not what is done with it.
const JA_TOPIC_SHIFTS: &[&str] = &[
    "そういえば",
    "ところで",
    "ちなみに",
    "話変わるけど",
    "話は変わりますが",
];
/// Interjections that may come before a Japanese opener.
const JA_INTERJECTIONS: &[&str] = &["あ", "あっ", "そうそう", "あと", "えっと"];
/// English openers that change the subject, wherever they stand.
const EN_TOPIC_SHIFTS: &[&str] = &["by the way", "btw", "before i forget", "quick thing"];
/// English openers that change the subject at the start of a clause.
const EN_TOPIC_OPENERS: &[&str] = &[
    "oh also",
    "also",
    "speaking of",
    "on another note",
    "unrelated",
];

/// What follows a change of subject that opens the reply (after a nod or an
/// interjection), or `None` when the reply does not change the subject.
fn after_topic_shift(text: &str) -> Option<String> {
    let t = text.trim();
    if script(&fold(t)) == Script::Japanese {
        // The first chunk up to a comma or space, after interjections.
        let mut rest = t;
        loop {
            rest = rest.trim_start_matches(['、', '，', ',', ' ', '　', '!', '！', '。']);
            match JA_INTERJECTIONS.iter().find(|i| {
                rest.starts_with(*i)
                    && rest[i.len()..].starts_with(['、', '，', ',', ' ', '　', '!', '！'])
            }) {
                Some(i) => rest = &rest[i.len()..],
                None => break,
            }
        }
        let opener = JA_TOPIC_SHIFTS.iter().find(|o| rest.starts_with(*o))?;
        let after = rest[opener.len()..].trim_start_matches(['、', '，', ',', ' ', '　']);
        return (after.chars().count() >= 4).then(|| after.to_string());
    }
    let lower = t.to_lowercase();
    // Clauses split at , . : ; ! (a question mark stays with its clause).
    let mut clauses: Vec<&str> = lower
        .split([',', '.', ':', ';', '!'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let word_at = |c: &str, w: &str| {
        c == w || c.starts_with(&format!("{w} ")) || c.ends_with(&format!(" {w}"))
    };
    let position = clauses.iter().position(|c| {
        EN_TOPIC_SHIFTS.iter().any(|w| word_at(c, w))
            || EN_TOPIC_OPENERS
                .iter()
                .any(|w| *c == *w || c.starts_with(&format!("{w} ")))
    })?;
    // What comes before the opener is a nod ("good question. by the way,
    // ..."), what the opener's clause holds after it belongs to the rest.
    let clause = clauses[position];
    let shift = EN_TOPIC_SHIFTS
        .iter()
        .chain(EN_TOPIC_OPENERS)
        .filter(|w| word_at(clause, w) || clause.starts_with(&format!("{w} ")))
        .max_by_key(|w| w.len())?;
    let inside = match clause.strip_prefix(shift) {
        Some(after) => after.trim(),
        None => clause.strip_suffix(shift).unwrap_or(clause).trim(),
    };
    // "speaking of checklists, ...": the topic named is no part of the act.
    let inside = if *shift == "speaking of" { "" } else { inside };
    clauses[position] = inside;
    let rest: Vec<&str> = clauses[position..]
        .iter()
        .copied()
        .filter(|c| !c.is_empty())
        .collect();
    let rest = rest.join(", ");
    let rest = if t.ends_with('?') && !rest.ends_with('?') {
        format!("{rest}?")
    } else {
        rest
    };
    (rest.split_whitespace().count() >= 2).then_some(rest)
}

/// The act of a reply that changes the subject, from what follows the
/// change (`rest`, read as `guess`): news is information, a question asks
/// one fact (closed), a question about how a task stands steers back to
/// the work, a request to do a task instructs; a clear marker of another
/// move (advice, the manager's own story) stands.
fn topic_shift(rest: &str, guess: Guess) -> Guess {
    let lower = format!(" {} ", rest.to_lowercase().trim_end_matches('?'));
    let ja = script(&fold(rest)) == Script::Japanese;
    let t: String = compact(&fold(rest)).into_iter().collect();
    let progress = if ja {
        any(&t, JA_REDIRECT)
            || any(&t, &["その後どう", "どうなって"])
            || ends_any(t.trim_end_matches('?'), &["そう"])
    } else {
        any(&lower, EN_REDIRECT)
            || any(
                &lower,
                &[
                    " where are we",
                    " how's the ",
                    " how is the ",
                    " how are the ",
                ],
            ) && any(&lower, EN_WORK_ITEMS)
    };
    let request = !ja
        && any(&lower, &[" can you ", " could you "])
        && !any(
            &lower,
            &[" make it", " come ", " join", " tell ", " remember"],
        );
    match &guess.act {
        Act::Question(q) if q.leading || q.blaming => guess,
        _ if request => Guess::new(Act::Instruct, Strength::Strong),
        Act::Question(_) | Act::RedirectToWork if progress => {
            Guess::new(Act::RedirectToWork, Strength::Strong)
        }
        // A listening question after the opener stays what it asks.
        Act::Question(q) if guess.frame_marked && q.frame != Frame::Fact => guess,
        Act::Question(q) => Guess {
            act: question(false, q.focus, Frame::Fact, false, false),
            strength: Strength::Strong,
            frame_marked: false,
            asks_outright: true,
        },
        Act::SelfDisclose
        | Act::Advise
        | Act::Instruct
        | Act::Judge
        | Act::Reassure
        | Act::Affirm
        | Act::Repair
        | Act::AskPermission
        | Act::Silence
            if guess.strength == Strength::Strong =>
        {
            guess
        }
        _ => Guess::new(Act::Inform, Strength::Strong),
    }
}

/// Work items whose state a question can ask after ("how's the account").
const EN_WORK_ITEMS: &[&str] = &[
    " account",
    " project",
    " deal",
    " release",
    " launch",
    " report",
    " rollout",
    " migration",
    " pipeline",
    " numbers",
    " proposal",
    " pitch",
    " sprint",
    " backlog",
];

fn is_silence(raw: &str) -> bool {
    let t = raw.trim();
    t.is_empty()
        || t.chars().all(|c| {
            matches!(
                c,
                '…' | '.' | '・' | '‥' | '。' | ' ' | '　' | '(' | ')' | '（' | '）'
            )
        })
}

const fn question(open: bool, focus: Focus, frame: Frame, leading: bool, blaming: bool) -> Act {
    Act::Question(Question {
        open,
        focus,
        frame,
        leading,
        blaming,
        follow_up: false,
    })
}

/// A blaming "why didn't you" question.
const BLAMING: Act = question(false, Focus::Person, Frame::Fact, false, true);

/// Words that hold a question word's letters but ask nothing: indefinites
/// (「どこか」 somewhere, 「何か」 something), "always" (「いつも」), "while"
/// (「言いつつ」), "nothing" (「何も」), "anything" (「何でも」).
const JA_NOT_QWORDS: &[&str] = &[
    "いくつか",
    "いくらか",
    "どこか",
    "何か",
    "なにか",
    "いつか",
    "誰か",
    "だれか",
    "なんか",
    "どうか",
    "なんとか",
    "何とか",
    "いつつ",
    "いつも",
    "いつでも",
    "何も",
    "なにも",
    "何でも",
    "なんでも",
    "どこでも",
    "誰でも",
    "誰にも",
    "だれにも",
    "何より",
    "なにより",
    "どうせ",
    "どうも",
    "どうしても",
    "どうにか",
    "どうしようもな",
    "どうでもい",
    "どうぞ",
    "どうやら",
    "何とも",
    "なんとも",
    "なんだか",
    "何だか",
    "なんとなく",
    "何となく",
    "何度も",
    "何回も",
    "いつまでも",
    "どれも",
    "どこも",
    "誰も",
    "だれも",
];

/// `t` with the words of [`JA_NOT_QWORDS`] blanked out.
fn without_indefinites(t: &str) -> String {
    // 「何から」 is "from what", not 「何か」 "something".
    let t = t.replace("なにから", "何・").replace("何から", "何・");
    // 「方針なんで」 after a noun is "because", not "why".
    let mut because = String::with_capacity(t.len());
    let mut rest = t.as_str();
    while let Some(at) = rest.find("なんで") {
        let noun = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| is_kanji(c) || c == 'ー');
        because.push_str(&rest[..at]);
        because.push_str(if noun { "・" } else { "なんで" });
        rest = &rest[at + "なんで".len()..];
    }
    because.push_str(rest);
    JA_NOT_QWORDS
        .iter()
        .fold(because, |acc, p| acc.replace(p, "・"))
}

/// Question words that ask for one fact (when, who, where, which, how
/// many): a question built on them alone is closed in MITI's sense.
const JA_FACT_QWORDS: &[&str] = &[
    "いつ",
    "誰",
    "だれ",
    "どこ",
    "どれ",
    "どの",
    "どっち",
    "どちら",
    "何人",
    "何時",
    "何回",
    "何年",
    "何日",
    "何件",
    "何社",
    "いくら",
    "いくつ",
    "どれくらい",
    "どのくらい",
    "どれぐらい",
    "どのぐらい",
    "何割",
    "何項目",
    "何時間",
    "何個",
    "何枚",
    "何歳",
    "何分",
    "何度",
    "何か月",
    "何週",
    "何名",
    "何軒",
    "何台",
    "何本",
    "何通",
    "何冊",
    "何店",
    "何ヶ月",
    "何カ月",
];

/// Question words that open a question (what, how, why, what kind).
const JA_OPEN_QWORDS: &[&str] = &[
    "どんな",
    "どう",
    "どういう",
    "何",
    "なに",
    "なん",
    "なぜ",
    "いかが",
    "聞かせて",
    "きかせて",
    "教えて",
    "おしえて",
    "詳しく",
    "くわしく",
    "聞きたい",
    "知りたい",
];

/// Question words proper (what, how, why, when, who, where, which, how much).
const JA_ASKING_WORDS: &[&str] = &[
    "どんな",
    "どう",
    "何",
    "なに",
    "なん",
    "いつ",
    "どこ",
    "誰",
    "だれ",
    "なぜ",
    "どれ",
    "どの",
    "いかが",
    "いくつ",
    "いくら",
];

const JA_QWORDS: &[&str] = &[
    "どんな",
    "どう",
    "何",
    "なに",
    "なん",
    "いつ",
    "どこ",
    "誰",
    "だれ",
    "なぜ",
    "どれ",
    "どの",
    "いかが",
    "聞かせて",
    "きかせて",
    "教えて",
    "おしえて",
    "詳しく",
    "くわしく",
    "いくつ",
    "いくら",
    "どれくらい",
    "どのくらい",
    "どれぐらい",
    "どのぐらい",
];

/// Stage directions of a silence, as typed.
const JA_SILENCE: &[&str] = &[
    "沈黙",
    "黙って",
    "黙る",
    "だまって",
    "だまる",
    "無言",
    "待つ",
    "(待",
    "(間",
];
/// An apology...
const JA_APOLOGY: &[&str] = &[
    "ごめん",
    "すみません",
    "すいません",
    "すまない",
    "申し訳",
    "悪かった",
    "失礼しました",
];
/// ... for cutting in or deciding for the member, or with an invitation
/// to go on: a repair.
const JA_REPAIR_WHAT: &[&str] = &[
    "先走",
    "遮",
    "さえぎ",
    "話を取",
    "決めつけ",
    "急か",
    "口を挟",
    "腰を折",
    "続き",
    "聞きたい",
    "ききたい",
    "すぎ",
    "脱線",
    "でした",
    "聞かせて",
    "話して",
    "教えて",
    "続けて",
    "ちゃって",
    "ちゃった",
    "ちゃいました",
    "じゃって",
    "じゃった",
    "てしまって",
    "てしまった",
    "てしまいました",
];
/// Owning a misstep without the apology word.
const JA_REPAIR_ALONE: &[&str] = &[
    "先走って",
    "先走った",
    "決めつけてしまった",
    "遮ってしまった",
    "さえぎってしまった",
];
/// Asking leave to give one's view (「〜してもいい?」).
const JA_PERMISSION: &[&str] = &[
    "話してもいい",
    "伝えてもいい",
    "言ってもいい",
    "共有してもいい",
    "提案してもいい",
    "お伝えしてもいい",
    "お話ししてもいい",
    "話してもよろしい",
    "伝えてもよろしい",
    "話しても大丈夫",
    "あどばいすしてもいい",
    "聞いてもらってもいい",
    "言ってみてもいい",
    "話してみてもいい",
    "考えを話しても",
    "意見を言っても",
    "話してもいいですか",
];
/// Openers that frame what follows as a suggestion (Japanese).
const JA_ADVICE_FRAMES: &[&str] = &[
    "ひとつの案",
    "一つの案",
    "ひとつ提案",
    "一つ提案",
    "私の考えでいうと",
    "私の考えを言うと",
    "私だったら",
    "僕だったら",
    "俺だったら",
    "わたしだったら",
    "おすすめは",
];
/// Openers that frame what follows as information (Japanese).
const JA_INFORM_FRAMES: &[&str] = &["参考までに", "ちなみに", "念のため", "お知らせ"];
const JA_TOGETHER: &[&str] = &["一緒に", "いっしょに", "ともに考え", "二人で", "ふたりで"];
/// 「決めるのは〇〇さん」.
const JA_AUTONOMY: &[&str] = &[
    "決めるのは",
    "次第",
    "自分で決め",
    "選ぶのは",
    "尊重",
    "どちらを選んでも",
    "どの道を選んでも",
    "自由に決め",
    "決めていい",
    "決めてください",
    "あなたの選択",
    "本人が決め",
];
/// The manager's own story.
const JA_SELF: &[&str] = &[
    "私も",
    "僕も",
    "俺も",
    "わたしも",
    "ぼくも",
    "おれも",
    "私が若い",
    "僕が若い",
    "若い頃",
    "若いころ",
    "私の場合",
    "僕の場合",
    "私も昔",
    "昔の私",
    "私のとき",
    "私の時",
    "自分も昔",
    "自分の若い",
    "うちも",
    "実は私",
    "私だって",
];
/// 「私が」 ... 「〜ときは」: the manager's own time.
const JA_I_SUBJECT: &[&str] = &["私が", "僕が", "俺が", "おれが", "わたしが"];
const JA_WHEN_TOPIC: &[&str] = &["ときは", "時は", "頃は", "ころは", "ときも", "時も"];
/// Hearsay endings.
const JA_HEARSAY: &[&str] = &[
    "らしいよ",
    "らしいです",
    "らしいですよ",
    "らしい",
    "そうです",
    "そうですよ",
    "そうだよ",
    "って聞いた",
    "って聞きました",
    "とのことです",
];
/// Announcing a summary (「まとめさせて」).
const JA_SUMMARY_FRAMES: &[&str] = &[
    "まとめさせ",
    "整理させ",
    "まとめてみる",
    "まとめてみて",
    "まとめると",
    "整理すると",
];
/// Back to progress and tasks.
const JA_REDIRECT: &[&str] = &[
    "進捗",
    "進み具合",
    "どこまで進",
    "本題",
    "それより",
    "仕事の話に",
    "業務の話",
    "確認させて",
    "そろそろ時間",
    "時間だ",
];
/// Work items that, stated rather than reflected, steer to the work.
const JA_WORK_ITEMS: &[&str] = &[
    "案件",
    "納期",
    "締め切り",
    "締切",
    "すけじゅーる",
    "来月の",
    "今週の",
];
/// Reflective endings (a work item inside a reflection does not steer).
const JA_REFLECTIVE_ENDINGS: &[&str] =
    &["のかもね", "のかもしれない", "のかな", "んだね", "んですね"];
const JA_WHY: &[&str] = &["なんで", "なぜ", "どうして"];
/// "Why didn't you": a why with a failure.
const JA_FAILED: &[&str] = &[
    "できな",
    "しな",
    "やらな",
    "遅れ",
    "みす",
    "ミス",
    "間に合わ",
    "言わな",
    "なかった",
    "相談しな",
];
/// Judging or lecturing.
const JA_JUDGE: &[&str] = &[
    "甘え",
    "甘い",
    "言い訳",
    "社会人として",
    "ぷろとして",
    "当たり前だろ",
    "当然でしょ",
    "普通は",
    "しょうがない",
    "仕方ない",
    "仕方がない",
    "べきじゃない",
    "べきではない",
    "だめだよ",
    "だめです",
    "わがまま",
    "考えが甘",
    "意味ない",
    "意味がない",
    "頭打ち",
    "もったいない",
    "ないとね",
    "ないとだめ",
    "とは言えない",
    "とはいえない",
    "されにくい",
    "なきゃだめ",
];
/// 「大丈夫?」 asks whether all is well: a question, not reassurance.
const JA_ASKS_IF_OK: Cue = Cue::Either(&[
    Cue::All(&[
        Cue::Ends(&["大丈夫", "大丈夫です", "大丈夫だった"]),
        Cue::Asks,
    ]),
    Cue::Ends(&["大丈夫ですか", "大丈夫か", "大丈夫かな"]),
    Cue::Marked(&["大丈夫?", "だいじょうぶ?", "大丈夫ですか", "大丈夫かな"]),
]);
/// Premature reassurance.
const JA_REASSURE: &[&str] = &[
    "大丈夫",
    "気にしすぎ",
    "気にしない",
    "気にすることない",
    "考えすぎ",
    "心配ない",
    "心配いらない",
    "心配しなくて",
    "心配要らない",
    "なんとかなる",
    "何とかなる",
    "うまくいく",
    "平気",
    "問題ない",
    "自信を持って",
    "君なら",
    "あなたなら",
    "さんならできる",
    "さんなら大丈夫",
    "きっとできる",
    "だいじょうぶ",
    "心配いら",
    "心配しすぎ",
    "気にしなくて",
    "気にしないで",
    "無理しないで",
    "無理だけは",
    "なくていいよ",
    "なくていいから",
    "なくていいです",
    "なくていいって",
    "そんなことない",
    "そんなことには",
    "そんなことありません",
    "ふつうだよ",
    "普通だよ",
    "通用する",
    "まちがいない",
    "間違いない",
    "できるって",
    "変わってるよ",
    "なくてもいい",
    "なくても大丈夫",
    "全然いい",
    "ぜんぜんいい",
    "でもいいよ",
];
/// Telling the member what to do.
const JA_INSTRUCT: &[&str] = &[
    "してください",
    "しなさい",
    "して下さい",
    "しておいて",
    "やっておいて",
    "やってください",
    "ようにして",
    "必要があります",
    "必要がある",
    "するように",
    "慣れていき",
    "慣れてください",
    "やるしかない",
    "しましょう",
    "やりましょう",
    "いきましょう",
    "しよう",
    "やろう",
    "ましょう",
    "ましょ",
    // The manager decides for the member: 「〜してもらうね」.
    "てもらうね",
    "てもらうよ",
    "てもらおう",
    "でもらおう",
    "もらおうかな",
    "てもらいます",
    "お願いできる",
    "お願いします",
    "しとくね",
    "しとくよ",
    "とくね",
    "とくから",
    "てくれないかな",
    "でくれないかな",
    "掛け合う",
    "かけあう",
    "いこうか",
    "よろしくね",
    "よろしく頼",
];
/// 「〜したら」「〜すれば」: advice left hanging.
const JA_ADVICE_ENDINGS: &[&str] = &["たら", "てみたら", "ば", "てみては", "では", "れば"];
/// Volitional forms asked (「〜しようか」): proposals.
const JA_VOLITIONAL_Q: &[&str] = &[
    "ようか",
    "おうか",
    "こうか",
    "ごうか",
    "ろうか",
    "とうか",
    "ぼうか",
    "もうか",
    "のうか",
    "ぞうか",
];
/// Advice and suggestion markers.
const JA_ADVICE: &[&str] = &[
    "たらどう",
    "たらいい",
    "てみては",
    "ばいい",
    "ばいいのに",
    "ほうがいい",
    "ほうがよ",
    "方がよ",
    "方がいい",
    "べき",
    "おすすめ",
    "お勧め",
    "お薦め",
    "といいよ",
    "といいと思",
    "といいですよ",
    "のはどう",
    "はどうかな",
    "はどうですか",
    "はどう?",
    "とかどう",
    "てみれば",
    "試してみ",
    "してみよう",
    "やってみよう",
    "てみてはどう",
    "じゃだめ",
    "ておくと",
    "とくと",
    "私だったら",
    "僕だったら",
    "俺だったら",
    "わたしだったら",
    "てほしいな",
    "手はない",
    "のがいい",
    "のもいい",
    "のもあり",
    "もありだと",
    "いいんじゃない",
    "てみない",
    "でみない",
    "もらえたらな",
    "が近道",
    "一番の近道",
    "てみようか",
    "でみようか",
];
/// Advice asked with a rising tone (「〜たら?」).
const JA_ADVICE_ASKED: &[&str] = &["たら?", "ば?", "ては?", "とか?"];

/// Directing and partnership moves, read before the question form (so
/// that advice asked as a question is advice).
const JA_DIRECTING: &[Rule] = &[
    strong(
        Act::Silence,
        Cue::Either(&[Cue::Blank, Cue::Typed(JA_SILENCE)]),
    ),
    strong(
        Act::Repair,
        Cue::Either(&[
            Cue::All(&[Cue::Any(JA_APOLOGY), Cue::Any(JA_REPAIR_WHAT)]),
            Cue::Any(JA_REPAIR_ALONE),
        ]),
    ),
    strong(Act::AskPermission, Cue::Any(JA_PERMISSION)),
    strong(Act::Advise, Cue::Any(JA_ADVICE_FRAMES)),
    strong(Act::Inform, Cue::Any(JA_INFORM_FRAMES)),
    strong(Act::SeekCollaboration, Cue::Any(JA_TOGETHER)),
    strong(Act::EmphasizeAutonomy, Cue::Any(JA_AUTONOMY)),
    strong(
        Act::SelfDisclose,
        Cue::Either(&[
            Cue::Any(JA_SELF),
            Cue::All(&[Cue::Any(JA_I_SUBJECT), Cue::Any(JA_WHEN_TOPIC)]),
        ]),
    ),
    // Hearsay (「〜らしいよ」「〜そうです」) passes on what the manager heard.
    strong(Act::Inform, Cue::Ends(JA_HEARSAY)),
    strong(Act::Summarize, Cue::Any(JA_SUMMARY_FRAMES)),
    strong(
        Act::RedirectToWork,
        Cue::Either(&[
            Cue::Any(JA_REDIRECT),
            Cue::ChunkOpens(&["ところで"]),
            Cue::All(&[
                Cue::Not(&Cue::Asks),
                Cue::Not(&Cue::Ends(JA_REFLECTIVE_ENDINGS)),
                Cue::Not(&Cue::Any(JA_AFFIRM)),
                Cue::Any(JA_WORK_ITEMS),
            ]),
        ]),
    ),
    strong(BLAMING, Cue::All(&[Cue::Any(JA_WHY), Cue::Any(JA_FAILED)])),
    // 「〜しないと」「〜しなきゃ」 left hanging: "you must", a lecture.
    strong(
        Act::Judge,
        Cue::Either(&[
            Cue::Any(JA_JUDGE),
            Cue::Ends(&["ないと", "なきゃ", "なくちゃ"]),
        ]),
    ),
    strong(
        Act::Reassure,
        Cue::All(&[Cue::Not(&JA_ASKS_IF_OK), Cue::Any(JA_REASSURE)]),
    ),
    // 「〜ずらそうか」「〜してみようか」: a proposal, not an order.
    strong(
        Act::Advise,
        Cue::All(&[
            Cue::Ends(JA_VOLITIONAL_Q),
            Cue::Not(&Cue::Ends(&[
                "だろうか",
                "でしょうか",
                "どうか",
                "そうか",
                "そっか",
            ])),
        ]),
    ),
    // Verbs in す: 「ずらそうか」「話そうか」 (not the nod 「そうか」).
    strong(
        Act::Advise,
        Cue::Ends(&[
            "らそうか",
            "つそうか",
            "話そうか",
            "出そうか",
            "試そうか",
            "残そうか",
            "渡そうか",
            "戻そうか",
            "直そうか",
            "移そうか",
            "回そうか",
            "減そうか",
            "増やそうか",
        ]),
    ),
    strong(
        Act::Instruct,
        Cue::All(&[Cue::Not(&Cue::QWord), Cue::Any(JA_INSTRUCT)]),
    ),
    strong(
        Act::Advise,
        Cue::Either(&[
            Cue::All(&[
                Cue::Ends(JA_ADVICE_ENDINGS),
                Cue::Either(&[Cue::Asks, Cue::Ends(&["たら", "れば"])]),
            ]),
            Cue::Any(JA_ADVICE),
            Cue::Marked(JA_ADVICE_ASKED),
        ]),
    ),
];

/// Nods: a short reply of nothing but these is an acknowledgement.
const JA_NODS: &[&str] = &[
    "そうだったんですね",
    "そうだったんですか",
    "そうだったんだね",
    "そうだったんだ",
    "そうなんですね",
    "そうなんだね",
    "そうなんだ",
    "そうですか",
    "そうですね",
    "そうだね",
    "なるほど",
    "たしかに",
    "確かに",
    "うんうん",
    "そっか",
    "そうか",
    "うん",
    "はい",
    "ええ",
    "へえ",
    "へー",
    "ふむ",
    "うなず",
    "ね",
    "ー",
];
/// Asking the member to tell more (an open question without a question mark).
const JA_REQUEST: &[&str] = &[
    "聞かせて",
    "きかせて",
    "教えて",
    "おしえて",
    "詳しく",
    "くわしく",
    "聞きたい",
    "知りたい",
    "話してみて",
    "話してほしい",
];
/// Requests that end the reply.
const JA_REQUEST_ENDED: &[&str] = &["聞かせて", "きかせて", "教えて", "おしえて"];

/// Whether `t` asks the member to tell (「聞かせて」「教えてください」),
/// not reports telling (「教えてる」「言い聞かせてる」).
fn asks_to_tell(t: &str) -> bool {
    JA_REQUEST.iter().any(|r| {
        t.match_indices(r).any(|(at, _)| {
            let after = &t[at + r.len()..];
            // 「教えてる」「教えた」 report; 「言い聞かせて」 is not asked.
            let reports = after.starts_with(['る', 'た', 'い', 'お']);
            let told_oneself = r.ends_with('て') && t[..at].ends_with('い');
            !(reports || told_oneself)
        })
    })
}

/// 「〜見てね」「〜お願い」: telling, softly.
const JA_SOFT_INSTRUCT: &[&str] = &[
    "てね",
    "でね",
    "お願い",
    "お願いね",
    "お願いします",
    "頼むよ",
    "頼んだよ",
    "頼みます",
];

/// After the nods: a marked nod, and soft telling.
const JA_SHORT: &[Rule] = &[
    strong(
        Act::Acknowledge,
        Cue::Any(&["うなず", "相づち", "あいづち"]),
    ),
    strong(
        Act::Instruct,
        Cue::All(&[
            Cue::Not(&Cue::QWord),
            Cue::Not(&Cue::Any(JA_REQUEST_ENDED)),
            Cue::Not(&Cue::Asks),
            Cue::Ends(JA_SOFT_INSTRUCT),
        ]),
    ),
];

/// Questions that suggest their answer (「〜と思わない?」).
const JA_LEADING: Cue = Cue::Either(&[
    Cue::Any(&[
        "と思わない",
        "と思いませんか",
        "じゃない?",
        "んじゃない",
        "でしょ?",
        "でしょう?",
        "よね?",
        "ですよね?",
    ]),
    Cue::All(&[
        Cue::Asks,
        Cue::Ends(&["よね", "ですよね", "でしょ", "でしょう", "じゃない"]),
    ]),
]);

/// 〜のかな without a question word wonders aloud: a reflection; so does
/// 〜なのかな / 〜のかもね even around an embedded question
/// (「どれだけ残るか、なのかな」), unless a question mark asks.
const JA_WONDERS: Cue = Cue::Either(&[
    // 「〜ってこと?」 checks an understanding: a reflection, even asked.
    Cue::Ends(&["ってこと", "ということ", "ってことかな", "ってことだね"]),
    Cue::All(&[
        Cue::Ends(&["のかな", "のかもしれない", "のかもね", "のかもしれませんね"]),
        Cue::Not(&Cue::QWord),
    ]),
    Cue::All(&[
        Cue::Not(&Cue::Asks),
        Cue::Ends(&[
            "なのかな",
            "のかもね",
            "のかもしれない",
            "のかもしれませんね",
            "感じがする",
            "気がする",
            "感じかな",
            "ってことかな",
        ]),
    ]),
]);

/// Embedded questions (「何をしたいのか分からない」): the question word asks
/// nothing of the listener.
const JA_EMBEDDED: &[&str] = &[
    "のか",
    "か分から",
    "か分かん",
    "かわから",
    "かわかん",
    "か決め",
    "か迷",
    "か考え",
    "かどうか",
    "かなって",
    "かなと",
];
/// Sentence endings of a statement: a question word before them does not ask.
const JA_STATEMENT_ENDS: &[&str] = &[
    "ね",
    "よ",
    "んだ",
    "です",
    "ます",
    "だ",
    "けど",
    "だから",
    "るから",
    "いから",
    "たから",
    "し",
    "な",
    "わ",
    "さ",
];

/// Polite question endings: a question even without a question word.
const JA_POLITE_Q: &[&str] = &["ですか", "ますか", "でしょうか", "ましたか", "んですか"];
/// Question endings that ask when a question word is there too.
const JA_FORMAL_Q: &[&str] = &[
    "ですか",
    "ますか",
    "でしょうか",
    "ましたか",
    "んですか",
    "のか",
    "かな",
    "かね",
    "の",
    "ない",
];

/// Recognising a strength or effort.
const JA_AFFIRM: &[&str] = &[
    "さすが",
    "すごい",
    "すごく助か",
    "よく頑張",
    "頑張ってき",
    "頑張った",
    "よくやっ",
    "頑張ってる",
    "頑張っている",
    "努力",
    "助かって",
    "助かった",
    "ありがとう",
    "感謝",
    "頼りに",
    "頼もしい",
    "強み",
    "立派",
    "えらい",
    "素晴らし",
    "すばらし",
    "見事",
    "誇りに思",
    "尊敬",
    "おめでとう",
    "成長した",
    "成長してる",
    "成長している",
    "かっこいい",
    "格好いい",
    "よかったじゃん",
    "素敵",
    "すてき",
];
/// How a programme or rule works.
const JA_INFORM: &[&str] = &[
    "制度",
    "仕組み",
    "しくみ",
    "ぷろぐらむ",
    "研修",
    "公募",
    "規定",
    "るーる",
    "申請",
    "窓口",
    "説明会",
    "になっています",
    "ことになって",
];
/// The manager saying what they will do (「〜しときます」「〜てみます」)
/// or how things stand (「〜ありますよ」): information, not advice.
const JA_COMMITS: &[&str] = &[
    "てみます",
    "ときます",
    "ておきます",
    "ときますので",
    "ておきますので",
    "とくね",
    "とくよ",
    "しておく",
    "ありますよ",
    "あるよ",
    "てたよ",
    "てましたよ",
    "ますので",
];
/// A worry denied (「関係ないですよ」「〜じゃないですよ」): reassurance.
const JA_NOT_SO: &[&str] = &[
    "関係ないよ",
    "関係ないですよ",
    "関係ないって",
    "じゃないですよ",
    "じゃないよ",
    "ではないですよ",
    "なくていいよ",
    "なくていいんだよ",
];
/// Pulling things together.
const JA_SUMMARIZE: &[&str] = &[
    "まとめると",
    "整理すると",
    "ここまでの",
    "今日話してくれた",
    "今日の話",
    "お話を聞いて",
    "話を聞いていると",
];
/// Naming or sharing the feeling.
const JA_EMPATHIZE: &[&str] = &[
    "よね",
    "だろうね",
    "でしょうね",
    "それはつら",
    "それは大変",
    "それは悔し",
    "それはしんど",
    "それはきつ",
    "それは不安",
    "それは心配",
    "それは苦し",
    "わかります",
    "分かります",
    "気持ちはわか",
    "気持ちは分か",
    "気持ち分か",
    "無理もない",
    "当然です",
    "当然だ",
    "当たり前",
    "もっともだ",
    "つらいね",
    "大変だね",
    "しんどいね",
    "きついね",
    "悔しいね",
    "ですね、それは",
];
/// The meaning or feeling behind the words.
const JA_COMPLEX: &[&str] = &[
    "んだね",
    "んですね",
    "のですね",
    "のかな",
    "わけですね",
    "わけだね",
    "本当は",
    "ほんとうは",
    "ほんとは",
    "というより",
    "むしろ",
    "ってことかな",
    "ということ",
    "なんだね",
    "なんですね",
    "ように聞こえ",
    "ように感じ",
    "と感じて",
    "気がして",
    "みたいだね",
    "みたいですね",
    "ようですね",
    "んだろうね",
    "のだろう",
    "ってこと",
    "聞こえる",
    "聞こえます",
    "わりに",
    "ように見え",
];

/// Listening and partnership moves, read after the question form.
const JA_LISTENING: &[Rule] = &[
    strong(Act::Affirm, Cue::Any(JA_AFFIRM)),
    weak(Act::Inform, Cue::Any(JA_INFORM)),
    weak(Act::Inform, Cue::Ends(JA_COMMITS)),
    weak(Act::Reassure, Cue::Ends(JA_NOT_SO)),
    weak(Act::Summarize, Cue::Any(JA_SUMMARIZE)),
    weak(
        Act::Empathize,
        Cue::Either(&[
            Cue::Any(JA_EMPATHIZE),
            Cue::Ends(&["わかる", "分かる", "わかるよ", "分かるよ"]),
        ]),
    ),
    weak(
        Act::ComplexReflection,
        Cue::Either(&[
            JA_WONDERS,
            Cue::Any(JA_COMPLEX),
            // 「〜んだ」「〜のね」: the speaker's understanding, said back.
            Cue::Ends(&["んだ", "んだな", "のね"]),
        ]),
    ),
    weak(
        Act::SimpleReflection,
        Cue::Ends(&["ね", "ねえ", "ですね", "だね"]),
    ),
];

fn classify_ja(raw: &str, folded: &str) -> Guess {
    let t: String = compact(folded).into_iter().collect();
    // 「どこか」「何か」 are "somewhere", "something", not question words.
    let qword = any(&without_indefinites(&t), JA_QWORDS);
    let reply = Reply {
        typed: raw,
        asks: folded.trim_end().ends_with('?') || raw.trim_end().ends_with(['?', '？']),
        marked: folded.chars().filter(|c| !c.is_whitespace()).collect(),
        words: folded.split_whitespace().map(str::to_string).collect(),
        qword,
        alt: kanji_forms(&t),
        text: t,
    };
    let t = reply.text.as_str();
    if let Some(guess) = reply.first(JA_DIRECTING) {
        return guess;
    }
    // A short nod before any reflection form: 「そうなんですね」. Nothing
    // but nods: 「うん、順調なんだ」 says the member's words back.
    let len = t.chars().count();
    let rest = JA_NODS
        .iter()
        .fold(t.to_string(), |acc, n| acc.replace(n, ""));
    if len <= 12 && rest.chars().count() <= 1 && rest.chars().count() < len {
        return Guess::new(Act::Acknowledge, Strength::Strong);
    }
    if let Some(guess) = reply.first(JA_SHORT) {
        return guess;
    }
    // 「誰のため、かぁ」「書けたらいい、か」: the member's words mused on,
    // not asked (no question mark).
    let before_comma = |e: &str| {
        raw.trim_end_matches(['。', '…', '.', ' ', '!', '！'])
            .ends_with(e)
    };
    if !reply.asks
        && len <= 24
        && (ends_any(t, JA_MUSING) || before_comma("、か") || before_comma("、ですか"))
    {
        return Guess::new(Act::SimpleReflection, Strength::Weak);
    }
    let leading = reply.holds(&JA_LEADING);
    // Typed without a question mark, a question word still asks, unless
    // it sits in an embedded question (「何をしたいのか分からない」) or the
    // sentence ends as a statement (「〜んだね」「〜だよ」).
    // Requests (「教えて」) are not question words here: 「教えてるし」.
    let casual = any(&without_indefinites(t), JA_ASKING_WORDS)
        && !JA_EMBEDDED.iter().any(|e| t.contains(e) && !t.ends_with(e))
        && !ends_any(t, JA_STATEMENT_ENDS);
    let is_question = !reply.holds(&JA_WONDERS)
        && (reply.asks
            || ends_any(t, &["っけ"])
            || casual
            || asks_to_tell(t)
            || (ends_any(t, JA_FORMAL_Q) && (qword || ends_any(t, JA_POLITE_Q))));
    if is_question || leading {
        return ja_question_of(raw, t, leading);
    }
    // A feeling named back in a few words (「くやしかったんだね」): empathy,
    // unless the member said that word (the hearer checks the echo).
    // 「本当は不安なんですね」 names what lies under the words: complex.
    if len <= 12
        && any(t, JA_FEELINGS)
        && ends_any(t, JA_NAMED_ENDS)
        && !any(
            t,
            &[
                "本当は",
                "ほんとうは",
                "ほんとは",
                "むしろ",
                "というより",
                "実は",
            ],
        )
    {
        return Guess::new(Act::Empathize, Strength::Weak);
    }
    reply
        .first(JA_LISTENING)
        .unwrap_or_else(|| Guess::new(Act::SimpleReflection, Strength::None))
}

/// The question the Japanese reply `raw` (compacted and folded: `t`) asks:
/// its attributes come from its own sentence, as a preamble
/// (「前回〜って話してたよね。」) sets no frame.
fn ja_question_of(raw: &str, t: &str, leading: bool) -> Guess {
    let last = raw
        .split(['。', '!', '！', '?', '？', '\n'])
        .map(|s| compact(&fold(s)).into_iter().collect::<String>())
        .rfind(|s| s.chars().count() >= 2)
        .unwrap_or_else(|| t.to_string());
    let q = if ja_question_cues(&last) {
        last.as_str()
    } else {
        t
    };
    ja_question(q, &kanji_forms(q), leading)
}

/// The reply read as a question, whatever its form says: for a reply the
/// act model hears as a question that the rules read otherwise (「お昼もう
/// 食べた?」 read as a change of subject). Japanese only; `None` for
/// English, whose question form the rules read well.
pub fn as_question(text: &str) -> Option<Guess> {
    let folded = fold(text);
    if script(&folded) != Script::Japanese {
        return None;
    }
    let t: String = compact(&folded).into_iter().collect();
    let leading = {
        let reply = Reply {
            typed: text,
            asks: true,
            marked: folded.chars().filter(|c| !c.is_whitespace()).collect(),
            words: folded.split_whitespace().map(str::to_string).collect(),
            qword: any(&without_indefinites(&t), JA_QWORDS),
            alt: kanji_forms(&t),
            text: t.clone(),
        };
        reply.holds(&JA_LEADING)
    };
    let mut guess = ja_question_of(text, &t, leading);
    guess.strength = Strength::Weak;
    Some(guess)
}

/// Musing endings (after the nods, so 「そうかぁ」 is a nod).
const JA_MUSING: &[&str] = &["かぁ", "かあ", "か〜", "か…", "かー"];

/// Feelings, as named back (stems, so that 「悔しかった」「こわい」 hold).
const JA_FEELINGS: &[&str] = &[
    "悔し",
    "くやし",
    "怖",
    "こわ",
    "辛",
    "つら",
    "しんど",
    "不安",
    "心配",
    "寂し",
    "さみし",
    "悲し",
    "かなし",
    "苦し",
    "くるし",
    "きつ",
    "嬉し",
    "うれし",
    "腹立",
    "むかつ",
    "焦",
    "あせ",
    "もどかし",
    "情けな",
    "なさけな",
    "恥ずかし",
    "はずかし",
    "疲れ",
    "つかれ",
    "もやもや",
];
/// Endings that name a feeling back (「〜んだね」「〜よね」).
const JA_NAMED_ENDS: &[&str] = &["んだね", "んですね", "のね", "んだ", "よね", "だね", "ね"];

/// 「何か」 with none of these asks yes or no (「何かある?」).
const JA_SOMETHING_OPENS: &[&str] = &[
    "どんな",
    "どう",
    "何を",
    "何が",
    "何で",
    "なんで",
    "いつ",
    "どこ",
    "誰",
];
/// The question is about the member.
const JA_PERSON: &[&str] = &[
    "気持ち",
    "感じ",
    "自分",
    "思い",
    "やりがい",
    "大事",
    "大切",
    "好き",
    "嬉し",
    "うれし",
    "楽し",
    "つら",
    "辛",
    "不安",
    "憧れ",
    "あこがれ",
    "理想",
    "ありたい",
    "なりたい",
    "でいたい",
    "将来",
    "きゃりあ",
    "心",
    "もやもや",
    "怖",
    "こわ",
    "悔し",
    "本当は",
    "焦",
    "あせ",
    "さん自身",
    "人生",
    "働き方",
    "面白",
    "おもしろ",
    "生き生き",
    "気にな",
    "悩",
    "迷っ",
    "困っ",
];
/// The question is about the work.
const JA_WORK: &[&str] = &[
    "工程",
    "作業",
    "業務",
    "たすく",
    "件数",
    "つーる",
    "ai",
    "ぷろじぇくと",
    "手順",
    "品質",
    "ちぇっく",
    "進め方",
    "やり方",
    "目標",
    "処理",
    "どの部分",
    "効率",
    "時間がかかって",
    "翻訳",
    "出力",
    "資料",
    "会社",
    "年収",
    "返事",
    "提案",
    "基準",
    "説明会",
    "会議",
    "案件",
    "1on1",
    "お店",
    "数字",
    "具体的にはなに",
    "具体的に何",
    "手間",
    "評価",
    "ぐれーど",
    "グレード",
    "ちーむ",
    "らいん",
    "雰囲気",
    "現場",
    "担当",
    "部署",
    "日報",
    "れびゅー",
];
/// 「どんな仕事をしていたい?」 asks what to do, not who to be.
const JA_DOING_WORK: &[&str] = &["どんな仕事", "していたい", "仕事をしたい"];
/// A question's frame by its markers, the first that holds (Being is
/// skipped for [`JA_DOING_WORK`]).
const JA_FRAMES: &[(Frame, &[&str])] = &[
    (
        Frame::Being,
        &[
            "どんな自分",
            "どんな人",
            "どんな存在",
            "どんな姿",
            "どんなふうに見",
            "どんな風に見",
            "ありたい",
            "在りたい",
            "なっていたい",
            "どうなりたい",
            "なりたい",
            "でいたい",
            "どういう人",
            "どういう存在",
            "どういう自分",
            "理想の自分",
            "理想の姿",
            "どう見られ",
            "どう思われ",
            "あり方",
            "在り方",
        ],
    ),
    (
        Frame::Change,
        &[
            "変わっ",
            "変化",
            "前と",
            "以前と",
            "当時と",
            "今と",
            "ヶ月前",
            "か月前",
            "カ月前",
            "ヵ月前",
            "ケ月前",
            "年前",
            "入社した頃",
            "昔と",
            "これまでと",
            "前は",
            "変わり",
            "比べ",
            "違って",
            "違う",
            "あの頃",
            "当時",
        ],
    ),
    (
        Frame::Values,
        &[
            "やりがい",
            "大事に",
            "大切に",
            "譲れない",
            "憧れ",
            "あこがれ",
            "嬉しかった",
            "うれしかった",
            "楽しかった",
            "面白かった",
            "おもしろかった",
            "誇り",
            "よかったと",
            "充実",
            "価値",
            "好きな",
            "一番楽し",
            "一番面白",
            "大事なこと",
            "大切なこと",
        ],
    ),
    (
        Frame::Doing,
        &[
            "どうしたい",
            "何をしたい",
            "何がしたい",
            "なにしたい",
            "何したい",
            "てみたい",
            "でみたい",
            "やりたい",
            "どうする",
            "どうしよう",
            "したいこと",
            "したい?",
            "つもり",
            "していきたい",
            "挑戦したい",
            "どうしていき",
            "次の一歩",
            "何から",
            "どんな仕事",
            "していたい",
            "仕事をしたい",
            "ていきたい",
            "でいきたい",
            "したい",
        ],
    ),
    (
        Frame::Feeling,
        &[
            "気持ち",
            "感じ",
            "どう思",
            "不安",
            "つらい",
            "心境",
            "もやもや",
            "どんな気",
            "気分",
            "受け止め",
            "焦っ",
            "あせっ",
            "怖",
            "悔し",
            "しんど",
            "嫌",
            "いやだ",
            "落ち込",
            "疲れ",
            "気にな",
            "悩",
            "迷っ",
            "困っ",
            "思った",
        ],
    ),
];

/// Whether a sentence holds a question's own cues (a question word or a
/// question ending), so that its attributes can be read from it alone.
fn ja_question_cues(sentence: &str) -> bool {
    any(&without_indefinites(sentence), JA_QWORDS)
        || ends_any(sentence, JA_FORMAL_Q)
        || ends_any(sentence, &["ある", "あった", "いる", "たい", "る", "た"])
}

fn ja_question(t: &str, alt: &str, leading: bool) -> Guess {
    // Markers are read in the typed spelling and in the authored one.
    let has = |ps: &[&str]| any(t, ps) || any(alt, ps);
    // 「何かある?」 asks yes or no.
    let from_what = t.replace("なにから", "").replace("何から", "");
    let something = any(&from_what, &["何か", "なにか", "何が気に"]) && !any(t, JA_SOMETHING_OPENS);
    // 「どのように」 asks how (open) although 「どの」 alone asks which;
    // 「どこが変わった?」「どこだと思う?」 ask which part, for the member to
    // describe (open), although 「どこの会社?」 asks one place.
    let plain = without_indefinites(t)
        .replace("どのように", "どう")
        .replace("どのような", "どんな")
        .replace("どこが", "どう")
        .replace("どこだと", "どう");
    let no_fact_words = JA_FACT_QWORDS
        .iter()
        .fold(plain.clone(), |acc, p| acc.replace(p, "・"));
    // 「どの作業に一番…」: asked for the most, a "which" asks the member to weigh.
    let superlative = any(t, &["一番", "いちばん", "最も", "もっとも"]);
    let open = !leading
        && !something
        && (any(&no_fact_words, JA_OPEN_QWORDS) || superlative && any(&plain, JA_FACT_QWORDS));
    // What the member wants, values or feels is about the member.
    let wants = has(&["たい"]);
    let focus = if has(JA_WORK) && !has(JA_PERSON) && !wants {
        Focus::Work
    } else {
        Focus::Person
    };
    let doing_work = has(JA_DOING_WORK);
    let frame = JA_FRAMES
        .iter()
        .filter(|(f, _)| !(doing_work && *f == Frame::Being))
        .find(|(_, markers)| has(markers))
        .map(|(f, _)| *f);
    // 〜の? and 〜っけ are question endings in their own right; a rising
    // 「〜感じ?」 may still be a reflection.
    let outright = any(&no_fact_words, JA_OPEN_QWORDS)
        || any(&plain, JA_FACT_QWORDS)
        || ends_any(t, JA_POLITE_Q)
        || ends_any(t, &["の", "のか", "っけ"]);
    Guess {
        act: question(open, focus, frame.unwrap_or(Frame::Fact), leading, false),
        strength: Strength::Strong,
        frame_marked: frame.is_some(),
        asks_outright: outright,
    }
}

const EN_OPENERS: &[&str] = &[
    "what",
    "how",
    "when",
    "where",
    "who",
    "why",
    "which",
    "tell me",
    "describe",
    "walk me",
    "talk me",
    "say more",
    "could you tell",
    "can you tell",
    "would you tell",
    "help me understand",
];

const EN_AUX: &[&str] = &[
    "do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "can", "could", "would",
    "will", "should", "shall", "am", "any", "anything", "don't", "doesn't", "isn't", "aren't",
    "won't", "wouldn't", "haven't", "didn't",
];

/// Openers that frame what follows as a suggestion.
const EN_ADVICE_FRAMES: &[&str] = &[
    "one idea",
    "only if you want",
    "my suggestion",
    "i'd suggest",
    "i would suggest",
    "i suggest",
    "i recommend",
    "why don't you",
    "how about",
    "what if we",
    "what if you",
];

/// Openers that frame what follows as information.
const EN_INFORM_FRAMES: &[&str] = &[
    "just so you know",
    "for your information",
    " fyi",
    "for reference",
    "heads up",
];

/// Stage directions of a silence, lower-cased as typed.
const EN_SILENCE: &[&str] = &[
    "(silence",
    "(wait",
    "[silence",
    "(say nothing",
    "(pause",
    "(stay quiet",
    "stay quiet",
    "(quiet",
    "say nothing",
    "says nothing",
    "wait)",
    " waits",
    "and wait",
    "silent",
    "wait quietly",
    "just wait",
];
const EN_APOLOGY: &[&str] = &[" sorry", " apologi", " my bad"];
/// ... for cutting in or deciding for the member, or with an invitation
/// to go on: a repair.
const EN_REPAIR_WHAT: &[&str] = &[
    "jump",
    "ahead",
    "interrupt",
    "cut you off",
    "rush",
    "assum",
    " go on",
    "carry on",
    "continu",
    "tell me more",
    "talked over",
    "got carried",
];
/// Owning a misstep without the apology word.
const EN_REPAIR_ALONE: &[&str] = &[
    "got ahead of myself",
    "i jumped in",
    "jumped the gun",
    "i jumped to",
];
/// Asking leave to give one's view.
const EN_PERMISSION: &[&str] = &[
    "can i share",
    "could i share",
    "may i share",
    "may i offer",
    "may i suggest",
    "mind if i",
    "would it help if i",
    "would you like to hear",
    "can i offer",
    "could i offer",
    "could i suggest",
    "can i suggest",
    "would you like my",
    "ok if i",
    "okay if i",
    "alright if i",
    "can i tell you what i",
    "would you be open to",
    "do you want my",
    "can i give you",
    "could i give you",
];
/// Pulling things together, announced.
const EN_SUMMARY_FRAMES: &[&str] = &[
    "put it together",
    "pull it together",
    "putting it together",
    "pulling it together",
    "to sum up",
    "let me sum",
    "let me recap",
    "to recap",
];
const EN_TOGETHER: &[&str] = &[
    " together",
    "let's figure",
    "let's work",
    "let's think",
    "we can work",
    "work it out with",
    "figure it out with",
    "let's explore",
    "let's both",
    "both of us",
];
/// "It's your call".
const EN_AUTONOMY: &[&str] = &[
    "your call",
    "up to you",
    "your decision",
    "you get to decide",
    "for you to decide",
    "your choice",
    "whatever you decide",
    "whatever you choose",
    "you know best",
    "yours to decide",
    "yours to make",
    "it's yours",
    "decision is yours",
    "respect whatever",
];
/// The manager's own story.
const EN_SELF: &[&str] = &[
    " when i was ",
    "i've been there",
    "i have been there",
    " in my case",
    "back when i",
    "i remember when",
    "i went through",
    " me too",
    " i also ",
    " i used to ",
    "happened to me",
    "when i started",
    "in my day",
    "when i first",
    "my own experience",
    "in my experience",
    " i worry",
    " i sometimes",
    " i often",
    "i feel the same",
    "i felt the same",
    "same for me",
    "i've felt",
    " i wonder whether",
];
/// Back to progress and tasks.
const EN_REDIRECT: &[&str] = &[
    " progress",
    " status ",
    " deadline",
    "back to work",
    "get back to",
    " anyway ",
    " the project",
    "update on",
    "more importantly",
    "let's move on",
    "on track",
];
/// "Why didn't you".
const EN_BLAMING: &[&str] = &[
    "why didn't you",
    "why haven't you",
    "why did you not",
    "why couldn't you",
    "why can't you",
    "how come you didn't",
    "why wouldn't you",
    "why did you let",
];
/// Judging or lecturing.
const EN_JUDGE: &[&str] = &[
    " excuse",
    "unprofessional",
    "you should have",
    "shouldn't have",
    "grow up",
    "not acceptable",
    "everyone else",
    "you're being",
    "too sensitive",
    "that's your problem",
    "as a professional",
    "stop complaining",
    "no point",
    "doesn't count",
    "does not count",
    "pointless",
];
/// Premature reassurance.
const EN_REASSURE: &[&str] = &[
    "don't worry",
    "no need to worry",
    "you'll be fine",
    "it'll be fine",
    "it will be fine",
    "you'll be ok",
    "overthinking",
    "i'm sure you",
    "i'm sure it",
    "it'll work out",
    "nothing to worry",
    "you've got this",
    " no problem",
    "it's fine",
    "you're fine",
    "you will be fine",
    "will be okay",
    "will be ok",
    "be alright",
    "worrying too much",
    "don't stress",
    "you'll manage",
    "you'll get there",
    "everything's fine",
    "everything is fine",
    "all fine",
    "totally fine",
    "no need to apologi",
    "don't push yourself",
    "of course you",
    "doing great",
    "doing fine",
    "that's not true",
    "not true at all",
    "don't read too much",
    "nothing to be",
    "not embarrassing",
    "you'll go far",
    "you'll do great",
    "you'd be great",
    "between us",
    "don't compare yourself",
    "it's allowed",
    "of course it's",
];
/// Telling the member what to do.
const EN_INSTRUCT: &[&str] = &[
    "you need to",
    "you have to",
    "you must",
    "make sure",
    " please ",
    "let's start by",
    "let's get",
    "i want you to",
    "get used to",
    "just do",
    "you'll have to",
    " go and",
    "i need you to",
    "let's just",
    "bring me",
    "send me",
    "i'll let them know",
    "let me push",
    "we'll fix",
    "you're on the",
];
/// Advice and suggestion markers.
const EN_ADVICE: &[&str] = &[
    "you should",
    "you could",
    "why don't you",
    " why not ",
    "have you tried",
    "have you considered",
    "have you thought about",
    "how about",
    "what about trying",
    "maybe try",
    " try ",
    "i'd suggest",
    "i would suggest",
    "i suggest",
    "i recommend",
    "might want to",
    "it might help to",
    "it would help to",
    " consider ",
    "apparently",
    "you ought",
    "would be good to",
    "it'd be good to",
    "best to",
    "better to",
    "what if you",
    "could always",
    "look into",
    "maybe you",
    "maybe look",
    "would help",
    "make more sense",
    "what if we",
    "should we",
    "why don't we",
    "give it a go",
    "i'd love you to",
    "fastest way",
    "would it help to",
    "would it be worth",
    "might it help",
];
/// Nods (in a reply of at most four words).
const EN_NODS: &[&str] = &[
    " i see ",
    " mm",
    " hmm",
    " right ",
    " ok ",
    " okay ",
    " uh-huh ",
    " uh huh ",
    " yeah ",
    " got it ",
    " sure ",
    " ah ",
    " oh ",
    " mhm ",
    " go on ",
    " i hear you ",
    " nod",
    " yes ",
];

/// A question opened by a question word and asked.
const EN_WH_ASKS: Cue = Cue::All(&[
    Cue::Opens(&["what", "how", "who", "when", "where", "which", "why"]),
    Cue::Asks,
]);

/// Directing and partnership moves, read before the question form (so
/// that advice asked as a question is advice).
const EN_DIRECTING: &[Rule] = &[
    strong(
        Act::Silence,
        Cue::Either(&[Cue::Blank, Cue::Typed(EN_SILENCE)]),
    ),
    strong(
        Act::Repair,
        Cue::Either(&[
            Cue::All(&[Cue::Any(EN_APOLOGY), Cue::Any(EN_REPAIR_WHAT)]),
            Cue::Any(EN_REPAIR_ALONE),
        ]),
    ),
    // An idea offered with autonomy around it is still advice; news offered
    // "just so you know" is information, whatever else the reply adds.
    strong(Act::Advise, Cue::Any(EN_ADVICE_FRAMES)),
    strong(Act::Inform, Cue::Any(EN_INFORM_FRAMES)),
    strong(Act::AskPermission, Cue::Any(EN_PERMISSION)),
    strong(Act::Summarize, Cue::Any(EN_SUMMARY_FRAMES)),
    strong(Act::SeekCollaboration, Cue::Any(EN_TOGETHER)),
    strong(Act::EmphasizeAutonomy, Cue::Any(EN_AUTONOMY)),
    strong(Act::SelfDisclose, Cue::Any(EN_SELF)),
    strong(Act::RedirectToWork, Cue::Any(EN_REDIRECT)),
    strong(BLAMING, Cue::Any(EN_BLAMING)),
    strong(Act::Judge, Cue::Any(EN_JUDGE)),
    // A wh-question asks the member's view even with "should" or "fine"
    // in it ("What do you think you should do?").
    strong(
        Act::Reassure,
        Cue::All(&[Cue::Not(&EN_WH_ASKS), Cue::Any(EN_REASSURE)]),
    ),
    strong(
        Act::Instruct,
        Cue::All(&[Cue::Not(&EN_WH_ASKS), Cue::Any(EN_INSTRUCT)]),
    ),
    // "Maybe give it more time?": a tentative suggestion.
    strong(Act::Advise, Cue::All(&[Cue::Opens(&["maybe"]), Cue::Asks])),
    strong(
        Act::Advise,
        Cue::All(&[
            Cue::Not(&EN_WH_ASKS),
            Cue::Either(&[Cue::Any(EN_ADVICE), Cue::Opens(&["try"])]),
        ]),
    ),
    strong(
        Act::Acknowledge,
        Cue::All(&[Cue::AtMostWords(4), Cue::Any(EN_NODS)]),
    ),
    strong(Act::Acknowledge, Cue::Any(&["(nod", " nod "])),
];

/// Questions that suggest their answer.
const EN_LEADING: &[&str] = &[
    "don't you think",
    "wouldn't it be",
    "isn't it",
    "shouldn't you",
    "wouldn't you agree",
    "don't you agree",
    "surely you",
];
/// "When", "who", "where", "which", "how many" ask for one fact: closed in
/// MITI's sense, unless "what", "how" or "why" also opens it.
const EN_FACT_WORDS: &[&str] = &[
    " how many ",
    " how much ",
    " how long ",
    " how often ",
    " when ",
    " which ",
    " where ",
    " who ",
    " whose ",
    " how far ",
    " how big ",
    " how old ",
];
/// Requests to tell more.
const EN_REQUESTS: &[&str] = &[
    "tell me",
    "describe",
    "walk me",
    "talk me",
    "say more",
    "could you tell",
    "can you tell",
    "would you tell",
    "help me understand",
];

/// Recognising a strength or effort.
const EN_AFFIRM: &[&str] = &[
    "great job",
    "well done",
    "impressive",
    "worked hard",
    "working hard",
    "work so hard",
    "thank you",
    "thanks for",
    "appreciate",
    "took courage",
    "takes courage",
    " strength",
    "i admire",
    "proud of you",
    "count on you",
    "rely on you",
    "amazing",
    " brilliant",
    "you've done a",
    "you did a great",
    "you've really",
    "credit",
    "valuable",
];
/// How a programme or rule works.
const EN_INFORM: &[&str] = &[
    "programme",
    " program",
    " policy",
    "the way it works",
    "the process is",
    " scheme",
    "for your information",
    " fyi",
    "you can apply",
    "the company offers",
    "there's training",
    "there's a course",
    "works like this",
];
/// Pulling things together.
const EN_SUMMARIZE: &[&str] = &[
    "to sum up",
    "so far",
    "let me see if",
    "in summary",
    "on one hand",
    "putting it together",
    "if i've got this",
    "you've mentioned",
    "you mentioned",
    "let me sum",
    "summari",
    "if i put",
    "pulling together",
];
/// Naming or sharing the feeling.
const EN_EMPATHIZE: &[&str] = &[
    "that must be",
    "must have been",
    "that sounds hard",
    "sounds hard",
    "sounds tough",
    "sounds rough",
    "i can imagine",
    "i can see why",
    "i understand",
    "no wonder",
    "must be hard",
    "must feel",
    "that's hard",
    "that's tough",
    "how frustrating",
    "i'd feel",
    "hard to swallow",
    "that's rough",
    "that hurts",
    "understandable",
    "makes sense that",
    "that's a lot",
];
/// The meaning or feeling behind the words.
const EN_COMPLEX: &[&str] = &[
    "sounds like",
    "it seems",
    "seems like",
    "what you're saying",
    "you're saying",
    " you feel",
    "you're feeling",
    "you're worried",
    "part of you",
    "more than",
    "really about",
    "underneath",
    " so you ",
    "you wonder",
    "you're afraid",
    " for you ",
    "what matters",
    "what bothers",
    "you're not sure",
    "you've been",
    "it's not just",
    "it's not the",
    "not so much",
    "rather than",
    "almost as if",
    "as if",
];

/// Listening and partnership moves, read after the question form.
const EN_LISTENING: &[Rule] = &[
    strong(Act::Affirm, Cue::Any(EN_AFFIRM)),
    weak(Act::Inform, Cue::Any(EN_INFORM)),
    weak(Act::Summarize, Cue::Any(EN_SUMMARIZE)),
    weak(Act::Empathize, Cue::Any(EN_EMPATHIZE)),
    weak(Act::ComplexReflection, Cue::Any(EN_COMPLEX)),
    weak(
        Act::SimpleReflection,
        Cue::Either(&[
            Cue::Any(&[" you ", " you're ", " your "]),
            Cue::Opens(&["so"]),
        ]),
    ),
];

/// Words after a contrastive "but" that can carry the act on their own.
const EN_MIN_AFTER_BUT: usize = 3;

fn classify_en(raw: &str, folded: &str) -> Guess {
    // "Everything's fine, sure. But your 'fine' sounds flat": what follows
    // the contrast carries the act.
    let lower = raw.to_lowercase();
    if let Some(at) = lower.rfind("but ")
        && (at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric())
        && let Some(rest) = lower.get(at + "but ".len()..)
        && rest.split_whitespace().count() >= EN_MIN_AFTER_BUT
    {
        return classify_en_clause(rest, &fold(rest));
    }
    classify_en_clause(raw, folded)
}

fn classify_en_clause(raw: &str, folded: &str) -> Guess {
    let lower = raw.to_lowercase();
    // Words separated by single spaces, padded so " word " matches whole words.
    let words: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || c == '?')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let reply = Reply {
        typed: &lower,
        text: format!(" {} ", words.join(" ")),
        marked: String::new(),
        alt: String::new(),
        asks: raw.trim_end().ends_with(['?', '？']),
        qword: false,
        words,
    };
    if let Some(guess) = reply.first(EN_DIRECTING) {
        return guess;
    }
    let t = reply.text.as_str();
    let leading = any(t, EN_LEADING);
    let open_start = reply.holds(&Cue::Opens(EN_OPENERS));
    let aux_start = reply
        .words
        .first()
        .is_some_and(|w| EN_AUX.contains(&w.as_str()));
    // "So you ...?", "..., right?": a reflection said with a rising tone.
    let rising_reflection = reply.asks
        && !open_start
        && !aux_start
        && !leading
        && (reply.holds(&Cue::Opens(&["so you", "so you're", "so your", "so it's"]))
            || t.ends_with(" right ")
            || t.ends_with(" huh "));
    if (reply.asks || open_start || aux_start || leading) && !rising_reflection {
        let opening = EN_FACT_WORDS
            .iter()
            .fold(t.to_string(), |acc, w| acc.replace(w, " · "));
        let opens = any(
            &opening,
            &[" what ", " how ", " why ", " what's ", " how's "],
        ) || reply.holds(&Cue::Opens(EN_REQUESTS));
        // "When were you most glad...": asked for the most, a "when" asks
        // the member to weigh their experience.
        let superlative = any(t, &[" most ", " best ", " happiest ", " proudest "]);
        // A question word after a preamble ("In five years, who...").
        let wh = open_start
            || any(
                t,
                &[
                    " what ", " how ", " when ", " who ", " which ", " where ", " why ",
                ],
            );
        let open = !leading && (opens || superlative && wh) && (open_start || !aux_start);
        let mut guess = en_question(t, open, leading);
        // "Who do you want to be?": a "who" that asks the member to weigh
        // who they are is open.
        if let Act::Question(q) = &mut guess.act
            && wh
            && !aux_start
            && !leading
            && matches!(q.frame, Frame::Being | Frame::Values)
        {
            q.open = true;
        }
        guess.asks_outright = open_start || aux_start;
        return guess;
    }
    reply
        .first(EN_LISTENING)
        .unwrap_or_else(|| Guess::new(Act::SimpleReflection, Strength::None))
}

/// The question is about the member.
const EN_PERSON: &[&str] = &[
    "feel",
    "yourself",
    "you want",
    "matter",
    "enjoy",
    "worr",
    "future",
    "career",
    "person",
    "proud",
    "afraid",
    "important to you",
    "value",
    "want to be",
    "kind of",
    "like to be",
    "fulfil",
    "meaning",
    "admire",
    "happy",
    "upset",
    "anxious",
    "scared",
];
/// The question is about the work.
const EN_WORK: &[&str] = &[
    "process",
    " step",
    " task",
    " tool",
    "workflow",
    " project",
    "deadline",
    "output",
    " count",
    "throughput",
    "quality check",
    "workload",
    "which part",
    " ai ",
    " target",
    " draft",
    "specifically",
    " schedule",
    " client",
    " report",
    " shop",
    "bottleneck",
    " company",
    " meeting",
    " sprint",
    " salary",
    " update",
    " app ",
    "paperwork",
    " grade",
    " juniors",
    " equipment",
];
/// "What kind of work do you want to do?" asks what to do, not who to be.
const EN_DOING: &[&str] = &[
    "want to do",
    "like to do",
    "be doing",
    "get done",
    "kind of work",
];
/// A question's frame by its markers, the first that holds (Being is
/// skipped for [`EN_DOING`]).
const EN_FRAMES: &[(Frame, &[&str])] = &[
    (
        Frame::Being,
        &[
            "kind of person",
            "who do you want to be",
            "want to be",
            "be known",
            "like to be",
            "hope to be",
            "want to be seen",
            "sort of person",
            "kind of professional",
            "kind of translator",
            "kind of engineer",
            "kind of manager",
            "kind of leader",
            "who you want",
            "remembered",
        ],
    ),
    (
        Frame::Change,
        &[
            "changed",
            " change",
            "compared",
            "months ago",
            "years ago",
            "then and now",
            "different from",
            "used to",
            " since ",
            "before the",
            "different now",
            "shifted",
            "back then",
        ],
    ),
    (
        Frame::Values,
        &[
            "matter",
            "important",
            "fulfil",
            "meaningful",
            "admire",
            "enjoy",
            "proud",
            "when did you feel",
            "most fun",
            " value",
            "rewarding",
            "satisf",
            " love ",
            "glad",
            "look up to",
            "care about",
            "worth it",
        ],
    ),
    (
        Frame::Doing,
        &[
            "want to do",
            "like to do",
            "going to do",
            "will you do",
            " plan",
            "next step",
            "would you do",
            "want to try",
            "do next",
            "your move",
            "like to try",
            "want to work on",
            "be doing",
            "get done",
            "kind of work",
            " want",
            " wanna",
            "would you like",
            "leaning",
            "should do",
            "could do",
        ],
    ),
    (
        Frame::Feeling,
        &[
            "feel",
            "how are you",
            "worr",
            "anxious",
            "upset",
            "for you",
            "think about",
            "how was that",
            "what's it like",
            "bother",
            "scared",
            "afraid",
            "scare",
            "gut",
        ],
    ),
];

fn en_question(t: &str, open: bool, leading: bool) -> Guess {
    let focus = if any(t, EN_WORK) && !any(t, EN_PERSON) {
        Focus::Work
    } else {
        Focus::Person
    };
    let doing = any(t, EN_DOING);
    let frame = EN_FRAMES
        .iter()
        .filter(|(f, _)| !(doing && *f == Frame::Being))
        .find(|(_, markers)| any(t, markers))
        .map(|(f, _)| *f);
    Guess {
        act: question(open, focus, frame.unwrap_or(Frame::Fact), leading, false),
        strength: Strength::Strong,
        frame_marked: frame.is_some(),
        asks_outright: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::act::MoveClass;

    fn class(text: &str) -> MoveClass {
        classify(text).act.class()
    }

    #[test]
    fn a_change_of_subject_is_read_by_what_follows_it() {
        // News is information, a question asks one fact, a question about
        // how a task stands steers to the work, a request instructs.
        assert_eq!(
            class("そういえば来週から研修の場所かわるらしいよ"),
            MoveClass::Inform
        );
        assert_eq!(
            class("ところで、お昼もう食べた?"),
            MoveClass::ClosedQuestion
        );
        assert_eq!(
            class("そういえば例の案件、その後どう?"),
            MoveClass::RedirectToWork
        );
        assert_eq!(class("btw the offsite moved to March"), MoveClass::Inform);
        assert_eq!(
            class("by the way, did you book the room?"),
            MoveClass::ClosedQuestion
        );
        assert_eq!(
            class("oh also, can you send the slides by Monday?"),
            MoveClass::Instruct
        );
        assert_eq!(
            class("btw how's the Tanaka account going?"),
            MoveClass::RedirectToWork
        );
        assert_eq!(
            class("ちなみに私も昔おなじことで悩んだよ"),
            MoveClass::SelfDisclose
        );
    }

    #[test]
    fn which_part_asks_open() {
        assert_eq!(
            class("前と比べて、どこが変わったと思う?"),
            MoveClass::ChangeQuestion
        );
        assert_eq!(class("どこの会社?"), MoveClass::ClosedQuestion);
    }

    #[test]
    fn a_shared_feeling_is_not_a_question() {
        // 「焦るよね」 names the feeling; 「焦ってるの?」 asks about it.
        assert_eq!(class("焦るよね"), MoveClass::Empathize);
        assert_eq!(class("焦ってるの?"), MoveClass::ClosedQuestion);
        assert_eq!(class("焦ってるの？"), MoveClass::ClosedQuestion);
    }

    #[test]
    fn being_is_not_doing() {
        assert_eq!(class("どうしたい?"), MoveClass::DoingQuestion);
        assert_eq!(class("どんな自分でいたい?"), MoveClass::BeingQuestion);
        assert_eq!(class("What do you want to do?"), MoveClass::DoingQuestion);
        assert_eq!(
            class("What kind of person do you want to be?"),
            MoveClass::BeingQuestion
        );
    }

    #[test]
    fn advice_as_a_question_is_advice() {
        assert_eq!(class("資格とか取ってみたら?"), MoveClass::Advise);
        assert_eq!(class("勉強会に出てみたらどうですか"), MoveClass::Advise);
        assert_eq!(class("Have you tried the study group?"), MoveClass::Advise);
    }

    #[test]
    fn japanese_forms_read_in_the_second_round() {
        // An apology, then going on: a repair, even with a question after it.
        assert_eq!(
            class("ごめん、押しすぎたね。何が引っかかってるか聞きたいな"),
            MoveClass::Repair
        );
        // A feeling named back in a few words.
        assert_eq!(class("くやしかったんだね"), MoveClass::Empathize);
        // Mused on, not asked.
        assert_eq!(class("誰のため、かぁ"), MoveClass::SimpleReflection);
        assert_eq!(
            class("会社が決めたこと、ですか"),
            MoveClass::SimpleReflection
        );
        assert_ne!(
            class("会社が決めたことですか?"),
            MoveClass::SimpleReflection
        );
        // The manager's own plan, and a denied worry.
        assert_eq!(class("人事には私から聞いときます"), MoveClass::Inform);
        assert_eq!(class("年下とか関係ないですよ"), MoveClass::Reassure);
        // A counter asks for one fact.
        assert_eq!(class("何軒くらいまわったの?"), MoveClass::ClosedQuestion);
    }

    #[test]
    fn sentence_final_forms_carry_the_act() {
        assert_eq!(class("本当は不安なんですね"), MoveClass::ComplexReflection);
        assert_eq!(
            class("自分の腕が要らなくなるのが怖いのかな"),
            MoveClass::ComplexReflection
        );
        assert_eq!(class("大丈夫だよ、気にしすぎだって"), MoveClass::Reassure);
        assert_eq!(class("大丈夫ですか?"), MoveClass::ClosedQuestion);
        assert_eq!(
            class("ごめん、先走ったね。続きを聞かせて"),
            MoveClass::Repair
        );
        assert_eq!(
            class("私が若い頃はもっと大変だったよ"),
            MoveClass::SelfDisclose
        );
        assert_eq!(
            class("それより案件の進捗はどう?"),
            MoveClass::RedirectToWork
        );
        assert_eq!(class("そうなんですね"), MoveClass::Acknowledge);
        assert_eq!(class("(…黙って待つ)"), MoveClass::Silence);
        assert_eq!(class("何かある?"), MoveClass::ClosedQuestion);
        assert_eq!(
            class("どんなときにやりがいを感じた?"),
            MoveClass::ValuesQuestion
        );
        assert_eq!(
            class("数カ月前と今で何が変わった?"),
            MoveClass::ChangeQuestion
        );
        assert_eq!(class("なんでできなかったの?"), MoveClass::SteeringQuestion);
    }

    #[test]
    fn fact_words_ask_closed_unless_weighing() {
        assert_eq!(class("返事っていつまで?"), MoveClass::ClosedQuestion);
        assert_eq!(
            class("Which of your peers are you closest to?"),
            MoveClass::ClosedQuestion
        );
        assert_eq!(
            class("When were you most glad to be doing this work?"),
            MoveClass::ValuesQuestion
        );
        // 「言いつつ」 holds no question word.
        assert_eq!(
            class("特にないって言いつつ、どこかで引っかかってる感じかな"),
            MoveClass::ComplexReflection
        );
    }

    #[test]
    fn framing_decides_between_acts() {
        assert_eq!(
            class("だいじょうぶだよ、心配いらないって"),
            MoveClass::Reassure
        );
        assert_eq!(class("謝らなくていいよ"), MoveClass::Reassure);
        assert_eq!(
            class("じゃあ当面はサポートに回ってもらうね"),
            MoveClass::Instruct
        );
        assert_eq!(class("(だまってうなずく)"), MoveClass::Silence);
        assert_eq!(class("(nod and wait)"), MoveClass::Silence);
        assert_eq!(
            class("One idea, only if you want: write it up. Entirely up to you."),
            MoveClass::Advise
        );
        assert_eq!(
            class("Let me put it together: you started, and you kept going."),
            MoveClass::Summarize
        );
        assert_eq!(
            class("Everything's fine, sure. But it sounds like something is missing."),
            MoveClass::ComplexReflection
        );
        assert_eq!(
            class("What kind of work do you want to do?"),
            MoveClass::DoingQuestion
        );
        assert_eq!(
            class("3年後、どんな仕事をしていたい?"),
            MoveClass::DoingQuestion
        );
        assert_eq!(
            class("慣れてきたって、どういうところで感じる?"),
            MoveClass::FeelingQuestion
        );
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            class("It sounds like you're worried it'll replace you."),
            MoveClass::ComplexReflection
        );
        assert_eq!(class("Don't worry, you'll be fine."), MoveClass::Reassure);
        assert_eq!(
            class("Sorry, I jumped in. Please go on."),
            MoveClass::Repair
        );
        assert_eq!(class("Can I share an idea?"), MoveClass::AskPermission);
        assert_eq!(class("That must be frustrating."), MoveClass::Empathize);
        assert_eq!(class("Are you anxious?"), MoveClass::ClosedQuestion);
        assert_eq!(class("It's your call."), MoveClass::EmphasizeAutonomy);
    }

    #[test]
    fn grammar_over_phrasing() {
        // 〜ってこと? checks an understanding; 〜の? asks.
        assert_eq!(
            class("つまり評価されてないって感じてるってこと?"),
            MoveClass::ComplexReflection
        );
        assert_eq!(class("評価が気になってるの?"), MoveClass::ClosedQuestion);
        // A question word asks without a question mark, unless embedded.
        assert_eq!(class("半年前と比べてどう"), MoveClass::ChangeQuestion);
        assert_eq!(class("次に何をやってみたい"), MoveClass::DoingQuestion);
        assert_eq!(
            class("何をしたいのか分からないんだね"),
            MoveClass::ComplexReflection
        );
        assert_eq!(
            class("件数の目標っていくつでしたっけ"),
            MoveClass::ClosedQuestion
        );
        // Kana for kanji, dropped particles.
        assert_eq!(class("がんばってきたんだね"), MoveClass::Affirm);
        assert_eq!(class("ごめんね話の腰折っちゃって"), MoveClass::Repair);
        assert_eq!(
            class("すいません、軽いこと言っちゃいました。つづき聞かせてください"),
            MoveClass::Repair
        );
        // Advice left hanging or proposed; hearsay informs.
        assert_eq!(class("上司に相談すれば"), MoveClass::Advise);
        assert_eq!(class("打ち合わせ、朝にずらそうか?"), MoveClass::Advise);
        assert_eq!(
            class("まずは上司に相談してみるのがいいんじゃないかな"),
            MoveClass::Advise
        );
        assert_eq!(class("人事が来月から始めるらしいよ"), MoveClass::Inform);
        assert_eq!(class("プロなんだからしっかりしないと"), MoveClass::Judge);
        // 「方針なんで」 is "because"; 「教えてるし」 asks nothing.
        assert_eq!(
            class("まあ会社の方針なんで、まずはなれていきましょ"),
            MoveClass::Instruct
        );
        assert_eq!(
            class("後輩にも教えてるし、ほんと成長したよね"),
            MoveClass::Affirm
        );
        // The question's own sentence sets its frame, not the preamble.
        assert_eq!(
            class("前は人でいたいって話してたよね。この3ヶ月で何が変わった?"),
            MoveClass::ChangeQuestion
        );
        // English: a wh-question with "should" asks; "maybe...?" suggests.
        assert_eq!(
            class("What do you think you should do?"),
            MoveClass::DoingQuestion
        );
        assert_eq!(class("Maybe give it more time?"), MoveClass::Advise);
        assert_eq!(
            class("In five years, who do you want to be?"),
            MoveClass::BeingQuestion
        );
        assert_eq!(
            class("So you feel left behind, and it's more than the tool?"),
            MoveClass::ComplexReflection
        );
    }
}
