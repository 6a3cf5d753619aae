//! Layout time of generated machines (`cargo bench --bench graph`). Prints the best and median
//! of several runs; the 300-state machine should stay under 20 ms in release builds.

#[path = "../tests/graph/machines.rs"]
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
}
