//! The parsed form of a path: a root plus a list of steps (Jayway calls them path tokens), and
//! the filter expressions inside `[?( … )]`.

use serde_json::Value;

/// One step after the root.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    /// `.name` or `['name']`: definite.
    Name(String),
    /// `['a','b']`: as the last step Jayway merges the present keys into one object (definite);
    /// elsewhere it visits each key (indefinite).
    Names(Vec<String>),
    /// `[0]`, `[-1]`: definite; a negative index counts from the end.
    Index(i64),
    /// `[0,2]`: indefinite.
    Indexes(Vec<i64>),
    /// `[1:3]`, `[-2:]`, `[:2]`: indefinite.
    Slice { start: Option<i64>, end: Option<i64> },
    /// `.*` or `[*]`: every member value or element.
    Wildcard,
    /// `..x`: the inner step applied to the node and every descendant container.
    Scan(Box<Step>),
    /// `[?( … )]`.
    Filter(Box<Filter>),
    /// `.length()` and friends; always the last step.
    Function(Function),
}

impl Step {
    /// Jayway's `isTokenDefinite`.
    pub(crate) fn is_definite(&self, is_last: bool) -> bool {
        match self {
            Step::Name(_) | Step::Index(_) | Step::Function(_) => true,
            Step::Names(names) => is_last || names.len() == 1,
            Step::Indexes(ix) => ix.len() == 1,
            Step::Slice { .. } | Step::Wildcard | Step::Scan(_) | Step::Filter(_) => false,
        }
    }
}

/// Jayway's path functions that we support (rule 4.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    Stddev,
    Keys,
    First,
    Last,
    Index(i64),
}

impl Function {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::Length => "length",
            Function::Min => "min",
            Function::Max => "max",
            Function::Avg => "avg",
            Function::Sum => "sum",
            Function::Stddev => "stddev",
            Function::Keys => "keys",
            Function::First => "first",
            Function::Last => "last",
            Function::Index(_) => "index",
        }
    }
}

/// Where a path inside a filter starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FilterRoot {
    /// `@`: the candidate node.
    Current,
    /// `$`: the document the whole path is applied to.
    Document,
}

/// A path inside a filter (`@.price`, `$.limit`, `@.tags.length()`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SubPath {
    pub root: FilterRoot,
    pub steps: Vec<Step>,
    pub definite: bool,
}

/// A filter expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `@.isbn` (or `!@.isbn` through [`Filter::Not`]): the path selects something.
    Exists(SubPath),
    Compare {
        left: Operand,
        op: Op,
        right: Operand,
    },
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Operand {
    Path(SubPath),
    Literal(Value),
    Regex(Pattern),
}

/// The relational operators of Jayway's filter language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    /// `===`: equal and of the same type.
    StrictEq,
    /// `!==`.
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~ /re/flags`.
    Matches,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
    Contains,
}

impl Op {
    /// The operator for a run of `<>=!~` characters.
    pub(crate) fn from_symbol(s: &str) -> Option<Op> {
        Some(match s {
            "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "===" => Op::StrictEq,
            "!==" => Op::StrictNe,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "=~" => Op::Matches,
            _ => return None,
        })
    }

    /// The operator for a word (case-insensitive, as in Jayway).
    pub(crate) fn from_word(s: &str) -> Option<Op> {
        Some(match s.to_ascii_lowercase().as_str() {
            "in" => Op::In,
            "nin" => Op::Nin,
            "subsetof" => Op::SubsetOf,
            "anyof" => Op::AnyOf,
            "noneof" => Op::NoneOf,
            "size" => Op::Size,
            "empty" => Op::Empty,
            "contains" => Op::Contains,
            _ => return None,
        })
    }
}

/// A `/regex/flags` literal, compiled at parse time.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}
