//! Executing a parsed machine one data-flow stage at a time, deterministically: the clock is
//! virtual, randomness is seeded, and everything the engine does is returned as values
//! (stages, history events), never printed.

pub mod choice;
pub mod chunked;
pub mod clock;
pub mod config;
mod env;
pub mod execution;
pub mod history;
mod io;
pub mod limits;
mod payload;
mod pipeline;
pub mod replay;
mod retry;
mod scope;
mod scratch;
mod span_hash;
pub mod stage;
mod states;
pub mod stored;
pub mod string_matches;
pub mod tasks;
mod trace;
mod visit;

pub use config::ExecutionConfig;
pub use execution::{Execution, Status, Step, TIMED_OUT_ERROR};
pub use retry::error_equals_names;
#[cfg(test)]
mod tests;
