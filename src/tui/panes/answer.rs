//! The dialog for a Task waiting for a result: what the task was asked (resource, where it
//! sits, its effective input) and the fields to answer it with.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::asl::engine::Status;
use crate::tui::answer::{AnswerDialog, Field};
use crate::tui::app::App;
use crate::tui::highlight::pretty;

/// Lines of the effective input shown before it is cut.
const MAX_INPUT_LINES: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, dialog: &AnswerDialog) {
    let Status::AwaitingTask(request) = app.session.exec.status() else { return };
    let width = area.width.saturating_sub(8).min(100);
    let field_width = width.saturating_sub(20) as usize;
    let dim = Style::default().fg(Color::DarkGray);
    let key = Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD);

    let mut where_ = format!("invocation {}", request.invocation + 1);
    if !request.location.is_empty() {
        where_ = format!("{} · {where_}", request.location);
    }
    let mut lines = vec![
        Line::from(vec![Span::styled("Resource: ", key), Span::raw(request.resource.clone())]),
        Line::styled(where_, dim),
    ];
    if let Some(token) = &request.token {
        lines.push(Line::from(vec![Span::styled("Task token: ", key), Span::raw(token.clone())]));
    }
    lines.push(Line::styled("Effective input (after InputPath and Parameters):", key));
    let input = pretty(&request.input);
    let total = input.lines().count();
    for l in input.lines().take(MAX_INPUT_LINES) {
        lines.push(Line::raw(format!("  {l}")));
    }
    if total > MAX_INPUT_LINES {
        lines.push(Line::styled(format!("  … {} more lines", total - MAX_INPUT_LINES), dim));
    }
    lines.push(Line::raw(""));
    lines.push(field_line("Result JSON", &dialog.result, dialog.field == Field::Result, field_width));
    lines.push(field_line("or Error", &dialog.error, dialog.field == Field::Error, field_width));
    lines.push(field_line("   Cause", &dialog.cause, dialog.field == Field::Cause, field_width));
    lines.push(match &dialog.problem {
        Some(p) => Line::styled(p.clone(), Style::default().fg(Color::Red)),
        None => Line::raw(""),
    });
    lines.push(Line::styled(
        "Enter answers with the field under the cursor · Tab next field · Esc later (a reopens)",
        dim,
    ));

    let height = (lines.len() as u16 + 2).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    let title = format!(" Task '{}' is waiting for a result ", request.state);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Blue))
        .title(Line::styled(title, Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD)));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// `Result JSON ▸ {"ok": tr█`: the end of what was typed when it is longer than the field.
fn field_line(name: &str, text: &str, focused: bool, width: usize) -> Line<'static> {
    let count = text.chars().count();
    let shown = if count + 1 > width {
        let tail: String = text.chars().skip(count + 2 - width.max(2)).collect();
        format!("…{tail}")
    } else {
        text.to_owned()
    };
    let (marker, style) = if focused {
        ("▸ ", Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD))
    } else {
        ("  ", Style::default().fg(Color::DarkGray))
    };
    let mut spans = vec![Span::styled(format!("{name:>12} {marker}"), style), Span::raw(shown)];
    if focused {
        spans.push(Span::styled("█", Style::default().fg(Color::Yellow)));
    }
    Line::from(spans)
}
