//! A TestState request read and checked as AWS checks it: the state under test (alone, or
//! picked from a whole machine by `stateName`), the `mock`, `context` and `stateConfiguration`.
//! The messages are AWS's where a recording has them (LocalStack's AWS-validated snapshots of
//! TestState, `test_state_mock_validation`, `test_state_context_object`,
//! `test_test_state_machine_scenarios`); the few the recordings lack say so where they are made.

use serde_json::{Map, Value};

use crate::asl::engine::tasks::TaskAnswer;
use crate::server::protocol::{ApiError, Params};

/// The name a lone state runs under (AWS's `$$.State.Name` for it is its own, unknowable).
pub const LONE_STATE: &str = "TestState";

/// Everything TestState needs, checked.
pub struct Request {
    /// The state under test and its definition.
    pub name: String,
    pub state: Map<String, Value>,
    /// The top-level fields it inherits (`QueryLanguage`).
    pub top: Map<String, Value>,
    pub level: String,
    pub input: Value,
    pub variables: Option<Map<String, Value>>,
    pub mock: Option<TaskAnswer>,
    pub context: Option<Map<String, Value>>,
    pub role_arn: Option<String>,
    /// `stateConfiguration.retrierRetryCount`: retries already made by the matching retrier.
    pub retry_count: u64,
    /// `stateConfiguration.mapIterationFailureCount`.
    pub map_failures: Option<u64>,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::validation(message)
}

impl Request {
    pub fn state_type(&self) -> &str {
        self.state.get("Type").and_then(Value::as_str).unwrap_or_default()
    }

    pub fn resource(&self) -> &str {
        self.state.get("Resource").and_then(Value::as_str).unwrap_or_default()
    }

    /// Activity tasks and the `.sync` / `.waitForTaskToken` patterns: AWS runs them only mocked.
    pub fn waits_for_outside(&self) -> bool {
        let r = self.resource();
        r.ends_with(".sync") || r.contains(".sync:") || r.ends_with(".waitForTaskToken") || r.contains(":activity:")
    }
}

/// The state under test: its name, its definition and the top-level fields it inherits.
type Picked = (String, Map<String, Value>, Map<String, Value>);

fn pick_state(p: &Params) -> Result<Picked, ApiError> {
    let text = p.string("definition")?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| {
        ApiError::new("InvalidDefinition", format!("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {e}'"))
    })?;
    let Value::Object(mut root) = parsed else {
        return Err(ApiError::new(
            "InvalidDefinition",
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the definition is not an object'",
        ));
    };
    match p.opt_string("stateName")? {
        Some(name) => {
            let state = root
                .get("States")
                .and_then(|s| s.get(&name))
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| bad("State not found in definition"))?;
            let mut top = Map::new();
            if let Some(q) = root.remove("QueryLanguage") {
                top.insert("QueryLanguage".into(), q);
            }
            Ok((name, state, top))
        }
        None => Ok((LONE_STATE.into(), root, Map::new())),
    }
}

fn parse_mock(mock: &Map<String, Value>) -> Result<TaskAnswer, ApiError> {
    if mock.contains_key("result") && mock.contains_key("errorOutput") {
        return Err(bad("A test mock should have only one of the following fields: [result, errorOutput]."));
    }
    if let Some(mode) = mock.get("fieldValidationMode") {
        // Accepted, not enforced: statescope has no service API models to check results against.
        if !matches!(mode.as_str(), Some("STRICT" | "PRESENT" | "NONE")) {
            return Err(bad(format!(
                "1 validation error detected: Value '{}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
                mode.as_str().unwrap_or_default()
            )));
        }
    }
    if let Some(result) = mock.get("result") {
        let text = result.as_str().unwrap_or_default();
        let v = serde_json::from_str(text).map_err(|_| bad("Mocked result must be valid JSON"))?;
        return Ok(TaskAnswer::Return(v));
    }
    if let Some(err) = mock.get("errorOutput").and_then(Value::as_object) {
        let text = |k: &str| err.get(k).and_then(Value::as_str).map(str::to_string);
        // The API model says `error` is required with errorOutput; AWS's wording is not recorded.
        let error = text("error").ok_or_else(|| bad("mock.errorOutput.error is required"))?;
        return Ok(TaskAnswer::Throw { error, cause: text("cause") });
    }
    // Not recorded either: an empty mock.
    Err(bad("A test mock should have one of the following fields: [result, errorOutput]."))
}

/// The checks of a mock against the state it stands for.
fn check_mock(req: &Request, mock: &TaskAnswer, reveal_secrets: bool) -> Result<(), ApiError> {
    let kind = req.state_type();
    if !matches!(kind, "Task" | "Map" | "Parallel") {
        return Err(bad(format!("State type '{kind}' is not supported when a mock is specified")));
    }
    if reveal_secrets {
        return Err(bad("TestState does not support RevealSecrets when a mock is specified."));
    }
    let TaskAnswer::Return(result) = mock else { return Ok(()) };
    match kind {
        "Map" if req.state.contains_key("ResultWriter") && !result.is_object() => {
            Err(bad("Mocked result must be a JSON object."))
        }
        "Map" if !req.state.contains_key("ResultWriter") && !result.is_array() => {
            Err(bad("Mocked result must be an array."))
        }
        "Parallel" => {
            let Some(items) = result.as_array() else { return Err(bad("Mocked result must be an array.")) };
            let branches = req.state.get("Branches").and_then(Value::as_array).map_or(0, Vec::len);
            if items.len() != branches {
                return Err(bad("Mocked result must contain the same number of items as number of Parallel branches."));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The fields a mocked context object may have, per part (AWS refuses the rest, and `Map`).
fn check_context(req: &Request, context: &Map<String, Value>) -> Result<(), ApiError> {
    let invalid = |why: String| bad(format!("Invalid Context object provided: {why}"));
    for (key, value) in context {
        let allowed: &[&str] = match key.as_str() {
            "Execution" => &["Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"],
            "State" => &["EnteredTime", "Name", "RetryCount"],
            "StateMachine" => &["Id", "Name"],
            "Task" => &["Token"],
            "Map" => return Err(invalid("'Map' field is not supported when mocking a Context object".into())),
            other => return Err(invalid(format!("Field '{other}' is not allowed"))),
        };
        let Some(part) = value.as_object() else { return Err(invalid(format!("{key} must be a object"))) };
        for (field, v) in part {
            if !allowed.contains(&field.as_str()) {
                return Err(invalid(format!("Field '{field}' is not allowed")));
            }
            let want_string = !matches!(field.as_str(), "Input" | "RetryCount" | "RedriveCount");
            if want_string && !v.is_string() {
                return Err(invalid(format!("{key}.{field} must be a string")));
            }
        }
    }
    let token_task = req.state_type() == "Task" && {
        let r = req.resource();
        r.ends_with(".sync") || r.contains(".sync:") || r.ends_with(".waitForTaskToken")
    };
    if context.contains_key("Task") && !token_task {
        return Err(invalid(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern".into(),
        ));
    }
    Ok(())
}

/// A non-negative integer member of `stateConfiguration`.
fn count(config: &Map<String, Value>, name: &str) -> Result<Option<u64>, ApiError> {
    match config.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            bad(format!(
                "1 validation error detected: Value '{v}' at 'stateConfiguration.{name}' failed to satisfy constraint: Member must have value greater than or equal to 0"
            ))
        }),
    }
}

pub fn parse(p: &Params) -> Result<Request, ApiError> {
    let (name, state, top) = pick_state(p)?;
    let level = p.opt_string("inspectionLevel")?.unwrap_or_else(|| "INFO".into());
    if !matches!(level.as_str(), "INFO" | "DEBUG" | "TRACE") {
        return Err(bad(format!(
            "1 validation error detected: Value '{level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"
        )));
    }
    let (_, input) = p.json_text("input", "InvalidExecutionInput")?;
    let variables = match p.opt_string("variables")? {
        None => None,
        Some(t) => match serde_json::from_str::<Value>(&t) {
            Ok(Value::Object(m)) => Some(m),
            _ => return Err(bad("variables must be a JSON object")),
        },
    };
    let mut req = Request {
        name,
        state,
        top,
        level,
        input,
        variables,
        mock: None,
        context: None,
        role_arn: p.opt_string("roleArn")?,
        retry_count: 0,
        map_failures: None,
    };
    let kind = req.state_type().to_string();
    let mock = p.opt_object("mock")?;
    if mock.is_none() && matches!(kind.as_str(), "Map" | "Parallel") {
        return Err(ApiError::new(
            "InvalidDefinition",
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        ));
    }
    if mock.is_none() && req.waits_for_outside() {
        // AWS runs these only mocked (API reference); its message for a missing mock is not
        // recorded.
        return Err(bad(format!("TestState supports the resource '{}' only when a mock is specified", req.resource())));
    }
    if mock.is_none() && kind == "Task" && req.role_arn.is_none() {
        return Err(bad("RoleArn must be specified when testing a Task state"));
    }
    if let Some(m) = mock {
        let answer = parse_mock(m)?;
        check_mock(&req, &answer, p.opt_bool("revealSecrets")?.unwrap_or(false))?;
        req.mock = Some(answer);
    }
    if let Some(config) = p.opt_object("stateConfiguration")? {
        req.retry_count = count(config, "retrierRetryCount")?.unwrap_or(0);
        req.map_failures = count(config, "mapIterationFailureCount")?;
        if req.map_failures.is_some() {
            match &req.mock {
                None => {
                    return Err(bad(
                        "TestState does not support MapIterationFailureCount when a mock is not specified.",
                    ));
                }
                Some(TaskAnswer::Return(Value::Array(items)))
                    if req.map_failures.is_some_and(|n| n > items.len() as u64) =>
                {
                    return Err(bad(
                        "Map iteration failure count must be less than or equal to the number of Map iterations",
                    ));
                }
                _ => {}
            }
        }
        if config.get("mapItemReaderData").is_some_and(|v| !v.is_null()) {
            return Err(bad(
                "statescope cannot test a Map's ItemReader (it reads from S3, which is not available locally); put the items in the input",
            ));
        }
    }
    if let Some(text) = p.opt_string("context")? {
        if req.mock.is_none() {
            // The API reference: "may only be specified if a mock is specified"; wording not recorded.
            return Err(bad("TestState does not support Context when a mock is not specified."));
        }
        let Ok(Value::Object(context)) = serde_json::from_str::<Value>(&text) else {
            return Err(bad("Invalid Context object provided: the context must be a JSON object"));
        };
        check_context(&req, &context)?;
        req.context = Some(context);
    }
    Ok(req)
}
