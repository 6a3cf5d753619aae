//! `statescope mock --from-history HISTORY --test-case NAME`: a recorded execution (say, a
//! production failure) becomes a test: a Step Functions Local mock config whose test case
//! answers every task as the recording did (numbered per invocation, retries included), and an
//! expectations entry (input, status, output or error/cause) for `statescope test`. Existing
//! files are merged into, never truncated: other machines, test cases and responses stay.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use crate::asl::check::check_with;
use crate::asl::engine::replay::RecordedTasks;
use crate::asl::mock::{parse_mock_config, to_mock_config};
use crate::cli::inputs::{load_options, read};

#[derive(clap::Args, Debug)]
pub struct MockFromHistoryArgs {
    /// The recorded history (as `aws stepfunctions get-execution-history` prints it).
    #[arg(long, value_name = "HISTORY")]
    pub from_history: PathBuf,
    /// Name of the test case to write.
    #[arg(long, value_name = "NAME")]
    pub test_case: String,
    /// Mock config to write (merged into when it exists); default: standard output.
    #[arg(long, value_name = "FILE")]
    pub mock_config: Option<PathBuf>,
    /// Expectations file to write (merged into); default NAME.expect.json beside the mock config.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// The mock config's state machine; default: the config's only one, else the history's
    /// file name.
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// The definition that ran: nested Map iterations are then ordered as the engine runs
    /// them even when the recording interleaved them.
    #[arg(long, value_name = "DEF")]
    pub definition: Option<PathBuf>,
}

pub fn run(args: &MockFromHistoryArgs) -> ExitCode {
    match write(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_object(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(o)) => Ok(Some(o)),
        Ok(_) => Err(format!("{}: expected a JSON object; not overwriting it", path.display())),
        Err(e) => {
            Err(format!("{}:{}:{}: not valid JSON ({e}); not overwriting it", path.display(), e.line(), e.column()))
        }
    }
}

fn write(args: &MockFromHistoryArgs) -> Result<(), String> {
    let recorded = crate::cli::replay::read_history(&args.from_history)?;
    let input = recorded.input().map_err(|e| format!("{}: {e}", args.from_history.display()))?;
    let machine = match &args.definition {
        Some(def) => {
            let source = read(def).map_err(|d| d.message)?;
            let checked = check_with(&source, &load_options(None, &Default::default(), def));
            Some(
                checked
                    .runnable()
                    .cloned()
                    .ok_or_else(|| format!("{}: the definition does not validate", def.display()))?,
            )
        }
        None => None,
    };
    let tasks = RecordedTasks::new(machine.as_deref(), &recorded);
    let mut answers = Vec::new();
    for (state, invocation, answer) in tasks.answers() {
        match answer {
            Ok(a) => answers.push((state, invocation, a)),
            Err(why) => return Err(format!("cannot mock '{state}' invocation {}: {why}", invocation + 1)),
        }
    }
    let existing = match &args.mock_config {
        Some(p) => read_object(p)?,
        None => None,
    };
    let machine_name = match (&args.state_machine, &existing) {
        (Some(n), _) => n.clone(),
        (None, Some(o)) if o.get("StateMachines").and_then(Value::as_object).is_some_and(|m| m.len() == 1) => {
            o["StateMachines"].as_object().and_then(|m| m.keys().next().cloned()).unwrap_or_default()
        }
        _ => history_stem(&args.from_history),
    };
    let fresh = to_mock_config(&machine_name, &args.test_case, answers);
    let merged = merge_mock_config(existing.unwrap_or_default(), fresh, &machine_name, &args.test_case);
    let text = format!("{}\n", serde_json::to_string_pretty(&merged).map_err(|e| e.to_string())?);
    // What we write must load again (and the merge must not have broken what was there).
    let parsed = parse_mock_config(&text);
    if parsed.has_errors() {
        return Err(format!("the merged mock config does not load: {:?}", parsed.diagnostics));
    }
    let mut expectation = recorded.outcome().ok_or_else(|| {
        format!("{}: the recording has no end (the execution was still running)", args.from_history.display())
    })?;
    if let Some(o) = expectation.as_object_mut() {
        // `statescope test` knows SUCCEEDED and FAILED; a timed-out or aborted run is
        // compared by error and cause.
        let mut entry = Map::new();
        entry.insert("input".into(), input);
        for (k, v) in std::mem::take(o) {
            entry.insert(k, v);
        }
        *o = entry;
    }
    match &args.mock_config {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
            eprintln!("wrote test case '{}' to {}", args.test_case, path.display());
        }
        None => crate::cli::write_stdout(format_args!("{}", text.trim_end())),
    }
    let expect_path =
        args.expect.clone().or_else(|| args.mock_config.as_deref().map(crate::cli::test::default_expect_path));
    match expect_path {
        Some(path) => {
            let mut all = read_object(&path)?.unwrap_or_default();
            all.insert(args.test_case.clone(), expectation);
            let text = format!("{}\n", serde_json::to_string_pretty(&Value::Object(all)).map_err(|e| e.to_string())?);
            std::fs::write(&path, text).map_err(|e| format!("cannot write '{}': {e}", path.display()))?;
            eprintln!("wrote the expectations of '{}' to {}", args.test_case, path.display());
        }
        None => eprintln!("expectations not written: give --expect FILE (or --mock-config FILE)"),
    }
    Ok(())
}

/// `prod-failure.history.json` → `prod-failure`.
fn history_stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("StateMachine");
    [".history.json", ".json"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name).to_string()
}

/// `fresh` (one machine, one test case) into `existing`: the test case replaces one of the same
/// name, its responses are added (replacing same-named ones); everything else is kept.
fn merge_mock_config(mut existing: Map<String, Value>, fresh: Value, machine: &str, case: &str) -> Value {
    let machines = existing.entry("StateMachines").or_insert_with(|| json!({}));
    if !machines.is_object() {
        *machines = json!({});
    }
    let entry = &mut machines[machine];
    if !entry.is_object() {
        *entry = json!({});
    }
    if !entry["TestCases"].is_object() {
        entry["TestCases"] = json!({});
    }
    entry["TestCases"][case] = fresh["StateMachines"][machine]["TestCases"][case].clone();
    let responses = existing.entry("MockedResponses").or_insert_with(|| json!({}));
    if !responses.is_object() {
        *responses = json!({});
    }
    if let (Some(r), Some(new)) = (responses.as_object_mut(), fresh["MockedResponses"].as_object()) {
        for (k, v) in new {
            r.insert(k.clone(), v.clone());
        }
    }
    Value::Object(existing)
}
