//! Location paths: steps mapped over sequences, predicates, and the tuple streams that carry
//! `@$focus`, `#$index` and `%` parent bindings from step to step.

use std::rc::Rc;

use super::{Evaluator, R, append, truthy, tuple_obj};
use crate::asl::jsonata::ast::{Kind, Node, Stage};
use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::eval::value::{Arr, Frame, Obj, V};

impl<'e> Evaluator<'e> {
    #[inline(never)]
    pub(super) fn path<'a>(
        &mut self,
        node: &'a Node,
        steps: &'a [Node],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
    ) -> R<'a> {
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
    pub(super) fn step<'a>(&mut self, step: &'a Node, input: &V<'a>, frame: &Rc<Frame<'a>>, last: bool) -> R<'a> {
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
    pub(super) fn tuple_step<'a>(
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

    pub(super) fn stages<'a>(&mut self, stages: &'a [Stage], input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
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
    pub(super) fn filter<'a>(&mut self, predicate: &'a Node, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
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

pub(super) fn wildcard<'a>(input: &V<'a>) -> V<'a> {
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

pub(super) fn descendants<'a>(input: &V<'a>) -> V<'a> {
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

pub(super) fn flatten_into<'a>(v: &V<'a>, out: &mut Vec<V<'a>>) {
    match v {
        V::Arr(a) => a.items.iter().for_each(|i| flatten_into(i, out)),
        other => out.push(other.clone()),
    }
}
