//! statescope: a debugger for AWS Step Functions state machines. The library is the engine
//! (`asl`); the binary adds the command line (and, later, the terminal UI).

#![forbid(unsafe_code)]

pub mod asl;
pub mod fuzz;
/// The interactive debugger (`statescope FILE`).
#[cfg(feature = "tui")]
pub mod tui;

#[cfg(feature = "cli")]
pub mod cli;
pub mod graph;
/// Local task handlers (`--handler`): commands that answer Tasks.
#[cfg(feature = "cli")]
pub mod handlers;
pub mod learn;
/// `statescope serve`: the Step Functions API on localhost.
#[cfg(feature = "server")]
pub mod server;
