//! Drilling into one branch of a Parallel or one iteration of a Map: which ones have run (found
//! from the stages' `location`, `Fan › branch 2` or `Outer › item 0 › Inner › item 3`), the
//! menu Enter opens to pick one, and the filter the stage pane and the graph then apply.

use crate::asl::engine::chunked::Chunked;
use crate::asl::engine::stage::StageRecord;

/// How the engine joins the parts of a location.
const SEP: &str = " › ";

/// Enter on a Parallel/Map that has run: its branches or iterations to choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillMenu {
    pub container: String,
    pub choices: Vec<Choice>,
    pub cursor: usize,
}

/// One branch or iteration that has run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The full location, `Fan › branch 2`.
    pub location: String,
    /// Stages shown so far in it (nested ones included).
    pub stages: usize,
    /// The states it ran, in order of first stage.
    pub states: Vec<String>,
}

/// The branch or iteration the stage pane is filtered to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drill {
    pub container: String,
    pub location: String,
}

impl Drill {
    /// Whether a stage ran in this branch/iteration (or deeper inside it).
    pub fn holds(&self, stage: &StageRecord) -> bool {
        inside(&stage.location, &self.location)
    }

    /// Whether this branch/iteration lies inside `location` (or is it).
    pub fn within(&self, location: &str) -> bool {
        inside(&self.location, location)
    }

    /// Indices of the stages that ran in it, in order.
    pub fn stages<'a>(&'a self, stages: &'a Chunked<StageRecord>) -> impl Iterator<Item = usize> + 'a {
        stages.iter().enumerate().filter(|(_, s)| self.holds(s)).map(|(i, _)| i)
    }
}

/// `location` is `within` or nested below it.
fn inside(location: &str, within: &str) -> bool {
    location.strip_prefix(within).is_some_and(|rest| rest.is_empty() || rest.starts_with(SEP))
}

/// The location of the branch/iteration of `container` a nested location lies in, if any:
/// the parts alternate state name and `branch N`/`item N`, so the container is one of the
/// even-numbered parts and the branch the part after it. State names are unique in a machine,
/// so the name alone identifies the container.
pub fn branch_of(location: &str, container: &str) -> Option<String> {
    let parts: Vec<&str> = location.split(SEP).collect();
    let at = parts.iter().step_by(2).position(|p| *p == container)? * 2;
    (at + 1 < parts.len()).then(|| parts[..=at + 1].join(SEP))
}

/// The innermost container a nested stage ran in (`Inner` for `Outer › item 0 › Inner › item 3`).
pub fn innermost_container(location: &str) -> Option<&str> {
    let parts: Vec<&str> = location.split(SEP).collect();
    let n = parts.len();
    (n >= 2).then(|| parts[(n - 2) & !1])
}

/// The branches/iterations of `container` that have run so far, in the order their first
/// stage was shown.
pub fn choices(stages: &Chunked<StageRecord>, container: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    for s in stages {
        let Some(location) = branch_of(&s.location, container) else { continue };
        let at = match out.iter().position(|c| c.location == location) {
            Some(i) => i,
            None => {
                out.push(Choice { location, stages: 0, states: Vec::new() });
                out.len() - 1
            }
        };
        let choice = &mut out[at];
        choice.stages += 1;
        if !choice.states.iter().any(|x| **x == *s.state) {
            choice.states.push(s.state.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_is_found_at_any_depth() {
        assert_eq!(branch_of("Fan › branch 2", "Fan").as_deref(), Some("Fan › branch 2"));
        let deep = "Outer › item 0 › Inner › item 3";
        assert_eq!(branch_of(deep, "Outer").as_deref(), Some("Outer › item 0"));
        assert_eq!(branch_of(deep, "Inner").as_deref(), Some(deep));
        assert_eq!(branch_of(deep, "item 0"), None, "only state names count");
        assert_eq!(branch_of("", "Fan"), None);
    }

    #[test]
    fn the_innermost_container_of_a_location() {
        assert_eq!(innermost_container("Fan › branch 2"), Some("Fan"));
        assert_eq!(innermost_container("Outer › item 0 › Inner › item 3"), Some("Inner"));
        assert_eq!(innermost_container(""), None);
    }

    #[test]
    fn inside_means_the_same_location_or_below_it() {
        assert!(inside("Fan › branch 1", "Fan › branch 1"));
        assert!(inside("Fan › branch 1 › Map › item 0", "Fan › branch 1"));
        assert!(!inside("Fan › branch 10", "Fan › branch 1"));
        assert!(!inside("", "Fan › branch 1"));
    }
}
