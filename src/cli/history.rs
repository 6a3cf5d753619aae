//! `--history-out FILE` and `--start-time TIME`, shared by `run`, `test` and the debugger: the
//! execution's events written exactly as `aws stepfunctions get-execution-history` prints them,
//! with timestamps from the virtual clock started where the user says.

use std::path::{Path, PathBuf};

use crate::asl::engine::Execution;
use crate::asl::engine::history::History;
use crate::asl::engine::history::aws::{AwsHistoryOptions, aws_history_document};

#[derive(clap::Args, Clone, Debug, Default)]
pub struct HistoryArgs {
    /// Write the execution's history as AWS's GetExecutionHistory returns it ({"events": [...]});
    /// for `test`, a directory that gets one CASE.history.json per test case.
    #[arg(long, value_name = "FILE")]
    pub history_out: Option<PathBuf>,
    /// Start of the virtual clock (RFC 3339, e.g. 2026-03-01T09:30:00Z); default
    /// 2026-01-01T00:00:00Z.
    #[arg(long, value_name = "TIME", value_parser = parse_start_time)]
    pub start_time: Option<i64>,
}

/// `--start-time` as milliseconds since the Unix epoch.
fn parse_start_time(text: &str) -> Result<i64, String> {
    crate::asl::timestamp::parse(text).map(|t| t.epoch_millis()).map_err(|e| format!("not an RFC 3339 time: {e}"))
}

impl HistoryArgs {
    /// The clock start for the execution config.
    pub fn start_ms(&self) -> i64 {
        self.start_time.unwrap_or(crate::asl::engine::clock::DEFAULT_START_MS)
    }

    /// Writes `exec`'s history to `--history-out`, if given.
    pub fn write(&self, exec: &Execution) -> Result<(), String> {
        match &self.history_out {
            Some(path) => write_history(path, exec.history()),
            None => Ok(()),
        }
    }

    /// For `test`: the file of one test case inside the `--history-out` directory.
    pub fn case_path(&self, case: &str) -> Option<PathBuf> {
        let dir = self.history_out.as_ref()?;
        Some(dir.join(format!("{}.history.json", file_name_of(case))))
    }
}

/// A test case's name as a file name: path separators and control characters become `_`.
pub fn file_name_of(case: &str) -> String {
    let name: String =
        case.chars().map(|c| if c == '/' || c == '\\' || c.is_control() || c == ':' { '_' } else { c }).collect();
    if name.is_empty() || name.starts_with('.') { format!("_{name}") } else { name }
}

/// Writes `{"events": [...]}`, pretty-printed as the AWS CLI prints it.
pub fn write_history(path: &Path, history: &History) -> Result<(), String> {
    let doc = aws_history_document(history, &AwsHistoryOptions::default());
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create '{}': {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write '{}': {e}", path.display()))
}
