//! Maps structural paths in a RON file (`nodes["open"].choices[2].next`) to
//! the line and column where that value starts, so semantic errors point at
//! the culprit. Runs only on text that already parsed as a scenario.

use std::collections::HashMap;

/// Path → (line, column) for every value in a RON document.
#[derive(Debug, Default)]
pub struct Locations {
    map: HashMap<String, (usize, usize)>,
    /// Map keys written more than once (`nodes["a"]` twice), which serde
    /// would silently merge: path and position of each repeat.
    pub duplicate_keys: Vec<(String, (usize, usize))>,
}

impl Locations {
    /// Indexes `source`.
    pub fn index(source: &str) -> Locations {
        let tokens = tokenize(source);
        let lines = LineIndex::new(source);
        let mut map = HashMap::new();
        let mut keys = std::collections::HashSet::new();
        let mut duplicate_keys = Vec::new();
        walk(&tokens, |path, offset, is_key| {
            if is_key && !keys.insert(path.to_string()) {
                duplicate_keys.push((path.to_string(), lines.line_col(offset)));
            }
            map.entry(path.to_string())
                .or_insert_with(|| lines.line_col(offset));
        });
        Locations {
            map,
            duplicate_keys,
        }
    }

    /// The position of `path`, or of its longest known prefix, or 1:1.
    pub fn find(&self, path: &str) -> (usize, usize) {
        let mut path = path;
        loop {
            if let Some(pos) = self.map.get(path) {
                return *pos;
            }
            match path.rfind(['.', '[']) {
                Some(cut) if cut > 0 => path = &path[..cut],
                _ => return (1, 1),
            }
        }
    }
}

/// Byte offsets of line starts, so each position lookup is a binary search
/// rather than a scan from the top of a large file.
struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(source: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { source, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .source
            .get(start..offset)
            .map_or(1, |text| text.chars().count() + 1);
        (line, column)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident(String),
    Str(String),
    Atom,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    offset: usize,
}

fn tokenize(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // RON block comments nest.
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                let mut text = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if let Some(ch) = source.get(i..).and_then(|s| s.chars().next()) {
                        text.push(ch);
                        i += ch.len_utf8();
                    } else {
                        i += 1;
                    }
                }
                i += 1;
                tokens.push(Token {
                    kind: Kind::Str(text),
                    offset: start,
                });
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                // Raw string: r"..." or r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                j += 1;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let body_start = j;
                while j < bytes.len() && !bytes[j..].starts_with(&close) {
                    j += 1;
                }
                let text = source.get(body_start..j).unwrap_or("").to_string();
                i = (j + close.len()).min(bytes.len());
                tokens.push(Token {
                    kind: Kind::Str(text),
                    offset: start,
                });
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(Token {
                    kind: Kind::Atom,
                    offset: start,
                });
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b',' => {
                i += 1;
                tokens.push(Token {
                    kind: Kind::Punct(c as char),
                    offset: start,
                });
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    kind: Kind::Ident(source[start..i].to_string()),
                    offset: start,
                });
            }
            _ => {
                // Numbers and anything else: one atom up to a delimiter.
                while i < bytes.len() && !b" \t\r\n()[]{}:,\"".contains(&bytes[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                }
                tokens.push(Token {
                    kind: Kind::Atom,
                    offset: start,
                });
            }
        }
    }
    tokens
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    Struct,
    Tuple,
    Seq,
    Map,
}

struct Frame {
    container: Container,
    index: usize,
    expecting_key: bool,
    // Length of the path string before this container's element segment.
    base: usize,
}

/// Walks the tokens and reports every value's path and byte offset.
fn walk(tokens: &[Token], mut visit: impl FnMut(&str, usize, bool)) {
    let mut path = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let punct = |i: usize, p: char| tokens.get(i).is_some_and(|t| t.kind == Kind::Punct(p));
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let top = stack.last().map(|f| (f.container, f.expecting_key, f.base));
        // Struct field name: `name:` sets the element segment.
        if let (Some((Container::Struct, _, base)), Kind::Ident(name)) = (top, &token.kind)
            && punct(i + 1, ':')
        {
            path.truncate(base);
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            i += 2;
            continue;
        }
        // Map key: `"key":`.
        if let Some((Container::Map, true, base)) = top
            && punct(i + 1, ':')
        {
            path.truncate(base);
            match &token.kind {
                Kind::Str(key) | Kind::Ident(key) => path.push_str(&format!("[{key:?}]")),
                _ => path.push_str("[?]"),
            }
            visit(&path, token.offset, true);
            if let Some(frame) = stack.last_mut() {
                frame.expecting_key = false;
            }
            i += 2;
            continue;
        }
        match &token.kind {
            Kind::Punct(',') => {
                if let Some(frame) = stack.last_mut() {
                    match frame.container {
                        Container::Seq | Container::Tuple => {
                            frame.index += 1;
                            path.truncate(frame.base);
                            path.push_str(&format!("[{}]", frame.index));
                        }
                        Container::Map => frame.expecting_key = true,
                        Container::Struct => {}
                    }
                }
                i += 1;
            }
            Kind::Punct(')' | ']' | '}') => {
                if let Some(frame) = stack.pop() {
                    path.truncate(frame.base);
                }
                i += 1;
            }
            Kind::Punct(open @ ('(' | '[' | '{')) => {
                visit(&path, token.offset, false);
                open_container(&mut stack, &mut path, *open, tokens, i);
                i += 1;
            }
            Kind::Ident(_) if punct(i + 1, '(') => {
                // A named struct, tuple or enum variant: `Choice(`, `Node("x")`.
                visit(&path, token.offset, false);
                open_container(&mut stack, &mut path, '(', tokens, i + 1);
                i += 2;
            }
            _ => {
                visit(&path, token.offset, false);
                i += 1;
            }
        }
    }
}

fn open_container(
    stack: &mut Vec<Frame>,
    path: &mut String,
    open: char,
    tokens: &[Token],
    at: usize,
) {
    let base = path.len();
    let is_ident = |i: usize| matches!(tokens.get(i).map(|t| &t.kind), Some(Kind::Ident(_)));
    let is_colon = |i: usize| tokens.get(i).is_some_and(|t| t.kind == Kind::Punct(':'));
    let container = match open {
        '[' => Container::Seq,
        '{' => Container::Map,
        _ if is_ident(at + 1) && is_colon(at + 2) => Container::Struct,
        _ => Container::Tuple,
    };
    if matches!(container, Container::Seq | Container::Tuple) {
        path.push_str("[0]");
    }
    stack.push(Frame {
        container,
        index: 0,
        expecting_key: container == Container::Map,
        base,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"Scenario(
    id: "x", // comment
    nodes: {
        "open": Node(
            lines: [ Line(text: (ja: "あ", en: "a")) ],
            choices: [
                Choice(id: "a", next: Node("b")),
                Choice(
                    id: "c",
                    next: End("done"),
                ),
            ],
        ),
    },
)"#;

    #[test]
    fn finds_nested_values() {
        let locations = Locations::index(SAMPLE);
        assert_eq!(locations.find("id"), (2, 9));
        assert_eq!(locations.find(r#"nodes["open"]"#), (4, 9));
        assert_eq!(locations.find(r#"nodes["open"].choices[0].next"#), (7, 39));
        assert_eq!(locations.find(r#"nodes["open"].choices[1].next"#), (10, 27));
        assert_eq!(locations.find(r#"nodes["open"].choices[1].id"#), (9, 25));
        assert_eq!(locations.find(r#"nodes["open"].lines[0].text.en"#), (5, 47));
    }

    #[test]
    fn unknown_paths_fall_back_to_a_prefix() {
        let locations = Locations::index(SAMPLE);
        assert_eq!(
            locations.find(r#"nodes["open"].choices[1].branches[3]"#),
            (8, 17)
        );
        assert_eq!(locations.find("nowhere"), (1, 1));
    }

    #[test]
    fn reports_duplicate_map_keys() {
        let locations = Locations::index("(nodes: {\n \"a\": 1,\n \"a\": 2,\n})");
        assert_eq!(
            locations.duplicate_keys,
            vec![(r#"nodes["a"]"#.to_string(), (3, 2))]
        );
    }

    #[test]
    fn survives_junk() {
        let _ = Locations::index("(((( ]]] }} \"unterminated r#\" /* x");
        let _ = Locations::index("r#");
    }
}
