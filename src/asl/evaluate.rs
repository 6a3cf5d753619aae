//! One expression evaluated against one document, as a run would evaluate it: a JSONPath (AWS's
//! rules, Jayway's messages), an intrinsic function call, or a JSONata expression (`{% … %}`
//! or bare), with `$$` (the context object) and the variables in scope. Shared by
//! `statescope eval` and the debugger's expression prompt. No clock or entropy of its own: the
//! caller passes them.

use serde_json::{Map, Value};

use crate::asl::intrinsics;
use crate::asl::jsonata::{self, JsonataEnv};
use crate::asl::jsonpath::{Path, Roots, SelectError};
use crate::asl::world::Entropy;

/// Which language an expression is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    JsonPath,
    Intrinsic,
    Jsonata,
}

impl Lang {
    pub fn name(self) -> &'static str {
        match self {
            Lang::JsonPath => "JSONPath",
            Lang::Intrinsic => "intrinsic",
            Lang::Jsonata => "JSONata",
        }
    }

    /// The language `expr` is written in: `{% … %}` is JSONata, `States.…(` an intrinsic, a
    /// `$…` path JSONPath; anything else is taken in `default` (a JSONata state's language).
    pub fn of(expr: &str, default: Lang) -> Lang {
        let t = expr.trim();
        if t.starts_with("{%") {
            Lang::Jsonata
        } else if t.starts_with("States.") {
            Lang::Intrinsic
        } else if default == Lang::Jsonata {
            Lang::Jsonata
        } else {
            Lang::JsonPath
        }
    }
}

/// What an evaluation is given: `$` (absent: JSONata's undefined input; `{}` for the others),
/// `$$` and the variables.
pub struct Scope<'a> {
    pub input: Option<&'a Value>,
    pub context: &'a Value,
    pub variables: &'a Map<String, Value>,
}

/// Why an expression did not give a value: AWS's error name for JSONPath and intrinsics
/// (`States.Runtime`, `States.IntrinsicFailure`; `InvalidDefinition` for one that would not
/// validate), JSONata's own code for JSONata (`T2001`, `D3001`, `S0202`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub code: String,
    pub message: String,
    /// Character offset into the expression, where known.
    pub position: Option<usize>,
}

/// What an expression gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The value, and for a JSONPath the places it was found (`$['order']['items'][0]`, in
    /// Jayway's bracket form) so a view can highlight them.
    Value {
        value: Value,
        selected: Vec<String>,
    },
    /// JSONata's undefined (no match).
    Undefined,
    Error(EvalError),
}

impl Outcome {
    /// `statescope eval --format json`'s line: `{"result": …}`, `{"undefined": true}` or
    /// `{"error": {"code", "message", "position"}}`.
    pub fn to_json(&self) -> Value {
        match self {
            Outcome::Value { value, .. } => serde_json::json!({"result": value}),
            Outcome::Undefined => serde_json::json!({"undefined": true}),
            Outcome::Error(e) => {
                serde_json::json!({"error": {"code": e.code, "message": e.message, "position": e.position}})
            }
        }
    }
}

/// The clock and entropy an evaluation may use (`$now()`, `$random()`, `States.UUID()`).
pub trait EvalEnv: JsonataEnv {
    fn entropy(&mut self) -> &mut dyn Entropy;
}

/// Evaluates `expr` in `lang` over `scope`.
pub fn evaluate(expr: &str, lang: Lang, scope: &Scope, env: &mut dyn EvalEnv) -> Outcome {
    match lang {
        Lang::Jsonata => jsonata_eval(expr, scope, env),
        Lang::JsonPath => jsonpath_eval(expr, scope),
        Lang::Intrinsic => intrinsic_eval(expr, scope, env),
    }
}

fn empty() -> &'static Value {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Value::Object(Map::new()))
}

fn invalid(message: impl Into<String>, position: Option<usize>) -> Outcome {
    Outcome::Error(EvalError { code: "InvalidDefinition".into(), message: message.into(), position })
}

fn jsonpath_eval(expr: &str, scope: &Scope) -> Outcome {
    let text = expr.trim();
    let path = match Path::parse(text) {
        Ok(p) => p,
        Err(e) => return invalid(format!("invalid JSONPath '{text}': {e}"), Some(e.offset)),
    };
    let roots = Roots { input: scope.input.unwrap_or(empty()), context: scope.context, variables: scope.variables };
    match path.select_located(&roots) {
        Ok(found) => {
            let selected = found.iter().map(|l| l.path.clone()).collect();
            match path.select(&roots) {
                Ok(value) => Outcome::Value { value, selected },
                Err(e) => runtime(&path, e),
            }
        }
        Err(e) => runtime(&path, e),
    }
}

/// A path failure as a state raises it (rule 4.9): `States.Runtime`, Jayway's message after
/// AWS's "Invalid path" prefix.
fn runtime(path: &Path, e: SelectError) -> Outcome {
    let message = match e {
        SelectError::UndefinedVariable { .. } | SelectError::NullInput => e.to_string(),
        e => format!("Invalid path '{}' : {e}", path.text()),
    };
    Outcome::Error(EvalError { code: "States.Runtime".into(), message, position: None })
}

fn intrinsic_eval(expr: &str, scope: &Scope, env: &mut dyn EvalEnv) -> Outcome {
    let text = expr.trim();
    let call = match intrinsics::parse(text) {
        Ok(c) => c,
        Err(e) => return invalid(format!("invalid intrinsic function call '{text}': {e}"), Some(e.offset)),
    };
    let roots = Roots { input: scope.input.unwrap_or(empty()), context: scope.context, variables: scope.variables };
    match call.eval(&roots, env.entropy()) {
        Ok(value) => Outcome::Value { value, selected: Vec::new() },
        Err(e) => Outcome::Error(EvalError { code: e.error, message: e.cause, position: None }),
    }
}

fn jsonata_eval(expr: &str, scope: &Scope, env: &mut dyn EvalEnv) -> Outcome {
    let t = expr.trim();
    let (body, offset) = match t.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")) {
        Some(inner) => (inner, expr.find("{%").map_or(2, |i| i + 2)),
        None if t.starts_with("{%") => return invalid("a JSONata expression '{% … %}' needs its closing '%}'", None),
        None => (expr, 0),
    };
    let ast = match jsonata::parse(body) {
        Ok(a) => a,
        Err(e) => return jsonata_error(e, offset),
    };
    // `$states` as a state sees it, beside the variables (a variable named `states` is
    // reserved by AWS, so nothing is shadowed).
    let mut bindings = scope.variables.clone();
    let mut states = Map::new();
    if let Some(input) = scope.input {
        states.insert("input".into(), input.clone());
    }
    states.insert("context".into(), scope.context.clone());
    bindings.entry("states").or_insert(Value::Object(states));
    match ast.evaluate_with(scope.input, &bindings, env) {
        Ok(Some(value)) => Outcome::Value { value, selected: Vec::new() },
        Ok(None) => Outcome::Undefined,
        Err(e) => jsonata_error(e, offset),
    }
}

fn jsonata_error(e: jsonata::JsonataError, offset: usize) -> Outcome {
    Outcome::Error(EvalError { code: e.code.to_string(), message: e.message, position: Some(e.position + offset) })
}

#[cfg(test)]
mod tests;
