//! `statescope explain CODE`: for every diagnostic code, what it protects against, the AWS
//! behaviour and figures behind it, a wrong and a right ASL snippet, and how to allow it (the
//! `rustc --explain` idea). The texts live in `explain/CODE.txt`, one per code, so they read and
//! review as prose; the one-line meanings stay in `codes`.

use crate::asl::codes;

/// (code, long explanation), one per code `statescope codes` lists.
const TEXTS: &[(&str, &str)] = &[
    ("ASL001", include_str!("explain/ASL001.txt")),
    ("ASL002", include_str!("explain/ASL002.txt")),
    ("ASL003", include_str!("explain/ASL003.txt")),
    ("ASL004", include_str!("explain/ASL004.txt")),
    ("ASL005", include_str!("explain/ASL005.txt")),
    ("ASL006", include_str!("explain/ASL006.txt")),
    ("ASL007", include_str!("explain/ASL007.txt")),
    ("ASL008", include_str!("explain/ASL008.txt")),
    ("ASL009", include_str!("explain/ASL009.txt")),
    ("ASL010", include_str!("explain/ASL010.txt")),
    ("ASL101", include_str!("explain/ASL101.txt")),
    ("ASL102", include_str!("explain/ASL102.txt")),
    ("ASL103", include_str!("explain/ASL103.txt")),
    ("ASL104", include_str!("explain/ASL104.txt")),
    ("ASL105", include_str!("explain/ASL105.txt")),
    ("ASL106", include_str!("explain/ASL106.txt")),
    ("ASL107", include_str!("explain/ASL107.txt")),
    ("ASL201", include_str!("explain/ASL201.txt")),
    ("ASL202", include_str!("explain/ASL202.txt")),
    ("ASL203", include_str!("explain/ASL203.txt")),
    ("ASL204", include_str!("explain/ASL204.txt")),
    ("ASL205", include_str!("explain/ASL205.txt")),
    ("ASL206", include_str!("explain/ASL206.txt")),
    ("ASL301", include_str!("explain/ASL301.txt")),
    ("ASL302", include_str!("explain/ASL302.txt")),
    ("ASL303", include_str!("explain/ASL303.txt")),
    ("ASL304", include_str!("explain/ASL304.txt")),
    ("ASL305", include_str!("explain/ASL305.txt")),
    ("ASL306", include_str!("explain/ASL306.txt")),
    ("ASL307", include_str!("explain/ASL307.txt")),
    ("ASL308", include_str!("explain/ASL308.txt")),
    ("ASL309", include_str!("explain/ASL309.txt")),
    ("ASL401", include_str!("explain/ASL401.txt")),
    ("ASL402", include_str!("explain/ASL402.txt")),
    ("ASL403", include_str!("explain/ASL403.txt")),
    ("ASL404", include_str!("explain/ASL404.txt")),
    ("ASL901", include_str!("explain/ASL901.txt")),
    ("ASL902", include_str!("explain/ASL902.txt")),
    ("express-unsupported-integration", include_str!("explain/express-unsupported-integration.txt")),
    ("timeout-missing", include_str!("explain/timeout-missing.txt")),
    ("heartbeat-missing", include_str!("explain/heartbeat-missing.txt")),
    ("lambda-exceptions-unhandled", include_str!("explain/lambda-exceptions-unhandled.txt")),
    ("history-quota-risk", include_str!("explain/history-quota-risk.txt")),
    ("placeholder-resource", include_str!("explain/placeholder-resource.txt")),
    ("payload-near-limit", include_str!("explain/payload-near-limit.txt")),
];

/// The explanation of `code` (case-insensitive for `ASL…` codes), if it has one.
pub fn explain(code: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|(_, text)| *text)
}

/// Every code with its one-line meaning, in the order `statescope codes` shows them:
/// definition codes, lints, run-time warnings, then mock-config codes.
pub fn all_codes() -> impl Iterator<Item = (&'static str, &'static str)> {
    codes::ALL.iter().chain(codes::LINTS).chain(codes::RUNTIME).chain(codes::MOCK).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_explanation_with_its_parts() {
        for (code, _) in all_codes() {
            let text = explain(code).unwrap_or_else(|| panic!("no explanation for {code}"));
            for part in ["Protects against:", "Wrong", "Right", "Allow:"] {
                assert!(text.contains(part), "{code}: no '{part}'");
            }
        }
        assert_eq!(TEXTS.len(), all_codes().count(), "an explanation for a code nobody lists");
    }

    #[test]
    fn lookup_ignores_case_and_rejects_unknown_codes() {
        assert!(explain("asl101").is_some_and(|t| t.contains("Procss")));
        assert!(explain("timeout-missing").is_some_and(|t| t.contains("statescope:allow(timeout-missing)")));
        assert!(explain("ASL999").is_none());
    }
}
