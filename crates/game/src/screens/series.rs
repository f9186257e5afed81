//! The debrief's series view, drawn: the member over the 1on1s of a series
//! (a chart of her state across them, with her words marked where she said
//! them and where the trainee recalled them) and the motifs listed.

use bevy_egui::egui;
use egui_plot::{Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points, Text, VLine};
use kiku_core::text::Lang;

use crate::theme::{self, palette};
use crate::view::SeriesCard;

/// The chart's colours for trust, openness, clarity (as the debrief's).
const COLOURS: [egui::Color32; 3] = [
    egui::Color32::from_rgb(0x3B, 0x4F, 0x8C),
    egui::Color32::from_rgb(0xD0, 0x7A, 0x2A),
    egui::Color32::from_rgb(0x2E, 0x8B, 0x6E),
];
/// Her words on the chart.
const SAID: egui::Color32 = egui::Color32::from_rgb(0x7A, 0x55, 0x8C);
/// Where the marks sit above the lines.
const SAID_Y: f64 = 108.0;
const RECALLED_Y: f64 = 123.0;
/// Where each 1on1's name sits (bottom left of its part, below the lines'
/// start).
const LABEL_Y: f64 = 2.0;

/// Draws the series card under a heading naming the member.
pub fn draw(ui: &mut egui::Ui, card: &SeriesCard, name: &str, lang: Lang) {
    ui.label(
        egui::RichText::new(match lang {
            Lang::Ja => format!("{name}さんのこれまで"),
            Lang::En => format!("{name} across the series"),
        })
        .heading(),
    );
    theme::card(ui, |ui| {
        ui.set_width(ui.available_width());
        let wide = ui.available_width() > WIDE;
        let session = |ui: &mut egui::Ui, s: &crate::view::series::SessionRow| {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(match lang {
                        Lang::Ja => format!("{}回目", s.number),
                        Lang::En => format!("1on1 {}", s.number),
                    })
                    .strong()
                    .color(palette::ACCENT),
                );
                ui.label(egui::RichText::new(crate::view::quote(&s.title, lang)).strong());
                ui.label(egui::RichText::new(&s.kind).color(palette::MUTED));
            });
            ui.label(egui::RichText::new(&s.stats).small().color(palette::MUTED));
        };
        if wide {
            ui.columns(card.sessions.len().max(1), |cols| {
                for (col, s) in cols.iter_mut().zip(&card.sessions) {
                    session(col, s);
                }
            });
        } else {
            for s in &card.sessions {
                session(ui, s);
            }
        }
        ui.add_space(6.0);
        if wide {
            ui.columns(2, |cols| {
                chart(&mut cols[0], card, lang);
                motifs(&mut cols[1], card, lang);
            });
        } else {
            chart(ui, card, lang);
            motifs(ui, card, lang);
        }
    });
}

/// Chart and motifs side by side from this width on.
const WIDE: f32 = 760.0;

/// A key for a chart: each line's mark and label in its colour (drawn
/// above the chart rather than over the lines).
pub fn key<'a>(
    ui: &mut egui::Ui,
    items: impl IntoIterator<Item = (&'a str, egui::Color32, &'a str)>,
) {
    ui.horizontal_wrapped(|ui| {
        for (label, colour, mark) in items {
            // A mark and its words go to the next row together, whole.
            let mark = egui::WidgetText::from(egui::RichText::new(mark).strong().color(colour))
                .into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Body,
                );
            let words = egui::WidgetText::from(egui::RichText::new(label).small()).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            let needed = mark.size().x + ui.spacing().item_spacing.x + words.size().x;
            if ui.available_size_before_wrap().x < needed
                && ui.cursor().min.x > ui.min_rect().min.x + 1.0
            {
                ui.end_row();
            }
            ui.label(mark);
            ui.label(words);
            ui.add_space(6.0);
        }
    });
}

fn motifs(ui: &mut egui::Ui, card: &SeriesCard, lang: Lang) {
    {
        if card.motifs.is_empty() {
            ui.label(
                egui::RichText::new(lang.pick(
                    "どちらの1on1でも、本人の大事な言葉はまだ出ていません。",
                    "In neither 1on1 did she put the words that matter to her.",
                ))
                .color(palette::MUTED),
            );
            return;
        }
        ui.add_space(6.0);
        ui.label(
            egui::RichText::new(lang.pick(
                "本人の言葉と、それが出たとき",
                "Her own words, and when they came up",
            ))
            .strong()
            .color(SAID),
        );
        for m in &card.motifs {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(&m.mark).strong().color(SAID));
                ui.label(theme::prose(ui, &m.words).strong());
                if m.recurs {
                    ui.label(
                        egui::RichText::new(
                            lang.pick(" くり返し出た言葉(道しるべ) ", " it recurs: a signpost "),
                        )
                        .small()
                        .background_color(egui::Color32::from_rgb(0xEF, 0xE6, 0xF3))
                        .color(SAID),
                    );
                }
            });
            ui.label(egui::RichText::new(&m.where_).small().color(palette::MUTED));
        }
    }
}

fn chart(ui: &mut egui::Ui, card: &SeriesCard, lang: Lang) {
    let said_name = lang.pick("本人が言った", "she said it");
    let recalled_name = lang.pick("あなたが引用", "you recalled it");
    key(
        ui,
        card.chart
            .iter()
            .enumerate()
            .map(|(i, (label, _))| (label.as_str(), COLOURS[i % COLOURS.len()], "━"))
            .chain([(said_name, SAID, "●"), (recalled_name, palette::GOOD, "◆")]),
    );
    Plot::new("series_state")
        .height(200.0)
        .include_y(0.0)
        .include_y(RECALLED_Y + 6.0)
        .include_x(-0.5)
        .include_x(card.width + 0.5)
        .x_grid_spacer(super::debrief::turn_marks)
        // Turns count within each 1on1.
        .x_axis_formatter(|mark, _| {
            card.sessions
                .iter()
                .rev()
                .find(|s| mark.value >= s.x - 1e-9)
                .map(|s| mark.value - s.x)
                .filter(|turn| *turn <= card.turns_of(mark.value))
                .map_or_else(String::new, |turn| format!("{turn:.0}"))
        })
        .show_x(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .x_axis_label(lang.pick("ターン(1on1ごと)", "turns, 1on1 by 1on1"))
        .show(ui, |plot| {
            for s in &card.sessions {
                if s.x > 0.0 {
                    plot.vline(
                        VLine::new("", s.x - crate::view::series::GAP / 2.0)
                            .color(palette::MUTED)
                            .style(egui_plot::LineStyle::dashed_loose()),
                    );
                }
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(s.x, LABEL_Y),
                        egui::RichText::new(match lang {
                            Lang::Ja => format!("{}回目", s.number),
                            Lang::En => format!("1on1 {}", s.number),
                        })
                        .color(palette::MUTED),
                    )
                    .anchor(egui::Align2::LEFT_BOTTOM),
                );
            }
            for (i, (label, runs)) in card.chart.iter().enumerate() {
                for run in runs {
                    plot.line(
                        Line::new(label.as_str(), PlotPoints::from(run.clone()))
                            .color(COLOURS[i % COLOURS.len()])
                            .width(2.5),
                    );
                }
            }
            for m in &card.motifs {
                for (at, y, name) in m.said_at.iter().map(|x| (*x, SAID_Y, said_name)).chain(
                    m.recalled_at
                        .iter()
                        .map(|x| (*x, RECALLED_Y, recalled_name)),
                ) {
                    let recalled = y == RECALLED_Y;
                    plot.points(
                        Points::new(name, vec![[at, y]])
                            .shape(if recalled {
                                MarkerShape::Diamond
                            } else {
                                MarkerShape::Circle
                            })
                            .filled(true)
                            .radius(7.0)
                            .color(if recalled { palette::GOOD } else { SAID }),
                    );
                    plot.text(
                        Text::new("", PlotPoint::new(at, y), m.mark.as_str())
                            .color(egui::Color32::WHITE),
                    );
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use bevy_egui::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    /// A chart's key at a width where it must wrap: each mark stays on
    /// the row of its words, and no words are cut across rows.
    #[test]
    fn a_key_wraps_between_items_never_inside_one() {
        let items = [
            ("Overall", "━"),
            ("Listen first", "━"),
            ("Question quality", "━"),
            ("Trace change", "━"),
            ("Outcome", "━"),
            ("own words", "◇"),
        ];
        for width in [220.0, 330.0, 470.0, 560.0] {
            let mut harness = Harness::builder()
                .with_size(egui::vec2(width, 200.0))
                .build_ui(|ui| {
                    crate::theme::fonts::apply_style(ui.ctx(), 1.0);
                    super::key(
                        ui,
                        items
                            .iter()
                            .map(|(label, mark)| (*label, egui::Color32::BLACK, *mark)),
                    );
                });
            harness.run();
            let mut rows = std::collections::BTreeSet::new();
            for (label, mark) in items {
                let words = harness.get_by_label(label).rect();
                // The mark right before its words: same row, to the left.
                let marks: Vec<_> = harness.query_all_by_label(mark).map(|m| m.rect()).collect();
                assert!(
                    marks
                        .iter()
                        .any(|m| (m.center().y - words.center().y).abs() < 4.0
                            && m.max.x <= words.min.x + 1.0
                            && words.min.x - m.max.x < 20.0),
                    "at {width}: {label:?} at {words:?} has no mark beside it ({marks:?})"
                );
                // One row of words (a cut label is taller than one line).
                assert!(
                    words.height() < 24.0,
                    "at {width}: {label:?} cut: {words:?}"
                );
                rows.insert(words.min.y as i32);
            }
            if width < 400.0 {
                assert!(rows.len() > 1, "at {width} the key should wrap");
            }
        }
    }
}
