//! `$now`'s ISO 8601 text and `$uuid`, from the injected clock and entropy.

use crate::asl::jsonata::eval::Evaluator;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (JavaScript's `toISOString`).
pub fn iso(millis: i64) -> String {
    crate::asl::engine::clock::format_millis(millis)
}

/// A version-4 UUID from the injected entropy.
pub fn uuid(ev: &mut Evaluator<'_>) -> String {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = (ev.env.random() * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::iso;

    #[test]
    fn iso_matches_javascript() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_521_801_216_617), "2018-03-23T10:33:36.617Z");
        assert_eq!(iso(-1), "1969-12-31T23:59:59.999Z");
    }
}
