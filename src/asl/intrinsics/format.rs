//! `States.Format`: the template's `{}` placeholders and how each argument is rendered (rule 9.4).

use serde_json::Value;

/// A template split into literal text and `{}` holes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Hole,
}

impl Template {
    /// Splits a template written with intrinsic escapes: `\{` and `\}` are literal braces, `\'`
    /// and `\\` the quote and backslash; any other backslash is kept as it is (a template that
    /// comes from a path is plain data and may hold backslashes).
    pub fn parse(raw: &str) -> Template {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some(n @ ('{' | '}' | '\'' | '\\'))) => {
                    text.push(n);
                    chars.next();
                }
                ('{', Some('}')) => {
                    chars.next();
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                    pieces.push(Piece::Hole);
                }
                _ => text.push(c),
            }
        }
        pieces.push(Piece::Text(text));
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        Template { pieces }
    }

    /// The number of `{}` placeholders.
    pub fn holes(&self) -> usize {
        self.pieces.iter().filter(|p| matches!(p, Piece::Hole)).count()
    }

    /// Fills the holes in order; the caller has checked that `args` has [`holes`](Self::holes) items.
    pub fn fill(&self, args: &[Value]) -> String {
        let mut out = String::new();
        let mut next = args.iter();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Hole => {
                    if let Some(v) = next.next() {
                        render(v, &mut out);
                    }
                }
            }
        }
        out
    }
}

/// How AWS (Java) prints an argument: strings bare, scalars as JSON, arrays `[a, b]` and objects
/// `{k=v, k2=v2}` the way Java's `List`/`Map.toString` do, with strings inside them bare too.
pub fn render(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                render(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
