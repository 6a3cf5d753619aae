//! Draws one frame from the model. Pure with respect to the model (`&App`): layout here, each
//! pane in its own module under `panes`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::app::{App, Pane};
use crate::tui::panes;

/// The smallest terminal the full layout is designed for; below it one pane at a time.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Below this not even one pane and the status bar are usable.
const TINY_WIDTH: u16 = 20;
const TINY_HEIGHT: u16 = 5;

/// The graph pane's width: the room its drawing needs, taken from what the stage pane can
/// spare beyond 80 columns (so it grows on wide terminals), never less than enough for a
/// compact drawing of a small machine; `+`/`-` adjust it.
pub fn graph_width(app: &App, width: u16) -> u16 {
    let base: i32 = if width >= 110 { 40 } else { 24 };
    let width = i32::from(width);
    let needed = if app.graph.list {
        app.graph.full.states.iter().map(|s| s.name.chars().count() as i32 + 14).max().unwrap_or(0)
    } else {
        app.graph.full.width as i32 + 2
    };
    let natural = needed.clamp(base, base.max(width - 80));
    (natural + app.graph_resize).clamp(12, (width - 30).max(12)) as u16
}

/// A terminal below 80×24: the focused pane alone over the status bar (Tab cycles panes).
fn single_pane(frame: &mut Frame, area: Rect, app: &App) {
    let prompt_height = if app.prompt.is_some() { area.height / 3 } else { 0 };
    // A lesson keeps its pane (the goal and the verdict) on top, within a third of the screen.
    let lesson_height = app.lesson.as_ref().map_or(0, |l| panes::lesson::height(l, area.width, area.height / 3));
    let [lesson, main, prompt, status] = Layout::vertical([
        Constraint::Length(lesson_height),
        Constraint::Min(3),
        Constraint::Length(prompt_height),
        Constraint::Length(1),
    ])
    .areas(area);
    if let Some(view) = &app.lesson {
        panes::lesson::draw(frame, lesson, view);
    }
    if let Some(p) = &app.prompt {
        panes::prompt::draw(frame, prompt, p);
    }
    match app.focus {
        Pane::Graph => panes::graph::draw(frame, main, app),
        Pane::Stages => panes::stages::draw(frame, main, app),
        Pane::History => panes::history::draw(frame, main, app),
        Pane::Variables => panes::variables::draw(frame, main, app),
    }
    panes::status::draw(frame, status, app);
    if let Some(dialog) = &app.dialog {
        panes::answer::draw(frame, area, app, dialog);
    }
    if let Some(menu) = &app.drill_menu {
        panes::drill::draw(frame, area, menu);
    }
    if app.help {
        panes::help::draw(frame, area, app);
    }
}

pub fn draw(frame: &mut Frame, app: &App) {
    draw_panes(frame, app);
    if app.monochrome {
        monochrome(frame.buffer_mut());
    }
}

/// `NO_COLOR` forbids colour, not emphasis: every colour is dropped, the modifiers that mark the
/// current state, the selection and the focused pane stay, and what only a background set
/// apart (the status badge) is reversed instead.
pub fn monochrome(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if !matches!(cell.bg, Color::Reset) {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

fn draw_panes(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < TINY_WIDTH || area.height < TINY_HEIGHT {
        too_small(frame, area);
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        single_pane(frame, area, app);
        return;
    }
    let bottom_height = if area.height >= 36 { 10 } else { 7 };
    // Built once: its length sizes the area.
    let explained = panes::explain::lines(app);
    let explain_height = if app.prompt.is_some() {
        if area.height >= 36 { 12 } else { 8 }
    } else if app.diagnostics_shown() {
        diagnostics_height(app, area)
    } else {
        explain_height(&explained, area)
    };
    // `statescope learn N`: the lesson on top, as tall as it needs within a third of the screen.
    let lesson_height = app.lesson.as_ref().map_or(0, |l| panes::lesson::height(l, area.width, area.height / 3));
    let [lesson, main, explain, bottom, status] = Layout::vertical([
        Constraint::Length(lesson_height),
        Constraint::Min(8),
        Constraint::Length(explain_height),
        Constraint::Length(bottom_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let graph_width = graph_width(app, area.width);
    let [graph, stages] = Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(40)]).areas(main);
    let [history, variables] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);

    if let Some(view) = &app.lesson {
        panes::lesson::draw(frame, lesson, view);
    }
    panes::graph::draw(frame, graph, app);
    panes::stages::draw(frame, stages, app);
    if let Some(prompt) = &app.prompt {
        panes::prompt::draw(frame, explain, prompt);
    } else if app.diagnostics_shown() {
        panes::diagnostics::draw(frame, explain, app);
    } else {
        panes::explain::draw(frame, explain, explained);
    }
    panes::history::draw(frame, history, app);
    panes::variables::draw(frame, variables, app);
    panes::status::draw(frame, status, app);
    if let Some(dialog) = &app.dialog {
        panes::answer::draw(frame, area, app, dialog);
    }
    if let Some(menu) = &app.drill_menu {
        panes::drill::draw(frame, area, menu);
    }
    if app.help {
        panes::help::draw(frame, area, app);
    }
}

/// Room for what the explain area has to say (a Choice's rule tree can be long), within limits
/// that leave the stage pane most of the screen.
fn explain_height(lines: &[Line], area: Rect) -> u16 {
    let (least, most) = if area.height >= 36 { (6, 14) } else { (4, 7) };
    (lines.len() as u16 + 2).clamp(least, most)
}

fn diagnostics_height(app: &App, area: Rect) -> u16 {
    let wanted = app.diagnostic_lines().len() as u16 + 2;
    wanted.clamp(3, if area.height >= 36 { 10 } else { 6 })
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from("terminal too small"),
        Line::from(format!("{}×{}, need at least {TINY_WIDTH}×{TINY_HEIGHT}", area.width, area.height)),
        Line::from("enlarge the window, or press q to quit"),
    ];
    let top = area.height.saturating_sub(text.len() as u16) / 2;
    let inner = Rect { y: area.y + top, height: area.height.saturating_sub(top), ..area };
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center).wrap(Wrap { trim: true }), inner);
}

/// A pane's frame: the focused pane has a highlighted border and title.
pub fn pane_block(title: String, app: &App, pane: Pane) -> Block<'static> {
    let focused = app.focus == pane;
    let style = if focused {
        Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(Color::DarkGray)
    };
    Block::default().borders(Borders::ALL).border_style(style).title(Line::styled(title, style))
}
