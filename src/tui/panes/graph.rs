//! The graph pane: the machine's state graph (`crate::graph`'s drawing, cell classes turned
//! into colours) with the current, visited, failed, selected and breakpointed states marked,
//! panned to keep the selected state in view; `g` switches to a plain list of the same states.
//! A state with a lint or warning carries a yellow `!` on its box's top-right corner.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use crate::graph::{Cell, Class, Layout, StateBox};
use crate::tui::app::{App, Pane};
use crate::tui::graph_view::follow;
use crate::tui::ui::pane_block;

/// How a state is marked, strongest first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Failed,
    Current,
    /// Ran in the branch/iteration drilled into.
    InBranch,
    Visited,
    Plain,
}

impl Mark {
    fn style(self) -> Option<Style> {
        match self {
            Mark::Failed => Some(Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)),
            Mark::Current => Some(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)),
            Mark::InBranch => Some(Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
            Mark::Visited => Some(Style::default().fg(Color::Green)),
            Mark::Plain => None,
        }
    }
}

struct Marks<'a> {
    diverged: Option<&'a str>,
    current: Option<&'a str>,
    failed: Option<&'a str>,
    visited: BTreeSet<&'a str>,
    in_branch: BTreeSet<&'a str>,
}

impl Marks<'_> {
    fn of(&self, name: &str) -> Mark {
        if self.failed == Some(name) {
            Mark::Failed
        } else if self.current == Some(name) {
            Mark::Current
        } else if self.in_branch.contains(name) {
            Mark::InBranch
        } else if self.visited.contains(name) {
            Mark::Visited
        } else {
            Mark::Plain
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let view = &app.graph;
    // A state hidden in a collapsed container is shown on the container.
    let marks = Marks {
        diverged: app.diverged_state().and_then(|c| view.shown_as(c)),
        current: app.current_state().and_then(|c| view.shown_as(c)),
        failed: app.failed_state().and_then(|c| view.shown_as(c)),
        visited: app.visited().into_iter().filter_map(|v| view.shown_as(v)).collect(),
        in_branch: in_branch(app),
    };
    if view.list {
        draw_list(frame, area, app, &marks);
        return;
    }
    let layout = view.pick(area.width.saturating_sub(2) as usize);
    let compact =
        if std::ptr::eq(layout, &view.compact) && view.full.width != view.compact.width { " · compact" } else { "" };
    let drilled = app.drill().map(|d| format!(" · {}", d.location)).unwrap_or_default();
    let block = pane_block(format!(" Graph ({}){compact}{drilled} ", layout.states.len()), app, Pane::Graph);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let (w, h) = (inner.width as usize, inner.height as usize);
    // Follow the selected state (which follows the execution as it moves).
    let target = app.graph_state().and_then(|n| view.shown_as(n)).and_then(|n| layout.state(n));
    let (mut ox, mut oy) = view.offset.get();
    if let Some(t) = target {
        ox = follow(ox, w, layout.width, t.rect.x, t.rect.width);
        oy = follow(oy, h, layout.height, t.rect.y, t.rect.height);
    } else {
        ox = ox.min(layout.width.saturating_sub(w));
        oy = oy.min(layout.height.saturating_sub(h));
    }
    view.offset.set((ox, oy));
    // A drawing narrower than the pane is centred.
    let pad = w.saturating_sub(layout.width) / 2;
    let canvas = Canvas { layout, ox, oy, inner, pad };
    let buf = frame.buffer_mut();
    canvas.cells(buf);
    // Outer containers first, so the states inside them are marked over their frames.
    let mut boxes: Vec<&StateBox> = layout.states.iter().collect();
    boxes.sort_by_key(|b| std::cmp::Reverse(b.rect.width * b.rect.height));
    let selected = target.map(|t| t.name.as_str());
    let linted = linted(app);
    for b in boxes {
        let mark = marks.of(&b.name);
        canvas.mark(buf, b, mark.style(), selected == Some(b.name.as_str()), app.focus == Pane::Graph);
        if app.breakpoints.contains(&b.name) {
            canvas.put(buf, b.rect.x, b.rect.y, '●', Style::default().fg(Color::Red).add_modifier(Modifier::BOLD));
        }
        // `--history`: where the definition departs from the recording.
        let corner = b.rect.x + b.rect.width.saturating_sub(1);
        let diverged = marks.diverged == Some(b.name.as_str());
        if diverged {
            canvas.put(buf, corner, b.rect.y, '≠', Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD));
        }
        if linted.contains(b.name.as_str()) {
            // Beside a divergence mark, not over it.
            canvas.put(buf, if diverged { corner.saturating_sub(1) } else { corner }, b.rect.y, '!', lint_style());
        }
    }
}

/// The states (as drawn: a collapsed container stands for its states) a finding is about.
fn linted(app: &App) -> BTreeSet<&str> {
    app.session.findings.states().into_iter().filter_map(|s| app.graph.shown_as(s)).collect()
}

fn lint_style() -> Style {
    Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// The states (as drawn) that ran in the branch/iteration drilled into: its path.
fn in_branch(app: &App) -> BTreeSet<&str> {
    let Some(drill) = app.drill() else { return BTreeSet::new() };
    let stages = app.session.exec.stages();
    drill.stages(stages).filter_map(|i| app.graph.shown_as(&stages[i].state)).collect()
}

/// The part of a layout on screen: layout cell (x, y) is drawn at
/// `(inner.x + pad + x - ox, inner.y + y - oy)` when that is inside `inner`.
struct Canvas<'a> {
    layout: &'a Layout,
    ox: usize,
    oy: usize,
    inner: Rect,
    pad: usize,
}

impl Canvas<'_> {
    fn screen(&self, x: usize, y: usize) -> Option<(u16, u16)> {
        let sx = (x + self.pad).checked_sub(self.ox)?;
        let sy = y.checked_sub(self.oy)?;
        (sx < self.inner.width as usize && sy < self.inner.height as usize)
            .then(|| (self.inner.x + sx as u16, self.inner.y + sy as u16))
    }

    fn cells(&self, buf: &mut Buffer) {
        for sy in 0..self.inner.height as usize {
            let y = self.oy + sy;
            if y >= self.layout.height {
                break;
            }
            for sx in 0..self.inner.width as usize {
                let Some(x) = (sx + self.ox).checked_sub(self.pad) else { continue };
                let Some(cell) = self.layout.cell(x, y) else { break };
                let at = (self.inner.x + sx as u16, self.inner.y + sy as u16);
                if cell.ch == Cell::WIDE_TAIL {
                    // Covered by the double-width character before it, unless that one is
                    // off screen to the left.
                    if sx == 0 {
                        buf[at].set_char(' ');
                    }
                } else if cell.class != Class::Empty {
                    buf[at].set_char(cell.ch).set_style(class_style(cell.class));
                }
            }
        }
    }

    fn put(&self, buf: &mut Buffer, x: usize, y: usize, ch: char, style: Style) {
        if let Some((sx, sy)) = self.screen(x, y) {
            buf[(sx, sy)].set_char(ch).set_style(style);
        }
    }

    /// Restyles a state: a box's frame and text, or an expanded container's frame and title.
    /// The selected state's text is reversed while the pane has focus, underlined otherwise.
    fn mark(&self, buf: &mut Buffer, b: &StateBox, style: Option<Style>, selected: bool, focused: bool) {
        let r = b.rect;
        for y in r.y..r.y + r.height {
            // The selection covers the words of the label, not the padding around them.
            let label = (r.x..r.x + r.width).filter(|&x| {
                self.layout.cell(x, y).is_some_and(|c| {
                    let text = c.class == Class::Node || (b.expanded && c.class == Class::Container);
                    text && !matches!(c.ch, ' ' | '│')
                })
            });
            let (first, last) = label.fold((usize::MAX, 0), |(f, l), x| (f.min(x), l.max(x)));
            for x in r.x..r.x + r.width {
                let Some(cell) = self.layout.cell(x, y) else { continue };
                let edge = x == r.x || y == r.y || x + 1 == r.x + r.width || y + 1 == r.y + r.height;
                let (ours, text) = if b.expanded {
                    (cell.class == Class::Container && (edge || y == r.y + 1), y == r.y + 1 && !edge)
                } else {
                    (matches!(cell.class, Class::Node | Class::NodeBorder), cell.class == Class::Node)
                };
                if !ours {
                    continue;
                }
                let Some((sx, sy)) = self.screen(x, y) else { continue };
                let mut s = style.unwrap_or_default();
                if selected && text && (first..=last).contains(&x) {
                    s = s.add_modifier(if focused { Modifier::REVERSED } else { Modifier::UNDERLINED });
                }
                if style.is_some() || selected {
                    buf[(sx, sy)].set_style(s);
                }
            }
        }
    }
}

fn class_style(class: Class) -> Style {
    let fg = match class {
        Class::Empty | Class::Node => return Style::default(),
        Class::NodeBorder => Color::Gray,
        Class::Edge => Color::Gray,
        Class::BackEdge => Color::Magenta,
        Class::CatchEdge => Color::LightRed,
        Class::Label | Class::End => Color::DarkGray,
        Class::Container => Color::Blue,
    };
    Style::default().fg(fg)
}

/// The fallback: the same states in the same order, one a line, indented by nesting.
/// Markers: `▶` current, `✓` visited, `✗` failed, `●` breakpoint, `!` a lint or warning.
fn draw_list(frame: &mut Frame, area: Rect, app: &App, marks: &Marks) {
    let order = app.graph.reading_order();
    let linted = linted(app);
    let depth = |b: &StateBox| {
        let mut d = 0;
        let mut at = b.parent.as_deref();
        while let Some(p) = at {
            d += 1;
            at = app.graph.full.state(p).and_then(|s| s.parent.as_deref());
        }
        d
    };
    let items: Vec<ListItem> = order
        .iter()
        .map(|b| {
            let name = b.name.as_str();
            let mark = marks.of(name);
            let marker = match mark {
                Mark::Failed => "✗",
                Mark::Current => "▶",
                Mark::InBranch => "»",
                Mark::Visited => "✓",
                Mark::Plain => " ",
            };
            let bp = if app.breakpoints.contains(name) { "●" } else { " " };
            let lint = if linted.contains(name) { "!" } else { " " };
            let diverged = if marks.diverged == Some(name) { "≠" } else { "" };
            ListItem::new(Line::from(vec![
                Span::styled(bp, Style::default().fg(Color::Red)),
                Span::styled(lint, lint_style()),
                Span::styled(diverged, Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD)),
                Span::styled(format!("{}{marker} {name}", "  ".repeat(depth(b))), mark.style().unwrap_or_default()),
                Span::styled(format!("  {}", b.kind), Style::default().fg(Color::DarkGray)),
            ]))
        })
        .collect();
    let block = pane_block(format!(" States ({}) ", items.len()), app, Pane::Graph);
    let list = List::new(items).block(block).highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let at = app.graph_state().and_then(|n| order.iter().position(|b| b.name == n));
    let mut state = ListState::default().with_selected(at);
    frame.render_stateful_widget(list, area, &mut state);
}
