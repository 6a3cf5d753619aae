//! The debugger's performance figures (issue 7): save → redrawn after a hot reload, memory after
//! 10,000 steps, and frame render time on the largest sample with a 256 KiB payload.
//! `cargo test --test tui figures:: -- --nocapture` prints them; the assertions only catch gross
//! regressions (bounds are generous: CI machines are shared and this is a debug build).
//!
//! One test runs the three in turn, so the memory figure is not disturbed by another test's
//! allocations on a parallel thread; and since this file shares its test crate with the other
//! debugger tests, that test re-runs itself in a child process that runs nothing else (the RSS
//! figure is the whole process's, and the frame times should not share the CPU with a sibling).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::key;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};
use statescope::asl::engine::{ExecutionConfig, Status};
use statescope::asl::mock::{MockSource, parse_mock_config};
use statescope::asl::source::Source;
use statescope::tui::app::{Files, MockFile};
use statescope::tui::session::Session;
use statescope::tui::watch::{FileWatch, Watched};
use statescope::tui::{App, Event, ui, update};

/// The largest sample machine (by definition size), run with its mock config.
const LARGEST: &str = "sample-machines/order-processing.asl.json";
const LARGEST_MOCK: &str = "sample-machines/order-processing.mock.json";
const LARGEST_INPUT: &str = "sample-machines/order-processing.input.json";

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("sample file")
}

/// The largest sample on `input`, its tasks answered by the mock config's `HappyPath`.
fn largest_app(definition_path: &str, definition: String, input: Value) -> App {
    let mock_text = read(LARGEST_MOCK);
    let config = parse_mock_config(&mock_text).config.expect("sample mock parses");
    let tasks = Arc::new(MockSource::new(&config, None, "HappyPath").expect("test case"));
    let source = Source::new(definition_path, definition);
    let session = Session::start_with_tasks(source, &Default::default(), input, ExecutionConfig::default(), tasks)
        .expect("sample checks");
    let mock = MockFile { path: LARGEST_MOCK.into(), test_case: "HappyPath".into(), state_machine: None };
    App::new(session, Files { definition: definition_path.into(), input: None, mock: Some(mock), ..Files::default() })
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| ui::draw(f, app)).expect("draw");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Resident set size of this process, in bytes (Linux `/proc`; `None` elsewhere).
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A Pass/Choice loop that never ends by itself, carrying a small payload each turn.
const LOOP: &str = r#"{
  "StartAt": "Init",
  "States": {
    "Init": { "Type": "Pass", "Result": 0, "ResultPath": "$.n", "Next": "Count" },
    "Count": {
      "Type": "Pass",
      "Parameters": { "n.$": "States.MathAdd($.n, 1)", "payload.$": "$.payload" },
      "Next": "Again?"
    },
    "Again?": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.n", "NumericLessThan": 100000000, "Next": "Count" }],
      "Default": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}"#;

const STEPS: usize = 10_000;

/// (b) RSS before and after 10,000 `s` presses through `update` (no terminal).
fn memory_after_10000_steps() -> (f64, f64, Duration) {
    let input = json!({"payload": {"text": "x".repeat(200), "list": (0..20).collect::<Vec<_>>()}});
    let mut app = crate::support::app_for(LOOP, &input.to_string());
    let before = rss().unwrap_or(0);
    let start = Instant::now();
    for _ in 0..STEPS {
        key(&mut app, 's');
    }
    let took = start.elapsed();
    assert_eq!(app.session.exec.stages().len(), STEPS, "every press showed one stage");
    assert_eq!(app.session.exec.status(), &Status::Running);
    let after = rss().unwrap_or(0);
    (mb(before), mb(after), took)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-figures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const SAVES: usize = 7;

/// (a) Save → redrawn: an editor-style save (write a temp file, rename it over the definition)
/// of the largest sample, run to its end, through the runtime's own pieces: the notify watch
/// with its 100 ms debounce on a tokio current-thread runtime, the file re-read, `update`
/// (check, replay to the same stage), and a full frame drawn on a 120×40 test backend. Only
/// crossterm's key stream is missing (it needs a real terminal). One figure per save.
fn save_to_redrawn() -> Vec<Duration> {
    let dir = temp_dir("reload");
    let def = dir.join("order-processing.asl.json");
    let original = read(LARGEST);
    std::fs::write(&def, &original).expect("write definition");
    let input: Value = serde_json::from_str(&read(LARGEST_INPUT)).expect("sample input");
    let mut app = largest_app(&def.to_string_lossy(), original.clone(), input);
    key(&mut app, 'c');
    let stages = app.session.exec.stages().len();
    assert!(stages > 20, "the sample ran to its end ({stages} stages)");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    update(&mut app, Event::Resize { width: 120, height: 40 });
    draw(&mut terminal, &app);
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
    let times = rt.block_on(async {
        let mut watch =
            FileWatch::start(Watched { definition: def.clone(), also: Vec::new(), input: None, mock: None });
        assert_eq!(watch.error(), None);
        let mut times = Vec::new();
        for i in 0..SAVES {
            // Quiet between saves, so each is its own change.
            tokio::time::sleep(Duration::from_millis(150)).await;
            let text = original.replacen("\"Comment\": \"", &format!("\"Comment\": \"edit {i}: "), 1);
            assert_ne!(text, original, "the sample has a Comment to edit");
            let tmp = dir.join(".save.tmp");
            let saved = Instant::now();
            std::fs::write(&tmp, &text).expect("write temp");
            std::fs::rename(&tmp, &def).expect("rename over");
            let change = tokio::time::timeout(Duration::from_secs(10), watch.changed())
                .await
                .expect("a change within 10 s")
                .expect("watching");
            assert!(update(&mut app, Event::FileChanged(change)), "a reload redraws");
            draw(&mut terminal, &app);
            times.push(saved.elapsed());
            let message = app.message.clone().unwrap_or_default();
            assert!(message.starts_with(&format!("reloaded: replayed to stage {stages} ")), "{message}");
            assert!(message.contains("; Comment: "), "the edit is named: {message}");
            assert!(app.session.source.text.contains(&format!("edit {i}: ")), "the new text runs");
        }
        times
    });
    let _ = std::fs::remove_dir_all(&dir);
    times
}

const PAYLOAD_BYTES: usize = 256 * 1024;

fn payload() -> Value {
    let mut items = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < PAYLOAD_BYTES {
        let item = json!({"id": i, "name": format!("item number {i}"), "tags": ["a", "b"], "price": i as f64 * 1.25});
        size += item.to_string().len() + 1;
        items.push(item);
        i += 1;
    }
    json!({"orderId": "o-1", "customer": {"name": "Ada"}, "items": items})
}

/// (c) One frame at 120×40 of the largest sample with a 256 KiB input on screen: the first
/// (highlights the visible part), then the steady state (median of 20).
fn render_largest() -> (usize, Duration, Duration) {
    let input = payload();
    let bytes = input.to_string().len();
    let mut app = largest_app(LARGEST, read(LARGEST), input);
    key(&mut app, 's');
    update(&mut app, Event::Resize { width: 120, height: 40 });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let start = Instant::now();
    draw(&mut terminal, &app);
    let first = start.elapsed();
    let steady = median(
        (0..20)
            .map(|_| {
                let start = Instant::now();
                draw(&mut terminal, &app);
                start.elapsed()
            })
            .collect(),
    );
    (bytes, first, steady)
}

/// Set in the child process that takes the measurements.
const ALONE: &str = "STATESCOPE_FIGURES_ALONE";

#[test]
fn figures() {
    if std::env::var_os(ALONE).is_none() {
        // The variable is given to the child only: this process's environment is left alone,
        // since the crate's other tests run on parallel threads.
        let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args(["figures::figures", "--exact", "--nocapture", "--test-threads=1"])
            .env(ALONE, "1")
            .output()
            .expect("the test binary re-runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        print!("{stdout}");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "the figures failed in the child process");
        // A filter that matched nothing would pass without measuring anything.
        assert!(stdout.contains("1 passed"), "the child ran no test: {stdout}");
        return;
    }
    let (before, after, took) = memory_after_10000_steps();
    println!(
        "memory: RSS {before:.1} MB before, {after:.1} MB after {STEPS} steps (+{:.1} MB, {:.2} KB/stage); \
         stepping took {took:?}",
        after - before,
        (after - before) * 1024.0 / STEPS as f64
    );
    let times = save_to_redrawn();
    let mut sorted = times.clone();
    sorted.sort();
    let med = median(times.clone());
    println!(
        "save -> redrawn (largest sample, {SAVES} saves, 100 ms debounce included): median {med:?}, \
         min {:?}, max {:?}; all {times:?}",
        sorted[0],
        sorted[sorted.len() - 1]
    );
    let (bytes, first, steady) = render_largest();
    println!(
        "render 120x40, largest sample, payload {bytes} B: first frame {first:?}, steady {steady:?}/frame (median)"
    );

    assert!(after - before < 500.0, "10,000 steps took {:.1} MB", after - before);
    assert!(med >= Duration::from_millis(100), "the debounce is part of the figure: {med:?}");
    assert!(med < Duration::from_secs(2), "save -> redrawn took {med:?}");
    assert!(steady < Duration::from_millis(250), "steady frame took {steady:?}");
}
