//! Executing a parsed machine.
pub mod string_matches;
