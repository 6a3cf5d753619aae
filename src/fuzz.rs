//! Fuzz targets: each takes arbitrary bytes and drives one part of the engine the way hostile
//! input would. None may panic, overflow the stack or run unbounded. The coverage-guided
//! fuzzers in `fuzz/` (cargo fuzz, nightly) call these, and `tests/engine/load_props.rs` runs a short
//! bounded pass of each on every `cargo test`, so a regression shows in CI.
//!
//! Inputs that carry two parts (an expression and a document) split them at the first NUL
//! byte: the fuzzer learns the separator from the seeds.

use serde_json::{Map, Value, json};

use crate::asl::check::check_with;
use crate::asl::engine::{Execution, ExecutionConfig, Step};
use crate::asl::jsonpath::{Path, Roots};
use crate::asl::load::LoadOptions;
use crate::asl::source::Source;
use crate::asl::world::SeededEntropy;

/// Stages one execution may take in [`execution`]: enough for loops to hit their limits
/// (the history quota, payload and timeout) without a slow input stalling the fuzzer.
pub const EXECUTION_STEPS: usize = 2_000;

fn split(data: &[u8]) -> (&str, Value) {
    let text = std::str::from_utf8(data).unwrap_or_default();
    match text.split_once('\0') {
        Some((expr, doc)) => (expr, serde_json::from_str(doc).unwrap_or_else(|_| json!({"a": doc}))),
        None => (text, json!({"a": [1, {"b": "c"}], "n": 2.5, "s": "text"})),
    }
}

/// Loading (JSON, YAML, templates: told apart by content, as the CLI does) and validation.
pub fn load_and_validate(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for name in ["fuzz.asl.json", "fuzz.asl.yaml", "fuzz.template.yaml"] {
        let checked = check_with(&Source::new(name, text.to_string()), &LoadOptions::default());
        let _ = checked.runnable();
    }
}

/// A JSONPath parsed, evaluated and used as a ResultPath.
pub fn jsonpath(data: &[u8]) {
    let (text, doc) = split(data);
    let Ok(path) = Path::parse(text) else { return };
    let context = json!({"Execution": {"Id": "x"}, "State": {"Name": "S"}});
    let variables = Map::new();
    let roots = Roots { input: &doc, context: &context, variables: &variables };
    let _ = path.select(&roots);
    let _ = path.select_located(&roots);
    let _ = path.assign(doc.clone(), json!({"written": true}));
}

/// An intrinsic function call parsed and evaluated.
pub fn intrinsic(data: &[u8]) {
    let (text, doc) = split(data);
    let Ok(call) = crate::asl::intrinsics::parse(text) else { return };
    let context = json!({"State": {"Name": "S"}});
    let mut variables = Map::new();
    variables.insert("v".into(), json!([1, 2, 3]));
    let roots = Roots { input: &doc, context: &context, variables: &variables };
    let _ = call.eval(&roots, &mut SeededEntropy::new(7));
}

struct FixedClock;

impl crate::asl::jsonata::JsonataEnv for FixedClock {
    fn now_millis(&mut self) -> i64 {
        1_700_000_000_000
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

/// A JSONata expression parsed and evaluated (its budget bounds time and size).
pub fn jsonata(data: &[u8]) {
    let (text, doc) = split(data);
    let Ok(ast) = crate::asl::jsonata::parse(text) else { return };
    let mut bindings = Map::new();
    bindings.insert("states".into(), json!({"input": doc.clone(), "context": {"State": {"Name": "S"}}}));
    let _ = ast.evaluate(&doc, &bindings, &mut FixedClock);
}

/// A whole execution of a definition (the document after a NUL is its input), for at most
/// [`EXECUTION_STEPS`] stages.
pub fn execution(data: &[u8]) {
    let (text, input) = split(data);
    let checked = check_with(&Source::new("fuzz.asl.json", text.to_string()), &LoadOptions::default());
    let Some(machine) = checked.runnable() else { return };
    let mut exec = Execution::new(machine.clone(), input, ExecutionConfig::default());
    for _ in 0..EXECUTION_STEPS {
        if let Step::Finished(_) = exec.step() {
            break;
        }
    }
    // The trace a user would see: every stage and event serialises.
    for s in exec.stages().iter() {
        let _ = serde_json::to_string(&*s.value());
    }
    for e in exec.history().events() {
        let _ = e.to_json();
    }
    if exec.stages().len() > 2 {
        exec.rewind(1);
    }
}
