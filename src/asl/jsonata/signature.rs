//! Checks a lambda's type signature (`<n-n:n>`, `<a<s>f?>`) the way JSONata does when it parses
//! the function definition; only the rules that make JSONata reject the expression are checked.

/// `Err((code, char offset in the signature))` for a signature JSONata refuses.
pub fn validate(sig: &str) -> Result<(), (&'static str, usize)> {
    let chars: Vec<char> = sig.chars().collect();
    let mut prev_type: Option<char> = None;
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            ':' => break,
            c @ ('s' | 'n' | 'b' | 'l' | 'o' | 'a' | 'f' | 'j' | 'x') => prev_type = Some(c),
            '(' => {
                let end = closing(&chars, i, '(', ')');
                if chars.get(i + 1..end).unwrap_or_default().contains(&'<') {
                    return Err(("S0402", i));
                }
                prev_type = Some('(');
                i = end;
            }
            '<' => {
                if !matches!(prev_type, Some('a' | 'f')) {
                    return Err(("S0401", i));
                }
                i = closing(&chars, i, '<', '>');
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Index of the bracket closing the one at `start` (or the last index if unbalanced).
fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().skip(start) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i;
            }
        }
    }
    chars.len().saturating_sub(1).max(start)
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_ordinary_signatures() {
        assert!(validate("<n-n:n>").is_ok());
        assert!(validate("<a<n>f<n:n>?>").is_ok());
        assert!(validate("<(sn)+>").is_ok());
    }

    #[test]
    fn rejects_type_parameters_on_scalars_and_in_choices() {
        assert_eq!(validate("<n<n>>"), Err(("S0401", 2)));
        assert_eq!(validate("<(sa<n>)>"), Err(("S0402", 1)));
    }
}
