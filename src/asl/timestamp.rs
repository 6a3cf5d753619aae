//! Timestamps as AWS Step Functions accepts them (rule 11.3): strict RFC 3339 with an uppercase
//! `T`, seconds, optional fractional seconds, and a zone that is either an uppercase `Z` or a
//! numeric `±hh:mm` offset. The date and time must exist (no February 30, no hour 24, no leap
//! second). Parsed values are instants, so `…T01:59:00Z` equals `…T02:59:00+01:00` (rule 10.12).
//!
//! Used by the validator (literal Wait `Timestamp`, Choice `Timestamp*` operands), by Choice
//! evaluation (`Timestamp*`, `IsTimestamp`) and by Wait (`Timestamp`, `TimestampPath`). No clock.

use std::fmt;

use crate::asl::calendar::{days_from_civil, days_in_month};

/// A point in time: seconds and nanoseconds since 1970-01-01T00:00:00Z. Ordered as instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
}

impl Timestamp {
    /// Whole seconds since the Unix epoch (negative before 1970).
    pub fn epoch_seconds(self) -> i64 {
        self.seconds
    }

    /// Nanoseconds within the second, `0..1_000_000_000`.
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the Unix epoch, rounded down (the engine's virtual clock unit).
    pub fn epoch_millis(self) -> i64 {
        self.seconds * 1000 + i64::from(self.nanos / 1_000_000)
    }

    /// Milliseconds from `now_ms` until this instant, rounded up so a Wait never wakes early;
    /// negative when the instant has passed.
    pub fn millis_after(self, now_ms: i64) -> i64 {
        let ms = self.epoch_millis() + i64::from(!self.nanos.is_multiple_of(1_000_000));
        ms - now_ms
    }
}

/// Why a string is not a timestamp AWS accepts. The debugger shows it next to `IsTimestamp` or
/// a failed Wait, so each variant names the part to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// `2016/03/14T…`, `05-12-2016T…`: not `YYYY-MM-DD`.
    #[error("the date must be written YYYY-MM-DD")]
    DateShape,
    /// `2016-13-05T…`, `2016-02-30T…`.
    #[error("the date does not exist")]
    NoSuchDate,
    /// `2016-12-05 21:29:29Z`, `2016-12-05t21:29:29Z`: the separator must be an uppercase `T`.
    #[error("date and time must be separated by an uppercase 'T'")]
    Separator,
    /// `…T21:29Z`, `…T9:00:00Z`: not `hh:mm:ss`.
    #[error("the time must be written hh:mm:ss")]
    TimeShape,
    /// `…T25:29:29Z`, `…T23:60:00Z`, `…T23:59:60Z`.
    #[error("the time does not exist (hours 00-23, minutes and seconds 00-59)")]
    NoSuchTime,
    /// `…T21:29:29.Z`: a `.` must be followed by digits.
    #[error("fractional seconds need at least one digit after '.'")]
    Fraction,
    /// `…T21:29:29`, `…T21:29:29.000000`: no zone.
    #[error("a zone is required: 'Z' or an offset like '+01:00'")]
    MissingZone,
    /// `…T21:29:29+0100`, `…T21:29:29z`, `…T21:29:29+25:00`.
    #[error("the zone must be an uppercase 'Z' or an offset '+hh:mm' / '-hh:mm'")]
    BadZone,
    /// Anything after the zone.
    #[error("unexpected text after the zone")]
    Trailing,
}

/// Parses a timestamp AWS accepts, or `None` (see [`parse`] for the reason).
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    parse(s).ok()
}

/// Parses a timestamp AWS accepts, saying what is wrong otherwise.
pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
    let mut c = Cursor { bytes: s.as_bytes(), at: 0 };
    let (year, month, day) = date(&mut c)?;
    if !c.eat(b'T') {
        return Err(TimestampError::Separator);
    }
    let (hour, minute, second) = time(&mut c)?;
    let nanos = fraction(&mut c)?;
    let offset_seconds = zone(&mut c)?;
    if c.at != c.bytes.len() {
        return Err(TimestampError::Trailing);
    }
    let days = days_from_civil(year, month, i64::from(day));
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Ok(Timestamp { seconds: local - offset_seconds, nanos })
}

fn date(c: &mut Cursor) -> Result<(i64, u32, u32), TimestampError> {
    let shape = TimestampError::DateShape;
    let year = c.digits(4).ok_or(shape)?;
    let month = c.eat(b'-').then(|| c.digits(2)).flatten().ok_or(shape)?;
    let day = c.eat(b'-').then(|| c.digits(2)).flatten().ok_or(shape)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
        return Err(TimestampError::NoSuchDate);
    }
    Ok((i64::from(year), month, day))
}

fn time(c: &mut Cursor) -> Result<(u32, u32, u32), TimestampError> {
    let shape = TimestampError::TimeShape;
    let hour = c.digits(2).ok_or(shape)?;
    let minute = c.eat(b':').then(|| c.digits(2)).flatten().ok_or(shape)?;
    let second = c.eat(b':').then(|| c.digits(2)).flatten().ok_or(shape)?;
    // Leap seconds (`:60`) are rejected until AWS is seen to accept them (rule 11.3, VERIFY).
    if hour > 23 || minute > 59 || second > 59 {
        return Err(TimestampError::NoSuchTime);
    }
    Ok((hour, minute, second))
}

/// `.d…`: any number of digits (AWS accepts `.00`, `.000000` and nanoseconds); digits past the
/// ninth cannot change a nanosecond instant and are ignored.
fn fraction(c: &mut Cursor) -> Result<u32, TimestampError> {
    if !c.eat(b'.') {
        return Ok(0);
    }
    let start = c.at;
    let mut nanos = 0u32;
    while let Some(d) = c.peek().filter(u8::is_ascii_digit) {
        if c.at - start < 9 {
            nanos = nanos * 10 + u32::from(d - b'0');
        }
        c.at += 1;
    }
    let n = c.at - start;
    if n == 0 {
        return Err(TimestampError::Fraction);
    }
    Ok(nanos * 10u32.pow(9u32.saturating_sub(n as u32)))
}

/// `Z` → 0, `±hh:mm` → the offset in seconds east of UTC.
fn zone(c: &mut Cursor) -> Result<i64, TimestampError> {
    let sign = match c.peek() {
        None => return Err(TimestampError::MissingZone),
        Some(b'Z') => {
            c.at += 1;
            return Ok(0);
        }
        Some(b'+') => 1,
        Some(b'-') => -1,
        Some(_) => return Err(TimestampError::BadZone),
    };
    c.at += 1;
    let hours = c.digits(2).ok_or(TimestampError::BadZone)?;
    let minutes = c.eat(b':').then(|| c.digits(2)).flatten().ok_or(TimestampError::BadZone)?;
    if hours > 23 || minutes > 59 {
        return Err(TimestampError::BadZone);
    }
    Ok(sign * i64::from(hours * 3600 + minutes * 60))
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += usize::from(hit);
        hit
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let slice = self.bytes.get(self.at..self.at + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += n;
        Some(slice.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }
}

impl fmt::Display for Timestamp {
    /// AWS's rendering, `2016-03-14T01:59:00.123Z` (milliseconds, UTC).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::asl::engine::clock::format_millis(self.epoch_millis()))
    }
}

#[cfg(test)]
mod tests;
