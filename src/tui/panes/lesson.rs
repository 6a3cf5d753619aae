//! The lesson pane (`statescope learn N`): what the lesson teaches (until the first save), its
//! goal, the latest hint asked for, and the verdict on the last save: ✓, or what still differs,
//! as many lines as fit and a count of the rest.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::lesson::LessonView;

/// Rows a line takes when the paragraph word-wraps it at `width` columns: words move whole to
/// the next row, and a word longer than a row is broken.
fn rows(line: &Line, width: usize) -> usize {
    let width = width.max(1);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut rows, mut column) = (1, 0);
    for word in text.split(' ') {
        let len = word.chars().count();
        if column > 0 && column + 1 + len <= width {
            column += 1 + len;
            continue;
        }
        if column > 0 {
            rows += 1;
        }
        // A word wider than the row fills rows of its own.
        rows += len.saturating_sub(1) / width;
        column = if len == 0 { 0 } else { (len - 1) % width + 1 };
    }
    rows
}

/// The pane's lines for an inner area `width` columns wide and `height` rows high.
pub fn lines(view: &LessonView, width: u16, height: u16) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let width = width as usize;
    let mut out = Vec::new();
    out.push(Line::from(vec![Span::styled("Goal: ", bold), Span::raw(view.lesson.goal_text.clone())]));
    if let Some(hint) = view.hints_shown.checked_sub(1).and_then(|i| view.lesson.hints.get(i)) {
        let label = format!("Hint {} of {}: ", view.hints_shown, view.lesson.hints.len());
        out.push(Line::from(vec![Span::styled(label, bold.fg(Color::Cyan)), Span::raw(hint.clone())]));
    }
    // Until the first save, what the lesson teaches comes first, if it fits with the goal and
    // the verdict line (a small screen shows the goal); after a save, the room is the verdict's.
    let teaches = Line::from(view.lesson.teaches.clone());
    let above: usize = out.iter().map(|l| rows(l, width)).sum();
    if view.intro && rows(&teaches, width) + above < height as usize {
        out.insert(0, teaches);
    }
    if view.verdict.passed() {
        let next = if view.lesson.number < crate::learn::catalog::FILES.len() {
            format!("`statescope learn {}` opens the next lesson.", view.lesson.number + 1)
        } else {
            "That was the last lesson: well done.".to_owned()
        };
        out.push(Line::styled(
            format!("✓ Solved! {next}"),
            Style::default().fg(Color::Green).add_modifier(Modifier::BOLD),
        ));
        return out;
    }
    let yellow = Style::default().fg(Color::Yellow);
    let differences = &view.verdict.differences;
    if view.intro {
        out.push(Line::styled(
            format!("Not yet: {} thing(s) differ. Edit the file; every save is checked.", differences.len()),
            yellow.add_modifier(Modifier::BOLD),
        ));
        return out;
    }
    out.push(Line::styled("Not yet:", yellow.add_modifier(Modifier::BOLD)));
    let mut used: usize = out.iter().map(|l| rows(l, width)).sum();
    for (i, d) in differences.iter().enumerate() {
        let line = Line::styled(format!("  • {d}"), yellow);
        let left = differences.len() - i;
        // Keep a row for "… and N more" unless this is the last difference.
        let room = (height as usize).saturating_sub(used + usize::from(left > 1));
        if rows(&line, width) > room {
            out.push(Line::styled(format!("  … and {left} more"), yellow));
            break;
        }
        used += rows(&line, width);
        out.push(line);
    }
    out
}

/// Rows the pane wants at this width (its wrapped lines and borders), within `most`.
pub fn height(view: &LessonView, width: u16, most: u16) -> u16 {
    let inner = width.saturating_sub(2);
    let wanted: usize = lines(view, inner, most.saturating_sub(2)).iter().map(|l| rows(l, inner as usize)).sum();
    (wanted.min(u16::MAX as usize) as u16 + 2).clamp(4, most.max(4))
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
    let inner = block.inner(area);
    let text = lines(view, inner.width, inner.height);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }).block(block), area);
}
