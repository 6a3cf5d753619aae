//! Execution actions: Start (async and, for Express machines, sync), Describe, List,
//! DescribeStateMachineForExecution, GetExecutionHistory and Stop.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use super::Server;
use super::machines::{self, internal, now_ms};
use super::protocol::{ApiError, Params, check_name, epoch_seconds};
use super::registry::{ExecRecord, ExecutionCell};
use super::runner;
use crate::asl::world::{SeededEntropy, uuid_v4};

/// A fresh seed per execution: its `States.UUID`s, `States.MathRandom`s and task tokens.
fn fresh_seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Starts an execution and returns its cell (running in its own task).
fn launch(server: &Arc<Server>, p: &Params, sync: bool) -> Result<Arc<ExecutionCell>, ApiError> {
    let requested = p.string("stateMachineArn")?;
    // Step Functions Local's convention: `…:stateMachine:NAME#TestCase` picks a mock test case.
    let (machine_arn, test_case) = match requested.split_once('#') {
        Some((arn, case)) => (arn.to_string(), Some(case.to_string())),
        None => (requested.clone(), None),
    };
    let machine = machines::find(server, &machine_arn)?;
    let express = machine.kind == "EXPRESS";
    if sync && !express {
        return Err(ApiError::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        ));
    }
    let mocks = runner::mock_source(server, &machine.name, test_case.as_deref())?;
    let (input_text, _) = p.json_text("input", "InvalidExecutionInput")?;
    let seed = fresh_seed();
    let name = match p.opt_string("name")? {
        Some(n) => {
            check_name(&n, "execution")?;
            n
        }
        None => uuid_v4(&mut SeededEntropy::new(seed ^ 0x5EED)),
    };
    let mut record = ExecRecord {
        name,
        machine_arn: machine.arn.clone(),
        machine_name: machine.name.clone(),
        definition: machine.definition.clone(),
        role_arn: machine.role_arn.clone(),
        express,
        test_case,
        input: input_text,
        seed,
        start_ms: now_ms(),
        status: "RUNNING".into(),
        ..ExecRecord::default()
    };
    // The engine's own id (`$$.Execution.Id`): `…:execution:MACHINE:NAME`, or for Express
    // `…:express:MACHINE:NAME:UUID` with the UUID drawn from the seed.
    let arn = runner::config(&record, server).execution_arn();
    record.arn = arn.clone();
    let cell = ExecutionCell::new(record.clone());
    {
        let mut reg = server.registry();
        if let Some(existing) = reg.executions.get(&arn) {
            // Idempotent for a Standard execution still running with the same input (AWS's rule).
            let same = {
                let r = existing.lock();
                r.status == "RUNNING" && r.input == record.input && !express
            };
            if same {
                return Ok(existing.clone());
            }
            return Err(ApiError::new("ExecutionAlreadyExists", format!("Execution Already Exists: '{arn}'")));
        }
        if let Some(store) = &server.store {
            // Names stay taken after the registry forgot the execution (AWS: for 90 days).
            if !express && store.load_execution(&arn).map_err(|e| ApiError::new("InternalFailure", e))?.is_some() {
                return Err(ApiError::new("ExecutionAlreadyExists", format!("Execution Already Exists: '{arn}'")));
            }
            store.save_execution(&record, 0).map_err(internal)?;
        }
        reg.executions.insert(arn.clone(), cell.clone());
        reg.order.push(arn);
    }
    runner::spawn(server.clone(), cell.clone(), machine.machine.clone(), mocks);
    Ok(cell)
}

pub fn start(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = launch(server, p, false)?;
    let r = cell.lock();
    Ok(json!({"executionArn": r.arn, "startDate": epoch_seconds(r.start_ms)}))
}

/// StartSyncExecution: runs an Express machine to its end and returns the outcome.
pub async fn start_sync(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = launch(server, p, true)?;
    let mut done = cell.done.subscribe();
    // The sender lives in the cell, so this only ends when the execution does.
    let _ = done.wait_for(|d| *d).await;
    let r = cell.lock();
    let mut out = json!({
        "executionArn": r.arn,
        "stateMachineArn": r.machine_arn,
        "name": r.name,
        "startDate": epoch_seconds(r.start_ms),
        "stopDate": epoch_seconds(r.stop_ms.unwrap_or(r.start_ms)),
        "status": r.status,
        "input": r.input,
        "inputDetails": {"included": true},
        "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100},
    });
    outcome_fields(&r, &mut out);
    Ok(out)
}

fn outcome_fields(r: &ExecRecord, out: &mut Value) {
    if let Some(o) = &r.output {
        out["output"] = json!(o);
        out["outputDetails"] = json!({"included": true});
    }
    if let Some(e) = &r.error {
        out["error"] = json!(e);
    }
    if let Some(c) = &r.cause {
        out["cause"] = json!(c);
    }
}

/// The cell of an execution ARN. AWS keeps no record of Express executions (their history
/// goes to CloudWatch Logs): DescribeExecution, GetExecutionHistory and StopExecution refuse
/// an `…:express:…` ARN with InvalidArn naming the resource type, as recorded in LocalStack's
/// AWS-validated `test_sfn_api_express::test_start_async_describe_history_execution`.
fn find(server: &Server, arn: &str) -> Result<Arc<ExecutionCell>, ApiError> {
    if arn.starts_with("arn:aws:states:") && arn.split(':').nth(5) == Some("express") {
        return Err(ApiError::new("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'"));
    }
    if !arn.starts_with("arn:aws:states:") || !arn.contains(":execution:") {
        return Err(ApiError::invalid_arn(arn));
    }
    if let Some(cell) = server.registry().executions.get(arn).cloned() {
        return Ok(cell);
    }
    // A finished execution the registry let go of (`--max-executions`) is still in the store.
    if let Some(store) = &server.store {
        if let Some(r) = store.load_execution(arn).map_err(|e| ApiError::new("InternalFailure", e))? {
            let cell = ExecutionCell::new(r);
            cell.done.send_replace(true);
            return Ok(cell);
        }
    }
    Err(ApiError::new("ExecutionDoesNotExist", format!("Execution Does Not Exist: '{arn}'")))
}

pub fn describe(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = find(server, &p.string("executionArn")?)?;
    let r = cell.lock();
    let mut out = json!({
        "executionArn": r.arn,
        "stateMachineArn": r.machine_arn,
        "name": r.name,
        "status": r.status,
        "startDate": epoch_seconds(r.start_ms),
        "input": r.input,
        "inputDetails": {"included": true},
        "redriveCount": 0,
        "redriveStatus": "NOT_REDRIVABLE",
    });
    if let Some(s) = r.stop_ms {
        out["stopDate"] = epoch_seconds(s);
    }
    outcome_fields(&r, &mut out);
    Ok(out)
}

pub fn list(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let machine = p.opt_string("stateMachineArn")?;
    if let Some(m) = &machine {
        // As recorded with the InvalidArn answers above.
        if machines::find(server, m)?.kind == "EXPRESS" {
            return Err(ApiError::new(
                "StateMachineTypeNotSupported",
                "This operation is not supported by this type of state machine",
            ));
        }
    }
    let filter = p.opt_string("statusFilter")?;
    let cells: Vec<Arc<ExecutionCell>> = {
        let reg = server.registry();
        reg.order.iter().rev().filter_map(|a| reg.executions.get(a).cloned()).collect()
    };
    let items: Vec<Value> = cells
        .iter()
        .filter_map(|c| {
            let r = c.lock();
            let wanted = machine.as_ref().is_none_or(|m| *m == r.machine_arn)
                && filter.as_ref().is_none_or(|f| *f == r.status)
                && !r.express;
            wanted.then(|| {
                let mut o = json!({
                    "executionArn": r.arn,
                    "stateMachineArn": r.machine_arn,
                    "name": r.name,
                    "status": r.status,
                    "startDate": epoch_seconds(r.start_ms),
                });
                if let Some(s) = r.stop_ms {
                    o["stopDate"] = epoch_seconds(s);
                }
                o
            })
        })
        .collect();
    machines::page(items, p, "executions")
}

pub fn describe_machine(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = find(server, &p.string("executionArn")?)?;
    let r = cell.lock();
    Ok(json!({
        "stateMachineArn": r.machine_arn,
        "name": r.machine_name,
        "definition": r.definition,
        "roleArn": r.role_arn,
        "updateDate": epoch_seconds(r.start_ms),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
        "tracingConfiguration": {"enabled": false},
    }))
}

/// GetExecutionHistory, paginated; `includeExecutionData: false` drops payloads as AWS does.
pub fn history(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = find(server, &p.string("executionArn")?)?;
    let reverse = p.opt_bool("reverseOrder")?.unwrap_or(false);
    let include_data = p.opt_bool("includeExecutionData")?.unwrap_or(true);
    let mut events = cell.lock().events.clone();
    if reverse {
        events.reverse();
    }
    if !include_data {
        for e in &mut events {
            strip_payloads(e);
        }
    }
    machines::page(events, p, "events")
}

fn strip_payloads(event: &mut Value) {
    if let Some(obj) = event.as_object_mut() {
        for (k, v) in obj.iter_mut() {
            if k.ends_with("EventDetails") {
                if let Some(d) = v.as_object_mut() {
                    d.retain(|k, _| !matches!(k.as_str(), "input" | "output" | "parameters"));
                }
            }
        }
    }
}

pub fn stop(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let cell = find(server, &p.string("executionArn")?)?;
    let error = p.opt_string("error")?;
    let cause = p.opt_string("cause")?;
    {
        let mut r = cell.lock();
        if r.status != "RUNNING" {
            return Ok(json!({"stopDate": epoch_seconds(r.stop_ms.unwrap_or_else(now_ms))}));
        }
        // The runner records the abort with these when it sees the request.
        r.error = error;
        r.cause = cause;
    }
    cell.request_stop();
    Ok(json!({"stopDate": epoch_seconds(now_ms())}))
}
