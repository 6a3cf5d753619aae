//! Nested scopes: a Parallel branch or a Map iteration run to its end inside the visit of its
//! container, writing into the same trace.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::Scope;
use crate::asl::engine::env::Env;
use crate::asl::engine::stage::Location;
use crate::asl::engine::tasks::TaskRequest;
use crate::asl::engine::visit::{Outcome, Thrown, visit};

/// How a nested scope (a Parallel branch, a Map iteration) ended.
pub(crate) enum ScopeEnd {
    Succeeded(Arc<Value>),
    Failed(Thrown),
    Unsupported(String),
    Pending(TaskRequest),
}

/// Runs a nested scope to its end. Its variables start as the enclosing ones at the container's
/// entry and are discarded at its end (rule 7.5); `env.now_ms` is left at the scope's end time.
pub(crate) fn run_scope(env: &mut Env, scope: &Scope, input: Arc<Value>, location: Location) -> ScopeEnd {
    // Inner states rewrite only `$$.State` (and `$$.Task`): those are put back at the end, so
    // the rest of the context (the execution input among it) is shared, not copied per
    // iteration (copying made a 1,000-item Map quadratic).
    let saved = ["State", "Task"].map(|k| (k, env.context.get(k).cloned()));
    let end = run_scope_states(env, scope, input, location);
    if let Some(o) = env.context.as_object_mut() {
        for (k, v) in saved {
            match v {
                Some(v) => {
                    o.insert(k.into(), v);
                }
                None => {
                    o.shift_remove(k);
                }
            }
        }
    }
    end
}

fn run_scope_states(env: &mut Env, scope: &Scope, input: Arc<Value>, location: Location) -> ScopeEnd {
    // Copied only when a state of the scope assigns (rule 7.5: the outer ones are read-only).
    let mut variables = std::borrow::Cow::Borrowed(env.variables);
    let mut index = scope.index_of(&scope.start_at.value);
    let mut input = input;
    loop {
        let Some(i) = index else {
            return ScopeEnd::Unsupported(format!("StartAt or Next names no state in {location}"));
        };
        let state = &scope.states[i];
        let mut inner = Env {
            config: env.config,
            context: &mut *env.context,
            variables: &variables,
            entropy: &mut *env.entropy,
            now_ms: env.now_ms,
            trace: &mut *env.trace,
            tasks: env.tasks,
            answers: env.answers,
            invocations: &mut *env.invocations,
            location: location.clone(),
            budget: env.budget,
            scratch: &mut *env.scratch,
        };
        let v = visit(&mut inner, state, &input);
        env.now_ms = inner.now_ms;
        match v.outcome {
            Outcome::Next(next, out) => {
                if let Some(assigned) = v.assigned {
                    variables.to_mut().extend(assigned);
                }
                index = scope.index_of(&next);
                input = out;
            }
            Outcome::End(out) => return ScopeEnd::Succeeded(out),
            Outcome::Failed { error, cause } => return ScopeEnd::Failed(Thrown { error, cause }),
            Outcome::Unsupported(why) => return ScopeEnd::Unsupported(why),
            Outcome::Pending(request) => return ScopeEnd::Pending(request),
        }
    }
}
