//! The bundled sample machines: every valid one checks clean, and every file in
//! `sample-machines/invalid/` produces the diagnostic it is named for (rendered output is
//! snapshotted, so a change in wording or position shows up in review).

use std::path::{Path, PathBuf};

use statescope::asl::check::check;
use statescope::asl::codes;
use statescope::asl::diagnostic::render;
use statescope::asl::source::{LineIndex, Source};

/// Each invalid sample and the code it exists to show. Every code statescope can emit has one.
const INTENDED: &[(&str, &str)] = &[
    ("syntax-trailing-comma.asl.json", codes::SYNTAX),
    ("duplicate-key.asl.json", codes::DUPLICATE_KEY),
    ("state-not-an-object.asl.json", codes::NOT_AN_OBJECT),
    ("missing-start-at.asl.json", codes::MISSING_FIELD),
    ("unknown-field.asl.json", codes::UNKNOWN_FIELD),
    ("wrong-type.asl.json", codes::WRONG_TYPE),
    ("bad-value-query-language.asl.json", codes::BAD_VALUE),
    ("unknown-state-type.asl.json", codes::UNKNOWN_STATE_TYPE),
    ("jsonpath-field-in-jsonata-state.asl.json", codes::FIELD_NOT_IN_QUERY_LANGUAGE),
    ("yaml-not-a-number.asl.yaml", codes::YAML),
    ("unknown-next-target.asl.json", codes::MISSING_TARGET),
    ("no-transition.asl.json", codes::NO_TRANSITION),
    ("next-and-end.asl.json", codes::NEXT_AND_END),
    ("unreachable-state.asl.json", codes::UNREACHABLE),
    ("duplicate-state-name-in-branch.asl.json", codes::DUPLICATE_STATE_NAME),
    ("state-name-too-long.asl.json", codes::STATE_NAME_TOO_LONG),
    ("no-terminal-state.asl.json", codes::NO_TERMINAL_STATE),
    ("path-without-dollar.asl.json", codes::BAD_JSONPATH),
    ("result-path-on-context-object.asl.json", codes::NOT_REFERENCE_PATH),
    ("unclosed-intrinsic-call.asl.json", codes::BAD_INTRINSIC),
    ("bad-jsonata-delimiters.asl.json", codes::BAD_JSONATA),
    ("template-key-with-number.asl.json", codes::BAD_TEMPLATE_KEY),
    ("jsonata-syntax-error.asl.json", codes::JSONATA_SYNTAX),
    ("choice-without-rules.asl.json", codes::CHOICE_WITHOUT_RULES),
    ("choice-rule-without-comparison.asl.json", codes::BAD_CHOICE_RULE),
    ("wait-with-two-durations.asl.json", codes::WAIT_DURATION),
    ("bad-timestamp.asl.json", codes::BAD_TIMESTAMP),
    ("retry-on-pass-state.asl.json", codes::RETRY_CATCH_NOT_ALLOWED),
    ("states-all-not-last.asl.json", codes::STATES_ALL_NOT_LAST),
    ("unrecognised-resource.asl.json", codes::BAD_RESOURCE),
    ("seconds-and-seconds-path.asl.json", codes::MUTUALLY_EXCLUSIVE),
    ("unknown-states-error-name.asl.json", codes::BAD_ERROR_NAME),
    ("express-with-callback.template.yaml", codes::EXPRESS_UNSUPPORTED_INTEGRATION),
    ("unresolved-intrinsic.template.yaml", codes::UNRESOLVED_INTRINSIC),
    ("template-with-two-machines.template.yaml", codes::TEMPLATE),
];

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-machines")
}

/// Definition and template files of a directory (not the `NAME.input.json` inputs, nor the
/// `NAME.mock.json` mock configs and `NAME.expect.json` expectations of `statescope test`), sorted.
fn definitions(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            p.is_file()
                && matches!(ext, "json" | "yaml" | "yml")
                && ![".input.json", ".mock.json", ".expect.json", ".history.json"].iter().any(|s| name.ends_with(s))
        })
        .collect();
    out.sort();
    out
}

fn load(path: &Path, shown_as: &str) -> Source {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Source::new(shown_as, text)
}

#[test]
fn every_sample_machine_validates_without_findings() {
    let files = definitions(&samples_dir());
    assert!(files.len() >= 10, "expected the bundled samples, found {files:?}");
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let source = load(&path, &name);
        let checked = check(&source);
        let index = LineIndex::new(&source.text);
        let shown: Vec<String> = checked.diagnostics.iter().map(|d| render(&source, &index, d)).collect();
        assert!(shown.is_empty(), "{name}:\n{}", shown.join("\n"));
        assert!(checked.machine.is_some(), "{name}: no machine");
    }
}

#[test]
fn every_sample_machine_has_an_input_beside_it() {
    for path in definitions(&samples_dir()) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let stem =
            [".asl.json", ".asl.yaml", ".yaml", ".json"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name);
        let input = path.with_file_name(format!("{stem}.input.json"));
        let text = std::fs::read_to_string(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    }
}

#[test]
fn every_invalid_sample_shows_its_code_and_every_code_has_a_sample() {
    let dir = samples_dir().join("invalid");
    let files = definitions(&dir);
    let names: Vec<String> =
        files.iter().map(|p| p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string()).collect();
    for (file, _) in INTENDED {
        assert!(names.iter().any(|n| n == file), "{file} is listed but missing");
    }
    for (code, _) in codes::ALL {
        assert!(INTENDED.iter().any(|(_, c)| c == code), "no invalid sample shows {code}");
    }
    for (path, name) in files.iter().zip(&names) {
        let (_, code) = INTENDED.iter().find(|(f, _)| f == name).unwrap_or_else(|| panic!("{name} is not in INTENDED"));
        let source = load(path, &format!("invalid/{name}"));
        let checked = check(&source);
        assert!(
            checked.diagnostics.iter().any(|d| d.code == *code),
            "{name} should show {code}, got {:?}",
            checked.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        let index = LineIndex::new(&source.text);
        let rendered: String = checked.diagnostics.iter().map(|d| render(&source, &index, d) + "\n").collect();
        insta::assert_snapshot!(name.replace('.', "_"), rendered);
    }
}

/// A sample that keeps a lint allows it in a Comment that also says why (more than the marker).
#[test]
fn every_allowed_lint_in_a_sample_says_why() {
    let mut allows = 0;
    for path in definitions(&samples_dir()) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in text.lines().filter(|l| l.contains("statescope:allow(")) {
            allows += 1;
            let at = line.find("statescope:allow(").unwrap_or_default();
            let reason = line[..at].trim_start().trim_start_matches("\"Comment\": \"").trim_start_matches("Comment: ");
            assert!(reason.split_whitespace().count() >= 5, "{}: an allow without a reason: {line}", path.display());
        }
    }
    assert!(allows >= 1, "the poll sample allows its bounded loop");
}

/// Two comparisons in one rule: one diagnostic saying so, not also "field not supported" with
/// "did you mean" the very same name.
#[test]
fn a_choice_rule_with_two_comparisons_is_one_diagnostic() {
    let text = r#"{"StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Default": "Done", "Choices": [
            {"Variable": "$.total", "IsPresent": true, "NumericGreaterThan": 10, "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}"#;
    let checked = check(&Source::new("two.asl.json", text));
    let found: Vec<_> = checked.diagnostics.iter().map(|d| (d.code, d.message.clone())).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, codes::BAD_CHOICE_RULE);
    assert!(found[0].1.contains("exactly one comparison"), "{found:?}");
    let help = checked.diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.contains("And"), "{help}");
}
