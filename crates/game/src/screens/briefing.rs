//! The briefing: who the member is, the context of this 1on1, what to aim for.

use crate::theme::palette;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::intent::Intent;
use crate::state::{Game, Library, Screen, Settings, scenario_at};
use crate::theme::portrait;
use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use crate::view::{self, Briefing};
use kiku_core::scenario::Mood;
use kiku_core::text::Lang;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Briefing))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    library: Res<Library>,
    game: Res<Game>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let Some(scenario) = game.picked.and_then(|i| scenario_at(&library, i)) else {
        intents.write(Intent::Open(Screen::Select));
        return Ok(());
    };
    let view = view::briefing(&scenario, settings.lang);
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, &view, settings.lang)
    })
}

/// Draws the briefing.
pub fn draw(ui: &mut egui::Ui, b: &Briefing, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    // Enter starts the 1on1; Escape goes back.
    if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        intent = Some(Intent::Begin);
    } else if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        intent = Some(Intent::Open(Screen::Select));
    }
    theme::central(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button(format!("← {}", S::Back.get(lang))).clicked() {
                intent = Some(Intent::Open(Screen::Select));
            }
            ui.heading(format!("{} — {}", S::Briefing.get(lang), b.title));
        });
        ui.add_space(8.0);
        // The start button stays in view below the text, whatever the
        // window and text size (it was below the fold at A++).
        egui::Panel::bottom("briefing_start")
            .frame(
                egui::Frame::new()
                    .fill(palette::PAPER)
                    .inner_margin(egui::Margin::symmetric(0, 10)),
            )
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    if theme::primary(ui, S::Begin.get(lang)).clicked() {
                        intent = Some(Intent::Begin);
                    }
                });
            });
        egui::ScrollArea::vertical()
            .id_salt("briefing")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                theme::column(ui, 900.0, |ui| {
                    theme::card(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal_top(|ui| {
                            portrait::draw(ui, &b.face, Mood::Neutral, 50, 150.0);
                            ui.vertical(|ui| {
                                ui.label(
                                    egui::RichText::new(S::Member.get(lang))
                                        .small()
                                        .color(palette::MUTED),
                                );
                                ui.label(egui::RichText::new(&b.name).heading());
                                ui.label(format!(
                                    "{} · {}",
                                    b.role,
                                    view::years_in_company(b.years, lang)
                                ));
                                ui.label(egui::RichText::new(&b.difficulty).color(palette::MUTED));
                                ui.add_space(6.0);
                                ui.label(theme::prose(ui, &b.background));
                            });
                        });
                    });
                    ui.add_space(10.0);
                    theme::card(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(theme::prose(ui, &b.briefing));
                    });
                    ui.add_space(10.0);
                    theme::card(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            egui::RichText::new(S::Aim.get(lang))
                                .strong()
                                .color(palette::ACCENT),
                        );
                        ui.label(theme::prose(ui, S::AimText.get(lang)));
                    });
                });
            });
    });
    intent
}
