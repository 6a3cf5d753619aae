//! The processed JSONata syntax tree: location paths are flattened into steps carrying their
//! predicates, group-by, focus (`@$v`) and index (`#$i`) bindings, as the evaluator wants them.

/// A parsed JSONata expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    pub root: Node,
    /// Parent-operator (`%`) slots; `Kind::Parent` and `Node::ancestor` index into this.
    pub slots: Vec<Slot>,
    /// Regex literals that do not compile, as (char offset, why): evaluating one fails
    /// (S0303); validation reports them with their position.
    pub invalid_regexes: Vec<(usize, String)>,
}

/// A regex literal compiled once, when the expression is parsed (or why it does not compile).
#[derive(Debug, Clone)]
pub struct CompiledRegex(pub Result<regex::Regex, String>);

impl CompiledRegex {
    pub fn new(pattern: &str, flags: &str) -> CompiledRegex {
        let mut builder = regex::RegexBuilder::new(pattern);
        builder.case_insensitive(flags.contains('i')).multi_line(flags.contains('m'));
        CompiledRegex(builder.build().map_err(|e| e.to_string()))
    }
}

/// The literal's text decides equality; the compiled form follows from it.
impl PartialEq for CompiledRegex {
    fn eq(&self, other: &CompiledRegex) -> bool {
        match (&self.0, &other.0) {
            (Ok(a), Ok(b)) => a.as_str() == b.as_str(),
            (Err(a), Err(b)) => a == b,
            _ => false,
        }
    }
}

/// Where a `%` finds its parent: the step at `level` 0 binds the value under `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub label: String,
    pub level: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// Char offset of the node's token in the expression.
    pub pos: usize,
    /// `[]` on this step: keep a singleton result as an array.
    pub keep_array: bool,
    /// On a path: some step has `keep_array`.
    pub keep_singleton_array: bool,
    /// Predicates on an expression that is not a path step (`$x[0]`).
    pub predicate: Vec<Stage>,
    /// Predicates and index bindings on a path step, in source order.
    pub stages: Vec<Stage>,
    /// Group-by object constructor after this expression.
    pub group: Option<Group>,
    /// `@$name`: the context variable bound by this step.
    pub focus: Option<String>,
    /// `#$name`: the position variable bound by this step.
    pub index: Option<String>,
    /// The step must be evaluated as a tuple stream (it binds variables).
    pub tuple: bool,
    /// The slot under which this step's input is remembered for a `%`.
    pub ancestor: Option<usize>,
    /// Slots of `%` operators inside this node not yet resolved to a step.
    pub seeking_parent: Option<Vec<usize>>,
    /// An array constructor at the start or end of a path (not flattened).
    pub cons_array: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub pairs: Vec<(Node, Node)>,
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Filter { expr: Box<Node>, pos: usize },
    Index { var: String, pos: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortTerm {
    pub descending: bool,
    pub expr: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
}

impl BinaryOp {
    pub fn from_token(op: &str) -> Option<Self> {
        Some(match op {
            "+" => Self::Add,
            "-" => Self::Sub,
            "*" => Self::Mul,
            "/" => Self::Div,
            "%" => Self::Mod,
            "=" => Self::Eq,
            "!=" => Self::Ne,
            "<" => Self::Lt,
            "<=" => Self::Le,
            ">" => Self::Gt,
            ">=" => Self::Ge,
            "&" => Self::Concat,
            "and" => Self::And,
            "or" => Self::Or,
            "in" => Self::In,
            ".." => Self::Range,
            _ => return None,
        })
    }

    pub fn token(self) -> &'static str {
        match self {
            Self::Add => "+",
            Self::Sub => "-",
            Self::Mul => "*",
            Self::Div => "/",
            Self::Mod => "%",
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Concat => "&",
            Self::And => "and",
            Self::Or => "or",
            Self::In => "in",
            Self::Range => "..",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A location path `a.b[0].c`; never empty.
    Path(Vec<Node>),
    Name(String),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: String,
        compiled: CompiledRegex,
    },
    /// `$name`; `$` is the empty name and `$$` is `"$"`.
    Variable(String),
    Wildcard,
    Descendant,
    /// `%`, with its slot.
    Parent(usize),
    Binary {
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Negate(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Block(Vec<Node>),
    Condition {
        cond: Box<Node>,
        then: Box<Node>,
        otherwise: Option<Box<Node>>,
    },
    Coalesce {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Elvis {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Function {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    Partial {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    /// `?` argument of a partial application.
    Placeholder,
    Lambda {
        params: Vec<String>,
        signature: Option<String>,
        body: Box<Node>,
    },
    Bind {
        name: String,
        value: Box<Node>,
    },
    /// `lhs ~> rhs`.
    Apply {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Transform {
        pattern: Box<Node>,
        update: Box<Node>,
        delete: Option<Box<Node>>,
    },
    /// An order-by step `^(…)` inside a path.
    Sort(Vec<SortTerm>),
}

impl Node {
    pub fn new(kind: Kind, pos: usize) -> Self {
        Node {
            kind,
            pos,
            keep_array: false,
            keep_singleton_array: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            seeking_parent: None,
            cons_array: false,
        }
    }
}
