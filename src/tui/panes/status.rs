//! The status bar: execution status, the last message, and key hints taken from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::asl::engine::Status;
use crate::tui::app::App;
use crate::tui::keymap::{BINDINGS, label};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(search) = &app.search {
        let mut spans = vec![
            Span::styled(" find ", Style::default().fg(Color::Black).bg(Color::Cyan)),
            Span::styled(format!(" /{}", search.query), Style::default().add_modifier(Modifier::BOLD)),
            Span::styled("█", Style::default().fg(Color::Yellow)),
            Span::styled("  ↓/↑ next/previous · Enter keep · Esc cancel  ", Style::default().fg(Color::DarkGray)),
        ];
        if let Some(m) = &app.message {
            spans.push(Span::raw(m.clone()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let (status, colour) = match app.session.exec.status() {
        Status::Running => ("RUNNING", Color::Yellow),
        Status::Succeeded(_) => ("SUCCEEDED", Color::Green),
        Status::Failed { .. } => ("FAILED", Color::Red),
        Status::TimedOut => ("TIMED OUT", Color::Red),
        Status::Stopped(_) => ("STOPPED", Color::Magenta),
        Status::AwaitingTask(_) => ("WAITING FOR TASK", Color::Blue),
    };
    let mut spans = vec![Span::styled(format!(" {status} "), Style::default().fg(Color::Black).bg(colour))];
    if let Some(m) = &app.message {
        spans.push(Span::styled(format!(" {m} "), Style::default().add_modifier(Modifier::BOLD)));
    }
    spans.push(Span::raw(" "));
    let used: usize = spans.iter().map(Span::width).sum();
    let full = hints(true);
    let fits = used + full.iter().map(Span::width).sum::<usize>() <= area.width as usize;
    spans.extend(if fits { full } else { hints(false) });
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys worth showing, from the keymap: `s step  n next …`, or just `s n c …` when the
/// bar is too narrow for the words (`?` lists them).
fn hints(words: bool) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for b in BINDINGS {
        if let (Some(hint), Some(k)) = (b.hint, b.keys.first()) {
            spans.push(Span::styled(label(*k), Style::default().fg(Color::Cyan)));
            spans.push(Span::raw(if words { format!(" {hint}  ") } else { " ".to_owned() }));
        }
    }
    spans
}
