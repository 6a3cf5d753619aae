//! `statescope validate FILE...`: one rustc-style block per diagnostic, a summary, exit 1 on
//! errors (or on warnings with `--deny-warnings`); `--format json` for tools.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::asl::check::{Checked, check_each};
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::load::{LoadOptions, ReadFile};
use crate::asl::source::Source;
use crate::cli::Format;

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
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let (mut errors, mut warnings) = (0, 0);
    let mut json_files = Vec::new();
    for path in &args.files {
        let options = load_options(args.machine.as_deref(), &args.substitute, path);
        let (source, checked) = match read(path) {
            Ok(s) => {
                let c = check_each(&s, &options);
                (s, c)
            }
            Err(d) => (
                Source::new(path.display().to_string(), ""),
                Checked { machine: None, diagnostics: vec![d], external: Vec::new() },
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

/// `--substitute NAME=VALUE` (repeatable), shared by validate, run, test and the debugger.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SubstituteArgs {
    /// A value for a `${NAME}` placeholder in the definition, as a template's
    /// DefinitionSubstitutions gives it (repeatable; wins over the template's own).
    #[arg(long = "substitute", value_name = "NAME=VALUE", value_parser = parse_substitution)]
    pub substitutions: Vec<(String, String)>,
}

fn parse_substitution(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("'{arg}' is not NAME=VALUE")),
    }
}

/// Loader options from the shared command-line flags, for the definition or template at `path`.
pub fn load_options(machine: Option<&str>, substitute: &SubstituteArgs, path: &Path) -> LoadOptions {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    LoadOptions {
        machine: machine.map(str::to_string),
        substitutions: substitute.substitutions.clone(),
        reader: Some(Arc::new(BesideTemplate { dir })),
        ..LoadOptions::default()
    }
}

/// Reads a template's local `DefinitionUri` file, relative to the template's directory.
struct BesideTemplate {
    dir: PathBuf,
}

impl ReadFile for BesideTemplate {
    fn read(&self, uri: &str) -> Result<Source, String> {
        let path = self.dir.join(uri);
        read(&path).map_err(|d| d.message)
    }
}

/// Reads a file; an unreadable one is a diagnostic, not a crash.
pub fn read(path: &Path) -> Result<Source, Diagnostic> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(e) => Err(Diagnostic::error(
                crate::asl::codes::SYNTAX,
                format!("{name}: the file is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
            )),
        },
        Err(e) => Err(Diagnostic::error(crate::asl::codes::SYNTAX, format!("cannot read '{name}': {e}"))),
    }
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
                "pointer": d.pointer,
                "line": pos.map(|p| p.0),
                "column": pos.map(|p| p.1),
                "span": d.span.map(|s| json!([s.start, s.end])),
                "help": d.help,
            })
        })
        .collect();
    json!({"file": &*source.name, "diagnostics": items})
}

fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!("{}: {}, {}", plural(files, "file"), plural(errors, "error"), plural(warnings, "warning"))
}
