//! Generated machines for the graph layout tests and bench: long chains with Choice fan-outs
//! and loops, Catch edges to handlers and to a shared Fail state, a self-loop, and a Parallel
//! holding a Map holding a Parallel. Deterministic: the same `count` gives the same text.

use serde_json::{Map, Value, json};

fn name(i: usize) -> String {
    format!("S{i:03}")
}

/// A machine with a chain of `count` top-level steps (plus handlers and a nested container).
pub fn stress(count: usize) -> String {
    let last = count - 1;
    let to = |i: usize| name(i.min(last));
    let mut states = Map::new();
    for i in 0..count {
        let state = if i == last {
            json!({"Type": "Succeed"})
        } else if i == 25 {
            nested(&to(i + 1))
        } else if i % 10 == 3 {
            let mut choices = vec![
                json!({"Variable": "$.n", "NumericGreaterThan": i, "Next": to(i + 2)}),
                json!({"Variable": "$.kind", "StringEquals": "b", "Next": to(i + 4)}),
                json!({"And": [
                    {"Variable": "$.a", "IsPresent": true},
                    {"Variable": "$.b", "BooleanEquals": false}
                ], "Next": to(i + 5)}),
            ];
            if i >= 3 {
                choices.push(json!({"Variable": "$.again", "BooleanEquals": true, "Next": name(i - 3)}));
            }
            json!({"Type": "Choice", "Choices": choices, "Default": to(i + 1)})
        } else if i % 10 == 6 {
            states.insert(format!("Recover {i:03}"), json!({"Type": "Pass", "Next": to(i + 2)}));
            json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Next": to(i + 1),
                "Catch": [
                    {"ErrorEquals": ["States.Timeout"], "Next": format!("Recover {i:03}")},
                    {"ErrorEquals": ["States.ALL"], "Next": "Failed"}
                ]
            })
        } else if i == 19 {
            json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Next": to(i + 1),
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": name(i)}]
            })
        } else if i % 10 == 8 {
            json!({"Type": "Wait", "Seconds": 1, "Next": to(i + 1)})
        } else {
            json!({"Type": "Pass", "Next": to(i + 1)})
        };
        states.insert(name(i), state);
    }
    states.insert("Failed".into(), json!({"Type": "Fail", "Error": "Stress.Failed"}));
    let machine = json!({"Comment": format!("stress {count}"), "StartAt": name(0), "States": Value::Object(states)});
    serde_json::to_string_pretty(&machine).unwrap_or_default()
}

/// Parallel ⊃ Map ⊃ Parallel, with a Catch on the outer Parallel.
fn nested(next: &str) -> Value {
    let pair = |a: &str, b: &str| {
        json!({"StartAt": a, "States": {
            a: {"Type": "Pass", "Next": b},
            b: {"Type": "Pass", "End": true}
        }})
    };
    json!({
        "Type": "Parallel",
        "Next": next,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
        "Branches": [
            {"StartAt": "Each item", "States": {
                "Each item": {
                    "Type": "Map",
                    "End": true,
                    "ItemProcessor": {"StartAt": "Inner fan", "States": {
                        "Inner fan": {"Type": "Parallel", "Next": "Item done", "Branches": [
                            pair("Left A", "Left B"),
                            pair("Right A", "Right B")
                        ]},
                        "Item done": {"Type": "Pass", "End": true}
                    }}
                }
            }},
            {"StartAt": "Side task", "States": {
                "Side task": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Next": "Side check",
                    "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]
                },
                "Side check": {"Type": "Choice", "Choices": [
                    {"Variable": "$.done", "BooleanEquals": false, "Next": "Side task"}
                ], "Default": "Side end"},
                "Side end": {"Type": "Succeed"}
            }}
        ]
    })
}
