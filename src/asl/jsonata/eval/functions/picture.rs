//! XPath F&O picture strings, as JSONata implements them: `$formatInteger` (decimal patterns
//! with grouping, ordinals, roman numerals, letters, words) and `$fromMillis` date/time pictures
//! (`[Y0001]-[M01]-[D01]`, names, ISO weeks, time zones).

pub mod parse;

/// How a picture formats an integer.
#[derive(Debug, Clone)]
pub struct IntFormat {
    primary: Primary,
    case: Case,
    ordinal: bool,
    /// Code point of the zero digit of the digit family in use.
    zero: u32,
    mandatory: usize,
    optional: usize,
    /// Regular grouping: every `n` digits the same separator.
    regular: Option<(usize, char)>,
    /// Irregular grouping: (position from the right, separator).
    separators: Vec<(usize, char)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Case {
    Upper,
    Lower,
    Title,
}

/// Zero code points of the Unicode decimal digit families JSONata recognises.
const DECIMAL_GROUPS: &[u32] = &[
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// Analyses an integer picture (`#,##0`, `I`, `w;o`, …); `Err` carries the JSONata code.
pub fn analyse_integer(picture: &str) -> Result<IntFormat, &'static str> {
    let mut f = IntFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory: 0,
        optional: 0,
        regular: None,
        separators: Vec::new(),
    };
    let primary = match picture.rfind(';') {
        Some(i) => {
            f.ordinal = picture[i + 1..].starts_with('o');
            &picture[..i]
        }
        None => picture,
    };
    match primary {
        "A" | "a" => {
            f.primary = Primary::Letters;
            f.case = if primary == "A" { Case::Upper } else { Case::Lower };
        }
        "I" | "i" => {
            f.primary = Primary::Roman;
            f.case = if primary == "I" { Case::Upper } else { Case::Lower };
        }
        "W" => (f.primary, f.case) = (Primary::Words, Case::Upper),
        "Ww" => (f.primary, f.case) = (Primary::Words, Case::Title),
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut position = 0;
            let mut separators = Vec::new();
            for c in primary.chars().rev() {
                let cp = c as u32;
                if let Some(&group) = DECIMAL_GROUPS.iter().find(|&&g| cp >= g && cp <= g + 9) {
                    f.mandatory += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(group),
                        Some(z) if z != group => return Err("D3131"),
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    f.optional += 1;
                } else {
                    separators.push((position, c));
                }
            }
            if f.mandatory == 0 {
                f.primary = Primary::Sequence;
                return Ok(f);
            }
            f.zero = zero.unwrap_or(0x30);
            f.regular = regular_grouping(&separators);
            if f.regular.is_none() {
                f.separators = separators;
            }
        }
    }
    Ok(f)
}

/// The repeat interval if all separators are the same character at multiples of one interval.
fn regular_grouping(separators: &[(usize, char)]) -> Option<(usize, char)> {
    let (_, first) = *separators.first()?;
    if separators.iter().any(|(_, c)| *c != first) {
        return None;
    }
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let factor = separators.iter().map(|(p, _)| *p).reduce(gcd)?;
    if factor == 0 {
        return None;
    }
    let all = (1..=separators.len()).all(|i| separators.iter().any(|(p, _)| *p == i * factor));
    all.then_some((factor, first))
}

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

/// In floating point, as JSONata's JavaScript computes them: exact up to 2^53 and beyond it as
/// near as JavaScript (`1e46` is "ten billion trillion trillion trillion").
fn words(num: f64, prev: bool, ordinal: bool) -> String {
    let idx = |n: f64| (n as usize).min(FEW.len() - 1);
    if num <= 19.0 {
        let w = if ordinal { ORDINALS[idx(num)] } else { FEW[idx(num)] };
        return format!("{}{w}", if prev { " and " } else { "" });
    }
    if num < 100.0 {
        let (tens, rem) = ((num / 10.0).floor(), num % 10.0);
        let mut w = format!("{}{}", if prev { " and " } else { "" }, DECADES[idx(tens - 2.0)]);
        if rem > 0.0 {
            w = format!("{w}-{}", words(rem, false, ordinal));
        } else if ordinal {
            w.pop();
            w.push_str("ieth");
        }
        return w;
    }
    if num < 1000.0 {
        let (hundreds, rem) = ((num / 100.0).floor(), num % 100.0);
        let mut w = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[idx(hundreds)]);
        if rem > 0.0 {
            w.push_str(&words(rem, true, ordinal));
        } else if ordinal {
            w.push_str("th");
        }
        return w;
    }
    let mag = (num.log10() / 3.0).floor().min(MAGNITUDES.len() as f64) as i32;
    let factor = 10f64.powi(mag * 3);
    let mant = (num / factor).floor();
    let rem = num - mant * factor;
    let mut w = format!(
        "{}{} {}",
        if prev { ", " } else { "" },
        words(mant, false, false),
        MAGNITUDES[(mag as usize).saturating_sub(1)]
    );
    if rem > 0.0 {
        w.push_str(&words(rem, true, ordinal));
    } else if ordinal {
        w.push_str("th");
    }
    w
}

fn roman(mut value: u64) -> String {
    const NUMERALS: [(u64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (n, s) in NUMERALS {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

fn letters(mut value: u64, a: u8) -> String {
    let mut out = Vec::new();
    while value > 0 {
        out.push((((value - 1) % 26) as u8 + a) as char);
        value = (value - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Formats `value` with an analysed integer picture; `Err` carries the JSONata code.
/// `value` is an integer (floored); words take any size, the other formats those within an
/// i64 (beyond, a RangeError rather than a silently clamped number).
pub fn format_integer(value: f64, f: &IntFormat) -> Result<String, &'static str> {
    let negative = value < 0.0;
    if f.primary != Primary::Words && (value.is_nan() || value.abs() >= 9.2e18) {
        return Err(super::format_number::RANGE_ERROR);
    }
    // A width modifier such as `[M,4444444444442]` asks for that many digits: JavaScript
    // fails to build such a string (RangeError: Invalid string length), and so do we, before
    // allocating it (found by the `jsonata` fuzz target).
    if f.mandatory > crate::asl::jsonata::eval::MAX_STRING_BYTES {
        return Err(super::format_number::RANGE_ERROR);
    }
    let v = value.abs() as u64;
    let mut s = match f.primary {
        Primary::Letters => letters(v, if f.case == Case::Upper { b'A' } else { b'a' }),
        Primary::Roman => {
            let r = roman(v);
            if f.case == Case::Upper { r.to_uppercase() } else { r }
        }
        Primary::Words => {
            let w = words(value.abs(), false, f.ordinal);
            match f.case {
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut digits = v.to_string();
            if digits.len() < f.mandatory {
                digits = format!("{}{digits}", "0".repeat(f.mandatory - digits.len()));
            }
            let mut chars: Vec<char> =
                digits.chars().map(|c| char::from_u32(c as u32 - 0x30 + f.zero).unwrap_or(c)).collect();
            if let Some((every, sep)) = f.regular {
                let n = (chars.len() - 1) / every;
                for i in (1..=n).rev() {
                    let at = chars.len() - i * every;
                    chars.insert(at, sep);
                }
            } else {
                for &(position, sep) in f.separators.iter().rev() {
                    let at = chars.len().saturating_sub(position);
                    chars.insert(at, sep);
                }
            }
            let mut s: String = chars.into_iter().collect();
            if f.ordinal {
                let last = s.chars().last();
                let tens_one = s.chars().rev().nth(1) == Some('1');
                let suffix = match last {
                    Some('1') if !tens_one => "st",
                    Some('2') if !tens_one => "nd",
                    Some('3') if !tens_one => "rd",
                    _ => "th",
                };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence => return Err("D3130"),
    };
    if negative {
        s.insert(0, '-');
    }
    Ok(s)
}

/// One part of a date/time picture.
enum Part {
    Literal(String),
    Marker(Marker),
}

struct Marker {
    component: char,
    presentation1: String,
    presentation2: Option<char>,
    width_max: Option<usize>,
    names: Option<Case>,
    int_format: Option<IntFormat>,
    /// Year digits to keep (`-1`: all).
    year_digits: i64,
}

fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn analyse_datetime(picture: &str) -> Result<Vec<Part>, &'static str> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = Vec::new();
    let literal = |from: usize, to: usize, parts: &mut Vec<Part>| {
        if to > from {
            let text: String = chars[from..to].iter().collect();
            parts.push(Part::Literal(text.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                literal(start, pos, &mut parts);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            literal(start, pos, &mut parts);
            start = pos;
            let Some(close) = (start..chars.len()).find(|&i| chars[i] == ']') else {
                return Err("D3135");
            };
            pos = close;
            let marker: String = chars[start + 1..close].iter().filter(|c| !c.is_whitespace()).collect();
            parts.push(Part::Marker(analyse_marker(&marker)?));
            start = pos + 1;
        }
        pos += 1;
    }
    literal(start, pos.min(chars.len()), &mut parts);
    Ok(parts)
}

fn analyse_marker(marker: &str) -> Result<Marker, &'static str> {
    let component = marker.chars().next().unwrap_or(' ');
    let rest = &marker[component.len_utf8().min(marker.len())..];
    let (pres, width) = match rest.rfind(',') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let parse_width = |w: &str| if w == "*" { None } else { w.parse::<usize>().ok() };
    let (width_min, width_max) = match width {
        None => (None, None),
        Some(w) => match w.split_once('-') {
            Some((a, b)) => (parse_width(a), parse_width(b)),
            None => (parse_width(w), None),
        },
    };
    let mut m = Marker {
        component,
        presentation1: String::new(),
        presentation2: None,
        width_max,
        names: None,
        int_format: None,
        year_digits: -1,
    };
    let pres_chars: Vec<char> = pres.chars().collect();
    if pres_chars.len() == 1 {
        m.presentation1 = pres.to_string();
    } else if pres_chars.len() > 1 {
        let last = pres_chars[pres_chars.len() - 1];
        if "atco".contains(last) {
            m.presentation2 = Some(last);
            m.presentation1 = pres_chars[..pres_chars.len() - 1].iter().collect();
        } else {
            m.presentation1 = pres.to_string();
        }
    } else {
        m.presentation1 = default_presentation(component).ok_or("D3132")?.to_string();
    }
    if default_presentation(component).is_none() {
        return Err("D3132");
    }
    let mut p = m.presentation1.chars();
    match (p.next(), p.next()) {
        (Some('n'), _) => m.names = Some(Case::Lower),
        (Some('N'), Some('n')) => m.names = Some(Case::Title),
        (Some('N'), _) => m.names = Some(Case::Upper),
        _ if "YMDdFWwXxHhmsf".contains(component) => {
            let mut pattern = m.presentation1.clone();
            if let Some(p2) = m.presentation2 {
                pattern.push(';');
                pattern.push(p2);
            }
            let mut f = analyse_integer(&pattern)?;
            if let Some(min) = width_min {
                f.mandatory = f.mandatory.max(min);
            }
            if component == 'Y' {
                if let Some(max) = width_max {
                    m.year_digits = max as i64;
                    f.mandatory = max;
                } else if f.mandatory + f.optional >= 2 {
                    m.year_digits = (f.mandatory + f.optional) as i64;
                }
            }
            m.int_format = Some(f);
        }
        _ => {}
    }
    if component == 'Z' || component == 'z' {
        m.int_format = Some(analyse_integer(&m.presentation1)?);
    }
    Ok(m)
}

const DAYS: [&str; 8] = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAY_MS: i64 = 86_400_000;

/// Days since the epoch of a civil date (month 0-based and may overflow into the next year).
fn days_from_civil(year: i64, month0: i64, day: i64) -> i64 {
    let month = (month0.rem_euclid(12) + 1) as u32;
    crate::asl::calendar::days_from_civil(year + month0.div_euclid(12), month, day)
}

/// (year, month 1-12, day) of a day number.
fn civil(days: i64) -> (i64, i64, i64) {
    let (y, m, d) = crate::asl::engine::clock::civil_from_days(days);
    (y, i64::from(m), i64::from(d))
}

/// Millis of the Monday starting ISO week 1 of the year/month (`month0` 0-based).
fn start_of_first_week(year: i64, month0: i64) -> i64 {
    let first = days_from_civil(year, month0, 1) * DAY_MS;
    let mut dow = (days_from_civil(year, month0, 1) + 4).rem_euclid(7); // 0 = Sunday
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 { first + (8 - dow) * DAY_MS } else { first - (dow - 1) * DAY_MS }
}

fn weeks_between(start: i64, end: i64) -> f64 {
    (end - start) as f64 / (DAY_MS * 7) as f64 + 1.0
}

enum Component {
    Int(i64),
    Text(&'static str),
}

fn fragment(millis: i64, c: char) -> Component {
    let days = millis.div_euclid(DAY_MS);
    let ms = millis.rem_euclid(DAY_MS);
    let (year, month, day) = civil(days);
    let today = days * DAY_MS;
    Component::Int(match c {
        'Y' => year,
        'M' => month,
        'D' => day,
        'd' => days - days_from_civil(year, 0, 1) + 1,
        'F' => match (days + 4).rem_euclid(7) {
            0 => 7,
            d => d,
        },
        'W' => {
            let mut week = weeks_between(start_of_first_week(year, 0), today);
            if week > 52.0 {
                if today >= start_of_first_week(year + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = weeks_between(start_of_first_week(year - 1, 0), today);
            }
            week.floor() as i64
        }
        'w' => {
            let m0 = month - 1;
            let mut week = weeks_between(start_of_first_week(year, m0), today);
            if week > 4.0 {
                if today >= start_of_first_week(year, m0 + 1) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = weeks_between(start_of_first_week(year, m0 - 1), today);
            }
            week.floor() as i64
        }
        'X' => {
            if millis < start_of_first_week(year, 0) {
                year - 1
            } else if millis >= start_of_first_week(year + 1, 0) {
                year + 1
            } else {
                year
            }
        }
        'x' => {
            let m0 = month - 1;
            if millis < start_of_first_week(year, m0) {
                (m0 - 1).rem_euclid(12) + 1
            } else if millis >= start_of_first_week(year, m0 + 1) {
                (m0 + 1).rem_euclid(12) + 1
            } else {
                month
            }
        }
        'H' => ms / 3_600_000,
        'h' => match (ms / 3_600_000) % 12 {
            0 => 12,
            h => h,
        },
        'P' => return Component::Text(if ms / 3_600_000 >= 12 { "pm" } else { "am" }),
        'm' => ms / 60_000 % 60,
        's' => ms / 1000 % 60,
        'f' => ms % 1000,
        _ => return Component::Text("ISO"),
    })
}

fn apply_case(s: &str, case: Option<Case>) -> String {
    match case {
        Some(Case::Upper) => s.to_uppercase(),
        Some(Case::Lower) => s.to_lowercase(),
        _ => s.to_string(),
    }
}

/// `$fromMillis(millis, picture, timezone)`; `Err` carries the JSONata code.
pub fn format_datetime(millis: i64, picture: Option<&str>, timezone: Option<&str>) -> Result<String, &'static str> {
    let (mut hours, mut minutes) = (0i64, 0i64);
    if let Some(tz) = timezone {
        let digits: String = tz.chars().take_while(|c| c.is_ascii_digit() || *c == '+' || *c == '-').collect();
        let offset: i64 = digits.parse().unwrap_or(0);
        hours = offset.div_euclid(100);
        minutes = offset % 100;
    }
    let picture = picture.unwrap_or("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
    let parts = analyse_datetime(picture)?;
    let local = millis + (60 * hours + minutes) * 60_000;
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_marker(local, m, hours, minutes)?),
        }
    }
    Ok(out)
}

fn format_marker(local: i64, m: &Marker, hours: i64, minutes: i64) -> Result<String, &'static str> {
    if m.component == 'Z' || m.component == 'z' {
        let offset = hours * 100 + minutes;
        let f = m.int_format.as_ref().ok_or("D3132")?;
        let mut s = if f.regular.is_some() {
            format_integer(offset as f64, f)?
        } else {
            match f.mandatory {
                1 | 2 => {
                    let mut s = format_integer(hours as f64, f)?;
                    if minutes != 0 {
                        s.push_str(&format!(":{:02}", minutes.abs()));
                    }
                    s
                }
                3 | 4 => format_integer(offset as f64, f)?,
                _ => return Err("D3134"),
            }
        };
        if offset >= 0 {
            s.insert(0, '+');
        }
        if m.component == 'z' {
            s.insert_str(0, "GMT");
        }
        if offset == 0 && m.presentation2 == Some('t') {
            s = "Z".into();
        }
        return Ok(s);
    }
    match fragment(local, m.component) {
        // `am`/`pm` follow the name modifier (`[PN]` is `AM`); calendar and era are `ISO`.
        Component::Text(t) if m.component == 'P' => Ok(apply_case(t, m.names)),
        Component::Text(t) => Ok(t.to_string()),
        Component::Int(mut v) => {
            if m.component == 'Y' && m.year_digits != -1 {
                v %= 10i64.pow(m.year_digits.clamp(0, 18) as u32);
            }
            if let Some(case) = m.names {
                let name = match m.component {
                    'M' | 'x' => MONTHS.get((v - 1).clamp(0, 11) as usize).copied().unwrap_or(""),
                    'F' => DAYS.get(v.clamp(0, 7) as usize).copied().unwrap_or(""),
                    _ => return Err("D3133"),
                };
                let mut s = apply_case(name, Some(case));
                if let Some(max) = m.width_max {
                    s = s.chars().take(max).collect();
                }
                return Ok(s);
            }
            match &m.int_format {
                Some(f) => format_integer(v as f64, f),
                None => Ok(v.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{analyse_integer, format_datetime, format_integer};

    fn fi(v: i64, p: &str) -> String {
        analyse_integer(p).and_then(|f| format_integer(v as f64, &f)).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn integers_in_every_presentation() {
        assert_eq!(fi(1234567, "#,##0"), "1,234,567");
        assert_eq!(fi(7, "000"), "007");
        assert_eq!(fi(1999, "I"), "MCMXCIX");
        assert_eq!(fi(28, "A"), "AB");
        assert_eq!(fi(21, "w;o"), "twenty-first");
        assert_eq!(fi(112, "0;o"), "112th");
    }

    #[test]
    fn date_pictures() {
        let t = 1_521_801_216_617;
        assert_eq!(format_datetime(t, Some("[Y0001]-[M01]-[D01]"), None), Ok("2018-03-23".into()));
        assert_eq!(format_datetime(t, Some("[FNn], [D1o] [MNn]"), None), Ok("Friday, 23rd March".into()));
        assert_eq!(format_datetime(t, None, Some("+0100")), Ok("2018-03-23T11:33:36.617+01:00".into()));
    }

    #[test]
    fn a_huge_width_is_a_range_error_not_an_allocation() {
        let t = 1_700_000_000_000;
        assert_eq!(format_datetime(t, Some("[M,4444444444442]"), None), Err(super::super::format_number::RANGE_ERROR));
        assert_eq!(format_datetime(t, Some("[M,4]"), None), Ok("0011".into()));
    }
}
