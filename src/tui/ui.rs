//! Draws one frame from the model. Pure with respect to the model (`&App`): layout here, each
//! pane in its own module under `panes`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::app::{App, Pane, Problems};
use crate::tui::panes;

/// The smallest terminal the layout is designed for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let bottom_height = if area.height >= 36 { 10 } else { 7 };
    // Built once: its length sizes the area.
    let explained = panes::explain::lines(app);
    let explain_height = if app.problems == Problems::default() {
        explain_height(&explained, area)
    } else {
        diagnostics_height(app, area)
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
    // Wide enough for a compact drawing of a small machine; larger ones pan.
    let graph_width = if area.width >= 110 { 40 } else { 24 };
    let [graph, stages] = Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(40)]).areas(main);
    let [history, variables] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(bottom);

    if let Some(view) = &app.lesson {
        panes::lesson::draw(frame, lesson, view);
    }
    panes::graph::draw(frame, graph, app);
    panes::stages::draw(frame, stages, app);
    if app.problems == Problems::default() {
        panes::explain::draw(frame, explain, explained);
    } else {
        panes::explain::draw_diagnostics(frame, explain, app);
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
        panes::help::draw(frame, area);
    }
}

/// Room for what the explain area has to say (a Choice's rule tree can be long), within limits
/// that leave the stage pane most of the screen.
fn explain_height(lines: &[Line], area: Rect) -> u16 {
    let (least, most) = if area.height >= 36 { (6, 14) } else { (4, 7) };
    (lines.len() as u16 + 2).clamp(least, most)
}

fn diagnostics_height(app: &App, area: Rect) -> u16 {
    let wanted = app.diagnostics().len() as u16 + 2;
    wanted.clamp(3, if area.height >= 36 { 10 } else { 6 })
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from("terminal too small"),
        Line::from(format!("{}×{}, need at least {MIN_WIDTH}×{MIN_HEIGHT}", area.width, area.height)),
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
