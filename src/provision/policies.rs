//! The IAM documents the trail needs: the bucket policy that lets
//! CloudTrail check the bucket's ACL and write its files, the role (trust
//! and inline policy) that lets CloudTrail write to its log group, and the
//! permissions boundary every role of the stack carries. Each names the
//! account's partition and id, and the bucket policy and trust policy
//! accept CloudTrail only on behalf of the stack's own trail
//! (`aws:SourceArn`, `aws:SourceAccount`), as AWS recommends against the
//! confused deputy; a plan compares them with what the account has.

use serde_json::{Value, json};

use crate::provider::permissions::boundary_arn;

/// The service principal of CloudTrail.
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// Name of the role's inline policy.
pub const ROLE_POLICY_NAME: &str = "cloudtrail-to-cloudwatch-logs";

/// The actions the delivery role needs, and the most its boundary allows.
const DELIVERY_ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];

/// Where the stack lives: what its ARNs name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...: the account's partition.
    pub partition: String,
    /// The 12-digit account id.
    pub account: String,
    /// The stack's region (the trail's home region).
    pub region: String,
}

impl Home {
    /// The ARN of the trail `trail` of this account and region.
    pub fn trail_arn(&self, trail: &str) -> String {
        format!(
            "arn:{}:cloudtrail:{}:{}:trail/{trail}",
            self.partition, self.region, self.account
        )
    }

    /// The ARN of the stack's permissions boundary policy.
    pub fn boundary_arn(&self, prefix: &str) -> String {
        boundary_arn(&self.partition, &self.account, prefix)
    }

    /// Who is asking on behalf of whom: the stack's trail of this account.
    fn source(&self, trail: &str) -> Value {
        json!({"aws:SourceArn": self.trail_arn(trail), "aws:SourceAccount": self.account})
    }
}

/// The bucket policy of the trail `trail`'s bucket `bucket`: CloudTrail
/// may read its ACL and write under `AWSLogs/<account>/`, for that trail
/// only.
pub fn bucket_policy(home: &Home, bucket: &str, trail: &str) -> Value {
    let p = &home.partition;
    let mut write = home.source(trail);
    write["s3:x-amz-acl"] = json!("bucket-owner-full-control");
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:{p}:s3:::{bucket}"),
                "Condition": {"StringEquals": home.source(trail)}
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": format!("arn:{p}:s3:::{bucket}/AWSLogs/{}/*", home.account),
                "Condition": {"StringEquals": write}
            }
        ]
    })
}

/// Who may assume the delivery role: CloudTrail, for the trail `trail`.
pub fn role_trust_policy(home: &Home, trail: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": home.source(trail)}
        }]
    })
}

/// The delivery role's inline policy: create streams in and put events
/// to `log_group`.
pub fn role_policy(home: &Home, log_group: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CloudTrailToCloudWatchLogs",
            "Effect": "Allow",
            "Action": DELIVERY_ACTIONS,
            "Resource": format!(
                "arn:{}:logs:{}:{}:log-group:{log_group}:log-stream:*",
                home.partition, home.region, home.account
            )
        }]
    })
}

/// The permissions boundary of the stack `prefix`'s roles: at most what
/// the delivery role does, on the log groups whose name holds the prefix.
/// An IAM administrator creates it once (`monitui iam-policy --boundary`);
/// the admin policy lets monitui create and change roles only with it, so
/// no role monitui makes can hold more than this.
pub fn boundary_policy(partition: &str, account: &str, prefix: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "MonituiStackRolesAtMost",
            "Effect": "Allow",
            "Action": DELIVERY_ACTIONS,
            "Resource": format!("arn:{partition}:logs:*:{account}:log-group:*{prefix}*:log-stream:*")
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(partition: &str) -> Home {
        Home {
            partition: partition.into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    #[test]
    fn bucket_policy_accepts_only_the_stack_s_trail_under_its_account_prefix() {
        let p = bucket_policy(&home("aws"), "b", "shop-audit-trail");
        let source = json!({
            "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/shop-audit-trail",
            "aws:SourceAccount": "123456789012"
        });
        let acl = &p["Statement"][0];
        assert_eq!(acl["Resource"], "arn:aws:s3:::b");
        assert_eq!(acl["Condition"]["StringEquals"], source);
        let write = &p["Statement"][1];
        assert_eq!(write["Resource"], "arn:aws:s3:::b/AWSLogs/123456789012/*");
        assert_eq!(write["Principal"]["Service"], CLOUDTRAIL);
        let mut expected = source;
        expected["s3:x-amz-acl"] = json!("bucket-owner-full-control");
        assert_eq!(write["Condition"]["StringEquals"], expected);
    }

    #[test]
    fn trust_policy_names_the_trail_and_account() {
        let t = role_trust_policy(&home("aws-cn"), "shop-audit-trail");
        assert_eq!(t["Statement"][0]["Action"], "sts:AssumeRole");
        assert_eq!(
            t["Statement"][0]["Condition"]["StringEquals"],
            json!({
                "aws:SourceArn": "arn:aws-cn:cloudtrail:eu-west-1:123456789012:trail/shop-audit-trail",
                "aws:SourceAccount": "123456789012"
            })
        );
    }

    #[test]
    fn role_policy_names_the_log_group_in_the_partition_and_account() {
        let p = role_policy(&home("aws-us-gov"), "/aws/cloudtrail/p");
        assert_eq!(
            p["Statement"][0]["Resource"],
            "arn:aws-us-gov:logs:eu-west-1:123456789012:log-group:/aws/cloudtrail/p:log-stream:*"
        );
    }

    #[test]
    fn the_boundary_allows_what_the_role_policy_grants_and_no_more() {
        let h = home("aws");
        let role = role_policy(&h, "/aws/cloudtrail/shop");
        let boundary = boundary_policy("aws", "123456789012", "shop");
        assert_eq!(
            role["Statement"][0]["Action"],
            boundary["Statement"][0]["Action"]
        );
        let pattern = boundary["Statement"][0]["Resource"]
            .as_str()
            .unwrap()
            .replace('*', ".*");
        let granted = role["Statement"][0]["Resource"].as_str().unwrap();
        assert!(
            regex::Regex::new(&format!("^{pattern}$"))
                .unwrap()
                .is_match(granted),
            "{granted} outside {pattern}"
        );
        assert_eq!(
            h.boundary_arn("shop"),
            "arn:aws:iam::123456789012:policy/shop-monitui-boundary"
        );
    }
}
