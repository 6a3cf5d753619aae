//! Checklist 8.11 (issue 2): JSONata in `{% %}` strings is parsed at load time; a syntax error
//! is an ASL206 diagnostic whose span is the offending character inside the string.

use statescope::asl::check::check;
use statescope::asl::codes;
use statescope::asl::source::Source;

fn machine(states: &str) -> String {
    format!(r#"{{"QueryLanguage": "JSONata", "StartAt": "A", "States": {{{states}}}}}"#)
}

/// (byte offset of the span start, message) for every ASL206 diagnostic.
fn syntax_errors(text: &str) -> Vec<(usize, String)> {
    check(&Source::new("definition.json", text.to_string()))
        .diagnostics
        .iter()
        .filter(|d| d.code == codes::JSONATA_SYNTAX)
        .map(|d| (d.span.map_or(usize::MAX, |s| s.start as usize), d.message.clone()))
        .collect()
}

#[test]
fn rule_8_11_the_span_points_at_the_bad_token_inside_the_string() {
    let text = machine(r#""A": {"Type": "Pass", "Output": {"x": "{%  $states.input.price * ) %}"}, "End": true}"#);
    let errors = syntax_errors(&text);
    let at = text.find("* )").map(|i| i + 2);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(Some(errors[0].0), at);
    assert!(errors[0].1.contains("S0211"), "{}", errors[0].1);
}

#[test]
fn rule_8_11_positions_count_characters_not_bytes() {
    let text = machine(r#""A": {"Type": "Pass", "Output": "{% 'é' & [1,2) %}", "End": true}"#);
    let errors = syntax_errors(&text);
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), vec![text.find("2)").map_or(0, |i| i + 1)]);
}

#[test]
fn rule_8_11_every_jsonata_field_is_parsed() {
    let text = machine(
        r#""A": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.a = %}", "Next": "W"}], "Default": "W"},
           "W": {"Type": "Wait", "Seconds": "{% ( %}", "Next": "T"},
           "T": {"Type": "Wait", "Timestamp": "{% $now( %}", "Next": "F"},
           "F": {"Type": "Fail", "Error": "{% 'E' & %}", "Cause": "{% [1,2 %}"}"#,
    );
    assert_eq!(syntax_errors(&text).len(), 5, "{:?}", syntax_errors(&text));
}

#[test]
fn valid_expressions_give_no_diagnostic() {
    let text = machine(
        r#""A": {"Type": "Pass", "Output": {"total": "{% $sum($states.input.items.(price * qty)) %}",
           "names": ["{% $states.input.items[price > 10].name %}"]}, "End": true}"#,
    );
    assert_eq!(syntax_errors(&text), vec![]);
}

#[test]
fn checklist_8_3_aws_runs_jsonata_2_0_without_coalescing_operators() {
    let text = machine(r#""A": {"Type": "Pass", "Output": "{% $states.input.a ?? 0 %}", "End": true}"#);
    assert_eq!(syntax_errors(&text).len(), 1);
}

#[test]
fn a_regex_literal_that_does_not_compile_is_a_warning_at_its_position_and_fails_when_evaluated() {
    // Look-behind is JavaScript regex syntax this engine's regex crate does not support.
    let text = machine(r#""A": {"Type": "Pass", "Output": "{% $match('abc', /a(?<=b)c/) %}", "End": true}"#);
    let checked = check(&Source::new("definition.json", text.clone()));
    let found: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == codes::JSONATA_SYNTAX).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(!found[0].is_error(), "a warning: the definition still runs");
    assert_eq!(found[0].span.map(|s| s.start as usize), text.find("/a(?<="), "points at the literal");
    assert!(found[0].message.contains("look-around"), "{}", found[0].message);
    let machine = checked.runnable().expect("runnable").clone();
    let mut exec = statescope::asl::engine::Execution::new(machine, serde_json::json!({}), Default::default());
    let statescope::asl::engine::Status::Failed { error, cause } = exec.run().clone() else { panic!("must fail") };
    assert_eq!(error.as_deref(), Some("States.QueryEvaluationError"));
    assert!(cause.is_some_and(|c| c.contains("S0303: Invalid regular expression")));
}
