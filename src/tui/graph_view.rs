//! What the graph pane remembers: the machine's layouts (full and compact, made once per
//! machine and per collapse change, never per frame), which containers are collapsed, whether
//! the list fallback is on, and where the view was panned to.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};

use crate::asl::definition::StateMachine;
use crate::graph::{self, Layout, Options, StateBox};

pub struct GraphView {
    /// The machine laid out (by address: a reload brings a new leaked machine).
    machine: usize,
    /// Parallel/Map states drawn as one node, by name (kept across reloads).
    pub collapsed: BTreeSet<String>,
    pub full: Layout,
    pub compact: Layout,
    /// Each state's innermost container, whatever is collapsed: a hidden state is shown by
    /// the nearest container still drawn.
    parents: HashMap<String, Option<String>>,
    /// `g`: the plain list of states instead of the drawing.
    pub list: bool,
    /// Top-left layout cell on screen. Kept between frames so the view only moves when the
    /// state it follows would leave it (drawing takes `&App`, hence the `Cell`).
    pub offset: Cell<(usize, usize)>,
}

impl GraphView {
    pub fn new(machine: &StateMachine) -> GraphView {
        // Nothing is collapsed yet, so the compact drawing has every state and its container.
        let compact = graph::layout(machine, &Options { compact: true, ..Options::default() });
        let parents = compact.states.iter().map(|s| (s.name.clone(), s.parent.clone())).collect();
        GraphView {
            machine: machine as *const StateMachine as usize,
            collapsed: BTreeSet::new(),
            full: graph::layout(machine, &Options::default()),
            compact,
            parents,
            list: false,
            offset: Cell::new((0, 0)),
        }
    }

    /// Lays the machine out again if it is not the one drawn (after a reload). Collapsed
    /// containers stay collapsed when they still exist.
    pub fn sync(&mut self, machine: &StateMachine) {
        if self.machine == machine as *const StateMachine as usize {
            return;
        }
        let collapsed = std::mem::take(&mut self.collapsed);
        let list = self.list;
        *self = GraphView::new(machine);
        self.list = list;
        self.collapsed = collapsed.into_iter().filter(|n| self.parents.contains_key(n)).collect();
        if !self.collapsed.is_empty() {
            self.relayout(machine);
        }
    }

    fn relayout(&mut self, machine: &StateMachine) {
        let options = Options { collapsed: self.collapsed.clone(), compact: false };
        self.full = graph::layout(machine, &options);
        self.compact = graph::layout(machine, &Options { compact: true, ..options });
    }

    /// Expands a collapsed container or collapses an expanded one; false if `name` is not a
    /// Parallel/Map.
    pub fn toggle(&mut self, machine: &StateMachine, name: &str) -> bool {
        let container = self.full.state(name).is_some_and(|s| matches!(s.kind, "Parallel" | "Map"));
        if !container {
            return false;
        }
        if !self.collapsed.remove(name) {
            self.collapsed.insert(name.to_owned());
        }
        self.relayout(machine);
        true
    }

    /// The drawing for a pane `width` cells wide: the full one when it fits, else compact.
    pub fn pick(&self, width: usize) -> &Layout {
        if self.full.width <= width { &self.full } else { &self.compact }
    }

    /// The box that shows `name`: its own, or that of the nearest collapsed container
    /// holding it.
    pub fn shown_as<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut at = name;
        loop {
            if self.full.state(at).is_some() {
                return Some(at);
            }
            at = self.parents.get(at)?.as_deref()?;
        }
    }

    /// The states drawn, top to bottom then left to right: the order Up/Down walk.
    pub fn reading_order(&self) -> Vec<&StateBox> {
        let mut boxes: Vec<&StateBox> = self.full.states.iter().collect();
        boxes.sort_by_key(|s| (s.rect.y, s.rect.x));
        boxes
    }

    /// The state drawn after (or before) `from` in reading order; the first one when `from`
    /// is not drawn.
    pub fn step(&self, from: Option<&str>, forward: bool) -> Option<String> {
        let order = self.reading_order();
        let at = from.and_then(|f| order.iter().position(|s| s.name == f));
        let next = match at {
            None => 0,
            Some(i) if forward => (i + 1).min(order.len().saturating_sub(1)),
            Some(i) => i.saturating_sub(1),
        };
        order.get(next).map(|s| s.name.clone())
    }

    /// The nearest state to the left (or right) of `from` on screen: horizontal distance plus
    /// a penalty for each row up or down, so a neighbour on the same layer wins.
    pub fn beside(&self, from: &str, right: bool) -> Option<String> {
        let here = self.full.state(from)?;
        let centre = |s: &StateBox| (s.rect.x * 2 + s.rect.width, s.rect.y * 2 + s.rect.height);
        let (cx, cy) = centre(here);
        self.full
            .states
            .iter()
            // Not the containers around it: they are not beside it.
            .filter(|s| s.name != here.name && !(s.expanded && s.rect.intersects(&here.rect)))
            .filter_map(|s| {
                let (x, y) = centre(s);
                let ahead = if right { x > cx } else { x < cx };
                ahead.then(|| (x.abs_diff(cx) + 3 * y.abs_diff(cy), s))
            })
            .min_by_key(|(d, s)| (*d, s.rect.y, s.rect.x))
            .map(|(_, s)| s.name.clone())
    }
}

/// Where the view must start so that `target` (a box) is on screen, moving as little as
/// possible from `offset`; a drawing smaller than the view is not scrolled at all.
pub fn follow(offset: usize, view: usize, total: usize, start: usize, len: usize) -> usize {
    if total <= view {
        return 0;
    }
    let margin = if view > len + 4 { 2 } else { 0 };
    let mut o = offset;
    if start < o + margin || len > view {
        o = start.saturating_sub(margin);
    } else if start + len + margin > o + view {
        o = start + len + margin - view;
    }
    o.min(total - view)
}

#[cfg(test)]
mod tests {
    use super::follow;

    #[test]
    fn the_view_moves_only_when_the_target_leaves_it() {
        assert_eq!(follow(0, 10, 8, 3, 2), 0, "fits: no scrolling");
        assert_eq!(follow(0, 10, 50, 3, 2), 0, "visible: stays");
        assert_eq!(follow(0, 10, 50, 20, 3), 15, "below: scrolls just enough, with a margin");
        assert_eq!(follow(15, 10, 50, 4, 3), 2, "above: scrolls back");
        assert_eq!(follow(0, 10, 50, 48, 2), 40, "never past the end");
    }
}
