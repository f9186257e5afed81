//! The player's settings (language, text size, preview mode) and where they
//! are saved; no Bevy here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use kiku_board::files::{self as store, Read};
use kiku_core::Mode;
use kiku_core::text::Lang;

/// The smallest and largest text scale offered.
pub const TEXT_SCALES: [f32; 4] = [0.9, 1.0, 1.2, 1.45];

/// The settings a player can change.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Interface and scenario language.
    pub lang: Lang,
    /// Text size multiplier (one of [`TEXT_SCALES`]).
    pub text_scale: f32,
    /// Facilitator preview: show acts and the member's hidden state.
    pub preview: bool,
    /// Characters per second of the member's lines (0 shows them at once).
    pub reading_speed: u32,
    /// How the trainee replies: choose from the menu, or say it in their
    /// own words (recall mode). Chosen on the briefing, kept for next time.
    pub mode: Mode,
}

/// The default reading speed, in characters per second.
pub const READING_SPEED: u32 = 30;

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            lang: system_lang(),
            text_scale: 1.0,
            preview: false,
            reading_speed: READING_SPEED,
            mode: Mode::Choose,
        }
    }
}

/// The system locale's language if it is Japanese or English, else Japanese.
pub fn system_lang() -> Lang {
    sys_locale::get_locale()
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_default()
}

impl Prefs {
    /// Clamps values a hand-edited file may have put out of range.
    pub fn sanitised(mut self) -> Prefs {
        if !self.text_scale.is_finite() {
            self.text_scale = 1.0;
        }
        self.text_scale = self.text_scale.clamp(TEXT_SCALES[0], TEXT_SCALES[3]);
        self.reading_speed = self.reading_speed.min(400);
        self
    }
}

/// The settings file in `dir`.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join("settings.json")
}

/// Loads settings from `dir` (defaults if missing); a corrupt file is moved
/// aside and the message returned.
pub fn load(dir: Option<&Path>) -> (Prefs, Option<kiku_core::text::Text>) {
    let Some(dir) = dir else {
        return (Prefs::default(), None);
    };
    match store::read_json::<Prefs>(&path_in(dir)) {
        Read::Ok(p) => (p.sanitised(), None),
        Read::Missing => (Prefs::default(), None),
        Read::Corrupt { message, .. } => (Prefs::default(), Some(message)),
    }
}

/// Saves settings into `dir`.
pub fn save(dir: &Path, prefs: &Prefs) -> std::io::Result<()> {
    store::write_json(&path_in(dir), prefs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persists_and_survives_garbage() {
        let dir = std::env::temp_dir().join(format!("kiku-prefs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let prefs = Prefs {
            lang: Lang::En,
            text_scale: 1.2,
            preview: true,
            reading_speed: 0,
            mode: Mode::Recall,
        };
        save(&dir, &prefs).unwrap();
        assert_eq!(load(Some(&dir)), (prefs, None));
        std::fs::write(path_in(&dir), "[1, 2").unwrap();
        let (fresh, message) = load(Some(&dir));
        assert_eq!(fresh, Prefs::default());
        assert!(message.unwrap().en.contains("settings.json"));
        std::fs::write(path_in(&dir), r#"{"text_scale": 99.0}"#).unwrap();
        assert_eq!(load(Some(&dir)).0.text_scale, TEXT_SCALES[3]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
