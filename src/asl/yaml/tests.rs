use serde_json::json;

use super::*;

fn ok(text: &str) -> YamlDoc {
    parse_yaml(text).unwrap_or_else(|d| panic!("{text:?}: {}", d.message))
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

#[test]
fn block_and_flow_styles_build_the_same_value_as_json() {
    let text = "StartAt: A\nStates:\n  A: {Type: Pass, End: true, Result: [1, 2.5, 'x', \"y\", null, ~, true]}\n";
    let doc = ok(text);
    assert_eq!(
        doc.tree.to_value(),
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": [1, 2.5, "x", "y", null, null, true]}}})
    );
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn plain_scalars_follow_the_yaml_1_2_core_schema() {
    let cases = [
        ("a: yes", json!("yes")),
        ("a: on", json!("on")),
        ("a: 0o17", json!(15)),
        ("a: 0x1F", json!(31)),
        ("a: 007", json!(7)),
        ("a: -3", json!(-3)),
        ("a: 1e3", json!(1000.0)),
        ("a: .5", json!(0.5)),
        ("a: '42'", json!("42")),
        ("a: \"true\"", json!("true")),
        ("a: !!str 42", json!("42")),
        ("a: 1.2.3", json!("1.2.3")),
        ("a: 2024-01-01T00:00:00Z", json!("2024-01-01T00:00:00Z")),
        ("a: 18446744073709551615", json!(18446744073709551615u64)),
        ("a:", json!(null)),
    ];
    for (text, want) in cases {
        assert_eq!(ok(text).tree.to_value()["a"], want, "{text}");
    }
}

#[test]
fn spans_point_into_the_yaml_text() {
    let text = "States:\n  Hello:\n    Type: Pass\n    Next: \"Wrold\"\n";
    let doc = ok(text);
    let next = doc.tree.pointer("/States/Hello/Next").expect("Next");
    assert_eq!(slice(text, next.span), "\"Wrold\"");
    assert_eq!(next.verbatim_start, Some(next.span.start + 1));
    let hello = doc.tree.get("States").and_then(|s| s.value.get("Hello")).expect("Hello");
    assert_eq!(slice(text, hello.key_span), "Hello");
}

#[test]
fn non_ascii_text_maps_character_markers_to_bytes() {
    let text = "Comment: \"héllo wörld\"\nStartAt: X\n";
    let doc = ok(text);
    let start = &doc.tree.get("StartAt").expect("StartAt").value;
    assert_eq!(slice(text, start.span), "X");
}

#[test]
fn anchors_and_aliases_expand() {
    let text = "retry: &r [{ErrorEquals: [States.ALL], MaxAttempts: 2}]\nA: {Retry: *r}\nB: {Retry: *r}\n";
    let doc = ok(text);
    let v = doc.tree.to_value();
    assert_eq!(v["A"]["Retry"], v["retry"]);
    assert_eq!(v["B"]["Retry"][0]["MaxAttempts"], json!(2));
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let p = i - 1;
        text += &format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n");
    }
    let e = parse_yaml(&text).expect_err("too big");
    assert_eq!(e.code, codes::YAML);
}

#[test]
fn what_json_cannot_hold_is_reported() {
    for text in ["a: .nan", "a: -.inf", "? [1, 2]\n: x", "a: !Custom x", "a: !!binary aGk="] {
        let found = match parse_yaml(text) {
            Ok(doc) => doc.diagnostics,
            Err(d) => vec![d],
        };
        assert!(found.iter().any(|d| d.code == codes::YAML), "{text}: {found:?}");
    }
}

#[test]
fn duplicate_keys_are_reported() {
    let doc = ok("States:\n  A: 1\n  A: 2\n");
    assert_eq!(doc.diagnostics.len(), 1);
    assert_eq!(doc.diagnostics[0].code, codes::DUPLICATE_KEY);
}

#[test]
fn cloudformation_short_forms_become_long_forms() {
    let text = "a: !Sub 'arn:${AWS::Region}'\nb: !GetAtt Fn.Arn\nc: !Join ['', [x, !Ref Y]]\n";
    let doc = ok(text);
    assert_eq!(
        doc.tree.to_value(),
        json!({"a": {"Fn::Sub": "arn:${AWS::Region}"}, "b": {"Fn::GetAtt": "Fn.Arn"},
               "c": {"Fn::Join": ["", ["x", {"Ref": "Y"}]]}})
    );
    let names: Vec<&str> = doc.cfn_tags.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Sub", "GetAtt", "Ref", "Join"]);
}

#[test]
fn syntax_errors_have_a_position() {
    let text = "a: [1, 2\nb: c\n";
    let e = parse_yaml(text).expect_err("unclosed flow sequence");
    assert_eq!(e.code, codes::SYNTAX);
    assert!(e.span.is_some());
    assert!(parse_yaml("").is_err());
    assert_eq!(parse_yaml("a: 1\n---\nb: 2\n").expect_err("two docs").code, codes::YAML);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = "[".repeat(10_000);
    assert!(parse_yaml(&text).is_err());
}

#[test]
fn a_recursive_alias_is_named_as_such() {
    for text in ["a: &x [*x]\n", "a: &x {b: *x}\n", "a: &x\n  - *x\n"] {
        let e = parse_yaml(text).expect_err("cycle");
        assert!(e.message.contains("recursive alias"), "{text}: {}", e.message);
    }
    let e = parse_yaml("a: *nowhere\n").expect_err("no anchor");
    assert!(!e.message.contains("recursive"), "{}", e.message);
}
