//! `statescope FILE [--input FILE]` (or `statescope debug FILE`): opens the debugger on a fresh
//! execution paused before the first state. A definition that does not check is reported like
//! `validate` does and the debugger does not open (exit 2).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;

use crate::asl::definition::StateMachine;
use crate::asl::engine::ExecutionConfig;
use crate::asl::engine::tasks::{NoTasks, TaskSource};
use crate::cli::inputs::{Definition, InputFrom, load_definition};
use crate::tui::App;
use crate::tui::app::{Files, MockFile};
use crate::tui::runtime::{self, Watched};
use crate::tui::session::Session;

#[derive(clap::Args, Debug, Default)]
pub struct DebugArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template to debug.
    pub definition: Option<PathBuf>,
    /// In a template with several state machines, the logical id of the one to debug.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    /// Execution input (JSON file, or - for standard input); default: NAME.input.json beside
    /// NAME.asl.json (or .json, .asl.yaml, .yaml, .yml), else {}.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub mocks: crate::cli::inputs::MockArgs,
    #[command(flatten)]
    pub handlers: crate::cli::handlers::HandlerArgs,
    #[command(flatten)]
    pub check: crate::cli::check_flags::CheckFlags,
    /// Open on a recorded execution (AWS GetExecutionHistory / CLI output): its input, its
    /// start time and its task results; where the definition departs from it is marked.
    #[arg(long, value_name = "HISTORY", conflicts_with_all = ["input", "mock_config"])]
    pub history: Option<PathBuf>,
    /// `--history-out FILE` (where `H` writes the history; default NAME.history.json beside
    /// the definition) and `--start-time TIME`.
    #[command(flatten)]
    pub history_out: crate::cli::history::HistoryArgs,
}

pub fn run(args: &DebugArgs) -> ExitCode {
    match prepare(args) {
        Ok((app, watched)) => open(app, watched),
        Err(code) => code,
    }
}

/// Runs the debugger on a prepared model until the user quits.
pub(crate) fn open(app: App, watched: Watched) -> ExitCode {
    match runtime::run(app, watched) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: terminal: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads and checks the files and builds the debugger's model and the files to watch; a
/// problem is printed and becomes the exit code.
pub(crate) fn prepare(args: &DebugArgs) -> Result<(App, Watched), ExitCode> {
    let Some(definition) = &args.definition else {
        eprintln!("error: no definition given; usage: statescope FILE [--input FILE] (see --help)");
        return Err(ExitCode::from(2));
    };
    let Definition { source, options, checked } =
        match load_definition(definition, args.machine.as_deref(), &args.substitute, &args.check) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        };
    if checked.runnable().is_none() {
        for text in checked.render_why_not_runnable(&source) {
            eprintln!("{text}");
        }
        return Err(ExitCode::from(2));
    }
    let recorded = match args.history.as_ref().map(crate::cli::replay::read_history).transpose() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let input_from = InputFrom::new(definition, args.input.as_deref());
    let input = match &recorded {
        Some(r) => r.input().map_err(|e| e.to_string()),
        None => input_from.read(),
    };
    let input = match input {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let tasks = match tasks(args, checked.runnable().map(|m| &**m)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let mut config =
        ExecutionConfig { seed: args.seed, start_ms: args.history_out.start_ms(), ..ExecutionConfig::default() };
    let tasks = match (&recorded, checked.runnable()) {
        // The recording answers every task, as AWS did.
        (Some(r), Some(m)) => {
            config.start_ms = r.start_ms().unwrap_or(config.start_ms);
            config.role_arn = r.role_arn().map_or(config.role_arn, str::to_string);
            Arc::new(crate::asl::engine::replay::RecordedTasks::new(Some(m), r)) as Arc<dyn TaskSource>
        }
        _ => tasks,
    };
    let session = match Session::start_with_tasks(source, &options, input, config, tasks) {
        Ok(s) => s,
        Err(rejected) => {
            eprintln!("{}", rejected.lines.join("\n"));
            return Err(ExitCode::from(2));
        }
    };
    let mock = args.mocks.mock_config.as_ref().zip(args.mocks.test_case.as_ref()).map(|(path, case)| MockFile {
        path: path.display().to_string(),
        test_case: case.clone(),
        state_machine: args.mocks.state_machine.clone(),
    });
    let files = Files {
        definition: definition.display().to_string(),
        input: input_from.path().map(|p| p.display().to_string()),
        mock,
        load: options,
    };
    let watched = Watched {
        definition: definition.clone(),
        // A template's DefinitionUri file: saving it reloads the template too.
        also: checked.external.iter().map(|s| PathBuf::from(&*s.name)).collect(),
        input: input_from.path().map(Path::to_path_buf),
        mock: args.mocks.mock_config.clone(),
    };
    let mut app = App::new(session, files);
    app.handlers = args.handlers.config();
    app.monochrome = crate::tui::terminal::no_color_requested();
    app.history_out = args.history_out.history_out.as_ref().map(|p| p.display().to_string());
    if let (Some(history), Some(path)) = (recorded, &args.history) {
        app.recording =
            Some(crate::tui::app::Recording { path: path.display().to_string(), history, divergence: None });
        app.message = app.check_recording();
    }
    Ok((app, watched))
}

/// The mock config's test case as the task source; without `--mock-config`, every task asks.
fn tasks(args: &DebugArgs, machine: Option<&StateMachine>) -> Result<Arc<dyn TaskSource>, String> {
    match machine {
        Some(m) => args.mocks.source(m),
        None => Ok(Arc::new(NoTasks)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The debugger finds a YAML definition's `NAME.input.json` as `run` does (it used to look
    /// for `order.asl.yaml.input.json`).
    #[test]
    fn a_yaml_definition_gets_the_input_beside_it_as_run_does() {
        let dir = std::env::temp_dir().join(format!("statescope-debug-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let definition = dir.join("order.asl.yaml");
        std::fs::write(&definition, "StartAt: Done\nStates:\n  Done:\n    Type: Succeed\n").expect("write");
        std::fs::write(dir.join("order.input.json"), r#"{"orderId": 7}"#).expect("write");
        let args = DebugArgs { definition: Some(definition.clone()), ..DebugArgs::default() };
        let Ok((app, watched)) = prepare(&args) else { panic!("the debugger refused {}", definition.display()) };
        assert_eq!(*app.session.exec.input(), serde_json::json!({"orderId": 7}));
        assert_eq!(watched.input, Some(dir.join("order.input.json")), "the input watched is the one read");
        let ran = crate::cli::inputs::InputFrom::new(&definition, None).read();
        assert_eq!(ran.as_ref().ok(), Some(app.session.exec.input()), "run reads the same input");
        std::fs::remove_dir_all(&dir).ok();
    }
}
