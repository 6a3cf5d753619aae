//! Choice rules in JSONPath states (rules 10.1–10.12): evaluated in order against the effective
//! input, first true rule wins. Every evaluation is recorded as a trace (what each `Variable`
//! resolved to, the operand, the verdict, which sub-rules short-circuiting skipped) so the
//! debugger can explain *why* a branch was taken; `Display` renders it as indented text.
//!
//! Semantics live in `compare` (one operator against two values), the rendering in `explain`.

mod compare;
mod explain;

use serde_json::Value;

use crate::asl::definition::{Choice, ChoiceRule, Comparison, Condition, Operand, Operator, StateName};
use crate::asl::jsonpath::{Path, Roots};
use crate::asl::source::Span;

pub use compare::{Mismatch, Side};

/// What a Choice state decided, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceOutcome {
    /// Index of the first rule that evaluated true, if any.
    pub matched: Option<usize>,
    /// Where the state goes: the matched rule's `Next`, else the `Default` (when the caller
    /// supplied it, see [`evaluate_state`]); `None` means `States.NoChoiceMatched`.
    pub next: Option<StateName>,
    /// The top-level rules that were evaluated, in order; rules after the match are not.
    pub rules: Vec<RuleTrace>,
    /// How many top-level rules the state has.
    pub total_rules: usize,
}

/// One evaluated rule (top-level or nested).
#[derive(Clone, Debug, PartialEq)]
pub struct RuleTrace {
    pub result: bool,
    pub test: Test,
    /// The rule's `Next` (top-level rules only).
    pub next: Option<StateName>,
    /// The rule object in the source.
    pub span: Span,
}

/// The kind of test a rule made, with its sub-results.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `skipped` sub-rules were not evaluated: `And` stops at the first false (rule 10.3).
    And {
        evaluated: Vec<RuleTrace>,
        skipped: usize,
    },
    /// `skipped` sub-rules were not evaluated: `Or` stops at the first true (rule 10.3).
    Or {
        evaluated: Vec<RuleTrace>,
        skipped: usize,
    },
    Not(Box<RuleTrace>),
    Compare(Box<ComparisonTrace>),
}

/// One `Variable` + operator + operand, as evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonTrace {
    /// The `Variable` path as written.
    pub variable: std::sync::Arc<str>,
    /// What it resolved to; `None` when the path selects nothing (only `IsPresent` allows that).
    pub found: Option<Value>,
    pub operator: Operator,
    pub operand: OperandTrace,
    /// Why the comparison is false without comparing: a value of the wrong type (rule 10.7).
    pub mismatch: Option<Mismatch>,
}

/// The right-hand side as written and, for `…Path` operators, what it resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum OperandTrace {
    Literal(Value),
    Path { path: std::sync::Arc<str>, value: Value },
}

/// A runtime error raised while evaluating the rules (the state fails with it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct ChoiceError {
    /// `States.Runtime`, or `statescope.Unsupported` for a JSONata `Condition`.
    pub error: String,
    pub cause: String,
}

/// Evaluates the rules in order (rule 10.1). `next` is the matched rule's `Next`; this function
/// does not know the state's `Default`, see [`evaluate_state`].
pub fn evaluate(choices: &[ChoiceRule], roots: &Roots) -> Result<ChoiceOutcome, ChoiceError> {
    // Kept with the stage for the whole run: sized for the rules, trimmed to those evaluated.
    let mut rules = Vec::with_capacity(choices.len());
    let mut matched = None;
    for (i, rule) in choices.iter().enumerate() {
        let trace = eval_rule(rule, roots)?;
        let hit = trace.result;
        rules.push(trace);
        if hit {
            matched = Some(i);
            break;
        }
    }
    rules.shrink_to_fit();
    let next = matched.and_then(|i| choices[i].next.as_ref()).map(|n| n.value.clone());
    Ok(ChoiceOutcome { matched, next, rules, total_rules: choices.len() })
}

/// Evaluates a whole Choice state: the rules, then `Default` when none matched (rule 10.2).
pub fn evaluate_state(choice: &Choice, roots: &Roots) -> Result<ChoiceOutcome, ChoiceError> {
    let mut outcome = evaluate(&choice.choices, roots)?;
    if outcome.matched.is_none() {
        outcome.next = choice.default.as_ref().map(|d| d.value.clone());
    }
    Ok(outcome)
}

fn eval_rule(rule: &ChoiceRule, roots: &Roots) -> Result<RuleTrace, ChoiceError> {
    let (result, test) = match &rule.condition {
        Condition::And(rules) => {
            let (result, evaluated, skipped) = short_circuit(rules, roots, false)?;
            (result, Test::And { evaluated, skipped })
        }
        Condition::Or(rules) => {
            let (result, evaluated, skipped) = short_circuit(rules, roots, true)?;
            (result, Test::Or { evaluated, skipped })
        }
        Condition::Not(inner) => {
            let t = eval_rule(inner, roots)?;
            (!t.result, Test::Not(Box::new(t)))
        }
        Condition::Compare(c) => {
            let t = eval_comparison(c, roots)?;
            (t.0, Test::Compare(Box::new(t.1)))
        }
        Condition::Jsonata(_) => {
            return Err(ChoiceError {
                error: "statescope.Unsupported".into(),
                // JSONata Choice states are evaluated in `states/jsonata.rs`, never here.
                cause: "a JSONata Condition where JSONPath rules are evaluated".into(),
            });
        }
    };
    Ok(RuleTrace { result, test, next: rule.next.as_ref().map(|n| n.value.clone()), span: rule.span })
}

/// `And` (stop at the first false) or `Or` (stop at the first true): the sub-rules after the
/// deciding one are never evaluated, so they cannot raise (rule 10.3).
fn short_circuit(
    rules: &[ChoiceRule],
    roots: &Roots,
    stop_on: bool,
) -> Result<(bool, Vec<RuleTrace>, usize), ChoiceError> {
    let mut evaluated = Vec::with_capacity(rules.len());
    for rule in rules {
        let t = eval_rule(rule, roots)?;
        let decided = t.result == stop_on;
        evaluated.push(t);
        if decided {
            let skipped = rules.len() - evaluated.len();
            return Ok((stop_on, evaluated, skipped));
        }
    }
    Ok((!stop_on, evaluated, 0))
}

fn eval_comparison(c: &Comparison, roots: &Roots) -> Result<(bool, ComparisonTrace), ChoiceError> {
    let variable = &c.variable.value;
    let found = variable.select(roots).ok();
    let trace = |found, operand, mismatch| ComparisonTrace {
        variable: variable.shared_text(),
        found,
        operator: c.operator,
        operand,
        mismatch,
    };
    // IsPresent is the one test of a path that may select nothing (rule 10.6).
    if c.operator == Operator::IsPresent {
        let wanted = matches!(&c.operand.value, Operand::Literal(Value::Bool(true)));
        let result = found.is_some() == wanted;
        return Ok((result, trace(found, OperandTrace::Literal(Value::Bool(wanted)), None)));
    }
    let Some(found) = found else { return Err(invalid_path(variable)) };
    let operand = match &c.operand.value {
        Operand::Literal(v) => OperandTrace::Literal(v.clone()),
        Operand::Path(p) => {
            OperandTrace::Path { path: p.shared_text(), value: p.select(roots).map_err(|_| invalid_path(p))? }
        }
    };
    let (OperandTrace::Literal(right) | OperandTrace::Path { value: right, .. }) = &operand;
    Ok(match compare::compare(c.operator, &found, right) {
        Ok(result) => (result, trace(Some(found), operand, None)),
        Err(m) => (false, trace(Some(found), operand, Some(m))),
    })
}

/// A `Variable` or `…Path` operand that selects nothing (rule 10.6), with AWS's cause text.
fn invalid_path(p: &Path) -> ChoiceError {
    ChoiceError {
        error: "States.Runtime".into(),
        cause: format!("Invalid path '{}': The choice state's condition path references an invalid value.", p.text()),
    }
}

#[cfg(test)]
mod tests;
