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

/// Base text sizes in points at scale 1.0.
const BODY: f32 = 18.0;
const HEADING: f32 = 27.0;
const BUTTON: f32 = 18.0;
const SMALL: f32 = 14.0;
const MONO: f32 = 15.0;

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
        style.visuals = super::palette::visuals();
    });
}
