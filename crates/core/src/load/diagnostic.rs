//! Diagnostics for facilitators: `file:line:column: message`, the offending
//! line with its neighbours and a caret, like a compiler.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth fixing; the scenario still plays.
    Warning,
    /// The scenario cannot be played until fixed.
    Error,
}

/// One problem found in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file as given by the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in words a facilitator understands.
    pub message: String,
    /// Where in the scenario's structure, e.g. `nodes["open"].choices[2].next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Diagnostic {
    /// The one-line form: `file:line:column: error: message`.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {severity}: {}",
            self.file, self.line, self.column, self.message
        )
    }

    /// The headline, then the line before, the offending line and the line
    /// after from `source`, with a caret under the column. Safe for any
    /// input: out-of-range positions, tabs, control characters, long lines.
    pub fn render(&self, source: &str) -> String {
        let mut out = self.headline();
        out.push('\n');
        let lines: Vec<&str> = source.lines().collect();
        if lines.is_empty() || self.line == 0 || self.line > lines.len() {
            return out;
        }
        let first = self.line.saturating_sub(1).max(1);
        let last = (self.line + 1).min(lines.len());
        let width = last.to_string().len();
        let _ = writeln!(out, "{:width$} |", "");
        for number in first..=last {
            let text = printable(lines[number - 1]);
            let _ = writeln!(out, "{number:>width$} | {text}");
            if number == self.line {
                let caret_at = self.column.saturating_sub(1).min(text.chars().count());
                // Pad by display width so the caret sits under wide (CJK) text.
                let pad: String = text
                    .chars()
                    .take(caret_at)
                    .map(|c| match c {
                        '\t' => "\t".to_string(),
                        _ => " ".repeat(c.width().unwrap_or(0)),
                    })
                    .collect();
                let _ = writeln!(out, "{:width$} | {pad}^", "");
            }
        }
        out
    }
}

/// A line made safe to print: control characters shown as `�`, and cut at
/// 200 characters so a minified 50 MB line does not flood the terminal.
fn printable(line: &str) -> String {
    const MAX_CHARS: usize = 200;
    let mut text: String = line
        .chars()
        .take(MAX_CHARS)
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if line.chars().nth(MAX_CHARS).is_some() {
        text.push('…');
    }
    text
}

/// Converts a byte offset in `source` to a 1-based line and column (columns
/// count characters). Offsets past the end land on the last position.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(line: usize, column: usize) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: "a.ron".into(),
            line,
            column,
            message: "broken".into(),
            path: None,
        }
    }

    #[test]
    fn renders_neighbours_and_caret() {
        let out = diag(2, 5).render("one\ntwo three\nfour\n");
        assert_eq!(
            out,
            "a.ron:2:5: error: broken\n  |\n1 | one\n2 | two three\n  |     ^\n3 | four\n"
        );
    }

    #[test]
    fn never_panics_on_odd_positions() {
        for (line, column) in [(0, 0), (1, 999), (99, 1)] {
            let _ = diag(line, column).render("é\u{0}\tx");
        }
        let _ = diag(1, 1).render("");
    }

    #[test]
    fn offsets_to_positions() {
        assert_eq!(line_col("ab\ncé d", 6), (2, 3));
        assert_eq!(line_col("ab", 100), (1, 3));
        // Inside a multi-byte character: snaps back to its start.
        assert_eq!(line_col("é", 1), (1, 1));
    }
}
