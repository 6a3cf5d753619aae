//! What one step of the debugger shows: a data-flow stage of a state, named as AWS's TestState
//! API names its inspection data, with the value and the field that produced it.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::engine::choice::ChoiceOutcome;
use crate::asl::engine::stored::Payload;
use crate::asl::source::Span;

/// The stages of a state, in order. A state only has the stages its fields call for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StageKind {
    Input,
    AfterInputPath,
    AfterParameters,
    /// Map: the items ItemsPath selected (TestState's inspectionData names).
    AfterItemsPath,
    /// Map: each item after ItemSelector.
    AfterItemSelector,
    /// Map: the batches ItemBatcher made.
    AfterItemBatcher,
    Result,
    AfterResultSelector,
    AfterResultPath,
    Output,
    /// JSONata mode (later wave): after Arguments.
    AfterArguments,
    /// The variables after Assign.
    Variables,
}

impl StageKind {
    /// TestState's name for the stage (`afterInputPath`).
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Input => "input",
            StageKind::AfterInputPath => "afterInputPath",
            StageKind::AfterParameters => "afterParameters",
            StageKind::AfterItemsPath => "afterItemsPath",
            StageKind::AfterItemSelector => "afterItemSelector",
            StageKind::AfterItemBatcher => "afterItemBatcher",
            StageKind::Result => "result",
            StageKind::AfterResultSelector => "afterResultSelector",
            StageKind::AfterResultPath => "afterResultPath",
            StageKind::Output => "output",
            StageKind::AfterArguments => "afterArguments",
            StageKind::Variables => "variables",
        }
    }
}

/// Extra facts a stage can explain.
#[derive(Clone, Debug)]
pub enum StageDetail {
    /// Which Choice rule matched and why.
    Choice(ChoiceOutcome),
    /// A Wait: how long, and until when (virtual clock).
    Wait { seconds: f64, until_ms: i64 },
    /// The state failed here.
    Error { error: String, cause: String },
    /// An error was caught by catcher `catcher` (0-based), going to `next`.
    Caught { catcher: usize, next: crate::asl::definition::StateName },
}

/// Where a state ran: empty at top level, else `Fan › branch 2` or `Map › item 3 › Inner ›
/// branch 1`. Reads as a `str`. The top level holds nothing, so the records of a long top-level
/// run share no reference count (counting one per stage showed in the engine's profile).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Location(Option<Arc<Box<str>>>);

impl Location {
    /// A nested location; an empty text is the top level.
    pub fn new(text: impl AsRef<str>) -> Location {
        let text = text.as_ref();
        // A thin pointer (`Arc<Box<str>>`, not `Arc<str>`): one word in every stage record.
        Location((!text.is_empty()).then(|| Arc::new(Box::from(text))))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_deref().map_or("", |t| &**t)
    }
}

impl std::ops::Deref for Location {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Location {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// The ASL field behind a stage's value, as written: shown next to the JSON it produced. Made
/// once per field and execution and shared by every stage it produces.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldSource {
    /// The field's name (`InputPath`).
    pub field: &'static str,
    /// The expression as written (`$.lambda`); long templates are cut with `…`.
    pub expr: Arc<str>,
    /// Where the field is in the source.
    pub span: Span,
}

/// One revealed stage. Kept small: a long run holds one per stage shown, and the vector's
/// growth and first touch of its pages were a visible part of the engine's per-state cost.
#[derive(Clone, Debug)]
pub struct StageRecord {
    /// Position in the execution's list of stages (see [`StageRecord::index`]).
    pub(crate) index: u32,
    pub state: Arc<str>,
    /// Where the state sits: empty at top level, else `Fan › branch 2` or `Map › item 3`.
    pub location: Location,
    pub kind: StageKind,
    /// The value, as the execution keeps it (see [`StageRecord::value`]).
    pub payload: Payload,
    /// The ASL field that produced the value (`InputPath: $.lambda`), if any.
    pub source: Option<Arc<FieldSource>>,
    pub detail: Option<Box<StageDetail>>,
    /// On the stage where an attempt failed and a Retrier took it: when the next attempt was
    /// scheduled (a retry timeline is drawn from these).
    pub retry: Option<Box<RetryMark>>,
    /// The value (a state's input or output) is above 80% of AWS's 256 KiB payload quota:
    /// the `payload-near-limit` warning (see `engine::limits`).
    pub near_limit: bool,
}

impl StageRecord {
    /// The stage's value (built anew when stored frozen: see `engine::stored`).
    pub fn value(&self) -> Arc<Value> {
        self.payload.value()
    }

    /// Position in the execution's list of stages (0-based).
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The ASL field that produced the value (`InputPath`), if any.
    pub fn field(&self) -> Option<&'static str> {
        self.source.as_ref().map(|s| s.field)
    }

    /// The field's expression as written (`$.lambda`), if any.
    pub fn expr(&self) -> Option<&str> {
        self.source.as_ref().map(|s| &*s.expr)
    }

    /// Where the field is in the source.
    pub fn span(&self) -> Option<Span> {
        self.source.as_ref().map(|s| s.span)
    }
}

/// What an expression at a stage sees besides the stage's JSON: `$$` and the variables in scope
/// as the stage's state saw them (before its own Assign), in its branch or iteration.
#[derive(Clone, Debug, PartialEq)]
pub struct StageScope {
    pub context: Value,
    pub variables: serde_json::Map<String, Value>,
}

/// One retry decision (rules 16.3–16.6), on the virtual clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryMark {
    /// The Retrier that matched (0-based).
    pub retrier: usize,
    /// Which retry this is of that Retrier (1-based).
    pub attempt: u64,
    /// The delay after backoff, MaxDelaySeconds and jitter.
    pub delay_seconds: f64,
    /// When the attempt failed and when the next one starts.
    pub failed_at_ms: i64,
    pub retry_at_ms: i64,
}
