//! Runtime values: JSON plus JSONata's extras (undefined, functions, regexes) and the flags
//! JSONata keeps on arrays to tell a result *sequence* from a constructed array.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Number, Value};

use crate::asl::jsonata::ast::Node;

#[derive(Clone, Debug, Default)]
pub enum V<'a> {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Arr<'a>>),
    Obj(Rc<Obj<'a>>),
    Func(Rc<Func<'a>>),
}

/// An array and JSONata's flags on it.
#[derive(Clone, Debug, Default)]
pub struct Arr<'a> {
    pub items: Vec<V<'a>>,
    /// A result sequence (collapses to its single item), not an array value.
    pub sequence: bool,
    /// `[]` was applied: keep a singleton sequence as an array.
    pub keep_singleton: bool,
    /// Built by an array constructor: never flattened into an enclosing path result.
    pub cons: bool,
    /// The top-level input array wrapped so `$` still refers to the whole array.
    pub outer_wrapper: bool,
    /// A stream of variable-binding tuples (`@`, `#`, `%`), each an object.
    pub tuple_stream: bool,
}

/// An object, keeping insertion order like JavaScript objects.
#[derive(Clone, Debug, Default)]
pub struct Obj<'a> {
    pub entries: Vec<(Rc<str>, V<'a>)>,
    index: HashMap<Rc<str>, usize>,
}

impl<'a> Obj<'a> {
    pub fn get(&self, key: &str) -> Option<&V<'a>> {
        self.index.get(key).and_then(|&i| self.entries.get(i)).map(|(_, v)| v)
    }

    pub fn insert(&mut self, key: Rc<str>, value: V<'a>) {
        match self.index.get(&key) {
            Some(&i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    slot.1 = value;
                }
            }
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        if self.index.remove(key).is_some() {
            self.entries.retain(|(k, _)| &**k != key);
            self.index = self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A variable scope; blocks and function calls push a new one.
#[derive(Debug, Default)]
pub struct Frame<'a> {
    pub vars: RefCell<HashMap<Rc<str>, V<'a>>>,
    pub parent: Option<Rc<Frame<'a>>>,
    /// The caller's bindings (the root frame only), converted when first looked up: an
    /// expression reads a few variables, so converting all of them up front was wasted work.
    pub external: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl<'a> Frame<'a> {
    pub fn child(parent: &Rc<Frame<'a>>) -> Rc<Frame<'a>> {
        Rc::new(Frame { vars: RefCell::new(HashMap::new()), parent: Some(parent.clone()), external: None })
    }

    pub fn bind(&self, name: &str, value: V<'a>) {
        self.vars.borrow_mut().insert(Rc::from(name), value);
    }

    pub fn lookup(&self, name: &str) -> Option<V<'a>> {
        let mut frame = Some(self);
        while let Some(f) = frame {
            if let Some(v) = f.vars.borrow().get(name) {
                return Some(v.clone());
            }
            if let Some(v) = f.external.and_then(|m| m.get(name)) {
                let v = V::from_json(v);
                f.bind(name, v.clone());
                return Some(v);
            }
            frame = f.parent.as_deref();
        }
        None
    }
}

#[derive(Debug)]
pub enum Func<'a> {
    Lambda {
        params: &'a [String],
        body: &'a Node,
        signature: Option<Rc<super::signature::Signature>>,
        input: V<'a>,
        frame: Rc<Frame<'a>>,
    },
    Builtin(&'static str),
    /// A partial application: `None` marks a `?` still to be filled.
    Partial {
        func: V<'a>,
        args: Vec<Option<V<'a>>>,
    },
    /// `f ~> g` of two functions.
    Compose(V<'a>, V<'a>),
    Regex(Rc<regex::Regex>),
    /// `| pattern | update, delete |`.
    Transform {
        node: &'a Node,
        frame: Rc<Frame<'a>>,
    },
}

impl<'a> V<'a> {
    pub fn str(s: &str) -> Self {
        V::Str(Rc::from(s))
    }

    pub fn is_undefined(&self) -> bool {
        matches!(self, V::Undefined)
    }

    pub fn is_func(&self) -> bool {
        matches!(self, V::Func(_))
    }

    pub fn array(items: Vec<V<'a>>) -> Self {
        V::Arr(Rc::new(Arr { items, ..Arr::default() }))
    }

    pub fn sequence(items: Vec<V<'a>>) -> Self {
        V::Arr(Rc::new(Arr { items, sequence: true, ..Arr::default() }))
    }

    pub fn as_arr(&self) -> Option<&Arr<'a>> {
        match self {
            V::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// JSONata's type letter used by function signatures.
    pub fn symbol(&self) -> char {
        match self {
            V::Undefined => 'm',
            V::Null => 'l',
            V::Bool(_) => 'b',
            V::Num(_) => 'n',
            V::Str(_) => 's',
            V::Arr(_) => 'a',
            V::Obj(_) => 'o',
            V::Func(_) => 'f',
        }
    }

    /// Items of an array, or the value as a one-item list (undefined is empty).
    pub fn items(&self) -> Vec<V<'a>> {
        match self {
            V::Undefined => Vec::new(),
            V::Arr(a) => a.items.clone(),
            other => vec![other.clone()],
        }
    }

    /// Walks the value without recursion: whether it nests deeper than `max` levels, whether it
    /// holds a number JSON cannot (infinite or NaN), and how many values were visited (the
    /// caller charges them to the step budget).
    pub fn scan(&self, max: usize) -> Scan {
        let mut out = Scan::default();
        let mut stack: Vec<(&V<'a>, usize)> = vec![(self, 0)];
        while let Some((v, depth)) = stack.pop() {
            out.visited += 1;
            match v {
                V::Num(n) if !n.is_finite() => out.non_finite = true,
                V::Arr(_) | V::Obj(_) if depth >= max => out.too_deep = true,
                V::Arr(a) => stack.extend(a.items.iter().map(|i| (i, depth + 1))),
                V::Obj(o) => stack.extend(o.entries.iter().map(|(_, i)| (i, depth + 1))),
                _ => {}
            }
            if out.too_deep {
                break;
            }
        }
        out
    }

    pub fn from_json(value: &Value) -> Self {
        match value {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => V::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => V::str(s),
            Value::Array(items) => V::array(items.iter().map(V::from_json).collect()),
            Value::Object(map) => {
                let mut obj = Obj::default();
                for (k, v) in map {
                    obj.insert(Rc::from(k.as_str()), V::from_json(v));
                }
                V::Obj(Rc::new(obj))
            }
        }
    }

    /// The JSON form; `None` for undefined. Functions become `""` as JSONata's output does.
    pub fn to_json(&self) -> Option<Value> {
        Some(match self {
            V::Undefined => return None,
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Num(n) => number_json(*n),
            V::Str(s) => Value::String(s.to_string()),
            V::Arr(a) => Value::Array(a.items.iter().filter_map(V::to_json).collect()),
            V::Obj(o) => {
                let mut map = Map::new();
                for (k, v) in &o.entries {
                    if let Some(j) = v.to_json() {
                        map.insert(k.to_string(), j);
                    }
                }
                Value::Object(map)
            }
            V::Func(_) => Value::String(String::new()),
        })
    }
}

/// What [`V::scan`] found.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scan {
    pub too_deep: bool,
    pub non_finite: bool,
    pub visited: usize,
}

/// A JSON number: integral values become integers, as JavaScript prints them.
pub fn number_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Value::Number(Number::from(n as i64));
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// JavaScript's `Number.prototype.toString()`.
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // Shortest round-trip digits and exponent from Rust's `{:e}`, e.g. "1.25e-7".
    let formatted = format!("{:e}", n.abs());
    let (mantissa, exp) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    let k = digits.len() as i64;
    let point = exp + 1; // position of the decimal point relative to the digits
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let esign = if e < 0 { "-" } else { "+" };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{esign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{esign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

/// JSONata's deep equality for `=` and `!=`.
pub fn deep_equal<'a>(a: &V<'a>, b: &V<'a>) -> bool {
    match (a, b) {
        (V::Undefined, V::Undefined) | (V::Null, V::Null) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Num(x), V::Num(y)) => x == y,
        (V::Str(x), V::Str(y)) => x == y,
        (V::Arr(x), V::Arr(y)) => {
            x.items.len() == y.items.len() && x.items.iter().zip(&y.items).all(|(p, q)| deep_equal(p, q))
        }
        (V::Obj(x), V::Obj(y)) => {
            x.len() == y.len() && x.entries.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (V::Func(x), V::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::js_number;

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(js_number(1.0), "1");
        assert_eq!(js_number(-2.5), "-2.5");
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1e20), "100000000000000000000");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(0.000001), "0.000001");
        assert_eq!(js_number(0.1 + 0.2), "0.30000000000000004");
    }
}
