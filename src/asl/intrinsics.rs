//! The 18 intrinsic functions (`States.Format`, `States.Array`, …): parsed at load time into a
//! call tree, evaluated against [`Roots`](crate::asl::jsonpath::Roots) with injected entropy.
//!
//! OWNER NOTE: implementation lives in `intrinsics/`.

/// STUB until the intrinsics module lands: a parsed call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub text: String,
}

/// STUB: why an intrinsic call failed at run time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{cause}")]
pub struct IntrinsicError {
    /// The ASL error name, e.g. `States.IntrinsicFailure`.
    pub error: String,
    pub cause: String,
}

impl Call {
    /// STUB: evaluates the call.
    pub fn eval(
        &self,
        _roots: &crate::asl::jsonpath::Roots,
        _entropy: &mut dyn crate::asl::world::Entropy,
    ) -> Result<serde_json::Value, IntrinsicError> {
        Err(IntrinsicError { error: "States.IntrinsicFailure".into(), cause: "not implemented".into() })
    }
}

/// STUB: a call that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IntrinsicSyntaxError {
    pub offset: usize,
    pub message: String,
}

/// STUB: parses an intrinsic call.
pub fn parse(text: &str) -> Result<Call, IntrinsicSyntaxError> {
    if text.starts_with("States.") && text.ends_with(')') {
        Ok(Call { text: text.to_string() })
    } else {
        Err(IntrinsicSyntaxError { offset: 0, message: "not an intrinsic function call".into() })
    }
}
