//! The states pane. For now a list of states in source order with markers; a graph layout
//! (`crate::graph`, in progress elsewhere) will replace the body of `draw` and nothing else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::tui::app::{App, Pane};
use crate::tui::ui::pane_block;

/// Markers: `▶` current, `✓` visited, `●` breakpoint.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let current = app.session.exec.current_state();
    let visited = app.visited();
    let states = &app.session.exec.machine().scope.states;
    let items: Vec<ListItem> = states
        .iter()
        .map(|s| {
            let name = s.name.as_str();
            let here = Some(name) == current && app.session.exec.status() == &crate::asl::engine::Status::Running;
            let marker = if here {
                "▶"
            } else if visited.contains(name) {
                "✓"
            } else {
                " "
            };
            let bp = if app.breakpoints.contains(name) { "●" } else { " " };
            let style = if here {
                Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
            } else if visited.contains(name) {
                Style::default().fg(Color::Green)
            } else {
                Style::default()
            };
            ListItem::new(Line::from(vec![
                Span::styled(bp, Style::default().fg(Color::Red)),
                Span::styled(format!("{marker} {name}"), style),
                Span::styled(format!("  {}", s.type_name()), Style::default().fg(Color::DarkGray)),
            ]))
        })
        .collect();
    let block = pane_block(format!(" States ({}) ", states.len()), app, Pane::Graph);
    let list = List::new(items).block(block).highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(app.graph_selected));
    frame.render_stateful_widget(list, area, &mut state);
}
