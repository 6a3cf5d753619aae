//! Mock configs through the real binary: `run --mock-config --test-case`, diagnostics for bad
//! mock configs, and `statescope test` over every sample machine with Task states (issue 6).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn statescope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_statescope"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-machines")
}

fn output(args: &[&str]) -> (i32, String, String) {
    let out = statescope().args(args).output().expect("run statescope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Samples whose happy path this branch's engine cannot finish yet, and why; their other
/// cases are still checked.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Definitions of the samples whose machine has a Task state.
fn samples_with_tasks() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(samples())
        .expect("sample-machines")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let definition =
                name.ends_with(".asl.json") || name.ends_with(".asl.yaml") || name.ends_with(".template.yaml");
            let text = std::fs::read_to_string(p).unwrap_or_default();
            definition && (text.contains("\"Type\": \"Task\"") || text.contains("Type: Task"))
        })
        .collect();
    out.sort();
    out
}

fn mock_for(definition: &Path) -> PathBuf {
    let name = definition.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = [".asl.json", ".asl.yaml", ".yaml"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name);
    definition.with_file_name(format!("{stem}.mock.json"))
}

#[test]
fn every_sample_with_tasks_ships_mocks_with_a_happy_path_and_a_failure_and_passes_its_expectations() {
    let defs = samples_with_tasks();
    assert!(defs.len() >= 6, "expected the Task samples, found {defs:?}");
    for def in defs {
        let mock = mock_for(&def);
        assert!(mock.exists(), "{} has no mock config {}", def.display(), mock.display());
        let (code, stdout, stderr) = output(&["test", path(&def), "--mock-config", path(&mock), "--format", "json"]);
        assert_eq!(code, 0, "{}: {stdout}{stderr}", def.display());
        let cases: Vec<Value> =
            stdout.lines().map(|l| serde_json::from_str(l).expect("one JSON line per case")).collect();
        let name = def.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !KNOWN_GAPS.iter().any(|(sample, _)| name.starts_with(sample)) {
            assert!(cases.iter().any(|c| c["status"] == "SUCCEEDED"), "{}: no happy path: {stdout}", def.display());
        }
        assert!(cases.iter().any(|c| c["status"] == "FAILED"), "{}: no failure case: {stdout}", def.display());
        assert!(cases.iter().any(|c| c["result"] == "PASS"), "{}: nothing compared: {stdout}", def.display());
        assert!(cases.iter().all(|c| c["result"] != "FAIL"), "{}: {stdout}", def.display());
    }
}

#[test]
fn run_with_a_test_case_takes_task_results_from_the_mock() {
    let def = samples().join("order-processing.asl.json");
    let mock = samples().join("order-processing.mock.json");
    let (code, stdout, _) = output(&[
        "run",
        path(&def),
        "--mock-config",
        path(&mock),
        "--test-case",
        "ValidationRetried",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["output"]["payment"]["Payload"]["chargeId"], "ch_3PQ9");
    let (code, stdout, _) =
        output(&["run", path(&def), "--mock-config", path(&mock), "--test-case", "CardDeclined", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["error"], "OrderRejected");
    // Without a mock the execution waits for the task and says how to mock it.
    let (code, stdout, _) = output(&["run", path(&def)]);
    assert_eq!(code, 3, "{stdout}");
    assert!(stdout.contains("--mock-config"), "{stdout}");
}

#[test]
fn a_timeout_answer_is_caught_as_states_timeout_and_recorded_as_task_timed_out() {
    let def = samples().join("callback-approval.asl.json");
    let mock = samples().join("callback-approval.mock.json");
    let (code, stdout, _) = output(&[
        "run",
        path(&def),
        "--mock-config",
        path(&mock),
        "--test-case",
        "NobodyAnswered",
        "--format",
        "json",
        "--trace",
    ]);
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("json");
    let states: Vec<&str> = v["states"].as_array().expect("states").iter().filter_map(|s| s["name"].as_str()).collect();
    assert!(states.contains(&"Escalate"), "the States.Timeout catcher ran: {states:?}");
}

#[test]
fn mock_config_errors_are_shown_with_positions_and_codes() {
    let dir = std::env::temp_dir().join(format!("statescope-cli-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.mock.json");
    std::fs::write(
        &bad,
        r#"{
  "StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Validate ordr": "ValidOrder", "Charge card": "Nope"}}}},
  "MockedResponses": {"ValidOrder": {"0": {"Return": {}}, "2": {"Return": {}}}}
}"#,
    )
    .expect("write");
    let def = samples().join("order-processing.asl.json");
    let (code, _, stderr) = output(&["run", path(&def), "--mock-config", path(&bad), "--test-case", "HappyPath"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad.mock.json:2:60: error[ASL402]"), "{stderr}");
    assert!(stderr.contains("did you mean 'Validate order'?"), "{stderr}");
    assert!(stderr.contains("error[ASL403]"), "{stderr}");
    assert!(stderr.contains("bad.mock.json:3:59: error[ASL404]"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_exits_non_zero_when_an_expectation_is_not_met() {
    let dir = std::env::temp_dir().join(format!("statescope-cli-expect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let expect = dir.join("wrong.expect.json");
    std::fs::write(&expect, r#"{"HappyPath": {"status": "FAILED", "error": "Nope"}}"#).expect("write");
    let def = samples().join("wait-and-poll.asl.json");
    let mock = samples().join("wait-and-poll.mock.json");
    let (code, stdout, _) = output(&["test", path(&def), "--mock-config", path(&mock), "--expect", path(&expect)]);
    // 'HappyPath' is not a test case of this config: a usage error, not a silent pass.
    assert_eq!(code, 2, "{stdout}");
    std::fs::write(&expect, r#"{"ReadyOnThirdPoll": {"status": "FAILED", "error": "Nope"}}"#).expect("write");
    let (code, stdout, _) = output(&["test", path(&def), "--mock-config", path(&mock), "--expect", path(&expect)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL ReadyOnThirdPoll"), "{stdout}");
    assert!(stdout.contains("status: expected \"FAILED\", got \"SUCCEEDED\""), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn codes_lists_the_mock_config_codes() {
    let (code, stdout, _) = output(&["codes"]);
    assert_eq!(code, 0);
    for c in ["ASL401", "ASL402", "ASL403", "ASL404"] {
        assert!(stdout.contains(c), "{c} missing from:\n{stdout}");
    }
}

/// `--format junit` is XML a CI report reads: one `<testcase>` per case, a `<failure>` carrying
/// the mismatches of the case that did not meet its expectation, coverage as suite properties.
#[test]
fn test_junit_output_parses_as_xml_and_carries_the_failures() {
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;
    let dir = std::env::temp_dir().join(format!("statescope-cli-junit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let expect = dir.join("wrong.expect.json");
    std::fs::write(&expect, r#"{"ReadyOnThirdPoll": {"status": "FAILED", "error": "Nope"}}"#).expect("write");
    let def = samples().join("wait-and-poll.asl.json");
    let mock = samples().join("wait-and-poll.mock.json");
    let args = [
        "test",
        path(&def),
        "--mock-config",
        path(&mock),
        "--expect",
        path(&expect),
        "--format",
        "junit",
        "--coverage",
    ];
    let (code, xml, _) = output(&args);
    assert_eq!(code, 1, "{xml}");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut failure_text, mut coverage) = (Vec::new(), 0, String::new(), None);
    let mut in_failure = false;
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not XML: {e}\n{xml}")) {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
                        .map(|v| v.into_owned())
                };
                match e.name().as_ref() {
                    "testcase" => cases.push(attr("name").unwrap_or_default()),
                    "failure" => {
                        failures += 1;
                        in_failure = true;
                    }
                    "property" if attr("name").as_deref() == Some("coverage") => coverage = attr("value"),
                    _ => {}
                }
            }
            Event::Text(t) if in_failure => failure_text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            // Entities come as their own events: the five XML predefines.
            Event::GeneralRef(r) if in_failure => failure_text.push(match &*r.xml10_content() {
                "quot" => '"',
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                _ => '\'',
            }),
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            _ => {}
        }
    }
    assert_eq!(cases, ["ReadyOnThirdPoll", "ExportFails", "StartThrottled"]);
    assert_eq!(failures, 1);
    assert!(failure_text.contains("status: expected \"FAILED\", got \"SUCCEEDED\""), "{failure_text}");
    assert!(failure_text.contains("error: expected \"Nope\""), "{failure_text}");
    assert_eq!(coverage.as_deref(), Some("75.0"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// wait-and-poll's cases never time out: 'Export timed out' is never reached and the Choice
/// rule leading there never taken, nor are the Lambda service-error retriers — the coverage
/// says so, and `--min-coverage` gates on it.
#[test]
fn test_coverage_lists_what_the_cases_never_reach_and_gates_on_a_minimum() {
    let def = samples().join("wait-and-poll.asl.json");
    let (code, stdout, _) = output(&["test", path(&def), "--format", "json", "--coverage"]);
    assert_eq!(code, 0, "{stdout}");
    let coverage: Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find_map(|v| v.get("coverage").cloned())
        .expect("a coverage line");
    assert_eq!(coverage["states"]["unreached"], serde_json::json!(["Export timed out"]));
    assert_eq!(coverage["states"]["covered"], 9);
    let retry = "Retry 1 [Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException]";
    assert_eq!(
        coverage["transitions"]["untaken"],
        serde_json::json!([
            "Choice 'Export finished?' rule 3 → 'Export timed out'",
            format!("'Get export status' {retry}"),
            format!("'Start export' {retry}")
        ])
    );
    assert_eq!(coverage["percent"], 75.0);
    let (code, text, _) = output(&["test", path(&def), "--coverage"]);
    assert_eq!(code, 0);
    assert!(text.contains("coverage: 75.0% (states 9/10, transitions 3/6)"), "{text}");
    assert!(text.contains("never reached: 'Export timed out'"), "{text}");
    assert_eq!(output(&["test", path(&def), "--min-coverage", "80"]).0, 1);
    assert_eq!(output(&["test", path(&def), "--min-coverage", "70"]).0, 0);
}

/// Several machines in one call, each with its own NAME.mock.json / NAME.expect.json.
#[test]
fn test_runs_several_machines_with_one_summary_line() {
    let defs: Vec<PathBuf> = ["order-processing.asl.json", "wait-and-poll.asl.json", "hello-world.asl.json"]
        .iter()
        .map(|n| samples().join(n))
        .collect();
    let mut args = vec!["test"];
    args.extend(defs.iter().map(|d| path(d)));
    let (code, stdout, stderr) = output(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout.lines().last(), Some("3 machines: 9 of 9 test cases as expected, 0 failed"));
    assert!(stdout.contains("== ") && stdout.contains("wait-and-poll.asl.json"), "{stdout}");
}
