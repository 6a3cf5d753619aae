//! Payloads as an execution keeps them for time travel: every stage record and history event
//! holds one, so what a run retains is what its stages *changed*, not what they copied.
//!
//! Why this shape. The live engine computes on `serde_json::Value`, whose strings, arrays and
//! objects are owned: a `Parameters` that passes `$.big` on, or a `ResultPath` that puts a
//! result into the input, builds a new value holding its own copy of everything it kept.
//! `Arc<Value>` already shares values passed on *whole*, but not values embedded in a new
//! one, so a loop copying a 200 KB string into each new state's output retained 200 KB per
//! state (2.5 GB before the history quota stopped it). Making the engine's own value type
//! share its insides would touch every evaluator; instead the records are *stored* frozen:
//! a visit whose payloads are large (its state's input or output, measured for the quota
//! anyway, is at least [`FREEZE_FROM_BYTES`]) has its records' values converted to a
//! [`Frozen`] tree in which every string, array and object of at least [`SHARE_FROM_BYTES`]
//! is hash-consed per execution: equal content is held once, whichever stage or copy it came
//! from. Small visits, the engine's common case, keep their `Arc<Value>` as is: their hot
//! path gains no walk, no hash and no allocation. Readers get a `Value` back
//! ([`Payload::value`]), built on demand for a frozen one (the debugger shows a few stages at
//! a time; exports serialise one event at a time), so everything that consumes records sees
//! exactly what it saw before.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Weak};

use serde_json::Value;

use crate::asl::engine::history::EventKind;
use crate::asl::engine::trace::Item;

mod frozen;

use frozen::Frozen;

/// A visit whose largest payload (a state's input or output, nested states' included, as
/// measured for the payload quota) is at least this many bytes has its records stored frozen.
/// Below it a visit keeps its values live: at most this much per distinct value is retained
/// per stage, and freezing would cost more than the copy it saves.
pub(crate) const FREEZE_FROM_BYTES: usize = 4 * 1024;

/// Strings, arrays and objects of at least this many bytes (as compact JSON, roughly) are
/// stored once per execution however many records hold them; smaller ones are copied into
/// each record, which is cheaper than looking them up.
pub(crate) const SHARE_FROM_BYTES: usize = 256;

/// A stage's value or an event's payload as the execution keeps it: the engine's own value
/// (shared with the stages that passed it on unchanged) or its frozen, deduplicated form.
#[derive(Clone)]
pub struct Payload(Repr);

#[derive(Clone)]
enum Repr {
    Live(Arc<Value>),
    Frozen(Arc<Frozen>),
}

impl Payload {
    /// The value. Shared for a live payload; built anew (a copy the caller owns) for a frozen
    /// one, so call it once per use rather than per field read.
    pub fn value(&self) -> Arc<Value> {
        match &self.0 {
            Repr::Live(v) => v.clone(),
            Repr::Frozen(f) => Arc::new(f.thaw()),
        }
    }

    /// Whether this payload is `value` itself (not merely equal to it): true only while live.
    pub(crate) fn is(&self, value: &Arc<Value>) -> bool {
        matches!(&self.0, Repr::Live(v) if Arc::ptr_eq(v, value))
    }

    /// Whether the payload is stored frozen (see the module doc).
    pub fn is_frozen(&self) -> bool {
        matches!(self.0, Repr::Frozen(_))
    }

    fn same_storage(&self, other: &Payload) -> bool {
        match (&self.0, &other.0) {
            (Repr::Live(a), Repr::Live(b)) => Arc::ptr_eq(a, b),
            (Repr::Frozen(a), Repr::Frozen(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Arc<Value>> for Payload {
    fn from(value: Arc<Value>) -> Payload {
        Payload(Repr::Live(value))
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Payload {
        Payload(Repr::Live(Arc::new(value)))
    }
}

/// Equal values, however they are stored.
impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        if self.same_storage(other) {
            return true;
        }
        match (&self.0, &other.0) {
            (Repr::Frozen(a), Repr::Frozen(b)) => a == b,
            _ => self.value() == other.value(),
        }
    }
}

impl PartialEq<Value> for Payload {
    fn eq(&self, other: &Value) -> bool {
        match &self.0 {
            Repr::Live(v) => **v == *other,
            Repr::Frozen(f) => f.thaw() == *other,
        }
    }
}

/// As the value's own `Debug`, so printed records read as before.
impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.value(), f)
    }
}

/// As the value's own `Display` (compact JSON; `{:#}` pretty).
impl std::fmt::Display for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.value(), f)
    }
}

/// The bytes `payloads` hold between them, each allocation counted once however many of them
/// share it (a live value once per `Arc`, a frozen tree's shared parts once per execution):
/// what time travel costs in memory, roughly (compact JSON sizes, not allocator overhead).
pub fn retained_bytes<'a>(payloads: impl IntoIterator<Item = &'a Payload>) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    for p in payloads {
        match &p.0 {
            Repr::Live(v) => {
                if seen.insert(Arc::as_ptr(v) as usize) {
                    total += crate::asl::engine::limits::measure(v, usize::MAX, usize::MAX).unwrap_or_default();
                }
            }
            Repr::Frozen(f) => {
                if seen.insert(Arc::as_ptr(f) as usize) {
                    total += f.retained(&mut seen);
                }
            }
        }
    }
    total
}

/// What freezing shares across one execution: the large parts stored so far (by content
/// hash; weak, so rewinding past their records frees them) and the live values frozen by the
/// last two visits (a state's input is the previous state's output: frozen once).
#[derive(Default)]
pub(crate) struct Store {
    hasher: foldhash::fast::RandomState,
    shared: HashMap<u64, Vec<Weak<Frozen>>, foldhash::fast::RandomState>,
    recent: Vec<(Arc<Value>, Arc<Frozen>)>,
    earlier: Vec<(Arc<Value>, Arc<Frozen>)>,
}

impl Store {
    /// Stores the payloads of a visit's stages and events frozen.
    pub(crate) fn freeze(&mut self, items: &mut [Item]) {
        self.earlier = std::mem::take(&mut self.recent);
        for item in items {
            match item {
                Item::Stage(s) => self.payload(&mut s.payload),
                Item::Event { kind, .. } => match kind {
                    EventKind::StateEntered { input: p, .. } => self.payload(p),
                    EventKind::StateExited { output, assigned_variables, .. } => {
                        self.payload(output);
                        if let Some(vars) = assigned_variables {
                            self.payload(vars);
                        }
                    }
                    _ => {}
                },
                Item::Taken => {}
            }
        }
    }

    /// The frozen form of `value`, if one of the last two visits stored it frozen: a snapshot
    /// then keeps that instead of the live value (see `execution::travel`).
    pub(crate) fn stored(&self, value: &Arc<Value>) -> Option<Payload> {
        let found = self.recent.iter().chain(&self.earlier).find(|(l, _)| Arc::ptr_eq(l, value));
        found.map(|(_, f)| Payload(Repr::Frozen(f.clone())))
    }

    /// Freezes `payload` in place if it is live and not too deep to walk.
    fn payload(&mut self, payload: &mut Payload) {
        let Repr::Live(v) = &payload.0 else { return };
        let found = self.recent.iter().chain(&self.earlier).find(|(l, _)| Arc::ptr_eq(l, v));
        let frozen = match found {
            Some((_, f)) => f.clone(),
            None => {
                let Some((node, hash, size)) = self.node(v, 0) else { return };
                let frozen = match node {
                    Frozen::Shared(a) => a,
                    node if size >= SHARE_FROM_BYTES => self.intern(node, hash),
                    node => Arc::new(node),
                };
                self.recent.push((v.clone(), frozen.clone()));
                frozen
            }
        };
        payload.0 = Repr::Frozen(frozen);
    }

    /// `v` frozen, with its content hash and approximate compact size; `None` past the depth
    /// every value the engine keeps is checked against (the caller then keeps it live).
    fn node(&mut self, v: &Value, depth: usize) -> Option<(Frozen, u64, usize)> {
        if depth > crate::asl::depth::MAX_VALUE_DEPTH {
            return None;
        }
        let (node, hash, size) = match v {
            Value::Null => (Frozen::Null, self.hasher.hash_one(0u8), 4),
            Value::Bool(b) => (Frozen::Bool(*b), self.hasher.hash_one((1u8, *b)), 5),
            Value::Number(n) => (Frozen::Number(n.clone()), self.hasher.hash_one((2u8, n)), 8),
            Value::String(s) => {
                (Frozen::String(s.as_str().into()), self.hasher.hash_one((3u8, s.as_str())), s.len() + 2)
            }
            Value::Array(items) => {
                let mut h = self.hasher.build_hasher();
                h.write_u8(4);
                let mut size = 2 + items.len();
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let (n, hash, s) = self.node(i, depth + 1)?;
                    h.write_u64(hash);
                    size += s;
                    out.push(n);
                }
                (Frozen::Array(out.into_boxed_slice()), h.finish(), size)
            }
            Value::Object(map) => {
                let mut h = self.hasher.build_hasher();
                h.write_u8(5);
                let mut size = 2 + map.len();
                let mut out = Vec::with_capacity(map.len());
                for (k, i) in map {
                    let (n, hash, s) = self.node(i, depth + 1)?;
                    h.write_u64(self.hasher.hash_one(k.as_str()));
                    h.write_u64(hash);
                    size += k.len() + 3 + s;
                    out.push((Box::from(k.as_str()), n));
                }
                (Frozen::Object(out.into_boxed_slice()), h.finish(), size)
            }
        };
        let node = match node {
            // Scalars other than strings are never large.
            Frozen::String(_) | Frozen::Array(_) | Frozen::Object(_) if size >= SHARE_FROM_BYTES => {
                Frozen::Shared(self.intern(node, hash))
            }
            node => node,
        };
        Some((node, hash, size))
    }

    /// The stored copy of `node`'s content, storing it if there is none.
    fn intern(&mut self, node: Frozen, hash: u64) -> Arc<Frozen> {
        let bucket = self.shared.entry(hash).or_default();
        if let Some(same) = bucket.iter().filter_map(Weak::upgrade).find(|a| **a == node) {
            return same;
        }
        // Records rewound away leave dead entries: dropped when their bucket is next used.
        bucket.retain(|w| w.strong_count() > 0);
        let a = Arc::new(node);
        bucket.push(Arc::downgrade(&a));
        a
    }
}

#[cfg(test)]
mod tests;
