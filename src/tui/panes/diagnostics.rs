//! The diagnostics list in the explain area: a refused reload's errors (red: the last good
//! version still runs), and on `!` the running definition's lints and warnings (yellow). Each
//! finding keeps its hint line; `{` / `}` scroll the list when it is longer than the area.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::app::{App, Problems};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let refused = app.problems != Problems::default();
    let lines = app.diagnostic_lines();
    let (colour, what) = if refused {
        (Color::Red, "reload refused, last good version still running".to_string())
    } else {
        let n = app.session.findings.items.len();
        (Color::Yellow, format!("{n} warning{} · ! to hide", if n == 1 { "" } else { "s" }))
    };
    let shown: Vec<Line> =
        lines
            .into_iter()
            .map(|l| {
                if l.starts_with("  = help") { Line::styled(l, Style::default().fg(Color::Cyan)) } else { Line::raw(l) }
            })
            .collect();
    let paragraph = Paragraph::new(shown).wrap(Wrap { trim: false });
    // Rows after wrapping at the inner width: the list wraps rather than cut a hint off, so it
    // scrolls by rows.
    let room = area.height.saturating_sub(2) as usize;
    let rows = paragraph.line_count(area.width.saturating_sub(2));
    app.diagnostics_max.set(rows.saturating_sub(room));
    let scroll = app.diagnostics_scroll.min(rows.saturating_sub(room));
    let more = if rows > room { format!(" · {{ }} scroll, row {}/{rows}", scroll + 1) } else { String::new() };
    let style = Style::default().fg(colour);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Line::styled(format!(" Diagnostics · {what}{more} "), style));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
}
