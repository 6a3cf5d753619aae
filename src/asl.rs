//! The engine: parse, validate and execute Amazon States Language definitions.
//! Pure: no terminal, no tokio, no file system, no real clock, no global randomness.

pub mod calendar;
pub mod check;
pub mod codes;
pub mod coverage;
pub mod definition;
pub mod depth;
pub mod diagnostic;
pub mod diff;
pub mod engine;
pub mod error_name;
pub mod evaluate;
pub mod explain;
pub mod intrinsics;
pub mod json_text;
pub mod json_type;
pub mod jsonata;
pub mod jsonpath;
pub mod lint;
pub mod load;
pub mod mock;
pub mod parse;
pub mod resource;
pub mod source;
pub mod suggest;
pub mod timestamp;
pub mod tree;
pub mod validate;
pub mod workflow;
pub mod world;
pub mod yaml;
