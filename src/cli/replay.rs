//! `statescope replay DEF HISTORY`: re-executes a recorded execution (a history as
//! `aws stepfunctions get-execution-history` prints it) against a definition, with the task
//! results from the recording, and says whether the definition still does what ran, or where
//! it first differs. Exit 0 when it matches, 1 when it diverges, 2 when the history or the
//! definition cannot be read, 3 when a task result the recording lacks stopped it.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::engine::replay::{RecordedHistory, ReplayReport, parse_history, replay};
use crate::asl::engine::{ExecutionConfig, Status};
use crate::cli::Format;
use crate::cli::inputs::{Definition, load_definition};

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template.
    pub definition: PathBuf,
    /// The recorded history: the AWS CLI's output, a bare events array, or pages one after another.
    pub history: PathBuf,
    /// In a template with several state machines, the logical id of the one to run.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The recorded execution's ARN (the history does not hold it): `$$.Execution.Id`, its
    /// name, the state machine's name, region and account then read as they did in the run.
    #[arg(long, value_name = "ARN", value_parser = parse_execution_arn)]
    pub execution_arn: Option<ExecutionArn>,
}

/// `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`, taken apart.
#[derive(Clone, Debug)]
pub struct ExecutionArn {
    region: String,
    account: String,
    machine: String,
    name: String,
}

fn parse_execution_arn(text: &str) -> Result<ExecutionArn, String> {
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "states", region, account, "execution", machine, name]
            if !machine.is_empty() && !name.is_empty() =>
        {
            Ok(ExecutionArn {
                region: region.to_string(),
                account: account.to_string(),
                machine: machine.to_string(),
                name: name.to_string(),
            })
        }
        _ => Err("expected arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:EXECUTION_NAME".into()),
    }
}

/// Reads a history file, with the file name in the message.
pub(crate) fn read_history(path: &PathBuf) -> Result<RecordedHistory, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
    parse_history(&text).map_err(|e| format!("{}:{e}", path.display()))
}

pub fn run(args: &ReplayArgs) -> ExitCode {
    let fail = |message: &str| {
        match args.format {
            Format::Json => {
                outln!("{}", json!({"status": "UNREADABLE", "error": "statescope.Unreadable", "cause": message}))
            }
            Format::Text => eprintln!("error: {message}"),
        }
        ExitCode::from(2)
    };
    let flags = crate::cli::check_flags::CheckFlags::default();
    let Definition { source, checked, .. } =
        match load_definition(&args.definition, args.machine.as_deref(), &args.substitute, &flags) {
            Ok(l) => l,
            Err(e) => return fail(&e.to_string()),
        };
    let Some(machine) = checked.runnable() else {
        // As `run` says it: the errors, or (a template without --machine) which machines there are.
        for text in checked.render_why_not_runnable(&source) {
            eprint!("{text}");
        }
        return fail(&format!("{}: the definition does not validate", args.definition.display()));
    };
    let recorded = match read_history(&args.history) {
        Ok(h) => h,
        Err(e) => return fail(&e),
    };
    let mut config = ExecutionConfig { seed: args.seed, ..ExecutionConfig::default() };
    if let Some(arn) = &args.execution_arn {
        config.region = arn.region.clone();
        config.account = arn.account.clone();
        config.state_machine_name = arn.machine.clone();
        config.execution_name = arn.name.clone();
    }
    let report = match replay(machine, &recorded, config) {
        Ok(r) => r,
        Err(e) => return fail(&format!("{}: {e}", args.history.display())),
    };
    match args.format {
        Format::Json => outln!("{}", report_json(&report)),
        Format::Text => print_text(&report, recorded.events.len(), &args.history),
    }
    if report.divergence.is_some() {
        ExitCode::FAILURE
    } else if !report.unreconstructed.is_empty()
        || !matches!(report.status, Status::Succeeded(_) | Status::Failed { .. })
    {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// `run --format json`'s line plus `divergence` (and `unreconstructed` when tasks were missing).
pub(crate) fn report_json(report: &ReplayReport) -> Value {
    let mut out = crate::cli::test::outcome(&report.status);
    out["divergence"] = report.divergence.as_ref().map_or(Value::Null, |d| d.to_json());
    if !report.unreconstructed.is_empty() {
        out["unreconstructed"] = json!(report.unreconstructed);
    }
    out
}

fn print_text(report: &ReplayReport, recorded: usize, history: &std::path::Path) {
    match &report.divergence {
        None => outln!(
            "replayed {} events against {recorded} recorded in {}: no divergence",
            report.events.len(),
            history.display()
        ),
        Some(d) => {
            let state = d.state.as_deref().map(|s| format!(" (state '{s}')")).unwrap_or_default();
            outln!("diverges at event {}{state}: {}", d.event_id, d.reason);
            outln!("  recorded: {}", plain(&d.expected));
            outln!("  replay:   {}", plain(&d.actual));
        }
    }
    for why in &report.unreconstructed {
        outln!("not reconstructed: {why}");
    }
    let out = crate::cli::test::outcome(&report.status);
    match &report.status {
        Status::Succeeded(v) => outln!("SUCCEEDED\n{}", serde_json::to_string_pretty(&**v).unwrap_or_default()),
        _ => outln!(
            "{}: {}: {}",
            out["status"].as_str().unwrap_or_default(),
            out["error"].as_str().unwrap_or("(no error)"),
            out["cause"].as_str().unwrap_or("(no cause)")
        ),
    }
}

/// A string without its JSON quotes; other values as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(nothing)".into(),
        other => other.to_string(),
    }
}
