//! YAML 1.2 core-schema typing of plain scalars: which untagged, unquoted values are null,
//! booleans, integers or floats, and which stay strings (`yes`, `on`, `1.2.3`, dates).

use serde_json::Number;

use crate::asl::tree::NodeKind;

/// Types a plain scalar by the YAML 1.2 core schema (`yes`/`no`/`on` stay strings, unlike 1.1).
pub(super) fn plain(value: &str) -> Result<NodeKind, String> {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(NodeKind::Null),
        "true" | "True" | "TRUE" => return Ok(NodeKind::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(NodeKind::Bool(false)),
        _ => {}
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(value, ".nan" | ".NaN" | ".NAN") {
        return Err(format!("'{value}' is not a number JSON can represent"));
    }
    let radix = |digits: &str, radix: u32| i64::from_str_radix(digits, radix).ok().map(|n| NodeKind::Number(n.into()));
    if let Some(oct) =
        value.strip_prefix("0o").filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit() && b < b'8'))
    {
        return radix(oct, 8).ok_or_else(|| format!("'{value}' is out of range"));
    }
    if let Some(hex) = value.strip_prefix("0x").filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit())) {
        return radix(hex, 16).ok_or_else(|| format!("'{value}' is out of range"));
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = value.parse::<i64>() {
            return Ok(NodeKind::Number(n.into()));
        }
        if let Ok(n) = value.trim_start_matches('+').parse::<u64>() {
            return Ok(NodeKind::Number(n.into()));
        }
    }
    if is_core_float(unsigned) {
        if let Some(n) = value.parse::<f64>().ok().and_then(Number::from_f64) {
            return Ok(NodeKind::Number(n));
        }
        return Err(format!("'{value}' is not a number JSON can represent"));
    }
    Ok(NodeKind::String(value.to_string()))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float (sign removed).
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}
