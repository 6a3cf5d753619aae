//! The fixed facts of one execution that the context object (`$$`) and the history show: names,
//! ARNs, the clock's start and the random seed. Replaying with the same config gives the same run.

use serde_json::{Value, json};

use crate::asl::engine::clock::{DEFAULT_START_MS, format_millis};

/// Identity and determinism settings of an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutionConfig {
    pub state_machine_name: String,
    pub execution_name: String,
    pub region: String,
    pub account: String,
    pub role_arn: String,
    /// Virtual start time, milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// Seed for States.UUID, States.MathRandom and retry jitter.
    pub seed: u64,
    /// History events after which the execution fails; AWS's quota by default (rule 18.2).
    /// Raising it lets long local loops (benchmarks, soak tests) run past AWS's limit.
    pub max_history_events: usize,
    /// Longest the execution may run on the virtual clock, in milliseconds, before it ends
    /// `TIMED_OUT` (AWS's `ExecutionTimedOut`). The machine's own top-level `TimeoutSeconds`
    /// applies as well (the shorter wins); this is for limits that come from outside the
    /// definition, such as an Express workflow's five minutes. `None`: no outside limit.
    pub timeout_ms: Option<u64>,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        ExecutionConfig {
            state_machine_name: "statescope".into(),
            execution_name: "local-execution".into(),
            region: "us-east-1".into(),
            account: "111111111111".into(),
            role_arn: "arn:aws:iam::111111111111:role/statescope-local".into(),
            start_ms: DEFAULT_START_MS,
            seed: 0,
            max_history_events: crate::asl::engine::execution::MAX_HISTORY_EVENTS,
            timeout_ms: None,
        }
    }
}

impl ExecutionConfig {
    pub fn state_machine_arn(&self) -> String {
        format!("arn:aws:states:{}:{}:stateMachine:{}", self.region, self.account, self.state_machine_name)
    }

    pub fn execution_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.region, self.account, self.state_machine_name, self.execution_name
        )
    }

    /// The context object for a state entered at `entered_ms` (rule 17.1); `RetryCount` appears
    /// only when retrying, as AWS shows it.
    pub fn context(&self, input: &Value, state: &str, entered_ms: i64, retry_count: u32) -> Value {
        let mut state_obj = json!({"Name": state, "EnteredTime": format_millis(entered_ms)});
        if retry_count > 0 {
            state_obj["RetryCount"] = json!(retry_count);
        }
        json!({
            "Execution": {
                "Id": self.execution_arn(),
                "Input": input,
                "StartTime": format_millis(self.start_ms),
                "Name": self.execution_name,
                "RoleArn": self.role_arn,
                "RedriveCount": 0,
            },
            "StateMachine": {"Id": self.state_machine_arn(), "Name": self.state_machine_name},
            "State": state_obj,
        })
    }

    /// Rewrites the `State` part of a context object for a new state entry. In place, and
    /// only what changed: this runs on every state entry, so it must not allocate in a loop.
    /// `retry_count` is `None` for states that cannot retry: AWS shows `RetryCount` only on
    /// Task, Parallel and Map states (0 on the first attempt), as the corpus records.
    /// `entered` is the entry time as `$$.State.EnteredTime` shows it.
    pub fn set_state_context(&self, context: &mut Value, state: &str, entered: &str, retry_count: Option<u32>) {
        // The maps are tiny (a handful of keys): walking them beats hashing every key with
        // SipHash, which showed in the per-state cost.
        let Some(obj) = context.as_object_mut().and_then(|o| o.iter_mut().find(|(k, _)| *k == "State")) else {
            context["State"] = json!({});
            return self.set_state_context(context, state, entered, retry_count);
        };
        let Value::Object(obj) = obj.1 else {
            *obj.1 = json!({});
            return self.set_state_context(context, state, entered, retry_count);
        };
        // Overwrite the strings in place: their buffers are reused, so a long loop allocates
        // nothing here.
        let (mut has_name, mut has_entered, mut has_retry) = (false, false, false);
        for (k, v) in obj.iter_mut() {
            match (k.as_str(), v) {
                ("Name", Value::String(n)) => {
                    if n != state {
                        n.clear();
                        n.push_str(state);
                    }
                    has_name = true;
                }
                ("EnteredTime", Value::String(t)) => {
                    if t != entered {
                        t.clear();
                        t.push_str(entered);
                    }
                    has_entered = true;
                }
                ("RetryCount", v) => {
                    if let Some(n) = retry_count {
                        *v = json!(n);
                    }
                    has_retry = true;
                }
                _ => {}
            }
        }
        if !has_name {
            obj.insert("Name".into(), Value::String(state.to_string()));
        }
        if !has_entered {
            obj.insert("EnteredTime".into(), Value::String(entered.to_string()));
        }
        match retry_count {
            Some(n) if !has_retry => {
                obj.insert("RetryCount".into(), json!(n));
            }
            None if has_retry => {
                obj.shift_remove("RetryCount");
            }
            _ => {}
        }
    }
}
