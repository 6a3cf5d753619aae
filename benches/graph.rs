//! Layout time of generated machines (`cargo bench --bench graph`). Prints the best and median
//! of several runs; the 300-state machine should stay under 20 ms in release builds. A Choice
//! with 3,000 rules over three targets (issue 13: 5.5 s and 114 MB of text before its rules
//! were summarised) should lay out in milliseconds.

#[path = "../tests/engine/graph/machines.rs"]
mod machines;

use std::time::{Duration, Instant};

use statescope::asl::check::check;
use statescope::asl::source::Source;
use statescope::graph::{self, Options};

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[0], samples[runs / 2])
}

fn main() {
    for count in [50, 300, 1000] {
        let text = machines::stress(count);
        let checked = check(&Source::new(format!("stress-{count}.json"), text));
        let Some(machine) = checked.runnable() else {
            eprintln!("stress {count} does not validate: {:?}", checked.diagnostics);
            std::process::exit(1);
        };
        let layout = graph::layout(machine, &Options::default());
        let runs = if count > 300 { 5 } else { 21 };
        let (best, median) = time(runs, || graph::layout(machine, &Options::default()));
        let (cbest, _) = time(runs, || graph::layout(machine, &Options { compact: true, ..Options::default() }));
        let (dbest, _) = time(runs, || graph::to_dot(machine, &Options::default()));
        println!(
            "stress {count:>4}: {} states, {}x{} cells, {} edges | layout best {:.2} ms, median {:.2} ms | compact {:.2} ms | dot {:.3} ms",
            layout.states.len(),
            layout.width,
            layout.height,
            layout.edges.len(),
            best.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            cbest.as_secs_f64() * 1e3,
            dbest.as_secs_f64() * 1e3,
        );
    }
    for rules in [300, 3_000, 60_000] {
        let text = wide_choice(rules);
        let checked = check(&Source::new(format!("choice-{rules}.json"), text));
        let Some(machine) = checked.runnable() else {
            eprintln!("choice {rules} does not validate: {:?}", checked.diagnostics);
            std::process::exit(1);
        };
        let (best, median) = time(5, || graph::layout(machine, &Options::default()));
        let text = graph::layout(machine, &Options::default()).to_text();
        println!(
            "choice {rules:>6} rules: layout best {:.2} ms, median {:.2} ms, {} bytes of text",
            best.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            text.len()
        );
    }
    // Issue 13: 3,000 distinct targets took one edge, port and jog row each (40 s and 219 MB of
    // text in a debug build); beyond 24 targets the rest are summarised into one box.
    for targets in [300, 3_000] {
        let text = fan_out(targets);
        let checked = check(&Source::new(format!("fan-out-{targets}.json"), text));
        let Some(machine) = checked.runnable() else {
            eprintln!("fan-out {targets} does not validate: {:?}", checked.diagnostics);
            std::process::exit(1);
        };
        let (best, median) = time(5, || graph::layout(machine, &Options::default()));
        let layout = graph::layout(machine, &Options::default());
        let text = layout.to_text();
        println!(
            "fan-out {targets:>5} distinct targets: layout best {:.2} ms, median {:.2} ms, {}x{} cells, {} bytes of text",
            best.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            layout.width,
            layout.height,
            text.len()
        );
    }
}

/// A Choice routing `targets` rules to as many different Succeed states.
fn fan_out(targets: usize) -> String {
    let choices: Vec<serde_json::Value> = (0..targets)
        .map(|i| serde_json::json!({"Variable": "$.code", "NumericEquals": i, "Next": format!("Target {i}")}))
        .collect();
    let mut states = serde_json::json!({"Route": {"Type": "Choice", "Choices": choices, "Default": "Target 0"}});
    for k in 0..targets {
        states[format!("Target {k}")] = serde_json::json!({"Type": "Succeed"});
    }
    serde_json::json!({"StartAt": "Route", "States": states}).to_string()
}

/// A Choice routing `rules` numeric rules to three handlers in turn.
fn wide_choice(rules: usize) -> String {
    let choices: Vec<serde_json::Value> = (0..rules)
        .map(|i| serde_json::json!({"Variable": "$.code", "NumericEquals": i, "Next": format!("Handle {}", i % 3)}))
        .collect();
    let mut states = serde_json::json!({"Route": {"Type": "Choice", "Choices": choices, "Default": "Handle 0"}});
    for k in 0..3 {
        states[format!("Handle {k}")] = serde_json::json!({"Type": "Succeed"});
    }
    serde_json::json!({"StartAt": "Route", "States": states}).to_string()
}
