//! TestState.
use std::sync::Arc;

use serde_json::Value;

use super::Server;
use super::protocol::{ApiError, Params};

pub fn test_state(_server: &Arc<Server>, _p: &Params) -> Result<Value, ApiError> {
    Err(ApiError::validation("TestState is not implemented yet"))
}
