//! `?`: every binding of the keymap, over the rest of the screen. When the list is taller than
//! the screen it scrolls (↑/↓, PgUp/PgDn) and its title says so and where it is.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::App;
use crate::tui::keymap::{BINDINGS, labels};

fn entry(keys: String, describe: &str) -> Line<'_> {
    Line::from(vec![Span::styled(format!("{keys:>14}  "), Style::default().fg(Color::Cyan)), Span::raw(describe)])
}

fn lines() -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = BINDINGS.iter().map(|b| entry(labels(b), b.describe)).collect();
    // Not in the keymap: a lesson takes `h` before the keymap sees it (see `lesson::is_hint_key`).
    lines.push(entry("h".into(), "in a lesson: the next hint (there h is not ←)"));
    lines.push(Line::raw(""));
    lines.push(Line::styled("  any other key closes this help", Style::default().fg(Color::DarkGray)));
    lines
}

/// Lines of the help shown on a screen `screen_height` rows tall (inside the border).
fn visible(screen_height: u16, total: usize) -> usize {
    usize::from((total as u16 + 2).min(screen_height).saturating_sub(2))
}

/// How far the help scrolls on a screen `screen_height` rows tall (0: it fits).
pub fn max_scroll(screen_height: u16) -> usize {
    let total = lines().len();
    total.saturating_sub(visible(screen_height, total))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let lines = lines();
    let total = lines.len();
    let height = (total as u16 + 2).min(area.height);
    let visible = visible(area.height, total);
    let max_scroll = total.saturating_sub(visible);
    let scroll = app.help_scroll.min(max_scroll);
    let title = if max_scroll == 0 {
        " Keys ".to_owned()
    } else {
        format!(" Keys {}-{} of {total} (↑/↓ PgUp/PgDn scroll) ", scroll + 1, (scroll + visible).min(total))
    };
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    // As wide as the longest entry (80 columns at least), so a wide screen cuts none.
    let widest = lines.iter().map(Line::width).max().unwrap_or_default() as u16 + 2;
    let width = widest.max(80).min(area.width);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    frame.render_widget(Clear, popup);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(Block::default().borders(Borders::ALL).title(title)), popup);
}
