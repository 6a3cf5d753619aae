//! The interactive debugger and `statescope learn`: the model driven by synthetic events, its
//! screens on ratatui's `TestBackend`, the file watch, and its performance figures.
//!
//! One test crate, not one per file: every crate links the whole library, and CI compiles and
//! links each one. Run a part with a filter: `cargo test --test tui drill::`.

mod cli;
mod drill;
mod explain;
mod figures;
mod graph;
mod learn;
mod render_time;
mod screens;
mod support;
mod tasks;
mod teach;
mod update;
mod watch;
