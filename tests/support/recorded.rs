//! [`RecordedServer`]: a small HTTP/1.1 server on 127.0.0.1 that answers
//! each request with the next scripted [`Reply`] and records every request.
//!
//! Usage:
//! ```text
//! let server = RecordedServer::start(vec![
//!     Reply::cbor_error(400, "ThrottlingException", "slow down"),
//!     Reply::cbor(200, &cbor::map([("MetricAlarms", cbor::array([]))])),
//! ]);
//! let provider = support::aws_provider(&server.endpoint()).await;
//! provider.list_alarms().await.unwrap();
//! assert_eq!(server.request_count(), 2);
//! ```
//! When the script runs out, every further request gets
//! [`RecordedServer::EXHAUSTED_STATUS`] so a test sees extra calls fail
//! loudly. [`RecordedServer::push`] appends replies while the server runs
//! (for tests that change the answers over time).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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

    /// An XML response (query protocol services: STS, SNS).
    pub fn xml(status: u16, body: &str) -> Self {
        Self::raw(status, body.as_bytes().to_vec()).header("content-type", "text/xml")
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Request target (path and query).
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The CBOR body, decoded.
    pub fn cbor_body(&self) -> ciborium::Value {
        cbor::decode(&self.body)
    }

    /// The operation name of an rpc-v2-cbor request (the path's last segment).
    pub fn operation(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<RecordedRequest>>,
    stopping: AtomicBool,
}

/// The scripted server. Stops when dropped.
pub struct RecordedServer {
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl RecordedServer {
    /// Status of the answer given once the script is used up.
    pub const EXHAUSTED_STATUS: u16 = 599;

    /// Starts on a free port of 127.0.0.1 with `replies` as the script.
    pub fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind recorded server");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            script: Mutex::new(replies.into()),
            ..Shared::default()
        });
        let for_thread = Arc::clone(&shared);
        let accept_thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if for_thread.stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let shared = Arc::clone(&for_thread);
                    std::thread::spawn(move || serve_connection(stream, &shared));
                }
            }
        });
        Self {
            addr,
            shared,
            accept_thread: Some(accept_thread),
        }
    }

    /// The URL to use as `endpoint_url`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Appends a reply to the script.
    pub fn push(&self, reply: Reply) {
        lock(&self.shared.script).push_back(reply);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// How many requests arrived (attempts, retries included).
    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }
}

impl Drop for RecordedServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _wake_accept = TcpStream::connect(self.addr);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Serves requests of one keep-alive connection until the client closes it.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        lock(&shared.requests).push(request);
        let reply = lock(&shared.script).pop_front().unwrap_or_else(|| {
            Reply::raw(
                RecordedServer::EXHAUSTED_STATUS,
                "recorded server: no scripted reply left",
            )
        });
        std::thread::sleep(reply.delay);
        if write_reply(&mut writer, &reply).is_err() {
            return;
        }
    }
}

/// Reads one request; `None` at end of stream or on garbage.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<RecordedRequest> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(RecordedRequest {
        method,
        path,
        headers,
        body,
    })
}

fn write_reply(writer: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", reply.body.len()));
    writer.write_all(head.as_bytes())?;
    writer.write_all(&reply.body)?;
    writer.flush()
}
