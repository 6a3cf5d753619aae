//! Pratt (top-down operator precedence) parser from tokens to a raw tree, following the
//! reference implementation's binding powers so that precedence and error codes match.
//! The raw tree still has `.` and `[` as binary nodes; `process` flattens it into paths.

use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::lexer::{Lexer, Token, TokenKind};
use crate::asl::jsonata::signature;

/// Deepest nesting accepted, so hostile input cannot overflow the stack in the parser, the
/// post-processing pass, the evaluator or `Drop`.
pub const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    pub kind: RawKind,
    pub pos: usize,
    /// Set by an empty predicate `[]`: keep singleton arrays.
    pub keep_array: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RawKind {
    /// The end of the input where an operand was expected.
    End,
    Name(String),
    Variable(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: String,
    },
    /// `and`, `or`, `in` used as a field name.
    KeywordName(&'static str),
    /// `?` in a partial application.
    Placeholder,
    Wildcard,
    Descendant,
    Parent,
    Binary {
        op: &'static str,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Negate(Box<Raw>),
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    Group {
        lhs: Box<Raw>,
        pairs: Vec<(Raw, Raw)>,
    },
    Sort {
        lhs: Box<Raw>,
        terms: Vec<(bool, Raw)>,
    },
    Call {
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
    },
    Lambda {
        params: Vec<String>,
        signature: Option<String>,
        body: Box<Raw>,
    },
    Block(Vec<Raw>),
    Condition {
        cond: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
    },
    /// `lhs ?? rhs`: `rhs` when `lhs` is undefined.
    Coalesce {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    /// `lhs ?: rhs`: `rhs` when `lhs` is falsy.
    Elvis {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Transform {
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
    },
}

fn raw(kind: RawKind, pos: usize) -> Raw {
    Raw { kind, pos, keep_array: false }
}

/// The current token, or the end of input.
struct Current {
    kind: Option<TokenKind>,
    pos: usize,
}

impl Current {
    /// The operator text, if this token is an operator.
    fn op(&self) -> Option<&'static str> {
        match self.kind {
            Some(TokenKind::Operator(op)) => Some(op),
            _ => None,
        }
    }

    fn is(&self, op: &str) -> bool {
        self.op() == Some(op)
    }

    fn is_end(&self) -> bool {
        self.kind.is_none()
    }

    /// The token as JSONata shows it in error messages.
    fn text(&self) -> String {
        match &self.kind {
            None => "(end)".to_string(),
            Some(TokenKind::Operator(op)) => (*op).to_string(),
            Some(TokenKind::Name(s) | TokenKind::String(s)) => s.clone(),
            Some(TokenKind::Variable(s)) => format!("${s}"),
            Some(TokenKind::Number(n)) => n.to_string(),
            Some(TokenKind::Bool(b)) => b.to_string(),
            Some(TokenKind::Null) => "null".to_string(),
            Some(TokenKind::Regex { pattern, flags }) => format!("/{pattern}/{flags}"),
        }
    }
}

/// Left binding power of an operator token (0 for anything that cannot continue an expression).
fn lbp(op: &str) -> usize {
    match op {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "*" | "/" | "%" => 60,
        "+" | "-" | "&" => 50,
        "=" | "<" | ">" | "!=" | "<=" | ">=" | "^" | "~>" | "in" | "??" | "?:" => 40,
        "and" => 30,
        "or" => 25,
        "?" => 20,
        ":=" => 10,
        _ => 0,
    }
}

/// Operators the grammar knows; `!` and `~` only stop names.
fn known(op: &str) -> bool {
    !matches!(op, "!" | "~")
}

pub struct Parser {
    lexer: Lexer,
    current: Current,
    depth: usize,
}

impl Parser {
    pub fn parse(text: &str, coalescing: bool) -> Result<Raw, JsonataError> {
        let mut p = Parser { lexer: Lexer::new(text, coalescing), current: Current { kind: None, pos: 0 }, depth: 0 };
        p.advance(None, false)?;
        let expr = p.expression(0)?;
        if !p.current.is_end() {
            return Err(JsonataError::new("S0201", p.current.pos, &p.current.text(), ""));
        }
        Ok(expr)
    }

    /// Checks the current token is `expected` (if given) and moves to the next one.
    fn advance(&mut self, expected: Option<&str>, infix: bool) -> Result<(), JsonataError> {
        if let Some(id) = expected {
            if !self.current.is(id) {
                let code = if self.current.is_end() { "S0203" } else { "S0202" };
                return Err(JsonataError::new(code, self.current.pos, &self.current.text(), id));
            }
        }
        match self.lexer.next_token(infix)? {
            None => self.current = Current { kind: None, pos: self.lexer.len() },
            Some(Token { kind: TokenKind::Operator(op), pos }) if !known(op) => {
                return Err(JsonataError::new("S0204", pos, op, ""));
            }
            Some(Token { kind, pos }) => self.current = Current { kind: Some(kind), pos },
        }
        Ok(())
    }

    fn take(&mut self) -> Current {
        std::mem::replace(&mut self.current, Current { kind: None, pos: 0 })
    }

    fn deeper(&mut self, pos: usize) -> Result<(), JsonataError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(JsonataError::at("X0001", pos)) } else { Ok(()) }
    }

    fn expression(&mut self, rbp: usize) -> Result<Raw, JsonataError> {
        let entry = self.depth;
        let result = self.expression_inner(rbp);
        self.depth = entry;
        result
    }

    fn expression_inner(&mut self, rbp: usize) -> Result<Raw, JsonataError> {
        self.deeper(self.current.pos)?;
        let t = self.take();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < self.current.op().map_or(0, lbp) {
            self.deeper(self.current.pos)?;
            let t = self.take();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, t: Current) -> Result<Raw, JsonataError> {
        let pos = t.pos;
        let Some(kind) = t.kind else { return Ok(raw(RawKind::End, pos)) };
        let node = match kind {
            TokenKind::Name(s) => RawKind::Name(s),
            TokenKind::Variable(s) => RawKind::Variable(s),
            TokenKind::String(s) => RawKind::Str(s),
            TokenKind::Number(n) => RawKind::Num(n),
            TokenKind::Bool(b) => RawKind::Bool(b),
            TokenKind::Null => RawKind::Null,
            TokenKind::Regex { pattern, flags } => RawKind::Regex { pattern, flags },
            TokenKind::Operator(op) => match op {
                "and" | "or" | "in" => RawKind::KeywordName(op),
                "-" => RawKind::Negate(Box::new(self.expression(70)?)),
                "*" => RawKind::Wildcard,
                "**" => RawKind::Descendant,
                "%" => RawKind::Parent,
                "(" => self.block()?,
                "[" => self.array()?,
                "{" => RawKind::Object(self.pairs()?),
                "|" => self.transform()?,
                _ => return Err(JsonataError::new("S0211", pos, op, "")),
            },
        };
        Ok(raw(node, pos))
    }

    fn led(&mut self, t: Current, left: Raw) -> Result<Raw, JsonataError> {
        let pos = t.pos;
        let op = t.op().unwrap_or("");
        let kind = match op {
            "(" => return self.call(left, pos),
            "[" => return self.filter(left, pos),
            "^" => RawKind::Sort { lhs: Box::new(left), terms: self.sort_terms()? },
            "{" => RawKind::Group { lhs: Box::new(left), pairs: self.pairs()? },
            ":=" => {
                if !matches!(left.kind, RawKind::Variable(_)) {
                    return Err(JsonataError::new("S0212", left.pos, &describe(&left), ""));
                }
                let rhs = self.expression(lbp(":=") - 1)?;
                RawKind::Binary { op, lhs: Box::new(left), rhs: Box::new(rhs) }
            }
            "@" | "#" => {
                let rhs = self.expression(lbp(op))?;
                if !matches!(rhs.kind, RawKind::Variable(_)) {
                    return Err(JsonataError::new("S0214", rhs.pos, op, ""));
                }
                RawKind::Binary { op, lhs: Box::new(left), rhs: Box::new(rhs) }
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.current.is(":") {
                    self.advance(Some(":"), false)?;
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                RawKind::Condition { cond: Box::new(left), then: Box::new(then), otherwise }
            }
            "??" => RawKind::Coalesce { lhs: Box::new(left), rhs: Box::new(self.expression(0)?) },
            "?:" => RawKind::Elvis { lhs: Box::new(left), rhs: Box::new(self.expression(0)?) },
            _ => {
                let rhs = self.expression(lbp(op))?;
                RawKind::Binary { op, lhs: Box::new(left), rhs: Box::new(rhs) }
            }
        };
        Ok(raw(kind, pos))
    }

    /// `( expr ; expr ; … )`.
    fn block(&mut self) -> Result<RawKind, JsonataError> {
        let mut exprs = Vec::new();
        while !self.current.is(")") {
            exprs.push(self.expression(0)?);
            if !self.current.is(";") {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        self.advance(Some(")"), true)?;
        Ok(RawKind::Block(exprs))
    }

    /// `[ item, from..to, … ]`.
    fn array(&mut self) -> Result<RawKind, JsonataError> {
        let mut items = Vec::new();
        if !self.current.is("]") {
            loop {
                let mut item = self.expression(0)?;
                if self.current.is("..") {
                    let pos = self.current.pos;
                    self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    item = raw(RawKind::Binary { op: "..", lhs: Box::new(item), rhs: Box::new(rhs) }, pos);
                }
                items.push(item);
                if !self.current.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("]"), true)?;
        Ok(RawKind::Array(items))
    }

    /// `{ key: value, … }` for both the object constructor and group-by.
    fn pairs(&mut self) -> Result<Vec<(Raw, Raw)>, JsonataError> {
        let mut pairs = Vec::new();
        if !self.current.is("}") {
            loop {
                let key = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.current.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    /// `| pattern | update [, delete] |`.
    fn transform(&mut self) -> Result<RawKind, JsonataError> {
        let pattern = Box::new(self.expression(0)?);
        self.advance(Some("|"), false)?;
        let update = Box::new(self.expression(0)?);
        let delete = if self.current.is(",") {
            self.advance(Some(","), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.advance(Some("|"), false)?;
        Ok(RawKind::Transform { pattern, update, delete })
    }

    /// `^( <a, >b )` after the `^`.
    fn sort_terms(&mut self) -> Result<Vec<(bool, Raw)>, JsonataError> {
        self.advance(Some("("), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.current.is("<") {
                self.advance(Some("<"), false)?;
            } else if self.current.is(">") {
                descending = true;
                self.advance(Some(">"), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.current.is(",") {
                break;
            }
            self.advance(Some(","), false)?;
        }
        self.advance(Some(")"), false)?;
        Ok(terms)
    }

    /// `left[ predicate ]`, or `left[]` which only marks the step to keep singleton arrays.
    fn filter(&mut self, mut left: Raw, pos: usize) -> Result<Raw, JsonataError> {
        if self.current.is("]") {
            let mut step = &mut left;
            while let RawKind::Binary { op: "[", lhs, .. } = &mut step.kind {
                step = lhs;
            }
            step.keep_array = true;
            self.advance(Some("]"), false)?;
            return Ok(left);
        }
        let rhs = self.expression(0)?;
        self.advance(Some("]"), true)?;
        Ok(raw(RawKind::Binary { op: "[", lhs: Box::new(left), rhs: Box::new(rhs) }, pos))
    }

    /// `procedure(args)`, a partial application with `?`, or a lambda `function($x){…}`.
    fn call(&mut self, procedure: Raw, pos: usize) -> Result<Raw, JsonataError> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.current.is(")") {
            loop {
                if self.current.is("?") {
                    partial = true;
                    args.push(raw(RawKind::Placeholder, self.current.pos));
                    self.advance(Some("?"), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.current.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda = matches!(&procedure.kind, RawKind::Name(n) if n == "function" || n == "λ");
        if !is_lambda {
            return Ok(raw(RawKind::Call { procedure: Box::new(procedure), args, partial }, pos));
        }
        let mut params = Vec::with_capacity(args.len());
        for (i, arg) in args.into_iter().enumerate() {
            match arg.kind {
                RawKind::Variable(name) => params.push(name),
                _ => return Err(JsonataError::new("S0208", arg.pos, &describe(&arg), &(i + 1).to_string())),
            }
        }
        let mut signature = None;
        if self.current.is("<") {
            let sig_pos = self.current.pos;
            let mut depth = 1;
            let mut sig = String::from("<");
            while depth > 0 && !self.current.is("{") && !self.current.is_end() {
                self.advance(None, false)?;
                if self.current.is(">") {
                    depth -= 1;
                } else if self.current.is("<") {
                    depth += 1;
                }
                sig.push_str(&self.current.text());
            }
            self.advance(Some(">"), false)?;
            signature::validate(&sig).map_err(|(code, offset)| JsonataError::at(code, sig_pos + offset))?;
            signature = Some(sig);
        }
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), false)?;
        Ok(raw(RawKind::Lambda { params, signature, body: Box::new(body) }, pos))
    }
}

/// A short rendering of a raw node for error messages.
fn describe(node: &Raw) -> String {
    match &node.kind {
        RawKind::Name(s) | RawKind::Str(s) => s.clone(),
        RawKind::Variable(s) => format!("${s}"),
        RawKind::Num(n) => n.to_string(),
        RawKind::Bool(b) => b.to_string(),
        RawKind::Null => "null".to_string(),
        RawKind::KeywordName(k) => (*k).to_string(),
        RawKind::Placeholder => "?".to_string(),
        _ => String::new(),
    }
}
