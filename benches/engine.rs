//! Engine throughput: a 10,000-iteration counter loop (Choice + Pass with `States.MathAdd`),
//! history on, as issue 3 specifies. Prints states per second; not a timed test.
//!
//! `cargo bench --bench engine` (release profile).

use std::time::Instant;

use serde_json::json;
use statescope::asl::check::check;
use statescope::asl::engine::{Execution, ExecutionConfig, Status};
use statescope::asl::source::Source;

const ITERATIONS: u64 = 10_000;

fn main() {
    let def = json!({
        "StartAt": "Loop",
        "States": {
            "Loop": {"Type": "Choice", "Choices": [
                {"Variable": "$.i", "NumericLessThan": ITERATIONS, "Next": "Increment"}
            ], "Default": "Done"},
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Loop"},
            "Done": {"Type": "Succeed"}
        }
    });
    let checked = check(&Source::new("loop.asl.json", def.to_string()));
    let Some(machine) = checked.runnable() else {
        eprintln!("bench machine does not validate: {:?}", checked.diagnostics);
        std::process::exit(1);
    };
    let config = ExecutionConfig { max_history_events: usize::MAX, ..ExecutionConfig::default() };
    let mut best = f64::MAX;
    let mut states = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let mut exec = Execution::new(machine, json!({"i": 0}), config.clone());
        let status = exec.run().clone();
        let secs = start.elapsed().as_secs_f64();
        if status != Status::Succeeded(json!({"i": ITERATIONS}).into()) {
            eprintln!("bench loop did not finish as expected: {status:?}");
            std::process::exit(1);
        }
        states = exec.history().events().iter().filter(|e| e.type_name().ends_with("StateEntered")).count();
        best = best.min(secs);
    }
    println!(
        "engine/counter-loop: {ITERATIONS} iterations, {states} states, {:.2} ms (best of 5), {:.0} states/s",
        best * 1e3,
        states as f64 / best
    );
}
