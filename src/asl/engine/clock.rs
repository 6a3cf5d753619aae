//! The virtual clock: milliseconds since the Unix epoch, advanced only by the engine (Wait,
//! retries). Formatting follows AWS (`2024-01-02T03:04:05.678Z`).

/// Default start of an execution: a fixed instant, so runs are reproducible.
pub const DEFAULT_START_MS: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a millisecond instant.
pub fn format_millis(ms: i64) -> String {
    let mut out = String::with_capacity(24);
    write_millis(&mut out, ms);
    out
}

/// [`format_millis`] into `out` (replacing its contents), reusing its buffer.
pub fn write_millis(out: &mut String, ms: i64) {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    out.clear();
    if (0..=9999).contains(&y) {
        // The common case without the formatting machinery: this runs on every state entry.
        let digits = |out: &mut String, v: u32, width: u32| {
            for p in (0..width).rev() {
                out.push(char::from(b'0' + ((v / 10u32.pow(p)) % 10) as u8));
            }
        };
        digits(out, y as u32, 4);
        out.push('-');
        digits(out, m, 2);
        out.push('-');
        digits(out, d, 2);
        out.push('T');
        digits(out, (sod / 3600) as u32, 2);
        out.push(':');
        digits(out, (sod % 3600 / 60) as u32, 2);
        out.push(':');
        digits(out, (sod % 60) as u32, 2);
        out.push('.');
        digits(out, millis as u32, 3);
        out.push('Z');
        return;
    }
    use std::fmt::Write;
    let _ = write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", sod / 3600, sod % 3600 / 60, sod % 60);
}

pub use crate::asl::calendar::civil_from_days;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_aws() {
        assert_eq!(format_millis(DEFAULT_START_MS), "2026-01-01T00:00:00.000Z");
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }
}
