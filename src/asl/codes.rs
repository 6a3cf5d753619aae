//! Every diagnostic code statescope emits, with a one-line meaning. Codes are stable: tests,
//! docs and users' scripts grep for them. `ASL0xx` = syntax/schema, `ASL1xx` = graph,
//! `ASL2xx` = expressions, `ASL3xx` = state-specific rules, `ASL4xx` = mock configs, `ASL9xx` = input-format notes.

pub const SYNTAX: &str = "ASL001";
pub const DUPLICATE_KEY: &str = "ASL002";
pub const NOT_AN_OBJECT: &str = "ASL003";
pub const MISSING_FIELD: &str = "ASL004";
pub const UNKNOWN_FIELD: &str = "ASL005";
pub const WRONG_TYPE: &str = "ASL006";
pub const BAD_VALUE: &str = "ASL007";
pub const UNKNOWN_STATE_TYPE: &str = "ASL008";
pub const FIELD_NOT_IN_QUERY_LANGUAGE: &str = "ASL009";
pub const YAML: &str = "ASL010";

pub const MISSING_TARGET: &str = "ASL101";
pub const NO_TRANSITION: &str = "ASL102";
pub const NEXT_AND_END: &str = "ASL103";
pub const UNREACHABLE: &str = "ASL104";
pub const DUPLICATE_STATE_NAME: &str = "ASL105";
pub const STATE_NAME_TOO_LONG: &str = "ASL106";
pub const NO_TERMINAL_STATE: &str = "ASL107";

pub const BAD_JSONPATH: &str = "ASL201";
pub const NOT_REFERENCE_PATH: &str = "ASL202";
pub const BAD_INTRINSIC: &str = "ASL203";
pub const BAD_JSONATA: &str = "ASL204";
pub const BAD_TEMPLATE_KEY: &str = "ASL205";
pub const JSONATA_SYNTAX: &str = "ASL206";

pub const CHOICE_WITHOUT_RULES: &str = "ASL301";
pub const BAD_CHOICE_RULE: &str = "ASL302";
pub const WAIT_DURATION: &str = "ASL303";
pub const BAD_TIMESTAMP: &str = "ASL304";
pub const RETRY_CATCH_NOT_ALLOWED: &str = "ASL305";
pub const STATES_ALL_NOT_LAST: &str = "ASL306";
pub const BAD_RESOURCE: &str = "ASL307";
pub const MUTUALLY_EXCLUSIVE: &str = "ASL308";
pub const BAD_ERROR_NAME: &str = "ASL309";

pub const MOCK_FORMAT: &str = "ASL401";
pub const MOCK_UNKNOWN_STATE: &str = "ASL402";
pub const MOCK_UNKNOWN_RESPONSE: &str = "ASL403";
pub const MOCK_BAD_RANGE: &str = "ASL404";

pub const UNRESOLVED_INTRINSIC: &str = "ASL901";
pub const TEMPLATE: &str = "ASL902";

/// Codes of mock config files (`--mock-config`), kept apart from [`ALL`] because they are
/// about a mock file, not a definition.
pub const MOCK: &[(&str, &str)] = &[
    (MOCK_FORMAT, "a mock config does not follow Step Functions Local's MockConfigFile format"),
    (MOCK_UNKNOWN_STATE, "a mock test case names a state the machine lacks, or one that is not a Task"),
    (MOCK_UNKNOWN_RESPONSE, "a mock test case names a response MockedResponses does not define"),
    (MOCK_BAD_RANGE, "a mocked response's invocation key is not \"N\" or \"N-M\", or the ranges leave gaps or overlap"),
];

/// (code, meaning) for `statescope validate --list-codes` and the README.
pub const ALL: &[(&str, &str)] = &[
    (SYNTAX, "the file is not valid JSON or YAML"),
    (DUPLICATE_KEY, "an object has the same key twice (a warning outside the definition in a template)"),
    (NOT_AN_OBJECT, "the definition, a state or a nested block is not a JSON object"),
    (MISSING_FIELD, "a required field is missing"),
    (UNKNOWN_FIELD, "a field is not known for this state type"),
    (WRONG_TYPE, "a field has the wrong JSON type"),
    (BAD_VALUE, "a field has a value AWS does not accept"),
    (UNKNOWN_STATE_TYPE, "a state's Type is not one of the eight state types"),
    (FIELD_NOT_IN_QUERY_LANGUAGE, "a JSONPath-only field in a JSONata state, or the reverse"),
    (YAML, "YAML that JSON cannot represent"),
    (MISSING_TARGET, "StartAt, Next, Default or a Catch Next names no state in scope"),
    (NO_TRANSITION, "a state has neither Next nor End"),
    (NEXT_AND_END, "a state has both Next and End, or a terminal state has Next"),
    (UNREACHABLE, "a state cannot be reached from StartAt (warning)"),
    (DUPLICATE_STATE_NAME, "two states share a name anywhere in the machine"),
    (STATE_NAME_TOO_LONG, "a state name is longer than 80 characters"),
    (NO_TERMINAL_STATE, "no state ends the machine (warning)"),
    (BAD_JSONPATH, "a JSONPath expression does not parse"),
    (NOT_REFERENCE_PATH, "a field needs a reference path but has a query path"),
    (BAD_INTRINSIC, "an intrinsic function call does not parse, is unknown, or has the wrong arity"),
    (BAD_JSONATA, "a JSONata {% %} string is malformed"),
    (BAD_TEMPLATE_KEY, "a payload-template '.$' key has a value that is not a path or intrinsic"),
    (JSONATA_SYNTAX, "JSONata syntax error: the expression inside {% %} does not parse"),
    (CHOICE_WITHOUT_RULES, "a Choice state has no Choices"),
    (BAD_CHOICE_RULE, "a Choice rule has no comparison, several, or lacks Next at top level"),
    (WAIT_DURATION, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"),
    (BAD_TIMESTAMP, "a timestamp is not RFC 3339"),
    (RETRY_CATCH_NOT_ALLOWED, "Retry or Catch on a state type that cannot have them"),
    (STATES_ALL_NOT_LAST, "States.ALL is not alone or not in the last retrier/catcher"),
    (BAD_RESOURCE, "a Task Resource is not a recognised ARN"),
    (MUTUALLY_EXCLUSIVE, "two fields that exclude each other are both set"),
    (BAD_ERROR_NAME, "a States.* name in ErrorEquals that is not predefined and no Fail state raises (warning)"),
    (UNRESOLVED_INTRINSIC, "a CloudFormation intrinsic (Fn::Sub, Ref, …) could not be resolved (warning)"),
    (TEMPLATE, "a CloudFormation/SAM template problem: no state machine, or several without --machine"),
];
