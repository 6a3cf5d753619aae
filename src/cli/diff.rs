//! `statescope diff OLD NEW`: what changed between two definitions (states added, removed,
//! renamed, transitions retargeted, fields changed with old and new values). Exit 0 when they
//! are the same, 1 when they differ (as diff(1)), 2 when one cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::asl::diagnostic;
use crate::asl::diff::diff;
use crate::asl::load::load;
use crate::asl::source::LineIndex;
use crate::cli::Format;
use crate::cli::inputs::{load_options, read};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The definition as it was (JSON, YAML or a template).
    pub old: PathBuf,
    /// The definition as it is now.
    pub new: PathBuf,
    /// In templates with several state machines, the logical id of the one to compare.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A definition's JSON, as loaded (YAML and templates included).
pub(crate) fn definition_json(
    path: &std::path::Path,
    machine: Option<&str>,
    substitute: &crate::cli::inputs::SubstituteArgs,
) -> Result<Value, String> {
    let source = read(path).map_err(|d| d.message)?;
    let loaded = load(&source, &load_options(machine, substitute, path));
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let index = LineIndex::new(&source.text);
        for d in &errors {
            eprint!("{}", diagnostic::render(&source, &index, d));
        }
        return Err(format!("{}: cannot be read", path.display()));
    }
    loaded.tree.map(|t| t.to_value()).ok_or_else(|| format!("{}: cannot be read", path.display()))
}

pub fn run(args: &DiffArgs) -> ExitCode {
    let (old, new) = match (
        definition_json(&args.old, args.machine.as_deref(), &args.substitute),
        definition_json(&args.new, args.machine.as_deref(), &args.substitute),
    ) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let changes = diff(&old, &new);
    match args.format {
        Format::Json => {
            outln!("{}", json!({"changes": changes.iter().map(|c| c.to_json()).collect::<Vec<_>>()}))
        }
        Format::Text if changes.is_empty() => outln!("no differences"),
        Format::Text => {
            for c in &changes {
                outln!("{c}");
            }
        }
    }
    if changes.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
