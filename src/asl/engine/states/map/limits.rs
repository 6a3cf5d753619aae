//! Map's numeric settings from literals or paths: MaxConcurrency(Path) and
//! ToleratedFailureCount/Percentage(Path), with AWS's exact error texts (ASL-NOTES 18,
//! `scenarios/test_map_state_tolerated_failure_*`, `scenarios/test_max_concurrency_path(*)`).

use serde_json::Value;

use crate::asl::definition::{NumberSource, Spanned};
use crate::asl::engine::io::Failure;
use crate::asl::jsonpath::Roots;

/// A value as AWS quotes it in "refers to value \"…\"": strings bare, anything else as JSON.
fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value a `…Path` field selects (a missing path fails like InputPath's).
fn select(source: &NumberSource, roots: &Roots) -> Result<Option<(Value, String)>, Failure> {
    match source {
        NumberSource::Literal(v) => Ok(Some((v.clone(), String::new()))),
        NumberSource::Path(p) => {
            let v = p.select(roots).map_err(|e| match e {
                crate::asl::jsonpath::SelectError::NoResults { normalized } => {
                    Failure::runtime(format!("Invalid path '{}' : No results for path: {normalized}", p.text()))
                }
                other => Failure::runtime(other.to_string()),
            })?;
            Ok(Some((v, p.text().to_string())))
        }
        NumberSource::Jsonata(_) => Err(crate::asl::engine::io::jsonata_out_of_place()),
    }
}

/// An integer setting (`MaxConcurrency`, `ToleratedFailureCount`): a JSON integer, else AWS's
/// "The <Field>Path field refers to value \"…\" which is not a valid integer: <path>".
fn integer(field: &str, source: &NumberSource, roots: &Roots) -> Result<Option<i64>, Failure> {
    let Some((v, path)) = select(source, roots)? else { return Ok(None) };
    // A string holding an integer counts: AWS accepts `"1"` from a variable
    // (`assign/test_reference_in_map_state(MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH)`).
    let n = v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
    match n {
        Some(n) => Ok(Some(n)),
        None => Err(Failure::runtime(format!(
            "The {field}Path field refers to value \"{}\" which is not a valid integer: {path}",
            quoted(&v)
        ))),
    }
}

/// `MaxConcurrency(Path)`: 0 (or absent) means unbounded. A negative value from a path leaves
/// AWS's execution hanging (`scenarios/test_max_concurrency_path_negative` was recorded
/// RUNNING); here it fails instead, worded like ToleratedFailureCount's.
pub(super) fn max_concurrency(source: Option<&Spanned<NumberSource>>, roots: &Roots) -> Result<u64, Failure> {
    let Some(s) = source else { return Ok(0) };
    match integer("MaxConcurrency", &s.value, roots)? {
        Some(n) if n < 0 => Err(Failure::runtime("MaxConcurrency cannot be negative.")),
        Some(n) => Ok(n as u64),
        None => Ok(0),
    }
}

/// How many failed iterations the Map tolerates (rule 15.9). `None` when neither field is set:
/// then the first failure fails the Map with that iteration's own error (rule 15.10).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Tolerance {
    pub count: Option<u64>,
    pub percentage: Option<f64>,
}

impl Tolerance {
    /// Whether `failed` failures out of `total` items exceed the threshold (either field).
    pub fn exceeded(&self, failed: usize, total: usize) -> bool {
        let over_count = self.count.is_some_and(|c| failed as u64 > c);
        let over_pct = self.percentage.is_some_and(|p| total > 0 && (failed as f64) * 100.0 / (total as f64) > p);
        // Both configured default to 0 when only the other is set (rule 15.9).
        match (self.count, self.percentage) {
            (Some(_), None) => over_count,
            (None, Some(_)) => over_pct,
            _ => over_count || over_pct,
        }
    }
}

/// Resolves the tolerance fields, checking counts before percentages as AWS reports them.
pub(super) fn tolerance(
    count: Option<&Spanned<NumberSource>>,
    percentage: Option<&Spanned<NumberSource>>,
    roots: &Roots,
) -> Result<Option<Tolerance>, Failure> {
    if count.is_none() && percentage.is_none() {
        return Ok(None);
    }
    let count = match count {
        None => None,
        Some(s) => match integer("ToleratedFailureCount", &s.value, roots)? {
            Some(n) if n < 0 => return Err(Failure::runtime("ToleratedFailureCount cannot be negative.")),
            n => n.map(|n| n as u64),
        },
    };
    let percentage = match percentage {
        None => None,
        Some(s) => {
            let Some((v, path)) = select(&s.value, roots)? else { return Ok(None) };
            let Some(p) = v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())) else {
                return Err(Failure::runtime(format!(
                    "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {path}",
                    quoted(&v)
                )));
            };
            if !(0.0..=100.0).contains(&p) {
                return Err(Failure::runtime("ToleratedFailurePercentage must be between 0 and 100."));
            }
            Some(p)
        }
    };
    Ok(Some(Tolerance { count, percentage }))
}

/// The failure when too many iterations failed (rule 15.9). AWS's cause text is not recorded
/// in the corpus; this is LocalStack's wording.
pub(super) fn threshold_exceeded() -> Failure {
    Failure {
        error: crate::asl::error_name::ErrorName::ExceedToleratedFailureThreshold,
        cause: "The specified tolerated failure threshold was exceeded".into(),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_15_9_count_and_percentage_thresholds() {
        let count = Tolerance { count: Some(1), percentage: None };
        assert!(!count.exceeded(1, 4));
        assert!(count.exceeded(2, 4));
        let pct = Tolerance { count: None, percentage: Some(50.0) };
        assert!(!pct.exceeded(2, 4));
        assert!(pct.exceeded(3, 4));
        let both = Tolerance { count: Some(10), percentage: Some(25.0) };
        assert!(both.exceeded(2, 4), "either threshold fails the Map");
    }
}
