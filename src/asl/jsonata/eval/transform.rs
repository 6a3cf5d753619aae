//! The transform operator `| pattern | update, delete |`: copy, update the matched objects,
//! rebuild.

use std::rc::Rc;

use super::{Evaluator, R, err, tuple_obj};
use crate::asl::jsonata::ast::{Kind, Node};
use crate::asl::jsonata::eval::value::{Arr, Frame, Obj, V};

impl<'e> Evaluator<'e> {
    pub(super) fn transform<'a>(&mut self, node: &'a Node, obj: V<'a>, frame: &Rc<Frame<'a>>) -> R<'a> {
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

pub(super) fn deep_copy<'a>(v: &V<'a>) -> V<'a> {
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
pub(super) fn rebuild<'a>(v: &V<'a>, replacements: &[(*const Obj<'a>, Obj<'a>)]) -> V<'a> {
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
