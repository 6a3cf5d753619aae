//! `statescope run DEF [--input FILE]`: executes a machine headless and prints the outcome;
//! `--format json` prints one line `{status, output | error, cause, states}` (the shape
//! `../shared/conformance/check.py` reads), `--trace` prints every stage.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::check::check_with;
use crate::asl::diagnostic;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::source::LineIndex;
use crate::cli::Format;
use crate::cli::validate::{load_options, read};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template.
    pub definition: PathBuf,
    /// In a template with several state machines, the logical id of the one to run.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    /// Execution input (JSON file); default: NAME.input.json beside NAME.asl.json (or .json,
    /// .asl.yaml, .yaml, .yml), else {}.
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
}

pub fn run(args: &RunArgs) -> ExitCode {
    let source = match read(&args.definition) {
        Ok(s) => s,
        Err(d) => return fail_early(args.format, &d.message),
    };
    let checked = check_with(&source, &load_options(args.machine.as_deref()));
    let Some(machine) = checked.runnable() else {
        let index = LineIndex::new(&source.text);
        let text: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| diagnostic::render(&source, &index, d))
            .collect();
        if args.format == Format::Json {
            let cause =
                checked.diagnostics.iter().find(|d| d.is_error()).map(|d| format!("{} at {}", d.message, d.pointer));
            println!("{}", json!({"status": "INVALID_DEFINITION", "error": "InvalidDefinition", "cause": cause}));
        } else {
            eprint!("{}", text.join("\n"));
        }
        return ExitCode::from(2);
    };
    let input = match read_input(args) {
        Ok(v) => v,
        Err(e) => return fail_early(args.format, &e),
    };
    let mut exec = Execution::new(machine, input, ExecutionConfig { seed: args.seed, ..ExecutionConfig::default() });
    exec.run();
    if args.trace && args.format == Format::Text {
        for s in exec.stages() {
            let field = s.expr.as_deref().map(|e| format!("  ({}: {e})", s.field.unwrap_or(""))).unwrap_or_default();
            println!("{:>4} {:<20} {:<20} {}{field}", s.index, s.state, s.kind.as_str(), s.value);
        }
    }
    print_outcome(&exec, args.format);
    match exec.status() {
        Status::Succeeded(_) => ExitCode::SUCCESS,
        Status::Failed { .. } => ExitCode::FAILURE,
        _ => ExitCode::from(3),
    }
}

fn fail_early(format: Format, message: &str) -> ExitCode {
    match format {
        Format::Json => println!("{}", json!({"status": "ERROR", "error": "statescope.Input", "cause": message})),
        Format::Text => eprintln!("error: {message}"),
    }
    ExitCode::from(2)
}

fn read_input(args: &RunArgs) -> Result<Value, String> {
    let path = match &args.input {
        Some(p) => p.clone(),
        None => {
            let name = args.definition.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let stem = [".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"]
                .iter()
                .find_map(|ext| name.strip_suffix(ext))
                .unwrap_or(name);
            let beside = args.definition.with_file_name(format!("{stem}.input.json"));
            if !beside.exists() {
                return Ok(json!({}));
            }
            beside
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read input '{}': {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}:{}:{}: input is not valid JSON: {e}", path.display(), e.line(), e.column()))
}

fn print_outcome(exec: &Execution, format: Format) {
    let states: Vec<Value> = exec
        .history()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StateEntered { name, input, .. } => {
                Some(json!({"name": name, "type": "StateEntered", "event": e.type_name(), "input": &**input}))
            }
            EventKind::StateExited { name, output, .. } => {
                Some(json!({"name": name, "type": "StateExited", "event": e.type_name(), "output": &**output}))
            }
            _ => None,
        })
        .collect();
    let mut out = match exec.status() {
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
        Status::Running => json!({"status": "RUNNING"}),
    };
    match format {
        Format::Json => {
            out["states"] = Value::Array(states);
            println!("{out}");
        }
        Format::Text => {
            let pretty = serde_json::to_string_pretty(&out).unwrap_or_default();
            println!("{pretty}");
        }
    }
}
