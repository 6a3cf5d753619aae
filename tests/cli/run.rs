//! `statescope run` through the real binary: input from stdin, the one-line JSON shape, trace
//! records, exit codes, and a closed pipe.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const HELLO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-machines/hello-world.asl.json");

fn statescope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_statescope"))
}

fn run_with_stdin(args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = statescope()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn statescope");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn input_dash_reads_standard_input_and_json_is_one_line() {
    let input = r#"{"order": {"customer": {"name": "Grace"}, "items": []}}"#;
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--input", "-", "--format", "json"], input);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "exactly one line: {stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["status"], "SUCCEEDED");
    assert!(v.get("states").is_none() && v.get("stages").is_none(), "states and stages only with --trace: {v}");
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--input", "-", "--format", "json", "--trace"], input);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "exactly one line with --trace too: {stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["states"][0]["input"]["order"]["customer"]["name"], "Grace");
    assert!(v["stages"].as_array().is_some_and(|s| !s.is_empty()), "{v}");
}

#[test]
fn trace_adds_stage_records_with_field_and_expression() {
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--format", "json", "--trace"], "");
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).expect("json");
    let stages = v["stages"].as_array().expect("stages");
    let after_input_path = stages.iter().find(|s| s["stage"] == "afterInputPath").expect("afterInputPath");
    assert_eq!(after_input_path["field"], "InputPath");
    assert_eq!(after_input_path["expression"], "$.order");
    assert_eq!(after_input_path["value"]["customer"]["name"], "Ada");
}

#[test]
fn a_failed_execution_exits_1_with_error_and_cause() {
    let dir = std::env::temp_dir().join(format!("statescope-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let def = dir.join("fail.asl.json");
    std::fs::write(&def, r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"because"}}}"#)
        .expect("write");
    let (code, stdout) = run_with_stdin(&["run", def.to_str().expect("utf-8"), "--format", "json"], "");
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        (v["status"].as_str(), v["error"].as_str(), v["cause"].as_str()),
        (Some("FAILED"), Some("Oops"), Some("because"))
    );
}

#[test]
fn invalid_input_json_is_reported_with_position_and_exit_2() {
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--input", "-", "--format", "json"], "{\n  \"a\": ,\n}");
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert!(v["cause"].as_str().is_some_and(|c| c.contains(":2:")), "{v}");
}

#[test]
fn text_output_has_no_escape_codes_when_piped() {
    let (_, stdout) = run_with_stdin(&["run", HELLO, "--trace"], "");
    assert!(stdout.contains("afterInputPath"));
    assert!(!stdout.contains('\u{1b}'), "no ANSI codes into a pipe");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = statescope()
        .args(["run", HELLO, "--trace"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader goes away before anything is written
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn trace_explains_which_choice_rule_matched_and_why() {
    let (_, stdout) = run_with_stdin(&["run", HELLO, "--format", "json", "--trace"], "");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    let choice = v["stages"].as_array().expect("stages").iter().find_map(|s| s.get("choice")).expect("a choice record");
    assert_eq!(choice["matchedRule"], 0);
    assert_eq!(choice["next"], "Thank a big spender");
    let why = choice["explanation"].as_str().expect("explanation");
    assert!(why.contains("$.picked.items[2] (\"jam\") IsPresent true → true"), "{why}");
}

#[test]
fn an_opt_in_handler_answers_a_task_through_the_binary() {
    let dir = std::env::temp_dir().join(format!("statescope-cli-handler-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let def = dir.join("task.asl.json");
    std::fs::write(
        &def,
        r#"{"StartAt":"Echo","States":{"Echo":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:echo","ResultPath":"$.echo","End":true}}}"#,
    )
    .expect("write");
    let def = def.to_str().expect("utf-8");
    // Without a handler nothing runs: the task waits (exit 3).
    let (code, stdout) = run_with_stdin(&["run", def, "--input", "-", "--format", "json"], r#"{"n": 1}"#);
    assert_eq!((code, serde_json::from_str::<Value>(&stdout).expect("json")["status"].clone()), (3, "WAITING".into()));
    let (code, stdout) = run_with_stdin(
        &["run", def, "--input", "-", "--format", "json", "--handler", "arn:aws:lambda:*=cat"],
        r#"{"n": 1}"#,
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).expect("json")["output"],
        serde_json::json!({"n": 1, "echo": {"n": 1}})
    );
}

/// Writes `def` to a fresh file and runs it with `args` after the path; returns the exit code,
/// stdout and stderr.
fn run_definition(name: &str, def: &Value, input: &str, args: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("statescope-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.asl.json"));
    std::fs::write(&path, def.to_string()).expect("write definition");
    let path = path.to_string_lossy().into_owned();
    let mut all = vec!["run", path.as_str(), "--input", "-"];
    all.extend_from_slice(args);
    let mut child = statescope()
        .args(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn statescope");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_machine_past_its_timeout_seconds_ends_timed_out_with_exit_1() {
    let def = serde_json::json!({"TimeoutSeconds": 10, "StartAt": "Pause", "States": {
        "Pause": {"Type": "Wait", "Seconds": 20, "End": true}}});
    let (code, stdout, _) = run_definition("timeout", &def, "{}", &["--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["status"], "TIMED_OUT");
    assert_eq!(v["error"], "States.Timeout");
    assert!(v["cause"].as_str().is_some_and(|c| c.contains("10 seconds")), "{v}");
    let (code, stdout, _) = run_definition("timeout-text", &def, "{}", &[]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("TIMED_OUT"), "{stdout}");
}

#[test]
fn a_payload_near_the_quota_is_warned_on_stderr_and_in_the_json_trace() {
    let def = serde_json::json!({"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}});
    let input = serde_json::json!({"blob": "b".repeat(230_000)}).to_string();
    let (code, stdout, stderr) = run_definition("near", &def, &input, &["--format", "json", "--trace"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[payload-near-limit]") && stderr.contains("'Keep'"), "{stderr}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["warnings"][0]["code"], "payload-near-limit", "{}", v["warnings"]);
    let flagged: Vec<&str> = v["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter(|s| s["nearLimit"] == true)
        .filter_map(|s| s["stage"].as_str())
        .collect();
    assert_eq!(flagged, ["input", "output"]);
    // Well under the threshold: no warning.
    let (_, stdout, stderr) = run_definition("far", &def, r#"{"small": 1}"#, &["--format", "json"]);
    assert!(!stderr.contains("payload-near-limit"), "{stderr}");
    assert!(serde_json::from_str::<Value>(&stdout).expect("json").get("warnings").is_none());
}

#[test]
fn every_early_failure_has_a_documented_status_and_a_position() {
    // A definition that does not parse: the cause ends with where, never with a bare " at ".
    let dir = std::env::temp_dir().join(format!("statescope-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("broken.asl.json");
    std::fs::write(&broken, "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": tru}}}")
        .expect("write");
    let (code, stdout) = run_with_stdin(&["run", broken.to_str().unwrap_or_default(), "--format", "json"], "");
    assert_eq!(code, 2, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["status"], "INVALID_DEFINITION");
    let cause = v["cause"].as_str().unwrap_or_default();
    assert!(cause.ends_with("broken.asl.json:2:42"), "{cause}");
    // An input that cannot be read.
    let missing = dir.join("missing.input.json");
    let (code, stdout) =
        run_with_stdin(&["run", HELLO, "--input", missing.to_str().unwrap_or_default(), "--format", "json"], "");
    assert_eq!(code, 2, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!((v["status"].as_str(), v["error"].as_str()), (Some("INVALID_INPUT"), Some("InvalidExecutionInput")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn input_nesting_has_the_same_limit_as_definitions() {
    let deep = |n: usize| format!("{{\"order\": {}{}}}", "[".repeat(n), "]".repeat(n));
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--input", "-", "--format", "json"], &deep(300));
    assert_ne!(code, 2, "300 levels are within the limit: {stdout}");
    let (code, stdout) = run_with_stdin(&["run", HELLO, "--input", "-", "--format", "json"], &deep(600));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("deeper than 512"), "{stdout}");
}

#[test]
fn trace_names_the_type_of_states_inside_a_map() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-machines/");
    let def = format!("{dir}order-processing.asl.json");
    let mock = format!("{dir}order-processing.mock.json");
    let config: Value = serde_json::from_str(&std::fs::read_to_string(&mock).expect("mock")).expect("json");
    let machine = config["StateMachines"].as_object().and_then(|m| m.values().next()).expect("a machine");
    let case = machine["TestCases"].as_object().and_then(|c| c.keys().next()).expect("a test case").clone();
    let (code, stdout) = run_with_stdin(&["run", &def, "--trace", "--mock-config", &mock, "--test-case", &case], "");
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("▶ Reserve item (Task)"), "{stdout}");
    assert!(!stdout.contains("()"), "a state without its type: {stdout}");
    // The Map's own item stages, named as TestState's inspectionData names them.
    assert!(stdout.contains("afterItemsPath       [{\"sku\""), "{stdout}");
    assert!(stdout.contains("afterItemSelector    [{\"orderId\""), "{stdout}");
}

#[test]
fn eval_prints_a_result_undefined_or_an_error_with_its_code() {
    let input = r#"{"order": {"items": ["tea", "jam"]}}"#;
    let json = |expr: &str, extra: &[&str]| {
        let mut args = vec!["eval", expr, "--input", "-", "--format", "json"];
        args.extend_from_slice(extra);
        let (code, out) = run_with_stdin(&args, input);
        assert_eq!(out.lines().count(), 1, "one line: {out}");
        (code, serde_json::from_str::<Value>(&out).expect("json"))
    };
    assert_eq!(json("$.order.items[1]", &[]), (0, serde_json::json!({"result": "jam"})));
    assert_eq!(json("States.ArrayLength($.order.items)", &[]), (0, serde_json::json!({"result": 2})));
    assert_eq!(json("{% $count($states.input.order.items) %}", &[]), (0, serde_json::json!({"result": 2})));
    assert_eq!(json("order.nothing", &["--lang", "jsonata"]), (0, serde_json::json!({"undefined": true})));
    let (code, v) = json("$.order.total", &[]);
    assert_eq!((code, v["error"]["code"].as_str()), (1, Some("States.Runtime")));
    let (code, v) = json("{% $sum('x') %}", &[]);
    assert_eq!((code, v["error"]["code"].as_str()), (1, Some("T0412")), "{v}");
    // Text: the result pretty-printed; an error on stderr and exit 1.
    let (code, out) = run_with_stdin(&["eval", "$.order", "--input", "-"], input);
    assert_eq!(code, 0);
    assert!(out.contains("\"items\": ["), "{out}");
    let (code, out) = run_with_stdin(&["eval", "$.nope", "--input", "-"], input);
    assert_eq!((code, out.as_str()), (1, ""));
}

#[test]
fn trace_explains_a_jsonata_choice_like_a_jsonpath_one() {
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Default": "Small",
          "Choices": [
            {"Condition": "{% $states.input.total > 100 %}", "Next": "Big"},
            {"Condition": "{% $states.input.total > 10 %}", "Next": "Medium"}]},
        "Big": {"Type": "Succeed"}, "Medium": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}"#;
    let dir = std::env::temp_dir().join(format!("statescope-jsonata-choice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("route.asl.json");
    std::fs::write(&path, def).expect("write");
    let (code, stdout) =
        run_with_stdin(&["run", path.to_str().expect("utf-8"), "--input", "-", "--trace"], r#"{"total": 42}"#);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("rule 1: {% $states.input.total > 100 %} → false"), "{stdout}");
    assert!(stdout.contains("rule 2: {% $states.input.total > 10 %} → true"), "{stdout}");
    assert!(stdout.contains("rule 2 matched → Next 'Medium'"), "{stdout}");
}
