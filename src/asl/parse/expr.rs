//! Parsing the expression-bearing fields: JSONPath paths (query and reference), payload
//! templates with `.$` keys, intrinsic calls, JSONata `{% %}` strings and numbers that may come
//! from a path. Errors inside an expression point at the character inside the string.

use serde_json::Value;

use crate::asl::codes;
use crate::asl::definition::{Expr, NumberSource, PathOrNull, QueryLanguage, Spanned, Template, TemplateField};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::intrinsics;
use crate::asl::jsonata;
use crate::asl::jsonpath::{Path, Root};
use crate::asl::parse::fields::{Fields, Sink, a_type};
use crate::asl::tree::{Member, Node, NodeKind};

/// What a path field may contain (rules 2.18, 2.19).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// InputPath, OutputPath, `.$` values: any query path, `$$` and `$var` too.
    Query,
    /// ItemsPath, SecondsPath, Choice Variable, …: a reference path, `$$` and `$var` allowed.
    Reference,
    /// ResultPath: a reference path on `$` only.
    ResultPath,
}

/// Parses a path string, reporting errors with a span inside the string.
pub fn parse_path(node: &Node, text: &str, kind: PathKind, pointer: &str, sink: &mut Sink) -> Option<Path> {
    if let Some(name) = crate::asl::tree::placeholder_name(text) {
        // A path given at deployment: unknown, not wrong. '$' stands in so the state is built.
        let key = pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
        sink.push(
            crate::asl::parse::fields::unknown_value(&key, name, node.span, pointer.to_string())
                .help(format!("statescope uses '$' until you give it a value: --substitute {name}=PATH")),
        );
        return Path::parse("$").ok();
    }
    let path = match Path::parse(text) {
        Ok(p) => p,
        Err(e) => {
            sink.push(
                Diagnostic::error(codes::BAD_JSONPATH, format!("'{text}' is not a valid JSONPath: {}", e.message))
                    .at(node.char_span(e.offset, 1))
                    .pointer(pointer),
            );
            return None;
        }
    };
    for (offset, word) in path.unquoted_literals() {
        sink.push(
            Diagnostic::warning(
                codes::BAD_JSONPATH,
                format!("'{word}' in '{text}' is not quoted; statescope compares it as the string \"{word}\""),
            )
            .at(node.char_span(*offset, word.chars().count()))
            .pointer(pointer)
            .help(format!("write '{word}' (quoted) to say what you mean; AWS accepts the unquoted form at creation")),
        );
    }
    if let Some(f) = path.trailing_function() {
        // Rule 4.7: AWS accepts the definition but fails the path at runtime.
        let at = text.rfind(&format!(".{f}(")).or_else(|| text.rfind('.')).unwrap_or(0);
        sink.push(
            Diagnostic::warning(
                codes::BAD_JSONPATH,
                format!("AWS Step Functions does not evaluate path functions: '{text}' fails at runtime"),
            )
            .at(node.char_span(text[..at].chars().count(), 1))
            .pointer(pointer),
        );
    }
    let problem = match kind {
        PathKind::Query => None,
        PathKind::Reference if !path.is_reference_path() => {
            Some("must be a reference path (only '.name', ['name'] and [n] steps)")
        }
        PathKind::ResultPath if !matches!(path.root(), Root::Input) => {
            Some("must start with '$' (not '$$' or a variable)")
        }
        PathKind::ResultPath if !path.is_reference_path() => {
            Some("must be a reference path (only '.name', ['name'] and [n] steps)")
        }
        _ => None,
    };
    match problem {
        Some(why) => {
            sink.push(
                Diagnostic::error(codes::NOT_REFERENCE_PATH, format!("'{text}' {why}")).at(node.span).pointer(pointer),
            );
            None
        }
        None => Some(path),
    }
}

/// A path field that may be `null` (InputPath, OutputPath, ResultPath).
pub fn path_or_null(f: &mut Fields, key: &str, kind: PathKind, sink: &mut Sink) -> Option<Spanned<PathOrNull>> {
    let m = f.take(key)?;
    let value = match &m.value.kind {
        NodeKind::Null => PathOrNull::Null,
        NodeKind::String(s) => PathOrNull::Path(parse_path(&m.value, s, kind, &f.child(key), sink)?),
        _ => {
            sink.push(f.wrong_type(m, "a JSONPath string or null"));
            return None;
        }
    };
    Some(Spanned { value, key_span: m.key_span, span: m.value.span })
}

/// A path field that must be a string (ItemsPath, SecondsPath, …).
pub fn path_field(f: &mut Fields, key: &str, kind: PathKind, sink: &mut Sink) -> Option<Spanned<Path>> {
    let s = f.string(key, sink)?;
    let m = f.node.get(key)?;
    let path = parse_path(&m.value, &s.value, kind, &f.child(key), sink)?;
    Some(Spanned { value: path, key_span: s.key_span, span: s.span })
}

/// The text inside `{% … %}`, if `s` is a JSONata expression string.
pub fn jsonata_text(s: &str) -> Option<&str> {
    // rule 8.1: the whole string, with no space around the delimiters.
    s.strip_prefix("{%")?.strip_suffix("%}")
}

/// Parses the JSONata inside a `{% … %}` string at load time (issue 2), so a broken expression
/// is reported with the character it breaks at before anything runs. `node` holds `s`.
pub fn check_jsonata(node: &Node, s: &str, pointer: &str, sink: &mut Sink) {
    let Some(inner) = jsonata_text(s) else { return };
    if inner.trim().is_empty() {
        return;
    }
    // Chars before the expression: leading whitespace and the `{%`.
    let before = s.len() - s.trim_start().len() + 2;
    let before = s[..before].chars().count();
    // AWS evaluates with JSONata 2.0 (checklist 8.3), so 2.1's `??` and `?:` do not parse there.
    match jsonata::parse_version(inner, jsonata::Version::V2_0) {
        Err(_) if !crate::asl::tree::placeholder_names(inner).is_empty() => {
            let name = &crate::asl::tree::placeholder_names(inner)[0];
            // `{% $states.input.n > ${Limit} %}`: JSONata only once the template is deployed.
            sink.push(
                Diagnostic::warning(
                    codes::UNRESOLVED_INTRINSIC,
                    format!("this JSONata expression holds the placeholder '${{{name}}}'; it is checked once that has a value"),
                )
                .at(node.span)
                .pointer(pointer)
                .help(format!("give it a value with --substitute {name}=VALUE")),
            );
        }
        Err(e) => sink.push(
            Diagnostic::error(codes::JSONATA_SYNTAX, format!("JSONata syntax error: {} ({})", e.message, e.code))
                .at(node.char_span(before + e.position, 1))
                .pointer(pointer),
        ),
        // A warning, not an error: JavaScript's regex syntax (which AWS's JSONata may accept)
        // is not this engine's, so the definition may still be valid; only evaluating the
        // literal fails (S0303, a States.QueryEvaluationError).
        Ok(ast) => {
            for (at, why) in &ast.invalid_regexes {
                sink.push(
                    Diagnostic::warning(
                        codes::JSONATA_SYNTAX,
                        format!("this regular expression does not compile, so evaluating it fails: {why}"),
                    )
                    .at(node.char_span(before + at, 1))
                    .pointer(pointer),
                );
            }
        }
    }
}

/// A template field (Parameters, ResultSelector, ItemSelector, Assign, Arguments, Output).
pub fn template_field(f: &mut Fields, key: &str, lang: QueryLanguage, sink: &mut Sink) -> Option<Spanned<Template>> {
    let m = f.take(key)?;
    let pointer = f.child(key);
    let t = template(&m.value, lang, &pointer, sink);
    Some(Spanned { value: t, key_span: m.key_span, span: m.value.span })
}

/// Builds a template from any JSON value.
pub fn template(node: &Node, lang: QueryLanguage, pointer: &str, sink: &mut Sink) -> Template {
    match (&node.kind, lang) {
        (NodeKind::Object(members), _) => template_object(members, lang, pointer, sink),
        (NodeKind::Array(items), _) => {
            let parts: Vec<Template> =
                items.iter().enumerate().map(|(i, n)| template(n, lang, &format!("{pointer}/{i}"), sink)).collect();
            if parts.iter().all(|p| matches!(p, Template::Literal(_))) {
                Template::Literal(node.to_value())
            } else {
                Template::Array(parts)
            }
        }
        (NodeKind::String(s), QueryLanguage::Jsonata) => match jsonata_string(node, s, pointer, sink) {
            Some(e) => Template::Expr(e),
            None => Template::Literal(Value::String(s.clone())),
        },
        _ => Template::Literal(node.to_value()),
    }
}

fn template_object(members: &[Member], lang: QueryLanguage, pointer: &str, sink: &mut Sink) -> Template {
    let mut fields: Vec<TemplateField> = Vec::with_capacity(members.len());
    for m in members {
        let child = format!("{pointer}/{}", crate::asl::tree::pointer_token(&m.key));
        let (key, value) = match m.key.strip_suffix(".$") {
            Some(stripped) if lang == QueryLanguage::JsonPath => (
                stripped.to_string(),
                dollar_value(m, &child, sink).map_or(Template::Literal(Value::Null), Template::Expr),
            ),
            _ => (m.key.clone(), template(&m.value, lang, &child, sink)),
        };
        if fields.iter().any(|f| f.key == key) {
            sink.push(
                Diagnostic::error(
                    codes::DUPLICATE_KEY,
                    format!("key '{key}' appears twice once '.$' suffixes are removed"),
                )
                .at(m.key_span)
                .pointer(child),
            );
        }
        fields.push(TemplateField { key, key_span: m.key_span, value, span: m.value.span });
    }
    if fields.iter().all(|f| matches!(f.value, Template::Literal(_))) && members.iter().all(|m| !m.key.ends_with(".$"))
    {
        let mut map = serde_json::Map::new();
        for f in fields {
            if let Template::Literal(v) = f.value {
                map.insert(f.key, v);
            }
        }
        return Template::Literal(Value::Object(map));
    }
    Template::Object(fields)
}

/// The value of a `key.$` entry: a path or an intrinsic call (rule 2.17).
fn dollar_value(m: &Member, pointer: &str, sink: &mut Sink) -> Option<Expr> {
    let bad = |why: String| {
        Diagnostic::error(
            codes::BAD_TEMPLATE_KEY,
            format!(
                "the value for the field '{}' must be a valid JSONPath or a valid intrinsic function call{why}",
                m.key
            ),
        )
        .pointer(pointer)
    };
    let Some(text) = m.value.as_str() else {
        sink.push(bad(format!(", not {}", a_type(&m.value))).at(m.value.span));
        return None;
    };
    if text.starts_with('$') {
        return parse_path(&m.value, text, PathKind::Query, pointer, sink).map(Expr::Path);
    }
    match intrinsics::parse(text) {
        Ok(call) => Some(Expr::Intrinsic(call)),
        Err(e) => {
            sink.push(bad(format!(": {}", e.message)).at(m.value.char_span(e.offset, 1)).code(codes::BAD_INTRINSIC));
            None
        }
    }
}

/// A JSONata `{% %}` string, checked for its delimiters; `None` for a plain string.
pub fn jsonata_string(node: &Node, s: &str, pointer: &str, sink: &mut Sink) -> Option<Expr> {
    let trimmed = s.trim();
    if let Some(inner) = jsonata_text(s) {
        if inner.trim().is_empty() {
            sink.push(
                Diagnostic::error(codes::BAD_JSONATA, "the JSONata expression '{% %}' is empty")
                    .at(node.span)
                    .pointer(pointer),
            );
        }
        check_jsonata(node, s, pointer, sink);
        return Some(Expr::Jsonata(inner.into()));
    }
    if trimmed.starts_with("{%") && trimmed.ends_with("%}") && trimmed.len() >= 4 {
        // rule 8.1: only the whole string counts; AWS ran `" {% states.input %} "` as the
        // literal text (`outputdecl/test_base_cases(BASE_LITERALS)`). Legal, but rarely meant.
        sink.push(
            Diagnostic::warning(
                codes::BAD_JSONATA,
                format!("'{s}' is taken literally: spaces around '{{%' … '%}}' make it plain text, not JSONata"),
            )
            .at(node.span)
            .pointer(pointer)
            .help("remove the spaces outside the delimiters to evaluate it"),
        );
        return None;
    }
    if trimmed.starts_with("{%") || trimmed.ends_with("%}") {
        sink.push(
            Diagnostic::error(
                codes::BAD_JSONATA,
                format!("'{s}' looks like a JSONata expression but is not enclosed in '{{%' and '%}}'"),
            )
            .at(node.span)
            .pointer(pointer),
        );
    }
    None
}

/// A number that may be literal, a `…Path` reference or JSONata (TimeoutSeconds, MaxConcurrency, …).
pub fn number_source(
    f: &mut Fields,
    key: &str,
    path_key: Option<&str>,
    lang: QueryLanguage,
    sink: &mut Sink,
) -> Option<Spanned<NumberSource>> {
    if let (Some(pk), true) = (path_key, f.has(key)) {
        if f.has(pk) {
            let m = f.take(pk)?;
            sink.push(
                Diagnostic::error(codes::MUTUALLY_EXCLUSIVE, format!("'{key}' and '{pk}' cannot both be set"))
                    .at(m.key_span)
                    .pointer(f.child(pk)),
            );
        }
    }
    if let Some(pk) = path_key.filter(|pk| f.has(pk) && !f.has(key)) {
        let p = path_field(f, pk, PathKind::Reference, sink)?;
        return Some(Spanned { value: NumberSource::Path(p.value), key_span: p.key_span, span: p.span });
    }
    let m = f.take(key)?;
    let value = match &m.value.kind {
        NodeKind::Number(n) if n.as_f64().is_some_and(|v| v >= 0.0) => NumberSource::Literal(m.value.to_value()),
        NodeKind::String(s) if lang == QueryLanguage::Jsonata && jsonata_text(s).is_some() => {
            check_jsonata(&m.value, s, &f.child(key), sink);
            NumberSource::Jsonata(jsonata_text(s).unwrap_or_default().into())
        }
        NodeKind::Number(_) => {
            sink.push(
                Diagnostic::error(codes::BAD_VALUE, format!("'{key}' must not be negative"))
                    .at(m.value.span)
                    .pointer(f.child(key)),
            );
            return None;
        }
        _ => {
            sink.push(f.wrong_type(m, "a non-negative number"));
            return None;
        }
    };
    Some(Spanned { value, key_span: m.key_span, span: m.value.span })
}
