//! What the demo account's log groups say, one minute at a time: Lambda
//! runtime lines (START/END/REPORT) around JSON application lines, Batch
//! ETL progress in plain text, API Gateway access logs in JSON and
//! CloudTrail records. The scripted incidents (see `incidents`) show up as
//! they happen: the Lambda error burst as Python tracebacks in the
//! analytics service (and some in the retail copilot) and 502s on the
//! API's analytics routes; the DMS lag spike as the Batch ETL job waiting
//! on replication, then timing out with a traceback.
//!
//! Every line is a pure function of (seed, group, minute, index), so any
//! window can be generated on its own.

use jiff::Timestamp;
use serde_json::json;

use super::catalog::{ACCOUNT_ID, ANALYTICS_SERVICE, LAMBDAS, REGION};
use super::incidents::Incidents;
use super::metrics::daily_shape;
use super::noise::{Noise, splitmix64};

/// Index into `LAMBDAS` of the retail copilot (the burst hits it too).
const RETAIL_COPILOT: usize = 5;

/// What kind of service writes a group, which decides its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A Lambda function (index into `LAMBDAS`).
    Lambda(usize),
    /// The Batch ETL jobs.
    Batch,
    /// The API's access log.
    ApiGateway,
    /// CloudTrail delivered to Logs.
    CloudTrail,
}

impl GroupKind {
    /// Every group of the account, in the seed's order.
    pub fn all() -> impl Iterator<Item = GroupKind> {
        (0..LAMBDAS.len()).map(GroupKind::Lambda).chain([
            GroupKind::Batch,
            GroupKind::ApiGateway,
            GroupKind::CloudTrail,
        ])
    }

    /// The group's name for resources named `prefix-...`.
    pub fn name(self, prefix: &str) -> String {
        match self {
            GroupKind::Lambda(i) => format!("/aws/lambda/{prefix}-{}", LAMBDAS[i].suffix),
            GroupKind::Batch => "/aws/batch/job".to_string(),
            GroupKind::ApiGateway => format!("/aws/apigateway/{prefix}"),
            GroupKind::CloudTrail => format!("/aws/cloudtrail/{prefix}"),
        }
    }

    /// Mean number of events (Lambda: invocations) in a minute at the
    /// afternoon peak.
    fn peak_per_minute(self) -> f64 {
        match self {
            GroupKind::Lambda(i) => (LAMBDAS[i].peak_per_minute / 20.0).clamp(1.5, 30.0),
            GroupKind::Batch => 6.0,
            GroupKind::ApiGateway => 40.0,
            GroupKind::CloudTrail => 4.0,
        }
    }

    /// Typical bytes written a day, for the stored-bytes figure.
    pub fn bytes_per_day(self) -> u64 {
        let lines_per_event = if matches!(self, GroupKind::Lambda(_)) {
            4.0
        } else {
            1.0
        };
        (self.peak_per_minute() * 0.6 * lines_per_event * 1440.0 * 190.0) as u64
    }
}

/// One generated line, before it becomes a `LogEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Milliseconds since the epoch.
    pub millis: i64,
    /// Log stream.
    pub stream: String,
    /// The message.
    pub message: String,
}

/// Writes the lines of one group.
#[derive(Debug, Clone, Copy)]
pub struct LineMaker<'a> {
    /// Noise of the account's seed.
    pub noise: Noise,
    /// The incident schedule.
    pub incidents: Incidents,
    /// Resource prefix.
    pub prefix: &'a str,
    /// Which group.
    pub kind: GroupKind,
    /// `stream_id` of the group's name.
    pub stream: u64,
}

impl LineMaker<'_> {
    /// The lines of epoch minute `minute`, oldest first.
    pub fn minute(&self, minute: i64) -> Vec<Line> {
        let burst = self.incidents.lambda_burst(minute);
        let lag = self.incidents.dms_lag(minute);
        let mut rate = self.kind.peak_per_minute() * daily_shape(minute);
        if burst && self.kind == GroupKind::Lambda(ANALYTICS_SERVICE) {
            rate *= 1.5;
        }
        let count = self.noise.poisson(self.stream, minute, 0, rate).max(1);
        let mut starts: Vec<i64> = (0..count)
            .map(|i| (self.noise.unit(self.stream, minute, 1 + i) * 59_000.0) as i64)
            .collect();
        starts.sort_unstable();
        let base = minute * 60_000;
        let mut lines = Vec::new();
        for (i, offset) in starts.into_iter().enumerate() {
            let ctx = Ctx {
                maker: self,
                minute,
                index: i as u64,
                millis: base + offset,
                burst,
                lag,
            };
            match self.kind {
                GroupKind::Lambda(f) => ctx.lambda(f, &mut lines),
                GroupKind::Batch => ctx.batch(&mut lines),
                GroupKind::ApiGateway => ctx.api(&mut lines),
                GroupKind::CloudTrail => ctx.trail(&mut lines),
            }
        }
        lines.sort_by_key(|l| l.millis);
        lines
    }
}

/// One event being written.
struct Ctx<'a, 'b> {
    maker: &'a LineMaker<'b>,
    minute: i64,
    index: u64,
    millis: i64,
    burst: bool,
    lag: Option<f64>,
}

impl Ctx<'_, '_> {
    fn unit(&self, draw: u64) -> f64 {
        self.maker.noise.unit(
            self.maker.stream,
            self.minute,
            1000 + self.index * 16 + draw,
        )
    }

    fn bits(&self, draw: u64) -> u64 {
        splitmix64((self.unit(draw) * 9.007e15) as u64 ^ self.maker.stream)
    }

    fn pick<'s>(&self, draw: u64, choices: &[&'s str]) -> &'s str {
        choices[(self.unit(draw) * choices.len() as f64) as usize % choices.len()]
    }

    fn uuid(&self, draw: u64) -> String {
        let a = self.bits(draw);
        let b = splitmix64(a);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    fn iso(&self, millis: i64) -> String {
        Timestamp::from_millisecond(millis)
            .map(|t| format!("{t:.3}"))
            .unwrap_or_default()
    }

    fn push(&self, lines: &mut Vec<Line>, millis: i64, stream: &str, message: String) {
        lines.push(Line {
            millis,
            stream: stream.to_string(),
            message,
        });
    }

    /// A Lambda stream: one of three warm containers of the hour.
    fn lambda_stream(&self) -> String {
        let hour = self.minute.div_euclid(60);
        let container = (self.unit(0) * 3.0) as u64;
        let id = splitmix64(self.maker.stream ^ (hour as u64) << 8 ^ container);
        let day = Timestamp::from_millisecond(self.millis)
            .map(|t| t.strftime("%Y/%m/%d").to_string())
            .unwrap_or_default();
        format!("{day}/[$LATEST]{id:016x}{:016x}", splitmix64(id))
    }

    fn lambda(&self, f: usize, lines: &mut Vec<Line>) {
        let profile = LAMBDAS[f];
        let stream = self.lambda_stream();
        let request = self.uuid(1);
        let fails = self.burst
            && match f {
                ANALYTICS_SERVICE => self.unit(2) < 0.7,
                RETAIL_COPILOT => self.unit(2) < 0.25,
                _ => false,
            };
        let duration = profile.duration_ms * (0.6 + self.unit(3) * 0.8);
        let duration = if fails {
            duration.max(3000.0)
        } else {
            duration
        };
        let t = self.millis;
        let end = t + duration as i64;
        self.push(
            lines,
            t,
            &stream,
            format!("START RequestId: {request} Version: $LATEST"),
        );
        let app_line = if fails {
            self.lambda_error(f, &request)
        } else {
            self.lambda_info(f, &request, duration)
        };
        self.push(lines, t + (duration / 2.0) as i64, &stream, app_line);
        self.push(lines, end, &stream, format!("END RequestId: {request}"));
        let memory = 128 + (self.unit(4) * 200.0) as u32;
        let mut report = format!(
            "REPORT RequestId: {request}\tDuration: {duration:.2} ms\tBilled Duration: {} ms\tMemory Size: 1024 MB\tMax Memory Used: {memory} MB",
            duration.ceil() as u64
        );
        if fails {
            report.push_str("\tStatus: error\tError Type: Runtime.Unknown");
        }
        self.push(lines, end, &stream, report);
    }

    fn lambda_info(&self, f: usize, request: &str, duration: f64) -> String {
        let (message, extra) = match LAMBDAS[f].suffix {
            "auth-service" => (
                self.pick(5, &["token issued", "token refreshed", "session validated"]),
                json!({"user_id": format!("u-{}", self.bits(6) % 90_000 + 10_000), "mfa": self.unit(7) < 0.8}),
            ),
            "analytics-service" => (
                "aggregated events",
                json!({"events": self.bits(6) % 5000 + 200, "partition": format!("dt={}", self.iso(self.millis).get(..10).unwrap_or_default())}),
            ),
            "market-intelligence-hub" => (
                "competitor prices refreshed",
                json!({"skus": self.bits(6) % 900 + 100, "source": self.pick(7, &["feed-a", "feed-b", "scraper"])}),
            ),
            "demand-insights-engine" => (
                "forecast computed",
                json!({"model": "demand-xgb-v12", "mape": ((self.unit(6) * 8.0 + 4.0) * 100.0).round() / 100.0}),
            ),
            "compliance-guardian" => (
                self.pick(
                    5,
                    &[
                        "policy check passed",
                        "pii scan clean",
                        "policy check passed",
                    ],
                ),
                json!({"documents": self.bits(6) % 40 + 1}),
            ),
            "retail-copilot" => (
                "conversation turn answered",
                json!({"tokens_in": self.bits(6) % 800 + 50, "tokens_out": self.bits(7) % 400 + 20}),
            ),
            _ => (
                "market pulse scored",
                json!({"regions": self.bits(6) % 12 + 1, "score": self.bits(7) % 100}),
            ),
        };
        let mut fields = vec![
            ("timestamp", json!(self.iso(self.millis))),
            (
                "level",
                json!(if self.unit(8) < 0.05 { "WARN" } else { "INFO" }),
            ),
            ("requestId", json!(request)),
            (
                "function",
                json!(format!("{}-{}", self.maker.prefix, LAMBDAS[f].suffix)),
            ),
            ("message", json!(message)),
            ("duration_ms", json!((duration * 100.0).round() / 100.0)),
        ];
        if let Some(extra) = extra.as_object() {
            fields.extend(extra.iter().map(|(k, v)| (k.as_str(), v.clone())));
        }
        ordered(&fields)
    }

    fn lambda_error(&self, f: usize, request: &str) -> String {
        let (error, detail, frames) = if f == ANALYTICS_SERVICE {
            (
                "ConnectionError",
                "HTTPSConnectionPool(host='analytics-db.internal', port=5432): Read timed out. (read timeout=3)",
                [
                    (
                        "/var/task/handler.py",
                        88,
                        "handler",
                        "rows = store.fetch_window(event[\"window\"])",
                    ),
                    (
                        "/var/task/analytics/store.py",
                        141,
                        "fetch_window",
                        "return self._query(sql, params)",
                    ),
                    (
                        "/var/task/analytics/store.py",
                        203,
                        "_query",
                        "cursor.execute(sql, params)",
                    ),
                ],
            )
        } else {
            (
                "ClientError",
                "An error occurred (ThrottlingException) when calling the InvokeEndpoint operation: Rate exceeded",
                [
                    (
                        "/var/task/app.py",
                        54,
                        "lambda_handler",
                        "answer = copilot.reply(session, text)",
                    ),
                    (
                        "/var/task/copilot/model.py",
                        77,
                        "reply",
                        "response = runtime.invoke_endpoint(**request)",
                    ),
                    (
                        "/var/runtime/botocore/client.py",
                        1009,
                        "_make_api_call",
                        "raise error_class(parsed_response, operation_name)",
                    ),
                ],
            )
        };
        let mut text = format!(
            "[ERROR]\t{}\t{request}\t{error}: {detail}\nTraceback (most recent call last):",
            self.iso(self.millis)
        );
        for (file, line, func, code) in frames {
            text.push_str(&format!(
                "\n  File \"{file}\", line {line}, in {func}\n    {code}"
            ));
        }
        text.push_str(&format!("\n{error}: {detail}"));
        text
    }

    fn batch(&self, lines: &mut Vec<Line>) {
        let job = self.minute.div_euclid(30);
        let stream = format!(
            "{}-etl-job/default/{:032x}",
            self.maker.prefix,
            u128::from(splitmix64(self.maker.stream ^ job as u64)) << 64
                | u128::from(splitmix64(job as u64))
        );
        let when = self.iso(self.millis);
        let task = format!("{}-replication-task", self.maker.prefix);
        let message = match self.lag {
            Some(lag) if self.index == 0 && lag >= 800.0 => format!(
                "{when} ERROR [etl.extract] giving up on batch {job}: source lag {lag:.0}s\nTraceback (most recent call last):\n  File \"/app/etl/main.py\", line 61, in run\n    extract.wait_for_replication(task, max_lag=300)\n  File \"/app/etl/extract.py\", line 118, in wait_for_replication\n    raise ReplicationLagTimeout(task, lag)\netl.errors.ReplicationLagTimeout: DMS task {task} lag {lag:.0}s exceeds 300s"
            ),
            Some(lag) => format!(
                "{when} WARN  [etl.extract] DMS task {task} CDCLatencySource={lag:.0}s above 300s; waiting before reading orders_cdc (attempt {})",
                self.index + 1
            ),
            None => {
                let rows = self.bits(1) % 90_000 + 10_000;
                match self.index % 3 {
                    0 => format!(
                        "{when} INFO  [etl.extract] read {rows} rows from orders_cdc (batch {job})"
                    ),
                    1 => format!(
                        "{when} INFO  [etl.transform] wrote {rows} rows to s3://{}-datalake/curated/orders/",
                        self.maker.prefix
                    ),
                    _ => format!(
                        "{when} INFO  [etl.load] glue partition dt={} registered",
                        when.get(..10).unwrap_or_default()
                    ),
                }
            }
        };
        self.push(lines, self.millis, &stream, message);
    }

    fn api(&self, lines: &mut Vec<Line>) {
        let analytics = self.unit(1) < 0.2;
        let path = if analytics {
            self.pick(2, &["/v1/analytics/events", "/v1/analytics/summary"])
        } else {
            self.pick(
                2,
                &[
                    "/v1/products",
                    "/v1/cart",
                    "/v1/auth/token",
                    "/v1/copilot/chat",
                    "/v1/orders",
                ],
            )
        };
        let status = if self.burst && analytics && self.unit(3) < 0.7 {
            502
        } else if self.unit(3) < 0.03 {
            404
        } else if self.unit(3) < 0.035 {
            429
        } else {
            200
        };
        let integration = (20.0 + self.unit(4) * 120.0) as u64;
        let latency = if status == 502 {
            29_000 + integration
        } else {
            integration + 3 + self.bits(5) % 8
        };
        let time = Timestamp::from_millisecond(self.millis)
            .map(|t| t.strftime("%d/%b/%Y:%H:%M:%S +0000").to_string())
            .unwrap_or_default();
        let body = ordered(&[
            ("requestId", json!(self.uuid(6))),
            (
                "ip",
                json!(format!("198.51.100.{}", self.bits(7) % 250 + 1)),
            ),
            ("requestTime", json!(time)),
            (
                "httpMethod",
                json!(if path.ends_with("token") || path.ends_with("chat") {
                    "POST"
                } else {
                    "GET"
                }),
            ),
            ("resourcePath", json!(path)),
            ("status", json!(status)),
            ("protocol", json!("HTTP/1.1")),
            (
                "responseLength",
                json!(if status == 200 {
                    self.bits(8) % 4000 + 200
                } else {
                    36
                }),
            ),
            ("integrationLatency", json!(integration)),
            ("latency", json!(latency)),
        ]);
        let stream = format!("{:032x}", u128::from(self.maker.stream) << 32);
        self.push(lines, self.millis, &stream, body);
    }

    fn trail(&self, lines: &mut Vec<Line>) {
        let (source, name, read_only) = match (self.unit(1) * 6.0) as u32 {
            0 => ("logs.amazonaws.com", "FilterLogEvents", true),
            1 => ("monitoring.amazonaws.com", "DescribeAlarms", true),
            2 => ("lambda.amazonaws.com", "GetFunction", true),
            3 => ("s3.amazonaws.com", "PutObject", false),
            4 => ("sts.amazonaws.com", "AssumeRole", true),
            _ => ("dms.amazonaws.com", "DescribeReplicationTasks", true),
        };
        let body = ordered(&[
            ("eventVersion", json!("1.09")),
            (
                "userIdentity",
                json!({
                    "type": "AssumedRole",
                    "arn": format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/{}-ops/oncall", self.maker.prefix),
                    "accountId": ACCOUNT_ID,
                }),
            ),
            (
                "eventTime",
                json!(
                    Timestamp::from_millisecond(self.millis)
                        .map(|t| format!("{t:.0}"))
                        .unwrap_or_default()
                ),
            ),
            ("eventSource", json!(source)),
            ("eventName", json!(name)),
            ("awsRegion", json!(REGION)),
            ("sourceIPAddress", json!("203.0.113.10")),
            ("readOnly", json!(read_only)),
            ("eventID", json!(self.uuid(2))),
            ("recipientAccountId", json!(ACCOUNT_ID)),
        ]);
        let stream = format!("{ACCOUNT_ID}_CloudTrail_{REGION}");
        self.push(lines, self.millis, &stream, body);
    }
}

/// A JSON object with its fields in the order given (serde_json's map
/// sorts them; services write theirs in their own order).
fn ordered(fields: &[(&str, serde_json::Value)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(*k)))
        .collect();
    format!("{{{}}}", body.join(","))
}
