//! Kiku's colours: warm paper, ink, an indigo accent, and egui's visuals made of them.

use bevy_egui::egui;

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
