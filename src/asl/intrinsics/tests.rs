//! Unit tests for the intrinsic parser and functions (rules 9.1–9.21). Expected values marked
//! "AWS" are the ones AWS recorded in the conformance corpus or documents.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;
use crate::asl::world::SeededEntropy;

fn eval_with(input: &Value, expr: &str, seed: u64) -> Result<Value, IntrinsicError> {
    let call = parse(expr).unwrap_or_else(|e| panic!("{expr} does not parse: {e} at {}", e.offset));
    let context = json!({"Execution": {"Id": "arn:exec", "Name": "run-1"}, "StateMachine": {"Name": "sm-a-b"}});
    let mut vars = Map::new();
    vars.insert("v".into(), json!({"list": [1, 2, 3], "name": "x"}));
    let roots = Roots { input, context: &context, variables: &vars };
    call.eval(&roots, &mut SeededEntropy::new(seed))
}

/// `expr` over `input` gives `expected`.
fn give(input: Value, expr: &str, expected: Value) {
    assert_eq!(eval_with(&input, expr, 1), Ok(expected), "{expr}");
}

/// `expr` over `input` fails with States.IntrinsicFailure and a cause containing `cause`.
fn fails(input: Value, expr: &str, cause: &str) {
    match eval_with(&input, expr, 1) {
        Err(e) => {
            assert_eq!(e.error, "States.IntrinsicFailure", "{expr}");
            assert!(e.cause.contains(cause), "{expr}: cause {:?} lacks {cause:?}", e.cause);
        }
        Ok(v) => panic!("{expr} gave {v}, expected a failure"),
    }
}

/// `expr` is rejected at parse time at character `offset` with a message containing `message`.
fn rejects(expr: &str, offset: usize, message: &str) {
    match parse(expr) {
        Err(e) => {
            assert!(e.message.contains(message), "{expr}: message {:?} lacks {message:?}", e.message);
            assert_eq!(e.offset, offset, "{expr}: {}", e.message);
        }
        Ok(c) => panic!("{expr} parsed as {c:?}"),
    }
}

// ---- 9.1 grammar --------------------------------------------------------------------------

#[test]
fn rule_9_1_arguments_of_every_kind() {
    let c = parse("States.Array('a', -1.5, 2, true, false, null, $.x, $$.Execution.Id, $v.name, States.UUID())")
        .expect("parses");
    assert_eq!(c.func, Func::Array);
    assert_eq!(c.args.len(), 10);
    assert!(matches!(&c.args[0], Arg::String { value, .. } if value == "a"));
    assert!(matches!(&c.args[1], Arg::Number(n) if n.as_f64() == Some(-1.5)));
    assert_eq!(c.args[3], Arg::Bool(true));
    assert_eq!(c.args[5], Arg::Null);
    assert!(matches!(&c.args[7], Arg::Path(p) if p.text() == "$$.Execution.Id"));
    assert!(matches!(&c.args[9], Arg::Call(inner) if inner.text == "States.UUID()"));
    give(
        json!({"x": 7}),
        "States.Array( 'a' ,$.x,$$.Execution.Id , $v.name,null )",
        json!(["a", 7, "arn:exec", "x", null]),
    );
}

#[test]
fn rule_9_1_call_text_is_kept_for_nested_calls() {
    let c = parse("States.ArrayLength(States.StringSplit('a,b', ','))").expect("parses");
    assert_eq!(c.text(), "States.ArrayLength(States.StringSplit('a,b', ','))");
    assert!(matches!(&c.args[0], Arg::Call(inner) if inner.text == "States.StringSplit('a,b', ',')"));
}

#[test]
fn rule_9_1_syntax_errors_point_into_the_text() {
    rejects("States.Format('a'", 17, "missing ')'");
    rejects("States.Array('a' 'b')", 17, "expected ',' or ')'");
    rejects("States.Array('a',)", 17, "missing argument");
    rejects("States.Array(,)", 13, "missing argument");
    rejects("States.Array(foo)", 13, "'foo' is not a valid argument");
    rejects("States.Array(1)x", 15, "unexpected text after");
    rejects("States.Array(--1)", 13, "not a valid number");
    rejects("States.Array('abc)", 13, "unterminated string literal");
    rejects("States.Array(#)", 13, "unexpected character '#'");
    rejects("States.Format", 13, "expected '('");
    rejects("", 0, "expected an intrinsic function name");
}

#[test]
fn rule_2_20_unknown_names_are_rejected_with_a_suggestion() {
    rejects("States.Fromat('x')", 0, "did you mean 'States.Format'?");
    rejects("States.Array(States.Nope())", 13, "'States.Nope' is not an intrinsic function");
    rejects("Format('x')", 0, "the names start with 'States.'");
    // Names are case-sensitive.
    rejects("States.uuid()", 0, "did you mean 'States.UUID'?");
}

#[test]
fn rule_9_3_arity_is_checked_at_parse_time() {
    rejects("States.MathAdd(1)", 0, "States.MathAdd takes 2 arguments, but 1 was given");
    rejects("States.UUID(1)", 0, "takes 0 arguments");
    rejects("States.MathRandom(1)", 0, "takes 2 or 3 arguments");
    rejects("States.Format()", 0, "takes at least 1 argument,");
    rejects("States.Array(States.ArrayLength())", 13, "takes 1 argument,");
    assert!(parse("States.MathRandom(1, 2)").is_ok());
    assert!(parse("States.MathRandom(1, 2, 3)").is_ok());
    assert!(parse("States.Array()").is_ok());
}

#[test]
fn rule_9_3_literal_types_are_checked_at_parse_time() {
    rejects("States.ArrayLength('abc')", 19, "argument 1 of States.ArrayLength must be an array, not a string");
    rejects("States.MathAdd(1, 'x')", 18, "must be a number, not a string");
    rejects("States.ArrayRange(0, '9', 1)", 21, "argument 2 of States.ArrayRange must be a number, not a string");
    rejects("States.JsonMerge($.a, $.b, 'false')", 27, "must be a boolean");
    rejects("States.JsonToString('x')", 20, "must be a path or an intrinsic call, not a literal");
    rejects("States.Base64Encode(null)", 20, "must be a string, not null");
    // Paths and nested calls are only checked when they run.
    assert!(parse("States.ArrayLength($.a)").is_ok());
    assert!(parse("States.ArrayLength(States.StringToJson('[1]'))").is_ok());
}

#[test]
fn rule_2_21_calls_nest_at_most_ten_deep() {
    let nest = |n: usize| format!("{}'x'{}", "States.Array(".repeat(n), ")".repeat(n));
    assert!(parse(&nest(10)).is_ok());
    rejects(&nest(11), 10 * "States.Array(".len(), "nest more than 10 deep");
}

#[test]
fn rule_9_1_paths_keep_brackets_commas_and_parentheses() {
    let c = parse("States.Array($.a['x,y'], $.b[?(@.c == ')')], 1)").expect("parses");
    assert_eq!(c.args.len(), 3);
    assert!(matches!(&c.args[0], Arg::Path(p) if p.text() == "$.a['x,y']"));
    assert!(matches!(&c.args[1], Arg::Path(p) if p.text() == "$.b[?(@.c == ')')]"));
}

#[test]
fn rule_9_1_missing_path_is_an_intrinsic_failure() {
    fails(json!({}), "States.ArrayLength($.nope)", "Invalid path '$.nope' in the arguments of States.ArrayLength");
}

// ---- 9.2 escapes ---------------------------------------------------------------------------

#[test]
fn rule_9_2_escapes_in_string_literals() {
    give(json!({}), r"States.Array('it\'s', '\{\}', 'a\\b')", json!(["it's", "{}", "a\\b"]));
    // A real newline inside the literal is just a character (AWS: test_escape_sequence).
    give(json!({}), "States.StringSplit('Hello\nWorld', '\n')", json!(["Hello", "World"]));
    // Double quotes need no escape (AWS: test_json_merge_escaped_argument).
    give(json!({}), r#"States.StringToJson('{"a": "false"}')"#, json!({"a": "false"}));
}

#[test]
fn rule_9_2_illegal_escapes_are_rejected_where_they_are() {
    // AWS rejects both at CreateStateMachine (validation/test_illegal_escapes).
    rejects(r#"States.StringToJson('{"text":"An \"escaped\" here"}')"#, 33, r#"illegal escape sequence '\"'"#);
    rejects(r#"States.Format('He said, \"Hello, {}!\"', 'Test')"#, 24, r#"illegal escape sequence '\"'"#);
    rejects(r"States.Array('a\nb')", 15, r"'\n'");
    rejects(r"States.Array('a\", 15, "lone backslash");
}

// ---- 9.4 Format ------------------------------------------------------------------------------

#[test]
fn rule_9_4_format_renders_like_aws() {
    let input = json!({"s": "", "n": null, "i": 1, "f": 1.1, "o": {"Arg1": 1, "Arg2": []}, "t": true});
    give(input.clone(), "States.Format('Formatting argument {}.', $.s)", json!("Formatting argument ."));
    give(input.clone(), "States.Format('{} {} {} {}', $.n, $.i, $.f, $.t)", json!("null 1 1.1 true"));
    // AWS renders objects Java-style (test_format_2__7).
    give(input.clone(), "States.Format('x={}', $.o)", json!("x={Arg1=1, Arg2=[]}"));
    give(json!({"a": ["p", {"k": "v"}]}), "States.Format('{}', $.a)", json!("[p, {k=v}]"));
    give(json!({}), "States.Format('Format:{}', 101)", json!("Format:101"));
    give(json!({}), "States.Format('no placeholders')", json!("no placeholders"));
}

#[test]
fn rule_9_4_escaped_braces_are_not_placeholders() {
    give(json!({}), r"States.Format('\{\} and {}', 'x')", json!("{} and x"));
    give(json!({}), r"States.Format('{ alone }')", json!("{ alone }"));
}

#[test]
fn rule_9_4_placeholder_count_must_match() {
    rejects("States.Format('{} {}', 'a')", 14, "has 2 placeholder(s) '{}' but 1 argument(s)");
    rejects("States.Format('{}')", 14, "has 1 placeholder(s)");
    // A template from a path is checked when it runs.
    fails(json!({"t": "{}{}"}), "States.Format($.t, 1)", "the template has 2 placeholder(s) '{}' but 1 argument(s)");
    fails(
        json!({"t": 5}),
        "States.Format($.t)",
        "The argument 1 of States.Format must be a string, but it is a number: 5",
    );
    give(json!({"t": "Hi {}!"}), "States.Format($.t, $v.name)", json!("Hi x!"));
}

// ---- 9.5 / 9.6 StringToJson, JsonToString -----------------------------------------------------

#[test]
fn rule_9_5_string_to_json() {
    for (text, value) in [
        ("", json!(null)),
        (" ", json!(null)),
        ("null", json!(null)),
        ("1.1", json!(1.1)),
        ("true", json!(true)),
        ("\"HelloWorld\"", json!("HelloWorld")),
        ("{\"Arg1\": 1, \"Arg2\": []}", json!({"Arg1": 1, "Arg2": []})),
    ] {
        give(json!({ "s": text }), "States.StringToJson($.s)", value);
    }
    let zero = eval_with(&json!({"s": "-0"}), "States.StringToJson($.s)", 1).expect("parses -0");
    assert_eq!(zero.to_string(), "0");
    give(json!({"s": "[-0, {\"a\": -0}]"}), "States.StringToJson($.s)", json!([0, {"a": 0}]));
    let float_zero = eval_with(&json!({"s": "-0.0"}), "States.StringToJson($.s)", 1).expect("parses -0.0");
    assert_eq!(float_zero.to_string(), "-0.0");
    fails(json!({"s": "{nope"}), "States.StringToJson($.s)", "Invalid arguments to States.StringToJson");
    fails(json!({"s": 1}), "States.StringToJson($.s)", "must be a string, but it is a number");
}

#[test]
fn rule_9_6_json_to_string_is_compact_and_keeps_key_order() {
    give(json!({"v": {"b": 1, "a": [1, "x"]}}), "States.JsonToString($.v)", json!(r#"{"b":1,"a":[1,"x"]}"#));
    give(json!({"v": null}), "States.JsonToString($.v)", json!("null"));
    give(json!({"v": "HelloWorld"}), "States.JsonToString($.v)", json!("\"HelloWorld\""));
    give(json!({}), "States.JsonToString(States.Array(1, 'a'))", json!(r#"[1,"a"]"#));
}

// ---- 9.7–9.13 arrays -------------------------------------------------------------------------

#[test]
fn rule_9_7_array() {
    give(json!({}), "States.Array()", json!([]));
    give(json!({"a": {"x": [1]}}), "States.Array($.a, null)", json!([{"x": [1]}, null]));
}

#[test]
fn rule_9_8_array_partition() {
    give(json!({"a": []}), "States.ArrayPartition($.a, 2)", json!([]));
    give(json!({"a": [0, 1, 2]}), "States.ArrayPartition($.a, 2)", json!([[0, 1], [2]]));
    give(json!({"a": [0, 1, 2]}), "States.ArrayPartition($.a, 5)", json!([[0, 1, 2]]));
    give(json!({"a": [0, 1, 2, 3]}), "States.ArrayPartition($.a, 1)", json!([[0], [1], [2], [3]]));
    fails(json!({"a": [1]}), "States.ArrayPartition($.a, 0)", "the chunk size must be a positive integer, not 0");
    fails(json!({"a": [1]}), "States.ArrayPartition($.a, -1)", "positive integer, not -1");
    // AWS rounds a non-integer chunk size.
    give(json!({"a": [0, 1, 2], "n": 1.5}), "States.ArrayPartition($.a, $.n)", json!([[0, 1], [2]]));
    fails(json!({"a": [1]}), "States.ArrayPartition($.a, 0.4)", "positive integer, not 0");
    fails(json!({"a": [1], "n": "2"}), "States.ArrayPartition($.a, $.n)", "must be a number, but it is a string");
    fails(json!({"a": {}}), "States.ArrayPartition($.a, 1)", "must be an array, but it is an object");
}

#[test]
fn rule_9_9_array_contains_uses_deep_equality() {
    give(json!({"a": [[1, 2, 3], 2], "v": [1, 2, 3]}), "States.ArrayContains($.a, $.v)", json!(true));
    give(json!({"a": [{"1": 2, "2": []}], "v": {"2": [], "1": 2}}), "States.ArrayContains($.a, $.v)", json!(true));
    give(json!({"a": []}), "States.ArrayContains($.a, null)", json!(false));
    give(json!({"a": [true, false]}), "States.ArrayContains($.a, false)", json!(true));
    give(json!({"a": ["1"]}), "States.ArrayContains($.a, 1)", json!(false));
}

#[test]
fn rule_9_10_array_range() {
    give(json!({}), "States.ArrayRange(0, 9, 3)", json!([0, 3, 6, 9]));
    give(json!({}), "States.ArrayRange(0, 10, 3)", json!([0, 3, 6, 9]));
    give(json!({}), "States.ArrayRange(1, 9, 9)", json!([1]));
    give(json!({}), "States.ArrayRange(9, 1, -2)", json!([9, 7, 5, 3, 1]));
    give(json!({}), "States.ArrayRange(5, 1, 1)", json!([]));
    // Non-integers are rounded like Math.round.
    give(json!({"s": 2.0}), "States.ArrayRange($.s, 3, 1)", json!([2, 3]));
    give(json!({}), "States.ArrayRange(0.5, 3.4, 1.5)", json!([1, 3]));
    let thousand = eval_with(&json!({}), "States.ArrayRange(1, 1000, 1)", 1).expect("1000 items are allowed");
    assert_eq!(thousand.as_array().map(Vec::len), Some(1000));
    fails(json!({}), "States.ArrayRange(0, 1000, 1)", "the range would have 1001 items; at most 1000 are allowed");
    fails(json!({}), "States.ArrayRange(0, 10, 0)", "the step must not be 0");
    fails(
        json!({"e": "9"}),
        "States.ArrayRange(0, $.e, 1)",
        "The argument 2 of States.ArrayRange must be a number, but it is a string: \"9\"",
    );
}

#[test]
fn rule_9_11_array_get_item() {
    give(json!({"a": [1, 2, 3, 4, 5, 6, 7, 8, 9]}), "States.ArrayGetItem($.a, 5)", json!(6));
    give(json!({"a": [1, {"x": 2}]}), "States.ArrayGetItem($.a, 1)", json!({"x": 2}));
    fails(json!({"a": [1, 2]}), "States.ArrayGetItem($.a, 2)", "the index 2 is out of bounds for an array of length 2");
    fails(json!({"a": [1, 2]}), "States.ArrayGetItem($.a, -1)", "the index -1 is out of bounds");
}

#[test]
fn rule_9_12_array_length() {
    give(json!({"a": [1, 2, 3]}), "States.ArrayLength($.a)", json!(3));
    give(json!({"a": []}), "States.ArrayLength($.a)", json!(0));
    fails(json!({"a": "abc"}), "States.ArrayLength($.a)", "must be an array, but it is a string: \"abc\"");
}

#[test]
fn rule_9_13_array_unique_keeps_first_occurrences_in_order() {
    give(
        json!({"a": [null, null, true, true, 1, 1, 1.1, "1", {"a": [1]}, {"a": [1]}, [1], [1], 0, 0]}),
        "States.ArrayUnique($.a)",
        json!([null, true, 1, 1.1, "1", {"a": [1]}, [1], 0]),
    );
    give(json!({"a": [3, 1, 3, 2, 1]}), "States.ArrayUnique($.a)", json!([3, 1, 2]));
    // Key order does not make objects different; 1 and 1.0 stay apart as in the array above.
    give(
        json!({"a": [{"x": 1, "y": 2}, {"y": 2, "x": 1}, 1, 1.0]}),
        "States.ArrayUnique($.a)",
        json!([{"x": 1, "y": 2}, 1, 1.0]),
    );
    let many: Vec<i64> = (0..50_000).map(|i| i % 1000).collect();
    let unique = eval_with(&json!({ "a": many }), "States.ArrayUnique($.a)", 1).expect("runs");
    assert_eq!(unique.as_array().map(Vec::len), Some(1000));
}

// ---- 9.14–9.16 encoding and hashing -----------------------------------------------------------

#[test]
fn rule_9_14_base64_encode() {
    give(json!({"s": "Data to encode"}), "States.Base64Encode($.s)", json!("RGF0YSB0byBlbmNvZGU="));
    give(json!({"s": ""}), "States.Base64Encode($.s)", json!(""));
    give(json!({"s": "é"}), "States.Base64Encode($.s)", json!("w6k="));
    let long = "a".repeat(10_001);
    fails(json!({ "s": long }), "States.Base64Encode($.s)", "the input has 10001 characters; at most 10000");
    assert!(eval_with(&json!({"s": "a".repeat(10_000)}), "States.Base64Encode($.s)", 1).is_ok());
}

#[test]
fn rule_9_15_base64_decode() {
    give(json!({"s": "RGF0YSB0byBlbmNvZGU="}), "States.Base64Decode($.s)", json!("Data to encode"));
    give(json!({"s": ""}), "States.Base64Decode($.s)", json!(""));
    // Padding is optional and line breaks are ignored (Java's decoders).
    give(json!({"s": "RGF0YSB0byBlbmNvZGU"}), "States.Base64Decode($.s)", json!("Data to encode"));
    give(json!({"s": "RGF0YSB0\r\nbyBlbmNvZGU="}), "States.Base64Decode($.s)", json!("Data to encode"));
    fails(json!({"s": "not base64!"}), "States.Base64Decode($.s)", "is not valid base64");
    fails(json!({"s": "/w=="}), "States.Base64Decode($.s)", "not valid UTF-8");
}

#[test]
fn rule_9_16_hash_algorithms() {
    let input = json!({"d": "input data"});
    give(input.clone(), "States.Hash($.d, 'MD5')", json!("812f45842bc6d66ee14572ce20db8e86"));
    give(input.clone(), "States.Hash($.d, 'SHA-1')", json!("aaff4a450a104cd177d28d18d74485e8cae074b7"));
    give(
        input.clone(),
        "States.Hash($.d, 'SHA-256')",
        json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
    );
    give(
        input.clone(),
        "States.Hash($.d, 'SHA-384')",
        json!("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"),
    );
    give(
        input.clone(),
        "States.Hash($.d, 'SHA-512')",
        json!(
            "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
        ),
    );
    fails(input.clone(), "States.Hash($.d, 'sha-256')", "'sha-256' is not a supported algorithm");
    fails(input, "States.Hash($.d, 'SHA256')", "use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
    fails(json!({"d": "x".repeat(10_001)}), "States.Hash($.d, 'MD5')", "at most 10000");
}

// ---- 9.17–9.21 ------------------------------------------------------------------------------

#[test]
fn rule_9_17_json_merge_is_shallow_only() {
    give(
        json!({"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}),
        "States.JsonMerge($.a, $.b, false)",
        json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}),
    );
    fails(json!({"a": {}, "b": {}}), "States.JsonMerge($.a, $.b, true)", "deep merging is not supported");
    fails(
        json!({"a": [], "b": {}}),
        "States.JsonMerge($.a, $.b, false)",
        "The argument 1 of States.JsonMerge must be an object",
    );
}

#[test]
fn rule_9_18_math_random_is_in_range_and_seeded() {
    for seed in 0..200 {
        let v = eval_with(&json!({}), "States.MathRandom(12.5, 44.51)", seed).expect("draws");
        let n = v.as_i64().expect("an integer");
        // Bounds are rounded like Math.round: [13, 45).
        assert!((13..45).contains(&n), "{n}");
    }
    // The same explicit seed gives the same number whatever the run's entropy.
    let a = eval_with(&json!({}), "States.MathRandom(0, 1000000, 7)", 1);
    let b = eval_with(&json!({}), "States.MathRandom(0, 1000000, 7)", 99);
    assert_eq!(a, b);
    // Without a seed, the run's entropy decides, so replays with the same seed agree.
    assert_eq!(
        eval_with(&json!({}), "States.MathRandom(0, 1000000)", 5),
        eval_with(&json!({}), "States.MathRandom(0, 1000000)", 5)
    );
    assert_ne!(
        eval_with(&json!({}), "States.MathRandom(0, 1000000)", 5),
        eval_with(&json!({}), "States.MathRandom(0, 1000000)", 6)
    );
    fails(json!({}), "States.MathRandom(5, 5)", "the end (5) must be greater than the start (5)");
    fails(json!({"s": "1"}), "States.MathRandom($.s, 5)", "must be a number, but it is a string");
}

#[test]
fn rule_9_19_math_add_rounds_like_java_before_adding() {
    // AWS: test_math_add__*.
    for (a, b, sum) in [
        (json!(-9), json!(3), -6),
        (json!(1.49), json!(1.5), 3),
        (json!(1.5), json!(1.51), 4),
        (json!(-1.49), json!(-1.5), -2),
        (json!(-1.5), json!(-1.51), -3),
        (json!(-0.5), json!(0.5), 1),
        (json!(-0.5), json!(0), 0),
        (json!(-2.5), json!(0), -2),
        (json!(2.5), json!(0), 3),
        (json!(-3.5), json!(0), -3),
    ] {
        give(json!({"a": a, "b": b}), "States.MathAdd($.a, $.b)", json!(sum));
    }
    give(json!({}), "States.MathAdd(States.MathAdd(1, 2), -10)", json!(-7));
    // AWS documents the operand range of a Java int.
    give(json!({"a": 2147483647, "b": 2147483647}), "States.MathAdd($.a, $.b)", json!(4294967294i64));
    fails(
        json!({"a": 2147483648i64}),
        "States.MathAdd($.a, 1)",
        "2147483648 is outside the range -2147483648 to 2147483647",
    );
    fails(json!({"a": -2147483649i64}), "States.MathAdd(1, $.a)", "outside the range");
    fails(
        json!({"a": [1]}),
        "States.MathAdd($.a, 1)",
        "The argument 1 of States.MathAdd must be a number, but it is an array: [1]",
    );
}

#[test]
fn rule_9_20_string_split_on_any_delimiter_character() {
    let split = |s: &str, d: &str| eval_with(&json!({"s": s, "d": d}), "States.StringSplit($.s, $.d)", 1);
    assert_eq!(split("This.is+a,test=string", ".+,="), Ok(json!(["This", "is", "a", "test", "string"])));
    assert_eq!(split(",,,,", ","), Ok(json!([])));
    assert_eq!(split(", , ,", ","), Ok(json!([" ", " "])));
    assert_eq!(split(" ", ","), Ok(json!([" "])));
    assert_eq!(split("split on T and \nnew line", "T\n"), Ok(json!(["split on ", " and ", "new line"])));
    assert_eq!(split("abc", ""), Ok(json!(["abc"])));
    give(json!({}), "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 2)", json!("b"));
}

#[test]
fn rule_9_21_uuid_is_v4_from_the_run_entropy() {
    let a = eval_with(&json!({}), "States.UUID()", 3).expect("uuid");
    let s = a.as_str().expect("a string");
    assert_eq!(s.len(), 36);
    assert_eq!(&s[14..15], "4");
    assert_eq!(eval_with(&json!({}), "States.UUID()", 3), Ok(a.clone()));
    assert_ne!(eval_with(&json!({}), "States.UUID()", 4), Ok(a));
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text);
    }

    #[test]
    fn parse_never_panics_on_call_like_text(
        text in "States\\.(Format|Array|MathAdd|UUID|Hash|ArrayRange|ArrayPartition|ArrayGetItem|ArrayUnique|StringSplit|JsonMerge|MathRandom|Base64Decode|StringToJson)\\(([ ',$.asno0-9\\\\{}()-]|true|false|null|States\\.(Array|MathAdd|StringToJson)\\(){0,40}\\)?"
    ) {
        match parse(&text) {
            Err(e) => prop_assert!(e.offset <= text.chars().count()),
            // Whatever parses also evaluates without panicking, to a value or a failure.
            Ok(call) => {
                let input = json!({"a": [1, "x", [2]], "s": "a,b", "n": 2.5, "o": {"k": null}});
                let vars = Map::new();
                let roots = Roots { input: &input, context: &input, variables: &vars };
                let _ = call.eval(&roots, &mut SeededEntropy::new(0));
            }
        }
    }
}

// ---- through the engine ----------------------------------------------------------------------

fn run_machine(definition: &str, input: Value) -> crate::asl::engine::Status {
    let checked = crate::asl::check::check(&crate::asl::source::Source::new("m.json", definition.to_string()));
    let machine = checked.runnable().unwrap_or_else(|| panic!("{:?}", checked.diagnostics));
    let mut exec = crate::asl::engine::Execution::new(machine.clone(), input, Default::default());
    exec.run().clone()
}

#[test]
fn rule_4_15_a_failing_intrinsic_fails_the_state_with_intrinsic_failure() {
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"n.$": "States.ArrayLength($.a)"}, "End": true}}}"#;
    match run_machine(def, json!({"a": "abc"})) {
        crate::asl::engine::Status::Failed { error, cause } => {
            assert_eq!(error.as_deref(), Some("States.IntrinsicFailure"));
            assert_eq!(
                cause.as_deref(),
                Some(
                    "An error occurred while executing the state 'P' (entered at the event id #2). The argument 1 \
                     of States.ArrayLength must be an array, but it is a string: \"abc\""
                )
            );
        }
        other => panic!("{other:?}"),
    }
    match run_machine(def, json!({"a": [1, 2]})) {
        crate::asl::engine::Status::Succeeded(v) => assert_eq!(*v, json!({"n": 2})),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rule_2_17_a_bad_intrinsic_is_a_definition_error_pointing_inside_the_string() {
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"n.$": "States.Array(1, States.MathAdd(1))"}, "End": true}}}"#;
    let checked = crate::asl::check::check(&crate::asl::source::Source::new("m.json", def.to_string()));
    let d = checked.diagnostics.iter().find(|d| d.code == crate::asl::codes::BAD_INTRINSIC).expect("a diagnostic");
    assert!(d.message.contains("must be a valid JSONPath or a valid intrinsic function call"), "{}", d.message);
    assert!(d.message.contains("States.MathAdd takes 2 arguments, but 1 was given"), "{}", d.message);
    assert_eq!(d.pointer, "/States/P/Parameters/n.$");
    let span = d.span.expect("a span");
    let at = def.find("States.MathAdd").expect("in the text");
    assert_eq!((span.start as usize, span.end as usize), (at, at + 1));
}
