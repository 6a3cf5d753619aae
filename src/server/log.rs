//! One line per execution event on stderr, so a user watching the terminal sees executions
//! move: coloured at a terminal (plain when piped or with `NO_COLOR`), silent with `-q`.

use std::io::{IsTerminal, Write};

use serde_json::Value;

pub struct Log {
    quiet: bool,
    color: bool,
}

impl Log {
    pub fn new(quiet: bool) -> Log {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Log { quiet, color: !no_color && std::io::stderr().is_terminal() }
    }

    /// `HH:MM:SS.mmm  execution  EventType  state`.
    pub fn event(&self, execution: &str, event: &Value) {
        if self.quiet {
            return;
        }
        let kind = event["type"].as_str().unwrap_or_default();
        let state = event
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")))
            .and_then(|(_, d)| d.get("name").or_else(|| d.get("error")))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ms = (event["timestamp"].as_f64().unwrap_or_default() * 1000.0).round() as i64;
        let time = crate::asl::engine::clock::format_millis(ms);
        let code = if kind.ends_with("Failed") || kind.ends_with("TimedOut") || kind.ends_with("Aborted") {
            "31"
        } else if kind.starts_with("Execution") && kind.ends_with("Succeeded") {
            "1;32"
        } else if kind.ends_with("Entered") {
            "36"
        } else {
            "2"
        };
        self.line(&format!("{} {execution}  {}  {state}", &time[11..23], self.paint(code, kind)));
    }

    /// A note about an execution that is not a history event (a task waiting for a worker).
    pub fn note(&self, execution: &str, text: &str) {
        if !self.quiet {
            self.line(&format!("{execution}  {}", self.paint("33", text)));
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    fn line(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }
}
