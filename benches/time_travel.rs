//! Issue 4's figures: a 1,000-item Map whose processor has two Pass states; a Retry chain of 5
//! attempts; rewind anywhere in a 10,000-stage run; memory of a 10,000-stage history with
//! 1 KiB payloads. Prints the figures; not a timed test.
//!
//! `cargo bench --bench time_travel` (release profile).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use statescope::asl::check::check;
use statescope::asl::definition::StateMachine;
use statescope::asl::engine::{Execution, ExecutionConfig, Status};
use statescope::asl::source::Source;

fn machine(def: Value) -> Arc<StateMachine> {
    let checked = check(&Source::new("bench.asl.json", def.to_string()));
    match checked.machine {
        Some(m) if !checked.has_errors() => m,
        _ => {
            eprintln!("bench machine does not validate: {:?}", checked.diagnostics);
            std::process::exit(1);
        }
    }
}

fn config() -> ExecutionConfig {
    ExecutionConfig { max_history_events: usize::MAX, ..ExecutionConfig::default() }
}

/// Best of `n` runs of `f`.
fn best(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..n).map(|_| f()).min().unwrap_or_default()
}

/// Resident memory of this process, from /proc (Linux); 0 elsewhere.
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn map_of_1000() {
    let m = machine(json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
        "ItemProcessor": {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Parameters": {"x.$": "$.v"}, "Next": "B"},
            "B": {"Type": "Pass", "ResultPath": "$.copy", "End": true}}},
        "End": true}}}));
    let input = json!({"items": (0..1000).collect::<Vec<_>>()});
    let mut stages = 0;
    let t = best(5, || {
        let start = Instant::now();
        let mut e = Execution::new(m.clone(), input.clone(), config());
        let ok = matches!(e.run(), Status::Succeeded(_));
        let d = start.elapsed();
        assert!(ok, "map bench failed");
        stages = e.stages().len();
        d
    });
    println!("map/1000 items × 2 Pass: {stages} stages, {:.2} ms (best of 5)", t.as_secs_f64() * 1e3);
}

fn retry_chain() {
    // A Parallel whose branch fails; Retry allows 4 more attempts (5 in all), backoff 2.0.
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Flaky", "Cause": "again"}}}],
        "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 4, "IntervalSeconds": 1, "BackoffRate": 2.0}],
        "End": true}}}));
    let mut attempts = 0;
    let mut virtual_s = 0.0;
    let t = best(20, || {
        let start = Instant::now();
        let mut e = Execution::new(m.clone(), json!({}), config());
        e.run();
        let d = start.elapsed();
        attempts = e.history().events().iter().filter(|ev| ev.type_name() == "ParallelStateStarted").count();
        virtual_s = (e.now_ms() - config().start_ms) as f64 / 1000.0;
        d
    });
    println!(
        "retry/5 attempts: {attempts} attempts, {virtual_s} s on the virtual clock, {:.1} µs (best of 20)",
        t.as_secs_f64() * 1e6
    );
}

/// A loop of Pass states long enough for 10,000 stages.
fn counter(payload: &str) -> (Arc<StateMachine>, Value) {
    let m = machine(json!({"StartAt": "Loop", "States": {
        "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 5000, "Next": "Inc"}],
                 "Default": "Done"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "pad.$": "$.pad"}, "Next": "Loop"},
        "Done": {"Type": "Succeed"}}}));
    (m, json!({"i": 0, "pad": payload}))
}

fn rewind_10000() {
    let (m, input) = counter("");
    let mut e = Execution::new(m.clone(), input, config());
    while e.stages().len() < 10_000 {
        if let statescope::asl::engine::Step::Finished(_) = e.step() {
            break;
        }
    }
    let total = e.stages().len();
    // Deterministic spread of targets over the whole run, jumping back and forth.
    let targets: Vec<usize> = (0..200).map(|k| (k * 7919) % total).collect();
    let mut worst = Duration::ZERO;
    let start = Instant::now();
    for &t in &targets {
        let s = Instant::now();
        e.rewind(t);
        worst = worst.max(s.elapsed());
    }
    let mean = start.elapsed() / targets.len() as u32;
    e.rewind(total - 1);
    let s = Instant::now();
    e.step_back();
    let back = s.elapsed();
    println!(
        "rewind/{total}-stage run: mean {:.1} µs, worst {:.1} µs over {} targets; step_back {:.1} µs",
        mean.as_secs_f64() * 1e6,
        worst.as_secs_f64() * 1e6,
        targets.len(),
        back.as_secs_f64() * 1e6
    );
}

fn memory_10000_with_1kib() {
    let pad = "x".repeat(1024);
    let before = rss_bytes();
    let (m, input) = counter(&pad);
    let mut e = Execution::new(m.clone(), input, config());
    while e.stages().len() < 10_000 {
        if let statescope::asl::engine::Step::Finished(_) = e.step() {
            break;
        }
    }
    let after = rss_bytes();
    println!(
        "memory/{}-stage run, {} events, 1 KiB payloads: RSS +{:.1} MB",
        e.stages().len(),
        e.history().len(),
        after.saturating_sub(before) as f64 / 1e6
    );
}

/// Issue 14 item 8: a Pass loop whose Parameters copy a 200 KB string, run to the 25,000-event
/// quota. Every stage and event is kept for time travel; what they hold between them is the
/// store's own accounting (`retained_bytes`: shared parts counted once), beside the RSS growth.
fn memory_copy_loop_200kb() {
    use statescope::asl::engine::history::EventKind;
    use statescope::asl::engine::stored::{Payload, retained_bytes};
    let m = machine(json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Parameters": {"big.$": "$.big", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Loop"}}}));
    let before = rss_bytes();
    let start = Instant::now();
    let mut e = Execution::new(m, json!({"big": "x".repeat(200_000), "n": 0}), ExecutionConfig::default());
    e.run();
    let secs = start.elapsed().as_secs_f64();
    let after = rss_bytes();
    let mut payloads: Vec<&Payload> = e.stages().iter().map(|s| &s.payload).collect();
    payloads.extend(e.history().events().iter().filter_map(|ev| match &ev.kind {
        EventKind::StateEntered { input: p, .. } | EventKind::StateExited { output: p, .. } => Some(p),
        _ => None,
    }));
    println!(
        "memory/200 KB copy loop: {} stages, {} events, {:.2} s; payloads hold {:.1} MB between them \
         ({:.0} MB if every one held its own copy); RSS +{:.1} MB",
        e.stages().len(),
        e.history().len(),
        secs,
        retained_bytes(payloads.iter().copied()) as f64 / 1e6,
        payloads.len() as f64 * 0.2,
        after.saturating_sub(before) as f64 / 1e6
    );
}

fn main() {
    memory_10000_with_1kib();
    memory_copy_loop_200kb();
    map_of_1000();
    retry_chain();
    rewind_10000();
}
