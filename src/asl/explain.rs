//! Plain-words explanations of what each data-flow stage of a state did, for learners: the
//! whole pipeline of a state (stages whose field is absent included, so the shape of the
//! pipeline is visible), one sentence per stage, and the Retry and Wait decisions. Data only:
//! the debugger and `run --trace` render these texts.

use serde_json::Value;

pub mod changes;

use crate::asl::definition::{PathOrNull, QueryLanguage, Retrier, State, StateKind};
use crate::asl::engine::stage::{RetryMark, StageKind};

/// One stage of a state's pipeline: its TestState name, the field behind it, and whether the
/// state has that field (an absent one leaves the value unchanged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelineStage {
    pub kind: StageKind,
    /// The ASL field (`InputPath`); empty for `input`.
    pub field: &'static str,
    pub present: bool,
}

/// Every stage a visit of `state` goes through, in order, as AWS's TestState names them.
pub fn pipeline(state: &State) -> Vec<PipelineStage> {
    let io = &state.io;
    let st = |kind, field, present| PipelineStage { kind, field, present };
    let mut out = vec![st(StageKind::Input, "", true)];
    let map = match &state.kind {
        StateKind::Map(m) => Some(m),
        _ => None,
    };
    if state.query_language == QueryLanguage::Jsonata {
        let takes_arguments = matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_));
        if takes_arguments {
            out.push(st(StageKind::AfterArguments, "Arguments", io.arguments.is_some()));
        }
        if let Some(m) = map {
            out.push(st(StageKind::AfterItemSelector, "ItemSelector", m.item_selector.is_some()));
            out.push(st(StageKind::AfterItemBatcher, "ItemBatcher", m.item_batcher.is_some()));
        }
        // A JSONata Pass has no Result: its Output is its only data field.
        if produces_result(state) && !matches!(state.kind, StateKind::Pass(_)) {
            out.push(st(StageKind::Result, result_field(state), true));
        }
        if !matches!(state.kind, StateKind::Fail(_)) {
            out.push(st(StageKind::Output, "Output", io.output.is_some()));
        }
    } else {
        if matches!(state.kind, StateKind::Fail(_)) {
            return out;
        }
        out.push(st(StageKind::AfterInputPath, "InputPath", io.input_path.is_some()));
        let templated = matches!(state.kind, StateKind::Pass(_) | StateKind::Task(_) | StateKind::Parallel(_));
        if templated {
            out.push(st(StageKind::AfterParameters, "Parameters", io.parameters.is_some()));
        }
        if let Some(m) = map {
            out.push(st(StageKind::AfterItemsPath, "ItemsPath", m.items_path.is_some()));
            out.push(st(StageKind::AfterItemSelector, "ItemSelector", m.item_selector.is_some()));
            out.push(st(StageKind::AfterItemBatcher, "ItemBatcher", m.item_batcher.is_some()));
        }
        if produces_result(state) {
            let present = !matches!(&state.kind, StateKind::Pass(p) if p.result.is_none());
            out.push(st(StageKind::Result, result_field(state), present));
            if !matches!(state.kind, StateKind::Pass(_)) {
                out.push(st(StageKind::AfterResultSelector, "ResultSelector", io.result_selector.is_some()));
            }
            out.push(st(StageKind::AfterResultPath, "ResultPath", io.result_path.is_some()));
        }
        out.push(st(StageKind::Output, "OutputPath", io.output_path.is_some()));
    }
    if io.assign.is_some() {
        out.push(st(StageKind::Variables, "Assign", true));
    }
    out
}

fn produces_result(state: &State) -> bool {
    matches!(state.kind, StateKind::Pass(_) | StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_))
}

fn result_field(state: &State) -> &'static str {
    match state.kind {
        StateKind::Task(_) => "Resource",
        StateKind::Parallel(_) => "Branches",
        StateKind::Map(_) => "ItemProcessor",
        _ => "Result",
    }
}

/// What a stage did, in one sentence. `value` is the stage's value when it ran (`None` for a
/// stage not reached or absent).
pub fn stage_line(state: &State, stage: &PipelineStage, value: Option<&Value>) -> String {
    let io = &state.io;
    let absent = !stage.present;
    match stage.kind {
        StageKind::Input => "the state's input, as the previous state left it".into(),
        StageKind::AfterInputPath => match &io.input_path {
            None => "no InputPath: the whole input goes on".into(),
            Some(p) => match &p.value {
                PathOrNull::Null => "InputPath null: the input is discarded, {} goes on".into(),
                PathOrNull::Path(p) if p.text() == "$" => "InputPath \"$\": the whole input goes on".into(),
                PathOrNull::Path(p) => {
                    format!("InputPath \"{}\": only {} of the input goes on", p.text(), part(p.text()))
                }
            },
        },
        StageKind::AfterParameters if absent => "no Parameters: the input passed through unchanged".into(),
        StageKind::AfterParameters => {
            "Parameters: the input is rebuilt from the template (a key ending in .$ takes a path's value)".into()
        }
        StageKind::AfterArguments if absent => "no Arguments: the task gets the state's input unchanged".into(),
        StageKind::AfterArguments => "Arguments: the input the task gets, its {% %} expressions evaluated".into(),
        StageKind::AfterItemsPath => match map_items_path(state) {
            None => "no ItemsPath: the Map iterates over its whole input".into(),
            Some(p) => format!("ItemsPath \"{p}\": the Map iterates over {}{}", part(&p), count(value, "item")),
        },
        StageKind::AfterItemSelector if absent => "no ItemSelector: each iteration gets its item unchanged".into(),
        StageKind::AfterItemSelector => {
            format!(
                "ItemSelector: each iteration's input built from the template ($$.Map.Item.Value is the item){}",
                count(value, "input")
            )
        }
        StageKind::AfterItemBatcher if absent => "no ItemBatcher: one item per iteration".into(),
        StageKind::AfterItemBatcher => format!("ItemBatcher: the items grouped into batches{}", count(value, "batch")),
        StageKind::Result => match &state.kind {
            StateKind::Pass(_) if absent => "no Result: the result is the effective input".into(),
            StateKind::Pass(_) => "Result: the state's result is this fixed value".into(),
            StateKind::Task(t) => format!("what the task {} returned", t.resource.value),
            StateKind::Parallel(_) => format!("the outputs of the branches, in branch order{}", count(value, "branch")),
            StateKind::Map(_) => format!("the outputs of the iterations, in item order{}", count(value, "iteration")),
            _ => "the state's result".into(),
        },
        StageKind::AfterResultSelector if absent => "no ResultSelector: the result is kept as it is".into(),
        StageKind::AfterResultSelector => "ResultSelector: a new result built from the raw result".into(),
        StageKind::AfterResultPath => match &io.result_path {
            None => "no ResultPath: the result replaces the input (as ResultPath \"$\")".into(),
            Some(p) => match &p.value {
                PathOrNull::Null => "ResultPath null: the result is discarded; the input goes on unchanged".into(),
                PathOrNull::Path(p) if p.text() == "$" => {
                    "ResultPath \"$\": the result replaces the whole input".into()
                }
                PathOrNull::Path(p) => format!(
                    "ResultPath \"{}\": the result was put under {}; the rest of the input was kept",
                    p.text(),
                    part(p.text())
                ),
            },
        },
        StageKind::Output if state.query_language == QueryLanguage::Jsonata => match absent {
            true => "no Output: the result goes on as the state's output".into(),
            false => "Output: the state's output, its {% %} expressions evaluated".into(),
        },
        StageKind::Output => match &io.output_path {
            None => "no OutputPath: all of it goes on".into(),
            Some(p) => match &p.value {
                PathOrNull::Null => "OutputPath null: {} goes on".into(),
                PathOrNull::Path(p) if p.text() == "$" => "OutputPath \"$\": all of it goes on".into(),
                PathOrNull::Path(p) => format!("OutputPath \"{}\": only {} goes on", p.text(), part(p.text())),
            },
        },
        StageKind::Variables => "Assign: the variables after this state".into(),
    }
}

fn map_items_path(state: &State) -> Option<String> {
    match &state.kind {
        StateKind::Map(m) => m.items_path.as_ref().map(|p| p.value.text().to_string()),
        _ => None,
    }
}

/// `$.picked` → `` `picked` ``; `$.order.items` → `` `order.items` ``; anything else as written.
fn part(path: &str) -> String {
    match path.strip_prefix("$.") {
        Some(rest) if !rest.is_empty() => format!("`{rest}`"),
        _ => format!("`{path}`"),
    }
}

/// ` (3 items)` for an array value.
fn count(value: Option<&Value>, what: &str) -> String {
    match value.and_then(Value::as_array) {
        Some(a) if a.len() == 1 => format!(" (1 {what})"),
        Some(a) => format!(" ({} {})", a.len(), plural(what)),
        None => String::new(),
    }
}

fn plural(what: &str) -> String {
    match what {
        "batch" | "branch" => format!("{what}es"),
        _ => format!("{what}s"),
    }
}

/// A Retry decision in words: `Retrier #1 (States.TaskFailed): attempt 2 of 3 after 4 s
/// (IntervalSeconds 2 × BackoffRate 2)`: the retry's number out of the Retrier's MaxAttempts,
/// and how its delay came about (IntervalSeconds × BackoffRate^(attempt − 1)).
pub fn retry_line(retriers: &[Retrier], mark: &RetryMark) -> String {
    let Some(r) = retriers.get(mark.retrier) else {
        return format!("retry {} after {} s", mark.attempt, seconds(mark.delay_seconds));
    };
    let errors: Vec<&str> = r.error_equals.iter().map(|e| e.value.as_str()).collect();
    let mut how = format!("IntervalSeconds {}", seconds(r.interval_seconds));
    if mark.attempt > 1 {
        let power = if mark.attempt > 2 { format!("^{}", mark.attempt - 1) } else { String::new() };
        how.push_str(&format!(" × BackoffRate {}{power}", seconds(r.backoff_rate)));
    }
    if let Some(max) = r.max_delay_seconds {
        how.push_str(&format!(", at most MaxDelaySeconds {}", seconds(max)));
    }
    if r.jitter_full {
        how.push_str(", with full jitter");
    }
    format!(
        "Retrier #{} ({}): attempt {} of {} after {} s ({how})",
        mark.retrier + 1,
        errors.join(", "),
        mark.attempt,
        r.max_attempts,
        seconds(mark.delay_seconds)
    )
}

/// `30`, `2.5`: seconds without a trailing `.0`.
fn seconds(s: f64) -> String {
    if s.fract() == 0.0 && s.abs() < 1e15 { format!("{}", s as i64) } else { format!("{s}") }
}

/// A Wait decision in words: `Wait 30 s → 2026-01-01T00:00:30Z`.
pub fn wait_line(seconds_waited: f64, until: &str) -> String {
    format!("Wait {} s → {until}", seconds(seconds_waited))
}

#[cfg(test)]
mod tests;
