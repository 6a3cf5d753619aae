//! `statescope serve`: the Step Functions API (AWS JSON 1.0) on localhost, so the AWS CLI, the
//! SDKs, activity workers and callback senders run against statescope's engine unchanged.
//! HTTP is axum on tokio; every execution is a tokio task; the engine stays I/O-free.

mod activities;
mod api;
mod definition_error;
mod executions;
mod history_json;
mod log;
mod machines;
pub mod protocol;
mod registry;
mod runner;
mod store;
mod test_state;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::asl::mock::{MockConfig, parse_mock_config};
use crate::cli::handlers::HandlerArgs;
use registry::Registry;

/// How Wait states and retry delays pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Clock {
    /// At once; timestamps advance as AWS would record them.
    #[default]
    Virtual,
    /// Sleeps for real.
    Real,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback exposes an unauthenticated API (warned).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port (8083 is Step Functions Local's, so existing endpoint settings work).
    #[arg(long, default_value_t = 8083)]
    pub port: u16,
    /// Mock config in Step Functions Local's format (default: $SFN_MOCK_CONFIG); start an
    /// execution of `…:stateMachine:NAME#TestCase` to use a test case.
    #[arg(long, value_name = "FILE")]
    pub mock_config: Option<PathBuf>,
    #[command(flatten)]
    pub handlers: HandlerArgs,
    /// `virtual`: Waits and retry delays pass at once; `real`: they take their time.
    #[arg(long, value_enum, default_value_t)]
    pub clock: Clock,
    /// Keep state machines, activities, executions and histories in this SQLite file.
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Finished executions kept in memory; past it the oldest finished one is forgotten (with
    /// --store it stays in the file and is still described from there).
    #[arg(long, value_name = "N", default_value_t = registry::DEFAULT_MAX_FINISHED)]
    pub max_executions: usize,
    /// No line per execution event on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Region and account in the ARNs the server makes.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    #[arg(long, default_value = "123456789012")]
    pub account: String,
}

/// Everything the request handlers and runners share.
pub struct Server {
    pub region: String,
    pub account: String,
    pub clock: Clock,
    pub mocks: Option<MockConfig>,
    pub handlers: HandlerArgs,
    pub log: log::Log,
    pub store: Option<store::Store>,
    /// Finished executions kept in memory (`--max-executions`).
    pub max_finished: usize,
    registry: Mutex<Registry>,
}

impl Server {
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A server with no store and no mocks (tests, TestState).
    #[cfg(test)]
    pub fn for_tests() -> Arc<Server> {
        Arc::new(Server {
            region: "us-east-1".into(),
            account: "123456789012".into(),
            clock: Clock::Virtual,
            mocks: None,
            handlers: HandlerArgs::default(),
            log: log::Log::new(true),
            store: None,
            max_finished: registry::DEFAULT_MAX_FINISHED,
            registry: Mutex::new(Registry::default()),
        })
    }
}

/// Runs the server until Ctrl-C.
pub fn run(args: &ServeArgs) -> ExitCode {
    let mock_path = args.mock_config.clone().or_else(|| std::env::var_os("SFN_MOCK_CONFIG").map(PathBuf::from));
    let mocks = match mock_path.as_deref().map(load_mocks).transpose() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match args.store.as_deref().map(store::Store::open).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let server = Arc::new(Server {
        region: args.region.clone(),
        account: args.account.clone(),
        clock: args.clock,
        mocks,
        handlers: args.handlers.clone(),
        log: log::Log::new(args.quiet),
        store,
        max_finished: args.max_executions,
        registry: Mutex::new(Registry::default()),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(serve(server, SocketAddr::new(args.host, args.port)))
}

async fn serve(server: Arc<Server>, addr: SocketAddr) -> ExitCode {
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}: anyone who can reach it can create and run state machines (no authentication)"
        );
    }
    let resumed = match runner::resume_stored(&server) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    // The first line says where to point clients (tests read the port from it).
    eprintln!("statescope serve: listening on http://{local} (AWS JSON 1.0, Step Functions API)");
    if resumed > 0 {
        eprintln!("statescope serve: resumed {resumed} running execution(s) from the store");
    }
    let app = api::router(server.clone());
    let (stopping, mut grace) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("statescope serve: stopping");
        stopping.send_replace(true);
    };
    let serving = axum::serve(listener, app).with_graceful_shutdown(shutdown);
    tokio::select! {
        result = serving => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        // Requests still open after the grace period (a 60 s GetActivityTask poll, a
        // StartSyncExecution waiting for a callback) do not hold the process: they are cut.
        () = async {
            let _ = grace.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            eprintln!("statescope serve: stopped with requests still open (long polls, waiting syncs)");
            ExitCode::SUCCESS
        }
    }
}

/// How long Ctrl-C waits for requests in flight before the server exits anyway.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

fn load_mocks(path: &std::path::Path) -> Result<MockConfig, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read mock config '{}': {e}", path.display()))?;
    let parsed = parse_mock_config(&text);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        let source = crate::asl::source::Source::new(path.display().to_string(), text.clone());
        let index = crate::asl::source::LineIndex::new(&text);
        return Err(crate::asl::diagnostic::render(&source, &index, d));
    }
    parsed.config.ok_or_else(|| format!("'{}' is not a mock config", path.display()))
}
