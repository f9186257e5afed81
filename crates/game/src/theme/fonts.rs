//! The Japanese font (BIZ UDPGothic, SIL OFL; see assets/fonts/), embedded in
//! the binary so the game never depends on the working directory, and the
//! text sizes that follow the player's setting.

use std::sync::Arc;

use bevy_egui::egui;

/// The font file, embedded.
pub const BIZ_UDP_GOTHIC: &[u8] =
    include_bytes!("../../../../assets/fonts/BIZUDPGothic-Regular.ttf");

const FONT_NAME: &str = "BIZ UDPGothic";

/// Installs the Japanese font first in every family (egui's own fonts stay as
/// fallbacks for symbols).
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        FONT_NAME.to_owned(),
        Arc::new(egui::FontData::from_static(BIZ_UDP_GOTHIC)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, FONT_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Whether the bundled font has a glyph for `c` (read from its `cmap`
/// table, formats 4 and 12). Characters it lacks show as a box.
pub fn covers(c: char) -> bool {
    cmap_covers(BIZ_UDP_GOTHIC, u32::from(c)).unwrap_or(false)
}

fn cmap_covers(font: &[u8], cp: u32) -> Option<bool> {
    let u16_at = |o: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes(
            font.get(o..o + 2)?.try_into().ok()?,
        )))
    };
    let u32_at = |o: usize| -> Option<u32> {
        Some(u32::from_be_bytes(font.get(o..o + 4)?.try_into().ok()?))
    };
    let tables = u16_at(4)? as usize;
    let cmap = (0..tables).find_map(|i| {
        let at = 12 + 16 * i;
        (font.get(at..at + 4)? == b"cmap")
            .then(|| u32_at(at + 8))
            .flatten()
    })? as usize;
    let subtables = u16_at(cmap + 2)? as usize;
    let mut found = None;
    for i in 0..subtables {
        let sub = cmap + u32_at(cmap + 4 + 8 * i + 4)? as usize;
        match u16_at(sub)? {
            12 => {
                let groups = u32_at(sub + 12)? as usize;
                for g in 0..groups {
                    let at = sub + 16 + 12 * g;
                    if (u32_at(at)?..=u32_at(at + 4)?).contains(&cp) {
                        return Some(true);
                    }
                }
                found = Some(false);
            }
            4 if cp <= 0xFFFF && found.is_none() => {
                let segs = u16_at(sub + 6)? as usize / 2;
                for s in 0..segs {
                    let end = u16_at(sub + 14 + 2 * s)?;
                    let start = u16_at(sub + 16 + 2 * segs + 2 * s)?;
                    if (start..=end).contains(&cp) {
                        found = Some(true);
                        break;
                    }
                }
                found.get_or_insert(false);
            }
            _ => {}
        }
    }
    found
}

/// Base text sizes in points at scale 1.0.
const BODY: f32 = 18.0;
const HEADING: f32 = 27.0;
const BUTTON: f32 = 18.0;
const SMALL: f32 = 14.0;
const MONO: f32 = 15.0;
/// Check box and radio button sizes at scale 1.0 (egui's 14, 8 and 4 were
/// made for 12-point text).
const ICON: f32 = 18.0;
const ICON_INNER: f32 = 10.0;
const ICON_SPACING: f32 = 6.0;

/// Sets the text sizes for `scale` and Kiku's calm, light look.
pub fn apply_style(ctx: &egui::Context, scale: f32) {
    use egui::{FontFamily, FontId, TextStyle};
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(HEADING * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(BODY * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(BUTTON * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(SMALL * scale, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(MONO * scale, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
        // Check boxes and radio buttons grow with the text beside them.
        style.spacing.icon_width = ICON * scale;
        style.spacing.icon_width_inner = ICON_INNER * scale;
        style.spacing.icon_spacing = ICON_SPACING * scale;
        style.visuals = super::palette::visuals();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_has_the_typing_caret_and_the_typographic_marks() {
        // The caret was once ▍ (U+258D), which the font lacks: it showed as □.
        for c in [
            crate::screens::conversation::CARET,
            crate::screens::history::SAID_MARK
                .chars()
                .next()
                .unwrap_or('?'),
            '“',
            '”',
            '・',
            '…',
            '「',
            '」',
            'g',
            'あ',
        ] {
            assert!(covers(c), "the bundled font has no glyph for {c:?}");
        }
        assert!(!covers('▍'));
    }

    #[test]
    fn the_check_box_grows_with_the_text_size() {
        let ctx = egui::Context::default();
        apply_style(&ctx, 1.0);
        let small = ctx.global_style().spacing.icon_width;
        apply_style(&ctx, 1.5);
        let large = ctx.global_style().spacing.icon_width;
        assert_eq!(small, ICON);
        assert!((large - ICON * 1.5).abs() < 1e-3, "{large}");
    }
}
