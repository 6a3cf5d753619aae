//! Wait (rules 5.7, 5.17, 11.1–11.5): computes the delay and advances only the virtual clock;
//! it never sleeps. A timestamp in the past waits zero.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{Expr, NumberSource, State, Wait, WaitFor};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::pipeline::jsonata::{self, json_kind, query_error};
use crate::asl::engine::pipeline::jsonpath::{self, raw_text};
use crate::asl::engine::pipeline::{Pipeline, transition};
use crate::asl::engine::stage::StageDetail;
use crate::asl::engine::visit::Outcome;
use crate::asl::timestamp;

/// Longest Wait AWS accepts: 2^31 − 1 seconds (ASL-NOTES 14: 24,855 days pass, 24,856 fail).
pub const MAX_WAIT_SECONDS: f64 = 2_147_483_647.0;

pub(super) fn wait(
    pipeline: Pipeline,
    state: &State,
    w: &Wait,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let io = &state.io;
    match pipeline {
        Pipeline::JsonPath => {
            let effective = jsonpath::effective_input(state, input, env, run)?;
            let ms = jsonpath_delay_ms(w, &effective, env)?.max(0);
            pause(run, env.now_ms, ms as f64 / 1000.0, ms)?;
            // rule 7.8: a Wait's Assign sees the effective input.
            if let Some(a) = &io.assign {
                run.assigned = Some(jsonpath::assign(a, &effective, env, run)?);
            }
            jsonpath::finish(state, &effective, env, run)
        }
        Pipeline::Jsonata => {
            let seconds = jsonata_delay_seconds(w, input, env)?;
            pause(run, env.now_ms, seconds, (seconds * 1000.0).round() as i64)?;
            let (assign, output) = (io.assign.as_ref(), io.output.as_ref());
            let out = jsonata::assign_and_output(env, run, input, None, None, assign, output, input.clone())?;
            Ok(transition(state, out))
        }
    }
}

/// Takes `ms` of virtual time, noted on the stage recorded last.
fn pause(run: &mut Run, now_ms: i64, seconds: f64, ms: i64) -> Result<(), Failure> {
    // rule 11.5, ASL-NOTES 14: now + 24,855 days is accepted, 24,856 days is not.
    if seconds > MAX_WAIT_SECONDS {
        return Err(Failure::runtime("Wait state delay is too long."));
    }
    run.elapsed_ms = ms;
    run.detail(StageDetail::Wait { seconds, until_ms: now_ms + ms });
    Ok(())
}

/// Seconds, SecondsPath, Timestamp or TimestampPath over the effective input.
fn jsonpath_delay_ms(w: &Wait, effective: &Value, env: &Env) -> Result<i64, Failure> {
    let roots = env.roots(effective);
    Ok(match &w.wait_for.value {
        WaitFor::Seconds(NumberSource::Literal(v)) => {
            // The validator guarantees an integer in 0..=99999999 (rule 11.1).
            v.as_u64().map_or(0, |s| s.saturating_mul(1000)) as i64
        }
        WaitFor::SecondsPath(p) => {
            // SecondsPath/TimestampPath that selects nothing is worded like InputPath's; AWS's
            // text for Wait is not recorded.
            let v = jsonpath::select(p, &roots)?;
            seconds_from_path(p.text(), &v)?.saturating_mul(1000)
        }
        // The validator rejected literals that are not timestamps (rule 2.11).
        WaitFor::TimestampLiteral(s) => millis_until(s, env.now_ms).unwrap_or(0),
        WaitFor::TimestampPath(p) => {
            let v = jsonpath::select(p, &roots)?;
            v.as_str().and_then(|s| millis_until(s, env.now_ms)).ok_or_else(|| {
                Failure::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                    p.text(),
                    raw_text(&v)
                ))
            })?
        }
        _ => return Err(io::jsonata_out_of_place()),
    })
}

/// JSONata's Seconds (a non-negative integer) or Timestamp, literal or `{% %}`, over the input.
fn jsonata_delay_seconds(w: &Wait, input: &Value, env: &mut Env) -> Result<f64, Failure> {
    let b = jsonata::bindings(env, input, None, None);
    Ok(match &w.wait_for.value {
        WaitFor::Seconds(NumberSource::Literal(v)) => v.as_f64().unwrap_or(0.0),
        WaitFor::Seconds(NumberSource::Jsonata(e)) => {
            let v = jsonata::expr(env, e, "Seconds", &b)?;
            match v.as_i64() {
                Some(n) if n >= 0 => n as f64,
                _ => {
                    return Err(query_error(
                        "Seconds",
                        format!(
                            "The JSONata expression '{}' specified for the field 'Seconds' returned an unexpected result type. Expected 'non-negative integer', but was '{}' for value: {v}",
                            e.trim(),
                            json_kind(&v)
                        ),
                    ));
                }
            }
        }
        WaitFor::Timestamp(Expr::Jsonata(e)) => {
            let v = jsonata::expr(env, e, "Timestamp", &b)?;
            let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            let t = timestamp::parse_timestamp(&s).ok_or_else(|| {
                query_error(
                    "Timestamp",
                    format!(
                        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {s}"
                    ),
                )
            })?;
            (t.millis_after(env.now_ms).max(0)) as f64 / 1000.0
        }
        WaitFor::TimestampLiteral(s) => {
            timestamp::parse_timestamp(s).map_or(0.0, |t| (t.millis_after(env.now_ms).max(0)) as f64 / 1000.0)
        }
        other => {
            return Err(query_error("Wait", format!("unexpected Wait field in a JSONata state: {other:?}")));
        }
    })
}

/// SecondsPath must give a whole number ≥ 0 that fits a Java long (rule 11.2). AWS checks the
/// type before the sign: `-1.5` is "cannot be parsed", `-1` is "negative"
/// (`base/test_base_wait_seconds_path(*)`).
fn seconds_from_path(path: &str, v: &Value) -> Result<i64, Failure> {
    match v.as_i64() {
        Some(n) if n < 0 => {
            Err(Failure::runtime(format!("The SecondsPath parameter references a negative value: {path} == {n}")))
        }
        Some(n) => Ok(n),
        None => Err(Failure::runtime(format!(
            "The SecondsPath parameter cannot be parsed as a long value: {path} == {}",
            raw_text(v)
        ))),
    }
}

/// Milliseconds from `now_ms` until `timestamp` (negative when it has passed), or `None` when it
/// is not a timestamp AWS accepts (rule 11.3).
fn millis_until(timestamp: &str, now_ms: i64) -> Option<i64> {
    timestamp::parse_timestamp(timestamp).map(|t| t.millis_after(now_ms))
}

#[cfg(test)]
mod tests;
