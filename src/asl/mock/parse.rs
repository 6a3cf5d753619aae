//! Text → [`MockConfig`], with a diagnostic (code `ASL4xx`, span, JSON Pointer) for every part
//! that does not fit the `MockConfigFile` format. Parsing goes on after an error, so one run
//! shows every problem.

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::engine::tasks::TaskAnswer;
use crate::asl::json_text::parse_json;
use crate::asl::suggest::did_you_mean;
use crate::asl::tree::{Member, Node, NodeKind, pointer_token};

use super::{MockConfig, MockMachine, MockedResponse, ResponseStep, StateMock, TestCase};

/// A parsed mock config and what was wrong with it. `config` is `None` only when the text is
/// not JSON at all; with errors it holds what could be read.
#[derive(Debug)]
pub struct MockParse {
    pub config: Option<MockConfig>,
    pub diagnostics: Vec<Diagnostic>,
}

impl MockParse {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub fn parse_mock_config(text: &str) -> MockParse {
    let (root, mut diagnostics) = match parse_json(text) {
        Ok(parsed) => parsed,
        Err(d) => return MockParse { config: None, diagnostics: vec![d] },
    };
    let mut p = Parser { diagnostics: Vec::new() };
    let config = p.config(&root);
    diagnostics.append(&mut p.diagnostics);
    MockParse { config: Some(config), diagnostics }
}

struct Parser {
    diagnostics: Vec<Diagnostic>,
}

fn ptr(parent: &str, key: &str) -> String {
    format!("{parent}/{}", pointer_token(key))
}

impl Parser {
    fn error(&mut self, code: &'static str, node_span: crate::asl::source::Span, pointer: String, message: String) {
        self.diagnostics.push(Diagnostic::error(code, message).at(node_span).pointer(pointer));
    }

    /// The members of an object, or a diagnostic naming what it should have been.
    fn object<'n>(&mut self, node: &'n Node, pointer: &str, what: &str) -> &'n [Member] {
        match node.as_object() {
            Some(m) => m,
            None => {
                let msg = format!("{what} must be an object, not {}", node.type_name());
                self.error(codes::MOCK_FORMAT, node.span, pointer.to_string(), msg);
                &[]
            }
        }
    }

    fn config(&mut self, root: &Node) -> MockConfig {
        let mut config = MockConfig::default();
        let members = self.object(root, "", "a mock config");
        for m in members {
            match m.key.as_str() {
                "StateMachines" => {
                    for machine in self.object(&m.value, "/StateMachines", "StateMachines") {
                        config.machines.push(self.machine(machine));
                    }
                }
                "MockedResponses" => {
                    for response in self.object(&m.value, "/MockedResponses", "MockedResponses") {
                        config.responses.push(self.response(response));
                    }
                }
                other => {
                    let hint = did_you_mean(other, ["StateMachines", "MockedResponses"]);
                    let mut d =
                        Diagnostic::error(codes::MOCK_FORMAT, format!("unknown field '{other}' in a mock config"))
                            .at(m.key_span)
                            .pointer(ptr("", other));
                    if let Some(h) = hint {
                        d = d.help(h);
                    }
                    self.diagnostics.push(d);
                }
            }
        }
        if root.as_object().is_some() && root.get("StateMachines").is_none() {
            self.error(codes::MOCK_FORMAT, root.span, String::new(), "a mock config needs 'StateMachines'".into());
        }
        self.check_response_names(&config);
        config
    }

    fn machine(&mut self, m: &Member) -> MockMachine {
        let pointer = ptr("/StateMachines", &m.key);
        let mut machine = MockMachine { name: m.key.clone(), span: m.key_span, test_cases: Vec::new() };
        for f in self.object(&m.value, &pointer, &format!("state machine '{}'", m.key)) {
            if f.key != "TestCases" {
                let msg = format!("unknown field '{}' in state machine '{}' (only 'TestCases')", f.key, m.key);
                self.error(codes::MOCK_FORMAT, f.key_span, ptr(&pointer, &f.key), msg);
                continue;
            }
            let cases_ptr = ptr(&pointer, "TestCases");
            for case in self.object(&f.value, &cases_ptr, "TestCases") {
                let case_ptr = ptr(&cases_ptr, &case.key);
                let mut test = TestCase { name: case.key.clone(), span: case.key_span, mocks: Vec::new() };
                for s in self.object(&case.value, &case_ptr, &format!("test case '{}'", case.key)) {
                    match s.value.as_str() {
                        Some(response) => test.mocks.push(StateMock {
                            state: s.key.clone(),
                            state_span: s.key_span,
                            response: response.to_string(),
                            response_span: s.value.span,
                        }),
                        None => {
                            let msg = format!(
                                "state '{}' must name a mocked response (a string), not {}",
                                s.key,
                                s.value.type_name()
                            );
                            self.error(codes::MOCK_FORMAT, s.value.span, ptr(&case_ptr, &s.key), msg);
                        }
                    }
                }
                machine.test_cases.push(test);
            }
        }
        if m.value.get("TestCases").is_none() && m.value.as_object().is_some() {
            let msg = format!("state machine '{}' needs 'TestCases'", m.key);
            self.error(codes::MOCK_FORMAT, m.key_span, pointer, msg);
        }
        machine
    }

    fn response(&mut self, m: &Member) -> MockedResponse {
        let pointer = ptr("/MockedResponses", &m.key);
        let mut response = MockedResponse { name: m.key.clone(), span: m.key_span, steps: Vec::new() };
        for step in self.object(&m.value, &pointer, &format!("mocked response '{}'", m.key)) {
            let step_ptr = ptr(&pointer, &step.key);
            let Some((first, last)) = invocation_range(&step.key) else {
                let msg = format!(
                    "'{}' is not an invocation number or range: use \"0\", \"1\" or \"1-3\" (0-based, first ≤ last)",
                    step.key
                );
                self.error(codes::MOCK_BAD_RANGE, step.key_span, step_ptr, msg);
                continue;
            };
            if let Some(answer) = self.answer(&step.value, &step_ptr) {
                response.steps.push(ResponseStep { first, last, answer, span: step.key_span });
            }
        }
        response.steps.sort_by_key(|s| s.first);
        // Step Functions Local requires the ranges to cover 0, 1, 2, … without gaps or overlaps.
        let mut next = 0u32;
        for s in &response.steps {
            if s.first != next {
                let msg = if s.first < next {
                    format!("invocation {} of '{}' is mocked twice", s.first, m.key)
                } else {
                    let missing = match s.first - 1 {
                        last if last == next => format!("invocation {next}"),
                        last => format!("invocations {next}–{last}"),
                    };
                    format!("{missing} of '{}' has no answer: ranges must follow on from 0", m.key)
                };
                self.diagnostics.push(
                    Diagnostic::error(codes::MOCK_BAD_RANGE, msg)
                        .at(s.span)
                        .pointer(ptr(&pointer, &format!("{}", s.first))),
                );
            }
            next = next.max(s.last.saturating_add(1));
        }
        response
    }

    /// `{"Return": value}` or `{"Throw": {"Error": …, "Cause": …}}`.
    fn answer(&mut self, node: &Node, pointer: &str) -> Option<TaskAnswer> {
        let members = self.object(node, pointer, "a mocked answer");
        let mut answer = None;
        for f in members {
            let f_ptr = ptr(pointer, &f.key);
            let got = match f.key.as_str() {
                "Return" => Some(TaskAnswer::Return(f.value.to_value())),
                "Throw" => self.throw(&f.value, &f_ptr),
                other => {
                    let mut d = Diagnostic::error(
                        codes::MOCK_FORMAT,
                        format!("unknown field '{other}' in a mocked answer (expected 'Return' or 'Throw')"),
                    )
                    .at(f.key_span)
                    .pointer(f_ptr);
                    if let Some(h) = did_you_mean(other, ["Return", "Throw"]) {
                        d = d.help(h);
                    }
                    self.diagnostics.push(d);
                    None
                }
            };
            if got.is_some() && answer.is_some() {
                let msg = "a mocked answer has both 'Return' and 'Throw'".to_string();
                self.error(codes::MOCK_FORMAT, f.key_span, ptr(pointer, &f.key), msg);
                return None;
            }
            answer = answer.or(got);
        }
        // An object with neither field (a bad Throw was reported where it is).
        if node.as_object().is_some() && node.get("Return").is_none() && node.get("Throw").is_none() {
            let msg = "a mocked answer needs 'Return' or 'Throw'".to_string();
            self.error(codes::MOCK_FORMAT, node.span, pointer.to_string(), msg);
        }
        answer
    }

    fn throw(&mut self, node: &Node, pointer: &str) -> Option<TaskAnswer> {
        let mut error = None;
        let mut cause = None;
        for f in self.object(node, pointer, "Throw") {
            let f_ptr = ptr(pointer, &f.key);
            let slot = match f.key.as_str() {
                "Error" => &mut error,
                "Cause" => &mut cause,
                other => {
                    let msg = format!("unknown field '{other}' in Throw (expected 'Error' and 'Cause')");
                    self.error(codes::MOCK_FORMAT, f.key_span, f_ptr, msg);
                    continue;
                }
            };
            match &f.value.kind {
                NodeKind::String(s) => *slot = Some(s.clone()),
                _ => {
                    let msg = format!("Throw.{} must be a string, not {}", f.key, f.value.type_name());
                    self.error(codes::MOCK_FORMAT, f.value.span, f_ptr, msg);
                }
            }
        }
        match error {
            Some(error) => Some(TaskAnswer::Throw { error, cause }),
            None => {
                if node.as_object().is_some() {
                    self.error(codes::MOCK_FORMAT, node.span, pointer.to_string(), "Throw needs an 'Error'".into());
                }
                None
            }
        }
    }

    /// Every response a test case names must exist.
    fn check_response_names(&mut self, config: &MockConfig) {
        let names: Vec<&str> = config.responses.iter().map(|r| r.name.as_str()).collect();
        for machine in &config.machines {
            for case in &machine.test_cases {
                for mock in &case.mocks {
                    if names.contains(&mock.response.as_str()) {
                        continue;
                    }
                    let mut d = Diagnostic::error(
                        codes::MOCK_UNKNOWN_RESPONSE,
                        format!(
                            "test case '{}' uses '{}', which MockedResponses does not define",
                            case.name, mock.response
                        ),
                    )
                    .at(mock.response_span)
                    .pointer(format!(
                        "/StateMachines/{}/TestCases/{}/{}",
                        pointer_token(&machine.name),
                        pointer_token(&case.name),
                        pointer_token(&mock.state)
                    ));
                    if let Some(h) = did_you_mean(&mock.response, names.iter().copied()) {
                        d = d.help(h);
                    }
                    self.diagnostics.push(d);
                }
            }
        }
    }
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2); anything else (signs, blanks, first > last) → `None`.
fn invocation_range(key: &str) -> Option<(u32, u32)> {
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match key.split_once('-') {
        None => number(key).map(|n| (n, n)),
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            (a <= b).then_some((a, b))
        }
    }
}
