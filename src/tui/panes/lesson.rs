//! The lesson pane (`statescope learn N`): what the lesson teaches, its goal, the verdict on
//! the last save (✓ or what still differs) and the hints asked for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::lesson::LessonView;

/// The pane's lines, before wrapping.
pub fn lines(view: &LessonView) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut out = Vec::new();
    // Until the first save, the lesson's text; then the room goes to the verdict.
    if view.intro {
        out.push(Line::from(view.lesson.teaches.clone()));
    }
    out.push(Line::from(vec![Span::styled("Goal: ", bold), Span::raw(view.lesson.goal_text.clone())]));
    if view.verdict.passed() {
        out.push(Line::styled(
            format!("✓ Solved! `statescope learn {}` opens the next lesson.", view.lesson.number + 1),
            Style::default().fg(Color::Green).add_modifier(Modifier::BOLD),
        ));
    } else {
        let n = view.verdict.differences.len();
        let head = if view.intro {
            format!("Not yet: {n} thing(s) differ. Edit the file; every save is checked.")
        } else {
            "Not yet:".to_owned()
        };
        out.push(Line::styled(head, Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)));
        if !view.intro {
            for d in &view.verdict.differences {
                out.push(Line::styled(format!("  • {d}"), Style::default().fg(Color::Yellow)));
            }
        }
    }
    for (i, h) in view.lesson.hints.iter().take(view.hints_shown).enumerate() {
        out.push(Line::from(vec![Span::styled(format!("Hint {}: ", i + 1), bold), Span::raw(h.clone())]));
    }
    out
}

/// Rows the pane wants at this width (its wrapped lines and borders), within `most`.
pub fn height(view: &LessonView, width: u16, most: u16) -> u16 {
    let inner = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines(view).iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    (rows as u16 + 2).clamp(4, most.max(4))
}

pub fn draw(frame: &mut Frame, area: Rect, view: &LessonView) {
    let left = view.lesson.hints.len() - view.hints_shown.min(view.lesson.hints.len());
    let title = format!(" Lesson {} · {} ", view.lesson.number, view.lesson.title);
    let footer = format!(" edit {} · h: hint ({left} left) ", view.file);
    let style = Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Line::styled(title, style))
        .title_bottom(Line::from(footer));
    frame.render_widget(Paragraph::new(lines(view)).wrap(Wrap { trim: false }).block(block), area);
}
