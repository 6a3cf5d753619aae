//! JSONPath as AWS Step Functions evaluates it (the Jayway dialect, rule 4.1): query paths,
//! reference paths, the `$$` context root and `$name` variables. Parsed once at load time into
//! a list of steps; evaluated over `serde_json::Value` without copying the document (only the
//! selected value is cloned). No I/O.
//!
//! - [`Path::select`]: the value a field such as InputPath gets (rules 4.4, 4.9).
//! - [`Path::select_located`]: every match with its normalized path, for the debugger.
//! - [`Path::assign`]: ResultPath's write into the raw input (rules 4.11, 4.12).

mod assign;
mod ast;
mod eval;
mod filter;
mod functions;
mod parse;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde_json::{Map, Value};

use ast::Step;

/// What `$`, `$$` and `$name` refer to during one evaluation.
#[derive(Clone, Copy)]
pub struct Roots<'a> {
    /// `$`: the value the path is applied to (state input, effective input, result, …).
    pub input: &'a Value,
    /// `$$`: the context object (Execution, State, StateMachine, Task, Map).
    pub context: &'a Value,
    /// `$name`: the variables in scope.
    pub variables: &'a dyn Variables,
}

/// Variable lookup, so scopes (Map iterations, Parallel branches) can chain without copying.
pub trait Variables {
    fn variable(&self, name: &str) -> Option<&Value>;
}

impl Variables for Map<String, Value> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// A parsed JSONPath (query path, reference path, `$$…` context path or `$name…` variable path).
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// Shared: Choice explanations quote it on every evaluation.
    text: std::sync::Arc<str>,
    root: Root,
    steps: Vec<Step>,
    reference: bool,
    definite: bool,
    /// Unquoted words the filters compare as strings, as (character offset, word).
    unquoted: Vec<(usize, String)>,
}

/// Which value a path starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// `$`
    Input,
    /// `$$`
    Context,
    /// `$name`
    Variable(String),
}

/// A path that does not parse; `offset` is a character offset into the path text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PathSyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Why evaluating a path produced no value. The messages are Jayway's, which AWS quotes after
/// "Invalid path '$.x' : " (rule 4.9).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// A definite path matched nothing; `normalized` is the whole path in Jayway's bracket
    /// form, `$['x']`.
    #[error("No results for path: {normalized}")]
    NoResults { normalized: String },
    /// A name before the last step is missing; `normalized` runs up to that name.
    #[error("Missing property in path {normalized}")]
    MissingProperty { normalized: String },
    /// A step met the wrong kind of value (a name on a string, an index on an object, …).
    #[error("{message}")]
    Mismatch { message: String },
    /// A path function failed (an aggregation over no numbers, an index out of range, …).
    #[error("{message}")]
    Function { message: String },
    /// A `$…` path applied to a null input. AWS refuses this before looking at the path, even
    /// for `$` itself (seen with `"Input.$": "$"` after a Lambda returned null).
    #[error("Unable to apply Path transformation to null or empty input.")]
    NullInput,
    /// `$name` names no variable in scope.
    #[error("undefined variable '{name}'")]
    UndefinedVariable { name: String },
}

/// Why ResultPath could not be applied (rule 4.12).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    /// The raw input (or a node on the way) is not an object, or an index is out of range:
    /// AWS's `States.ResultPathMatchFailure`; `input` is the raw input as JSON text.
    #[error("Unable to apply ReferencePath {path} to input {input}")]
    MatchFailure { path: String, input: String },
    /// Only reference paths on `$` can be written to (rules 2.18, 4.6).
    #[error("'{path}' is not a reference path on '$' and cannot be written to")]
    NotReference { path: String },
}

/// One match of [`Path::select_located`].
#[derive(Clone, Debug, PartialEq)]
pub struct Located<'a> {
    /// Where the value sits, in Jayway's bracket form (`$['a'][0]`), relative to the root.
    pub path: String,
    /// Borrowed from the document, or computed (a function result, merged keys).
    pub value: Cow<'a, Value>,
}

impl Path {
    /// Parses a path once, at load time. A syntax error carries the character offset of the
    /// problem so diagnostics can point inside the string.
    pub fn parse(text: &str) -> Result<Path, PathSyntaxError> {
        let parsed = parse::parse(text)?;
        let steps = parsed.steps;
        let n = steps.len();
        let definite = steps.iter().enumerate().all(|(i, s)| s.is_definite(i + 1 == n));
        Ok(Path {
            text: text.into(),
            root: parsed.root,
            steps,
            reference: parsed.reference,
            definite,
            unquoted: parsed.unquoted,
        })
    }

    /// Unquoted words in filter comparisons (`@.code==es`), as (character offset, word): AWS
    /// accepts them at creation, statescope compares them as the string of that word.
    pub fn unquoted_literals(&self) -> &[(usize, String)] {
        &self.unquoted
    }

    /// The path exactly as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The path as written, shared rather than copied.
    pub fn shared_text(&self) -> std::sync::Arc<str> {
        self.text.clone()
    }

    /// Whether the path starts at the input, the context object or a variable.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Only `.name`, `['name']` and `[n]` steps (rule 4.6).
    pub fn is_reference_path(&self) -> bool {
        self.reference
    }

    /// A definite path yields one value; an indefinite one (`..`, `*`, filters, unions,
    /// slices) yields an array of its matches, possibly empty (rule 4.4).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// The name of a path function the path ends with (`$.a.length()` → `length`). AWS
    /// accepts such paths but fails them at runtime, so [`Path::select`] does too.
    pub fn trailing_function(&self) -> Option<&'static str> {
        match self.steps.last() {
            Some(Step::Function(f)) => Some(f.name()),
            _ => None,
        }
    }

    /// The value the path selects: the value itself for a definite path (an error if it is
    /// missing, rule 4.9), the array of matches for an indefinite one (rule 4.4).
    pub fn select(&self, roots: &Roots) -> Result<Value, SelectError> {
        let doc = self.start(roots)?;
        if let Some(v) = eval::simple(&self.steps, doc) {
            return Ok(v.clone());
        }
        let mut hits = self.run(doc, false)?;
        if self.definite {
            Ok(hits.pop().map(|h| h.value.into_owned()).unwrap_or(Value::Null))
        } else {
            Ok(Value::Array(hits.into_iter().map(|h| h.value.into_owned()).collect()))
        }
    }

    /// Every match with its normalized location, for explaining what a path selected. A
    /// definite path gives exactly one entry (or the error [`Path::select`] gives).
    pub fn select_located<'a>(&self, roots: &Roots<'a>) -> Result<Vec<Located<'a>>, SelectError> {
        let doc = self.start(roots)?;
        Ok(self
            .run(doc, true)?
            .into_iter()
            .map(|h| Located { path: h.location.unwrap_or_default(), value: h.value })
            .collect())
    }

    /// ResultPath: `value` written into `target` at this path, creating missing objects on the
    /// way and replacing what is there (rules 4.11, 4.12).
    pub fn assign(&self, target: Value, value: Value) -> Result<Value, AssignError> {
        if self.root != Root::Input || !self.reference {
            return Err(AssignError::NotReference { path: self.text.to_string() });
        }
        assign::assign(&self.steps, target, value)
            .map_err(|target| AssignError::MatchFailure { path: self.text.to_string(), input: target.to_string() })
    }

    fn start<'a>(&self, roots: &Roots<'a>) -> Result<&'a Value, SelectError> {
        match &self.root {
            Root::Input if roots.input.is_null() => Err(SelectError::NullInput),
            Root::Input => Ok(roots.input),
            Root::Context => Ok(roots.context),
            Root::Variable(name) => {
                roots.variables.variable(name).ok_or_else(|| SelectError::UndefinedVariable { name: name.clone() })
            }
        }
    }

    fn run<'a>(&self, doc: &'a Value, trace: bool) -> Result<Vec<eval::Hit<'a>>, SelectError> {
        if let Some(f) = self.trailing_function() {
            // AWS accepts `$.a.sum()` in a definition but fails it at runtime ("could not be
            // found"), so Jayway's top-level functions are not evaluated (functions inside
            // filters are).
            return Err(SelectError::Function {
                message: format!("AWS Step Functions does not evaluate the path function '{f}()'"),
            });
        }
        let mut e = eval::Eval::new(doc, trace, self.definite);
        e.walk(&self.steps, 0, doc);
        if let Some(err) = e.error {
            return Err(err);
        }
        if self.definite && e.hits.is_empty() {
            return Err(SelectError::NoResults { normalized: eval::normalized(&self.steps) });
        }
        Ok(e.hits)
    }
}
