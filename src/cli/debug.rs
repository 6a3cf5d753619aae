//! `statescope FILE [--input FILE]` (or `statescope debug FILE`): opens the debugger on a fresh
//! execution paused before the first state. A definition that does not check is reported like
//! `validate` does and the debugger does not open (exit 2).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::check::check_with;
use std::sync::Arc;

use crate::asl::definition::StateMachine;
use crate::asl::engine::ExecutionConfig;
use crate::asl::engine::tasks::{NoTasks, TaskSource};
use crate::cli::validate::read;
use crate::tui::App;
use crate::tui::app::{Files, MockFile};
use crate::tui::reload::parse_input;
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
    pub substitute: crate::cli::validate::SubstituteArgs,
    /// Execution input (JSON file); default: NAME.input.json beside the definition, else {}.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Seed for States.UUID / States.MathRandom.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub mocks: crate::cli::test::MockArgs,
    #[command(flatten)]
    pub handlers: crate::cli::handlers::HandlerArgs,
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
    let source = match read(definition) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("error: {}", d.message);
            return Err(ExitCode::from(2));
        }
    };
    let options = crate::cli::validate::load_options(args.machine.as_deref(), &args.substitute, definition);
    let checked = check_with(&source, &options);
    if checked.runnable().is_none() {
        for text in checked.render_why_not_runnable(&source) {
            eprintln!("{text}");
        }
        return Err(ExitCode::from(2));
    }
    let input_path = args.input.clone().unwrap_or_else(|| beside(definition));
    let input = match read_input(&input_path, args.input.is_some()) {
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
    let config = ExecutionConfig { seed: args.seed, ..ExecutionConfig::default() };
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
        input: Some(input_path.display().to_string()),
        mock,
        load: options,
    };
    let watched = Watched {
        definition: definition.clone(),
        // A template's DefinitionUri file: saving it reloads the template too.
        also: checked.external.iter().map(|s| PathBuf::from(&*s.name)).collect(),
        input: Some(input_path),
        mock: args.mocks.mock_config.clone(),
    };
    let mut app = App::new(session, files);
    app.handlers = args.handlers.config();
    app.monochrome = crate::tui::terminal::no_color_requested();
    Ok((app, watched))
}

/// The mock config's test case as the task source; without `--mock-config`, every task asks.
fn tasks(args: &DebugArgs, machine: Option<&StateMachine>) -> Result<Arc<dyn TaskSource>, String> {
    match machine {
        Some(m) => args.mocks.source(m),
        None => Ok(Arc::new(NoTasks)),
    }
}

/// `NAME.input.json` beside `NAME.asl.json` (or `NAME.json`).
fn beside(definition: &Path) -> PathBuf {
    let name = definition.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = name.strip_suffix(".asl.json").or_else(|| name.strip_suffix(".json")).unwrap_or(name);
    definition.with_file_name(format!("{stem}.input.json"))
}

/// The input; a missing default input file means `{}`, a missing explicit one is an error.
fn read_input(path: &Path, explicit: bool) -> Result<Value, String> {
    if !explicit && !path.exists() {
        return Ok(json!({}));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read input '{}': {e}", path.display()))?;
    parse_input(&path.display().to_string(), &text)
}
