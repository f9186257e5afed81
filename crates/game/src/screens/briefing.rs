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
use kiku_core::Mode;
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
    workshop: Res<crate::workshop::Workshop>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let Some(scenario) = game.picked.and_then(|i| scenario_at(&library, i)) else {
        intents.write(Intent::Open(Screen::Select));
        return Ok(());
    };
    let mut view = view::briefing(&scenario, settings.lang);
    view.required_mode = workshop.required_mode();
    view.mode = view.required_mode.unwrap_or(settings.mode);
    view.workshop_seed = workshop.seed_for(&scenario.id);
    view.recap = game
        .prior
        .as_ref()
        .zip(scenario.earlier())
        .filter(|_| scenario.follows.is_some())
        .map(|(prior, earlier)| view::recap(prior, &earlier, settings.lang));
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, &view, settings.lang)
    })
}

/// A follow-up: last time, in the member's own words.
fn recap_card(ui: &mut egui::Ui, r: &view::RecapView, name: &str, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(match lang {
                Lang::Ja => format!("前回の1on1「{}」", r.title),
                Lang::En => format!("Last time: “{}”", r.title),
            })
            .strong()
            .color(palette::ACCENT),
        );
        for line in &r.said {
            ui.label(theme::prose(ui, format!("{name}: {line}")));
        }
        ui.label(theme::prose(ui, format!("{} — {}", r.ending.0, r.ending.1)));
        ui.label(theme::prose(ui, &r.next_step).strong());
        if let Some(assumed) = &r.assumed {
            ui.label(theme::prose(ui, assumed).small().color(palette::MUTED));
        }
    });
}

/// How the trainee will reply: choose from the menu (recognition) or say
/// it in their own words (recall); fixed when the workshop requires a mode.
/// The name of a reply mode on the briefing's switch.
pub fn mode_label(mode: Mode, lang: Lang) -> &'static str {
    match mode {
        Mode::Choose => lang.pick("選んで答える", "Choose a reply"),
        Mode::Recall => lang.pick("自分の言葉で言う", "Say it in your own words"),
    }
}

fn mode_switch(ui: &mut egui::Ui, mode: Mode, fixed: bool, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(lang.pick("返答のしかた", "How you reply"))
                .strong()
                .color(palette::ACCENT),
        );
        ui.horizontal_wrapped(|ui| {
            for (m, label) in [
                (Mode::Choose, mode_label(Mode::Choose, lang)),
                (Mode::Recall, mode_label(Mode::Recall, lang)),
            ] {
                let button = ui.add_enabled(
                    !fixed || mode == m,
                    egui::Button::selectable(mode == m, label),
                );
                if button.clicked() && mode != m && !fixed {
                    intent = Some(Intent::SetMode(m));
                }
            }
        });
        if fixed {
            ui.label(
                theme::prose(
                    ui,
                    match (mode, lang) {
                        (Mode::Choose, Lang::Ja) => "このワークショップでは、全員が返答を選んで答えます(順位を同じ条件でくらべるため)。",
                        (Mode::Recall, Lang::Ja) => "このワークショップでは、全員が自分の言葉で言います(順位を同じ条件でくらべるため)。",
                        (Mode::Choose, Lang::En) => "This workshop has everyone choose a reply, so all ranks are on the same terms.",
                        (Mode::Recall, Lang::En) => "This workshop has everyone say it in their own words, so all ranks are on the same terms.",
                    },
                )
                .color(palette::ACCENT),
            );
        }
        let about = match mode {
            Mode::Choose => lang.pick(
                "用意された3〜5つの返答から選びます。",
                "Pick one of three to five prepared replies.",
            ),
            Mode::Recall => lang.pick(
                "メニューは出ません。自分の言葉で入力すると、Kikuがどの返答の意味かを聞き取ります(オフライン)。実際の1on1に近い練習です。",
                "No menu: type your own words and Kiku hears which reply you meant (offline). Closer to a real 1on1.",
            ),
        };
        ui.label(theme::prose(ui, about).small().color(palette::MUTED));
    });
    intent
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
                    if let Some(recap) = &b.recap {
                        ui.add_space(10.0);
                        recap_card(ui, recap, &b.name, lang);
                    }
                    ui.add_space(10.0);
                    theme::card(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(theme::prose(ui, &b.briefing));
                        if b.workshop_seed.is_some() {
                            ui.add_space(6.0);
                            ui.label(
                                theme::prose(
                                    ui,
                                    lang.pick(
                                        "ワークショップの指定で、参加者全員が同じ反応をするメンバーと話します。",
                                        "The workshop fixes this 1on1: everyone meets the same member, who reacts the same way.",
                                    ),
                                )
                                .color(palette::ACCENT),
                            );
                        }
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
                    ui.add_space(10.0);
                    if let Some(i) = mode_switch(ui, b.mode, b.required_mode.is_some(), lang) {
                        intent = Some(i);
                    }
                });
            });
    });
    intent
}
