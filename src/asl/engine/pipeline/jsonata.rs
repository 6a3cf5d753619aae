//! JSONata-mode data flow (rules 5.11–5.19, 8.x). `$states` holds `input` and `context`
//! everywhere, `result` in the top-level Output/Assign of Task, Parallel and Map, and
//! `errorOutput` in a Catcher's; variables are bound by name. Assign and Output of one state see
//! the same snapshot (rule 5.11.5). Every failure is `States.QueryEvaluationError`, worded as
//! AWS words it ("The JSONata expression '$x' specified for the field 'Output/a' returned
//! nothing (undefined).").

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{Assigned, template_field, transition, variables_stage};
use crate::asl::definition::{Catcher, Expr, JsonataExpr, MapState, NumberSource, Spanned, State, Template};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::visit::Outcome;
use crate::asl::error_name::ErrorName;
use crate::asl::jsonata::{Evaluated, JsonataEnv};
use crate::asl::world::Entropy;

/// JSONata's view of the virtual clock and the seeded entropy: `$now()` is the state's instant.
struct World<'e> {
    now_ms: i64,
    entropy: &'e mut dyn Entropy,
}

impl JsonataEnv for World<'_> {
    fn now_millis(&mut self) -> i64 {
        self.now_ms
    }

    fn random(&mut self) -> f64 {
        self.entropy.next_f64()
    }
}

/// Every JSONata failure (rule 8.5); `field` is where it happened, named as AWS names it.
pub(crate) fn query_error(field: &str, cause: String) -> Failure {
    let location = field.split('/').next().unwrap_or(field).to_string();
    Failure { error: ErrorName::QueryEvaluationError, cause, location: Some(location) }
}

/// The variables in scope plus `$states` for one phase of a state.
pub(crate) fn bindings(
    env: &Env,
    input: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Map<String, Value> {
    let mut b = env.variables.clone();
    let mut states = Map::with_capacity(4);
    states.insert("input".into(), input.clone());
    states.insert("context".into(), env.context.clone());
    if let Some(r) = result {
        states.insert("result".into(), r.clone());
    }
    if let Some(e) = error_output {
        states.insert("errorOutput".into(), e.clone());
    }
    b.insert("states".into(), Value::Object(states));
    b
}

/// Evaluates one `{% %}` expression for `field` (named by its path from the state, joined with
/// `/`, as AWS names it).
pub(crate) fn expr(
    env: &mut Env,
    e: &JsonataExpr,
    field: &str,
    bindings: &Map<String, Value>,
) -> Result<Value, Failure> {
    let shown = e.text().trim();
    let ast = e.parsed().map_err(|e| {
        query_error(
            field,
            format!(
                "The JSONata expression '{shown}' specified for the field '{field}' could not be parsed. {}: {}",
                e.code, e.message
            ),
        )
    })?;
    let mut world = World { now_ms: env.now_ms, entropy: &mut *env.entropy };
    match ast.evaluate_result(None, bindings, &mut world) {
        Ok(Evaluated::Value(v)) => Ok(v),
        Ok(Evaluated::Function) => Err(query_error(
            field,
            format!(
                "The JSONata expression '{shown}' specified for the field '{field}' returned an unsupported result type."
            ),
        )),
        Ok(Evaluated::Undefined) => Err(query_error(
            field,
            format!("The JSONata expression '{shown}' specified for the field '{field}' returned nothing (undefined)."),
        )),
        Err(e) => Err(query_error(
            field,
            format!(
                "The JSONata expression '{shown}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                e.code, e.message
            ),
        )),
    }
}

/// A JSONata template: strings that are `{% %}` expressions are evaluated, recursively inside
/// objects and arrays (values only, rule 8.2); everything else is literal.
pub(crate) fn template(
    env: &mut Env,
    t: &Template,
    field: &str,
    bindings: &Map<String, Value>,
) -> Result<Value, Failure> {
    Ok(match t {
        Template::Literal(v) => v.clone(),
        Template::Expr(Expr::Jsonata(text)) => expr(env, text, field, bindings)?,
        // JSONPath expressions cannot occur in a JSONata state (validation rejects them).
        Template::Expr(other) => Value::String(other.to_string()),
        Template::Array(items) => {
            Value::Array(items.iter().map(|i| template(env, i, field, bindings)).collect::<Result<_, _>>()?)
        }
        Template::Object(fields) => {
            let mut map = Map::with_capacity(fields.len());
            for f in fields {
                let path = format!("{field}/{}", f.key);
                map.insert(f.key.clone(), template(env, &f.value, &path, bindings)?);
            }
            Value::Object(map)
        }
    })
}

/// Arguments (Task, Parallel): the value sent, or the raw input when absent (rule 5.11.2).
pub(crate) fn arguments(
    state: &State,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Arc<Value>, Failure> {
    let Some(a) = &state.io.arguments else { return Ok(input.clone()) };
    let b = bindings(env, input, None, None);
    let v = Arc::new(template(env, &a.value, "Arguments", &b)?);
    let field = template_field(env, a, "Arguments");
    Ok(run.stage(StageKind::AfterArguments, v, Some(field)))
}

/// Assign and Output over one snapshot (rule 5.11.5): returns the output (`default` when there
/// is no Output) and records `variables` and `output` stages.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assign_and_output(
    env: &mut Env,
    run: &mut Run,
    input: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
    assign: Option<&Spanned<Template>>,
    output: Option<&Spanned<Template>>,
    default: Arc<Value>,
) -> Result<Arc<Value>, Failure> {
    if assign.is_none() && output.is_none() {
        return Ok(run.stage(StageKind::Output, default, None));
    }
    let b = bindings(env, input, result, error_output);
    if let Some(a) = assign {
        let assigned = match template(env, &a.value, "Assign", &b)? {
            Value::Object(m) => m,
            other => return Err(query_error("Assign", format!("Assign must produce an object, not {other}"))),
        };
        variables_stage(env, run, a, &assigned);
        run.assigned = Some(assigned);
    }
    Ok(match output {
        Some(o) => {
            let v = Arc::new(template(env, &o.value, "Output", &b)?);
            let field = template_field(env, o, "Output");
            run.stage(StageKind::Output, v, Some(field))
        }
        None => run.stage(StageKind::Output, default, None),
    })
}

/// After a Task, Parallel or Map result: `$states.result`, Assign and Output (default: the
/// result), the transition.
pub(crate) fn after_result(
    state: &State,
    input: &Arc<Value>,
    result: Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let io = &state.io;
    let out = assign_and_output(
        env,
        run,
        input,
        Some(&result),
        None,
        io.assign.as_ref(),
        io.output.as_ref(),
        result.clone(),
    )?;
    Ok(transition(state, out))
}

/// A caught error in a JSONata state (rule 5.18): the Catcher's Assign and Output over
/// `$states.errorOutput` (default output: the error output).
pub(crate) fn caught(
    catcher: &Catcher,
    input: &Value,
    error_output: &Value,
    env: &mut Env,
    run: &mut Run,
) -> Result<(Assigned, Arc<Value>), Failure> {
    let out = assign_and_output(
        env,
        run,
        input,
        None,
        Some(error_output),
        catcher.assign.as_ref(),
        catcher.output.as_ref(),
        Arc::new(error_output.clone()),
    )?;
    Ok((run.assigned.take(), out))
}

/// A Map's items: `Items` when present, else the input (rule 5.13.3); a value that is not an
/// array is a query evaluation error (ASL-NOTES 19).
pub(crate) fn map_items(
    m: &MapState,
    input: &Value,
    effective: &Arc<Value>,
    env: &mut Env,
) -> Result<Arc<Value>, Failure> {
    let items = match &m.items {
        Some(t) => Arc::new(items(env, t, input)?),
        None => effective.clone(),
    };
    if !items.is_array() {
        let mut f = Failure::runtime(format!("Map state input must be an array but was: {items}"));
        f.error = ErrorName::QueryEvaluationError;
        return Err(f);
    }
    Ok(items)
}

/// Map `Items` (rule 5.13.3): must be an array.
fn items(env: &mut Env, t: &Spanned<Template>, input: &Value) -> Result<Value, Failure> {
    let b = bindings(env, input, None, None);
    let v = template(env, &t.value, "Items", &b)?;
    if v.is_array() {
        return Ok(v);
    }
    let shown = match &t.value {
        Template::Expr(Expr::Jsonata(e)) => e.trim().to_string(),
        other => other.to_string(),
    };
    Err(query_error(
        "Items",
        format!(
            "The JSONata expression '{shown}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
            json_kind(&v),
            v
        ),
    ))
}

/// Map `ItemSelector` for item `index` (rule 5.13.4): `$states.context.Map.Item` is set.
pub(crate) fn item_selector(
    env: &mut Env,
    t: &Spanned<Template>,
    input: &Value,
    index: usize,
    item: &Value,
) -> Result<Value, Failure> {
    let mut b = bindings(env, input, None, None);
    if let Some(Value::Object(states)) = b.get_mut("states") {
        if let Some(Value::Object(ctx)) = states.get_mut("context") {
            ctx.insert("Map".into(), json!({"Item": {"Index": index, "Value": item}}));
        }
    }
    template(env, &t.value, "ItemSelector", &b)
}

/// A numeric field (TimeoutSeconds, MaxConcurrency, …) given as a JSONata expression, evaluated
/// to a literal so the checks shared with JSONPath mode apply; `None` when it is not JSONata.
pub(crate) fn resolve_number(
    env: &mut Env,
    source: Option<&Spanned<NumberSource>>,
    field: &str,
    input: &Value,
) -> Result<Option<Spanned<NumberSource>>, Failure> {
    let Some(s) = source else { return Ok(None) };
    let NumberSource::Jsonata(text) = &s.value else { return Ok(None) };
    let b = bindings(env, input, None, None);
    let v = expr(env, text, field, &b)?;
    Ok(Some(Spanned { value: NumberSource::Literal(v), key_span: s.key_span, span: s.span }))
}

/// JSONata's names for JSON types in "Expected 'array', but was 'number'".
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
