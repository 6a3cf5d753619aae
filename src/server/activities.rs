//! Activities and task tokens: CreateActivity & co, GetActivityTask (a long poll of up to 60 s
//! that holds no thread: it awaits a `Notify`), and SendTaskSuccess/Failure/Heartbeat, which
//! hand a worker's or callback's answer to the execution waiting on the token.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::Server;
use super::machines::{internal, now_ms, page};
use super::protocol::{ApiError, Params, check_name, epoch_seconds};
use super::registry::{ActivityRecord, ExecutionCell, Signal};

/// GetActivityTask's long poll, as AWS holds it.
pub const POLL: Duration = Duration::from_secs(60);

pub fn create(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let name = p.string("name")?;
    check_name(&name, "activity")?;
    let arn = format!("arn:aws:states:{}:{}:activity:{name}", server.region, server.account);
    let mut reg = server.registry();
    // Idempotent, as on AWS.
    if let Some(a) = reg.activities.get(&arn) {
        return Ok(json!({"activityArn": arn, "creationDate": epoch_seconds(a.created_ms)}));
    }
    let record = ActivityRecord { arn: arn.clone(), name, created_ms: now_ms() };
    if let Some(store) = &server.store {
        store.put_activity(&record).map_err(internal)?;
    }
    let created = record.created_ms;
    reg.activities.insert(arn.clone(), record);
    Ok(json!({"activityArn": arn, "creationDate": epoch_seconds(created)}))
}

fn find(server: &Server, arn: &str) -> Result<ActivityRecord, ApiError> {
    if !arn.starts_with("arn:aws:states:") || !arn.contains(":activity:") {
        return Err(ApiError::invalid_arn(arn));
    }
    server
        .registry()
        .activities
        .get(arn)
        .cloned()
        .ok_or_else(|| ApiError::new("ActivityDoesNotExist", format!("Activity Does Not Exist: '{arn}'")))
}

pub fn describe(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let a = find(server, &p.string("activityArn")?)?;
    Ok(json!({"activityArn": a.arn, "name": a.name, "creationDate": epoch_seconds(a.created_ms)}))
}

pub fn list(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let items: Vec<Value> = server
        .registry()
        .activities
        .values()
        .map(|a| json!({"activityArn": a.arn, "name": a.name, "creationDate": epoch_seconds(a.created_ms)}))
        .collect();
    page(items, p, "activities")
}

pub fn delete(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let arn = p.string("activityArn")?;
    if !arn.contains(":activity:") {
        return Err(ApiError::invalid_arn(&arn));
    }
    if let Some(store) = &server.store {
        store.delete_activity(&arn).map_err(internal)?;
    }
    server.registry().activities.remove(&arn);
    Ok(json!({}))
}

/// Waits up to [`POLL`] for a task of the activity; `{}` when none came (AWS returns no token).
pub async fn get_task(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    get_task_within(server, p, POLL).await
}

pub async fn get_task_within(server: &Arc<Server>, p: &Params, poll: Duration) -> Result<Value, ApiError> {
    let arn = p.string("activityArn")?;
    let worker = p.opt_string("workerName")?;
    find(server, &arn)?;
    let deadline = tokio::time::Instant::now() + poll;
    loop {
        let notify = {
            let mut reg = server.registry();
            let queue = reg.queue(&arn);
            if let Some(task) = queue.tasks.pop_front() {
                let waiting = reg
                    .tokens
                    .get(&task.token)
                    .and_then(|w| Some((reg.executions.get(&w.execution_arn)?.clone(), w.since.elapsed())));
                drop(reg);
                if let Some((cell, waited)) = waiting {
                    started_by(server, &cell, worker.as_deref(), waited);
                }
                return Ok(json!({"taskToken": task.token, "input": task.input}));
            }
            queue.notify.clone()
        };
        // A task queued between the unlock and this wait leaves a permit: no wake-up is lost.
        if tokio::time::timeout_at(deadline, notify.notified()).await.is_err() {
            return Ok(json!({}));
        }
    }
}

/// A worker took the task: the execution's `ActivityStarted` event is dated when it did (the
/// task waited `waited` since it was scheduled) and names the worker, as AWS's
/// `activityStartedEventDetails.workerName` does. An execution waits on one task at a time
/// (the engine pauses at the first unanswered one), so it is the latest such event.
fn started_by(server: &Server, cell: &ExecutionCell, worker: Option<&str>, waited: Duration) {
    let mut r = cell.lock();
    let Some(i) = r.events.iter().rposition(|e| e["type"] == "ActivityStarted") else { return };
    if let Some(worker) = worker {
        r.events[i]["activityStartedEventDetails"] = json!({"workerName": worker});
    }
    if let Some(at) = r.events[i]["timestamp"].as_f64() {
        let at_ms = (at * 1000.0).round() as i64 + i64::try_from(waited.as_millis()).unwrap_or(0);
        r.events[i]["timestamp"] = epoch_seconds(at_ms);
    }
    if let Some(store) = &server.store {
        if let Err(e) = store.save_execution(&r, i) {
            eprintln!("statescope serve: store: cannot save execution '{}': {e}", r.arn);
        }
    }
}

/// Hands `signal` to the execution waiting on `token`.
fn send(server: &Arc<Server>, token: &str, signal: Signal) -> Result<Value, ApiError> {
    if token.is_empty() || token.len() > 1024 {
        return Err(ApiError::new("InvalidToken", format!("Invalid Token: '{token}'")));
    }
    let reg = server.registry();
    match reg.tokens.get(token) {
        Some(w) => {
            // The runner may have ended a moment ago: then the task is gone.
            w.tx.send(signal).map_err(|_| ApiError::new("TaskDoesNotExist", "Task Does Not Exist"))?;
            Ok(json!({}))
        }
        None => match reg.closed_tokens.get(token) {
            Some(&"TaskTimedOut") => Err(ApiError::new("TaskTimedOut", "Task Timed Out")),
            _ => Err(ApiError::new("TaskDoesNotExist", "Task Does Not Exist")),
        },
    }
}

pub fn send_success(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let token = p.string("taskToken")?;
    let output = p.string("output")?;
    if output.len() > super::protocol::MAX_PAYLOAD_BYTES {
        return Err(ApiError::validation(
            "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144",
        ));
    }
    let value: Value =
        serde_json::from_str(&output).map_err(|e| ApiError::new("InvalidOutput", format!("Invalid Output: '{e}'")))?;
    send(server, &token, Signal::Success(value))
}

pub fn send_failure(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let token = p.string("taskToken")?;
    let error = p.opt_string("error")?;
    let cause = p.opt_string("cause")?;
    send(server, &token, Signal::Failure { error, cause })
}

pub fn send_heartbeat(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let token = p.string("taskToken")?;
    send(server, &token, Signal::Heartbeat)
}
