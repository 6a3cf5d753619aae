//! Retry and Catch decisions (rules 16.3–16.10): which retrier or catcher an error matches,
//! how many attempts are left, and how long to wait before the next one.

use crate::asl::definition::{Catcher, Retrier, Spanned};
use crate::asl::error_name::ErrorName;
use crate::asl::world::Entropy;

/// Whether an `ErrorEquals` list matches `error`. `terminal` marks an error the wildcards do
/// not match (rule 16.2): a state's own States.DataLimitExceeded. States.Runtime is never
/// caught or retried, not even when named (`scenarios/test_catch_states_runtime`).
pub(crate) fn matches(error_equals: &[Spanned<String>], error: &ErrorName, terminal: bool) -> bool {
    if *error == ErrorName::Runtime {
        return false;
    }
    error_equals.iter().any(|e| match ErrorName::parse(&e.value) {
        ErrorName::All => !terminal,
        // As a matcher, States.TaskFailed covers every task error but a timeout (rule 16.2).
        ErrorName::TaskFailed => !terminal && *error != ErrorName::Timeout,
        name => name == *error,
    })
}

/// Whether an `ErrorEquals` list matches `error` as a retried or caught error (not a state's
/// own DataLimitExceeded): for explaining a decision the engine made.
pub fn error_equals_names(error_equals: &[Spanned<String>], error: &str) -> bool {
    matches(error_equals, &ErrorName::parse(error), false)
}

/// Per-visit retry bookkeeping: one attempt counter per retrier (rule 16.4).
#[derive(Debug, Default)]
pub(crate) struct RetryState {
    attempts: Vec<u64>,
}

/// What to do with an error.
#[derive(Debug, PartialEq)]
pub(crate) enum Decision {
    /// Retry after `delay_seconds`, as retry number `attempt` (1-based) of retrier `retrier`.
    Retry { retrier: usize, attempt: u64, delay_seconds: f64 },
    /// Go to catcher `index`.
    Catch(usize),
    /// Nothing handles it: the state fails.
    Fail,
}

impl RetryState {
    /// The first matching retrier decides; if its attempts are used up, Catch decides (rule 16.3).
    pub fn decide(
        &mut self,
        retriers: &[Retrier],
        catchers: &[Catcher],
        error: &ErrorName,
        own: bool,
        entropy: &mut dyn Entropy,
    ) -> Decision {
        let terminal = own && *error == ErrorName::DataLimitExceeded;
        if self.attempts.len() < retriers.len() {
            self.attempts.resize(retriers.len(), 0);
        }
        if let Some(i) = retriers.iter().position(|r| matches(&r.error_equals, error, terminal)) {
            let r = &retriers[i];
            if self.attempts[i] < r.max_attempts {
                self.attempts[i] += 1;
                let n = self.attempts[i];
                return Decision::Retry { retrier: i, attempt: n, delay_seconds: delay(r, n, entropy) };
            }
        }
        match catchers.iter().position(|c| matches(&c.error_equals, error, terminal)) {
            Some(i) => Decision::Catch(i),
            None => Decision::Fail,
        }
    }
}

/// Delay before retry `n` (1-based): backoff, then cap, then jitter (rule 16.6).
fn delay(r: &Retrier, n: u64, entropy: &mut dyn Entropy) -> f64 {
    let exponent = i32::try_from(n - 1).unwrap_or(i32::MAX);
    let base = r.interval_seconds * r.backoff_rate.powi(exponent);
    let capped = match r.max_delay_seconds {
        Some(max) => base.min(max),
        None => base,
    };
    if r.jitter_full { capped * entropy.next_f64() } else { capped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::source::Span;
    use crate::asl::world::SeededEntropy;

    fn names(list: &[&str]) -> Vec<Spanned<String>> {
        list.iter()
            .map(|s| Spanned { value: s.to_string(), key_span: Span::default(), span: Span::default() })
            .collect()
    }

    fn retrier(errors: &[&str], max_attempts: u64) -> Retrier {
        Retrier {
            error_equals: names(errors),
            interval_seconds: 3.0,
            max_attempts,
            backoff_rate: 2.0,
            max_delay_seconds: Some(4.0),
            jitter_full: false,
            span: Span::default(),
        }
    }

    #[test]
    fn states_all_does_not_match_terminal_errors() {
        // rule 16.2
        assert!(matches(&names(&["States.ALL"]), &ErrorName::parse("Lambda.ServiceException"), false));
        assert!(!matches(&names(&["States.ALL"]), &ErrorName::parse("States.Runtime"), false));
        assert!(
            !matches(&names(&["States.Runtime"]), &ErrorName::parse("States.Runtime"), false),
            "never caught, even by name"
        );
        assert!(!matches(&names(&["States.ALL"]), &ErrorName::parse("States.DataLimitExceeded"), true));
        assert!(
            matches(&names(&["States.ALL"]), &ErrorName::parse("States.DataLimitExceeded"), false),
            "a task result's (rule 6.2)"
        );
        assert!(matches(&names(&["States.TaskFailed"]), &ErrorName::parse("Custom"), false));
        assert!(!matches(&names(&["States.TaskFailed"]), &ErrorName::parse("States.Timeout"), false));
        assert!(matches(&names(&["States.Timeout"]), &ErrorName::parse("States.Timeout"), false));
        assert!(
            !matches(&names(&["Custom"]), &ErrorName::parse("custom"), false),
            "names are case-sensitive (rule 16.1)"
        );
    }

    #[test]
    fn the_spec_example_retries_three_times_then_catches() {
        // rule 16.3: errors A, B, C, B with retrier 1 = [A,B] (MaxAttempts 2), retrier 2 = [C].
        let retriers = vec![retrier(&["A", "B"], 2), retrier(&["C"], 3)];
        let catchers = vec![Catcher {
            error_equals: names(&["States.ALL"]),
            next: Spanned { value: "Catch".into(), key_span: Span::default(), span: Span::default() },
            result_path: None,
            assign: None,
            output: None,
            span: Span::default(),
        }];
        let mut e = SeededEntropy::new(0);
        let mut s = RetryState::default();
        let got: Vec<Decision> = ["A", "B", "C", "B"]
            .iter()
            .map(|err| s.decide(&retriers, &catchers, &ErrorName::parse(err), false, &mut e))
            .collect();
        assert_eq!(
            got,
            vec![
                Decision::Retry { retrier: 0, attempt: 1, delay_seconds: 3.0 },
                // backoff 3 × 2 = 6, capped at MaxDelaySeconds 4 (rule 16.6)
                Decision::Retry { retrier: 0, attempt: 2, delay_seconds: 4.0 },
                Decision::Retry { retrier: 1, attempt: 1, delay_seconds: 3.0 },
                Decision::Catch(0),
            ]
        );
    }

    #[test]
    fn max_attempts_zero_never_retries_and_does_not_fall_through() {
        // rule 16.5
        let retriers = vec![retrier(&["A"], 0), retrier(&["States.ALL"], 5)];
        let mut s = RetryState::default();
        assert_eq!(s.decide(&retriers, &[], &ErrorName::parse("A"), false, &mut SeededEntropy::new(0)), Decision::Fail);
    }

    #[test]
    fn full_jitter_stays_within_the_capped_delay_and_is_seeded() {
        let mut r = retrier(&["A"], 5);
        r.jitter_full = true;
        let run = |seed| {
            let mut s = RetryState::default();
            let mut e = SeededEntropy::new(seed);
            (0..5)
                .map(|_| match s.decide(std::slice::from_ref(&r), &[], &ErrorName::parse("A"), false, &mut e) {
                    Decision::Retry { delay_seconds, .. } => delay_seconds,
                    other => panic!("{other:?}"),
                })
                .collect::<Vec<f64>>()
        };
        let a = run(7);
        assert_eq!(a, run(7), "same seed, same jitter");
        assert!(a.iter().all(|d| (0.0..=4.0).contains(d)), "{a:?}");
    }
}
