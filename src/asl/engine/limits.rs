//! AWS's hard limits on what an execution carries: the history-event quota, and the payload
//! quota (256 KiB of UTF-8 JSON per state input, output and task result) with the warning
//! threshold below it, measured without serialising.
//!
//! Sizes are computed by walking the value (with an explicit stack, so a deep value cannot
//! overflow the thread's stack) and stop as soon as the limit is passed: a 4 GB value costs
//! no more to reject than one a byte over the quota.

use serde_json::Value;

/// AWS's quota of history events for a Standard execution (rule 18.2); also our guard against
/// runaway loops.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// Express executions have no history quota; this bound only keeps a runaway local loop (a
/// Pass loop never advances the virtual clock) from eating memory: ten times Standard's quota.
pub const EXPRESS_EVENT_GUARD: usize = 10 * MAX_HISTORY_EVENTS;

/// AWS's payload quota: 262,144 bytes (256 KiB) of UTF-8 JSON for a state's input or output,
/// a task's result, and an execution's input or output (ASL-CHECKLIST 6.1, 18.1; AWS's
/// "Maximum input or output size for a task, state, or execution" quota).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The `payload-near-limit` warning threshold: 80% of [`MAX_PAYLOAD_BYTES`] (issue 15).
pub const NEAR_LIMIT_BYTES: usize = MAX_PAYLOAD_BYTES / 5 * 4;

/// The size of `v` serialised as compact JSON (as `serde_json::to_string` writes it), or
/// `None` once it passes `limit` bytes. Allocates nothing for a flat object or array.
pub fn json_size(v: &Value, limit: usize) -> Option<usize> {
    measure(v, limit, usize::MAX).ok()
}

/// Why a value is refused as a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Over the byte limit.
    TooLarge,
    /// Nested deeper than allowed (see `crate::asl::depth`).
    TooDeep,
}

/// The size of `v` as compact JSON, refusing it past `limit` bytes or `max_depth` levels of
/// nesting, in one walk.
pub fn measure(v: &Value, limit: usize, max_depth: usize) -> Result<usize, Refused> {
    let mut total = 0usize;
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    let mut next = Some((v, 0usize));
    while let Some((v, depth)) = next.take().or_else(|| stack.pop()) {
        let (len, children): (usize, &mut dyn Iterator<Item = (Option<&String>, &Value)>) = match v {
            Value::Array(items) => (items.len(), &mut items.iter().rev().map(|i| (None, i))),
            Value::Object(map) => (map.len(), &mut map.iter().rev().map(|(k, i)| (Some(k), i))),
            scalar => {
                total += scalar_size(scalar).unwrap_or_default();
                if total > limit {
                    return Err(Refused::TooLarge);
                }
                continue;
            }
        };
        if depth >= max_depth {
            return Err(Refused::TooDeep);
        }
        // Brackets and commas.
        total += 2 + len.saturating_sub(1);
        if total > limit {
            return Err(Refused::TooLarge);
        }
        for (key, item) in children {
            if let Some(k) = key {
                // The key, quoted and escaped, and its colon.
                total += string_size(k) + 1;
            }
            match scalar_size(item) {
                Some(n) => total += n,
                None => stack.push((item, depth + 1)),
            }
            if total > limit {
                return Err(Refused::TooLarge);
            }
        }
    }
    Ok(total)
}

/// An execution input AWS would refuse at `StartExecution` (its `input` is capped at 262,144
/// characters): the run never starts, so the caller reports it as bad input, naming `source`.
pub fn refuse_execution_input(source: &str, v: &Value) -> Result<(), String> {
    match json_size(v, MAX_PAYLOAD_BYTES) {
        Some(_) => Ok(()),
        None => Err(format!(
            "{source}: the execution input is larger than {MAX_PAYLOAD_BYTES} bytes (256 KiB) of JSON; \
             AWS refuses such an input when the execution is started"
        )),
    }
}

/// Whether `v` serialises to more than [`MAX_PAYLOAD_BYTES`].
pub fn exceeds_payload_limit(v: &Value) -> bool {
    json_size(v, MAX_PAYLOAD_BYTES).is_none()
}

/// The serialised size of a scalar; `None` for an array or object.
fn scalar_size(v: &Value) -> Option<usize> {
    Some(match v {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => number_size(n),
        Value::String(s) => string_size(s),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn number_size(n: &serde_json::Number) -> usize {
    if let Some(u) = n.as_u64() {
        return digits(u);
    }
    if let Some(i) = n.as_i64() {
        return 1 + digits(i.unsigned_abs());
    }
    // Floats: as serde_json writes them (its `Display` is its serialisation), counted
    // without allocating.
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = std::fmt::write(&mut c, format_args!("{n}"));
    c.0
}

fn digits(mut u: u64) -> usize {
    let mut d = 1;
    while u >= 10 {
        u /= 10;
        d += 1;
    }
    d
}

/// A string quoted and escaped as serde_json escapes it: `"` and `\` and the C0 controls
/// (`\n`-style where JSON has a short form, `\u00XX` otherwise); everything else as UTF-8.
fn string_size(s: &str) -> usize {
    let mut n = s.len() + 2;
    for &b in s.as_bytes() {
        if b < 0x20 {
            n += if matches!(b, b'\n' | b'\r' | b'\t' | 0x08 | 0x0c) { 1 } else { 5 };
        } else if b == b'"' || b == b'\\' {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sizes_match_serde_json_serialisation() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-12345),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1.5),
            json!(1e300),
            json!(-0.000123),
            json!("plain"),
            json!("quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} é 日本 🎉"),
            json!([]),
            json!({}),
            json!([1, [2, [3, {"a": [null, {"b\n": "c"}]}]], "x"]),
            json!({"k": {"nested": [1, 2.25, {"deep": "é"}]}, "e": [], "o": {}}),
        ];
        for v in values {
            let text = serde_json::to_string(&v).expect("serialises");
            assert_eq!(json_size(&v, usize::MAX), Some(text.len()), "{text}");
            assert_eq!(json_size(&v, text.len()), Some(text.len()), "at the limit: {text}");
            if !text.is_empty() {
                assert_eq!(json_size(&v, text.len() - 1), None, "a byte under: {text}");
            }
        }
    }

    #[test]
    fn the_quota_is_inclusive_of_its_last_byte() {
        // {"a":"…"} is 8 bytes of structure around the string's characters.
        let at = json!({"a": "x".repeat(MAX_PAYLOAD_BYTES - 8)});
        assert_eq!(json_size(&at, usize::MAX), Some(MAX_PAYLOAD_BYTES));
        assert!(!exceeds_payload_limit(&at));
        let over = json!({"a": "x".repeat(MAX_PAYLOAD_BYTES - 7)});
        assert!(exceeds_payload_limit(&over));
    }

    #[test]
    fn a_value_nested_100000_deep_is_measured_without_recursion() {
        let mut v = json!(1);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        assert_eq!(json_size(&v, usize::MAX), Some(200_001));
        assert_eq!(measure(&v, usize::MAX, 512), Err(Refused::TooDeep));
        assert_eq!(measure(&json!([[1]]), usize::MAX, 2), Ok(5));
        assert_eq!(measure(&json!([[[1]]]), usize::MAX, 2), Err(Refused::TooDeep));
        crate::asl::depth::drop_deep(v);
    }
}
