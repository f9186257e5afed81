//! CSV export of the board for the facilitator: nickname, scenario,
//! overall, each axis, time (UTC), reply mode (`choose` or `recall`: rank
//! each mode on its own). Opens in spreadsheet programs, Japanese
//! included.

/// Re-exported: the game formats a row's time with it.
pub use crate::files::rfc3339;
use crate::store::Entry;

/// The header row.
pub const HEADER: &str = "entry,nickname,scenario,title_ja,title_en,overall,listening,questions,change,outcome,time_utc,mode";

/// Every entry as CSV (RFC 4180, CRLF line ends, a UTF-8 byte-order mark so
/// spreadsheet programs read Japanese correctly).
pub fn export(entries: &[Entry]) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(HEADER);
    out.push_str("\r\n");
    for e in entries {
        let f = &e.finished;
        let s = f.scores;
        let cells = [
            e.id.to_string(),
            cell(&e.nickname),
            cell(&f.scenario),
            cell(&f.title.ja),
            cell(&f.title.en),
            s.overall.to_string(),
            s.listening.to_string(),
            s.questions.to_string(),
            s.change.to_string(),
            s.outcome.to_string(),
            rfc3339(f.finished_ms),
            f.mode.as_str().to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One text cell: quoted when needed; a leading `=`, `+`, `-`, `@` gets a
/// `'` so a spreadsheet never runs a nickname as a formula.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Scores;
    use kiku_core::Finished;
    use kiku_core::text::Text;

    #[test]
    fn escapes_and_defuses_formulas() {
        let entry = Entry {
            id: 7,
            nickname: "=cmd\"x\",y".into(),
            finished: Finished {
                scenario: "s".into(),
                title: Text::new("題", "A, B"),
                content_hash: String::new(),
                seed: 1,
                choices: vec![],
                ending: None,
                scores: Scores {
                    overall: 80,
                    listening: 70,
                    questions: 60,
                    change: 50,
                    outcome: 40,
                },
                finished_ms: 0,
                mode: kiku_core::Mode::Recall,
                prior: None,
            },
            extra: crate::store::Extra::new(),
        };
        let csv = export(&[entry]);
        assert!(csv.starts_with('\u{FEFF}'));
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "7,\"'=cmd\"\"x\"\",y\",s,題,\"A, B\",80,70,60,50,40,1970-01-01T00:00:00Z,recall"
        );
    }
}
