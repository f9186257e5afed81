//! The window, egui, the font and style, the overlays shared by every screen
//! (scenario edit errors, notices), and small layout helpers.

use bevy::prelude::*;
use bevy::window::{PrimaryWindow, WindowResolution};
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

use super::strings::S;
use super::{Game, Intent, Settings, fonts};
use crate::text::Lang;

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
    DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(Window {
                title: "Kiku 聴く".into(),
                // Screenshots must not depend on the desktop's DPI setting.
                resolution: if screenshots {
                    WindowResolution::new(START_SIZE.0, START_SIZE.1)
                        .with_scale_factor_override(1.0)
                } else {
                    WindowResolution::new(START_SIZE.0, START_SIZE.1)
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
                "warn,kiku=info,bevy_render::view::window::screenshot=warn".into()
            } else {
                "warn,kiku=info".into()
            },
            ..default()
        })
}

/// egui, the camera, reactive redraw, the style and the overlays.
pub fn plugin(app: &mut App) {
    app.add_plugins(EguiPlugin::default())
        // Redraw only on input, or when egui asks (the typing animation):
        // the idle game stays near 0% CPU.
        .insert_resource(WinitSettings::desktop_app())
        .insert_resource(ClearColor(Color::srgb_u8(0xF7, 0xF3, 0xEA)))
        .add_systems(Startup, spawn_camera)
        .add_systems(
            EguiPrimaryContextPass,
            (style, overlays.after(style)).before(ScreenDraw),
        )
        .configure_sets(EguiPrimaryContextPass, ScreenDraw);
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
    let zoom = window
        .single()
        .map_or(1.0, |w| (w.height() / ZOOM_BASE_HEIGHT).clamp(1.0, ZOOM_MAX));
    let want = (settings.text_scale, zoom);
    if *applied != Some(want) {
        if applied.is_none() {
            fonts::install(ctx);
        }
        fonts::apply_style(ctx, settings.text_scale);
        ctx.set_zoom_factor(zoom);
        *applied = Some(want);
    }
    Ok(())
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
    notices: &[String],
    lang: Lang,
) -> Option<Intent> {
    let mut intent = None;
    if !reload_errors.is_empty() {
        egui::Window::new(S::ReloadFailed.get(lang))
            .id(egui::Id::new("reload_errors"))
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 16.0))
            .collapsible(false)
            .resizable(false)
            .frame(egui::Frame::window(&ctx.global_style()).fill(egui::Color32::from_rgb(0xFF, 0xF0, 0xEE)))
            .show(ctx, |ui| {
                ui.set_max_width(ctx.content_rect().width() * 0.8);
                for error in reload_errors {
                    ui.label(egui::RichText::new(error).monospace().color(fonts::BAD));
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
                    ui.label(notice);
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
                .fill(fonts::PAPER)
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
        .fill(fonts::CARD)
        .stroke(egui::Stroke::new(1.0, egui::Color32::from_rgb(0xE0, 0xD8, 0xC8)))
        .corner_radius(egui::CornerRadius::same(10))
        .inner_margin(egui::Margin::same(14))
        .show(ui, add)
        .inner
}

/// A big primary button.
pub fn primary(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add(
        egui::Button::new(egui::RichText::new(text).color(egui::Color32::WHITE).strong())
            .fill(fonts::ACCENT)
            .min_size(egui::vec2(180.0, 40.0)),
    )
}
