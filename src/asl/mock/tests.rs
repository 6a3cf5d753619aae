use serde_json::json;

use super::*;
use crate::asl::codes;
use crate::asl::engine::tasks::{TaskRequest, TaskSource};

const CONFIG: &str = r#"{
  "StateMachines": {
    "Orders": {
      "TestCases": {
        "HappyPath": {"Charge": "ChargeOk"},
        "Retry": {"Charge": "Flaky"}
      }
    }
  },
  "MockedResponses": {
    "ChargeOk": {"0": {"Return": {"id": 1}}},
    "Flaky": {
      "0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
      "2": {"Return": {"id": 2}}
    }
  }
}"#;

fn request(state: &str, invocation: u32) -> TaskRequest {
    TaskRequest {
        state: state.into(),
        location: String::new(),
        resource: "arn:aws:states:::lambda:invoke".into(),
        input: std::sync::Arc::new(json!({})),
        invocation,
        token: None,
    }
}

#[test]
fn parses_sfn_local_format_and_answers_by_invocation() {
    let parsed = parse_mock_config(CONFIG);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let config = parsed.config.expect("config");
    assert_eq!(config.machine(None).expect("only machine").name, "Orders");
    let source = MockSource::new(&config, None, "Retry").expect("test case");
    let busy = TaskAnswer::Throw { error: "Lambda.ServiceException".into(), cause: Some("busy".into()) };
    assert_eq!(source.answer(&request("Charge", 0)), Some(busy.clone()));
    assert_eq!(source.answer(&request("Charge", 1)), Some(busy));
    assert_eq!(source.answer(&request("Charge", 2)), Some(TaskAnswer::Return(json!({"id": 2}))));
    // Past the last range the last answer repeats.
    assert_eq!(source.answer(&request("Charge", 7)), Some(TaskAnswer::Return(json!({"id": 2}))));
    assert_eq!(source.answer(&request("Ship", 0)), None);
}

#[test]
fn unknown_machine_and_test_case_are_errors() {
    let config = parse_mock_config(CONFIG).config.expect("config");
    assert!(matches!(config.machine(Some("Nope")), Err(MockError::UnknownMachine { .. })));
    assert!(matches!(MockSource::new(&config, None, "Sad"), Err(MockError::UnknownTestCase { .. })));
}

#[test]
fn bad_ranges_unknown_responses_and_shapes_are_diagnostics_with_spans() {
    let text = r#"{"StateMachines": {"M": {"TestCases": {"T": {"A": "Missing", "B": "R"}}}},
 "MockedResponses": {"R": {"0": {"Return": 1}, "2": {"Return": 2}, "x-1": {"Return": 3}, "3": {"Thrown": {}}}}}"#;
    let parsed = parse_mock_config(text);
    let found: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert!(found.contains(&codes::MOCK_UNKNOWN_RESPONSE), "{found:?}");
    assert!(found.contains(&codes::MOCK_BAD_RANGE), "{found:?}");
    assert!(found.contains(&codes::MOCK_FORMAT), "{found:?}");
    let unknown = parsed.diagnostics.iter().find(|d| d.code == codes::MOCK_UNKNOWN_RESPONSE).expect("diagnostic");
    let span = unknown.span.expect("span");
    assert_eq!(&text[span.start as usize..span.end as usize], "\"Missing\"");
    let gap = parsed.diagnostics.iter().find(|d| d.message.contains("no answer")).expect("gap reported");
    let span = gap.span.expect("span");
    assert_eq!(&text[span.start as usize..span.end as usize], "\"2\"");
}

#[test]
fn states_are_checked_against_the_definition_including_nested_ones() {
    let definition = r#"{"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}], "Next": "Done"},
      "Done": {"Type": "Pass", "End": true}}}"#;
    let checked = crate::asl::check::check(&crate::asl::source::Source::new("d.json", definition));
    let machine = checked.runnable().expect("runnable");
    let mocks = r#"{"StateMachines": {"M": {"TestCases": {"T": {"Inner": "R", "Done": "R", "Innr": "R"}}}},
      "MockedResponses": {"R": {"0": {"Return": 1}}}}"#;
    let config = parse_mock_config(mocks).config.expect("config");
    let found = check_against(config.machine(None).expect("machine"), machine);
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(found.len(), 2, "{messages:?}");
    assert!(messages[0].contains("'Done', a Pass state"), "{messages:?}");
    assert_eq!(found[1].help.as_deref(), Some("did you mean 'Inner'?"));
}

#[test]
fn recorded_answers_write_out_as_a_mock_config_that_loads_and_answers_the_same() {
    let mut answers = crate::asl::engine::tasks::RecordedAnswers::default();
    let busy = TaskAnswer::Throw { error: "Lambda.ServiceException".into(), cause: None };
    answers.record("Charge", 0, busy.clone());
    answers.record("Charge", 1, busy.clone());
    answers.record("Charge", 2, TaskAnswer::Return(json!({"id": 7})));
    answers.record("Ship", 0, TaskAnswer::Return(json!("sent")));
    let written = to_mock_config("Orders", "Session", answers.iter());
    assert_eq!(
        written["MockedResponses"]["Charge (Session)"]["0-1"],
        json!({"Throw": {"Error": "Lambda.ServiceException"}})
    );
    let parsed = parse_mock_config(&written.to_string());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let source = MockSource::new(&parsed.config.expect("config"), Some("Orders"), "Session").expect("case");
    for (state, invocation, answer) in answers.iter() {
        assert_eq!(source.answer(&request(state, invocation)).as_ref(), Some(answer));
    }
}

proptest::proptest! {
    /// Whatever the text, parsing reports instead of panicking, and every diagnostic renders
    /// with a position that starts inside the text.
    #[test]
    fn any_text_parses_without_panicking(text in "[{}\\[\\]\":,0-9a-zA-Z -]{0,80}") {
        let parsed = parse_mock_config(&text);
        let source = crate::asl::source::Source::new("m.json", text.clone());
        let index = crate::asl::source::LineIndex::new(&text);
        for d in &parsed.diagnostics {
            if let Some(span) = d.span {
                proptest::prop_assert!(span.start as usize <= text.len());
            }
            proptest::prop_assert!(crate::asl::diagnostic::render(&source, &index, d).starts_with("m.json"));
        }
    }

    /// Any well-formed range key answers exactly its invocations.
    #[test]
    fn range_keys_answer_their_invocations(first in 0u32..50, len in 0u32..50) {
        let last = first + len;
        let mut steps = String::new();
        if first > 0 {
            steps.push_str(&format!("\"0-{}\": {{\"Return\": \"before\"}}, ", first - 1));
        }
        steps.push_str(&format!("\"{first}-{last}\": {{\"Return\": \"in\"}}, \"{}\": {{\"Return\": \"after\"}}", last + 1));
        let text = format!(r#"{{"StateMachines": {{"M": {{"TestCases": {{"T": {{"S": "R"}}}}}}}}, "MockedResponses": {{"R": {{{steps}}}}}}}"#);
        let parsed = parse_mock_config(&text);
        proptest::prop_assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let config = parsed.config.expect("config");
        let source = MockSource::new(&config, None, "T").expect("case");
        proptest::prop_assert_eq!(source.answer(&request("S", first)), Some(TaskAnswer::Return(json!("in"))));
        proptest::prop_assert_eq!(source.answer(&request("S", last)), Some(TaskAnswer::Return(json!("in"))));
        proptest::prop_assert_eq!(source.answer(&request("S", last + 1)), Some(TaskAnswer::Return(json!("after"))));
    }
}
