//! Text normalisation and n-grams: full/half width folded (NFKC), katakana
//! folded to hiragana, case folded, punctuation dropped.

use unicode_normalization::UnicodeNormalization;

/// Which script a text is mostly in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Kana or kanji present.
    Japanese,
    /// Latin letters only.
    Latin,
}

/// Whether `c` is kana, kanji or a Japanese prolonged-sound mark.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}') // half-width katakana
}

/// Whether `c` is a kanji.
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// The script of a text: Japanese as soon as it holds any kana or kanji.
pub fn script(text: &str) -> Script {
    if text.chars().any(is_japanese) {
        Script::Japanese
    } else {
        Script::Latin
    }
}

/// NFKC, katakana to hiragana, lower case; question marks kept as `?`,
/// other punctuation becomes a space.
pub fn fold(text: &str) -> String {
    text.nfkc()
        .map(|c| match c {
            // Katakana (not the prolonged-sound mark) to hiragana.
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c == '?' || c.is_alphanumeric() || is_japanese(c) || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// Words commonly typed in kana (folded: hiragana) with the kanji
/// spelling that authored lines use, so that 「きもちがわかる」 meets
/// 「気持ちが分かる」. Only whole words or stems long enough not to occur
/// inside unrelated words; a longer entry comes before any entry it
/// contains.
const KANA_WORDS: &[(&str, &str)] = &[
    ("がんば", "頑張"),
    ("わかる", "分かる"),
    ("わかっ", "分かっ"),
    ("わから", "分から"),
    ("わかり", "分かり"),
    ("きもち", "気持ち"),
    ("しごと", "仕事"),
    ("ふあん", "不安"),
    ("しんぱい", "心配"),
    ("たいへん", "大変"),
    ("だいじょうぶ", "大丈夫"),
    ("かんじ", "感じ"),
    ("おもっ", "思っ"),
    ("おもう", "思う"),
    ("おもわ", "思わ"),
    ("じぶん", "自分"),
    ("しょうらい", "将来"),
    ("いっしょ", "一緒"),
    ("たのし", "楽し"),
    ("うれし", "嬉し"),
    ("こわい", "怖い"),
    ("こわく", "怖く"),
    ("くやし", "悔し"),
    ("あせっ", "焦っ"),
    ("あせる", "焦る"),
    ("あせり", "焦り"),
    ("なやん", "悩ん"),
    ("なやみ", "悩み"),
    ("なやま", "悩ま"),
    ("まよっ", "迷っ"),
    ("まよい", "迷い"),
    ("こまっ", "困っ"),
    ("ひょうか", "評価"),
    ("せいちょう", "成長"),
    ("かわっ", "変わっ"),
    ("かわる", "変わる"),
    ("へんか", "変化"),
    ("だいじ", "大事"),
    ("たいせつ", "大切"),
    ("むり", "無理"),
    ("しっぱい", "失敗"),
    ("じょうし", "上司"),
    ("かいしゃ", "会社"),
    ("てんしょく", "転職"),
    ("はなして", "話して"),
    ("はなした", "話した"),
    ("はなしを", "話を"),
    ("はなしが", "話が"),
    ("はなしは", "話は"),
    ("はなせ", "話せ"),
    ("はなす", "話す"),
    ("きかせ", "聞かせ"),
    ("きこえ", "聞こえ"),
    ("つづき", "続き"),
    ("つづけ", "続け"),
    ("きめて", "決めて"),
    ("きめる", "決める"),
    ("きめた", "決めた"),
    ("くらべ", "比べ"),
    ("ちがっ", "違っ"),
    ("ちがう", "違う"),
    ("きいて", "聞いて"),
    ("きいた", "聞いた"),
    ("おしえ", "教え"),
    ("ほんとう", "本当"),
    ("ほんとに", "本当に"),
    ("ほんとは", "本当は"),
    ("しんちょく", "進捗"),
    ("もくひょう", "目標"),
    ("さいきん", "最近"),
    ("かげつまえ", "か月前"),
    ("ねんまえ", "年前"),
    ("月まえ", "月前"),
    ("年まえ", "年前"),
    ("いぜん", "以前"),
    ("いまの", "今の"),
    ("いまは", "今は"),
    ("いまと", "今と"),
    ("りそう", "理想"),
    ("かんしゃ", "感謝"),
    ("たすか", "助か"),
    ("たよりに", "頼りに"),
    ("やくわり", "役割"),
    ("けいけん", "経験"),
    ("ちから", "力"),
    ("きたい", "期待"),
    ("じしん", "自信"),
];

/// A folded Japanese text in the spelling authored lines use: small
/// vowels typed for emphasis after kana dropped (「すごぉい」 is
/// 「すごい」), the month counters 「ヶ月」「カ月」「ケ月」 as 「か月」, and
/// common words typed in kana in their kanji spelling ([`KANA_WORDS`]).
pub fn kanji_forms(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let emphasis = matches!(c, 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ')
            && out.chars().last().is_some_and(|p| matches!(p, 'あ'..='ん'));
        if !emphasis {
            out.push(c);
        }
    }
    for month in ["ゖ月", "ヶ月", "け月", "ゕ月", "ヵ月"] {
        out = out.replace(month, "か月");
    }
    KANA_WORDS
        .iter()
        .fold(out, |acc, (kana, kanji)| acc.replace(kana, kanji))
}

/// A folded text with all spaces and question marks removed (for Japanese
/// n-grams: Japanese has no word spaces).
pub fn compact(folded: &str) -> Vec<char> {
    folded
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '?' && *c != '\'')
        .collect()
}

/// Crude English stemming: enough that "worried" meets "worry" and
/// "feelings" meets "feeling".
pub fn stem(word: &str) -> String {
    let once = stem_once(word.trim_matches('\''));
    stem_once(&once)
}

fn stem_once(w: &str) -> String {
    for suffix in ["ing", "ied", "ies", "ed", "es", "ly", "s"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.chars().count() >= 3
        {
            return match suffix {
                "ied" | "ies" => format!("{base}y"),
                _ => base.to_string(),
            };
        }
    }
    w.to_string()
}

/// English words of a folded text (apostrophes kept inside words).
pub fn words(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| c.is_whitespace() || c == '?')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The weighted n-grams of a text, keyed by a string with a kind prefix so
/// that word and character grams never collide.
pub fn grams(text: &str) -> Vec<(String, f32)> {
    let folded = fold(text);
    let mut out = Vec::new();
    match script(&folded) {
        Script::Japanese => {
            let chars = compact(&kanji_forms(&folded));
            for c in &chars {
                if is_kanji(*c) {
                    out.push((format!("1{c}"), 0.5));
                }
            }
            for w in chars.windows(2) {
                out.push((format!("2{}{}", w[0], w[1]), 1.0));
            }
            for w in chars.windows(3) {
                out.push((format!("3{}{}{}", w[0], w[1], w[2]), 1.0));
            }
            // Latin words inside Japanese text (KPI, AI).
            for w in words(&folded) {
                if !w.chars().any(is_japanese) && w.chars().count() >= 2 {
                    out.push((format!("w{w}"), 1.0));
                }
            }
        }
        Script::Latin => {
            let ws: Vec<String> = words(&folded).iter().map(|w| stem(w)).collect();
            for w in &ws {
                out.push((format!("w{w}"), 1.0));
                // Character trigrams inside a word catch typos.
                let padded: Vec<char> = format!("<{w}>").chars().collect();
                for t in padded.windows(3) {
                    out.push((format!("c{}{}{}", t[0], t[1], t[2]), 0.3));
                }
            }
            for pair in ws.windows(2) {
                out.push((format!("b{} {}", pair[0], pair[1]), 1.0));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_kana() {
        assert_eq!(fold("ＫＰＩ？"), "kpi?");
        assert_eq!(fold("モヤモヤ"), "もやもや");
        assert_eq!(fold("ﾓﾔﾓﾔ"), "もやもや");
    }

    #[test]
    fn kana_words_meet_their_kanji() {
        assert_eq!(kanji_forms(&fold("きもちがわかる")), "気持ちが分かる");
        assert_eq!(kanji_forms(&fold("3ヶ月まえと")), "3か月前と");
        assert_eq!(kanji_forms(&fold("すごぉい")), "すごい");
        // Katakana words keep their letters.
        assert_eq!(kanji_forms(&fold("ツール")), "つーる");
    }

    #[test]
    fn detects_script() {
        assert_eq!(script("焦るよね"), Script::Japanese);
        assert_eq!(script("that sounds hard"), Script::Latin);
    }

    #[test]
    fn stems_a_little() {
        assert_eq!(stem("worried"), "worry");
        assert_eq!(stem("feelings"), stem("feeling"));
        assert_eq!(stem("is"), "is");
    }
}
