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
    game: Res<crate::state::Game>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let lang = settings.lang;
    let resumable = game.resumable.as_ref().map(|u| Resumable::of(u, lang));
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, lang, resumable.as_ref())
    })
}

/// A 1on1 left unfinished last time, as the title screen offers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Resumable {
    /// The scenario's title.
    pub title: String,
    /// Replies said so far.
    pub turns: usize,
    /// When it was last saved (local time).
    pub saved: String,
}

impl Resumable {
    /// The offer for a saved 1on1 in progress, in `lang`.
    pub fn of(u: &crate::resume::Unfinished, lang: Lang) -> Resumable {
        Resumable {
            title: u.title.get(lang).to_string(),
            turns: u.choices.len(),
            saved: crate::screens::leaderboard::local_time(u.saved_ms),
        }
    }
}

/// The offer to resume a 1on1 left unfinished.
fn resume_card(ui: &mut egui::Ui, r: &Resumable, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    theme::card(ui, |ui| {
        ui.set_max_width(560.0);
        ui.label(
            egui::RichText::new(lang.pick("途中の1on1があります", "A 1on1 was left unfinished"))
                .strong()
                .color(palette::ACCENT),
        );
        ui.label(match lang {
            Lang::Ja => format!("「{}」 {}ターン目まで({})", r.title, r.turns, r.saved),
            Lang::En => format!("“{}”, {} turns in ({})", r.title, r.turns, r.saved),
        });
        ui.horizontal(|ui| {
            if theme::primary(ui, lang.pick("続きから再開する", "Resume it")).clicked() {
                intent = Some(Intent::Resume);
            }
            if ui.button(lang.pick("破棄する", "Discard it")).clicked() {
                intent = Some(Intent::DiscardResume);
            }
        });
        ui.label(
            egui::RichText::new(lang.pick(
                "別の1on1をはじめると、この続きは消えます。",
                "Starting another 1on1 discards it.",
            ))
            .small()
            .color(palette::MUTED),
        );
    });
    intent
}

/// Draws the title screen (with the offer to resume a 1on1 left unfinished).
pub fn draw(ui: &mut egui::Ui, lang: Lang, resumable: Option<&Resumable>) -> Option<Intent> {
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
            if let Some(r) = resumable {
                intent = resume_card(ui, r, lang);
                ui.add_space(16.0);
            }
            if theme::primary(ui, S::Start.get(lang)).clicked() {
                intent = Some(Intent::Open(Screen::Select));
            }
            ui.add_space(10.0);
            let size = egui::vec2(180.0, 34.0);
            if ui
                .add(egui::Button::new(lang.pick("これまでの記録", "Your progress")).min_size(size))
                .clicked()
            {
                intent = Some(Intent::History(None));
            }
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
