//! Settings: language, text size, reading speed and preview mode; saved at
//! once in the data folder.

use crate::theme::palette;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::intent::Intent;
use crate::prefs::{Prefs, TEXT_SCALES};
use crate::state::{Config, Screen, Settings};
use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use kiku_core::text::Lang;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Settings))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    config: Res<Config>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let folder = config.data_dir.as_ref().map(|d| d.display().to_string());
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, &settings.0, folder.as_deref(), config.force_preview)
    })
}

const SPEEDS: [u32; 4] = [15, 30, 60, 0];

/// Draws the settings; a change comes back as [`Intent::SetPrefs`].
pub fn draw(
    ui: &mut egui::Ui,
    prefs: &Prefs,
    folder: Option<&str>,
    forced_preview: bool,
) -> Option<Intent> {
    let lang = prefs.lang;
    let mut intent = None;
    let mut next = *prefs;
    theme::central(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button(format!("← {}", S::Back.get(lang))).clicked() {
                intent = Some(Intent::Open(Screen::Title));
            }
            ui.heading(S::Settings.get(lang));
        });
        ui.add_space(12.0);
        // The column grows with the text, and each row of buttons wraps:
        // at A++ the reading speeds once ran past the window's edge.
        theme::column(ui, 720.0 * prefs.text_scale.max(1.0), |ui| {
            theme::card(ui, |ui| {
                ui.set_width(ui.available_width());
                egui::Grid::new("settings_grid")
                    .num_columns(2)
                    .spacing([24.0, 14.0])
                    .show(ui, |ui| {
                        ui.label(S::Language.get(lang));
                        ui.horizontal_wrapped(|ui| {
                            ui.selectable_value(&mut next.lang, Lang::Ja, "日本語");
                            ui.selectable_value(&mut next.lang, Lang::En, "English");
                        });
                        ui.end_row();

                        ui.label(S::TextSize.get(lang));
                        ui.horizontal_wrapped(|ui| {
                            for (scale, label) in TEXT_SCALES.iter().zip(["A-", "A", "A+", "A++"]) {
                                ui.selectable_value(&mut next.text_scale, *scale, label);
                            }
                        });
                        ui.end_row();

                        ui.label(S::ReadingSpeed.get(lang));
                        ui.horizontal_wrapped(|ui| {
                            for speed in SPEEDS {
                                let label = if speed == 0 {
                                    S::Instant.get(lang).to_string()
                                } else {
                                    // Characters per second, said as such
                                    // (a bare "15/s" said nothing).
                                    match lang {
                                        Lang::Ja => format!("毎秒{speed}字"),
                                        Lang::En => format!("{speed} chars/s"),
                                    }
                                };
                                ui.selectable_value(&mut next.reading_speed, speed, label);
                            }
                        });
                        ui.end_row();

                        ui.label(S::PreviewMode.get(lang));
                        ui.add_enabled(
                            !forced_preview,
                            egui::Checkbox::without_text(&mut next.preview),
                        );
                        ui.end_row();
                    });
                ui.label(theme::small_prose(ui, S::PreviewHelp.get(lang)).color(palette::MUTED));
            });
            ui.add_space(10.0);
            ui.label(
                egui::RichText::new(format!(
                    "{}: {}",
                    S::DataFolder.get(lang),
                    folder.unwrap_or(S::NotSaved.get(lang))
                ))
                .small()
                .color(palette::MUTED),
            );
        });
    });
    if next != *prefs && intent.is_none() {
        intent = Some(Intent::SetPrefs(next));
    }
    intent
}
