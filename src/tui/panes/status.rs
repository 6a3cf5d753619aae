//! The status bar: execution status, the workflow type, how many lints the definition has, the
//! last message, and key hints taken from the keymap.

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
    let findings = &app.session.findings;
    spans.push(Span::styled(format!(" {} ", findings.workflow_type), Style::default().fg(Color::Cyan)));
    if !findings.items.is_empty() {
        let n = findings.items.len();
        let text = format!("· {n} warning{} (!) ", if n == 1 { "" } else { "s" });
        spans.push(Span::styled(text, Style::default().fg(Color::Yellow)));
    }
    if let Some(m) = &app.message {
        spans.push(Span::styled(format!(" {m} "), Style::default().add_modifier(Modifier::BOLD)));
    }
    spans.push(Span::raw(" "));
    let used: usize = spans.iter().map(Span::width).sum();
    spans.extend(hints((area.width as usize).saturating_sub(used)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys worth showing, from the keymap, within `room` columns: `s step  n next …` while
/// the words fit, then just the keys (`r Tab d …`; `?` lists them all).
fn hints(room: usize) -> Vec<Span<'static>> {
    let shown: Vec<(String, &str)> = BINDINGS.iter().filter_map(|b| Some((label(*b.keys.first()?), b.hint?))).collect();
    // Keys alone take `key ` each; every hint that keeps its word adds `word ` plus a space.
    let mut left = room.saturating_sub(shown.iter().map(|(k, _)| k.chars().count() + 1).sum());
    let mut spans = Vec::new();
    let mut words = true;
    for (key, hint) in shown {
        let extra = hint.chars().count() + 2;
        words = words && extra <= left;
        spans.push(Span::styled(key, Style::default().fg(Color::Cyan)));
        if words {
            left -= extra;
            spans.push(Span::raw(format!(" {hint}  ")));
        } else {
            spans.push(Span::raw(" "));
        }
    }
    spans
}
