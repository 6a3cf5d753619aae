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

/// The name of the innermost state a JSON Pointer lies in (`/States/Fan/Branches/0/States/Inner/Next`
/// → `Inner`), or `None` for the machine's own fields. A `States` key counts only where ASL
/// puts one (the top level, a template's `Definition`, a branch, a Map processor), so a Pass
/// `Result` holding a `States` key is not mistaken for a scope.
pub fn state_of_pointer(pointer: &str) -> Option<String> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let mut found = None;
    let mut i = 0;
    while i < tokens.len() {
        let before = |k: usize| i.checked_sub(k).and_then(|j| tokens.get(j)).map(String::as_str);
        let scope = tokens[i] == "States"
            && match before(1) {
                None | Some("Definition" | "ItemProcessor" | "Iterator") => true,
                Some(n) => n.parse::<usize>().is_ok() && before(2) == Some("Branches"),
            };
        if scope && i + 1 < tokens.len() {
            found = Some(tokens[i + 1].clone());
            i += 2;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::state_of_pointer;

    #[test]
    fn the_innermost_state_of_a_pointer() {
        assert_eq!(state_of_pointer("/States/Fetch/Next").as_deref(), Some("Fetch"));
        assert_eq!(state_of_pointer("/States/Fan/Branches/1/States/In~1ner/Next").as_deref(), Some("In/ner"));
        assert_eq!(state_of_pointer("/States/M/ItemProcessor/States/Leaf").as_deref(), Some("Leaf"));
        assert_eq!(state_of_pointer("/States/P/Result/States/x").as_deref(), Some("P"));
        assert_eq!(state_of_pointer("/Resources/Sm/Properties/Definition/States/A/Resource").as_deref(), Some("A"));
        assert_eq!(state_of_pointer("/StartAt"), None);
        assert_eq!(state_of_pointer(""), None);
    }
}
