//! Evaluates a parsed JSONata expression over serde_json values, following the reference
//! implementation's sequence semantics (singleton collapse, flattening, tuple streams for
//! `@`/`#`/`%`). Time and randomness come from an injected [`JsonataEnv`].

mod functions;
mod signature;
mod value;

use std::cmp::Ordering;
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::asl::jsonata::ast::{Ast, BinaryOp, Group, Kind, Node, SortTerm, Stage};
use crate::asl::jsonata::error::JsonataError;
use value::{Arr, Frame, Func, Obj, V, deep_equal};

/// What evaluation needs from the outside world; nothing else reaches a clock or entropy.
pub trait JsonataEnv {
    /// Milliseconds since the Unix epoch; read once per evaluation (`$now()`, `$millis()`).
    fn now_millis(&mut self) -> i64;
    /// A number in `[0, 1)` (`$random()`, `$uuid()`, `$shuffle()`).
    fn random(&mut self) -> f64;
}

/// Deepest evaluation nesting before U1001, so runaway recursion is an error, not a crash.
pub const MAX_EVAL_DEPTH: usize = 5_000;

/// Native stack one evaluation may use before U1001. Frame sizes differ a lot between debug and
/// release builds, so the guard measures the stack itself; 1 MiB leaves room on a 2 MiB thread.
pub const STACK_BUDGET_BYTES: usize = 1 << 20;

/// An address on the current stack, to measure how deep the evaluation has gone.
#[inline(always)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

type R<'a> = Result<V<'a>, JsonataError>;

impl Ast {
    /// Evaluates against `input` with extra variable `bindings` (`$name` → value).
    /// `Ok(None)` is JSONata's *undefined* (no result).
    pub fn evaluate(
        &self,
        input: &Value,
        bindings: &Map<String, Value>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Option<Value>, JsonataError> {
        self.evaluate_with(Some(input), bindings, env)
    }

    /// As [`Ast::evaluate`], where `None` input is *undefined* (no input document at all).
    pub fn evaluate_with(
        &self,
        input: Option<&Value>,
        bindings: &Map<String, Value>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Option<Value>, JsonataError> {
        let now = env.now_millis();
        let labels = self.slots.iter().map(|s| s.label.clone()).collect();
        let mut ev = Evaluator { env, now, depth: 0, labels, stack_base: stack_address() };
        let frame = Rc::new(Frame::default());
        for (k, v) in bindings {
            frame.bind(k, V::from_json(v));
        }
        let input = input.map_or(V::Undefined, V::from_json);
        frame.bind("$", input.clone());
        // A top-level array is wrapped in a one-item sequence so paths map over it as a whole.
        let input = match input {
            V::Arr(a) => {
                V::Arr(Rc::new(Arr { items: vec![V::Arr(a)], sequence: true, outer_wrapper: true, ..Arr::default() }))
            }
            other => other,
        };
        let result = ev.eval(&self.root, &input, &frame)?;
        match &result {
            V::Num(n) if !n.is_finite() => {
                Err(JsonataError::with_message("D1001", self.root.pos, "Number out of range"))
            }
            _ => Ok(result.to_json()),
        }
    }
}

pub(crate) struct Evaluator<'e> {
    env: &'e mut dyn JsonataEnv,
    now: i64,
    depth: usize,
    /// Binding names of the `%` slots, indexed like `Ast::slots`.
    labels: Vec<String>,
    /// Stack address when evaluation started (see `STACK_BUDGET_BYTES`).
    stack_base: usize,
}

fn err(code: &'static str, pos: usize, message: impl Into<String>) -> JsonataError {
    JsonataError::with_message(code, pos, message)
}

/// JSONata truthiness (`$boolean`); `None` for undefined.
pub(crate) fn truthy(v: &V<'_>) -> Option<bool> {
    Some(match v {
        V::Undefined => return None,
        V::Null => false,
        V::Bool(b) => *b,
        V::Num(n) => *n != 0.0,
        V::Str(s) => !s.is_empty(),
        V::Arr(a) => match a.items.len() {
            0 => false,
            1 => truthy(&a.items[0]).unwrap_or(false),
            _ => a.items.iter().any(|i| truthy(i).unwrap_or(false)),
        },
        V::Obj(o) => o.len() > 0,
        V::Func(_) => false,
    })
}

/// Appends `b` to `a` as `$append` does (single values become one-item arrays).
pub(crate) fn append<'a>(a: V<'a>, b: V<'a>) -> V<'a> {
    match (a, b) {
        (V::Undefined, b) => b,
        (a, V::Undefined) => a,
        (a, b) => {
            let mut items = match a {
                V::Arr(arr) if arr.sequence => {
                    let mut arr = Rc::unwrap_or_clone(arr);
                    arr.items.extend(b.items());
                    return V::Arr(Rc::new(arr));
                }
                V::Arr(arr) => arr.items.clone(),
                other => vec![other],
            };
            items.extend(b.items());
            V::array(items)
        }
    }
}

fn flatten_into<'a>(v: &V<'a>, out: &mut Vec<V<'a>>) {
    match v {
        V::Arr(a) => a.items.iter().for_each(|i| flatten_into(i, out)),
        other => out.push(other.clone()),
    }
}

fn tuple_obj<'a>(v: &V<'a>) -> Option<Rc<Obj<'a>>> {
    match v {
        V::Obj(o) => Some(o.clone()),
        _ => None,
    }
}

impl<'e> Evaluator<'e> {
    fn frame_from_tuple<'a>(&self, parent: &Rc<Frame<'a>>, tuple: &V<'a>) -> Rc<Frame<'a>> {
        let frame = Frame::child(parent);
        if let Some(o) = tuple_obj(tuple) {
            for (k, v) in &o.entries {
                frame.bind(k, v.clone());
            }
        }
        frame
    }

    #[inline(never)]
    pub(crate) fn eval<'a>(&mut self, node: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH || self.stack_base.abs_diff(stack_address()) > STACK_BUDGET_BYTES {
            self.depth -= 1;
            return Err(err(
                "U1001",
                node.pos,
                "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
            ));
        }
        let result = self.eval_inner(node, input, frame);
        self.depth -= 1;
        result
    }

    // The evaluator recurses through `eval` → `eval_kind` → a helper → `eval`. Each helper is a
    // separate non-inlined function so that, in debug builds too, a level of JSONata nesting
    // costs a small, bounded amount of native stack (see `MAX_EVAL_DEPTH`).
    fn eval_inner<'a>(&mut self, node: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let result = self.eval_kind(node, input, frame)?;
        self.finish(node, result, frame)
    }

    #[inline(never)]
    fn eval_kind<'a>(&mut self, node: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        Ok(match &node.kind {
            Kind::Path(steps) => self.path(node, steps, input, frame)?,
            Kind::Binary { op, lhs, rhs } => self.binary(node, *op, lhs, rhs, input, frame)?,
            Kind::Negate(inner) => match self.eval(inner, input, frame)? {
                V::Undefined => V::Undefined,
                V::Num(n) => V::Num(-n),
                _ => return Err(err("D1002", node.pos, "Cannot negate a non-numeric value")),
            },
            Kind::Array(items) => self.array_constructor(node, items, input, frame)?,
            Kind::Object(pairs) => self.group_pairs(pairs, input, frame, node.pos)?,
            Kind::Name(name) => lookup(input, name),
            Kind::String(s) => V::str(s),
            Kind::Number(n) => V::Num(*n),
            Kind::Bool(b) => V::Bool(*b),
            Kind::Null => V::Null,
            Kind::Wildcard => wildcard(input),
            Kind::Descendant => descendants(input),
            Kind::Parent(slot) => self.labels.get(*slot).and_then(|l| frame.lookup(l)).unwrap_or_default(),
            Kind::Regex { pattern, flags } => regex_value(pattern, flags, node.pos)?,
            Kind::Variable(name) => variable(name, input, frame),
            Kind::Condition { cond, then, otherwise } => {
                self.condition(cond, then, otherwise.as_deref(), input, frame)?
            }
            Kind::Coalesce { lhs, rhs } => self.coalesce(lhs, rhs, false, input, frame)?,
            Kind::Elvis { lhs, rhs } => self.coalesce(lhs, rhs, true, input, frame)?,
            Kind::Block(exprs) => self.block(exprs, input, frame)?,
            Kind::Bind { name, value } => {
                let v = self.eval(value, input, frame)?;
                frame.bind(name, v.clone());
                v
            }
            Kind::Lambda { params, signature, body } => V::Func(Rc::new(Func::Lambda {
                params,
                body,
                signature: signature.as_deref().and_then(signature::Signature::parse).map(Rc::new),
                input: input.clone(),
                frame: frame.clone(),
            })),
            Kind::Function { procedure, args } => self.call(node, procedure, args, input, frame, None)?,
            Kind::Partial { procedure, args } => self.partial(node, procedure, args, input, frame)?,
            Kind::Placeholder | Kind::Sort(_) => V::Undefined,
            Kind::Apply { lhs, rhs } => self.apply_operator(node, lhs, rhs, input, frame)?,
            Kind::Transform { .. } => V::Func(Rc::new(Func::Transform { node, frame: frame.clone() })),
        })
    }

    /// Predicates, group-by and the collapse of a result sequence (empty → undefined,
    /// singleton → its item unless `[]` asked to keep it).
    #[inline(never)]
    fn finish<'a>(&mut self, node: &'a Node, mut result: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        for stage in &node.predicate {
            if let Stage::Filter { expr, .. } = stage {
                result = self.filter(expr, result, frame)?;
            }
        }
        if !matches!(node.kind, Kind::Path(_)) {
            if let Some(group) = &node.group {
                result = self.group(group, result, frame)?;
            }
        }
        if let V::Arr(a) = &mut result {
            if a.sequence && !a.tuple_stream {
                if node.keep_array {
                    Rc::make_mut(a).keep_singleton = true;
                }
                match a.items.len() {
                    0 => return Ok(V::Undefined),
                    1 if !a.keep_singleton => return Ok(a.items[0].clone()),
                    _ => {}
                }
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn array_constructor<'a>(
        &mut self,
        node: &'a Node,
        items: &'a [Node],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let mut out = V::array(Vec::new());
        for item in items {
            let value = self.eval(item, input, frame)?;
            if value.is_undefined() {
                continue;
            }
            if matches!(item.kind, Kind::Array(_)) {
                if let V::Arr(a) = &mut out {
                    Rc::make_mut(a).items.push(value);
                }
            } else {
                out = append(out, value);
            }
        }
        if let V::Arr(a) = &mut out {
            let a = Rc::make_mut(a);
            a.sequence = false;
            a.cons = node.cons_array;
        }
        Ok(out)
    }

    #[inline(never)]
    fn condition<'a>(
        &mut self,
        cond: &'a Node,
        then: &'a Node,
        otherwise: Option<&'a Node>,
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let c = self.eval(cond, input, frame)?;
        if truthy(&c).unwrap_or(false) {
            self.eval(then, input, frame)
        } else if let Some(e) = otherwise {
            self.eval(e, input, frame)
        } else {
            Ok(V::Undefined)
        }
    }

    /// `??` (`falsy_too` false: only undefined falls through) and `?:` (any falsy value).
    #[inline(never)]
    fn coalesce<'a>(
        &mut self,
        lhs: &'a Node,
        rhs: &'a Node,
        falsy_too: bool,
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let l = self.eval(lhs, input, frame)?;
        let keep = if falsy_too { truthy(&l).unwrap_or(false) } else { !l.is_undefined() };
        if keep { Ok(l) } else { self.eval(rhs, input, frame) }
    }

    #[inline(never)]
    fn block<'a>(&mut self, exprs: &'a [Node], input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let inner = Frame::child(frame);
        let mut last = V::Undefined;
        for e in exprs {
            last = self.eval(e, input, &inner)?;
        }
        Ok(last)
    }

    #[inline(never)]
    fn partial<'a>(
        &mut self,
        node: &'a Node,
        procedure: &'a Node,
        args: &'a [Node],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let mut filled = Vec::with_capacity(args.len());
        for a in args {
            filled.push(if matches!(a.kind, Kind::Placeholder) { None } else { Some(self.eval(a, input, frame)?) });
        }
        let func = self.eval(procedure, input, frame)?;
        if !func.is_func() {
            let code = if is_unknown_name(procedure, frame) { "T1007" } else { "T1008" };
            return Err(err(code, node.pos, "Attempted to partially apply a non-function"));
        }
        Ok(V::Func(Rc::new(Func::Partial { func, args: filled })))
    }

    /// `lhs ~> rhs`: call `rhs` with `lhs` first, or compose two functions.
    #[inline(never)]
    fn apply_operator<'a>(
        &mut self,
        node: &'a Node,
        lhs: &'a Node,
        rhs: &'a Node,
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let l = self.eval(lhs, input, frame)?;
        if let Kind::Function { procedure, args } = &rhs.kind {
            let mut r = self.call(rhs, procedure, args, input, frame, Some(l))?;
            if rhs.keep_array {
                if let V::Arr(a) = &mut r {
                    if a.sequence {
                        Rc::make_mut(a).keep_singleton = true;
                    }
                }
            }
            return Ok(r);
        }
        let f = self.eval(rhs, input, frame)?;
        if !f.is_func() {
            return Err(err(
                "T2006",
                node.pos,
                "The right side of the function application operator ~> must be a function",
            ));
        }
        if l.is_func() { Ok(V::Func(Rc::new(Func::Compose(l, f)))) } else { self.apply(&f, vec![l], input, node.pos) }
    }

    #[inline(never)]
    fn path<'a>(&mut self, node: &'a Node, steps: &'a [Node], input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let first_is_var = steps.first().is_some_and(|s| matches!(s.kind, Kind::Variable(_)));
        let mut input_seq: V<'a> = match input {
            V::Arr(_) if !first_is_var => input.clone(),
            other => V::sequence(if other.is_undefined() { vec![V::Undefined] } else { vec![other.clone()] }),
        };
        let mut result = V::Undefined;
        let mut tuple_mode = false;
        let mut tuples: Option<Vec<V<'a>>> = None;
        for (i, step) in steps.iter().enumerate() {
            if step.tuple {
                tuple_mode = true;
            }
            if i == 0 && step.cons_array {
                result = self.eval(step, &input_seq, frame)?;
            } else if tuple_mode {
                tuples = Some(self.tuple_step(step, &input_seq, tuples, frame)?);
            } else {
                result = self.step(step, &input_seq, frame, i + 1 == steps.len())?;
            }
            if !tuple_mode {
                let empty = match &result {
                    V::Undefined => true,
                    V::Arr(a) => a.items.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                input_seq = result.clone();
            }
        }
        let stream =
            tuples.map(|ts| V::Arr(Rc::new(Arr { items: ts, sequence: true, tuple_stream: true, ..Arr::default() })));
        if let Some(stream) = &stream {
            result = if node.tuple {
                stream.clone()
            } else {
                V::sequence(
                    stream.items().iter().filter_map(|t| tuple_obj(t).and_then(|o| o.get("@").cloned())).collect(),
                )
            };
        }
        if node.keep_singleton_array {
            let mut arr = match result {
                V::Arr(a) if a.cons && !a.sequence => Arr { items: vec![V::Arr(a)], sequence: true, ..Arr::default() },
                V::Arr(a) => Rc::unwrap_or_clone(a),
                V::Undefined => Arr { sequence: true, ..Arr::default() },
                other => Arr { items: vec![other], sequence: true, ..Arr::default() },
            };
            arr.keep_singleton = true;
            result = V::Arr(Rc::new(arr));
        }
        if let Some(group) = &node.group {
            let source = match (&stream, tuple_mode) {
                (Some(stream), true) => stream.clone(),
                _ => result.clone(),
            };
            result = self.group(group, source, frame)?;
        }
        Ok(result)
    }

    #[inline(never)]
    fn step<'a>(&mut self, step: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>, last: bool) -> R<'a> {
        if let Kind::Sort(terms) = &step.kind {
            let mut r = self.sort(terms, input, frame, step.pos)?;
            r = self.stages(&step.stages, r, frame)?;
            return Ok(r);
        }
        let mut results = Vec::new();
        for item in input.items() {
            let mut res = self.eval(step, &item, frame)?;
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    res = self.filter(expr, res, frame)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last && results.len() == 1 {
            if let Some(V::Arr(a)) = results.first() {
                if !a.sequence {
                    return Ok(results.swap_remove(0));
                }
            }
        }
        let mut out = Vec::new();
        for r in results {
            match r {
                V::Arr(a) if !a.cons => out.extend(a.items.iter().cloned()),
                other => out.push(other),
            }
        }
        Ok(V::sequence(out))
    }

    #[inline(never)]
    fn tuple_step<'a>(
        &mut self,
        step: &'a Node,
        input: &V<'a>,
        tuples: Option<Vec<V<'a>>>,
        frame: &Rc<Frame<'a>>,
    ) -> Result<Vec<V<'a>>, JsonataError> {
        if let Kind::Sort(terms) = &step.kind {
            let sorted = match tuples {
                Some(ts) => {
                    let stream =
                        V::Arr(Rc::new(Arr { items: ts, sequence: true, tuple_stream: true, ..Arr::default() }));
                    self.sort(terms, &stream, frame, step.pos)?.items()
                }
                None => {
                    let sorted = self.sort(terms, input, frame, step.pos)?;
                    sorted
                        .items()
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut o = Obj::default();
                            o.insert(Rc::from("@"), v);
                            if let Some(idx) = &step.index {
                                o.insert(Rc::from(idx.as_str()), V::Num(i as f64));
                            }
                            V::Obj(Rc::new(o))
                        })
                        .collect()
                }
            };
            let stream = V::Arr(Rc::new(Arr { items: sorted, sequence: true, tuple_stream: true, ..Arr::default() }));
            return Ok(self.stages(&step.stages, stream, frame)?.items());
        }
        let tuples = tuples.unwrap_or_else(|| {
            input
                .items()
                .into_iter()
                .map(|item| {
                    let mut o = Obj::default();
                    o.insert(Rc::from("@"), item);
                    V::Obj(Rc::new(o))
                })
                .collect()
        });
        let mut out = Vec::new();
        for tuple in &tuples {
            let Some(t) = tuple_obj(tuple) else { continue };
            let step_frame = self.frame_from_tuple(frame, tuple);
            let context = t.get("@").cloned().unwrap_or_default();
            let res = self.eval(step, &context, &step_frame)?;
            if res.is_undefined() {
                continue;
            }
            let (items, is_stream) = match &res {
                V::Arr(a) => (a.items.clone(), a.tuple_stream),
                other => (vec![other.clone()], false),
            };
            for (bb, item) in items.into_iter().enumerate() {
                let mut nt = (*t).clone();
                if is_stream {
                    if let Some(o) = tuple_obj(&item) {
                        for (k, v) in &o.entries {
                            nt.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    if let Some(focus) = &step.focus {
                        nt.insert(Rc::from(focus.as_str()), item);
                        nt.insert(Rc::from("@"), context.clone());
                    } else {
                        nt.insert(Rc::from("@"), item);
                    }
                    if let Some(idx) = &step.index {
                        nt.insert(Rc::from(idx.as_str()), V::Num(bb as f64));
                    }
                    if let Some(slot) = step.ancestor {
                        if let Some(label) = self.labels.get(slot) {
                            nt.insert(Rc::from(label.as_str()), context.clone());
                        }
                    }
                }
                out.push(V::Obj(Rc::new(nt)));
            }
        }
        let stream = V::Arr(Rc::new(Arr { items: out, sequence: true, tuple_stream: true, ..Arr::default() }));
        Ok(self.stages(&step.stages, stream, frame)?.items())
    }

    fn stages<'a>(&mut self, stages: &'a [Stage], input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let mut result = input;
        for stage in stages {
            match stage {
                Stage::Filter { expr, .. } => result = self.filter(expr, result, frame)?,
                Stage::Index { var, .. } => {
                    if let V::Arr(a) = &mut result {
                        let a = Rc::make_mut(a);
                        for (i, t) in a.items.iter_mut().enumerate() {
                            if let V::Obj(o) = t {
                                Rc::make_mut(o).insert(Rc::from(var.as_str()), V::Num(i as f64));
                            }
                        }
                    }
                }
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn filter<'a>(&mut self, predicate: &'a Node, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let is_stream = matches!(&input, V::Arr(a) if a.tuple_stream);
        let items = input.items();
        let mut results: Vec<V<'a>> = Vec::new();
        if let Kind::Number(n) = predicate.kind {
            if predicate.predicate.is_empty() && predicate.group.is_none() {
                let mut index = n.floor();
                if index < 0.0 {
                    index += items.len() as f64;
                }
                if index >= 0.0 {
                    if let Some(item) = items.get(index as usize) {
                        match item {
                            V::Arr(_) => return Ok(item.clone()),
                            other => results.push(other.clone()),
                        }
                    }
                }
                return Ok(V::Arr(Rc::new(Arr {
                    items: results,
                    sequence: true,
                    tuple_stream: is_stream,
                    ..Arr::default()
                })));
            }
        }
        let len = items.len() as f64;
        for (index, item) in items.iter().enumerate() {
            let (context, env) = if is_stream {
                let ctx = tuple_obj(item).and_then(|o| o.get("@").cloned()).unwrap_or_default();
                (ctx, self.frame_from_tuple(frame, item))
            } else {
                (item.clone(), frame.clone())
            };
            let res = self.eval(predicate, &context, &env)?;
            let numbers: Option<Vec<f64>> = match &res {
                V::Num(n) => Some(vec![*n]),
                V::Arr(a) if !a.items.is_empty() && a.items.iter().all(|v| matches!(v, V::Num(_))) => {
                    Some(a.items.iter().filter_map(V::as_num).collect())
                }
                _ => None,
            };
            if let Some(ns) = numbers {
                for n in ns {
                    let mut i = n.floor();
                    if i < 0.0 {
                        i += len;
                    }
                    if i == index as f64 {
                        results.push(item.clone());
                    }
                }
            } else if truthy(&res).unwrap_or(false) {
                results.push(item.clone());
            }
        }
        Ok(V::Arr(Rc::new(Arr { items: results, sequence: true, tuple_stream: is_stream, ..Arr::default() })))
    }

    fn group_pairs<'a>(
        &mut self,
        pairs: &'a [(Node, Node)],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
        pos: usize,
    ) -> R<'a> {
        let group = GroupRef { pairs, pos };
        self.group_impl(group, input.clone(), frame)
    }

    fn group<'a>(&mut self, group: &'a Group, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        self.group_impl(GroupRef { pairs: &group.pairs, pos: group.pos }, input, frame)
    }

    #[inline(never)]
    fn group_impl<'a>(&mut self, group: GroupRef<'a>, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let reduce = matches!(&input, V::Arr(a) if a.tuple_stream);
        let mut items = match &input {
            V::Arr(a) => a.items.clone(),
            other => vec![other.clone()],
        };
        if items.is_empty() {
            items.push(V::Undefined);
        }
        // key → (data, pair index), in first-seen order.
        let mut groups: Vec<(Rc<str>, V<'a>, usize)> = Vec::new();
        for item in &items {
            let (context, env) = if reduce {
                (
                    tuple_obj(item).and_then(|o| o.get("@").cloned()).unwrap_or_default(),
                    self.frame_from_tuple(frame, item),
                )
            } else {
                (item.clone(), frame.clone())
            };
            for (pi, (kexpr, _)) in group.pairs.iter().enumerate() {
                let key = self.eval(kexpr, &context, &env)?;
                let key: Rc<str> = match key {
                    V::Undefined => continue,
                    V::Str(s) => s,
                    _ => {
                        return Err(err("T1003", group.pos, "Key in object structure must evaluate to a string"));
                    }
                };
                match groups.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, data, idx)) => {
                        if *idx != pi {
                            return Err(err(
                                "D1009",
                                group.pos,
                                format!("Multiple key definitions evaluate to same key: \"{key}\""),
                            ));
                        }
                        *data = append(std::mem::take(data), item.clone());
                    }
                    None => groups.push((key, item.clone(), pi)),
                }
            }
        }
        let mut out = Obj::default();
        for (key, data, pi) in groups {
            let (context, env) = if reduce {
                let tuple = reduce_tuples(&data);
                let ctx = tuple.get("@").cloned().unwrap_or_default();
                let env = Frame::child(frame);
                for (k, v) in &tuple.entries {
                    if &**k != "@" {
                        env.bind(k, v.clone());
                    }
                }
                (ctx, env)
            } else {
                (data, frame.clone())
            };
            let Some((_, vexpr)) = group.pairs.get(pi) else { continue };
            let value = self.eval(vexpr, &context, &env)?;
            if !value.is_undefined() {
                out.insert(key, value);
            }
        }
        Ok(V::Obj(Rc::new(out)))
    }

    #[inline(never)]
    fn sort<'a>(&mut self, terms: &'a [SortTerm], input: &V<'a>, frame: &Rc<Frame<'a>>, pos: usize) -> R<'a> {
        let is_stream = matches!(input, V::Arr(a) if a.tuple_stream);
        let items = input.items();
        // Evaluate every key once, then sort stably on the keys.
        let mut keyed: Vec<(Vec<V<'a>>, V<'a>)> = Vec::with_capacity(items.len());
        for item in items {
            let (context, env) = if is_stream {
                (
                    tuple_obj(&item).and_then(|o| o.get("@").cloned()).unwrap_or_default(),
                    self.frame_from_tuple(frame, &item),
                )
            } else {
                (item.clone(), frame.clone())
            };
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                keys.push(self.eval(&term.expr, &context, &env)?);
            }
            keyed.push((keys, item));
        }
        for keys in keyed.iter().map(|(k, _)| k) {
            for k in keys {
                if !matches!(k, V::Undefined | V::Num(_) | V::Str(_)) {
                    return Err(err(
                        "T2008",
                        pos,
                        "The expressions within an order-by clause must evaluate to numeric or string values",
                    ));
                }
            }
        }
        for (t, _) in terms.iter().enumerate() {
            let mut kind = None;
            for (keys, _) in &keyed {
                match (&keys[t], kind) {
                    (V::Num(_), Some('s')) | (V::Str(_), Some('n')) => {
                        return Err(err(
                            "T2007",
                            pos,
                            "Type mismatch within order-by clause. All values must be of the same type",
                        ));
                    }
                    (V::Num(_), _) => kind = Some('n'),
                    (V::Str(_), _) => kind = Some('s'),
                    _ => {}
                }
            }
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for (t, term) in terms.iter().enumerate() {
                let ord = match (&a[t], &b[t]) {
                    (V::Undefined, V::Undefined) => Ordering::Equal,
                    (V::Undefined, _) => Ordering::Greater,
                    (_, V::Undefined) => Ordering::Less,
                    (V::Num(x), V::Num(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
                    (V::Str(x), V::Str(y)) => x.encode_utf16().cmp(y.encode_utf16()),
                    _ => Ordering::Equal,
                };
                let both_defined = !a[t].is_undefined() && !b[t].is_undefined();
                let ord = if term.descending && both_defined { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
        let items = keyed.into_iter().map(|(_, v)| v).collect();
        Ok(V::Arr(Rc::new(Arr { items, sequence: true, tuple_stream: is_stream, ..Arr::default() })))
    }

    #[inline(never)]
    fn binary<'a>(
        &mut self,
        node: &'a Node,
        op: BinaryOp,
        lhs: &'a Node,
        rhs: &'a Node,
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
        let l = self.eval(lhs, input, frame)?;
        let pos = node.pos;
        match op {
            BinaryOp::And => {
                let lb = truthy(&l).unwrap_or(false);
                return Ok(V::Bool(lb && truthy(&self.eval(rhs, input, frame)?).unwrap_or(false)));
            }
            BinaryOp::Or => {
                let lb = truthy(&l).unwrap_or(false);
                return Ok(V::Bool(lb || truthy(&self.eval(rhs, input, frame)?).unwrap_or(false)));
            }
            _ => {}
        }
        let r = self.eval(rhs, input, frame)?;
        let tok = op.token();
        Ok(match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                if !matches!(l, V::Undefined | V::Num(_)) {
                    return Err(err(
                        "T2001",
                        pos,
                        format!("The left side of the {tok} operator must evaluate to a number"),
                    ));
                }
                if !matches!(r, V::Undefined | V::Num(_)) {
                    return Err(err(
                        "T2002",
                        pos,
                        format!("The right side of the {tok} operator must evaluate to a number"),
                    ));
                }
                let (V::Num(a), V::Num(b)) = (&l, &r) else { return Ok(V::Undefined) };
                // An infinite operand (from an earlier overflow) is an error; an infinite result
                // only becomes one when it is used again.
                if !a.is_finite() || !b.is_finite() {
                    return Err(err("D1001", pos, "Number out of range"));
                }
                V::Num(match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    _ => a % b,
                })
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if l.is_undefined() || r.is_undefined() {
                    return Ok(V::Bool(false));
                }
                V::Bool(deep_equal(&l, &r) == (op == BinaryOp::Eq))
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let comparable = |v: &V<'_>| matches!(v, V::Undefined | V::Str(_) | V::Num(_));
                if !comparable(&l) || !comparable(&r) {
                    return Err(err(
                        "T2010",
                        pos,
                        format!(
                            "The expressions either side of operator \"{tok}\" must evaluate to numeric or string values"
                        ),
                    ));
                }
                let ord = match (&l, &r) {
                    (V::Undefined, _) | (_, V::Undefined) => return Ok(V::Undefined),
                    (V::Num(a), V::Num(b)) => a.partial_cmp(b),
                    (V::Str(a), V::Str(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
                    _ => {
                        return Err(err(
                            "T2009",
                            pos,
                            format!("The values either side of operator \"{tok}\" must be of the same data type"),
                        ));
                    }
                };
                let Some(ord) = ord else { return Ok(V::Bool(false)) };
                V::Bool(match op {
                    BinaryOp::Lt => ord == Ordering::Less,
                    BinaryOp::Le => ord != Ordering::Greater,
                    BinaryOp::Gt => ord == Ordering::Greater,
                    _ => ord != Ordering::Less,
                })
            }
            BinaryOp::Concat => {
                let ls = if l.is_undefined() { String::new() } else { functions::string_of(&l, false, pos)? };
                let rs = if r.is_undefined() { String::new() } else { functions::string_of(&r, false, pos)? };
                V::str(&(ls + &rs))
            }
            BinaryOp::Range => {
                let is_int = |v: &V<'_>| matches!(v, V::Num(n) if n.fract() == 0.0);
                if !l.is_undefined() && !is_int(&l) {
                    return Err(err(
                        "T2003",
                        pos,
                        "The left side of the range operator (..) must evaluate to an integer",
                    ));
                }
                if !r.is_undefined() && !is_int(&r) {
                    return Err(err(
                        "T2004",
                        pos,
                        "The right side of the range operator (..) must evaluate to an integer",
                    ));
                }
                let (V::Num(a), V::Num(b)) = (l, r) else { return Ok(V::Undefined) };
                if a > b {
                    return Ok(V::Undefined);
                }
                if b - a + 1.0 > 1e7 {
                    return Err(err(
                        "D2014",
                        pos,
                        "The size of the sequence allocated by the range operator (..) must not exceed 1e7",
                    ));
                }
                let (a, b) = (a as i64, b as i64);
                V::sequence((a..=b).map(|i| V::Num(i as f64)).collect())
            }
            BinaryOp::In => {
                if l.is_undefined() || r.is_undefined() {
                    return Ok(V::Bool(false));
                }
                let items = r.items();
                V::Bool(items.iter().any(|v| strict_equal(v, &l)))
            }
            BinaryOp::And | BinaryOp::Or => V::Undefined,
        })
    }

    #[inline(never)]
    fn call<'a>(
        &mut self,
        node: &'a Node,
        procedure: &'a Node,
        args: &'a [Node],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
        context_arg: Option<V<'a>>,
    ) -> R<'a> {
        let func = self.eval(procedure, input, frame)?;
        if func.is_undefined() && is_unknown_name(procedure, frame) {
            let name = procedure_name(procedure);
            return Err(err("T1005", node.pos, format!("Attempted to invoke a non-function. Did you mean ${name}?")));
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        if let Some(c) = context_arg {
            values.push(c);
        }
        for a in args {
            values.push(self.eval(a, input, frame)?);
        }
        if !func.is_func() {
            return Err(err("T1006", node.pos, "Attempted to invoke a non-function"));
        }
        self.apply(&func, values, input, node.pos)
    }

    /// Calls a function value with arguments; `input` is the context for `-` parameters.
    #[inline(never)]
    pub(crate) fn apply<'a>(&mut self, func: &V<'a>, args: Vec<V<'a>>, input: &V<'a>, pos: usize) -> R<'a> {
        let V::Func(f) = func else {
            return Err(err("T1006", pos, "Attempted to invoke a non-function"));
        };
        match &**f {
            Func::Lambda { params, body, signature, input: captured, frame } => {
                let args = match signature {
                    Some(sig) => sig.validate("lambda", args, input, pos)?,
                    None => args,
                };
                let env = Frame::child(frame);
                for (i, p) in params.iter().enumerate() {
                    env.bind(p, args.get(i).cloned().unwrap_or_default());
                }
                self.eval(body, captured, &env)
            }
            Func::Builtin(name) => functions::call(self, name, args, input, pos),
            Func::Partial { func, args: bound } => {
                let mut supplied = args.into_iter();
                let full: Vec<V<'a>> =
                    bound.iter().map(|b| b.clone().unwrap_or_else(|| supplied.next().unwrap_or_default())).collect();
                self.apply(func, full, input, pos)
            }
            Func::Compose(first, second) => {
                let mid = self.apply(first, args, input, pos)?;
                self.apply(second, vec![mid], input, pos)
            }
            Func::Regex(re) => {
                let s = match args.first() {
                    Some(V::Str(s)) => s.clone(),
                    _ => return Ok(V::Undefined),
                };
                Ok(functions::regex_match_object(re, &s, 0))
            }
            Func::Transform { node, frame } => self.transform(node, args.into_iter().next().unwrap_or_default(), frame),
        }
    }

    /// How many arguments a function takes (higher-order functions pass only that many).
    pub(crate) fn arity(func: &V<'_>) -> usize {
        match func {
            V::Func(f) => match &**f {
                Func::Lambda { params, .. } => params.len(),
                Func::Builtin(name) => functions::arity(name),
                Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
                Func::Compose(first, _) => Self::arity(first),
                Func::Regex(_) | Func::Transform { .. } => 1,
            },
            _ => 0,
        }
    }

    fn transform<'a>(&mut self, node: &'a Node, obj: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        let Kind::Transform { pattern, update, delete } = &node.kind else { return Ok(V::Undefined) };
        if obj.is_undefined() {
            return Ok(V::Undefined);
        }
        if !matches!(obj, V::Obj(_) | V::Arr(_)) {
            return Err(err("T0410", node.pos, "Argument 1 of function transform does not match function signature"));
        }
        // Deep copy so the matches are fresh objects we can identify by pointer.
        let copy = deep_copy(&obj);
        let matches = self.eval(pattern, &copy, frame)?;
        let targets: Vec<Rc<Obj<'a>>> = matches.items().iter().filter_map(tuple_obj).collect();
        let mut replacements: Vec<(*const Obj<'a>, Obj<'a>)> = Vec::new();
        for target in &targets {
            let mut updated = (**target).clone();
            let target_v = V::Obj(target.clone());
            let up = self.eval(update, &target_v, frame)?;
            match &up {
                V::Undefined => {}
                V::Obj(o) => {
                    for (k, v) in &o.entries {
                        updated.insert(k.clone(), v.clone());
                    }
                }
                _ => {
                    return Err(err(
                        "T2011",
                        node.pos,
                        "The insert/update clause of the transform expression must evaluate to an object",
                    ));
                }
            }
            if let Some(d) = delete {
                let del = self.eval(d, &target_v, frame)?;
                if !del.is_undefined() {
                    let names = del.items();
                    if !names.iter().all(|n| matches!(n, V::Str(_))) {
                        return Err(err(
                            "T2012",
                            node.pos,
                            "The delete clause of the transform expression must evaluate to a string or array of strings",
                        ));
                    }
                    for n in names {
                        if let V::Str(s) = n {
                            updated.remove(&s);
                        }
                    }
                }
            }
            replacements.push((Rc::as_ptr(target), updated));
        }
        Ok(rebuild(&copy, &replacements))
    }
}

fn regex_value<'a>(pattern: &str, flags: &str, pos: usize) -> R<'a> {
    let mut builder = regex::RegexBuilder::new(pattern);
    builder.case_insensitive(flags.contains('i')).multi_line(flags.contains('m'));
    match builder.build() {
        Ok(r) => Ok(V::Func(Rc::new(Func::Regex(Rc::new(r))))),
        Err(e) => Err(err("S0303", pos, format!("Invalid regular expression: {e}"))),
    }
}

/// `$` (the context; the array itself for the wrapped top-level input), `$name`, or a built-in.
fn variable<'a>(name: &str, input: &V<'a>, frame: &Rc<Frame<'a>>) -> V<'a> {
    if name.is_empty() {
        return match input {
            V::Arr(a) if a.outer_wrapper => a.items.first().cloned().unwrap_or_default(),
            other => other.clone(),
        };
    }
    frame.lookup(name).or_else(|| functions::builtin(name)).unwrap_or_default()
}

struct GroupRef<'a> {
    pairs: &'a [(Node, Node)],
    pos: usize,
}

fn reduce_tuples<'a>(data: &V<'a>) -> Obj<'a> {
    let items = match data {
        V::Arr(a) => a.items.clone(),
        other => vec![other.clone()],
    };
    let mut iter = items.iter();
    let mut result = iter.next().and_then(tuple_obj).map(|o| (*o).clone()).unwrap_or_default();
    for t in iter {
        if let Some(o) = tuple_obj(t) {
            for (k, v) in &o.entries {
                let prev = result.get(k).cloned().unwrap_or_default();
                result.insert(k.clone(), append(prev, v.clone()));
            }
        }
    }
    result
}

fn strict_equal<'a>(a: &V<'a>, b: &V<'a>) -> bool {
    match (a, b) {
        (V::Arr(x), V::Arr(y)) => Rc::ptr_eq(x, y),
        (V::Obj(x), V::Obj(y)) => Rc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}

fn procedure_name(procedure: &Node) -> String {
    match &procedure.kind {
        Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
            Some(Kind::Name(n)) => n.clone(),
            _ => String::new(),
        },
        Kind::Variable(v) => v.clone(),
        _ => String::new(),
    }
}

/// `sum(…)` instead of `$sum(…)`: the name is a path, but a function of that name exists.
fn is_unknown_name(procedure: &Node, frame: &Rc<Frame<'_>>) -> bool {
    match &procedure.kind {
        Kind::Path(steps) => match steps.first().map(|s| &s.kind) {
            Some(Kind::Name(n)) => frame.lookup(n).is_some() || functions::builtin(n).is_some(),
            _ => false,
        },
        _ => false,
    }
}

pub(crate) fn lookup<'a>(input: &V<'a>, name: &str) -> V<'a> {
    match input {
        V::Arr(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup(item, name) {
                    V::Undefined => {}
                    V::Arr(r) => out.extend(r.items.iter().cloned()),
                    other => out.push(other),
                }
            }
            V::sequence(out)
        }
        V::Obj(o) => o.get(name).cloned().unwrap_or_default(),
        _ => V::Undefined,
    }
}

fn wildcard<'a>(input: &V<'a>) -> V<'a> {
    let input = match input {
        V::Arr(a) if a.outer_wrapper && !a.items.is_empty() => a.items[0].clone(),
        other => other.clone(),
    };
    let mut out = V::sequence(Vec::new());
    let values: Vec<V<'a>> = match &input {
        V::Obj(o) => o.entries.iter().map(|(_, v)| v.clone()).collect(),
        V::Arr(a) => a.items.clone(),
        _ => Vec::new(),
    };
    for v in values {
        match v {
            V::Arr(_) => {
                let mut flat = Vec::new();
                flatten_into(&v, &mut flat);
                out = append(out, V::array(flat));
            }
            other => {
                if let V::Arr(a) = &mut out {
                    Rc::make_mut(a).items.push(other);
                }
            }
        }
    }
    if let V::Arr(a) = &mut out {
        Rc::make_mut(a).sequence = true;
    }
    out
}

fn descendants<'a>(input: &V<'a>) -> V<'a> {
    if input.is_undefined() {
        return V::Undefined;
    }
    let mut out = Vec::new();
    fn walk<'a>(v: &V<'a>, out: &mut Vec<V<'a>>) {
        if !matches!(v, V::Arr(_)) {
            out.push(v.clone());
        }
        match v {
            V::Arr(a) => a.items.iter().for_each(|i| walk(i, out)),
            V::Obj(o) => o.entries.iter().for_each(|(_, i)| walk(i, out)),
            _ => {}
        }
    }
    walk(input, &mut out);
    if out.len() == 1 { out.swap_remove(0) } else { V::sequence(out) }
}

fn deep_copy<'a>(v: &V<'a>) -> V<'a> {
    match v {
        V::Arr(a) => V::Arr(Rc::new(Arr { items: a.items.iter().map(deep_copy).collect(), ..(**a).clone() })),
        V::Obj(o) => {
            let mut n = Obj::default();
            for (k, v) in &o.entries {
                n.insert(k.clone(), deep_copy(v));
            }
            V::Obj(Rc::new(n))
        }
        other => other.clone(),
    }
}

/// Rebuilds `v`, substituting the updated version of every object that was matched.
fn rebuild<'a>(v: &V<'a>, replacements: &[(*const Obj<'a>, Obj<'a>)]) -> V<'a> {
    match v {
        V::Obj(o) => {
            let base = replacements
                .iter()
                .find(|(p, _)| std::ptr::eq(*p, Rc::as_ptr(o)))
                .map_or_else(|| (**o).clone(), |(_, r)| r.clone());
            let mut n = Obj::default();
            for (k, v) in &base.entries {
                n.insert(k.clone(), rebuild(v, replacements));
            }
            V::Obj(Rc::new(n))
        }
        V::Arr(a) => {
            V::Arr(Rc::new(Arr { items: a.items.iter().map(|i| rebuild(i, replacements)).collect(), ..(**a).clone() }))
        }
        other => other.clone(),
    }
}
