//! Binary operators: arithmetic, comparison, equality, `&`, `..`, `in`, `and`/`or`.

use std::cmp::Ordering;
use std::rc::Rc;

use super::{Evaluator, R, err, functions, truthy};
use crate::asl::jsonata::ast::{BinaryOp, Node};
use crate::asl::jsonata::eval::value::{Frame, V, deep_equal};

impl<'e> Evaluator<'e> {
    #[inline(never)]
    pub(super) fn binary<'a>(
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
                if ls.len() + rs.len() > super::MAX_STRING_BYTES {
                    return Err(super::too_large(pos));
                }
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
                self.allocate_range((b - a + 1.0) as u64, pos)?;
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
}

pub(super) fn strict_equal<'a>(a: &V<'a>, b: &V<'a>) -> bool {
    match (a, b) {
        (V::Arr(x), V::Arr(y)) => Rc::ptr_eq(x, y),
        (V::Obj(x), V::Obj(y)) => Rc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}
