//! Runs one execution in a tokio task: steps the engine state by state, publishes each new
//! history event (record, log line, store), and when a Task has no answer waits for its
//! worker (activities), its callback (`.waitForTaskToken`), a timeout, a heartbeat timeout or
//! StopExecution. Tasks nobody can answer fail the execution with a message saying how to
//! mock them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::history_json::{event_json, server_event};
use super::machines::now_ms;
use super::protocol::ApiError;
use super::registry::{ActivityTask, Answer, ExecRecord, ExecutionCell, Signal, Waiter};
use super::{Clock, Server};
use crate::asl::definition::StateMachine;
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::mock::MockSource;
use crate::asl::workflow::WorkflowType;

/// The task source for a test case of the mock config (nothing without one).
pub fn mock_source(server: &Server, machine: &str, test_case: Option<&str>) -> Result<Arc<dyn TaskSource>, ApiError> {
    let Some(case) = test_case else { return Ok(Arc::new(NoTasks)) };
    let Some(config) = &server.mocks else {
        return Err(ApiError::validation(format!(
            "test case '{case}' was asked for, but the server has no mock config (--mock-config or SFN_MOCK_CONFIG)"
        )));
    };
    MockSource::new(config, Some(machine), case)
        .map(|s| Arc::new(s) as Arc<dyn TaskSource>)
        .map_err(|e| ApiError::validation(e.to_string()))
}

/// Keeps every answer a source gives, so a restarted server replays the execution exactly
/// (a handler's answer cannot be asked for again).
struct Recorder {
    inner: Arc<dyn TaskSource>,
    seen: Mutex<Vec<Answer>>,
}

impl TaskSource for Recorder {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer> {
        let answer = self.inner.answer(request)?;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.push(Answer {
            state: request.state.clone(),
            invocation: request.invocation,
            answer: answer.clone(),
            elapsed_ms: None,
        });
        Some(answer)
    }
}

impl Recorder {
    fn drain(&self) -> Vec<Answer> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

pub fn spawn(server: Arc<Server>, cell: Arc<ExecutionCell>, machine: Arc<StateMachine>, mocks: Arc<dyn TaskSource>) {
    tokio::spawn(drive(server, cell, machine, mocks));
}

/// The engine's configuration for a record: same record ⇒ same run.
/// The engine's config for an execution: the machine's workflow type decides the
/// `$$.Execution.Id` shape and the limits (Express: five minutes), and the ARN the API
/// reports is this config's `execution_arn()`, so both agree.
pub fn config(r: &ExecRecord, server: &Server) -> ExecutionConfig {
    let workflow = if r.express { WorkflowType::Express } else { WorkflowType::Standard };
    ExecutionConfig {
        state_machine_name: r.machine_name.clone(),
        execution_name: r.name.clone(),
        region: server.region.clone(),
        account: server.account.clone(),
        role_arn: r.role_arn.clone(),
        start_ms: r.start_ms,
        seed: r.seed,
        ..ExecutionConfig::default()
    }
    .for_workflow(workflow)
}

enum Waited {
    /// The answer, and how long the worker or callback took (real time) if one gave it.
    Answer(TaskAnswer, Option<i64>),
    Stopped,
}

async fn drive(server: Arc<Server>, cell: Arc<ExecutionCell>, machine: Arc<StateMachine>, mocks: Arc<dyn TaskSource>) {
    let (config, input, recorded, mut published) = {
        let r = cell.lock();
        let mut answers = RecordedAnswers::default();
        for a in &r.answers {
            match a.elapsed_ms {
                Some(ms) => answers.record_after(&a.state, a.invocation, a.answer.clone(), ms),
                None => answers.record(&a.state, a.invocation, a.answer.clone()),
            }
        }
        (config(&r, &server), serde_json::from_str(&r.input).unwrap_or(Value::Null), answers, r.events.len())
    };
    let recorder = Arc::new(Recorder { inner: server.handlers.with(mocks), seen: Mutex::new(Vec::new()) });
    let blocking = !server.handlers.handlers.is_empty();
    let mut exec = Execution::with_tasks(machine, input, config, recorder.clone(), recorded);
    // Real time already spent waiting for a worker, which the clock advances by.
    let mut credit_ms: i64 = 0;
    loop {
        if cell.stop_requested() {
            abort(&server, &cell, &exec, &mut published);
            break;
        }
        let before = exec.now_ms();
        let status = if blocking {
            // A handler runs a process: keep the runtime's other tasks moving meanwhile.
            tokio::task::block_in_place(|| exec.step_state().clone())
        } else {
            exec.step_state().clone()
        };
        if server.clock == Clock::Real {
            // Time a worker already took in real time is not slept again.
            let advanced = (exec.now_ms() - before).max(0);
            let spent = credit_ms.min(advanced);
            credit_ms -= spent;
            if advanced > spent {
                tokio::time::sleep(Duration::from_millis((advanced - spent) as u64)).await;
            }
        }
        publish(&server, &cell, &exec, &mut published, recorder.drain(), None);
        match status {
            Status::Running => tokio::task::yield_now().await,
            Status::AwaitingTask(request) => match wait_for(&server, &cell, &exec, &request).await {
                Waited::Answer(answer, elapsed_ms) => {
                    let given = Answer {
                        state: request.state.clone(),
                        invocation: request.invocation,
                        answer: answer.clone(),
                        elapsed_ms,
                    };
                    cell.lock().answers.push(given);
                    credit_ms += elapsed_ms.unwrap_or(0);
                    let give = |exec: &mut Execution| match elapsed_ms {
                        Some(ms) => exec.answer_after(answer, ms),
                        None => exec.answer(answer),
                    };
                    if blocking {
                        tokio::task::block_in_place(|| give(&mut exec));
                    } else {
                        give(&mut exec);
                    }
                }
                Waited::Stopped => {
                    abort(&server, &cell, &exec, &mut published);
                    break;
                }
            },
            Status::Succeeded(_) | Status::Failed { .. } | Status::TimedOut => {
                publish(&server, &cell, &exec, &mut published, Vec::new(), Some(finish(exec.status())));
                break;
            }
            Status::Stopped(why) => {
                // The engine cannot go on: the execution fails as AWS fails a runtime error.
                let cause = format!("statescope cannot execute this: {why}");
                let event = server_event(
                    published as u32 + 1,
                    exec.now_ms(),
                    "ExecutionFailed",
                    json!({"error": "States.Runtime", "cause": cause}),
                );
                let end =
                    Ending { status: "FAILED", output: None, error: Some("States.Runtime".into()), cause: Some(cause) };
                append(&server, &cell, vec![event], &mut published, end, exec.now_ms());
                break;
            }
        }
    }
    cell.done.send_replace(true);
    let (arn, express) = {
        let r = cell.lock();
        (r.arn.clone(), r.express)
    };
    server.registry().retire(&arn, express, server.max_finished);
}

/// How an execution ended.
struct Ending {
    status: &'static str,
    output: Option<String>,
    error: Option<String>,
    cause: Option<String>,
}

fn finish(status: &Status) -> Ending {
    match status {
        Status::Succeeded(v) => Ending { status: "SUCCEEDED", output: Some(v.to_string()), error: None, cause: None },
        Status::Failed { error, cause } => {
            Ending { status: "FAILED", output: None, error: error.clone(), cause: cause.clone() }
        }
        // AWS's ExecutionTimedOut carries no error or cause (see `Status::TimedOut`).
        Status::TimedOut => Ending { status: "TIMED_OUT", output: None, error: None, cause: None },
        _ => Ending { status: "FAILED", output: None, error: None, cause: None },
    }
}

/// Publishes the engine's events not yet published (and the ending, if any).
fn publish(
    server: &Server,
    cell: &ExecutionCell,
    exec: &Execution,
    published: &mut usize,
    answers: Vec<Answer>,
    ending: Option<Ending>,
) {
    let events: Vec<Value> = exec.history().events().iter().skip(*published).map(event_json).collect();
    if !answers.is_empty() {
        let mut r = cell.lock();
        for a in answers {
            if !r.answers.iter().any(|b| b.state == a.state && b.invocation == a.invocation) {
                r.answers.push(a);
            }
        }
    }
    if events.is_empty() && ending.is_none() {
        return;
    }
    match ending {
        Some(end) => append(server, cell, events, published, end, exec.now_ms()),
        None => {
            let from = *published;
            *published += events.len();
            let mut r = cell.lock();
            log_events(server, &r.name, &events);
            r.events.extend(events);
            persist(server, &r, from);
        }
    }
}

/// Appends the final events and the outcome.
fn append(server: &Server, cell: &ExecutionCell, events: Vec<Value>, published: &mut usize, end: Ending, at_ms: i64) {
    let from = *published;
    *published += events.len();
    let mut r = cell.lock();
    log_events(server, &r.name, &events);
    r.events.extend(events);
    r.status = end.status.to_string();
    r.output = end.output;
    r.error = end.error;
    r.cause = end.cause;
    r.stop_ms = Some(at_ms);
    persist(server, &r, from);
}

fn persist(server: &Server, r: &ExecRecord, from: usize) {
    if let Some(store) = &server.store {
        if let Err(e) = store.save_execution(r, from) {
            eprintln!("statescope serve: store: cannot save execution '{}': {e}", r.arn);
        }
    }
}

fn log_events(server: &Server, name: &str, events: &[Value]) {
    for e in events {
        server.log.event(name, e);
    }
}

/// StopExecution: `ExecutionAborted` with the request's error and cause.
fn abort(server: &Server, cell: &ExecutionCell, exec: &Execution, published: &mut usize) {
    publish(server, cell, exec, published, Vec::new(), None);
    let (error, cause) = {
        let r = cell.lock();
        (r.error.clone(), r.cause.clone())
    };
    let mut details = serde_json::Map::new();
    if let Some(e) = &error {
        details.insert("error".into(), json!(e));
    }
    if let Some(c) = &cause {
        details.insert("cause".into(), json!(c));
    }
    let at = exec.now_ms().max(now_ms());
    let event = server_event(*published as u32 + 1, at, "ExecutionAborted", Value::Object(details));
    append(server, cell, vec![event], published, Ending { status: "ABORTED", output: None, error, cause }, at);
}

/// `arn:aws:states:REGION:ACCOUNT:activity:NAME` → the activity ARN.
fn activity_arn(resource: &str) -> Option<&str> {
    let rest = resource.strip_prefix("arn:aws:states:")?;
    let parts: Vec<&str> = rest.splitn(4, ':').collect();
    (parts.len() == 4 && parts[2] == "activity" && !parts[3].is_empty()).then_some(resource)
}

/// A stable token for an activity task: the same execution, state and invocation give the
/// same token after a restart, so a worker's late answer still finds its task.
fn activity_token(execution_arn: &str, request: &TaskRequest) -> String {
    let digest = Sha256::digest(format!("{execution_arn}\n{}\n{}", request.state, request.invocation).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// TimeoutSeconds and HeartbeatSeconds of the task being waited for, as its scheduled event
/// resolved them.
fn limits(exec: &Execution) -> (Option<u64>, Option<u64>) {
    let scheduled = exec.history().events().iter().rev().find(|e| e.type_name().ends_with("Scheduled"));
    let details = scheduled.map(|e| e.details()).unwrap_or(Value::Null);
    (details["timeoutInSeconds"].as_u64(), details["heartbeatInSeconds"].as_u64())
}

async fn wait_for(server: &Server, cell: &ExecutionCell, exec: &Execution, request: &TaskRequest) -> Waited {
    let (exec_arn, name) = {
        let r = cell.lock();
        (r.arn.clone(), r.name.clone())
    };
    let activity = activity_arn(&request.resource);
    let token = match (&request.token, activity) {
        (Some(t), _) => t.clone(),
        (None, Some(_)) => activity_token(&exec_arn, request),
        (None, None) => {
            let cause = format!(
                "Task '{}' (resource {}) has no result: no mock or handler answers it. Mock it in a test case of the mock config (--mock-config, and start the execution as '…:stateMachine:NAME#TestCase'), or run a command for it with --handler '{}=COMMAND'",
                request.state, request.resource, request.resource
            );
            return Waited::Answer(TaskAnswer::Throw { error: "States.Runtime".into(), cause: Some(cause) }, None);
        }
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    {
        let mut reg = server.registry();
        reg.tokens
            .insert(token.clone(), Waiter { execution_arn: exec_arn.clone(), tx, since: std::time::Instant::now() });
        if let Some(arn) = activity {
            let q = reg.queue(arn);
            q.tasks.push_back(ActivityTask { token: token.clone(), input: request.input.to_string() });
            q.notify.notify_one();
        }
    }
    let who = if activity.is_some() { "an activity worker" } else { "a callback (SendTaskSuccess/Failure)" };
    server.log.note(&name, &format!("'{}' waits for {who}", request.state));
    let (timeout, heartbeat) = limits(exec);
    let secs = |s: u64| Duration::from_secs(s);
    let timeout_at = timeout.map(|s| Instant::now() + secs(s));
    let mut heartbeat_at = heartbeat.map(|s| Instant::now() + secs(s));
    let far = || Instant::now() + Duration::from_secs(10 * 365 * 86_400);
    let began = Instant::now();
    // The execution's clock moves on by the real wait (both clocks): a worker's answer after
    // 3 s is dated 3 s after the task started, as on AWS.
    let took = || Some(i64::try_from(began.elapsed().as_millis()).unwrap_or(i64::MAX));
    let (outcome, closed) = loop {
        tokio::select! {
            signal = rx.recv() => match signal {
                Some(Signal::Success(v)) => break (Waited::Answer(TaskAnswer::Return(v), took()), None),
                Some(Signal::Failure { error, cause }) => {
                    break (Waited::Answer(TaskAnswer::Throw { error: error.unwrap_or_default(), cause }, took()), None)
                }
                Some(Signal::Heartbeat) => heartbeat_at = heartbeat.map(|s| Instant::now() + secs(s)),
                None => break (Waited::Stopped, None),
            },
            () = tokio::time::sleep_until(timeout_at.unwrap_or_else(far)) => {
                break (Waited::Answer(TaskAnswer::Throw { error: "States.Timeout".into(), cause: None }, took()), Some("TaskTimedOut"))
            }
            () = tokio::time::sleep_until(heartbeat_at.unwrap_or_else(far)) => {
                break (Waited::Answer(TaskAnswer::Throw { error: "States.HeartbeatTimeout".into(), cause: None }, took()), Some("TaskTimedOut"))
            }
            () = cell.stop_notify.notified() => break (Waited::Stopped, None),
        }
    };
    let mut reg = server.registry();
    reg.tokens.remove(&token);
    if let Some(why) = closed {
        reg.closed_tokens.insert(token.clone(), why);
    }
    if let Some(arn) = activity {
        reg.queue(arn).tasks.retain(|t| t.token != token);
    }
    outcome
}

/// On start with `--store`: loads what was stored and resumes every execution that was
/// running, replaying it with the answers it had (it reaches the same waiting task, with the
/// same token). Returns how many were resumed.
pub fn resume_stored(server: &Arc<Server>) -> Result<usize, String> {
    let Some(store) = &server.store else { return Ok(0) };
    let loaded = store.load().map_err(|e| format!("store: {e}"))?;
    let mut resumed = Vec::new();
    {
        let mut reg = server.registry();
        for m in loaded.machines {
            reg.machines.insert(m.arn.clone(), m);
        }
        for a in loaded.activities {
            reg.activities.insert(a.arn.clone(), a);
        }
        let mut finished = Vec::new();
        for r in loaded.executions {
            let running = r.status == "RUNNING";
            // A finished Express execution cannot be asked about (see `Registry::retire`).
            if !running && r.express {
                continue;
            }
            let arn = r.arn.clone();
            let cell = ExecutionCell::new(r);
            if running {
                resumed.push(cell.clone());
            } else {
                cell.done.send_replace(true);
                finished.push(arn.clone());
            }
            reg.executions.insert(arn.clone(), cell);
            reg.order.push(arn);
        }
        for arn in finished {
            reg.retire(&arn, false, server.max_finished);
        }
    }
    let count = resumed.len();
    for cell in resumed {
        let (definition, machine_name, case) = {
            let r = cell.lock();
            (r.definition.clone(), r.machine_name.clone(), r.test_case.clone())
        };
        let machine = super::machines::build(&definition).map_err(|e| e.message)?;
        let mocks = mock_source(server, &machine_name, case.as_deref()).unwrap_or_else(|_| Arc::new(NoTasks));
        spawn(server.clone(), cell, machine, mocks);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_resources_are_recognised() {
        assert!(activity_arn("arn:aws:states:us-east-1:123456789012:activity:approve").is_some());
        assert!(activity_arn("arn:aws:states:::lambda:invoke").is_none());
        assert!(activity_arn("arn:aws:states:us-east-1:123456789012:activity:").is_none());
    }
}
