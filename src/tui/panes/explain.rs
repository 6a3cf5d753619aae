//! The explain area: why the selected stage looks as it does (which Choice rule matched, how
//! long a Wait waits, the error and cause of a failure), the details of the history event under
//! the cursor while the history pane has focus, or the diagnostics of a refused reload.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::asl::engine::Status;
use crate::asl::engine::clock::format_millis;
use crate::asl::engine::stage::StageDetail;
use crate::tui::app::{App, Pane};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let block =
        Block::default().borders(Borders::ALL).border_style(Style::default().fg(Color::DarkGray)).title(" Explain ");
    frame.render_widget(Paragraph::new(explain(app)).block(block).wrap(Wrap { trim: false }), area);
}

fn label(text: &str) -> Span<'static> {
    Span::styled(format!("{text}: "), Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD))
}

fn explain(app: &App) -> Vec<Line<'static>> {
    let exec = &app.session.exec;
    if app.focus == Pane::History {
        if let Some(e) = exec.history().events().get(app.history_cursor()) {
            return vec![Line::from(vec![
                label(&format!("{} {}", e.id, e.type_name())),
                Span::raw(e.details().to_string()),
            ])];
        }
    }
    let stage = app.selected_stage();
    if let Some(detail) = stage.and_then(|s| s.detail.as_ref()) {
        return match detail {
            StageDetail::Choice(outcome) => vec![Line::from(vec![label("Choice"), Span::raw(format!("{outcome:?}"))])],
            StageDetail::Wait { seconds, until_ms } => vec![Line::from(vec![
                label("Wait"),
                Span::raw(format!("{seconds} s, until {}", format_millis(*until_ms))),
            ])],
            StageDetail::Error { error, cause } => vec![
                Line::from(vec![label("error"), Span::styled(error.clone(), Style::default().fg(Color::Red))]),
                Line::from(vec![label("cause"), Span::raw(cause.clone())]),
            ],
            // The engine grows new details (catchers, …); show them as data until each has a
            // line of its own.
            #[allow(unreachable_patterns)]
            other => vec![Line::from(vec![label("detail"), Span::raw(format!("{other:?}"))])],
        };
    }
    let at_end = stage.is_some_and(|s| s.index + 1 == exec.stages().len());
    match exec.status() {
        Status::Failed { error, cause } if at_end || stage.is_none() => vec![
            Line::from(vec![
                label("execution failed"),
                Span::styled(error.clone().unwrap_or_default(), Style::default().fg(Color::Red)),
            ]),
            Line::from(vec![label("cause"), Span::raw(cause.clone().unwrap_or_default())]),
        ],
        Status::Succeeded(output) if at_end => {
            vec![Line::from(vec![label("execution succeeded"), Span::raw(format!("output {output}"))])]
        }
        Status::Stopped(why) => vec![Line::from(vec![label("stopped"), Span::raw(why.clone())])],
        Status::Running | Status::Succeeded(_) | Status::Failed { .. } => describe_state(app),
        // Pauses the engine adds later (a Task waiting for its result), shown as data for now.
        #[allow(unreachable_patterns)]
        other => vec![Line::from(vec![label("paused"), Span::raw(format!("{other:?}"))])],
    }
}

/// The selected (or next) state's type and comment.
fn describe_state(app: &App) -> Vec<Line<'static>> {
    let name = app.selected_stage().map(|s| s.state.as_str()).or(app.session.exec.current_state());
    let Some(state) = name.and_then(|n| app.session.exec.machine().scope.state(n)) else { return Vec::new() };
    let mut line = vec![label(state.type_name()), Span::raw(format!("'{}'", state.name))];
    if let Some(c) = &state.comment {
        line.push(Span::styled(format!("  {c}"), Style::default().fg(Color::DarkGray)));
    }
    vec![Line::from(line)]
}

/// The refused reload: `file:line:col: message` per problem.
pub fn draw_diagnostics(frame: &mut Frame, area: Rect, app: &App) {
    let style = Style::default().fg(Color::Red);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Line::styled(" Diagnostics · reload refused, last good version still running ", style));
    let lines: Vec<Line> = app.diagnostics().into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
