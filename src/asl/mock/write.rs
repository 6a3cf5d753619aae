//! Answers given during a run (recorded by the debugger) written out as a mock config, so a
//! session's task results can be replayed with `--mock-config` or by Step Functions Local.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::asl::engine::tasks::TaskAnswer;

/// A `MockConfigFile` with one test case whose states answer as given. Each state gets a
/// response named `<state> (<test case>)`; runs of equal answers on consecutive invocations
/// become one range (`"1-3"`). Invocations must follow on from 0 for the file to load again.
pub fn to_mock_config<'a>(
    machine: &str,
    test_case: &str,
    answers: impl IntoIterator<Item = (&'a str, u32, &'a TaskAnswer)>,
) -> Value {
    let mut per_state: BTreeMap<&str, Vec<(u32, &TaskAnswer)>> = BTreeMap::new();
    for (state, invocation, answer) in answers {
        per_state.entry(state).or_default().push((invocation, answer));
    }
    let mut case = Map::new();
    let mut responses = Map::new();
    for (state, mut list) in per_state {
        list.sort_by_key(|(i, _)| *i);
        let name = format!("{state} ({test_case})");
        let mut steps = Map::new();
        let mut run: Option<(u32, u32, &TaskAnswer)> = None;
        for (i, answer) in list {
            run = match run {
                Some((first, last, a)) if a == answer && last + 1 == i => Some((first, i, a)),
                Some(done) => {
                    push_step(&mut steps, done);
                    Some((i, i, answer))
                }
                None => Some((i, i, answer)),
            };
        }
        if let Some(done) = run {
            push_step(&mut steps, done);
        }
        case.insert(state.to_string(), json!(name));
        responses.insert(name, Value::Object(steps));
    }
    json!({
        "StateMachines": {machine: {"TestCases": {test_case: case}}},
        "MockedResponses": responses,
    })
}

fn push_step(steps: &mut Map<String, Value>, (first, last, answer): (u32, u32, &TaskAnswer)) {
    let key = if first == last { first.to_string() } else { format!("{first}-{last}") };
    let value = match answer {
        TaskAnswer::Return(v) => json!({"Return": v}),
        TaskAnswer::Throw { error, cause: Some(c) } => json!({"Throw": {"Error": error, "Cause": c}}),
        TaskAnswer::Throw { error, cause: None } => json!({"Throw": {"Error": error}}),
    };
    steps.insert(key, value);
}
