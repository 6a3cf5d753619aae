//! The interactive debugger: `statescope FILE [--input FILE]`. The model (`app`) and the single
//! `update` function hold every decision and touch no terminal, so they are tested with
//! synthetic events; `runtime` owns the terminal, the async event loop and the file watcher,
//! and `ui` draws a frame from the model.

pub mod answer;
pub mod app;
pub mod diff;
pub mod drill;
pub mod event;
pub mod graph_view;
pub mod handler;
pub mod highlight;
pub mod keymap;
pub mod lesson;
pub mod panes;
pub mod prompt;
pub mod reload;
pub mod runtime;
pub mod search;
pub mod session;
pub mod terminal;
pub mod ui;
pub mod update;
pub mod watch;

pub use app::App;
pub use event::Event;
pub use update::update;
