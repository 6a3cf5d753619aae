//! The state graph of a machine, laid out on a character grid for a terminal, plus Graphviz DOT
//! and Mermaid exporters. Pure data: no terminal types, no I/O, and the same machine and
//! options always give the same drawing, so a TUI can restyle cells by [`Class`] and use the
//! state rectangles to highlight states and pan to them.
//!
//! The layout is a layered (Sugiyama-style) drawing of each scope: cycles are broken by DFS
//! (back edges are drawn upward with `▲`), layers come from longest paths, crossings are reduced
//! by barycenter sweeps, x positions by isotonic regression towards neighbours, and edges are
//! routed orthogonally in channels between layers. Parallel branches and Map processors are
//! laid out the same way, recursively, inside their container's frame.
//!
//! ```
//! use statescope::asl::{check::check, source::Source};
//! use statescope::graph::{self, Options};
//!
//! let text = r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "End": true}}}"#;
//! let checked = check(&Source::new("hi.json", text));
//! let machine = checked.runnable().expect("valid");
//! let layout = graph::layout(machine, &Options::default());
//! let expected = ["┌───────────┐", "│ Hi [Pass] │", "└─────┬─────┘", "      │", "      ▼", "    (end)"];
//! assert_eq!(layout.to_text(), expected.join("\n") + "\n");
//! assert_eq!(layout.state("Hi").map(|s| s.rect.width), Some(13));
//! ```

mod canvas;
mod export;
mod labels;
mod place;
mod rank;
mod scope;

use std::collections::BTreeSet;

use crate::asl::definition::StateMachine;

pub use export::{to_dot, to_mermaid};

/// What to draw and how densely.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Parallel/Map states (by name) drawn as a single node instead of a frame.
    pub collapsed: BTreeSet<String>,
    /// Narrower boxes without type tags or edge labels, for small panes.
    pub compact: bool,
}

/// What a cell shows, so a front end can colour it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Class {
    #[default]
    Empty,
    /// Text inside a state box.
    Node,
    NodeBorder,
    /// A Next, Choice rule or Default transition.
    Edge,
    /// A transition back to an earlier layer (a loop).
    BackEdge,
    CatchEdge,
    /// Edge labels.
    Label,
    /// Parallel/Map frames, their titles and branch separators.
    Container,
    /// The `(end)` marker after `"End": true`.
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub ch: char,
    pub class: Class,
}

impl Cell {
    /// The second column of a double-width character (CJK in a state name): the character
    /// before it covers this cell, so draw nothing here.
    pub const WIDE_TAIL: char = '\u{0}';
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point {
    pub x: usize,
    pub y: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

impl Rect {
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x < self.x + self.width && p.y >= self.y && p.y < self.y + self.height
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.width && o.x < self.x + self.width && self.y < o.y + o.height && o.y < self.y + self.height
    }

    /// `p` is outside this rectangle and shares a side with one of its cells.
    pub fn touches(&self, p: Point) -> bool {
        let in_x = p.x >= self.x && p.x < self.x + self.width;
        let in_y = p.y >= self.y && p.y < self.y + self.height;
        (in_x && (p.y + 1 == self.y || p.y == self.y + self.height))
            || (in_y && (p.x + 1 == self.x || p.x == self.x + self.width))
    }
}

/// Where one state was drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateBox {
    pub name: String,
    /// `Pass`, `Task`, … as in `Type`.
    pub kind: &'static str,
    /// JSON Pointer of the state in the definition.
    pub pointer: String,
    /// The box, or the frame of an expanded Parallel/Map.
    pub rect: Rect,
    /// The Parallel/Map this state sits in (the innermost one), if any.
    pub parent: Option<String>,
    /// An expanded container (its branches are drawn inside `rect`).
    pub expanded: bool,
}

/// Why an edge exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    Next,
    /// A Choice rule, numbered from 1 as in the definition's `Choices` order.
    Choice(usize),
    Default,
    /// A `Catch` element, numbered from 1.
    Catch(usize),
    /// `"End": true`: the edge goes to an `(end)` marker, not to a state.
    End,
}

/// One drawn transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdgePath {
    pub from: String,
    /// `None` for [`EdgeKind::End`], and for the edge from a wide Choice to its "… N more states"
    /// box (not a state).
    pub to: Option<String>,
    pub kind: EdgeKind,
    pub label: Option<String>,
    /// Drawn upwards (the target is in an earlier layer, or is the source itself).
    pub back: bool,
    /// The cells of the line, from the source box to the target box (or `(end)` marker),
    /// each orthogonally adjacent to the next; the first touches the source's rectangle and
    /// the last touches the target's.
    pub cells: Vec<Point>,
}

/// A finished drawing.
#[derive(Clone, Debug)]
pub struct Layout {
    pub width: usize,
    pub height: usize,
    /// Row-major, `width * height`.
    pub cells: Vec<Cell>,
    /// Every state, including those inside expanded containers, in drawing order.
    pub states: Vec<StateBox>,
    pub edges: Vec<EdgePath>,
    /// Where each `(end)` marker was drawn (the target of [`EdgeKind::End`] edges), by the
    /// name of the state that ends.
    pub ends: Vec<(String, Rect)>,
}

impl Layout {
    pub fn cell(&self, x: usize, y: usize) -> Option<&Cell> {
        if x < self.width { self.cells.get(y * self.width + x) } else { None }
    }

    pub fn state(&self, name: &str) -> Option<&StateBox> {
        self.states.iter().find(|s| s.name == name)
    }

    /// The innermost state drawn at `p` (a box, or a container's frame area), for mouse
    /// clicks.
    pub fn state_at(&self, p: Point) -> Option<&StateBox> {
        self.states.iter().filter(|s| s.rect.contains(p)).min_by_key(|s| s.rect.width * s.rect.height)
    }

    /// One row as text, trailing blanks removed.
    pub fn row_text(&self, y: usize) -> String {
        let row = self.cells.get(y * self.width..(y + 1) * self.width).unwrap_or(&[]);
        let s: String = row.iter().map(|c| c.ch).filter(|&c| c != Cell::WIDE_TAIL).collect();
        s.trim_end().to_string()
    }

    /// The drawing as plain text, one line per row.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity((self.width + 1) * self.height);
        for y in 0..self.height {
            out.push_str(&self.row_text(y));
            out.push('\n');
        }
        out
    }
}

/// Lays out a whole machine.
pub fn layout(machine: &StateMachine, options: &Options) -> Layout {
    let block = scope::layout_scope(&machine.scope, options, None);
    Layout {
        width: block.canvas.width,
        height: block.canvas.height,
        cells: block.canvas.cells(),
        states: block.states,
        edges: block.edges,
        ends: block.ends,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_means_sharing_a_side_from_outside() {
        let r = Rect { x: 2, y: 2, width: 3, height: 2 };
        assert!(r.touches(Point { x: 3, y: 1 }));
        assert!(r.touches(Point { x: 3, y: 4 }));
        assert!(r.touches(Point { x: 5, y: 3 }));
        assert!(r.touches(Point { x: 1, y: 2 }));
        assert!(!r.touches(Point { x: 3, y: 3 }), "inside");
        assert!(!r.touches(Point { x: 1, y: 1 }), "diagonal");
        assert!(!r.touches(Point { x: 3, y: 5 }), "too far");
    }
}
