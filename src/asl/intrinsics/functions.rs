//! What each function does once its arguments are evaluated (rules 9.4–9.21). The parser has
//! already checked the argument count, so indexing into the argument list cannot fail; values
//! are still checked here because paths and nested calls can yield anything.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};
use sha2::Digest as _;

use crate::asl::intrinsics::args::{self, invalid, preview};
use crate::asl::intrinsics::format::Template;
use crate::asl::intrinsics::{Arg, Call, Func, IntrinsicError};
use crate::asl::world::{self, Entropy, SeededEntropy};

/// ArrayRange produces at most this many items (rule 9.10).
const MAX_RANGE_ITEMS: i128 = 1000;
/// Base64Encode/Decode and Hash accept at most this many characters (rules 9.14–9.16).
const MAX_INPUT_CHARS: usize = 10_000;

/// The standard alphabet; padding is optional when decoding, as with Java's decoder (AWS runs
/// on the JVM).
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Runs `call`'s function on its evaluated arguments.
pub fn apply(
    call: &Call,
    values: impl IntoIterator<Item = Value>,
    entropy: &mut dyn Entropy,
) -> Result<Value, IntrinsicError> {
    let f = call.func;
    let mut it = values.into_iter();
    // The parser guarantees the count, so a missing value here is a bug; `Null` keeps it total.
    let mut next = || it.next().unwrap_or(Value::Null);
    Ok(match f {
        Func::Format => {
            let template = next();
            let rest: Vec<Value> =
                std::iter::from_fn(|| Some(next())).take(call.args.len().saturating_sub(1)).collect();
            format(call, template, &rest)?
        }
        Func::StringToJson => string_to_json(args::string(f, 0, next())?)?,
        Func::JsonToString => Value::String(next().to_string()),
        Func::Array => Value::Array(std::iter::from_fn(|| Some(next())).take(call.args.len()).collect()),
        Func::ArrayPartition => {
            let items = args::array(f, 0, next())?;
            let size = args::rounded(f, 1, &next())?;
            partition(items, size)?
        }
        Func::ArrayContains => {
            let items = args::array(f, 0, next())?;
            let needle = next();
            Value::Bool(items.contains(&needle))
        }
        Func::ArrayRange => {
            let start = args::rounded(f, 0, &next())?;
            let end = args::rounded(f, 1, &next())?;
            let step = args::rounded(f, 2, &next())?;
            range(start, end, step)?
        }
        Func::ArrayGetItem => {
            let mut items = args::array(f, 0, next())?;
            let index = args::rounded(f, 1, &next())?;
            let len = items.len();
            match usize::try_from(index) {
                Ok(i) if i < len => items.swap_remove(i),
                _ => {
                    return Err(invalid(f, format!("the index {index} is out of bounds for an array of length {len}")));
                }
            }
        }
        Func::ArrayLength => Value::from(args::array(f, 0, next())?.len()),
        Func::ArrayUnique => {
            let items = args::array(f, 0, next())?;
            // Keyed by a canonical text (object keys sorted) so a large array stays linear.
            let mut seen = std::collections::HashSet::with_capacity(items.len());
            Value::Array(items.into_iter().filter(|item| seen.insert(canonical(item))).collect())
        }
        Func::Base64Encode => {
            let s = limited(f, args::string(f, 0, next())?)?;
            Value::String(base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
        }
        Func::Base64Decode => {
            let s = limited(f, args::string(f, 0, next())?)?;
            // MIME-style input may be wrapped over several lines; the line breaks are not data.
            let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = LENIENT_BASE64
                .decode(compact.as_bytes())
                .map_err(|e| invalid(f, format!("{} is not valid base64 ({e})", preview(&Value::String(s.clone())))))?;
            Value::String(
                String::from_utf8(bytes).map_err(|_| invalid(f, "the decoded bytes are not valid UTF-8 text"))?,
            )
        }
        Func::Hash => {
            let data = match next() {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let algorithm = args::string(f, 1, next())?;
            hash(limited(f, data)?, &algorithm)?
        }
        Func::JsonMerge => {
            let left = args::object(f, 0, next())?;
            let right = args::object(f, 1, next())?;
            if args::boolean(f, 2, &next())? {
                return Err(invalid(f, "deep merging is not supported; the third argument must be false"));
            }
            Value::Object(merge(left, right))
        }
        Func::MathRandom => {
            let start = args::rounded(f, 0, &next())?;
            let end = args::rounded(f, 1, &next())?;
            let seed = if call.args.len() > 2 { Some(args::rounded(f, 2, &next())?) } else { None };
            random(start, end, seed, entropy)?
        }
        Func::MathAdd => {
            let a = int32(f, args::rounded(f, 0, &next())?)?;
            let b = int32(f, args::rounded(f, 1, &next())?)?;
            Value::from(a + b)
        }
        Func::StringSplit => {
            let s = args::string(f, 0, next())?;
            let delimiters = args::string(f, 1, next())?;
            split(&s, &delimiters)
        }
        Func::Uuid => Value::String(world::uuid_v4(entropy)),
    })
}

/// States.Format: the template's `{}` count must equal the number of further arguments.
fn format(call: &Call, template: Value, rest: &[Value]) -> Result<Value, IntrinsicError> {
    let f = Func::Format;
    // A literal template keeps its escapes, so `\{` is a brace and not half a placeholder.
    let template = match call.args.first() {
        Some(Arg::String { raw, .. }) => Template::parse(raw),
        _ => Template::parse(&args::string(f, 0, template)?),
    };
    if template.holes() != rest.len() {
        return Err(invalid(
            f,
            format!(
                "the template has {} placeholder(s) '{{}}' but {} argument(s) follow it",
                template.holes(),
                rest.len()
            ),
        ));
    }
    Ok(Value::String(template.fill(rest)))
}

/// States.StringToJson: blank text is `null` (rule 9.5).
fn string_to_json(s: String) -> Result<Value, IntrinsicError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    let mut value: Value = serde_json::from_str(trimmed).map_err(|e| {
        invalid(Func::StringToJson, format!("{} is not valid JSON text ({e})", preview(&Value::String(s.clone()))))
    })?;
    // AWS (Jackson) reads the integer `-0` as `0`; serde_json reads it as the float -0.0. When the
    // text has no fractional or exponent negative zero, every -0.0 came from an integer `-0`.
    if !["-0.", "-0e", "-0E"].iter().any(|p| trimmed.contains(p)) {
        integer_zeros(&mut value);
    }
    Ok(value)
}

fn integer_zeros(v: &mut Value) {
    match v {
        Value::Number(n) if n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => *v = Value::from(0),
        Value::Array(items) => items.iter_mut().for_each(integer_zeros),
        Value::Object(map) => map.values_mut().for_each(integer_zeros),
        _ => {}
    }
}

/// States.ArrayPartition: chunks of `size`, the last one possibly shorter (rule 9.8).
fn partition(items: Vec<Value>, size: i64) -> Result<Value, IntrinsicError> {
    let size = usize::try_from(size).ok().filter(|&s| s > 0).ok_or_else(|| {
        invalid(Func::ArrayPartition, format!("the chunk size must be a positive integer, not {size}"))
    })?;
    let mut chunks = Vec::with_capacity(items.len().div_ceil(size));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(Value::Array(items.by_ref().take(size).collect()));
    }
    Ok(Value::Array(chunks))
}

/// States.ArrayRange: from `start` toward `end` (inclusive when a step lands on it) (rule 9.10).
fn range(start: i64, end: i64, step: i64) -> Result<Value, IntrinsicError> {
    let f = Func::ArrayRange;
    if step == 0 {
        return Err(invalid(f, "the step must not be 0"));
    }
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    let count = if (step > 0 && start <= end) || (step < 0 && start >= end) { (end - start) / step + 1 } else { 0 };
    if count > MAX_RANGE_ITEMS {
        return Err(invalid(f, format!("the range would have {count} items; at most {MAX_RANGE_ITEMS} are allowed")));
    }
    Ok(Value::Array((0..count).map(|i| Value::from((start + i * step) as i64)).collect()))
}

/// MathAdd's operands must fit a Java `int` (AWS documents the range).
fn int32(f: Func, n: i64) -> Result<i64, IntrinsicError> {
    if i32::try_from(n).is_err() {
        return Err(invalid(f, format!("{n} is outside the range -2147483648 to 2147483647")));
    }
    Ok(n)
}

fn limited(f: Func, s: String) -> Result<String, IntrinsicError> {
    let n = s.chars().count();
    if n > MAX_INPUT_CHARS {
        return Err(invalid(f, format!("the input has {n} characters; at most {MAX_INPUT_CHARS} are allowed")));
    }
    Ok(s)
}

/// The hash algorithms, by their exact (case-sensitive) ASL names (rule 9.16).
const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

fn hash(data: String, algorithm: &str) -> Result<Value, IntrinsicError> {
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(invalid(
                Func::Hash,
                format!("'{other}' is not a supported algorithm; use one of {}", ALGORITHMS.join(", ")),
            ));
        }
    };
    Ok(Value::String(digest.iter().map(|b| format!("{b:02x}")).collect()))
}

/// States.JsonMerge, shallow: `right`'s keys replace `left`'s, new keys go at the end (rule 9.17).
fn merge(mut left: Map<String, Value>, right: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in right {
        left.insert(k, v);
    }
    left
}

/// States.MathRandom: an integer in `[start, end)`; with a seed, the same seed always gives the
/// same number, independent of the run's entropy (rule 9.18).
fn random(start: i64, end: i64, seed: Option<i64>, entropy: &mut dyn Entropy) -> Result<Value, IntrinsicError> {
    if end <= start {
        return Err(invalid(Func::MathRandom, format!("the end ({end}) must be greater than the start ({start})")));
    }
    let span = (i128::from(end) - i128::from(start)) as u128;
    let draw = match seed {
        Some(s) => SeededEntropy::new(s as u64).next_u64(),
        None => entropy.next_u64(),
    };
    Ok(Value::from((i128::from(start) + (u128::from(draw) % span) as i128) as i64))
}

/// JSON text with object keys sorted: equal values (by `Value`'s equality, where `{"a":1,"b":2}`
/// equals `{"b":2,"a":1}` but `1` differs from `1.0`) get equal texts.
fn canonical(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Array(items) => {
                out.push('[');
                for item in items {
                    write(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (k, item) in entries {
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    write(item, out);
                    out.push(',');
                }
                out.push('}');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// States.StringSplit: every character of `delimiters` separates; empty pieces are dropped
/// (rule 9.20).
fn split(s: &str, delimiters: &str) -> Value {
    Value::Array(
        s.split(|c: char| delimiters.contains(c))
            .filter(|piece| !piece.is_empty())
            .map(|piece| Value::String(piece.to_string()))
            .collect(),
    )
}
