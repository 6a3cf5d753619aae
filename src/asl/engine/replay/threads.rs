//! Which state and which Map iteration each recorded event belongs to, and the task results
//! per state and invocation. AWS runs Parallel branches and Map iterations concurrently, so
//! their events interleave; each event's `previousEventId` names the event before it *in its
//! own branch*, and following those links recovers the structure. A history whose links are
//! all `id - 1` (a sequential recording, or one rebuilt without them) is read in stream order,
//! pairing each task event with the oldest Task state still waiting for one.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::{Payload, RecordedEvent, RecordedHistory};
use crate::asl::definition::{MapMode, PathOrNull, Scope, StateKind, StateMachine};
use crate::asl::engine::tasks::{TaskAnswer, TaskRequest, TaskSource};

/// Containers around each state: `(name, is_map)`, outermost first. State names are unique
/// machine-wide (rule 2.3), so this is a property of the name.
#[derive(Debug, Default)]
pub(super) struct Ancestry {
    of: HashMap<String, Vec<(String, bool)>>,
    pub kinds: HashMap<String, &'static str>,
    /// States inside a DISTRIBUTED Map: they run in child executions, whose events are in
    /// their own histories, not this one.
    in_child: HashMap<String, String>,
}

impl Ancestry {
    pub fn new(machine: &StateMachine) -> Ancestry {
        fn walk(scope: &Scope, outer: &mut Vec<(String, bool)>, a: &mut Ancestry) {
            for s in &scope.states {
                a.of.insert(s.name.clone(), outer.clone());
                a.kinds.insert(s.name.clone(), s.type_name());
                match &s.kind {
                    StateKind::Parallel(p) => {
                        outer.push((s.name.clone(), false));
                        for b in &p.branches {
                            walk(b, outer, a);
                        }
                        outer.pop();
                    }
                    StateKind::Map(m) => {
                        outer.push((s.name.clone(), true));
                        let before: Vec<String> = a.of.keys().cloned().collect();
                        walk(&m.processor, outer, a);
                        outer.pop();
                        if m.mode == MapMode::Distributed {
                            let inner: Vec<String> = a.of.keys().filter(|k| !before.contains(k)).cloned().collect();
                            for k in inner {
                                a.in_child.entry(k).or_insert_with(|| s.name.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut a = Ancestry::default();
        walk(&machine.scope, &mut Vec::new(), &mut a);
        a
    }

    /// The Maps around `state`; `None` for a state the definition does not have (or without a
    /// definition): then the history's own nesting is kept as it is.
    fn maps_around(&self, state: &str) -> Option<Vec<&str>> {
        self.of.get(state).map(|v| v.iter().filter(|(_, m)| *m).map(|(n, _)| n.as_str()).collect())
    }

    fn nearest_parallel(&self, state: &str) -> Option<&str> {
        self.of.get(state)?.iter().rev().find(|(_, m)| !*m).map(|(n, _)| n.as_str())
    }
}

/// One Map iteration an event runs in.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Item {
    pub map: String,
    /// Id of the `MapStateStarted` of that visit of the Map (0 if unknown): orders visits.
    pub visit: u64,
    pub index: u64,
}

/// Where one event belongs.
#[derive(Clone, Debug, Default)]
pub(super) struct Place {
    /// The state whose visit wrote the event (for task events, the Task state).
    pub state: Option<String>,
    pub items: Vec<Item>,
    /// The latest `MapStateStarted` on this thread: `(map, id)`.
    map_start: Option<(String, u64)>,
}

fn keep_around(items: &[Item], maps: Option<Vec<&str>>) -> Vec<Item> {
    match maps {
        Some(maps) => items.iter().filter(|i| maps.contains(&i.map.as_str())).cloned().collect(),
        None => items.to_vec(),
    }
}

/// Task events: `(family, outcome)` for `TaskSucceeded`, `LambdaFunctionScheduled`, …
pub(super) fn task_event(type_name: &str) -> Option<(&'static str, &str)> {
    ["Task", "LambdaFunction", "Activity"]
        .into_iter()
        .find_map(|f| type_name.strip_prefix(f).map(|rest| (f, rest)))
        .filter(|(_, rest)| {
            matches!(
                *rest,
                "Scheduled"
                    | "ScheduleFailed"
                    | "Started"
                    | "StartFailed"
                    | "Submitted"
                    | "SubmitFailed"
                    | "Succeeded"
                    | "Failed"
                    | "TimedOut"
            )
        })
}

fn is_result(outcome: &str) -> bool {
    matches!(outcome, "Succeeded" | "Failed" | "TimedOut" | "StartFailed" | "SubmitFailed" | "ScheduleFailed")
}

/// Whether the history links events by branch (a real concurrent recording).
fn linked(history: &RecordedHistory) -> bool {
    history.events.iter().any(|e| e.id > 1 && e.previous_event_id != e.id - 1)
}

/// The place of every event, in the history's order.
pub(super) fn places(ancestry: &Ancestry, history: &RecordedHistory) -> Vec<Place> {
    let linked = linked(history);
    let mut by_id: HashMap<u64, usize> = HashMap::with_capacity(history.events.len());
    let mut out: Vec<Place> = Vec::with_capacity(history.events.len());
    // Stream order only: Task states entered and not yet scheduled, and tasks in flight.
    let mut entered: VecDeque<Place> = VecDeque::new();
    let mut in_flight: VecDeque<Place> = VecDeque::new();
    let mut last_scheduled: Option<Place> = None;
    for (i, e) in history.events.iter().enumerate() {
        let prev = if linked { by_id.get(&e.previous_event_id).copied() } else { i.checked_sub(1) };
        let mut p = prev.map(|j| out[j].clone()).unwrap_or_default();
        let t = e.type_name.as_str();
        let name = e.text("name").map(str::to_string);
        if t.ends_with("StateEntered") || t.ends_with("StateExited") {
            if let Some(n) = &name {
                p.items = keep_around(&p.items, ancestry.maps_around(n));
                p.state = Some(n.clone());
            }
            if t == "TaskStateEntered" && !linked {
                entered.push_back(p.clone());
            }
        } else if t == "MapStateStarted" {
            p.map_start = p.state.clone().map(|s| (s, e.id));
        } else if t.starts_with("MapIteration") {
            if let Some(n) = &name {
                let index = e.details.get("index").and_then(Value::as_u64).unwrap_or(0);
                let visit = match p.items.iter().find(|i| &i.map == n) {
                    Some(i) => i.visit,
                    None => p.map_start.as_ref().filter(|(m, _)| m == n).map_or(0, |(_, id)| *id),
                };
                p.items = keep_around(&p.items, ancestry.maps_around(n));
                p.items.push(Item { map: n.clone(), visit, index });
                p.state = Some(n.clone());
            }
        } else if t.starts_with("MapState") || t.starts_with("MapRun") {
            // Back at the Map's level: its iteration (if the thread is in one) is over.
            if let Some(last) = p.items.pop() {
                p.state = Some(last.map);
            }
        } else if t.starts_with("ParallelState") && t != "ParallelStateStarted" {
            let outer = p.state.as_deref().and_then(|s| ancestry.nearest_parallel(s)).map(str::to_string);
            if let Some(outer) = outer {
                p.items = keep_around(&p.items, ancestry.maps_around(&outer));
                p.state = Some(outer);
            }
        } else if let Some((_, outcome)) = task_event(t).filter(|_| !linked) {
            // Stream order: pair by waiting order, as the threads are not linked.
            if outcome == "Scheduled" || outcome == "ScheduleFailed" {
                let owner = entered.pop_front().or_else(|| last_scheduled.clone()).unwrap_or(p.clone());
                last_scheduled = Some(owner.clone());
                in_flight.push_back(owner);
            }
            let owner = if is_result(outcome) { in_flight.pop_front() } else { in_flight.front().cloned() };
            if let Some(owner) = owner.or_else(|| last_scheduled.clone()) {
                let mut q = owner;
                q.map_start = p.map_start.clone();
                by_id.insert(e.id, out.len());
                out.push(q);
                continue;
            }
        }
        by_id.insert(e.id, out.len());
        out.push(p);
    }
    out
}

/// One recorded task result, or why it cannot be had.
#[derive(Clone, Debug)]
struct Recorded {
    answer: Result<TaskAnswer, String>,
    /// `(visit, index)` of each enclosing Map iteration, then the event id: the order the
    /// engine (which runs iterations one after another) asks in.
    order: Vec<u64>,
}

/// Task results from a recorded history, per Task state in the order the engine asks for
/// them (`TaskRequest::invocation`): iterations of a Map in index order, each visit of the
/// Map after the previous one, retries in the order they ran.
#[derive(Debug, Default)]
pub struct RecordedTasks {
    by_state: HashMap<String, Vec<Recorded>>,
    /// Task states in a DISTRIBUTED Map → that Map.
    in_child: HashMap<String, String>,
}

impl RecordedTasks {
    /// The results of `history`; with the `machine` that ran, its nesting (which Map
    /// iteration a state runs in) comes from the definition, else from the history alone.
    pub fn new(machine: Option<&StateMachine>, history: &RecordedHistory) -> RecordedTasks {
        let ancestry = machine.map(Ancestry::new).unwrap_or_default();
        let places = places(&ancestry, history);
        let mut by_state: HashMap<String, Vec<Recorded>> = HashMap::new();
        for (i, (e, place)) in history.events.iter().zip(&places).enumerate() {
            let Some((_, outcome)) = task_event(&e.type_name) else { continue };
            if !is_result(outcome) {
                continue;
            }
            let Some(state) = &place.state else { continue };
            let mut order: Vec<u64> = place.items.iter().flat_map(|i| [i.visit, i.index]).collect();
            order.push(e.id);
            let mut answer = answer_of(e, outcome);
            if answer.is_err() && outcome == "Succeeded" {
                // A result AWS truncated is still the state's output when nothing reshapes it.
                if let Some(v) =
                    machine.and_then(|m| output_is_result(m, state)).and_then(|()| exited_output(history, &places, i))
                {
                    answer = Ok(TaskAnswer::Return(v));
                }
            }
            by_state.entry(state.clone()).or_default().push(Recorded { answer, order });
        }
        for list in by_state.values_mut() {
            list.sort_by(|a, b| a.order.cmp(&b.order));
        }
        RecordedTasks { by_state, in_child: ancestry.in_child }
    }

    /// Every recorded result as `(state, invocation, answer or why it cannot be had)`, per
    /// state in invocation order: a mock config's responses.
    pub fn answers(&self) -> Vec<(&str, u32, Result<&TaskAnswer, &str>)> {
        let mut out: Vec<(&str, u32, Result<&TaskAnswer, &str>)> = Vec::new();
        for (state, list) in &self.by_state {
            for (i, r) in list.iter().enumerate() {
                out.push((state, i as u32, r.answer.as_ref().map_err(String::as_str)));
            }
        }
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }

    /// Why `request` got no answer, for the report.
    pub fn why_unanswered(&self, request: &TaskRequest) -> String {
        let at = if request.location.is_empty() { String::new() } else { format!(" ({})", request.location) };
        let n = request.invocation + 1;
        let recorded = self.by_state.get(&request.state).and_then(|l| l.get(request.invocation as usize));
        match (recorded, self.in_child.get(&request.state)) {
            (Some(Recorded { answer: Err(why), .. }), _) => {
                format!("Task '{}'{at}, invocation {n}: {why}", request.state)
            }
            (None, Some(map)) => format!(
                "Task '{}'{at}, invocation {n}: it runs in a child execution of the DISTRIBUTED Map '{map}', whose \
                 events are in the child's own history, not this one",
                request.state
            ),
            _ => format!(
                "Task '{}'{at}, invocation {n}: the recording holds no result for it (the recording ends, or the \
                 definition now calls it more often)",
                request.state
            ),
        }
    }
}

impl TaskSource for RecordedTasks {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer> {
        self.by_state.get(&request.state)?.get(request.invocation as usize)?.answer.clone().ok()
    }
}

/// `Some` when `state` passes its task result through unchanged: no ResultSelector, ResultPath
/// and OutputPath `$` (or absent), no JSONata `Output`.
fn output_is_result(machine: &StateMachine, state: &str) -> Option<()> {
    fn find<'a>(scope: &'a Scope, name: &str) -> Option<&'a crate::asl::definition::State> {
        scope.states.iter().find_map(|s| {
            if s.name == name {
                return Some(s);
            }
            match &s.kind {
                StateKind::Parallel(p) => p.branches.iter().find_map(|b| find(b, name)),
                StateKind::Map(m) => find(&m.processor, name),
                _ => None,
            }
        })
    }
    let s = find(&machine.scope, state)?;
    let whole = |p: &Option<crate::asl::definition::Spanned<PathOrNull>>| match p {
        None => true,
        Some(p) => matches!(&p.value, PathOrNull::Path(path) if path.text() == "$"),
    };
    let io = &s.io;
    (io.result_selector.is_none() && io.output.is_none() && whole(&io.result_path) && whole(&io.output_path))
        .then_some(())
}

/// The output of the `…StateExited` that closes the visit of the task event at `i`: the next
/// exit of the same state in the same Map iteration.
fn exited_output(history: &RecordedHistory, places: &[Place], i: usize) -> Option<Value> {
    let (state, items) = (places[i].state.as_deref()?, &places[i].items);
    let (exit, _) =
        history.events.iter().zip(places).skip(i + 1).find(|(e, p)| {
            e.type_name.ends_with("StateExited") && e.text("name") == Some(state) && &p.items == items
        })?;
    match exit.payload("output") {
        Payload::Value(v) => Some(v),
        _ => None,
    }
}

fn answer_of(e: &RecordedEvent, outcome: &str) -> Result<TaskAnswer, String> {
    if outcome == "Succeeded" {
        return match e.payload("output") {
            Payload::Value(v) => Ok(TaskAnswer::Return(v)),
            Payload::Truncated => Err(format!("its result (event {}) is truncated in the recording", e.id)),
            Payload::Missing => Ok(TaskAnswer::Return(Value::Null)),
            Payload::Invalid(_) => Err(format!("its result (event {}) is not JSON", e.id)),
        };
    }
    let error = e.text("error").map(str::to_string).unwrap_or_else(|| match outcome {
        "TimedOut" => "States.Timeout".into(),
        _ => "States.TaskFailed".into(),
    });
    Ok(TaskAnswer::Throw { error, cause: e.text("cause").map(str::to_string) })
}
