//! [`RecordedServer`]: scripted AWS answers chosen by OPERATION, not by
//! arrival order, on a local `wiremock` server that records every request.
//!
//! A test registers [`Rule`]s: an operation and the [`Reply`] to give it,
//! optionally only a number of times (then the next rule for that operation
//! answers) and only for requests a predicate accepts. Rules are tried in
//! the order they were added; the first that matches answers.
//!
//! ```text
//! let server = RecordedServer::start([
//!     Rule::new("DescribeAlarms", Reply::cbor_error(400, "ThrottlingException", "slow"))
//!         .times(1),
//!     Rule::new("DescribeAlarms", Reply::cbor(200, &page)),
//!     Rule::new("GetCallerIdentity", Reply::xml(200, IDENTITY)),
//! ])
//! .await;
//! let provider = support::aws_provider(&server.endpoint()).await;
//! provider.list_alarms().await.unwrap();
//! assert_eq!(server.calls("DescribeAlarms").await, 2);
//! assert_eq!(server.operations().await, ["DescribeAlarms", "DescribeAlarms"]);
//! ```
//!
//! The operation of a request is read the way each AWS protocol carries it:
//! the path `/service/<Service>/operation/<Op>` (rpc-v2-cbor: CloudWatch),
//! the `X-Amz-Target: <Service>.<Op>` header (JSON: Logs, CloudTrail), or
//! the `Action=<Op>` form field (query: STS, SNS). A rule names it either
//! short (`DescribeAlarms`) or qualified by the service
//! (`GraniteServiceVersion20100801.DescribeAlarms`).
//!
//! A request no rule answers gets a 400 error of the request's protocol
//! with code [`RecordedServer::NO_RULE`] and its operation in the message,
//! so an unexpected call fails at once (not retried) and says which it was.
//! [`Reply::delayed`] answers late, for timeouts and slow answers.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use super::cbor;

/// One scripted HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Headers besides Content-Length.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Wait this long before answering (to provoke timeouts).
    pub delay: Duration,
}

impl Reply {
    /// A response with a raw body and no extra headers.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Answers after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// An rpc-v2-cbor response (CloudWatch) with `value` as body.
    pub fn cbor(status: u16, value: &ciborium::Value) -> Self {
        Self::raw(status, cbor::encode(value))
            .header("content-type", "application/cbor")
            .header("smithy-protocol", "rpc-v2-cbor")
    }

    /// An rpc-v2-cbor error response with code `error_type`.
    pub fn cbor_error(status: u16, error_type: &str, message: &str) -> Self {
        Self::cbor(
            status,
            &cbor::map([
                ("__type", cbor::text(error_type)),
                ("message", cbor::text(message)),
            ]),
        )
    }

    /// An awsJson 1.1 response (CloudWatch Logs, CloudTrail) with `value`
    /// as body.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::raw(status, value.to_string()).header("content-type", "application/x-amz-json-1.1")
    }

    /// An XML response (query protocol services: STS, SNS).
    pub fn xml(status: u16, body: &str) -> Self {
        Self::raw(status, body.as_bytes().to_vec()).header("content-type", "text/xml")
    }

    fn template(&self) -> ResponseTemplate {
        let template = self
            .headers
            .iter()
            .fold(ResponseTemplate::new(self.status), |t, (name, value)| {
                t.insert_header(name.as_str(), value.as_str())
            })
            .set_body_bytes(self.body.clone());
        if self.delay.is_zero() {
            template
        } else {
            template.set_delay(self.delay)
        }
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// The operation, e.g. `DescribeAlarms` (empty if the request names none).
    pub operation: String,
    /// The operation qualified by its service where the protocol says it,
    /// e.g. `GraniteServiceVersion20100801.DescribeAlarms`; else `operation`.
    pub target: String,
}

impl RecordedRequest {
    /// A request as it arrived: header names are lower-cased, `path` is
    /// cut at its query, and the operation is read the way its protocol
    /// carries it (empty when it names none, as REST protocols such as
    /// S3's do not).
    pub fn new(
        method: &str,
        path: &str,
        headers: impl IntoIterator<Item = (String, String)>,
        body: Vec<u8>,
    ) -> Self {
        let path = path.split('?').next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let amz_target = headers
            .iter()
            .find(|(k, _)| k == "x-amz-target")
            .map(|(_, v)| v.clone());
        let (operation, target) = if let Some(target) = amz_target {
            let operation = target.rsplit('.').next().unwrap_or_default().to_string();
            (operation, target)
        } else if let Some((service, operation)) = rpc_v2_path(&path) {
            (operation.to_string(), format!("{service}.{operation}"))
        } else {
            let action = form_field(&body, "Action").unwrap_or_default();
            (action.clone(), action)
        };
        Self {
            method: method.to_string(),
            path,
            headers,
            body,
            operation,
            target,
        }
    }

    fn from_wire(request: &Request) -> Self {
        let headers = request.headers.iter().map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_string(), value)
        });
        Self::new(
            request.method.as_str(),
            request.url.path(),
            headers,
            request.body.clone(),
        )
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The operation name, e.g. `DescribeAlarms`.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Whether this request is `operation`, named short or qualified.
    pub fn is(&self, operation: &str) -> bool {
        self.operation == operation || self.target == operation
    }

    /// The CBOR body, decoded.
    pub fn cbor_body(&self) -> ciborium::Value {
        cbor::decode(&self.body)
    }

    /// The JSON body, decoded.
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    /// The value of form field `name` of a query-protocol body.
    pub fn form_field(&self, name: &str) -> Option<String> {
        form_field(&self.body, name)
    }
}

/// Service and operation of an rpc-v2-cbor path
/// (`/service/<Service>/operation/<Op>`).
fn rpc_v2_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/service/")?;
    let (service, operation) = rest.split_once("/operation/")?;
    Some((service, operation))
}

/// The decoded value of `name` in an `application/x-www-form-urlencoded` body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A GetCallerIdentity answer for `arn` (STS speaks XML).
pub fn identity_xml(arn: &str, user_id: &str) -> String {
    format!(
        "<GetCallerIdentityResponse><GetCallerIdentityResult>\
         <Arn>{arn}</Arn><UserId>{user_id}</UserId><Account>123456789012</Account>\
         </GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId>\
         </ResponseMetadata></GetCallerIdentityResponse>"
    )
}

/// An account with one alarm, `checkout-errors`, signed in as `arn`
/// (user id `user_id`), every answer `delay` late: the pty tests' account.
pub fn one_alarm_account(arn: &str, user_id: &str, delay: Duration) -> Vec<Rule> {
    let late = |reply: Reply| reply.delayed(delay);
    let empty = || late(Reply::cbor(200, &cbor::map([])));
    vec![
        Rule::new(
            "GetCallerIdentity",
            late(Reply::xml(200, &identity_xml(arn, user_id))),
        ),
        Rule::new(
            "DescribeAlarms",
            late(Reply::cbor(
                200,
                &cbor::map([(
                    "MetricAlarms",
                    cbor::array([cbor::metric_alarm(
                        "checkout-errors",
                        "AWS/Lambda",
                        "Errors",
                    )]),
                )]),
            )),
        ),
        Rule::new(
            "ListTagsForResource",
            late(Reply::cbor(200, &cbor::map([("Tags", cbor::array([]))]))),
        ),
        Rule::new("ListAlarmMuteRules", empty()),
        Rule::new("GetMetricData", empty()),
        Rule::new("DescribeAlarmHistory", empty()),
    ]
}

/// Which requests a [`Rule`] answers, besides its operation.
type Predicate = Arc<dyn Fn(&RecordedRequest) -> bool + Send + Sync>;

/// "Answer `operation` with this reply": optionally only `times` times and
/// only when a predicate on the request holds.
pub struct Rule {
    operation: String,
    reply: Reply,
    times: Option<u64>,
    predicate: Option<Predicate>,
}

impl Rule {
    /// Answers every request for `operation` (short or service-qualified)
    /// with `reply`.
    pub fn new(operation: &str, reply: Reply) -> Self {
        Self {
            operation: operation.to_string(),
            reply,
            times: None,
            predicate: None,
        }
    }

    /// Answers only the first `n` matching requests; later ones fall
    /// through to the next rule.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers only requests for which `predicate` holds (e.g. on the body).
    pub fn when(
        mut self,
        predicate: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.predicate = Some(Arc::new(predicate));
        self
    }

    fn into_mock(self) -> Mock {
        let matcher = RuleMatch {
            operation: self.operation,
            predicate: self.predicate,
        };
        let mock = Mock::given(matcher).respond_with(self.reply.template());
        match self.times {
            Some(n) => mock.up_to_n_times(n),
            None => mock,
        }
    }
}

/// The wiremock matcher of a [`Rule`].
struct RuleMatch {
    operation: String,
    predicate: Option<Predicate>,
}

impl Match for RuleMatch {
    fn matches(&self, request: &Request) -> bool {
        let request = RecordedRequest::from_wire(request);
        request.is(&self.operation) && self.predicate.as_ref().is_none_or(|p| p(&request))
    }
}

/// The scripted server. Stops when dropped.
pub struct RecordedServer {
    server: MockServer,
}

impl RecordedServer {
    /// Error code of the answer to a request no rule answers.
    pub const NO_RULE: &str = "NoRecordedRule";

    /// Starts on a free port of 127.0.0.1 with `rules`.
    pub async fn start(rules: impl IntoIterator<Item = Rule>) -> Self {
        let server = MockServer::builder().start().await;
        Mock::given(|_: &Request| true)
            .respond_with(|request: &Request| {
                unanswered(&RecordedRequest::from_wire(request)).template()
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        let recorded = Self { server };
        for rule in rules {
            recorded.add(rule).await;
        }
        recorded
    }

    /// Adds a rule after the existing ones (for answers that change while
    /// a test runs).
    pub async fn add(&self, rule: Rule) {
        rule.into_mock().mount(&self.server).await;
    }

    /// The URL to use as `endpoint_url`.
    pub fn endpoint(&self) -> String {
        self.server.uri()
    }

    /// Every request received so far, in arrival order.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        self.server
            .received_requests()
            .await
            .expect("request recording is on")
            .iter()
            .map(RecordedRequest::from_wire)
            .collect()
    }

    /// The requests for `operation` (short or qualified), in arrival order.
    pub async fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        let mut requests = self.requests().await;
        requests.retain(|r| r.is(operation));
        requests
    }

    /// The operation of every request, in arrival order.
    pub async fn operations(&self) -> Vec<String> {
        self.requests()
            .await
            .into_iter()
            .map(|r| r.operation)
            .collect()
    }

    /// How many requests (attempts, retries included) asked for `operation`.
    pub async fn calls(&self, operation: &str) -> usize {
        self.requests_for(operation).await.len()
    }
}

/// The error a request no rule answers gets, in the request's protocol.
fn unanswered(request: &RecordedRequest) -> Reply {
    let message = format!("recorded server: no rule answers '{}'", request.target);
    error_reply(request, RecordedServer::NO_RULE, &message)
}

/// A 400 error with `code` and `message` in the protocol of `request`
/// (JSON, rpc-v2-cbor or query XML), as the SDK parses it.
pub fn error_reply(request: &RecordedRequest, code: &str, message: &str) -> Reply {
    if request.header("x-amz-target").is_some() {
        Reply::json(
            400,
            &serde_json::json!({ "__type": code, "message": message }),
        )
    } else if rpc_v2_path(&request.path).is_some() {
        Reply::cbor_error(400, code, message)
    } else {
        Reply::xml(
            400,
            &format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{message}</Message></Error><RequestId>0</RequestId></ErrorResponse>"
            ),
        )
    }
}

/// The URL of a port on 127.0.0.1 where nothing listens.
pub fn closed_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}")
}
