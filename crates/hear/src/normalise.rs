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
            let chars = compact(&folded);
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
