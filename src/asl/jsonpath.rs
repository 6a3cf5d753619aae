//! JSONPath as AWS Step Functions evaluates it (the Jayway dialect): query paths, reference
//! paths, the `$$` context root and `$name` variables. Parsed once at load time into a syntax
//! tree; evaluated over `serde_json::Value`. No I/O.
//!
//! OWNER NOTE: API contract used by the rest of the engine; the implementation lives in
//! `jsonpath/`.

use serde_json::{Map, Value};

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
/// STUB: only `$`, `$$`, `$name` and `.name` steps; the real parser replaces this.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    text: String,
    root: Root,
    steps: Vec<String>,
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

/// Why evaluating a path produced no value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// Nothing matched; `normalized` is Jayway's bracket form of the missing part, `$['x']`.
    #[error("No results for path: {normalized}")]
    NoResults { normalized: String },
    /// `$name` names no variable in scope.
    #[error("undefined variable '{name}'")]
    UndefinedVariable { name: String },
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, PathSyntaxError> {
        let (root, rest) = if let Some(rest) = text.strip_prefix("$$") {
            (Root::Context, rest)
        } else if let Some(rest) = text.strip_prefix('$') {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 { (Root::Input, rest) } else { (Root::Variable(rest[..end].to_string()), &rest[end..]) }
        } else {
            return Err(PathSyntaxError { offset: 0, message: "a path must start with '$'".into() });
        };
        let steps = rest.split('.').skip(1).map(str::to_string).collect();
        Ok(Path { text: text.to_string(), root, steps })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    pub fn select(&self, roots: &Roots) -> Result<Value, SelectError> {
        let mut v = match &self.root {
            Root::Input => roots.input,
            Root::Context => roots.context,
            Root::Variable(name) => {
                roots.variables.variable(name).ok_or_else(|| SelectError::UndefinedVariable { name: name.clone() })?
            }
        };
        for s in &self.steps {
            v = v.get(s).ok_or_else(|| SelectError::NoResults { normalized: format!("$['{s}']") })?;
        }
        Ok(v.clone())
    }
}

impl Path {
    /// STUB: every stub path is a reference path.
    pub fn is_reference_path(&self) -> bool {
        true
    }
}
