//! A call-counting HTTP proxy in front of the emulator: records the AWS
//! operation of every request (so a test can count the calls a command
//! made), can add latency to each request like a real region's round trip,
//! and can refuse chosen operations with AccessDenied to test what a
//! command does when one step fails.
//!
//! Tests start it in-process ([`CallProxy::start`]); the example
//! `examples/aws_call_proxy.rs` runs the same code as a process for
//! benchmarks (`cargo run --example aws_call_proxy -- PORT UPSTREAM LOGFILE`).
//! The operation is read as [`RecordedRequest`] reads it, and a refusal is
//! [`error_reply`]'s, so the proxy and the recorded server agree.
//! HTTP/1.1 only, plain `http://` upstreams only: enough for the emulator
//! and the AWS SDK's requests (bodies sized by Content-Length or chunked).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::recorded::{RecordedRequest, error_reply};

/// What the proxy does besides forwarding.
#[derive(Clone, Debug, Default)]
pub struct ProxyOptions {
    /// Port to listen on (127.0.0.1); 0 picks a free one.
    pub port: u16,
    /// Delay added to every request before it is answered.
    pub latency: Duration,
    /// Operations answered with AccessDenied instead of being forwarded.
    pub fail_ops: Vec<String>,
    /// File to which each operation name is appended, one a line, as it
    /// arrives (for a process whose caller counts with `sort | uniq -c`).
    pub log: Option<PathBuf>,
}

/// The operation names of a comma-separated list (`FAIL_OPS`).
pub fn op_list(ops: &str) -> Vec<String> {
    ops.split(',')
        .map(str::trim)
        .filter(|op| !op.is_empty())
        .map(str::to_string)
        .collect()
}

/// A running proxy; it stops accepting connections when dropped.
pub struct CallProxy {
    port: u16,
    calls: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// What every connection's thread shares.
struct Shared {
    upstream: String,
    options: ProxyOptions,
    calls: Arc<Mutex<Vec<String>>>,
}

impl CallProxy {
    /// Starts the proxy on a free port in front of `upstream`, refusing the
    /// operations in `fail_ops` (comma-separated, may be empty).
    pub fn start(upstream: &str, fail_ops: &str) -> CallProxy {
        let options = ProxyOptions {
            fail_ops: op_list(fail_ops),
            ..ProxyOptions::default()
        };
        CallProxy::with(upstream, options).expect("start the call proxy")
    }

    /// Starts the proxy in front of `upstream` (`http://host:port`) with
    /// `options`.
    pub fn with(upstream: &str, options: ProxyOptions) -> io::Result<CallProxy> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let port = listener.local_addr()?.port();
        let authority = upstream
            .strip_prefix("http://")
            .ok_or_else(|| io::Error::other(format!("not an http:// URL: {upstream}")))?
            .trim_end_matches('/')
            .to_string();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            upstream: authority,
            options,
            calls: calls.clone(),
        });
        let stopping = stop.clone();
        let accept = std::thread::spawn(move || {
            for client in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let shared = shared.clone();
                std::thread::spawn(move || {
                    // A client that goes away mid-request ends its connection.
                    let _ = serve(client, &shared);
                });
            }
        });
        Ok(CallProxy {
            port,
            calls,
            stop,
            accept: Some(accept),
        })
    }

    /// The URL to send requests to.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many times each operation was called so far.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for op in self.calls.lock().unwrap().iter() {
            *counts.entry(op.clone()).or_default() += 1;
        }
        counts
    }

    /// Blocks while the proxy serves (for the process form).
    pub fn wait(mut self) {
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for CallProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            // Wakes the accept loop so that it sees the stop flag.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            let _ = accept.join();
        }
    }
}

/// The value of header `name` (case-insensitive).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Serves the requests of one client connection until it closes.
fn serve(client: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut writer = client.try_clone()?;
    let mut reader = BufReader::new(client);
    while let Some((target, request)) = read_request(&mut reader, &mut writer)? {
        let target = target.as_str();
        let op = if request.operation.is_empty() {
            format!("?{target}")
        } else {
            request.operation.clone()
        };
        record(shared, &op)?;
        std::thread::sleep(shared.options.latency);
        let (status, headers, body) = if shared.options.fail_ops.contains(&op) {
            denial(&request, &op)
        } else {
            forward(&shared.upstream, target, &request).unwrap_or_else(|e| {
                let text = format!("aws call proxy: upstream {}: {e}", shared.upstream);
                (
                    "502 Bad Gateway".to_string(),
                    vec![("Content-Type".to_string(), "text/plain".to_string())],
                    text.into_bytes(),
                )
            })
        };
        write!(writer, "HTTP/1.1 {status}\r\n")?;
        for (k, v) in &headers {
            write!(writer, "{k}: {v}\r\n")?;
        }
        write!(writer, "Content-Length: {}\r\n\r\n", body.len())?;
        writer.write_all(&body)?;
        writer.flush()?;
        if request
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"))
        {
            break;
        }
    }
    Ok(())
}

/// Reads one HTTP/1.1 request off `reader` (answering `Expect:
/// 100-continue` on `writer`): its target (path and query) and the request;
/// `None` when the client closed the connection first.
pub fn read_request(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
) -> io::Result<Option<(String, RecordedRequest)>> {
    let Some((start, headers)) = read_head(reader)? else {
        return Ok(None);
    };
    let mut parts = start.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(io::Error::other(format!("bad request line: {start}")));
    };
    if header(&headers, "expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let body = read_body(reader, &headers, false)?;
    let request = RecordedRequest::new(method, target, headers, body);
    Ok(Some((target.to_string(), request)))
}

/// Notes one call of `op`, in memory and in the log file if there is one.
fn record(shared: &Shared, op: &str) -> io::Result<()> {
    let mut calls = shared.calls.lock().unwrap();
    calls.push(op.to_string());
    if let Some(path) = &shared.options.log {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(file, "{op}")?;
    }
    Ok(())
}

/// A response: status with reason, headers (without Content-Length), body.
type Response = (String, Vec<(String, String)>, Vec<u8>);

/// AccessDenied for `op`, in the request's protocol.
fn denial(request: &RecordedRequest, op: &str) -> Response {
    let code = if request.header("x-amz-target").is_some() {
        "AccessDeniedException"
    } else {
        "AccessDenied"
    };
    let reply = error_reply(request, code, &format!("{op} denied by the call proxy"));
    (
        format!("{} Denied", reply.status),
        reply.headers,
        reply.body,
    )
}

/// Headers that describe one hop's connection, not the message.
const HOP_HEADERS: [&str; 6] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "expect",
];

/// Sends `request` for `target` (its path and query) upstream on a
/// connection of its own and reads the whole answer.
fn forward(upstream: &str, target: &str, request: &RecordedRequest) -> io::Result<Response> {
    let mut stream = TcpStream::connect(upstream)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut out = Vec::with_capacity(512 + request.body.len());
    write!(
        out,
        "{} {target} HTTP/1.1\r\nHost: {upstream}\r\n",
        request.method
    )?;
    for (k, v) in &request.headers {
        if !HOP_HEADERS.iter().any(|h| k.eq_ignore_ascii_case(h)) {
            write!(out, "{k}: {v}\r\n")?;
        }
    }
    write!(
        out,
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        request.body.len()
    )?;
    out.extend_from_slice(&request.body);
    stream.write_all(&out)?;
    let mut reader = BufReader::new(stream);
    let (status_line, headers) =
        read_head(&mut reader)?.ok_or_else(|| io::Error::other("closed without an answer"))?;
    let status = status_line
        .split_once(' ')
        .map(|(_, s)| s.to_string())
        .ok_or_else(|| io::Error::other(format!("bad status line: {status_line}")))?;
    let bodiless = request.method.eq_ignore_ascii_case("HEAD")
        || status.starts_with("204")
        || status.starts_with("304");
    let body = if bodiless {
        Vec::new()
    } else {
        read_body(&mut reader, &headers, true)?
    };
    let headers = headers
        .into_iter()
        .filter(|(k, _)| !HOP_HEADERS.iter().any(|h| k.eq_ignore_ascii_case(h)))
        .collect();
    Ok((status, headers, body))
}

/// A message's start line and headers.
type Head = (String, Vec<(String, String)>);

/// Reads a start line and headers; `None` when the peer closed first.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut start = String::new();
    if reader.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::other("closed inside the headers"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| io::Error::other(format!("bad header: {line}")))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(Some((start.trim_end().to_string(), headers)))
}

/// Reads a body sized by Content-Length or chunked; with neither, an empty
/// one, or (for an answer, `to_close`) everything until the peer closes.
fn read_body(
    reader: &mut impl BufRead,
    headers: &[(String, String)],
    to_close: bool,
) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if header(headers, "transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = size.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| io::Error::other(format!("bad chunk size: {size}")))?;
            if size == 0 {
                // Trailers (if any) end with an empty line.
                let mut line = String::new();
                while reader.read_line(&mut line)? > 2 {
                    line.clear();
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            let mut crlf = [0; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if let Some(length) = header(headers, "content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| io::Error::other(format!("bad Content-Length: {length}")))?;
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else if to_close {
        reader.read_to_end(&mut body)?;
    }
    Ok(body)
}
