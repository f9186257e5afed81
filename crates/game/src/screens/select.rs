//! Scenario select: a card per scenario (title, member, difficulty, best and
//! last score), and an error card with file:line:column for a broken file.

use crate::theme::{palette, portrait};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use kiku_core::scenario::Mood;

use crate::intent::Intent;
use crate::state::{Library, Screen, Settings};
use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use crate::view::{self, Card};
use kiku_core::text::Lang;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Select))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    library: Res<Library>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let cards = view::cards(&library.catalog, &library.records, settings.lang);
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, &cards, settings.lang)
    })
}

/// The member's portrait on a card, in points: big enough to recognise the
/// member of a series at a glance.
const PORTRAIT_SIZE: f32 = 64.0;
/// The card's portrait shows the member as at the start of a 1on1.
const PORTRAIT_TRUST: i32 = 50;

/// The widest a card gets.
const CARD_WIDTH: f32 = 520.0;

/// Draws scenario select.
pub fn draw(ui: &mut egui::Ui, cards: &[Card], lang: Lang) -> Option<Intent> {
    let mut intent = None;
    theme::central(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button(format!("← {}", S::Back.get(lang))).clicked() {
                intent = Some(Intent::Open(Screen::Title));
            }
            ui.heading(S::ChooseScenario.get(lang));
        });
        ui.add_space(8.0);
        if cards.is_empty() {
            ui.label(S::NoScenarios.get(lang));
        }
        egui::ScrollArea::vertical()
            .id_salt("select")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Two columns when there is room, else one.
                let per_row = ((ui.available_width() / CARD_WIDTH).floor() as usize).clamp(1, 3);
                let width =
                    (ui.available_width() - 16.0 * (per_row as f32 - 1.0)) / per_row as f32 - 1.0;
                for row in cards.chunks(per_row) {
                    ui.horizontal_top(|ui| {
                        for card in row {
                            ui.vertical(|ui| {
                                ui.set_width(width);
                                if let Some(i) = draw_card(ui, card, lang, width) {
                                    intent = Some(i);
                                }
                            });
                            ui.add_space(4.0);
                        }
                    });
                    ui.add_space(12.0);
                }
            });
    });
    intent
}

fn draw_card(ui: &mut egui::Ui, card: &Card, lang: Lang, width: f32) -> Option<Intent> {
    let mut intent = None;
    theme::card(ui, |ui| {
        ui.set_width(width - 30.0);
        match card {
            Card::Playable {
                index,
                title,
                summary,
                member,
                difficulty,
                best,
                last,
                errors,
                origin,
                face,
                follows,
            } => {
                ui.horizontal_top(|ui| {
                    portrait::draw(ui, face, Mood::Neutral, PORTRAIT_TRUST, PORTRAIT_SIZE);
                    ui.vertical(|ui| {
                        ui.add(
                            egui::Label::new(
                                theme::heading_prose(ui, title.as_str()).color(palette::ACCENT),
                            )
                            .wrap(),
                        );
                        ui.add(
                            egui::Label::new(
                                theme::prose(ui, format!("{member} · {difficulty}"))
                                    .color(palette::MUTED),
                            )
                            .wrap(),
                        );
                    });
                });
                if let Some(earlier) = follows {
                    ui.label(
                        egui::RichText::new(match lang {
                            Lang::Ja => format!(
                                "シリーズ:「{earlier}」の続き。前回のあなたの1on1から続きます"
                            ),
                            Lang::En => format!(
                                "Series: follows “{earlier}”, from how your 1on1 there went"
                            ),
                        })
                        .color(palette::ACCENT),
                    );
                }
                ui.label(theme::prose(ui, summary));
                ui.label(egui::RichText::new(origin).small().color(palette::MUTED));
                ui.horizontal(|ui| {
                    let score =
                        |s: &Option<u32>| s.map_or_else(|| "—".to_string(), |v| v.to_string());
                    if best.is_none() {
                        ui.label(egui::RichText::new(S::NotPlayed.get(lang)).color(palette::MUTED));
                    } else {
                        ui.label(format!(
                            "{} {}  ·  {} {}",
                            S::Best.get(lang),
                            score(best),
                            S::Last.get(lang),
                            score(last)
                        ));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if theme::primary(ui, S::Play.get(lang)).clicked() {
                            intent = Some(Intent::Pick(*index));
                        }
                        // Played before: the trainee's own progress on it.
                        if best.is_some() && ui.button(lang.pick("記録", "Progress")).clicked() {
                            intent = Some(Intent::History(Some(*index)));
                        }
                    });
                });
                for e in errors {
                    ui.label(
                        egui::RichText::new(e)
                            .small()
                            .monospace()
                            .color(palette::BAD),
                    );
                }
            }
            Card::Broken { file, errors } => {
                ui.label(
                    egui::RichText::new(format!("⚠ {}", S::BrokenScenario.get(lang)))
                        .heading()
                        .color(palette::BAD),
                );
                ui.label(egui::RichText::new(file).monospace());
                for e in errors.iter().take(6) {
                    ui.label(egui::RichText::new(e).monospace().color(palette::BAD));
                }
                if errors.len() > 6 {
                    ui.label(format!("… +{}", errors.len() - 6));
                }
            }
        }
    });
    intent
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    /// A click whose press and release reach two frames more than egui's
    /// 0.8 s apart (a slow first frame of the screen) still starts the 1on1
    /// (issue 13 #4: two clicks right after opening select were ignored).
    #[test]
    fn a_click_spread_over_a_slow_frame_still_starts_the_1on1() {
        let scenario = kiku_core::load::library::bundled()
            .into_iter()
            .find_map(|l| l.scenario)
            .expect("a bundled scenario");
        let card = Card::Playable {
            index: 3,
            title: "今のままでいいのかな".into(),
            summary: "要約".into(),
            member: "小野寺 葵".into(),
            difficulty: "やさしい".into(),
            best: None,
            last: None,
            errors: vec![],
            origin: "同梱".into(),
            face: view::face::face(&scenario.persona, &scenario.briefing),
            follows: None,
        };
        for (configured, clicks) in [(false, false), (true, true)] {
            let cards = vec![card.clone()];
            let mut harness = Harness::builder()
                .with_size(egui::vec2(1280.0, 720.0))
                .with_step_dt(1.5)
                .build_ui_state(
                    move |ui, intent: &mut Option<Intent>| {
                        if configured {
                            theme::configure_input(ui.ctx());
                        }
                        if let Some(i) = draw(ui, &cards, Lang::Ja) {
                            *intent = Some(i);
                        }
                    },
                    None,
                );
            harness.run();
            let at = harness.get_by_label(S::Play.get(Lang::Ja)).rect().center();
            let at = egui::pos2(at.x as f32, at.y as f32);
            let button = |pressed| egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: egui::Modifiers::NONE,
            };
            harness.event(egui::Event::PointerMoved(at));
            harness.event(button(true));
            harness.step();
            // The release reaches the next frame, 1.5 s later.
            harness.event(button(false));
            harness.step();
            harness.run();
            assert_eq!(
                harness.state() == &Some(Intent::Pick(3)),
                clicks,
                "configured: {configured}"
            );
        }
    }
}
