//! Arrays, objects and the higher-order functions (`$map`, `$filter`, `$reduce`, `$sort`, …).

use std::rc::Rc;

use super::err;
use crate::asl::jsonata::eval::value::{Arr, Obj, V, deep_equal};
use crate::asl::jsonata::eval::{Evaluator, R, append, lookup, truthy};

fn arg<'a>(args: &[V<'a>], i: usize) -> V<'a> {
    args.get(i).cloned().unwrap_or_default()
}

/// The arguments a higher-order function passes: as many of (value, index, whole) as `f` takes.
fn hof_args<'a>(f: &V<'a>, value: V<'a>, index: V<'a>, whole: &V<'a>) -> Vec<V<'a>> {
    let arity = Evaluator::arity(f);
    let mut out = vec![value];
    if arity >= 2 {
        out.push(index);
    }
    if arity >= 3 {
        out.push(whole.clone());
    }
    out
}

pub fn call<'a>(ev: &mut Evaluator<'_>, name: &str, args: &[V<'a>], input: &V<'a>, pos: usize) -> R<'a> {
    let a0 = arg(args, 0);
    match name {
        "map" | "filter" => {
            if a0.is_undefined() {
                return Ok(V::Undefined);
            }
            let f = arg(args, 1);
            let mut out = Vec::new();
            for (i, item) in a0.items().into_iter().enumerate() {
                let res = ev.apply(&f, hof_args(&f, item.clone(), V::Num(i as f64), &a0), input, pos)?;
                if name == "map" {
                    if !res.is_undefined() {
                        out.push(res);
                    }
                } else if truthy(&res).unwrap_or(false) {
                    out.push(item);
                }
            }
            Ok(V::sequence(out))
        }
        "single" => {
            if a0.is_undefined() {
                return Ok(V::Undefined);
            }
            let f = arg(args, 1);
            let mut found = None;
            for (i, item) in a0.items().into_iter().enumerate() {
                let pass = f.is_undefined()
                    || truthy(&ev.apply(&f, hof_args(&f, item.clone(), V::Num(i as f64), &a0), input, pos)?)
                        .unwrap_or(false);
                if pass {
                    if found.is_some() {
                        return Err(err(
                            "D3138",
                            pos,
                            "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                        ));
                    }
                    found = Some(item);
                }
            }
            found.ok_or_else(|| {
                err("D3139", pos, "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
            })
        }
        "reduce" => {
            if a0.is_undefined() {
                return Ok(V::Undefined);
            }
            let f = arg(args, 1);
            let arity = Evaluator::arity(&f);
            if arity < 2 {
                return Err(err(
                    "D3050",
                    pos,
                    "The second argument of reduce function must be a function with at least two arguments",
                ));
            }
            let items = a0.items();
            let init = arg(args, 2);
            let (mut acc, start) =
                if init.is_undefined() && !items.is_empty() { (items[0].clone(), 1) } else { (init, 0) };
            for (i, item) in items.iter().enumerate().skip(start) {
                let mut call_args = vec![acc, item.clone()];
                if arity >= 3 {
                    call_args.push(V::Num(i as f64));
                }
                if arity >= 4 {
                    call_args.push(a0.clone());
                }
                acc = ev.apply(&f, call_args, input, pos)?;
            }
            Ok(acc)
        }
        "sift" | "each" => {
            let V::Obj(o) = &a0 else { return Ok(V::Undefined) };
            let f = arg(args, 1);
            let mut kept = Obj::default();
            let mut out = Vec::new();
            for (k, v) in &o.entries {
                let res = ev.apply(&f, hof_args(&f, v.clone(), V::Str(k.clone()), &a0), input, pos)?;
                if name == "each" {
                    if !res.is_undefined() {
                        out.push(res);
                    }
                } else if truthy(&res).unwrap_or(false) {
                    kept.insert(k.clone(), v.clone());
                }
            }
            if name == "each" {
                return Ok(V::sequence(out));
            }
            Ok(if kept.len() == 0 { V::Undefined } else { V::Obj(Rc::new(kept)) })
        }
        "keys" => {
            let mut keys: Vec<Rc<str>> = Vec::new();
            let objects = match &a0 {
                V::Arr(a) => a.items.clone(),
                other => vec![other.clone()],
            };
            for o in objects {
                if let V::Obj(o) = o {
                    for (k, _) in &o.entries {
                        if !keys.contains(k) {
                            keys.push(k.clone());
                        }
                    }
                }
            }
            Ok(V::sequence(keys.into_iter().map(V::Str).collect()))
        }
        "lookup" => Ok(match arg(args, 1) {
            V::Str(k) => lookup(&a0, &k),
            _ => V::Undefined,
        }),
        "append" => Ok(append(a0, arg(args, 1))),
        "spread" => Ok(spread(&a0)),
        "merge" => {
            if a0.is_undefined() {
                return Ok(V::Undefined);
            }
            let mut out = Obj::default();
            for item in a0.items() {
                if let V::Obj(o) = item {
                    for (k, v) in &o.entries {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(V::Obj(Rc::new(out)))
        }
        "reverse" => Ok(match a0 {
            V::Arr(a) => {
                let mut items = a.items.clone();
                items.reverse();
                V::array(items)
            }
            other => other,
        }),
        "distinct" => Ok(match &a0 {
            V::Arr(a) => {
                let mut out: Vec<V<'a>> = Vec::new();
                for item in &a.items {
                    // Quadratic: the comparisons are paid for.
                    ev.charge(out.len() / 16, pos)?;
                    if !out.iter().any(|o| deep_equal(o, item)) {
                        out.push(item.clone());
                    }
                }
                V::Arr(Rc::new(Arr { items: out, sequence: a.sequence, ..Arr::default() }))
            }
            other => other.clone(),
        }),
        "zip" => {
            let arrays: Vec<Vec<V<'a>>> = args.iter().map(V::items).collect();
            let len = arrays.iter().map(Vec::len).min().unwrap_or(0);
            Ok(V::array((0..len).map(|i| V::array(arrays.iter().map(|a| a[i].clone()).collect())).collect()))
        }
        "shuffle" => {
            let V::Arr(a) = &a0 else { return Ok(a0) };
            let mut items = a.items.clone();
            for i in (1..items.len()).rev() {
                let j = ((ev.env.random() * (i + 1) as f64) as usize).min(i);
                items.swap(i, j);
            }
            Ok(V::array(items))
        }
        "sort" => sort(ev, &a0, &arg(args, 1), input, pos),
        "clone" => Ok(match &a0 {
            V::Undefined => V::Undefined,
            other => V::from_json(&other.to_json().unwrap_or_default()),
        }),
        "partition" => {
            let size = arg(args, 1).as_num().unwrap_or(0.0);
            if size < 1.0 {
                return Err(err("D3137", pos, "The chunk size must be a positive integer"));
            }
            let items = a0.items();
            Ok(V::array(items.chunks(size as usize).map(|c| V::array(c.to_vec())).collect()))
        }
        "range" => {
            let (Some(from), Some(to)) = (a0.as_num(), arg(args, 1).as_num()) else { return Ok(V::Undefined) };
            let step = arg(args, 2).as_num().unwrap_or(1.0);
            if step == 0.0 {
                return Err(err("D3137", pos, "The step of $range must not be zero"));
            }
            let mut out = Vec::new();
            let mut x = from;
            while (step > 0.0 && x <= to) || (step < 0.0 && x >= to) {
                out.push(V::Num(x));
                x += step;
                if out.len() > 1000 {
                    return Err(err("D3137", pos, "$range would return more than 1000 items"));
                }
            }
            Ok(V::sequence(out))
        }
        _ => Err(err("T1006", pos, format!("Attempted to invoke a non-function: ${name}"))),
    }
}

fn spread<'a>(v: &V<'a>) -> V<'a> {
    match v {
        V::Arr(a) => {
            let mut out = V::sequence(Vec::new());
            for item in &a.items {
                out = append(out, spread(item));
            }
            out
        }
        V::Obj(o) => V::sequence(
            o.entries
                .iter()
                .map(|(k, v)| {
                    let mut one = Obj::default();
                    one.insert(k.clone(), v.clone());
                    V::Obj(Rc::new(one))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `$sort`: a stable merge sort where `f(a, b)` true means `a` goes after `b`.
fn sort<'a>(ev: &mut Evaluator<'_>, arr: &V<'a>, f: &V<'a>, input: &V<'a>, pos: usize) -> R<'a> {
    let V::Arr(a) = arr else { return Ok(arr.clone()) };
    if a.items.len() <= 1 {
        return Ok(arr.clone());
    }
    let items = a.items.clone();
    if f.is_undefined() {
        let all_num = items.iter().all(|v| matches!(v, V::Num(_)));
        let all_str = items.iter().all(|v| matches!(v, V::Str(_)));
        if !all_num && !all_str {
            return Err(err(
                "D3070",
                pos,
                "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
            ));
        }
    }
    let mut greater =
        |ev: &mut Evaluator<'_>, x: &V<'a>, y: &V<'a>| -> Result<bool, crate::asl::jsonata::JsonataError> {
            if f.is_undefined() {
                return Ok(match (x, y) {
                    (V::Num(p), V::Num(q)) => p > q,
                    (V::Str(p), V::Str(q)) => p.encode_utf16().cmp(q.encode_utf16()) == std::cmp::Ordering::Greater,
                    _ => false,
                });
            }
            Ok(truthy(&ev.apply(f, vec![x.clone(), y.clone()], input, pos)?).unwrap_or(false))
        };
    fn merge_sort<'a>(
        ev: &mut Evaluator<'_>,
        items: Vec<V<'a>>,
        greater: &mut dyn FnMut(&mut Evaluator<'_>, &V<'a>, &V<'a>) -> Result<bool, crate::asl::jsonata::JsonataError>,
    ) -> Result<Vec<V<'a>>, crate::asl::jsonata::JsonataError> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut left = items;
        let right = left.split_off(left.len() / 2);
        let left = merge_sort(ev, left, greater)?;
        let right = merge_sort(ev, right, greater)?;
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            if greater(ev, &left[i], &right[j])? {
                out.push(right[j].clone());
                j += 1;
            } else {
                out.push(left[i].clone());
                i += 1;
            }
        }
        out.extend_from_slice(&left[i..]);
        out.extend_from_slice(&right[j..]);
        Ok(out)
    }
    Ok(V::array(merge_sort(ev, items, &mut greater)?))
}
