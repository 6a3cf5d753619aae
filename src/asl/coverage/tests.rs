//! Coverage of a machine whose untaken branches are known.

use std::sync::Arc;

use serde_json::{Value, json};

use super::Coverage;
use crate::asl::check::check;
use crate::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig};
use crate::asl::source::Source;

/// `Charge` fails once with `Busy`, then answers.
struct BusyOnce;

impl TaskSource for BusyOnce {
    fn answer(&self, r: &TaskRequest) -> Option<TaskAnswer> {
        Some(if r.invocation == 0 {
            TaskAnswer::Throw { error: "Busy".into(), cause: None }
        } else {
            TaskAnswer::Return(json!({"ok": true}))
        })
    }
}

fn machine() -> Value {
    json!({"StartAt": "Size?", "States": {
        "Size?": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 100, "Next": "Big"},
            {"Variable": "$.n", "NumericLessThan": 0, "Next": "Refund"}], "Default": "Charge"},
        "Big": {"Type": "Pass", "Next": "Charge"},
        "Refund": {"Type": "Pass", "End": true},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Retry": [{"ErrorEquals": ["Busy"]}, {"ErrorEquals": ["States.Timeout"]}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}], "End": true}}})
}

fn covered(inputs: &[Value]) -> Coverage {
    let checked = check(&Source::new("t.json", machine().to_string()));
    let m = checked.runnable().expect("runnable").clone();
    let mut c = Coverage::new(&m);
    for input in inputs {
        let mut e = Execution::with_tasks(
            m.clone(),
            input.clone(),
            ExecutionConfig::default(),
            Arc::new(BusyOnce),
            RecordedAnswers::default(),
        );
        e.run();
        c.record(e.stages().iter());
    }
    c
}

#[test]
fn untaken_rules_catches_and_retries_and_unreached_states_are_listed() {
    let c = covered(&[json!({"n": 500})]);
    assert_eq!(c.unreached(), ["Refund"]);
    let untaken: Vec<String> = c.untaken().iter().map(|t| t.to_string()).collect();
    assert_eq!(
        untaken,
        [
            "Choice 'Size?' rule 2 → 'Refund'",
            "Choice 'Size?' Default → 'Charge'",
            "'Charge' Catch 1 [States.ALL] → 'Refund'",
            "'Charge' Retry 2 [States.Timeout]",
        ]
    );
    // 3 of 4 states, 2 of 6 transitions (rule 1, Retry 1).
    assert!((c.percent() - 50.0).abs() < 1e-9, "{}", c.percent());
    assert_eq!(c.states().iter().find(|(s, _)| s == "Charge").map(|(_, n)| *n), Some(1), "one visit, retried");
    let j = c.to_json();
    assert_eq!(j["states"], json!({"covered": 3, "total": 4, "unreached": ["Refund"]}));
    assert_eq!(j["transitions"]["covered"], 2);
}

#[test]
fn coverage_adds_up_over_executions() {
    let c = covered(&[json!({"n": 500}), json!({"n": -1}), json!({"n": 5})]);
    assert!(c.unreached().is_empty());
    let untaken: Vec<String> = c.untaken().iter().map(|t| t.to_string()).collect();
    assert_eq!(untaken, ["'Charge' Catch 1 [States.ALL] → 'Refund'", "'Charge' Retry 2 [States.Timeout]"]);
}
