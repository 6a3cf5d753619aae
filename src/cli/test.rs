//! `statescope test DEF --mock-config M`: runs every test case the mock config defines for the
//! machine and prints one line per case; with an expectations file (`NAME.expect.json` beside
//! the mock config `NAME.mock.json`, or `--expect FILE`) compares status, output, error and
//! cause and exits 1 on a mismatch, so it can gate CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::coverage::Coverage;
use crate::asl::definition::StateMachine;
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::mock::MockSource;
use crate::asl::workflow::WorkflowType;
use crate::cli::inputs::{InputFrom, beside, load_definition, load_mocks};

mod report;

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// The definitions (.json, .yaml, .yml) or CloudFormation/SAM templates; each uses its own
    /// NAME.mock.json and NAME.expect.json unless --mock-config/--expect say otherwise.
    #[arg(required = true, num_args = 1..)]
    pub definitions: Vec<PathBuf>,
    /// In a template with several state machines, the logical id of the one to run.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    /// Mock config in Step Functions Local's MockConfigFile format; default NAME.mock.json
    /// beside each definition (a machine without one runs once, with no task answered).
    #[arg(long, value_name = "FILE")]
    pub mock_config: Option<PathBuf>,
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
    pub format: TestFormat,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print which states ran and which transitions (Choice rules, Default, Catch, Retry)
    /// were taken over all test cases.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when a machine's coverage is below PCT percent; implies --coverage.
    #[arg(long, value_name = "PCT")]
    pub min_coverage: Option<f64>,
    #[command(flatten)]
    pub handlers: crate::cli::handlers::HandlerArgs,
    #[command(flatten)]
    pub history: crate::cli::history::HistoryArgs,
    #[command(flatten)]
    pub check: crate::cli::check_flags::CheckFlags,
}

/// Output of `statescope test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    #[default]
    Text,
    Json,
    /// JUnit XML, for CI test reports (GitHub, GitLab, Jenkins).
    Junit,
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
pub(crate) fn default_expect_path(mock: &Path) -> PathBuf {
    let name = mock.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = [".mock.json", ".json"].iter().find_map(|e| name.strip_suffix(e)).unwrap_or(name);
    mock.with_file_name(format!("{stem}.expect.json"))
}

/// One case's outcome as `{status, output | error, cause}`.
pub(crate) fn outcome(status: &Status) -> Value {
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
    let several = args.definitions.len() > 1;
    if several && (args.expect.is_some() || args.mock_config.is_some()) {
        eprintln!(
            "error: --mock-config and --expect name one machine's files: give one definition, or let each use its NAME.mock.json"
        );
        return ExitCode::from(2);
    }
    let coverage = args.coverage || args.min_coverage.is_some();
    let mut machines = Vec::new();
    for def in &args.definitions {
        match run_machine(def, args, coverage) {
            Ok(m) => machines.push(m),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    report::print(args, &machines);
    let mismatched = machines.iter().any(|m| m.cases.iter().any(|c| c.verdict == "FAIL"));
    let below = args
        .min_coverage
        .is_some_and(|min| machines.iter().any(|m| m.coverage.as_ref().is_some_and(|c| c.percent() < min)));
    let unfinished = machines.iter().any(|m| m.expectations.is_none() && m.cases.iter().any(|c| !c.finished()));
    if mismatched || below {
        ExitCode::FAILURE
    } else if unfinished {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// One test case's run.
pub(crate) struct CaseRun {
    pub name: String,
    /// `PASS`, `FAIL`, or empty without an expectation.
    pub verdict: &'static str,
    pub got: Value,
    pub mismatches: Vec<String>,
    pub seconds: f64,
}

impl CaseRun {
    pub fn status(&self) -> &str {
        self.got["status"].as_str().unwrap_or_default()
    }

    pub fn finished(&self) -> bool {
        matches!(self.status(), "SUCCEEDED" | "FAILED")
    }

    pub fn summary(&self) -> String {
        summary_of(&self.got)
    }
}

/// One machine's test cases.
pub(crate) struct MachineRun {
    pub definition: PathBuf,
    pub cases: Vec<CaseRun>,
    /// The expectations file, when there is one.
    pub expectations: Option<PathBuf>,
    /// Where expectations would be read from (for the message when there are none).
    pub expect_path: PathBuf,
    pub coverage: Option<Coverage>,
}

/// Runs every test case of one machine.
fn run_machine(definition: &Path, args: &TestArgs, coverage: bool) -> Result<MachineRun, String> {
    let loaded = load_definition(definition, args.machine.as_deref(), &args.substitute, &args.check)
        .map_err(|e| e.to_string())?;
    let (source, checked) = (&loaded.source, &loaded.checked);
    let Some(machine) = checked.runnable() else {
        for text in checked.render_why_not_runnable(source) {
            eprint!("{text}");
        }
        return Err(format!("{}: the definition does not validate", definition.display()));
    };
    let mock_path = args.mock_config.clone().unwrap_or_else(|| beside(definition, ".mock.json"));
    let default_input = InputFrom::new(definition, args.input.as_deref()).read()?;
    let mut cov = coverage.then(|| Coverage::new(machine));
    let mut cases = Vec::new();
    if args.mock_config.is_none() && !mock_path.exists() {
        // No mock config: the machine runs once on its default input, tasks unanswered.
        let (got, seconds) =
            execute((machine, checked.workflow_type), default_input, Arc::new(NoTasks), args, "default", cov.as_mut())?;
        cases.push(CaseRun { name: "default".into(), verdict: "", got, mismatches: Vec::new(), seconds });
        let expect_path = default_expect_path(&mock_path);
        return Ok(MachineRun {
            definition: definition.to_path_buf(),
            cases,
            expectations: None,
            expect_path,
            coverage: cov,
        });
    }
    let mocks = load_mocks(&mock_path, args.state_machine.as_deref(), machine)?;
    let expect_path = args.expect.clone().unwrap_or_else(|| default_expect_path(&mock_path));
    let expectations =
        if args.expect.is_some() || expect_path.exists() { Some(read_expectations(&expect_path)?) } else { None };
    let mock_machine =
        mocks.config.machine(Some(&mocks.machine)).map_err(|_| "the mock config lost its state machine".to_string())?;
    if let Some(exp) = &expectations {
        for name in exp.keys() {
            if mock_machine.test_case(name).is_err() {
                return Err(format!("{}: '{name}' is not a test case of '{}'", expect_path.display(), mocks.machine));
            }
        }
    }
    for case in &mock_machine.test_cases {
        let want = match expectations.as_ref().and_then(|e| e.get(&case.name)) {
            Some(v) => Some(expectation(&case.name, v, &expect_path)?),
            None => None,
        };
        let tasks = MockSource::new(&mocks.config, Some(&mocks.machine), &case.name).map_err(|e| e.to_string())?;
        let input = want.as_ref().and_then(|w| w.input.clone()).unwrap_or_else(|| default_input.clone());
        crate::asl::engine::limits::refuse_execution_input(&format!("the input of test case '{}'", case.name), &input)?;
        let (got, seconds) =
            execute((machine, checked.workflow_type), input, Arc::new(tasks), args, &case.name, cov.as_mut())?;
        let (verdict, mismatches) = match &want {
            None => ("", Vec::new()),
            Some(w) => {
                let diffs = mismatches(&got, w);
                (if diffs.is_empty() { "PASS" } else { "FAIL" }, diffs)
            }
        };
        cases.push(CaseRun { name: case.name.clone(), verdict, got, mismatches, seconds });
    }
    Ok(MachineRun {
        definition: definition.to_path_buf(),
        cases,
        expectations: expectations.is_some().then_some(expect_path.clone()),
        expect_path,
        coverage: cov,
    })
}

/// Runs one case; writes its history when asked; adds to the coverage.
fn execute(
    (machine, workflow): (&Arc<StateMachine>, WorkflowType),
    input: Value,
    tasks: Arc<dyn TaskSource>,
    args: &TestArgs,
    case: &str,
    coverage: Option<&mut Coverage>,
) -> Result<(Value, f64), String> {
    let config = ExecutionConfig { seed: args.seed, start_ms: args.history.start_ms(), ..ExecutionConfig::default() }
        .for_workflow(workflow);
    let started = std::time::Instant::now();
    let mut exec =
        Execution::with_tasks(machine.clone(), input, config, args.handlers.with(tasks), RecordedAnswers::default());
    let got = outcome(exec.run());
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = args.history.case_path(case) {
        crate::cli::history::write_history(&path, exec.history())?;
    }
    if let Some(c) = coverage {
        c.record(exec.stages().iter());
    }
    Ok((got, seconds))
}
