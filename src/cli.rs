//! The command line: `validate` (and `run`, as the engine lands). Reads files, renders
//! diagnostics; all ASL semantics stay in `asl`.

mod run;
mod validate;

/// `statescope FILE` / `statescope debug FILE`: the interactive debugger.
#[cfg(feature = "tui")]
mod debug;

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
    /// Check definitions like AWS's CreateStateMachine does, and more.
    Validate(validate::ValidateArgs),
    /// Execute a machine headless and print its outcome.
    Run(run::RunArgs),
    /// List every diagnostic code with its meaning.
    Codes,
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
        Command::Validate(a) => validate::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Codes => {
            for (code, meaning) in statescope_codes() {
                println!("{code}  {meaning}");
            }
            ExitCode::SUCCESS
        }
    }
}

fn statescope_codes() -> &'static [(&'static str, &'static str)] {
    crate::asl::codes::ALL
}
