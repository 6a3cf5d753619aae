//! The path parser: one pass over the characters, so every error carries the character offset
//! of the problem inside the path text (the diagnostics point into the string).
//!
//! The grammar is Jayway's (rule 4.1): `.name`, `['name']` (raw content: AWS does not unescape
//! `\"` inside brackets), `[0]`, `[0,2]`, `[1:3]`, `[*]`, `.*`, `..x`, `[?( … )]` and `.fn()`.

use serde_json::Value;

use super::ast::{Filter, FilterRoot, Function, Op, Operand, Pattern, Step, SubPath};
use super::{PathSyntaxError, Root};

/// What the parser found.
pub(crate) struct Parsed {
    pub root: Root,
    pub steps: Vec<Step>,
    /// Only `.name`, `['name']` and `[n]` steps, without `@ , : ? *` in dotted names (rule 4.6).
    pub reference: bool,
    /// Unquoted words used as filter literals (`@.code==es`), as (character offset, word).
    pub unquoted: Vec<(usize, String)>,
}

type Result<T> = std::result::Result<T, PathSyntaxError>;

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T> {
    Err(PathSyntaxError { offset, message: message.into() })
}

/// Limits that keep the recursive parser and evaluator far from the stack's end on
/// hostile input; real paths are nowhere near them.
const MAX_STEPS: usize = 256;
const MAX_DEPTH: usize = 48;

/// Characters that end a dotted name inside a filter (they start an operator or close the filter).
const FILTER_NAME_STOPS: &[char] = &[' ', '<', '>', '=', '!', '~', ')', '&', '|', ',', ']'];

/// Parses a whole path: root, then steps to the end of the text.
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    // Jayway trims the path; trailing blanks are harmless, leading ones hide the '$'.
    let mut p = Parser {
        chars: text.trim_end().chars().collect(),
        pos: 0,
        reference: true,
        in_filter: false,
        depth: 0,
        unquoted: Vec::new(),
    };
    let root = p.root()?;
    let steps = p.steps()?;
    if p.pos < p.chars.len() {
        return err(p.pos, format!("unexpected '{}'", p.chars[p.pos]));
    }
    Ok(Parsed { root, steps, reference: p.reference, unquoted: p.unquoted })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    reference: bool,
    /// Parsing a path inside a filter: names also stop at operators and blanks.
    in_filter: bool,
    /// Nesting of filters, parentheses, `!` and literal containers.
    depth: usize,
    unquoted: Vec<(usize, String)>,
}

impl Parser {
    fn cur(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    /// Runs `f` one nesting level deeper, refusing absurd nesting.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return err(self.pos, format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn skip_blanks(&mut self) {
        while self.cur().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<()> {
        self.skip_blanks();
        if self.cur() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            err(self.pos, format!("expected '{c}' {what}"))
        }
    }

    /// `$`, `$$` (context, rule 4.2) or `$name` (variable, rule 4.3).
    fn root(&mut self) -> Result<Root> {
        if self.cur() != Some('$') {
            return err(0, "a path must start with '$'");
        }
        self.pos = 1;
        match self.cur() {
            Some('$') => {
                self.pos = 2;
                Ok(Root::Context)
            }
            None | Some('.') | Some('[') => Ok(Root::Input),
            Some(_) => {
                let start = self.pos;
                while self.cur().is_some_and(|c| c != '.' && c != '[') {
                    let c = self.chars[self.pos];
                    // Rule 2.22: ID_Start then ID_Continue (approximated by the Unicode
                    // alphabetic / alphanumeric classes, plus '_').
                    let ok =
                        if self.pos == start { c.is_alphabetic() || c == '_' } else { c.is_alphanumeric() || c == '_' };
                    if !ok {
                        return err(self.pos, format!("'{c}' cannot appear in a variable name"));
                    }
                    self.pos += 1;
                }
                Ok(Root::Variable(self.chars[start..self.pos].iter().collect()))
            }
        }
    }

    /// Steps until the end (top level) or until something that is not a step (in a filter).
    fn steps(&mut self) -> Result<Vec<Step>> {
        let mut steps = Vec::new();
        while let Some(c) = self.cur() {
            if steps.len() >= MAX_STEPS && (c == '.' || c == '[') {
                return err(self.pos, format!("a path may have at most {MAX_STEPS} steps"));
            }
            if matches!(steps.last(), Some(Step::Function(_))) && (c == '.' || c == '[') {
                return err(self.pos, "a function such as length() must be the last step");
            }
            match c {
                '.' if self.peek(1) == Some('.') => {
                    self.reference = false;
                    self.pos += 2;
                    steps.push(self.scan()?);
                }
                '.' => {
                    self.pos += 1;
                    match self.cur() {
                        None => return err(self.pos - 1, "a path must not end with '.'"),
                        Some('*') => {
                            self.reference = false;
                            self.pos += 1;
                            steps.push(Step::Wildcard);
                        }
                        // Jayway accepts `.['a']` and `.[0]`.
                        Some('[') => {}
                        Some(_) => steps.push(self.dotted()?),
                    }
                }
                '[' => steps.push(self.bracket()?),
                _ if self.in_filter => break,
                _ => return err(self.pos, format!("expected '.' or '[' but found '{c}'")),
            }
        }
        Ok(steps)
    }

    /// After `..`: a name, `*` or a bracket step.
    fn scan(&mut self) -> Result<Step> {
        let inner = match self.cur() {
            Some('*') => {
                self.pos += 1;
                Step::Wildcard
            }
            Some('[') => self.bracket()?,
            Some(c) if c != '.' && !c.is_whitespace() => match self.dotted()? {
                Step::Function(_) => return err(self.pos - 1, "a function cannot follow '..'"),
                s => s,
            },
            _ => return err(self.pos, "expected a name, '*' or '[' after '..'"),
        };
        Ok(Step::Scan(Box::new(inner)))
    }

    /// A dotted name, or a function call `name(…)`. A backslash escapes the next character
    /// (rule 4.6: `$.store\.book`).
    fn dotted(&mut self) -> Result<Step> {
        let start = self.pos;
        let mut name = String::new();
        while let Some(c) = self.cur() {
            match c {
                '\\' => {
                    match self.peek(1) {
                        Some(n) => name.push(n),
                        None => return err(self.pos, "a path must not end with '\\'"),
                    }
                    self.pos += 2;
                    continue;
                }
                '.' | '[' => break,
                '(' => return self.function(start, &name),
                _ if self.in_filter && FILTER_NAME_STOPS.contains(&c) => break,
                _ if c.is_whitespace() => {
                    return err(self.pos, "a name cannot contain blanks; use bracket notation ['my name']");
                }
                '@' | ',' | ':' | '?' | '*' => self.reference = false,
                _ => {}
            }
            name.push(c);
            self.pos += 1;
        }
        if name.is_empty() {
            return err(start, "expected a name");
        }
        Ok(Step::Name(name))
    }

    /// `name(` has been read up to the parenthesis.
    fn function(&mut self, start: usize, name: &str) -> Result<Step> {
        self.reference = false;
        self.pos += 1;
        self.skip_blanks();
        let f = match name {
            "length" | "size" => Function::Length,
            "min" => Function::Min,
            "max" => Function::Max,
            "avg" => Function::Avg,
            "sum" => Function::Sum,
            "stddev" => Function::Stddev,
            "keys" => Function::Keys,
            "first" => Function::First,
            "last" => Function::Last,
            "index" => {
                let at = self.pos;
                let n = self
                    .integer()?
                    .ok_or(PathSyntaxError { offset: at, message: "index() needs an integer".into() })?;
                Function::Index(n)
            }
            _ => {
                return err(
                    start,
                    format!(
                        "unknown function '{name}()'; supported: length(), size(), min(), max(), avg(), sum(), \
                         stddev(), keys(), first(), last(), index(n)"
                    ),
                );
            }
        };
        if self.cur() != Some(')') {
            self.skip_blanks();
            if self.cur() != Some(')') {
                return err(self.pos, format!("expected ')': {name}() takes no arguments here"));
            }
        }
        self.pos += 1;
        Ok(Step::Function(f))
    }

    /// An optionally signed integer at the cursor (blanks around it skipped); `None` if empty.
    fn integer(&mut self) -> Result<Option<i64>> {
        self.skip_blanks();
        let start = self.pos;
        if self.cur() == Some('-') {
            self.pos += 1;
        }
        while self.cur().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        self.skip_blanks();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| PathSyntaxError { offset: start, message: format!("'{text}' is not an index") })
    }

    /// A `[ … ]` step; the cursor is on `[`.
    fn bracket(&mut self) -> Result<Step> {
        let open = self.pos;
        self.pos += 1;
        self.skip_blanks();
        match self.cur() {
            Some(q @ ('\'' | '"')) => self.quoted_names(q),
            Some('*') => {
                self.reference = false;
                self.pos += 1;
                self.expect(']', "after '[*'")?;
                Ok(Step::Wildcard)
            }
            Some('?') => {
                self.reference = false;
                self.pos += 1;
                self.skip_blanks();
                if self.cur() != Some('(') {
                    return err(self.pos, "a filter is written [?( … )]");
                }
                self.pos += 1;
                let outer = self.in_filter;
                self.in_filter = true;
                let f = self.nested(Self::or);
                self.in_filter = outer;
                let f = f?;
                self.expect(')', "to close the filter")?;
                self.expect(']', "after the filter")?;
                Ok(Step::Filter(Box::new(f)))
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => self.indexes(),
            None => err(open, "'[' is not closed"),
            Some(c) => err(
                self.pos,
                format!("expected a quoted name, an index, a slice, '*' or '?(' after '[' but found '{c}'"),
            ),
        }
    }

    /// `['a']`, `["a"]`, `['a','b']`. The content is kept raw: a backslash only stops the next
    /// character from closing the name (AWS matches the key `Test\""Name"` with `['Test\""Name"']`).
    fn quoted_names(&mut self, quote: char) -> Result<Step> {
        let mut names = Vec::new();
        loop {
            let open = self.pos;
            if self.cur() != Some(quote) {
                return err(self.pos, format!("expected a name quoted with {quote}"));
            }
            self.pos += 1;
            let mut name = String::new();
            loop {
                match self.cur() {
                    None => return err(open, "the quoted name is not closed"),
                    Some(c) if c == quote => break,
                    Some('\\') => {
                        name.push('\\');
                        if let Some(n) = self.peek(1) {
                            name.push(n);
                        }
                        self.pos += 2;
                    }
                    Some(c) => {
                        name.push(c);
                        self.pos += 1;
                    }
                }
            }
            self.pos += 1;
            names.push(name);
            self.skip_blanks();
            match self.cur() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_blanks();
                }
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                None => return err(self.pos, "expected ']'"),
                Some(c) => return err(self.pos, format!("expected ',' or ']' but found '{c}'")),
            }
        }
        if names.len() == 1 {
            Ok(Step::Name(names.pop().unwrap_or_default()))
        } else {
            self.reference = false;
            Ok(Step::Names(names))
        }
    }

    /// `[0]`, `[-1]`, `[0,2]`, `[1:3]`, `[:2]`, `[-2:]`.
    fn indexes(&mut self) -> Result<Step> {
        let first = self.integer()?;
        if self.cur() == Some(':') {
            self.reference = false;
            self.pos += 1;
            let end = self.integer()?;
            if self.cur() == Some(':') {
                return err(self.pos, "slices with a step ([a:b:c]) are not supported");
            }
            if first.is_none() && end.is_none() {
                return err(self.pos, "a slice needs a start or an end");
            }
            self.expect(']', "to close the slice")?;
            return Ok(Step::Slice { start: first, end });
        }
        let mut all = Vec::new();
        let mut at = self.pos;
        let mut next = first;
        loop {
            match next {
                Some(n) => all.push(n),
                None => return err(at, "expected an index"),
            }
            match self.cur() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_blanks();
                    at = self.pos;
                    next = self.integer()?;
                }
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                None => return err(self.pos, "expected ']'"),
                Some(c) => return err(self.pos, format!("expected ',' or ']' but found '{c}'")),
            }
        }
        if all.len() == 1 {
            Ok(Step::Index(all[0]))
        } else {
            self.reference = false;
            Ok(Step::Indexes(all))
        }
    }

    // ---- filters ----

    fn or(&mut self) -> Result<Filter> {
        let mut left = self.and()?;
        loop {
            self.skip_blanks();
            if self.cur() == Some('|') && self.peek(1) == Some('|') {
                self.pos += 2;
                left = Filter::Or(Box::new(left), Box::new(self.and()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn and(&mut self) -> Result<Filter> {
        let mut left = self.unary()?;
        loop {
            self.skip_blanks();
            if self.cur() == Some('&') && self.peek(1) == Some('&') {
                self.pos += 2;
                left = Filter::And(Box::new(left), Box::new(self.unary()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn unary(&mut self) -> Result<Filter> {
        self.skip_blanks();
        match self.cur() {
            Some('!') if self.peek(1) != Some('=') => {
                self.pos += 1;
                Ok(Filter::Not(Box::new(self.nested(Self::unary)?)))
            }
            Some('(') => {
                self.pos += 1;
                let f = self.nested(Self::or)?;
                self.expect(')', "to close the parenthesis")?;
                Ok(f)
            }
            _ => self.relation(),
        }
    }

    fn relation(&mut self) -> Result<Filter> {
        let left_at = self.pos;
        let left = self.operand()?;
        self.skip_blanks();
        let op_at = self.pos;
        let op = match self.cur() {
            Some(c) if "<>=!~".contains(c) => {
                while self.cur().is_some_and(|c| "<>=!~".contains(c)) {
                    self.pos += 1;
                }
                let sym: String = self.chars[op_at..self.pos].iter().collect();
                Op::from_symbol(&sym)
                    .ok_or(PathSyntaxError { offset: op_at, message: format!("unknown operator '{sym}'") })?
            }
            Some(c) if c.is_alphabetic() => {
                while self.cur().is_some_and(char::is_alphanumeric) {
                    self.pos += 1;
                }
                let word: String = self.chars[op_at..self.pos].iter().collect();
                Op::from_word(&word)
                    .ok_or(PathSyntaxError { offset: op_at, message: format!("unknown operator '{word}'") })?
            }
            _ => {
                return match left {
                    Operand::Path(p) => Ok(Filter::Exists(p)),
                    _ => err(op_at, "expected a comparison operator"),
                };
            }
        };
        self.skip_blanks();
        let right_at = self.pos;
        let right = self.operand()?;
        let is_regex = |o: &Operand| matches!(o, Operand::Regex(_));
        match op {
            Op::Matches if is_regex(&left) == is_regex(&right) => {
                return err(right_at, "'=~' needs a /regex/ on exactly one side");
            }
            Op::Matches => {}
            _ if is_regex(&left) => return err(left_at, "a /regex/ can only be used with '=~'"),
            _ if is_regex(&right) => return err(right_at, "a /regex/ can only be used with '=~'"),
            Op::Empty if !matches!(right, Operand::Literal(Value::Bool(_))) => {
                return err(right_at, "'empty' must be followed by true or false");
            }
            _ => {}
        }
        Ok(Filter::Compare { left, op, right })
    }

    fn operand(&mut self) -> Result<Operand> {
        self.skip_blanks();
        let start = self.pos;
        match self.cur() {
            Some(c @ ('@' | '$')) => {
                self.pos += 1;
                if c == '$' && self.cur().is_some_and(|n| n != '.' && n != '[') && !self.at_filter_stop() {
                    return err(start, "inside a filter only '@' and '$' paths are supported");
                }
                let steps = self.steps()?;
                let definite = steps.iter().enumerate().all(|(i, s)| s.is_definite(i + 1 == steps.len()));
                let root = if c == '@' { FilterRoot::Current } else { FilterRoot::Document };
                Ok(Operand::Path(SubPath { root, steps, definite }))
            }
            Some('/') => self.regex(),
            Some(_) => Ok(Operand::Literal(self.literal()?)),
            None => err(start, "expected a value"),
        }
    }

    fn at_filter_stop(&self) -> bool {
        self.cur().is_none_or(|c| FILTER_NAME_STOPS.contains(&c))
    }

    /// `/pattern/flags`; Java's `matches()` needs the whole string to match.
    fn regex(&mut self) -> Result<Operand> {
        let open = self.pos;
        self.pos += 1;
        let mut source = String::new();
        loop {
            match self.cur() {
                None => return err(open, "the /regex/ is not closed"),
                Some('/') => break,
                Some('\\') if self.peek(1) == Some('/') => {
                    source.push('/');
                    self.pos += 2;
                }
                Some('\\') => {
                    source.push('\\');
                    if let Some(n) = self.peek(1) {
                        source.push(n);
                    }
                    self.pos += 2;
                }
                Some(c) => {
                    source.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        let mut flags = String::new();
        while let Some(c) = self.cur().filter(char::is_ascii_alphabetic) {
            // Java's d, u and U have no counterpart here and change nothing for ordinary text.
            if "imsx".contains(c) && !flags.contains(c) {
                flags.push(c);
            }
            self.pos += 1;
        }
        let prefix = if flags.is_empty() { String::new() } else { format!("(?{flags})") };
        let regex = regex::Regex::new(&format!(r"{prefix}\A(?:{source})\z"))
            .map_err(|e| PathSyntaxError { offset: open + 1, message: format!("invalid regex: {e}") })?;
        Ok(Operand::Regex(Pattern { source, regex }))
    }

    /// A literal: a quoted string, number, true/false/null, or a lenient JSON array/object
    /// (Jayway's json-smart accepts single quotes: `['S','M']`).
    fn literal(&mut self) -> Result<Value> {
        self.skip_blanks();
        let start = self.pos;
        match self.cur() {
            Some(q @ ('\'' | '"')) => self.string(q).map(Value::String),
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_blanks();
                if self.cur() == Some(']') {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.nested(Self::literal)?);
                    self.skip_blanks();
                    match self.cur() {
                        Some(',') => self.pos += 1,
                        Some(']') => {
                            self.pos += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return err(self.pos, "expected ',' or ']' in the list"),
                    }
                }
            }
            Some('{') => {
                self.pos += 1;
                let mut map = serde_json::Map::new();
                self.skip_blanks();
                if self.cur() == Some('}') {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                loop {
                    self.skip_blanks();
                    let key = match self.cur() {
                        Some(q @ ('\'' | '"')) => self.string(q)?,
                        _ => return err(self.pos, "expected a quoted key"),
                    };
                    self.expect(':', "after the key")?;
                    let value = self.nested(Self::literal)?;
                    map.insert(key, value);
                    self.skip_blanks();
                    match self.cur() {
                        Some(',') => self.pos += 1,
                        Some('}') => {
                            self.pos += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => return err(self.pos, "expected ',' or '}' in the object"),
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                while self.cur().is_some_and(|c| c.is_ascii_digit() || "-+.eE".contains(c)) {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                match serde_json::from_str::<Value>(&text) {
                    Ok(v @ Value::Number(_)) => Ok(v),
                    _ => err(start, format!("'{text}' is not a number")),
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                while self.cur().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
                let word: String = self.chars[start..self.pos].iter().collect();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" => Ok(Value::Null),
                    // AWS accepts `@.code==es` at creation; the word is compared as a string.
                    _ => {
                        self.unquoted.push((start, word.clone()));
                        Ok(Value::String(word))
                    }
                }
            }
            Some(c) => err(start, format!("expected a value but found '{c}'")),
            None => err(start, "expected a value"),
        }
    }

    /// A quoted string with the usual backslash escapes resolved.
    fn string(&mut self, quote: char) -> Result<String> {
        let open = self.pos;
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.cur() {
                None => return err(open, "the string is not closed"),
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some('\\') => {
                    let esc = self.peek(1);
                    self.pos += 2;
                    match esc {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('b') => s.push('\u{8}'),
                        Some('f') => s.push('\u{c}'),
                        Some('u') => {
                            let hex: String = self.chars.iter().skip(self.pos).take(4).collect();
                            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                                Some(c) if hex.len() == 4 => {
                                    s.push(c);
                                    self.pos += 4;
                                }
                                _ => return err(self.pos - 2, "bad \\u escape"),
                            }
                        }
                        Some(c) => s.push(c),
                        None => return err(open, "the string is not closed"),
                    }
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}
