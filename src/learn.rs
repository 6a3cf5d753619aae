//! `statescope learn`: lessons that teach ASL, each a starting definition, an input, task
//! results from a mock config, a goal and hints. Checking a learner's definition against the
//! goal runs the engine headless, so the command line (`learn --check`) and the debugger share
//! [`Lesson::check`]. Pure: no files, no terminal (the lessons are compiled in, see `catalog`).

pub mod catalog;
mod check;
pub mod goal;

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::asl::engine::tasks::{NoTasks, TaskSource};
use crate::asl::mock::{MockSource, parse_mock_config};
use crate::asl::workflow::WorkflowType;

pub use goal::{Goal, Verdict};

/// One lesson as `sample-machines/lessons/NN-name/lesson.json` describes it, with its files.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// Its position in `learn`'s list, from 1 (the folder's `NN`).
    pub number: usize,
    /// The folder name, `NN-name`; the starting definition is `NN-name.asl.json`.
    pub slug: &'static str,
    pub title: String,
    /// What the lesson teaches, in a sentence or two.
    pub teaches: String,
    /// What the learner must achieve, in words.
    pub goal_text: String,
    pub hints: Vec<String>,
    /// What the run must show, checked in order.
    pub goals: Vec<Goal>,
    /// The starting definition, as shipped.
    pub start: &'static str,
    /// The execution input (`NN-name.input.json`).
    pub input: &'static str,
    /// Task results (`NN-name.mock.json`) and the test case to use, when the lesson has Tasks.
    pub mock: Option<LessonMock>,
    /// The type the machine is checked and run as (`"workflowType"`, default `STANDARD`): an
    /// Express lesson gets Express's validation (no `.sync`, no callbacks) and its limits.
    pub workflow_type: WorkflowType,
}

/// The mock config a lesson's tasks are answered from.
#[derive(Clone, Debug)]
pub struct LessonMock {
    pub text: &'static str,
    pub test_case: String,
}

/// A `lesson.json` that does not describe a lesson: which lesson, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub slug: String,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lesson {}: {}", self.slug, self.message)
    }
}

impl std::error::Error for LessonError {}

/// The files of one lesson folder, as compiled in.
#[derive(Clone, Copy, Debug)]
pub struct LessonFiles {
    pub slug: &'static str,
    pub lesson: &'static str,
    pub start: &'static str,
    pub input: &'static str,
    pub mock: Option<&'static str>,
}

impl Lesson {
    /// Reads a lesson's `lesson.json`; `number` is its place in the list.
    pub fn parse(number: usize, files: &LessonFiles) -> Result<Lesson, LessonError> {
        let err = |message: String| LessonError { slug: files.slug.to_owned(), message };
        let doc: Value =
            serde_json::from_str(files.lesson).map_err(|e| err(format!("lesson.json is not JSON: {e}")))?;
        let text = |key: &str| -> Result<String, LessonError> {
            doc.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| err(format!("'{key}' must be a string")))
        };
        let hints = match doc.get("hints") {
            Some(Value::Array(a)) => a
                .iter()
                .map(|h| h.as_str().map(str::to_owned).ok_or_else(|| err("every hint must be a string".into())))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(err("'hints' must be an array of strings".into())),
        };
        let goals = match doc.get("checks") {
            Some(Value::Array(a)) if !a.is_empty() => {
                a.iter().map(Goal::parse).collect::<Result<Vec<_>, _>>().map_err(err)?
            }
            _ => return Err(err("'checks' must be a non-empty array".into())),
        };
        let mock = match (doc.get("testCase"), files.mock) {
            (Some(Value::String(case)), Some(text)) => Some(LessonMock { text, test_case: case.clone() }),
            (None, None) => None,
            (Some(_), None) => return Err(err("'testCase' is given but the lesson has no mock config".into())),
            (None, Some(_)) => return Err(err("the lesson has a mock config but no 'testCase'".into())),
            (Some(_), Some(_)) => return Err(err("'testCase' must be a string".into())),
        };
        let workflow_type = match doc.get("workflowType") {
            None => WorkflowType::Standard,
            Some(v) => v
                .as_str()
                .and_then(WorkflowType::parse)
                .ok_or_else(|| err("'workflowType' must be \"STANDARD\" or \"EXPRESS\"".into()))?,
        };
        Ok(Lesson {
            number,
            slug: files.slug,
            title: text("title")?,
            teaches: text("teaches")?,
            goal_text: text("goal")?,
            hints,
            goals,
            start: files.start,
            input: files.input,
            mock,
            workflow_type,
        })
    }

    /// The starting definition's file name, `NN-name.asl.json`.
    pub fn file_name(&self) -> String {
        format!("{}.asl.json", self.slug)
    }

    /// Whether `name` picks this lesson: its number (`3`, `03`), its folder name
    /// (`03-parameters`) or the folder name without the number (`parameters`).
    pub fn is_named(&self, name: &str) -> bool {
        if let Ok(n) = name.parse::<usize>() {
            return n == self.number;
        }
        let bare = self.slug.split_once('-').map_or(self.slug, |(_, rest)| rest);
        name.eq_ignore_ascii_case(self.slug) || name.eq_ignore_ascii_case(bare)
    }

    /// The execution input.
    pub fn input_value(&self) -> Result<Value, String> {
        serde_json::from_str(self.input).map_err(|e| format!("lesson {}: its input is not JSON: {e}", self.slug))
    }

    /// Where the lesson's tasks get their results: its mock config's test case (none without).
    pub fn tasks(&self) -> Result<Arc<dyn TaskSource>, String> {
        let Some(mock) = &self.mock else { return Ok(Arc::new(NoTasks)) };
        let parsed = parse_mock_config(mock.text);
        let config = parsed.config.ok_or_else(|| format!("lesson {}: its mock config does not parse", self.slug))?;
        let source = MockSource::new(&config, None, &mock.test_case)
            .map_err(|e| format!("lesson {}: its mock config: {e}", self.slug))?;
        Ok(Arc::new(source))
    }

    /// Checks a learner's definition against the goal: runs it headless on the lesson's input
    /// and mock and compares. An empty verdict means the lesson is solved.
    pub fn check(&self, name: &str, definition: &str) -> Verdict {
        check::check(self, name, definition)
    }
}

/// Finds a lesson by number or name in a list.
pub fn find<'a>(lessons: &'a [Lesson], name: &str) -> Option<&'a Lesson> {
    lessons.iter().find(|l| l.is_named(name))
}
