//! The one event type the debugger reacts to. Every input — keys, resizes, file changes, the
//! clock — arrives as an `Event`, so `update` can be driven by tests without a terminal.

use crossterm::event::KeyEvent;

/// Something that happened outside the model.
#[derive(Clone, Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The definition, input or mock config file changed on disk (after debouncing). The runtime reads the
    /// files, so `update` stays free of I/O: each field is the new text, or why it could not be
    /// read, and `None` when that file did not change.
    FileChanged(FileChange),
    /// Text pasted into the terminal (bracketed paste): typed into an open field, never taken
    /// as keys.
    Paste(String),
    /// Time passed (expires transient messages).
    Tick,
    /// A task handler started for job `id` (see `handler`) finished with `answer`.
    HandlerFinished {
        id: u64,
        answer: crate::asl::engine::tasks::TaskAnswer,
    },
}

/// The new contents of the watched files.
#[derive(Clone, Debug, Default)]
pub struct FileChange {
    pub definition: Option<Result<String, String>>,
    pub input: Option<Result<String, String>>,
    pub mock: Option<Result<String, String>>,
}
