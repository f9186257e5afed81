//! The title screen: the name, start, settings, the workshop, quit.

use crate::theme::palette;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::intent::Intent;
use crate::state::{Screen, Settings};
use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use kiku_core::text::Lang;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Title))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    theme::show_screen(&mut contexts, &mut intents, |ui| draw(ui, settings.lang))
}

/// Draws the title screen.
pub fn draw(ui: &mut egui::Ui, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    theme::central(ui, |ui| {
        let height = ui.available_height();
        ui.vertical_centered(|ui| {
            ui.add_space((height * 0.18).max(12.0));
            ui.label(
                egui::RichText::new("聴く")
                    .size(96.0)
                    .color(palette::ACCENT),
            );
            ui.label(egui::RichText::new("Kiku").size(30.0).color(palette::MUTED));
            ui.add_space(8.0);
            ui.label(egui::RichText::new(S::Tagline.get(lang)).size(20.0));
            ui.add_space(36.0);
            if theme::primary(ui, S::Start.get(lang)).clicked() {
                intent = Some(Intent::Open(Screen::Select));
            }
            ui.add_space(10.0);
            let size = egui::vec2(180.0, 34.0);
            if ui
                .add(egui::Button::new(S::Settings.get(lang)).min_size(size))
                .clicked()
            {
                intent = Some(Intent::Open(Screen::Settings));
            }
            if ui
                .add(egui::Button::new(S::Leaderboard.get(lang)).min_size(size))
                .clicked()
            {
                intent = Some(Intent::Open(Screen::Leaderboard));
            }
            if ui
                .add(egui::Button::new(S::Quit.get(lang)).min_size(size))
                .clicked()
            {
                intent = Some(Intent::Quit);
            }
        });
    });
    intent
}
