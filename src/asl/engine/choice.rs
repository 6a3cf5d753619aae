//! STUB: replaced by the Choice evaluator with explanations.
use crate::asl::definition::ChoiceRule;
use crate::asl::jsonpath::Roots;

/// STUB.
#[derive(Clone, Debug)]
pub struct ChoiceOutcome {
    pub matched: Option<usize>,
}

/// STUB.
#[derive(Clone, Debug)]
pub struct ChoiceError {
    pub error: String,
    pub cause: String,
}

/// STUB.
pub fn evaluate(_choices: &[ChoiceRule], _roots: &Roots) -> Result<ChoiceOutcome, ChoiceError> {
    Ok(ChoiceOutcome { matched: None })
}
