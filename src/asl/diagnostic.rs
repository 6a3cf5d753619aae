//! Diagnostics are plain data: a stable code, a severity, a message in plain words with the
//! offending value in single quotes, the span it blames and an optional hint. They are rendered
//! outside the engine (see `render`), so the TUI and the CLI show the same facts.

use crate::asl::source::{LineIndex, Source, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable and greppable, e.g. `ASL012`; listed in [`crate::asl::codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where in the source; `None` only when the source has no position (e.g. an empty file).
    pub span: Option<Span>,
    /// JSON Pointer of the blamed value (`/States/Fetch/Next`), the way AWS names locations.
    pub pointer: String,
    /// What to do about it, e.g. `did you mean 'Process'?`.
    pub help: Option<String>,
    /// The file the span points into when it is not the file being checked: the definition
    /// file a template's `DefinitionUri` names (see [`crate::asl::check::Checked::source_of`]).
    pub file: Option<std::sync::Arc<str>>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span: None,
            pointer: String::new(),
            help: None,
            file: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Diagnostic {
        self.pointer = pointer.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column of a diagnostic, if it has a span.
pub fn position(source: &Source, index: &LineIndex, d: &Diagnostic) -> Option<(usize, usize)> {
    d.span.map(|s| index.line_col(&source.text, s.start))
}

/// rustc-style text: `file:line:col: error[CODE]: message`, the source line, a caret line
/// under the span, and the hint.
pub fn render(source: &Source, index: &LineIndex, d: &Diagnostic) -> String {
    let mut out = String::new();
    let sev = d.severity.as_str();
    match position(source, index, d) {
        Some((line, col)) => {
            out += &format!("{}:{line}:{col}: {sev}[{}]: {}\n", source.name, d.code, d.message);
            let text = index.line_text(&source.text, line);
            let width = d.span.map_or(1, |s| {
                let (end_line, end_col) = index.line_col(&source.text, s.end);
                if end_line == line { end_col.saturating_sub(col).max(1) } else { 1 }
            });
            let gutter = line.to_string().len();
            out += &format!("{:gutter$} |\n", "");
            out += &format!("{line} | {text}\n");
            out += &format!("{:gutter$} | {}{}\n", "", " ".repeat(col - 1), "^".repeat(width));
        }
        None => out += &format!("{}: {sev}[{}]: {}\n", source.name, d.code, d.message),
    }
    if let Some(help) = &d.help {
        out += &format!("  = help: {help}\n");
    }
    out
}

impl Diagnostic {
    /// Replaces the code (for a more specific class found after the message was built).
    pub fn code(mut self, code: &'static str) -> Diagnostic {
        self.code = code;
        self
    }
}
