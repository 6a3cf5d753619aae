//! Error names (rule 16.1): the predefined `States.*` names as variants, so the engine cannot
//! misspell one, and any other name (a task's, a Fail state's) as it was given.

use std::fmt;

/// An error name as ASL knows it. [`ErrorName::parse`] and [`fmt::Display`] round-trip: the
/// text is AWS's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ErrorName {
    /// `States.ALL`: in ErrorEquals, every error but a terminal one (rule 16.2).
    All,
    HeartbeatTimeout,
    Timeout,
    /// `States.TaskFailed`: in ErrorEquals, every task error but a timeout (rule 16.2).
    TaskFailed,
    Permissions,
    ResultPathMatchFailure,
    ParameterPathFailure,
    BranchFailed,
    NoChoiceMatched,
    IntrinsicFailure,
    ExceedToleratedFailureThreshold,
    ItemReaderFailed,
    ResultWriterFailed,
    QueryEvaluationError,
    /// Never retried or caught, not even by name (`scenarios/test_catch_states_runtime`).
    Runtime,
    DataLimitExceeded,
    HttpSocket,
    /// Not an AWS name: the engine cannot run this locally (S3 item readers, a JSONata
    /// expression where JSONPath is evaluated). The execution stops with the cause; nothing
    /// retries or catches it.
    Unsupported,
    /// Any other name: a task's (`Lambda.ServiceException`), a Fail state's, a custom one.
    Custom(String),
}

/// The predefined names with their text, in the order AWS's documentation lists them.
const NAMES: &[(ErrorName, &str)] = &[
    (ErrorName::All, "States.ALL"),
    (ErrorName::HeartbeatTimeout, "States.HeartbeatTimeout"),
    (ErrorName::Timeout, "States.Timeout"),
    (ErrorName::TaskFailed, "States.TaskFailed"),
    (ErrorName::Permissions, "States.Permissions"),
    (ErrorName::ResultPathMatchFailure, "States.ResultPathMatchFailure"),
    (ErrorName::ParameterPathFailure, "States.ParameterPathFailure"),
    (ErrorName::BranchFailed, "States.BranchFailed"),
    (ErrorName::NoChoiceMatched, "States.NoChoiceMatched"),
    (ErrorName::IntrinsicFailure, "States.IntrinsicFailure"),
    (ErrorName::ExceedToleratedFailureThreshold, "States.ExceedToleratedFailureThreshold"),
    (ErrorName::ItemReaderFailed, "States.ItemReaderFailed"),
    (ErrorName::ResultWriterFailed, "States.ResultWriterFailed"),
    (ErrorName::QueryEvaluationError, "States.QueryEvaluationError"),
    (ErrorName::Runtime, "States.Runtime"),
    (ErrorName::DataLimitExceeded, "States.DataLimitExceeded"),
    (ErrorName::HttpSocket, "States.Http.Socket"),
];

impl ErrorName {
    /// The name `text` stands for: a predefined one, or [`ErrorName::Custom`] (never
    /// [`ErrorName::Unsupported`]: a name a definition or a task gives cannot stop the engine).
    pub fn parse(text: &str) -> ErrorName {
        match NAMES.iter().find(|(_, t)| *t == text) {
            Some((name, _)) => name.clone(),
            None => ErrorName::Custom(text.to_string()),
        }
    }

    /// The name as AWS writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorName::Custom(s) => s,
            ErrorName::Unsupported => "statescope.Unsupported",
            known => NAMES.iter().find(|(n, _)| n == known).map_or("", |(_, t)| t),
        }
    }

    /// Whether `text` looks predefined (`States.…`) but is not a name AWS defines.
    pub fn is_unknown_predefined(text: &str) -> bool {
        text.starts_with("States.") && matches!(ErrorName::parse(text), ErrorName::Custom(_))
    }
}

impl fmt::Display for ErrorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for ErrorName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<ErrorName> for String {
    fn from(name: ErrorName) -> String {
        match name {
            ErrorName::Custom(s) => s,
            known => known.as_str().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorName;

    #[test]
    fn every_predefined_name_round_trips_and_others_are_custom() {
        for (name, text) in super::NAMES {
            assert_eq!(&ErrorName::parse(text), name);
            assert_eq!(name.to_string(), *text);
        }
        assert_eq!(ErrorName::parse("Lambda.ServiceException"), ErrorName::Custom("Lambda.ServiceException".into()));
        assert_eq!(ErrorName::parse("States.Runtim").to_string(), "States.Runtim", "a misspelling stays as written");
        assert!(ErrorName::is_unknown_predefined("States.Runtim"));
        assert!(!ErrorName::is_unknown_predefined("States.Runtime"));
        assert!(!ErrorName::is_unknown_predefined("MyError"));
        assert_eq!(ErrorName::Unsupported.to_string(), "statescope.Unsupported");
        assert!(matches!(ErrorName::parse("statescope.Unsupported"), ErrorName::Custom(_)));
    }
}
