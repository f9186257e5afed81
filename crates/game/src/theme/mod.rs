//! The window, egui, the font and style, the overlays shared by every screen
//! (scenario edit errors, notices), and small layout helpers.

pub mod fonts;
pub mod palette;
pub mod portrait;

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowResolution};
use std::time::Duration;

use bevy::winit::{UpdateMode, WinitSettings};
use bevy_egui::{
    EguiContexts, EguiInput, EguiPlugin, EguiPreUpdateSet, EguiPrimaryContextPass, egui,
};

use crate::intent::Intent;
use crate::state::{Game, Settings};
use crate::view::strings::S;
use kiku_core::text::Lang;

/// The window's size at start, in logical pixels.
pub const START_SIZE: (u32, u32) = (1280, 720);
/// The window can shrink to this.
pub const MIN_SIZE: (f32, f32) = (1024.0, 600.0);
/// At this logical height the interface is drawn at zoom 1; taller windows
/// (4K) scale up so text stays readable.
const ZOOM_BASE_HEIGHT: f32 = 720.0;
const ZOOM_MAX: f32 = 3.0;

/// Bevy's plugins for a desktop window: only what an egui interface needs.
pub fn window_plugins(screenshots: bool) -> impl PluginGroup {
    let (width, height) = start_size();
    DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(Window {
                title: "Kiku 聴く".into(),
                // Screenshots must not depend on the desktop's DPI setting.
                resolution: if screenshots {
                    WindowResolution::new(width, height).with_scale_factor_override(1.0)
                } else {
                    WindowResolution::new(width, height)
                },
                resize_constraints: bevy::window::WindowResizeConstraints {
                    min_width: MIN_SIZE.0,
                    min_height: MIN_SIZE.1,
                    ..default()
                },
                ..default()
            }),
            ..default()
        })
        .set(bevy::log::LogPlugin {
            filter: if screenshots {
                "warn,kiku=debug,kiku_game=debug,kiku_board=debug,bevy_render::view::window::screenshot=warn".into()
            } else {
                "warn,kiku=info,kiku_game=info,kiku_board=info".into()
            },
            ..default()
        })
}

/// The start size: [`START_SIZE`], or `KIKU_WINDOW_SIZE=WIDTHxHEIGHT` (to
/// check layouts and take screenshots at other sizes).
fn start_size() -> (u32, u32) {
    std::env::var("KIKU_WINDOW_SIZE")
        .ok()
        .and_then(|s| {
            let (w, h) = s.split_once('x')?;
            Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
        })
        .unwrap_or(START_SIZE)
}

/// egui, the camera, reactive redraw, the style and the overlays.
pub fn plugin(app: &mut App) {
    app.add_plugins(EguiPlugin::default())
        // Redraw only on input, or when egui asks (the typing animation):
        // the idle game stays near 0% CPU.
        .insert_resource(reactive_settings())
        .insert_resource(ClearColor(Color::srgb_u8(0xF7, 0xF3, 0xEA)))
        .add_systems(Startup, spawn_camera)
        .add_systems(Last, frame_log)
        .add_systems(
            PreUpdate,
            drop_unchanged_modifiers
                .after(EguiPreUpdateSet::ProcessInput)
                .before(EguiPreUpdateSet::BeginPass),
        )
        .add_systems(
            EguiPrimaryContextPass,
            (style, overlays.after(style)).before(ScreenDraw),
        )
        .configure_sets(EguiPrimaryContextPass, ScreenDraw);
}

/// Redraw only when something happens: input, a window event, egui asking
/// (the typing animation, a poll while a search or a join runs), or a
/// wake-up from another thread (hot reload). Bevy's `desktop_app()` also
/// wakes every 5 s with focus (and every 60 s without): a full redraw of
/// about 50 ms on a software renderer for nothing, so the game waits
/// without a timeout instead.
pub fn reactive_settings() -> WinitSettings {
    WinitSettings {
        focused_mode: UpdateMode::reactive(Duration::MAX),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::MAX),
    }
}

/// bevy_egui 0.42 reports the modifier keys to egui on every frame, even
/// when they did not change; egui counts that as input and asks for another
/// frame, so a reactive app would never sleep (about 25 frames/s, most of a
/// core under Xvfb). Keep the event only when the modifiers really changed.
fn drop_unchanged_modifiers(
    mut inputs: Query<&mut EguiInput>,
    mut last: Local<Option<egui::Modifiers>>,
) {
    for mut input in &mut inputs {
        input.0.events.retain(|event| match event {
            egui::Event::ModifiersChanged(m) => {
                let changed = *last != Some(*m);
                *last = Some(*m);
                changed
            }
            _ => true,
        });
    }
}

/// The set the screens' drawing systems run in (after the style is set).
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct ScreenDraw;

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// Installs the font once and keeps the text size and zoom in step with the
/// settings and the window.
fn style(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    window: Query<&Window, With<PrimaryWindow>>,
    mut applied: Local<Option<(f32, f32)>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let zoom = window.single().map_or(1.0, |w| {
        (w.height() / ZOOM_BASE_HEIGHT).clamp(1.0, ZOOM_MAX)
    });
    let want = (settings.text_scale, zoom);
    if *applied != Some(want) {
        if applied.is_none() {
            fonts::install(ctx);
            configure_input(ctx);
        }
        fonts::apply_style(ctx, settings.text_scale);
        ctx.set_zoom_factor(zoom);
        *applied = Some(want);
    }
    Ok(())
}

/// A press and its release count as a click if at most this many seconds
/// apart. egui's 0.8 s is measured between the frames that see the press
/// and the release; the first frames of a screen can take longer than that
/// on a software renderer (new glyphs, new layout), and a quick click whose
/// release reached the next frame was then ignored (issue 13 #4). Nothing
/// in Kiku tells a long press from a click.
pub const MAX_CLICK_SECONDS: f64 = 10.0;

/// Kiku's input options (see [`MAX_CLICK_SECONDS`]).
pub fn configure_input(ctx: &egui::Context) {
    ctx.options_mut(|o| o.input_options.max_click_duration = MAX_CLICK_SECONDS);
}

/// Errors of a broken scenario edit and notices, above every screen.
fn overlays(
    mut contexts: EguiContexts,
    game: Res<Game>,
    settings: Res<Settings>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if let Some(intent) = draw_overlays(ctx, &game.reload_errors, &game.notices, settings.lang) {
        intents.write(intent);
    }
    Ok(())
}

/// Draws the hot-reload error overlay and the notices; returns a dismissal.
pub fn draw_overlays(
    ctx: &egui::Context,
    reload_errors: &[String],
    notices: &[kiku_core::text::Text],
    lang: Lang,
) -> Option<Intent> {
    let mut intent = None;
    if !reload_errors.is_empty() {
        egui::Window::new(S::ReloadFailed.get(lang))
            .id(egui::Id::new("reload_errors"))
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 16.0))
            .collapsible(false)
            .resizable(false)
            .frame(
                egui::Frame::window(&ctx.global_style())
                    .fill(egui::Color32::from_rgb(0xFF, 0xF0, 0xEE)),
            )
            .show(ctx, |ui| {
                ui.set_max_width(ctx.content_rect().width() * 0.8);
                for error in reload_errors {
                    ui.label(egui::RichText::new(error).monospace().color(palette::BAD));
                }
                ui.label(S::KeptLastGood.get(lang));
                if ui.button(S::Dismiss.get(lang)).clicked() {
                    intent = Some(Intent::DismissReload);
                }
            });
    }
    if !notices.is_empty() {
        egui::Window::new(S::Notice.get(lang))
            .id(egui::Id::new("notices"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -16.0))
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.set_max_width(ctx.content_rect().width() * 0.8);
                for notice in notices {
                    ui.label(notice.get(lang));
                }
                if ui.button(S::Dismiss.get(lang)).clicked() {
                    intent = Some(Intent::DismissNotices);
                }
            });
    }
    intent
}

/// A root `Ui` covering the window, for the screens' panels.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        "kiku_root".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    )
}

/// Runs `draw` in a full-window central panel and forwards its intent.
pub fn show_screen(
    contexts: &mut EguiContexts,
    intents: &mut MessageWriter<Intent>,
    draw: impl FnOnce(&mut egui::Ui) -> Option<Intent>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut root = root_ui(&ctx);
    let intent = draw(&mut root);
    if let Some(intent) = intent {
        intents.write(intent);
        // Draw the next screen at once rather than wait for more input.
        ctx.request_repaint();
    }
    Ok(())
}

/// A central panel with a paper background and comfortable margins.
pub fn central(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::CentralPanel::default()
        .frame(
            egui::Frame::new()
                .fill(palette::PAPER)
                .inner_margin(egui::Margin::symmetric(24, 16)),
        )
        .show(ui, add);
}

/// Lays out `add` in a centred column at most `max_width` wide.
pub fn column(ui: &mut egui::Ui, max_width: f32, add: impl FnOnce(&mut egui::Ui)) {
    let width = ui.available_width().min(max_width);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui);
        });
    });
}

/// A card: a framed box on the page.
pub fn card<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::new()
        .fill(palette::CARD)
        .stroke(egui::Stroke::new(
            1.0,
            egui::Color32::from_rgb(0xE0, 0xD8, 0xC8),
        ))
        .corner_radius(egui::CornerRadius::same(10))
        .inner_margin(egui::Margin::same(14))
        .show(ui, add)
        .inner
}

/// A big primary button.
pub fn primary(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add(
        egui::Button::new(
            egui::RichText::new(text)
                .color(egui::Color32::WHITE)
                .strong(),
        )
        .fill(palette::ACCENT)
        .min_size(egui::vec2(180.0, 40.0)),
    )
}

/// Debug aid: with `KIKU_FRAME_LOG` set, logs frames per second and why.
pub fn frame_log(
    time: Res<Time<Real>>,
    mut frames: Local<(u32, f32)>,
    redraws: MessageReader<bevy::window::RequestRedraw>,
    mut contexts: EguiContexts,
) {
    if std::env::var_os("KIKU_FRAME_LOG").is_none() {
        return;
    }
    let r = redraws.len();
    frames.0 += 1;
    frames.1 += time.delta_secs();
    let repaint = contexts
        .ctx_mut()
        .map(|c| {
            format!(
                "{:?} {:?}",
                c.repaint_causes(),
                c.input(|i| i.raw.events.clone())
            )
        })
        .unwrap_or_default();
    if frames.1 >= 1.0 {
        info!(
            "frames/s: {} (redraw msgs {r}, egui repaint {repaint})",
            frames.0
        );
        *frames = (0, 0.0);
    }
}

/// Line height of running text, as a multiple of the font size: the font's
/// own line height is tight for wrapped Japanese.
pub const LINE_HEIGHT: f32 = 1.5;

/// Running text (anything that may wrap) with air between its lines, broken
/// at the width available by the Japanese rules ([`kinsoku`]).
pub fn prose(ui: &egui::Ui, text: impl Into<String>) -> egui::RichText {
    styled_prose(ui, text.into(), egui::TextStyle::Body, LINE_HEIGHT)
}

/// A heading that may wrap: its rows apart enough that descenders (g, p,
/// y) do not touch the next row, broken by [`kinsoku`].
pub fn heading_prose(ui: &egui::Ui, text: impl Into<String>) -> egui::RichText {
    styled_prose(
        ui,
        text.into(),
        egui::TextStyle::Heading,
        HEADING_LINE_HEIGHT,
    )
    .heading()
}

/// Small running text with air between its lines (see [`prose`]).
pub fn small_prose(ui: &egui::Ui, text: impl Into<String>) -> egui::RichText {
    styled_prose(ui, text.into(), egui::TextStyle::Small, LINE_HEIGHT).small()
}

/// Line height of a wrapped heading, as a multiple of its font size.
const HEADING_LINE_HEIGHT: f32 = 1.25;

fn styled_prose(
    ui: &egui::Ui,
    text: String,
    style: egui::TextStyle,
    line_height: f32,
) -> egui::RichText {
    let font = style.resolve(ui.style());
    let size = font.size;
    let text = kinsoku(ui, text, font, ui.available_width());
    egui::RichText::new(text).line_height(Some(size * line_height))
}

/// Characters that may not begin a line (Japanese 禁則): closing brackets
/// and quotes, 、。 and other punctuation, ?!, small kana, the long vowel
/// mark, the ellipsis.
pub const NO_LINE_START: &str = "、。，．,.)]}）〕〉》」』】〙〗〟’”｠»ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ々〻‐゠–〜?!？！‼⁇⁈⁉・:;：；…";
/// Characters that may not end a line: opening brackets and quotes.
pub const NO_LINE_END: &str = "([{（〔〈《「『【〘〖〝‘“｟«";
/// At most this many breaks are moved in one text (each pass moves one).
const KINSOKU_PASSES: usize = 32;

/// Where a row break breaks a rule: `chars` is the text, `rows` the number
/// of characters of each laid-out row (including the newline that ends it,
/// if any) and whether the text's own newline ends it. Returns the index of
/// the character before which a newline keeps the rules (the break moves
/// back so that the next row does not start with [`NO_LINE_START`] and this
/// one does not end with [`NO_LINE_END`]), or `None` when every break is
/// fine or cannot move (a row of such characters only).
pub fn kinsoku_break(chars: &[char], rows: &[(usize, bool)]) -> Option<usize> {
    let mut start = 0;
    for (i, &(len, newline)) in rows.iter().enumerate() {
        let end = start + len;
        if !newline && i + 1 < rows.len() && end < chars.len() {
            let bad = |p: usize| {
                NO_LINE_START.contains(chars[p]) || (p > 0 && NO_LINE_END.contains(chars[p - 1]))
            };
            let mut p = end;
            while p > start + 1 && bad(p) {
                p -= 1;
            }
            if p != end && !bad(p) {
                return Some(p);
            }
        }
        start = end;
    }
    None
}

/// `text` with newlines where egui's own wrapping at `width` would break a
/// Japanese line-breaking rule (egui breaks after 「, and before ? and ！):
/// lays the text out, moves the first bad break back, and again.
pub fn kinsoku(ui: &egui::Ui, mut text: String, font: egui::FontId, width: f32) -> String {
    if !width.is_finite() || width < 1.0 {
        return text;
    }
    for _ in 0..KINSOKU_PASSES {
        let galley =
            ui.fonts_mut(|f| f.layout(text.clone(), font.clone(), egui::Color32::BLACK, width));
        let rows: Vec<(usize, bool)> = galley
            .rows
            .iter()
            .map(|r| (r.char_count_including_newline().0, r.ends_with_newline))
            .collect();
        let chars: Vec<char> = text.chars().collect();
        match kinsoku_break(&chars, &rows) {
            Some(at) => {
                text = chars[..at]
                    .iter()
                    .chain(['\n'].iter())
                    .chain(chars[at..].iter())
                    .collect();
            }
            None => break,
        }
    }
    text
}

/// `job` laid out at `width`, its breaks moved by the Japanese rules as in
/// [`kinsoku`]: for text of several styles, such as a reply button's
/// number and words (egui's own wrapping put 「 at a row's end there too).
pub fn kinsoku_galley(
    ui: &egui::Ui,
    mut job: egui::text::LayoutJob,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    job.wrap.max_width = width;
    for _ in 0..KINSOKU_PASSES {
        let galley = ui.fonts_mut(|f| f.layout_job(job.clone()));
        let rows: Vec<(usize, bool)> = galley
            .rows
            .iter()
            .map(|r| (r.char_count_including_newline().0, r.ends_with_newline))
            .collect();
        let chars: Vec<char> = job.text.chars().collect();
        match kinsoku_break(&chars, &rows) {
            Some(at) => insert_newline(&mut job, at),
            None => return galley,
        }
    }
    ui.fonts_mut(|f| f.layout_job(job))
}

/// Puts a newline before character `at` of `job`, in the section that ends
/// there (sections after it move on by one byte).
fn insert_newline(job: &mut egui::text::LayoutJob, at: usize) {
    let byte = job
        .text
        .char_indices()
        .nth(at)
        .map_or(job.text.len(), |(b, _)| b);
    job.text.insert(byte, '\n');
    for section in &mut job.sections {
        let range = &mut section.byte_range;
        if range.end.0 < byte {
            continue;
        }
        if range.start.0 >= byte {
            range.start.0 += 1;
        }
        range.end.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(lines: &[&str]) -> (Vec<char>, Vec<(usize, bool)>) {
        let chars = lines.concat().chars().collect();
        let rows = lines.iter().map(|l| (l.chars().count(), false)).collect();
        (chars, rows)
    }

    #[test]
    fn kinsoku_moves_a_break_off_an_opening_bracket_and_before_closing_ones() {
        // 「 at the end of a row: it goes down with what it opens.
        let (chars, rows) = rows_of(&["小野寺さんは「", "特にないです」と言った。"]);
        assert_eq!(kinsoku_break(&chars, &rows), Some(6));
        // 」 and ? at the start of a row: the last character comes down too.
        let (chars, rows) = rows_of(&["どうしたい", "?」より"]);
        assert_eq!(kinsoku_break(&chars, &rows), Some(4));
        let (chars, rows) = rows_of(&["変わったか", "」と聞く"]);
        assert_eq!(kinsoku_break(&chars, &rows), Some(4));
        // Both at once: 「か?」 never stands alone on its row.
        let (chars, rows) = rows_of(&["聞いた「か", "?」"]);
        assert_eq!(kinsoku_break(&chars, &rows), Some(3));
        // 、 and 。 never start a row.
        let (chars, rows) = rows_of(&["話を聴く", "。そして"]);
        assert_eq!(kinsoku_break(&chars, &rows), Some(3));
        // Good breaks and the text's own newlines are left alone.
        let (chars, rows) = rows_of(&["話を聴く。", "そして"]);
        assert_eq!(kinsoku_break(&chars, &rows), None);
        let chars: Vec<char> = "一行目「\n」二行目".chars().collect();
        assert_eq!(kinsoku_break(&chars, &[(5, true), (4, false)]), None);
        // A row of nothing but such characters cannot move.
        let (chars, rows) = rows_of(&["「", "」"]);
        assert_eq!(kinsoku_break(&chars, &rows), None);
    }

    /// egui's own layout (the bundled font) breaks after 「 at some width;
    /// [`kinsoku`] never leaves a row ending in 「 or starting with 」、。?!.
    #[test]
    fn kinsoku_keeps_the_rules_in_real_layouts() {
        let ctx = egui::Context::default();
        fonts::install(&ctx);
        fonts::apply_style(&ctx, 1.0);
        let text = "小野寺さんは「特に報告することはないです」と言いながら席に着いた。「どうしたい?」より「どのような姿でありたいか」を問う。数カ月前と今、何が変わったか?";
        let mut egui_broke_a_rule = 0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let font = egui::TextStyle::Body.resolve(ui.style());
            for width in (120..=520).step_by(7) {
                let width = width as f32;
                let check = |text: &str| -> usize {
                    let galley = ui.fonts_mut(|f| {
                        f.layout(text.to_string(), font.clone(), egui::Color32::BLACK, width)
                    });
                    let mut broken = 0;
                    for pair in galley.rows.windows(2) {
                        let (a, b) = (&pair[0], &pair[1]);
                        let last = a.glyphs.last().map(|g| g.chr);
                        let first = b.glyphs.first().map(|g| g.chr);
                        if !a.ends_with_newline
                            && (last.is_some_and(|c| NO_LINE_END.contains(c))
                                || first.is_some_and(|c| NO_LINE_START.contains(c)))
                        {
                            broken += 1;
                        }
                    }
                    broken
                };
                egui_broke_a_rule += check(text);
                let fixed = kinsoku(ui, text.to_string(), font.clone(), width);
                assert_eq!(check(&fixed), 0, "at {width}: {fixed}");
                assert_eq!(fixed.replace('\n', ""), text);
            }
        });
        // Nothing is drawn: the font atlas need not reach a renderer.
        output.textures_delta.clear();
        // The test means something: egui alone breaks the rules here.
        assert!(egui_broke_a_rule > 0);
    }

    /// The idle game never wakes on a timer, focused or not (issue 13 #17:
    /// `desktop_app()` redrew every 5 s with focus).
    #[test]
    fn idle_game_waits_without_a_timeout() {
        let settings = reactive_settings();
        for mode in [settings.focused_mode, settings.unfocused_mode] {
            match mode {
                UpdateMode::Reactive {
                    wait,
                    react_to_user_events,
                    react_to_window_events,
                    ..
                } => {
                    assert_eq!(wait, Duration::MAX);
                    // Hot reload and egui's repaints wake the loop as user
                    // events; resizing as window events.
                    assert!(react_to_user_events && react_to_window_events);
                }
                UpdateMode::Continuous => panic!("continuous mode never idles"),
            }
        }
    }
}
