//! CloudFormation intrinsic functions (`Ref`, `Fn::Sub`, `Fn::Join`, `Fn::GetAtt`, …) met
//! while extracting a definition. statescope has no stack to resolve them against, so each
//! becomes text: literal parts are kept, the rest stays a `${…}` placeholder (the form Step
//! Functions' own `DefinitionSubstitutions` use, which the validator tolerates in `Resource`),
//! and an `ASL901` warning says what was left unresolved.

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::load::mapped::MappedText;
use crate::asl::tree::{Member, Node, NodeKind};

/// The intrinsic a node is, if it is a one-member object named `Ref`, `Condition` or `Fn::*`.
pub fn as_intrinsic(node: &Node) -> Option<&Member> {
    match node.as_object()? {
        [m] if m.key == "Ref" || m.key.starts_with("Fn::") => Some(m),
        _ => None,
    }
}

/// Turns an intrinsic into text. `unresolved` collects what could not be resolved locally
/// (as `${name}` placeholders); `source` is the template text, for span mapping.
pub fn to_text(call: &Member, source: &str, unresolved: &mut Vec<String>) -> MappedText {
    let span = call.value.span;
    let placeholder = |name: String, unresolved: &mut Vec<String>| {
        let text = format!("${{{name}}}");
        unresolved.push(text.clone());
        MappedText::placeholder(&text, span)
    };
    match (call.key.as_str(), &call.value.kind) {
        ("Ref", NodeKind::String(name)) => placeholder(name.clone(), unresolved),
        ("Fn::GetAtt", NodeKind::String(path)) => placeholder(path.clone(), unresolved),
        ("Fn::GetAtt", NodeKind::Array(parts)) => {
            let names: Vec<&str> = parts.iter().filter_map(Node::as_str).collect();
            placeholder(names.join("."), unresolved)
        }
        ("Fn::Sub", _) => sub(&call.value, source, unresolved),
        ("Fn::Join", NodeKind::Array(args)) => {
            join(args, source, unresolved).unwrap_or_else(|| placeholder("Fn::Join".into(), unresolved))
        }
        (other, _) => placeholder(other.to_string(), unresolved),
    }
}

/// Text for a string-or-intrinsic node.
pub fn node_text(node: &Node, source: &str, unresolved: &mut Vec<String>) -> Option<MappedText> {
    match &node.kind {
        NodeKind::String(s) => Some(MappedText::from_node(s, node.span, source)),
        NodeKind::Number(n) => Some(MappedText::placeholder(&n.to_string(), node.span)),
        NodeKind::Bool(b) => Some(MappedText::placeholder(&b.to_string(), node.span)),
        _ => as_intrinsic(node).map(|call| to_text(call, source, unresolved)),
    }
}

/// `Fn::Sub: "text"` or `Fn::Sub: ["text", {Name: value}]`: literal values are substituted.
fn sub(arg: &Node, source: &str, unresolved: &mut Vec<String>) -> MappedText {
    let (template, vars) = match &arg.kind {
        NodeKind::Array(items) => (items.first(), items.get(1)),
        _ => (Some(arg), None),
    };
    let Some(mut text) = template.and_then(|t| t.as_str().map(|s| MappedText::from_node(s, t.span, source))) else {
        unresolved.push("${Fn::Sub}".into());
        return MappedText::placeholder("${Fn::Sub}", arg.span);
    };
    let literal = |name: &str| {
        let value = &vars?.get(name)?.value;
        literal_text(value)
    };
    for name in text.substitute(&literal) {
        unresolved.push(format!("${{{name}}}"));
    }
    text
}

/// `Fn::Join: [delimiter, [parts…]]`.
fn join(args: &[Node], source: &str, unresolved: &mut Vec<String>) -> Option<MappedText> {
    let [delimiter, parts] = args else { return None };
    let delimiter = delimiter.as_str()?;
    let mut out = MappedText::placeholder("", parts.span);
    for (i, part) in parts.as_array()?.iter().enumerate() {
        if i > 0 {
            out.push(&MappedText::placeholder(delimiter, part.span));
        }
        out.push(&node_text(part, source, unresolved)?);
    }
    Some(out)
}

/// The text of a literal scalar, as CloudFormation would substitute it.
pub fn literal_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(s) => Some(s.clone()),
        NodeKind::Number(n) => Some(n.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The warning for intrinsics left as placeholders.
pub fn unresolved_warning(what: &str, names: &[String], node: &Node, pointer: String) -> Diagnostic {
    let mut unique: Vec<&str> = Vec::new();
    for n in names {
        if !unique.contains(&n.as_str()) {
            unique.push(n);
        }
    }
    let list = unique.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
    Diagnostic::warning(
        codes::UNRESOLVED_INTRINSIC,
        format!("{what} cannot be resolved without a deployed stack; {list} left as placeholder text"),
    )
    .at(node.span)
    .pointer(pointer)
    .help("give literal values in DefinitionSubstitutions (or Fn::Sub variables) to check the real text")
}

/// Replaces every intrinsic inside a `Definition` object by its text, warning once per call.
pub fn replace_in_tree(node: &mut Node, pointer: &str, source: &str, found: &mut Vec<Diagnostic>) {
    if let Some(call) = as_intrinsic(node) {
        let mut unresolved = Vec::new();
        let text = to_text(call, source, &mut unresolved);
        if !unresolved.is_empty() {
            let what = format!("the intrinsic '{}'", call.key);
            found.push(unresolved_warning(&what, &unresolved, node, pointer.to_string()));
        }
        *node = Node::new(node.span, NodeKind::String(text.text));
        return;
    }
    match &mut node.kind {
        NodeKind::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                replace_in_tree(item, &format!("{pointer}/{i}"), source, found);
            }
        }
        NodeKind::Object(members) => {
            for m in members {
                let child = format!("{pointer}/{}", crate::asl::tree::pointer_token(&m.key));
                replace_in_tree(&mut m.value, &child, source, found);
            }
        }
        _ => {}
    }
}
