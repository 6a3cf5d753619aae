//! A test case of a mock config as a [`TaskSource`]: each mocked state answers from its
//! response by invocation number; unmocked states get no answer (the execution pauses).

use std::collections::HashMap;

use crate::asl::engine::tasks::{TaskAnswer, TaskRequest, TaskSource};

use super::{MockConfig, MockError, MockedResponse};

#[derive(Clone, Debug, Default)]
pub struct MockSource {
    /// State name → its response.
    states: HashMap<String, MockedResponse>,
}

impl MockSource {
    /// The source for `test_case` of `machine` (or of the only machine). Responses a test case
    /// names but the config lacks were reported by the parser; such states stay unanswered.
    pub fn new(config: &MockConfig, machine: Option<&str>, test_case: &str) -> Result<MockSource, MockError> {
        let case = config.machine(machine)?.test_case(test_case)?;
        let states = case
            .mocks
            .iter()
            .filter_map(|m| config.response(&m.response).map(|r| (m.state.clone(), r.clone())))
            .collect();
        Ok(MockSource { states })
    }

    /// Whether `state` has a mocked response in this test case.
    pub fn mocks(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }
}

impl TaskSource for MockSource {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer> {
        self.states.get(&request.state)?.answer(request.invocation).cloned()
    }
}
