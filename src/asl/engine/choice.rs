//! Choice rules in JSONPath states (rules 10.1–10.12): evaluated in order against the effective
//! input, first true rule wins. Every evaluation is recorded as a trace (what each `Variable`
//! resolved to, the operand, the verdict, which sub-rules short-circuiting skipped) so the
//! debugger can explain *why* a branch was taken; `Display` renders it as indented text.
//!
//! Semantics live in `compare` (one operator against two values), the rendering in `explain`.

mod compare;
mod explain;

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{Choice, ChoiceRule, Comparison, Condition, Operand, Operator, StateName};
use crate::asl::error_name::ErrorName;
use crate::asl::jsonpath::{Path, Root, Roots, Variables};
use crate::asl::source::Span;

pub use compare::{Mismatch, Side};

/// What a Choice state decided, and why.
#[derive(Clone, Debug)]
pub struct ChoiceOutcome {
    /// Index of the first rule that evaluated true, if any.
    pub matched: Option<usize>,
    /// Where the state goes: the matched rule's `Next`, else the `Default` (when the caller
    /// supplied it, see [`evaluate_state`]); `None` means `States.NoChoiceMatched`.
    pub next: Option<StateName>,
    /// How many top-level rules the state has.
    pub total_rules: usize,
    why: Why,
}

/// The evaluated rules, or what it takes to evaluate them again.
#[derive(Clone, Debug)]
enum Why {
    Recorded(Vec<RuleTrace>),
    /// Rules that read nothing but the input give the same trace whenever they are evaluated
    /// on it, so a run keeps these two pointers instead of a trace per visit (a trace is a few
    /// hundred bytes and three allocations; in a loop that was a large share of a state's
    /// cost). Rules that read `$$` or variables are recorded: those change as the run goes on.
    Deferred {
        rules: Arc<[ChoiceRule]>,
        input: Arc<Value>,
    },
}

impl ChoiceOutcome {
    /// The top-level rules that were evaluated, in order; rules after the match are not.
    pub fn rules(&self) -> Cow<'_, [RuleTrace]> {
        match &self.why {
            Why::Recorded(rules) => Cow::Borrowed(rules),
            Why::Deferred { rules, input } => {
                let empty = serde_json::Map::new();
                let roots = Roots { input, context: &Value::Null, variables: &empty };
                // Same rules, same input: this cannot fail where the first evaluation did not.
                Cow::Owned(trace_rules(rules, &roots).map(|(traces, _)| traces).unwrap_or_default())
            }
        }
    }
}

impl ChoiceOutcome {
    /// A JSONata Choice's outcome: the `Condition`s evaluated in order up to the first true one,
    /// and where the state goes (that rule's `Next`, else the `Default`).
    pub fn from_conditions(
        rules: Vec<RuleTrace>,
        matched: Option<usize>,
        next: Option<StateName>,
        total_rules: usize,
    ) -> ChoiceOutcome {
        ChoiceOutcome { matched, next, total_rules, why: Why::Recorded(rules) }
    }
}

impl PartialEq for ChoiceOutcome {
    fn eq(&self, other: &Self) -> bool {
        (self.matched, &self.next, self.total_rules) == (other.matched, &other.next, other.total_rules)
            && self.rules() == other.rules()
    }
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
    /// A JSONata `Condition` (its text, without `{% %}`); the rule's result is what it gave.
    Jsonata(std::sync::Arc<str>),
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
    /// `States.Runtime`, or [`ErrorName::Unsupported`] for a JSONata `Condition`.
    pub error: ErrorName,
    pub cause: String,
}

/// Evaluates the rules in order (rule 10.1). `next` is the matched rule's `Next`; this function
/// does not know the state's `Default`, see [`evaluate_state`].
pub fn evaluate(choices: &[ChoiceRule], roots: &Roots) -> Result<ChoiceOutcome, ChoiceError> {
    let (rules, matched) = trace_rules(choices, roots)?;
    Ok(ChoiceOutcome {
        matched,
        next: next_of(choices, matched),
        total_rules: choices.len(),
        why: Why::Recorded(rules),
    })
}

/// The `Next` of the matched rule, if any.
fn next_of(choices: &[ChoiceRule], matched: Option<usize>) -> Option<StateName> {
    matched.and_then(|i| choices[i].next.as_ref()).map(|n| n.value.clone())
}

/// The rules up to the first true one, traced, and its index.
fn trace_rules(choices: &[ChoiceRule], roots: &Roots) -> Result<(Vec<RuleTrace>, Option<usize>), ChoiceError> {
    // Kept with the stage for the whole run: sized for the rules, trimmed to those evaluated.
    let mut rules = Vec::with_capacity(choices.len());
    for (i, rule) in choices.iter().enumerate() {
        let trace = eval_rule(rule, roots)?;
        let hit = trace.result;
        rules.push(trace);
        if hit {
            rules.shrink_to_fit();
            return Ok((rules, Some(i)));
        }
    }
    Ok((rules, None))
}

/// Evaluates a whole Choice state on its effective input: the rules, then `Default` when none
/// matched (rule 10.2). The trace is recorded only when the rules read more than the input
/// (see [`ChoiceOutcome::rules`]).
pub fn evaluate_state(
    choice: &Choice,
    input: &Arc<Value>,
    context: &Value,
    variables: &dyn Variables,
) -> Result<ChoiceOutcome, ChoiceError> {
    let roots = &Roots { input, context, variables };
    let mut outcome = if choice.choices.iter().all(reads_only_input) {
        let mut matched = None;
        for (i, rule) in choice.choices.iter().enumerate() {
            if holds(rule, roots)? {
                matched = Some(i);
                break;
            }
        }
        let why = Why::Deferred { rules: choice.choices.clone(), input: input.clone() };
        ChoiceOutcome { matched, next: next_of(&choice.choices, matched), total_rules: choice.choices.len(), why }
    } else {
        evaluate(&choice.choices, roots)?
    };
    if outcome.matched.is_none() {
        outcome.next = choice.default.as_ref().map(|d| d.value.clone());
    }
    Ok(outcome)
}

/// Whether the rule's paths read only the input: rooted at `$`, with no other `$` in them (a
/// `$$` or `$var` inside a filter counts as reading more).
fn reads_only_input(rule: &ChoiceRule) -> bool {
    let input_only = |p: &Path| matches!(p.root(), Root::Input) && !p.text().get(1..).unwrap_or("").contains('$');
    match &rule.condition {
        Condition::And(rules) | Condition::Or(rules) => rules.iter().all(reads_only_input),
        Condition::Not(inner) => reads_only_input(inner),
        Condition::Compare(c) => {
            input_only(&c.variable.value)
                && match &c.operand.value {
                    Operand::Literal(_) => true,
                    Operand::Path(p) => input_only(p),
                }
        }
        Condition::Jsonata(_) => false,
    }
}

/// [`eval_rule`]'s verdict without the trace: the same short-circuits, so the same errors.
fn holds(rule: &ChoiceRule, roots: &Roots) -> Result<bool, ChoiceError> {
    match &rule.condition {
        Condition::And(rules) => {
            for r in rules {
                if !holds(r, roots)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(rules) => {
            for r in rules {
                if holds(r, roots)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(inner) => Ok(!holds(inner, roots)?),
        Condition::Compare(c) => Ok(compared(c, roots)?.result),
        Condition::Jsonata(_) => Err(jsonata_condition()),
    }
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
        Condition::Jsonata(_) => return Err(jsonata_condition()),
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

/// JSONata Choice states are evaluated in `states/choice.rs`, never here.
fn jsonata_condition() -> ChoiceError {
    ChoiceError {
        error: ErrorName::Unsupported,
        cause: "a JSONata Condition where JSONPath rules are evaluated".into(),
    }
}

/// One comparison's verdict and the values it looked at.
struct Compared {
    result: bool,
    /// `None` only for `IsPresent` on a path that selects nothing.
    found: Option<Value>,
    /// What a `…Path` operand resolved to (a literal operand is not copied).
    operand_value: Option<Value>,
    mismatch: Option<Mismatch>,
}

fn compared(c: &Comparison, roots: &Roots) -> Result<Compared, ChoiceError> {
    let variable = &c.variable.value;
    let found = variable.select(roots).ok();
    // IsPresent is the one test of a path that may select nothing (rule 10.6).
    if c.operator == Operator::IsPresent {
        let wanted = matches!(&c.operand.value, Operand::Literal(Value::Bool(true)));
        let result = found.is_some() == wanted;
        return Ok(Compared { result, found, operand_value: None, mismatch: None });
    }
    let Some(found) = found else { return Err(invalid_path(variable)) };
    let operand_value = match &c.operand.value {
        Operand::Literal(_) => None,
        Operand::Path(p) => Some(p.select(roots).map_err(|_| invalid_path(p))?),
    };
    // A path operand was resolved just above; a literal is compared where it stands.
    let right = match (&operand_value, &c.operand.value) {
        (Some(v), _) | (None, Operand::Literal(v)) => v,
        (None, Operand::Path(_)) => &Value::Null,
    };
    Ok(match compare::compare(c.operator, &found, right) {
        Ok(result) => Compared { result, found: Some(found), operand_value, mismatch: None },
        Err(m) => Compared { result: false, found: Some(found), operand_value, mismatch: Some(m) },
    })
}

fn eval_comparison(c: &Comparison, roots: &Roots) -> Result<(bool, ComparisonTrace), ChoiceError> {
    let done = compared(c, roots)?;
    let operand = match (&c.operand.value, done.operand_value) {
        // IsPresent's operand is shown as the boolean it tests.
        _ if c.operator == Operator::IsPresent => {
            OperandTrace::Literal(Value::Bool(matches!(&c.operand.value, Operand::Literal(Value::Bool(true)))))
        }
        (Operand::Literal(v), _) => OperandTrace::Literal(v.clone()),
        (Operand::Path(p), value) => OperandTrace::Path { path: p.shared_text(), value: value.unwrap_or_default() },
    };
    let trace = ComparisonTrace {
        variable: c.variable.value.shared_text(),
        found: done.found,
        operator: c.operator,
        operand,
        mismatch: done.mismatch,
    };
    Ok((done.result, trace))
}

/// A `Variable` or `…Path` operand that selects nothing (rule 10.6), with AWS's cause text.
fn invalid_path(p: &Path) -> ChoiceError {
    ChoiceError {
        error: ErrorName::Runtime,
        cause: format!("Invalid path '{}': The choice state's condition path references an invalid value.", p.text()),
    }
}

#[cfg(test)]
mod tests;
