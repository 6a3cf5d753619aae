//! Walking a document along the steps of a path (Jayway's evaluation order: depth first, each
//! step feeding its matches to the next). Nothing is cloned while walking; matches are borrowed
//! from the document, except values a function or a key merge computes.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use super::SelectError;
use super::ast::{Filter, FilterRoot, Operand, Step, SubPath};
use super::filter;
use super::functions;

/// One step of a location, for normalized paths (`$['a'][0]`).
#[derive(Clone, Copy)]
enum Seg<'p, 'a> {
    Key(&'p str),
    DocKey(&'a str),
    Keys(&'p [String]),
    Index(usize),
    Func(&'static str),
}

/// A match: where it was found (when asked for) and its value.
pub(crate) struct Hit<'a> {
    pub location: Option<String>,
    pub value: Cow<'a, Value>,
}

/// The state of one evaluation.
pub(crate) struct Eval<'p, 'a> {
    /// `$` inside filters.
    doc: &'a Value,
    /// Build a location for every match.
    trace: bool,
    /// The whole path is definite: Jayway reports why it stopped, instead of skipping.
    definite: bool,
    segs: Vec<Seg<'p, 'a>>,
    pub hits: Vec<Hit<'a>>,
    pub error: Option<SelectError>,
}

impl<'p, 'a> Eval<'p, 'a> {
    pub(crate) fn new(doc: &'a Value, trace: bool, definite: bool) -> Self {
        Eval { doc, trace, definite, segs: Vec::new(), hits: Vec::new(), error: None }
    }

    /// Evaluates `steps[i..]` from `node`.
    pub(crate) fn walk(&mut self, steps: &'p [Step], i: usize, node: &'a Value) {
        if self.error.is_some() {
            return;
        }
        match steps.get(i) {
            None => self.push(Cow::Borrowed(node), None),
            Some(step) => self.step(step, steps, i + 1, node),
        }
    }

    fn push(&mut self, value: Cow<'a, Value>, extra: Option<Seg<'p, 'a>>) {
        let location = self.trace.then(|| {
            let mut s = format_segs(&self.segs);
            if let Some(seg) = extra {
                write_seg(&mut s, seg);
            }
            s
        });
        self.hits.push(Hit { location, value });
    }

    fn child(&mut self, seg: Seg<'p, 'a>, steps: &'p [Step], next: usize, node: &'a Value) {
        if self.trace {
            self.segs.push(seg);
            self.walk(steps, next, node);
            self.segs.pop();
        } else {
            self.walk(steps, next, node);
        }
    }

    fn fail(&mut self, e: SelectError) {
        if self.definite && self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Applies one step to `node`, continuing with `steps[next..]` for each match.
    fn step(&mut self, step: &'p Step, steps: &'p [Step], next: usize, node: &'a Value) {
        let last = next == steps.len();
        match step {
            Step::Name(name) => match node {
                Value::Object(m) => match m.get(name) {
                    Some(v) => self.child(Seg::Key(name), steps, next, v),
                    // A missing last name simply matches nothing ("No results" at the end).
                    None if !last => self.fail(SelectError::MissingProperty { normalized: normalized(&steps[..next]) }),
                    None => {}
                },
                _ => self.fail(not_an_object(step, &steps[..next - 1], node)),
            },
            Step::Names(names) if last => match node {
                Value::Object(m) => {
                    let merged: serde_json::Map<String, Value> =
                        names.iter().filter_map(|n| m.get(n).map(|v| (n.clone(), v.clone()))).collect();
                    self.push(Cow::Owned(Value::Object(merged)), Some(Seg::Keys(names)));
                }
                _ => self.fail(not_an_object(step, &steps[..next - 1], node)),
            },
            Step::Names(names) => {
                if let Value::Object(m) = node {
                    for n in names {
                        if let Some(v) = m.get(n) {
                            self.child(Seg::Key(n), steps, next, v);
                        }
                    }
                }
            }
            Step::Index(i) => match node {
                Value::Array(a) => {
                    if let Some(at) = resolve_index(*i, a.len()) {
                        self.child(Seg::Index(at), steps, next, &a[at]);
                    }
                }
                Value::Null => self.fail(SelectError::Mismatch {
                    message: format!("The path {} is null", normalized(&steps[..next - 1])),
                }),
                _ => self.fail(SelectError::Mismatch {
                    message: format!(
                        "Filter: [{i}] can only be applied to arrays. Current context is: {}",
                        java_text(node)
                    ),
                }),
            },
            Step::Indexes(ix) => {
                if let Value::Array(a) = node {
                    for i in ix {
                        if let Some(at) = resolve_index(*i, a.len()) {
                            self.child(Seg::Index(at), steps, next, &a[at]);
                        }
                    }
                }
            }
            Step::Slice { start, end } => {
                if let Value::Array(a) = node {
                    for at in slice_indexes(*start, *end, a.len()) {
                        self.child(Seg::Index(at), steps, next, &a[at]);
                    }
                }
            }
            Step::Wildcard => match node {
                Value::Object(m) => {
                    for (k, v) in m {
                        self.child(Seg::DocKey(k), steps, next, v);
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        self.child(Seg::Index(i), steps, next, v);
                    }
                }
                _ => {}
            },
            Step::Scan(inner) => self.scan(inner, steps, next, node),
            Step::Filter(f) => match node {
                // Jayway tests an object itself, and the elements of an array.
                Value::Object(_) if test(f, node, self.doc) => self.walk(steps, next, node),
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        // Rule 4.8: only objects are filter candidates.
                        if v.is_object() && test(f, v, self.doc) {
                            self.child(Seg::Index(i), steps, next, v);
                        }
                    }
                }
                _ => {}
            },
            Step::Function(f) => match functions::apply(*f, node) {
                Ok(v) => self.push(v, Some(Seg::Func(f.name()))),
                Err(message) => self.fail(SelectError::Function { message }),
            },
        }
    }

    /// `..inner`: the node and its descendant containers in pre-order, each given to `inner`.
    /// A scanned filter tests each object itself, as Jayway's scan does.
    fn scan(&mut self, inner: &'p Step, steps: &'p [Step], next: usize, node: &'a Value) {
        match (inner, node) {
            (Step::Filter(f), Value::Object(_)) if test(f, node, self.doc) => self.walk(steps, next, node),
            (Step::Filter(_), _) => {}
            // Jayway's scan merges keys only from objects that have all of them.
            (Step::Names(ns), Value::Object(m)) if next == steps.len() && !ns.iter().all(|n| m.contains_key(n)) => {}
            (_, Value::Object(_) | Value::Array(_)) => self.step(inner, steps, next, node),
            _ => {}
        }
        match node {
            Value::Object(m) => {
                for (k, v) in m {
                    if v.is_object() || v.is_array() {
                        self.enter(Seg::DocKey(k), |e| e.scan(inner, steps, next, v));
                    }
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    if v.is_object() || v.is_array() {
                        self.enter(Seg::Index(i), |e| e.scan(inner, steps, next, v));
                    }
                }
            }
            _ => {}
        }
    }

    fn enter(&mut self, seg: Seg<'p, 'a>, f: impl FnOnce(&mut Self)) {
        if self.trace {
            self.segs.push(seg);
            f(self);
            self.segs.pop();
        } else {
            f(self);
        }
    }
}

/// Whether the candidate `at` passes the filter; `doc` is what `$` means inside it.
fn test<'v>(f: &'v Filter, at: &'v Value, doc: &'v Value) -> bool {
    match f {
        Filter::Or(a, b) => test(a, at, doc) || test(b, at, doc),
        Filter::And(a, b) => test(a, at, doc) && test(b, at, doc),
        Filter::Not(a) => !test(a, at, doc),
        Filter::Exists(p) => match operand_path(p, at, doc) {
            filter::Operand::Value(v) if !p.definite => v.as_array().is_some_and(|a| !a.is_empty()),
            filter::Operand::Value(_) => true,
            _ => false,
        },
        Filter::Compare { left, op, right } => filter::compare(*op, &operand(left, at, doc), &operand(right, at, doc)),
    }
}

fn operand<'v>(o: &'v Operand, at: &'v Value, doc: &'v Value) -> filter::Operand<'v> {
    match o {
        Operand::Path(p) => operand_path(p, at, doc),
        Operand::Literal(v) => filter::Operand::Value(Cow::Borrowed(v)),
        Operand::Regex(r) => filter::Operand::Regex(r),
    }
}

/// The value a sub-path yields: one value (definite) or the array of its matches.
fn operand_path<'v>(p: &'v SubPath, at: &'v Value, doc: &'v Value) -> filter::Operand<'v> {
    let start = match p.root {
        FilterRoot::Current => at,
        FilterRoot::Document => doc,
    };
    if let Some(v) = simple(&p.steps, start) {
        return filter::Operand::Value(Cow::Borrowed(v));
    }
    let mut e = Eval::new(doc, false, p.definite);
    e.walk(&p.steps, 0, start);
    if p.definite {
        match e.hits.pop() {
            Some(h) if e.error.is_none() => filter::Operand::Value(h.value),
            _ => filter::Operand::Undefined,
        }
    } else {
        filter::Operand::Value(Cow::Owned(Value::Array(e.hits.into_iter().map(|h| h.value.into_owned()).collect())))
    }
}

/// A path of names and single indexes, walked without bookkeeping; `None` if it has other
/// steps or does not resolve.
pub(crate) fn simple<'a>(steps: &[Step], mut node: &'a Value) -> Option<&'a Value> {
    for s in steps {
        node = match (s, node) {
            (Step::Name(n), Value::Object(m)) => m.get(n)?,
            (Step::Index(i), Value::Array(a)) => &a[resolve_index(*i, a.len())?],
            _ => return None,
        };
    }
    Some(node)
}

/// An index into an array of `len`; negative counts from the end.
pub(crate) fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let len_i = i64::try_from(len).ok()?;
    let at = if i < 0 { len_i.checked_add(i)? } else { i };
    usize::try_from(at).ok().filter(|&a| a < len)
}

/// The indexes a slice selects, Jayway's way (`ArraySliceToken`): `[a:]` and `[:b]` count a
/// negative bound from the end, but `[a:b]` only caps `b` at the length, so `[1:-1]` selects
/// nothing and `[-2:4]` on five elements gives 3, 4, 0, 1, 2, 3.
fn slice_indexes(start: Option<i64>, end: Option<i64>, len: usize) -> Vec<usize> {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let from_end = |b: i64| if b < 0 { len_i.saturating_add(b) } else { b };
    let to_usize = |b: i64| usize::try_from(b.clamp(0, len_i)).unwrap_or(0);
    match (start, end) {
        (Some(s), None) => (to_usize(from_end(s))..len).collect(),
        (None, Some(e)) => (0..to_usize(from_end(e))).collect(),
        (Some(s), Some(e)) => {
            let to = e.min(len_i);
            if len == 0 || s >= to {
                return Vec::new();
            }
            // Indexes below -len resolve to nothing; skip them without counting.
            (s.max(-len_i)..to).filter_map(|i| resolve_index(i, len)).collect()
        }
        (None, None) => Vec::new(),
    }
}

/// Jayway's message when a name step meets something that is not an object. The Java class
/// names are those of Jayway's default JSON provider (json-smart); AWS's text is unverified.
fn not_an_object(step: &Step, before: &[Step], node: &Value) -> SelectError {
    let found = match node {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_f64() => "java.lang.Double",
        Value::Number(_) => "java.lang.Integer",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "net.minidev.json.JSONArray",
        Value::Object(_) => "net.minidev.json.JSONObject",
    };
    let mut fragment = String::new();
    write_step(&mut fragment, step);
    SelectError::Mismatch {
        message: format!(
            "Expected to find an object with property {fragment} in path {} but found '{found}'. This is not a json \
             object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
            normalized(before)
        ),
    }
}

/// How Java prints a JSON value in a message: strings bare, everything else as JSON.
fn java_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Jayway's bracket form of a (definite) path: `$['a'][0]`.
pub(crate) fn normalized(steps: &[Step]) -> String {
    let mut s = String::from("$");
    for step in steps {
        write_step(&mut s, step);
    }
    s
}

fn write_step(s: &mut String, step: &Step) {
    match step {
        Step::Name(n) => write_seg(s, Seg::Key(n)),
        // Jayway's fragment joins with ',' (its match locations use ", ").
        Step::Names(ns) => {
            let list: Vec<String> = ns.iter().map(|k| format!("'{k}'")).collect();
            let _ = write!(s, "[{}]", list.join(","));
        }
        Step::Index(i) => {
            let _ = write!(s, "[{i}]");
        }
        Step::Indexes(ix) => {
            let list: Vec<String> = ix.iter().map(i64::to_string).collect();
            let _ = write!(s, "[{}]", list.join(","));
        }
        Step::Slice { start, end } => {
            let b = |x: &Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
            let _ = write!(s, "[{}:{}]", b(start), b(end));
        }
        Step::Wildcard => s.push_str("[*]"),
        Step::Scan(inner) => {
            s.push_str("..");
            write_step(s, inner);
        }
        Step::Filter(_) => s.push_str("[?]"),
        Step::Function(f) => write_seg(s, Seg::Func(f.name())),
    }
}

fn format_segs(segs: &[Seg]) -> String {
    let mut s = String::from("$");
    for seg in segs {
        write_seg(&mut s, *seg);
    }
    s
}

fn write_seg(s: &mut String, seg: Seg) {
    let _ = match seg {
        Seg::Key(k) | Seg::DocKey(k) => write!(s, "['{k}']"),
        Seg::Keys(ks) => {
            let list: Vec<String> = ks.iter().map(|k| format!("'{k}'")).collect();
            write!(s, "[{}]", list.join(", "))
        }
        Seg::Index(i) => write!(s, "[{i}]"),
        Seg::Func(f) => write!(s, ".{f}()"),
    };
}
