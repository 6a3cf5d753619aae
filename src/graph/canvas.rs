//! The character grid a layout is drawn on. Lines are recorded as connection bits per cell
//! (up/right/down/left) and turned into box-drawing glyphs only when read, so crossings and
//! junctions (`┼ ├ ┬`) come out right whatever order edges are drawn in.

use crate::graph::labels::char_width;
use crate::graph::{Cell, Class, Point};

const UP: u8 = 1;
const RIGHT: u8 = 2;
const DOWN: u8 = 4;
const LEFT: u8 = 8;

/// A cell while drawing: an explicit glyph (text, borders, arrowheads) or line bits.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Ink {
    glyph: Option<char>,
    bits: u8,
    /// Some solid (non-catch) line passes here; otherwise straight runs are drawn dotted.
    solid: bool,
    class: Class,
}

impl Ink {
    fn cell(self) -> Cell {
        let ch = self.glyph.unwrap_or_else(|| line_glyph(self.bits, self.solid));
        Cell { ch, class: self.class }
    }
}

fn line_glyph(bits: u8, solid: bool) -> char {
    match bits {
        0 => ' ',
        b if b & !(UP | DOWN) == 0 => {
            if solid {
                '│'
            } else {
                '┆'
            }
        }
        b if b & !(LEFT | RIGHT) == 0 => {
            if solid {
                '─'
            } else {
                '┄'
            }
        }
        b if b == DOWN | RIGHT => '┌',
        b if b == DOWN | LEFT => '┐',
        b if b == UP | RIGHT => '└',
        b if b == UP | LEFT => '┘',
        b if b == UP | DOWN | RIGHT => '├',
        b if b == UP | DOWN | LEFT => '┤',
        b if b == LEFT | RIGHT | DOWN => '┬',
        b if b == LEFT | RIGHT | UP => '┴',
        _ => '┼',
    }
}

/// A growable grid of [`Ink`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Canvas {
    pub width: usize,
    pub height: usize,
    ink: Vec<Ink>,
}

impl Canvas {
    pub fn new(width: usize, height: usize) -> Canvas {
        Canvas { width, height, ink: vec![Ink::default(); width * height] }
    }

    fn at(&mut self, x: usize, y: usize) -> Option<&mut Ink> {
        if x < self.width && y < self.height { self.ink.get_mut(y * self.width + x) } else { None }
    }

    /// Writes one glyph (text, border, arrowhead).
    pub fn put(&mut self, x: usize, y: usize, ch: char, class: Class) {
        if let Some(i) = self.at(x, y) {
            i.glyph = Some(ch);
            i.class = class;
        }
    }

    /// Writes text left to right from `(x, y)`; a wide character takes two cells, the
    /// second holding [`Cell::WIDE_TAIL`].
    pub fn text(&mut self, x: usize, y: usize, text: &str, class: Class) {
        let mut at = x;
        for ch in text.chars() {
            self.put(at, y, ch, class);
            if char_width(ch) == 2 {
                self.put(at + 1, y, Cell::WIDE_TAIL, class);
            }
            at += char_width(ch);
        }
    }

    /// Draws a rectangle border with `┌┐└┘─│`.
    pub fn frame(&mut self, x: usize, y: usize, w: usize, h: usize, class: Class) {
        if w < 2 || h < 2 {
            return;
        }
        for dx in 1..w - 1 {
            self.put(x + dx, y, '─', class);
            self.put(x + dx, y + h - 1, '─', class);
        }
        for dy in 1..h - 1 {
            self.put(x, y + dy, '│', class);
            self.put(x + w - 1, y + dy, '│', class);
        }
        self.put(x, y, '┌', class);
        self.put(x + w - 1, y, '┐', class);
        self.put(x, y + h - 1, '└', class);
        self.put(x + w - 1, y + h - 1, '┘', class);
    }

    /// Draws a polyline through consecutive, orthogonally adjacent points.
    pub fn path(&mut self, points: &[Point], class: Class) {
        let solid = class != Class::CatchEdge;
        for p in points {
            if let Some(i) = self.at(p.x, p.y) {
                i.solid |= solid;
                if i.class == Class::Empty {
                    i.class = class;
                }
            }
        }
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (from, to) = match (b.x.cmp(&a.x), b.y.cmp(&a.y)) {
                (std::cmp::Ordering::Greater, _) => (RIGHT, LEFT),
                (std::cmp::Ordering::Less, _) => (LEFT, RIGHT),
                (_, std::cmp::Ordering::Greater) => (DOWN, UP),
                (_, std::cmp::Ordering::Less) => (UP, DOWN),
                _ => continue,
            };
            if let Some(i) = self.at(a.x, a.y) {
                i.bits |= from;
            }
            if let Some(i) = self.at(b.x, b.y) {
                i.bits |= to;
            }
        }
    }

    /// Copies `other` in with its top-left corner at `(x, y)`; empty cells don't overwrite.
    pub fn blit(&mut self, other: &Canvas, x: usize, y: usize) {
        for oy in 0..other.height {
            for ox in 0..other.width {
                let src = other.ink[oy * other.width + ox];
                if src.glyph.is_none() && src.bits == 0 {
                    continue;
                }
                if let Some(dst) = self.at(x + ox, y + oy) {
                    *dst = src;
                }
            }
        }
    }

    /// The finished cells, row-major.
    pub fn cells(&self) -> Vec<Cell> {
        self.ink.iter().map(|i| i.cell()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &Canvas, y: usize) -> String {
        c.cells()[y * c.width..(y + 1) * c.width].iter().map(|c| c.ch).collect()
    }

    fn line(points: &[(usize, usize)]) -> Vec<Point> {
        points.iter().map(|&(x, y)| Point { x, y }).collect()
    }

    #[test]
    fn crossing_lines_make_a_cross_and_corners_turn() {
        let mut c = Canvas::new(3, 3);
        c.path(&line(&[(1, 0), (1, 1), (1, 2)]), Class::Edge);
        c.path(&line(&[(0, 1), (1, 1), (2, 1), (2, 2)]), Class::Edge);
        assert_eq!(row(&c, 1), "─┼┐");
        assert_eq!(row(&c, 2), " ││");
    }

    #[test]
    fn a_line_joining_another_makes_a_tee() {
        let mut c = Canvas::new(3, 2);
        c.path(&line(&[(1, 0), (1, 1)]), Class::Edge);
        c.path(&line(&[(2, 0), (1, 0), (0, 0)]), Class::Edge);
        assert_eq!(row(&c, 0), "─┬─");
    }

    #[test]
    fn catch_lines_are_dotted_unless_a_solid_line_shares_the_cell() {
        let mut c = Canvas::new(2, 2);
        c.path(&line(&[(0, 0), (0, 1)]), Class::CatchEdge);
        c.path(&line(&[(1, 0), (1, 1)]), Class::CatchEdge);
        c.path(&line(&[(1, 0), (1, 1)]), Class::Edge);
        assert_eq!(row(&c, 0), "┆│");
        assert_eq!(c.cells()[0].class, Class::CatchEdge);
    }

    #[test]
    fn blit_keeps_what_the_copy_leaves_empty() {
        let mut big = Canvas::new(4, 1);
        big.text(0, 0, "abcd", Class::Label);
        let mut small = Canvas::new(2, 1);
        small.put(1, 0, 'X', Class::Node);
        big.blit(&small, 1, 0);
        assert_eq!(row(&big, 0), "abXd");
    }
}
