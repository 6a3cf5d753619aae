//! Strings: substrings by code point (as JSONata counts), padding, regex matching/splitting/
//! replacing, encodings, `$hash` and `$parse`.

use std::rc::Rc;

use base64::Engine;
use regex::Regex;

use super::err;
use crate::asl::jsonata::eval::value::{Func, Obj, V};
use crate::asl::jsonata::eval::{Evaluator, R};

fn s_arg(args: &[V<'_>], i: usize) -> Option<Rc<str>> {
    match args.get(i) {
        Some(V::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn num_arg(args: &[V<'_>], i: usize) -> Option<f64> {
    args.get(i).and_then(V::as_num)
}

/// JavaScript's `Array.prototype.slice` bounds over `len` items.
fn slice_bounds(len: i64, start: i64, end: Option<i64>) -> (usize, usize) {
    let norm = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let s = norm(start);
    let e = end.map_or(len, norm);
    (s as usize, e.max(s) as usize)
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

pub fn simple<'a>(name: &str, args: &[V<'a>], pos: usize) -> R<'a> {
    if name == "join" {
        let V::Arr(a) = args.first().cloned().unwrap_or_default() else {
            return Ok(V::Undefined);
        };
        let sep = s_arg(args, 1).map(|s| s.to_string()).unwrap_or_default();
        let parts: Vec<String> =
            a.items.iter().filter_map(|v| if let V::Str(s) = v { Some(s.to_string()) } else { None }).collect();
        return Ok(V::str(&parts.join(&sep)));
    }
    let Some(s) = s_arg(args, 0) else { return Ok(V::Undefined) };
    let s: &str = &s;
    Ok(match name {
        "substring" => {
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            // Clamped to the string in floating point first: `1e300` is "to the end" as in
            // JavaScript, not a saturated i64 that overflows when added.
            let mut start = num_arg(args, 1).unwrap_or(0.0).trunc().clamp(-(len as f64), len as f64) as i64;
            if len + start < 0 {
                start = 0;
            }
            let end = match num_arg(args, 2) {
                Some(l) if l <= 0.0 => return Ok(V::str("")),
                Some(l) => {
                    let l = l.trunc().min(len as f64) as i64;
                    Some(if start >= 0 { start + l } else { len + start + l })
                }
                None => None,
            };
            let (a, b) = slice_bounds(len, start, end);
            V::str(&chars[a..b].iter().collect::<String>())
        }
        "substringBefore" => {
            let pat = s_arg(args, 1).unwrap_or_else(|| Rc::from(""));
            V::str(s.find(&*pat).map_or(s, |i| &s[..i]))
        }
        "substringAfter" => {
            let pat = s_arg(args, 1).unwrap_or_else(|| Rc::from(""));
            V::str(s.find(&*pat).map_or(s, |i| &s[i + pat.len()..]))
        }
        "lowercase" => V::str(&s.to_lowercase()),
        "uppercase" => V::str(&s.to_uppercase()),
        "length" => V::Num(s.chars().count() as f64),
        "trim" => {
            let collapsed = s.split([' ', '\t', '\n', '\r']).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
            V::str(&collapsed)
        }
        "pad" => {
            let width = num_arg(args, 1).unwrap_or(0.0);
            let pad = s_arg(args, 2).filter(|p| !p.is_empty()).map_or_else(|| " ".to_string(), |p| p.to_string());
            let need = width.abs().min(1e15) as i64 - s.chars().count() as i64;
            if need > 0
                && need as usize * pad.len().max(1) / pad.chars().count().max(1) > super::super::MAX_STRING_BYTES
            {
                return Err(super::super::too_large(pos));
            }
            if need <= 0 {
                V::str(s)
            } else {
                let padding: String = pad.chars().cycle().take(need as usize).collect();
                V::str(&if width > 0.0 { format!("{s}{padding}") } else { format!("{padding}{s}") })
            }
        }
        "base64encode" => V::str(&base64::engine::general_purpose::STANDARD.encode(s.as_bytes())),
        "base64decode" => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(s.trim().as_bytes()).unwrap_or_default();
            V::str(&String::from_utf8_lossy(&bytes))
        }
        "encodeUrlComponent" => V::str(&percent_encode(s, "-_.!~*'()")),
        "encodeUrl" => V::str(&percent_encode(s, "-_.!~*'();/?:@&=+$,#")),
        "decodeUrlComponent" | "decodeUrl" => match percent_decode(s) {
            Some(d) => V::str(&d),
            None => return Err(err("D3140", pos, format!("Malformed URL passed to ${name}(): \"{s}\""))),
        },
        "hash" => {
            let alg = s_arg(args, 1).map_or_else(|| "SHA-256".to_string(), |a| a.to_string());
            V::str(&hash(s, &alg).ok_or_else(|| err("D3137", pos, format!("Unsupported hash algorithm: {alg}")))?)
        }
        "parse" => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(v) => V::from_json(&v),
            Err(e) => return Err(err("D3030", pos, format!("Unable to parse JSON: {e}"))),
        },
        _ => V::Undefined,
    })
}

fn hash(s: &str, alg: &str) -> Option<String> {
    use sha2::Digest;
    let bytes: Vec<u8> = match alg {
        "MD5" => md5::Md5::digest(s.as_bytes()).to_vec(),
        "SHA-1" => sha1::Sha1::digest(s.as_bytes()).to_vec(),
        "SHA-256" => sha2::Sha256::digest(s.as_bytes()).to_vec(),
        "SHA-384" => sha2::Sha384::digest(s.as_bytes()).to_vec(),
        "SHA-512" => sha2::Sha512::digest(s.as_bytes()).to_vec(),
        _ => return None,
    };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn percent_encode(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One regex match as JSONata reports it: `match`, `index` (UTF-16 units) and `groups`.
struct Found {
    text: String,
    start: usize,
    end: usize,
    groups: Vec<Option<String>>,
}

/// Matches of `re` in `s`, as JSONata's matcher iterates them (an empty repeat match is D1004).
fn find_all(
    re: &Regex,
    s: &str,
    limit: Option<usize>,
    pos: usize,
) -> Result<Vec<Found>, crate::asl::jsonata::JsonataError> {
    let mut out: Vec<Found> = Vec::new();
    let mut from = 0;
    while limit.is_none_or(|l| out.len() < l) {
        if !out.is_empty() && from >= s.len() {
            break;
        }
        let Some(caps) = re.captures_at(s, from) else { break };
        let Some(m) = caps.get(0) else { break };
        if m.as_str().is_empty() {
            return Err(err("D1004", pos, "Regular expression matches zero length string"));
        }
        out.push(Found {
            text: m.as_str().to_string(),
            start: m.start(),
            end: m.end(),
            groups: caps.iter().skip(1).map(|g| g.map(|g| g.as_str().to_string())).collect(),
        });
        from = m.end();
    }
    Ok(out)
}

fn found_object<'a>(s: &str, f: &Found) -> V<'a> {
    found_object_at(f, utf16_len(&s[..f.start]))
}

/// A match object whose match starts `index` UTF-16 units into the string.
fn found_object_at<'a>(f: &Found, index: usize) -> V<'a> {
    let mut o = Obj::default();
    o.insert(Rc::from("match"), V::str(&f.text));
    o.insert(Rc::from("index"), V::Num(index as f64));
    let groups = f.groups.iter().map(|g| V::str(g.as_deref().unwrap_or(""))).collect();
    o.insert(Rc::from("groups"), V::array(groups));
    V::Obj(Rc::new(o))
}

/// What calling a regex value directly returns: its first match at or after `from`.
pub fn regex_match_object<'a>(re: &Regex, s: &str, from: usize) -> V<'a> {
    match find_all(re, s.get(from..).unwrap_or(""), Some(1), 0) {
        Ok(found) => found.first().map_or(V::Undefined, |f| found_object(s, f)),
        Err(_) => V::Undefined,
    }
}

fn regex_of<'a>(v: &V<'a>) -> Option<Rc<Regex>> {
    match v {
        V::Func(f) => match &**f {
            Func::Regex(r) => Some(r.clone()),
            _ => None,
        },
        _ => None,
    }
}

pub fn pattern<'a>(ev: &mut Evaluator<'_>, name: &str, args: &[V<'a>], _input: &V<'a>, pos: usize) -> R<'a> {
    let Some(s) = s_arg(args, 0) else { return Ok(V::Undefined) };
    let pat = args.get(1).cloned().unwrap_or_default();
    let limit = num_arg(args, 2);
    match name {
        "contains" if pat.is_undefined() => Ok(V::Undefined),
        "contains" => Ok(V::Bool(match (&pat, regex_of(&pat)) {
            (V::Str(p), _) => s.contains(&**p),
            (_, Some(re)) => re.is_match(&s),
            _ => false,
        })),
        "split" => {
            if limit.is_some_and(|l| l < 0.0) {
                return Err(err("D3020", pos, "Third argument of split function must evaluate to a positive number"));
            }
            let mut parts: Vec<String> = match (&pat, regex_of(&pat)) {
                (V::Str(p), _) if p.is_empty() => s.chars().map(String::from).collect(),
                (V::Str(p), _) => s.split(&**p).map(String::from).collect(),
                (_, Some(re)) => {
                    let mut out = Vec::new();
                    let mut start = 0;
                    for f in find_all(&re, &s, None, pos)? {
                        out.push(s[start..f.start].to_string());
                        start = f.end;
                    }
                    out.push(s[start..].to_string());
                    out
                }
                // A function that is not a regex (`$split('a b', $uppercase)`): JSONata checks
                // what a matcher returns and refuses it.
                (V::Func(_), None) => {
                    return Err(err(
                        "T1010",
                        pos,
                        "The matcher function argument passed to function split does not return the correct object structure",
                    ));
                }
                _ => Vec::new(),
            };
            if let Some(l) = limit {
                parts.truncate(l.min(usize::MAX as f64) as usize);
            }
            Ok(V::array(parts.iter().map(|p| V::str(p)).collect()))
        }
        _ => {
            if limit.is_some_and(|l| l < 0.0) {
                return Err(err("D3040", pos, "Third argument of match function must evaluate to a positive number"));
            }
            let Some(re) = regex_of(&pat) else { return Ok(V::Undefined) };
            // Each match object is four values: more than the budget could pay for is U1001
            // before they are built.
            let affordable = (ev.steps_left() / 4) as usize;
            let asked = limit.map_or(usize::MAX, |l| l.min(usize::MAX as f64) as usize);
            let found = find_all(&re, &s, Some(asked.min(affordable.saturating_add(1))), pos)?;
            if found.len() > affordable {
                return Err(err("U1001", pos, "Expression evaluation timeout: Check for infinite loop"));
            }
            // Each match's UTF-16 index counted on from the previous one: counting from the
            // start for every match made a million-character `$match` quadratic.
            let (mut byte, mut utf16) = (0, 0);
            let objects = found
                .iter()
                .map(|f| {
                    utf16 += utf16_len(&s[byte..f.start]);
                    byte = f.start;
                    found_object_at(f, utf16)
                })
                .collect();
            Ok(V::sequence(objects))
        }
    }
}

/// Expands `$0`, `$1`… and `$$` in a replacement string as JSONata does.
fn substitute(replacement: &str, f: &Found) -> String {
    let chars: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&f.text);
                i += 1;
            }
            _ => {
                let n = f.groups.len();
                let max_digits = if n == 0 { 1 } else { (n as f64).log10().floor() as usize + 1 };
                let digits: String = chars[i..].iter().take(max_digits).take_while(|c| c.is_ascii_digit()).collect();
                let mut index: Option<usize> = digits.parse().ok();
                let mut used = digits.len();
                if max_digits > 1 && index.is_some_and(|x| x > n) {
                    let shorter: String = digits.chars().take(max_digits - 1).collect();
                    index = shorter.parse().ok();
                    used = shorter.len();
                }
                match index {
                    Some(idx) => {
                        if idx >= 1 {
                            if let Some(Some(g)) = f.groups.get(idx - 1) {
                                out.push_str(g);
                            }
                        }
                        i += used;
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

pub fn replace<'a>(ev: &mut Evaluator<'_>, args: &[V<'a>], input: &V<'a>, pos: usize) -> R<'a> {
    let Some(s) = s_arg(args, 0) else { return Ok(V::Undefined) };
    let pat = args.get(1).cloned().unwrap_or_default();
    let replacement = args.get(2).cloned().unwrap_or_default();
    let limit = num_arg(args, 3);
    if matches!(&pat, V::Str(p) if p.is_empty()) {
        return Err(err("D3010", pos, "Second argument of replace function cannot be an empty string"));
    }
    if limit.is_some_and(|l| l < 0.0) {
        return Err(err("D3011", pos, "Fourth argument of replace function must evaluate to a positive number"));
    }
    let limit = limit.map(|l| l as usize);
    let found: Vec<Found> = match (&pat, regex_of(&pat)) {
        (V::Str(p), _) => s
            .match_indices(&**p)
            .take(limit.unwrap_or(usize::MAX))
            .map(|(i, m)| Found { text: m.to_string(), start: i, end: i + m.len(), groups: Vec::new() })
            .collect(),
        (_, Some(re)) => find_all(&re, &s, limit, pos)?,
        _ => Vec::new(),
    };
    let mut out = String::new();
    let mut at = 0;
    for f in &found {
        if out.len() > super::super::MAX_STRING_BYTES {
            return Err(super::super::too_large(pos));
        }
        out.push_str(&s[at..f.start]);
        match &replacement {
            V::Str(r) if matches!(pat, V::Str(_)) => out.push_str(r),
            V::Str(r) => out.push_str(&substitute(r, f)),
            func @ V::Func(_) => match ev.apply(func, vec![found_object(&s, f)], input, pos)? {
                V::Str(r) => out.push_str(&r),
                _ => {
                    return Err(err("D3012", pos, "Attempted to replace a matched string with a non-string value"));
                }
            },
            _ => {}
        }
        at = f.end;
    }
    out.push_str(&s[at..]);
    Ok(V::str(&out))
}
