//! STUB: replaced by the strict RFC 3339 parser.
/// STUB.
pub fn parse_timestamp(s: &str) -> Option<()> {
    (s.contains('T') && (s.ends_with('Z') || s.contains('+'))).then_some(())
}
