//! The debrief: the overall score and the axes, the member's state over the
//! turns (egui_plot), every turn with its act, why it helped or hurt and what
//! the member really felt, and the costliest turns with a better reply.

use crate::theme::palette;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{GridInput, GridMark, Line, Plot, PlotPoints};

use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use std::sync::Arc;

use crate::intent::Intent;
use crate::state::Suggestions;
use crate::state::{Game, Screen, Settings};
use crate::view::{self, Debrief, ReasonView};
use kiku_core::scenario::EndingKind;
use kiku_core::text::Lang;

/// Builds the debrief (part of the game's logic: it runs without a window
/// too).
pub fn logic(app: &mut App) {
    app.add_systems(Update, refresh_debrief.after(crate::intent::apply_intents));
}

/// Builds the debrief once per finished 1on1 and language, while on its
/// screen; the better replies arrive from a thread and fill it in, and so
/// does the trainee's own place in the workshop (when joined).
fn refresh_debrief(
    screen: Res<State<Screen>>,
    settings: Res<Settings>,
    workshop: Res<crate::workshop::Workshop>,
    mut game: ResMut<Game>,
    mut series: Local<SeriesOnce>,
) {
    if *screen.get() != Screen::Debrief {
        return;
    }
    let rank = game
        .play
        .as_ref()
        .filter(|p| p.recorded)
        .and_then(|p| workshop.rank_of(&crate::workshop::RecordKey::of_play(&p.session, p.mode())))
        .map(|state| view::rank::rank_view(&state, settings.lang));
    // Read first: the game counts as changed only when the words change.
    if game.debrief.as_ref().is_some_and(|(_, d)| d.rank != rank)
        && let Some((_, debrief)) = game.debrief.as_mut()
    {
        debrief.rank = rank.clone();
    }
    let Some((session, score)) = game
        .play
        .as_ref()
        .filter(|p| p.session.is_over())
        .and_then(|p| Some((p.session.clone(), p.score.clone()?)))
    else {
        return;
    };
    let mut arrived = false;
    match &game.suggestions {
        None => {
            let (tx, rx) = std::sync::mpsc::channel();
            let scenario = Arc::clone(session.scenario());
            let transcript = session.transcript().clone();
            let spawned = std::thread::Builder::new()
                .name("kiku-debrief".into())
                .spawn(move || {
                    let started = std::time::Instant::now();
                    let found = view::better_choices(&scenario, transcript.seed, &transcript);
                    debug!("better replies found in {:?}", started.elapsed());
                    let _ = tx.send(found);
                });
            game.suggestions = Some(match spawned {
                Ok(_) => Suggestions::Pending(std::sync::Mutex::new(rx)),
                // No thread: the debrief still shows, without suggestions.
                Err(_) => Suggestions::Ready(Vec::new()),
            });
        }
        Some(Suggestions::Pending(rx)) => {
            let received = rx.lock().ok().and_then(|rx| match rx.try_recv() {
                Ok(found) => Some(found),
                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Vec::new()),
            });
            if let Some(found) = received {
                game.suggestions = Some(Suggestions::Ready(found));
                arrived = true;
            }
        }
        Some(Suggestions::Ready(_)) => {}
    }
    let lang = settings.lang;
    if !arrived && game.debrief.as_ref().is_some_and(|(l, _)| *l == lang) {
        return;
    }
    let ready = match &game.suggestions {
        Some(Suggestions::Ready(found)) => Some(found.as_slice()),
        _ => None,
    };
    let mut debrief = view::debrief(&session, &score, lang, ready);
    if let Some(recall) = game.play.as_ref().and_then(|p| p.recall.as_ref()) {
        view::add_said(&mut debrief, &session, &recall.said, lang);
    }
    debrief.rank = rank;
    debrief.across = series.of(&session).map(|s| s.card(lang));
    game.debrief = Some((lang, debrief));
}

/// The series of the last finished follow-up, replayed once per 1on1 (the
/// debrief is rebuilt on a language change and when the better replies
/// arrive).
#[derive(Default)]
struct SeriesOnce {
    /// Which 1on1 it is of: scenario, seed, choices.
    key: Option<(String, u64, Vec<String>)>,
    series: Option<view::series::Series>,
}

impl SeriesOnce {
    fn of(&mut self, session: &kiku_core::Session) -> Option<&view::series::Series> {
        let t = session.transcript();
        let key = (session.scenario().id.clone(), t.seed, t.choice_ids());
        if self.key.as_ref() != Some(&key) {
            self.series = view::series::Series::of(session);
            self.key = Some(key);
        }
        self.series.as_ref()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Debrief))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    game: Res<Game>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let Some((_, view)) = &game.debrief else {
        match &game.play {
            // Built by the logic on entering the screen; draw it next frame.
            Some(play) if play.session.is_over() => contexts.ctx_mut()?.request_repaint(),
            // "Play again" has just started a new 1on1: the screen changes
            // to the conversation next frame. (Sending the trainee to
            // select here once swallowed every Play again.)
            Some(_) => contexts.ctx_mut()?.request_repaint(),
            None => {
                intents.write(Intent::Open(Screen::Select));
            }
        }
        return Ok(());
    };
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, view, settings.lang)
    })
}

/// Grid marks on whole turns, at most about ten labelled ones.
pub fn turn_marks(input: GridInput) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let span = (max - min).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .find(|s| span / s <= 10.0)
        .unwrap_or(100.0);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    (first..=last)
        .map(|k| GridMark {
            value: k as f64 * step,
            step_size: step,
        })
        .collect()
}

const SERIES_COLOURS: [egui::Color32; 3] = [
    egui::Color32::from_rgb(0x3B, 0x4F, 0x8C),
    egui::Color32::from_rgb(0xD0, 0x7A, 0x2A),
    egui::Color32::from_rgb(0x2E, 0x8B, 0x6E),
];

/// Draws the debrief; returns the trainee's intent.
pub fn draw(ui: &mut egui::Ui, d: &Debrief, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    egui::Panel::top("debrief_top")
        .frame(
            egui::Frame::new()
                .fill(palette::PAPER)
                .inner_margin(egui::Margin::symmetric(20, 10)),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(format!("{} — {}", S::Debrief.get(lang), d.title));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(S::ToSelect.get(lang)).clicked() {
                        intent = Some(Intent::Open(Screen::Select));
                    }
                    if theme::primary(ui, S::PlayAgain.get(lang)).clicked() {
                        intent = Some(Intent::PlayAgain);
                    }
                });
            });
        });
    theme::central(ui, |ui| {
        egui::ScrollArea::vertical()
            // A fresh debrief starts at the top.
            .id_salt(("debrief", d.seed, d.turns.len(), &d.title))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                theme::column(ui, 1100.0, |ui| body(ui, d, lang));
            });
    });
    intent
}

fn body(ui: &mut egui::Ui, d: &Debrief, lang: Lang) {
    let wide = ui.available_width() > 760.0;
    // Score and ending side by side when there is room.
    let score_card = |ui: &mut egui::Ui| {
        theme::card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.vertical(|ui| {
                    ui.label(egui::RichText::new(S::Overall.get(lang)).color(palette::MUTED));
                    ui.label(
                        egui::RichText::new(d.overall.to_string())
                            .size(64.0)
                            .strong()
                            .color(palette::ACCENT),
                    );
                });
                ui.add_space(16.0);
                // The bars take what the labels and numbers leave.
                let bar = (ui.available_width() - 230.0).clamp(80.0, 320.0);
                egui::Grid::new("debrief_axes")
                    .num_columns(3)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        for (label, value) in &d.axes {
                            ui.label(label.as_str());
                            ui.add(
                                egui::ProgressBar::new(*value as f32 / 100.0)
                                    .desired_width(bar)
                                    .fill(score_colour(*value)),
                            );
                            ui.label(egui::RichText::new(value.to_string()).strong());
                            ui.end_row();
                        }
                    });
            });
        });
    };
    let ending_card = |ui: &mut egui::Ui| {
        theme::card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(S::Ending.get(lang)).color(palette::MUTED));
            if let Some((kind, kind_label, title, text)) = &d.ending {
                let colour = match kind {
                    EndingKind::OpenedUp => palette::GOOD,
                    EndingKind::Polite => palette::MUTED,
                    EndingKind::ShutDown => palette::BAD,
                };
                ui.label(egui::RichText::new(title).heading().color(colour));
                ui.label(egui::RichText::new(kind_label).small().color(colour));
                ui.label(theme::prose(ui, text));
            }
            if let Some(inner) = &d.ending_inner {
                inner_voice(ui, inner, lang);
            }
        });
    };
    if wide {
        ui.columns(2, |cols| {
            score_card(&mut cols[0]);
            ending_card(&mut cols[1]);
        });
    } else {
        score_card(ui);
        ui.add_space(8.0);
        ending_card(ui);
    }
    ui.add_space(12.0);
    // A follow-up: the member over the series, first (that is what the
    // series is for).
    if let Some(series) = &d.across {
        super::series::draw(ui, series, &d.name, lang);
        ui.add_space(12.0);
    }
    if let Some(rank) = &d.rank {
        rank_card(ui, rank, lang);
        ui.add_space(12.0);
    }

    // The member's state over the turns.
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(S::StateChart.get(lang)).strong());
        let turns = d
            .series
            .first()
            .map_or(0, |(_, p)| p.len().saturating_sub(1));
        // The key sits above the chart: a legend inside it covered the
        // lines wherever it was put (the ends, or a follow-up's high start).
        super::series::key(
            ui,
            d.series.iter().enumerate().map(|(i, (label, _))| {
                (
                    label.as_str(),
                    SERIES_COLOURS[i % SERIES_COLOURS.len()],
                    "━",
                )
            }),
        );
        Plot::new("debrief_state")
            .height(200.0)
            .include_y(0.0)
            .include_y(100.0)
            .include_x(0.0)
            .include_x(turns.max(1) as f64)
            // Whole turns only: a one-turn 1on1 once read 0, 0.1, ... 1.
            .x_grid_spacer(turn_marks)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .x_axis_label(S::Turn.get(lang))
            .show(ui, |plot| {
                for (i, (label, points)) in d.series.iter().enumerate() {
                    plot.line(
                        Line::new(label.as_str(), PlotPoints::from(points.clone()))
                            .color(SERIES_COLOURS[i % SERIES_COLOURS.len()])
                            .width(2.5),
                    );
                }
            });
    });
    ui.add_space(12.0);

    // The costliest turns, with what would have been better.
    ui.label(egui::RichText::new(S::Costliest.get(lang)).heading());
    if d.pending {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(egui::RichText::new(S::Searching.get(lang)).color(palette::MUTED));
        });
        // Look again soon for the search's result (only while it runs).
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    if d.costly.is_empty() {
        theme::card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(S::NothingCostly.get(lang));
        });
    }
    for c in &d.costly {
        theme::card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(format!("{} {}", S::Turn.get(lang), c.number)).strong(),
                );
                // The turn's cost to the overall (its axis points, weighted),
                // said as such: the turn's own reasons below show axis points.
                let overall = match lang {
                    Lang::Ja => format!("総合 {:+}", c.cost),
                    Lang::En => format!("{:+} overall", c.cost),
                };
                ui.label(egui::RichText::new(overall).strong().color(palette::BAD));
                act_badge(ui, &c.act);
            });
            ui.label(theme::prose(
                ui,
                format!("{}: {}", S::You.get(lang), view::quote(&c.you, lang)),
            ));
            match &c.better {
                Some(b) => {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            egui::RichText::new(format!("→ {}:", S::Better.get(lang)))
                                .color(palette::GOOD)
                                .strong(),
                        );
                        act_badge(ui, &b.act);
                    });
                    ui.label(theme::prose(ui, view::quote(&b.text, lang)).color(palette::GOOD));
                    ui.label(
                        egui::RichText::new(match lang {
                            Lang::Ja => format!(
                                "ここからの最高スコア {} (あなたの選択のあとでは最高 {})",
                                b.reachable, b.yours
                            ),
                            Lang::En => format!(
                                "best score reachable from here: {} (after your reply: {})",
                                b.reachable, b.yours
                            ),
                        })
                        .small()
                        .color(palette::MUTED),
                    );
                }
                None if d.pending => {}
                None => {
                    ui.label(egui::RichText::new(S::NoBetter.get(lang)).color(palette::MUTED));
                }
            }
        });
        ui.add_space(6.0);
    }
    ui.add_space(12.0);

    // Turn by turn.
    ui.label(egui::RichText::new(S::TurnByTurn.get(lang)).heading());
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(theme::prose(ui, format!("{}: {}", d.name, d.opening.0)));
        if let Some(inner) = &d.opening.1 {
            inner_voice(ui, inner, lang);
        }
    });
    for t in &d.turns {
        ui.add_space(6.0);
        theme::card(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(format!("{} {}", S::Turn.get(lang), t.number)).strong(),
                );
                act_badge(ui, &t.act);
            });
            if let Some(said) = &t.said {
                said_words(ui, said, lang);
                ui.label(
                    theme::prose(
                        ui,
                        format!(
                            "{}: {}",
                            lang.pick("聞き取った返答", "Heard as"),
                            view::quote(&t.you, lang)
                        ),
                    )
                    .color(palette::MUTED),
                );
            } else {
                ui.label(theme::prose(
                    ui,
                    format!("{}: {}", S::You.get(lang), view::quote(&t.you, lang)),
                ));
            }
            for r in &t.reasons {
                reason(ui, r);
            }
            if let Some(reply) = &t.reply {
                ui.label(theme::prose(ui, format!("{}: {reply}", d.name)));
            }
            if let Some(inner) = &t.inner {
                inner_voice(ui, inner, lang);
            }
        });
    }
    ui.add_space(12.0);

    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(S::Overview.get(lang)).strong());
        for r in &d.overview {
            reason(ui, r);
        }
        ui.add_space(6.0);
        ui.label(egui::RichText::new(S::WhatTheyCarried.get(lang)).strong());
        for layer in &d.layers {
            ui.label(format!("・{layer}"));
        }
        ui.label(
            egui::RichText::new(format!("seed {}", d.seed))
                .small()
                .color(palette::MUTED),
        );
    });
    ui.add_space(24.0);
}

/// The trainee's own place in the workshop (never anybody else's).
fn rank_card(ui: &mut egui::Ui, r: &view::rank::RankView, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(lang.pick(
                "ワークショップでのあなたの順位",
                "Your place in the workshop",
            ))
            .color(palette::MUTED),
        );
        // No spinner while asking: it would redraw every frame; the answer
        // wakes the game instead.
        if let Some(rank) = &r.rank {
            ui.label(
                egui::RichText::new(rank)
                    .size(36.0)
                    .strong()
                    .color(palette::ACCENT),
            );
        }
        ui.label(theme::prose(ui, &r.text));
        if let Some(detail) = &r.detail {
            ui.label(theme::small_prose(ui, detail).color(palette::MUTED));
        }
    });
}

/// Recall mode: the trainee's own words, and a flag when they were another
/// kind of move than the reply they were heard as.
fn said_words(ui: &mut egui::Ui, said: &view::SaidView, lang: Lang) {
    ui.label(theme::prose(
        ui,
        format!(
            "{}: {}",
            lang.pick("あなたの言葉", "Your words"),
            view::quote(&said.text, lang)
        ),
    ));
    if let Some(act) = &said.other_act {
        ui.label(
            theme::prose(
                ui,
                match lang {
                    Lang::Ja => format!(
                        "※ 言葉そのものは「{act}」でした。聞き取った返答とは別の種類の関わりです。"
                    ),
                    Lang::En => format!(
                        "※ Your words themselves were a {act}: another kind of move than the reply they were heard as."
                    ),
                },
            )
            .color(palette::BAD),
        );
    }
    if let Some(how) = &said.settled {
        ui.label(egui::RichText::new(how).small().color(palette::MUTED));
    }
}

fn score_colour(value: u32) -> egui::Color32 {
    match value {
        0..=39 => palette::BAD,
        40..=69 => egui::Color32::from_rgb(0xC9, 0x8A, 0x2B),
        _ => palette::GOOD,
    }
}

fn act_badge(ui: &mut egui::Ui, act: &str) {
    ui.label(
        egui::RichText::new(format!(" {act} "))
            .small()
            .background_color(egui::Color32::from_rgb(0xE4, 0xE9, 0xF5))
            .color(palette::ACCENT),
    );
}

fn reason(ui: &mut egui::Ui, r: &ReasonView) {
    // Gains green, losses red, a note that moves nothing in grey and
    // without a "+0".
    let (colour, points) = match r.points {
        p if p > 0 => (palette::GOOD, format!("{p:+} ")),
        p if p < 0 => (palette::BAD, format!("{p:+} ")),
        _ => (palette::MUTED, String::new()),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new(format!("{points}{}", r.axis))
                .color(colour)
                .strong(),
        );
        ui.label(theme::prose(ui, &r.text));
    });
}

fn inner_voice(ui: &mut egui::Ui, text: &str, lang: Lang) {
    ui.label(
        theme::prose(ui, format!("💭 {}: {text}", S::Inner.get(lang)))
            .italics()
            .color(egui::Color32::from_rgb(0x7A, 0x55, 0x8C)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(min: f64, max: f64) -> Vec<f64> {
        turn_marks(GridInput {
            bounds: (min, max),
            base_step_size: 0.01,
        })
        .into_iter()
        .map(|m| m.value)
        .collect()
    }

    #[test]
    fn the_chart_marks_whole_turns_and_not_too_many() {
        // A one-turn 1on1 once read 0, 0.1, ... 1.
        assert_eq!(marks(-0.05, 1.05), vec![0.0, 1.0]);
        let fifteen = marks(-0.7, 15.7);
        assert!(fifteen.iter().all(|v| v.fract() == 0.0), "{fifteen:?}");
        assert!(fifteen.len() <= 11 && fifteen.contains(&0.0), "{fifteen:?}");
    }
}
