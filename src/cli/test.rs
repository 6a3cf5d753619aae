//! `statescope test DEF --mock-config M`: runs every test case the mock config defines for the
//! machine and prints one line per case; with an expectations file (`NAME.expect.json` beside
//! the mock config `NAME.mock.json`, or `--expect FILE`) compares status, output, error and
//! cause and exits 1 on a mismatch, so it can gate CI. Also loads mock configs for `run`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::check::check_with;
use crate::asl::definition::StateMachine;
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::mock::{MockConfig, MockSource, check_against, parse_mock_config};
use crate::asl::source::LineIndex;
use crate::cli::Format;
use crate::cli::run::read_input_for;
use crate::cli::validate::{load_options, read};

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template.
    pub definition: PathBuf,
    /// In a template with several state machines, the logical id of the one to run.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::validate::SubstituteArgs,
    /// Mock config in Step Functions Local's MockConfigFile format.
    #[arg(long, value_name = "FILE")]
    pub mock_config: PathBuf,
    /// The state machine of the mock config to use (default: its only one).
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// Expectations per test case; default NAME.expect.json beside NAME.mock.json, if present.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// Execution input for cases whose expectation gives none; default as for `run`.
    #[arg(long)]
    pub input: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub handlers: crate::cli::handlers::HandlerArgs,
}

/// `--mock-config FILE --test-case NAME [--state-machine NAME]`, shared by `run` and the debugger.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct MockArgs {
    /// Task results from a mock config in Step Functions Local's MockConfigFile format; a task
    /// it does not mock waits for an answer.
    #[arg(long, value_name = "FILE", requires = "test_case")]
    pub mock_config: Option<PathBuf>,
    /// The mock config's test case to use.
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub test_case: Option<String>,
    /// The mock config's state machine (default: its only one).
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub state_machine: Option<String>,
}

impl MockArgs {
    /// The test case as the task source; without `--mock-config`, nothing answers.
    pub fn source(&self, machine: &StateMachine) -> Result<Arc<dyn TaskSource>, String> {
        let (Some(path), Some(case)) = (&self.mock_config, &self.test_case) else { return Ok(Arc::new(NoTasks)) };
        let mocks = load_mocks(path, self.state_machine.as_deref(), machine)?;
        let source = MockSource::new(&mocks.config, Some(&mocks.machine), case)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Arc::new(source))
    }
}

/// A mock config read and checked against the machine it mocks.
pub(crate) struct LoadedMocks {
    pub config: MockConfig,
    /// The mock config's state machine to use.
    pub machine: String,
}

/// Reads, parses and checks a mock config; on errors prints them (file:line:col) and returns
/// the message for the caller's exit path.
pub(crate) fn load_mocks(
    path: &Path,
    state_machine: Option<&str>,
    definition: &StateMachine,
) -> Result<LoadedMocks, String> {
    let source = read(path).map_err(|d| d.message)?;
    let parsed = parse_mock_config(&source.text);
    let mut diagnostics: Vec<Diagnostic> = parsed.diagnostics;
    let config = parsed.config.unwrap_or_default();
    let machine = match config.machine(state_machine) {
        Ok(m) => {
            diagnostics.extend(check_against(m, definition));
            Some(m.name.clone())
        }
        // A config that did not parse cleanly may have lost its machines: show why first.
        Err(_) if diagnostics.iter().any(Diagnostic::is_error) => None,
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let index = LineIndex::new(&source.text);
        for d in &errors {
            eprint!("{}", diagnostic::render(&source, &index, d));
        }
        return Err(format!("{}: {} error(s) in the mock config", path.display(), errors.len()));
    }
    Ok(LoadedMocks { config, machine: machine.unwrap_or_default() })
}

/// What one test case must end with; absent fields are not compared.
#[derive(Debug, Default)]
struct Expectation {
    input: Option<Value>,
    status: Option<String>,
    output: Option<Value>,
    error: Option<String>,
    cause: Option<String>,
}

fn read_expectations(path: &Path) -> Result<Map<String, Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: not valid JSON: {e}", path.display(), e.line(), e.column()))?;
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(format!("{}: expectations must be an object of test case → expectation", path.display())),
    }
}

fn expectation(case: &str, v: &Value, path: &Path) -> Result<Expectation, String> {
    let Value::Object(o) = v else {
        return Err(format!("{}: the expectation of '{case}' must be an object", path.display()));
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match o.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("{}: '{case}'.{key} must be a string", path.display())),
        }
    };
    for key in o.keys() {
        if !["input", "status", "output", "error", "cause"].contains(&key.as_str()) {
            return Err(format!(
                "{}: unknown field '{key}' in the expectation of '{case}' (input, status, output, error, cause)",
                path.display()
            ));
        }
    }
    Ok(Expectation {
        input: o.get("input").cloned(),
        status: text("status")?,
        output: o.get("output").cloned(),
        error: text("error")?,
        cause: text("cause")?,
    })
}

/// The default expectations file: `NAME.expect.json` beside `NAME.mock.json` (or `NAME.json`).
fn default_expect_path(mock: &Path) -> PathBuf {
    let name = mock.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = [".mock.json", ".json"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name);
    mock.with_file_name(format!("{stem}.expect.json"))
}

/// One case's outcome as `{status, output | error, cause}`.
fn outcome(status: &Status) -> Value {
    match status {
        Status::Succeeded(v) => json!({"status": "SUCCEEDED", "output": &**v}),
        Status::Failed { error, cause } => json!({"status": "FAILED", "error": error, "cause": cause}),
        Status::AwaitingTask(r) => json!({
            "status": "WAITING",
            "error": "statescope.TaskNeedsResult",
            "cause": format!("Task '{}' ({}) needs a result and this test case does not mock it", r.state, r.resource),
        }),
        Status::Stopped(why) => json!({"status": "UNSUPPORTED", "error": "statescope.Unsupported", "cause": why}),
        Status::TimedOut => json!({"status": "TIMED_OUT", "error": crate::asl::engine::TIMED_OUT_ERROR}),
        Status::Running => json!({"status": "RUNNING"}),
    }
}

/// The differences between an outcome and its expectation.
fn mismatches(got: &Value, want: &Expectation) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: &str, want: Option<Value>| {
        if let Some(w) = want {
            let g = got.get(field).cloned().unwrap_or(Value::Null);
            if g != w {
                out.push(format!("{field}: expected {w}, got {g}"));
            }
        }
    };
    check("status", want.status.clone().map(Value::String));
    check("output", want.output.clone());
    check("error", want.error.clone().map(Value::String));
    check("cause", want.cause.clone().map(Value::String));
    out
}

fn summary_of(got: &Value) -> String {
    match got["status"].as_str() {
        Some("SUCCEEDED") => got["output"].to_string(),
        _ => format!(
            "{}: {}",
            got["error"].as_str().unwrap_or("(no error)"),
            got["cause"].as_str().unwrap_or("(no cause)")
        ),
    }
}

pub fn run(args: &TestArgs) -> ExitCode {
    let fail = |message: &str| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let source = match read(&args.definition) {
        Ok(s) => s,
        Err(d) => return fail(&d.message),
    };
    let checked = check_with(&source, &load_options(args.machine.as_deref(), &args.substitute, &args.definition));
    let Some(machine) = checked.runnable() else {
        for text in checked.render_why_not_runnable(&source) {
            eprint!("{text}");
        }
        return ExitCode::from(2);
    };
    let mocks = match load_mocks(&args.mock_config, args.state_machine.as_deref(), machine) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let expect_path = args.expect.clone().unwrap_or_else(|| default_expect_path(&args.mock_config));
    let expectations = if args.expect.is_some() || expect_path.exists() {
        match read_expectations(&expect_path) {
            Ok(e) => Some(e),
            Err(e) => return fail(&e),
        }
    } else {
        None
    };
    let Ok(mock_machine) = mocks.config.machine(Some(&mocks.machine)) else {
        return fail("the mock config lost its state machine");
    };
    if let Some(exp) = &expectations {
        for name in exp.keys() {
            if mock_machine.test_case(name).is_err() {
                return fail(&format!("{}: '{name}' is not a test case of '{}'", expect_path.display(), mocks.machine));
            }
        }
    }
    let default_input = match read_input_for(&args.definition, args.input.as_deref()) {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    let (mut mismatched, mut unfinished) = (0, 0);
    let mut lines = Vec::new();
    for case in &mock_machine.test_cases {
        let want = match expectations.as_ref().and_then(|e| e.get(&case.name)) {
            Some(v) => match expectation(&case.name, v, &expect_path) {
                Ok(w) => Some(w),
                Err(e) => return fail(&e),
            },
            None => None,
        };
        let tasks = match MockSource::new(&mocks.config, Some(&mocks.machine), &case.name) {
            Ok(t) => t,
            Err(e) => return fail(&e.to_string()),
        };
        let input = want.as_ref().and_then(|w| w.input.clone()).unwrap_or_else(|| default_input.clone());
        let config = ExecutionConfig { seed: args.seed, ..ExecutionConfig::default() };
        let mut exec = Execution::with_tasks(
            machine.clone(),
            input,
            config,
            args.handlers.with(Arc::new(tasks)),
            RecordedAnswers::default(),
        );
        let got = outcome(exec.run());
        let status = got["status"].as_str().unwrap_or_default().to_string();
        if !matches!(status.as_str(), "SUCCEEDED" | "FAILED") {
            unfinished += 1;
        }
        let verdict = match &want {
            None => "",
            Some(w) => {
                let diffs = mismatches(&got, w);
                if diffs.is_empty() {
                    "PASS"
                } else {
                    mismatched += 1;
                    lines.push((case.name.clone(), "FAIL", status.clone(), summary_of(&got), diffs, got.clone()));
                    continue;
                }
            }
        };
        lines.push((case.name.clone(), verdict, status, summary_of(&got), Vec::new(), got));
    }
    let width = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
    for (name, verdict, status, summary, diffs, got) in &lines {
        match args.format {
            Format::Json => {
                let mut o = got.clone();
                o["testCase"] = json!(name);
                if !verdict.is_empty() {
                    o["result"] = json!(verdict);
                    o["mismatches"] = json!(diffs);
                }
                outln!("{o}");
            }
            Format::Text => {
                let verdict = if verdict.is_empty() { String::new() } else { format!("{verdict:<4} ") };
                outln!("{verdict}{name:<width$}  {status:<9}  {summary}");
                for d in diffs {
                    outln!("       {d}");
                }
            }
        }
    }
    if args.format == Format::Text {
        let total = lines.len();
        match &expectations {
            Some(_) => outln!("{} of {total} test cases as expected", total - mismatched),
            None => outln!("{total} test cases run (no expectations file: {})", expect_path.display()),
        }
    }
    if mismatched > 0 {
        ExitCode::FAILURE
    } else if unfinished > 0 && expectations.is_none() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
