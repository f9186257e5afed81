//! The 1on1: the member's portrait, the conversation so far, the member's
//! line appearing at reading speed, and the replies (number keys 1-9). Acts
//! stay hidden unless preview mode is on.

use crate::theme::palette;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::intent::Intent;
use crate::state::{Config, Game, Screen, Settings};
use crate::theme::portrait;
use crate::theme::{self, ScreenDraw};
use crate::view::strings::S;
use crate::view::{self, Conversation, Speaker};
use kiku_core::text::Lang;

/// The member's line appearing at reading speed (part of the game's logic:
/// it runs without a window too).
pub fn logic(app: &mut App) {
    app.add_systems(Update, advance_typing.after(crate::intent::apply_intents));
}

/// Advances the member's line at reading speed (the drawing code asks for
/// redraws only while it is still appearing).
fn advance_typing(time: Res<Time>, mut game: ResMut<Game>, settings: Res<Settings>) {
    // Read first: the game counts as changed only while a line appears.
    if game.play.as_ref().is_some_and(|p| !p.typing.done())
        && let Some(play) = game.play.as_mut()
    {
        play.typing
            .advance(time.delta_secs(), settings.reading_speed);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_system
            .run_if(in_state(Screen::Conversation))
            .in_set(ScreenDraw),
    );
}

fn draw_system(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    config: Res<Config>,
    game: Res<Game>,
    mut intents: MessageWriter<Intent>,
) -> Result {
    let Some(play) = &game.play else {
        intents.write(Intent::Open(Screen::Select));
        return Ok(());
    };
    let preview = Game::preview(&config, &settings);
    let mut view = view::conversation(&play.session, play.typing, settings.lang, preview);
    if let Some(recall) = &play.recall {
        view::show_said(&mut view, &recall.said);
        view.recall = Some(view::recall(&play.session, recall, settings.lang));
    }
    theme::show_screen(&mut contexts, &mut intents, |ui| {
        draw(ui, &view, settings.lang)
    })
}

const NUMBER_KEYS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// A reply button's text: its number, its words and (in preview) its act,
/// laid out at `width` with the Japanese line-breaking rules (the button
/// takes the galley as it is).
pub fn choice_galley(
    ui: &egui::Ui,
    choice: &view::ChoiceView,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut text = egui::text::LayoutJob::default();
    let body = ui.style().text_styles[&egui::TextStyle::Button].clone();
    let format = |font: egui::FontId, colour| egui::TextFormat {
        line_height: Some(body.size * theme::LINE_HEIGHT),
        ..egui::TextFormat::simple(font, colour)
    };
    text.append(
        &format!("{}  ", choice.number),
        0.0,
        format(body.clone(), palette::ACCENT),
    );
    text.append(&choice.text, 0.0, format(body.clone(), palette::INK));
    if let Some(act) = &choice.act {
        let small = ui.style().text_styles[&egui::TextStyle::Small].clone();
        text.append(&format!("   [{act}]"), 0.0, format(small, palette::MUTED));
    }
    // A hanging indent: every row after the first starts under the words,
    // not under the number. egui indents only a section's first row, so
    // each later row is made a paragraph of its own, in a section that
    // starts with the indent, and laid out again (at most once per row).
    let indent = ui
        .fonts_mut(|f| {
            f.layout_no_wrap(
                format!("{}  ", choice.number),
                body.clone(),
                palette::ACCENT,
            )
        })
        .size()
        .x;
    let mut galley = theme::kinsoku_galley(ui, text, width);
    for _ in 0..HANGING_PASSES {
        let mut job = (*galley.job).clone();
        if !hang_next_row(&galley, &mut job, indent) {
            return galley;
        }
        galley = theme::kinsoku_galley(ui, job, width);
    }
    galley
}

/// Rows of one reply made to hang, at most (a reply is a few rows long).
const HANGING_PASSES: usize = 32;

/// Makes the first row of `galley` (after its first) that does not yet
/// start with `indent` start a paragraph and a section indented by it, in
/// `job` (the galley's job); `false` when every row already hangs.
fn hang_next_row(galley: &egui::Galley, job: &mut egui::text::LayoutJob, indent: f32) -> bool {
    let mut start = 0;
    for (i, row) in galley.rows.iter().enumerate() {
        let chars = row.char_count_including_newline().0;
        if i > 0 && chars > 0 {
            let mut byte = job
                .text
                .char_indices()
                .nth(start)
                .map_or(job.text.len(), |(b, _)| b);
            let after_newline = job.text[..byte].ends_with('\n');
            let hung = after_newline
                && job
                    .sections
                    .iter()
                    .any(|s| s.byte_range.start.0 == byte && s.leading_space == indent);
            if !hung {
                if !after_newline {
                    job.text.insert(byte, '\n');
                    for section in &mut job.sections {
                        let range = &mut section.byte_range;
                        if range.start.0 >= byte {
                            range.start.0 += 1;
                        }
                        if range.end.0 >= byte {
                            range.end.0 += 1;
                        }
                    }
                    // The newline ends the row before it.
                    byte += 1;
                }
                split_section_at(job, byte, indent);
                return true;
            }
        }
        start += chars;
    }
    false
}

/// Starts a section at `byte` of `job` (splitting the one that holds it)
/// with `indent` of leading space.
fn split_section_at(job: &mut egui::text::LayoutJob, byte: usize, indent: f32) {
    let Some(at) = job
        .sections
        .iter()
        .position(|s| s.byte_range.start.0 <= byte && byte < s.byte_range.end.0)
    else {
        return;
    };
    let section = &mut job.sections[at];
    if section.byte_range.start.0 == byte {
        section.leading_space = indent;
        return;
    }
    let mut rest = section.clone();
    section.byte_range.end.0 = byte;
    rest.byte_range.start.0 = byte;
    rest.leading_space = indent;
    job.sections.insert(at + 1, rest);
}

/// The caret after a line that is still appearing (a glyph the bundled font
/// has; see `theme::fonts::covers`).
pub const CARET: char = '│';

/// Draws the conversation; returns the trainee's intent.
pub fn draw(ui: &mut egui::Ui, v: &Conversation, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    if v.typing {
        // Animate only while the line is appearing; then the game sleeps.
        ui.ctx().request_repaint();
    }
    // When the replies appear (or change), panels size themselves from the
    // last frame: lay this frame out again at once, so every reply and the
    // key hint show without waiting for the mouse to move.
    let shape = (v.typing, v.choices.len(), v.ended.is_some());
    let shape_id = egui::Id::new("conversation_shape");
    let changed = ui.ctx().data_mut(|d| {
        let before = d.get_temp::<(bool, usize, bool)>(shape_id);
        d.insert_temp(shape_id, shape);
        before != Some(shape)
    });
    if changed {
        ui.ctx().request_discard("the reply panel changed size");
        ui.ctx().request_repaint();
    }
    // Keyboard: 1-9 pick a reply; Space or Enter skips the typing or, at
    // the end, opens the debrief.
    let (numbers, skip) = ui.input(|i| {
        let number = NUMBER_KEYS.iter().position(|k| i.key_pressed(*k));
        let skip = i.key_pressed(egui::Key::Space) || i.key_pressed(egui::Key::Enter);
        (number, skip)
    });
    if v.typing && skip {
        intent = Some(Intent::SkipTyping);
    } else if v.ended.is_some() && skip {
        intent = Some(Intent::Finish);
    } else if v.recall.is_none()
        && let Some(n) = numbers
        && let Some(choice) = v.choices.iter().find(|c| c.number == n + 1 && c.enabled)
    {
        intent = Some(Intent::Choose(choice.id.clone()));
    }

    let full = ui.available_rect_before_wrap();
    let side = (full.width() * 0.26).clamp(220.0, 420.0);
    egui::Panel::top("conversation_top")
        .frame(
            egui::Frame::new()
                .fill(palette::PAPER)
                .inner_margin(egui::Margin::symmetric(16, 8)),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                // Leaving mid-1on1 loses it: ask first (once the member has
                // said something back; an ended 1on1 is already saved).
                let asking_id = egui::Id::new("conversation_leave_asking");
                let asking = ui
                    .ctx()
                    .data(|d| d.get_temp::<bool>(asking_id).unwrap_or(false));
                if asking && v.ended.is_none() {
                    ui.label(
                        egui::RichText::new(lang.pick(
                            "中断すると、この1on1は記録されません。",
                            "Leave? This 1on1 will not be recorded.",
                        ))
                        .color(palette::BAD),
                    );
                    if ui.button(lang.pick("中断する", "Leave")).clicked() {
                        ui.ctx().data_mut(|d| d.remove::<bool>(asking_id));
                        intent = Some(Intent::Leave);
                    }
                    if ui.button(lang.pick("続ける", "Stay")).clicked() {
                        ui.ctx().data_mut(|d| d.remove::<bool>(asking_id));
                    }
                } else if ui.button(S::Leave.get(lang)).clicked() {
                    if v.ended.is_some() || v.log.is_empty() {
                        intent = Some(Intent::Leave);
                    } else {
                        ui.ctx().data_mut(|d| d.insert_temp(asking_id, true));
                    }
                }
                ui.label(egui::RichText::new(&v.title).strong());
                if v.preview.is_some() {
                    ui.label(
                        egui::RichText::new(format!(" {} ", S::PreviewBadge.get(lang)))
                            .background_color(palette::ACCENT)
                            .color(egui::Color32::WHITE)
                            .small(),
                    );
                }
            });
        });
    egui::Panel::left("conversation_member")
        .exact_size(side)
        .resizable(false)
        .frame(
            egui::Frame::new()
                .fill(egui::Color32::from_rgb(0xEF, 0xEA, 0xDE))
                .inner_margin(egui::Margin::same(14)),
        )
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("member_side")
                .show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        let size = (side - 28.0).min(full.height() * 0.42).max(120.0);
                        portrait::draw(ui, &v.face, v.mood, v.trust, size);
                        ui.label(egui::RichText::new(&v.name).heading());
                    });
                    if let Some(p) = &v.preview {
                        ui.add_space(8.0);
                        draw_preview(ui, p, lang);
                    }
                });
        });
    egui::Panel::bottom("conversation_choices")
        .frame(
            egui::Frame::new()
                .fill(palette::PAPER)
                .inner_margin(egui::Margin::symmetric(18, 12)),
        )
        .show(ui, |ui| {
            if let Some(recall) = &v.recall
                && let Some(heard) = &recall.heard
                && recall.unclear.is_none()
            {
                let turn = v.log.len();
                if let Some(i) = heard_as(ui, heard, turn, lang) {
                    intent = Some(i);
                }
                ui.add_space(6.0);
            }
            if let Some((title, text)) = &v.ended {
                ui.label(
                    egui::RichText::new(S::Ended.get(lang))
                        .small()
                        .color(palette::MUTED),
                );
                ui.label(egui::RichText::new(title).heading().color(palette::ACCENT));
                ui.label(theme::prose(ui, text));
                ui.add_space(6.0);
                if theme::primary(ui, S::ToDebrief.get(lang)).clicked() {
                    intent = Some(Intent::Finish);
                }
            } else if v.typing {
                ui.label(
                    egui::RichText::new(S::SkipHint.get(lang))
                        .small()
                        .color(palette::MUTED),
                );
            } else if let Some(recall) = &v.recall {
                if let Some(i) = say_box(ui, recall, lang) {
                    intent = Some(i);
                }
            } else {
                // Long replies at a large text size scroll rather than push
                // the conversation off the screen.
                egui::ScrollArea::vertical()
                    .id_salt("conversation_choices")
                    .max_height(full.height() * 0.55)
                    .show(ui, |ui| {
                        for choice in &v.choices {
                            let wrap = ui.available_width() - 2.0 * ui.spacing().button_padding.x;
                            let text = choice_galley(ui, choice, wrap);
                            let button = egui::Button::new(text)
                                .min_size(egui::vec2(ui.available_width(), 0.0));
                            let response = ui.add_enabled(choice.enabled, button);
                            if response.clicked() {
                                intent = Some(Intent::Choose(choice.id.clone()));
                            }
                        }
                    });
                ui.label(
                    egui::RichText::new(S::KeysHint.get(lang))
                        .small()
                        .color(palette::MUTED),
                );
            }
        });
    let central = egui::CentralPanel::default()
        .frame(
            egui::Frame::new()
                .fill(palette::PAPER)
                .inner_margin(egui::Margin::symmetric(20, 12)),
        )
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("conversation_log")
                .stick_to_bottom(true)
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for line in &v.log {
                        bubble(ui, line.speaker, &line.text, &v.name, lang);
                    }
                    if !v.current.is_empty() || v.typing {
                        let text = if v.typing {
                            format!("{}{CARET}", v.current)
                        } else {
                            v.current.clone()
                        };
                        let r = bubble(ui, Speaker::Member, &text, &v.name, lang);
                        if v.typing {
                            r.scroll_to_me(Some(egui::Align::BOTTOM));
                        }
                    }
                });
        });
    if v.typing
        && intent.is_none()
        && ui.input(|i| i.pointer.primary_clicked())
        && central
            .response
            .rect
            .contains(ui.input(|i| i.pointer.interact_pos()).unwrap_or_default())
    {
        intent = Some(Intent::SkipTyping);
    }
    intent
}

/// The key that says "not what I meant" about the last reply heard.
pub const NOT_MEANT_KEY: egui::Key = egui::Key::Escape;

/// The egui id of recall mode's text box (tests focus it).
pub fn say_box_id() -> egui::Id {
    egui::Id::new("recall_say_box")
}

/// Recall mode: the line the last typed reply was heard as, with "not what
/// I meant" (Escape), which offers the next closest replies.
fn heard_as(ui: &mut egui::Ui, h: &view::HeardView, turn: usize, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    // Open per turn: a new reply closes it.
    let open_id = egui::Id::new("recall_not_meant");
    let open = ui.ctx().data(|d| d.get_temp::<usize>(open_id)) == Some(turn);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new(lang.pick("聞き取った返答:", "Heard as:"))
                .small()
                .color(palette::MUTED),
        );
        ui.label(theme::prose(ui, view::quote(&h.line, lang)));
        ui.label(
            egui::RichText::new(format!("[{}]", h.act))
                .small()
                .color(palette::MUTED),
        );
        if h.corrected {
            ui.label(
                egui::RichText::new(lang.pick("(選び直しました)", "(corrected)"))
                    .small()
                    .color(palette::MUTED),
            );
        }
    });
    if h.others.is_empty() {
        return None;
    }
    let toggle = ui.input(|i| i.key_pressed(NOT_MEANT_KEY));
    if open {
        ui.label(
            egui::RichText::new(lang.pick(
                "言いたかったのは、こちらですか?(クリックで選び直す)",
                "Did you mean one of these? (click to say it instead)",
            ))
            .small()
            .color(palette::MUTED),
        );
        for other in &h.others {
            if ui
                .add(egui::Button::new(theme::prose(ui, &other.text)).wrap())
                .clicked()
            {
                intent = Some(Intent::Mean(other.id.clone()));
            }
        }
        if ui.button(lang.pick("このままでよい", "Keep it")).clicked() || toggle {
            ui.ctx().data_mut(|d| d.remove::<usize>(open_id));
        }
    } else if ui
        .small_button(lang.pick("ちがう (Esc)", "Not what I meant (Esc)"))
        .clicked()
        || toggle
    {
        ui.ctx().data_mut(|d| d.insert_temp(open_id, turn));
    }
    if intent.is_some() {
        ui.ctx().data_mut(|d| d.remove::<usize>(open_id));
    }
    intent
}

/// Recall mode: the text box (Enter sends; IME and paste work as in any
/// egui text field) and, when words were heard as nothing, the closest
/// replies to pick from.
fn say_box(ui: &mut egui::Ui, r: &view::RecallView, lang: Lang) -> Option<Intent> {
    let mut intent = None;
    if let Some(notice) = &r.notice {
        ui.label(egui::RichText::new(notice).small().color(palette::BAD));
    }
    if let Some((typed, closest)) = &r.unclear {
        ui.label(
            theme::prose(
                ui,
                match lang {
                    Lang::Ja => format!(
                        "{}は、どの返答にも聞き取れませんでした。近いのはどれですか?それとも言い直しますか?",
                        view::quote(typed, lang)
                    ),
                    Lang::En => format!(
                        "Kiku could not hear {} as any reply. Did you mean one of these, or will you put it another way?",
                        view::quote(typed, lang)
                    ),
                },
            )
            .color(palette::BAD),
        );
        for c in closest {
            if ui
                .add(egui::Button::new(theme::prose(ui, &c.text)).wrap())
                .clicked()
            {
                intent = Some(Intent::Mean(c.id.clone()));
            }
        }
        ui.add_space(6.0);
    }
    let mut text = ui
        .ctx()
        .data_mut(|d| d.get_temp::<String>(say_box_id()).unwrap_or_default());
    let mut send = false;
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        // The button first (right), then the box takes the rest.
        let clicked = theme::primary(ui, lang.pick("伝える", "Say it")).clicked();
        let edit = egui::TextEdit::multiline(&mut text)
            .id(say_box_id())
            .desired_rows(2)
            .desired_width(ui.available_width())
            .return_key(Some(egui::KeyboardShortcut::new(
                egui::Modifiers::SHIFT,
                egui::Key::Enter,
            )))
            .hint_text(lang.pick(
                "あなたの言葉で返してください(Enterで伝える)",
                "Say it in your own words (Enter to say it)",
            ));
        let response = ui.add(edit);
        // Ready to type as soon as the member has finished speaking.
        if !response.has_focus() && ui.ctx().memory(|m| m.focused().is_none()) {
            response.request_focus();
        }
        // An Enter that commits an IME composition is not a send: skip the
        // frame an IME event arrived in.
        let enter = response.has_focus()
            && ui.input(|i| {
                i.key_pressed(egui::Key::Enter)
                    && !i.modifiers.shift
                    && !i.events.iter().any(|e| matches!(e, egui::Event::Ime(_)))
            });
        send = enter || clicked;
    });
    if send && !text.trim().is_empty() {
        intent = Some(Intent::Say(text.trim().to_string()));
        text.clear();
    }
    ui.ctx().data_mut(|d| d.insert_temp(say_box_id(), text));
    ui.label(
        egui::RichText::new(lang.pick(
            "Enterで伝える・Shift+Enterで改行。聞き取った返答は下に表示され、ちがえば Esc で選び直せます。",
            "Enter says it, Shift+Enter starts a new line. What Kiku heard shows here; Esc if it is not what you meant.",
        ))
        .small()
        .color(palette::MUTED),
    );
    intent
}

fn bubble(
    ui: &mut egui::Ui,
    speaker: Speaker,
    text: &str,
    name: &str,
    lang: Lang,
) -> egui::Response {
    let width = ui.available_width();
    let (who, fill, align) = match speaker {
        Speaker::Member => (
            name.to_string(),
            egui::Color32::from_rgb(0xFF, 0xFD, 0xF8),
            egui::Align::Min,
        ),
        Speaker::You => (
            S::You.get(lang).to_string(),
            egui::Color32::from_rgb(0xE4, 0xE9, 0xF5),
            egui::Align::Max,
        ),
    };
    ui.with_layout(egui::Layout::top_down(align), |ui| {
        egui::Frame::new()
            .fill(fill)
            .corner_radius(egui::CornerRadius::same(12))
            .inner_margin(egui::Margin::symmetric(14, 10))
            .show(ui, |ui| {
                ui.set_max_width(width * 0.78);
                // The bubble sits right for the trainee, but its lines read
                // from the left (wrapped replies were once right-aligned).
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    if !who.is_empty() {
                        ui.label(egui::RichText::new(who).small().color(palette::MUTED));
                    }
                    ui.label(theme::prose(ui, text));
                });
            });
        ui.add_space(6.0);
    })
    .response
}

fn draw_preview(ui: &mut egui::Ui, p: &view::PreviewView, lang: Lang) {
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(S::Preview.get(lang))
                .strong()
                .color(palette::ACCENT),
        );
        for (label, value) in &p.stats {
            ui.horizontal(|ui| {
                ui.label(format!("{label} {value:>3}"));
                ui.add(egui::ProgressBar::new(*value as f32 / 100.0).desired_height(8.0));
            });
        }
        ui.label(format!("{}: {}", S::Voiced.get(lang), p.voiced));
        ui.label(egui::RichText::new(format!("{}: {}", S::Node.get(lang), p.node)).monospace());
        if let Some(inner) = &p.inner {
            ui.label(
                theme::prose(ui, format!("{}: {inner}", S::InnerVoice.get(lang)))
                    .italics()
                    .color(palette::MUTED),
            );
        }
        ui.label(
            egui::RichText::new(S::Layers.get(lang))
                .small()
                .color(palette::MUTED),
        );
        for layer in &p.layers {
            ui.label(egui::RichText::new(format!("・{layer}")).small());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::{NO_LINE_END, NO_LINE_START, fonts};

    /// How many row breaks in `galley` break a Japanese line-breaking rule.
    fn broken_rules(galley: &egui::Galley) -> usize {
        galley
            .rows
            .windows(2)
            .filter(|pair| {
                let last = pair[0].glyphs.last().map(|g| g.chr);
                let first = pair[1].glyphs.first().map(|g| g.chr);
                !pair[0].ends_with_newline
                    && (last.is_some_and(|c| NO_LINE_END.contains(c))
                        || first.is_some_and(|c| NO_LINE_START.contains(c)))
            })
            .count()
    }

    /// Issue 13 #10: the reply buttons break lines by 禁則 as prose does
    /// (egui's own wrapping left 「 at a row's end and ?」 alone on a row).
    #[test]
    fn reply_buttons_keep_the_japanese_line_breaking_rules() {
        let ctx = egui::Context::default();
        fonts::install(&ctx);
        let choice = |text: &str, act: Option<&str>| view::ChoiceView {
            number: 3,
            id: "c".into(),
            text: text.into(),
            enabled: true,
            act: act.map(str::to_string),
        };
        let replies = [
            choice(
                "「特にない」って言いながら、少し間があったね。「どのような姿でありたいか」、聞いてもいいかな?",
                None,
            ),
            choice(
                "数カ月前と今とで、「仕事の手ごたえ」は何か変わったか?それとも、変わらないか?",
                Some("問い(変化)"),
            ),
        ];
        let mut egui_alone_broke_a_rule = 0;
        for scale in [1.0, 1.3] {
            fonts::apply_style(&ctx, scale);
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                for c in &replies {
                    for width in (140..=620).step_by(9) {
                        let width = width as f32;
                        let galley = choice_galley(ui, c, width);
                        assert_eq!(broken_rules(&galley), 0, "at {width}: {}", galley.text());
                        // Nothing lost or added but the moved breaks.
                        let number = format!("{}  ", c.number);
                        assert!(galley.text().replace('\n', "").starts_with(&number));
                        assert!(galley.text().replace('\n', "").contains(&c.text));
                        assert!(galley.size().x <= width + 0.5, "at {width}");
                        // Rows after the first hang under the words.
                        let first_x = galley.rows[0].glyphs.get(2).map(|g| g.pos.x);
                        for row in galley.rows.iter().skip(1) {
                            let x = row.glyphs.first().map(|g| row.pos.x + g.pos.x);
                            assert!(
                                x > Some(4.0) && first_x.is_some(),
                                "at {width}: a row starts at {x:?}: {}",
                                galley.text()
                            );
                        }
                        // The same text as egui alone lays it out.
                        let mut plain = egui::text::LayoutJob::default();
                        let font = egui::TextStyle::Button.resolve(ui.style());
                        plain.append(
                            &format!("{number}{}", c.text),
                            0.0,
                            egui::TextFormat::simple(font, palette::INK),
                        );
                        plain.wrap.max_width = width;
                        let plain = ui.fonts_mut(|f| f.layout_job(plain));
                        egui_alone_broke_a_rule += broken_rules(&plain);
                    }
                }
            });
            output.textures_delta.clear();
        }
        // The test means something: egui alone breaks the rules here.
        assert!(egui_alone_broke_a_rule > 0);
    }
}
