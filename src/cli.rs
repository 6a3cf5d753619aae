//! The command line: `validate`, `run`, `test` (mock configs) and `codes`. Reads files, renders
//! diagnostics; all ASL semantics stay in `asl`.

/// `println!` for command output: a closed pipe (`statescope run … | head`) ends the process
/// quietly instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))
    };
}

mod graph;
mod run;
mod test;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// A debugger for AWS Step Functions state machines.
#[derive(Parser, Debug)]
#[command(name = "statescope", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check definitions like AWS's CreateStateMachine does, and more.
    Validate(validate::ValidateArgs),
    /// Execute a machine headless and print its outcome.
    Run(run::RunArgs),
    /// Draw the state graph (text, Graphviz DOT or Mermaid).
    Graph(graph::GraphArgs),
    /// Run every test case of a mock config (Step Functions Local format) and check the outcomes.
    Test(test::TestArgs),
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
    match args.command {
        Command::Validate(a) => validate::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Graph(a) => graph::run(&a),
        Command::Test(a) => test::run(&a),
        Command::Codes => {
            for (code, meaning) in statescope_codes().iter().chain(crate::asl::codes::MOCK) {
                outln!("{code}  {meaning}");
            }
            ExitCode::SUCCESS
        }
    }
}

fn statescope_codes() -> &'static [(&'static str, &'static str)] {
    crate::asl::codes::ALL
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
