//! The drill-in menu Enter opens on a Parallel/Map: its branches or iterations that have run,
//! with how many stages each showed and the states it went through.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

use crate::tui::drill::DrillMenu;

pub fn draw(frame: &mut Frame, area: Rect, menu: &DrillMenu) {
    let dim = Style::default().fg(Color::DarkGray);
    let items: Vec<ListItem> = menu
        .choices
        .iter()
        .map(|c| {
            ListItem::new(Line::from(vec![
                Span::raw(c.location.clone()),
                Span::styled(format!("  {} stage(s)  ", c.stages), dim),
                Span::raw(c.states.join(" → ")),
            ]))
        })
        .collect();
    let what = match menu.choices.first().map(|c| c.location.rsplit(" › ").next().unwrap_or_default()) {
        Some(l) if l.starts_with("item") => "iterations",
        _ => "branches",
    };
    let title = format!(" {}: {} {what} run · Enter view · Esc back ", menu.container, menu.choices.len());
    let height = (items.len() as u16 + 2).clamp(3, area.height.saturating_sub(4).max(3));
    let width = area.width.saturating_sub(8).min(90);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    let list = List::new(items)
        .block(Block::default().borders(Borders::ALL).border_style(Style::default().fg(Color::Cyan)).title(title))
        .highlight_style(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD))
        .highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected(Some(menu.cursor));
    frame.render_widget(Clear, popup);
    frame.render_stateful_widget(list, popup, &mut state);
}
