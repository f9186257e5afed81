//! The member's portrait, drawn with egui shapes: the member's own look
//! (hair, glasses, clothes, colouring, age; `view::face`), the expression
//! of the current line's mood, and the face warming as trust grows.

use bevy_egui::egui::{self, Color32, Pos2, Stroke, Vec2, vec2};

use kiku_core::scenario::{Clothes, Hair, HairColour, Mood, Skin};

use crate::view::face::Face;

/// Lines under the eyes from this age.
const LINES_AGE: u32 = 40;

/// How a mood shows on the face.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expression {
    /// Mouth curve: positive smiles, negative frowns (-1..1).
    pub smile: f32,
    /// Mouth opening (0..1).
    pub open: f32,
    /// Eyebrow tilt: positive worried (inner ends up), negative angry.
    pub brow_tilt: f32,
    /// Eyebrow height above the eyes (0..1).
    pub brow_raise: f32,
    /// Eye opening (0.2 half-closed .. 1 wide).
    pub eyes: f32,
    /// Gaze sideways (-1 left .. 1 right); looking away when guarded.
    pub gaze: f32,
    /// Head tilt in radians.
    pub tilt: f32,
}

/// The expression for a mood.
pub fn expression(mood: Mood) -> Expression {
    let e = |smile, open, brow_tilt, brow_raise, eyes, gaze, tilt| Expression {
        smile,
        open,
        brow_tilt,
        brow_raise,
        eyes,
        gaze,
        tilt,
    };
    match mood {
        Mood::Neutral => e(0.05, 0.0, 0.0, 0.4, 0.8, 0.0, 0.0),
        Mood::Guarded => e(-0.1, 0.0, -0.1, 0.25, 0.6, 0.7, -0.05),
        Mood::Uneasy => e(-0.25, 0.05, 0.6, 0.55, 0.75, -0.4, 0.06),
        Mood::Thoughtful => e(0.0, 0.0, 0.2, 0.6, 0.55, 0.6, 0.1),
        Mood::Relieved => e(0.55, 0.1, 0.35, 0.5, 0.45, 0.0, 0.04),
        Mood::Open => e(0.8, 0.35, 0.0, 0.55, 0.9, 0.0, 0.0),
        Mood::Down => e(-0.5, 0.0, 0.75, 0.3, 0.35, 0.0, 0.12),
        Mood::Tense => e(-0.45, 0.0, -0.7, 0.2, 0.7, 0.0, -0.03),
    }
}

/// The open mouth in face coordinates: a straight upper lip between the
/// corners, then the lower lip's curve back from right to left (convex, no
/// repeated points).
fn open_mouth(width: f32, smile: f32, open: f32) -> Vec<Vec2> {
    let depth = (smile * 0.12 + open * 0.2).max(0.03);
    let mut shape = vec![vec2(-width, 0.5), vec2(width, 0.5)];
    shape.extend((1..12).rev().map(|i| {
        let t = i as f32 / 12.0 * 2.0 - 1.0;
        vec2(t * width, 0.5 + depth * (1.0 - t * t))
    }));
    shape
}

fn rotate(p: Vec2, angle: f32) -> Vec2 {
    let (s, c) = angle.sin_cos();
    vec2(p.x * c - p.y * s, p.x * s + p.y * c)
}

/// The colour of a hair colour.
pub fn hair_colour(colour: HairColour) -> Color32 {
    match colour {
        HairColour::Black => Color32::from_rgb(0x2F, 0x29, 0x2E),
        HairColour::DarkBrown => Color32::from_rgb(0x4A, 0x35, 0x2A),
        HairColour::Brown => Color32::from_rgb(0x7A, 0x55, 0x3A),
        HairColour::Greying => Color32::from_rgb(0x6B, 0x68, 0x6A),
        HairColour::Grey => Color32::from_rgb(0xAE, 0xAB, 0xAB),
    }
}

/// The colour of a skin tone.
pub fn skin_colour(skin: Skin) -> Color32 {
    match skin {
        Skin::Light => Color32::from_rgb(0xF6, 0xDB, 0xC4),
        Skin::Medium => Color32::from_rgb(0xEC, 0xC6, 0xA4),
        Skin::Tan => Color32::from_rgb(0xD6, 0xA9, 0x82),
        Skin::Deep => Color32::from_rgb(0x9C, 0x6B, 0x4A),
    }
}

/// The main colour of the clothes.
pub fn clothes_colour(clothes: Clothes) -> Color32 {
    match clothes {
        Clothes::Suit => Color32::from_rgb(0x2E, 0x3A, 0x55),
        Clothes::Jacket => Color32::from_rgb(0x5C, 0x4B, 0x5E),
        Clothes::Shirt => Color32::from_rgb(0x9F, 0xBD, 0xDC),
        Clothes::Cardigan => Color32::from_rgb(0xB3, 0x98, 0x74),
        Clothes::Hoodie => Color32::from_rgb(0x7D, 0x84, 0x8C),
        Clothes::WorkJacket => Color32::from_rgb(0x56, 0x66, 0x4E),
        Clothes::Blouse => Color32::from_rgb(0xC9, 0x7B, 0x84),
    }
}

/// Points of an ellipse (centre and radii in face units), for a convex fill.
fn ellipse(centre: Vec2, radius: Vec2) -> Vec<Vec2> {
    const POINTS: usize = 40;
    (0..POINTS)
        .map(|i| {
            let a = i as f32 / POINTS as f32 * std::f32::consts::TAU;
            centre + vec2(a.cos() * radius.x, a.sin() * radius.y)
        })
        .collect()
}

/// Draws the portrait of `face` into a square of `size` points, with the
/// expression of `mood`; `trust` 0-100 warms the cheeks and the background.
pub fn draw(ui: &mut egui::Ui, face: &Face, mood: Mood, trust: i32, size: f32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let ex = expression(mood);
    let warm = (trust.clamp(0, 100) as f32) / 100.0;
    let bg = Color32::from_rgb(
        (0xDD as f32 + 0x1E as f32 * warm) as u8,
        (0xE3 as f32 + 0x0A as f32 * warm) as u8,
        (0xEE as f32 - 0x18 as f32 * warm) as u8,
    );
    painter.rect_filled(rect, egui::CornerRadius::same(16), bg);
    let c = rect.center();
    let r = size * 0.30;
    // The head turns with the tilt; the body stays upright.
    let at = |v: Vec2| -> Pos2 { c + rotate(v * r, ex.tilt) };
    let body = |v: Vec2| -> Pos2 { c + v * r };
    let ink = Color32::from_rgb(0x3A, 0x33, 0x38);
    let line = Stroke::new((size * 0.018).max(1.5), ink);
    let fill = |points: Vec<Vec2>, colour: Color32, head: bool| {
        let points = points
            .into_iter()
            .map(|p| if head { at(p) } else { body(p) })
            .collect();
        painter.add(egui::Shape::convex_polygon(points, colour, Stroke::NONE));
    };
    let hair = hair_colour(face.hair_colour);
    let skin = skin_colour(face.skin);
    let cloth = clothes_colour(face.clothes);
    let white = Color32::from_rgb(0xF6, 0xF3, 0xEE);

    // Hair that falls behind the head and the shoulders.
    match face.hair {
        Hair::Long => fill(ellipse(vec2(0.0, 0.45), vec2(1.2, 1.3)), hair, true),
        Hair::Bun => fill(ellipse(vec2(0.0, -1.12), vec2(0.4, 0.36)), hair, true),
        Hair::Ponytail => fill(ellipse(vec2(0.95, 0.25), vec2(0.3, 0.6)), hair, true),
        _ => {}
    }
    // Shoulders and what is worn on them.
    painter.circle_filled(body(vec2(0.0, 2.05)), r * 1.35, cloth);
    match face.clothes {
        Clothes::Suit | Clothes::Jacket | Clothes::Cardigan => {
            let inner = if face.clothes == Clothes::Cardigan {
                Color32::from_rgb(0xF1, 0xEC, 0xE2)
            } else {
                white
            };
            fill(
                vec![vec2(-0.32, 0.72), vec2(0.32, 0.72), vec2(0.0, 1.45)],
                inner,
                false,
            );
            if face.clothes == Clothes::Suit {
                fill(
                    vec![
                        vec2(-0.07, 0.95),
                        vec2(0.07, 0.95),
                        vec2(0.11, 1.32),
                        vec2(0.0, 1.45),
                        vec2(-0.11, 1.32),
                    ],
                    Color32::from_rgb(0x9A, 0x3B, 0x3B),
                    false,
                );
            }
            if face.clothes == Clothes::Cardigan {
                for y in [1.5f32, 1.7] {
                    painter.circle_filled(body(vec2(0.0, y)), r * 0.04, ink);
                }
            }
        }
        Clothes::Shirt | Clothes::WorkJacket => {
            let collar = if face.clothes == Clothes::Shirt {
                white
            } else {
                Color32::from_rgb(0x74, 0x84, 0x6A)
            };
            for side in [-1.0f32, 1.0] {
                fill(
                    vec![
                        vec2(side * 0.05, 1.1),
                        vec2(side * 0.42, 0.78),
                        vec2(side * 0.38, 1.18),
                    ],
                    collar,
                    false,
                );
            }
            if face.clothes == Clothes::WorkJacket {
                // A name badge.
                painter.rect_filled(
                    egui::Rect::from_center_size(body(vec2(-0.55, 1.45)), vec2(r * 0.3, r * 0.16)),
                    egui::CornerRadius::same(2),
                    white,
                );
            }
        }
        Clothes::Hoodie => {
            fill(
                ellipse(vec2(0.0, 0.92), vec2(0.78, 0.3)),
                Color32::from_rgb(0x68, 0x6E, 0x76),
                false,
            );
            for side in [-1.0f32, 1.0] {
                painter.line_segment(
                    [body(vec2(side * 0.2, 1.15)), body(vec2(side * 0.22, 1.6))],
                    Stroke::new(line.width * 0.8, white),
                );
            }
        }
        Clothes::Blouse => {
            fill(ellipse(vec2(0.0, 0.82), vec2(0.36, 0.22)), skin, false);
        }
    }
    // The top of the hair, behind the face.
    match face.hair {
        Hair::Receding => {
            for side in [-1.0f32, 1.0] {
                fill(
                    ellipse(vec2(side * 0.9, -0.05), vec2(0.22, 0.42)),
                    hair,
                    true,
                );
            }
        }
        Hair::Cropped => fill(ellipse(vec2(0.0, -0.06), vec2(1.04, 1.0)), hair, true),
        Hair::Bob => fill(ellipse(vec2(0.0, 0.1), vec2(1.2, 1.12)), hair, true),
        _ => fill(ellipse(vec2(0.0, -0.12), vec2(1.1, 1.05)), hair, true),
    }
    // Face.
    painter.circle_filled(at(vec2(0.0, 0.08)), r, skin);
    // The fringe, over the forehead.
    match face.hair {
        Hair::Short => {
            fill(ellipse(vec2(-0.45, -0.72), vec2(0.5, 0.5)), hair, true);
            fill(ellipse(vec2(0.2, -0.8), vec2(0.55, 0.55)), hair, true);
        }
        Hair::Swept => {
            fill(ellipse(vec2(0.15, -0.74), vec2(0.88, 0.34)), hair, true);
            fill(ellipse(vec2(-0.62, -0.5), vec2(0.3, 0.3)), hair, true);
        }
        Hair::Cropped | Hair::Bun => {
            fill(ellipse(vec2(0.0, -0.8), vec2(0.84, 0.28)), hair, true);
        }
        Hair::Bob => fill(ellipse(vec2(0.0, -0.72), vec2(0.92, 0.36)), hair, true),
        Hair::Long => {
            for side in [-1.0f32, 1.0] {
                fill(
                    ellipse(vec2(side * 0.45, -0.7), vec2(0.55, 0.3)),
                    hair,
                    true,
                );
            }
            // Close the parting at the crown.
            fill(ellipse(vec2(0.0, -0.86), vec2(0.3, 0.12)), hair, true);
        }
        Hair::Ponytail => fill(ellipse(vec2(-0.3, -0.74), vec2(0.76, 0.32)), hair, true),
        Hair::Receding => {}
    }
    // Cheeks warm with trust.
    let blush = Color32::from_rgba_unmultiplied(0xF0, 0x8A, 0x8A, (40.0 + 110.0 * warm) as u8);
    for side in [-1.0f32, 1.0] {
        painter.circle_filled(at(vec2(side * 0.55, 0.38)), r * 0.16, blush);
    }
    // Lines under the eyes with age.
    if face.age >= LINES_AGE {
        let crease = Stroke::new(line.width * 0.6, ink.gamma_multiply(0.35));
        for side in [-1.0f32, 1.0] {
            painter.line_segment(
                [at(vec2(side * 0.28, 0.2)), at(vec2(side * 0.46, 0.17))],
                crease,
            );
        }
    }
    // Eyes: ellipses made of a few stacked circles would look odd; use
    // lines for half-closed eyes and filled circles otherwise.
    for side in [-1.0f32, 1.0] {
        let eye = vec2(side * 0.38, 0.02);
        let gaze = vec2(ex.gaze * 0.06, 0.0);
        if ex.eyes < 0.5 {
            // Lowered lids: a gentle arc.
            let pts: Vec<Pos2> = (0..=8)
                .map(|i| {
                    let t = i as f32 / 8.0 * 2.0 - 1.0;
                    at(eye + gaze + vec2(t * 0.13, -0.05 * (1.0 - t * t) * ex.smile.signum()))
                })
                .collect();
            painter.add(egui::Shape::line(pts, line));
        } else {
            painter.circle_filled(at(eye), r * 0.12 * ex.eyes, Color32::WHITE);
            painter.circle_filled(at(eye + gaze), r * 0.075 * ex.eyes.max(0.6), ink);
        }
        // Eyebrows: inner end raised when worried, lowered when tense.
        let y = -0.2 - 0.12 * ex.brow_raise;
        let inner = at(vec2(side * 0.2, y - 0.1 * ex.brow_tilt));
        let outer = at(vec2(side * 0.52, y + 0.06 * ex.brow_tilt));
        painter.line_segment(
            [inner, outer],
            Stroke::new(line.width * 1.3, hair.lerp_to_gamma(ink, 0.5)),
        );
        if face.glasses {
            painter.circle_stroke(at(eye), r * 0.2, Stroke::new(line.width * 0.9, ink));
        }
    }
    if face.glasses {
        painter.line_segment(
            [at(vec2(-0.18, 0.0)), at(vec2(0.18, 0.0))],
            Stroke::new(line.width * 0.9, ink),
        );
    }
    // Mouth: a parabola, opened when talking freely.
    let width = 0.22 + 0.06 * ex.smile.abs();
    let top: Vec<Pos2> = (0..=12)
        .map(|i| {
            let t = i as f32 / 12.0 * 2.0 - 1.0;
            at(vec2(t * width, 0.5 + ex.smile * 0.12 * (1.0 - t * t)))
        })
        .collect();
    if ex.open > 0.05 {
        // An open mouth is a half-moon: a straight upper lip between the
        // corners and a curved lower one, so the polygon stays convex and
        // has no repeated points (a smile's curved upper lip once made a
        // crescent that egui's convex fill drew as a red wedge and spike).
        let shape = open_mouth(width, ex.smile, ex.open);
        painter.add(egui::Shape::convex_polygon(
            shape.into_iter().map(at).collect(),
            Color32::from_rgb(0xA8, 0x4A, 0x4A),
            line,
        ));
    } else {
        painter.add(egui::Shape::line(top, line));
    }
    // A sweat drop when uneasy or tense.
    if matches!(mood, Mood::Uneasy | Mood::Tense) {
        painter.circle_filled(
            at(vec2(0.85, -0.35)),
            r * 0.08,
            Color32::from_rgb(0x8F, 0xC3, 0xE8),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_open_mouth_is_convex_without_repeated_points() {
        for mood in Mood::ALL {
            let ex = expression(mood);
            let width = 0.22 + 0.06 * ex.smile.abs();
            let m = open_mouth(width, ex.smile, ex.open.max(0.06));
            for (i, a) in m.iter().enumerate() {
                for b in &m[i + 1..] {
                    assert!((*a - *b).length() > 1e-4, "{mood:?}: repeated point");
                }
            }
            // Every turn goes the same way.
            let n = m.len();
            let turns: Vec<f32> = (0..n)
                .map(|i| {
                    let (a, b, c) = (m[i], m[(i + 1) % n], m[(i + 2) % n]);
                    (b - a).x * (c - b).y - (b - a).y * (c - b).x
                })
                .collect();
            assert!(
                turns.iter().all(|t| *t > 0.0) || turns.iter().all(|t| *t < 0.0),
                "{mood:?}: not convex: {turns:?}"
            );
        }
    }

    #[test]
    fn every_mood_has_its_own_face() {
        for (i, a) in Mood::ALL.iter().enumerate() {
            for b in &Mood::ALL[i + 1..] {
                assert_ne!(
                    expression(*a),
                    expression(*b),
                    "{a:?} and {b:?} look the same"
                );
            }
        }
    }
}
