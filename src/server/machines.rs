//! State machine actions: Create/Describe/List/Update/Delete and ValidateStateMachineDefinition,
//! with statescope's validator behind AWS's error shapes.

use std::sync::Arc;

use serde_json::{Value, json};

use super::Server;
use super::definition_error;
use super::protocol::{ApiError, Params, check_name, epoch_seconds};
use super::registry::MachineRecord;
use crate::asl::check::check;
use crate::asl::definition::StateMachine;
use crate::asl::source::Source;

/// Milliseconds since the epoch, from the real clock (creation dates, execution starts).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Parses and validates a definition; `InvalidDefinition` in AWS's words when it has errors.
pub fn build(definition: &str) -> Result<Arc<StateMachine>, ApiError> {
    let mut checked = check(&Source::new("definition", definition.to_string()));
    if checked.has_errors() {
        return Err(ApiError::new("InvalidDefinition", definition_error::message(definition, &checked.diagnostics)));
    }
    checked.machine.take().ok_or_else(|| ApiError::new("InvalidDefinition", "Invalid State Machine Definition"))
}

fn machine_type(p: &Params) -> Result<String, ApiError> {
    match p.opt_string("type")?.as_deref() {
        None | Some("STANDARD") => Ok("STANDARD".into()),
        Some("EXPRESS") => Ok("EXPRESS".into()),
        Some(other) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{other}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]"
        ))),
    }
}

pub fn create(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let name = p.string("name")?;
    check_name(&name, "state machine")?;
    let definition = p.string("definition")?;
    let role_arn = p.string("roleArn")?;
    let kind = machine_type(p)?;
    let machine = build(&definition)?;
    let arn = format!("arn:aws:states:{}:{}:stateMachine:{name}", server.region, server.account);
    let mut reg = server.registry();
    if let Some(existing) = reg.machines.get(&arn) {
        // CreateStateMachine is idempotent for an identical request.
        if existing.definition == definition && existing.role_arn == role_arn && existing.kind == kind {
            return Ok(json!({"stateMachineArn": arn, "creationDate": epoch_seconds(existing.created_ms)}));
        }
        return Err(ApiError::new("StateMachineAlreadyExists", format!("State Machine Already Exists: '{arn}'")));
    }
    let record = MachineRecord { arn: arn.clone(), name, definition, machine, role_arn, kind, created_ms: now_ms() };
    if let Some(store) = &server.store {
        store.put_machine(&record).map_err(internal)?;
    }
    let created = record.created_ms;
    reg.machines.insert(arn.clone(), record);
    Ok(json!({"stateMachineArn": arn, "creationDate": epoch_seconds(created)}))
}

/// A registered machine by ARN.
pub fn find(server: &Server, arn: &str) -> Result<MachineRecord, ApiError> {
    if !arn.starts_with("arn:aws:states:") || !arn.contains(":stateMachine:") {
        return Err(ApiError::invalid_arn(arn));
    }
    server
        .registry()
        .machines
        .get(arn)
        .cloned()
        .ok_or_else(|| ApiError::new("StateMachineDoesNotExist", format!("State Machine Does Not Exist: '{arn}'")))
}

pub fn describe_json(m: &MachineRecord) -> Value {
    json!({
        "stateMachineArn": m.arn,
        "name": m.name,
        "status": "ACTIVE",
        "definition": m.definition,
        "roleArn": m.role_arn,
        "type": m.kind,
        "creationDate": epoch_seconds(m.created_ms),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
        "tracingConfiguration": {"enabled": false},
    })
}

pub fn describe(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    Ok(describe_json(&find(server, &p.string("stateMachineArn")?)?))
}

pub fn list(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let items: Vec<Value> = server
        .registry()
        .machines
        .values()
        .map(|m| json!({"stateMachineArn": m.arn, "name": m.name, "type": m.kind, "creationDate": epoch_seconds(m.created_ms)}))
        .collect();
    page(items, p, "stateMachines")
}

pub fn update(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let arn = p.string("stateMachineArn")?;
    let mut record = find(server, &arn)?;
    let definition = p.opt_string("definition")?;
    let role_arn = p.opt_string("roleArn")?;
    if definition.is_none() && role_arn.is_none() {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition or the roleArn must be specified",
        ));
    }
    if let Some(d) = definition {
        record.machine = build(&d)?;
        record.definition = d;
    }
    if let Some(r) = role_arn {
        record.role_arn = r;
    }
    if let Some(store) = &server.store {
        store.put_machine(&record).map_err(internal)?;
    }
    server.registry().machines.insert(arn, record);
    Ok(json!({"updateDate": epoch_seconds(now_ms())}))
}

pub fn delete(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let arn = p.string("stateMachineArn")?;
    if !arn.contains(":stateMachine:") {
        return Err(ApiError::invalid_arn(&arn));
    }
    if let Some(store) = &server.store {
        store.delete_machine(&arn).map_err(internal)?;
    }
    // Deleting an absent machine succeeds, as it does on AWS.
    server.registry().machines.remove(&arn);
    Ok(json!({}))
}

/// ValidateStateMachineDefinition: `OK`, or `FAIL` with AWS-coded diagnostics (warnings too).
pub fn validate(p: &Params) -> Result<Value, ApiError> {
    let definition = p.string("definition")?;
    let max = p.max_results()?;
    let checked = check(&Source::new("definition", definition.clone()));
    let tree: Option<Value> = serde_json::from_str(&definition).ok();
    let diagnostics: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let text = definition_error::aws_wording(d, tree.as_ref());
            let (code, message) = text.split_once(": ").unwrap_or(("SCHEMA_VALIDATION_FAILED", &text));
            let message = message.strip_suffix(&format!(" at {}", d.pointer)).unwrap_or(message);
            json!({
                "severity": if d.is_error() { "ERROR" } else { "WARNING" },
                "code": code,
                "message": message,
                "location": d.pointer,
            })
        })
        .collect();
    let truncated = diagnostics.len() > max;
    Ok(json!({
        "result": if checked.has_errors() { "FAIL" } else { "OK" },
        "diagnostics": diagnostics.into_iter().take(max).collect::<Vec<_>>(),
        "truncated": truncated,
    }))
}

/// One page of a list: `nextToken` is the offset of the next item (opaque to clients).
pub fn page(items: Vec<Value>, p: &Params, key: &str) -> Result<Value, ApiError> {
    let max = p.max_results()?;
    let start = match p.opt_string("nextToken")? {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|&n| n <= items.len())
            .ok_or_else(|| ApiError::new("InvalidToken", format!("Invalid Token: '{t}'")))?,
    };
    let end = (start + max).min(items.len());
    let mut out = json!({ key: items[start..end].to_vec() });
    if end < items.len() {
        out["nextToken"] = json!(end.to_string());
    }
    Ok(out)
}

/// A store failure: the request fails, the server keeps running.
pub fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError { kind: "InternalFailure", message: format!("store: {e}"), status: 500 }
}
