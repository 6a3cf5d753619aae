//! Choice (rules 5.6, 10.x, 5.17): the first rule that matches (or Default) names the next
//! state; its Assign (and, in JSONata, Output) applies, else the state's own. The rules of a
//! JSONPath Choice are evaluated by [`engine::choice`](crate::asl::engine::choice).

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{Choice, Condition, State};
use crate::asl::engine::choice as rules;
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::pipeline::jsonata::{self, json_kind, query_error};
use crate::asl::engine::pipeline::{Pipeline, jsonpath};
use crate::asl::engine::stage::StageDetail;
use crate::asl::engine::visit::Outcome;
use crate::asl::error_name::ErrorName;

pub(super) fn choice(
    pipeline: Pipeline,
    state: &State,
    c: &Choice,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    match pipeline {
        Pipeline::JsonPath => jsonpath_choice(state, c, input, env, run),
        Pipeline::Jsonata => jsonata_choice(state, c, input, env, run),
    }
}

/// The first true rule (or Default), its Assign over the effective input, OutputPath; the
/// decision is noted on the output stage.
fn jsonpath_choice(
    state: &State,
    c: &Choice,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let effective = jsonpath::effective_input(state, input, env, run)?;
    let outcome = rules::evaluate_state(c, &effective, env.context, env.variables).map_err(|e| Failure {
        error: e.error,
        cause: e.cause,
        location: None,
    })?;
    let Some(next) = outcome.next.clone() else {
        return Err(no_choice_matched());
    };
    // The matched rule's Assign, or the state's own when Default is taken (rule 5.6).
    let assign = match outcome.matched {
        Some(i) => c.choices[i].assign.as_ref(),
        None => state.io.assign.as_ref(),
    };
    if let Some(a) = assign {
        run.assigned = Some(jsonpath::assign(a, &effective, env, run)?);
    }
    let out = jsonpath::output(state, &effective, env, run)?;
    run.detail(StageDetail::Choice(outcome));
    Ok(Outcome::Next(next, out))
}

/// The first Condition that is `true` (rule 8.10: no JSONata truthiness), then that rule's
/// Assign and Output, or the state's own when Default is taken.
fn jsonata_choice(
    state: &State,
    c: &Choice,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let b = jsonata::bindings(env, input, None, None);
    let mut taken = None;
    // Each Condition and what it gave, explained like a JSONPath rule tree.
    let mut traces = Vec::new();
    for (i, rule) in c.choices.iter().enumerate() {
        let Condition::Jsonata(cond) = &rule.condition else { continue };
        let trace = |result| rules::RuleTrace {
            result,
            test: rules::Test::Jsonata(cond.value.text().into()),
            next: rule.next.as_ref().map(|n| n.value.clone()),
            span: rule.span,
        };
        match jsonata::expr(env, &cond.value, "Condition", &b)? {
            Value::Bool(true) => {
                traces.push(trace(true));
                taken = Some(i);
                break;
            }
            Value::Bool(false) => traces.push(trace(false)),
            other => {
                return Err(query_error(
                    "Condition",
                    format!(
                        "The JSONata expression '{}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
                        cond.value.trim(),
                        json_kind(&other)
                    ),
                ));
            }
        }
    }
    let io = &state.io;
    let (next, assign, output) = match taken {
        Some(i) => {
            let r = &c.choices[i];
            (r.next.as_ref().map(|n| n.value.clone()), r.assign.as_ref(), r.output.as_ref())
        }
        None => (c.default.as_ref().map(|d| d.value.clone()), io.assign.as_ref(), io.output.as_ref()),
    };
    let Some(next) = next else { return Err(no_choice_matched()) };
    let out = jsonata::assign_and_output(env, run, input, None, None, assign, output, input.clone())?;
    run.detail(StageDetail::Choice(rules::ChoiceOutcome::from_conditions(
        traces,
        taken,
        Some(next.clone()),
        c.choices.len(),
    )));
    Ok(Outcome::Next(next, out))
}

/// No rule matched and there is no Default (rule 10.2). No AWS recording of the cause text
/// exists in the corpus; this one says what happened and how to fix it.
fn no_choice_matched() -> Failure {
    Failure {
        error: ErrorName::NoChoiceMatched,
        cause: "No Choice rule matched the input and the Choice state has no Default".into(),
        location: None,
    }
}
