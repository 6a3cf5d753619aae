//! The type-specific part of each state: Pass, Task, Wait, Fail, Parallel, Map, plus Retry
//! and Catch. Choice rules are in `choice`.

use serde_json::Value;

use crate::asl::codes;
use crate::asl::definition::{
    Catcher, Expr, Fail, FailText, MapMode, MapState, NumberSource, Parallel, Pass, QueryLanguage, Retrier, Spanned,
    StateKind, Task, Wait, WaitFor,
};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::intrinsics;
use crate::asl::parse::expr::{PathKind, check_jsonata, jsonata_text, number_source, path_field, template_field};
use crate::asl::parse::fields::{Fields, Sink};
use crate::asl::parse::{choice, scope, spanned};
use crate::asl::timestamp;
use crate::asl::tree::Node;

/// What every type-specific parser needs to know about its state.
pub struct StateCtx<'a> {
    /// Kept for messages that name the state.
    #[allow(dead_code)]
    pub name: &'a str,
    pub type_name: &'static str,
    pub lang: QueryLanguage,
    pub machine_lang: QueryLanguage,
}

pub fn kind(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<StateKind> {
    Some(match ctx.type_name {
        "Pass" => StateKind::Pass(Pass {
            result: if ctx.lang == QueryLanguage::JsonPath {
                f.take("Result").map(|m| spanned(m, m.value.to_value()))
            } else {
                None
            },
        }),
        "Task" => StateKind::Task(task(f, ctx, sink)?),
        "Choice" => StateKind::Choice(choice::choice(f, ctx, sink)?),
        "Wait" => StateKind::Wait(wait(f, ctx, sink)?),
        "Succeed" => StateKind::Succeed,
        "Fail" => StateKind::Fail(fail(f, ctx, sink)),
        "Parallel" => StateKind::Parallel(parallel(f, ctx, sink)?),
        "Map" => StateKind::Map(Box::new(map(f, ctx, sink)?)),
        _ => return None,
    })
}

fn required<T>(f: &Fields, value: Option<T>, key: &str, sink: &mut Sink) -> Option<T> {
    if value.is_none() && !f.has(key) {
        let name = f.pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
        sink.push(
            Diagnostic::error(codes::MISSING_FIELD, format!("state '{name}' needs '{key}'"))
                .at(f.node.span.sub(0, 1))
                .pointer(f.pointer.clone()),
        );
    }
    value
}

fn task(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<Task> {
    let resource = f.string("Resource", sink);
    let resource = required(f, resource, "Resource", sink)?;
    let placeholder = resource.value.contains("${");
    if !placeholder && crate::asl::resource::classify(&resource.value) == crate::asl::resource::ResourceKind::Unknown {
        sink.push(
            Diagnostic::error(codes::BAD_RESOURCE, format!("the resource '{}' is not recognized: it is not a valid resource ARN, or not an integration AWS provides", resource.value))
                .at(resource.span)
                .pointer(f.child("Resource"))
                .help("Task resources look like 'arn:aws:states:::lambda:invoke', 'arn:aws:states:::aws-sdk:SERVICE:ACTION' or 'arn:aws:lambda:REGION:ACCOUNT:function:NAME'"),
        );
    }
    let path = |k| (ctx.lang == QueryLanguage::JsonPath).then_some(k);
    let timeout_seconds = number_source(f, "TimeoutSeconds", path("TimeoutSecondsPath"), ctx.lang, sink);
    let heartbeat_seconds = number_source(f, "HeartbeatSeconds", path("HeartbeatSecondsPath"), ctx.lang, sink);
    if let (Some(t), Some(h)) = (&timeout_seconds, &heartbeat_seconds) {
        if let (NumberSource::Literal(t), NumberSource::Literal(h)) = (&t.value, &h.value) {
            if h.as_f64() >= t.as_f64() {
                sink.push(
                    Diagnostic::error(codes::BAD_VALUE, "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'")
                        .at(heartbeat_seconds.as_ref().map_or(resource.span, |h| h.span))
                        .pointer(f.child("HeartbeatSeconds")),
                );
            }
        }
    }
    let credentials = template_field(f, "Credentials", ctx.lang, sink);
    Some(Task { resource, timeout_seconds, heartbeat_seconds, credentials })
}

fn wait(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<Wait> {
    let keys: &[&str] = match ctx.lang {
        QueryLanguage::JsonPath => &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
        QueryLanguage::Jsonata => &["Seconds", "Timestamp"],
    };
    let present: Vec<&str> = keys.iter().copied().filter(|k| f.has(k)).collect();
    if present.len() != 1 {
        let msg = if present.is_empty() {
            format!("a Wait state needs exactly one of {}", keys.join(", "))
        } else {
            format!("a Wait state needs exactly one of {}, but has {}", keys.join(", "), present.join(" and "))
        };
        let span = present.get(1).and_then(|k| f.node.get(k)).map_or(f.node.span.sub(0, 1), |m| m.key_span);
        sink.push(Diagnostic::error(codes::WAIT_DURATION, msg).at(span).pointer(f.pointer.clone()));
    }
    let key = *present.first()?;
    if let Some(m) =
        f.node.get(key).filter(|m| m.value.placeholder().is_some() && matches!(key, "Seconds" | "Timestamp"))
    {
        // The duration is only known once deployed; run it as no wait rather than lose the state.
        f.take(key);
        let name = m.value.placeholder().unwrap_or_default();
        sink.push(
            crate::asl::parse::fields::unknown_value(key, name, m.value.span, f.child(key))
                .help(format!("statescope waits 0 seconds until you give it a value: --substitute {name}=VALUE")),
        );
        let zero = NumberSource::Literal(serde_json::Value::from(0));
        return Some(Wait {
            wait_for: Spanned { value: WaitFor::Seconds(zero), key_span: m.key_span, span: m.value.span },
        });
    }
    let wait_for = match key {
        "Seconds" => {
            let n = number_source(f, "Seconds", None, ctx.lang, sink)?;
            if let NumberSource::Literal(v) = &n.value {
                if v.as_u64().is_none_or(|s| s > 99_999_999) {
                    sink.push(
                        Diagnostic::error(
                            codes::BAD_VALUE,
                            format!("'Seconds' is {v}, but must be an integer between 0 and 99999999"),
                        )
                        .at(n.span)
                        .pointer(f.child("Seconds")),
                    );
                }
            }
            spanned_as(n, WaitFor::Seconds)
        }
        "SecondsPath" => spanned_as(path_field(f, key, PathKind::Reference, sink)?, WaitFor::SecondsPath),
        "TimestampPath" => spanned_as(path_field(f, key, PathKind::Reference, sink)?, WaitFor::TimestampPath),
        _ => timestamp_field(f, ctx, sink)?,
    };
    Some(Wait { wait_for })
}

fn spanned_as<T, U>(s: Spanned<T>, f: impl FnOnce(T) -> U) -> Spanned<U> {
    Spanned { value: f(s.value), key_span: s.key_span, span: s.span }
}

/// A literal Timestamp must be RFC 3339 (rule 2.11; AWS: "String does not match RFC3339 timestamp").
fn timestamp_field(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<Spanned<WaitFor>> {
    let s = f.string("Timestamp", sink)?;
    if ctx.lang == QueryLanguage::Jsonata {
        if let Some(inner) = jsonata_text(&s.value) {
            if let Some(m) = f.node.get("Timestamp") {
                check_jsonata(&m.value, &s.value, &f.child("Timestamp"), sink);
            }
            return Some(spanned_as(s.clone(), |_| WaitFor::Timestamp(Expr::Jsonata(inner.into()))));
        }
    }
    if let Err(why) = timestamp::parse(&s.value) {
        let help = if jsonata_text(&s.value).is_some() {
            "a '{% … %}' expression is only evaluated in a JSONata state: set \"QueryLanguage\": \"JSONata\""
        } else {
            "write e.g. '2016-03-14T01:59:00Z': uppercase 'T', and 'Z' or an offset like '+01:00'"
        };
        sink.push(
            Diagnostic::error(codes::BAD_TIMESTAMP, format!("'{}' does not match RFC3339 timestamp: {why}", s.value))
                .at(s.span)
                .pointer(f.child("Timestamp"))
                .help(help),
        );
        return None;
    }
    Some(spanned_as(s, WaitFor::TimestampLiteral))
}

fn fail(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Fail {
    Fail { error: fail_text(f, "Error", "ErrorPath", ctx, sink), cause: fail_text(f, "Cause", "CausePath", ctx, sink) }
}

fn fail_text(f: &mut Fields, key: &str, path_key: &str, ctx: &StateCtx, sink: &mut Sink) -> Option<Spanned<FailText>> {
    if ctx.lang == QueryLanguage::JsonPath && f.has(path_key) {
        if let Some(m) = f.node.get(key) {
            sink.push(
                Diagnostic::error(codes::MUTUALLY_EXCLUSIVE, format!("'{key}' and '{path_key}' cannot both be set"))
                    .at(m.key_span)
                    .pointer(f.child(key)),
            );
        }
        let s = f.string(path_key, sink)?;
        let node = &f.node.get(path_key)?.value;
        let expr = if s.value.starts_with('$') {
            Expr::Path(crate::asl::parse::expr::parse_path(
                node,
                &s.value,
                PathKind::Reference,
                &f.child(path_key),
                sink,
            )?)
        } else {
            match intrinsics::parse(&s.value) {
                Ok(c) => Expr::Intrinsic(c),
                Err(e) => {
                    sink.push(
                        Diagnostic::error(
                            codes::BAD_INTRINSIC,
                            format!(
                                "'{path_key}' must be a reference path or an intrinsic function call: {}",
                                e.message
                            ),
                        )
                        .at(node.char_span(e.offset, 1))
                        .pointer(f.child(path_key)),
                    );
                    return None;
                }
            }
        };
        return Some(spanned_as(s, |_| FailText::Expr(expr)));
    }
    let s = f.string(key, sink)?;
    let text = match jsonata_text(&s.value) {
        Some(inner) if ctx.lang == QueryLanguage::Jsonata => {
            if let Some(m) = f.node.get(key) {
                check_jsonata(&m.value, &s.value, &f.child(key), sink);
            }
            FailText::Expr(Expr::Jsonata(inner.into()))
        }
        _ => FailText::Literal(s.value.clone()),
    };
    Some(spanned_as(s, |_| text))
}

fn parallel(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<Parallel> {
    let branches = f.array("Branches", sink);
    let (m, items) = required(f, branches, "Branches", sink)?;
    if items.is_empty() {
        sink.push(
            Diagnostic::error(codes::BAD_VALUE, "'Branches' cannot be empty")
                .at(m.value.span)
                .pointer(f.child("Branches")),
        );
    }
    let mut out = Vec::new();
    for (i, b) in items.iter().enumerate() {
        let mut bf = Fields::new(b, format!("{}/{i}", f.child("Branches")), "a branch", sink)?;
        let _ = bf.string("Comment", sink);
        let s = scope(&mut bf, ctx.machine_lang, sink);
        bf.finish("a Parallel branch", &["StartAt", "States", "Comment"], sink);
        out.extend(s);
    }
    Some(Parallel { branches: out })
}

fn map(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<MapState> {
    let jp = ctx.lang == QueryLanguage::JsonPath;
    let key = if f.has("ItemProcessor") { "ItemProcessor" } else { "Iterator" };
    let node = required(f, f.node.get(key).map(|m| &m.value), "ItemProcessor", sink)?;
    f.take(key);
    let (processor, mode) = processor(node, f.child(key), ctx, sink)?;
    let items_path = if jp { path_field(f, "ItemsPath", PathKind::Reference, sink) } else { None };
    let items = if jp { None } else { template_field(f, "Items", ctx.lang, sink) };
    let item_selector = match template_field(f, "ItemSelector", ctx.lang, sink) {
        Some(s) => Some(s),
        None if jp => template_field(f, "Parameters", ctx.lang, sink),
        None => None,
    };
    let path = |k| jp.then_some(k);
    let max_concurrency = number_source(f, "MaxConcurrency", path("MaxConcurrencyPath"), ctx.lang, sink);
    let tolerated_failure_count =
        number_source(f, "ToleratedFailureCount", path("ToleratedFailureCountPath"), ctx.lang, sink);
    let tolerated_failure_percentage =
        number_source(f, "ToleratedFailurePercentage", path("ToleratedFailurePercentagePath"), ctx.lang, sink);
    let raw = |f: &mut Fields, k: &str| f.take(k).map(|m| spanned(m, m.value.to_value()));
    let item_batcher = raw(f, "ItemBatcher");
    let item_reader = raw(f, "ItemReader");
    let result_writer = raw(f, "ResultWriter");
    let label = f.string("Label", sink);
    Some(MapState {
        processor,
        mode,
        items_path,
        items,
        item_selector,
        max_concurrency,
        tolerated_failure_count,
        tolerated_failure_percentage,
        item_batcher,
        item_reader,
        result_writer,
        label,
    })
}

fn processor(
    node: &Node,
    pointer: String,
    ctx: &StateCtx,
    sink: &mut Sink,
) -> Option<(crate::asl::definition::Scope, MapMode)> {
    let mut pf = Fields::new(node, pointer, "an ItemProcessor", sink)?;
    let _ = pf.string("Comment", sink);
    let mut mode = MapMode::Inline;
    if let Some(m) = pf.take("ProcessorConfig") {
        if let Some(Value::String(s)) = m.value.to_value().get("Mode") {
            mode = if s == "DISTRIBUTED" { MapMode::Distributed } else { MapMode::Inline };
        }
    }
    let s = scope(&mut pf, ctx.machine_lang, sink);
    pf.finish("an ItemProcessor", &["StartAt", "States", "Comment", "ProcessorConfig"], sink);
    Some((s?, mode))
}

/// Retry and Catch, where the state type allows them (rule 16.11); elsewhere they are left
/// for `finish_state` to report.
pub fn retry_catch(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> (Vec<Retrier>, Vec<Catcher>) {
    if !matches!(ctx.type_name, "Task" | "Parallel" | "Map") {
        return (Vec::new(), Vec::new());
    }
    let mut retry = Vec::new();
    if let Some((m, items)) = f.array("Retry", sink) {
        let pointer = f.child("Retry");
        for (i, item) in items.iter().enumerate() {
            retry.extend(crate::asl::parse::retry::retrier(item, format!("{pointer}/{i}"), sink));
        }
        check_states_all(retry.iter().map(|r| &r.error_equals), "Retry", &pointer, sink);
        let _ = m;
    }
    let mut catch = Vec::new();
    if let Some((_, items)) = f.array("Catch", sink) {
        let pointer = f.child("Catch");
        for (i, item) in items.iter().enumerate() {
            catch.extend(crate::asl::parse::retry::catcher(item, format!("{pointer}/{i}"), ctx.lang, sink));
        }
        check_states_all(catch.iter().map(|c| &c.error_equals), "Catch", &pointer, sink);
    }
    (retry, catch)
}

/// `States.ALL` alone in its ErrorEquals and in the last element (rule 2.13).
fn check_states_all<'a>(
    lists: impl ExactSizeIterator<Item = &'a Vec<Spanned<String>>>,
    field: &str,
    pointer: &str,
    sink: &mut Sink,
) {
    let n = lists.len();
    for (i, list) in lists.enumerate() {
        for e in list.iter().filter(|e| e.value == "States.ALL") {
            let problem = if list.len() > 1 {
                Some("'States.ALL' must be the only error name in its 'ErrorEquals'")
            } else if i + 1 < n {
                Some("'States.ALL' must appear only in the last element")
            } else {
                None
            };
            if let Some(p) = problem {
                sink.push(
                    Diagnostic::error(codes::STATES_ALL_NOT_LAST, format!("{p} of '{field}'"))
                        .at(e.span)
                        .pointer(format!("{pointer}/{i}/ErrorEquals")),
                );
            }
        }
    }
}
