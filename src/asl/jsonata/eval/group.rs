//! Object constructors and group-by (`{key: value}` over a sequence or tuple stream) and the
//! order-by step `^(…)`.

use std::cmp::Ordering;
use std::rc::Rc;

use super::{Evaluator, R, append, err, tuple_obj};
use crate::asl::jsonata::ast::{Group, Node, SortTerm};
use crate::asl::jsonata::eval::value::{Arr, Frame, Obj, V};

impl<'e> Evaluator<'e> {
    pub(super) fn group_pairs<'a>(
        &mut self,
        pairs: &'a [(Node, Node)],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
        pos: usize,
    ) -> R<'a> {
        let group = GroupRef { pairs, pos };
        self.group_impl(group, input.clone(), frame)
    }

    pub(super) fn group<'a>(&mut self, group: &'a Group, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
        self.group_impl(GroupRef { pairs: &group.pairs, pos: group.pos }, input, frame)
    }

    #[inline(never)]
    pub(super) fn group_impl<'a>(&mut self, group: GroupRef<'a>, input: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
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
        self.bounded(V::Obj(Rc::new(out)), group.pos)
    }

    #[inline(never)]
    pub(super) fn sort<'a>(
        &mut self,
        terms: &'a [SortTerm],
        input: &V<'a>,
        frame: &Rc<Frame<'a>>,
        pos: usize,
    ) -> R<'a> {
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
}

pub(super) struct GroupRef<'a> {
    pairs: &'a [(Node, Node)],
    pos: usize,
}

pub(super) fn reduce_tuples<'a>(data: &V<'a>) -> Obj<'a> {
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
