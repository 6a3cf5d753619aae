//! `StringMatches` patterns (rule 10.10): `*` matches any run of characters (including none),
//! `\*` is a literal star and `\\` a literal backslash (`\\*` and `\\\\` in JSON source).
//! Nothing else is special; a backslash before anything else, or at the end, is an error.
//! The whole string must match.
//!
//! Matching splits the pattern at its stars into literal pieces and places each piece at its
//! leftmost possible position. With only `*` wildcards that greedy placement is exact, so a
//! match costs at most one substring search per piece: no backtracking blow-up on patterns like
//! `*a*a*a*a*b`.

/// A pattern that is not valid `StringMatches` syntax.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PatternError {
    /// Character offset of the offending backslash in the pattern.
    pub offset: usize,
    pub message: String,
}

/// A parsed pattern: the literal pieces between unescaped stars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// `pieces.len() == stars + 1`; with no star, the single piece must equal the string.
    pieces: Vec<String>,
}

impl Pattern {
    pub fn parse(pattern: &str) -> Result<Pattern, PatternError> {
        let mut pieces = vec![String::new()];
        let mut chars = pattern.chars().enumerate();
        while let Some((i, c)) = chars.next() {
            match c {
                '*' => pieces.push(String::new()),
                '\\' => match chars.next() {
                    Some((_, e @ ('*' | '\\'))) => push(&mut pieces, e),
                    Some((_, other)) => {
                        return Err(PatternError {
                            offset: i,
                            message: format!(
                                "'\\{other}' is not an escape; only '\\*' (a literal star) and '\\\\' (a literal backslash) are"
                            ),
                        });
                    }
                    None => {
                        return Err(PatternError {
                            offset: i,
                            message: "the pattern ends with a lone backslash; write '\\\\' for a literal one".into(),
                        });
                    }
                },
                other => push(&mut pieces, other),
            }
        }
        Ok(Pattern { pieces })
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(split) => split,
            None => return s.is_empty(),
        };
        let Some((last, middle)) = rest.split_last() else {
            return s == first;
        };
        // The first piece is anchored at the start and the last at the end; the middle ones
        // go leftmost in what remains between them.
        let Some(s) = s.strip_prefix(first.as_str()) else { return false };
        let Some(mut body) = s.strip_suffix(last.as_str()) else { return false };
        for piece in middle {
            match body.find(piece.as_str()) {
                Some(at) => body = &body[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

fn push(pieces: &mut [String], c: char) {
    if let Some(p) = pieces.last_mut() {
        p.push(c);
    }
}

/// Validation entry point for the parser: `Err((char offset, why))` for an invalid escape.
pub fn check_pattern(s: &str) -> Result<(), (usize, String)> {
    Pattern::parse(s).map(|_| ()).map_err(|e| (e.offset, e.message))
}

/// Whether `s` matches `pattern`; an invalid pattern matches nothing (the validator rejects it
/// before a machine can run).
pub fn matches(pattern: &str, s: &str) -> bool {
    Pattern::parse(pattern).is_ok_and(|p| p.matches(s))
}

#[cfg(test)]
mod tests;
