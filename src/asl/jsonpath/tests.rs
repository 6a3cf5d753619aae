//! One-line behaviour tests; names cite ASL-CHECKLIST rule numbers.

use serde_json::{Map, Value, json};

use super::*;

fn roots<'a>(input: &'a Value, context: &'a Value, vars: &'a Map<String, Value>) -> Roots<'a> {
    Roots { input, context, variables: vars }
}

/// `path` over `input` gives `expected`.
fn give(input: Value, path: &str, expected: Value) {
    let vars = Map::new();
    let p = Path::parse(path).unwrap_or_else(|e| panic!("{path}: {e} at {}", e.offset));
    assert_eq!(p.select(&roots(&input, &Value::Null, &vars)), Ok(expected), "{path}");
}

/// `path` over `input` fails with `error`'s text.
fn fails(input: Value, path: &str, error: &str) {
    let vars = Map::new();
    let p = Path::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match p.select(&roots(&input, &Value::Null, &vars)) {
        Err(e) => assert_eq!(e.to_string(), error, "{path}"),
        Ok(v) => panic!("{path} gave {v}"),
    }
}

/// `path` does not parse; the error points at char `offset`.
fn bad(path: &str, offset: usize) {
    match Path::parse(path) {
        Err(e) => assert_eq!(e.offset, offset, "{path}: {}", e.message),
        Ok(p) => panic!("{path} parsed: {p:?}"),
    }
}

#[test]
fn rule_4_1_names_and_indexes() {
    give(json!({"a": {"b": 1}}), "$.a.b", json!(1));
    give(json!({"a": [1, 2, 3]}), "$.a[1]", json!(2));
}

fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "LOTR", "isbn": "0-395", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 19.95}
        },
        "expensive": 10
    })
}

fn located(input: &Value, path: &str) -> Vec<(String, Value)> {
    let vars = Map::new();
    let p = Path::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let found = p.select_located(&roots(input, &Value::Null, &vars)).unwrap_or_else(|e| panic!("{path}: {e}"));
    found.into_iter().map(|l| (l.path, l.value.into_owned())).collect()
}

fn assign(target: Value, path: &str, value: Value) -> Result<Value, AssignError> {
    Path::parse(path).unwrap_or_else(|e| panic!("{path}: {e}")).assign(target, value)
}

// ---- 4.1 definite steps ----

#[test]
fn rule_4_1_root_is_the_whole_input() {
    give(json!({"a": 1}), "$", json!({"a": 1}));
}

#[test]
fn rule_4_1_bracket_names() {
    give(json!({"a b": 1}), "$['a b']", json!(1));
    give(json!({"a": {"b": 2}}), "$[\"a\"]['b']", json!(2));
    give(json!({"a": {"b": 2}}), "$.['a'].b", json!(2));
}

#[test]
fn rule_4_1_bracket_content_is_raw_like_aws() {
    // scenarios/test_escape_sequence_parsing(ESCAPE_SEQUENCES_JSONPATH): no unescaping.
    give(json!({"Test\\\"\"Name\"": "v"}), "$['Test\\\"\"Name\"']", json!("v"));
}

#[test]
fn rule_4_6_backslash_escapes_in_dotted_names() {
    give(json!({"store.book": 1}), "$.store\\.book", json!(1));
    give(json!({"foo@bar": {"baz[[": {"?pretty": 3}}}), "$.foo\\@bar.baz\\[\\[.\\?pretty", json!(3));
}

#[test]
fn rule_4_6_unicode_names() {
    give(json!({"&Ж中": {"𐍆": 1}}), "$.&Ж中.𐍆", json!(1));
}

#[test]
fn rule_4_16_last_index_gives_the_element() {
    give(json!({"items": [{"k": 0}, {"k": 1}]}), "$.items[1]", json!({"k": 1}));
}

#[test]
fn rule_4_1_negative_index_counts_from_the_end() {
    give(json!([1, 2, 3]), "$[-1]", json!(3));
    give(json!([1, 2, 3]), "$[-3]", json!(1));
}

#[test]
fn rule_4_1_null_is_a_value() {
    give(json!({"a": null}), "$.a", Value::Null);
}

#[test]
fn rule_4_2_context_root() {
    let vars = Map::new();
    let ctx = json!({"Execution": {"Id": "x"}});
    let p = Path::parse("$$.Execution.Id").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.root(), &Root::Context);
    assert_eq!(p.select(&roots(&Value::Null, &ctx, &vars)), Ok(json!("x")));
    let whole = Path::parse("$$").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(whole.select(&roots(&Value::Null, &ctx, &vars)), Ok(ctx.clone()));
}

#[test]
fn rule_4_3_variable_root() {
    let mut vars = Map::new();
    vars.insert("x".into(), json!({"a": [5, 6]}));
    let p = Path::parse("$x.a[1]").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.root(), &Root::Variable("x".into()));
    assert_eq!(p.select(&roots(&Value::Null, &Value::Null, &vars)), Ok(json!(6)));
    let q = Path::parse("$nope").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        q.select(&roots(&Value::Null, &Value::Null, &vars)),
        Err(SelectError::UndefinedVariable { name: "nope".into() })
    );
}

#[test]
fn rule_2_22_variable_names_are_identifiers() {
    assert!(Path::parse("$héllo_1").is_ok());
    bad("$a-b", 2);
    bad("$1a", 1);
}

// ---- 4.9 errors of definite paths ----

#[test]
fn rule_4_9_missing_last_name_is_no_results() {
    fails(json!({}), "$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']");
    fails(json!({"a": {}}), "$.a.b", "No results for path: $['a']['b']");
}

#[test]
fn null_input_refuses_every_input_path() {
    fails(Value::Null, "$", "Unable to apply Path transformation to null or empty input.");
    fails(Value::Null, "$.a[*]", "Unable to apply Path transformation to null or empty input.");
    // A null value inside the input is an ordinary value.
    give(json!({"a": null}), "$.a", Value::Null);
}

#[test]
fn rule_4_9_missing_inner_name_is_missing_property() {
    // with-tasks/scenarios__test_catch_states_runtime
    fails(json!({"x": 1}), "$.no.such.result.path", "Missing property in path $['no']");
}

#[test]
fn rule_4_9_index_out_of_range_is_no_results() {
    fails(json!({"a": [1]}), "$.a[5]", "No results for path: $['a'][5]");
    fails(json!({"a": [1]}), "$.a[-2]", "No results for path: $['a'][-2]");
}

#[test]
fn rule_4_9_index_on_null_or_object() {
    fails(json!({"a": null}), "$.a[0]", "The path $['a'] is null");
    fails(json!({"a": {"b": 1}}), "$.a[0]", "Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}");
    fails(json!({"a": "abc"}), "$.a[0]", "Filter: [0] can only be applied to arrays. Current context is: abc");
}

#[test]
fn rule_4_9_name_on_a_scalar() {
    let vars = Map::new();
    let input = json!({"a": "s"});
    let p = Path::parse("$.a.b").unwrap_or_else(|e| panic!("{e}"));
    let e = p.select(&roots(&input, &Value::Null, &vars)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        e.starts_with("Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'"),
        "{e}"
    );
}

// ---- 4.4 indefinite paths ----

#[test]
fn rule_4_4_wildcards() {
    give(json!({"a": [1, 2]}), "$.a[*]", json!([1, 2]));
    give(json!({"a": 1, "b": 2}), "$.*", json!([1, 2]));
    give(json!({"a": [{"v": 1}, {"w": 2}, {"v": 3}]}), "$.a[*].v", json!([1, 3]));
}

#[test]
fn rule_4_4_nothing_matched_is_an_empty_array() {
    // base/test_json_path_array_wildcard_or_slice_with_no_input(*)
    for p in [
        "$[*]",
        "$.items[*]",
        "$.item.items[*]",
        "$.items[1:]",
        "$.items[:1]",
        "$.item.items[1:5].itemValue",
        "$.items[*].itemValue",
    ] {
        give(json!({}), p, json!([]));
    }
}

#[test]
fn rule_4_4_unions() {
    give(json!([10, 11, 12]), "$[0,2]", json!([10, 12]));
    give(json!({"a": [{"x": 1, "y": 2}]}), "$.a[0]['x','y']", json!({"x": 1, "y": 2}));
    give(json!({"p": {"v": 1}, "q": {"v": 2}}), "$['p','q'].v", json!([1, 2]));
}

#[test]
fn rule_4_4_merged_keys_skip_missing_ones() {
    give(json!({"x": 1}), "$['x','nope']", json!({"x": 1}));
}

#[test]
fn rule_4_4_slices() {
    let a = json!([0, 1, 2, 3, 4]);
    give(a.clone(), "$[1:3]", json!([1, 2]));
    give(a.clone(), "$[-2:]", json!([3, 4]));
    give(a.clone(), "$[:2]", json!([0, 1]));
    give(a.clone(), "$[3:1]", json!([]));
    give(a.clone(), "$[2:100]", json!([2, 3, 4]));
    give(a.clone(), "$[:-3]", json!([0, 1]));
    give(a.clone(), "$[-100:]", json!([0, 1, 2, 3, 4]));
    give(a, "$[:100]", json!([0, 1, 2, 3, 4]));
}

#[test]
fn rule_4_1_slice_between_keeps_jayways_quirks() {
    let a = json!([0, 1, 2, 3, 4]);
    give(a.clone(), "$[1:-1]", json!([]));
    give(a.clone(), "$[-2:4]", json!([3, 4, 0, 1, 2, 3]));
    give(a, "$[-9223372036854775808:1]", json!([0, 1, 2, 3, 4, 0]));
}

#[test]
fn rule_4_4_deep_scan() {
    give(store(), "$..author", json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]));
    give(store(), "$.store..price", json!([8.95, 12.99, 8.99, 22.99, 19.95]));
    give(store(), "$..book[2].title", json!(["Moby Dick"]));
    give(json!({"a": {"b": [1, 2]}}), "$..*", json!([{"b": [1, 2]}, [1, 2], 1, 2]));
    give(json!([[1, 2], [3]]), "$..[0]", json!([[1, 2], 1, 3]));
}

#[test]
fn rule_4_4_deep_scan_merges_keys_of_objects_having_all() {
    give(json!({"a": 1, "b": 2, "c": {"a": 3}}), "$..['a','b']", json!([{"a": 1, "b": 2}]));
}

#[test]
fn rule_4_9_merged_keys_on_a_scalar_name_the_keys() {
    let vars = Map::new();
    let input = json!({"x": 1});
    let p = Path::parse("$.x['a','b']").unwrap_or_else(|e| panic!("{e}"));
    let e = p.select(&roots(&input, &Value::Null, &vars)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("Expected to find an object with property ['a','b'] in path $['x']"), "{e}");
}

#[test]
#[ignore]
fn bench_select_simple_path() {
    // Run with --release --ignored to measure; debug numbers mean little.
    let input = json!({"a": {"b": 1, "c": [1, 2, 3]}, "d": "x".repeat(100)});
    let vars = Map::new();
    let r = roots(&input, &Value::Null, &vars);
    let p = Path::parse("$.a.b").unwrap_or_else(|e| panic!("{e}"));
    let n = 1_000_000u32;
    let t = std::time::Instant::now();
    for _ in 0..n {
        assert_eq!(std::hint::black_box(&p).select(&r), Ok(json!(1)));
    }
    eprintln!("select $.a.b: {:?} per call", t.elapsed() / n);
    let q = Path::parse("$.a.c[?(@ > 1)]").unwrap_or_else(|e| panic!("{e}"));
    let t = std::time::Instant::now();
    for _ in 0..n {
        let _ = std::hint::black_box(&q).select(&r);
    }
    eprintln!("select filter: {:?} per call", t.elapsed() / n);
}

#[test]
fn rule_4_4_definiteness() {
    let d = |p: &str| Path::parse(p).map(|p| p.is_definite()).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert!(d("$.a.b[0]"));
    assert!(d("$['a','b']"));
    assert!(d("$.a.length()"));
    assert!(!d("$['a','b'].c"));
    assert!(!d("$.a[*]"));
    assert!(!d("$..a"));
    assert!(!d("$.a[0,1]"));
    assert!(!d("$.a[1:]"));
    assert!(!d("$.a[?(@.b)]"));
}

// ---- 4.7 filters ----

#[test]
fn rule_4_7_filter_comparisons() {
    give(store(), "$.store.book[?(@.price < 10)].title", json!(["Sayings", "Moby Dick"]));
    give(store(), "$.store.book[?(@.price >= 22.99)].title", json!(["LOTR"]));
    give(store(), "$.store.book[?(@.category == 'reference')].title", json!(["Sayings"]));
    give(store(), "$.store.book[?(@.category != \"fiction\")].title", json!(["Sayings"]));
    give(store(), "$.store.book[?(@.price > $.expensive)].title", json!(["Sword", "LOTR"]));
}

#[test]
fn rule_4_7_filter_from_the_corpus() {
    // base/test_state_pass_regex_json_path_base
    give(
        json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}),
        "$.users[?(@.status == 0)]",
        json!([{"year": 1997, "status": 0}]),
    );
}

#[test]
fn rule_4_7_filter_existence_and_not() {
    give(store(), "$.store.book[?(@.isbn)].title", json!(["Moby Dick", "LOTR"]));
    give(store(), "$.store.book[?(!@.isbn)].title", json!(["Sayings", "Sword"]));
}

#[test]
fn rule_4_7_filter_logic_and_parentheses() {
    give(store(), "$.store.book[?(@.price < 10 && @.category == 'fiction')].title", json!(["Moby Dick"]));
    give(store(), "$.store.book[?(@.price > 20 || @.category == 'reference')].title", json!(["Sayings", "LOTR"]));
    give(store(), "$.store.book[?(!(@.price < 10))].title", json!(["Sword", "LOTR"]));
    give(store(), "$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title", json!(["Moby Dick", "LOTR"]));
}

#[test]
fn rule_4_7_filter_regex() {
    give(store(), "$.store.book[?(@.author =~ /.*REES/i)].title", json!(["Sayings"]));
    // Java's matches(): the whole string must match.
    give(store(), "$.store.book[?(@.author =~ /Rees/)].title", json!([]));
}

#[test]
fn rule_4_7_filter_in_nin_size_empty() {
    give(store(), "$.store.book[?(@.category in ['reference', 'x'])].title", json!(["Sayings"]));
    give(store(), "$.store.book[?(@.category nin ['fiction'])].title", json!(["Sayings"]));
    give(json!([{"n": "abc"}, {"n": "ab"}]), "$[?(@.n size 2)].n", json!(["ab"]));
    give(json!([{"t": []}, {"t": [1]}]), "$[?(@.t empty false)].t", json!([[1]]));
}

#[test]
fn rule_4_7_filter_subsetof_anyof_noneof_contains() {
    let a = json!([{"s": ["S", "M"]}, {"s": ["XL"]}]);
    give(a.clone(), "$[?(@.s subsetof ['S', 'M', 'L'])].s", json!([["S", "M"]]));
    give(a.clone(), "$[?(@.s anyof ['M', 'XXL'])].s", json!([["S", "M"]]));
    give(a.clone(), "$[?(@.s noneof ['M'])].s", json!([["XL"]]));
    give(a, "$[?(@.s contains 'XL')].s", json!([["XL"]]));
}

#[test]
fn rule_4_7_filter_literals() {
    let a = json!([{"v": true}, {"v": null}, {"v": 1}, {"v": "1"}]);
    give(a.clone(), "$[?(@.v == true)].v", json!([true]));
    give(a.clone(), "$[?(@.v == null)].v", json!([null]));
    // Jayway: a number equals its numeric string.
    give(a, "$[?(@.v == 1)].v", json!([1, "1"]));
}

#[test]
fn rule_4_7_missing_operand_is_unequal() {
    give(json!([{"a": 1}, {}]), "$[?(@.a != 1)]", json!([{}]));
}

#[test]
fn rule_4_8_scalars_are_not_filter_candidates() {
    give(json!({"a": [1, 2, 3]}), "$.a[?(@ > 1)]", json!([]));
}

#[test]
fn rule_4_7_filter_on_an_object_tests_the_object() {
    give(json!({"o": {"k": 1}}), "$.o[?(@.k == 1)]", json!([{"k": 1}]));
}

#[test]
fn rule_4_7_deep_scan_filter_tests_each_object_once() {
    give(json!({"a": [{"p": 1}, {"p": 5}], "b": {"p": 2}}), "$..[?(@.p < 3)]", json!([{"p": 1}, {"p": 2}]));
}

#[test]
fn rule_4_7_filter_with_a_function() {
    give(json!([{"t": [1, 2, 3]}, {"t": [1]}]), "$[?(@.t.length() > 2)].t", json!([[1, 2, 3]]));
}

// ---- 4.7 functions ----

#[test]
fn rule_4_7_top_level_functions_fail_like_aws() {
    // AWS fails `$.Jobs.sum()` at runtime ("could not be found in the input").
    let n = json!({"n": [1, 2, 3]});
    fails(n.clone(), "$.n.sum()", "AWS Step Functions does not evaluate the path function 'sum()'");
    fails(n, "$..n.length()", "AWS Step Functions does not evaluate the path function 'length()'");
    let p = Path::parse("$.n.size()").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.trailing_function(), Some("length"));
    assert_eq!(Path::parse("$.n").map(|p| p.trailing_function()), Ok(None));
}

#[test]
fn rule_4_7_functions_inside_filters() {
    let n = json!([{"n": [1, 2, 3, 6], "o": {"a": 1, "b": 2}}, {"n": [5], "o": {}}]);
    let f = |expr: &str| format!("$[?({expr})].o");
    give(n.clone(), &f("@.n.length() == 4"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.o.size() == 0"), json!([{}]));
    give(n.clone(), &f("@.n.min() == 1"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.n.max() == 5"), json!([{}]));
    give(n.clone(), &f("@.n.sum() == 12"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.n.avg() == 3"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.o.keys() contains 'b'"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.n.first() == 5"), json!([{}]));
    give(n.clone(), &f("@.n.last() == 6"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.n.index(1) == 2"), json!([{"a": 1, "b": 2}]));
    give(n.clone(), &f("@.n.index(-2) == 3"), json!([{"a": 1, "b": 2}]));
    // A failing function leaves the operand undefined.
    give(json!([{"n": []}]), "$[?(@.n.sum() == 0)]", json!([]));
}

// ---- located results ----

#[test]
fn located_paths_name_each_match() {
    assert_eq!(located(&json!({"a": [1, {"b": 2}]}), "$.a[1].b"), vec![("$['a'][1]['b']".to_string(), json!(2))]);
    assert_eq!(
        located(&json!({"a": [5, 6, 7]}), "$.a[-2:]"),
        vec![("$['a'][1]".to_string(), json!(6)), ("$['a'][2]".to_string(), json!(7))]
    );
    assert_eq!(
        located(&json!({"x": {"y": 1}, "z": [{"y": 2}]}), "$..y"),
        vec![("$['x']['y']".to_string(), json!(1)), ("$['z'][0]['y']".to_string(), json!(2))]
    );
}

// ---- 4.6 reference paths ----

#[test]
fn rule_4_6_reference_paths() {
    let r = |p: &str| Path::parse(p).map(|p| p.is_reference_path()).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert!(r("$"));
    assert!(r("$.a.b[0]['c d']"));
    assert!(r("$$.Execution.Input"));
    assert!(r("$var.a"));
    assert!(r("$.store\\.book"));
    assert!(!r("$.a[*]"));
    assert!(!r("$..a"));
    assert!(!r("$.a[0,1]"));
    assert!(!r("$.a[1:]"));
    assert!(!r("$.a[?(@.b)]"));
    assert!(!r("$.a.length()"));
    assert!(!r("$['a','b']"));
    assert!(!r("$.a:b"));
    assert!(!r("$.a@b"));
}

// ---- syntax errors point into the text ----

#[test]
fn syntax_errors_carry_char_offsets() {
    bad("", 0);
    bad("a.b", 0);
    bad("$.", 1);
    bad("$.a.", 3);
    bad("$.a[", 3);
    bad("$.a[x]", 4);
    bad("$.a['b'", 7);
    bad("$.a b", 3);
    bad("$..", 3);
    bad("$.a[1:2:3]", 7);
    bad("$.a[?(@.b <> )]", 13);
    bad("$.a[?(@.b === 1 ]", 16);
    bad("$.a[?(@.b =~ /(/)]", 14);
    bad("$.a[?(@.b ^ 1)]", 10);
    bad("$.a.nope()", 4);
    bad("$.a.length().b", 12);
    bad("$.ä[x]", 4);
}

#[test]
fn unknown_operator_word_is_an_error() {
    bad("$[?(@.a foo 1)]", 8);
}

// ---- ResultPath writes (4.11, 4.12) ----

#[test]
fn rule_4_11_result_path_writes_into_the_input() {
    assert_eq!(assign(json!({"a": 1}), "$.r", json!(2)), Ok(json!({"a": 1, "r": 2})));
    assert_eq!(assign(json!({"a": 1}), "$.a", json!(2)), Ok(json!({"a": 2})));
    assert_eq!(assign(json!({"a": 1}), "$", json!(2)), Ok(json!(2)));
}

#[test]
fn rule_4_11_result_path_creates_missing_objects() {
    assert_eq!(assign(json!({}), "$.a.b.c", json!(1)), Ok(json!({"a": {"b": {"c": 1}}})));
    assert_eq!(assign(json!({"a": {"x": 0}}), "$.a.b", json!(1)), Ok(json!({"a": {"x": 0, "b": 1}})));
}

#[test]
fn rule_4_11_result_path_into_an_existing_array_element() {
    assert_eq!(assign(json!({"a": [0, {}]}), "$.a[1].b", json!(1)), Ok(json!({"a": [0, {"b": 1}]})));
    assert_eq!(assign(json!({"a": [0, 1]}), "$.a[-1]", json!(9)), Ok(json!({"a": [0, 9]})));
}

#[test]
fn rule_4_12_result_path_match_failure() {
    let e = AssignError::MatchFailure { path: "$.x".into(), input: "\"foo\"".into() };
    assert_eq!(assign(json!("foo"), "$.x", json!(1)), Err(e.clone()));
    assert_eq!(e.to_string(), "Unable to apply ReferencePath $.x to input \"foo\"");
    assert!(matches!(assign(json!({"a": 5}), "$.a.b", json!(1)), Err(AssignError::MatchFailure { .. })));
    assert!(matches!(assign(json!({"a": [1]}), "$.a[3]", json!(1)), Err(AssignError::MatchFailure { .. })));
    assert!(matches!(assign(json!({}), "$.a[0]", json!(1)), Err(AssignError::MatchFailure { .. })));
}

#[test]
fn rule_2_18_only_reference_paths_on_dollar_are_written() {
    assert!(matches!(assign(json!({}), "$.a[*]", json!(1)), Err(AssignError::NotReference { .. })));
    assert!(matches!(assign(json!({}), "$$.a", json!(1)), Err(AssignError::NotReference { .. })));
}

// ---- robustness ----

#[test]
fn hostile_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let deep = format!("$[?({}@.a{})]", "(".repeat(10_000), ")".repeat(10_000));
    assert!(Path::parse(&deep).is_err());
    let nots = format!("$[?({}@.a)]", "!".repeat(10_000));
    assert!(Path::parse(&nots).is_err());
    let filters = format!("$.a{}", "[?(@.b".repeat(5_000));
    assert!(Path::parse(&filters).is_err());
    let list = format!("$[?(@.a in {}1{})]", "[".repeat(10_000), "]".repeat(10_000));
    assert!(Path::parse(&list).is_err());
    let long = format!("${}", ".a".repeat(10_000));
    assert!(Path::parse(&long).is_err());
    assert!(Path::parse(&format!("${}", ".a".repeat(200))).is_ok());
}

proptest::proptest! {
    #[test]
    fn parse_never_panics_and_keeps_the_text(text in "\\PC{0,40}") {
        if let Ok(p) = Path::parse(&text) {
            proptest::prop_assert_eq!(p.text(), text.as_str());
            let vars = Map::new();
            let input = json!({"a": [1, {"b": "x"}], "c": {"d": null}});
            let _ = p.select(&roots(&input, &input, &vars));
            let _ = p.select_located(&roots(&input, &input, &vars));
            let _ = p.assign(input.clone(), json!(1));
        }
    }

    #[test]
    fn select_agrees_with_select_located(text in "\\$([.][abc*]|\\[[0-2*]\\]|\\[-1\\]|\\[0:2\\]|[.][.][abc]|\\['a','b'\\]|\\[[?][(]@[.]a[)]\\]){0,4}") {
        let p = Path::parse(&text).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text}: {e}")))?;
        let vars = Map::new();
        let input = json!({"a": [1, {"a": "x", "b": [2]}], "b": {"a": [[3]], "c": null}, "c": [{"a": 4}]});
        let r = roots(&input, &input, &vars);
        match (p.select(&r), p.select_located(&r)) {
            (Ok(v), Ok(found)) => {
                let values: Vec<Value> = found.into_iter().map(|l| l.value.into_owned()).collect();
                if p.is_definite() {
                    proptest::prop_assert_eq!(vec![v], values);
                } else {
                    proptest::prop_assert_eq!(v, Value::Array(values));
                }
            }
            (Err(a), Err(b)) => proptest::prop_assert_eq!(a, b),
            (a, b) => proptest::prop_assert!(false, "{text}: select {a:?} but located {b:?}"),
        }
    }

    #[test]
    fn path_like_strings_never_panic(text in "\\$[\\$a-c.\\[\\]'\"*?@()<>=!~&|,:0-9 -]{0,30}") {
        if let Ok(p) = Path::parse(&text) {
            let vars = Map::new();
            let input = json!({"a": [1, {"b": "x"}], "b": {"a": [[]]}});
            let _ = p.select(&roots(&input, &input, &vars));
            let _ = p.select_located(&roots(&input, &input, &vars));
        }
    }
}

#[test]
fn rule_4_7_trailing_function_is_a_warning_pointing_at_it() {
    use crate::asl::check::check;
    use crate::asl::diagnostic::Severity;
    use crate::asl::source::Source;
    let text = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"$.items.length()"},"End":true}}}"#;
    let checked = check(&Source::new("m.json", text));
    assert!(!checked.has_errors());
    let w =
        checked.diagnostics.iter().find(|d| d.severity == Severity::Warning && d.message.contains("path functions"));
    let span = w.and_then(|d| d.span).unwrap_or_else(|| panic!("no warning: {:?}", checked.diagnostics));
    assert_eq!(&text[span.start as usize..span.end as usize], ".");
    assert_eq!(span.start as usize, text.find(".length").unwrap_or_default());
}
