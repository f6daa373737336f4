//! The tests' call-counting proxy (`tests/support/proxy.rs`) as a process,
//! for benchmarks: forwards every request to UPSTREAM and appends each AWS
//! operation's name to LOGFILE, one a line, so a run's calls can be counted
//! with `sort LOGFILE | uniq -c`. LATENCY_MS (environment) delays every
//! request, like a real region's round trip; FAIL_OPS (environment,
//! comma-separated operation names) answers those operations with
//! AccessDenied instead of forwarding them.
//!
//! ```sh
//! LATENCY_MS=50 cargo run --example aws_call_proxy -- 4600 http://127.0.0.1:4566 calls.log &
//! monitui --endpoint-url http://127.0.0.1:4600 alarms list
//! sort calls.log | uniq -c
//! ```

use std::time::Duration;

// The proxy and the two test helpers it builds on, shared with the tests;
// this process uses only part of them.
#[allow(dead_code)]
#[path = "../tests/support/cbor.rs"]
mod cbor;
#[allow(dead_code)]
#[path = "../tests/support/proxy.rs"]
mod proxy;
#[allow(dead_code)]
#[path = "../tests/support/recorded.rs"]
mod recorded;

use proxy::{CallProxy, ProxyOptions, op_list};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [port, upstream, log] = args.as_slice() else {
        return Err("usage: aws_call_proxy PORT UPSTREAM_URL LOGFILE".into());
    };
    let latency_ms: u64 = std::env::var("LATENCY_MS")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(0);
    let options = ProxyOptions {
        port: port.parse()?,
        latency: Duration::from_millis(latency_ms),
        fail_ops: op_list(&std::env::var("FAIL_OPS").unwrap_or_default()),
        log: Some(log.into()),
    };
    CallProxy::with(upstream, options)?.wait();
    Ok(())
}
