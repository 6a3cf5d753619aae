//! AWS JSON 1.0 as the SDKs speak it: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`
//! and a JSON object body; errors as HTTP 400 `{"__type": …, "message": …}` with the exception
//! names of the Step Functions API reference. Plain data and functions, no I/O, so the rules
//! are unit-tested without a socket.

use serde_json::{Map, Value, json};

/// The service name in `X-Amz-Target` (the API model's `targetPrefix`).
pub const TARGET_PREFIX: &str = "AWSStepFunctions.";

/// AWS's quota on a request's payload (256 KiB of input, plus room for the rest of the request
/// body); larger bodies are refused before parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// AWS's quota on an execution's input and output: 256 KiB of UTF-8 JSON.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// An error the way the API returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The exception's shape name (`StateMachineDoesNotExist`, `ValidationException`, …).
    pub kind: &'static str,
    pub message: String,
    /// HTTP status: 400 for client errors, as AWS sends every modelled exception.
    pub status: u16,
}

impl ApiError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { kind, message: message.into(), status: 400 }
    }

    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new("ValidationException", message)
    }

    pub fn invalid_arn(arn: &str) -> ApiError {
        ApiError::new("InvalidArn", format!("Invalid Arn: 'Resource type not valid in this context: {arn}'"))
    }

    /// The body AWS sends: `{"__type": "<Kind>", "message": "…"}`.
    pub fn body(&self) -> Value {
        json!({"__type": self.kind, "message": self.message})
    }
}

/// The action named by an `X-Amz-Target` header value.
pub fn action(target: Option<&str>) -> Result<&str, ApiError> {
    let Some(target) = target else {
        return Err(ApiError::new("UnknownOperationException", "Missing X-Amz-Target header"));
    };
    match target.strip_prefix(TARGET_PREFIX) {
        Some(action) if !action.is_empty() => Ok(action),
        _ => Err(ApiError::new("UnknownOperationException", format!("Unknown operation: '{target}'"))),
    }
}

/// Parses a request body: a JSON object (an empty body counts as `{}`, as AWS accepts).
pub fn parse_body(bytes: &[u8]) -> Result<Params, ApiError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params(Map::new()));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(Params(map)),
        Ok(_) => Err(ApiError::new("SerializationException", "Start of structure or map found where not expected.")),
        Err(e) => Err(ApiError::new("SerializationException", format!("Malformed JSON request body: {e}"))),
    }
}

/// The error for a body over [`MAX_BODY_BYTES`] (AWS's "request entity too large").
pub fn too_large() -> ApiError {
    ApiError { kind: "RequestEntityTooLargeException", message: "Request entity too large".into(), status: 413 }
}

/// A request's parameters, read with AWS's type checks.
#[derive(Clone, Debug, Default)]
pub struct Params(pub Map<String, Value>);

impl Params {
    /// A required string member.
    pub fn string(&self, name: &str) -> Result<String, ApiError> {
        self.opt_string(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(wrong_type(name, "string", other)),
        }
    }

    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| wrong_type(name, "integer", &json!(n))),
            Some(other) => Err(wrong_type(name, "integer", other)),
        }
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(name, "boolean", other)),
        }
    }

    pub fn opt_object(&self, name: &str) -> Result<Option<&Map<String, Value>>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(wrong_type(name, "structure", other)),
        }
    }

    /// `maxResults`: 0 (or absent) means the default page of 100; at most 1000 (AWS's range).
    pub fn max_results(&self) -> Result<usize, ApiError> {
        match self.opt_i64("maxResults")? {
            None | Some(0) => Ok(100),
            Some(n @ 1..=1000) => Ok(n as usize),
            Some(n) => Err(ApiError::validation(format!(
                "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"
            ))),
        }
    }

    /// A JSON payload member (`input`, `output`): text that must parse as JSON; absent is `{}`.
    pub fn json_text(&self, name: &str, error: &'static str) -> Result<(String, Value), ApiError> {
        let text = self.opt_string(name)?.unwrap_or_else(|| "{}".into());
        if text.len() > MAX_PAYLOAD_BYTES {
            return Err(ApiError::validation(format!(
                "1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must have length less than or equal to 262144"
            )));
        }
        match serde_json::from_str(&text) {
            Ok(v) => Ok((text, v)),
            Err(e) => Err(ApiError::new(error, format!("Invalid {name}: {e}"))),
        }
    }
}

fn missing(name: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"
    ))
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> ApiError {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "structure",
    };
    ApiError::new("SerializationException", format!("Expected {expected} for '{name}', got {got}"))
}

/// A timestamp as the JSON protocols send it: seconds since the epoch, with milliseconds.
pub fn epoch_seconds(ms: i64) -> Value {
    let (secs, millis) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    if millis == 0 {
        return json!(secs);
    }
    // Exact decimal text (`ms as f64 / 1000.0` can print 1767225600.1229999), as the history
    // export writes it.
    let text = format!("{secs}.{millis:03}");
    serde_json::from_str(text.trim_end_matches('0')).unwrap_or(json!(secs))
}

/// AWS's resource name rule (state machines, activities, executions): 1-80 characters, none
/// of whitespace, brackets, wildcards, quotes or control characters.
pub fn check_name(name: &str, what: &str) -> Result<(), ApiError> {
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
    };
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(bad) {
        return Err(ApiError::new("InvalidName", format!("Invalid Name: '{name}' is not a valid {what} name")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_header_names_the_action() {
        assert_eq!(action(Some("AWSStepFunctions.StartExecution")), Ok("StartExecution"));
        assert_eq!(action(Some("DynamoDB_20120810.GetItem")).map_err(|e| e.kind), Err("UnknownOperationException"));
        assert_eq!(action(None).map_err(|e| e.kind), Err("UnknownOperationException"));
        assert_eq!(action(Some("AWSStepFunctions.")).map_err(|e| e.kind), Err("UnknownOperationException"));
    }

    #[test]
    fn bodies_must_be_json_objects_and_small() {
        assert!(parse_body(b"").is_ok(), "an empty body is {{}}");
        assert_eq!(parse_body(b"{\"a\":").map_err(|e| e.kind).err(), Some("SerializationException"));
        assert_eq!(parse_body(b"[1]").map_err(|e| e.kind).err(), Some("SerializationException"));
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        let e = parse_body(&big).expect_err("refused");
        assert_eq!((e.kind, e.status), ("RequestEntityTooLargeException", 413));
    }

    #[test]
    fn members_are_type_checked() {
        let p = parse_body(br#"{"name": 3, "maxResults": "x", "input": "{bad", "ok": "yes", "big": 5000}"#)
            .expect("object");
        assert_eq!(p.string("name").map_err(|e| e.kind), Err("SerializationException"));
        assert_eq!(p.string("absent").map_err(|e| e.kind), Err("ValidationException"));
        assert_eq!(p.max_results().map_err(|e| e.kind), Err("SerializationException"));
        assert_eq!(p.json_text("input", "InvalidExecutionInput").map_err(|e| e.kind), Err("InvalidExecutionInput"));
        assert_eq!(p.string("ok").as_deref(), Ok("yes"));
        let page = parse_body(br#"{"maxResults": 5000}"#).expect("object");
        assert!(page.max_results().is_err(), "over 1000");
        assert_eq!(Params::default().max_results(), Ok(100));
    }

    #[test]
    fn errors_have_the_aws_body() {
        let e = ApiError::new("ExecutionDoesNotExist", "Execution Does Not Exist: 'x'");
        assert_eq!(e.body(), json!({"__type": "ExecutionDoesNotExist", "message": "Execution Does Not Exist: 'x'"}));
    }

    #[test]
    fn timestamps_are_exact_epoch_seconds() {
        assert_eq!(epoch_seconds(1_767_225_600_123).to_string(), "1767225600.123");
        assert_eq!(epoch_seconds(1_767_225_600_000).to_string(), "1767225600");
        assert_eq!(epoch_seconds(1_500).to_string(), "1.5");
    }

    #[test]
    fn names_follow_the_aws_rule() {
        assert!(check_name("order-processing_1", "state machine").is_ok());
        for bad in ["", "has space", "a#b", "a/b", &"x".repeat(81)] {
            assert_eq!(check_name(bad, "state machine").map_err(|e| e.kind), Err("InvalidName"), "{bad}");
        }
    }
}
