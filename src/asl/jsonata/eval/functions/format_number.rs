//! `$formatNumber(number, picture, options)`: the XPath F&O 3.1 decimal-format picture
//! (`#,##0.00`, `0.0e0`, `%`, `‰`, sub-pictures for negatives), as JSONata implements it.

use super::numeric::round_places;

/// The decimal-format properties, JSONata's defaults overridden by the options object.
struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: String,
    per_mille: String,
    zero: char,
    digit: char,
    pattern: char,
}

fn first(s: &str, default: char) -> char {
    s.chars().next().unwrap_or(default)
}

struct Parts {
    prefix: Vec<char>,
    suffix: Vec<char>,
    active: Vec<char>,
    mantissa: Vec<char>,
    exponent: Option<Vec<char>>,
    integer: Vec<char>,
    fractional: Vec<char>,
    picture: Vec<char>,
}

struct Pic {
    integer_grouping: Vec<usize>,
    regular_grouping: usize,
    min_integer: usize,
    scaling: i32,
    prefix: String,
    fractional_grouping: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: String,
    picture: Vec<char>,
}

fn find(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

fn rfind(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| hay[i..i + needle.len()] == *needle)
}

impl Props {
    fn is_digit(&self, c: char) -> bool {
        (c as u32) >= self.zero as u32 && (c as u32) < self.zero as u32 + 10
    }

    fn is_active(&self, c: char) -> bool {
        self.is_digit(c) || [self.decimal, self.exponent, self.grouping, self.digit, self.pattern].contains(&c)
    }

    fn split(&self, sub: &[char]) -> Parts {
        let start = sub.iter().position(|&c| self.is_active(c) && c != self.exponent).unwrap_or(sub.len());
        let end = sub.iter().rposition(|&c| self.is_active(c) && c != self.exponent).map_or(sub.len(), |i| i + 1);
        let prefix = sub[..start.min(sub.len())].to_vec();
        let suffix = sub[end.max(start).min(sub.len())..].to_vec();
        let active = sub[prefix.len()..sub.len() - suffix.len()].to_vec();
        let exp_pos = find(sub, &[self.exponent], prefix.len());
        let (mantissa, exponent) = match exp_pos {
            Some(p) if p <= sub.len() - suffix.len() => {
                let p = p.min(active.len());
                (active[..p].to_vec(), Some(active.get(p + 1..).unwrap_or_default().to_vec()))
            }
            _ => (active.clone(), None),
        };
        let (integer, fractional) = match mantissa.iter().position(|&c| c == self.decimal) {
            None => (mantissa.clone(), suffix.clone()),
            Some(d) => (mantissa[..d].to_vec(), mantissa[d + 1..].to_vec()),
        };
        Parts { prefix, suffix, active, mantissa, exponent, integer, fractional, picture: sub.to_vec() }
    }

    /// F&O 4.7.3: the checks, in JSONata's order (the last failing one wins).
    fn validate(&self, p: &Parts) -> Result<(), &'static str> {
        let mut error = None;
        let sub = &p.picture;
        let count = |needle: &str| {
            let n: Vec<char> = needle.chars().collect();
            (find(sub, &n, 0), rfind(sub, &n))
        };
        let dec = count(&self.decimal.to_string());
        if dec.0 != dec.1 {
            error = Some("D3081");
        }
        let pct = count(&self.percent);
        if pct.0 != pct.1 {
            error = Some("D3082");
        }
        let pm = count(&self.per_mille);
        if pm.0 != pm.1 {
            error = Some("D3083");
        }
        if pct.0.is_some() && pm.0.is_some() {
            error = Some("D3084");
        }
        if !p.mantissa.iter().any(|&c| self.is_digit(c) || c == self.digit) {
            error = Some("D3085");
        }
        if p.active.iter().any(|&c| !self.is_active(c)) {
            error = Some("D3086");
        }
        match dec.0 {
            Some(d) => {
                let before = d.checked_sub(1).and_then(|i| sub.get(i));
                if before == Some(&self.grouping) || sub.get(d + 1) == Some(&self.grouping) {
                    error = Some("D3087");
                }
            }
            None if p.integer.last() == Some(&self.grouping) => error = Some("D3088"),
            None => {}
        }
        if find(sub, &[self.grouping, self.grouping], 0).is_some() {
            error = Some("D3089");
        }
        if let Some(opt) = p.integer.iter().position(|&c| c == self.digit) {
            if p.integer[..opt].iter().any(|&c| self.is_digit(c)) {
                error = Some("D3090");
            }
        }
        if let Some(opt) = p.fractional.iter().rposition(|&c| c == self.digit) {
            if p.fractional[opt..].iter().any(|&c| self.is_digit(c)) {
                error = Some("D3091");
            }
        }
        if let Some(exp) = &p.exponent {
            if !exp.is_empty() && (pct.0.is_some() || pm.0.is_some()) {
                error = Some("D3092");
            }
            if exp.is_empty() || exp.iter().any(|&c| !self.is_digit(c)) {
                error = Some("D3093");
            }
        }
        // A picture with no digit, separator or exponent character at all (`%%`, `---`).
        if !sub.iter().any(|&c| self.is_active(c)) {
            error = Some("D3086");
        }
        error.map_or(Ok(()), Err)
    }

    fn grouping_positions(&self, part: &[char], to_left: bool) -> Vec<usize> {
        let counts = |s: &[char]| s.iter().filter(|&&c| self.is_digit(c) || c == self.digit).count();
        part.iter()
            .enumerate()
            .filter(|(_, c)| **c == self.grouping)
            .map(|(i, _)| if to_left { counts(&part[..i]) } else { counts(&part[i..]) })
            .collect()
    }

    /// F&O 4.7.4.
    fn analyse(&self, p: &Parts) -> Pic {
        let integer_grouping = self.grouping_positions(&p.integer, false);
        let regular_grouping = regular(&integer_grouping);
        let fractional_grouping = self.grouping_positions(&p.fractional, true);
        let mut min_integer = p.integer.iter().filter(|&&c| self.is_digit(c)).count();
        let scaling = min_integer as i32;
        let mut min_fraction = p.fractional.iter().filter(|&&c| self.is_digit(c)).count();
        let mut max_fraction = p.fractional.iter().filter(|&&c| self.is_digit(c) || c == self.digit).count();
        let exponent_present = p.exponent.is_some();
        if min_integer == 0 && max_fraction == 0 {
            if exponent_present {
                min_fraction = 1;
                max_fraction = 1;
            } else {
                min_integer = 1;
            }
        }
        if exponent_present && min_integer == 0 && p.integer.contains(&self.digit) {
            min_integer = 1;
        }
        if min_integer == 0 && min_fraction == 0 {
            min_fraction = 1;
        }
        let min_exponent = p.exponent.as_ref().map_or(0, |e| e.iter().filter(|&&c| self.is_digit(c)).count());
        Pic {
            integer_grouping,
            regular_grouping,
            min_integer,
            scaling,
            prefix: p.prefix.iter().collect(),
            fractional_grouping,
            min_fraction,
            max_fraction,
            min_exponent,
            suffix: p.suffix.iter().collect(),
            picture: p.picture.clone(),
        }
    }

    /// Digits of `value` with `dp` decimals, in the picture's digit family (`toFixed`).
    fn fixed(&self, value: f64, dp: usize) -> Vec<char> {
        format!("{:.dp$}", value.abs())
            .chars()
            .map(
                |c| {
                    if c.is_ascii_digit() {
                        char::from_u32(self.zero as u32 + (c as u32 - 0x30)).unwrap_or(c)
                    } else {
                        c
                    }
                },
            )
            .collect()
    }
}

fn regular(indexes: &[usize]) -> usize {
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let Some(factor) = indexes.iter().copied().reduce(gcd) else { return 0 };
    if factor == 0 || !(1..=indexes.len()).all(|i| indexes.contains(&(i * factor))) {
        return 0;
    }
    factor
}

/// Formats `value`; `options` are the caller's overrides (`"zero-digit"`, `"per-mille"`, …).
/// The code of JavaScript's RangeError, which JSONata lets through for `toFixed` digits out of
/// range and for dates out of range (`new Date(1e20).toISOString()`): there is no JSONata
/// code for them.
pub const RANGE_ERROR: &str = "RangeError";

pub fn format_number(value: f64, picture: &str, options: &[(String, String)]) -> Result<String, &'static str> {
    let opt =
        |k: &str, d: &str| options.iter().find(|(key, _)| key == k).map_or_else(|| d.to_string(), |(_, v)| v.clone());
    let props = Props {
        decimal: first(&opt("decimal-separator", "."), '.'),
        grouping: first(&opt("grouping-separator", ","), ','),
        exponent: first(&opt("exponent-separator", "e"), 'e'),
        minus: opt("minus-sign", "-"),
        percent: opt("percent", "%"),
        per_mille: opt("per-mille", "\u{2030}"),
        zero: first(&opt("zero-digit", "0"), '0'),
        digit: first(&opt("digit", "#"), '#'),
        pattern: first(&opt("pattern-separator", ";"), ';'),
    };
    let chars: Vec<char> = picture.chars().collect();
    let subs: Vec<&[char]> = chars.split(|&c| c == props.pattern).collect();
    if subs.len() > 2 {
        return Err("D3080");
    }
    let parts: Vec<Parts> = subs.iter().map(|s| props.split(s)).collect();
    for p in &parts {
        props.validate(p)?;
    }
    let mut pics: Vec<Pic> = parts.iter().map(|p| props.analyse(p)).collect();
    if pics.len() == 1 {
        let p = &parts[0];
        let mut negative = props.analyse(p);
        negative.prefix = format!("{}{}", props.minus, negative.prefix);
        pics.push(negative);
    }
    let pic = if value >= 0.0 { &pics[0] } else { &pics[1] };
    let contains = |s: &str| {
        let n: Vec<char> = s.chars().collect();
        find(&pic.picture, &n, 0).is_some()
    };
    let adjusted = if contains(&props.percent) {
        value * 100.0
    } else if contains(&props.per_mille) {
        value * 1000.0
    } else {
        value
    };
    // The exponent is found on the magnitude; the sign comes from the sub-picture.
    let (mut mantissa, mut exponent) = (adjusted.abs(), None);
    if pic.min_exponent > 0 {
        let max_m = 10f64.powi(pic.scaling);
        let min_m = 10f64.powi(pic.scaling - 1);
        let mut e = 0i32;
        // Guard the loops: a zero mantissa never reaches the range.
        while mantissa != 0.0 && mantissa < min_m && e > -400 {
            mantissa *= 10.0;
            e -= 1;
        }
        while mantissa > max_m && e < 400 {
            mantissa /= 10.0;
            e += 1;
        }
        exponent = Some(e);
    }
    // JavaScript's `toFixed`, which JSONata calls, takes at most 100 decimals and throws a
    // RangeError beyond (Rust's formatter panics past 65,535; 10^309 is infinite).
    if pic.max_fraction > 100 {
        return Err(RANGE_ERROR);
    }
    let rounded = round_places(mantissa, pic.max_fraction as i64);
    let zero = props.zero;
    let mut s = props.fixed(rounded, pic.max_fraction);
    match s.iter().position(|&c| c == '.') {
        None => s.push(props.decimal),
        Some(i) => s[i] = props.decimal,
    }
    while s.first() == Some(&zero) {
        s.remove(0);
    }
    while s.last() == Some(&zero) {
        s.pop();
    }
    let dp = s.iter().position(|&c| c == props.decimal).unwrap_or(s.len());
    let pad_left = pic.min_integer.saturating_sub(dp);
    let pad_right = pic.min_fraction.saturating_sub(s.len() - dp - 1);
    let mut out: Vec<char> = std::iter::repeat_n(zero, pad_left).collect();
    out.extend(s);
    out.extend(std::iter::repeat_n(zero, pad_right));
    let mut dp = out.iter().position(|&c| c == props.decimal).unwrap_or(out.len());
    if let Some(groups) = dp.saturating_sub(1).checked_div(pic.regular_grouping) {
        for g in 1..=groups {
            out.insert(dp - g * pic.regular_grouping, props.grouping);
        }
    } else {
        for &pos in &pic.integer_grouping {
            if pos <= dp {
                out.insert(dp - pos, props.grouping);
                dp += 1;
            }
        }
    }
    let dp = out.iter().position(|&c| c == props.decimal).unwrap_or(out.len());
    for &pos in &pic.fractional_grouping {
        let at = (pos + dp + 1).min(out.len());
        out.insert(at, props.grouping);
    }
    let dp = out.iter().position(|&c| c == props.decimal);
    if !pic.picture.contains(&props.decimal) || dp == Some(out.len() - 1) {
        out.pop();
    }
    let mut text: String = out.into_iter().collect();
    if let Some(e) = exponent {
        let mut digits: String = props.fixed(f64::from(e), 0).into_iter().collect();
        let len = digits.chars().count();
        if len < pic.min_exponent {
            digits = format!("{}{digits}", zero.to_string().repeat(pic.min_exponent - len));
        }
        text = format!("{text}{}{}{digits}", props.exponent, if e < 0 { props.minus.as_str() } else { "" });
    }
    Ok(format!("{}{text}{}", pic.prefix, pic.suffix))
}
