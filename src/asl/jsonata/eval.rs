//! Evaluates a parsed JSONata expression over serde_json values, following the reference
//! implementation's sequence semantics (singleton collapse, flattening, tuple streams for
//! `@`/`#`/`%`). Time and randomness come from an injected [`JsonataEnv`].

mod functions;
mod group;
mod operators;
mod path;
mod signature;
mod transform;
mod value;

use std::rc::Rc;

use serde_json::{Map, Value};

use crate::asl::jsonata::ast::{Ast, CompiledRegex, Kind, Node, Stage};
use crate::asl::jsonata::error::JsonataError;
pub(crate) use path::lookup;
use path::{descendants, wildcard};
use value::{Arr, Frame, Func, Obj, V};

/// What evaluation needs from the outside world; nothing else reaches a clock or entropy.
pub trait JsonataEnv {
    /// Milliseconds since the Unix epoch; read once per evaluation (`$now()`, `$millis()`).
    fn now_millis(&mut self) -> i64;
    /// A number in `[0, 1)` (`$random()`, `$uuid()`, `$shuffle()`).
    fn random(&mut self) -> f64;
}

/// Deepest evaluation nesting before U1001, so runaway recursion is an error, not a crash.
pub const MAX_EVAL_DEPTH: usize = 5_000;

/// Expression evaluations one call to `evaluate` may perform before U1001: tail calls run in
/// constant stack, so this is what stops `function(){ $f() }` from looping forever.
pub const MAX_EVAL_STEPS: u64 = 2_000_000;

/// Items the range operator may allocate in one evaluation, all ranges together: JSONata's
/// own limit for one range (D2014), held for the whole evaluation, so `[1..10000].[1..10000]`
/// stops at 10 million items instead of building a hundred million.
pub const MAX_RANGE_ITEMS: u64 = 10_000_000;

/// Longest string one value may hold (bytes): built-ins that build text (`$pad`, `$replace`,
/// `$join`, `&`) stop here with U1001 instead of exhausting memory. Far above AWS's 256 KiB
/// payload quota, so any string a state could pass on fits.
pub const MAX_STRING_BYTES: usize = 16 << 20;

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

/// What an expression produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Evaluated {
    /// JSONata's *undefined*: no result.
    Undefined,
    Value(Value),
    /// A function (a lambda or a built-in), which has no JSON form.
    Function,
}

impl Ast {
    /// Evaluates against `input` with extra variable `bindings` (`$name` → value).
    /// `Ok(None)` is JSONata's *undefined* (no result).
    pub fn evaluate<'a>(
        &'a self,
        input: &Value,
        bindings: &'a Map<String, Value>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Option<Value>, JsonataError> {
        self.evaluate_with(Some(input), bindings, env)
    }

    /// As [`Ast::evaluate`], where `None` input is *undefined* (no input document at all).
    pub fn evaluate_with<'a>(
        &'a self,
        input: Option<&Value>,
        bindings: &'a Map<String, Value>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Option<Value>, JsonataError> {
        Ok(match self.evaluate_result(input, bindings, env)? {
            Evaluated::Undefined => None,
            Evaluated::Value(v) => Some(v),
            // JSON has no functions; JSONata's own JSON output writes them as "".
            Evaluated::Function => Some(Value::String(String::new())),
        })
    }

    /// As [`Ast::evaluate_with`], telling a function result apart from a JSON value: Step
    /// Functions rejects it ("returned an unsupported result type").
    pub fn evaluate_result<'a>(
        &'a self,
        input: Option<&Value>,
        bindings: &'a Map<String, Value>,
        env: &mut dyn JsonataEnv,
    ) -> Result<Evaluated, JsonataError> {
        let now = env.now_millis();
        let labels = self.slots.iter().map(|s| s.label.clone()).collect();
        let mut ev = Evaluator { env, now, depth: 0, steps: 0, range_items: 0, labels, stack_base: stack_address() };
        let frame = Rc::new(Frame { external: Some(bindings), ..Frame::default() });
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
        let result = ev.bounded(result, self.root.pos)?;
        // JSON has no infinity: JSONata refuses one anywhere in a result (`{'a': 1/0}` too).
        let non_finite = match &result {
            V::Num(n) => !n.is_finite(),
            V::Arr(_) | V::Obj(_) => result.scan(usize::MAX).non_finite,
            _ => false,
        };
        match &result {
            _ if non_finite => Err(JsonataError::with_message("D1001", self.root.pos, "Number out of range")),
            V::Func(_) => Ok(Evaluated::Function),
            _ => Ok(result.to_json().map_or(Evaluated::Undefined, Evaluated::Value)),
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
    /// Evaluations so far (see `MAX_EVAL_STEPS`).
    steps: u64,
    /// Items the range operator allocated so far (see `MAX_RANGE_ITEMS`).
    range_items: u64,
}

/// A built-in would produce a value past [`MAX_STRING_BYTES`].
pub(crate) fn too_large(pos: usize) -> JsonataError {
    err("U1001", pos, format!("Out of memory error: a string longer than {MAX_STRING_BYTES} bytes"))
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

    /// Charges `units` of work done inside one evaluation step (a built-in walking a long
    /// string or array, a range being allocated) to the step budget: the budget bounds time,
    /// not just the number of expression nodes evaluated.
    pub(crate) fn charge(&mut self, units: usize, pos: usize) -> Result<(), JsonataError> {
        self.steps = self.steps.saturating_add(units as u64);
        if self.steps > MAX_EVAL_STEPS {
            return Err(err("U1001", pos, "Expression evaluation timeout: Check for infinite loop"));
        }
        Ok(())
    }

    /// Steps left in the budget: a built-in producing many values (`$match`'s match objects)
    /// stops before building more than it could pay for.
    /// Counts `n` items a range allocates against [`MAX_RANGE_ITEMS`] (D2014 beyond it).
    pub(crate) fn allocate_range(&mut self, n: u64, pos: usize) -> Result<(), JsonataError> {
        self.range_items = self.range_items.saturating_add(n);
        if self.range_items > MAX_RANGE_ITEMS {
            return Err(err(
                "D2014",
                pos,
                "The size of the sequence allocated by the range operator (..) must not exceed 1e7 (all ranges of one evaluation together)",
            ));
        }
        self.charge((n / 16) as usize, pos)
    }

    pub(crate) fn steps_left(&self) -> u64 {
        MAX_EVAL_STEPS.saturating_sub(self.steps)
    }

    /// Checks a value just built (by a constructor or a built-in) against the limits every
    /// later walk relies on: nesting within [`crate::asl::depth::MAX_VALUE_DEPTH`], strings
    /// within [`MAX_STRING_BYTES`]. The walk is charged to the step budget.
    pub(crate) fn bounded<'a>(&mut self, v: V<'a>, pos: usize) -> R<'a> {
        match &v {
            V::Str(s) if s.len() > MAX_STRING_BYTES => Err(too_large(pos)),
            V::Arr(_) | V::Obj(_) => {
                let scan = v.scan(crate::asl::depth::MAX_VALUE_DEPTH);
                self.charge(scan.visited / 16, pos)?;
                if scan.too_deep {
                    return Err(err(
                        "U1001",
                        pos,
                        format!(
                            "Stack overflow error: a value nests arrays and objects deeper than {} levels",
                            crate::asl::depth::MAX_VALUE_DEPTH
                        ),
                    ));
                }
                Ok(v)
            }
            _ => Ok(v),
        }
    }

    #[inline(never)]
    pub(crate) fn eval<'a>(&mut self, node: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        self.steps += 1;
        if self.steps > MAX_EVAL_STEPS {
            return Err(err("U1001", node.pos, "Expression evaluation timeout: Check for infinite loop"));
        }
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
            Kind::Regex { compiled, .. } => regex_value(compiled, node.pos)?,
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
        self.bounded(out, node.pos)
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
            Func::Lambda { .. } => self.apply_lambda(f.clone(), args, input.clone(), pos),
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

    /// Calls a lambda. A call in tail position of its body (the branch of a condition, the last
    /// expression of a block) to another lambda is not evaluated recursively but looped here,
    /// so tail-recursive JSONata functions run in constant native stack.
    #[inline(never)]
    fn apply_lambda<'a>(&mut self, mut f: Rc<Func<'a>>, mut args: Vec<V<'a>>, mut context: V<'a>, pos: usize) -> R<'a> {
        loop {
            let Func::Lambda { params, body, signature, input: captured, frame } = &*f else {
                return self.apply(&V::Func(f.clone()), args, &context, pos);
            };
            let args_now = match signature {
                Some(sig) => sig.validate("lambda", args, &context, pos)?,
                None => args,
            };
            let env = Frame::child(frame);
            for (i, p) in params.iter().enumerate() {
                env.bind(p, args_now.get(i).cloned().unwrap_or_default());
            }
            match self.eval_tail(body, captured, &env)? {
                Tail::Done(v) => return Ok(v),
                Tail::Call(next, next_args, next_context) => {
                    f = next;
                    args = next_args;
                    context = next_context;
                }
            }
        }
    }

    /// Evaluates `node` in tail position: a plain call to a lambda is returned, not made.
    fn eval_tail<'a>(
        &mut self,
        node: &'a Node,
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> Result<Tail<'a>, JsonataError> {
        let plain = node.predicate.is_empty() && node.group.is_none() && !node.keep_array;
        if plain {
            match &node.kind {
                Kind::Condition { cond, then, otherwise } => {
                    let c = self.eval(cond, input, frame)?;
                    return match (truthy(&c).unwrap_or(false), otherwise) {
                        (true, _) => self.eval_tail(then, input, frame),
                        (false, Some(e)) => self.eval_tail(e, input, frame),
                        (false, None) => Ok(Tail::Done(V::Undefined)),
                    };
                }
                Kind::Block(exprs) if !exprs.is_empty() => {
                    let inner = Frame::child(frame);
                    let (last, rest) = exprs.split_last().ok_or_else(|| err("S0201", node.pos, "empty block"))?;
                    for e in rest {
                        self.eval(e, input, &inner)?;
                    }
                    return self.eval_tail(last, input, &inner);
                }
                Kind::Function { procedure, args } => {
                    if let V::Func(f) = self.eval(procedure, input, frame)? {
                        if matches!(&*f, Func::Lambda { .. }) {
                            let mut values = Vec::with_capacity(args.len());
                            for a in args {
                                values.push(self.eval(a, input, frame)?);
                            }
                            return Ok(Tail::Call(f, values, input.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Tail::Done(self.eval(node, input, frame)?))
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
}

/// A regex literal's value: the regex compiled when the expression was parsed (cloning a
/// `Regex` shares it).
fn regex_value<'a>(compiled: &CompiledRegex, pos: usize) -> R<'a> {
    match &compiled.0 {
        Ok(r) => Ok(V::Func(Rc::new(Func::Regex(Rc::new(r.clone()))))),
        Err(e) => Err(err("S0303", pos, format!("Invalid regular expression: {e}"))),
    }
}

/// The outcome of evaluating a lambda body in tail position.
enum Tail<'a> {
    Done(V<'a>),
    /// A call still to make: the lambda, its arguments and the context at the call site.
    Call(Rc<Func<'a>>, Vec<V<'a>>, V<'a>),
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
