//! Wait (rules 11.1–11.5): delays from Seconds, SecondsPath, Timestamp and TimestampPath on the
//! virtual clock, and AWS's cause texts (`base/test_base_wait_seconds_path(*)`,
//! `base/test_wait_timestamppath(*)`, `base/test_timestamp_too_far_in_future_boundary(*)`).

use serde_json::{Value, json};

use crate::asl::check::check;
use crate::asl::engine::stage::StageDetail;
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::source::Source;
use crate::asl::timestamp::parse_timestamp;

const PREFIX: &str = "An error occurred while executing the state 'W' (entered at the event id #2). ";

/// Runs a one-Wait machine starting at `start`; returns the status and the virtual time waited.
fn wait(field: Value, input: Value, start: &str) -> (Status, i64, Option<StageDetail>) {
    let mut w = json!({"Type": "Wait", "End": true});
    if let (Some(w), Some(f)) = (w.as_object_mut(), field.as_object()) {
        w.extend(f.clone());
    }
    let def = json!({"StartAt": "W", "States": {"W": w}});
    let checked = check(&Source::new("t.json", def.to_string()));
    let m = checked.machine.expect("machine");
    let start_ms = parse_timestamp(start).expect("start").epoch_millis();
    let mut e = Execution::new(m.clone(), input, ExecutionConfig { start_ms, ..Default::default() });
    let status = e.run().clone();
    let detail =
        e.stages().iter().find_map(|s| s.detail.as_deref().cloned().filter(|d| matches!(d, StageDetail::Wait { .. })));
    (status, e.now_ms() - start_ms, detail)
}

fn runtime_cause(status: Status) -> String {
    match status {
        Status::Failed { error: Some(e), cause: Some(c) } if e == "States.Runtime" => {
            c.strip_prefix(PREFIX).unwrap_or(&c).to_string()
        }
        other => panic!("expected States.Runtime, got {other:?}"),
    }
}

const NOW: &str = "2026-11-24T02:10:46Z";

#[test]
fn rule_11_3_timestamp_path_waits_until_the_instant_without_sleeping() {
    let started = std::time::Instant::now();
    let (status, waited, detail) =
        wait(json!({"TimestampPath": "$.t"}), json!({"t": "2027-11-24T03:10:46.5+01:00"}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
    assert_eq!(waited, 365 * 86_400_000 + 500);
    let Some(StageDetail::Wait { seconds, until_ms }) = detail else { panic!("no Wait detail") };
    assert_eq!(seconds, 365.0 * 86_400.0 + 0.5);
    assert_eq!(Some(until_ms), parse_timestamp("2027-11-24T02:10:46.5Z").map(|t| t.epoch_millis()));
    assert!(started.elapsed().as_secs() < 5, "the real clock is not involved");
}

#[test]
fn rule_11_5_a_timestamp_in_the_past_does_not_wait() {
    let (status, waited, _) = wait(json!({"TimestampPath": "$.t"}), json!({"t": "2016-03-14T01:59:00Z"}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
    assert_eq!(waited, 0);
    let (_, waited, _) = wait(json!({"Timestamp": "2026-11-24T02:11:46Z"}), json!({}), NOW);
    assert_eq!(waited, 60_000);
}

#[test]
fn rule_11_4_timestamp_path_to_an_invalid_timestamp_is_a_runtime_error() {
    for t in ["2026-11-24T02:10:46", "2026-11-24T02:10:46.000000", "2016-12-05 21:29:29Z", "2016-13-05T21:29:29Z"] {
        let (status, _, _) = wait(json!({"TimestampPath": "$.t"}), json!({"t": t}), NOW);
        assert_eq!(
            runtime_cause(status),
            format!(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == {t}"
            )
        );
    }
    let (status, _, _) = wait(json!({"TimestampPath": "$.t"}), json!({"t": 5}), NOW);
    assert!(runtime_cause(status).ends_with("$.t == 5"));
}

#[test]
fn rule_11_5_delays_beyond_2_pow_31_seconds_are_too_long() {
    // 24,855 days after the start is accepted, 24,856 days is not (ASL-NOTES 14).
    let (status, waited, _) = wait(json!({"TimestampPath": "$.t"}), json!({"t": "2094-12-12T02:10:46.000Z"}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
    assert_eq!(waited, 24_855 * 86_400_000);
    let (status, _, _) = wait(json!({"TimestampPath": "$.t"}), json!({"t": "2094-12-13T02:10:46.000Z"}), NOW);
    assert_eq!(runtime_cause(status), "Wait state delay is too long.");
    let (status, _, _) = wait(json!({"SecondsPath": "$.s"}), json!({"s": 2_147_483_648i64}), NOW);
    assert_eq!(runtime_cause(status), "Wait state delay is too long.");
    let (status, _, _) = wait(json!({"SecondsPath": "$.s"}), json!({"s": 2_147_483_647i64}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
}

#[test]
fn rule_11_2_seconds_path_must_be_a_non_negative_whole_number() {
    let cause = |s: Value| runtime_cause(wait(json!({"SecondsPath": "$.s"}), json!({"s": s}), NOW).0);
    assert_eq!(cause(json!(-1)), "The SecondsPath parameter references a negative value: $.s == -1");
    assert_eq!(cause(json!(-1.5)), "The SecondsPath parameter cannot be parsed as a long value: $.s == -1.5");
    assert_eq!(cause(json!(1.5)), "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5");
    assert_eq!(cause(json!("10")), "The SecondsPath parameter cannot be parsed as a long value: $.s == 10");
    assert_eq!(cause(json!(null)), "The SecondsPath parameter cannot be parsed as a long value: $.s == null");
    assert_eq!(
        cause(json!(u64::MAX)),
        "The SecondsPath parameter cannot be parsed as a long value: $.s == 18446744073709551615"
    );
    let (status, waited, _) = wait(json!({"SecondsPath": "$.s"}), json!({"s": 0}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
    assert_eq!(waited, 0);
    let (_, waited, _) = wait(json!({"SecondsPath": "$.s"}), json!({"s": 90}), NOW);
    assert_eq!(waited, 90_000);
}

#[test]
fn rule_11_1_literal_seconds_advance_the_clock() {
    let (status, waited, detail) = wait(json!({"Seconds": 99_999_999}), json!({}), NOW);
    assert!(matches!(status, Status::Succeeded(_)));
    assert_eq!(waited, 99_999_999_000);
    assert!(matches!(detail, Some(StageDetail::Wait { seconds, .. }) if seconds == 99_999_999.0));
}
