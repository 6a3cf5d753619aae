use serde_json::json;

use super::*;
use crate::asl::check::check_with;
use crate::asl::source::LineIndex;

fn load_text(name: &str, text: &str, machine: Option<&str>) -> Loaded {
    let options = LoadOptions { machine: machine.map(str::to_string), ..LoadOptions::default() };
    load(&Source::new(name, text), &options)
}

fn codes_of(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

const PASS: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;

#[test]
fn syntax_follows_the_extension_then_the_text() {
    assert_eq!(detect_syntax("m.asl.yaml", "{}"), Syntax::Yaml);
    assert_eq!(detect_syntax("m.YML", "{}"), Syntax::Yaml);
    assert_eq!(detect_syntax("m.json", "a: 1"), Syntax::Json);
    assert_eq!(detect_syntax("stdin", "  {\"a\": 1}"), Syntax::Json);
    assert_eq!(detect_syntax("stdin", "StartAt: A"), Syntax::Yaml);
}

#[test]
fn a_plain_definition_is_returned_as_is() {
    let loaded = load_text("m.json", PASS, None);
    assert_eq!(loaded.kind, DocumentKind::Definition);
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.tree.expect("tree").to_value()["StartAt"], json!("A"));
}

#[test]
fn a_template_with_a_definition_object_yields_that_object() {
    let text = format!(
        r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{"Flow": {{"Type": "{STEP_FUNCTIONS}", "Properties": {{"Definition": {PASS}}}}}}}}}"#
    );
    let loaded = load_text("t.json", &text, None);
    assert_eq!(loaded.kind, DocumentKind::Template);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let tree = loaded.tree.expect("tree");
    let start = tree.get("StartAt").expect("StartAt");
    assert_eq!(&text[start.value.span.start as usize..start.value.span.end as usize], "\"A\"");
}

#[test]
fn a_definition_string_maps_spans_back_into_the_template() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}}\n        }\n";
    let checked = check_with(&Source::new("t.yaml", text), &LoadOptions::default());
    let d = checked.diagnostics.iter().find(|d| d.code == codes::MISSING_TARGET).expect("bad Next");
    let span = d.span.expect("span");
    assert_eq!(&text[span.start as usize..span.end as usize], "\"Nowhere\"");
    let (line, _) = LineIndex::new(text).line_col(text, span.start);
    assert_eq!(line, 9);
}

#[test]
fn a_json_escaped_definition_string_maps_back_too() {
    let inner = r#"{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\"}}}"#;
    let text = format!(
        "{{\"Resources\": {{\"Flow\": {{\"Type\": \"{STEP_FUNCTIONS}\", \"Properties\": {{\"DefinitionString\": \"{inner}\"}}}}}}}}"
    );
    let checked = check_with(&Source::new("t.json", text.as_str()), &LoadOptions::default());
    let d = checked.diagnostics.iter().find(|d| d.code == codes::MISSING_TARGET).expect("bad Next");
    let span = d.span.expect("span");
    assert!(text[span.start as usize..span.end as usize].contains("Nowhere"), "{span:?}");
}

#[test]
fn several_machines_need_machine_and_it_picks_one() {
    let text = format!(
        "Resources:\n  One:\n    Type: {STEP_FUNCTIONS}\n    Properties:\n      Definition: {PASS}\n  Two:\n    Type: {SERVERLESS}\n    Properties:\n      Definition: {{StartAt: B, States: {{B: {{Type: Succeed}}}}}}\n"
    );
    let none = load_text("t.yaml", &text, None);
    assert_eq!(codes_of(&none), [codes::TEMPLATE]);
    assert!(none.diagnostics[0].message.contains("'One', 'Two'"));
    let two = load_text("t.yaml", &text, Some("Two"));
    assert_eq!(two.tree.expect("tree").to_value()["StartAt"], json!("B"));
    let typo = load_text("t.yaml", &text, Some("Twoo"));
    assert_eq!(typo.diagnostics[0].help.as_deref(), Some("did you mean 'Two'?"));
}

#[test]
fn external_definitions_are_reported_not_guessed() {
    // Without a reader a local DefinitionUri cannot be read: an error that says so.
    let text = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: {SERVERLESS}\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n"
    );
    let loaded = load_text("t.yaml", &text, None);
    assert!(loaded.tree.is_none());
    assert_eq!(codes_of(&loaded), [codes::TEMPLATE]);
    assert!(loaded.diagnostics[0].is_error() && loaded.diagnostics[0].message.contains("cannot read"));
    // A definition in S3 cannot be read offline: a warning, the template is not wrong.
    for (kind, key) in [
        (STEP_FUNCTIONS, "DefinitionS3Location: {Bucket: b, Key: k}"),
        (SERVERLESS, "DefinitionUri: s3://bucket/flow.asl.json"),
        (SERVERLESS, "DefinitionUri: {Bucket: b, Key: k}"),
    ] {
        let text = format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: {kind}\n    Properties:\n      {key}\n"
        );
        let loaded = load_text("t.yaml", &text, None);
        assert!(loaded.tree.is_none());
        assert_eq!(codes_of(&loaded), [codes::TEMPLATE]);
        let d = &loaded.diagnostics[0];
        assert!(!d.is_error() && d.message.contains("Amazon S3"), "{key}: {d:?}");
    }
}

#[test]
fn sub_definition_strings_keep_placeholders_and_warn() {
    let text = "Resources:\n  F:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${FnArn}\", \"Parameters\": {\"Table\": \"${Table}\"}, \"End\": true}}}\n      DefinitionSubstitutions:\n        Table: orders\n";
    let loaded = load_text("t.yaml", text, None);
    assert_eq!(codes_of(&loaded), [codes::UNRESOLVED_INTRINSIC]);
    assert!(loaded.diagnostics[0].message.contains("'${FnArn}'"));
    let span = loaded.diagnostics[0].span.expect("span");
    assert_eq!(&text[span.start as usize..span.end as usize], "${FnArn}", "the placeholder itself is blamed");
    let v = loaded.tree.expect("tree").to_value();
    assert_eq!(v["States"]["A"]["Resource"], json!("${FnArn}"));
    assert_eq!(v["States"]["A"]["Parameters"]["Table"], json!("orders"));
}

#[test]
fn join_definition_strings_are_concatenated() {
    let text = "Resources:\n  F:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Join\n        - \"\\n\"\n        - - '{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\",'\n          - !Sub '\"Resource\": \"${Fn.Arn}\", \"End\": true}}}'\n";
    let loaded = load_text("t.yaml", text, None);
    assert_eq!(codes_of(&loaded), [codes::UNRESOLVED_INTRINSIC]);
    let v = loaded.tree.expect("tree").to_value();
    assert_eq!(v["States"]["A"]["Resource"], json!("${Fn.Arn}"));
}

#[test]
fn intrinsics_inside_a_definition_object_become_placeholders() {
    let text = "Resources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: !GetAtt Worker.Arn\n            End: true\n";
    let checked = check_with(&Source::new("t.yaml", text), &LoadOptions::default());
    let found: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(found, [codes::UNRESOLVED_INTRINSIC]);
    assert!(checked.machine.is_some());
}

#[test]
fn cfn_tags_in_a_plain_definition_are_errors() {
    let loaded = load_text("m.yaml", "StartAt: !Ref Start\nStates: {}\n", None);
    assert!(codes_of(&loaded).contains(&codes::YAML));
}

#[test]
fn machine_on_a_definition_is_a_warning() {
    let loaded = load_text("m.json", PASS, Some("X"));
    assert_eq!(codes_of(&loaded), [codes::TEMPLATE]);
    assert!(!loaded.diagnostics[0].is_error());
}
