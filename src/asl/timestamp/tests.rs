//! Rule 11.3 (format), 10.12 (instants) and the AWS-recorded accept/reject cases
//! (`base/test_wait_timestamppath(*)`, `scenarios/test_wait_timestamp_path(*)`,
//! `validation/test_wait_timestamp_invalid(*)`).

use proptest::prelude::*;

use super::*;

fn ms(s: &str) -> i64 {
    parse_timestamp(s).unwrap_or_else(|| panic!("{s} should parse")).epoch_millis()
}

#[test]
fn rule_11_3_accepts_what_aws_accepted() {
    for s in [
        "2016-03-14T01:59:00Z",
        "2026-11-24T02:10:46.000000Z",
        "2026-11-24T02:10:46.00Z",
        "2016-03-05T21:29:29.243167252Z",
        "2012-10-09T19:00:55+01:00",
        "2012-10-09T19:00:55-05:30",
        "2094-12-13T02:10:46.000Z",
        "2000-02-29T00:00:00Z",
    ] {
        assert!(parse_timestamp(s).is_some(), "{s}");
    }
}

#[test]
fn rule_11_3_rejects_what_aws_rejected() {
    use TimestampError::*;
    for (s, why) in [
        ("2016-13-05T21:29:29Z", NoSuchDate),        // INVALID_DATE
        ("05-12-2016T21:29:29Z", DateShape),         // INVALID_ISO
        ("2016-12-05T25:29:29Z", NoSuchTime),        // INVALID_TIME
        ("2016-12-05 21:29:29Z", Separator),         // NO_T
        ("2016-12-05T21:29:29", MissingZone),        // NO_Z
        ("2026-11-24T02:10:46.000000", MissingZone), // test_wait_timestamppath(.000000)
        ("2023-02-24 12:15:56.832957", Separator),   // choice_operators timestamp_equals__7
        ("2023-02-24", Separator),
        ("", DateShape),
        ("2016-02-30T00:00:00Z", NoSuchDate),
        ("1900-02-29T00:00:00Z", NoSuchDate),
        ("2016-04-31T00:00:00Z", NoSuchDate),
        ("2016-00-10T00:00:00Z", NoSuchDate),
        ("2016-01-00T00:00:00Z", NoSuchDate),
        ("2016-12-05T24:00:00Z", NoSuchTime),
        ("2016-12-05T23:60:00Z", NoSuchTime),
        ("2016-12-05T23:59:60Z", NoSuchTime),
        ("2016-12-05T23:59Z", TimeShape),
        ("2016-12-05T9:00:00Z", TimeShape),
        ("2016-12-05t21:29:29Z", Separator),
        ("2016-12-05T21:29:29z", BadZone),
        ("2016-12-05T21:29:29+0100", BadZone),
        ("2016-12-05T21:29:29+01", BadZone),
        ("2016-12-05T21:29:29+24:00", BadZone),
        ("2016-12-05T21:29:29.Z", Fraction),
        ("2016-12-05T21:29:29Z ", Trailing),
        ("2016-12-05T21:29:29ZZ", Trailing),
        ("+2016-12-05T21:29:29Z", DateShape),
    ] {
        assert_eq!(parse(s), Err(why), "{s}");
    }
}

#[test]
fn rule_10_12_offsets_are_normalised_to_instants() {
    assert_eq!(parse_timestamp("2016-03-14T01:59:00Z"), parse_timestamp("2016-03-14T02:59:00+01:00"));
    assert_eq!(parse_timestamp("2016-03-14T01:59:00Z"), parse_timestamp("2016-03-13T20:29:00-05:30"));
    assert!(parse_timestamp("2012-10-09T19:00:55Z") < parse_timestamp("2012-10-09T19:00:56Z"));
}

#[test]
fn rule_10_12_fractional_seconds_count() {
    let a = parse_timestamp("2012-10-09T19:00:55.000000001Z");
    let b = parse_timestamp("2012-10-09T19:00:55Z");
    assert!(a > b);
    assert_eq!(parse_timestamp("2012-10-09T19:00:55.5Z").map(Timestamp::subsec_nanos), Some(500_000_000));
    // Digits past nanoseconds are accepted and ignored.
    assert_eq!(parse_timestamp("2012-10-09T19:00:55.1234567891Z").map(Timestamp::subsec_nanos), Some(123_456_789));
}

#[test]
fn epoch_arithmetic_matches_the_clock() {
    assert_eq!(ms("1970-01-01T00:00:00Z"), 0);
    assert_eq!(ms("2026-01-01T00:00:00Z"), crate::asl::engine::clock::DEFAULT_START_MS);
    assert_eq!(ms("2000-02-29T00:00:00.123Z"), 951_782_400_123);
    assert_eq!(ms("1969-12-31T23:59:59Z"), -1000);
    assert_eq!(ms("0000-01-01T00:00:00Z"), -62_167_219_200_000);
    assert_eq!(ms("9999-12-31T23:59:59.999Z"), 253_402_300_799_999);
    let t = parse_timestamp("2000-02-29T00:00:00.123Z").map(|t| t.to_string());
    assert_eq!(t.as_deref(), Some("2000-02-29T00:00:00.123Z"));
}

#[test]
fn waits_round_up_to_the_millisecond() {
    let t = parse_timestamp("1970-01-01T00:00:01.0000001Z").expect("parses");
    assert_eq!(t.millis_after(0), 1001);
    assert_eq!(t.millis_after(2000), -999);
}

proptest! {
    #[test]
    fn parse_never_panics(s in ".{0,40}") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_near_misses(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|z|[+-][0-9]{2}:[0-9]{2})?") {
        let _ = parse(&s);
    }

    #[test]
    fn valid_instants_round_trip_through_the_clock_format(ms in -62_167_219_200_000i64..253_402_300_799_999) {
        let text = crate::asl::engine::clock::format_millis(ms);
        prop_assert_eq!(parse_timestamp(&text).map(Timestamp::epoch_millis), Some(ms));
    }
}
