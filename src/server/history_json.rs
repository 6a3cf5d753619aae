//! GetExecutionHistory's `HistoryEvent` shape. Engine events go through the history export's
//! converter (`history::aws`, the one definition of the shape); this module adds only the
//! events the server itself records after the engine stopped.

use serde_json::{Value, json};

use crate::asl::engine::history::HistoryEvent;
use crate::asl::engine::history::aws::{AwsHistoryOptions, TimestampStyle, aws_event, details_key};
use crate::server::protocol::epoch_seconds;

/// One engine event as the API returns it (timestamps as epoch seconds, as on the wire).
pub fn event_json(e: &HistoryEvent) -> Value {
    aws_event(e, &AwsHistoryOptions { timestamps: TimestampStyle::EpochSeconds })
}

/// An event the server records after the engine stopped (`ExecutionAborted`), with `details`
/// under its `…EventDetails` key.
pub fn server_event(id: u32, timestamp_ms: i64, type_name: &str, details: Value) -> Value {
    json!({
        "id": id,
        "previousEventId": id.saturating_sub(1),
        "timestamp": epoch_seconds(timestamp_ms),
        "type": type_name,
        details_key(type_name): details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_events_have_the_api_shape() {
        let e = server_event(7, 1_000, "ExecutionAborted", json!({"error": "E"}));
        assert_eq!(
            e,
            json!({"id": 7, "previousEventId": 6, "timestamp": 1, "type": "ExecutionAborted",
                   "executionAbortedEventDetails": {"error": "E"}})
        );
    }
}
