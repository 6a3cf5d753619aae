//! One call from text to a checked machine: parse the document, build the model, validate the
//! graph. Used by `validate`, `run` and (later) the debugger's hot reload.

use std::sync::Arc;

use crate::asl::definition::StateMachine;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::load::{LoadOptions, load, machine_ids};
use crate::asl::parse::parse_machine;
use crate::asl::source::Source;
use crate::asl::validate::validate;

/// The outcome of checking a definition: the machine when it could be built, and every
/// diagnostic (errors first, then warnings, each group in source order).
#[derive(Debug)]
pub struct Checked {
    /// Shared: executions hold the machine they run (`Execution::new`).
    pub machine: Option<Arc<StateMachine>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Other files the diagnostics point into (a template's `DefinitionUri` file); a diagnostic
    /// names its file in [`Diagnostic::file`].
    pub external: Vec<Source>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The source a diagnostic's span points into: `main` unless it names another file.
    pub fn source_of<'a>(&'a self, d: &Diagnostic, main: &'a Source) -> &'a Source {
        d.file.as_ref().and_then(|f| self.external.iter().find(|s| s.name == *f)).unwrap_or(main)
    }

    /// Each diagnostic `keep` selects, rendered against its own file (one line index per file).
    pub fn render(&self, main: &Source, keep: impl Fn(&Diagnostic) -> bool) -> Vec<String> {
        self.positioned(main, keep)
            .into_iter()
            .map(|(source, index, d)| crate::asl::diagnostic::render(source, &index, d))
            .collect()
    }

    /// Why nothing can run: the errors, or when there are none (a definition that is only in
    /// S3), every finding.
    pub fn render_why_not_runnable(&self, main: &Source) -> Vec<String> {
        let errors = self.has_errors();
        self.render(main, |d| d.is_error() || !errors)
    }

    /// The diagnostics `keep` selects, each with its source and that source's line index.
    pub fn positioned<'a>(
        &'a self,
        main: &'a Source,
        keep: impl Fn(&Diagnostic) -> bool,
    ) -> Vec<(&'a Source, std::rc::Rc<crate::asl::source::LineIndex>, &'a Diagnostic)> {
        let mut indexes: Vec<(&str, std::rc::Rc<crate::asl::source::LineIndex>)> = Vec::new();
        let mut out = Vec::new();
        for d in self.diagnostics.iter().filter(|d| keep(d)) {
            let source = self.source_of(d, main);
            let index = match indexes.iter().find(|(n, _)| *n == &*source.name) {
                Some((_, i)) => i.clone(),
                None => {
                    let i = std::rc::Rc::new(crate::asl::source::LineIndex::new(&source.text));
                    indexes.push((&source.name, i.clone()));
                    i
                }
            };
            out.push((source, index, d));
        }
        out
    }

    /// The machine, only when no diagnostic is an error.
    pub fn runnable(&self) -> Option<&Arc<StateMachine>> {
        if self.has_errors() { None } else { self.machine.as_ref() }
    }
}

/// Parses and validates a definition (JSON or YAML, or the one state machine of a template).
pub fn check(source: &Source) -> Checked {
    check_with(source, &LoadOptions::default())
}

/// [`check`] with loader options (`--machine`, a forced syntax, substitutions, a reader).
pub fn check_with(source: &Source, options: &LoadOptions) -> Checked {
    let loaded = load(source, options);
    let mut diagnostics = loaded.diagnostics;
    let machine = match loaded.tree {
        None => None,
        Some(tree) => {
            let (machine, mut found) = parse_machine(&tree);
            if let Some(m) = &machine {
                found.extend(validate(m));
            }
            // The definition came from another file: so do its findings.
            if let Some(file) = &loaded.external {
                found.iter_mut().for_each(|d| d.file = Some(file.name.clone()));
            }
            diagnostics.extend(found);
            machine
        }
    };
    sort(&mut diagnostics);
    Checked { machine: machine.map(Arc::new), diagnostics, external: loaded.external.into_iter().collect() }
}

/// Errors first, then warnings; each group by file, then position.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, a.span.map(|s| s.start)).cmp(&(b.severity, &b.file, b.span.map(|s| s.start)))
    });
}

/// [`check_with`] for `validate`: a template with several state machines and no `--machine`
/// has each of them checked, every finding inside a definition naming its logical id; findings
/// about the template itself are reported once. No machine is returned then.
pub fn check_each(source: &Source, options: &LoadOptions) -> Checked {
    let ids = if options.machine.is_none() { machine_ids(source, options) } else { Vec::new() };
    if ids.len() < 2 {
        return check_with(source, options);
    }
    let mut all = Checked { machine: None, diagnostics: Vec::new(), external: Vec::new() };
    for (id, resource) in ids {
        let one = check_with(source, &LoadOptions { machine: Some(id.clone()), ..options.clone() });
        for mut d in one.diagnostics {
            let inside = d.span.is_some_and(|s| resource.start <= s.start && s.end <= resource.end);
            if d.file.is_some() || inside {
                d.message = format!("'{id}': {}", d.message);
            }
            if !all.diagnostics.contains(&d) {
                all.diagnostics.push(d);
            }
        }
        all.external.extend(one.external.into_iter().filter(|s| !s.name.is_empty()));
    }
    sort(&mut all.diagnostics);
    all
}
