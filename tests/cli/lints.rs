//! Lints, workflow types and `explain` through the real binary: the JSON shape of `validate`,
//! `--allow`, `--deny-warnings`, `--type`, the Express execution id, `explain` and `codes`.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn statescope(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statescope")).args(args).output().expect("run statescope");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// Writes `text` to a fresh temporary file named `name` and returns its path.
fn fixture(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-cli-lints-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

const NO_TIMEOUT: &str = r#"{
  "StartAt": "Notify",
  "States": {
    "Notify": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message": "hi"},
      "End": true
    }
  }
}"#;

#[test]
fn validate_json_carries_code_severity_file_position_state_and_hint() {
    let path = fixture("no-timeout.asl.json", NO_TIMEOUT);
    let file = path.to_str().expect("utf-8 path");
    let (code, stdout, _) = statescope(&["validate", file, "--format", "json"]);
    assert_eq!(code, 0, "warnings alone pass: {stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "timeout-missing");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], file);
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(5)));
    assert_eq!(d["state"], "Notify");
    assert!(d["message"].as_str().is_some_and(|m| m.contains("'Notify'")), "{d}");
    assert!(d["hint"].as_str().is_some_and(|h| h.contains("TimeoutSeconds")), "{d}");
    assert_eq!(d["pointer"], "/States/Notify");
    assert!(d["span"].is_array() && d["help"] == d["hint"], "{d}");
    assert_eq!(v["files"][0]["workflowType"], "STANDARD");
    let (_, stdout, _) = statescope(&["validate", "--format", "json", "../definitely-missing.json"]);
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert!(v["files"][0]["diagnostics"][0]["state"].is_null(), "no state: null, not absent: {v}");
}

#[test]
fn allow_and_deny_warnings() {
    let path = fixture("deny.asl.json", NO_TIMEOUT);
    let file = path.to_str().expect("utf-8 path");
    let (code, stdout, _) = statescope(&["validate", file, "--deny-warnings"]);
    assert_eq!(code, 1, "a lint fails with --deny-warnings: {stdout}");
    assert!(stdout.contains("warning[timeout-missing]") && stdout.contains(":4:5:"), "{stdout}");
    let (code, stdout, _) = statescope(&["validate", file, "--deny-warnings", "--allow", "timeout-missing"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 warnings"), "{stdout}");
    let (code, _, stderr) = statescope(&["validate", file, "--allow", "timeout-mising"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean 'timeout-missing'?"), "{stderr}");
    let commented = NO_TIMEOUT.replace(
        r#""Type": "Task","#,
        r#""Type": "Task", "Comment": "SNS answers at once: statescope:allow(timeout-missing)","#,
    );
    let path = fixture("commented.asl.json", &commented);
    let (code, stdout, _) = statescope(&["validate", path.to_str().expect("utf-8"), "--deny-warnings"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn workflow_type_comes_from_the_flag_or_the_template() {
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-machines/invalid/express-with-callback.template.yaml");
    let (code, stdout, _) = statescope(&["validate", template]);
    assert_eq!(code, 1, "SAM Type: EXPRESS applies: {stdout}");
    assert!(stdout.contains("error[express-unsupported-integration]"), "{stdout}");
    let (code, stdout, _) = statescope(&["validate", template, "--type", "standard"]);
    assert_eq!(code, 0, "--type overrides the template: {stdout}");
    let callback = fixture(
        "callback.asl.json",
        r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "TimeoutSeconds": 3600, "HeartbeatSeconds": 60, "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"}, "End": true}}}"#,
    );
    let file = callback.to_str().expect("utf-8");
    assert_eq!(statescope(&["validate", file]).0, 0);
    let (code, stdout, _) = statescope(&["run", file, "--type", "express", "--format", "json"]);
    assert_eq!(code, 2, "run refuses what Express cannot run: {stdout}");
    assert!(stdout.contains("INVALID_DEFINITION"), "{stdout}");
}

/// A machine that splits its execution id on ':' to find the type segment, as real machines do
/// to get the execution name or UUID.
const SPLIT_ID: &str = r#"{
  "StartAt": "Parse id",
  "States": {
    "Parse id": {
      "Type": "Pass",
      "Parameters": {
        "segments.$": "States.ArrayLength(States.StringSplit($$.Execution.Id, ':'))",
        "kind.$": "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 5)",
        "name.$": "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 7)",
        "last.$": "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Id, ':')), -1))",
        "id.$": "$$.Execution.Id"
      },
      "End": true
    }
  }
}"#;

#[test]
fn express_execution_ids_have_nine_fields_and_standard_ones_eight() {
    let path = fixture("split-id.asl.json", SPLIT_ID);
    let file = path.to_str().expect("utf-8");
    let (code, stdout, _) = statescope(&["run", file, "--type", "express", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    let out = &v["output"];
    // arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:UUID (eight colons).
    assert_eq!(out["segments"], 9, "{out}");
    assert_eq!(out["kind"], "express", "{out}");
    assert_eq!(out["name"], "local-execution", "the name is at the same place as in Standard: {out}");
    let id = out["id"].as_str().expect("id");
    assert!(id.starts_with("arn:aws:states:us-east-1:111111111111:express:statescope:local-execution:"), "{id}");
    let uuid = out["last"].as_str().expect("last segment");
    assert_eq!(uuid.len(), 36, "{id}");
    assert_eq!(uuid.matches('-').count(), 4, "{id}");
    let (code, stdout, _) = statescope(&["run", file, "--format", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
    assert_eq!(v["output"]["segments"], 8);
    assert_eq!(v["output"]["kind"], "execution");
    assert_eq!(v["output"]["name"], "local-execution");
    assert_eq!(v["output"]["last"], "local-execution");
}

#[test]
fn explain_a_code_and_list_them_all() {
    let (code, stdout, _) = statescope(&["explain", "history-quota-risk"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("history-quota-risk: "), "{stdout}");
    assert!(stdout.contains("25,000") && stdout.contains("Wrong") && stdout.contains("Right"), "{stdout}");
    let (code, stdout, _) = statescope(&["explain", "asl101"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("ASL101: "), "{stdout}");
    let (code, _, stderr) = statescope(&["explain", "timeout-mising"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean 'timeout-missing'?"), "{stderr}");
    let (code, listed, _) = statescope(&["explain"]);
    assert_eq!(code, 0);
    let (_, codes, _) = statescope(&["codes"]);
    assert_eq!(listed, codes);
    for name in [
        "timeout-missing",
        "heartbeat-missing",
        "lambda-exceptions-unhandled",
        "history-quota-risk",
        "placeholder-resource",
        "payload-near-limit",
        "express-unsupported-integration",
        "ASL001",
        "ASL404",
    ] {
        assert!(listed.lines().any(|l| l.starts_with(name)), "{name} not listed:\n{listed}");
    }
}

#[test]
fn allow_silences_a_codes_warnings_never_its_errors() {
    let unreachable = fixture(
        "unreachable.asl.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Pass", "Next": "Nowhere"}}}"#,
    );
    let file = unreachable.to_str().expect("utf-8");
    let (code, stdout, _) = statescope(&["validate", file, "--allow", "ASL104", "--allow", "ASL101"]);
    assert_eq!(code, 1, "the ASL101 error stays: {stdout}");
    assert!(stdout.contains("error[ASL101]") && !stdout.contains("warning[ASL104]"), "{stdout}");
}

#[test]
fn an_express_execution_times_out_after_five_minutes_of_virtual_time() {
    // Two Waits of 200 s: 400 s in all, past Express's 300 s; no real waiting.
    let path = fixture(
        "long-wait.asl.json",
        r#"{"StartAt": "First", "States": {
            "First": {"Type": "Wait", "Seconds": 200, "Next": "Second"},
            "Second": {"Type": "Wait", "Seconds": 200, "End": true}}}"#,
    );
    let file = path.to_str().expect("utf-8");
    let started = std::time::Instant::now();
    let (code, stdout, _) = statescope(&["run", file, "--type", "express", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["status"], "TIMED_OUT", "{v}");
    assert_eq!(v["error"], "States.Timeout", "{v}");
    let (code, stdout, _) = statescope(&["run", file, "--format", "json"]);
    assert_eq!(code, 0, "a Standard execution may run for a year: {stdout}");
    // Generous: both runs together take milliseconds, never the 400 s they simulate.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
