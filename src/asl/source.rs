//! Source text and byte spans. Line and column are computed only when a diagnostic is shown,
//! so spans stay two integers everywhere else. No I/O: the caller reads the file.

use std::sync::Arc;

/// A byte range `start..end` in a [`Source`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: clamp_u32(start), end: clamp_u32(end) }
    }

    /// A span of `len` bytes starting `offset` bytes into this one (clamped to it), used to
    /// point into a string value at the character an expression parser blamed.
    pub fn sub(self, offset: usize, len: usize) -> Span {
        let start = (self.start as usize + offset).min(self.end as usize);
        let end = (start + len.max(1)).min(self.end as usize).max(start);
        Span::new(start, end)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A definition file as text, with the name it is shown under in diagnostics.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: Arc<str>,
    pub text: Arc<str>,
}

impl Source {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Source {
        Source { name: name.into(), text: text.into() }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        LineIndex::new(&self.text).line_col(&self.text, offset)
    }
}

/// Start offsets of every line, for turning byte offsets into line:column.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based (line, column); the column counts characters, as editors do.
    pub fn line_col(&self, text: &str, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let col = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(text.len());
        let end = self.starts.get(line).map_or(text.len(), |e| e - 1);
        text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "{\n  \"é\": x\n}";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let x = text.find('x').expect("x is in the text") as u32;
        assert_eq!(idx.line_col(text, x), (2, 8));
        assert_eq!(idx.line_text(text, 2), "  \"é\": x");
    }

    #[test]
    fn sub_span_stays_inside_its_parent() {
        let s = Span::new(10, 20);
        assert_eq!(s.sub(3, 2), Span::new(13, 15));
        assert_eq!(s.sub(50, 2), Span::new(20, 20));
    }
}
