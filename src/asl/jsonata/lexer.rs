//! The JSONata tokenizer. It is pulled one token at a time by the parser because whether `/`
//! starts a regex literal or is division depends on where the parser is (JSONata's rule).

use crate::asl::jsonata::error::JsonataError;

/// One token; `pos` is the char offset of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    Operator(&'static str),
    Name(String),
    Variable(String),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    Regex { pattern: String, flags: String },
}

/// Characters that end a name: JSONata's operator table, including the stop characters `!`, `~`.
const SINGLE: &[(char, &str)] = &[
    ('.', "."),
    ('[', "["),
    (']', "]"),
    ('{', "{"),
    ('}', "}"),
    ('(', "("),
    (')', ")"),
    (',', ","),
    ('@', "@"),
    ('#', "#"),
    (';', ";"),
    (':', ":"),
    ('?', "?"),
    ('+', "+"),
    ('-', "-"),
    ('*', "*"),
    ('/', "/"),
    ('%', "%"),
    ('|', "|"),
    ('=', "="),
    ('<', "<"),
    ('>', ">"),
    ('^', "^"),
    ('&', "&"),
    ('!', "!"),
    ('~', "~"),
];

/// Two-character operators, tried before the single ones.
const DOUBLE: &[(&str, &str)] = &[
    ("..", ".."),
    (":=", ":="),
    ("!=", "!="),
    (">=", ">="),
    ("<=", "<="),
    ("**", "**"),
    ("~>", "~>"),
    ("?:", "?:"),
    ("??", "??"),
];

fn single_op(c: char) -> Option<&'static str> {
    SINGLE.iter().find(|(ch, _)| *ch == c).map(|(_, s)| *s)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

pub struct Lexer {
    chars: Vec<char>,
    pos: usize,
    /// JSONata 2.1's `??` and `?:` operators; in 2.0 they are two separate `?`/`:` tokens.
    coalescing: bool,
}

impl Lexer {
    pub fn new(text: &str, coalescing: bool) -> Self {
        Lexer { chars: text.chars().collect(), pos: 0, coalescing }
    }

    /// Length of the source in chars (the position of the end token).
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// The next token, or `None` at the end. `infix` is true where an operand has just been
    /// read, so a `/` there is division; elsewhere it opens a regex literal.
    pub fn next_token(&mut self, infix: bool) -> Result<Option<Token>, JsonataError> {
        loop {
            while self.at(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                let start = self.pos;
                self.pos += 2;
                loop {
                    match self.at(self.pos) {
                        None => return Err(JsonataError::at("S0106", start)),
                        Some('*') if self.at(self.pos + 1) == Some('/') => {
                            self.pos += 2;
                            break;
                        }
                        Some(_) => self.pos += 1,
                    }
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.at(start) else { return Ok(None) };
        let token = |kind| Ok(Some(Token { kind, pos: start }));
        if !infix && c == '/' {
            self.pos += 1;
            return self.regex(start).map(|kind| Some(Token { kind, pos: start }));
        }
        if let Some(next) = self.at(start + 1) {
            let pair: String = [c, next].iter().collect();
            let found = DOUBLE.iter().find(|(s, _)| *s == pair).filter(|(s, _)| self.coalescing || !s.starts_with('?'));
            if let Some((_, op)) = found {
                self.pos += 2;
                return token(TokenKind::Operator(op));
            }
        }
        if let Some(op) = single_op(c) {
            self.pos += 1;
            return token(TokenKind::Operator(op));
        }
        if c == '"' || c == '\'' {
            return self.string(c).map(|kind| Some(Token { kind, pos: start }));
        }
        if c.is_ascii_digit() {
            return self.number().map(|kind| Some(Token { kind, pos: start }));
        }
        if c == '`' {
            let from = start + 1;
            let Some(len) = self.chars[from..].iter().position(|&ch| ch == '`') else {
                self.pos = self.chars.len();
                return Err(JsonataError::at("S0105", self.pos));
            };
            self.pos = from + len + 1;
            return token(TokenKind::Name(self.chars[from..from + len].iter().collect()));
        }
        let mut end = start;
        while let Some(ch) = self.at(end) {
            if is_space(ch) || single_op(ch).is_some() {
                break;
            }
            end += 1;
        }
        self.pos = end;
        if c == '$' {
            return token(TokenKind::Variable(self.chars[start + 1..end].iter().collect()));
        }
        let name: String = self.chars[start..end].iter().collect();
        match name.as_str() {
            "and" => token(TokenKind::Operator("and")),
            "or" => token(TokenKind::Operator("or")),
            "in" => token(TokenKind::Operator("in")),
            "true" => token(TokenKind::Bool(true)),
            "false" => token(TokenKind::Bool(false)),
            "null" => token(TokenKind::Null),
            _ => token(TokenKind::Name(name)),
        }
    }

    /// Scans a regex literal after its opening `/`: the closing `/` is the first unescaped one
    /// outside brackets; flags are any run of `i` and `m`.
    fn regex(&mut self, open: usize) -> Result<TokenKind, JsonataError> {
        let start = self.pos;
        let mut depth: i64 = 0;
        while let Some(c) = self.at(self.pos) {
            let escaped = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if c == '/' && depth == 0 {
                let backslashes = self.chars[start..self.pos].iter().rev().take_while(|&&ch| ch == '\\').count();
                if backslashes % 2 == 0 {
                    let pattern: String = self.chars[start..self.pos].iter().collect();
                    if pattern.is_empty() {
                        return Err(JsonataError::at("S0301", open));
                    }
                    self.pos += 1;
                    let flags_start = self.pos;
                    while matches!(self.at(self.pos), Some('i' | 'm')) {
                        self.pos += 1;
                    }
                    let flags = self.chars[flags_start..self.pos].iter().collect();
                    return Ok(TokenKind::Regex { pattern, flags });
                }
            }
            if matches!(c, '(' | '[' | '{') && !escaped {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !escaped {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(JsonataError::at("S0302", open))
    }

    /// A quoted string with JSON escapes; `\uXXXX` pairs combine into one character.
    fn string(&mut self, quote: char) -> Result<TokenKind, JsonataError> {
        self.pos += 1;
        let mut out = String::new();
        let mut pending_high: Option<u32> = None;
        while let Some(c) = self.at(self.pos) {
            if c == '\\' {
                self.pos += 1;
                let esc = self.at(self.pos).unwrap_or('\0');
                let simple = match esc {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    flush_surrogate(&mut out, &mut pending_high);
                    out.push(ch);
                } else if esc == 'u' {
                    let hex: String = self.chars.iter().skip(self.pos + 1).take(4).collect();
                    let code = (hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()))
                        .then(|| u32::from_str_radix(&hex, 16).ok())
                        .flatten()
                        .ok_or_else(|| JsonataError::at("S0104", self.pos))?;
                    push_code_unit(&mut out, &mut pending_high, code);
                    self.pos += 4;
                } else {
                    return Err(JsonataError::new("S0103", self.pos, &esc.to_string(), ""));
                }
            } else if c == quote {
                flush_surrogate(&mut out, &mut pending_high);
                self.pos += 1;
                return Ok(TokenKind::String(out));
            } else {
                flush_surrogate(&mut out, &mut pending_high);
                out.push(c);
            }
            self.pos += 1;
        }
        Err(JsonataError::at("S0101", self.pos))
    }

    /// `(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?`, as JSONata's number pattern.
    fn number(&mut self) -> Result<TokenKind, JsonataError> {
        let start = self.pos;
        let digits = |lx: &Lexer, mut i: usize| {
            while lx.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            i
        };
        let mut end = if self.at(start) == Some('0') { start + 1 } else { digits(self, start) };
        if self.at(end) == Some('.') && self.at(end + 1).is_some_and(|c| c.is_ascii_digit()) {
            end = digits(self, end + 1);
        }
        if matches!(self.at(end), Some('e' | 'E')) {
            let mut i = end + 1;
            if matches!(self.at(i), Some('+' | '-')) {
                i += 1;
            }
            if self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                end = digits(self, i);
            }
        }
        let text: String = self.chars[start..end].iter().collect();
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => {
                self.pos = end;
                Ok(TokenKind::Number(n))
            }
            _ => Err(JsonataError::new("S0102", start, &text, "")),
        }
    }
}

/// Adds one UTF-16 code unit from a `\u` escape, pairing surrogates as JavaScript strings do.
fn push_code_unit(out: &mut String, pending_high: &mut Option<u32>, code: u32) {
    if (0xDC00..0xE000).contains(&code) {
        if let Some(high) = pending_high.take() {
            let combined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
            out.push(char::from_u32(combined).unwrap_or('\u{FFFD}'));
            return;
        }
        out.push('\u{FFFD}');
        return;
    }
    flush_surrogate(out, pending_high);
    if (0xD800..0xDC00).contains(&code) {
        *pending_high = Some(code);
    } else {
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
    }
}

/// A high surrogate not followed by a low one cannot be held in a Rust string.
fn flush_surrogate(out: &mut String, pending_high: &mut Option<u32>) {
    if pending_high.take().is_some() {
        out.push('\u{FFFD}');
    }
}
