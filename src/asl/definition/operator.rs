//! Choice comparison operators and their names as written (rules 10.4, 10.5).

/// Choice comparison operators without their `Path` suffix; `Comparison::operand` says
/// whether the operand is literal or a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

use Operator::*;

impl Operator {
    /// Operator names as written, without the `Path` suffix, and the operand type they take.
    pub const TABLE: &[(&str, Operator, &str)] = &[
        ("StringEquals", StringEquals, "string"),
        ("StringLessThan", StringLessThan, "string"),
        ("StringGreaterThan", StringGreaterThan, "string"),
        ("StringLessThanEquals", StringLessThanEquals, "string"),
        ("StringGreaterThanEquals", StringGreaterThanEquals, "string"),
        ("StringMatches", StringMatches, "string"),
        ("NumericEquals", NumericEquals, "number"),
        ("NumericLessThan", NumericLessThan, "number"),
        ("NumericGreaterThan", NumericGreaterThan, "number"),
        ("NumericLessThanEquals", NumericLessThanEquals, "number"),
        ("NumericGreaterThanEquals", NumericGreaterThanEquals, "number"),
        ("BooleanEquals", BooleanEquals, "boolean"),
        ("TimestampEquals", TimestampEquals, "timestamp"),
        ("TimestampLessThan", TimestampLessThan, "timestamp"),
        ("TimestampGreaterThan", TimestampGreaterThan, "timestamp"),
        ("TimestampLessThanEquals", TimestampLessThanEquals, "timestamp"),
        ("TimestampGreaterThanEquals", TimestampGreaterThanEquals, "timestamp"),
        ("IsNull", IsNull, "boolean"),
        ("IsPresent", IsPresent, "boolean"),
        ("IsNumeric", IsNumeric, "boolean"),
        ("IsString", IsString, "boolean"),
        ("IsBoolean", IsBoolean, "boolean"),
        ("IsTimestamp", IsTimestamp, "boolean"),
    ];

    /// The operator as written in ASL, without the `Path` suffix (`NumericEquals`).
    pub fn name(self) -> &'static str {
        Operator::TABLE.iter().find(|(_, o, _)| *o == self).map_or("?", |(n, _, _)| n)
    }

    /// A rule's operator key → (operator, is the `…Path` form, operand type). `Is…` and
    /// `StringMatches` have no `Path` form.
    pub fn from_key(key: &str) -> Option<(Operator, bool, &'static str)> {
        if let Some((_, op, t)) = Operator::TABLE.iter().find(|(n, _, _)| *n == key) {
            return Some((*op, false, t));
        }
        let base = key.strip_suffix("Path")?;
        let (_, op, t) = Operator::TABLE.iter().find(|(n, _, _)| *n == base)?;
        (!base.starts_with("Is") && base != "StringMatches").then_some((*op, true, t))
    }
}
