//! Reading one JSON object field by field: each read marks the key as known, type mismatches
//! become diagnostics, and `finish` reports every key nobody asked for (with a hint).

use crate::asl::codes;
use crate::asl::definition::Spanned;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::source::Span;
use crate::asl::suggest::did_you_mean;
use crate::asl::tree::{Member, Node, NodeKind, pointer_token};

/// Diagnostics collected while parsing a whole definition.
#[derive(Default)]
pub struct Sink {
    pub found: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.found.push(d);
    }
}

/// A view of one object being parsed.
pub struct Fields<'n> {
    pub node: &'n Node,
    pub pointer: String,
    members: &'n [Member],
    used: Vec<bool>,
}

impl<'n> Fields<'n> {
    /// `None` (and a diagnostic) when `node` is not an object.
    pub fn new(node: &'n Node, pointer: String, what: &str, sink: &mut Sink) -> Option<Fields<'n>> {
        match node.as_object() {
            Some(members) => Some(Fields { node, pointer, members, used: vec![false; members.len()] }),
            None => {
                sink.push(
                    Diagnostic::error(
                        codes::NOT_AN_OBJECT,
                        format!("{what} must be a JSON object, not {}", a_type(node)),
                    )
                    .at(node.span)
                    .pointer(pointer),
                );
                None
            }
        }
    }

    /// The pointer of a child field.
    pub fn child(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, pointer_token(key))
    }

    /// Takes a field, whatever its type.
    pub fn take(&mut self, key: &str) -> Option<&'n Member> {
        let i = self.members.iter().position(|m| m.key == key)?;
        self.used[i] = true;
        Some(&self.members[i])
    }

    pub fn has(&self, key: &str) -> bool {
        self.members.iter().any(|m| m.key == key)
    }

    /// A string field; a non-string is reported and skipped.
    pub fn string(&mut self, key: &str, sink: &mut Sink) -> Option<Spanned<String>> {
        let m = self.take(key)?;
        match m.value.as_str() {
            Some(s) => Some(Spanned { value: s.to_string(), key_span: m.key_span, span: m.value.span }),
            None => {
                sink.push(self.wrong_type(m, "a string"));
                None
            }
        }
    }

    /// A boolean field.
    pub fn boolean(&mut self, key: &str, sink: &mut Sink) -> Option<Spanned<bool>> {
        let m = self.take(key)?;
        match m.value.kind {
            NodeKind::Bool(b) => Some(Spanned { value: b, key_span: m.key_span, span: m.value.span }),
            _ => {
                sink.push(self.wrong_type(m, "a boolean"));
                None
            }
        }
    }

    /// A number field (any JSON number).
    pub fn number(&mut self, key: &str, sink: &mut Sink) -> Option<Spanned<f64>> {
        let m = self.take(key)?;
        match &m.value.kind {
            NodeKind::Number(n) => n.as_f64().map(|v| Spanned { value: v, key_span: m.key_span, span: m.value.span }),
            _ => {
                sink.push(self.wrong_type(m, "a number"));
                None
            }
        }
    }

    /// An integer field within `min..=max`.
    pub fn integer(&mut self, key: &str, min: i64, max: i64, sink: &mut Sink) -> Option<Spanned<i64>> {
        let m = self.take(key)?;
        let value = match &m.value.kind {
            NodeKind::Number(n) => n.as_i64(),
            _ => None,
        };
        match value {
            Some(v) if (min..=max).contains(&v) => Some(Spanned { value: v, key_span: m.key_span, span: m.value.span }),
            Some(v) => {
                sink.push(
                    Diagnostic::error(codes::BAD_VALUE, format!("'{key}' is {v}, but must be between {min} and {max}"))
                        .at(m.value.span)
                        .pointer(self.child(key)),
                );
                None
            }
            None => {
                sink.push(self.wrong_type(m, "an integer"));
                None
            }
        }
    }

    /// An array field.
    pub fn array(&mut self, key: &str, sink: &mut Sink) -> Option<(&'n Member, &'n [Node])> {
        let m = self.take(key)?;
        match m.value.as_array() {
            Some(items) => Some((m, items)),
            None => {
                sink.push(self.wrong_type(m, "an array"));
                None
            }
        }
    }

    /// The diagnostic for a field of the wrong JSON type. A `${Name}` placeholder is not wrong,
    /// only unknown until deployment: a warning.
    pub fn wrong_type(&self, m: &Member, expected: &str) -> Diagnostic {
        if let Some(name) = m.value.placeholder() {
            return unknown_value(&m.key, name, m.value.span, self.child(&m.key));
        }
        Diagnostic::error(codes::WRONG_TYPE, format!("'{}' must be {expected}, not {}", m.key, a_type(&m.value)))
            .at(m.value.span)
            .pointer(self.child(&m.key))
    }

    /// Keys not read so far, in source order.
    pub fn unused(&self) -> impl Iterator<Item = &'n Member> + '_ {
        self.members.iter().zip(&self.used).filter(|(_, u)| !**u).map(|(m, _)| m)
    }

    /// Reports every key not read, suggesting the closest of `known`.
    pub fn finish(self, what: &str, known: &[&str], sink: &mut Sink) {
        for m in self.unused() {
            let mut d =
                Diagnostic::error(codes::UNKNOWN_FIELD, format!("field '{}' is not supported in {what}", m.key))
                    .at(m.key_span)
                    .pointer(self.child(&m.key));
            if let Some(h) = did_you_mean(&m.key, known.iter().copied()) {
                d = d.help(h);
            }
            sink.push(d);
        }
    }
}

/// The warning for a field whose value is a deploy-time placeholder.
pub fn unknown_value(key: &str, name: &str, span: Span, pointer: String) -> Diagnostic {
    Diagnostic::warning(
        codes::UNRESOLVED_INTRINSIC,
        format!("'{key}' is the placeholder '${{{name}}}': its value is unknown until it is deployed"),
    )
    .at(span)
    .pointer(pointer)
    .help(format!(
        "give it a value with --substitute {name}=VALUE (or literal DefinitionSubstitutions in the template)"
    ))
}

/// `a string`, `an object`, … for messages.
pub fn a_type(node: &Node) -> String {
    let t = node.type_name();
    match t {
        "array" | "object" => format!("an {t}"),
        "null" => "null".to_string(),
        _ => format!("a {t}"),
    }
}
