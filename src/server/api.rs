//! The HTTP face: one route, `POST /`, dispatched on `X-Amz-Target`. Signatures and the
//! `Host` header (the SDKs' `sync-` prefix) are accepted without checking.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::Value;

use super::protocol::{self, ApiError, MAX_BODY_BYTES, Params};
use super::{Server, activities, executions, machines, test_state};

pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", any(handle))
        .fallback(any(handle))
        // Bodies over the limit are refused by `protocol::parse_body` with AWS's error, so the
        // transport limit sits a little above it.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES + 1))
        .with_state(server)
}

async fn handle(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    let result = match body {
        Err(_) => Err(protocol::too_large()),
        Ok(bytes) => match protocol::action(target) {
            Err(e) => Err(e),
            Ok(action) => match protocol::parse_body(&bytes) {
                Err(e) => Err(e),
                Ok(params) => dispatch(&server, action, params).await,
            },
        },
    };
    match result {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => reply(StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST), &e.body()),
    }
}

fn reply(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, Body::from(body.to_string())).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-amz-json-1.0"));
    r
}

/// Runs one action.
pub async fn dispatch(server: &Arc<Server>, action: &str, p: Params) -> Result<Value, ApiError> {
    match action {
        "CreateStateMachine" => machines::create(server, &p),
        "DescribeStateMachine" => machines::describe(server, &p),
        "ListStateMachines" => machines::list(server, &p),
        "UpdateStateMachine" => machines::update(server, &p),
        "DeleteStateMachine" => machines::delete(server, &p),
        "ValidateStateMachineDefinition" => machines::validate(&p),
        "CreateActivity" => activities::create(server, &p),
        "DescribeActivity" => activities::describe(server, &p),
        "ListActivities" => activities::list(server, &p),
        "DeleteActivity" => activities::delete(server, &p),
        "GetActivityTask" => activities::get_task(server, &p).await,
        "SendTaskSuccess" => activities::send_success(server, &p),
        "SendTaskFailure" => activities::send_failure(server, &p),
        "SendTaskHeartbeat" => activities::send_heartbeat(server, &p),
        "StartExecution" => executions::start(server, &p),
        "StartSyncExecution" => executions::start_sync(server, &p).await,
        "DescribeExecution" => executions::describe(server, &p),
        "ListExecutions" => executions::list(server, &p),
        "DescribeStateMachineForExecution" => executions::describe_machine(server, &p),
        "GetExecutionHistory" => executions::history(server, &p),
        "StopExecution" => executions::stop(server, &p),
        "TestState" => test_state::test_state(server, &p),
        other => Err(ApiError::new("UnknownOperationException", format!("Unknown operation: '{other}'"))),
    }
}
