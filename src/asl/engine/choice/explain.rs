//! The trace of a Choice evaluation as indented text, one line per rule, e.g.
//!
//! ```text
//! rule 1: Not → false
//!   $.type ("Private") StringEquals "Private" → true
//! rule 2: $.value (22) NumericEquals 0 → false
//! rule 3: And → true
//!   $.value (22) NumericGreaterThanEquals 20 → true
//!   $.value (22) NumericLessThan 30 → true
//! rule 3 matched → Next 'ValueInTwenties'
//! ```
//!
//! It is meant to teach: skipped sub-rules and type mismatches are spelled out.

use std::fmt::{self, Write};

use serde_json::Value;

use super::{ChoiceOutcome, ComparisonTrace, OperandTrace, RuleTrace, Test};

/// Longest rendering of a value before it is cut with `…`.
const MAX_VALUE_CHARS: usize = 60;

impl ChoiceOutcome {
    /// The explanation as text (same as `to_string()`).
    pub fn explain(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ChoiceOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = self.rules();
        for (i, rule) in rules.iter().enumerate() {
            write!(f, "rule {}: ", i + 1)?;
            rule_lines(f, rule, 0)?;
        }
        let evaluated = rules.len();
        if evaluated < self.total_rules {
            let rest = if evaluated + 1 == self.total_rules {
                format!("rule {}", self.total_rules)
            } else {
                format!("rules {}–{}", evaluated + 1, self.total_rules)
            };
            writeln!(f, "({rest} not evaluated: the first rule that is true wins)")?;
        }
        match (self.matched, &self.next) {
            (Some(i), Some(next)) => write!(f, "rule {} matched → Next '{next}'", i + 1),
            (Some(i), None) => write!(f, "rule {} matched", i + 1),
            (None, Some(default)) => write!(f, "no rule matched → Default '{default}'"),
            (None, None) => write!(f, "no rule matched and there is no Default → States.NoChoiceMatched"),
        }
    }
}

/// Writes `rule`'s own line (the caller wrote any prefix) and its sub-rules below it.
fn rule_lines(f: &mut fmt::Formatter<'_>, rule: &RuleTrace, depth: usize) -> fmt::Result {
    let verdict = if rule.result { "true" } else { "false" };
    match &rule.test {
        Test::Compare(c) => {
            comparison(f, c)?;
            write!(f, " → {verdict}")?;
            if let Some(m) = &c.mismatch {
                write!(f, " ({} {m})", c.operator.name())?;
            }
            writeln!(f)
        }
        Test::Jsonata(condition) => writeln!(f, "{{% {} %}} → {verdict}", condition.trim()),
        Test::Not(inner) => {
            writeln!(f, "Not → {verdict}")?;
            child(f, inner, depth + 1)
        }
        Test::And { evaluated, skipped } | Test::Or { evaluated, skipped } => {
            let (name, stops_at) =
                if matches!(rule.test, Test::And { .. }) { ("And", "false") } else { ("Or", "true") };
            writeln!(f, "{name} → {verdict}")?;
            for sub in evaluated {
                child(f, sub, depth + 1)?;
            }
            if *skipped > 0 {
                let what = if *skipped == 1 { "1 more rule".to_string() } else { format!("{skipped} more rules") };
                indent(f, depth + 1)?;
                writeln!(f, "({what} not evaluated: {name} stops at the first {stops_at})")?;
            }
            Ok(())
        }
    }
}

fn child(f: &mut fmt::Formatter<'_>, rule: &RuleTrace, depth: usize) -> fmt::Result {
    indent(f, depth)?;
    rule_lines(f, rule, depth)
}

fn indent(f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    Ok(())
}

/// `$.n (12) NumericGreaterThan 10`, `$.a (3) NumericEqualsPath $.b (4)`, `$.x (absent) IsPresent true`.
fn comparison(f: &mut fmt::Formatter<'_>, c: &ComparisonTrace) -> fmt::Result {
    let found = c.found.as_ref().map_or_else(|| "absent".to_string(), short);
    write!(f, "{} ({found}) {}", c.variable, c.operator.name())?;
    match &c.operand {
        OperandTrace::Literal(v) => write!(f, " {}", short(v)),
        OperandTrace::Path { path, value } => write!(f, "Path {path} ({})", short(value)),
    }
}

/// Compact JSON, cut to `MAX_VALUE_CHARS` characters.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_VALUE_CHARS - 1).collect();
    let _ = cut.write_char('…');
    cut
}
