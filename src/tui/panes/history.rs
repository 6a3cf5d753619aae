//! The history pane: AWS event names; Enter on one rewinds the execution to it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::tui::app::{App, Pane};
use crate::tui::ui::pane_block;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let events = app.session.exec.history().events();
    let items: Vec<ListItem> = events
        .iter()
        .map(|e| {
            let name = e.state_name().map(|n| format!(" {n}")).unwrap_or_default();
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:>3} ", e.id), Style::default().fg(Color::DarkGray)),
                Span::raw(e.type_name()),
                Span::styled(name, Style::default().fg(Color::Cyan)),
            ]))
        })
        .collect();
    let block = pane_block(format!(" History ({}) · Enter rewinds ", events.len()), app, Pane::History);
    let list = List::new(items).block(block).highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(app.history_cursor()));
    frame.render_stateful_widget(list, area, &mut state);
}
