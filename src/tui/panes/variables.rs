//! The variables pane: what `Assign` has set, one `$name = value` per line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Pane};
use crate::tui::ui::pane_block;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let vars = app.session.exec.variables();
    let lines: Vec<Line> = if vars.is_empty() {
        vec![Line::styled("(no variables)", Style::default().fg(Color::DarkGray))]
    } else {
        vars.iter()
            .map(|(k, v)| {
                Line::from(vec![
                    Span::styled(format!("${k}"), Style::default().fg(Color::Cyan)),
                    Span::raw(format!(" = {v}")),
                ])
            })
            .collect()
    };
    let block = pane_block(format!(" Variables ({}) ", vars.len()), app, Pane::Variables);
    let scroll = app.variables_scroll.min(lines.len().saturating_sub(1));
    let para = Paragraph::new(lines).block(block).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0));
    frame.render_widget(para, area);
}
