//! The post-parse pass: flattens `.`/`[`/`{`/`^`/`@`/`#` chains into path steps and resolves
//! which step each parent operator `%` refers to, raising JSONata's semantic syntax errors
//! (S0209, S0210, S0213, S0215, S0216, S0217, S0207) exactly where the reference does.

use crate::asl::jsonata::ast::{Ast, BinaryOp, CompiledRegex, Group, Kind, Node, Slot, SortTerm, Stage};
use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::parser::{Raw, RawKind};

pub fn process(raw: Raw) -> Result<Ast, JsonataError> {
    let mut p = Processor { slots: Vec::new(), invalid_regexes: Vec::new() };
    let root = p.node(raw)?;
    if matches!(root.kind, Kind::Parent(_)) || root.seeking_parent.is_some() {
        return Err(JsonataError::new("S0217", root.pos, kind_name(&root.kind), ""));
    }
    Ok(Ast { root, slots: p.slots, invalid_regexes: p.invalid_regexes })
}

struct Processor {
    slots: Vec<Slot>,
    invalid_regexes: Vec<(usize, String)>,
}

fn boxed(n: Node) -> Box<Node> {
    Box::new(n)
}

/// The `%` slots a node still needs resolved, if any.
fn ancestry_of(value: &Node) -> Option<Vec<usize>> {
    let mut slots = value.seeking_parent.clone();
    if let Kind::Parent(slot) = value.kind {
        slots.get_or_insert_with(Vec::new).push(slot);
    }
    slots
}

fn absorb(result: &mut Node, slots: Option<Vec<usize>>) {
    if let Some(slots) = slots {
        result.seeking_parent.get_or_insert_with(Vec::new).extend(slots);
    }
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Path(_) => "path",
        Kind::Name(_) => "name",
        Kind::String(_) => "string",
        Kind::Number(_) => "number",
        Kind::Bool(_) | Kind::Null => "value",
        Kind::Regex { .. } => "regex",
        Kind::Variable(_) => "variable",
        Kind::Wildcard => "wildcard",
        Kind::Descendant => "descendant",
        Kind::Parent(_) => "parent",
        Kind::Binary { .. } | Kind::Coalesce { .. } | Kind::Elvis { .. } => "binary",
        Kind::Negate(_) | Kind::Array(_) | Kind::Object(_) => "unary",
        Kind::Block(_) => "block",
        Kind::Condition { .. } => "condition",
        Kind::Function { .. } => "function",
        Kind::Partial { .. } => "partial",
        Kind::Placeholder => "operator",
        Kind::Lambda { .. } => "lambda",
        Kind::Bind { .. } => "bind",
        Kind::Apply { .. } => "apply",
        Kind::Transform { .. } => "transform",
        Kind::Sort(_) => "sort",
    }
}

fn into_path(node: Node) -> Node {
    if matches!(node.kind, Kind::Path(_)) {
        return node;
    }
    let pos = node.pos;
    Node::new(Kind::Path(vec![node]), pos)
}

/// Runs `f` on the last step of a path, or on the node itself when it is not a path.
fn with_last_step<R>(node: &mut Node, f: impl FnOnce(&mut Node) -> R) -> R {
    if let Kind::Path(steps) = &mut node.kind {
        if let Some(last) = steps.last_mut() {
            return f(last);
        }
    }
    f(node)
}

impl Processor {
    fn node(&mut self, raw: Raw) -> Result<Node, JsonataError> {
        let keep_array = raw.keep_array;
        let pos = raw.pos;
        let mut result = match raw.kind {
            RawKind::Binary { op: ".", lhs, rhs } => self.map(*lhs, *rhs)?,
            RawKind::Binary { op: "[", lhs, rhs } => self.filter(*lhs, *rhs, pos)?,
            RawKind::Group { lhs, pairs } => {
                let mut result = self.node(*lhs)?;
                if result.group.is_some() {
                    return Err(JsonataError::at("S0210", pos));
                }
                let pairs = self.pairs(pairs, None)?;
                result.group = Some(Group { pairs, pos });
                result
            }
            RawKind::Sort { lhs, terms } => {
                let mut result = into_path(self.node(*lhs)?);
                let mut sort = Node::new(Kind::Sort(Vec::new()), pos);
                let mut out = Vec::with_capacity(terms.len());
                for (descending, term) in terms {
                    let expr = self.node(term)?;
                    absorb(&mut sort, ancestry_of(&expr));
                    out.push(SortTerm { descending, expr });
                }
                sort.kind = Kind::Sort(out);
                if let Kind::Path(steps) = &mut result.kind {
                    steps.push(sort);
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            RawKind::Binary { op: ":=", lhs, rhs } => {
                let name = match lhs.kind {
                    RawKind::Variable(v) => v,
                    _ => return Err(JsonataError::at("S0212", lhs.pos)),
                };
                let value = self.node(*rhs)?;
                let slots = ancestry_of(&value);
                let mut result = Node::new(Kind::Bind { name, value: boxed(value) }, pos);
                absorb(&mut result, slots);
                result
            }
            RawKind::Binary { op: "@", lhs, rhs } => {
                let var = variable_name(&rhs, "@")?;
                let mut result = self.node(*lhs)?;
                with_last_step(&mut result, |step| {
                    if !step.stages.is_empty() || !step.predicate.is_empty() {
                        return Err(JsonataError::at("S0215", pos));
                    }
                    if matches!(step.kind, Kind::Sort(_)) {
                        return Err(JsonataError::at("S0216", pos));
                    }
                    if keep_array {
                        step.keep_array = true;
                    }
                    step.focus = Some(var);
                    step.tuple = true;
                    Ok(())
                })?;
                result
            }
            RawKind::Binary { op: "#", lhs, rhs } => {
                let var = variable_name(&rhs, "#")?;
                let mut result = self.node(*lhs)?;
                if !matches!(result.kind, Kind::Path(_)) {
                    let mut only = result;
                    if !only.predicate.is_empty() {
                        only.stages = std::mem::take(&mut only.predicate);
                    }
                    result = into_path(only);
                }
                with_last_step(&mut result, |step| {
                    if step.stages.is_empty() {
                        step.index = Some(var);
                    } else {
                        step.stages.push(Stage::Index { var, pos });
                    }
                    step.tuple = true;
                });
                result
            }
            RawKind::Binary { op: "~>", lhs, rhs } => {
                let lhs = self.node(*lhs)?;
                let rhs = self.node(*rhs)?;
                Node::new(Kind::Apply { lhs: boxed(lhs), rhs: boxed(rhs) }, pos)
            }
            RawKind::Binary { op, lhs, rhs } => {
                let lhs = self.node(*lhs)?;
                let rhs = self.node(*rhs)?;
                let op = BinaryOp::from_token(op).ok_or_else(|| JsonataError::new("S0201", pos, op, ""))?;
                self.both(pos, lhs, rhs, |lhs, rhs| Kind::Binary { op, lhs, rhs })
            }
            RawKind::Coalesce { lhs, rhs } => {
                let lhs = self.node(*lhs)?;
                let rhs = self.node(*rhs)?;
                self.both(pos, lhs, rhs, |lhs, rhs| Kind::Coalesce { lhs, rhs })
            }
            RawKind::Elvis { lhs, rhs } => {
                let lhs = self.node(*lhs)?;
                let rhs = self.node(*rhs)?;
                self.both(pos, lhs, rhs, |lhs, rhs| Kind::Elvis { lhs, rhs })
            }
            RawKind::Negate(inner) => {
                let inner = self.node(*inner)?;
                match inner.kind {
                    Kind::Number(n) if inner.predicate.is_empty() && inner.group.is_none() => {
                        Node::new(Kind::Number(-n), pos)
                    }
                    _ => {
                        let slots = ancestry_of(&inner);
                        let mut result = Node::new(Kind::Negate(boxed(inner)), pos);
                        absorb(&mut result, slots);
                        result
                    }
                }
            }
            RawKind::Array(items) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let value = self.node(item)?;
                    absorb(&mut result, ancestry_of(&value));
                    out.push(value);
                }
                result.kind = Kind::Array(out);
                result
            }
            RawKind::Object(pairs) => {
                let mut result = Node::new(Kind::Null, pos);
                let pairs = self.pairs(pairs, Some(&mut result))?;
                result.kind = Kind::Object(pairs);
                result
            }
            RawKind::Call { procedure, args, partial } => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(args.len());
                for arg in args {
                    let value = self.node(arg)?;
                    absorb(&mut result, ancestry_of(&value));
                    out.push(value);
                }
                let procedure = boxed(self.node(*procedure)?);
                result.kind = if partial {
                    Kind::Partial { procedure, args: out }
                } else {
                    Kind::Function { procedure, args: out }
                };
                result
            }
            RawKind::Lambda { params, signature, body } => {
                let body = boxed(self.node(*body)?);
                Node::new(Kind::Lambda { params, signature, body }, pos)
            }
            RawKind::Condition { cond, then, otherwise } => {
                let mut result = Node::new(Kind::Null, pos);
                let cond = self.node(*cond)?;
                absorb(&mut result, ancestry_of(&cond));
                let then = self.node(*then)?;
                absorb(&mut result, ancestry_of(&then));
                let otherwise = match otherwise {
                    Some(e) => {
                        let e = self.node(*e)?;
                        absorb(&mut result, ancestry_of(&e));
                        Some(boxed(e))
                    }
                    None => None,
                };
                result.kind = Kind::Condition { cond: boxed(cond), then: boxed(then), otherwise };
                result
            }
            RawKind::Transform { pattern, update, delete } => {
                let pattern = boxed(self.node(*pattern)?);
                let update = boxed(self.node(*update)?);
                let delete = match delete {
                    Some(d) => Some(boxed(self.node(*d)?)),
                    None => None,
                };
                Node::new(Kind::Transform { pattern, update, delete }, pos)
            }
            RawKind::Block(exprs) => {
                let mut result = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(exprs.len());
                for e in exprs {
                    let part = self.node(e)?;
                    absorb(&mut result, ancestry_of(&part));
                    let first_cons = match &part.kind {
                        Kind::Path(steps) => steps.first().is_some_and(|s| s.cons_array),
                        _ => false,
                    };
                    if part.cons_array || first_cons {
                        result.cons_array = true;
                    }
                    out.push(part);
                }
                result.kind = Kind::Block(out);
                result
            }
            RawKind::Name(name) => {
                let mut step = Node::new(Kind::Name(name), pos);
                step.keep_array = keep_array;
                let mut path = into_path(step);
                path.keep_singleton_array = keep_array;
                path
            }
            RawKind::KeywordName(name) => into_path(Node::new(Kind::Name(name.to_string()), pos)),
            RawKind::Parent => {
                let slot = self.slots.len();
                self.slots.push(Slot { label: format!("!{slot}"), level: 1 });
                Node::new(Kind::Parent(slot), pos)
            }
            RawKind::Str(s) => Node::new(Kind::String(s), pos),
            RawKind::Num(n) => Node::new(Kind::Number(n), pos),
            RawKind::Bool(b) => Node::new(Kind::Bool(b), pos),
            RawKind::Null => Node::new(Kind::Null, pos),
            RawKind::Regex { pattern, flags } => {
                let compiled = CompiledRegex::new(&pattern, &flags);
                if let Err(why) = &compiled.0 {
                    self.invalid_regexes.push((pos, why.clone()));
                }
                Node::new(Kind::Regex { pattern, flags, compiled }, pos)
            }
            RawKind::Variable(v) => Node::new(Kind::Variable(v), pos),
            RawKind::Wildcard => Node::new(Kind::Wildcard, pos),
            RawKind::Descendant => Node::new(Kind::Descendant, pos),
            RawKind::Placeholder => Node::new(Kind::Placeholder, pos),
            RawKind::End => return Err(JsonataError::at("S0207", pos)),
        };
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    fn both(&mut self, pos: usize, lhs: Node, rhs: Node, make: impl FnOnce(Box<Node>, Box<Node>) -> Kind) -> Node {
        let mut result = Node::new(Kind::Null, pos);
        absorb(&mut result, ancestry_of(&lhs));
        absorb(&mut result, ancestry_of(&rhs));
        result.kind = make(boxed(lhs), boxed(rhs));
        result
    }

    fn pairs(
        &mut self,
        pairs: Vec<(Raw, Raw)>,
        mut into: Option<&mut Node>,
    ) -> Result<Vec<(Node, Node)>, JsonataError> {
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = self.node(k)?;
            if let Some(result) = into.as_deref_mut() {
                absorb(result, ancestry_of(&key));
            }
            let value = self.node(v)?;
            if let Some(result) = into.as_deref_mut() {
                absorb(result, ancestry_of(&value));
            }
            out.push((key, value));
        }
        Ok(out)
    }

    /// `lhs.rhs`: append the right side's steps to the left side's path.
    fn map(&mut self, lhs: Raw, rhs: Raw) -> Result<Node, JsonataError> {
        let lstep = self.node(lhs)?;
        let parent_slot = match lstep.kind {
            Kind::Parent(slot) => Some(slot),
            _ => None,
        };
        let mut result = into_path(lstep);
        if let Some(slot) = parent_slot {
            result.seeking_parent = Some(vec![slot]);
        }
        let mut rest = self.node(rhs)?;
        let Kind::Path(steps) = &mut result.kind else {
            return Err(JsonataError::at("S0201", result.pos));
        };
        match rest.kind {
            Kind::Path(more) => steps.extend(more),
            _ => {
                if !rest.predicate.is_empty() {
                    rest.stages = std::mem::take(&mut rest.predicate);
                }
                steps.push(rest);
            }
        }
        for step in steps.iter_mut() {
            match &step.kind {
                Kind::Number(n) => return Err(JsonataError::new("S0213", step.pos, "", &n.to_string())),
                Kind::Bool(b) => return Err(JsonataError::new("S0213", step.pos, "", &b.to_string())),
                Kind::Null => return Err(JsonataError::new("S0213", step.pos, "", "null")),
                Kind::String(s) => step.kind = Kind::Name(s.clone()),
                _ => {}
            }
        }
        if steps.iter().any(|s| s.keep_array) {
            result.keep_singleton_array = true;
        }
        if let Some(first) = steps.first_mut() {
            if matches!(first.kind, Kind::Array(_)) {
                first.cons_array = true;
            }
        }
        if let Some(last) = steps.last_mut() {
            if matches!(last.kind, Kind::Array(_)) {
                last.cons_array = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// `lhs[rhs]`: a predicate on the last step (or on the expression itself).
    fn filter(&mut self, lhs: Raw, rhs: Raw, pos: usize) -> Result<Node, JsonataError> {
        let mut result = self.node(lhs)?;
        let in_path = matches!(result.kind, Kind::Path(_));
        if with_last_step(&mut result, |step| step.group.is_some()) {
            return Err(JsonataError::at("S0209", pos));
        }
        let predicate = self.node(rhs)?;
        with_last_step(&mut result, |step| {
            if let Some(slots) = &predicate.seeking_parent {
                for &slot in slots {
                    if self.slots.get(slot).is_some_and(|s| s.level == 1) {
                        self.seek_parent(step, slot)?;
                    } else if let Some(s) = self.slots.get_mut(slot) {
                        s.level -= 1;
                    }
                }
                absorb(step, ancestry_of(&predicate));
            }
            let stage = Stage::Filter { expr: Box::new(predicate), pos };
            if in_path {
                step.stages.push(stage);
            } else {
                step.predicate.push(stage);
            }
            Ok(())
        })?;
        Ok(result)
    }

    fn level(&self, slot: usize) -> i64 {
        self.slots.get(slot).map_or(0, |s| s.level)
    }

    /// Walks back from `node` to find the step a `%` refers to.
    fn seek_parent(&mut self, node: &mut Node, slot: usize) -> Result<(), JsonataError> {
        match &mut node.kind {
            Kind::Name(_) | Kind::Wildcard => {
                if let Some(s) = self.slots.get_mut(slot) {
                    s.level -= 1;
                }
                if self.level(slot) == 0 {
                    if let Some(existing) = node.ancestor {
                        // Both parents refer to this step: share the existing label.
                        let label = self.slots.get(existing).map(|s| s.label.clone()).unwrap_or_default();
                        if let Some(s) = self.slots.get_mut(slot) {
                            s.label = label;
                        }
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            Kind::Parent(_) => {
                if let Some(s) = self.slots.get_mut(slot) {
                    s.level += 1;
                }
            }
            Kind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    self.seek_parent(last, slot)?;
                    node.tuple = true;
                }
            }
            Kind::Path(steps) => {
                let mut index = steps.len();
                while index > 0 {
                    index -= 1;
                    if let Some(step) = steps.get_mut(index) {
                        self.seek_parent(step, slot)?;
                    }
                    if self.level(slot) <= 0 {
                        break;
                    }
                }
                node.tuple = true;
            }
            other => return Err(JsonataError::new("S0217", node.pos, kind_name(other), "")),
        }
        Ok(())
    }

    /// Resolves the `%`s in a path's last step against the steps before it.
    fn resolve_ancestry(&mut self, path: &mut Node) -> Result<(), JsonataError> {
        let Kind::Path(steps) = &mut path.kind else { return Ok(()) };
        let Some(last) = steps.last() else { return Ok(()) };
        let slots = ancestry_of(last).unwrap_or_default();
        let mut unresolved = Vec::new();
        for slot in slots {
            let mut index = steps.len() as isize - 2;
            while self.level(slot) > 0 {
                if index < 0 {
                    unresolved.push(slot);
                    break;
                }
                let mut step_index = index as usize;
                index -= 1;
                // Consecutive steps that each bind a focus variable act as one step.
                while index >= 0
                    && steps.get(step_index).is_some_and(|s| s.focus.is_some())
                    && steps.get(index as usize).is_some_and(|s| s.focus.is_some())
                {
                    step_index = index as usize;
                    index -= 1;
                }
                if let Some(step) = steps.get_mut(step_index) {
                    self.seek_parent(step, slot)?;
                }
            }
        }
        if !unresolved.is_empty() {
            path.seeking_parent.get_or_insert_with(Vec::new).extend(unresolved);
        }
        Ok(())
    }
}

fn variable_name(rhs: &Raw, op: &str) -> Result<String, JsonataError> {
    match &rhs.kind {
        RawKind::Variable(v) => Ok(v.clone()),
        _ => Err(JsonataError::new("S0214", rhs.pos, op, "")),
    }
}
