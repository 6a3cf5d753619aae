//! The real `statescope` binary as a user or a script runs it: `validate`, `run`, `test`,
//! mock configs, lints and exit codes.
//!
//! One test crate, not one per file: every crate links the whole library, and CI compiles and
//! links each one. Run a part with a filter: `cargo test --test cli mock::`.

mod binary;
mod lints;
mod mock;
mod run;
