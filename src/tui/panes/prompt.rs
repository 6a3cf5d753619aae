//! The expression prompt's pane (in place of the explain area while it is open): the text
//! typed, the language it is read in, and its value or the error a run would raise.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::asl::evaluate::Outcome;
use crate::tui::prompt::Prompt;

pub fn draw(frame: &mut Frame, area: Rect, prompt: &Prompt) {
    let dim = Style::default().fg(Color::DarkGray);
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
        Span::styled(prompt.text.clone(), Style::default().add_modifier(Modifier::BOLD)),
        Span::styled("█", Style::default().fg(Color::Yellow)),
    ])];
    let title = match &prompt.evaluated {
        None => {
            lines.push(Line::styled(
                "type a JSONPath ($.order.items[0], $$.Execution.Name, $var), an intrinsic (States.ArrayLength($.items)) or JSONata ({% … %})",
                dim,
            ));
            " Evaluate ".to_owned()
        }
        Some((lang, outcome)) => {
            match outcome {
                Outcome::Value { value, selected } => {
                    let text = serde_json::to_string_pretty(value).unwrap_or_default();
                    lines.extend(text.lines().map(|l| Line::raw(l.to_owned())));
                    if selected.len() > 1 {
                        lines.push(Line::styled(format!("{} nodes selected", selected.len()), dim));
                    }
                }
                Outcome::Undefined => lines.push(Line::styled("undefined (no match)", dim)),
                Outcome::Error(e) => {
                    let at = e.position.map(|p| format!(" (at character {})", p + 1)).unwrap_or_default();
                    lines.push(Line::from(vec![
                        Span::styled(
                            format!("{}: ", e.code),
                            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(format!("{}{at}", e.message), Style::default().fg(Color::Red)),
                    ]));
                }
            }
            format!(" Evaluate · {} ", lang.name())
        }
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD))
        .title(Line::from(vec![
            Span::styled(title, Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
            Span::styled("↑/↓ history · Enter keeps · Esc closes ", dim),
        ]));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
