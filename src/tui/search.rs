//! `/`: find a state by name. The prompt's query is matched (case-insensitively, anywhere in
//! the name) against the states in the order the graph and the list show them; the graph
//! cursor jumps to a match as the query is typed. `n` keeps meaning "next state" (a debugger's
//! most used key must not change with hidden state): inside the prompt ↓/↑ move between
//! matches, and after Enter `]`/`[` go to the next/previous match of the last search.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::App;

/// The search prompt (open) or the last search (closed, for `]`/`[`).
#[derive(Clone, Debug, Default)]
pub struct Search {
    pub query: String,
    /// The graph cursor when the prompt opened: Esc goes back to it.
    pub origin: Option<String>,
}

/// What a key in the prompt asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum SearchKey {
    /// The query changed: jump to its first match from where the search started.
    Edited,
    Next,
    Previous,
    /// Enter: keep the cursor where it is.
    Accept,
    /// Esc: back to where the search started.
    Cancel,
    Ignored,
}

impl Search {
    pub fn key(&mut self, k: &KeyEvent) -> SearchKey {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('n') if ctrl => SearchKey::Next,
            KeyCode::Char('p') if ctrl => SearchKey::Previous,
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                SearchKey::Edited
            }
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                SearchKey::Edited
            }
            KeyCode::Backspace => {
                self.query.pop();
                SearchKey::Edited
            }
            KeyCode::Down | KeyCode::Tab => SearchKey::Next,
            KeyCode::Up | KeyCode::BackTab => SearchKey::Previous,
            KeyCode::Enter => SearchKey::Accept,
            KeyCode::Esc => SearchKey::Cancel,
            _ => SearchKey::Ignored,
        }
    }
}

/// The names among `names` that match `query`, in order.
pub fn matches<'a>(names: &[&'a str], query: &str) -> Vec<&'a str> {
    if query.is_empty() {
        return Vec::new();
    }
    let q = query.to_lowercase();
    names.iter().copied().filter(|n| n.to_lowercase().contains(&q)).collect()
}

/// The match after (or before) `from` in `names` order, wrapping around; from a name that is
/// not a match, the first one after it. `inclusive` lets `from` itself count (a query just
/// typed may already match where the cursor is).
pub fn step<'a>(names: &[&'a str], query: &str, from: Option<&str>, forward: bool, inclusive: bool) -> Option<&'a str> {
    let found = matches(names, query);
    if found.is_empty() {
        return None;
    }
    let at = from.and_then(|f| names.iter().position(|n| *n == f)).unwrap_or(0);
    let n = names.len();
    let order: Vec<usize> = if forward {
        (0..n).map(|i| (at + i + usize::from(!inclusive)) % n).collect()
    } else {
        (0..n).map(|i| (at + n * 2 - i - usize::from(!inclusive)) % n).collect()
    };
    order.into_iter().map(|i| names[i]).find(|name| found.contains(name))
}

/// A key while the search prompt is open.
pub(crate) fn on_key(app: &mut App, k: &KeyEvent) {
    let Some(search) = app.search.as_mut() else { return };
    let outcome = if k.code == crossterm::event::KeyCode::Null { SearchKey::Edited } else { search.key(k) };
    let query = search.query.clone();
    match outcome {
        SearchKey::Edited => {
            let origin = search.origin.clone();
            if let Some(origin) = origin {
                app.graph_selected = Some(origin);
            }
            jump(app, &query, true, true);
        }
        SearchKey::Next => jump(app, &query, true, false),
        SearchKey::Previous => jump(app, &query, false, false),
        SearchKey::Accept => {
            app.search = None;
            if !query.is_empty() {
                app.last_search = Some(query);
            }
        }
        SearchKey::Cancel => {
            let origin = app.search.take().and_then(|s| s.origin);
            if let Some(origin) = origin {
                crate::tui::update::select_state(app, origin);
            }
            app.message = None;
        }
        SearchKey::Ignored => {}
    }
}

/// Moves the graph cursor to the next (or previous) state matching `query`; says which of how
/// many it is.
pub(crate) fn jump(app: &mut App, query: &str, forward: bool, inclusive: bool) {
    let order = app.graph.reading_order();
    let names: Vec<&str> = order.iter().map(|b| b.name.as_str()).collect();
    let found = matches(&names, query);
    let to = step(&names, query, app.graph_selected.as_deref(), forward, inclusive);
    let nth = to.and_then(|t| found.iter().position(|f| *f == t)).map_or(0, |i| i + 1);
    let (count, to) = (found.len(), to.map(str::to_owned));
    match to {
        Some(name) => {
            app.message = Some(format!("'{name}': match {nth} of {count} for '{query}'"));
            crate::tui::update::select_state(app, name);
        }
        None if query.is_empty() => app.message = None,
        None => app.message = Some(format!("no state matches '{query}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wrap_around_in_display_order() {
        let names = ["Reserve item", "Charge", "Reserve seat", "Done"];
        assert_eq!(matches(&names, "reserve"), ["Reserve item", "Reserve seat"]);
        assert_eq!(step(&names, "reserve", Some("Charge"), true, false), Some("Reserve seat"));
        assert_eq!(step(&names, "reserve", Some("Reserve seat"), true, false), Some("Reserve item"));
        assert_eq!(step(&names, "reserve", Some("Reserve item"), false, false), Some("Reserve seat"));
        assert_eq!(step(&names, "reserve", Some("Reserve item"), true, true), Some("Reserve item"));
        assert_eq!(step(&names, "nothing", Some("Charge"), true, false), None);
    }
}
