//! Machines in the style of ones their authors deployed to AWS (so AWS accepted each): none may
//! get an error from statescope. Each fixture in `tests/deployed/` shows one false alarm that
//! was fixed; the table says which warnings (if any) it still deserves.

use std::path::PathBuf;

use statescope::asl::check::{Checked, check_with};
use statescope::asl::codes;
use statescope::asl::load::LoadOptions;
use statescope::asl::source::Source;

fn fixture(name: &str) -> Source {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/deployed").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Source::new(name, text)
}

/// These fixtures are about AWS's rules (false alarms fixed); the best-practice lints, which
/// several of them would draw, are tested in `asl::lint`.
fn no_lints() -> LoadOptions {
    LoadOptions { allow: codes::LINTS.iter().map(|(c, _)| c.to_string()).collect(), ..LoadOptions::default() }
}

fn check_text(name: &str, text: &str) -> Checked {
    check_with(&Source::new(name, text), &no_lints())
}

/// (fixture, the warning codes it should get, in order).
const ACCEPTED: &[(&str, &[&str])] = &[
    ("custom-states-errors.asl.json", &[]),
    ("regional-task-arns.asl.json", &[]),
    ("unquoted-filter-literal.asl.json", &[codes::BAD_JSONPATH]),
    ("duplicate-template-keys.template.yaml", &[codes::DUPLICATE_KEY, codes::DUPLICATE_KEY]),
    ("loose-yaml-indentation.template.yaml", &[codes::YAML, codes::YAML]),
];

#[test]
fn deployed_machines_get_no_errors() {
    for (name, warnings) in ACCEPTED {
        let checked = check_with(&fixture(name), &no_lints());
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(checked.machine.is_some(), "{name}: no machine");
        let got: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(&got, warnings, "{name}: {:#?}", checked.diagnostics);
    }
}

#[test]
fn an_unraised_states_name_is_a_warning_with_a_suggestion() {
    let checked = check_text(
        "m.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["States.TimeOut"]}], "End": true}}}"#,
    );
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::BAD_ERROR_NAME).expect("ASL309 warning");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("States.Timeout")), "{d:?}");
}

#[test]
fn a_computed_fail_error_may_raise_any_states_name() {
    let checked = check_text(
        "m.json",
        r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States":
            {"F": {"Type": "Fail", "ErrorPath": "$.error"}}}],
            "Catch": [{"ErrorEquals": ["States.Custom"], "Next": "D"}], "End": true}, "D": {"Type": "Succeed"}}}"#,
    );
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn duplicates_inside_a_template_definition_stay_errors() {
    let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        StartAt: B\n        States:\n          A: {Type: Succeed}\n";
    let checked = check_text("t.yaml", text);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::DUPLICATE_KEY).expect("ASL002");
    assert!(d.is_error(), "{d:?}");
}

#[test]
fn the_last_copy_of_a_duplicated_template_key_wins() {
    let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n      Definition: {StartAt: B, States: {B: {Type: Pass, End: true}}}\n";
    let checked = check_text("t.yaml", text);
    let machine = checked.machine.expect("machine");
    assert_eq!(&*machine.scope.start_at.value, "B");
}

#[test]
fn placeholders_are_unknown_values_not_errors_and_cascade_nowhere() {
    let checked = check_with(&fixture("placeholder-values.asl.json"), &no_lints());
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    // One warning per placeholder standing for a number; no type error, no unreachable state.
    assert_eq!(codes, [codes::UNRESOLVED_INTRINSIC; 4], "{:#?}", checked.diagnostics);
    let machine = checked.runnable().expect("runnable");
    assert_eq!(machine.scope.states.len(), 5);
    let d = &checked.diagnostics[0];
    assert!(d.message.contains("${ReminderTimeout}") && d.help.as_deref().is_some_and(|h| h.contains("--substitute")));
}

#[test]
fn substitute_gives_placeholders_their_values_before_parsing() {
    let subs =
        [("ReminderTimeout", "30"), ("ReminderTaskTimeout", "60"), ("ReminderRetries", "2"), ("EscalateAfter", "3")];
    let options =
        LoadOptions { substitutions: subs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(), ..no_lints() };
    let source = fixture("placeholder-values.asl.json");
    let checked = check_with(&source, &options);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    // A bad value is reported where the placeholder is written.
    let bad = LoadOptions { substitutions: vec![("ReminderRetries".into(), "-1".into())], ..options };
    let checked = check_with(&source, &bad);
    let d = checked.diagnostics.iter().find(|d| d.is_error()).expect("MaxAttempts -1");
    let span = d.span.expect("span");
    assert_eq!(&source.text[span.start as usize..span.end as usize], "${ReminderRetries}");
}

#[test]
fn a_template_and_substitute_fill_the_same_placeholders() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        Delay: 5\n      Definition:\n        StartAt: W\n        States:\n          W: {Type: Wait, Seconds: '${Delay}', Next: T}\n          T: {Type: Task, Resource: '${Fn}', TimeoutSeconds: '${Timeout}', End: true}\n";
    let checked = check_text("t.yaml", text);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let options = LoadOptions { substitutions: vec![("Timeout".into(), "9".into())], ..no_lints() };
    let checked = check_with(&Source::new("t.yaml", text), &options);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
}

#[test]
fn the_strict_json_parser_still_refuses_a_bare_placeholder() {
    assert!(statescope::asl::json_text::parse_json(r#"{"a": ${X}}"#).is_err());
    assert!(statescope::asl::json_text::parse_definition_json(r#"{"a": ${X}}"#).is_ok());
    assert!(statescope::asl::json_text::parse_definition_json(r#"{"a": ${X, "b": 1}"#).is_err());
}

#[test]
fn loose_yaml_keeps_its_values_and_positions() {
    let source = fixture("loose-yaml-indentation.template.yaml");
    let checked = check_with(&source, &no_lints());
    let machine = checked.machine.expect("machine");
    assert_eq!(
        machine.comment.as_deref(),
        Some("Takes an order from the web shop and hands it to fulfilment once it is priced")
    );
    let state = &machine.scope.states[0];
    let at = &source.text[state.name_span.start as usize..state.name_span.end as usize];
    assert_eq!(at, "Price order");
}

#[test]
fn yaml_that_cloudformation_rejects_is_still_rejected() {
    let checked = check_text("m.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n");
    assert!(checked.diagnostics.iter().any(|d| d.is_error() && d.code == codes::SYNTAX), "{:#?}", checked.diagnostics);
}

/// Reads `DefinitionUri` files from the fixture's directory, optionally editing the text first.
struct FixtureDir {
    dir: PathBuf,
    edit: fn(String) -> String,
}

impl statescope::asl::load::ReadFile for FixtureDir {
    fn read(&self, uri: &str) -> Result<Source, String> {
        let path = self.dir.join(uri);
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        Ok(Source::new(path.display().to_string(), (self.edit)(text)))
    }
}

fn sam(machine: Option<&str>, edit: fn(String) -> String) -> (Source, LoadOptions) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/deployed/sam-reminders");
    let options = LoadOptions {
        machine: machine.map(str::to_string),
        reader: Some(std::sync::Arc::new(FixtureDir { dir, edit })),
        ..no_lints()
    };
    (fixture("sam-reminders/template.yaml"), options)
}

#[test]
fn a_sam_definition_uri_is_followed_with_its_substitutions() {
    let (source, options) = sam(Some("ReminderStateMachine"), |t| t);
    let checked = check_with(&source, &options);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    // The one substitution that is an intrinsic stays a placeholder, said once.
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [codes::UNRESOLVED_INTRINSIC], "{:#?}", checked.diagnostics);
    let machine = checked.machine.expect("machine");
    let wait = machine.scope.state("Wait before reminding").expect("wait");
    let statescope::asl::definition::StateKind::Wait(w) = &wait.kind else { panic!("not a Wait") };
    assert!(format!("{:?}", w.wait_for.value).contains("3600"), "{:?}", w.wait_for.value);
    assert_eq!(checked.external.len(), 1);
}

#[test]
fn errors_in_a_definition_uri_file_point_into_that_file() {
    let (source, options) =
        sam(Some("ReminderStateMachine"), |t| t.replace("\"Next\": \"Give up\"", "\"Next\": \"Give upp\""));
    let checked = check_with(&source, &options);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::MISSING_TARGET).expect("bad Next");
    let file = checked.source_of(d, &source);
    assert!(file.name.ends_with("reminder.asl.json"), "{}", file.name);
    let span = d.span.expect("span");
    assert_eq!(&file.text[span.start as usize..span.end as usize], "\"Give upp\"");
    let rendered = checked.render(&source, |d| d.is_error()).join("\n");
    assert!(rendered.contains("reminder.asl.json:25:"), "{rendered}");
}

#[test]
fn a_definition_in_s3_is_one_warning_and_nothing_to_run() {
    let (source, options) = sam(Some("ArchiveStateMachine"), |t| t);
    let checked = check_with(&source, &options);
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [codes::TEMPLATE], "{:#?}", checked.diagnostics);
    assert!(!checked.has_errors() && checked.machine.is_none());
    assert_eq!(checked.render_why_not_runnable(&source).len(), 1);
}

#[test]
fn validate_checks_every_machine_of_a_template_and_names_each() {
    let (source, options) = sam(None, |t| t.replace("\"Next\": \"Give up\"", "\"Next\": \"Give upp\""));
    let checked = statescope::asl::check::check_each(&source, &options);
    let messages: Vec<&str> = checked.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("'ReminderStateMachine': 'Next' names 'Give upp'")), "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.starts_with("'ArchiveStateMachine': 'DefinitionUri' points at Amazon S3")),
        "{messages:#?}"
    );
    assert!(!messages.iter().any(|m| m.contains("defines 2 state machines")), "{messages:#?}");
}

#[test]
fn choosing_among_machines_points_at_a_state_machine_resource() {
    let (source, options) = sam(None, |t| t);
    let checked = check_with(&source, &options);
    let d = checked.diagnostics.iter().find(|d| d.code == codes::TEMPLATE).expect("ASL902");
    let span = d.span.expect("span");
    assert!(source.text[span.start as usize..].starts_with("ReminderStateMachine"), "{d:?}");
    assert!(d.message.contains("'ReminderStateMachine', 'ArchiveStateMachine'"));
}

#[test]
fn a_placeholder_path_is_unknown_and_the_rule_still_counts() {
    let checked = check_text(
        "m.json",
        r#"{"StartAt": "Route", "States": {"Route": {"Type": "Choice", "Choices": [
            {"Variable": "${TierPath}", "StringEquals": "gold", "Next": "Gold"}], "Default": "Other"},
            "Gold": {"Type": "Pass", "InputPath": "${GoldInput}", "End": true}, "Other": {"Type": "Succeed"}}}"#,
    );
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [codes::UNRESOLVED_INTRINSIC; 2], "{:#?}", checked.diagnostics);
    assert!(checked.runnable().is_some());
}

#[test]
fn a_placeholder_inside_a_jsonata_expression_waits_for_its_value() {
    let text = r#"{"QueryLanguage": "JSONata", "StartAt": "Big?", "States": {"Big?": {"Type": "Choice",
        "Choices": [{"Condition": "{% $states.input.total > ${BigOrderLimit} %}", "Next": "Review"}],
        "Default": "Ship"}, "Review": {"Type": "Pass", "End": true}, "Ship": {"Type": "Succeed"}}}"#;
    let checked = check_text("m.json", text);
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [codes::UNRESOLVED_INTRINSIC], "{:#?}", checked.diagnostics);
    let options = LoadOptions { substitutions: vec![("BigOrderLimit".into(), "100".into())], ..no_lints() };
    let checked = check_with(&Source::new("m.json", text), &options);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}
