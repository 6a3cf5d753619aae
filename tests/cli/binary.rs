//! The real `statescope` binary: exit codes, output formats, template selection and YAML
//! positions, as a user or a script sees them.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-machines")
}

fn statescope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statescope")).args(args).output().expect("the binary runs")
}

fn sample(name: &str) -> String {
    samples().join(name).display().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

/// A file in a fresh temporary directory, for inputs the samples don't cover.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

#[test]
fn validate_exits_0_on_a_clean_machine_and_1_on_errors() {
    let ok = statescope(&["validate", &sample("hello-world.asl.json")]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("1 file: 0 errors, 0 warnings"));
    let bad = statescope(&["validate", &sample("invalid/unknown-next-target.asl.json")]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("error[ASL101]"), "{}", stdout(&bad));
}

#[test]
fn validate_json_format_lists_diagnostics_with_positions() {
    let out = statescope(&["validate", "--format", "json", &sample("invalid/unknown-next-target.asl.json")]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["errors"], 1);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ASL101");
    assert_eq!(d["pointer"], "/States/Validate/Next");
    assert!(d["line"].as_u64().is_some() && d["column"].as_u64().is_some());
}

#[test]
fn deny_warnings_turns_a_warning_into_failure() {
    let file = sample("invalid/unreachable-state.asl.json");
    assert_eq!(statescope(&["validate", &file]).status.code(), Some(0));
    assert_eq!(statescope(&["validate", "--deny-warnings", &file]).status.code(), Some(1));
}

#[test]
fn run_json_prints_exactly_one_line() {
    let out = statescope(&["run", "--format", "json", &sample("hello-world.asl.json")]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    let v: Value = serde_json::from_str(text.trim_end()).expect("one JSON line");
    assert_eq!(v["status"], "SUCCEEDED");
    assert!(v["output"].is_string(), "{v}");
}

#[test]
fn machine_picks_one_state_machine_of_a_template() {
    let file = sample("invalid/template-with-two-machines.template.yaml");
    // validate checks every machine of the template; run needs to be told which one.
    let all = statescope(&["validate", "--format", "json", &file]);
    assert_eq!(all.status.code(), Some(0), "{}", stdout(&all));
    let none = statescope(&["run", "--format", "json", &file]);
    assert_eq!(none.status.code(), Some(2));
    let v = json_of(&none);
    let message = v["cause"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("'Checkout', 'Refund'"), "{message}");
    assert_eq!(statescope(&["validate", "--machine", "Refund", &file]).status.code(), Some(0));
    let wrong = statescope(&["validate", "--machine", "Refunds", &file]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stdout(&wrong).contains("did you mean 'Refund'?"), "{}", stdout(&wrong));
    let run = statescope(&["run", "--format", "json", "--machine", "Checkout", &file]);
    assert_eq!(json_of(&run)["status"], "SUCCEEDED");
}

#[test]
fn yaml_diagnostics_point_at_the_line_and_column_in_the_yaml_file() {
    let text = "StartAt: Greet\nStates:\n  Greet:\n    Type: Pass\n    Next: Wrold\n  World:\n    Type: Succeed\n";
    let path = temp_file("greet.asl.yaml", text);
    let out = statescope(&["validate", "--format", "json", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ASL101");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(11)));
    let text_out = statescope(&["validate", &path.display().to_string()]);
    assert!(stdout(&text_out).contains("greet.asl.yaml:5:11: error[ASL101]"), "{}", stdout(&text_out));
}

#[test]
fn a_definition_string_error_is_reported_on_the_template_line() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: |\n        {\"StartAt\": \"A\",\n         \"States\": {\"A\": {\"Type\": \"Pass\", \"Nxt\": \"B\", \"End\": true}}}\n";
    let path = temp_file("flow.template.yaml", text);
    let out = statescope(&["validate", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("flow.template.yaml:8:43: error[ASL005]"), "{}", stdout(&out));
}

#[test]
fn the_yaml_and_template_samples_run_with_their_inputs() {
    let out = statescope(&["run", "--format", "json", "--trace", &sample("order-events.template.yaml")]);
    let v = json_of(&out);
    let first = &v["states"][0];
    assert_eq!(first["name"], "Archive order");
    assert_eq!(first["input"]["orderId"], "ORD-20931", "the input beside the template was used");
}

/// `statescope diff`: exit 0 for the same definition, 1 with each change (a retry policy edited,
/// a Choice retargeted) in text and JSON, 2 when a file cannot be read.
#[test]
fn diff_names_each_change_with_old_and_new_values() {
    let same = statescope(&["diff", &sample("order-processing.asl.json"), &sample("order-processing.asl.json")]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(stdout(&same).trim(), "no differences");
    let text = std::fs::read_to_string(samples().join("order-processing.asl.json")).expect("sample");
    let mut edited: Value = serde_json::from_str(&text).expect("json");
    edited["States"]["Charge card"]["Retry"][1]["MaxAttempts"] = Value::from(3); // the PaymentGatewayTimeout retrier (after the Lambda one)
    edited["States"]["Order valid?"]["Default"] = Value::from("Order confirmed");
    let new = temp_file("edited.asl.json", &edited.to_string());
    let out = statescope(&["diff", &sample("order-processing.asl.json"), &new.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            "retargeted: 'Order valid?' Default: \"Reject order\" → \"Order confirmed\"",
            "changed: 'Charge card' Retry[1].MaxAttempts: 2 → 3",
        ]
    );
    let out =
        statescope(&["diff", &sample("order-processing.asl.json"), &new.display().to_string(), "--format", "json"]);
    let changes = json_of(&out)["changes"].clone();
    assert_eq!(changes[1]["kind"], "changed");
    assert_eq!(changes[1]["state"], "Charge card");
    assert_eq!(changes[1]["field"], "Retry[1].MaxAttempts");
    assert_eq!((changes[1]["old"].clone(), changes[1]["new"].clone()), (Value::from(2), Value::from(3)));
    let broken = temp_file("broken.asl.json", "{\"StartAt\": ");
    assert_eq!(
        statescope(&["diff", &sample("order-processing.asl.json"), &broken.display().to_string()]).status.code(),
        Some(2)
    );
}
