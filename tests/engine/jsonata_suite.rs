//! The official JSONata test suite (`../shared/jsonata-suite`, read in place, or
//! `$STATESCOPE_JSONATA_SUITE`): every case whose expected error is a syntax error (`S0xxx`)
//! must fail to parse with that code, and every other case's expression must parse.
//! Prints the counts; fails when passes drop below the floor. `STATESCOPE_JSONATA_VERBOSE=1`
//! lists the failures.

use std::path::{Path, PathBuf};

use serde_json::Value;
use statescope::asl::jsonata;

/// Cases whose parse outcome matches the suite; raise when it grows, never lower it.
const PARSE_FLOOR: usize = 1684;

/// Cases whose evaluation result (value, undefined or error code) matches the suite.
const EVAL_FLOOR: usize = 1670;

/// `../shared/jsonata-suite` beside the crate, or `$STATESCOPE_JSONATA_SUITE`; `None` (the test
/// skips, loudly) when it is not there.
fn suite_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("STATESCOPE_JSONATA_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/jsonata-suite"));
    let found = dir.join("groups").is_dir();
    crate::support::corpus_or_skip(
        test,
        "the JSONata suite (../shared/jsonata-suite or $STATESCOPE_JSONATA_SUITE)",
        found,
    )
    .then_some(dir)
}

/// One case: where it came from, its expression and the error code it expects, if any.
struct Case {
    name: String,
    expr: String,
    code: Option<String>,
    raw: Value,
}

/// The cases, plus the files serde_json cannot read (a lone UTF-16 surrogate in a string).
fn load_cases(root: &Path) -> (Vec<Case>, Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("groups"))
        .expect("suite groups directory")
        .flat_map(|group| std::fs::read_dir(group.expect("group entry").path()).expect("group directory"))
        .map(|entry| entry.expect("case entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("case file");
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            unreadable.push(file.display().to_string());
            continue;
        };
        let list = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for (i, case) in list.into_iter().enumerate() {
            let expr = match (case.get("expr"), case.get("expr-file")) {
                (Some(Value::String(e)), _) => e.clone(),
                (_, Some(Value::String(f))) => {
                    std::fs::read_to_string(file.with_file_name(f)).expect("expression file")
                }
                _ => continue,
            };
            let code = case
                .get("code")
                .or_else(|| case.get("error").and_then(|e| e.get("code")))
                .and_then(Value::as_str)
                .map(str::to_string);
            cases.push(Case { name: format!("{}#{i}", file.display()), expr, code, raw: case });
        }
    }
    (cases, unreadable)
}

#[test]
fn official_suite_parses_like_jsonata() {
    let Some(root) = suite_dir("official_suite_parses_like_jsonata") else { return };
    let (cases, unreadable) = load_cases(&root);
    assert!(cases.len() > 1500, "expected the full suite under {}", root.display());
    let verbose = std::env::var_os("STATESCOPE_JSONATA_VERBOSE").is_some();
    let (mut pass, mut syntax_cases, mut syntax_pass) = (0, 0, 0);
    for case in &cases {
        let expected_syntax = case.code.as_deref().filter(|c| c.starts_with("S0"));
        let outcome = jsonata::parse(&case.expr);
        let ok = match (expected_syntax, &outcome) {
            (Some(code), Err(e)) => e.code == code,
            (Some(_), Ok(_)) => false,
            (None, result) => result.is_ok(),
        };
        if expected_syntax.is_some() {
            syntax_cases += 1;
            syntax_pass += usize::from(ok);
        }
        if ok {
            pass += 1;
        } else if verbose {
            println!("FAIL {}: {:?} expected {:?}, got {:?}", case.name, case.expr, case.code, outcome.err());
        }
    }
    println!("jsonata suite (parse): {pass}/{} cases match; syntax errors {syntax_pass}/{syntax_cases}", cases.len());
    println!("skipped {} case files serde_json cannot read: {unreadable:?}", unreadable.len());
    assert!(pass >= PARSE_FLOOR, "parse passes dropped to {pass} (floor {PARSE_FLOOR})");
}

/// A fixed clock and a deterministic generator, as the engine injects them.
struct TestEnv {
    state: u64,
}

impl jsonata::JsonataEnv for TestEnv {
    fn now_millis(&mut self) -> i64 {
        1_700_000_000_000
    }

    fn random(&mut self) -> f64 {
        self.state = self.state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// JSON equality where numbers compare as doubles (1 == 1.0), as JavaScript sees them. serde_json
/// (without `float_roundtrip`) may read the last bit of a long decimal differently, so doubles
/// within a few ulps are equal.
fn same(a: &Value, b: &Value, unordered: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => p == q || (p - q).abs() <= 4.0 * f64::EPSILON * p.abs().max(q.abs()),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) if unordered => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| same(i, j, true)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, false)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, unordered)))
        }
        _ => a == b,
    }
}

fn eval_case(root: &Path, case: &Case) -> Result<(), String> {
    let ast = match jsonata::parse(&case.expr) {
        Ok(ast) => ast,
        Err(e) if case.code.as_deref() == Some(e.code) => return Ok(()),
        Err(e) => return Err(format!("parse: {e}")),
    };
    let input = match (case.raw.get("data"), case.raw.get("dataset")) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(Value::String(name))) => {
            let text = std::fs::read_to_string(root.join("datasets").join(format!("{name}.json")))
                .map_err(|e| format!("dataset {name}: {e}"))?;
            Some(serde_json::from_str(&text).map_err(|e| format!("dataset {name}: {e}"))?)
        }
        _ => None,
    };
    let bindings = case.raw.get("bindings").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut env = TestEnv { state: 42 };
    let outcome = ast.evaluate_with(input.as_ref(), &bindings, &mut env);
    let unordered = case.raw.get("unordered").and_then(Value::as_bool).unwrap_or(false);
    match (&outcome, case.code.as_deref(), case.raw.get("result")) {
        (Err(e), Some(code), _) if e.code == code => Ok(()),
        (Ok(None), None, None) if case.raw.get("undefinedResult").is_some() => Ok(()),
        (Ok(Some(v)), None, Some(expected)) if same(v, expected, unordered) => Ok(()),
        _ => Err(format!(
            "expected {:?}/{:?}, got {:?}",
            case.code,
            case.raw.get("result").map(Value::to_string),
            outcome.map(|o| o.map(|v| v.to_string()))
        )),
    }
}

#[test]
fn official_suite_evaluates_like_jsonata() {
    // Deeply recursive cases need more stack than a test thread has in a debug build.
    let Some(root) = suite_dir("official_suite_evaluates_like_jsonata") else { return };
    let worker = std::thread::Builder::new().stack_size(512 * 1024 * 1024).spawn(move || {
        let (cases, _) = load_cases(&root);
        let verbose = std::env::var_os("STATESCOPE_JSONATA_VERBOSE").is_some();
        let mut pass = 0;
        for case in &cases {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| eval_case(&root, case)))
                .unwrap_or_else(|_| Err("panicked".to_string()));
            match outcome {
                Ok(()) => pass += 1,
                Err(why) if verbose => println!("EVAL FAIL {}: {:?}: {why}", case.name, case.expr),
                Err(_) => {}
            }
        }
        println!("jsonata suite (eval): {pass}/{} cases match", cases.len());
        pass
    });
    let pass = worker.expect("spawn").join().expect("evaluation thread");
    assert!(pass >= EVAL_FLOOR, "eval passes dropped to {pass} (floor {EVAL_FLOOR})");
}

/// `TestEnv` as `statescope eval` takes its clock and entropy.
struct EvalTestEnv(TestEnv);

impl jsonata::JsonataEnv for EvalTestEnv {
    fn now_millis(&mut self) -> i64 {
        self.0.now_millis()
    }

    fn random(&mut self) -> f64 {
        self.0.random()
    }
}

impl statescope::asl::world::Entropy for EvalTestEnv {
    fn next_u64(&mut self) -> u64 {
        use jsonata::JsonataEnv;
        (self.0.random() * (1u64 << 53) as f64) as u64
    }
}

impl statescope::asl::evaluate::EvalEnv for EvalTestEnv {
    fn entropy(&mut self) -> &mut dyn statescope::asl::world::Entropy {
        self
    }
}

/// One case through `statescope eval`'s code path (`asl::evaluate` and its `--format json`
/// line), the case's bindings passed as variables.
fn eval_command_case(root: &Path, case: &Case) -> Result<(), String> {
    use statescope::asl::evaluate::{Lang, Scope, evaluate};
    let input = match (case.raw.get("data"), case.raw.get("dataset")) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(Value::String(name))) => {
            let text = std::fs::read_to_string(root.join("datasets").join(format!("{name}.json")))
                .map_err(|e| format!("dataset {name}: {e}"))?;
            Some(serde_json::from_str(&text).map_err(|e| format!("dataset {name}: {e}"))?)
        }
        _ => None,
    };
    let variables = case.raw.get("bindings").and_then(Value::as_object).cloned().unwrap_or_default();
    let context = Value::Object(serde_json::Map::new());
    let scope = Scope { input: input.as_ref(), context: &context, variables: &variables };
    let line = evaluate(&case.expr, Lang::Jsonata, &scope, &mut EvalTestEnv(TestEnv { state: 42 })).to_json();
    let unordered = case.raw.get("unordered").and_then(Value::as_bool).unwrap_or(false);
    let code = line.pointer("/error/code").and_then(Value::as_str);
    match (code, case.code.as_deref(), line.get("result"), case.raw.get("result")) {
        (Some(got), Some(want), _, _) if got == want => Ok(()),
        (None, None, None, None) if line.get("undefined").is_some() && case.raw.get("undefinedResult").is_some() => {
            Ok(())
        }
        (None, None, Some(v), Some(expected)) if same(v, expected, unordered) => Ok(()),
        _ => Err(format!("expected {:?}/{:?}, got {line}", case.code, case.raw.get("result").map(Value::to_string))),
    }
}

#[test]
fn the_eval_command_passes_the_suite_as_the_in_process_harness_does() {
    let Some(root) = suite_dir("the_eval_command_passes_the_suite_as_the_in_process_harness_does") else { return };
    let worker = std::thread::Builder::new().stack_size(512 * 1024 * 1024).spawn(move || {
        let (cases, _) = load_cases(&root);
        let verbose = std::env::var_os("STATESCOPE_JSONATA_VERBOSE").is_some();
        let (mut harness, mut command) = (0, 0);
        for case in &cases {
            let run = |f: &dyn Fn() -> Result<(), String>| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| Err("panicked".into()))
            };
            let by_harness = run(&|| eval_case(&root, case)).is_ok();
            let by_command = run(&|| eval_command_case(&root, case));
            harness += usize::from(by_harness);
            command += usize::from(by_command.is_ok());
            if let (true, Err(why)) = (by_harness && verbose, &by_command) {
                println!("EVAL COMMAND FAIL {}: {:?}: {why}", case.name, case.expr);
            }
        }
        println!("jsonata suite through `eval`: {command}/{} cases match (in-process harness: {harness})", cases.len());
        (command, harness)
    });
    let (command, harness) = worker.expect("spawn").join().expect("evaluation thread");
    assert!(command >= harness, "`eval` passes {command} cases, the in-process harness {harness}");
    assert!(command >= EVAL_FLOOR, "`eval` passes dropped to {command} (floor {EVAL_FLOOR})");
}
