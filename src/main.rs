//! The `statescope` command: argument parsing and dispatch; the work is in `statescope::cli`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = statescope::cli::Args::parse();
    statescope::cli::main(args)
}
