//! Task `Resource` ARNs: which ones AWS recognises (CreateStateMachine rejects the rest, e.g.
//! `arn:aws:states:::dynamodb:query`, which exists only as `aws-sdk:dynamodb:query`), and what
//! kind of invocation each is.

/// How a task is invoked, as far as the engine cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME` (legacy form: the result is the payload).
    LambdaFunction,
    /// `arn:aws:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]`.
    Integration { service: String, action: String, pattern: Pattern },
    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`.
    Activity,
    /// Something AWS would not accept (or a `${…}` placeholder left unresolved).
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    RequestResponse,
    Sync,
    WaitForTaskToken,
}

/// Optimized integrations (`arn:aws:states:::SERVICE:ACTION`), without their suffixes.
const OPTIMIZED: &[&str] = &[
    "lambda:invoke",
    "sns:publish",
    "sqs:sendMessage",
    "dynamodb:getItem",
    "dynamodb:putItem",
    "dynamodb:updateItem",
    "dynamodb:deleteItem",
    "ecs:runTask",
    "batch:submitJob",
    "glue:startJobRun",
    "states:startExecution",
    "events:putEvents",
    "http:invoke",
    "apigateway:invoke",
    "athena:startQueryExecution",
    "athena:stopQueryExecution",
    "athena:getQueryExecution",
    "athena:getQueryResults",
    "codebuild:startBuild",
    "codebuild:stopBuild",
    "codebuild:batchDeleteBuilds",
    "codebuild:batchGetReports",
    "codebuild:startBuildBatch",
    "codebuild:retryBuildBatch",
    "codebuild:retryBuild",
    "codebuild:stopBuildBatch",
    "eks:createCluster",
    "eks:deleteCluster",
    "eks:createFargateProfile",
    "eks:deleteFargateProfile",
    "eks:createNodegroup",
    "eks:deleteNodegroup",
    "eks:runJob",
    "eks:call",
    "elasticmapreduce:createCluster",
    "elasticmapreduce:terminateCluster",
    "elasticmapreduce:addStep",
    "elasticmapreduce:cancelStep",
    "elasticmapreduce:setClusterTerminationProtection",
    "elasticmapreduce:modifyInstanceFleetByName",
    "elasticmapreduce:modifyInstanceGroupByName",
    "emr-containers:startJobRun",
    "emr-containers:createVirtualCluster",
    "emr-containers:deleteVirtualCluster",
    "emr-serverless:createApplication",
    "emr-serverless:startApplication",
    "emr-serverless:stopApplication",
    "emr-serverless:deleteApplication",
    "emr-serverless:startJobRun",
    "emr-serverless:cancelJobRun",
    "sagemaker:createTrainingJob",
    "sagemaker:createTransformJob",
    "sagemaker:createProcessingJob",
    "sagemaker:createModel",
    "sagemaker:createEndpoint",
    "sagemaker:createEndpointConfig",
    "sagemaker:updateEndpoint",
    "sagemaker:createHyperParameterTuningJob",
    "sagemaker:createLabelingJob",
    "glue:startCrawler",
    "databrew:startJobRun",
    "bedrock:invokeModel",
    "bedrock:createModelCustomizationJob",
    "mediaconvert:createJob",
    "redshift-data:executeStatement",
    "s3:getObject",
    "s3:putObject",
    "s3:listObjectsV2",
    "ecs:runTask.waitForTaskToken",
];

/// The shape of what a task with this resource returns on success, as a starting point for a
/// person answering it: the API response for request-response integrations (`lambda:invoke`
/// wraps the function's payload in `{"StatusCode": 200, "Payload": …}`), the payload itself
/// for a Lambda function ARN, an activity or a task token callback.
pub fn result_shape(resource: &str) -> serde_json::Value {
    use serde_json::json;
    let ResourceKind::Integration { service, action, pattern } = classify(resource) else { return json!({}) };
    match (service.as_str(), action.as_str(), pattern) {
        (_, _, Pattern::WaitForTaskToken) => json!({}),
        ("lambda", "invoke", _) => json!({"ExecutedVersion": "$LATEST", "Payload": {}, "StatusCode": 200}),
        ("sns", "publish", _) => json!({"MessageId": "00000000-0000-0000-0000-000000000000"}),
        ("sqs", "sendMessage", _) => {
            json!({"MD5OfMessageBody": "", "MessageId": "00000000-0000-0000-0000-000000000000"})
        }
        ("dynamodb", "getItem", _) => json!({"Item": {}}),
        ("dynamodb", "updateItem", _) => json!({"Attributes": {}}),
        ("events", "putEvents", _) => {
            json!({"Entries": [{"EventId": "00000000-0000-0000-0000-000000000000"}], "FailedEntryCount": 0})
        }
        ("states", "startExecution", Pattern::Sync) => {
            json!({"ExecutionArn": "", "Output": "{}", "Status": "SUCCEEDED"})
        }
        ("states", "startExecution", _) => json!({"ExecutionArn": "", "StartDate": 0}),
        ("http", "invoke", _) => json!({"Headers": {}, "ResponseBody": {}, "StatusCode": 200, "StatusText": "OK"}),
        _ => json!({}),
    }
}

/// The AWS partitions an ARN may name: commercial, China, GovCloud, the isolated regions and
/// the European sovereign cloud.
const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// A region such as `us-east-1` or `cn-north-1`, or nothing (`arn:aws:states:::…`).
fn is_region(s: &str) -> bool {
    s.is_empty() || (s.contains('-') && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
}

/// A 12-digit account id, or nothing.
fn is_account(s: &str) -> bool {
    s.is_empty() || (s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// Classifies a resource ARN. Integrations may name a region and account
/// (`arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject`): AWS accepts both forms.
pub fn classify(resource: &str) -> ResourceKind {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" || !PARTITIONS.contains(&parts[1]) {
        return ResourceKind::Unknown;
    }
    match (parts[2], parts[5]) {
        ("lambda", rest) if rest.starts_with("function:") => ResourceKind::LambdaFunction,
        ("states", rest) if rest.starts_with("activity:") => ResourceKind::Activity,
        ("states", rest) if is_region(parts[3]) && is_account(parts[4]) => integration(rest),
        _ => ResourceKind::Unknown,
    }
}

fn integration(rest: &str) -> ResourceKind {
    let (base, pattern) = if let Some(b) = rest.strip_suffix(".waitForTaskToken") {
        (b, Pattern::WaitForTaskToken)
    } else if let Some(b) = rest.strip_suffix(".sync:2").or_else(|| rest.strip_suffix(".sync")) {
        (b, Pattern::Sync)
    } else {
        (rest, Pattern::RequestResponse)
    };
    let known = OPTIMIZED.contains(&base) || base.strip_prefix("aws-sdk:").is_some_and(|s| s.split(':').count() == 2);
    if !known {
        return ResourceKind::Unknown;
    }
    let (service, action) = base.rsplit_once(':').unwrap_or((base, ""));
    ResourceKind::Integration { service: service.to_string(), action: action.to_string(), pattern }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_forms_aws_accepts() {
        assert_eq!(classify("arn:aws:lambda:us-east-1:111111111111:function:f"), ResourceKind::LambdaFunction);
        assert!(matches!(
            classify("arn:aws:states:::lambda:invoke"),
            ResourceKind::Integration { pattern: Pattern::RequestResponse, .. }
        ));
        assert!(matches!(
            classify("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            ResourceKind::Integration { pattern: Pattern::WaitForTaskToken, .. }
        ));
        assert!(matches!(
            classify("arn:aws:states:::states:startExecution.sync:2"),
            ResourceKind::Integration { pattern: Pattern::Sync, .. }
        ));
        assert!(matches!(classify("arn:aws:states:::aws-sdk:dynamodb:query"), ResourceKind::Integration { .. }));
        assert_eq!(classify("arn:aws:states:us-east-1:1:activity:a"), ResourceKind::Activity);
    }

    #[test]
    fn rejects_what_create_state_machine_rejects() {
        // conformance validation/test_invalid_integration: dynamodb:query is SDK-only.
        assert_eq!(classify("arn:aws:states:::dynamodb:query"), ResourceKind::Unknown);
        assert_eq!(classify("not-an-arn"), ResourceKind::Unknown);
        assert_eq!(classify("arn:aws:states:us-east-1:12345:aws-sdk:s3:getObject"), ResourceKind::Unknown);
        assert_eq!(classify("arn:azure:states:::lambda:invoke"), ResourceKind::Unknown);
    }

    #[test]
    fn integrations_may_name_region_and_account_in_every_partition() {
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            for (region, account) in [("", ""), ("us-east-1", "123456789012"), ("cn-north-1", "123456789012")] {
                for tail in ["aws-sdk:s3:getObject", "lambda:invoke", "states:startExecution.sync:2", "http:invoke"] {
                    let arn = format!("arn:{partition}:states:{region}:{account}:{tail}");
                    assert!(matches!(classify(&arn), ResourceKind::Integration { .. }), "{arn}");
                }
            }
        }
    }
}
