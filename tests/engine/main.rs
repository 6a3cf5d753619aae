//! Integration tests of the engine and its consumers that need no terminal: the AWS-recorded
//! corpus, the JSONata suite, loading and checking, histories and the graph layout.
//!
//! One test crate, not one per file: every crate links the whole library, and CI compiles and
//! links each one. Run a part with a filter: `cargo test --test engine conformance::`.

mod conformance;
mod deployed;
mod graph;
mod history;
mod jsonata_suite;
mod jsonata_validation;
mod load_props;
mod samples;
mod support;
mod with_tasks;
