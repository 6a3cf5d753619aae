//! `statescope graph FILE [--format text|dot|mermaid] [--collapse NAME]... [--compact]`: prints
//! the state graph. The text drawing is the one the debugger shows, without colour. Exit 2 when
//! the definition doesn't validate (its diagnostics go to stderr).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::asl::definition::Scope;
use crate::asl::validate::nested_scopes;
use crate::cli::inputs::{Definition, load_definition};
use crate::graph::{self, Options};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    #[default]
    Text,
    Dot,
    Mermaid,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// The definition (.json, .yaml, .yml) or a CloudFormation/SAM template.
    pub definition: PathBuf,
    /// In a template with several state machines, the logical id of the one to draw.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub machine: Option<String>,
    #[command(flatten)]
    pub substitute: crate::cli::inputs::SubstituteArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: GraphFormat,
    /// Draw this Parallel/Map state as one node (repeatable).
    #[arg(long = "collapse", value_name = "NAME")]
    pub collapse: Vec<String>,
    /// Narrow boxes without type tags or edge labels.
    #[arg(long)]
    pub compact: bool,
}

pub fn run(args: &GraphArgs) -> ExitCode {
    let flags = crate::cli::check_flags::CheckFlags::default();
    let Definition { source, checked, .. } =
        match load_definition(&args.definition, args.machine.as_deref(), &args.substitute, &flags) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
    let Some(machine) = checked.runnable() else {
        for text in checked.render(&source, |_| true) {
            eprintln!("{text}");
        }
        return ExitCode::from(2);
    };
    let mut containers = Vec::new();
    container_names(&machine.scope, &mut containers);
    for name in args.collapse.iter().filter(|n| !containers.contains(&n.as_str())) {
        eprintln!("warning: --collapse '{name}': no Parallel or Map state has that name");
    }
    let options = Options { collapsed: args.collapse.iter().cloned().collect(), compact: args.compact };
    let text = match args.format {
        GraphFormat::Text => graph::layout(machine, &options).to_text(),
        GraphFormat::Dot => graph::to_dot(machine, &options),
        GraphFormat::Mermaid => graph::to_mermaid(machine, &options),
    };
    outln!("{}", text.strip_suffix('\n').unwrap_or(&text));
    ExitCode::SUCCESS
}

/// Names of every Parallel and Map state, nested ones included.
fn container_names<'m>(scope: &'m Scope, out: &mut Vec<&'m str>) {
    for state in &scope.states {
        let nested = nested_scopes(state);
        if !nested.is_empty() {
            out.push(&state.name);
        }
        for s in nested {
            container_names(s, out);
        }
    }
}
