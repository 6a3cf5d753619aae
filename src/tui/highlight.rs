//! JSON syntax highlighting with syntect (pure-Rust regexes; the JSON syntax from syntect's
//! embedded dump, the theme embedded from `assets/statescope.tmTheme`). Only the lines on screen are highlighted: pretty-printed JSON never breaks a
//! token across lines, so the parser state at any line is determined by the brackets still open
//! there, and a short synthetic prefix that opens the same brackets primes a fresh highlighter.
//! A 256 KiB payload thus costs a bracket scan plus a screenful, wherever the view is, and
//! highlighted lines are kept between frames.

use std::cell::RefCell;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use crate::tui::diff;

/// statescope's theme: keys stand out from values (see the file for the palette).
const THEME: &[u8] = include_bytes!("../../assets/statescope.tmTheme");

struct Assets {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        // The theme is compiled in and tested; a parse failure would fall back to plain text.
        let theme = ThemeSet::load_from_reader(&mut std::io::Cursor::new(THEME)).unwrap_or_default();
        Assets { syntaxes: SyntaxSet::load_defaults_newlines(), theme }
    })
}

fn json_syntax(a: &'static Assets) -> &'static SyntaxReference {
    a.syntaxes.find_syntax_by_extension("json").unwrap_or_else(|| a.syntaxes.find_syntax_plain_text())
}

/// What the cached lines were made from: the stage index, the execution's generation (a reload
/// or rewind can give the same index a different value; an address could be reused, a
/// generation is not) and whether it is the diff view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub stage: usize,
    pub generation: u64,
    pub diff: bool,
}

struct Entry {
    key: Key,
    /// The pretty-printed text, one string per line (with its newline, as syntect wants).
    text: Vec<String>,
    /// Lines highlighted so far (all of them, up front, for the diff view).
    styled: Vec<Option<Line<'static>>>,
}

/// The lines of the stage on screen, kept between frames.
#[derive(Default)]
pub struct Cache {
    entry: RefCell<Option<Entry>>,
}

impl Cache {
    /// The lines `first..first+count` of the view of `value` (or of its diff against
    /// `previous`), and the total number of lines.
    pub fn window(
        &self,
        key: Key,
        value: &Value,
        previous: Option<&Value>,
        first: usize,
        count: usize,
    ) -> (usize, Vec<Line<'static>>) {
        let mut slot = self.entry.borrow_mut();
        if slot.as_ref().is_none_or(|e| e.key != key) {
            *slot = Some(build(key, value, previous));
        }
        let Some(entry) = slot.as_mut() else { return (0, Vec::new()) };
        let end = (first + count).min(entry.text.len());
        let first = first.min(end);
        if entry.styled[first..end].iter().any(Option::is_none) {
            let mut h = primed(&entry.text[..first]);
            for i in first..end {
                let line = highlight_line(&mut h, &entry.text[i]);
                entry.styled[i].get_or_insert(line);
            }
        }
        let lines = entry.styled[first..end].iter().map(|l| l.clone().unwrap_or_default()).collect();
        (entry.text.len(), lines)
    }

    /// The line count of the cached view, if it is the view of `key`.
    pub fn total(&self, key: Key) -> Option<usize> {
        self.entry.borrow().as_ref().filter(|e| e.key == key).map(|e| e.text.len())
    }
}

fn build(key: Key, value: &Value, previous: Option<&Value>) -> Entry {
    let text_after = pretty(value);
    if key.diff {
        let before = previous.map(pretty).unwrap_or_default();
        let styled: Vec<_> = diff::lines(&before, &text_after).into_iter().map(Some).collect();
        let text = vec![String::new(); styled.len()];
        return Entry { key, text, styled };
    }
    let text: Vec<String> = text_after.split_inclusive('\n').map(str::to_owned).collect();
    Entry { key, styled: vec![None; text.len()], text }
}

/// A highlighter in the state it has after `before`: the brackets still open at its end are
/// replayed as `{"":` (an object member's value follows) or `[`, the innermost object as `{`
/// (a key follows).
fn primed(before: &[String]) -> HighlightLines<'static> {
    let a = assets();
    let mut h = HighlightLines::new(json_syntax(a), &a.theme);
    let open = open_brackets(before);
    if open.is_empty() {
        return h;
    }
    let mut prefix = String::new();
    for (i, b) in open.iter().enumerate() {
        prefix.push_str(match (*b, i + 1 == open.len()) {
            (b'{', true) => "{",
            (b'{', false) => "{\"\":",
            _ => "[",
        });
    }
    prefix.push('\n');
    // Only the state matters; the prefix's colours are thrown away.
    let _ = h.highlight_line(&prefix, &a.syntaxes);
    h
}

/// The brackets open after `lines` of pretty JSON, outermost first. Strings never span lines
/// there, so string state restarts on each line.
fn open_brackets(lines: &[String]) -> Vec<u8> {
    let mut open = Vec::new();
    for line in lines {
        let (mut in_string, mut escaped) = (false, false);
        for &c in line.as_bytes() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (true, false, b'"') => in_string = false,
                (true, false, _) => {}
                (false, _, b'"') => in_string = true,
                (false, _, b'{' | b'[') => open.push(c),
                (false, _, b'}' | b']') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open
}

/// Pretty JSON with a final newline, so every line ends the same way.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn highlight_line(h: &mut HighlightLines<'static>, line: &str) -> Line<'static> {
    match h.highlight_line(line, &assets().syntaxes) {
        Ok(ranges) => Line::from(
            ranges
                .into_iter()
                .map(|(style, text)| Span::styled(text.trim_end_matches('\n').to_owned(), convert(style)))
                .collect::<Vec<_>>(),
        ),
        Err(_) => Line::raw(line.trim_end_matches('\n').to_owned()),
    }
}

/// syntect's style to ratatui's; the background is left to the terminal.
fn convert(s: syntect::highlighting::Style) -> Style {
    let fg = s.foreground;
    let mut style = Style::default().fg(Color::Rgb(fg.r, fg.g, fg.b));
    if s.font_style.contains(syntect::highlighting::FontStyle::BOLD) {
        style = style.add_modifier(Modifier::BOLD);
    }
    style
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_theme_loads_and_colours_keys_apart_from_strings() {
        let theme = super::ThemeSet::load_from_reader(&mut std::io::Cursor::new(super::THEME)).expect("theme parses");
        assert_eq!(theme.name.as_deref(), Some("statescope"));
        assert!(theme.scopes.len() >= 5, "keys, strings, numbers, literals, punctuation");
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_strings_are_coloured_differently() {
        let cache = Cache::default();
        let v = json!({"name": "Ada"});
        let (total, lines) = cache.window(Key { stage: 0, generation: 1, diff: false }, &v, None, 0, 10);
        assert_eq!(total, 3);
        let spans = &lines[1].spans;
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "  \"name\": \"Ada\"");
        let key_style = spans.iter().find(|s| s.content.contains("name")).map(|s| s.style);
        let value_style = spans.iter().find(|s| s.content.contains("Ada")).map(|s| s.style);
        assert!(key_style.is_some() && key_style != value_style, "{spans:?}");
    }

    #[test]
    fn only_the_requested_lines_are_highlighted() {
        let cache = Cache::default();
        let v = json!((0..1000).collect::<Vec<_>>());
        let key = Key { stage: 0, generation: 1, diff: false };
        let (total, lines) = cache.window(key, &v, None, 500, 5);
        assert_eq!((total, lines.len()), (1002, 5));
        let styled = cache.entry.borrow().as_ref().map(|e| e.styled.iter().filter(|l| l.is_some()).count());
        assert_eq!(styled, Some(5));
    }

    #[test]
    fn a_window_anywhere_is_coloured_as_if_highlighted_from_the_top() {
        let v = json!({"a": [1, {"b": "x\\\"{[", "c": [true, null, {"d": 2.5}]}], "e": {"f": {"g": "h"}}, "i": []});
        let key = Key { stage: 0, generation: 1, diff: false };
        let whole = Cache::default().window(key, &v, None, 0, 1000).1;
        for first in 0..whole.len() {
            let window = Cache::default().window(key, &v, None, first, 3).1;
            assert_eq!(window, whole[first..(first + 3).min(whole.len())], "window at line {first}");
        }
    }
}
