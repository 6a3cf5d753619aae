//! A JSONata expression in the model: its text as written and its syntax tree, parsed once
//! when the definition is loaded (not on every evaluation).

use std::fmt;
use std::sync::Arc;

use crate::asl::jsonata::{self, Ast, JsonataError};

/// The text between `{%` and `%}`, and what it parses to as JSONata 2.0 (the version AWS
/// evaluates, checklist 8.3). A text that does not parse is kept with its error: validation
/// reports it with its position, and evaluating it is a `States.QueryEvaluationError`.
#[derive(Clone)]
pub struct JsonataExpr {
    text: String,
    parsed: Result<Arc<Ast>, JsonataError>,
}

impl JsonataExpr {
    pub fn new(text: impl Into<String>) -> JsonataExpr {
        let text = text.into();
        let parsed = jsonata::parse_version(&text, jsonata::Version::V2_0).map(Arc::new);
        JsonataExpr { text, parsed }
    }

    /// The expression as written, without `{%`/`%}`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree, or why the text does not parse.
    pub fn parsed(&self) -> Result<&Arc<Ast>, &JsonataError> {
        self.parsed.as_ref()
    }
}

impl From<String> for JsonataExpr {
    fn from(text: String) -> JsonataExpr {
        JsonataExpr::new(text)
    }
}

impl From<&str> for JsonataExpr {
    fn from(text: &str) -> JsonataExpr {
        JsonataExpr::new(text)
    }
}

impl std::ops::Deref for JsonataExpr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for JsonataExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Shown as its text: the tree is derived from it.
impl fmt::Debug for JsonataExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl PartialEq for JsonataExpr {
    fn eq(&self, other: &JsonataExpr) -> bool {
        self.text == other.text
    }
}
