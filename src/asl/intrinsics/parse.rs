//! The call grammar (rule 9.1): `States.Name(arg, …)` where an argument is a single-quoted
//! string, a number, `true`/`false`/`null`, a JSONPath (`$…`, `$$…`, `$name…`) or a nested
//! call. Offsets in errors are character offsets into the text, so diagnostics can point at the
//! exact character inside the JSON string.

use crate::asl::intrinsics::format::Template;
use crate::asl::intrinsics::func::{self, Func, Kind};
use crate::asl::intrinsics::{Arg, Call, IntrinsicSyntaxError};
use crate::asl::jsonpath::Path;
use crate::asl::suggest;

/// Calls nest at most this deep within one field (rule 2.21).
const MAX_DEPTH: usize = 10;

/// Parses an intrinsic call; the whole text must be one call (trailing blanks are allowed).
pub fn parse(text: &str) -> Result<Call, IntrinsicSyntaxError> {
    let mut p = Parser { chars: text.chars().collect(), pos: 0 };
    let call = p.call(1)?;
    p.blanks();
    if p.pos < p.chars.len() {
        return Err(p.error(p.pos, "unexpected text after the closing ')' of the call"));
    }
    Ok(call)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

impl Parser {
    fn error(&self, offset: usize, message: impl Into<String>) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError { offset, message: message.into() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    fn blanks(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        self.slice(start, self.pos)
    }

    /// `States.Name(args)`, with the cursor on the name.
    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicSyntaxError> {
        let start = self.pos;
        let name = self.name();
        if name.is_empty() {
            return Err(self.error(start, "expected an intrinsic function name such as 'States.Format'"));
        }
        if self.peek() != Some('(') {
            return Err(self.error(self.pos, format!("expected '(' after the function name '{name}'")));
        }
        let Some(func) = Func::from_name(&name) else {
            return Err(self.error(start, unknown_function(&name)));
        };
        if depth > MAX_DEPTH {
            return Err(self.error(start, format!("intrinsic calls nest more than {MAX_DEPTH} deep")));
        }
        self.pos += 1;
        let mut args = Vec::new();
        let mut arg_starts = Vec::new();
        self.blanks();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.blanks();
                arg_starts.push(self.pos);
                args.push(self.arg(depth)?);
                self.blanks();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(self.error(self.pos, format!("expected ',' or ')' but found '{c}'")));
                    }
                    None => return Err(self.error(self.pos, format!("missing ')' to close {name}("))),
                }
            }
        }
        if let Some(expected) = func.arity_problem(args.len()) {
            let plural = if expected.ends_with(" 1") || expected == "1" { "" } else { "s" };
            let given = match args.len() {
                1 => "1 was".to_string(),
                n => format!("{n} were"),
            };
            return Err(self.error(start, format!("{name} takes {expected} argument{plural}, but {given} given")));
        }
        for (i, (arg, &at)) in args.iter().zip(&arg_starts).enumerate() {
            check_literal(func, i, arg).map_err(|m| self.error(at, m))?;
        }
        if let (Func::Format, Some(Arg::String { raw, .. })) = (func, args.first()) {
            let holes = Template::parse(raw).holes();
            if holes != args.len() - 1 {
                return Err(self.error(
                    arg_starts[0],
                    format!(
                        "the States.Format template has {holes} placeholder(s) '{{}}' but {} argument(s) follow it",
                        args.len() - 1
                    ),
                ));
            }
        }
        Ok(Call { text: self.slice(start, self.pos), func, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        match self.peek() {
            None => Err(self.error(start, "missing argument before the end of the text")),
            Some(',' | ')') => Err(self.error(start, "missing argument")),
            Some('\'') => self.string(),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(c) if is_name_char(c) => {
                let word = self.name();
                if self.peek() == Some('(') {
                    self.pos = start;
                    return Ok(Arg::Call(Box::new(self.call(depth + 1)?)));
                }
                match word.as_str() {
                    "true" => Ok(Arg::Bool(true)),
                    "false" => Ok(Arg::Bool(false)),
                    "null" => Ok(Arg::Null),
                    _ => Err(self.error(
                        start,
                        format!(
                            "'{word}' is not a valid argument (expected a 'quoted string', a number, \
                             true, false, null, a path starting with '$' or an intrinsic call)"
                        ),
                    )),
                }
            }
            Some(c) => Err(self.error(start, format!("unexpected character '{c}' where an argument was expected"))),
        }
    }

    /// `'…'` with the escapes `\'`, `\{`, `\}` and `\\` (rule 9.2).
    fn string(&mut self) -> Result<Arg, IntrinsicSyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error(open, "unterminated string literal: missing the closing \"'\"")),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(Arg::String { value, raw });
                }
                Some('\\') => {
                    let at = self.pos;
                    match self.chars.get(at + 1).copied() {
                        Some(c @ ('\'' | '{' | '}' | '\\')) => {
                            value.push(c);
                            raw.push('\\');
                            raw.push(c);
                            self.pos += 2;
                        }
                        Some(c) => {
                            return Err(self.error(
                                at,
                                format!(
                                    "illegal escape sequence '\\{c}' in a string literal: only \\', \\{{, \\}} and \\\\ \
                                     may follow a backslash"
                                ),
                            ));
                        }
                        None => return Err(self.error(at, "a string literal ends with a lone backslash")),
                    }
                }
                Some(c) => {
                    value.push(c);
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A JSON number: optional '-', digits, optional fraction and exponent.
    fn number(&mut self) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')) {
            self.pos += 1;
        }
        let text = self.slice(start, self.pos);
        match serde_json::from_str::<serde_json::Number>(&text) {
            Ok(n) => Ok(Arg::Number(n)),
            Err(_) => Err(self.error(start, format!("'{text}' is not a valid number"))),
        }
    }

    /// A path runs until a ',' or ')' (or a blank) outside brackets, parentheses and quotes, so
    /// filters such as `$.a[?(@.b == 'x,y')]` stay whole.
    fn path(&mut self) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(_), '\\') => self.pos += 1,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if depth > 0 => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') => break,
                (None, c) if c.is_whitespace() && depth == 0 => break,
                _ => {}
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.chars.len());
        let text = self.slice(start, self.pos);
        Path::parse(&text)
            .map(Arg::Path)
            .map_err(|e| self.error(start + e.offset, format!("'{text}' is not a valid JSONPath: {}", e.message)))
    }
}

fn unknown_function(name: &str) -> String {
    let hint =
        suggest::did_you_mean(name, func::ALL.iter().map(|f| f.name())).map(|h| format!("; {h}")).unwrap_or_default();
    if name.starts_with("States.") {
        format!("'{name}' is not an intrinsic function{hint}")
    } else {
        format!("'{name}' is not an intrinsic function: the names start with 'States.'{hint}")
    }
}

/// A literal argument of the wrong type is a definition error; paths and calls are checked
/// when the call runs.
fn check_literal(func: Func, i: usize, arg: &Arg) -> Result<(), String> {
    let kind = func.kind(i);
    let (ok, what) = match arg {
        Arg::Path(_) | Arg::Call(_) => return Ok(()),
        Arg::String { .. } => (matches!(kind, Kind::Any | Kind::String), "a string"),
        Arg::Number(_) => (matches!(kind, Kind::Any | Kind::Number), "a number"),
        Arg::Bool(_) => (matches!(kind, Kind::Any | Kind::Boolean), "a boolean"),
        Arg::Null => (kind == Kind::Any, "null"),
    };
    if ok {
        return Ok(());
    }
    if kind == Kind::NotLiteral {
        return Err(format!(
            "argument {} of {} must be a path or an intrinsic call, not a literal",
            i + 1,
            func.name()
        ));
    }
    Err(format!("argument {} of {} must be {}, not {what}", i + 1, func.name(), kind.describe()))
}
