//! `?`: every binding of the keymap, over the rest of the screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::keymap::{BINDINGS, labels};

pub fn draw(frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>14}  ", labels(b)), Style::default().fg(Color::Cyan)),
                Span::raw(b.describe),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled("  any other key closes this help", Style::default().fg(Color::DarkGray)));
    let height = (lines.len() as u16 + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(80.min(area.width))]).flex(Flex::Center).areas(row);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Keys ")), popup);
}
