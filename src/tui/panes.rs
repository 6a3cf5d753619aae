//! One module per pane; each draws from `&App` into the area it is given.

pub mod answer;
pub mod drill;
pub mod explain;
pub mod graph;
pub mod help;
pub mod history;
pub mod lesson;
pub mod prompt;
pub mod stages;
pub mod status;
pub mod variables;
