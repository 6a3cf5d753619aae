//! Histories in AWS's GetExecutionHistory shape (issue 16): export → replay round trips over
//! the AWS-recorded corpus (`../shared/conformance`, read in place; skipped loudly when absent)
//! and every sample machine; the corpus's own recorded events, rewritten in AWS's shape, replay
//! to the recorded outcome with task results from the history alone; and `statescope replay`
//! through the binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use crate::support::{cases, matches, python_json, read_json, status_json, unmask};
use serde_json::{Map, Value, json};
use statescope::asl::check::check;
use statescope::asl::engine::history::aws::{AwsHistoryOptions, aws_events, details_key};
use statescope::asl::engine::replay::{from_events, parse_history, replay};
use statescope::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use statescope::asl::engine::{Execution, ExecutionConfig, Status};
use statescope::asl::mock::{MockSource, parse_mock_config};
use statescope::asl::source::Source;

/// Groups whose cases carry a recorded history (`choice_operators` recorded only outputs).
const GROUPS: &[&str] = &[
    "assign",
    "base",
    "comments",
    "context_object",
    "error_handling",
    "evaluate_jsonata",
    "intrinsic_functions",
    "outputdecl",
    "query_language",
    "scenarios",
    "with-tasks",
];

/// Round-trip floor: cases whose export replays to the same events with no divergence.
const ROUND_TRIP_FLOOR: usize = 978;
/// Recorded-history floor: cases whose AWS-recorded events replay to the recorded outcome.
const RECORDED_FLOOR: usize = 483;
/// Of those, `with-tasks` cases (task results from the history alone, no mock config).
const RECORDED_WITH_TASKS_FLOOR: usize = 82;

/// `HistoryEvent.type`'s valid values, from the Step Functions API reference.
const AWS_TYPES: &[&str] = &[
    "ActivityFailed",
    "ActivityScheduled",
    "ActivityScheduleFailed",
    "ActivityStarted",
    "ActivitySucceeded",
    "ActivityTimedOut",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "ExecutionAborted",
    "ExecutionFailed",
    "ExecutionStarted",
    "ExecutionSucceeded",
    "ExecutionTimedOut",
    "FailStateEntered",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionScheduleFailed",
    "LambdaFunctionStarted",
    "LambdaFunctionStartFailed",
    "LambdaFunctionSucceeded",
    "LambdaFunctionTimedOut",
    "MapIterationAborted",
    "MapIterationFailed",
    "MapIterationStarted",
    "MapIterationSucceeded",
    "MapStateAborted",
    "MapStateEntered",
    "MapStateExited",
    "MapStateFailed",
    "MapStateStarted",
    "MapStateSucceeded",
    "ParallelStateAborted",
    "ParallelStateEntered",
    "ParallelStateExited",
    "ParallelStateFailed",
    "ParallelStateStarted",
    "ParallelStateSucceeded",
    "PassStateEntered",
    "PassStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "TaskFailed",
    "TaskScheduled",
    "TaskStarted",
    "TaskStartFailed",
    "TaskStateAborted",
    "TaskStateEntered",
    "TaskStateExited",
    "TaskSubmitFailed",
    "TaskSubmitted",
    "TaskSucceeded",
    "TaskTimedOut",
    "WaitStateAborted",
    "WaitStateEntered",
    "WaitStateExited",
    "MapRunAborted",
    "MapRunFailed",
    "MapRunStarted",
    "MapRunSucceeded",
    "ExecutionRedriven",
    "MapRunRedriven",
    "EvaluationFailed",
];

/// `HistoryEvent`'s details members, from the API reference.
const AWS_DETAILS: &[&str] = &[
    "activityFailedEventDetails",
    "activityScheduleFailedEventDetails",
    "activityScheduledEventDetails",
    "activityStartedEventDetails",
    "activitySucceededEventDetails",
    "activityTimedOutEventDetails",
    "taskFailedEventDetails",
    "taskScheduledEventDetails",
    "taskStartFailedEventDetails",
    "taskStartedEventDetails",
    "taskSubmitFailedEventDetails",
    "taskSubmittedEventDetails",
    "taskSucceededEventDetails",
    "taskTimedOutEventDetails",
    "executionFailedEventDetails",
    "executionStartedEventDetails",
    "executionSucceededEventDetails",
    "executionAbortedEventDetails",
    "executionTimedOutEventDetails",
    "executionRedrivenEventDetails",
    "mapStateStartedEventDetails",
    "mapIterationStartedEventDetails",
    "mapIterationSucceededEventDetails",
    "mapIterationFailedEventDetails",
    "mapIterationAbortedEventDetails",
    "lambdaFunctionFailedEventDetails",
    "lambdaFunctionScheduleFailedEventDetails",
    "lambdaFunctionScheduledEventDetails",
    "lambdaFunctionStartFailedEventDetails",
    "lambdaFunctionSucceededEventDetails",
    "lambdaFunctionTimedOutEventDetails",
    "stateEnteredEventDetails",
    "stateExitedEventDetails",
    "mapRunStartedEventDetails",
    "mapRunFailedEventDetails",
    "mapRunRedrivenEventDetails",
    "evaluationFailedEventDetails",
];

/// Every exported event has AWS's members only: a valid type and (if any) its details member.
fn check_shape(events: &[Value]) -> Result<(), String> {
    for e in events {
        let t = e["type"].as_str().unwrap_or_default();
        if !AWS_TYPES.contains(&t) {
            return Err(format!("event type {t} is not one of AWS's"));
        }
        for k in e.as_object().into_iter().flat_map(|o| o.keys()) {
            let known = ["id", "previousEventId", "timestamp", "type"].contains(&k.as_str());
            if !known && (!AWS_DETAILS.contains(&k.as_str()) || *k != details_key(t)) {
                return Err(format!("{t} has member {k}, not AWS's"));
            }
        }
    }
    Ok(())
}

/// Answers a task with something derived from the request, different per invocation, so a
/// replay that took the wrong recorded result would show it.
struct Derived;

impl TaskSource for Derived {
    fn answer(&self, r: &TaskRequest) -> Option<TaskAnswer> {
        if r.invocation % 3 == 2 {
            return Some(TaskAnswer::Throw { error: "Flaky".into(), cause: Some(format!("call {}", r.invocation)) });
        }
        Some(TaskAnswer::Return(json!({"Payload": &*r.input, "call": r.invocation, "state": r.state})))
    }
}

fn name_of(case: &Path) -> String {
    case.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string()
}

/// Exports one execution and replays it; `Err` says how the round trip failed.
fn round_trip(
    machine: &Arc<statescope::asl::definition::StateMachine>,
    input: Value,
    tasks: Arc<dyn TaskSource>,
) -> Result<(), String> {
    let mut exec =
        Execution::with_tasks(machine.clone(), input, ExecutionConfig::default(), tasks, RecordedAnswers::default());
    let status = exec.run().clone();
    let events = aws_events(exec.history(), &AwsHistoryOptions::default());
    check_shape(&events)?;
    let text = serde_json::to_string_pretty(&json!({"events": events})).map_err(|e| e.to_string())?;
    let recorded = parse_history(&text).map_err(|e| e.to_string())?;
    let report = replay(machine, &recorded, ExecutionConfig::default()).map_err(|e| e.to_string())?;
    if let Some(d) = report.divergence {
        return Err(format!("divergence at event {}: {}", d.event_id, d.reason));
    }
    if matches!(status, Status::AwaitingTask(_)) {
        // The export itself waited for a task: the replay must stop at the same one.
        return if report.status == status { Ok(()) } else { Err(format!("{:?} vs {:?}", report.status, status)) };
    }
    if !report.unreconstructed.is_empty() {
        return Err(format!("not reconstructed: {:?}", report.unreconstructed));
    }
    if report.status != status {
        return Err(format!("status {:?}, the recording {:?}", report.status, status));
    }
    if report.events != events {
        let at = report.events.iter().zip(&events).position(|(a, b)| a != b).unwrap_or(events.len());
        return Err(format!("events differ from #{}", at + 1));
    }
    Ok(())
}

#[test]
fn every_corpus_case_round_trips_through_an_aws_history() {
    if crate::support::conformance_or_skip("every_corpus_case_round_trips_through_an_aws_history").is_none() {
        return;
    }
    let (mut ok, mut child, mut failed) = (0usize, 0usize, Vec::new());
    for group in GROUPS.iter().chain(["choice_operators"].iter()) {
        for case in cases(group) {
            let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
            let checked = check(&Source::new("definition.json", text));
            let Some(machine) = checked.runnable() else { continue };
            let input = read_json(&case.join("input.json"));
            match round_trip(machine, input, Arc::new(Derived)) {
                Ok(()) => ok += 1,
                // AWS keeps a Distributed Map's iterations in child executions' own histories:
                // the parent's export cannot hold their task results, and the replay says so.
                Err(why) if why.contains("child execution of the DISTRIBUTED Map") => child += 1,
                Err(why) => failed.push(format!("{group}/{}: {why}", name_of(&case))),
            }
        }
    }
    eprintln!(
        "round trip: {ok} cases replayed with the same events and no divergence; {child} stopped at a Distributed \
         Map's child execution (as they should); {} failed",
        failed.len()
    );
    for f in &failed {
        eprintln!("  {f}");
    }
    assert!(failed.is_empty(), "{} round trips failed", failed.len());
    assert!(ok >= ROUND_TRIP_FLOOR);
}

/// The corpus's normalised events (`{type, details}`, payloads parsed, ids dropped) rewritten
/// as AWS's `GetExecutionHistory` shows them: numbered, payloads as JSON text, each details
/// object under its own name. The execution input is input.json (the corpus masked names in
/// the recorded one).
fn aws_shape(expected: &Value, input: &Value) -> Vec<Value> {
    let empty = Vec::new();
    let events = expected["events"].as_array().unwrap_or(&empty);
    let mut out = Vec::with_capacity(events.len());
    // Causes the corpus re-parsed, by value → the text a task event carried: an execution that
    // fails with a task's error repeats its cause verbatim.
    let mut cause_texts: Vec<(Value, String)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let t = e["type"].as_str().unwrap_or_default();
        let mut d: Map<String, Value> = e["details"].as_object().cloned().unwrap_or_default();
        if t == "ExecutionStarted" {
            d.insert("input".into(), input.clone());
        }
        for k in ["input", "output", "parameters"] {
            if let Some(v) = d.get(k) {
                d.insert(k.into(), Value::String(v.to_string()));
                if k != "parameters" {
                    d.insert(format!("{k}Details"), json!({"truncated": false}));
                }
            }
        }
        if let Some(c) = d.get("cause").filter(|c| !c.is_string()).cloned() {
            let text = match cause_texts.iter().find(|(v, _)| *v == c) {
                Some((_, t)) => t.clone(),
                None if t.starts_with("LambdaFunction") => python_json(&c),
                None => c.to_string(),
            };
            cause_texts.push((c, text.clone()));
            d.insert("cause".into(), Value::String(text));
        }
        // `assignedVariables` values are JSON text in the corpus already, as AWS sends them.
        let mut event =
            json!({"id": i + 1, "previousEventId": i, "timestamp": "2026-01-01T00:00:00.000000+00:00", "type": t});
        if !d.is_empty() {
            event[details_key(t)] = Value::Object(d);
        }
        out.push(event);
    }
    out
}

/// Outcome as check.py compares it, with the corpus's wildcards.
fn same_outcome(expected: &Value, got: &Value) -> bool {
    let mut ok = expected["status"] == got["status"];
    for k in ["output", "error", "cause"] {
        if let Some(want) = expected.get(k) {
            let have = got.get(k).cloned().unwrap_or(Value::Null);
            // A cause AWS recorded as JSON text appears parsed in the corpus.
            let have = match (want, &have) {
                (Value::Object(_) | Value::Array(_), Value::String(s)) => {
                    serde_json::from_str(s).unwrap_or(have.clone())
                }
                _ => have,
            };
            ok &= matches(want, &have);
        }
    }
    ok
}

#[test]
fn the_corpus_recorded_histories_replay_to_the_recorded_outcome() {
    if crate::support::conformance_or_skip("the_corpus_recorded_histories_replay_to_the_recorded_outcome").is_none() {
        return;
    }
    let verbose = std::env::var_os("STATESCOPE_CONFORMANCE_VERBOSE").is_some();
    let (mut replayed, mut outcome_ok, mut tasks_ok, mut task_cases, mut diverged, mut stopped) = (0, 0, 0, 0, 0, 0);
    let mut masked_only = 0;
    let mut largest: (usize, String, f64) = (0, String::new(), 0.0);
    for group in GROUPS {
        for case in cases(group) {
            let expected = unmask(&read_json(&case.join("expected.json")));
            if !matches!(expected["status"].as_str(), Some("SUCCEEDED" | "FAILED")) || expected.get("events").is_none()
            {
                continue;
            }
            let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
            let checked = check(&Source::new("definition.json", text));
            let Some(machine) = checked.runnable() else { continue };
            let events = aws_shape(&expected, &read_json(&case.join("input.json")));
            let count = events.len();
            let history = from_events(events).expect("converted history");
            let started = Instant::now();
            let report = replay(machine, &history, ExecutionConfig::default()).expect("replay");
            let took = started.elapsed().as_secs_f64() * 1000.0;
            if count > largest.0 {
                largest = (count, format!("{group}/{}", name_of(&case)), took);
            }
            replayed += 1;
            let got = status_json(&report.status);
            let ok = same_outcome(&expected, &got);
            outcome_ok += usize::from(ok);
            if *group == "with-tasks" {
                task_cases += 1;
                tasks_ok += usize::from(ok);
            }
            // The corpus replaced values that differ per run (times, ARNs, random numbers) with
            // placeholders: a divergence whose recorded side is such a placeholder is masking.
            let masked =
                report.divergence.as_ref().is_some_and(|d| d.expected != d.actual && matches(&d.expected, &d.actual));
            diverged += usize::from(report.divergence.is_some() && !masked);
            masked_only += usize::from(masked);
            stopped += usize::from(!report.unreconstructed.is_empty());
            if verbose && (!ok || (report.divergence.is_some() && !masked)) {
                let d = report.divergence.map(|d| format!("event {}: {}", d.event_id, d.reason)).unwrap_or_default();
                eprintln!(
                    "{} {group}/{}: {got} {d} {:?}",
                    if ok { "DIVERGES" } else { "FAIL" },
                    name_of(&case),
                    report.unreconstructed
                );
            }
        }
    }
    eprintln!(
        "recorded histories: {replayed} replayed, {outcome_ok} to the recorded outcome (with-tasks: {tasks_ok} of \
         {task_cases}, task results from the history alone); {diverged} report a divergence (and {masked_only} one \
         only at a value the corpus masked), {stopped} stopped at a task result the history lacks"
    );
    eprintln!("largest history: {} events ({}), replayed in {:.1} ms (debug build)", largest.0, largest.1, largest.2);
    assert!(outcome_ok >= RECORDED_FLOOR, "{outcome_ok} < floor {RECORDED_FLOOR}");
    assert!(tasks_ok >= RECORDED_WITH_TASKS_FLOOR, "with-tasks: {tasks_ok} < floor {RECORDED_WITH_TASKS_FLOOR}");
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-machines")
}

/// Every sample machine: with each test case of its mock config (or, without one, the tasks
/// answered as above), the export replays to the same events with no divergence.
#[test]
fn every_sample_machine_round_trips_through_an_aws_history() {
    let mut runs = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(samples())
        .expect("sample-machines")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            n.ends_with(".asl.json") || n.ends_with(".asl.yaml") || n.ends_with(".template.yaml")
        })
        .collect();
    entries.sort();
    for def in entries {
        let name = def.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let stem =
            ["asl.json", "asl.yaml", "yaml"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(&name).to_string();
        let text = std::fs::read_to_string(&def).expect("definition");
        let checked = check(&Source::new(name.as_str(), text));
        let machine = checked.runnable().unwrap_or_else(|| panic!("{name} is runnable"));
        let input_path = samples().join(format!("{stem}input.json"));
        let input = if input_path.exists() { read_json(&input_path) } else { json!({}) };
        let mock_path = samples().join(format!("{stem}mock.json"));
        if !mock_path.exists() {
            round_trip(machine, input, Arc::new(Derived)).unwrap_or_else(|e| panic!("{name}: {e}"));
            runs += 1;
            continue;
        }
        let parsed = parse_mock_config(&std::fs::read_to_string(&mock_path).expect("mock config"));
        let config = parsed.config.expect("mock config parses");
        let expect_path = samples().join(format!("{stem}expect.json"));
        let expectations = if expect_path.exists() { read_json(&expect_path) } else { json!({}) };
        let machine_config = config.machine(None).expect("one state machine");
        for case in &machine_config.test_cases {
            let tasks = MockSource::new(&config, None, &case.name).expect("test case");
            let case_input = expectations[&case.name].get("input").cloned().unwrap_or_else(|| input.clone());
            round_trip(machine, case_input, Arc::new(tasks)).unwrap_or_else(|e| panic!("{name} {}: {e}", case.name));
            runs += 1;
        }
    }
    assert!(runs >= 20, "only {runs} sample executions round-tripped");
}

fn statescope(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statescope")).args(args).output().expect("run statescope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The bundled AWS-CLI-shaped history replays against its machine: exit 0, `divergence: null`,
/// and the recorded outcome; a definition edited since says where it now differs (exit 1);
/// an unreadable history exits 2.
#[test]
fn replay_command_reports_match_divergence_and_unreadable_histories() {
    let def = samples().join("order-processing.asl.json");
    let history = samples().join("order-processing.history.json");
    let (code, out, err) = statescope(&["replay", p(&def), p(&history), "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let line: Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(line["divergence"], Value::Null);
    assert_eq!(line["status"], "FAILED");
    assert_eq!(line["error"], "OrderRejected");

    // The bundled history must be exactly what the exporter writes today.
    let dir = std::env::temp_dir().join(format!("statescope-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fresh = dir.join("fresh.json");
    let mock = samples().join("order-processing.mock.json");
    let (_, _, err) = statescope(&[
        "run",
        p(&def),
        "--mock-config",
        p(&mock),
        "--test-case",
        "GatewayDown",
        "--start-time",
        "2026-03-14T09:26:53Z",
        "--history-out",
        p(&fresh),
    ]);
    assert_eq!(
        std::fs::read_to_string(&fresh).unwrap_or_else(|e| panic!("{err}: {e}")),
        std::fs::read_to_string(&history).expect("bundled history"),
        "regenerate sample-machines/order-processing.history.json (see README)"
    );

    // A retry policy changed since the run: the third attempt is gone.
    let mut edited: Value = read_json(&def);
    edited["States"]["Charge card"]["Retry"][1]["MaxAttempts"] = json!(1); // PaymentGatewayTimeout (after the Lambda retrier)
    let edited_path = dir.join("edited.asl.json");
    std::fs::write(&edited_path, edited.to_string()).expect("write");
    let (code, out, _) = statescope(&["replay", p(&edited_path), p(&history), "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let line: Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(line["divergence"]["state"], "Charge card", "{line}");
    assert_eq!(line["divergence"]["eventId"], 34, "the third attempt's TaskScheduled: {line}");
    assert_eq!(
        line["divergence"]["reason"],
        "the recording retried 'Charge card' (attempt 3), the replay did not: its Retry changed since the run"
    );
    let (code, text, _) = statescope(&["replay", p(&edited_path), p(&history)]);
    assert_eq!(code, 1);
    assert!(text.starts_with("diverges at event "), "{text}");

    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"events\": [").expect("write");
    let (code, _, err) = statescope(&["replay", p(&def), p(&broken)]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json:1:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A recorded failure becomes a test case: merged into a copy of the sample's mock config and
/// expectations (nothing there is lost), it passes `statescope test`; without `--mock-config`
/// the mock config goes to standard output and loads.
#[test]
fn mock_from_history_writes_a_test_case_that_passes() {
    let dir = std::env::temp_dir().join(format!("statescope-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for ext in ["asl.json", "mock.json", "expect.json", "input.json", "history.json"] {
        let name = format!("order-processing.{ext}");
        std::fs::copy(samples().join(&name), dir.join(&name)).expect("copy sample");
    }
    let f = |ext: &str| dir.join(format!("order-processing.{ext}"));
    let before = read_json(&f("mock.json"));
    let cases_before = before["StateMachines"]["OrderProcessing"]["TestCases"].as_object().map_or(0, Map::len);
    let (code, _, err) = statescope(&[
        "mock",
        "--from-history",
        p(&f("history.json")),
        "--test-case",
        "ProdFailure",
        "--mock-config",
        p(&f("mock.json")),
    ]);
    assert_eq!(code, 0, "{err}");
    let after = read_json(&f("mock.json"));
    let cases = after["StateMachines"]["OrderProcessing"]["TestCases"].as_object().expect("test cases");
    assert_eq!(cases.len(), cases_before + 1, "the new case is added to the existing ones");
    for (k, v) in before["MockedResponses"].as_object().expect("responses") {
        assert_eq!(&after["MockedResponses"][k], v, "response '{k}' kept");
    }
    // The gateway timed out on every attempt: three invocations, one range.
    assert_eq!(after["MockedResponses"]["Charge card (ProdFailure)"]["0-2"]["Throw"]["Error"], "PaymentGatewayTimeout");
    let expect = read_json(&f("expect.json"));
    assert_eq!(expect["ProdFailure"]["error"], "OrderRejected");
    assert!(expect["HappyPath"].is_object(), "existing expectations kept");
    let (code, out, err) = statescope(&["test", p(&f("asl.json")), "--mock-config", p(&f("mock.json"))]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.lines().any(|l| l.starts_with("PASS ProdFailure ")), "{out}");
    assert!(out.contains(&format!("{} of {} test cases as expected", cases_before + 1, cases_before + 1)), "{out}");

    let (code, out, err) = statescope(&["mock", "--from-history", p(&f("history.json")), "--test-case", "Again"]);
    assert_eq!(code, 0, "{err}");
    let parsed = parse_mock_config(&out);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert!(parsed.config.expect("config").machine(Some("order-processing")).is_ok(), "named after the history");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `$$.Execution.Id` is not in a history: `--execution-arn` gives it, so a machine that
/// outputs it replays without a divergence.
#[test]
fn replay_takes_the_execution_arn_the_history_lacks() {
    let dir = std::env::temp_dir().join(format!("statescope-arn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let def = dir.join("who.asl.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "Who", "States": {"Who": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}}}"#,
    )
    .expect("write");
    let arn = "arn:aws:states:eu-west-1:222222222222:execution:Orders:run-42";
    let history = json!({"events": [
        {"id": 1, "previousEventId": 0, "timestamp": 1767225600.5, "type": "ExecutionStarted",
         "executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": false}, "roleArn": "arn:aws:iam::222222222222:role/r"}},
        {"id": 2, "previousEventId": 1, "timestamp": 1767225600.5, "type": "PassStateEntered",
         "stateEnteredEventDetails": {"name": "Who", "input": "{}", "inputDetails": {"truncated": false}}},
        {"id": 3, "previousEventId": 2, "timestamp": 1767225600.5, "type": "PassStateExited",
         "stateExitedEventDetails": {"name": "Who", "output": json!({"id": arn}).to_string(), "outputDetails": {"truncated": false}}},
        {"id": 4, "previousEventId": 3, "timestamp": 1767225600.5, "type": "ExecutionSucceeded",
         "executionSucceededEventDetails": {"output": json!({"id": arn}).to_string(), "outputDetails": {"truncated": false}}}]});
    let h = dir.join("who.history.json");
    std::fs::write(&h, history.to_string()).expect("write");
    let (code, out, _) = statescope(&["replay", p(&def), p(&h), "--format", "json"]);
    assert_eq!(code, 1, "without the ARN, $$.Execution.Id differs: {out}");
    let line: Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(line["divergence"]["eventId"], 3);
    let (code, out, _) = statescope(&["replay", p(&def), p(&h), "--format", "json", "--execution-arn", arn]);
    assert_eq!(code, 0, "{out}");
    let line: Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(line["output"]["id"], arn);
    assert_eq!(statescope(&["replay", p(&def), p(&h), "--execution-arn", "not-an-arn"]).0, 2);
    let _ = std::fs::remove_dir_all(&dir);
}
