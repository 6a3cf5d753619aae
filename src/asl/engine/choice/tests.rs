//! Choice evaluation per operator (ASL-CHECKLIST rules 10.1–10.12) and its explanation.

use serde_json::{Map, Value, json};

use super::*;
use crate::asl::check::check;
use crate::asl::definition::StateKind;
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::source::Source;

/// A machine whose Choice state `C` has `rules` (each gets `Next: "T"` unless it has one).
fn definition(rules: Vec<Value>, default: bool) -> Value {
    let rules: Vec<Value> = rules
        .into_iter()
        .map(|mut r| {
            if r.get("Next").is_none() {
                r["Next"] = json!("T");
            }
            r
        })
        .collect();
    let mut c = json!({"Type": "Choice", "Choices": rules});
    if default {
        c["Default"] = json!("F");
    }
    json!({"StartAt": "C", "States": {"C": c, "T": {"Type": "Succeed"}, "U": {"Type": "Succeed"},
        "F": {"Type": "Succeed"}}})
}

fn outcome_with(rules: Vec<Value>, default: bool, input: Value) -> Result<ChoiceOutcome, ChoiceError> {
    let checked = check(&Source::new("t.json", definition(rules, default).to_string()));
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let machine = checked.machine.expect("machine");
    let Some(StateKind::Choice(c)) = machine.scope.state("C").map(|s| &s.kind) else { panic!("no Choice") };
    let (context, variables) = (json!({}), Map::new());
    let input = std::sync::Arc::new(input);
    let outcome = evaluate_state(c, &input, &context, &variables);
    // Every case also checks that an explanation computed on demand (rules reading only the
    // input) is the one recorded while evaluating (rules reading `$$` or variables).
    let mut recorded = evaluate(&c.choices, &Roots { input: &input, context: &context, variables: &variables });
    if let Ok(o) = &mut recorded
        && o.matched.is_none()
    {
        o.next = c.default.as_ref().map(|d| d.value.clone());
    }
    assert_eq!(outcome, recorded, "deferred and recorded explanations differ");
    outcome
}

fn outcome(rules: Vec<Value>, input: Value) -> Result<ChoiceOutcome, ChoiceError> {
    outcome_with(rules, true, input)
}

/// Whether a single rule is true for `{"v": v, "o": o}`.
fn holds(rule: Value, v: Value, o: Value) -> bool {
    outcome(vec![rule], json!({"v": v, "o": o})).expect("no error").matched == Some(0)
}

fn cmp(op: &str, v: Value, operand: Value) -> bool {
    let literal = holds(json!({"Variable": "$.v", op: operand.clone()}), v.clone(), Value::Null);
    let path = holds(json!({"Variable": "$.v", format!("{op}Path"): "$.o"}), v, operand);
    assert_eq!(literal, path, "{op}: the literal and the …Path form must agree");
    literal
}

#[test]
fn rule_10_4_string_operators_and_their_path_forms() {
    assert!(cmp("StringEquals", json!("Hello"), json!("Hello")));
    assert!(!cmp("StringEquals", json!("\t\n"), json!("\t\r\n")));
    assert!(cmp("StringLessThan", json!("A"), json!("AB")));
    assert!(!cmp("StringLessThan", json!(""), json!("")));
    assert!(cmp("StringGreaterThan", json!("B"), json!("AB")));
    assert!(!cmp("StringGreaterThan", json!("AB"), json!("ABC")));
    assert!(cmp("StringLessThanEquals", json!(""), json!("")));
    assert!(!cmp("StringLessThanEquals", json!("AB"), json!("A")));
    assert!(cmp("StringGreaterThanEquals", json!("AB"), json!("A")));
    assert!(!cmp("StringGreaterThanEquals", json!("A"), json!("AB")));
}

#[test]
fn rule_10_8_strings_order_by_utf16_code_units_like_java() {
    // U+E000 is above the surrogates that encode U+10000 in UTF-16, below it in UTF-8.
    assert!(cmp("StringGreaterThan", json!("\u{E000}"), json!("\u{10000}")));
    assert!(!cmp("StringLessThan", json!("\u{E000}"), json!("\u{10000}")));
    assert!(!cmp("StringEquals", json!("é"), json!("e\u{301}")), "no normalisation");
}

#[test]
fn rule_10_9_numbers_compare_by_value() {
    assert!(cmp("NumericEquals", json!(1), json!(1.0)));
    assert!(cmp("NumericEquals", json!(0.0), json!(0)));
    assert!(cmp("NumericEquals", json!(2.22), json!(2.22)));
    assert!(!cmp("NumericEquals", json!(1.1), json!(1)));
    assert!(cmp("NumericLessThan", json!(1), json!(1.5)));
    assert!(cmp("NumericLessThan", json!(-2), json!(-1.5)));
    assert!(cmp("NumericGreaterThan", json!(-1), json!(-1.5)));
    assert!(cmp("NumericLessThanEquals", json!(1), json!(1.0)));
    assert!(cmp("NumericGreaterThanEquals", json!(u64::MAX), json!(-1)));
    // Exact, not through f64: 2^53 + 1 differs from the float 2^53.
    assert!(!cmp("NumericEquals", json!(9_007_199_254_740_993i64), json!(9_007_199_254_740_992.0)));
    assert!(cmp("NumericGreaterThan", json!(9_007_199_254_740_993i64), json!(9_007_199_254_740_992.0)));
    assert!(cmp("NumericLessThan", json!(i64::MAX), json!(1e300)));
}

#[test]
fn rule_10_4_boolean_equals() {
    assert!(cmp("BooleanEquals", json!(true), json!(true)));
    assert!(cmp("BooleanEquals", json!(false), json!(false)));
    assert!(!cmp("BooleanEquals", json!(false), json!(true)));
}

#[test]
fn rule_10_12_timestamps_compare_as_instants() {
    let (a, b) = (json!("2012-10-09T19:00:55Z"), json!("2012-10-09T19:00:56Z"));
    assert!(cmp("TimestampEquals", a.clone(), a.clone()));
    assert!(cmp("TimestampEquals", json!("2016-03-14T01:59:00Z"), json!("2016-03-14T02:59:00+01:00")));
    assert!(cmp("TimestampLessThan", a.clone(), b.clone()));
    assert!(cmp("TimestampGreaterThan", b.clone(), a.clone()));
    assert!(cmp("TimestampLessThanEquals", a.clone(), a.clone()));
    assert!(!cmp("TimestampGreaterThanEquals", a.clone(), b.clone()));
    assert!(cmp("TimestampGreaterThan", json!("2012-10-09T19:00:55.001Z"), a.clone()), "fractions count");
}

#[test]
fn rule_10_7_wrong_types_are_false_never_errors() {
    for v in [json!(null), json!("1"), json!(true), json!([1]), json!({"a": 1})] {
        assert!(!cmp("NumericEquals", v.clone(), json!(1)), "{v}");
        assert!(!cmp("NumericLessThan", v.clone(), json!(1)), "{v}");
    }
    for v in [json!(null), json!(1), json!(false), json!([""])] {
        assert!(!cmp("StringEquals", v.clone(), json!("")), "{v}");
    }
    assert!(!cmp("BooleanEquals", json!("true"), json!(true)));
    assert!(!cmp("BooleanEquals", json!(1), json!(true)));
    // choice_operators/test_timestamp_equals__7: a string that is not RFC 3339.
    assert!(!cmp("TimestampEquals", json!("2023-02-24 12:15:56.832957"), json!("2012-10-09T19:00:55Z")));
    assert!(!cmp("TimestampEquals", json!(0), json!("2012-10-09T19:00:55Z")));
    // Through a …Path operand the operand side can be wrong too.
    assert!(!holds(json!({"Variable": "$.v", "NumericEqualsPath": "$.o"}), json!(1), json!("1")));
}

#[test]
fn rule_10_7_the_trace_says_which_side_had_the_wrong_type() {
    let o = outcome(vec![json!({"Variable": "$.v", "NumericEqualsPath": "$.o"})], json!({"v": 1, "o": "1"}))
        .expect("no error");
    let Test::Compare(c) = &o.rules()[0].test else { panic!("a comparison") };
    assert_eq!(c.mismatch, Some(Mismatch { side: Side::Operand, compares: "numbers", found: "a string" }));
    assert_eq!(c.operand, OperandTrace::Path { path: "$.o".into(), value: json!("1") });
}

#[test]
fn rule_10_11_type_tests() {
    let is = |op: &str, v: Value, b: bool| holds(json!({"Variable": "$.v", op: b}), v, Value::Null);
    assert!(is("IsNull", json!(null), true));
    assert!(is("IsNull", json!(0), false), "IsNull false holds for a present non-null value");
    assert!(!is("IsNull", json!(null), false));
    assert!(is("IsNumeric", json!(1.1), true));
    assert!(!is("IsNumeric", json!(true), true), "booleans are not numeric");
    assert!(!is("IsNumeric", json!("1"), true));
    assert!(is("IsString", json!(""), true));
    assert!(is("IsString", json!([]), false));
    assert!(is("IsBoolean", json!(false), true));
    assert!(!is("IsBoolean", json!(false), false));
    assert!(is("IsTimestamp", json!("2012-10-09T19:00:55+01:00"), true));
    assert!(is("IsTimestamp", json!("2012-10-09T19:00:55"), false));
    assert!(is("IsTimestamp", json!(1), false));
}

#[test]
fn rule_10_6_is_present_tests_the_path() {
    let present = |input: Value, b: bool| {
        outcome(vec![json!({"Variable": "$.v", "IsPresent": b})], input).expect("no error").matched == Some(0)
    };
    assert!(present(json!({"v": null}), true));
    assert!(present(json!({}), false), "ASL-NOTES 9");
    assert!(!present(json!({}), true));
    assert!(!present(json!({"v": 0}), false));
}

#[test]
fn rule_10_6_a_variable_that_selects_nothing_is_a_runtime_error() {
    let err = outcome(vec![json!({"Variable": "$.missing", "NumericEquals": 1})], json!({})).expect_err("fails");
    assert_eq!(err.error, "States.Runtime");
    assert_eq!(err.cause, "Invalid path '$.missing': The choice state's condition path references an invalid value.");
    let err = outcome(vec![json!({"Variable": "$.v", "IsNull": true})], json!({})).expect_err("fails");
    assert_eq!(err.error, "States.Runtime", "only IsPresent may look at a missing path");
}

#[test]
fn rule_10_6_a_path_operand_that_selects_nothing_is_a_runtime_error() {
    let err =
        outcome(vec![json!({"Variable": "$.v", "StringEqualsPath": "$.nope"})], json!({"v": "a"})).expect_err("fails");
    assert_eq!(err.cause, "Invalid path '$.nope': The choice state's condition path references an invalid value.");
}

#[test]
fn rule_10_3_and_or_not_short_circuit() {
    let missing = json!({"Variable": "$.missing", "NumericEquals": 1});
    let f = json!({"Variable": "$.v", "NumericEquals": 2});
    let t = json!({"Variable": "$.v", "NumericEquals": 1});
    let input = json!({"v": 1});
    // And stops at the first false: the sub-rule that would raise is never evaluated.
    let o = outcome(vec![json!({"And": [f.clone(), missing.clone()]})], input.clone()).expect("no error");
    assert_eq!(o.matched, None);
    assert!(matches!(&o.rules()[0].test, Test::And { evaluated, skipped: 1 } if evaluated.len() == 1));
    // Or stops at the first true.
    let o = outcome(vec![json!({"Or": [t.clone(), missing.clone()]})], input.clone()).expect("no error");
    assert_eq!(o.matched, Some(0));
    // Both sides evaluated when needed, and errors surface.
    assert!(outcome(vec![json!({"And": [t.clone(), missing]})], input.clone()).is_err());
    assert_eq!(outcome(vec![json!({"And": [t.clone(), t.clone()]})], input.clone()).map(|o| o.matched), Ok(Some(0)));
    assert_eq!(outcome(vec![json!({"Or": [f.clone(), f.clone()]})], input.clone()).map(|o| o.matched), Ok(None));
    assert_eq!(outcome(vec![json!({"Not": f})], input.clone()).map(|o| o.matched), Ok(Some(0)));
    assert_eq!(outcome(vec![json!({"Not": t})], input).map(|o| o.matched), Ok(None));
}

#[test]
fn rule_10_10_string_matches() {
    let m = |p: &str, v: &str| holds(json!({"Variable": "$.v", "StringMatches": p}), json!(v), Value::Null);
    assert!(m("foo*.log", "foo23.log"));
    assert!(m("*.log", "zebra.log"));
    assert!(m(r"a\*", "a*"));
    assert!(!m(r"a\*", "ab"));
    assert!(!holds(json!({"Variable": "$.v", "StringMatches": "*"}), json!(1), Value::Null), "rule 10.7");
}

#[test]
fn rule_10_1_first_true_rule_wins_and_later_rules_are_not_evaluated() {
    let rules = vec![
        json!({"Variable": "$.v", "NumericEquals": 0}),
        json!({"Variable": "$.v", "NumericEquals": 1, "Next": "U"}),
        json!({"Variable": "$.v", "NumericEquals": 1}),
        json!({"Variable": "$.missing", "NumericEquals": 1}),
    ];
    let o = outcome(rules, json!({"v": 1})).expect("the missing path is never looked at");
    assert_eq!((o.matched, o.next.as_deref(), o.rules().len(), o.total_rules), (Some(1), Some("U"), 2, 4));
}

#[test]
fn rule_10_2_no_match_takes_default_or_nothing() {
    let rule = || vec![json!({"Variable": "$.v", "NumericEquals": 0})];
    let o = outcome_with(rule(), true, json!({"v": 1})).expect("no error");
    assert_eq!((o.matched, o.next.as_deref()), (None, Some("F")));
    let o = outcome_with(rule(), false, json!({"v": 1})).expect("no error");
    assert_eq!((o.matched, o.next), (None, None));
}

#[test]
fn rule_10_2_without_default_the_execution_fails_with_no_choice_matched() {
    let def = definition(vec![json!({"Variable": "$.v", "NumericEquals": 0})], false);
    let checked = check(&Source::new("t.json", def.to_string()));
    let m = checked.machine.expect("machine");
    let mut e = Execution::new(m.clone(), json!({"v": 1}), ExecutionConfig::default());
    let Status::Failed { error, cause } = e.run().clone() else { panic!("fails") };
    assert_eq!(error.as_deref(), Some("States.NoChoiceMatched"));
    assert!(cause.is_some_and(|c| c.starts_with("An error occurred while executing the state 'C'")));
}

#[test]
fn explanation_reads_like_the_rules_aws_docs_scenario() {
    // scenarios/test_choice_aws_docs_scenario.
    let rules = vec![
        json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}}),
        json!({"Variable": "$.value", "NumericEquals": 0}),
        json!({"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30}], "Next": "U"}),
        json!({"Variable": "$.value", "IsPresent": false}),
    ];
    let o = outcome(rules, json!({"type": "Private", "value": 22})).expect("no error");
    assert_eq!(
        o.explain(),
        "rule 1: Not → false\n  $.type (\"Private\") StringEquals \"Private\" → true\n\
         rule 2: $.value (22) NumericEquals 0 → false\n\
         rule 3: And → true\n  $.value (22) NumericGreaterThanEquals 20 → true\n  $.value (22) NumericLessThan 30 → true\n\
         (rule 4 not evaluated: the first rule that is true wins)\n\
         rule 3 matched → Next 'U'"
    );
}

#[test]
fn explanation_shows_absent_values_paths_mismatches_and_skips() {
    let rules = vec![
        json!({"Variable": "$.x", "IsPresent": true}),
        json!({"Or": [{"Variable": "$.a", "NumericEqualsPath": "$.b"}, {"Variable": "$.a", "IsNull": true}]}),
    ];
    let o = outcome(rules, json!({"a": "1", "b": 1})).expect("no error");
    assert_eq!(
        o.to_string(),
        "rule 1: $.x (absent) IsPresent true → false\n\
         rule 2: Or → false\n  $.a (\"1\") NumericEqualsPath $.b (1) → false (NumericEquals compares numbers, the variable is a string)\n\
         \x20\x20$.a (\"1\") IsNull true → false\n\
         no rule matched → Default 'F'"
    );
    let o = outcome_with(vec![json!({"Variable": "$.v", "StringEquals": "x".repeat(100)})], false, json!({"v": "y"}))
        .expect("no error");
    let text = o.explain();
    assert!(text.contains(&format!("\"{}…", "x".repeat(58))), "{text}");
    assert!(text.ends_with("no rule matched and there is no Default → States.NoChoiceMatched"));
}

#[test]
fn explanation_names_skipped_sub_rules() {
    let f = json!({"Variable": "$.v", "NumericEquals": 2});
    let o = outcome(vec![json!({"And": [f.clone(), f.clone(), f]})], json!({"v": 1})).expect("no error");
    assert_eq!(
        o.explain(),
        "rule 1: And → false\n  $.v (1) NumericEquals 2 → false\n  (2 more rules not evaluated: And stops at the first false)\n\
         no rule matched → Default 'F'"
    );
}

#[test]
fn rule_10_5_invalid_literal_operands_are_rejected_before_running() {
    let diagnostics = |rule: Value| {
        let checked = check(&Source::new("t.json", definition(vec![rule], true).to_string()));
        // Only the rule's own diagnostics (a rejected rule also leaves its target unreachable).
        let rule_level = checked.diagnostics.into_iter().filter(|d| d.pointer.contains("/Choices/"));
        rule_level.map(|d| (d.code, d.message, d.pointer)).collect::<Vec<_>>()
    };
    let d = diagnostics(json!({"Variable": "$.v", "TimestampEquals": "2016-02-30T00:00:00Z"}));
    assert_eq!(
        d,
        [(
            crate::asl::codes::BAD_TIMESTAMP,
            "'2016-02-30T00:00:00Z' does not match RFC3339 timestamp: the date does not exist".to_string(),
            "/States/C/Choices/0/TimestampEquals".to_string()
        )]
    );
    let d = diagnostics(json!({"Variable": "$.v", "StringMatches": "a\\b"}));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, crate::asl::codes::BAD_VALUE);
    assert!(d[0].1.contains("'\\b' is not an escape"), "{}", d[0].1);
}

/// The explanation of a rule reading a variable is the one of that moment, although the
/// variable changes before it is shown (rule 7.2: later states see later values).
#[test]
fn explanations_of_rules_reading_variables_keep_the_values_of_their_moment() {
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"n": 1}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$n", "NumericEquals": 1, "Next": "Bump"},
            {"Variable": "$.v", "NumericEquals": 7, "Next": "Done"}
        ], "Default": "Done"},
        "Bump": {"Type": "Pass", "Assign": {"n": 2}, "Next": "C"},
        "Done": {"Type": "Succeed"}
    }});
    let checked = check(&Source::new("t.json", def.to_string()));
    let m = checked.machine.expect("machine");
    let mut e = Execution::new(m.clone(), json!({"v": 1}), ExecutionConfig::default());
    assert!(matches!(e.run(), Status::Succeeded(_)));
    let explained: Vec<String> = e
        .stages()
        .iter()
        .filter_map(|s| match s.detail.as_deref() {
            Some(crate::asl::engine::stage::StageDetail::Choice(o)) => Some(o.explain()),
            _ => None,
        })
        .collect();
    assert_eq!(explained.len(), 2);
    assert!(explained[0].starts_with("rule 1: $n (1) NumericEquals 1 → true"), "{}", explained[0]);
    assert!(explained[1].starts_with("rule 1: $n (2) NumericEquals 1 → false"), "{}", explained[1]);
}
