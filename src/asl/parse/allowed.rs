//! Which fields each state type accepts in each query language (rules 3.2–3.4), so unknown
//! fields and fields of the other language are told apart.

use crate::asl::definition::QueryLanguage;

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];

/// Fields a state of `type_name` may have in `lang` (beyond Type/Comment/QueryLanguage).
pub fn fields(type_name: &str, lang: QueryLanguage) -> &'static [&'static str] {
    use QueryLanguage::*;
    match (type_name, lang) {
        ("Pass", JsonPath) => {
            &["InputPath", "OutputPath", "Parameters", "ResultPath", "Result", "Assign", "Next", "End"]
        }
        ("Pass", Jsonata) => &["Output", "Assign", "Next", "End"],
        ("Task", JsonPath) => &[
            "Resource",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
        ],
        ("Task", Jsonata) => &[
            "Resource",
            "Arguments",
            "Output",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
            "TimeoutSeconds",
            "HeartbeatSeconds",
            "Credentials",
        ],
        ("Choice", JsonPath) => &["InputPath", "OutputPath", "Choices", "Default", "Assign"],
        ("Choice", Jsonata) => &["Output", "Choices", "Default", "Assign"],
        ("Wait", JsonPath) => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Next",
            "End",
            "Seconds",
            "SecondsPath",
            "Timestamp",
            "TimestampPath",
        ],
        ("Wait", Jsonata) => &["Output", "Assign", "Next", "End", "Seconds", "Timestamp"],
        ("Succeed", JsonPath) => &["InputPath", "OutputPath"],
        ("Succeed", Jsonata) => &["Output"],
        ("Fail", JsonPath) => &["Error", "ErrorPath", "Cause", "CausePath"],
        ("Fail", Jsonata) => &["Error", "Cause"],
        ("Parallel", JsonPath) => &[
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
            "Branches",
        ],
        ("Parallel", Jsonata) => &["Arguments", "Output", "Assign", "Retry", "Catch", "Next", "End", "Branches"],
        ("Map", JsonPath) => &[
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
            "ItemsPath",
            "ItemSelector",
            "ItemProcessor",
            "Iterator",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Label",
        ],
        ("Map", Jsonata) => &[
            "Output",
            "Assign",
            "Retry",
            "Catch",
            "Next",
            "End",
            "Items",
            "ItemSelector",
            "ItemProcessor",
            "Iterator",
            "MaxConcurrency",
            "ToleratedFailureCount",
            "ToleratedFailurePercentage",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "Label",
        ],
        _ => &[],
    }
}

/// Whether `field` is a known field of `type_name` in either language.
pub fn is_common(field: &str) -> bool {
    COMMON.contains(&field)
}

/// The other query language.
pub fn other(lang: QueryLanguage) -> QueryLanguage {
    match lang {
        QueryLanguage::JsonPath => QueryLanguage::Jsonata,
        QueryLanguage::Jsonata => QueryLanguage::JsonPath,
    }
}

/// "JSONPath" / "JSONata" as written in definitions.
pub fn name(lang: QueryLanguage) -> &'static str {
    match lang {
        QueryLanguage::JsonPath => "JSONPath",
        QueryLanguage::Jsonata => "JSONata",
    }
}
