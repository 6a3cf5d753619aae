//! The `--handler` flags, translated into the handlers' own [`HandlerConfig`] (the debugger
//! and the engine know nothing of clap).

use std::sync::Arc;
use std::time::Duration;

use crate::asl::engine::tasks::TaskSource;
use crate::handlers::{Handler, HandlerConfig};

/// The command-line flags, shared by `run`, `test` and the debugger.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct HandlerArgs {
    /// Opt-in: run COMMAND (through `sh -c`) for Tasks whose Resource matches RESOURCE_PATTERN
    /// (`*` matches anything): the effective input on stdin, the JSON result on stdout, a
    /// non-zero exit is a task error. Repeatable; a mock config answers first.
    #[arg(long = "handler", value_name = "RESOURCE_PATTERN=COMMAND")]
    pub handlers: Vec<Handler>,
    /// Seconds a handler may run before its task fails with States.Timeout.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub handler_timeout: f64,
}

impl HandlerArgs {
    /// The handlers these flags name.
    pub fn config(&self) -> HandlerConfig {
        let timeout = Duration::try_from_secs_f64(self.handler_timeout).unwrap_or(Duration::from_secs(30));
        HandlerConfig { rules: self.handlers.clone(), timeout }
    }

    /// `first`, then the handlers (if any were given), run to their end (`run`, `test`).
    pub fn with(&self, first: Arc<dyn TaskSource>) -> Arc<dyn TaskSource> {
        self.config().with(first)
    }
}
