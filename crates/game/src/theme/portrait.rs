//! The member's portrait, drawn with egui shapes: the expression follows the
//! mood of the current line, and the face warms as trust grows.

use bevy_egui::egui::{self, Color32, Pos2, Stroke, Vec2, vec2};

use kiku_core::scenario::Mood;

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

/// Draws the portrait into a square of `size` points; `trust` 0-100 warms
/// the cheeks and the background.
pub fn draw(ui: &mut egui::Ui, mood: Mood, trust: i32, size: f32) -> egui::Response {
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
    let at = |v: Vec2| -> Pos2 { c + rotate(v * r, ex.tilt) };
    let ink = Color32::from_rgb(0x3A, 0x33, 0x38);
    let line = Stroke::new((size * 0.018).max(1.5), ink);
    // Shoulders and hair behind the face.
    painter.circle_filled(
        c + vec2(0.0, r * 2.05),
        r * 1.35,
        Color32::from_rgb(0x4A, 0x5A, 0x7A),
    );
    painter.circle_filled(
        at(vec2(0.0, -0.12)),
        r * 1.1,
        Color32::from_rgb(0x2F, 0x29, 0x2E),
    );
    // Face.
    let skin = Color32::from_rgb(0xF6, 0xDB, 0xC4);
    painter.circle_filled(at(vec2(0.0, 0.08)), r, skin);
    // Fringe.
    painter.circle_filled(
        at(vec2(-0.45, -0.72)),
        r * 0.5,
        Color32::from_rgb(0x2F, 0x29, 0x2E),
    );
    painter.circle_filled(
        at(vec2(0.2, -0.8)),
        r * 0.55,
        Color32::from_rgb(0x2F, 0x29, 0x2E),
    );
    // Cheeks warm with trust.
    let blush = Color32::from_rgba_unmultiplied(0xF0, 0x8A, 0x8A, (40.0 + 110.0 * warm) as u8);
    for side in [-1.0f32, 1.0] {
        painter.circle_filled(at(vec2(side * 0.55, 0.38)), r * 0.16, blush);
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
        painter.line_segment([inner, outer], Stroke::new(line.width * 1.3, ink));
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
