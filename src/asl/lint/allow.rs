//! `statescope:allow(NAME, NAME…)` markers in a `Comment`: the author read the lint and keeps
//! the state as it is, ideally with the reason in the same Comment.

/// Whether `comment` holds `statescope:allow(…)` naming `code`.
pub fn allowed_in_comment(comment: &str, code: &str) -> bool {
    const MARK: &str = "statescope:allow(";
    let mut rest = comment;
    while let Some(at) = rest.find(MARK) {
        rest = &rest[at + MARK.len()..];
        let Some(end) = rest.find(')') else { return false };
        if rest[..end].split(',').any(|name| name.trim() == code) {
            return true;
        }
        rest = &rest[end..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::allowed_in_comment;

    #[test]
    fn reads_one_or_several_names_anywhere_in_the_comment() {
        assert!(allowed_in_comment("statescope:allow(timeout-missing)", "timeout-missing"));
        let c = "Polls the job. statescope:allow(heartbeat-missing, timeout-missing): the worker reports itself";
        assert!(allowed_in_comment(c, "timeout-missing"));
        assert!(allowed_in_comment(c, "heartbeat-missing"));
        assert!(!allowed_in_comment(c, "history-quota-risk"));
        assert!(!allowed_in_comment("timeout-missing is fine here", "timeout-missing"));
        assert!(!allowed_in_comment("statescope:allow(timeout-missing", "timeout-missing"));
        assert!(allowed_in_comment("statescope:allow(x) statescope:allow(timeout-missing)", "timeout-missing"));
    }
}
