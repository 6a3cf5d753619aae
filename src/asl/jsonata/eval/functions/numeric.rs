//! Numbers: aggregates, `$number`, rounding, `$string` (which prints numbers like JavaScript
//! with 15 significant digits).

use serde_json::Value;

use super::err;
use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::eval::R;
use crate::asl::jsonata::eval::value::{V, js_number, number_json};

pub fn aggregate<'a>(name: &str, arr: &V<'a>) -> R<'a> {
    if arr.is_undefined() {
        return Ok(V::Undefined);
    }
    let nums: Vec<f64> = arr.items().iter().filter_map(V::as_num).collect();
    Ok(match name {
        "sum" => V::Num(nums.iter().sum()),
        "max" if !nums.is_empty() => V::Num(nums.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        "min" if !nums.is_empty() => V::Num(nums.iter().copied().fold(f64::INFINITY, f64::min)),
        "average" if !nums.is_empty() => V::Num(nums.iter().sum::<f64>() / nums.len() as f64),
        _ => V::Undefined,
    })
}

pub fn number<'a>(v: &V<'a>, pos: usize) -> R<'a> {
    Ok(match v {
        V::Undefined => V::Undefined,
        V::Num(n) => V::Num(*n),
        V::Bool(b) => V::Num(if *b { 1.0 } else { 0.0 }),
        V::Str(s) => {
            let t: &str = s;
            let radix = [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)]
                .iter()
                .find_map(|(p, r)| t.strip_prefix(p).map(|rest| (rest, *r)));
            let parsed = match radix {
                Some((rest, r)) => i64::from_str_radix(rest, r).ok().map(|n| n as f64),
                None if is_json_number(t) => t.parse::<f64>().ok().filter(|n| n.is_finite()),
                None => None,
            };
            match parsed {
                Some(n) => V::Num(n),
                None => return Err(err("D3030", pos, format!("Unable to cast value to a number: \"{t}\""))),
            }
        }
        _ => return Err(err("D3030", pos, "Unable to cast value to a number")),
    })
}

/// `-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?`
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    // Leading zeros are accepted (`$number('007')` is 7).
    if digits(&mut i) == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

pub fn unary<'a>(name: &str, v: &V<'a>, pos: usize) -> R<'a> {
    let V::Num(n) = v else { return Ok(V::Undefined) };
    Ok(V::Num(match name {
        "floor" => n.floor(),
        "ceil" => n.ceil(),
        "abs" => n.abs(),
        _ => {
            if *n < 0.0 {
                return Err(err(
                    "D3060",
                    pos,
                    format!("The sqrt function cannot be applied to a negative number: {}", js_number(*n)),
                ));
            }
            n.sqrt()
        }
    }))
}

/// Shifts the decimal point of `n` by `places` exactly, via its decimal text (as JSONata does).
fn shift(n: f64, places: i64) -> f64 {
    let text = js_number(n);
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    format!("{mantissa}e{}", exp + places).parse().unwrap_or(n)
}

/// Half-to-even rounding at `places` decimal places (shared with `$formatNumber`).
pub fn round_places(n: f64, places: i64) -> f64 {
    let shifted = if places != 0 { shift(n, places) } else { n };
    let mut value = shifted.round_ties_even();
    if places != 0 {
        value = shift(value, -places);
    }
    if value == 0.0 { 0.0 } else { value }
}

/// `$round`: half to even, at `precision` decimal places.
pub fn round<'a>(v: &V<'a>, precision: &V<'a>) -> R<'a> {
    let V::Num(n) = v else { return Ok(V::Undefined) };
    let places = precision.as_num().map_or(0, |p| p as i64);
    let shifted = if places != 0 { shift(*n, places) } else { *n };
    let mut value = shifted.round_ties_even();
    if places != 0 {
        value = shift(value, -places);
    }
    if value == 0.0 {
        value = 0.0;
    }
    Ok(V::Num(value))
}

pub fn power<'a>(base: &V<'a>, exp: &V<'a>, pos: usize) -> R<'a> {
    let (V::Num(b), V::Num(e)) = (base, exp) else { return Ok(V::Undefined) };
    let r = b.powf(*e);
    if !r.is_finite() {
        return Err(err(
            "D3061",
            pos,
            "The power function has resulted in a value that cannot be represented as a JSON number",
        ));
    }
    Ok(V::Num(r))
}

pub fn format_base<'a>(v: &V<'a>, radix: &V<'a>, pos: usize) -> R<'a> {
    let V::Num(n) = v else { return Ok(V::Undefined) };
    let radix = radix.as_num().unwrap_or(10.0) as u32;
    if !(2..=36).contains(&radix) {
        return Err(err(
            "D3100",
            pos,
            format!("The radix of the formatBase function must be between 2 and 36.  It was given {radix}"),
        ));
    }
    let rounded = round(&V::Num(*n), &V::Undefined)?.as_num().unwrap_or(0.0);
    let mut x = rounded.abs() as u128;
    let mut digits = Vec::new();
    loop {
        let d = (x % radix as u128) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        x /= radix as u128;
        if x == 0 {
            break;
        }
    }
    if rounded < 0.0 {
        digits.push('-');
    }
    Ok(V::str(&digits.iter().rev().collect::<String>()))
}

/// A number rounded to 15 significant digits, as `$string` prints non-integers.
fn precision15(n: f64) -> f64 {
    if n.fract() == 0.0 {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

fn to_json_p15(v: &V<'_>, pos: usize) -> Result<Option<Value>, JsonataError> {
    Ok(Some(match v {
        V::Undefined => return Ok(None),
        V::Num(n) if !n.is_finite() => return Err(err("D1001", pos, "Number out of range")),
        V::Num(n) => number_json(precision15(*n)),
        V::Arr(a) => {
            let mut items = Vec::with_capacity(a.items.len());
            for i in &a.items {
                items.push(to_json_p15(i, pos)?.unwrap_or(Value::Null));
            }
            Value::Array(items)
        }
        V::Obj(o) => {
            let mut map = serde_json::Map::new();
            for (k, v) in &o.entries {
                if let Some(j) = to_json_p15(v, pos)? {
                    map.insert(k.to_string(), j);
                }
            }
            Value::Object(map)
        }
        other => match other.to_json() {
            Some(j) => j,
            None => return Ok(None),
        },
    }))
}

/// `$string(value, prettify)`.
pub fn string_of(v: &V<'_>, pretty: bool, pos: usize) -> Result<String, JsonataError> {
    match v {
        V::Str(s) => Ok(s.to_string()),
        V::Func(_) => Ok(String::new()),
        V::Num(n) if !n.is_finite() => {
            Err(err("D3001", pos, "Attempting to invoke string function on Infinity or NaN"))
        }
        V::Num(n) => Ok(js_number(precision15(*n))),
        other => {
            let json = to_json_p15(other, pos)?.unwrap_or(Value::Null);
            let text = if pretty { serde_json::to_string_pretty(&json) } else { serde_json::to_string(&json) };
            Ok(text.unwrap_or_default())
        }
    }
}
