//! CloudFormation and SAM templates: find the state machine resource (`--machine` picks one of
//! several) and extract its definition from `Definition` (an object in the template) or
//! `DefinitionString` (JSON text, possibly built with `Fn::Sub`/`Fn::Join`), applying literal
//! `DefinitionSubstitutions`. `DefinitionS3Location`/`DefinitionUri` point outside the file
//! and are reported, not followed.

use crate::asl::codes;
use crate::asl::diagnostic::{Diagnostic, Severity};
use crate::asl::json_text::parse_json;
use crate::asl::load::LoadOptions;
use crate::asl::load::intrinsic::{self, as_intrinsic, literal_text, node_text};
use crate::asl::load::mapped::MappedText;
use crate::asl::source::{Source, Span};
use crate::asl::suggest::did_you_mean;
use crate::asl::tree::{Member, Node, NodeKind, placeholder_name, pointer_token};

pub const STEP_FUNCTIONS: &str = "AWS::StepFunctions::StateMachine";
pub const SERVERLESS: &str = "AWS::Serverless::StateMachine";

/// Whether a parsed document is a template rather than a definition: it has `Resources` and
/// either a template header or a state machine resource.
pub fn is_template(root: &Node) -> bool {
    let Some(resources) = root.get("Resources").and_then(|m| m.value.as_object()) else { return false };
    root.get("AWSTemplateFormatVersion").is_some()
        || root.get("Transform").is_some()
        || resources.iter().any(|r| machine_type(&r.value).is_some())
}

fn machine_type(resource: &Node) -> Option<&'static str> {
    match resource.get("Type")?.value.as_str()? {
        STEP_FUNCTIONS => Some(STEP_FUNCTIONS),
        SERVERLESS => Some(SERVERLESS),
        _ => None,
    }
}

/// Duplicate keys in a template: CloudFormation keeps the last copy and deploys, so outside a
/// state machine's `Definition` a duplicate is a warning and the earlier copies are dropped;
/// inside it AWS rejects the definition, so the parser's error stands.
pub fn settle_duplicates(root: &mut Node, found: &mut [Diagnostic]) {
    let inside: Vec<Span> = machines(root)
        .iter()
        .filter_map(|(m, _)| Some(m.value.get("Properties")?.value.get("Definition")?.value.span))
        .collect();
    for d in found.iter_mut().filter(|d| d.code == codes::DUPLICATE_KEY) {
        let Some(at) = d.span else { continue };
        if inside.iter().any(|s| s.start <= at.start && at.end <= s.end) {
            continue;
        }
        d.severity = Severity::Warning;
        d.help = Some("CloudFormation keeps the last copy and deploys the template; so does statescope".into());
    }
    keep_last(root, &inside);
}

fn keep_last(node: &mut Node, inside: &[Span]) {
    if inside.contains(&node.span) {
        return;
    }
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| keep_last(n, inside)),
        NodeKind::Object(members) => {
            let mut seen = std::collections::HashSet::new();
            let mut keep: Vec<bool> = members.iter().rev().map(|m| seen.insert(m.key.clone())).collect();
            keep.reverse();
            let mut flags = keep.into_iter();
            members.retain(|_| flags.next().unwrap_or(true));
            members.iter_mut().for_each(|m| keep_last(&mut m.value, inside));
        }
        _ => {}
    }
}

/// The state machine resources, as (logical id member, type).
fn machines(root: &Node) -> Vec<(&Member, &'static str)> {
    let resources = root.get("Resources").and_then(|m| m.value.as_object()).unwrap_or_default();
    resources.iter().filter_map(|r| machine_type(&r.value).map(|t| (r, t))).collect()
}

fn template_error(message: impl Into<String>, node: &Node, pointer: String) -> Diagnostic {
    Diagnostic::error(codes::TEMPLATE, message).at(node.span.sub(0, 1)).pointer(pointer)
}

/// Picks the machine and returns its definition tree with spans in the template.
pub fn extract(
    root: &Node,
    options: &LoadOptions,
    source: &str,
    found: &mut Vec<Diagnostic>,
    external: &mut Option<Source>,
) -> Option<Node> {
    let wanted = options.machine.as_deref();
    let all = machines(root);
    let ids = || all.iter().map(|(m, _)| format!("'{}'", m.key)).collect::<Vec<_>>().join(", ");
    let resources = root.get("Resources").map_or(root, |m| &m.value);
    // A finding about the choice of machine points at the first state machine resource.
    let first_machine = all.first().map(|(m, _)| Node::new(m.key_span, NodeKind::Null));
    let at_machine = first_machine.as_ref().unwrap_or(resources);
    let chosen = match (wanted, all.as_slice()) {
        (_, []) => {
            found.push(
                template_error(
                    format!("the template has no '{STEP_FUNCTIONS}' or '{SERVERLESS}' resource"),
                    resources,
                    "/Resources".into(),
                )
                .help("validate the definition file itself, or add the state machine to this template"),
            );
            return None;
        }
        (None, [one]) => one,
        (None, _) => {
            found.push(
                template_error(
                    format!("the template defines {} state machines: {}", all.len(), ids()),
                    at_machine,
                    "/Resources".into(),
                )
                .help("pick one with --machine LOGICAL_ID"),
            );
            return None;
        }
        (Some(id), _) => match all.iter().find(|(m, _)| m.key == id) {
            Some(m) => m,
            None => {
                let mut d = template_error(
                    format!("--machine '{id}' is not a state machine in this template; it has {}", ids()),
                    at_machine,
                    "/Resources".into(),
                );
                if let Some(h) = did_you_mean(id, all.iter().map(|(m, _)| m.key.as_str())) {
                    d = d.help(h);
                }
                found.push(d);
                return None;
            }
        },
    };
    let (member, kind) = *chosen;
    let pointer = format!("/Resources/{}/Properties", pointer_token(&member.key));
    let Some(props) = member.value.get("Properties").map(|p| &p.value).filter(|p| p.as_object().is_some()) else {
        found.push(template_error(format!("state machine '{}' has no Properties", member.key), &member.value, pointer));
        return None;
    };
    definition(&Props { node: props, pointer, kind, source, options }, found, external)
}

/// All state machine logical ids of a template with the span of each resource, in order
/// (empty for a definition).
pub fn machine_ids(root: &Node) -> Vec<(String, Span)> {
    if !is_template(root) {
        return Vec::new();
    }
    machines(root).iter().map(|(m, _)| (m.key.clone(), m.value.span)).collect()
}

struct Props<'a> {
    node: &'a Node,
    pointer: String,
    kind: &'static str,
    source: &'a str,
    options: &'a LoadOptions,
}

impl Props<'_> {
    fn get(&self, key: &str) -> Option<&Member> {
        self.node.get(key)
    }

    fn child(&self, key: &str) -> String {
        format!("{}/{key}", self.pointer)
    }

    /// A placeholder's value: `--substitute` first, then a literal `DefinitionSubstitutions` entry.
    fn lookup(&self, name: &str) -> Option<String> {
        self.options
            .substitution(name)
            .or_else(|| literal_text(&self.get("DefinitionSubstitutions")?.value.get(name)?.value))
    }
}

fn definition(p: &Props, found: &mut Vec<Diagnostic>, external: &mut Option<Source>) -> Option<Node> {
    let subs = p.get("DefinitionSubstitutions").map(|m| &m.value);
    if let Some(m) = p.get("Definition") {
        let mut tree = m.value.clone();
        intrinsic::replace_in_tree(&mut tree, &p.child("Definition"), p.source, found);
        if subs.is_some() || !p.options.substitutions.is_empty() {
            substitute_in_tree(&mut tree, subs, p, found);
        }
        return Some(tree);
    }
    if let Some(m) = p.get("DefinitionString").filter(|_| p.kind == STEP_FUNCTIONS) {
        return definition_string(&m.value, subs, p, found);
    }
    if let Some(m) = p.get("DefinitionUri").filter(|m| m.value.as_str().is_some_and(|u| !u.starts_with("s3://"))) {
        return definition_uri(m, p, found, external);
    }
    let (message, at) = match ["DefinitionS3Location", "DefinitionUri"].into_iter().find_map(|k| p.get(k)) {
        Some(m) => {
            // Not an error: the template is fine, the definition is just not here to check.
            found.push(
                Diagnostic::warning(
                    codes::TEMPLATE,
                    format!(
                        "'{}' points at Amazon S3; statescope cannot read it offline, so the definition is not checked",
                        m.key
                    ),
                )
                .at(m.value.span)
                .pointer(p.child(&m.key))
                .help("download the definition and check it directly, or point DefinitionUri at a local file"),
            );
            return None;
        }
        None if p.kind == SERVERLESS => {
            ("the state machine has neither 'Definition' nor 'DefinitionUri'".to_string(), p.node)
        }
        None => (
            "the state machine has none of 'Definition', 'DefinitionString', 'DefinitionS3Location'".to_string(),
            p.node,
        ),
    };
    found.push(
        template_error(message, at, p.pointer.clone())
            .help("validate the definition file itself: statescope validate path/to/definition.asl.json"),
    );
    None
}

/// A SAM `DefinitionUri` naming a local file (relative to the template): read it through the
/// caller's reader, substitute its placeholders as `DefinitionSubstitutions` (and
/// `--substitute`) give them, and parse it with spans in that file.
fn definition_uri(m: &Member, p: &Props, found: &mut Vec<Diagnostic>, external: &mut Option<Source>) -> Option<Node> {
    let uri = m.value.as_str().unwrap_or_default();
    let read = match &p.options.reader {
        Some(reader) => reader.read(uri),
        None => Err("this caller reads no other files".to_string()),
    };
    let file = match read {
        Ok(file) => file,
        Err(why) => {
            found.push(
                Diagnostic::error(codes::TEMPLATE, format!("cannot read the 'DefinitionUri' file '{uri}': {why}"))
                    .at(m.value.span)
                    .pointer(p.child("DefinitionUri")),
            );
            return None;
        }
    };
    let mut text = MappedText::identity(&file.text);
    let left = text.substitute(&|name| p.lookup(name));
    let syntax = crate::asl::load::detect_syntax(&file.name, &file.text);
    let (tree, diagnostics) = crate::asl::load::parse_mapped_text(&text, syntax);
    let name: std::sync::Arc<str> = file.name.clone();
    found.extend(diagnostics.into_iter().map(|mut d| {
        d.file = Some(name.clone());
        d
    }));
    // Substitutions the template gives as something other than literal text stay placeholders.
    if let Some(subs) = p.get("DefinitionSubstitutions") {
        let named: Vec<String> =
            left.into_iter().filter(|n| subs.value.get(n).is_some()).map(|n| format!("${{{n}}}")).collect();
        if !named.is_empty() {
            let what = "'DefinitionSubstitutions'".to_string();
            found.push(intrinsic::unresolved_warning(&what, &named, &subs.value, p.child("DefinitionSubstitutions")));
        }
    }
    *external = Some(file);
    tree
}

fn definition_string(node: &Node, subs: Option<&Node>, p: &Props, found: &mut Vec<Diagnostic>) -> Option<Node> {
    let pointer = p.child("DefinitionString");
    let mut unresolved = Vec::new();
    let buildable = as_intrinsic(node).is_none_or(|c| c.key == "Fn::Sub" || c.key == "Fn::Join");
    let Some(mut text) = node_text(node, p.source, &mut unresolved).filter(|_| buildable) else {
        found.push(template_error(format!("'DefinitionString' is {}, not a string", describe(node)), node, pointer));
        return None;
    };
    if subs.is_some() || !p.options.substitutions.is_empty() {
        // A `${name}` an `Fn::Sub` left alone is filled by a literal substitution later.
        unresolved.retain(|u| p.lookup(u.trim_start_matches("${").trim_end_matches('}')).is_none());
        let left = text.substitute(&|name| p.lookup(name));
        for name in left.into_iter().filter(|n| subs.is_some_and(|s| s.get(n).is_some())).map(|n| format!("${{{n}}}")) {
            if !unresolved.contains(&name) {
                unresolved.push(name);
            }
        }
    }
    if !unresolved.is_empty() {
        let what = as_intrinsic(node)
            .map_or("'DefinitionString'".to_string(), |c| format!("'DefinitionString' ('{}')", c.key));
        let mut warning = intrinsic::unresolved_warning(&what, &unresolved, node, pointer);
        // Blame the first placeholder itself when it can be found in the template.
        if let Some(at) = unresolved.first().and_then(|u| text.text.find(u.as_str()).map(|i| (i, u.len()))) {
            warning.span = Some(text.span_of(at.0, at.0 + at.1));
        }
        found.push(warning);
    }
    parse_mapped(&text, found)
}

/// Parses the assembled JSON text and moves its spans into the template.
fn parse_mapped(text: &MappedText, found: &mut Vec<Diagnostic>) -> Option<Node> {
    match parse_json(&text.text) {
        Err(d) => {
            found.push(text.remap_diagnostic(d));
            None
        }
        Ok((mut tree, diags)) => {
            found.extend(diags.into_iter().map(|d| text.remap_diagnostic(d)));
            text.remap_node(&mut tree);
            Some(tree)
        }
    }
}

/// `DefinitionSubstitutions` for a `Definition` object: `${name}` inside string values.
fn substitute_in_tree(tree: &mut Node, subs: Option<&Node>, p: &Props, found: &mut Vec<Diagnostic>) {
    let mut used_unresolved: Vec<String> = Vec::new();
    walk_strings(tree, &mut |s: &mut Node| {
        let NodeKind::String(value) = &s.kind else { return };
        if !value.contains("${") {
            return;
        }
        // A whole value that is one placeholder takes the substitution's type: a template
        // cannot write `Seconds: ${Delay}` unquoted in an object, and means the number.
        if let Some(typed) = placeholder_name(value).and_then(|name| p.lookup(name)).and_then(|v| scalar(&v)) {
            s.verbatim_start = None;
            s.kind = typed;
            return;
        }
        let mut text = MappedText::placeholder(value, s.span);
        for name in text.substitute(&|name| p.lookup(name)) {
            if subs.is_some_and(|s| s.get(&name).is_some()) && !used_unresolved.contains(&name) {
                used_unresolved.push(name);
            }
        }
        if &text.text != value {
            s.verbatim_start = None;
            s.kind = NodeKind::String(text.text);
        }
    });
    for name in used_unresolved {
        if let Some(m) = subs.and_then(|s| s.get(&name)) {
            let what = format!("the substitution '{name}'");
            let names = [format!("${{{name}}}")];
            found.push(intrinsic::unresolved_warning(&what, &names, &m.value, p.child("DefinitionSubstitutions")));
        }
    }
}

/// A substitution value that is a JSON number or boolean, as that type.
fn scalar(text: &str) -> Option<NodeKind> {
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::Number(n) => Some(NodeKind::Number(n)),
        serde_json::Value::Bool(b) => Some(NodeKind::Bool(b)),
        _ => None,
    }
}

fn walk_strings(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    match &mut node.kind {
        NodeKind::Array(items) => items.iter_mut().for_each(|n| walk_strings(n, f)),
        NodeKind::Object(members) => members.iter_mut().for_each(|m| walk_strings(&mut m.value, f)),
        _ => f(node),
    }
}

fn describe(node: &Node) -> String {
    match as_intrinsic(node) {
        Some(call) => format!("an '{}' CloudFormation cannot resolve here", call.key),
        None => format!("a {}", node.type_name()),
    }
}
