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
    // `--history`: the event where the definition departs from the recording is marked `≠`.
    let diverged = app.recording.as_ref().and_then(|r| r.divergence.as_ref());
    let items: Vec<ListItem> = events
        .iter()
        .map(|e| {
            let name = e.state_name().map(|n| format!(" {n}")).unwrap_or_default();
            let here = diverged.is_some_and(|d| u64::from(e.id) == d.event_id);
            let id_style = if here {
                Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(Color::DarkGray)
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{}{:>3} ", if here { "≠" } else { "" }, e.id), id_style),
                Span::raw(e.type_name()),
                Span::styled(name, Style::default().fg(Color::Cyan)),
            ]))
        })
        .collect();
    let title = match (&app.recording, diverged) {
        (Some(_), Some(d)) => format!(" History ({}) · ≠ recording at #{} · Enter rewinds ", events.len(), d.event_id),
        (Some(_), None) => format!(" History ({}) · as recorded · Enter rewinds ", events.len()),
        (None, _) => format!(" History ({}) · Enter rewinds ", events.len()),
    };
    let block = pane_block(title, app, Pane::History);
    let list = List::new(items).block(block).highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(app.history_cursor()));
    frame.render_stateful_widget(list, area, &mut state);
}
