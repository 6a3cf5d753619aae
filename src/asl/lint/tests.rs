//! One positive and one negative machine per lint, the allows, and the Standard-only rule.

use crate::asl::check::{Checked, check_with};
use crate::asl::codes;
use crate::asl::load::LoadOptions;
use crate::asl::source::Source;
use crate::asl::workflow::WorkflowType;

fn check_as(text: &str, workflow_type: WorkflowType, allow: &[&str]) -> Checked {
    let options = LoadOptions {
        workflow_type: Some(workflow_type),
        allow: allow.iter().map(|s| s.to_string()).collect(),
        ..LoadOptions::default()
    };
    check_with(&Source::new("m.asl.json", text), &options)
}

/// The codes found, in order.
fn codes_of(text: &str) -> Vec<&'static str> {
    check_as(text, WorkflowType::Standard, &[]).diagnostics.iter().map(|d| d.code).collect()
}

fn one_task(fields: &str) -> String {
    format!(r#"{{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", {fields}, "End": true}}}}}}"#)
}

const SQS: &str = r#""Resource": "arn:aws:states:::sqs:sendMessage""#;
const RETRY_LAMBDA: &str = r#""Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 3}]"#;

#[test]
fn timeout_missing_is_warned_at_the_state_and_a_timeout_silences_it() {
    let text = one_task(SQS);
    let checked = check_as(&text, WorkflowType::Standard, &[]);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::TIMEOUT_MISSING).expect("warned");
    assert!(!d.is_error());
    assert!(d.message.contains("'Work'"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("TimeoutSeconds")));
    let span = d.span.expect("located");
    assert_eq!(&text[span.start as usize..span.end as usize], "\"Work\"");
    assert!(codes_of(&one_task(&format!(r#"{SQS}, "TimeoutSeconds": 30"#))).is_empty());
    assert!(codes_of(&one_task(&format!(r#"{SQS}, "TimeoutSecondsPath": "$.t""#))).is_empty());
    let jsonata = r#"{"QueryLanguage": "JSONata", "StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": "{% $states.input.t %}", "End": true}}}"#;
    assert!(codes_of(jsonata).is_empty(), "an expression counts as set");
}

#[test]
fn heartbeat_missing_on_callbacks_and_activities_only() {
    let callback = r#""Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 3600"#;
    assert_eq!(codes_of(&one_task(callback)), [codes::HEARTBEAT_MISSING]);
    let activity = r#""Resource": "arn:aws:states:us-east-1:111111111111:activity:review", "TimeoutSeconds": 3600"#;
    assert_eq!(codes_of(&one_task(activity)), [codes::HEARTBEAT_MISSING]);
    assert!(codes_of(&one_task(&format!(r#"{callback}, "HeartbeatSeconds": 60"#))).is_empty());
    assert!(codes_of(&one_task(&format!(r#"{activity}, "HeartbeatSecondsPath": "$.beat""#))).is_empty());
    assert!(codes_of(&one_task(&format!(r#"{SQS}, "TimeoutSeconds": 5"#))).is_empty(), "request-response needs none");
}

#[test]
fn lambda_exceptions_unhandled_names_what_no_retrier_covers() {
    for resource in [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken\", \"HeartbeatSeconds\": \"5",
        "arn:aws:lambda:us-east-1:111111111111:function:charge",
    ] {
        let text = one_task(&format!(r#""Resource": "{resource}", "TimeoutSeconds": 30"#));
        let found = check_as(&text, WorkflowType::Standard, &[]);
        let d = found.diagnostics.iter().find(|d| d.code == codes::LAMBDA_EXCEPTIONS_UNHANDLED);
        assert!(d.is_some_and(|d| d.message.contains("'Lambda.SdkClientException'")), "{resource}: {found:?}");
    }
    let lambda = r#""Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30"#;
    assert!(codes_of(&one_task(&format!("{lambda}, {RETRY_LAMBDA}"))).is_empty());
    let task_failed = r#""Retry": [{"ErrorEquals": ["States.TaskFailed"]}]"#;
    assert!(codes_of(&one_task(&format!("{lambda}, {task_failed}"))).is_empty());
    let partial =
        r#""Retry": [{"ErrorEquals": ["Lambda.ServiceException"]}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]"#;
    let found = check_as(&one_task(&format!("{lambda}, {partial}")), WorkflowType::Standard, &[]);
    let d = found.diagnostics.iter().find(|d| d.code == codes::LAMBDA_EXCEPTIONS_UNHANDLED).expect("warned");
    assert!(!d.message.contains("'Lambda.ServiceException'"), "that one is retried: {}", d.message);
    assert!(d.message.contains("'Lambda.AWSLambdaException'"), "MaxAttempts 0 retries nothing: {}", d.message);
}

const POLL_LOOP: &str = r#"{"StartAt": "Start", "States": {
  "Start": {"Type": "Pass", "Next": "Check"},
  "Check": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 5, "Next": "Done?"},
  "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.tries", "NumericLessThan": 10, "Next": "Pause"}], "Default": "Finish"},
  "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Check"},
  "Finish": {"Type": "Succeed"}}}"#;

#[test]
fn history_quota_risk_names_the_loop_even_when_a_choice_bounds_it() {
    let checked = check_as(POLL_LOOP, WorkflowType::Standard, &[]);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::HISTORY_QUOTA_RISK).expect("warned");
    // Task 5 + Choice 2 + Wait 2 events; 25,000 / 9 rounded up.
    assert!(d.message.contains("'Check' → 'Done?' → 'Pause' → 'Check'"), "{}", d.message);
    assert!(d.message.contains("9 history events per pass"), "{}", d.message);
    assert!(d.message.contains("2,778 passes"), "{}", d.message);
    let span = d.span.expect("located");
    assert_eq!(&POLL_LOOP[span.start as usize..span.end as usize], "\"Check\"", "at the loop's first state");
    let express = check_as(POLL_LOOP, WorkflowType::Express, &[]);
    assert!(express.diagnostics.is_empty(), "Express has no history quota: {:?}", express.diagnostics);
    let straight = POLL_LOOP.replace(r#""Seconds": 30, "Next": "Check""#, r#""Seconds": 30, "Next": "Finish""#);
    assert!(codes_of(&straight).is_empty());
}

#[test]
fn loops_inside_a_parallel_branch_and_a_catch_back_edge_are_loops_too() {
    let text = r#"{"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "A"}], "Default": "C"}, "C": {"Type": "Succeed"}}},
      {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 5, "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "T"}]}}}]}}}"#;
    let checked = check_as(text, WorkflowType::Standard, &[]);
    let loops: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == codes::HISTORY_QUOTA_RISK).collect();
    assert_eq!(loops.len(), 2, "{loops:?}");
    assert!(loops[0].message.contains("'A' → 'B' → 'A'"), "{}", loops[0].message);
    assert!(loops[1].message.contains("'T' → 'T'"), "{}", loops[1].message);
}

#[test]
fn placeholder_resource_names_the_substitution_and_says_nothing_else() {
    let text = one_task(r#""Resource": "${ChargeFunctionArn}""#);
    let checked = check_as(&text, WorkflowType::Standard, &[]);
    assert_eq!(checked.diagnostics.len(), 1, "{:?}", checked.diagnostics);
    let d = &checked.diagnostics[0];
    assert_eq!(d.code, codes::PLACEHOLDER_RESOURCE);
    assert!(d.message.contains("'Work'") && d.message.contains("'${ChargeFunctionArn}'"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("--substitute ChargeFunctionArn=")));
    assert!(codes_of(&one_task(&format!(r#"{SQS}, "TimeoutSeconds": 5"#))).is_empty());
}

#[test]
fn allowed_by_the_state_comment_the_machine_comment_or_the_caller() {
    let text = one_task(&format!(r#"{SQS}, "Comment": "fire and forget. statescope:allow(timeout-missing)""#));
    assert!(codes_of(&text).is_empty());
    let other = one_task(&format!(r#"{SQS}, "Comment": "statescope:allow(heartbeat-missing)""#));
    assert_eq!(codes_of(&other), [codes::TIMEOUT_MISSING], "only the named lint is allowed");
    let machine = one_task(SQS).replacen('{', r#"{"Comment": "statescope:allow(timeout-missing)", "#, 1);
    assert!(codes_of(&machine).is_empty());
    assert!(check_as(&one_task(SQS), WorkflowType::Standard, &["timeout-missing"]).diagnostics.is_empty());
    let on_loop = POLL_LOOP.replace(
        r#""Type": "Wait","#,
        r#""Type": "Wait", "Comment": "at most 10 tries: statescope:allow(history-quota-risk)","#,
    );
    assert!(codes_of(&on_loop).is_empty(), "any state of the loop may allow it");
}

#[test]
fn express_rejects_sync_callbacks_and_activities_one_error_per_state() {
    let text = r#"{"StartAt": "Run", "States": {
      "Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "TimeoutSeconds": 60, "Next": "Ask"},
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 60, "HeartbeatSeconds": 10, "Next": "Work"},
      "Work": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:111111111111:activity:work", "TimeoutSeconds": 60, "HeartbeatSeconds": 10, "Next": "Send"},
      "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 60, "End": true}}}"#;
    let express = check_as(text, WorkflowType::Express, &[]);
    let errors: Vec<_> = express.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.iter().all(|d| d.code == codes::EXPRESS_UNSUPPORTED_INTEGRATION));
    for (d, (name, what)) in
        errors.iter().zip([("Run", "'.sync'"), ("Ask", "'.waitForTaskToken'"), ("Work", "activities")])
    {
        assert!(d.message.contains(&format!("'{name}'")) && d.message.contains(what), "{}", d.message);
    }
    assert!(express.runnable().is_none());
    assert!(check_as(text, WorkflowType::Standard, &[]).runnable().is_some());
}

/// The events per pass the lint reports are what the engine records: run the loop and count
/// the events between two entries of its first state.
#[test]
fn events_per_pass_match_the_engine_history() {
    use crate::asl::engine::history::EventKind;
    use crate::asl::engine::{Execution, ExecutionConfig};
    let text = r#"{"StartAt": "Count", "States": {
      "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Fan"},
      "Fan": {"Type": "Parallel", "ResultPath": null, "Next": "More?", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Wait", "Seconds": 1, "Next": "B3"}, "B3": {"Type": "Pass", "End": true}}}]},
      "More?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "Pause"}], "Default": "Done"},
      "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Count"},
      "Done": {"Type": "Succeed"}}}"#;
    let checked = check_as(text, WorkflowType::Standard, &[]);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::HISTORY_QUOTA_RISK).expect("warned");
    let machine = checked.machine.clone().expect("machine");
    let mut exec = Execution::new(machine, serde_json::json!({"n": 0}), ExecutionConfig::default());
    exec.run();
    let entries: Vec<usize> = exec
        .history()
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(&e.kind, EventKind::StateEntered { name, .. } if &**name == "Count"))
        .map(|(i, _)| i)
        .collect();
    assert!(entries.len() >= 3, "the loop ran: {entries:?}");
    let per_pass = entries[1] - entries[0];
    // Pass 2 + Parallel (3 + branch 1: 2, branch 2: 4) + Choice 2 + Wait 2.
    assert_eq!(per_pass, 15);
    assert!(d.message.contains(&format!("at least {per_pass} history events per pass")), "{}", d.message);
}

#[test]
fn a_cloudformation_template_gives_the_workflow_type() {
    let template = |ty: &str| {
        format!(
            "Resources:\n  Sm:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      StateMachineType: {ty}\n      Definition:\n        StartAt: Work\n        States:\n          Work:\n            Type: Task\n            Resource: arn:aws:states:us-east-1:111111111111:activity:work\n            TimeoutSeconds: 60\n            HeartbeatSeconds: 10\n            End: true\n"
        )
    };
    let check = |text: &str| check_with(&Source::new("t.yaml", text), &LoadOptions::default());
    let express = check(&template("EXPRESS"));
    assert_eq!(express.workflow_type, WorkflowType::Express);
    assert_eq!(
        express.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        [codes::EXPRESS_UNSUPPORTED_INTEGRATION]
    );
    let standard = check(&template("STANDARD"));
    assert_eq!(standard.workflow_type, WorkflowType::Standard);
    assert!(standard.diagnostics.is_empty(), "{:?}", standard.diagnostics);
    let typo = check(&template("EXPRES"));
    assert!(
        typo.diagnostics.iter().any(|d| d.code == codes::TEMPLATE && d.is_error() && d.message.contains("'EXPRES'"))
    );
    let parameter = check(&template("!Ref MachineType"));
    assert_eq!(parameter.workflow_type, WorkflowType::Standard);
    assert!(
        parameter.diagnostics.iter().any(|d| d.code == codes::TEMPLATE && !d.is_error()),
        "{:?}",
        parameter.diagnostics
    );
    let forced = check_with(
        &Source::new("t.yaml", template("!Ref MachineType")),
        &LoadOptions { workflow_type: Some(WorkflowType::Express), ..LoadOptions::default() },
    );
    assert_eq!(forced.workflow_type, WorkflowType::Express, "--type decides over the template");
}

#[test]
fn a_literal_definition_substitution_gives_the_real_resource() {
    let template = |subs: &str| {
        format!(
            "Resources:\n  Sm:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n{subs}      Definition:\n        StartAt: Work\n        States:\n          Work:\n            Type: Task\n            Resource: ${{ChargeArn}}\n            TimeoutSeconds: 30\n            End: true\n"
        )
    };
    let check = |text: &str| {
        let checked = check_with(&Source::new("t.yaml", text), &LoadOptions::default());
        checked.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    let literal =
        "      DefinitionSubstitutions:\n        ChargeArn: arn:aws:lambda:us-east-1:111111111111:function:charge\n";
    assert_eq!(check(&template(literal)), [codes::LAMBDA_EXCEPTIONS_UNHANDLED], "linted as the Lambda it is");
    let found = check(&template(""));
    assert!(found.contains(&codes::PLACEHOLDER_RESOURCE), "{found:?}");
    assert!(!found.contains(&codes::LAMBDA_EXCEPTIONS_UNHANDLED), "unknown integration: no guesses: {found:?}");
}
