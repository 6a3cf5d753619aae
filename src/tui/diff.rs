//! Line diff of two pretty-printed JSON values (`d` in the stage pane).

use std::time::Duration;

use ratatui::style::{Color, Style};
use ratatui::text::Line;
use similar::{ChangeTag, TextDiff};

/// Past this the diff gives up on a minimal result and returns a coarser one, so a huge
/// payload cannot freeze the screen.
const DIFF_TIMEOUT: Duration = Duration::from_millis(50);

/// `before` → `after` as lines prefixed `+`, `-` or ` `, coloured green and red.
pub fn lines(before: &str, after: &str) -> Vec<Line<'static>> {
    let diff = TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(before, after);
    diff.iter_all_changes()
        .map(|c| {
            let text = c.value().trim_end_matches('\n');
            match c.tag() {
                ChangeTag::Insert => Line::styled(format!("+{text}"), Style::default().fg(Color::Green)),
                ChangeTag::Delete => Line::styled(format!("-{text}"), Style::default().fg(Color::Red)),
                ChangeTag::Equal => Line::raw(format!(" {text}")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_marked() {
        let out: Vec<String> =
            lines("{\n  \"a\": 1\n}\n", "{\n  \"a\": 2\n}\n").iter().map(|l| l.to_string()).collect();
        assert_eq!(out, vec![" {", "-  \"a\": 1", "+  \"a\": 2", " }"]);
    }
}
