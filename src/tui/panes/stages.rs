//! The stage pane: the stages of the state visit being inspected, and the selected stage's JSON
//! (highlighted, scrollable, or as a diff against the stage before it) under the ASL field and
//! expression that produced it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use crate::asl::engine::stage::StageRecord;
use crate::tui::app::{App, Pane};
use crate::tui::ui::pane_block;

/// Longest expression shown on the field line before it is cut with `…`.
const MAX_EXPR_CHARS: usize = 200;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(stage) = app.selected_stage() else {
        let next = app.session.exec.current_state().unwrap_or("?");
        let block = pane_block(" Stages ".into(), app, Pane::Stages);
        let text = vec![
            Line::from(format!("paused before the first state, '{next}'")),
            Line::styled(
                "press s to step one stage, n for the whole state, c to continue",
                Style::default().fg(Color::DarkGray),
            ),
        ];
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    };
    let total = app.session.exec.stages().len();
    // A nested state is named with where it sits: `Fan › branch 2 › Lookup`.
    let place = if stage.location.is_empty() { String::new() } else { format!("{} › ", stage.location) };
    let title = format!(" Stage {}/{} · {place}{} · {} ", stage.index() + 1, total, stage.state, stage.kind.as_str());
    let block = pane_block(title, app, Pane::Stages);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Drilled into a branch, the list names each stage's state too, so it needs more room.
    let list_width = if app.drill().is_some() { 34 } else { 22 };
    let [list_area, body] = Layout::horizontal([Constraint::Length(list_width), Constraint::Min(10)]).areas(inner);

    let all = app.session.exec.stages();
    let listed = app.listed_stages();
    let items: Vec<ListItem> = listed
        .iter()
        .map(|&i| match app.drill() {
            Some(_) => ListItem::new(Line::from(vec![
                Span::raw(all[i].state.to_string()),
                Span::styled(format!(" · {}", all[i].kind.as_str()), Style::default().fg(Color::DarkGray)),
            ])),
            None => ListItem::new(all[i].kind.as_str()),
        })
        .collect();
    let mut list_block = Block::default().borders(Borders::RIGHT).border_style(Style::default().fg(Color::DarkGray));
    if let Some(drill) = app.drill() {
        list_block = list_block
            .borders(Borders::RIGHT | Borders::TOP)
            .title(Line::styled(format!("{} · Esc", drill.location), Style::default().fg(Color::Cyan)));
    }
    let list = List::new(items)
        .block(list_block)
        .highlight_style(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD))
        .highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected(listed.iter().position(|&i| i == stage.index()));
    frame.render_stateful_widget(list, list_area, &mut state);

    let [field_area, json_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    // The JSON first: it finds how far the lines can scroll sideways, which the field line says.
    draw_json(frame, json_area.inner(ratatui::layout::Margin::new(1, 0)), app, stage);
    frame.render_widget(Paragraph::new(field_line(app, stage)), field_area.inner(ratatui::layout::Margin::new(1, 0)));
}

/// `InputPath: "$.order"`: the field and its text as written in the definition.
fn field_line(app: &App, stage: &StageRecord) -> Line<'static> {
    let shifted = app.json_hscroll.min(app.json_hmax.get());
    let diff = match (app.diff, shifted) {
        (true, 0) => "  [diff vs previous stage]".to_owned(),
        (true, n) => format!("  [diff vs previous stage] [from column {}]", n + 1),
        (false, 0) => String::new(),
        (false, n) => format!("  [from column {}]", n + 1),
    };
    let Some(source) = &stage.source else {
        let what = if stage.kind.as_str() == "input" { "the state's input" } else { "no field applies" };
        return Line::from(vec![
            Span::styled(what.to_owned(), Style::default().fg(Color::DarkGray)),
            Span::styled(diff, Style::default().fg(Color::Magenta)),
        ]);
    };
    let text = &app.session.source.text;
    let written = text
        .get(source.span.start as usize..source.span.end as usize)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| source.expr.to_string());
    let written = if written.chars().count() > MAX_EXPR_CHARS {
        format!("{}…", written.chars().take(MAX_EXPR_CHARS).collect::<String>())
    } else {
        written
    };
    Line::from(vec![
        Span::styled(format!("{}: ", source.field), Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
        Span::raw(written),
        Span::styled(diff, Style::default().fg(Color::Magenta)),
    ])
}

fn draw_json(frame: &mut Frame, area: Rect, app: &App, stage: &StageRecord) {
    let previous = if app.diff { app.previous_stage().map(|p| &*p.value) } else { None };
    let Some(key) = app.view_key() else { return };
    let height = area.height as usize;
    // Clamp the scroll to the content so the last line can reach the bottom, not beyond.
    let total = app.highlight.total(key);
    let scroll = match total {
        Some(t) => app.json_scroll.min(t.saturating_sub(height)),
        None => app.json_scroll,
    };
    let (total, lines) = app.highlight.window(key, &stage.value, previous, scroll, height);
    let scroll = scroll.min(total.saturating_sub(height));
    let lines = if lines.len() < height && total > lines.len() {
        app.highlight.window(key, &stage.value, previous, scroll, height).1
    } else {
        lines
    };
    // Long lines scroll sideways; the limit is the widest line on screen.
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let hmax = widest.saturating_sub(area.width as usize);
    app.json_hmax.set(hmax);
    let hscroll = app.json_hscroll.min(hmax);
    frame.render_widget(Paragraph::new(lines).scroll((0, u16::try_from(hscroll).unwrap_or(u16::MAX))), area);
}
