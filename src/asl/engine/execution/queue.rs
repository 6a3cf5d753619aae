//! The evaluated trace of the current visit, revealed one item at a time.

use std::sync::Arc;

use crate::asl::engine::history::EventKind;
use crate::asl::engine::trace::Item;

/// The evaluated trace of the current visit, revealed from `pos` on.
#[derive(Clone, Default)]
pub(super) struct Queue {
    items: Items,
    pos: usize,
    /// Index of the last stage in `items`, if any: whether a stage is still to come is then O(1).
    last_stage: Option<usize>,
}

/// A visit's items: owned while no snapshot was taken in the middle of the visit (revealing one
/// moves it out), shared with the snapshots once one was (revealing one clones it). Sharing
/// rather than copying keeps a snapshot cheap inside a long visit (a 1,000-item Map); owning
/// keeps the common case free of reference counting.
#[derive(Clone)]
enum Items {
    Owned(Vec<Item>),
    Shared(Arc<Vec<Item>>),
}

impl Default for Items {
    fn default() -> Items {
        Items::Owned(Vec::new())
    }
}

impl Queue {
    /// Takes the items' buffer for the next visit's trace, unless a snapshot shares it.
    pub(super) fn take_buffer(&mut self) -> Vec<Item> {
        self.pos = 0;
        self.last_stage = None;
        match std::mem::take(&mut self.items) {
            Items::Owned(v) => v,
            Items::Shared(a) => Arc::try_unwrap(a).unwrap_or_default(),
        }
    }

    /// Queues a visit's trace.
    pub(super) fn refill(&mut self, items: Vec<Item>) {
        self.last_stage = items.iter().rposition(|i| matches!(i, Item::Stage(_)));
        self.pos = 0;
        self.items = Items::Owned(items);
    }

    /// A copy for a snapshot: from now on the items are shared.
    pub(super) fn share(&mut self) -> Queue {
        if let Items::Owned(v) = &mut self.items {
            self.items = Items::Shared(Arc::new(std::mem::take(v)));
        }
        self.clone()
    }

    pub(super) fn has_stage(&self) -> bool {
        self.last_stage.is_some_and(|l| l >= self.pos)
    }

    pub(super) fn peek(&self) -> Option<&Item> {
        match &self.items {
            Items::Owned(v) => v.get(self.pos),
            Items::Shared(a) => a.get(self.pos),
        }
    }

    pub(super) fn pop(&mut self) -> Option<Item> {
        let item = match &mut self.items {
            Items::Owned(v) => std::mem::replace(v.get_mut(self.pos)?, Item::Taken),
            Items::Shared(a) => a.get(self.pos)?.clone(),
        };
        self.pos += 1;
        Some(item)
    }

    pub(super) fn pop_event(&mut self) -> Option<(i64, EventKind)> {
        match self.peek()? {
            Item::Event { .. } => match self.pop()? {
                Item::Event { at_ms, kind } => Some((at_ms, kind)),
                Item::Stage(_) | Item::Taken => None,
            },
            Item::Stage(_) | Item::Taken => None,
        }
    }
}
