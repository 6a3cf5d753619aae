//! The command line: `validate`, `run`, `test` (mock configs) and `codes`. Reads files, renders
//! diagnostics; all ASL semantics stay in `asl`.

/// `println!` for command output: a closed pipe (`statescope run … | head`) ends the process
/// quietly instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))
    };
}

mod check_flags;
mod diff;
mod eval;
mod graph;
pub(crate) mod handlers;
pub(crate) mod history;
pub(crate) mod inputs;
pub(crate) mod learn;
mod mock;
pub(crate) mod replay;
mod run;
mod test;
mod validate;

/// `statescope FILE` / `statescope debug FILE`: the interactive debugger.
#[cfg(feature = "tui")]
pub(crate) mod debug;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// A debugger for AWS Step Functions state machines.
#[derive(Parser, Debug)]
#[command(name = "statescope", version, about, args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no subcommand: debug this definition.
    #[cfg(feature = "tui")]
    #[command(flatten)]
    pub debug: debug::DebugArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the debugger (the same as `statescope FILE`).
    #[cfg(feature = "tui")]
    Debug(debug::DebugArgs),
    /// Evaluate one JSONPath, intrinsic call or JSONata expression against a document.
    Eval(eval::EvalArgs),
    /// Check definitions like AWS's CreateStateMachine does, and more.
    Validate(validate::ValidateArgs),
    /// Execute a machine headless and print its outcome.
    Run(run::RunArgs),
    /// Draw the state graph (text, Graphviz DOT or Mermaid).
    Graph(graph::GraphArgs),
    /// Re-execute a recorded history (AWS GetExecutionHistory) and report the first divergence.
    Replay(replay::ReplayArgs),
    /// What changed between two definitions.
    Diff(diff::DiffArgs),
    /// Turn a recorded history into a mock config test case and its expectations.
    Mock(mock::MockFromHistoryArgs),
    /// Run every test case of a mock config (Step Functions Local format) and check the outcomes.
    Test(test::TestArgs),
    /// Learn ASL: lessons checked on every save (`learn` lists them, `learn N` opens one).
    Learn(learn::LearnArgs),
    /// List every diagnostic code and lint with its meaning.
    Codes,
    /// Explain a diagnostic code or lint (what it protects against, AWS's behaviour, a wrong and
    /// a right snippet, how to allow it); without CODE, list every code.
    Explain {
        /// A code (`ASL101`) or lint name (`timeout-missing`).
        code: Option<String>,
    },
    /// Serve the Step Functions API (AWS JSON 1.0) on localhost for SDKs, the AWS CLI and workers.
    #[cfg(feature = "server")]
    Serve(crate::server::ServeArgs),
}

/// Output format of headless commands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// Runs a parsed command line and returns the process exit code.
pub fn main(args: Args) -> ExitCode {
    let Some(command) = args.command else {
        #[cfg(feature = "tui")]
        if args.debug.definition.is_some() {
            return debug::run(&args.debug);
        }
        use clap::CommandFactory;
        // Best effort: there is nothing better to do if stdout is gone.
        let _ = Args::command().print_help();
        return ExitCode::from(2);
    };
    match command {
        #[cfg(feature = "tui")]
        Command::Debug(a) => debug::run(&a),
        Command::Eval(a) => eval::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Graph(a) => graph::run(&a),
        Command::Test(a) => test::run(&a),
        Command::Learn(a) => learn::run(&a),
        Command::Replay(a) => replay::run(&a),
        Command::Mock(a) => mock::run(&a),
        Command::Diff(a) => diff::run(&a),
        #[cfg(feature = "server")]
        Command::Serve(a) => crate::server::run(&a),
        Command::Codes | Command::Explain { code: None } => {
            let width = crate::asl::codes::explain::all_codes().map(|(c, _)| c.len()).max().unwrap_or(0);
            for (code, meaning) in crate::asl::codes::explain::all_codes() {
                outln!("{code:width$}  {meaning}");
            }
            ExitCode::SUCCESS
        }
        Command::Explain { code: Some(code) } => explain(&code),
    }
}

/// `statescope explain CODE`: the long text, or a hint when the code is unknown (exit 2).
fn explain(code: &str) -> ExitCode {
    use crate::asl::codes::explain::{all_codes, explain};
    match explain(code) {
        Some(text) => {
            let (name, meaning) = all_codes().find(|(c, _)| c.eq_ignore_ascii_case(code)).unwrap_or((code, ""));
            outln!("{name}: {meaning}\n\n{}", text.trim_end());
            ExitCode::SUCCESS
        }
        None => {
            let hint = crate::asl::suggest::did_you_mean(code, all_codes().map(|(c, _)| c))
                .unwrap_or_else(|| "`statescope explain` lists every code".into());
            eprintln!("error: '{code}' is not a statescope code; {hint}");
            ExitCode::from(2)
        }
    }
}

/// Writes one line to standard output; on a broken pipe the reader is gone, so exit quietly.
pub(crate) fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}
