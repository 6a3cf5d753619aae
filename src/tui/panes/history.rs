//! The history pane: AWS event names with the virtual time each happened at (from the start of
//! the execution); Enter on one rewinds the execution to it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::tui::app::{App, Pane};
use crate::tui::ui::pane_block;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let events = app.session.exec.history().events();
    let start = events.get(0).map_or(0, |e| e.timestamp_ms);
    let items: Vec<ListItem> = events
        .iter()
        .map(|e| {
            let name = e.state_name().map(|n| format!(" {n}")).unwrap_or_default();
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:>3} ", e.id), Style::default().fg(Color::DarkGray)),
                Span::styled(format!("{:>6} ", elapsed(e.timestamp_ms - start)), Style::default().fg(Color::DarkGray)),
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

/// Virtual time since the execution started: `+0s`, `+2.5s`, `+4m30s`, `+1h02m`.
pub fn elapsed(ms: i64) -> String {
    let s = ms.max(0) as f64 / 1000.0;
    if s < 60.0 {
        let text = format!("{s:.3}");
        format!("+{}s", text.trim_end_matches('0').trim_end_matches('.'))
    } else if s < 3600.0 {
        format!("+{}m{:02}s", (s / 60.0) as i64, (s % 60.0) as i64)
    } else {
        format!("+{}h{:02}m", (s / 3600.0) as i64, ((s % 3600.0) / 60.0) as i64)
    }
}
