//! `statescope run DEF [--input FILE]`: executes a machine headless and prints the outcome;
//! `--format json` prints one line `{status, output | error, cause}` (the shape
//! `../shared/conformance/check.py` reads); `--trace` adds `states` (entered/exited, what
//! `check.py --states` compares) and every stage, or prints them as text.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::engine::clock::format_millis;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::{StageDetail, StageRecord};
use crate::asl::engine::tasks::RecordedAnswers;
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::cli::Format;
use crate::cli::inputs::{InputFrom, Unloadable, load_definition};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template.
    pub definition: PathBuf,
    /// In a template with several state machines, the logical id of the one to run.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    /// Execution input (JSON file, or - for standard input); default: NAME.input.json beside
    /// NAME.asl.json (or .json, .asl.yaml, .yaml, .yml), else {}.
    #[arg(long)]
    pub input: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Print every data-flow stage, not just the outcome.
    #[arg(long)]
    pub trace: bool,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub handlers: crate::cli::handlers::HandlerArgs,
    #[command(flatten)]
    pub mocks: crate::cli::inputs::MockArgs,
    #[command(flatten)]
    pub check: crate::cli::check_flags::CheckFlags,
    #[command(flatten)]
    pub history: crate::cli::history::HistoryArgs,
}

pub fn run(args: &RunArgs) -> ExitCode {
    let loaded = match load_definition(&args.definition, args.machine.as_deref(), &args.substitute, &args.check) {
        Ok(l) => l,
        Err(Unloadable::Unreadable(e)) => {
            return fail_early(args.format, "INVALID_DEFINITION", "InvalidDefinition", &e);
        }
        Err(Unloadable::Flag(e)) => return fail_early(args.format, "INVALID_INPUT", "InvalidArgument", &e),
    };
    let (source, checked) = (&loaded.source, &loaded.checked);
    let Some(machine) = checked.runnable() else {
        let text = checked.render_why_not_runnable(source);
        if args.format == Format::Json {
            // The first error (or, with none, why nothing can run), with where it is.
            let errors = checked.has_errors();
            let cause =
                checked.positioned(source, |d| d.is_error() || !errors).first().map(|(from, index, d)| {
                    match (d.pointer.is_empty(), crate::asl::diagnostic::position(from, index, d)) {
                        (false, _) => format!("{} at {}", d.message, d.pointer),
                        (true, Some((line, col))) => format!("{} at {}:{line}:{col}", d.message, from.name),
                        (true, None) => d.message.clone(),
                    }
                });
            outln!("{}", json!({"status": "INVALID_DEFINITION", "error": "InvalidDefinition", "cause": cause}));
        } else {
            eprint!("{}", text.join("\n"));
        }
        return ExitCode::from(2);
    };
    let input = match InputFrom::new(&args.definition, args.input.as_deref()).read() {
        Ok(v) => v,
        Err(e) => return fail_early(args.format, "INVALID_INPUT", "InvalidExecutionInput", &e),
    };
    let tasks = match args.mocks.source(machine) {
        Ok(t) => t,
        Err(e) => return fail_early(args.format, "INVALID_INPUT", "InvalidMockConfig", &e),
    };
    let tasks = args.handlers.with(tasks);
    let config = ExecutionConfig { seed: args.seed, start_ms: args.history.start_ms(), ..ExecutionConfig::default() }
        .for_workflow(checked.workflow_type);
    let mut exec = Execution::with_tasks(machine.clone(), input, config, tasks, RecordedAnswers::default());
    exec.run();
    if let Err(e) = args.history.write(&exec) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    for w in near_limit_warnings(&exec) {
        eprintln!("warning[payload-near-limit]: {w}");
    }
    match args.format {
        Format::Json => outln!("{}", outcome_json(&exec, args.trace)),
        Format::Text => print_text(&exec, args.trace, &Paint::for_stdout()),
    }
    match exec.status() {
        Status::Succeeded(_) => ExitCode::SUCCESS,
        Status::Failed { .. } | Status::TimedOut => ExitCode::FAILURE,
        _ => ExitCode::from(3),
    }
}

/// ANSI styling for people at a terminal; plain when piped or when `NO_COLOR` is set
/// (no-color.org).
struct Paint {
    on: bool,
}

impl Paint {
    fn for_stdout() -> Paint {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint { on: !no_color && std::io::stdout().is_terminal() }
    }

    fn style(&self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// `--format text`: with `--trace`, every state and its stages; then the outcome.
fn print_text(exec: &Execution, trace: bool, paint: &Paint) {
    if trace {
        let mut current: Option<&str> = None;
        for s in exec.stages() {
            if current != Some(&*s.state) {
                // Nested states (Map iterations, Parallel branches) are found below the top level.
                let kind = exec.machine().scope.find(&s.state).map(|st| st.type_name()).unwrap_or("");
                outln!("{} {}", paint.style("1", &format!("▶ {}", s.state)), paint.style("2", &format!("({kind})")));
                current = Some(&s.state);
            }
            let label = match &s.source {
                Some(src) => paint.style("2", &format!("   ← {}: {}", src.field, src.expr)),
                None => String::new(),
            };
            outln!("    {} {}{label}", paint.style("36", &format!("{:<20}", s.kind.as_str())), s.value());
            match s.detail.as_deref() {
                Some(StageDetail::Wait { seconds, until_ms }) => {
                    outln!("    {:<20} waits {seconds} s, until {}", "", format_millis(*until_ms))
                }
                Some(StageDetail::Choice(outcome)) => {
                    for line in outcome.explain().lines() {
                        outln!("    {:<20} {}", "", paint.style("33", line));
                    }
                }
                Some(StageDetail::Error { error, cause }) => {
                    outln!("    {:<20} {}", "", paint.style("31", &format!("{error}: {cause}")))
                }
                Some(StageDetail::Caught { catcher, next }) => {
                    outln!("    {:<20} caught by Catch #{} → {next}", "", catcher + 1)
                }
                None => {}
            }
        }
    }
    match exec.status() {
        Status::Succeeded(v) => {
            outln!("{}", paint.style("1;32", "SUCCEEDED"));
            outln!("{}", serde_json::to_string_pretty(&**v).unwrap_or_default());
        }
        Status::Failed { error, cause } => {
            outln!("{}", paint.style("1;31", "FAILED"));
            outln!("error: {}", error.as_deref().unwrap_or("(none)"));
            outln!("cause: {}", cause.as_deref().unwrap_or("(none)"));
        }
        Status::TimedOut => {
            outln!("{}", paint.style("1;31", "TIMED_OUT"));
            outln!("error: {}", crate::asl::engine::TIMED_OUT_ERROR);
            outln!("cause: {}", timeout_cause(exec));
        }
        Status::Stopped(why) => outln!("{} {why}", paint.style("1;33", "UNSUPPORTED")),
        Status::AwaitingTask(r) => outln!(
            "{} Task '{}' ({}) needs a result: no mock answers it (mock it with --mock-config FILE --test-case NAME). Input it would get:\n{}",
            paint.style("1;33", "WAITING"),
            r.state,
            r.resource,
            r.input
        ),
        Status::Running => outln!("RUNNING"),
    }
}

/// Nothing ran: the definition file, the input or the mock config could not be used.
fn fail_early(format: Format, status: &str, error: &str, message: &str) -> ExitCode {
    match format {
        Format::Json => outln!("{}", json!({"status": status, "error": error, "cause": message})),
        Format::Text => eprintln!("error: {message}"),
    }
    ExitCode::from(2)
}

/// `--format json`: one line, in the shape `../shared/conformance/check.py` reads.
fn outcome_json(exec: &Execution, trace: bool) -> Value {
    let mut out = match exec.status() {
        Status::TimedOut => json!({
            "status": "TIMED_OUT", "error": crate::asl::engine::TIMED_OUT_ERROR, "cause": timeout_cause(exec)
        }),
        other => status_json(other),
    };
    let warnings = near_limit_warnings(exec);
    if !warnings.is_empty() {
        out["warnings"] = warnings.into_iter().map(|w| json!({"code": "payload-near-limit", "message": w})).collect();
    }
    if trace {
        out["states"] = Value::Array(states_json(exec));
        out["stages"] = exec.stages().iter().map(stage_json).collect();
    }
    out
}

/// One message per state input or output above 80% of AWS's payload quota (issue 15's
/// `payload-near-limit`), in the order they happened.
fn near_limit_warnings(exec: &Execution) -> Vec<String> {
    use crate::asl::engine::limits::{MAX_PAYLOAD_BYTES, json_size};
    exec.stages()
        .iter()
        .filter(|s| s.near_limit)
        .map(|s| {
            let at = if s.location.is_empty() { String::new() } else { format!(" ({})", s.location) };
            let size = json_size(&s.value(), usize::MAX).unwrap_or_default();
            format!(
                "the {} of state '{}'{at} is {size} bytes, {}% of the {MAX_PAYLOAD_BYTES}-byte (256 KiB) payload quota; \
                 above it the execution fails with States.DataLimitExceeded: pass an S3 location instead of the data",
                s.kind.as_str(),
                s.state,
                size * 100 / MAX_PAYLOAD_BYTES
            )
        })
        .collect()
}

/// The entered/exited states with their input/output, as `check.py --states` compares them.
fn states_json(exec: &Execution) -> Vec<Value> {
    exec.history()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StateEntered { name, input, .. } => {
                Some(json!({"name": &**name, "type": "StateEntered", "event": e.type_name(), "input": &*input.value()}))
            }
            EventKind::StateExited { name, output, .. } => Some(
                json!({"name": &**name, "type": "StateExited", "event": e.type_name(), "output": &*output.value()}),
            ),
            _ => None,
        })
        .collect()
}

/// AWS's ExecutionTimedOut event has no cause; this one says which limit was passed.
fn timeout_cause(exec: &Execution) -> String {
    format!(
        "The execution ran longer than its limit of {} seconds (TimeoutSeconds).",
        exec.timeout_ms().unwrap_or_default() / 1000
    )
}

fn status_json(status: &Status) -> Value {
    match status {
        Status::Succeeded(v) => json!({"status": "SUCCEEDED", "output": &**v}),
        Status::Failed { error, cause } => {
            let mut o = json!({"status": "FAILED"});
            if let Some(e) = error {
                o["error"] = json!(e);
            }
            if let Some(c) = cause {
                o["cause"] = json!(c);
            }
            o
        }
        Status::Stopped(why) => json!({"status": "UNSUPPORTED", "error": "statescope.Unsupported", "cause": why}),
        Status::AwaitingTask(r) => json!({
            "status": "WAITING",
            "error": "statescope.TaskNeedsResult",
            "cause": format!("Task '{}' ({}) needs a result and no mock answers it", r.state, r.resource),
            "task": {"state": r.state, "resource": r.resource, "input": &*r.input, "invocation": r.invocation},
        }),
        Status::TimedOut => json!({"status": "TIMED_OUT", "error": crate::asl::engine::TIMED_OUT_ERROR}),
        Status::Running => json!({"status": "RUNNING"}),
    }
}

fn stage_json(s: &StageRecord) -> Value {
    let mut o = json!({"index": s.index(), "state": &*s.state, "stage": s.kind.as_str(), "value": &*s.value()});
    if !s.location.is_empty() {
        o["location"] = json!(&*s.location);
    }
    if s.near_limit {
        o["nearLimit"] = json!(true);
    }
    if let Some(src) = &s.source {
        o["field"] = json!(src.field);
        o["expression"] = json!(&*src.expr);
    }
    match s.detail.as_deref() {
        Some(StageDetail::Wait { seconds, until_ms }) => {
            o["wait"] = json!({"seconds": seconds, "until": format_millis(*until_ms)});
        }
        Some(StageDetail::Choice(c)) => {
            o["choice"] = json!({"matchedRule": c.matched, "next": c.next.as_deref(), "explanation": c.explain()})
        }
        Some(StageDetail::Error { error, cause }) => o["error"] = json!({"error": error, "cause": cause}),
        Some(StageDetail::Caught { catcher, next }) => o["caught"] = json!({"catcher": catcher, "next": &**next}),
        None => {}
    }
    o
}
