//! `statescope validate FILE...`: one rustc-style block per diagnostic, a summary, exit 1 on
//! errors (or on warnings with `--deny-warnings`); `--format json` for tools.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::check::{Checked, check_each};
use crate::asl::diagnostic;
use crate::asl::source::Source;
use crate::cli::Format;
use crate::cli::inputs::{SubstituteArgs, load_options, read};

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Definitions (.json, .yaml, .yml) or CloudFormation/SAM templates holding a state machine.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// In a template with several state machines, the logical id of the one to check.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: SubstituteArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Exit non-zero when there are warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub check: crate::cli::check_flags::CheckFlags,
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let (mut errors, mut warnings) = (0, 0);
    let mut json_files = Vec::new();
    for path in &args.files {
        let options = match args.check.apply(load_options(args.machine.as_deref(), &args.substitute, path)) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let (source, checked) = match read(path) {
            Ok(s) => {
                let c = check_each(&s, &options);
                (s, c)
            }
            Err(d) => (
                Source::new(path.display().to_string(), ""),
                Checked {
                    machine: None,
                    diagnostics: vec![d],
                    external: Vec::new(),
                    workflow_type: Default::default(),
                },
            ),
        };
        errors += checked.diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += checked.diagnostics.iter().filter(|d| !d.is_error()).count();
        match args.format {
            Format::Text => print_text(&source, &checked),
            Format::Json => json_files.push(file_json(&source, &checked)),
        }
    }
    match args.format {
        Format::Text => outln!("{}", summary(args.files.len(), errors, warnings)),
        Format::Json => outln!("{}", json!({"files": json_files, "errors": errors, "warnings": warnings})),
    }
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn print_text(source: &Source, checked: &Checked) {
    for text in checked.render(source, |_| true) {
        outln!("{text}");
    }
}

fn file_json(source: &Source, checked: &Checked) -> Value {
    let items: Vec<Value> = checked
        .positioned(source, |_| true)
        .into_iter()
        .map(|(from, index, d)| {
            let pos = diagnostic::position(from, &index, d);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "file": &*from.name,
                "line": pos.map(|p| p.0),
                "column": pos.map(|p| p.1),
                "state": diagnostic::state_of_pointer(&d.pointer),
                "hint": d.help,
                "pointer": d.pointer,
                "span": d.span.map(|s| json!([s.start, s.end])),
                "help": d.help,
            })
        })
        .collect();
    json!({"file": &*source.name, "workflowType": checked.workflow_type.as_str(), "diagnostics": items})
}

fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!("{}: {}, {}", plural(files, "file"), plural(errors, "error"), plural(warnings, "warning"))
}
