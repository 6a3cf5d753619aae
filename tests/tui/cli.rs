//! The command line around the debugger: what happens before a terminal is touched.

use std::process::Command;

fn statescope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_statescope")).args(args).output().expect("statescope runs")
}

fn broken_definition() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-tui-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("broken.asl.json");
    std::fs::write(&path, r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Succeed"}}}"#).expect("write");
    path
}

#[test]
fn an_invalid_definition_prints_diagnostics_and_exits_2_without_a_terminal() {
    let path = broken_definition();
    let path = path.to_str().expect("utf-8 path");
    for args in [vec![path], vec!["debug", path]] {
        let out = statescope(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("broken.asl.json:1:") && stderr.contains("Nowhere"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"), "no alternate screen");
    }
}

#[test]
fn subcommands_still_work_beside_the_file_argument() {
    let out = statescope(&["validate", "sample-machines/hello-world.asl.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors"));
    let out = statescope(&["run", "sample-machines/hello-world.asl.json", "--format", "json"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("SUCCEEDED"));
    let out = statescope(&["codes"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("ASL001"));
}

#[test]
fn a_missing_explicit_input_is_an_error() {
    let out = statescope(&["sample-machines/hello-world.asl.json", "--input", "no/such/input.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read input 'no/such/input.json'"));
}

#[test]
fn a_bad_mock_config_or_test_case_is_reported_before_the_terminal_opens() {
    let def = "sample-machines/callback-approval.asl.json";
    let mock = "sample-machines/callback-approval.mock.json";
    let out = statescope(&[def, "--mock-config", mock, "--test-case", "NoSuchCase"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("callback-approval.mock.json") && stderr.contains("NoSuchCase"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}[?1049h"), "no alternate screen");
    let out = statescope(&[def, "--mock-config", "sample-machines/nope.mock.json", "--test-case", "Approved"]);
    assert_eq!(out.status.code(), Some(2));
    // The two go together.
    let out = statescope(&[def, "--test-case", "Approved"]);
    assert_eq!(out.status.code(), Some(2));
}
