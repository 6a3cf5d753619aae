//! The fixed facts of one execution that the context object (`$$`) and the history show: names,
//! ARNs, the clock's start and the random seed. Replaying with the same config gives the same run.

use serde_json::{Value, json};

use crate::asl::engine::clock::{DEFAULT_START_MS, format_millis};
use crate::asl::engine::limits::{EXPRESS_EVENT_GUARD, MAX_HISTORY_EVENTS};
use crate::asl::workflow::{EXPRESS_MAX_DURATION_SECONDS, WorkflowType};

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
    /// Standard or Express: decides the execution ARN's shape (and, through
    /// [`ExecutionConfig::for_workflow`], the history limit and the five-minute deadline).
    pub workflow_type: WorkflowType,
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
            max_history_events: MAX_HISTORY_EVENTS,
            workflow_type: WorkflowType::Standard,
            timeout_ms: None,
        }
    }
}

impl ExecutionConfig {
    pub fn state_machine_arn(&self) -> String {
        format!("arn:aws:states:{}:{}:stateMachine:{}", self.region, self.account, self.state_machine_name)
    }

    /// This config for a workflow type: Express has no 25,000-event quota (only the local
    /// guard [`EXPRESS_EVENT_GUARD`]) but ends `TIMED_OUT` after five minutes of virtual time.
    pub fn for_workflow(self, workflow_type: WorkflowType) -> ExecutionConfig {
        let express_ms = EXPRESS_MAX_DURATION_SECONDS * 1000;
        let (max_history_events, timeout_ms) = match workflow_type {
            // Back from Express (a reload of a template whose type changed): AWS's quota again,
            // and no outside deadline.
            WorkflowType::Standard => (
                if self.max_history_events == EXPRESS_EVENT_GUARD {
                    MAX_HISTORY_EVENTS
                } else {
                    self.max_history_events
                },
                self.timeout_ms.filter(|&t| t != express_ms),
            ),
            // An Express execution lasts at most five minutes on the virtual clock (a shorter
            // limit someone set stays).
            WorkflowType::Express => (
                self.max_history_events.max(EXPRESS_EVENT_GUARD),
                Some(self.timeout_ms.map_or(express_ms, |t| t.min(express_ms))),
            ),
        };
        ExecutionConfig { workflow_type, max_history_events, timeout_ms, ..self }
    }

    /// `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME` for Standard;
    /// `arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:UUID` for Express, where every start
    /// gets its own id (the name may repeat): nine colon-separated fields, the name still the
    /// eighth as in Standard's eight.
    pub fn execution_arn(&self) -> String {
        match self.workflow_type {
            WorkflowType::Standard => format!(
                "arn:aws:states:{}:{}:execution:{}:{}",
                self.region, self.account, self.state_machine_name, self.execution_name
            ),
            WorkflowType::Express => format!(
                "arn:aws:states:{}:{}:express:{}:{}:{}",
                self.region,
                self.account,
                self.state_machine_name,
                self.execution_name,
                self.express_run_id()
            ),
        }
    }

    /// A version-4-shaped UUID drawn from the seed (not from the execution's random stream, so
    /// States.UUID gives the same values in both workflow types).
    fn express_run_id(&self) -> String {
        let mut x = self.seed ^ 0x5851_f42d_4c95_7f2d;
        let mut next = || {
            // splitmix64: a fixed, well-mixed sequence from one seed.
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let (a, b) = (next(), next());
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            b >> 48,
            b & 0xffff_ffff_ffff
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_execution_id_follows_the_workflow_type() {
        let standard = ExecutionConfig::default();
        assert_eq!(
            standard.execution_arn(),
            "arn:aws:states:us-east-1:111111111111:execution:statescope:local-execution"
        );
        let express = ExecutionConfig::default().for_workflow(WorkflowType::Express);
        let arn = express.execution_arn();
        let parts: Vec<&str> = arn.split(':').collect();
        assert_eq!(parts.len(), 9, "{arn}");
        assert_eq!(parts[5..8], ["express", "statescope", "local-execution"], "{arn}");
        assert_eq!(parts[8].len(), 36, "a UUID: {arn}");
        assert_eq!(arn, express.execution_arn(), "the same seed, the same id");
        let other = ExecutionConfig { seed: 7, ..ExecutionConfig::default() }.for_workflow(WorkflowType::Express);
        assert_ne!(arn, other.execution_arn(), "another seed, another id");
        assert_eq!(express.context(&Value::Null, "S", 0, 0)["Execution"]["Id"], Value::String(arn));
    }

    #[test]
    fn only_standard_keeps_the_history_quota() {
        let express = ExecutionConfig::default().for_workflow(WorkflowType::Express);
        assert_eq!(express.max_history_events, EXPRESS_EVENT_GUARD);
        assert_eq!(express.timeout_ms, Some(300_000), "AWS's five minutes");
        let back = express.for_workflow(WorkflowType::Standard);
        assert_eq!(back.max_history_events, MAX_HISTORY_EVENTS);
        assert_eq!(back.timeout_ms, None);
        let shorter = ExecutionConfig { timeout_ms: Some(1_000), ..ExecutionConfig::default() };
        assert_eq!(shorter.for_workflow(WorkflowType::Express).timeout_ms, Some(1_000), "a shorter limit stays");
        let bench = ExecutionConfig { max_history_events: usize::MAX, ..ExecutionConfig::default() };
        assert_eq!(bench.for_workflow(WorkflowType::Standard).max_history_events, usize::MAX, "a raised limit stays");
    }
}
