//! The IAM documents the trail needs: the bucket policy that lets
//! CloudTrail check the bucket's ACL and write its files, and the role
//! (trust and inline policy) that lets CloudTrail write to its log group.
//! The account id is left as `*`: the documents are the same for every
//! account, so a plan compares them exactly.

use serde_json::{Value, json};

/// The service principal of CloudTrail.
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// Name of the role's inline policy.
pub const ROLE_POLICY_NAME: &str = "cloudtrail-to-cloudwatch-logs";

/// The bucket policy of the trail's bucket `bucket`.
pub fn bucket_policy(bucket: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{bucket}")
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/*"),
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
            }
        ]
    })
}

/// Who may assume the delivery role: CloudTrail.
pub fn role_trust_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL},
            "Action": "sts:AssumeRole"
        }]
    })
}

/// The delivery role's inline policy: create streams in and put events
/// to `log_group` of `region`.
pub fn role_policy(region: &str, log_group: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CloudTrailToCloudWatchLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:{region}:*:log-group:{log_group}:log-stream:*")
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_policy_scopes_writes_to_cloudtrail_prefix() {
        let p = bucket_policy("b");
        assert_eq!(p["Statement"][0]["Resource"], "arn:aws:s3:::b");
        assert_eq!(p["Statement"][1]["Resource"], "arn:aws:s3:::b/AWSLogs/*");
        assert_eq!(p["Statement"][1]["Principal"]["Service"], CLOUDTRAIL);
    }

    #[test]
    fn role_policy_names_the_log_group() {
        let p = role_policy("eu-west-1", "/aws/cloudtrail/p");
        assert_eq!(
            p["Statement"][0]["Resource"],
            "arn:aws:logs:eu-west-1:*:log-group:/aws/cloudtrail/p:log-stream:*"
        );
        assert_eq!(
            role_trust_policy()["Statement"][0]["Action"],
            "sts:AssumeRole"
        );
    }
}
