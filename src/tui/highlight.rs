//! JSON syntax highlighting with syntect (pure-Rust regexes; syntax and theme from syntect's
//! embedded dumps). Highlighting is incremental: only the lines up to the bottom of the view are
//! highlighted, and the parser state is kept, so a 256 KiB payload costs a screenful per frame
//! and scrolling down continues where the last frame stopped.

use std::cell::RefCell;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use serde_json::Value;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use crate::tui::diff;

/// The theme used for JSON; one of syntect's bundled themes that reads on dark terminals.
const THEME: &str = "base16-eighties.dark";

struct Assets {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn assets() -> &'static Assets {
    static ASSETS: OnceLock<Assets> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let mut themes = ThemeSet::load_defaults();
        let mut theme = themes.themes.remove(THEME).unwrap_or_default();
        distinguish_keys(&mut theme);
        Assets { syntaxes: SyntaxSet::load_defaults_newlines(), theme }
    })
}

/// The bundled themes colour object keys like string values; in a payload viewer the keys are
/// the landmarks, so they get their own colour (a more specific selector wins in syntect).
fn distinguish_keys(theme: &mut Theme) {
    use std::str::FromStr;
    use syntect::highlighting::{Color as SynColor, ScopeSelectors, StyleModifier, ThemeItem};
    if let Ok(scope) = ScopeSelectors::from_str("meta.mapping.key string, meta.structure.dictionary.key string") {
        let blue = SynColor { r: 0x66, g: 0x99, b: 0xcc, a: 0xff };
        theme
            .scopes
            .push(ThemeItem { scope, style: StyleModifier { foreground: Some(blue), ..StyleModifier::default() } });
    }
}

fn json_syntax(a: &'static Assets) -> &'static SyntaxReference {
    a.syntaxes.find_syntax_by_extension("json").unwrap_or_else(|| a.syntaxes.find_syntax_plain_text())
}

/// What the cached lines were made from: the stage index, the value's address (a reload can
/// give the same index a different value) and whether it is the diff view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub stage: usize,
    pub value: usize,
    pub diff: bool,
}

struct Entry {
    key: Key,
    /// The pretty-printed text, one string per line (with its newline, as syntect wants).
    text: Vec<String>,
    styled: Vec<Line<'static>>,
    /// The highlighter's state after `styled`; `None` for the diff view (styled up front).
    highlighter: Option<HighlightLines<'static>>,
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
        if let Some(h) = entry.highlighter.as_mut() {
            while entry.styled.len() < end {
                let line = &entry.text[entry.styled.len()];
                entry.styled.push(highlight_line(h, line));
            }
        }
        let first = first.min(end);
        (entry.text.len(), entry.styled[first..end].to_vec())
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
        let styled = diff::lines(&before, &text_after);
        let text = styled.iter().map(|_| String::new()).collect();
        return Entry { key, text, styled, highlighter: None };
    }
    let text = text_after.split_inclusive('\n').map(str::to_owned).collect();
    let a = assets();
    Entry { key, text, styled: Vec::new(), highlighter: Some(HighlightLines::new(json_syntax(a), &a.theme)) }
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
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_strings_are_coloured_differently() {
        let cache = Cache::default();
        let v = json!({"name": "Ada"});
        let (total, lines) = cache.window(Key { stage: 0, value: 1, diff: false }, &v, None, 0, 10);
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
        let key = Key { stage: 0, value: 1, diff: false };
        let (total, lines) = cache.window(key, &v, None, 0, 5);
        assert_eq!((total, lines.len()), (1002, 5));
        let styled = cache.entry.borrow().as_ref().map(|e| e.styled.len());
        assert_eq!(styled, Some(5));
    }
}
