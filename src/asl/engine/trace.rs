//! What evaluating one top-level state produces, in order: the stages to reveal and the history
//! events to commit between them. Nested states (Parallel branches, Map iterations) write into
//! the same trace, so one flat history results, as AWS records it. Event ids are handed out
//! here, so a cause can quote "entered at the event id #N" before the event is committed.

use serde_json::Value;

use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::StageRecord;

#[derive(Clone)]
pub(crate) enum Item {
    /// Numbered when revealed.
    Stage(StageRecord),
    Event {
        at_ms: i64,
        kind: EventKind,
    },
    /// What an item revealed from a queue it owned leaves behind (writing only a tag).
    Taken,
}

pub(crate) struct Trace {
    pub items: Vec<Item>,
    next_id: u32,
    /// Id of the first event this trace may hand out, so callers can count events emitted.
    first_id: u32,
}

impl Trace {
    pub fn new(next_id: u32) -> Trace {
        Trace::reusing(next_id, Vec::new())
    }

    /// A trace writing into `items` (emptied here), the previous visit's buffer.
    pub fn reusing(next_id: u32, mut items: Vec<Item>) -> Trace {
        items.clear();
        Trace { items, next_id, first_id: next_id }
    }

    /// Appends an event; returns the id it will have in the history.
    pub fn event(&mut self, at_ms: i64, kind: EventKind) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        self.items.push(Item::Event { at_ms, kind });
        id
    }

    /// A lifecycle event (`ParallelStateStarted`, `MapIterationFailed`, `TaskScheduled`, …).
    pub fn lifecycle(&mut self, at_ms: i64, name: impl Into<String>, details: Option<Value>) -> u32 {
        self.event(at_ms, EventKind::Lifecycle { name: name.into(), details: details.map(Into::into) })
    }

    pub fn stage(&mut self, s: StageRecord) {
        self.items.push(Item::Stage(s));
    }

    /// Appends stages in order, emptying `stages`.
    pub fn stages(&mut self, stages: &mut Vec<StageRecord>) {
        self.items.extend(stages.drain(..).map(Item::Stage));
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> u32 {
        self.next_id
    }

    /// Events emitted so far by this trace.
    pub fn events_emitted(&self) -> usize {
        (self.next_id - self.first_id) as usize
    }

    /// The last stage written, to attach an explanation (an error, a retry decision) to.
    pub fn last_stage_mut(&mut self) -> Option<&mut StageRecord> {
        self.items.iter_mut().rev().find_map(|i| match i {
            Item::Stage(s) => Some(s),
            Item::Event { .. } | Item::Taken => None,
        })
    }
}
