//! A strict JSON parser that builds a [`Node`] tree with spans and reports duplicate keys
//! (serde_json silently keeps the last one; AWS rejects duplicate state names, rule 1.4).

use serde_json::Number;

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::source::Span;
use crate::asl::tree::{Member, Node, NodeKind};

/// Objects with at least this many members find duplicate keys through a hash set.
const INDEX_FROM: usize = 16;

/// Nesting deeper than this is refused instead of overflowing the stack. One limit for
/// definitions and execution input alike (AWS documents none; its 256 KiB payload limit is
/// what bounds real documents).
pub const MAX_DEPTH: usize = 512;

/// Parses `text` as one JSON value. A syntax error ends parsing (`Err`); duplicate keys are
/// collected in `warnings`-style diagnostics alongside a successful tree.
pub fn parse_json(text: &str) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    parse(text, false)
}

/// [`parse_json`] for a state machine definition, which may hold an unquoted `${Name}` where a
/// value goes (`"Seconds": ${ReminderTimeout}`): CloudFormation substitutes the text before
/// parsing it, so AWS never sees the placeholder. It becomes the string `"${Name}"`, which the
/// definition parser reports as a value unknown until deployment.
pub fn parse_definition_json(text: &str) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    parse(text, true)
}

/// Parses an execution's input: JSON as [`parse_value`] reads it, refused past AWS's 256 KiB
/// input quota as `StartExecution` refuses it. Every reader of an execution input goes here.
pub fn parse_execution_input(name: &str, text: &str) -> Result<serde_json::Value, String> {
    let value = parse_value(name, text)?;
    crate::asl::engine::limits::refuse_execution_input(name, &value)?;
    Ok(value)
}

/// Parses execution input (or any plain JSON document) to a value, with the same depth limit
/// as definitions. The error names `name` and the line and column.
pub fn parse_value(name: &str, text: &str) -> Result<serde_json::Value, String> {
    match parse_json(text) {
        Ok((node, _)) => Ok(node.to_value()),
        Err(d) => {
            let at = d.span.map_or(0, |s| s.start);
            let (line, col) = crate::asl::source::LineIndex::new(text).line_col(text, at);
            let message = d.message.strip_prefix("invalid JSON: ").unwrap_or(&d.message).to_string();
            Err(format!("{name}:{line}:{col}: input is not valid JSON: {message}"))
        }
    }
}

fn parse(text: &str, placeholders: bool) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    let mut p = Parser { text, bytes: text.as_bytes(), pos: 0, depth: 0, found: Vec::new(), placeholders };
    p.skip_ws();
    let bom = text.starts_with('\u{feff}');
    if bom {
        p.pos = 3;
        p.skip_ws();
    }
    if p.pos >= p.bytes.len() {
        return Err(syntax(p.pos, "the definition is empty; expected a JSON object"));
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(syntax(p.pos, &format!("unexpected {} after the end of the JSON value", p.describe_here())));
    }
    Ok((node, p.found))
}

fn syntax(pos: usize, message: &str) -> Diagnostic {
    Diagnostic::error(codes::SYNTAX, format!("invalid JSON: {message}")).at(Span::new(pos, pos + 1))
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    found: Vec<Diagnostic>,
    placeholders: bool,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "end of file".to_string(),
            Some(c) => format!("'{}'", c.escape_debug()),
        }
    }

    fn expected(&self, what: &str) -> Diagnostic {
        syntax(self.pos, &format!("expected {what}, found {}", self.describe_here()))
    }

    fn value(&mut self) -> Result<Node, Diagnostic> {
        match self.bytes.get(self.pos) {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => {
                let start = self.pos;
                let (s, verbatim) = self.string()?;
                let mut node = Node::new(Span::new(start, self.pos), NodeKind::String(s));
                node.verbatim_start = verbatim.then_some(start as u32 + 1);
                Ok(node)
            }
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'$') if self.placeholders && self.bytes.get(self.pos + 1) == Some(&b'{') => self.placeholder(),
            _ => Err(self.expected("a value")),
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Node, Diagnostic>) -> Result<Node, Diagnostic> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax(self.pos, &format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// An unquoted `${Name}`, read as the string `"${Name}"`.
    fn placeholder(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        let end = self.text[start..].find(['}', '\n', '"', ',']).map(|i| start + i);
        match end {
            Some(close) if self.bytes[close] == b'}' && close > start + 2 => {
                self.pos = close + 1;
                let mut node =
                    Node::new(Span::new(start, self.pos), NodeKind::String(self.text[start..self.pos].into()));
                node.verbatim_start = Some(start as u32);
                Ok(node)
            }
            _ => Err(syntax(start, "a '${' placeholder is not closed with '}'")),
        }
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Result<Node, Diagnostic> {
        let start = self.pos;
        if self.text[start..].starts_with(word) {
            self.pos += word.len();
            Ok(Node::new(Span::new(start, self.pos), kind))
        } else {
            Err(self.expected("a value"))
        }
    }

    fn number(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if self.bytes.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.expected("a digit"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.expected("a digit after '.'"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.expected("a digit in the exponent"));
            }
        }
        let lexeme = &self.text[start..self.pos];
        let number = serde_json::from_str::<Number>(lexeme)
            .map_err(|_| syntax(start, &format!("number '{lexeme}' is out of range")))?;
        Ok(Node::new(Span::new(start, self.pos), NodeKind::Number(number)))
    }

    /// Returns the decoded string and whether it had no escapes.
    fn string(&mut self) -> Result<(String, bool), Diagnostic> {
        self.pos += 1;
        let mut out = String::new();
        let mut verbatim = true;
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((out, verbatim));
                }
                Some(b'\\') => {
                    verbatim = false;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(syntax(self.pos, "control character inside a string; escape it")),
                None => return Err(syntax(self.pos, "unterminated string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&hi) && self.text[self.pos..].starts_with("\\u") {
                    self.pos += 2;
                    let lo = self.hex4(at)?;
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF))
                } else {
                    char::from_u32(hi)
                };
                out.push(c.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            _ => return Err(syntax(at, "invalid escape sequence in string")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, Diagnostic> {
        let hex = self.text.get(self.pos..self.pos + 4).ok_or_else(|| syntax(at, "truncated \\u escape"))?;
        let v = u32::from_str_radix(hex, 16).map_err(|_| syntax(at, "invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn array(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::new(Span::new(start, self.pos), NodeKind::Array(items)));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(Span::new(start, self.pos), NodeKind::Array(items)));
                }
                _ => return Err(self.expected("',' or ']'")),
            }
        }
    }

    fn object(&mut self) -> Result<Node, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        // Keys seen, once the object is big enough that scanning `members` would be quadratic.
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::new(Span::new(start, self.pos), NodeKind::Object(members)));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.expected("a string key"));
            }
            let key_start = self.pos;
            let (key, _) = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.expected("':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            let duplicate = if members.len() < INDEX_FROM {
                members.iter().any(|m| m.key == key)
            } else {
                if seen.is_empty() {
                    seen.extend(members.iter().map(|m| m.key.clone()));
                }
                !seen.insert(key.clone())
            };
            if duplicate {
                self.found.push(
                    Diagnostic::error(codes::DUPLICATE_KEY, format!("duplicate key '{key}'"))
                        .at(key_span)
                        .help("JSON parsers disagree on which copy wins; AWS rejects the definition"),
                );
            }
            members.push(Member { key, key_span, value });
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(Span::new(start, self.pos), NodeKind::Object(members)));
                }
                _ => return Err(self.expected("',' or '}'")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> Node {
        parse_json(text).expect("valid JSON").0
    }

    #[test]
    fn values_round_trip_to_serde_json() {
        let text = r#"{"a": [1, -2.5e3, true, null, "x\n\u00e9\ud83d\ude00"], "b": {}}"#;
        assert_eq!(ok(text).to_value(), serde_json::from_str::<serde_json::Value>(text).expect("json"));
        assert_eq!(ok("\"s\"").to_value(), json!("s"));
    }

    #[test]
    fn spans_cover_keys_and_values() {
        let text = r#"{ "Next": "Done" }"#;
        let node = ok(text);
        let m = node.get("Next").expect("member");
        assert_eq!(&text[m.key_span.start as usize..m.key_span.end as usize], "\"Next\"");
        assert_eq!(&text[m.value.span.start as usize..m.value.span.end as usize], "\"Done\"");
        assert_eq!(m.value.char_span(1, 2), Span::new(12, 14));
    }

    #[test]
    fn duplicate_keys_are_reported_not_dropped() {
        let (_, found) = parse_json(r#"{"States": {"A": 1, "A": 2}}"#).expect("parses");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("'A'"));
        assert_eq!(found[0].span, Some(Span::new(20, 23)));
    }

    #[test]
    fn syntax_errors_point_at_the_offending_byte() {
        for (text, at) in [("{\"a\": tru}", 6), ("{\"a\" 1}", 5), ("[1,]", 3), ("{} x", 3), ("", 0), ("\"abc", 4)] {
            let e = parse_json(text).expect_err(text);
            assert_eq!(e.span.map(|s| s.start), Some(at), "{text}: {}", e.message);
            assert_eq!(e.code, codes::SYNTAX);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(parse_json(&text).expect_err("too deep").message.contains("nesting"));
    }
}
