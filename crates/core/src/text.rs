//! Bilingual text: every string a trainee reads exists in Japanese and English.

use serde::{Deserialize, Serialize};

/// The language the interface and the scenario text are shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 日本語 (the default: Kiku is Japanese first).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Japanese first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The short code used on the command line and in file names (`ja`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Picks the string for this language from a Japanese/English pair
    /// (for fixed interface text; scenario text is a [`Text`]).
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// Parses `ja`/`en` (also `ja-JP`, `en_US.UTF-8` and the like).
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        if lower.starts_with("ja") {
            Some(Lang::Ja)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A piece of text in both languages. A missing translation falls back to the
/// other language (the checker warns about it); it never fails at run time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// Japanese.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ja: String,
    /// English.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Text {
    /// Text with both translations.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, or in the other language when that one is missing.
    pub fn get(&self, lang: Lang) -> &str {
        let (wanted, other) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        if wanted.trim().is_empty() {
            other
        } else {
            wanted
        }
    }

    /// The languages this text has no translation for.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|lang| match lang {
                Lang::Ja => self.ja.trim().is_empty(),
                Lang::En => self.en.trim().is_empty(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_other_language() {
        let only_ja = Text::new("聴く", "");
        assert_eq!(only_ja.get(Lang::En), "聴く");
        assert_eq!(only_ja.missing(), vec![Lang::En]);
        assert!(Text::new("a", "b").missing().is_empty());
    }

    #[test]
    fn parses_locale_codes() {
        assert_eq!(Lang::from_code("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
