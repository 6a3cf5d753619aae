//! Mock configs in AWS Step Functions Local's `MockConfigFile` format: which test cases exist
//! for which state machine, and what each mocked Task state returns or throws on its n-th
//! invocation. Pure: text in, a parsed config with spans (diagnostics point at file:line:col),
//! and a [`MockSource`] that answers the engine's task requests.
//!
//! ```json
//! {"StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
//!  "MockedResponses": {"ChargeOk": {"0": {"Return": {"id": 1}}},
//!                      "Flaky": {"0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
//!                                "2": {"Return": {}}}}}
//! ```

mod check;
mod parse;
mod source;
mod write;

use crate::asl::engine::tasks::TaskAnswer;
use crate::asl::source::Span;

pub use check::check_against;
pub use parse::{MockParse, parse_mock_config};
pub use source::MockSource;
pub use write::to_mock_config;

/// A whole mock config file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MockConfig {
    /// In source order.
    pub machines: Vec<MockMachine>,
    pub responses: Vec<MockedResponse>,
}

/// `StateMachines.<name>`.
#[derive(Clone, Debug, PartialEq)]
pub struct MockMachine {
    pub name: String,
    pub span: Span,
    pub test_cases: Vec<TestCase>,
}

/// `StateMachines.<machine>.TestCases.<name>`: which response each mocked state uses.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    pub name: String,
    pub span: Span,
    pub mocks: Vec<StateMock>,
}

/// `"<state>": "<response>"` inside a test case. Nested states (inside Parallel or Map) are
/// named by their state name alone, as Step Functions Local does.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMock {
    pub state: String,
    pub state_span: Span,
    pub response: String,
    pub response_span: Span,
}

/// `MockedResponses.<name>`: answers by invocation number.
#[derive(Clone, Debug, PartialEq)]
pub struct MockedResponse {
    pub name: String,
    pub span: Span,
    /// Sorted by invocation, contiguous from 0 (the parser reports gaps and overlaps).
    pub steps: Vec<ResponseStep>,
}

/// `"0"` or `"1-2"` → one answer for those invocations (0-based, retries count).
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseStep {
    pub first: u32,
    pub last: u32,
    pub answer: TaskAnswer,
    pub span: Span,
}

impl MockedResponse {
    /// The answer for the `invocation`-th call. Past the last range the last answer repeats, so
    /// a retried task keeps getting its final mocked result instead of pausing the run.
    pub fn answer(&self, invocation: u32) -> Option<&TaskAnswer> {
        self.steps
            .iter()
            .find(|s| (s.first..=s.last).contains(&invocation))
            .or_else(|| self.steps.last())
            .map(|s| &s.answer)
    }
}

/// Choosing a machine or test case failed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MockError {
    #[error("the mock config defines no state machine")]
    NoMachine,
    #[error("the mock config defines several state machines ({}); choose one with --state-machine", .0.join(", "))]
    SeveralMachines(Vec<String>),
    #[error("the mock config has no state machine '{name}' (it has: {})", available.join(", "))]
    UnknownMachine { name: String, available: Vec<String> },
    #[error("state machine '{machine}' has no test case '{name}' in the mock config (it has: {})", available.join(", "))]
    UnknownTestCase { machine: String, name: String, available: Vec<String> },
}

impl MockConfig {
    /// The machine named `name`, or the only one when no name is given.
    pub fn machine(&self, name: Option<&str>) -> Result<&MockMachine, MockError> {
        let names = || self.machines.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
        match name {
            Some(n) => self
                .machines
                .iter()
                .find(|m| m.name == n)
                .ok_or_else(|| MockError::UnknownMachine { name: n.to_string(), available: names() }),
            None => match self.machines.as_slice() {
                [] => Err(MockError::NoMachine),
                [only] => Ok(only),
                _ => Err(MockError::SeveralMachines(names())),
            },
        }
    }

    pub fn response(&self, name: &str) -> Option<&MockedResponse> {
        self.responses.iter().find(|r| r.name == name)
    }
}

impl MockMachine {
    pub fn test_case(&self, name: &str) -> Result<&TestCase, MockError> {
        self.test_cases.iter().find(|t| t.name == name).ok_or_else(|| MockError::UnknownTestCase {
            machine: self.name.clone(),
            name: name.to_string(),
            available: self.test_cases.iter().map(|t| t.name.clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests;
