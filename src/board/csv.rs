//! CSV export of the board for the facilitator: nickname, scenario,
//! overall, each axis, time (UTC). Opens in spreadsheet programs, Japanese
//! included.

use crate::board::store::Entry;

/// The header row.
pub const HEADER: &str =
    "entry,nickname,scenario,title_ja,title_en,overall,listening,questions,change,outcome,time_utc";

/// Every entry as CSV (RFC 4180, CRLF line ends, a UTF-8 byte-order mark so
/// spreadsheet programs read Japanese correctly).
pub fn export(entries: &[Entry]) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(HEADER);
    out.push_str("\r\n");
    for e in entries {
        let s = e.scores;
        let cells = [
            e.id.to_string(),
            cell(&e.nickname),
            cell(&e.scenario),
            cell(&e.title.ja),
            cell(&e.title.en),
            s.overall.to_string(),
            s.listening.to_string(),
            s.questions.to_string(),
            s.change.to_string(),
            s.outcome.to_string(),
            rfc3339(e.created_ms),
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

/// Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::store::Scores;
    use crate::text::Text;

    #[test]
    fn times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599_999), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn escapes_and_defuses_formulas() {
        let entry = Entry {
            id: 7,
            nickname: "=cmd\"x\",y".into(),
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
            created_ms: 0,
        };
        let csv = export(&[entry]);
        assert!(csv.starts_with('\u{FEFF}'));
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "7,\"'=cmd\"\"x\"\",y\",s,題,\"A, B\",80,70,60,50,40,1970-01-01T00:00:00Z"
        );
    }
}
