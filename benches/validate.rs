//! Validation time of long machines (`cargo bench --bench validate`): parse, build and check
//! chains of 10,000 and 20,000 Pass states, JSON and YAML. Issue 13 found it quadratic
//! (1.4 s and 4.4 s); it should now grow with the size of the file, well under a second.

use std::time::{Duration, Instant};

use statescope::asl::check::check;
use statescope::asl::source::Source;

fn chain(states: usize) -> serde_json::Value {
    let mut all = serde_json::Map::new();
    for i in 0..states {
        let state = if i + 1 < states {
            serde_json::json!({"Type": "Pass", "Next": format!("Step {}", i + 1)})
        } else {
            serde_json::json!({"Type": "Succeed"})
        };
        all.insert(format!("Step {i}"), state);
    }
    serde_json::json!({"StartAt": "Step 0", "States": all})
}

/// The same document in block-style YAML.
fn yaml(states: usize) -> String {
    let mut out = String::from("StartAt: Step 0\nStates:\n");
    for i in 0..states {
        if i + 1 < states {
            out.push_str(&format!("  Step {i}:\n    Type: Pass\n    Next: Step {}\n", i + 1));
        } else {
            out.push_str(&format!("  Step {i}:\n    Type: Succeed\n"));
        }
    }
    out
}

fn best_and_median(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[0], samples[runs / 2])
}

fn main() {
    for states in [10_000, 20_000] {
        for (format, text) in [("json", chain(states).to_string()), ("yaml", yaml(states))] {
            let source = Source::new(format!("chain-{states}.{format}"), text);
            let checked = check(&source);
            assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics.first());
            let (best, median) = best_and_median(5, || {
                std::hint::black_box(check(&source));
            });
            println!(
                "{states:>6} states ({format}): best {:.1} ms, median {:.1} ms",
                best.as_secs_f64() * 1e3,
                median.as_secs_f64() * 1e3
            );
        }
    }
}
