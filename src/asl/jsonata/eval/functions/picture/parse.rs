//! The inverse of the pictures: `$parseInteger(text, picture)` and
//! `$toMillis(text, picture)`, matching the text with a regex built from the picture.

use regex::Regex;

use super::{
    Case, Component, DAY_MS, DAYS, FEW, IntFormat, MAGNITUDES, MONTHS, Marker, ORDINALS, Part, Primary,
    analyse_datetime, analyse_integer, days_from_civil, fragment,
};

/// Lowercase number words and their values (cardinal and ordinal forms).
fn word_values() -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for (i, w) in FEW.iter().enumerate() {
        out.push((w.to_lowercase(), i as u64));
    }
    for (i, w) in ORDINALS.iter().enumerate() {
        out.push((w.to_lowercase(), i as u64));
    }
    for (i, w) in super::DECADES.iter().enumerate() {
        let lw = w.to_lowercase();
        let v = (i as u64 + 2) * 10;
        out.push((format!("{}ieth", &lw[..lw.len() - 1]), v));
        out.push((lw, v));
    }
    out.push(("hundredth".into(), 100));
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let v = 10u64.pow((i as u32 + 1) * 3);
        out.push((format!("{}th", w.to_lowercase()), v));
        out.push((w.to_lowercase(), v));
    }
    out
}

/// Number words to a value; doubles, as in JavaScript, so huge magnitudes cannot overflow.
fn words_to_number(text: &str) -> Option<f64> {
    let values = word_values();
    let splitter = Regex::new(r",\s|\sand\s|[\s\\-]").ok()?;
    let mut segs: Vec<f64> = vec![0.0];
    for part in splitter.split(text) {
        let value = values.iter().find(|(w, _)| w == part).map(|(_, v)| *v as f64)?;
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    Some(segs.iter().sum())
}

fn roman_to_decimal(roman: &str) -> u64 {
    let value = |c: char| match c {
        'M' => 1000,
        'D' => 500,
        'C' => 100,
        'L' => 50,
        'X' => 10,
        'V' => 5,
        'I' => 1,
        _ => 0,
    };
    let (mut decimal, mut max) = (0i64, 1i64);
    for c in roman.chars().rev() {
        let v = value(c);
        if v < max {
            decimal -= v;
        } else {
            max = v;
            decimal += v;
        }
    }
    decimal.max(0) as u64
}

fn letters_to_decimal(letters: &str, a: u8) -> u64 {
    letters
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| (u64::from(b.wrapping_sub(a)) + 1).saturating_mul(26u64.saturating_pow(i as u32)))
        .fold(0u64, u64::saturating_add)
}

/// A regex for one integer presentation, and how to read the matched text.
fn integer_regex(f: &IntFormat, digits: Option<usize>) -> Result<String, &'static str> {
    let upper = f.case == Case::Upper;
    Ok(match f.primary {
        Primary::Letters => (if upper { "[A-Z]+" } else { "[a-z]+" }).into(),
        Primary::Roman => (if upper { "[MDCLXVI]+" } else { "[mdclxvi]+" }).into(),
        Primary::Words => {
            let mut alts: Vec<String> = word_values().into_iter().map(|(w, _)| w).collect();
            alts.push("and".into());
            alts.push(r"[\-, ]".into());
            format!("(?:{})+", alts.join("|"))
        }
        Primary::Decimal => {
            let count = digits.filter(|n| *n > 0).map_or_else(|| "+".to_string(), |n| format!("{{{n}}}"));
            let mut r = format!("[0-9]{count}");
            if f.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence => return Err("D3130"),
    })
}

/// A double, as in JavaScript: a huge word number or digit string keeps its magnitude instead
/// of clamping to 64 bits.
fn read_integer(f: &IntFormat, text: &str) -> Result<Option<f64>, &'static str> {
    Ok(match f.primary {
        Primary::Letters => Some(letters_to_decimal(text, if f.case == Case::Upper { b'A' } else { b'a' }) as f64),
        Primary::Roman => Some(roman_to_decimal(&text.to_uppercase()) as f64),
        Primary::Words => words_to_number(&text.to_lowercase()),
        Primary::Decimal => {
            // Drop an ordinal suffix (`st`, `nd`, …) by characters, not bytes.
            let keep = if f.ordinal { text.chars().count().saturating_sub(2) } else { usize::MAX };
            let mut digits: String = text.chars().take(keep).collect();
            if f.regular.is_some() {
                digits = digits.replace(',', "");
            } else {
                for (_, sep) in &f.separators {
                    digits = digits.replace(*sep, "");
                }
            }
            if f.zero != 0x30 {
                digits = digits
                    .chars()
                    .map(|c| (c as u32).checked_sub(f.zero).and_then(|d| char::from_u32(d + 0x30)).unwrap_or(c))
                    .collect();
            }
            let lead: String = digits.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
            lead.parse::<i64>().ok().map(|n| n as f64).or_else(|| lead.parse::<f64>().ok())
        }
        Primary::Sequence => return Err("D3130"),
    })
}

/// `$parseInteger(text, picture)`.
pub fn parse_integer(text: &str, picture: &str) -> Result<Option<f64>, &'static str> {
    let f = analyse_integer(picture)?;
    read_integer(&f, text)
}

/// What one captured part of a timestamp means.
enum Reader<'p> {
    Literal,
    Zone {
        gmt: bool,
        separator: Option<char>,
    },
    Integer(&'p IntFormat),
    /// Fractional seconds: the digits are a fraction of a second.
    Fraction,
    Names(Vec<(String, i64)>),
}

fn reader_for(m: &Marker) -> Result<(String, Reader<'_>), &'static str> {
    if m.component == 'Z' || m.component == 'z' {
        let separator = m.int_format.as_ref().and_then(|f| f.regular.map(|(_, c)| c));
        let mut r = if m.component == 'z' { "GMT".to_string() } else { String::new() };
        r.push_str("[-+][0-9]+");
        if let Some(c) = separator {
            r.push_str(&regex::escape(&c.to_string()));
            r.push_str("[0-9]+");
        }
        return Ok((r, Reader::Zone { gmt: m.component == 'z', separator }));
    }
    if let Some(f) = &m.int_format {
        // A fixed-width field (`[M01]`, `[Y0001]`) takes exactly that many digits, so pictures
        // without separators (`[Y0001][M01][D01]`) can be read.
        let digits = if m.year_digits > 0 {
            Some(m.year_digits as usize)
        } else {
            (f.mandatory > 1 && m.component != 'f').then_some(f.mandatory)
        };
        let reader = if m.component == 'f' { Reader::Fraction } else { Reader::Integer(f) };
        return Ok((integer_regex(f, digits)?, reader));
    }
    let shorten = |name: &str| match m.width_max {
        Some(max) => name.chars().take(max).collect(),
        None => name.to_string(),
    };
    let names: Vec<(String, i64)> = match m.component {
        'M' | 'x' => MONTHS.iter().enumerate().map(|(i, n)| (shorten(n), i as i64 + 1)).collect(),
        'F' => DAYS.iter().enumerate().skip(1).map(|(i, n)| (shorten(n), i as i64)).collect(),
        'P' => vec![("am".into(), 0), ("AM".into(), 0), ("pm".into(), 1), ("PM".into(), 1)],
        _ => return Err("D3133"),
    };
    Ok(("[a-zA-Z]+".into(), Reader::Names(names)))
}

/// `$toMillis(text, picture)`: `Ok(None)` when the text does not match the picture.
pub fn parse_datetime(text: &str, picture: &str, now: i64) -> Result<Option<i64>, &'static str> {
    let parts = analyse_datetime(picture)?;
    let mut pattern = String::from("(?i)^");
    let mut readers = Vec::new();
    for part in &parts {
        match part {
            Part::Literal(s) => {
                pattern.push_str(&format!("({})", regex::escape(s)));
                readers.push(('\0', Reader::Literal));
            }
            Part::Marker(m) => {
                let (r, reader) = reader_for(m)?;
                pattern.push_str(&format!("({r})"));
                readers.push((m.component, reader));
            }
        }
    }
    pattern.push('$');
    let re = Regex::new(&pattern).map_err(|_| "D3136")?;
    let Some(caps) = re.captures(text) else { return Ok(None) };
    let mut comps: std::collections::HashMap<char, i64> = std::collections::HashMap::new();
    for (i, (component, reader)) in readers.iter().enumerate() {
        let Some(m) = caps.get(i + 1) else { continue };
        let s = m.as_str();
        let value = match reader {
            Reader::Literal => continue,
            Reader::Integer(f) => read_integer(f, s)?.map(|n| n as i64),
            Reader::Fraction => {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                let n: f64 = digits.parse().unwrap_or(0.0);
                Some((n * 10f64.powi(3 - digits.len() as i32)).floor() as i64)
            }
            Reader::Names(names) => names.iter().find(|(n, _)| n == s).map(|(_, v)| *v),
            Reader::Zone { gmt, separator } => {
                let s = if *gmt { &s[3..] } else { s };
                let sign = if s.starts_with('-') { -1 } else { 1 };
                let (h, mi) = match separator.and_then(|c| s.split_once(c)) {
                    Some((h, m)) => (h.parse::<i64>().unwrap_or(0), sign * m.parse::<i64>().unwrap_or(0)),
                    None if s.len() - 1 <= 2 => (s.parse::<i64>().unwrap_or(0), 0),
                    None => (s[..3].parse::<i64>().unwrap_or(0), sign * s[3..].parse::<i64>().unwrap_or(0)),
                };
                Some(h * 60 + mi)
            }
        };
        if let Some(v) = value {
            comps.insert(*component, v);
        }
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let given: std::collections::HashSet<char> = comps.keys().copied().collect();
    let mask = |order: &str| order.chars().fold(0u32, |m, c| (m << 1) | u32::from(given.contains(&c)));
    let is_type = |mask: u32, t: u32| (!t & mask) == 0 && (t & mask) != 0;
    let dmask = mask("YXMxWwdD");
    let date_a = is_type(dmask, 161);
    let date_b = !date_a && is_type(dmask, 130);
    let date_c = is_type(dmask, 84);
    let date_d = !date_c && is_type(dmask, 72);
    let tmask = mask("PHhmsf");
    let time_a = is_type(tmask, 23);
    let time_b = !time_a && is_type(tmask, 47);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let (mut started, mut ended) = (false, false);
    for c in date_comps.chars().chain(time_comps.chars()) {
        if given.contains(&c) {
            started = true;
            if ended {
                return Err("D3136");
            }
        } else if started {
            comps.insert(c, if "MDd".contains(c) { 1 } else { 0 });
            ended = true;
        } else {
            let v = match fragment(now, c) {
                Component::Int(v) => v,
                Component::Text(t) => i64::from(t == "pm"),
            };
            comps.insert(c, v);
        }
    }
    if date_c || date_d {
        return Err("D3136");
    }
    let get = |c: char| comps.get(&c).copied().unwrap_or(0);
    let mut month0 = (get('M') - 1).max(0);
    let mut day = get('D');
    let year = get('Y');
    if date_b {
        let days = days_from_civil(year, 0, 1) + get('d') - 1;
        let (_, m, d) = super::civil(days);
        month0 = m - 1;
        day = d;
    }
    let mut hour = get('H');
    if time_b {
        hour = if get('h') == 12 { 0 } else { get('h') };
        if get('P') == 1 {
            hour += 12;
        }
    }
    let mut millis =
        days_from_civil(year, month0, day) * DAY_MS + hour * 3_600_000 + get('m') * 60_000 + get('s') * 1000 + get('f');
    if let Some(z) = comps.get(&'Z').or_else(|| comps.get(&'z')) {
        millis -= z * 60_000;
    }
    Ok(Some(millis))
}

/// `$toMillis(text)` without a picture: JSONata's ISO 8601 subset (`2018`, `2018-03-23`,
/// `2018-03-23T10:33:36.617+01:00`, …), read as UTC when no offset is given.
pub fn parse_iso(text: &str) -> Option<i64> {
    let re = Regex::new(
        r"^(\d{4})(?:-([01]\d))?(?:-([0-3]\d))?(?:T([0-2]\d):([0-5]\d):([0-5]\d))?(?:\.(\d+))?([+-][0-2]\d:?[0-5]\d|Z)?$",
    )
    .ok()?;
    let c = re.captures(text)?;
    let num = |i: usize, default: i64| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok()).unwrap_or(default);
    let frac = c.get(7).map_or(0, |m| {
        let s: String = m.as_str().chars().chain("000".chars()).take(3).collect();
        s.parse::<i64>().unwrap_or(0)
    });
    let mut millis = days_from_civil(num(1, 1970), num(2, 1) - 1, num(3, 1)) * DAY_MS
        + num(4, 0) * 3_600_000
        + num(5, 0) * 60_000
        + num(6, 0) * 1000
        + frac;
    if let Some(z) = c.get(8).map(|m| m.as_str()).filter(|z| *z != "Z") {
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m) = digits.split_at(2.min(digits.len()));
        millis -= sign * (h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0)) * 60_000;
    }
    Some(millis)
}
