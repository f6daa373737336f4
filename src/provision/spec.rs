//! The provisioning spec: a TOML file describing the monitoring stack
//! (topic and subscriptions, log groups, the trail with its bucket and
//! role, alarms, dashboards) with `${name}` variables. [`parse`] turns it
//! into the desired [`Resource`]s; every error names the file, the line
//! and the field, a missing variable names the variable, and dashboard
//! bodies are checked with monitui's dashboard parser before anything is
//! sent. [`BUILTIN`] is the spec `provision init` writes: the seed's stack.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::policies::{Home, ROLE_POLICY_NAME, bucket_policy, role_policy, role_trust_policy};
use super::vars::{ENV_ONLY, VarError, substitute};
use crate::model::dashboard::Dashboard as DashboardBody;
use crate::model::dashboard::seed::BODIES as SEED_DASHBOARDS;
use crate::model::slo::{RawSlo, Slo, SloFieldError, check_all};
use crate::model::stack::{
    Alarm, Bucket, Dashboard, Kind, LogGroup, Resource, Role, Subscription, Topic, Trail,
};
use crate::model::{Comparison, TreatMissingData};

/// The built-in spec (the seed's stack), as `provision init` writes it.
pub const BUILTIN: &str = include_str!("spec/builtin.toml");

/// Tag values are at most this long, which bounds the ledgers the topic
/// keeps (see [`Topic::dashboards`] and `SUBSCRIPTIONS_TAG`).
const MAX_TAG_VALUE: usize = 256;

/// A spec that cannot be used; every variant says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// Not TOML, or not the spec's shape (unknown or missing key, wrong type).
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The spec file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// One field's value is unusable (including a missing variable).
    #[error("{file}:{line}: {field}: {message}")]
    Field {
        /// The spec file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The field, e.g. `alarms[2].comparison`.
        field: String,
        /// What was wrong.
        message: String,
    },
}

/// Resources by (kind, name), e.g. the ones a spec marks shared.
pub type ResourceKeys = BTreeSet<(Kind, String)>;

/// What a spec describes once its variables are filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    /// The stack's prefix (the value of the managed tag).
    pub prefix: String,
    /// Every resource, in apply order.
    pub resources: Vec<Resource>,
    /// The resources the spec marks `shared`: used by the whole account
    /// (e.g. `/aws/batch/job`, which every Batch job writes to), so never
    /// claimed: never tagged as this stack's, never deleted, and their
    /// settings set only when [`Desired::adopt_shared`] asks.
    pub shared: ResourceKeys,
    /// The service level targets (`[[slos]]`).
    pub slos: Vec<Slo>,
    /// The person asked (`--adopt-shared`) to create the shared resources
    /// that are missing and give them the spec's settings (still untagged).
    pub adopt_shared: bool,
}

impl Desired {
    /// Whether the spec marks this resource `shared`.
    pub fn is_shared(&self, kind: Kind, name: &str) -> bool {
        self.shared.contains(&(kind, name.to_string()))
    }
}

/// Where a spec comes from and what fills its variables.
#[derive(Debug, Clone)]
pub struct SpecSource<'a> {
    /// The file name used in messages (and, for `body_file`, its folder).
    pub file: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// The env's variables (`prefix`, `region`, `stage`).
    pub env_vars: &'a BTreeMap<String, String>,
    /// `--var` values, which win over the file's `[vars]`; one of
    /// [`ENV_ONLY`] is ignored here (the env's value stands) and refused
    /// where the arguments are parsed.
    pub cli_vars: &'a BTreeMap<String, String>,
}

type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    vars: BTreeMap<String, Text>,
    topic: RawTopic,
    log_groups: RawLogGroups,
    trail: Option<RawTrail>,
    #[serde(default)]
    alarms: Vec<RawAlarm>,
    #[serde(default)]
    dashboards: Vec<RawDashboard>,
    #[serde(default)]
    slos: Vec<RawSlo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    name: Text,
    kms_key: Option<Text>,
    emails: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogGroups {
    kms_key: Option<Text>,
    retention_days: Spanned<BTreeMap<String, u32>>,
    names: Vec<Text>,
    #[serde(default)]
    shared: Vec<Text>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrail {
    name: Text,
    bucket: Text,
    kms_key: Option<Text>,
    #[serde(default = "yes")]
    multi_region: bool,
    #[serde(default = "yes")]
    log_file_validation: bool,
    log_group: Option<Text>,
    role: Option<Text>,
    #[serde(default)]
    s3_data_buckets: Vec<Text>,
    #[serde(default)]
    lambda_data_events: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlarm {
    name: Text,
    description: Option<Text>,
    namespace: Text,
    metric: Text,
    #[serde(default)]
    dimensions: BTreeMap<String, Text>,
    statistic: Text,
    period: Spanned<u32>,
    evaluation_periods: Spanned<u32>,
    datapoints_to_alarm: Option<Spanned<u32>>,
    threshold: Spanned<f64>,
    comparison: Text,
    treat_missing_data: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDashboard {
    name: Text,
    builtin: Option<Text>,
    body_file: Option<Text>,
    body: Option<Text>,
}

/// What a variable that cannot be filled in is called in an error.
fn var_message(e: &VarError) -> String {
    match e {
        VarError::Undefined(name) => format!("missing variable '{name}': {e}"),
        _ => e.to_string(),
    }
}

/// Turns spans into file/line errors and fills in variables.
struct Ctx<'a> {
    file: String,
    dir: PathBuf,
    text: &'a str,
    vars: BTreeMap<String, String>,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn error(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> SpecError {
        SpecError::Field {
            file: self.file.clone(),
            line: self.line(span.start),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The field's text with variables filled in.
    fn text(&self, value: &Text, field: &str) -> Result<String, SpecError> {
        substitute(value.get_ref(), &self.vars)
            .map_err(|e| self.error(value.span(), field, var_message(&e)))
    }

    /// A field that must not be empty once filled in.
    fn required(&self, value: &Text, field: &str) -> Result<String, SpecError> {
        let text = self.text(value, field)?;
        if text.trim().is_empty() {
            return Err(self.error(value.span(), field, "is empty"));
        }
        Ok(text)
    }

    /// Where the stack lives: the env's `partition`, `account` and
    /// `region`, which monitui reads from the account it talks to.
    fn home(&self, span: std::ops::Range<usize>) -> Result<Home, SpecError> {
        let var = |name: &str| {
            self.vars
                .get(name)
                .cloned()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    self.error(
                        span.clone(),
                        "trail",
                        format!("no {name}: the env gives it (read from the account)"),
                    )
                })
        };
        Ok(Home {
            partition: var("partition")?,
            account: var("account")?,
            region: var("region")?,
        })
    }

    /// The `[[slos]]` entries checked, with variables filled in.
    fn slos(&self, raw: &[RawSlo]) -> Result<Vec<Slo>, SpecError> {
        let fill = |value: &Text, field: &str| {
            substitute(value.get_ref(), &self.vars).map_err(|e| SloFieldError {
                span: value.span(),
                field: field.to_string(),
                message: var_message(&e),
            })
        };
        check_all(raw, &fill)
            .map_err(|(i, e)| self.error(e.span, &format!("slos[{i}].{}", e.field), e.message))
    }

    /// An optional field; empty after substitution counts as absent.
    fn optional(&self, value: Option<&Text>, field: &str) -> Result<Option<String>, SpecError> {
        Ok(match value {
            Some(v) => Some(self.text(v, field)?).filter(|t| !t.trim().is_empty()),
            None => None,
        })
    }
}

/// Reads a spec's TOML and its variables (the env's, the file's, then
/// `--var`), refusing a `[vars]` entry that only the env may set.
fn load<'a>(source: &SpecSource<'a>) -> Result<(RawSpec, Ctx<'a>), SpecError> {
    let file = source.file.display().to_string();
    let raw: RawSpec = toml::from_str(source.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let before = &source.text[..offset.min(source.text.len())];
        SpecError::Syntax {
            file: file.clone(),
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            message: e.message().to_string(),
        }
    })?;
    let mut vars = source.env_vars.clone();
    vars.extend(
        raw.vars
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone())),
    );
    vars.extend(
        source
            .cli_vars
            .iter()
            .filter(|(k, _)| !ENV_ONLY.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let ctx = Ctx {
        file,
        dir: source
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        text: source.text,
        vars,
    };
    if let Some((name, value)) = raw
        .vars
        .iter()
        .find(|(k, _)| ENV_ONLY.contains(&k.as_str()))
    {
        return Err(ctx.error(
            value.span(),
            &format!("vars.{name}"),
            format!("'{name}' comes from the env (pick it with --env), never from the spec: remove this line"),
        ));
    }
    Ok((raw, ctx))
}

/// The spec's service level targets (`[[slos]]`) alone: only the
/// variables they use need values.
pub fn slos(source: &SpecSource<'_>) -> Result<Vec<Slo>, SpecError> {
    let (raw, ctx) = load(source)?;
    ctx.slos(&raw.slos)
}

/// Parses a spec into the desired resources.
pub fn parse(source: &SpecSource<'_>) -> Result<Desired, SpecError> {
    let (raw, ctx) = load(source)?;
    let slos = ctx.slos(&raw.slos)?;
    let prefix = ctx
        .vars
        .get("prefix")
        .cloned()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ctx.error(0..0, "vars.prefix", "no prefix: the env gives one"))?;
    let dashboards = dashboards(&ctx, &raw.dashboards)?;
    let (topic, subscriptions) = topic(&ctx, &raw.topic, &dashboards)?;
    let mut resources = vec![Resource::Topic(topic)];
    resources.extend(subscriptions);
    let (groups, shared) = log_groups(&ctx, &raw.log_groups)?;
    if let Some(trail) = &raw.trail {
        resources.extend(self::trail(&ctx, trail, &groups, &prefix)?);
    }
    resources.extend(groups.into_iter().map(Resource::LogGroup));
    let topic_name = resources[0].name();
    let mut names = Unique::default();
    for (i, alarm) in raw.alarms.iter().enumerate() {
        let alarm = self::alarm(&ctx, alarm, i, &topic_name)?;
        names.check(
            &ctx,
            &alarm.name,
            raw.alarms[i].name.span(),
            &format!("alarms[{i}].name"),
        )?;
        resources.push(Resource::Alarm(alarm));
    }
    for (i, slo) in slos.iter().enumerate() {
        let span = raw.slos[i].name_span();
        if slo.alarms && slo.name.contains('"') {
            return Err(ctx.error(
                span,
                &format!("slos[{i}].name"),
                "a target with alarms cannot have '\"' in its name (its composite alarms' rules quote the names)",
            ));
        }
        for burn in super::burn::burn_alarms(slo, &topic_name) {
            names.check(&ctx, &burn.name(), span.clone(), &format!("slos[{i}].name"))?;
            resources.push(burn);
        }
    }
    resources.extend(dashboards.into_iter().map(Resource::Dashboard));
    // Stable: each kind keeps the spec's order (a target's alarms in turn).
    resources.sort_by_key(Resource::kind);
    Ok(Desired {
        prefix,
        resources,
        shared,
        slos,
        adopt_shared: false,
    })
}

/// Names already used in one list of the spec.
#[derive(Default)]
struct Unique(BTreeSet<String>);

impl Unique {
    fn check(
        &mut self,
        ctx: &Ctx<'_>,
        name: &str,
        span: std::ops::Range<usize>,
        field: &str,
    ) -> Result<(), SpecError> {
        if self.0.insert(name.to_string()) {
            Ok(())
        } else {
            Err(ctx.error(span, field, format!("'{name}' appears twice")))
        }
    }
}

fn topic(
    ctx: &Ctx<'_>,
    raw: &RawTopic,
    dashboards: &[Dashboard],
) -> Result<(Topic, Vec<Resource>), SpecError> {
    let name = ctx.required(&raw.name, "topic.name")?;
    let mut ledger: Vec<String> = dashboards.iter().map(|d| d.name.clone()).collect();
    ledger.sort();
    if ledger.join(" ").len() > MAX_TAG_VALUE {
        return Err(ctx.error(
            raw.name.span(),
            "dashboards",
            format!("the dashboard names add up to more than the {MAX_TAG_VALUE} characters the topic's tag can record"),
        ));
    }
    let mut subscriptions = Vec::new();
    if let Some(emails) = ctx.optional(raw.emails.as_ref(), "topic.emails")? {
        let span = raw.emails.as_ref().map(Spanned::span).unwrap_or_default();
        let mut seen = Unique::default();
        for email in emails.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (user, domain) = email.split_once('@').unwrap_or_default();
            if user.is_empty() || !domain.contains('.') || email.contains(char::is_whitespace) {
                return Err(ctx.error(
                    span,
                    "topic.emails",
                    format!("'{email}' is not an e-mail address"),
                ));
            }
            if !email
                .chars()
                .all(|c| c.is_alphanumeric() || "_.:/=+-@".contains(c))
            {
                return Err(ctx.error(
                    span,
                    "topic.emails",
                    format!("'{email}' has characters an SNS tag cannot hold, so monitui could not record making its subscription"),
                ));
            }
            seen.check(ctx, email, span.clone(), "topic.emails")?;
            subscriptions.push(Resource::Subscription(Subscription {
                topic: name.clone(),
                protocol: "email".into(),
                endpoint: email.to_string(),
                pending: false,
            }));
        }
        let recorded: Vec<String> = subscriptions.iter().map(Resource::name).collect();
        if recorded.join(" ").len() > MAX_TAG_VALUE {
            return Err(ctx.error(
                span,
                "topic.emails",
                format!("the subscriptions add up to more than the {MAX_TAG_VALUE} characters the topic's tag can record"),
            ));
        }
    }
    Ok((
        Topic {
            kms_key: ctx.optional(raw.kms_key.as_ref(), "topic.kms_key")?,
            name,
            dashboards: ledger,
        },
        subscriptions,
    ))
}

/// Retention values CloudWatch Logs accepts.
const RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// The log groups (`names` and `shared`, one list to the trail and the
/// plan) and the (kind, name) of the shared ones.
fn log_groups(
    ctx: &Ctx<'_>,
    raw: &RawLogGroups,
) -> Result<(Vec<LogGroup>, ResourceKeys), SpecError> {
    let stage = ctx.vars.get("stage").map_or("dev", String::as_str);
    let span = raw.retention_days.span();
    let field = "log_groups.retention_days";
    if let Some(bad) = raw
        .retention_days
        .get_ref()
        .keys()
        .find(|k| !["dev", "staging", "prod"].contains(&k.as_str()))
    {
        return Err(ctx.error(
            span,
            field,
            format!("'{bad}' is not a stage (dev, staging, prod)"),
        ));
    }
    let days = *raw.retention_days.get_ref().get(stage).ok_or_else(|| {
        ctx.error(
            span.clone(),
            field,
            format!("no retention for stage '{stage}'"),
        )
    })?;
    if !RETENTION_DAYS.contains(&days) {
        return Err(ctx.error(
            span,
            field,
            format!("{days} days is not a retention CloudWatch Logs accepts ({RETENTION_DAYS:?})"),
        ));
    }
    let kms_key = ctx.optional(raw.kms_key.as_ref(), "log_groups.kms_key")?;
    let mut seen = Unique::default();
    let mut shared = ResourceKeys::new();
    let listed = raw.names.iter().enumerate().map(|(i, n)| ("names", i, n));
    let groups = listed
        .chain(raw.shared.iter().enumerate().map(|(i, n)| ("shared", i, n)))
        .map(|(list, i, n)| {
            let field = format!("log_groups.{list}[{i}]");
            let name = ctx.required(n, &field)?;
            let valid = name.len() <= 512
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-/.#".contains(c));
            if !valid {
                return Err(ctx.error(
                    n.span(),
                    &field,
                    format!("'{name}' is not a log group name"),
                ));
            }
            seen.check(ctx, &name, n.span(), &field)?;
            if list == "shared" {
                shared.insert((Kind::LogGroup, name.clone()));
            }
            Ok(LogGroup {
                name,
                retention_days: Some(days),
                kms_key: kms_key.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((groups, shared))
}

fn trail(
    ctx: &Ctx<'_>,
    raw: &RawTrail,
    groups: &[LogGroup],
    prefix: &str,
) -> Result<Vec<Resource>, SpecError> {
    let name = ctx.required(&raw.name, "trail.name")?;
    let bucket = ctx.required(&raw.bucket, "trail.bucket")?;
    let kms_key = ctx.optional(raw.kms_key.as_ref(), "trail.kms_key")?;
    let log_group = ctx.optional(raw.log_group.as_ref(), "trail.log_group")?;
    let role = ctx.optional(raw.role.as_ref(), "trail.role")?;
    if log_group.is_some() != role.is_some() {
        return Err(ctx.error(
            raw.name.span(),
            "trail",
            "log_group and role go together (CloudTrail needs the role to write to the group)",
        ));
    }
    if let (Some(group), Some(span)) = (&log_group, raw.log_group.as_ref().map(Spanned::span))
        && !groups.iter().any(|g| &g.name == group)
    {
        return Err(ctx.error(
            span,
            "trail.log_group",
            format!("'{group}' is not one of log_groups.names"),
        ));
    }
    let mut s3_data_buckets = raw
        .s3_data_buckets
        .iter()
        .enumerate()
        .map(|(i, b)| ctx.required(b, &format!("trail.s3_data_buckets[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    s3_data_buckets.sort();
    let home = ctx.home(raw.name.span())?;
    let mut out = vec![Resource::Bucket(Bucket {
        name: bucket.clone(),
        kms_key: kms_key.clone(),
        public_access_blocked: true,
        policy: Some(bucket_policy(&home, &bucket, &name)),
    })];
    if let (Some(role), Some(group)) = (&role, &log_group) {
        out.push(Resource::Role(Role {
            name: role.clone(),
            trust_policy: role_trust_policy(&home, &name),
            policy_name: ROLE_POLICY_NAME.into(),
            policy: Some(role_policy(&home, group)),
            permissions_boundary: Some(home.boundary_arn(prefix)),
        }));
    }
    out.push(Resource::Trail(Trail {
        name,
        bucket,
        kms_key,
        multi_region: raw.multi_region,
        log_file_validation: raw.log_file_validation,
        log_group,
        role,
        s3_data_buckets,
        lambda_data_events: raw.lambda_data_events,
        logging: true,
    }));
    Ok(out)
}

const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

fn alarm(ctx: &Ctx<'_>, raw: &RawAlarm, i: usize, topic: &str) -> Result<Alarm, SpecError> {
    let field = |f: &str| format!("alarms[{i}].{f}");
    let statistic = ctx.required(&raw.statistic, &field("statistic"))?;
    if !STATISTICS.contains(&statistic.as_str()) {
        return Err(ctx.error(
            raw.statistic.span(),
            &field("statistic"),
            format!("'{statistic}' is not one of {}", STATISTICS.join(", ")),
        ));
    }
    let comparison = ctx.required(&raw.comparison, &field("comparison"))?;
    if Comparison::parse(&comparison).is_none() {
        return Err(ctx.error(
            raw.comparison.span(),
            &field("comparison"),
            format!("'{comparison}' is not a comparison operator, e.g. GreaterThanThreshold"),
        ));
    }
    let treat_missing_data = match &raw.treat_missing_data {
        Some(t) => {
            let value = ctx.required(t, &field("treat_missing_data"))?;
            serde_json::from_value::<TreatMissingData>(serde_json::Value::String(value.clone()))
                .map_err(|_| {
                    ctx.error(
                        t.span(),
                        &field("treat_missing_data"),
                        format!("'{value}' is not one of breaching, notBreaching, ignore, missing"),
                    )
                })?;
            value
        }
        None => "missing".into(),
    };
    let period = *raw.period.get_ref();
    if !(period == 10 || period == 30 || (period >= 60 && period.is_multiple_of(60))) {
        return Err(ctx.error(
            raw.period.span(),
            &field("period"),
            format!("{period} s is not 10, 30 or a multiple of 60"),
        ));
    }
    let evaluation_periods = *raw.evaluation_periods.get_ref();
    if evaluation_periods == 0 {
        return Err(ctx.error(
            raw.evaluation_periods.span(),
            &field("evaluation_periods"),
            "must be at least 1",
        ));
    }
    let datapoints_to_alarm = match &raw.datapoints_to_alarm {
        Some(d) if *d.get_ref() == 0 || *d.get_ref() > evaluation_periods => {
            return Err(ctx.error(
                d.span(),
                &field("datapoints_to_alarm"),
                format!("must be between 1 and evaluation_periods ({evaluation_periods})"),
            ));
        }
        d => d.as_ref().map(|d| *d.get_ref()),
    };
    let threshold = *raw.threshold.get_ref();
    if !threshold.is_finite() {
        return Err(ctx.error(
            raw.threshold.span(),
            &field("threshold"),
            "must be a finite number",
        ));
    }
    let dimensions = raw
        .dimensions
        .iter()
        .map(|(k, v)| {
            Ok((
                k.clone(),
                ctx.required(v, &field(&format!("dimensions.{k}")))?,
            ))
        })
        .collect::<Result<BTreeMap<_, _>, SpecError>>()?;
    Ok(Alarm {
        name: ctx.required(&raw.name, &field("name"))?,
        description: ctx
            .optional(raw.description.as_ref(), &field("description"))?
            .unwrap_or_default(),
        namespace: ctx.required(&raw.namespace, &field("namespace"))?,
        metric: ctx.required(&raw.metric, &field("metric"))?,
        dimensions,
        statistic,
        queries: Vec::new(),
        period,
        evaluation_periods,
        datapoints_to_alarm,
        threshold,
        comparison,
        treat_missing_data,
        topics: vec![topic.to_string()],
    })
}

fn dashboards(ctx: &Ctx<'_>, raw: &[RawDashboard]) -> Result<Vec<Dashboard>, SpecError> {
    let mut seen = Unique::default();
    raw.iter()
        .enumerate()
        .map(|(i, d)| {
            let field = |f: &str| format!("dashboards[{i}].{f}");
            let name = ctx.required(&d.name, &field("name"))?;
            seen.check(ctx, &name, d.name.span(), &field("name"))?;
            let (span, which, template) = match (&d.builtin, &d.body_file, &d.body) {
                (Some(b), None, None) => {
                    let wanted = b.get_ref();
                    let template = SEED_DASHBOARDS
                        .iter()
                        .find(|(suffix, _)| suffix == wanted)
                        .map(|(_, body)| body.to_string())
                        .ok_or_else(|| {
                            let known: Vec<&str> =
                                SEED_DASHBOARDS.iter().map(|(s, _)| *s).collect();
                            ctx.error(
                                b.span(),
                                &field("builtin"),
                                format!(
                                    "'{wanted}' is not a built-in dashboard ({})",
                                    known.join(", ")
                                ),
                            )
                        })?;
                    (b.span(), "builtin", template)
                }
                (None, Some(f), None) => {
                    let path = ctx.dir.join(ctx.text(f, &field("body_file"))?);
                    let template = std::fs::read_to_string(&path).map_err(|e| {
                        ctx.error(
                            f.span(),
                            &field("body_file"),
                            format!("cannot read {}: {e}", path.display()),
                        )
                    })?;
                    (f.span(), "body_file", template)
                }
                (None, None, Some(b)) => (b.span(), "body", b.get_ref().clone()),
                _ => {
                    return Err(ctx.error(
                        d.name.span(),
                        &field("name"),
                        "give exactly one of builtin, body_file and body",
                    ));
                }
            };
            let body = substitute(&template, &ctx.vars)
                .map_err(|e| ctx.error(span.clone(), &field(which), e.to_string()))?;
            check_body(&body).map_err(|m| ctx.error(span, &field(which), m))?;
            Ok(Dashboard {
                name,
                body: serde_json::from_str(&body)
                    .expect("the dashboard parser accepted it as JSON"),
            })
        })
        .collect()
}

/// Checks a dashboard body with monitui's dashboard parser: the body must
/// be a dashboard and every widget usable.
pub fn check_body(body: &str) -> Result<(), String> {
    let parsed = DashboardBody::parse(body).map_err(|e| format!("not a dashboard body: {e}"))?;
    let problems: Vec<String> = parsed.errors().map(ToString::to_string).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "dashboard body has unusable widgets: {}",
            problems.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests;
