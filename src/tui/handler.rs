//! `--handler` in the debugger: a Task that a handler answers pauses the execution like any
//! unanswered Task; the handler then runs as a tokio child process ([`Runner`]) while `update`
//! keeps handling keys, and its answer arrives as [`Event::HandlerFinished`]. Esc cancels (the
//! process is killed) and leaves the Task waiting for an answer typed with `a`.
//!
//! The answer goes into the execution's recorded answers, so stepping back, restarting and
//! replaying after a reload reuse it: each invocation runs once, as with `run` and `test`.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::asl::engine::Status;
use crate::asl::engine::tasks::{TaskAnswer, TaskRequest};
use crate::handlers::{Handler, HandlerConfig};
use crate::tui::app::App;
use crate::tui::event::Event;
use crate::tui::keymap::Action;

/// A handler the model wants run (or running) for the Task the execution waits on.
#[derive(Clone, Debug)]
pub struct Job {
    /// Tells a finished job's answer from a cancelled one's.
    pub id: u64,
    pub request: TaskRequest,
    pub rule: Handler,
    pub timeout: Duration,
    /// The move that ran into the Task: it goes on once the answer is in (a `c` that met a
    /// handled Task runs on to the next breakpoint, as it would with the answer at hand).
    pub resume: Option<Action>,
}

/// Which invocation a request is (the same Task state can wait again on a later visit).
fn same_invocation(a: &TaskRequest, b: &TaskRequest) -> bool {
    a.state == b.state && a.location == b.location && a.invocation == b.invocation
}

/// The status line while a handler runs.
pub fn running_message(state: &str) -> String {
    format!("running handler for '{state}'… (Esc cancels)")
}

/// After every update: starts a job when the execution waits on a Task a handler answers, and
/// drops one whose Task the execution no longer waits on (stepped back, reloaded).
pub fn sync(app: &mut App, resume: Option<Action>) {
    let waiting = match app.session.exec.status() {
        Status::AwaitingTask(request) => Some(request),
        _ => None,
    };
    if let Some(job) = &app.handler {
        if waiting.is_some_and(|r| same_invocation(r, &job.request)) {
            return;
        }
        app.handler = None;
    }
    let Some(request) = waiting else { return };
    if app.handler_cancelled.as_ref().is_some_and(|c| same_invocation(c, request)) {
        return;
    }
    let Some(rule) = rule_for(&app.handlers, request) else { return };
    app.handler_jobs += 1;
    app.message = Some(running_message(&request.state));
    // The handler answers: no question unless the user asks (`a`) or cancels it.
    app.dialog = None;
    app.handler =
        Some(Job { id: app.handler_jobs, request: request.clone(), rule, timeout: app.handlers.timeout, resume });
}

fn rule_for(config: &HandlerConfig, request: &TaskRequest) -> Option<Handler> {
    config.rule_for(&request.resource).cloned()
}

/// Esc while a handler runs: stop waiting for it; the Task waits for a typed answer.
pub fn cancel(app: &mut App) {
    let Some(job) = app.handler.take() else { return };
    app.message = Some(format!("handler for '{}' cancelled: press a to answer the task", job.request.state));
    app.handler_cancelled = Some(job.request);
}

/// A job's answer, if it is still wanted: returns the move to resume with, if any.
pub fn finished(app: &mut App, id: u64, answer: &TaskAnswer) -> Option<Option<Action>> {
    let job = app.handler.take_if(|j| j.id == id)?;
    let Status::AwaitingTask(request) = app.session.exec.status() else { return None };
    if !same_invocation(request, &job.request) {
        return None;
    }
    let said = match answer {
        TaskAnswer::Return(_) => "a result".to_owned(),
        TaskAnswer::Throw { error, .. } => format!("error {error}"),
    };
    app.message = Some(format!("handler answered '{}' with {said}", job.request.state));
    Some(job.resume)
}

/// Runs the model's jobs as tokio tasks (owned by the event loop, not the model).
pub struct Runner {
    done: mpsc::UnboundedSender<Event>,
    running: Option<(u64, JoinHandle<()>)>,
}

impl Runner {
    /// A runner whose finished jobs arrive on the receiver as [`Event::HandlerFinished`].
    pub fn new() -> (Runner, mpsc::UnboundedReceiver<Event>) {
        let (done, events) = mpsc::unbounded_channel();
        (Runner { done, running: None }, events)
    }

    /// Starts the model's job if it is not running yet; aborts (and so kills) one the model
    /// no longer wants. Must be called inside a tokio runtime.
    pub fn sync(&mut self, app: &App) {
        let wanted = app.handler.as_ref().map(|j| j.id);
        if let Some((id, task)) = &self.running {
            if Some(*id) == wanted {
                return;
            }
            task.abort();
            self.running = None;
        }
        let Some(job) = app.handler.clone() else { return };
        let done = self.done.clone();
        let task = tokio::spawn(async move {
            let answer = crate::handlers::run_async(&job.rule, &job.request, job.timeout).await;
            let _ = done.send(Event::HandlerFinished { id: job.id, answer });
        });
        self.running = Some((job.id, task));
    }

    /// Whether a job is running (for tests).
    pub fn is_running(&self) -> bool {
        self.running.as_ref().is_some_and(|(_, t)| !t.is_finished())
    }
}
