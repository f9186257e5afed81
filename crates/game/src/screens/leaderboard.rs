//! The leaderboard screen: the trainee's own board (every finished 1on1,
//! in `local.db`) and the workshop (join with server, code and nickname; the
//! rank the server gave; submissions waiting offline). The workshop's state
//! lives in [`crate::workshop`].

use crate::theme::palette;
use std::time::Duration;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::intent::Intent;
use crate::state::{Screen, Settings};
use crate::theme::{self, ScreenDraw};
use crate::workshop::{Workshop, poll_join, start_join};
use kiku_board::client::LinkStatus;
use kiku_board::store::Row;
use kiku_board::{local, rescore};
use kiku_core::text::Lang;

/// Rows per board on this screen.
pub const TOP: u32 = 5;
/// How often the screen redraws while something is under way.
const POLL: Duration = Duration::from_millis(500);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Leaderboard), reload_local)
        .add_systems(
            EguiPrimaryContextPass,
            draw_system
                .run_if(in_state(Screen::Leaderboard))
                .in_set(ScreenDraw),
        );
}

fn reload_local(mut workshop: ResMut<Workshop>) {
    workshop.local = None;
}

/// What the trainee did on this screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Join with the form's values.
    Join,
    /// Forget the workshop.
    Leave,
    /// Try sending the queue now.
    Retry,
    /// Back to the title.
    Back,
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    mut workshop: ResMut<Workshop>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let lang = settings.lang;
    poll_join(&mut workshop);
    if workshop.local.is_none()
        && let Some(dir) = &workshop.data_dir
    {
        workshop.local = Some(local::board(&local::path_in(dir), TOP).map_err(|e| e.to_string()));
    }
    let status = workshop.status();
    let busy = workshop.joining() || status.pending > 0;
    if busy && let Ok(ctx) = contexts.ctx_mut() {
        ctx.request_repaint_after(POLL);
    }
    let mut action = None;
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        action = draw(ui, &mut workshop, &status, lang);
        (action == Some(Action::Back)).then_some(Intent::Open(Screen::Title))
    })?;
    match action {
        Some(Action::Join) => start_join(&mut workshop, lang),
        Some(Action::Leave) => workshop.leave(),
        Some(Action::Retry) => workshop.retry_now(),
        Some(Action::Back) | None => {}
    }
    Ok(())
}

/// Draws the screen; returns what the trainee did.
pub fn draw(
    ui: &mut egui::Ui,
    workshop: &mut Workshop,
    status: &LinkStatus,
    lang: Lang,
) -> Option<Action> {
    let mut action = None;
    theme::central(ui, |ui| {
        ui.horizontal(|ui| {
            if ui
                .button(format!("← {}", lang.pick("戻る", "Back")))
                .clicked()
            {
                action = Some(Action::Back);
            }
            ui.heading(lang.pick("ランキング", "Leaderboard"));
        });
        ui.add_space(12.0);
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.columns(2, |cols| {
                theme::card(&mut cols[0], |ui| {
                    ui.set_width(ui.available_width());
                    draw_local(ui, workshop, lang);
                });
                theme::card(&mut cols[1], |ui| {
                    ui.set_width(ui.available_width());
                    if let Some(a) = draw_workshop(ui, workshop, status, lang) {
                        action = Some(a);
                    }
                });
            });
        });
    });
    action
}

fn draw_local(ui: &mut egui::Ui, workshop: &Workshop, lang: Lang) {
    ui.label(
        egui::RichText::new(lang.pick("あなたの記録", "Your board"))
            .size(22.0)
            .color(palette::ACCENT),
    );
    if let Some(e) = &workshop.record_error {
        ui.colored_label(palette::BAD, e);
    }
    match &workshop.local {
        None => {
            ui.label(lang.pick(
                "記録は保存されていません(データフォルダなし)。",
                "Nothing is saved (no data folder).",
            ));
        }
        Some(Err(e)) => {
            ui.colored_label(palette::BAD, e);
        }
        Some(Ok(board)) if board.entries == 0 => {
            ui.label(lang.pick(
                "1on1を最後まで終えると、ここに記録されます。",
                "Finish a 1on1 and it is recorded here.",
            ));
        }
        Some(Ok(board)) => {
            ui.add_space(6.0);
            ui.label(
                egui::RichText::new(lang.pick("総合(ベスト)", "Overall (best attempts)")).strong(),
            );
            // The overall list names each scenario by its title, not its id.
            let title_of = |id: &str| {
                board
                    .scenarios
                    .iter()
                    .find(|s| s.id == id)
                    .map_or_else(|| id.to_string(), |s| s.title.get(lang).to_string())
            };
            rows(ui, &board.overall, lang, Some(&title_of));
            for scenario in &board.scenarios {
                ui.add_space(10.0);
                ui.label(egui::RichText::new(scenario.title.get(lang)).strong());
                rows(ui, &scenario.rows, lang, None);
            }
        }
    }
}

fn rows(ui: &mut egui::Ui, rows: &[Row], lang: Lang, title_of: Option<&dyn Fn(&str) -> String>) {
    egui::Grid::new(ui.next_auto_id())
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for row in rows {
                ui.label(egui::RichText::new(format!("{}.", row.rank)).color(palette::MUTED));
                ui.label(egui::RichText::new(row.points.to_string()).strong());
                // Date and time stay on one row when the line wraps.
                let when = local_time(row.created_ms).replace(' ', "\u{a0}");
                let detail = match (title_of, &row.scenario, &row.scores) {
                    (Some(title_of), Some(id), _) => format!("{} · {when}", title_of(id)),
                    (_, _, Some(s)) => format!(
                        "{} {} · {} {} · {} {} · {when}",
                        lang.pick("聴く", "listen"),
                        s.listening,
                        lang.pick("問い", "questions"),
                        s.questions,
                        lang.pick("変化", "change"),
                        s.change
                    ),
                    _ => when,
                };
                ui.add(egui::Label::new(egui::RichText::new(detail).color(palette::MUTED)).wrap());
                ui.end_row();
            }
        });
}

/// `ms` since the epoch as the player's local date and time, "2026-12-02 09:41".
pub fn local_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let local = secs + local_offset_secs(secs);
    kiku_board::csv::rfc3339(local * 1000)
        .replace('T', " ")
        .get(..16)
        .unwrap_or_default()
        .to_string()
}

/// The local time zone's offset from UTC at `secs`, in seconds (0 where it
/// cannot be read).
#[cfg(unix)]
fn local_offset_secs(secs: i64) -> i64 {
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: localtime_r writes only into the `tm` we own; `t` is a valid
    // time_t; a null result (out of range) leaves the zeroed tm and we use 0.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            0
        } else {
            tm.tm_gmtoff as i64
        }
    }
}

#[cfg(not(unix))]
fn local_offset_secs(_secs: i64) -> i64 {
    0
}

fn draw_workshop(
    ui: &mut egui::Ui,
    workshop: &mut Workshop,
    status: &LinkStatus,
    lang: Lang,
) -> Option<Action> {
    let mut action = None;
    ui.label(
        egui::RichText::new(lang.pick("ワークショップ", "Workshop"))
            .size(22.0)
            .color(palette::ACCENT),
    );
    ui.add_space(6.0);
    if workshop.data_dir.is_none() {
        ui.label(lang.pick(
            "この実行では参加できません。",
            "Joining is off in this run.",
        ));
        return None;
    }
    match workshop.joined.clone() {
        None => {
            ui.label(lang.pick(
                "プロジェクターに表示されたサーバーとコードを入力してください。",
                "Type the server and code shown on the projector.",
            ));
            ui.add_space(6.0);
            let form = &mut workshop.form;
            egui::Grid::new("join_form")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    ui.label(lang.pick("サーバー", "Server"));
                    ui.add(
                        egui::TextEdit::singleline(&mut form.server).hint_text("192.168.1.20:8787"),
                    );
                    ui.end_row();
                    ui.label(lang.pick("コード", "Code"));
                    ui.add(
                        egui::TextEdit::singleline(&mut form.code)
                            .hint_text("K7P2QX")
                            .char_limit(12),
                    );
                    ui.end_row();
                    ui.label(lang.pick("ニックネーム", "Nickname"));
                    ui.add(
                        egui::TextEdit::singleline(&mut form.nickname)
                            .char_limit(rescore::NICKNAME_MAX_CHARS),
                    );
                    ui.end_row();
                });
            ui.add_space(8.0);
            if workshop.joining() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(lang.pick("接続中…", "Connecting…"));
                });
            } else if theme::primary(ui, lang.pick("参加する", "Join")).clicked() {
                action = Some(Action::Join);
            }
            if let Some(e) = &workshop.join_error {
                ui.colored_label(palette::BAD, e);
            }
        }
        Some(joined) => {
            ui.label(format!(
                "{} {} · {} {} · {}",
                lang.pick("参加中:", "Joined as"),
                joined.nickname,
                lang.pick("コード", "code"),
                joined.code,
                joined.server
            ));
            if let Some(note) = &workshop.join_note {
                ui.colored_label(palette::BAD, note);
            }
            ui.add_space(8.0);
            match &status.last_accepted {
                Some(accepted) => {
                    let st = accepted.standing;
                    ui.label(
                        egui::RichText::new(format!(
                            "{}: {} / {}",
                            accepted.entry.finished.title.get(lang),
                            ordinal(st.scenario_rank, lang),
                            st.scenario_of
                        ))
                        .size(20.0),
                    );
                    ui.label(format!(
                        "{}: {} / {} ({} {})",
                        lang.pick("総合", "Overall"),
                        ordinal(st.overall_rank, lang),
                        st.overall_of,
                        st.total,
                        lang.pick("点", "points")
                    ));
                    ui.label(
                        egui::RichText::new(format!(
                            "{} {}",
                            lang.pick("サーバーの採点:", "The server's score:"),
                            accepted.entry.finished.scores.overall
                        ))
                        .color(palette::MUTED),
                    );
                }
                None => {
                    ui.label(lang.pick(
                        "1on1を終えると、結果が自動で送られます。",
                        "Finish a 1on1 and it is sent automatically.",
                    ));
                }
            }
            ui.add_space(10.0);
            if ui
                .button(lang.pick("ワークショップから抜ける", "Leave the workshop"))
                .clicked()
            {
                action = Some(Action::Leave);
            }
        }
    }
    if status.pending > 0 {
        ui.add_space(10.0);
        ui.colored_label(
            palette::BAD,
            format!(
                "{} {}",
                status.pending,
                lang.pick("件の結果が送信待ちです。サーバーにつながると自動で送ります。練習はそのまま続けられます。",
                    "result(s) waiting: they are sent automatically once the server is reachable. Keep playing.",
                ),
            ),
        );
        // The technical reason, for the facilitator, on its own small line
        // (in the sentence above it once mixed English into Japanese).
        if let Some(error) = &status.last_error {
            ui.label(
                egui::RichText::new(format!("{} {error}", lang.pick("詳細:", "Details:")))
                    .small()
                    .color(palette::MUTED),
            );
        }
        if ui.button(lang.pick("今すぐ再送", "Retry now")).clicked() {
            action = Some(Action::Retry);
        }
    }
    for why in status.rejected.iter().rev().take(3) {
        ui.colored_label(
            palette::BAD,
            format!(
                "{} {why}",
                lang.pick("受け付けられませんでした:", "Not accepted:")
            ),
        );
    }
    action
}

fn ordinal(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{n}位"),
        Lang::En => crate::view::rank::ordinal(n),
    }
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use kiku_board::store::{Board, ScenarioBoard, Scores};
    use kiku_core::text::Text;

    fn row(rank: u32, points: u32) -> Row {
        Row {
            rank,
            entry: i64::from(rank),
            nickname: String::new(),
            scenario: Some("first_steps".into()),
            points,
            scores: Some(Scores {
                overall: points,
                ..Scores::default()
            }),
            scenarios: 1,
            created_ms: 0,
        }
    }

    #[test]
    fn join_form_local_board_and_offline_notice() {
        let board = Board {
            overall: vec![row(1, 81), row(2, 40)],
            scenarios: vec![ScenarioBoard {
                id: "first_steps".into(),
                title: Text::new("はじめの一歩", "First steps"),
                rows: vec![row(1, 81), row(2, 40)],
                ranked: 2,
            }],
            entries: 2,
            ranked: 2,
        };
        let mut workshop = Workshop::default();
        workshop.data_dir = Some(std::env::temp_dir());
        workshop.local = Some(Ok(board));
        let status = LinkStatus {
            pending: 2,
            online: Some(false),
            last_error: Some("the workshop server is not reachable: refused".into()),
            ..LinkStatus::default()
        };
        let mut harness = Harness::new_ui_state(
            move |ui, action: &mut Option<Action>| {
                if let Some(a) = draw(ui, &mut workshop, &status, Lang::En) {
                    *action = Some(a);
                }
            },
            None,
        );
        harness.set_size(egui::vec2(1280.0, 900.0));
        harness.run();
        harness.get_by_label("First steps");
        harness.get_by_label_contains("result(s) waiting");
        // The raw reason is on its own line, not inside the sentence.
        harness.get_by_label_contains("Details: the workshop server is not reachable");
        harness.get_by_label("Join").click();
        harness.run();
        assert_eq!(harness.state(), &Some(Action::Join));
    }

    #[test]
    fn ordinals() {
        let en: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101]
            .iter()
            .map(|&n| ordinal(n, Lang::En))
            .collect();
        assert_eq!(
            en,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
        assert_eq!(ordinal(3, Lang::Ja), "3位");
    }
}
