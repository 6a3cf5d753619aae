//! From a file's text to the definition tree to check, whatever the file is: an ASL definition
//! in JSON or YAML, or a CloudFormation/SAM template (JSON or YAML) holding a state machine.
//! No I/O: the caller reads the file and passes its text and name; the name's extension and the
//! text decide the syntax, the parsed content decides definition vs template.

mod intrinsic;
mod mapped;
mod template;

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::json_text::parse_definition_json;
use crate::asl::source::{Source, Span};
use crate::asl::tree::Node;
use crate::asl::yaml::parse_yaml;

pub use template::{SERVERLESS, STEP_FUNCTIONS};

/// The surface syntax of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// Reads a file a template points at (a SAM `DefinitionUri`), given as written in the template:
/// relative to the template's directory. The engine does no I/O; the command line implements it.
pub trait ReadFile: Send + Sync {
    /// The file's text, named as diagnostics should show it; `Err` says why it cannot be read.
    fn read(&self, uri: &str) -> Result<Source, String>;
}

/// Caller's choices.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Force a syntax instead of guessing from the name and text.
    pub syntax: Option<Syntax>,
    /// Logical id of the state machine to check in a template with several (`--machine`).
    pub machine: Option<String>,
    /// Values for `${Name}` placeholders (`--substitute NAME=VALUE`), applied to the definition's
    /// text as CloudFormation applies `DefinitionSubstitutions`; they take precedence over a
    /// template's own substitutions.
    pub substitutions: Vec<(String, String)>,
    /// Follows a template's local `DefinitionUri`; without one it is reported, not read.
    pub reader: Option<std::sync::Arc<dyn ReadFile>>,
}

impl std::fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadOptions")
            .field("syntax", &self.syntax)
            .field("machine", &self.machine)
            .field("substitutions", &self.substitutions)
            .field("reader", &self.reader.is_some())
            .finish()
    }
}

impl LoadOptions {
    /// The value given for a placeholder name, if any (the last one given wins).
    pub fn substitution(&self, name: &str) -> Option<String> {
        self.substitutions.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

/// What the file turned out to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Definition,
    Template,
}

/// The definition tree (spans point into the file's text) and what loading found.
#[derive(Debug)]
pub struct Loaded {
    pub syntax: Syntax,
    pub kind: DocumentKind,
    pub tree: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file the definition was read from when a template's `DefinitionUri` names one: the
    /// tree's spans point into it.
    pub external: Option<Source>,
}

/// Guesses the syntax: `.json` is JSON, `.yaml`/`.yml` YAML; otherwise text starting with `{`
/// or `[` is JSON and anything else YAML.
pub fn detect_syntax(name: &str, text: &str) -> Syntax {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Syntax::Yaml;
    }
    if lower.ends_with(".json") {
        return Syntax::Json;
    }
    match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
        Some('{' | '[') | None => Syntax::Json,
        Some(_) => Syntax::Yaml,
    }
}

/// Loads a definition or template.
pub fn load(source: &Source, options: &LoadOptions) -> Loaded {
    let syntax = options.syntax.unwrap_or_else(|| detect_syntax(&source.name, &source.text));
    let mut diagnostics = Vec::new();
    let parsed = match syntax {
        Syntax::Json => parse_definition_json(&source.text).map(|(tree, found)| (tree, found, Vec::new())),
        Syntax::Yaml => parse_yaml(&source.text).map(|doc| (doc.tree, doc.diagnostics, doc.cfn_tags)),
    };
    let (mut root, mut found, cfn_tags) = match parsed {
        Ok(p) => p,
        Err(d) => {
            diagnostics.push(d);
            return Loaded { syntax, kind: DocumentKind::Definition, tree: None, diagnostics, external: None };
        }
    };
    if template::is_template(&root) {
        template::settle_duplicates(&mut root, &mut found);
        diagnostics.extend(found);
        let mut external = None;
        let tree = template::extract(&root, options, &source.text, &mut diagnostics, &mut external);
        return Loaded { syntax, kind: DocumentKind::Template, tree, diagnostics, external };
    }
    let root_span = root.span;
    let tree = if !options.substitutions.is_empty() && source.text.contains("${") {
        // Parsed again from the substituted text: its findings replace the first parse's.
        let (tree, again) = substituted(source, syntax, options);
        found = again;
        tree
    } else {
        Some(root)
    };
    diagnostics.extend(found);
    for (tag, span) in cfn_tags {
        diagnostics.push(tag_outside_template(&tag, span));
    }
    if let Some(id) = &options.machine {
        diagnostics.push(
            Diagnostic::warning(
                codes::TEMPLATE,
                format!("--machine '{id}' is ignored: this file is a definition, not a template"),
            )
            .at(root_span.sub(0, 1)),
        );
    }
    Loaded { syntax, kind: DocumentKind::Definition, tree, diagnostics, external: None }
}

/// A definition file with `--substitute` values: the text is substituted first, as
/// CloudFormation does (so `"Seconds": ${Timeout}` becomes a number), then parsed, and every
/// span is moved back to the file as written.
fn substituted(source: &Source, syntax: Syntax, options: &LoadOptions) -> (Option<Node>, Vec<Diagnostic>) {
    let mut text = mapped::MappedText::identity(&source.text);
    text.substitute(&|name| options.substitution(name));
    parse_mapped_text(&text, syntax)
}

/// Parses substituted text and moves every span back to the text as written.
pub(crate) fn parse_mapped_text(text: &mapped::MappedText, syntax: Syntax) -> (Option<Node>, Vec<Diagnostic>) {
    let parsed = match syntax {
        Syntax::Json => parse_definition_json(&text.text),
        Syntax::Yaml => parse_yaml(&text.text).map(|doc| (doc.tree, doc.diagnostics)),
    };
    match parsed {
        Ok((mut tree, found)) => {
            text.remap_node(&mut tree);
            (Some(tree), found.into_iter().map(|d| text.remap_diagnostic(d)).collect())
        }
        Err(d) => (None, vec![text.remap_diagnostic(d)]),
    }
}

/// The state machine logical ids of a template and the span of each resource (empty for a
/// definition, or text that does not parse).
pub fn machine_ids(source: &Source, options: &LoadOptions) -> Vec<(String, Span)> {
    let syntax = options.syntax.unwrap_or_else(|| detect_syntax(&source.name, &source.text));
    let root = match syntax {
        Syntax::Json => parse_definition_json(&source.text).ok().map(|(t, _)| t),
        Syntax::Yaml => parse_yaml(&source.text).ok().map(|d| d.tree),
    };
    root.map(|r| template::machine_ids(&r)).unwrap_or_default()
}

fn tag_outside_template(tag: &str, span: Span) -> Diagnostic {
    Diagnostic::error(codes::YAML, format!("the CloudFormation tag '!{tag}' is only meaningful in a template"))
        .at(span)
        .help("a state machine definition is plain data; write the value itself")
}

#[cfg(test)]
mod tests;
