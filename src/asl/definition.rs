//! The typed model of a state machine, built by `parse` from a spanned JSON tree. Every state,
//! field and expression keeps its span, so both diagnostics and the debugger can point at the
//! source. Expressions are already parsed (JSONPath, intrinsics); JSONata strings are kept as
//! text for the JSONata evaluator that comes in a later wave.

use serde_json::Value;

use crate::asl::intrinsics::Call;
use crate::asl::jsonpath::Path;
use crate::asl::source::Span;

mod jsonata_expr;
mod operator;
pub use jsonata_expr::JsonataExpr;
pub use operator::Operator;

/// A value together with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    /// The key's span (`"InputPath"`), for "this field" diagnostics.
    pub key_span: Span,
    /// The value's span.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// The same field with its value converted.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned { value: f(self.value), key_span: self.key_span, span: self.span }
    }
}

/// A state name a transition goes to: shared, because every visit hands it on.
pub type StateName = std::sync::Arc<str>;

/// `"JSONPath"` (the default) or `"JSONata"`, per machine and per state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

/// A whole definition: its top-level fields and the root scope of states.
#[derive(Clone, Debug)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub version: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub query_language: QueryLanguage,
    pub scope: Scope,
}

/// One `{StartAt, States}` block: the machine itself, a Parallel branch or a Map processor.
/// Transitions never leave a scope (rule 2.2).
#[derive(Clone, Debug)]
pub struct Scope {
    pub start_at: Spanned<StateName>,
    /// In source order.
    pub states: Vec<State>,
    /// Names of states that exist in the source but could not be built (their errors are
    /// reported); transitions to them are not reported again.
    pub unparsed: Vec<String>,
    /// JSON Pointer of this scope's `States` object, e.g. `/States/Fan/Branches/0/States`.
    pub pointer: String,
    pub span: Span,
    /// Position in `states` of each name (the first state of that name), so a lookup does
    /// not scan: validation and every transition look states up by name.
    by_name: std::collections::HashMap<std::sync::Arc<str>, usize>,
}

impl Scope {
    pub fn new(
        start_at: Spanned<StateName>,
        states: Vec<State>,
        unparsed: Vec<String>,
        pointer: String,
        span: Span,
    ) -> Scope {
        let mut by_name = std::collections::HashMap::with_capacity(states.len());
        for (i, s) in states.iter().enumerate() {
            by_name.entry(s.shared_name.clone()).or_insert(i);
        }
        Scope { start_at, states, unparsed, pointer, span, by_name }
    }

    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(self.index_of(name)?)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The state named `name` here or in any branch or item processor below (names are unique
    /// machine-wide, rule 1.3).
    pub fn find(&self, name: &str) -> Option<&State> {
        self.states.iter().find_map(|s| {
            if s.name == name {
                return Some(s);
            }
            match &s.kind {
                StateKind::Parallel(p) => p.branches.iter().find_map(|b| b.find(name)),
                StateKind::Map(m) => m.processor.find(name),
                _ => None,
            }
        })
    }
}

/// A state: common fields, data-flow fields and the kind-specific part.
#[derive(Clone, Debug)]
pub struct State {
    pub name: String,
    /// The same name, shared by the history events and stage records of every visit.
    pub shared_name: std::sync::Arc<str>,
    pub name_span: Span,
    /// The span of the whole state object.
    pub span: Span,
    /// JSON Pointer of the state, `/States/Name`.
    pub pointer: String,
    pub comment: Option<String>,
    /// The state's effective language (its own, else the machine's; rule 3.1).
    pub query_language: QueryLanguage,
    pub io: DataFlow,
    pub transition: Transition,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub kind: StateKind,
}

impl State {
    /// `Pass`, `Task`, … as written in `Type`.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

/// A JSONPath path field that may be explicitly `null` (InputPath/OutputPath/ResultPath):
/// `null` means something different from an absent field (rules 4.10, 4.11).
#[derive(Clone, Debug, PartialEq)]
pub enum PathOrNull {
    Path(Path),
    Null,
}

/// The data-flow fields (both query languages). Absent fields are `None`.
#[derive(Clone, Debug, Default)]
pub struct DataFlow {
    pub input_path: Option<Spanned<PathOrNull>>,
    pub parameters: Option<Spanned<Template>>,
    pub result_selector: Option<Spanned<Template>>,
    pub result_path: Option<Spanned<PathOrNull>>,
    pub output_path: Option<Spanned<PathOrNull>>,
    /// JSONPath: a payload template; JSONata: a value with `{% %}` strings.
    pub assign: Option<Spanned<Template>>,
    /// JSONata only.
    pub arguments: Option<Spanned<Template>>,
    /// JSONata only.
    pub output: Option<Spanned<Template>>,
}

/// A payload template (Parameters, ResultSelector, ItemSelector, Assign, …): literal JSON with
/// `"key.$"` entries whose values are expressions (rule 4.13). In JSONata states the same type
/// holds values whose strings may be `{% … %}` expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    /// A value with nothing to evaluate, copied as is.
    Literal(Value),
    Object(Vec<TemplateField>),
    Array(Vec<Template>),
    /// A `.$` value or a JSONata string: something to evaluate.
    Expr(Expr),
}

impl std::fmt::Display for Template {
    /// Compact, one line, as it would be written in ASL (`{"name.$": "$.a", "n": 1}`), for
    /// labels such as "Parameters: {…}" in the debugger and traces.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Template::Literal(v) => write!(f, "{v}"),
            Template::Expr(e) => write!(f, "{}", Value::String(e.to_string())),
            Template::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Template::Object(fields) => {
                f.write_str("{")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let suffix = if matches!(field.value, Template::Expr(Expr::Path(_) | Expr::Intrinsic(_))) {
                        ".$"
                    } else {
                        ""
                    };
                    write!(f, "{}: {}", Value::String(format!("{}{suffix}", field.key)), field.value)?;
                }
                f.write_str("}")
            }
        }
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expr::Path(p) => f.write_str(p.text()),
            Expr::Intrinsic(c) => f.write_str(&c.text),
            Expr::Jsonata(body) => write!(f, "{{%{body}%}}"),
        }
    }
}

/// One entry of a template object. `key` has its `.$` suffix removed.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateField {
    pub key: String,
    pub key_span: Span,
    pub value: Template,
    pub span: Span,
}

/// An expression in any query language, parsed where the language is implemented.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `$…`, `$$…` or `$var…`.
    Path(Path),
    /// `States.Format(…)` and friends.
    Intrinsic(Call),
    /// The text between `{%` and `%}`, parsed at load.
    Jsonata(JsonataExpr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Transition {
    Next(Spanned<StateName>),
    End,
    /// Choice, Succeed and Fail (and states whose transition was invalid).
    None,
}

/// One element of `Retry`.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<Spanned<String>>,
    pub interval_seconds: f64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter_full: bool,
    pub span: Span,
}

/// One element of `Catch`.
#[derive(Clone, Debug)]
pub struct Catcher {
    pub error_equals: Vec<Spanned<String>>,
    pub next: Spanned<StateName>,
    pub result_path: Option<Spanned<PathOrNull>>,
    pub assign: Option<Spanned<Template>>,
    pub output: Option<Spanned<Template>>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StateKind {
    Pass(Pass),
    Task(Task),
    Choice(Choice),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Parallel),
    Map(Box<MapState>),
}

impl StateKind {
    pub fn type_name(&self) -> &'static str {
        self.state_type().as_str()
    }

    pub fn state_type(&self) -> StateType {
        match self {
            StateKind::Pass(_) => StateType::Pass,
            StateKind::Task(_) => StateType::Task,
            StateKind::Choice(_) => StateType::Choice,
            StateKind::Wait(_) => StateType::Wait,
            StateKind::Succeed => StateType::Succeed,
            StateKind::Fail(_) => StateType::Fail,
            StateKind::Parallel(_) => StateType::Parallel,
            StateKind::Map(_) => StateType::Map,
        }
    }
}

/// A state's `Type`, without its fields (one byte in every history event).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    /// The `Type` as ASL writes it (`"Pass"`).
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }
}

impl std::fmt::Display for StateType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Pass {
    /// A literal: `.$` keys inside it are not evaluated (rule 12.1, ASL-NOTES 3).
    pub result: Option<Spanned<Value>>,
}

/// A number given literally, through a reference path, or as a JSONata expression.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberSource {
    Literal(Value),
    Path(Path),
    Jsonata(JsonataExpr),
}

#[derive(Clone, Debug)]
pub struct Task {
    pub resource: Spanned<String>,
    pub timeout_seconds: Option<Spanned<NumberSource>>,
    pub heartbeat_seconds: Option<Spanned<NumberSource>>,
    pub credentials: Option<Spanned<Template>>,
}

#[derive(Clone, Debug)]
pub struct Choice {
    /// Shared: an execution's Choice explanations point at them instead of being stored.
    pub choices: std::sync::Arc<[ChoiceRule]>,
    pub default: Option<Spanned<StateName>>,
}

/// A top-level Choice rule (with `Next`) or a nested one (without).
#[derive(Clone, Debug)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Option<Spanned<StateName>>,
    pub assign: Option<Spanned<Template>>,
    pub output: Option<Spanned<Template>>,
    pub span: Span,
    pub pointer: String,
}

#[derive(Clone, Debug)]
pub enum Condition {
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Compare(Comparison),
    /// JSONata `Condition`.
    Jsonata(Spanned<JsonataExpr>),
}

/// `Variable` + one operator + its operand.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub variable: Spanned<Path>,
    pub operator: Operator,
    /// The operator's key span (`"NumericEquals"`).
    pub operator_span: Span,
    pub operand: Spanned<Operand>,
}

/// The right-hand side: a literal, or a path for the `…Path` operators.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Literal(Value),
    Path(Path),
}

#[derive(Clone, Debug)]
pub enum WaitFor {
    Seconds(NumberSource),
    SecondsPath(Path),
    /// A literal RFC 3339 timestamp, or a JSONata expression.
    Timestamp(Expr),
    TimestampLiteral(String),
    TimestampPath(Path),
}

#[derive(Clone, Debug)]
pub struct Wait {
    pub wait_for: Spanned<WaitFor>,
}

/// Where a Fail state's Error or Cause comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum FailText {
    Literal(String),
    /// `ErrorPath`/`CausePath`: a path or an intrinsic call.
    Expr(Expr),
}

#[derive(Clone, Debug, Default)]
pub struct Fail {
    pub error: Option<Spanned<FailText>>,
    pub cause: Option<Spanned<FailText>>,
}

#[derive(Clone, Debug)]
pub struct Parallel {
    pub branches: Vec<Scope>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapMode {
    #[default]
    Inline,
    Distributed,
}

#[derive(Clone, Debug)]
pub struct MapState {
    pub processor: Scope,
    pub mode: MapMode,
    /// JSONPath `ItemsPath` (default `$`).
    pub items_path: Option<Spanned<Path>>,
    /// JSONata `Items`.
    pub items: Option<Spanned<Template>>,
    /// `ItemSelector`, or the legacy `Parameters` of a Map.
    pub item_selector: Option<Spanned<Template>>,
    pub max_concurrency: Option<Spanned<NumberSource>>,
    pub tolerated_failure_count: Option<Spanned<NumberSource>>,
    pub tolerated_failure_percentage: Option<Spanned<NumberSource>>,
    /// Kept as JSON: `MaxItemsPerBatch(Path)`, `MaxInputBytesPerBatch(Path)`, `BatchInput`.
    pub item_batcher: Option<Spanned<Value>>,
    /// Kept as JSON: S3 sources cannot be read locally.
    pub item_reader: Option<Spanned<Value>>,
    pub result_writer: Option<Spanned<Value>>,
    pub label: Option<Spanned<String>>,
}
