//! A JSON document that remembers where every key and value came from. Both the JSON parser
//! (`json_text`) and the YAML loader produce it, so every later diagnostic shares one span model.

use serde_json::{Map, Number, Value};

use crate::asl::source::Span;

/// A value with its span (for strings, the span includes the quotes).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    /// For a string whose characters sit verbatim in the source (no escapes), where they start;
    /// lets an expression error point at the exact character.
    pub verbatim_start: Option<u32>,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One `"key": value` pair, in source order.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// The name of a deploy-time placeholder that is a whole value: `${ReminderTimeout}` gives
/// `ReminderTimeout`. `${!Literal}` is CloudFormation's escape for literal text, not a placeholder.
pub fn placeholder_name(s: &str) -> Option<&str> {
    let name = s.strip_prefix("${")?.strip_suffix('}')?;
    (!name.is_empty() && !name.starts_with('!') && !name.contains(['{', '}'])).then_some(name)
}

/// Every placeholder name inside a string (`arn:aws:lambda:${AWS::Region}:…:${FnName}` gives
/// `AWS::Region`, `FnName`), in order.
pub fn placeholder_names(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open..].find('}') else { break };
        if let Some(name) = placeholder_name(&rest[open..open + close + 1]) {
            out.push(name);
        }
        rest = &rest[open + close + 1..];
    }
    out
}

impl Node {
    /// The placeholder this value is, if it is a string that is exactly `${Name}`.
    pub fn placeholder(&self) -> Option<&str> {
        self.as_str().and_then(placeholder_name)
    }

    pub fn new(span: Span, kind: NodeKind) -> Node {
        Node { span, verbatim_start: None, kind }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The member named `key` of an object (the first one, if the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// The JSON type name used in messages (`string`, `object`, …).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
        }
    }

    /// The span of `len` characters starting at character `offset` of a string value; the
    /// whole value when its characters are not verbatim in the source.
    pub fn char_span(&self, offset: usize, len: usize) -> Span {
        match (&self.kind, self.verbatim_start) {
            (NodeKind::String(s), Some(start)) => {
                let byte = |chars: usize| s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b);
                let from = byte(offset);
                let to = byte(offset + len.max(1)).max(from + 1).min(s.len().max(from));
                Span::new(start as usize + from, start as usize + to)
            }
            _ => self.span,
        }
    }

    /// The plain JSON value, without positions.
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(n.clone()),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for m in members {
                    map.entry(m.key.clone()).or_insert_with(|| m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The node a JSON Pointer (`/States/A/Next`) names, if any.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let key = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.kind {
                NodeKind::Object(_) => &node.get(&key)?.value,
                NodeKind::Array(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// Escapes one JSON Pointer token.
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
