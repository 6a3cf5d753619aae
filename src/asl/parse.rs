//! Spanned JSON tree → typed [`StateMachine`], collecting every schema diagnostic on the way
//! (required and unknown fields, wrong types, bad expressions). Graph-level rules (targets,
//! reachability, names) are in `validate`.

mod allowed;
mod choice;
mod expr;
mod fields;
mod kinds;
pub(crate) mod retry;

use crate::asl::codes;
use crate::asl::definition::{DataFlow, QueryLanguage, Scope, Spanned, State, StateMachine, StateName, Transition};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::suggest::did_you_mean;
use crate::asl::tree::{Member, Node, pointer_token};

pub use expr::jsonata_text;
use expr::{PathKind, path_or_null, template_field};
use fields::{Fields, Sink};

const STATE_TYPES: &[&str] = &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const TOP_LEVEL: &[&str] = &["StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"];

/// Parses a definition tree. The machine is `None` only when the top level is unusable; even
/// then every diagnostic found is returned.
pub fn parse_machine(root: &Node) -> (Option<StateMachine>, Vec<Diagnostic>) {
    let mut sink = Sink::default();
    let machine = machine(root, &mut sink);
    (machine, sink.found)
}

fn machine(root: &Node, sink: &mut Sink) -> Option<StateMachine> {
    let mut f = Fields::new(root, String::new(), "the state machine definition", sink)?;
    let query_language = query_language(&mut f, sink).unwrap_or_default();
    let comment = f.string("Comment", sink).map(|s| s.value);
    let version = f.string("Version", sink).map(|s| s.value);
    let timeout_seconds = f.integer("TimeoutSeconds", 1, 99_999_999, sink).map(|s| s.value as u64);
    let scope = scope(&mut f, query_language, sink);
    f.finish("the top level of a state machine", TOP_LEVEL, sink);
    Some(StateMachine { comment, version, timeout_seconds, query_language, scope: scope? })
}

fn query_language(f: &mut Fields, sink: &mut Sink) -> Option<QueryLanguage> {
    let s = f.string("QueryLanguage", sink)?;
    match s.value.as_str() {
        "JSONPath" => Some(QueryLanguage::JsonPath),
        "JSONata" => Some(QueryLanguage::Jsonata),
        other => {
            let mut d = Diagnostic::error(
                codes::BAD_VALUE,
                format!("'QueryLanguage' is '{other}', but must be 'JSONPath' or 'JSONata'"),
            )
            .at(s.span)
            .pointer(f.child("QueryLanguage"));
            if let Some(h) = did_you_mean(other, ["JSONPath", "JSONata"]) {
                d = d.help(h);
            }
            sink.push(d);
            None
        }
    }
}

/// Reads `StartAt` and `States` of a machine, branch or processor (rule 1.1, 1.11).
pub(crate) fn scope(f: &mut Fields, machine_lang: QueryLanguage, sink: &mut Sink) -> Option<Scope> {
    let missing: Vec<&str> = ["States", "StartAt"].into_iter().filter(|k| !f.has(k)).collect();
    if !missing.is_empty() {
        let list = missing.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
        let noun = if missing.len() == 1 { "this field is" } else { "these fields are" };
        sink.push(
            Diagnostic::error(codes::MISSING_FIELD, format!("{noun} required: {list}"))
                .at(f.node.span.sub(0, 1))
                .pointer(f.pointer.clone()),
        );
    }
    let start_at = f.string("StartAt", sink).map(|n| n.map(StateName::from));
    let states_member = f.take("States");
    let pointer = f.child("States");
    let mut states = Vec::new();
    let mut unparsed = Vec::new();
    if let Some(m) = states_member {
        match m.value.as_object() {
            Some(members) => {
                for member in members {
                    match state(member, &pointer, machine_lang, sink) {
                        Some(s) => states.push(s),
                        None => unparsed.push(member.key.clone()),
                    }
                }
            }
            None => sink.push(f.wrong_type(m, "an object of states")),
        }
    }
    Some(Scope::new(start_at?, states, unparsed, pointer, states_member?.value.span))
}

fn state(member: &Member, states_pointer: &str, machine_lang: QueryLanguage, sink: &mut Sink) -> Option<State> {
    let name = &member.key;
    let pointer = format!("{states_pointer}/{}", pointer_token(name));
    let mut f = Fields::new(&member.value, pointer.clone(), &format!("state '{name}'"), sink)?;
    let type_name = state_type(&mut f, name, sink);
    let own_lang = query_language(&mut f, sink);
    if machine_lang == QueryLanguage::Jsonata && own_lang == Some(QueryLanguage::JsonPath) {
        let span = f.node.get("QueryLanguage").map_or(member.key_span, |m| m.value.span);
        sink.push(
            Diagnostic::error(
                codes::BAD_VALUE,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
            )
            .at(span)
            .pointer(f.child("QueryLanguage")),
        );
    }
    let lang = own_lang.unwrap_or(machine_lang);
    let comment = f.string("Comment", sink).map(|s| s.value);
    let io = data_flow(&mut f, type_name?, lang, sink);
    let transition = transition(&mut f, type_name?, sink);
    let ctx = kinds::StateCtx { name, type_name: type_name?, lang, machine_lang };
    let (retry, catch) = kinds::retry_catch(&mut f, &ctx, sink);
    let kind = kinds::kind(&mut f, &ctx, sink);
    finish_state(f, type_name?, lang, sink);
    Some(State {
        name: name.clone(),
        shared_name: name.as_str().into(),
        name_span: member.key_span,
        span: member.value.span,
        pointer,
        comment,
        query_language: lang,
        io,
        transition,
        retry,
        catch,
        kind: kind?,
    })
}

fn state_type(f: &mut Fields, name: &str, sink: &mut Sink) -> Option<&'static str> {
    let Some(t) = f.string("Type", sink) else {
        if !f.has("Type") {
            sink.push(
                Diagnostic::error(codes::MISSING_FIELD, format!("state '{name}' has no 'Type'"))
                    .at(f.node.span.sub(0, 1))
                    .pointer(f.pointer.clone())
                    .help(format!("add \"Type\" with one of: {}", STATE_TYPES.join(", "))),
            );
        }
        return None;
    };
    if let Some(found) = STATE_TYPES.iter().find(|s| **s == t.value) {
        return Some(found);
    }
    let mut d = Diagnostic::error(
        codes::UNKNOWN_STATE_TYPE,
        format!("'{}' is not a state type; the types are {}", t.value, STATE_TYPES.join(", ")),
    )
    .at(t.span)
    .pointer(f.child("Type"));
    if let Some(h) = did_you_mean(&t.value, STATE_TYPES.iter().copied()) {
        d = d.help(h);
    }
    sink.push(d);
    None
}

fn data_flow(f: &mut Fields, type_name: &str, lang: QueryLanguage, sink: &mut Sink) -> DataFlow {
    let allowed = allowed::fields(type_name, lang);
    let ok = |k: &str| allowed.contains(&k);
    let mut io = DataFlow::default();
    if ok("InputPath") {
        io.input_path = path_or_null(f, "InputPath", PathKind::Query, sink);
    }
    if ok("OutputPath") {
        io.output_path = path_or_null(f, "OutputPath", PathKind::Query, sink);
    }
    if ok("ResultPath") {
        io.result_path = path_or_null(f, "ResultPath", PathKind::ResultPath, sink);
    }
    if ok("Parameters") && type_name != "Map" {
        io.parameters = template_field(f, "Parameters", lang, sink);
    }
    if ok("ResultSelector") {
        io.result_selector = template_field(f, "ResultSelector", lang, sink);
    }
    if ok("Assign") {
        io.assign = template_field(f, "Assign", lang, sink);
    }
    if ok("Arguments") {
        io.arguments = template_field(f, "Arguments", lang, sink);
    }
    if ok("Output") {
        io.output = template_field(f, "Output", lang, sink);
    }
    io
}

fn transition(f: &mut Fields, type_name: &str, sink: &mut Sink) -> Transition {
    if matches!(type_name, "Choice" | "Succeed" | "Fail") {
        return Transition::None;
    }
    let next = f.string("Next", sink).map(|n| n.map(StateName::from));
    let end = f.boolean("End", sink);
    match (next, end) {
        (Some(n), None) => Transition::Next(n),
        (Some(n), Some(e)) if !e.value => Transition::Next(n),
        (None, Some(e)) if e.value => Transition::End,
        (Some(n), Some(_)) => {
            sink.push(
                Diagnostic::error(codes::NEXT_AND_END, "a state cannot have both 'Next' and 'End': true")
                    .at(n.key_span)
                    .pointer(f.child("Next")),
            );
            Transition::Next(n)
        }
        (None, end) => {
            let span = end.map_or(f.node.span.sub(0, 1), |e| e.span);
            sink.push(
                Diagnostic::error(codes::NO_TRANSITION, "this state has neither 'Next' nor 'End': true")
                    .at(span)
                    .pointer(f.pointer.clone())
                    .help("add \"Next\": \"<state>\" or \"End\": true"),
            );
            Transition::None
        }
    }
}

/// Unknown fields: told apart into Retry/Catch where not allowed, fields of the other query
/// language, fields another state type has, and plain unknowns.
fn finish_state(f: Fields, type_name: &str, lang: QueryLanguage, sink: &mut Sink) {
    let allowed = allowed::fields(type_name, lang);
    let other = allowed::fields(type_name, allowed::other(lang));
    for m in f.unused() {
        let key = m.key.as_str();
        let (code, message) = if matches!(key, "Retry" | "Catch") {
            (
                codes::RETRY_CATCH_NOT_ALLOWED,
                format!("'{key}' is not allowed in {type_name} states; only Task, Parallel and Map states can have it"),
            )
        } else if other.contains(&key) {
            (
                codes::FIELD_NOT_IN_QUERY_LANGUAGE,
                format!(
                    "'{key}' is a {} field and cannot be used in a {} state",
                    allowed::name(allowed::other(lang)),
                    allowed::name(lang)
                ),
            )
        } else if matches!(key, "Next" | "End") {
            (codes::NEXT_AND_END, format!("a {type_name} state cannot have '{key}'"))
        } else {
            (codes::UNKNOWN_FIELD, format!("field '{key}' is not supported in {type_name} states"))
        };
        let mut d = Diagnostic::error(code, message).at(m.key_span).pointer(f.child(key));
        let known = allowed.iter().copied().filter(|k| !allowed::is_common(k));
        if code == codes::UNKNOWN_FIELD {
            if let Some(h) = did_you_mean(key, known.chain(["Type", "Comment", "QueryLanguage"])) {
                d = d.help(h);
            }
        }
        sink.push(d);
    }
}

/// A `Spanned` for a member's value.
pub(crate) fn spanned<T>(m: &Member, value: T) -> Spanned<T> {
    Spanned { value, key_span: m.key_span, span: m.value.span }
}
