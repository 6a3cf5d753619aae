//! The short texts the drawing shows: box captions and edge labels.

use crate::asl::definition::{Catcher, ChoiceRule, Condition, Operand, Operator};

/// Longest edge label drawn before it is shortened.
const MAX_LABEL_CHARS: usize = 28;
/// Longest state name drawn in a box before it is shortened (names may have 80 characters).
const MAX_NAME_CHARS: usize = 32;
/// Compact drops the type and the padding, not the name: long enough that a name stays readable
/// (`Thank a big spender`), short enough that a wide machine still fits a narrow pane.
const MAX_NAME_CHARS_COMPACT: usize = 24;

/// Terminal columns a character takes: 2 for East Asian wide and fullwidth characters and
/// most emoji (a close approximation of `wcwidth` for the ranges state names use), else 1.
pub(crate) fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Terminal columns `text` takes.
pub(crate) fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Cuts `text` to `max` characters, marking the cut with `…`.
/// Control characters (a newline in a state name) become `·` so one label stays one row.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let printable = |c: char| if c.is_control() { '·' } else { c };
    if text.chars().count() <= max {
        return text.chars().map(printable).collect();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).map(printable).collect();
    s.push('…');
    s
}

/// The caption of a state's box: `Name [Type]`, or just the name in compact mode.
pub(crate) fn caption(name: &str, type_name: &str, compact: bool) -> String {
    if compact {
        shorten(name, MAX_NAME_CHARS_COMPACT)
    } else {
        format!("{} [{type_name}]", shorten(name, MAX_NAME_CHARS))
    }
}

/// Several Choice rules with one target: `3 rules: #1, #4, #9` or `2,997 rules: #1, #2, #3, …`.
pub(crate) fn rule_numbers(rules: &[usize]) -> String {
    const SHOWN: usize = 3;
    let list: Vec<String> = rules.iter().take(SHOWN).map(|k| format!("#{k}")).collect();
    let more = if rules.len() > SHOWN { ", …" } else { "" };
    format!("{} rules: {}{more}", thousands(rules.len()), list.join(", "))
}

pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Choice rule's label: its condition when that is short (`$.n > 10`), else `#2`.
pub(crate) fn choice(rule: &ChoiceRule, number: usize) -> String {
    match condition(&rule.condition) {
        Some(text) if text.chars().count() <= MAX_LABEL_CHARS => shorten(&text, MAX_LABEL_CHARS),
        _ => format!("#{number}"),
    }
}

/// A Catch's label: the error names it catches.
pub(crate) fn catch(catcher: &Catcher) -> String {
    let names: Vec<&str> = catcher.error_equals.iter().map(|e| e.value.as_str()).collect();
    shorten(&names.join(","), MAX_LABEL_CHARS)
}

fn condition(c: &Condition) -> Option<String> {
    match c {
        Condition::Compare(cmp) => {
            let var = cmp.variable.value.text();
            let operand = match &cmp.operand.value {
                Operand::Literal(v) => v.to_string(),
                Operand::Path(p) => p.text().to_string(),
            };
            let truthy = matches!(&cmp.operand.value, Operand::Literal(serde_json::Value::Bool(true)));
            let not = if truthy { "" } else { "not " };
            Some(match type_test(cmp.operator) {
                Some(what) if matches!(cmp.operand.value, Operand::Literal(_)) => format!("{var} {not}{what}"),
                _ => format!("{var} {} {operand}", symbol(cmp.operator)),
            })
        }
        Condition::Jsonata(text) => Some(shorten(&text.value, usize::MAX)),
        Condition::Not(inner) => condition(&inner.condition).map(|t| format!("not ({t})")),
        Condition::And(_) | Condition::Or(_) => None,
    }
}

/// `IsPresent: true` reads better as `$.x present`.
fn type_test(op: Operator) -> Option<&'static str> {
    Some(match op {
        Operator::IsPresent => "present",
        Operator::IsNull => "null",
        Operator::IsNumeric => "numeric",
        Operator::IsString => "string",
        Operator::IsBoolean => "boolean",
        Operator::IsTimestamp => "timestamp",
        _ => return None,
    })
}

fn symbol(op: Operator) -> &'static str {
    use Operator::*;
    match op {
        StringEquals | NumericEquals | BooleanEquals | TimestampEquals => "==",
        StringLessThan | NumericLessThan | TimestampLessThan => "<",
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ">",
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => "<=",
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => ">=",
        StringMatches => "matches",
        IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => op.name(),
    }
}
