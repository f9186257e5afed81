//! The Japanese font (BIZ UDPGothic, SIL OFL; see assets/fonts/), embedded in
//! the binary so the game never depends on the working directory, and the
//! text sizes that follow the player's setting.

use std::sync::Arc;

use bevy_egui::egui;

/// The font file, embedded.
pub const BIZ_UDP_GOTHIC: &[u8] = include_bytes!("../../assets/fonts/BIZUDPGothic-Regular.ttf");

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
        style.visuals = visuals();
    });
}

/// Warm paper background, ink text, an indigo accent.
pub fn visuals() -> egui::Visuals {
    let mut v = egui::Visuals::light();
    v.panel_fill = PAPER;
    v.window_fill = egui::Color32::from_rgb(0xFF, 0xFD, 0xF8);
    v.extreme_bg_color = egui::Color32::from_rgb(0xEC, 0xE6, 0xDA);
    v.override_text_color = Some(INK);
    v.selection.bg_fill = ACCENT.gamma_multiply(0.35);
    v.widgets.inactive.weak_bg_fill = egui::Color32::from_rgb(0xEE, 0xE9, 0xDF);
    v.widgets.hovered.weak_bg_fill = egui::Color32::from_rgb(0xE2, 0xE6, 0xF3);
    v.widgets.active.weak_bg_fill = egui::Color32::from_rgb(0xCF, 0xD6, 0xEE);
    v.widgets.inactive.corner_radius = egui::CornerRadius::same(8);
    v.widgets.hovered.corner_radius = egui::CornerRadius::same(8);
    v.widgets.active.corner_radius = egui::CornerRadius::same(8);
    v
}

/// The page colour.
pub const PAPER: egui::Color32 = egui::Color32::from_rgb(0xF7, 0xF3, 0xEA);
/// The text colour.
pub const INK: egui::Color32 = egui::Color32::from_rgb(0x2B, 0x2A, 0x33);
/// The accent (indigo, 藍).
pub const ACCENT: egui::Color32 = egui::Color32::from_rgb(0x3B, 0x4F, 0x8C);
/// Gains.
pub const GOOD: egui::Color32 = egui::Color32::from_rgb(0x2E, 0x7D, 0x4F);
/// Losses.
pub const BAD: egui::Color32 = egui::Color32::from_rgb(0xB0, 0x3A, 0x2E);
/// Secondary text.
pub const MUTED: egui::Color32 = egui::Color32::from_rgb(0x6E, 0x6A, 0x75);
/// Card background.
pub const CARD: egui::Color32 = egui::Color32::from_rgb(0xFF, 0xFD, 0xF8);
