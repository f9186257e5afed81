//! How acts are spelt in `kiku.hear/1` and in evaluation files:
//! `"ComplexReflection"`, `"Question(open, Person, Being)"`,
//! `"Question(closed, Person, Fact, blaming)"`. Parsing also accepts the
//! RON form of scenario files (`Question(open: true, focus: Person, frame: Being)`).

use kiku_core::act::{Act, Focus, Frame, Question};

/// The act's name as in `kiku.hear/1`.
pub fn spell(act: &Act) -> String {
    match act {
        Act::Question(q) => {
            let mut parts = vec![
                if q.open { "open" } else { "closed" }.to_string(),
                format!("{:?}", q.focus),
                format!("{:?}", q.frame),
            ];
            for (flag, name) in [
                (q.leading, "leading"),
                (q.blaming, "blaming"),
                (q.follow_up, "follow_up"),
            ] {
                if flag {
                    parts.push(name.to_string());
                }
            }
            format!("Question({})", parts.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// Parses an act name (either spelling); `None` when it names no act.
pub fn parse(name: &str) -> Option<Act> {
    let name = name.trim();
    if let Some(inner) = name
        .strip_prefix("Question")
        .map(str::trim)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
    {
        let mut q = Question {
            open: true,
            focus: Focus::Person,
            frame: Frame::Fact,
            leading: false,
            blaming: false,
            follow_up: false,
        };
        for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = match part.split_once(':') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => ("", part),
            };
            match (key, value) {
                ("open", "true") | ("", "open") => q.open = true,
                ("open", "false") | ("", "closed") => q.open = false,
                ("leading", v) | ("", v @ "leading") => q.leading = v != "false",
                ("blaming", v) | ("", v @ "blaming") => q.blaming = v != "false",
                ("follow_up", v) | ("", v @ "follow_up") => q.follow_up = v != "false",
                (_, "Person") => q.focus = Focus::Person,
                (_, "Work") => q.focus = Focus::Work,
                (_, frame) => q.frame = parse_frame(frame)?,
            }
        }
        return Some(Act::Question(q));
    }
    Act::kinds()
        .into_iter()
        .find(|a| !matches!(a, Act::Question(_)) && format!("{a:?}") == name)
}

fn parse_frame(name: &str) -> Option<Frame> {
    Some(match name {
        "Being" => Frame::Being,
        "Doing" => Frame::Doing,
        "Feeling" => Frame::Feeling,
        "Fact" => Frame::Fact,
        "Values" => Frame::Values,
        "Change" => Frame::Change,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for act in Act::kinds() {
            assert_eq!(parse(&spell(&act)), Some(act.clone()), "{}", spell(&act));
        }
        assert_eq!(
            spell(
                &parse("Question(open: false, focus: Work, frame: Fact, leading: true)").unwrap()
            ),
            "Question(closed, Work, Fact, leading)"
        );
        assert_eq!(parse("Nonsense"), None);
        assert_eq!(parse("Question(open, Person, Nowhere)"), None);
    }
}
