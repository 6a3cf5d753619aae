//! Opt-in local task handlers (`--handler 'RESOURCE_PATTERN=COMMAND'`): a Task whose resource
//! matches runs COMMAND through `sh -c` with the effective input on stdin and takes its result
//! from stdout. Nothing runs unless the user named it. Each invocation runs once: its answer is
//! kept, so stepping back, rewinding and replaying reuse it instead of running the command
//! again (a replay must be exact, and a handler may have side effects).
//!
//! Two runners share the rules and the reading of a handler's output: [`Handlers`], a task
//! source that runs the command to its end (`run`, `test`), and [`run_async`] (feature `tui`),
//! a tokio child process the debugger awaits while it keeps handling keys.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::asl::engine::string_matches;
use crate::asl::engine::tasks::{TaskAnswer, TaskRequest, TaskSource};
use crate::asl::error_name::ErrorName;

/// One `PATTERN=COMMAND` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handler {
    /// Matched against the Task's `Resource`; `*` matches any run of characters.
    pub pattern: String,
    pub command: String,
}

impl std::str::FromStr for Handler {
    type Err = String;

    fn from_str(s: &str) -> Result<Handler, String> {
        let (pattern, command) = s.split_once('=').ok_or_else(|| format!("'{s}' is not RESOURCE_PATTERN=COMMAND"))?;
        if pattern.is_empty() || command.trim().is_empty() {
            return Err(format!("'{s}' needs both a resource pattern and a command"));
        }
        string_matches::check_pattern(pattern).map_err(|(at, why)| format!("pattern '{pattern}': {why} (at {at})"))?;
        Ok(Handler { pattern: pattern.to_string(), command: command.to_string() })
    }
}

/// The handlers a session may run: the rules in order and how long each run may take.
#[derive(Clone, Debug, PartialEq)]
pub struct HandlerConfig {
    pub rules: Vec<Handler>,
    pub timeout: Duration,
}

impl Default for HandlerConfig {
    fn default() -> HandlerConfig {
        HandlerConfig { rules: Vec::new(), timeout: Duration::from_secs(30) }
    }
}

impl HandlerConfig {
    /// `first`, then the handlers (if any), run to their end inside `answer`.
    pub fn with(&self, first: Arc<dyn TaskSource>) -> Arc<dyn TaskSource> {
        if self.rules.is_empty() {
            return first;
        }
        Arc::new(Handlers::new(first, self.rules.clone(), self.timeout))
    }

    /// The first rule whose pattern matches `resource`.
    pub fn rule_for(&self, resource: &str) -> Option<&Handler> {
        self.rules.iter().find(|r| string_matches::matches(&r.pattern, resource))
    }
}

/// Answers tasks from `first` (a mock config, say), then from the first matching handler.
pub struct Handlers {
    first: Arc<dyn TaskSource>,
    rules: Vec<Handler>,
    timeout: Duration,
    answered: Mutex<HashMap<(String, String, u32), TaskAnswer>>,
}

impl Handlers {
    pub fn new(first: Arc<dyn TaskSource>, rules: Vec<Handler>, timeout: Duration) -> Handlers {
        Handlers { first, rules, timeout, answered: Mutex::new(HashMap::new()) }
    }

    fn run(&self, rule: &Handler, request: &TaskRequest) -> TaskAnswer {
        let spawned = Command::new("sh")
            .arg("-c")
            .arg(&rule.command)
            .envs(environment(request))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => return failed(format!("handler '{}' could not start: {e}", rule.command)),
        };
        // Write the input from a thread: a handler that does not read stdin must not block us.
        let input = request.input.to_string();
        let stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(input.as_bytes());
            }
        });
        let read = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(mut p) = pipe {
                    let _ = p.read_to_string(&mut text);
                }
                text
            })
        };
        let stdout = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let stderr = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return timed_out(rule, self.timeout);
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return failed(format!("handler '{}': {e}", rule.command)),
            }
        };
        let _ = writer.join();
        let out = stdout.join().unwrap_or_default();
        let err = stderr.join().unwrap_or_default();
        interpret(rule, status, &out, err)
    }
}

impl TaskSource for Handlers {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer> {
        if let Some(a) = self.first.answer(request) {
            return Some(a);
        }
        let rule = self.rules.iter().find(|r| string_matches::matches(&r.pattern, &request.resource))?;
        let key = (request.location.clone(), request.state.clone(), request.invocation);
        if let Some(a) = self.answered.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Some(a);
        }
        let answer = self.run(rule, request);
        if let Ok(mut m) = self.answered.lock() {
            m.insert(key, answer.clone());
        }
        Some(answer)
    }
}

/// Runs `rule` for `request` as a tokio child process: the debugger awaits it while it keeps
/// handling keys. Dropping the future (a cancel, the timeout) kills the process.
#[cfg(feature = "tui")]
pub async fn run_async(rule: &Handler, request: &TaskRequest, timeout: Duration) -> TaskAnswer {
    use tokio::io::AsyncWriteExt;
    let spawned = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(&rule.command)
        .envs(environment(request))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return failed(format!("handler '{}' could not start: {e}", rule.command)),
    };
    let input = request.input.to_string();
    let stdin = child.stdin.take();
    // Written while the output is read: a handler that does not read stdin must not block us.
    let write = async move {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input.as_bytes()).await;
        }
    };
    let run = async move { tokio::join!(write, child.wait_with_output()).1 };
    match tokio::time::timeout(timeout, run).await {
        Err(_) => timed_out(rule, timeout),
        Ok(Err(e)) => failed(format!("handler '{}': {e}", rule.command)),
        Ok(Ok(out)) => interpret(
            rule,
            out.status,
            &String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
    }
}

/// What a handler sees besides its input.
fn environment(request: &TaskRequest) -> [(&'static str, String); 4] {
    [
        ("STATESCOPE_STATE", request.state.clone()),
        ("STATESCOPE_RESOURCE", request.resource.clone()),
        ("STATESCOPE_INVOCATION", request.invocation.to_string()),
        ("STATESCOPE_TASK_TOKEN", request.token.clone().unwrap_or_default()),
    ]
}

fn failed(cause: String) -> TaskAnswer {
    TaskAnswer::Throw { error: ErrorName::TaskFailed.to_string(), cause: Some(cause) }
}

fn timed_out(rule: &Handler, timeout: Duration) -> TaskAnswer {
    TaskAnswer::Throw {
        error: ErrorName::Timeout.to_string(),
        cause: Some(format!("handler '{}' did not finish within {} s", rule.command, timeout.as_secs_f64())),
    }
}

/// A finished handler's answer: stdout's JSON, or a task error.
fn interpret(rule: &Handler, status: std::process::ExitStatus, out: &str, err: String) -> TaskAnswer {
    if !status.success() {
        // A handler may name its error like a Lambda does: {"Error"|"errorType": …, "Cause": …}.
        if let Ok(v) = serde_json::from_str::<Value>(out.trim()) {
            let name = v.get("Error").or_else(|| v.get("errorType")).and_then(Value::as_str);
            if let Some(name) = name {
                let cause = v.get("Cause").and_then(Value::as_str).map(str::to_string).or_else(|| Some(v.to_string()));
                return TaskAnswer::Throw { error: name.to_string(), cause };
            }
        }
        let code = status.code().map_or_else(|| "a signal".to_string(), |c| format!("exit status {c}"));
        let cause = if err.trim().is_empty() { format!("handler '{}' ended with {code}", rule.command) } else { err };
        return failed(cause);
    }
    match serde_json::from_str::<Value>(out.trim()) {
        Ok(v) => TaskAnswer::Return(v),
        Err(e) => failed(format!("handler '{}' printed no JSON result on stdout: {e}", rule.command)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::engine::tasks::NoTasks;

    fn request(resource: &str) -> TaskRequest {
        TaskRequest {
            state: "Work".into(),
            location: String::new(),
            resource: resource.into(),
            input: Arc::new(serde_json::json!({"n": 2})),
            invocation: 0,
            token: None,
        }
    }

    fn handlers(rule: &str, secs: u64) -> Handlers {
        Handlers::new(Arc::new(NoTasks), vec![rule.parse().expect("rule")], Duration::from_secs(secs))
    }

    #[test]
    fn a_matching_handler_gets_the_input_on_stdin_and_returns_stdout() {
        let h = handlers("arn:aws:lambda:*=cat", 10);
        assert_eq!(
            h.answer(&request("arn:aws:lambda:us-east-1:1:function:f")),
            Some(TaskAnswer::Return(serde_json::json!({"n": 2})))
        );
        assert_eq!(h.answer(&request("arn:aws:states:::sqs:sendMessage")), None, "not matched: nobody answers");
    }

    #[test]
    fn a_failing_handler_is_a_task_error_with_stderr_as_cause() {
        let h = handlers("*=echo broken >&2; exit 3", 10);
        assert_eq!(
            h.answer(&request("r")),
            Some(TaskAnswer::Throw { error: "States.TaskFailed".into(), cause: Some("broken\n".into()) })
        );
        let named = handlers(r#"*=echo '{"errorType":"Oops","Cause":"why"}'; exit 1"#, 10);
        assert_eq!(
            named.answer(&request("r")),
            Some(TaskAnswer::Throw { error: "Oops".into(), cause: Some("why".into()) })
        );
    }

    #[test]
    fn a_slow_handler_times_out() {
        let h = handlers("*=sleep 5", 1);
        let started = Instant::now();
        let Some(TaskAnswer::Throw { error, .. }) = h.answer(&request("r")) else { panic!("no timeout") };
        assert_eq!(error, "States.Timeout");
        assert!(started.elapsed() < Duration::from_secs(4), "killed at the deadline");
    }

    #[test]
    fn each_invocation_runs_once_so_replays_are_exact() {
        let dir = std::env::temp_dir().join(format!("statescope-handler-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let count = dir.join("count");
        let h = handlers(&format!("*=echo x >> '{}'; echo 1", count.display()), 10);
        for _ in 0..3 {
            assert_eq!(h.answer(&request("r")), Some(TaskAnswer::Return(serde_json::json!(1))));
        }
        assert_eq!(std::fs::read_to_string(&count).expect("count").lines().count(), 1);
    }

    #[test]
    fn rules_are_checked() {
        assert!("no-equals".parse::<Handler>().is_err());
        assert!("=cat".parse::<Handler>().is_err());
        assert!(r"bad\q=cat".parse::<Handler>().is_err(), "pattern escapes are checked like StringMatches");
    }
}
