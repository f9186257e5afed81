//! Saying the member's own words back. MITI's simple reflection repeats or
//! lightly rephrases what the person said and adds little; a complex one
//! adds meaning or feeling. A short reflection built from the member's own
//! words (「怖いんだね」 after 「怖いんです」) is simple whatever its
//! ending, so it is not heard as an authored complex reflection.

use crate::normalise::{Script, compact, fold, kanji_forms, script, stem, words};

/// At most this many characters (Japanese) of the reply's own content,
/// once the nod and the reflection ending are taken off.
const MAX_JA_CONTENT: usize = 22;

/// At most this many content words (English).
const MAX_EN_CONTENT: usize = 7;

/// The share of the reply's content found in the member's words for it to
/// count as an echo.
const ECHO_SHARE: f32 = 0.6;

/// Nods a reflection may open with (folded: katakana as hiragana).
const JA_NODS: &[&str] = &[
    "そっか",
    "そうか",
    "うん",
    "なるほど",
    "へえ",
    "へー",
    "あ、",
];

/// Reflection endings, longest first.
const JA_ENDINGS: &[&str] = &[
    "なんですね",
    "なんだね",
    "んですね",
    "んだね",
    "なんだ",
    "のですね",
    "ですね",
    "ですか",
    "だね",
    "んだ",
    "って",
    "ね",
    "か",
];

/// Words that carry no content of their own in an English reflection.
const EN_FILLERS: &[&str] = &[
    "so", "you", "you're", "your", "i", "the", "a", "an", "it", "it's", "that", "that's", "is",
    "are", "was", "just", "really", "huh", "oh", "ok", "okay", "right", "yeah", "and", "to", "of",
    "then", "hm", "hmm", "mm", "well", "there", "all", "be", "sound", "like", "feel",
];

/// Whether `typed` is a short reply made of `member`'s own words.
pub fn is_echo(typed: &str, member: &str) -> bool {
    let (typed, member) = (fold(typed), fold(member));
    match script(&typed) {
        Script::Japanese => ja_echo(&kanji_forms(&typed), &kanji_forms(&member)),
        Script::Latin => en_echo(&typed, &member),
    }
}

fn ja_echo(typed: &str, member: &str) -> bool {
    let mut t: String = compact(typed).into_iter().collect();
    for nod in JA_NODS {
        if let Some(rest) = t.strip_prefix(nod) {
            t = rest.to_string();
        }
    }
    for ending in JA_ENDINGS {
        if let Some(rest) = t.strip_suffix(ending) {
            t = rest.to_string();
            break;
        }
    }
    let chars: Vec<char> = t.chars().collect();
    if chars.len() < 2 || chars.len() > MAX_JA_CONTENT {
        return false;
    }
    let member: String = compact(member).into_iter().collect();
    let pairs: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    let found = pairs.iter().filter(|p| member.contains(p.as_str())).count();
    found as f32 >= ECHO_SHARE * pairs.len() as f32
}

fn en_echo(typed: &str, member: &str) -> bool {
    let content: Vec<String> = words(typed)
        .into_iter()
        .filter(|w| !EN_FILLERS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect();
    if content.is_empty() || content.len() > MAX_EN_CONTENT {
        return false;
    }
    let member: Vec<String> = words(member).iter().map(|w| stem(w)).collect();
    let found = content.iter().filter(|w| member.contains(w)).count();
    found as f32 >= ECHO_SHARE * content.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_members_words_said_back_are_an_echo() {
        assert!(is_echo("怖いんだね", "正直、怖いんです。"));
        assert!(is_echo("You're scared.", "Honestly, I'm scared."));
    }

    #[test]
    fn new_meaning_is_not_an_echo() {
        assert!(!is_echo(
            "自分の腕が要らなくなるのが怖いのかな",
            "正直、怖いんです。"
        ));
        assert!(!is_echo(
            "Part of you wonders whether your craft still matters.",
            "Honestly, I'm scared."
        ));
    }
}
