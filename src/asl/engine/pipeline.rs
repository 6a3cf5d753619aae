//! The data flow around a state's own work, one pipeline per query language, chosen once per
//! state ([`Pipeline::of`]):
//!
//! - JSONPath ([`jsonpath`]): InputPath → Parameters → (the state's work) → Assign →
//!   ResultSelector → ResultPath → OutputPath (rules 5.1–5.5, 4.x).
//! - JSONata ([`jsonata`]): Arguments → (the state's work) → Assign and Output over one
//!   snapshot of `$states` (rules 5.11–5.19, 8.x).
//!
//! State types with a result (Task, Parallel, Map) go through [`Pipeline::effective_input`] and
//! [`Pipeline::after_result`]; the others (Pass, Succeed, Fail, Wait, Choice) call the stages of
//! their language directly, in their own module under `states`, because their JSONPath and
//! JSONata fields differ. Catchers go through [`Pipeline::caught`].

pub(crate) mod jsonata;
pub(crate) mod jsonpath;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{
    Catcher, MapState, NumberSource, PathOrNull, QueryLanguage, Spanned, State, Template, Transition,
};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::stage::{FieldSource, StageKind};
use crate::asl::engine::visit::Outcome;

/// Variables a stage assigned, if it had an Assign.
pub(crate) type Assigned = Option<Map<String, Value>>;

/// A state's query language, as the stages it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pipeline {
    JsonPath,
    Jsonata,
}

impl Pipeline {
    pub(crate) fn of(state: &State) -> Pipeline {
        match state.query_language {
            QueryLanguage::JsonPath => Pipeline::JsonPath,
            QueryLanguage::Jsonata => Pipeline::Jsonata,
        }
    }

    /// What the state works on: InputPath and Parameters, or Arguments. Shares the raw input
    /// when the fields are absent.
    pub(crate) fn effective_input(
        self,
        state: &State,
        input: &Arc<Value>,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<Arc<Value>, Failure> {
        match self {
            Pipeline::JsonPath => jsonpath::effective_input(state, input, env, run),
            Pipeline::Jsonata => jsonata::arguments(state, input, env, run),
        }
    }

    /// From a state's result to its output and transition.
    pub(crate) fn after_result(
        self,
        state: &State,
        input: &Arc<Value>,
        result: Arc<Value>,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<Outcome, Failure> {
        match self {
            Pipeline::JsonPath => jsonpath::after_result(state, input, result, env, run),
            Pipeline::Jsonata => jsonata::after_result(state, input, result, env, run),
        }
    }

    /// A catcher's data flow over the error output; ends with the `output` stage recorded.
    pub(crate) fn caught(
        self,
        catcher: &Catcher,
        input: &Arc<Value>,
        error_output: &Value,
        env: &mut Env,
        run: &mut Run,
    ) -> Result<(Assigned, Arc<Value>), Failure> {
        match self {
            Pipeline::JsonPath => jsonpath::caught(catcher, input, error_output, env, run),
            Pipeline::Jsonata => jsonata::caught(catcher, input, error_output, env, run),
        }
    }

    /// A Map's items: ItemsPath over the effective input, or Items; always an array.
    pub(crate) fn items(
        self,
        m: &MapState,
        input: &Value,
        effective: &Arc<Value>,
        env: &mut Env,
    ) -> Result<Arc<Value>, Failure> {
        match self {
            Pipeline::JsonPath => jsonpath::items(m, effective, env),
            Pipeline::Jsonata => jsonata::map_items(m, input, effective, env),
        }
    }

    /// A Map's ItemSelector for item `index`, with `$$.Map.Item` (or `$states.context.Map.Item`).
    pub(crate) fn item_selector(
        self,
        selector: &Spanned<Template>,
        input: &Value,
        effective: &Value,
        index: usize,
        item: &Value,
        env: &mut Env,
    ) -> Result<Value, Failure> {
        match self {
            Pipeline::JsonPath => jsonpath::item_selector(selector, effective, index, item, env),
            Pipeline::Jsonata => jsonata::item_selector(env, selector, input, index, item),
        }
    }

    /// A template field evaluated over `input` (Task `Credentials`): JSONPath's `.$` keys, or
    /// JSONata's `{% %}` values with `$states.input`.
    pub(crate) fn template(
        self,
        t: &Spanned<Template>,
        field: &str,
        input: &Value,
        env: &mut Env,
    ) -> Result<Value, Failure> {
        match self {
            Pipeline::JsonPath => {
                let roots = crate::asl::jsonpath::Roots { input, context: env.context, variables: env.variables };
                crate::asl::engine::io::template(&t.value, &roots, env.entropy)
            }
            Pipeline::Jsonata => {
                let b = jsonata::bindings(env, input, None, None);
                jsonata::template(env, &t.value, field, &b)
            }
        }
    }

    /// A numeric field (TimeoutSeconds, MaxConcurrency, …) given as a JSONata expression,
    /// evaluated to a literal so the checks shared by both languages apply; `None` when it is
    /// not an expression (a literal or a JSONPath `…Path`).
    pub(crate) fn number(
        self,
        source: Option<&Spanned<NumberSource>>,
        field: &str,
        input: &Value,
        env: &mut Env,
    ) -> Result<Option<Spanned<NumberSource>>, Failure> {
        match self {
            Pipeline::JsonPath => Ok(None),
            Pipeline::Jsonata => jsonata::resolve_number(env, source, field, input),
        }
    }
}

/// The state's transition with its output.
pub(crate) fn transition(state: &State, out: Arc<Value>) -> Outcome {
    match &state.transition {
        Transition::Next(n) => Outcome::Next(n.value.clone(), out),
        Transition::End | Transition::None => Outcome::End(out),
    }
}

/// The `variables` stage: every variable in scope once `assigned` is bound.
pub(crate) fn variables_stage(env: &mut Env, run: &mut Run, a: &Spanned<Template>, assigned: &Map<String, Value>) {
    let mut all = env.variables.clone();
    all.extend(assigned.iter().map(|(k, v)| (k.clone(), v.clone())));
    let field = template_field(env, a, "Assign");
    run.note(StageKind::Variables, Arc::new(Value::Object(all)), Some(field));
}

/// The source shown with a stage made by a path field (`InputPath: $.a`).
pub(crate) fn path_field(env: &mut Env, f: &Spanned<PathOrNull>, name: &'static str) -> Arc<FieldSource> {
    env.scratch.source(name, f.span, || match &f.value {
        PathOrNull::Path(p) => p.text().to_string(),
        PathOrNull::Null => "null".into(),
    })
}

/// The source shown with a stage made by a template field (`Parameters`, `Output`, `Assign`).
pub(crate) fn template_field(env: &mut Env, t: &Spanned<Template>, name: &'static str) -> Arc<FieldSource> {
    env.scratch.source(name, t.span, || short(&t.value))
}

/// Expression labels are for one line of a trace or a pane title; the span locates the rest.
/// Rendering stops at the limit, so a 256 KiB `Result` costs no more than a short one.
pub(crate) fn short(value: &dyn std::fmt::Display) -> String {
    use std::fmt::Write;
    const MAX: usize = 160;
    struct Bounded(String);
    impl Write for Bounded {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let room = MAX.saturating_sub(self.0.len());
            if s.len() <= room {
                self.0.push_str(s);
                return Ok(());
            }
            let mut cut = room;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            self.0.push_str(&s[..cut]);
            self.0.push('…');
            Err(std::fmt::Error)
        }
    }
    let mut out = Bounded(String::new());
    let _ = write!(out, "{value}");
    out.0
}
