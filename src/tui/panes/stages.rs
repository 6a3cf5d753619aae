//! The stage pane: the stages of the state visit being inspected, and the selected stage's JSON
//! (highlighted, scrollable, or as a diff against the stage before it) under the ASL field and
//! expression that produced it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use crate::asl::engine::stage::StageRecord;
use crate::asl::evaluate::Outcome;
use crate::asl::explain;
use crate::asl::explain::changes::ChangeKind;
use crate::tui::app::{App, Pane};
use crate::tui::prompt;
use crate::tui::ui::pane_block;

/// Longest expression shown on the field line (wrapped) before it is cut with `…`.
const MAX_EXPR_CHARS: usize = 2000;

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
    let state = app.session.exec.machine().scope.find(&stage.state);
    let pipeline = state.map(explain::pipeline).unwrap_or_default();
    let at = pipeline.iter().position(|p| p.kind == stage.kind);
    // A nested state is named with where it sits: `Fan › branch 2 › Lookup`.
    let place = if stage.location.is_empty() { String::new() } else { format!("{} › ", stage.location) };
    // "Stage 3 of 7" counts the state's own pipeline, stages not reached yet included.
    let count = match at {
        Some(i) => format!("{} of {}", i + 1, pipeline.len()),
        None => format!("{}/{}", stage.index() + 1, app.session.exec.stages().len()),
    };
    let title = format!(" Stage {count} · {place}{} · {} ", stage.state, stage.kind.as_str());
    let block = pane_block(title, app, Pane::Stages);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Drilled into a branch, the list names each stage's state; otherwise each stage's field.
    let rows = pipeline.iter().map(|p| p.kind.as_str().len() + p.field.len().max(8) + 3);
    let list_width = if app.drill().is_some() {
        34
    } else if inner.width >= 70 {
        u16::try_from(rows.max().unwrap_or(20) + 3).unwrap_or(36).clamp(22, 36)
    } else {
        22
    };
    let [list_area, body] = Layout::horizontal([Constraint::Length(list_width), Constraint::Min(10)]).areas(inner);

    let all = app.session.exec.stages();
    let listed = app.listed_stages();
    let dim = Style::default().fg(Color::DarkGray);
    let (items, selected): (Vec<ListItem>, Option<usize>) = match (app.drill(), state) {
        (None, Some(_)) if at.is_some() => {
            let shown = |kind| listed.iter().rev().copied().find(|&i| all[i].kind == kind);
            let items = pipeline
                .iter()
                .map(|p| {
                    let reached = shown(p.kind).is_some();
                    let name = Span::styled(p.kind.as_str(), if reached && p.present { Style::default() } else { dim });
                    let field = match (p.present, p.field) {
                        _ if list_width < 30 => Span::raw(""),
                        (_, "") => Span::raw(""),
                        (false, _) => Span::styled("  unchanged", dim),
                        (true, f) => Span::styled(
                            format!(" ← {f}"),
                            if reached { Style::default().fg(Color::Cyan) } else { dim },
                        ),
                    };
                    ListItem::new(Line::from(vec![name, field]))
                })
                .collect();
            (items, at)
        }
        _ => {
            let items = listed
                .iter()
                .map(|&i| match app.drill() {
                    Some(_) => ListItem::new(Line::from(vec![
                        Span::raw(all[i].state.to_string()),
                        Span::styled(format!(" · {}", all[i].kind.as_str()), dim),
                    ])),
                    None => ListItem::new(all[i].kind.as_str()),
                })
                .collect();
            (items, listed.iter().position(|&i| i == stage.index()))
        }
    };
    let mut list_block = Block::default().borders(Borders::RIGHT).border_style(dim);
    if let Some(drill) = app.drill() {
        list_block = list_block
            .borders(Borders::RIGHT | Borders::TOP)
            .title(Line::styled(format!("{} · Esc", drill.location), Style::default().fg(Color::Cyan)));
    }
    let list = List::new(items)
        .block(list_block)
        .highlight_style(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD))
        .highlight_symbol("▸ ");
    let mut list_state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(list, list_area, &mut list_state);

    let body = body.inner(ratatui::layout::Margin::new(1, 0));
    // What the stage did in words, then the field as written: both wrap, within half the pane,
    // so a long template is read, not cut.
    let mut about = Vec::new();
    if let (Some(state), Some(i)) = (state, at) {
        let said = explain::stage_line(state, &pipeline[i], Some(&stage.value()));
        about.push(Line::styled(said, Style::default().fg(Color::Green)));
    }
    // The JSON is drawn first (it finds how far lines scroll sideways, which the field line
    // says), so the field line is made after it; its height is known from the text alone.
    let changes = app.stage_changes();
    let mut changed = Vec::new();
    if let Some(same) = app.unchanged_from() {
        changed
            .push(Line::styled(format!("no change from {}", same.kind.as_str()), Style::default().fg(Color::DarkGray)));
    } else if let (Some(base), false) = (app.previous_stage(), changes.is_empty()) {
        let listed: Vec<String> = changes.iter().take(6).map(ToString::to_string).collect();
        let more = if changes.len() > 6 { format!(", … ({} in all)", changes.len()) } else { String::new() };
        changed.push(Line::styled(
            format!("changed from {}: {}{more}", base.kind.as_str(), listed.join(", ")),
            Style::default().fg(Color::DarkGray),
        ));
    }
    let explained = !about.is_empty();
    let field_text = field_line(app, stage, explained);
    let width = usize::from(body.width.max(1));
    let wanted: usize =
        about.iter().chain([&field_text]).filter(|l| l.width() > 0).map(|l| wrapped_lines(l, width)).sum();
    // One blank line under the text sets the JSON apart.
    let about_height = u16::try_from(wanted + 1).unwrap_or(u16::MAX).clamp(2, (body.height / 2).max(2));
    let [about_area, json_area] = Layout::vertical([Constraint::Length(about_height), Constraint::Min(1)]).areas(body);
    draw_json(frame, json_area, app, stage);
    let field_text = field_line(app, stage, explained);
    if field_text.width() > 0 {
        about.push(field_text);
    }
    about.extend(changed);
    frame.render_widget(Paragraph::new(about).wrap(Wrap { trim: false }), about_area);
}

/// `InputPath: "$.order"`: the field and its text as written in the definition.
fn field_line(app: &App, stage: &StageRecord, explained: bool) -> Line<'static> {
    let shifted = app.json_hscroll.min(app.json_hmax.get());
    let base = app.previous_stage().map_or("the previous stage", |p| p.kind.as_str());
    let diff = match (app.diff, shifted) {
        (true, 0) => format!("  [diff vs {base}]"),
        (true, n) => format!("  [diff vs {base}] [from column {}]", n + 1),
        (false, 0) => String::new(),
        (false, n) => format!("  [from column {}]", n + 1),
    };
    let Some(source) = &stage.source else {
        // The explanation above already says what happened; only the diff/scroll notes remain.
        let what = match () {
            _ if explained => "",
            _ if stage.kind.as_str() == "input" => "the state's input",
            _ => "no field applies",
        };
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
    // Built once per frame: a stored-frozen value is rebuilt by `value()`.
    let (value, previous) = (stage.value(), if app.diff { app.previous_stage().map(|p| p.value()) } else { None });
    let previous = previous.as_deref();
    let Some(key) = app.view_key() else { return };
    let height = area.height as usize;
    // Clamp the scroll to the content so the last line can reach the bottom, not beyond.
    let total = app.highlight.total(key);
    let scroll = match total {
        Some(t) => app.json_scroll.min(t.saturating_sub(height)),
        None => app.json_scroll,
    };
    let (total, lines) = app.highlight.window(key, &value, previous, scroll, height);
    let scroll = scroll.min(total.saturating_sub(height));
    let lines = if lines.len() < height && total > lines.len() {
        app.highlight.window(key, &value, previous, scroll, height).1
    } else {
        lines
    };
    let mut lines = lines;
    let shown = scroll..scroll + lines.len();
    // What this stage added or changed stands out without a key.
    if !app.diff {
        let mark = Style::default().bg(Color::Rgb(0, 55, 0));
        for change in app.stage_changes().iter().filter(|c| c.kind != ChangeKind::Removed) {
            for line in prompt::node_lines(&value, &change.path).into_iter().flatten() {
                if shown.contains(&line) {
                    let l = &mut lines[line - scroll];
                    *l = std::mem::take(l).patch_style(mark);
                }
            }
        }
    }
    // The nodes the prompt's JSONPath selected in this stage's JSON stand out.
    if let Some(Outcome::Value { selected, .. }) = app.prompt.as_ref().and_then(|p| p.evaluated.as_ref()).map(|e| &e.1)
    {
        if !app.diff {
            let mark = Style::default().bg(Color::Rgb(70, 60, 0)).add_modifier(Modifier::BOLD);
            for range in selected.iter().filter_map(|p| prompt::node_lines(&value, p)) {
                for line in range.filter(|l| shown.contains(l)) {
                    let l = &mut lines[line - scroll];
                    *l = std::mem::take(l).patch_style(mark);
                }
            }
        }
    }
    // Long lines scroll sideways; the limit is the widest line on screen.
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let hmax = widest.saturating_sub(area.width as usize);
    app.json_hmax.set(hmax);
    let hscroll = app.json_hscroll.min(hmax);
    frame.render_widget(Paragraph::new(lines).scroll((0, u16::try_from(hscroll).unwrap_or(u16::MAX))), area);
}

/// Rows `line` takes when word-wrapped to `width` columns (as `Wrap` breaks it: at spaces, a
/// word longer than the width on rows of its own).
fn wrapped_lines(line: &Line, width: usize) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut rows, mut used) = (1, 0);
    for word in text.split(' ') {
        let w = word.chars().count();
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else {
            rows += 1 + w.saturating_sub(1) / width;
            used = w % width;
        }
    }
    rows
}
