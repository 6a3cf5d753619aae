//! Text assembled from pieces of a template (a `DefinitionString`, the parts of an `Fn::Join`,
//! `${…}` substitutions) that remembers, byte by byte, where in the template each piece came
//! from. The definition inside is parsed as its own text, then every span is mapped back, so a
//! diagnostic points into the template file rather than into an invisible string.

use crate::asl::diagnostic::Diagnostic;
use crate::asl::source::Span;
use crate::asl::tree::{Node, NodeKind};

/// How far ahead in the raw source a decoded character is looked for. Covers the indentation
/// of a YAML block scalar and JSON escapes; characters not found (folded line breaks, `\n`
/// escapes) map to the current position instead, so the map stays monotonic.
const ALIGN_WINDOW: usize = 64;

/// A string plus, for each byte and one past the end, its byte offset in the template.
#[derive(Clone, Debug, Default)]
pub struct MappedText {
    pub text: String,
    origin: Vec<u32>,
}

impl MappedText {
    /// The decoded value of a string node, aligned against its raw text in `source`.
    pub fn from_node(value: &str, node_span: Span, source: &str) -> MappedText {
        let base = node_span.start as usize;
        let raw = source.get(base..node_span.end as usize).unwrap_or("");
        let mut origin = Vec::with_capacity(value.len() + 1);
        let mut r = 0;
        for c in value.chars() {
            let window = raw.get(r..).unwrap_or("").char_indices().take(ALIGN_WINDOW);
            let at = match window.into_iter().find(|&(_, rc)| rc == c) {
                Some((j, rc)) => {
                    let at = r + j;
                    r = at + rc.len_utf8();
                    at
                }
                None => r,
            };
            origin.extend(std::iter::repeat_n((base + at) as u32, c.len_utf8()));
        }
        origin.push((base + r) as u32);
        MappedText { text: value.to_string(), origin }
    }

    /// A whole file's text, each byte at its own offset.
    pub fn identity(text: &str) -> MappedText {
        MappedText { text: text.to_string(), origin: (0..=text.len() as u32).collect() }
    }

    /// Text that stands for a whole span (a placeholder for an unresolved intrinsic).
    pub fn placeholder(text: &str, span: Span) -> MappedText {
        let mut origin = vec![span.start; text.len()];
        origin.push(span.end);
        MappedText { text: text.to_string(), origin }
    }

    pub fn push(&mut self, other: &MappedText) {
        self.origin.pop();
        self.text.push_str(&other.text);
        self.origin.extend_from_slice(&other.origin);
    }

    /// The template offset of byte `i` of the text.
    pub fn origin(&self, i: usize) -> u32 {
        self.origin.get(i).or(self.origin.last()).copied().unwrap_or(0)
    }

    /// Replaces every `${name}` that `lookup` resolves; `${!name}` becomes a literal `${name}`
    /// (CloudFormation's escape). Returns the names left unresolved, in order, without repeats.
    pub fn substitute(&mut self, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        let mut out = MappedText::default();
        out.origin.push(self.origin(0));
        let mut unresolved: Vec<String> = Vec::new();
        let mut i = 0;
        while let Some(found) = self.text[i..].find("${") {
            let open = i + found;
            let Some(close) = self.text[open..].find('}').map(|c| open + c) else { break };
            out.push(&self.slice(i, open));
            let name = &self.text[open + 2..close];
            let whole = Span::new(self.origin(open) as usize, self.origin(close + 1) as usize);
            if let Some(literal) = name.strip_prefix('!') {
                out.push(&MappedText::placeholder(&format!("${{{literal}}}"), whole));
            } else if let Some(value) = lookup(name) {
                out.push(&MappedText::placeholder(&value, whole));
            } else {
                if !unresolved.iter().any(|u| u == name) {
                    unresolved.push(name.to_string());
                }
                out.push(&self.slice(open, close + 1));
            }
            i = close + 1;
        }
        out.push(&self.slice(i, self.text.len()));
        *self = out;
        unresolved
    }

    fn slice(&self, from: usize, to: usize) -> MappedText {
        MappedText { text: self.text[from..to].to_string(), origin: self.origin[from..=to].to_vec() }
    }

    /// The template span of bytes `from..to` of the text.
    pub fn span_of(&self, from: usize, to: usize) -> Span {
        Span { start: self.origin(from), end: self.origin(to).max(self.origin(from)) }
    }

    fn span(&self, span: Span) -> Span {
        Span { start: self.origin(span.start as usize), end: self.origin(span.end as usize) }
    }

    /// Moves every span of a tree parsed from this text into the template.
    pub fn remap_node(&self, node: &mut Node) {
        if let Some(v) = node.verbatim_start {
            node.verbatim_start = self.contiguous(v as usize, node.as_str().map_or(0, str::len));
        }
        node.span = self.span(node.span);
        match &mut node.kind {
            NodeKind::Array(items) => items.iter_mut().for_each(|n| self.remap_node(n)),
            NodeKind::Object(members) => {
                for m in members {
                    m.key_span = self.span(m.key_span);
                    self.remap_node(&mut m.value);
                }
            }
            _ => {}
        }
    }

    pub fn remap_diagnostic(&self, mut d: Diagnostic) -> Diagnostic {
        d.span = d.span.map(|s| self.span(s));
        d
    }

    /// The template offset of `len` bytes at `start`, if they sit there unchanged; expression
    /// diagnostics then point at the exact character.
    fn contiguous(&self, start: usize, len: usize) -> Option<u32> {
        let first = *self.origin.get(start)?;
        (0..len).all(|k| self.origin.get(start + k) == Some(&(first + k as u32))).then_some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_map_back_to_their_characters() {
        let source = r#"{"DefinitionString": "{\"StartAt\": \"A\"}"}"#;
        let start = source.find(r#""{\"#).expect("literal");
        let span = Span::new(start, source.len() - 1);
        let m = MappedText::from_node(r#"{"StartAt": "A"}"#, span, source);
        let a = m.text.find('A').expect("A");
        assert_eq!(&source[m.origin(a) as usize..][..1], "A");
        let s = m.text.find("StartAt").expect("key");
        assert_eq!(&source[m.origin(s) as usize..][..7], "StartAt");
    }

    #[test]
    fn block_scalar_lines_map_past_the_indentation() {
        let source = "X: |\n    {\n      \"StartAt\": \"A\"\n    }\n";
        let value = "{\n  \"StartAt\": \"A\"\n}\n";
        let start = source.find('{').expect("brace");
        let m = MappedText::from_node(value, Span::new(start, source.len()), source);
        let s = value.find("StartAt").expect("key");
        assert_eq!(&source[m.origin(s) as usize..][..7], "StartAt");
        assert_eq!(m.contiguous(s, 7), Some(m.origin(s)));
    }

    #[test]
    fn substitution_replaces_known_names_and_lists_the_rest() {
        let source = "\"arn:${Region}:${Account}:${!Literal}\"";
        let value = "arn:${Region}:${Account}:${!Literal}";
        let mut m = MappedText::from_node(value, Span::new(0, source.len()), source);
        let left = m.substitute(&|n| (n == "Region").then(|| "eu-west-1".to_string()));
        assert_eq!(m.text, "arn:eu-west-1:${Account}:${Literal}");
        assert_eq!(left, ["Account"]);
        let acc = m.text.find("${Account").expect("kept");
        assert_eq!(&source[m.origin(acc) as usize..][..10], "${Account}");
    }
}
