//! The history screen: the trainee's own progress, read from the local
//! board on this machine only. Every attempt per scenario (when, chose or
//! said it, score, the axes), first vs best vs latest, each axis over the
//! attempts (egui_plot), and how the trainee's own talk changed. Reached
//! from the title and from a scenario card.

use std::path::Path;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui_plot::{Line, MarkerShape, Plot, PlotPoints, Points};

use kiku_board::local;
use kiku_board::store::Store;
use kiku_core::text::{Lang, Text};

use crate::intent::Intent;
use crate::state::{Config, Game, Library, Screen, Settings};
use crate::theme::{self, ScreenDraw, palette};
use crate::view::history::{self, Attempt, AttemptView, HistoryView, ScenarioHistory};

/// The attempts read from the local board, and the view built of them.
#[derive(Resource, Debug, Default)]
pub struct History {
    /// The attempts (`None` until read; `Err`: the board could not be read,
    /// and why).
    pub attempts: Option<Result<Vec<Attempt>, Text>>,
    /// The scenario id shown.
    pub focus: Option<String>,
    /// The view, built once per language and focus.
    view: Option<(Lang, Option<String>, Result<HistoryView, String>)>,
}

impl History {
    /// Shows `attempts` (read elsewhere: the screenshot walk's).
    pub fn set(&mut self, attempts: Vec<Attempt>) {
        self.attempts = Some(Ok(attempts));
        self.view = None;
    }
}

/// What the trainee did on this screen besides leaving it.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show this scenario (an id).
    Show(String),
    /// Leave with this intent.
    Go(Intent),
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<History>()
        .add_systems(OnEnter(Screen::History), reload)
        .add_systems(
            EguiPrimaryContextPass,
            draw_system
                .run_if(in_state(Screen::History))
                .in_set(ScreenDraw),
        );
}

/// Reads the local board anew on entering (the walk, which has no data
/// folder, fills [`History`] itself).
fn reload(
    config: Res<Config>,
    library: Res<Library>,
    mut game: ResMut<Game>,
    mut history: ResMut<History>,
) {
    history.focus = game.history.take();
    history.view = None;
    if let Some(dir) = &config.data_dir {
        history.attempts = Some(load(dir, &library));
    }
}

/// Every attempt in the local board of data folder `dir`, replayed on the
/// scenarios of `library` to count the trainee's talk. No board yet: no
/// attempts. A board that cannot be read: why, in both languages.
pub fn load(dir: &Path, library: &Library) -> Result<Vec<Attempt>, Text> {
    let path = local::path_in(dir);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let entries = Store::open(&path)
        .and_then(|store| store.entries())
        .map_err(|e| {
            Text::new(
                format!(
                    "記録ファイル {} を読めませんでした({e})。ファイルが壊れているかもしれません。これまでの記録は表示できませんが、1on1は遊べます。",
                    path.display()
                ),
                format!(
                    "Your records in {} could not be read ({e}); the file may be damaged. Your past attempts cannot be shown, but you can still play.",
                    path.display()
                ),
            )
        })?;
    let scenario_of = |id: &str| library.catalog.scenario(id);
    Ok(history::attempts(
        entries.into_iter().map(|e| e.finished).collect(),
        scenario_of,
    ))
}

/// The catalog's scenario ids and titles, in its order.
fn order(library: &Library, lang: Lang) -> Vec<(String, String)> {
    library
        .catalog
        .entries
        .iter()
        .filter_map(|e| e.good.as_ref())
        .map(|s| (s.id.clone(), crate::view::typeset(s.title.get(lang))))
        .collect()
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    library: Res<Library>,
    mut history: ResMut<History>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let lang = settings.lang;
    let stale = history
        .view
        .as_ref()
        .is_none_or(|(l, f, _)| *l != lang || *f != history.focus);
    if stale {
        let built = match &history.attempts {
            None | Some(Ok(_)) => {
                let none = Vec::new();
                let attempts = match &history.attempts {
                    Some(Ok(a)) => a,
                    _ => &none,
                };
                Ok(history::history(
                    attempts,
                    &order(&library, lang),
                    history.focus.as_deref(),
                    lang,
                    &super::leaderboard::local_time,
                ))
            }
            Some(Err(message)) => Err(message.get(lang).to_string()),
        };
        let focus = history.focus.clone();
        history.view = Some((lang, focus, built));
    }
    let mut action = None;
    if let Some((_, _, view)) = &history.view {
        let view = view.as_ref().map_err(String::as_str);
        theme::show_screen(&mut contexts, &mut intents, |ui| {
            action = draw(ui, view, lang);
            match &action {
                Some(Action::Go(intent)) => Some(intent.clone()),
                _ => None,
            }
        })?;
    }
    if let Some(Action::Show(id)) = action {
        history.focus = Some(id);
    }
    Ok(())
}

/// Two columns from this width on.
const WIDE: f32 = 1100.0;

/// Draws the history screen (`Err`: the board could not be read).
pub fn draw(ui: &mut egui::Ui, view: Result<&HistoryView, &str>, lang: Lang) -> Option<Action> {
    let mut action = None;
    theme::central(ui, |ui| {
        ui.horizontal(|ui| {
            if ui
                .button(format!("← {}", crate::view::strings::S::Back.get(lang)))
                .clicked()
            {
                action = Some(Action::Go(Intent::Open(Screen::Title)));
            }
            ui.heading(lang.pick("これまでの記録", "Your progress"));
            ui.label(
                egui::RichText::new(lang.pick(
                    "この記録はこのパソコンの中だけにあります",
                    "kept on this computer only",
                ))
                .small()
                .color(palette::MUTED),
            );
        });
        ui.add_space(8.0);
        let view = match view {
            Err(message) => {
                theme::card(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        egui::RichText::new(lang.pick(
                            "記録を読み込めませんでした",
                            "Your records could not be read",
                        ))
                        .heading()
                        .color(palette::BAD),
                    );
                    ui.label(theme::prose(ui, message));
                });
                return;
            }
            Ok(view) => view,
        };
        let Some(shown) = view.shown.and_then(|i| view.scenarios.get(i)) else {
            theme::card(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    egui::RichText::new(lang.pick("まだ記録がありません", "No attempts yet"))
                        .heading()
                        .color(palette::ACCENT),
                );
                ui.label(theme::prose(
                    ui,
                    lang.pick(
                        "1on1を最後まで終えると、ここに毎回の得点と、あなた自身の話し方の変化が残ります。",
                        "Finish a 1on1 and each attempt's score, and how your own way of talking changes, will show here.",
                    ),
                ));
                ui.add_space(8.0);
                if theme::primary(ui, lang.pick("シナリオを選ぶ", "Choose a scenario")).clicked()
                {
                    action = Some(Action::Go(Intent::Open(Screen::Select)));
                }
            });
            return;
        };
        ui.horizontal_wrapped(|ui| {
            for s in &view.scenarios {
                let text = match lang {
                    Lang::Ja => format!("{}({}回)", s.title, s.attempts.len()),
                    Lang::En => format!("{} ({})", s.title, s.attempts.len()),
                };
                if ui.selectable_label(s.id == shown.id, text).clicked() && s.id != shown.id {
                    action = Some(Action::Show(s.id.clone()));
                }
            }
        });
        ui.add_space(8.0);
        egui::ScrollArea::vertical()
            .id_salt(("history", &shown.id))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if ui.available_width() > WIDE {
                    ui.columns(2, |cols| {
                        summary(&mut cols[0], shown, lang);
                        cols[0].add_space(10.0);
                        trend(&mut cols[0], shown, lang);
                        talk(&mut cols[1], shown, lang);
                    });
                } else {
                    summary(ui, shown, lang);
                    ui.add_space(10.0);
                    trend(ui, shown, lang);
                    ui.add_space(10.0);
                    talk(ui, shown, lang);
                }
                ui.add_space(10.0);
                table(ui, shown, lang);
                ui.add_space(16.0);
            });
    });
    action
}

/// First, best and latest side by side.
fn summary(ui: &mut egui::Ui, h: &ScenarioHistory, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        if h.attempts.len() == 1 {
            one_attempt(ui, h.first(), lang.pick("1回目", "Your attempt"), lang);
            ui.label(
                egui::RichText::new(lang.pick(
                    "もう一度遊ぶと、1回目・最高・最新を比べられます。",
                    "Play again to compare your first, best and latest attempts.",
                ))
                .color(palette::MUTED),
            );
            return;
        }
        ui.columns(3, |cols| {
            one_attempt(&mut cols[0], h.first(), lang.pick("最初", "First"), lang);
            one_attempt(&mut cols[1], h.best(), lang.pick("最高", "Best"), lang);
            one_attempt(&mut cols[2], h.latest(), lang.pick("最新", "Latest"), lang);
        });
    });
}

fn one_attempt(ui: &mut egui::Ui, a: &AttemptView, head: &str, lang: Lang) {
    ui.label(egui::RichText::new(head).strong().color(palette::MUTED));
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(a.overall.to_string())
                .size(36.0)
                .strong()
                .color(palette::ACCENT),
        );
        ui.label(
            egui::RichText::new(match lang {
                Lang::Ja => format!("{}回目", a.number),
                Lang::En => format!("#{}", a.number),
            })
            .color(palette::MUTED),
        );
    });
    ui.label(egui::RichText::new(&a.when).small());
    ui.label(
        egui::RichText::new(&a.mode_label)
            .small()
            .color(palette::MUTED),
    );
    for (label, value) in history::axis_labels(lang).iter().zip(a.axes) {
        ui.label(egui::RichText::new(format!("{label} {value}")).small());
    }
}

const TREND_COLOURS: [egui::Color32; 5] = [
    egui::Color32::from_rgb(0x22, 0x22, 0x22),
    egui::Color32::from_rgb(0x3B, 0x4F, 0x8C),
    egui::Color32::from_rgb(0xD0, 0x7A, 0x2A),
    egui::Color32::from_rgb(0x2E, 0x8B, 0x6E),
    egui::Color32::from_rgb(0x9A, 0x4B, 0x8C),
];

/// The key's mark for the attempts said in the trainee's own words (the
/// chart rings them with a diamond).
pub const SAID_MARK: &str = "◇";

/// Each axis over the attempts.
fn trend(ui: &mut egui::Ui, h: &ScenarioHistory, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(lang.pick("回ごとの得点", "Scores, attempt by attempt")).strong(),
        );
        // Both modes on one line, the attempts said in the trainee's own
        // words ringed: the mode is part of the story, not another line.
        let said: Vec<[f64; 2]> = h
            .attempts
            .iter()
            .filter(|a| a.mode == kiku_core::Mode::Recall)
            .map(|a| [a.number as f64, f64::from(a.overall)])
            .collect();
        let both_modes = !said.is_empty() && said.len() < h.attempts.len();
        let said_label = lang.pick("自分の言葉で", "own words");
        super::series::key(
            ui,
            h.trend
                .iter()
                .enumerate()
                .map(|(i, (label, _))| {
                    (label.as_str(), TREND_COLOURS[i % TREND_COLOURS.len()], "━")
                })
                .chain(both_modes.then_some((said_label, palette::INK, SAID_MARK))),
        );
        Plot::new(("history_trend", &h.id))
            .height(200.0)
            .include_y(0.0)
            .include_y(100.0)
            .include_x(0.7)
            .include_x(h.attempts.len() as f64 + 0.3)
            .x_grid_spacer(super::debrief::turn_marks)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .x_axis_label(lang.pick("何回目", "attempt"))
            .show(ui, |plot| {
                for (i, (label, points)) in h.trend.iter().enumerate() {
                    let colour = TREND_COLOURS[i % TREND_COLOURS.len()];
                    // The overall is the thick line.
                    let width = if i == 0 { 3.5 } else { 2.0 };
                    plot.line(
                        Line::new(label.as_str(), PlotPoints::from(points.clone()))
                            .color(colour)
                            .width(width),
                    );
                    // Points too: one attempt is a point, not a line.
                    plot.points(
                        Points::new(label.as_str(), points.clone())
                            .color(colour)
                            .radius(if i == 0 { 4.5 } else { 3.0 })
                            .filled(true),
                    );
                }
                if both_modes {
                    plot.points(
                        Points::new(said_label, said.clone())
                            .shape(MarkerShape::Diamond)
                            .color(palette::INK)
                            .radius(8.0)
                            .filled(false),
                    );
                }
            });
    });
}

/// How the trainee's own talk changed.
fn talk(ui: &mut egui::Ui, h: &ScenarioHistory, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(lang.pick("あなたの話し方の変化", "How your own talk changed"))
                .strong(),
        );
        if h.talk.is_empty() {
            ui.label(theme::prose(
                ui,
                lang.pick(
                    "このシナリオの記録は、今のシナリオで再現できないため、話し方を数えられません。",
                    "These attempts no longer replay on the scenario as it is now, so your talk cannot be counted.",
                ),
            ));
        } else {
            ui.label(
                egui::RichText::new(lang.pick("1回目 → 最新", "first → latest"))
                    .small()
                    .color(palette::MUTED),
            );
        }
        for c in &h.talk {
            ui.add_space(4.0);
            ui.label(theme::prose(ui, &c.label).strong());
            let colour = match c.better {
                Some(true) => palette::GOOD,
                Some(false) => palette::BAD,
                None => palette::MUTED,
            };
            ui.label(
                egui::RichText::new(format!("{} → {}", c.first, c.latest))
                    .strong()
                    .color(colour),
            );
            ui.label(theme::prose(ui, &c.meaning).small());
        }
        if let Some(note) = &h.talk_note {
            ui.add_space(4.0);
            ui.label(egui::RichText::new(note).small().color(palette::MUTED));
        }
        if h.attempts.iter().any(|a| a.talk.is_some()) {
            ui.add_space(8.0);
            egui::Grid::new(("history_talk", &h.id))
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.label(egui::RichText::new("#").small().color(palette::MUTED));
                    for head in history::talk_heads(lang) {
                        ui.label(egui::RichText::new(head).small().color(palette::MUTED));
                    }
                    ui.end_row();
                    for a in &h.attempts {
                        ui.label(a.number.to_string());
                        match &a.talk {
                            Some(cells) => {
                                for c in cells {
                                    ui.label(c);
                                }
                            }
                            None => {
                                ui.label("—");
                            }
                        }
                        ui.end_row();
                    }
                });
            ui.label(
                egui::RichText::new(history::talk_table_note(lang))
                    .small()
                    .color(palette::MUTED),
            );
        }
    });
}

/// Every attempt.
fn table(ui: &mut egui::Ui, h: &ScenarioHistory, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(egui::RichText::new(lang.pick("すべての回", "Every attempt")).strong());
        egui::Grid::new(("history_attempts", &h.id))
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                let head = |ui: &mut egui::Ui, t: &str| {
                    ui.label(egui::RichText::new(t).small().color(palette::MUTED));
                };
                head(ui, "#");
                head(ui, lang.pick("日時", "when"));
                head(ui, lang.pick("答え方", "how"));
                head(ui, lang.pick("総合", "overall"));
                for label in history::axis_labels(lang) {
                    head(ui, &label);
                }
                ui.end_row();
                for a in &h.attempts {
                    ui.label(a.number.to_string());
                    ui.label(&a.when);
                    ui.label(&a.mode_label);
                    ui.label(egui::RichText::new(a.overall.to_string()).strong());
                    for v in a.axes {
                        ui.label(v.to_string());
                    }
                    ui.end_row();
                }
            });
    });
}
