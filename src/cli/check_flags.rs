//! Flags every command that checks a definition shares: the workflow type (`--type`) and the
//! lints allowed everywhere (`--allow NAME`, repeatable).

use crate::asl::load::LoadOptions;
use crate::asl::suggest::did_you_mean;
use crate::asl::workflow::WorkflowType;

#[derive(clap::Args, Debug, Default, Clone)]
pub struct CheckFlags {
    /// Workflow type to check and run as; default: the template's StateMachineType (SAM: Type),
    /// else standard.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub workflow_type: Option<TypeArg>,
    /// Do not report this lint (or the warnings of a code, e.g. ASL104) anywhere; repeatable.
    #[arg(long, value_name = "LINT")]
    pub allow: Vec<String>,
}

/// `--type standard|express`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TypeArg {
    Standard,
    Express,
}

impl CheckFlags {
    /// `options` with the workflow type and allowed lints; an `--allow` that names no lint or
    /// code is an error.
    pub fn apply(&self, options: LoadOptions) -> Result<LoadOptions, String> {
        for name in &self.allow {
            if !crate::asl::lint::is_allowable(name) {
                let names = crate::asl::codes::LINTS.iter().chain(crate::asl::codes::ALL).map(|(c, _)| *c);
                let hint = did_you_mean(name, names).unwrap_or_else(|| "see `statescope codes`".into());
                return Err(format!("--allow '{name}' is not a lint or a diagnostic code; {hint}"));
            }
        }
        Ok(LoadOptions {
            workflow_type: self.workflow_type.map(|t| match t {
                TypeArg::Standard => WorkflowType::Standard,
                TypeArg::Express => WorkflowType::Express,
            }),
            allow: self.allow.clone(),
            ..options
        })
    }
}
