//! The JSONata function library: the table of names and signatures, argument validation and
//! dispatch. The functions themselves live in the submodules by what they work on.

mod collections;
mod format_number;
mod numeric;
mod picture;
mod text;
mod time;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::eval::signature::Signature;
use crate::asl::jsonata::eval::value::{Func, V};
use crate::asl::jsonata::eval::{Evaluator, R};

pub(crate) use numeric::string_of;
pub(crate) use text::regex_match_object;

/// Every built-in function with JSONata's signature for it (AWS's additions at the end).
const SIGNATURES: &[(&str, &str)] = &[
    ("sum", "<a<n>:n>"),
    ("count", "<a:n>"),
    ("max", "<a<n>:n>"),
    ("min", "<a<n>:n>"),
    ("average", "<a<n>:n>"),
    ("string", "<x-b?:s>"),
    ("substring", "<s-nn?:s>"),
    ("substringBefore", "<s-s:s>"),
    ("substringAfter", "<s-s:s>"),
    ("lowercase", "<s-:s>"),
    ("uppercase", "<s-:s>"),
    ("length", "<s-:n>"),
    ("trim", "<s-:s>"),
    ("pad", "<s-ns?:s>"),
    ("match", "<s-f<s:o>n?:a<o>>"),
    ("contains", "<s-(sf):b>"),
    ("replace", "<s-(sf)(sf)n?:s>"),
    ("split", "<s-(sf)n?:a<s>>"),
    ("join", "<a<s>s?:s>"),
    ("formatBase", "<n-n?:s>"),
    ("formatNumber", "<n-so?:s>"),
    ("number", "<(nsb)-:n>"),
    ("floor", "<n-:n>"),
    ("ceil", "<n-:n>"),
    ("round", "<n-n?:n>"),
    ("abs", "<n-:n>"),
    ("sqrt", "<n-:n>"),
    ("power", "<n-n:n>"),
    // AWS accepts an optional seed (checklist 8.7): the same seed gives the same value.
    ("random", "<n?:n>"),
    ("boolean", "<x-:b>"),
    ("not", "<x-:b>"),
    ("map", "<af>"),
    ("zip", "<a+>"),
    ("filter", "<af>"),
    ("single", "<af?>"),
    ("reduce", "<afj?:j>"),
    ("sift", "<o-f?:o>"),
    ("keys", "<x-:a<s>>"),
    ("lookup", "<x-s:x>"),
    ("append", "<xx:a>"),
    ("exists", "<x:b>"),
    ("spread", "<x-:a<o>>"),
    ("merge", "<a<o>:o>"),
    ("reverse", "<a:a>"),
    ("each", "<o-f:a>"),
    ("error", "<s?:x>"),
    ("assert", "<bs?:x>"),
    ("type", "<x:s>"),
    ("sort", "<af?:a>"),
    ("shuffle", "<a:a>"),
    ("distinct", "<x:x>"),
    ("base64encode", "<s-:s>"),
    ("base64decode", "<s-:s>"),
    ("encodeUrlComponent", "<s-:s>"),
    ("encodeUrl", "<s-:s>"),
    ("decodeUrlComponent", "<s-:s>"),
    ("decodeUrl", "<s-:s>"),
    ("toMillis", "<s-s?:n>"),
    ("fromMillis", "<n-s?s?:s>"),
    ("formatInteger", "<n-s:s>"),
    ("parseInteger", "<s-s:n>"),
    ("now", "<s?s?:s>"),
    ("millis", "<:n>"),
    ("clone", "<(oa)-:o>"),
    // AWS Step Functions additions (checklist 8.7).
    ("partition", "<an:a>"),
    ("range", "<nnn?:a>"),
    ("hash", "<ss?:s>"),
    ("uuid", "<:s>"),
    ("parse", "<s-:x>"),
];

thread_local! {
    static PARSED: RefCell<HashMap<&'static str, Rc<Signature>>> = RefCell::new(HashMap::new());
}

fn entry(name: &str) -> Option<&'static str> {
    SIGNATURES.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

fn signature(name: &'static str) -> Option<Rc<Signature>> {
    PARSED.with(|cache| {
        if let Some(s) = cache.borrow().get(name) {
            return Some(s.clone());
        }
        let text = SIGNATURES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)?;
        let sig = Rc::new(Signature::parse(text)?);
        cache.borrow_mut().insert(name, sig.clone());
        Some(sig)
    })
}

/// The function value for `$name`, if it is a built-in.
pub(crate) fn builtin<'a>(name: &str) -> Option<V<'a>> {
    entry(name).map(|n| V::Func(Rc::new(Func::Builtin(n))))
}

/// How many arguments higher-order functions pass to a built-in: JavaScript's `length` of the
/// implementation, which does not count `$string`'s defaulted `prettify`.
pub(crate) fn arity(name: &'static str) -> usize {
    if name == "string" {
        return 1;
    }
    signature(name).map_or(1, |s| s.arity())
}

fn arg<'a>(args: &[V<'a>], i: usize) -> V<'a> {
    args.get(i).cloned().unwrap_or_default()
}

pub(crate) fn err(code: &'static str, pos: usize, message: impl Into<String>) -> JsonataError {
    JsonataError::with_message(code, pos, message)
}

/// Calls built-in `name` after checking `args` against its signature.
#[inline(never)]
pub(crate) fn call<'a>(
    ev: &mut Evaluator<'_>,
    name: &'static str,
    args: Vec<V<'a>>,
    input: &V<'a>,
    pos: usize,
) -> R<'a> {
    let args = match signature(name) {
        Some(sig) => sig.validate(name, args, input, pos)?,
        None => args,
    };
    // Built-ins walk their arguments: a long string or array costs steps in proportion.
    let work: usize = args
        .iter()
        .map(|a| match a {
            V::Str(s) => s.len() / 64,
            V::Arr(a) => a.items.len() / 16,
            V::Obj(o) => o.len() / 16,
            _ => 0,
        })
        .sum();
    ev.charge(work, pos)?;
    let result = call_inner(ev, name, args, input, pos)?;
    ev.bounded(result, pos)
}

fn call_inner<'a>(ev: &mut Evaluator<'_>, name: &'static str, args: Vec<V<'a>>, input: &V<'a>, pos: usize) -> R<'a> {
    let a = |i: usize| arg(&args, i);
    match name {
        "sum" | "max" | "min" | "average" => numeric::aggregate(name, &a(0)),
        "count" => Ok(V::Num(a(0).items().len() as f64)),
        "string" => match a(0) {
            V::Undefined => Ok(V::Undefined),
            v => Ok(V::str(&string_of(&v, matches!(a(1), V::Bool(true)), pos)?)),
        },
        "number" => numeric::number(&a(0), pos),
        "floor" | "ceil" | "abs" | "sqrt" => numeric::unary(name, &a(0), pos),
        "round" => numeric::round(&a(0), &a(1)),
        "power" => numeric::power(&a(0), &a(1), pos),
        "formatBase" => numeric::format_base(&a(0), &a(1), pos),
        "formatNumber" => match (a(0), a(1)) {
            (V::Num(n), V::Str(picture)) => {
                let options: Vec<(String, String)> = match a(2) {
                    V::Obj(o) => o
                        .entries
                        .iter()
                        .filter_map(
                            |(k, v)| if let V::Str(s) = v { Some((k.to_string(), s.to_string())) } else { None },
                        )
                        .collect(),
                    _ => Vec::new(),
                };
                format_number::format_number(n, &picture, &options).map(|s| V::str(&s)).map_err(|code| match code {
                    format_number::RANGE_ERROR => err(code, pos, "toFixed() digits argument must be between 0 and 100"),
                    _ => err(code, pos, "Invalid number picture string"),
                })
            }
            _ => Ok(V::Undefined),
        },
        "random" => Ok(V::Num(match a(0) {
            V::Num(seed) => {
                use crate::asl::world::Entropy;
                crate::asl::world::SeededEntropy::new(seed as i64 as u64).next_f64()
            }
            _ => ev.env.random(),
        })),
        "boolean" => Ok(super::truthy(&a(0)).map_or(V::Undefined, V::Bool)),
        "not" => Ok(super::truthy(&a(0)).map_or(V::Undefined, |b| V::Bool(!b))),
        "exists" => Ok(V::Bool(!a(0).is_undefined())),
        "type" => Ok(match a(0) {
            V::Undefined => V::Undefined,
            V::Null => V::str("null"),
            V::Bool(_) => V::str("boolean"),
            V::Num(_) => V::str("number"),
            V::Str(_) => V::str("string"),
            V::Arr(_) => V::str("array"),
            V::Obj(_) => V::str("object"),
            V::Func(_) => V::str("function"),
        }),
        "error" => Err(err(
            "D3137",
            pos,
            match a(0) {
                V::Str(s) => s.to_string(),
                _ => "$error() function evaluated".into(),
            },
        )),
        "assert" => match a(0) {
            V::Bool(true) => Ok(V::Undefined),
            _ => Err(err(
                "D3141",
                pos,
                match a(1) {
                    V::Str(s) => s.to_string(),
                    _ => "$assert() statement failed".into(),
                },
            )),
        },
        "now" => match (a(0), a(1)) {
            (V::Undefined, V::Undefined) => Ok(V::str(&time::iso(ev.now))),
            // `$now(picture, timezone)` formats the clock as `$fromMillis` would.
            (picture, tz) => {
                let text = |v: &V<'a>| if let V::Str(s) = v { Some(s.to_string()) } else { None };
                picture::format_datetime(ev.now, text(&picture).as_deref(), text(&tz).as_deref())
                    .map(|s| V::str(&s))
                    .map_err(|code| err(code, pos, "Invalid date/time picture string"))
            }
        },
        "millis" => Ok(V::Num(ev.now as f64)),
        "toMillis" => match (a(0), a(1)) {
            (V::Str(text), V::Str(picture)) => picture::parse::parse_datetime(&text, &picture, ev.now)
                .map(|m| m.map_or(V::Undefined, |m| V::Num(m as f64)))
                .map_err(|code| err(code, pos, "Invalid date/time picture string")),
            (V::Str(text), _) => picture::parse::parse_iso(&text)
                .map(|m| V::Num(m as f64))
                .ok_or_else(|| err("D3110", pos, format!("The timestamp '{text}' could not be parsed"))),
            _ => Ok(V::Undefined),
        },
        "parseInteger" => match (a(0), a(1)) {
            (V::Str(text), V::Str(picture)) => picture::parse::parse_integer(&text, &picture)
                .map(|n| n.map_or(V::Undefined, V::Num))
                .map_err(|code| err(code, pos, "Invalid integer picture string")),
            _ => Ok(V::Undefined),
        },
        // JavaScript dates reach ±8.64e15 ms; past them `toISOString` throws a RangeError.
        "fromMillis" if matches!(a(0), V::Num(n) if n.is_nan() || n.abs() > 8.64e15) => {
            Err(err(format_number::RANGE_ERROR, pos, "Invalid time value"))
        }
        "fromMillis" => match (a(0), a(1), a(2)) {
            (V::Num(n), V::Undefined, V::Undefined) => Ok(V::str(&time::iso(n as i64))),
            (V::Num(n), picture, tz) => {
                let text = |v: &V<'a>| if let V::Str(s) = v { Some(s.to_string()) } else { None };
                picture::format_datetime(n as i64, text(&picture).as_deref(), text(&tz).as_deref())
                    .map(|s| V::str(&s))
                    .map_err(|code| err(code, pos, "Invalid date/time picture string"))
            }
            _ => Ok(V::Undefined),
        },
        "formatInteger" => match (a(0), a(1)) {
            (V::Num(n), V::Str(p)) => picture::analyse_integer(&p)
                .and_then(|f| picture::format_integer(n.floor(), &f))
                .map(|s| V::str(&s))
                .map_err(|code| match code {
                    format_number::RANGE_ERROR => {
                        err(code, pos, "formatInteger supports integers within ±9.2e18 except in words")
                    }
                    _ => err(code, pos, "Invalid integer picture string"),
                }),
            _ => Ok(V::Undefined),
        },
        "uuid" => Ok(V::str(&time::uuid(ev))),
        "substring" | "substringBefore" | "substringAfter" | "lowercase" | "uppercase" | "length" | "trim" | "pad"
        | "base64encode" | "base64decode" | "encodeUrlComponent" | "encodeUrl" | "decodeUrlComponent" | "decodeUrl"
        | "join" | "hash" | "parse" => text::simple(name, &args, pos),
        "contains" | "split" | "match" => text::pattern(ev, name, &args, input, pos),
        "replace" => text::replace(ev, &args, input, pos),
        _ => collections::call(ev, name, &args, input, pos),
    }
}
