//! Answering a Task that has no mock: the dialog's fields, its keys, and the checks an answer
//! must pass before the execution takes it. Also where saved answers go (a mock config beside
//! the definition). No terminal and no files here; the runtime writes what `mock_file` names.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

use crate::asl::engine::tasks::{RecordedAnswers, TaskAnswer};
use crate::asl::mock::to_mock_config;

/// AWS's limits on `SendTaskFailure`: an error name of at most 256 characters, a cause of at
/// most 32,768.
pub const MAX_ERROR_CHARS: usize = 256;
pub const MAX_CAUSE_CHARS: usize = 32_768;

/// The test case saved answers are written under.
pub const TEST_CASE: &str = "Recorded";

/// The dialog's text fields, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The task's result, as JSON.
    Result,
    /// Or: the task failed with this error name…
    Error,
    /// …and this cause.
    Cause,
}

impl Field {
    fn next(self) -> Field {
        match self {
            Field::Result => Field::Error,
            Field::Error => Field::Cause,
            Field::Cause => Field::Result,
        }
    }

    fn prev(self) -> Field {
        self.next().next()
    }
}

/// What the person typed so far.
#[derive(Clone, Debug)]
pub struct AnswerDialog {
    pub field: Field,
    pub result: String,
    pub error: String,
    pub cause: String,
    /// Why the last Enter was refused.
    pub problem: Option<String>,
}

/// What a key in the dialog asks for.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Still typing.
    Editing,
    Answer(TaskAnswer),
    /// Esc: close the dialog, the execution stays paused on the task.
    Later,
    Quit,
}

impl Default for AnswerDialog {
    fn default() -> Self {
        AnswerDialog {
            field: Field::Result,
            result: String::new(),
            error: String::new(),
            cause: String::new(),
            problem: None,
        }
    }
}

impl AnswerDialog {
    /// The dialog for `request`, pre-filled with what its resource returns (for `lambda:invoke`,
    /// `{"StatusCode": 200, "Payload": {}, …}`) for the person to edit.
    pub fn for_request(request: &crate::asl::engine::tasks::TaskRequest) -> AnswerDialog {
        let shape = crate::asl::resource::result_shape(&request.resource);
        AnswerDialog { result: shape.to_string(), ..AnswerDialog::default() }
    }

    /// The dialog showing an answer given before, to revise it.
    pub fn revising(answer: &TaskAnswer) -> AnswerDialog {
        match answer {
            TaskAnswer::Return(v) => AnswerDialog { result: v.to_string(), ..AnswerDialog::default() },
            TaskAnswer::Throw { error, cause } => AnswerDialog {
                field: Field::Error,
                error: error.clone(),
                cause: cause.clone().unwrap_or_default(),
                ..AnswerDialog::default()
            },
        }
    }

    /// Pasted text goes into the field under the cursor as typed text (newlines included: a
    /// pasted multi-line JSON stays one answer, it never presses Enter).
    pub fn paste(&mut self, text: &str) {
        let text = text.replace(['\r', '\n'], " ");
        self.text().push_str(&text);
        self.problem = None;
    }

    fn text(&mut self) -> &mut String {
        match self.field {
            Field::Result => &mut self.result,
            Field::Error => &mut self.error,
            Field::Cause => &mut self.cause,
        }
    }

    /// Applies one key. Enter on the result field answers with the result, on the error or
    /// cause field with the error; an answer that does not check stays in the dialog with the
    /// reason shown.
    pub fn key(&mut self, k: &KeyEvent) -> Outcome {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('c') if ctrl => return Outcome::Quit,
            KeyCode::Char('u') if ctrl => self.text().clear(),
            KeyCode::Char(c) if !ctrl => self.text().push(c),
            KeyCode::Backspace => {
                self.text().pop();
            }
            KeyCode::Tab | KeyCode::Down => self.field = self.field.next(),
            KeyCode::BackTab | KeyCode::Up => self.field = self.field.prev(),
            KeyCode::Esc => return Outcome::Later,
            KeyCode::Enter => match self.check() {
                Ok(answer) => return Outcome::Answer(answer),
                Err(why) => {
                    self.problem = Some(why);
                    return Outcome::Editing;
                }
            },
            _ => {}
        }
        self.problem = None;
        Outcome::Editing
    }

    /// The answer the fields make, if it is one AWS would accept.
    pub fn check(&self) -> Result<TaskAnswer, String> {
        if self.field == Field::Result {
            if self.result.trim().is_empty() {
                return Err("type the result as JSON (e.g. {\"ok\": true}), or Tab to give an error".into());
            }
            return serde_json::from_str::<Value>(&self.result)
                .map(TaskAnswer::Return)
                .map_err(|e| format!("the result is not JSON: {e}"));
        }
        let error = self.error.trim();
        if error.is_empty() {
            return Err("a failed task needs an error name (e.g. States.TaskFailed)".into());
        }
        if error.chars().count() > MAX_ERROR_CHARS {
            return Err(format!("an error name has at most {MAX_ERROR_CHARS} characters"));
        }
        if self.cause.chars().count() > MAX_CAUSE_CHARS {
            return Err(format!("a cause has at most {MAX_CAUSE_CHARS} characters"));
        }
        let cause = (!self.cause.is_empty()).then(|| self.cause.clone());
        Ok(TaskAnswer::Throw { error: error.to_owned(), cause })
    }
}

/// Where `w` saves the answers of `definition`: `NAME.answers.mock.json` beside it (a name of
/// its own, so a hand-written `NAME.mock.json` is never overwritten).
pub fn mock_file(definition: &str) -> String {
    let path = std::path::Path::new(definition);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(definition);
    let stem = machine_name(name);
    let file = format!("{stem}.answers.mock.json");
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.join(file).display().to_string(),
        None => file,
    }
}

/// `order` for `order.asl.json`, `order.json`, `order.asl.yaml`…
fn machine_name(file: &str) -> &str {
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    stem.strip_suffix(".asl").unwrap_or(stem)
}

/// The answers as a mock config: one state machine named after the definition, one test case
/// ([`TEST_CASE`]).
pub fn mock_config(definition: &str, answers: &RecordedAnswers) -> Value {
    let name = std::path::Path::new(definition).file_name().and_then(|n| n.to_str()).unwrap_or(definition);
    to_mock_config(machine_name(name), TEST_CASE, answers.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(dialog: &mut AnswerDialog, text: &str) {
        for c in text.chars() {
            dialog.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn enter(dialog: &mut AnswerDialog) -> Outcome {
        dialog.key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
    }

    #[test]
    fn a_result_must_be_json() {
        let mut d = AnswerDialog::default();
        typed(&mut d, "{\"ok\": tru");
        assert_eq!(enter(&mut d), Outcome::Editing);
        assert!(d.problem.as_deref().is_some_and(|p| p.starts_with("the result is not JSON")), "{:?}", d.problem);
        typed(&mut d, "e}");
        assert_eq!(d.problem, None, "typing clears the complaint");
        assert_eq!(enter(&mut d), Outcome::Answer(TaskAnswer::Return(serde_json::json!({"ok": true}))));
    }

    #[test]
    fn an_error_needs_a_name_and_the_cause_is_optional() {
        let mut d = AnswerDialog::default();
        d.key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        assert_eq!(enter(&mut d), Outcome::Editing);
        assert!(d.problem.is_some());
        typed(&mut d, "Rejected");
        assert_eq!(enter(&mut d), Outcome::Answer(TaskAnswer::Throw { error: "Rejected".into(), cause: None }));
        d.key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        typed(&mut d, "over budget");
        assert_eq!(
            enter(&mut d),
            Outcome::Answer(TaskAnswer::Throw { error: "Rejected".into(), cause: Some("over budget".into()) })
        );
        d.error = "x".repeat(MAX_ERROR_CHARS + 1);
        assert!(d.check().is_err());
    }

    #[test]
    fn answers_are_saved_beside_the_definition() {
        assert_eq!(mock_file("machines/order.asl.json"), "machines/order.answers.mock.json");
        assert_eq!(mock_file("order.json"), "order.answers.mock.json");
        let mut answers = RecordedAnswers::default();
        answers.record("Charge", 0, TaskAnswer::Return(serde_json::json!(1)));
        let config = mock_config("machines/order.asl.json", &answers);
        assert_eq!(config["StateMachines"]["order"]["TestCases"]["Recorded"]["Charge"], "Charge (Recorded)");
    }
}
