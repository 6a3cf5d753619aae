//! Choice states: rules with `Variable` and one comparison operator, `And`/`Or`/`Not`, or a
//! JSONata `Condition` (rules 2.15, 10.4, 10.5).

use crate::asl::codes;
use crate::asl::definition::{
    Choice, ChoiceRule, Comparison, Condition, Operand, Operator, QueryLanguage, Spanned, StateName,
};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::engine::string_matches;
use crate::asl::parse::expr::{PathKind, check_jsonata, jsonata_text, parse_path, template_field};
use crate::asl::parse::fields::{Fields, Sink};
use crate::asl::parse::kinds::StateCtx;
use crate::asl::suggest::did_you_mean;
use crate::asl::timestamp;
use crate::asl::tree::{Member, Node, NodeKind};

pub fn choice(f: &mut Fields, ctx: &StateCtx, sink: &mut Sink) -> Option<Choice> {
    let default = f.string("Default", sink).map(|n| n.map(StateName::from));
    let Some((m, items)) = f.array("Choices", sink) else {
        if !f.has("Choices") {
            sink.push(
                Diagnostic::error(codes::CHOICE_WITHOUT_RULES, "a Choice state needs 'Choices'")
                    .at(f.node.span.sub(0, 1))
                    .pointer(f.pointer.clone()),
            );
        }
        return Some(Choice { choices: Vec::new().into(), default });
    };
    if items.is_empty() {
        sink.push(
            Diagnostic::error(codes::CHOICE_WITHOUT_RULES, "'Choices' cannot be empty")
                .at(m.value.span)
                .pointer(f.child("Choices")),
        );
    }
    let pointer = f.child("Choices");
    let choices: Vec<_> =
        items.iter().enumerate().filter_map(|(i, n)| rule(n, format!("{pointer}/{i}"), true, ctx.lang, sink)).collect();
    Some(Choice { choices: choices.into(), default })
}

fn rule(node: &Node, pointer: String, top: bool, lang: QueryLanguage, sink: &mut Sink) -> Option<ChoiceRule> {
    let mut f = Fields::new(node, pointer.clone(), "a Choice rule", sink)?;
    let next = if top { f.string("Next", sink).map(|n| n.map(StateName::from)) } else { None };
    if top && next.is_none() && !f.has("Next") {
        sink.push(
            Diagnostic::error(codes::BAD_CHOICE_RULE, "every top-level Choice rule needs 'Next'")
                .at(node.span.sub(0, 1))
                .pointer(pointer.clone()),
        );
    }
    let assign = if top { template_field(&mut f, "Assign", lang, sink) } else { None };
    let output =
        if top && lang == QueryLanguage::Jsonata { template_field(&mut f, "Output", lang, sink) } else { None };
    let _ = f.string("Comment", sink);
    let condition = match lang {
        QueryLanguage::Jsonata => jsonata_condition(&mut f, sink),
        QueryLanguage::JsonPath => condition(&mut f, lang, sink),
    };
    let known: Vec<&str> = Operator::TABLE
        .iter()
        .map(|(n, _, _)| *n)
        .chain(["Variable", "And", "Or", "Not", "Next", "Assign", "Comment", "Condition", "Output"])
        .collect();
    f.finish("a Choice rule", &known, sink);
    Some(ChoiceRule { condition: condition?, next, assign, output, span: node.span, pointer })
}

fn jsonata_condition(f: &mut Fields, sink: &mut Sink) -> Option<Condition> {
    // A constant boolean is accepted by AWS (scenarios/test_choice_condition_constant_jsonata)
    // and is the JSONata expression of the same text.
    if let Some(m) = f.node.get("Condition").filter(|m| matches!(m.value.kind, NodeKind::Bool(_))) {
        f.take("Condition");
        let text = m.value.to_value().to_string();
        return Some(Condition::Jsonata(Spanned { value: text.into(), key_span: m.key_span, span: m.value.span }));
    }
    let Some(s) = f.string("Condition", sink) else {
        if !f.has("Condition") {
            sink.push(
                Diagnostic::error(codes::BAD_CHOICE_RULE, "a JSONata Choice rule needs 'Condition'")
                    .at(f.node.span.sub(0, 1))
                    .pointer(f.pointer.clone()),
            );
        }
        return None;
    };
    match jsonata_text(&s.value) {
        Some(inner) => {
            if let Some(m) = f.node.get("Condition") {
                check_jsonata(&m.value, &s.value, &f.child("Condition"), sink);
            }
            Some(Condition::Jsonata(Spanned { value: inner.into(), key_span: s.key_span, span: s.span }))
        }
        None => {
            sink.push(
                Diagnostic::error(
                    codes::BAD_JSONATA,
                    format!("'Condition' must be a JSONata expression '{{% … %}}', not '{}'", s.value),
                )
                .at(s.span)
                .pointer(f.child("Condition")),
            );
            None
        }
    }
}

fn condition(f: &mut Fields, lang: QueryLanguage, sink: &mut Sink) -> Option<Condition> {
    for key in ["And", "Or"] {
        if let Some((m, items)) = f.array(key, sink) {
            if items.is_empty() {
                sink.push(
                    Diagnostic::error(codes::BAD_CHOICE_RULE, format!("'{key}' cannot be empty"))
                        .at(m.value.span)
                        .pointer(f.child(key)),
                );
            }
            let ptr = f.child(key);
            let rules = items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| rule(n, format!("{ptr}/{i}"), false, lang, sink))
                .collect();
            return Some(if key == "And" { Condition::And(rules) } else { Condition::Or(rules) });
        }
    }
    if let Some(m) = f.take("Not") {
        return Some(Condition::Not(Box::new(rule(&m.value, f.child("Not"), false, lang, sink)?)));
    }
    comparison(f, sink).map(Condition::Compare)
}

fn comparison(f: &mut Fields, sink: &mut Sink) -> Option<Comparison> {
    let ops: Vec<&Member> = f.unused().filter(|m| Operator::from_key(&m.key).is_some()).collect();
    let variable = f.string("Variable", sink);
    if ops.len() != 1 {
        let msg = if ops.is_empty() {
            "this Choice rule has no comparison operator (or And/Or/Not)".to_string()
        } else {
            format!(
                "a Choice rule has exactly one comparison, but this one has {}",
                ops.iter().map(|m| format!("'{}'", m.key)).collect::<Vec<_>>().join(", ")
            )
        };
        let mut d = Diagnostic::error(codes::BAD_CHOICE_RULE, msg)
            .at(ops.get(1).map_or(f.node.span.sub(0, 1), |m| m.key_span))
            .pointer(f.pointer.clone());
        if ops.len() > 1 {
            d = d.help("to test several things, put one comparison per rule inside \"And\": [ … ]");
            // They are comparison operators, just too many: not also "not supported" fields.
            for m in &ops[1..] {
                f.take(&m.key);
            }
        }
        if ops.is_empty() {
            let guess = f.unused().find_map(|m| did_you_mean(&m.key, Operator::TABLE.iter().map(|(n, _, _)| *n)));
            if let Some(h) = guess {
                d = d.help(h);
            }
        }
        sink.push(d);
    }
    let op_member = *ops.first()?;
    f.take(&op_member.key);
    let Some(variable) = variable else {
        if !f.has("Variable") {
            sink.push(
                Diagnostic::error(codes::BAD_CHOICE_RULE, format!("'{}' needs a 'Variable' to compare", op_member.key))
                    .at(op_member.key_span)
                    .pointer(f.pointer.clone()),
            );
        }
        return None;
    };
    let var_node = &f.node.get("Variable")?.value;
    let var_path = parse_path(var_node, &variable.value, PathKind::Query, &f.child("Variable"), sink)?;
    let (operator, is_path, ty) = Operator::from_key(&op_member.key)?;
    let operand = operand(op_member, is_path, ty, &f.child(&op_member.key), sink)?;
    Some(Comparison {
        variable: Spanned { value: var_path, key_span: variable.key_span, span: variable.span },
        operator,
        operator_span: op_member.key_span,
        operand: Spanned { value: operand, key_span: op_member.key_span, span: op_member.value.span },
    })
}

/// The operand must fit the operator (rule 10.5).
fn operand(m: &Member, is_path: bool, ty: &str, pointer: &str, sink: &mut Sink) -> Option<Operand> {
    let v = &m.value;
    if let Some(name) = v.placeholder() {
        // Compared as the placeholder's own text until it is given a value.
        sink.push(crate::asl::parse::fields::unknown_value(&m.key, name, v.span, pointer.to_string()));
        return Some(Operand::Literal(v.to_value()));
    }
    if is_path {
        let Some(s) = v.as_str() else {
            sink.push(
                Diagnostic::error(codes::WRONG_TYPE, format!("'{}' must be a path string", m.key))
                    .at(v.span)
                    .pointer(pointer),
            );
            return None;
        };
        return parse_path(v, s, PathKind::Reference, pointer, sink).map(Operand::Path);
    }
    let ok = match (ty, &v.kind) {
        ("string", NodeKind::String(s)) if m.key == "StringMatches" => match string_matches::check_pattern(s) {
            Ok(()) => true,
            Err((at, why)) => {
                sink.push(
                    Diagnostic::error(codes::BAD_VALUE, format!("'StringMatches' pattern '{s}': {why}"))
                        .at(v.char_span(at, 1))
                        .pointer(pointer),
                );
                return None;
            }
        },
        ("string", NodeKind::String(_)) | ("number", NodeKind::Number(_)) | ("boolean", NodeKind::Bool(_)) => true,
        ("timestamp", NodeKind::String(s)) => match timestamp::parse(s) {
            Ok(_) => true,
            Err(why) => {
                sink.push(
                    Diagnostic::error(codes::BAD_TIMESTAMP, format!("'{s}' does not match RFC3339 timestamp: {why}"))
                        .at(v.span)
                        .pointer(pointer)
                        .help("write e.g. '2016-03-14T01:59:00Z': uppercase 'T', and 'Z' or an offset like '+01:00'"),
                );
                return None;
            }
        },
        _ => false,
    };
    if !ok {
        let what = if ty == "timestamp" { "an RFC 3339 timestamp string".to_string() } else { format!("a {ty}") };
        sink.push(
            Diagnostic::error(
                codes::WRONG_TYPE,
                format!("'{}' must be compared with {what}, not {}", m.key, crate::asl::parse::fields::a_type(v)),
            )
            .at(v.span)
            .pointer(pointer),
        );
        return None;
    }
    Some(Operand::Literal(v.to_value()))
}
