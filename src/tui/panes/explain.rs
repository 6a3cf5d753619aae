//! The explain area: why the selected stage looks as it does (which Choice rule matched, how
//! long a Wait waits, the error and cause of a failure), the details of the history event under
//! the cursor while the history pane has focus, or the diagnostics of a refused reload.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

mod failure;

use crate::asl::engine::Status;
use crate::asl::engine::choice::ChoiceOutcome;
use crate::asl::engine::clock::format_millis;
use crate::asl::engine::stage::StageDetail;
use crate::asl::explain;
use crate::tui::app::{App, Pane};

pub fn draw(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let block =
        Block::default().borders(Borders::ALL).border_style(Style::default().fg(Color::DarkGray)).title(" Explain ");
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

fn label(text: &str) -> Span<'static> {
    Span::styled(format!("{text}: "), Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD))
}

/// What the explain area shows now, one entry per line (the layout sizes the area by it).
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let exec = &app.session.exec;
    if app.focus == Pane::History {
        if let Some(e) = exec.history().events().get(app.history_cursor()) {
            // Readable fields, one a line, not the event's raw JSON.
            let start = exec.history().events().get(0).map_or(0, |f| f.timestamp_ms);
            let when = format!(
                "{} ({} after the start)",
                format_millis(e.timestamp_ms),
                crate::tui::panes::history::elapsed(e.timestamp_ms - start)
            );
            let mut lines = vec![Line::from(vec![label(&format!("{} {}", e.id, e.type_name())), Span::raw(when)])];
            match e.details() {
                serde_json::Value::Object(fields) => {
                    for (name, value) in fields {
                        let text = match value {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        lines.push(Line::from(vec![label(&format!("  {name}")), Span::raw(text)]));
                    }
                }
                serde_json::Value::Null => {}
                other => lines.push(Line::raw(other.to_string())),
            }
            return lines;
        }
    }
    let stage = app.selected_stage();
    let mut lines = near_limit(stage);
    lines.extend(explained(app, stage));
    lines
}

/// The `payload-near-limit` warning (issue 15) on a stage whose value is above 80% of AWS's
/// payload quota.
fn near_limit(stage: Option<&crate::asl::engine::stage::StageRecord>) -> Vec<Line<'static>> {
    use crate::asl::engine::limits::{MAX_PAYLOAD_BYTES, json_size};
    let Some(s) = stage.filter(|s| s.near_limit) else { return Vec::new() };
    let size = json_size(&s.value(), usize::MAX).unwrap_or_default();
    vec![Line::from(vec![
        Span::styled("warning[payload-near-limit]: ", Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)),
        Span::raw(format!(
            "{size} bytes, {}% of the 256 KiB payload quota (States.DataLimitExceeded above it)",
            size * 100 / MAX_PAYLOAD_BYTES
        )),
    ])]
}

/// Why the selected stage (or the execution) looks as it does.
fn explained(app: &App, stage: Option<&crate::asl::engine::stage::StageRecord>) -> Vec<Line<'static>> {
    let exec = &app.session.exec;
    if let Some((stage, detail)) = stage.and_then(|s| s.detail.as_deref().map(|d| (s, d))) {
        return match detail {
            StageDetail::Choice(outcome) => choice(outcome),
            StageDetail::Wait { seconds, until_ms } => vec![Line::from(vec![
                label("Wait"),
                Span::raw(explain::wait_line(*seconds, &format_millis(*until_ms))),
            ])],
            StageDetail::Error { error, cause } => {
                let mut lines = error_lines(error, cause);
                lines.push(failure::decision(app, stage));
                lines
            }
            StageDetail::Caught { catcher, next } => failure::caught(app, stage, *catcher, next),
        };
    }
    let at_end = stage.is_some_and(|s| s.index() + 1 == exec.stages().len());
    match exec.status() {
        Status::Failed { error, cause } if at_end || stage.is_none() => vec![
            Line::from(vec![
                label("execution failed"),
                Span::styled(error.clone().unwrap_or_default(), Style::default().fg(Color::Red)),
            ]),
            Line::from(vec![label("cause"), Span::raw(cause.clone().unwrap_or_default())]),
        ],
        Status::Succeeded(output) if at_end => {
            let mut lines = vec![Line::from(vec![label("execution succeeded"), Span::raw(format!("output {output}"))])];
            lines.extend(decisions(app));
            lines
        }
        Status::Stopped(why) => vec![Line::from(vec![label("stopped"), Span::raw(why.clone())])],
        Status::TimedOut if at_end || stage.is_none() => vec![Line::from(vec![
            label("execution timed out"),
            Span::styled(crate::asl::engine::TIMED_OUT_ERROR, Style::default().fg(Color::Red)),
            Span::raw(format!(" after {} s (TimeoutSeconds)", exec.timeout_ms().unwrap_or_default() / 1000)),
        ])],
        Status::AwaitingTask(request) if at_end || stage.is_none() => vec![Line::from(vec![
            label("waiting"),
            Span::raw(format!(
                "Task '{}' ({}) needs a result: answer it in the dialog",
                request.state, request.resource
            )),
        ])],
        Status::Running | Status::Succeeded(_) | Status::Failed { .. } | Status::TimedOut | Status::AwaitingTask(_) => {
            let mut lines = describe_state(app);
            lines.extend(decisions(app));
            lines
        }
    }
}

/// The Retry and Wait decisions of the state being looked at, whichever of its stages is
/// selected (they are recorded on the stage where they were taken, which `n` steps over): the
/// stages of this state back to its first attempt, up to the selected one.
fn decisions(app: &App) -> Vec<Line<'static>> {
    let Some(i) = app.selected_stage_index() else { return Vec::new() };
    let stages = app.session.exec.stages();
    let here = &stages[i];
    let mut start = i;
    while start > 0 && stages[start - 1].state == here.state && stages[start - 1].location == here.location {
        start -= 1;
    }
    let state = failure::find_state(&app.session.exec.machine().scope, &here.state);
    let mut lines = Vec::new();
    for s in (start..=i).map(|j| &stages[j]) {
        if let (Some(mark), Some(state)) = (s.retry.as_deref(), state) {
            lines.push(Line::from(vec![label("Retry"), Span::raw(explain::retry_line(&state.retry, mark))]));
        }
        if let Some(StageDetail::Wait { seconds, until_ms }) = s.detail.as_deref() {
            lines.push(Line::from(vec![
                label("Wait"),
                Span::raw(explain::wait_line(*seconds, &format_millis(*until_ms))),
            ]));
        }
    }
    lines
}

fn error_lines(error: &str, cause: &str) -> Vec<Line<'static>> {
    vec![
        Line::from(vec![label("error"), Span::styled(error.to_owned(), Style::default().fg(Color::Red))]),
        Line::from(vec![label("cause"), Span::raw(cause.to_owned())]),
    ]
}

/// The Choice rule tree as the engine explains it, verdicts coloured, the branch taken last.
fn choice(outcome: &ChoiceOutcome) -> Vec<Line<'static>> {
    let text = outcome.explain();
    let count = text.lines().count();
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i + 1 == count {
                return Line::from(vec![
                    label("Choice"),
                    Span::styled(line.to_owned(), Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)),
                ]);
            }
            // `… → true (…)`: colour the verdict.
            match line.rfind(" → ") {
                Some(at) => {
                    let (test, verdict) = line.split_at(at);
                    let colour = if verdict.starts_with(" → true") { Color::Green } else { Color::Red };
                    Line::from(vec![
                        Span::raw(test.to_owned()),
                        Span::styled(verdict.to_owned(), Style::default().fg(colour)),
                    ])
                }
                None => Line::raw(line.to_owned()),
            }
        })
        .collect()
}

/// The selected (or next) state's type and comment.
fn describe_state(app: &App) -> Vec<Line<'static>> {
    let name = app.selected_stage().map(|s| &*s.state).or(app.current_state());
    let Some(state) = name.and_then(|n| failure::find_state(&app.session.exec.machine().scope, n)) else {
        return Vec::new();
    };
    let mut line = vec![label(state.type_name()), Span::raw(format!("'{}'", state.name))];
    if let Some(c) = &state.comment {
        line.push(Span::styled(format!("  {c}"), Style::default().fg(Color::DarkGray)));
    }
    vec![Line::from(line)]
}
