//! YAML → the same spanned [`Node`] tree the JSON parser builds, so a definition written in YAML
//! gets the same diagnostics with `file:line:col` in the YAML file. Built on `saphyr-parser`'s
//! event stream (pure Rust, YAML 1.2). Scalars are typed by the YAML 1.2 core schema; what JSON
//! cannot hold (`.nan`, `.inf`, collection keys, unknown tags) is an `ASL010` error. CloudFormation
//! short-form tags (`!Sub`, `!Ref`, …) become their long form (`{"Fn::Sub": …}`) and are listed in
//! [`YamlDoc::cfn_tags`] so the loader can tell a template from a definition that misuses them.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::Number;

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::source::Span;
use crate::asl::tree::{Member, Node, NodeKind};

mod lenient;
mod scalar;

use scalar::plain;

/// Nesting deeper than this is refused (same limit as the JSON parser).
const MAX_DEPTH: usize = 512;
/// Aliases may expand to at most this many nodes in total ("billion laughs" guard).
const MAX_ALIAS_NODES: usize = 100_000;

/// CloudFormation short-form tags that take the `Fn::` prefix in long form.
const CFN_FN_TAGS: &[&str] = &[
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "Length",
    "ToJsonString",
    "ForEach",
];

/// A parsed YAML document.
#[derive(Debug)]
pub struct YamlDoc {
    pub tree: Node,
    /// Duplicate keys, unrepresentable values: found while building a usable tree.
    pub diagnostics: Vec<Diagnostic>,
    /// Every CloudFormation short-form tag, as (tag name, span of the tagged node).
    pub cfn_tags: Vec<(String, Span)>,
}

/// Re-parses after re-indenting at most this many times (each settles one construct).
const MAX_REINDENTS: usize = 64;

/// Parses `text` as one YAML document. A syntax error (or an empty stream) is `Err`. Indentation
/// that CloudFormation's and SAM's loaders accept but YAML 1.2 does not is accepted with an
/// `ASL010` warning (see [`lenient`]).
pub fn parse_yaml(text: &str) -> Result<YamlDoc, Diagnostic> {
    let mut fixed: Option<(String, lenient::Reindent, Vec<usize>)> = None;
    loop {
        let current = fixed.as_ref().map_or(text, |(t, _, _)| t.as_str());
        match parse_once(current) {
            Ok(mut doc) => {
                let Some((_, reindent, at)) = fixed else { return Ok(doc) };
                remap(&mut doc.tree, &reindent);
                for d in &mut doc.diagnostics {
                    d.span = d
                        .span
                        .map(|s| Span::new(reindent.original(s.start as usize), reindent.original(s.end as usize)));
                }
                for (tag, span) in &mut doc.cfn_tags {
                    let _ = tag;
                    *span = Span::new(reindent.original(span.start as usize), reindent.original(span.end as usize));
                }
                for o in at {
                    doc.diagnostics.push(
                        Diagnostic::warning(
                            codes::YAML,
                            "this line sits left of the construct it continues: YAML 1.2 rejects that, CloudFormation and SAM accept it",
                        )
                        .at(Span::new(o, (o + 1).min(text.len())))
                        .help("indent it past the key that opens the value"),
                    );
                }
                return Ok(doc);
            }
            Err(Failed { diagnostic, lenient: Some((info, at)) })
                if fixed.as_ref().is_none_or(|f| f.2.len() < MAX_REINDENTS) =>
            {
                let (t, r, spots) =
                    fixed.get_or_insert_with(|| (text.to_string(), lenient::Reindent::default(), Vec::new()));
                spots.push(r.original(at));
                if !r.fix(t, &info, at) {
                    return Err(unmapped(*diagnostic, r));
                }
            }
            Err(Failed { diagnostic, .. }) => {
                return Err(match &fixed {
                    Some((_, r, _)) => unmapped(*diagnostic, r),
                    None => *diagnostic,
                });
            }
        }
    }
}

fn unmapped(mut d: Diagnostic, r: &lenient::Reindent) -> Diagnostic {
    d.span = d.span.map(|s| Span::new(r.original(s.start as usize), r.original(s.end as usize)));
    d
}

fn remap(node: &mut Node, r: &lenient::Reindent) {
    let map = |s: Span| Span::new(r.original(s.start as usize), r.original(s.end as usize));
    node.span = map(node.span);
    node.verbatim_start = node.verbatim_start.map(|v| r.original(v as usize) as u32);
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| remap(n, r)),
        NodeKind::Object(members) => {
            for m in members {
                m.key_span = map(m.key_span);
                remap(&mut m.value, r);
            }
        }
        _ => {}
    }
}

/// A strict parse's failure; `lenient` holds a scanner complaint CloudFormation's loaders
/// would not make, with its byte offset.
struct Failed {
    diagnostic: Box<Diagnostic>,
    lenient: Option<(String, usize)>,
}

fn parse_once(text: &str) -> Result<YamlDoc, Failed> {
    let mut b = Builder {
        text,
        chars: CharOffsets::new(text),
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        alias_nodes: 0,
        found: Vec::new(),
        cfn_tags: Vec::new(),
        documents: 0,
    };
    let plain = |diagnostic| Failed { diagnostic: Box::new(diagnostic), lenient: None };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let info = e.info().to_string();
            let at = b.chars.byte(e.marker().index());
            Failed {
                diagnostic: Box::new(b.scan_error(&e)),
                lenient: lenient::is_lenient_error(&info).then_some((info, at)),
            }
        })?;
        let span = Span::new(b.chars.byte(span.start.index()), b.chars.byte(span.end.index()));
        b.event(event, span).map_err(plain)?;
    }
    let tree = b.root.ok_or_else(|| {
        plain(Diagnostic::error(codes::SYNTAX, "the definition is empty; expected a YAML mapping").at(Span::new(0, 0)))
    })?;
    Ok(YamlDoc { tree, diagnostics: b.found, cfn_tags: b.cfn_tags })
}

/// saphyr's markers count characters; spans count bytes.
enum CharOffsets {
    Ascii(usize),
    Table(Vec<u32>),
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets::Ascii(text.len());
        }
        let mut table: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        table.push(text.len() as u32);
        CharOffsets::Table(table)
    }

    fn byte(&self, char_index: usize) -> usize {
        match self {
            CharOffsets::Ascii(len) => char_index.min(*len),
            CharOffsets::Table(t) => t.get(char_index).or(t.last()).map_or(0, |b| *b as usize),
        }
    }
}

enum Frame {
    Seq {
        start: u32,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Node>,
    },
    Map {
        start: u32,
        anchor: usize,
        tag: Option<Tag>,
        members: Vec<Member>,
        key: Option<(String, Span)>,
        /// Keys so far, so spotting a duplicate does not scan `members` (20,000 states).
        seen: std::collections::HashSet<String>,
    },
}

struct Builder<'t> {
    text: &'t str,
    chars: CharOffsets,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    found: Vec<Diagnostic>,
    cfn_tags: Vec<(String, Span)>,
    documents: usize,
}

fn yaml_error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(codes::YAML, message).at(span)
}

impl Builder<'_> {
    fn scan_error(&self, e: &ScanError) -> Diagnostic {
        let at = self.chars.byte(e.marker().index());
        let end = (at + 1).min(self.text.len()).max(at);
        Diagnostic::error(codes::SYNTAX, format!("invalid YAML: {}", e.info())).at(Span::new(at, end))
    }

    fn event(&mut self, event: Event, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(yaml_error(span, "the file holds several YAML documents; expected one"));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
                    return self.key(value.into_owned(), span, anchor, tag.as_deref());
                }
                let node = self.scalar(&value, style, tag.as_deref(), span);
                self.finish(node, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(Frame::Seq {
                    start: span.start,
                    anchor,
                    tag: tag.map(|t| t.into_owned()),
                    items: Vec::new(),
                })?;
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag.map(|t| t.into_owned());
                let seen = std::collections::HashSet::new();
                self.open(Frame::Map { start: span.start, anchor, tag, members: Vec::new(), key: None, seen })?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            Event::Alias(id) => self.alias(id, span)?,
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), Diagnostic> {
        if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
            let start = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start as usize,
            };
            return Err(yaml_error(
                Span::new(start, start + 1),
                "a mapping key is a collection; JSON keys are strings",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(yaml_error(Span::new(0, 0), format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), Diagnostic> {
        let (node, anchor) = match self.stack.pop() {
            Some(Frame::Seq { start, anchor, tag, items }) => {
                let node = Node::new(Span::new(start as usize, span.end as usize), NodeKind::Array(items));
                (self.tagged(node, tag.as_ref()), anchor)
            }
            Some(Frame::Map { start, anchor, tag, members, .. }) => {
                let node = Node::new(Span::new(start as usize, span.end as usize), NodeKind::Object(members));
                (self.tagged(node, tag.as_ref()), anchor)
            }
            None => return Ok(()),
        };
        self.finish(node, anchor)
    }

    /// Places a complete node: in its parent, or as the root.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), Diagnostic> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { members, key, seen, .. }) => match key.take() {
                Some((key, key_span)) => {
                    if !seen.insert(key.clone()) {
                        self.found.push(
                            Diagnostic::error(codes::DUPLICATE_KEY, format!("duplicate key '{key}'"))
                                .at(key_span)
                                .help("YAML and JSON parsers disagree on which copy wins; AWS rejects the definition"),
                        );
                    }
                    members.push(Member { key, key_span, value: node });
                }
                // An alias used as a key: keys must be plain text.
                None => match node.kind {
                    NodeKind::String(s) => *key = Some((s, node.span)),
                    _ => return Err(yaml_error(node.span, "a mapping key is not a string; JSON keys are strings")),
                },
            },
        }
        Ok(())
    }

    fn key(&mut self, value: String, span: Span, anchor: usize, tag: Option<&Tag>) -> Result<(), Diagnostic> {
        if tag.is_some_and(|t| !(t.is_yaml_core_schema() && t.suffix == "str")) {
            self.found.push(yaml_error(span, "a tag on a mapping key; JSON keys are plain strings"));
        }
        if anchor != 0 {
            self.anchors.insert(anchor, Node::new(span, NodeKind::String(value.clone())));
        }
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some((value, span));
        }
        Ok(())
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), Diagnostic> {
        let Some(target) = self.anchors.get(&id) else {
            let inside = self.stack.iter().any(|f| match f {
                Frame::Seq { anchor, .. } | Frame::Map { anchor, .. } => *anchor == id,
            });
            let message = if inside {
                "this alias refers to a collection it is inside (a recursive alias); JSON cannot hold a cycle"
            } else {
                "an alias names no anchor defined before it"
            };
            return Err(yaml_error(span, message));
        };
        self.alias_nodes += count_nodes(target);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(yaml_error(span, format!("aliases expand to more than {MAX_ALIAS_NODES} values")));
        }
        // The copy keeps the anchored value's inner spans (that is where its text is); the alias
        // itself is blamed for the value as a whole.
        let mut node = target.clone();
        node.span = span;
        node.verbatim_start = None;
        self.finish(node, 0)
    }

    /// Applies a collection's tag: CloudFormation short forms wrap the node; others are errors.
    fn tagged(&mut self, node: Node, tag: Option<&Tag>) -> Node {
        let Some(tag) = tag else { return node };
        if tag.is_yaml_core_schema() {
            let fits = match tag.suffix.as_str() {
                "seq" => matches!(node.kind, NodeKind::Array(_)),
                "map" => matches!(node.kind, NodeKind::Object(_)),
                _ => false,
            };
            if !fits {
                self.found.push(yaml_error(node.span, format!("the tag '!!{}' does not fit this value", tag.suffix)));
            }
            return node;
        }
        self.cfn(node, tag)
    }

    fn cfn(&mut self, node: Node, tag: &Tag) -> Node {
        let name = tag.suffix.as_str();
        let key = if tag.handle == "!" && (name == "Ref" || name == "Condition") {
            name.to_string()
        } else if tag.handle == "!" && CFN_FN_TAGS.contains(&name) {
            format!("Fn::{name}")
        } else {
            self.found.push(
                yaml_error(node.span, format!("unknown tag '{tag}'; JSON has no tags"))
                    .help("only the YAML core tags (!!str, !!int, …) and CloudFormation's short forms (!Sub, !Ref, …) are understood"),
            );
            return node;
        };
        let span = node.span;
        self.cfn_tags.push((name.to_string(), span));
        Node::new(span, NodeKind::Object(vec![Member { key, key_span: span, value: node }]))
    }

    fn scalar(&mut self, value: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Node {
        let kind = match (style, tag) {
            (ScalarStyle::Plain, None) => plain(value),
            (_, Some(t)) if t.is_yaml_core_schema() => self.core_tagged(value, &t.suffix, span),
            (_, Some(t)) if !(t.handle.is_empty() && t.suffix == "!") => {
                let node = Node::new(span, NodeKind::String(value.to_string()));
                return self.cfn(node, t);
            }
            _ => Ok(NodeKind::String(value.to_string())),
        };
        let kind = kind.unwrap_or_else(|why| {
            self.found.push(yaml_error(span, why));
            NodeKind::Null
        });
        let mut node = Node::new(span, kind);
        if let NodeKind::String(s) = &node.kind {
            let raw = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
            if raw == s {
                node.verbatim_start = Some(span.start);
            } else if raw.len() == s.len() + 2 && raw.get(1..raw.len() - 1) == Some(s.as_str()) {
                node.verbatim_start = Some(span.start + 1);
            }
        }
        node
    }

    fn core_tagged(&self, value: &str, suffix: &str, _span: Span) -> Result<NodeKind, String> {
        let typed = plain(value)?;
        let ok = match suffix {
            "str" => return Ok(NodeKind::String(value.to_string())),
            "null" => matches!(typed, NodeKind::Null),
            "bool" => matches!(typed, NodeKind::Bool(_)),
            "int" => matches!(&typed, NodeKind::Number(n) if !n.is_f64()),
            "float" => {
                if let NodeKind::Number(n) = &typed {
                    return n
                        .as_f64()
                        .and_then(Number::from_f64)
                        .map(NodeKind::Number)
                        .ok_or_else(|| "not a float".into());
                }
                false
            }
            other => return Err(format!("the tag '!!{other}' has no JSON equivalent")),
        };
        if ok { Ok(typed) } else { Err(format!("'{value}' is not a valid '!!{suffix}'")) }
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Array(items) => items.iter().map(count_nodes).sum(),
        NodeKind::Object(members) => members.iter().map(|m| count_nodes(&m.value)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
