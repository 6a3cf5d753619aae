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

/// Caller's choices.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Force a syntax instead of guessing from the name and text.
    pub syntax: Option<Syntax>,
    /// Logical id of the state machine to check in a template with several (`--machine`).
    pub machine: Option<String>,
    /// Values for `${Name}` placeholders (`--substitute NAME=VALUE`), applied to the definition's
    /// text as CloudFormation applies `DefinitionSubstitutions`; they take precedence over a
    /// template's own substitutions.
    pub substitutions: Vec<(String, String)>,
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
            return Loaded { syntax, kind: DocumentKind::Definition, tree: None, diagnostics };
        }
    };
    if template::is_template(&root) {
        template::settle_duplicates(&mut root, &mut found);
        diagnostics.extend(found);
        let tree = template::extract(&root, options, &source.text, &mut diagnostics);
        return Loaded { syntax, kind: DocumentKind::Template, tree, diagnostics };
    }
    if !options.substitutions.is_empty() && source.text.contains("${") {
        return substituted(source, syntax, options);
    }
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
            .at(root.span.sub(0, 1)),
        );
    }
    Loaded { syntax, kind: DocumentKind::Definition, tree: Some(root), diagnostics }
}

/// A definition file with `--substitute` values: the text is substituted first, as
/// CloudFormation does (so `"Seconds": ${Timeout}` becomes a number), then parsed, and every
/// span is moved back to the file as written.
fn substituted(source: &Source, syntax: Syntax, options: &LoadOptions) -> Loaded {
    let mut text = mapped::MappedText::identity(&source.text);
    text.substitute(&|name| options.substitution(name));
    let parsed = match syntax {
        Syntax::Json => parse_definition_json(&text.text),
        Syntax::Yaml => parse_yaml(&text.text).map(|doc| (doc.tree, doc.diagnostics)),
    };
    match parsed {
        Ok((mut tree, found)) => {
            text.remap_node(&mut tree);
            let diagnostics = found.into_iter().map(|d| text.remap_diagnostic(d)).collect();
            Loaded { syntax, kind: DocumentKind::Definition, tree: Some(tree), diagnostics }
        }
        Err(d) => {
            Loaded { syntax, kind: DocumentKind::Definition, tree: None, diagnostics: vec![text.remap_diagnostic(d)] }
        }
    }
}

fn tag_outside_template(tag: &str, span: Span) -> Diagnostic {
    Diagnostic::error(codes::YAML, format!("the CloudFormation tag '!{tag}' is only meaningful in a template"))
        .at(span)
        .help("a state machine definition is plain data; write the value itself")
}

#[cfg(test)]
mod tests;
