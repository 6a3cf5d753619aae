//! Engine throughput: a 10,000-iteration counter loop (Choice + Pass with `States.MathAdd`),
//! history on, as issue 3 specifies. Prints states per second; not a timed test.
//!
//! `cargo bench --bench engine` (release profile).
//!
//! Two figures, because first touching memory dominates on small VMs: "fresh memory" (each
//! run's history lands on pages never used before, as in a new `statescope run` process) and
//! "reused memory" (pages an earlier run freed, as in a long debugger session; the method of
//! the figures reported before 2026-11-25). On the 2-core CI machine (glibc allocator),
//! 2026-11-25: fresh about 1.6 M states/s, reused about 2.5 M states/s, teardown about 4 ms
//! per 20,000-state execution.

use std::time::Instant;

use serde_json::json;
use statescope::asl::check::check;
use statescope::asl::engine::history::EventKind;
use statescope::asl::engine::{Execution, ExecutionConfig, Status};
use statescope::asl::source::Source;

const ITERATIONS: u64 = 10_000;
const RUNS: usize = 15;

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
    // Two figures, because page faults dominate: a run in fresh memory (as in a new
    // `statescope run` process, every page of history is touched for the first time) and a run
    // in memory an earlier run freed (a long-lived debugger session). Teardown is timed apart.
    let run = || {
        let start = Instant::now();
        let mut exec = Execution::new(machine.clone(), json!({"i": 0}), config.clone());
        let status = exec.run().clone();
        let secs = start.elapsed().as_secs_f64();
        if status != Status::Succeeded(json!({"i": ITERATIONS}).into()) {
            eprintln!("bench loop did not finish as expected: {status:?}");
            std::process::exit(1);
        }
        let states = entered(&exec);
        (secs, states, exec)
    };
    // Fresh: every execution is kept, so each run gets new pages.
    let mut kept = Vec::new();
    let mut fresh: Vec<f64> = (0..RUNS)
        .map(|_| {
            let (secs, _, exec) = run();
            kept.push(exec);
            secs
        })
        .collect();
    let start = Instant::now();
    drop(kept);
    let teardown = start.elapsed().as_secs_f64() / RUNS as f64;
    // Reused: each execution is dropped before the next run starts.
    let mut states = 0;
    let mut reused: Vec<f64> = (0..RUNS)
        .map(|_| {
            let (secs, n, _) = run();
            states = n;
            secs
        })
        .collect();
    // Sorts too: `reused[0]` is then the best run.
    let median = |t: &mut Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let (fresh, reused, best) = (median(&mut fresh), median(&mut reused), reused[0]);
    println!(
        "engine/counter-loop: {ITERATIONS} iterations, {states} states (median of {RUNS}): \
         fresh memory {:.2} ms = {:.0} states/s; reused memory {:.2} ms = {:.0} states/s \
         (best {:.0} states/s); teardown {:.2} ms per execution",
        fresh * 1e3,
        states as f64 / fresh,
        reused * 1e3,
        states as f64 / reused,
        states as f64 / best,
        teardown * 1e3,
    );
    wide(&config);
}

/// A machine of 300 states in a loop: each transition looks its target up by name, so this
/// shows what a large definition costs per state beyond the counter loop's three.
fn wide(config: &ExecutionConfig) {
    const WIDTH: usize = 300;
    const LAPS: u64 = 30;
    let mut states = serde_json::Map::new();
    for k in 0..WIDTH {
        let next = if k + 1 == WIDTH { "Again?".to_string() } else { format!("S{}", k + 1) };
        states.insert(format!("S{k}"), json!({"Type": "Pass", "Next": next}));
    }
    states.insert(
        "Again?".into(),
        json!({"Type": "Choice", "Choices": [{"Variable": "$.lap", "NumericLessThan": LAPS, "Next": "Lap"}],
            "Default": "Done"}),
    );
    states.insert(
        "Lap".into(),
        json!({"Type": "Pass", "Parameters": {"lap.$": "States.MathAdd($.lap, 1)"}, "Next": "S0"}),
    );
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    let def = json!({"StartAt": "S0", "States": states});
    let checked = check(&Source::new("wide.asl.json", def.to_string()));
    let Some(machine) = checked.runnable() else {
        eprintln!("wide bench machine does not validate: {:?}", checked.diagnostics);
        std::process::exit(1);
    };
    let mut entered = 0;
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let mut exec = Execution::new(machine.clone(), json!({"lap": 0}), config.clone());
            let done = matches!(exec.run(), Status::Succeeded(_));
            let secs = start.elapsed().as_secs_f64();
            if !done {
                eprintln!("wide bench loop did not finish: {:?}", exec.status());
                std::process::exit(1);
            }
            entered = self::entered(&exec);
            secs
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "engine/{WIDTH}-state loop: {LAPS} laps, {entered} states (median of {RUNS}, reused memory): {:.2} ms = {:.0} states/s",
        times[RUNS / 2] * 1e3,
        entered as f64 / times[RUNS / 2]
    );
}

/// States entered in the execution's history.
fn entered(exec: &Execution) -> usize {
    exec.history().events().iter().filter(|e| matches!(e.kind, EventKind::StateEntered { .. })).count()
}
