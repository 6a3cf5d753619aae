//! What CloudFormation's and SAM's YAML loaders accept beyond YAML 1.2's indentation rules: a
//! flow collection whose lines (or closing bracket) sit left of the key that opens it, and a
//! multi-line quoted scalar whose continuation lines do. Deployed templates rely on both.
//! Instead of a second parser, the text is re-indented where the strict parser stopped (the
//! blanks added there are insignificant: folded away inside a scalar, ignored in a flow
//! collection) and parsed again; spans are mapped back to the file as written.

/// Spaces inserted into the text: (offset in the new text, count), in order.
#[derive(Debug, Default)]
pub struct Reindent {
    inserts: Vec<(usize, usize)>,
}

/// The strict parser's complaints this module knows how to settle.
pub fn is_lenient_error(info: &str) -> bool {
    matches!(
        info,
        "invalid indentation" | "invalid indentation in quoted scalar" | "invalid indentation in flow construct"
    )
}

impl Reindent {
    /// The offset in the file as written of an offset in the re-indented text.
    pub fn original(&self, offset: usize) -> usize {
        let mut shift = 0;
        for &(at, count) in &self.inserts {
            if at >= offset {
                break;
            }
            shift += count.min(offset - at);
        }
        offset - shift
    }

    /// Re-indents `text` after a strict-parser error at byte `at`; `false` when nothing could
    /// be changed (the error stands).
    pub fn fix(&mut self, text: &mut String, info: &str, at: usize) -> bool {
        let lines: Vec<usize> = if info == "invalid indentation in quoted scalar" {
            quoted_continuation_lines(text, at)
        } else {
            vec![line_start(text, at)]
        };
        let Some(opener) = (if info == "invalid indentation in quoted scalar" {
            Some(line_start(text, at))
        } else {
            unclosed_opener(text, at)
        }) else {
            return false;
        };
        let want = indent_at(text, line_start(text, opener)) + 1;
        let mut changed = false;
        for start in lines.into_iter().rev() {
            let have = indent_at(text, start);
            if have < want {
                text.insert_str(start, &" ".repeat(want - have));
                self.record(start, want - have);
                changed = true;
            }
        }
        changed
    }

    fn record(&mut self, at: usize, count: usize) {
        // Later inserts move every recorded offset past them.
        for entry in self.inserts.iter_mut().filter(|(a, _)| *a >= at) {
            entry.0 += count;
        }
        self.inserts.push((at, count));
        self.inserts.sort_unstable();
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

fn indent_at(text: &str, start: usize) -> usize {
    text[start..].bytes().take_while(|&b| b == b' ').count()
}

/// The offset of the `{` or `[` still open at `at`, skipping quoted text and comments.
fn unclosed_opener(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < at.min(bytes.len()) {
        let prev = if i == 0 { b'\n' } else { bytes[i - 1] };
        match bytes[i] {
            b'"' => i = closing_double(bytes, i).unwrap_or(bytes.len()),
            b'\'' if b" \t\n:[{,".contains(&prev) => i = closing_single(bytes, i).unwrap_or(bytes.len()),
            b'#' if b" \t\n".contains(&prev) => i = text[i..].find('\n').map_or(bytes.len(), |n| i + n),
            b'{' | b'[' => open.push(i),
            b'}' | b']' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    open.pop()
}

fn closing_double(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn closing_single(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The starts of the lines after the first of the quoted scalar opening at `at`.
fn quoted_continuation_lines(text: &str, at: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let close = match bytes.get(at) {
        Some(b'"') => closing_double(bytes, at),
        Some(b'\'') => closing_single(bytes, at),
        _ => None,
    };
    let Some(close) = close else { return Vec::new() };
    text[at..close]
        .match_indices('\n')
        .map(|(i, _)| at + i + 1)
        .filter(|&s| text[s..].starts_with(|c: char| c != '\n'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_past_every_insert() {
        let mut r = Reindent::default();
        let mut text = "a: {\nb: 1\n}\n".to_string();
        assert!(r.fix(&mut text, "invalid indentation", 10));
        assert_eq!(text, "a: {\nb: 1\n }\n");
        assert_eq!(r.original(11), 10);
        assert_eq!(r.original(4), 4);
    }
}
