#!/usr/bin/env python3
# Provenance: copied unchanged (apart from this header) on 2026-12-07 from
# tools/logs-flood-mock.py of the tools folder handed to the project beside
# its checkout (author not recorded there; written for monitui's log
# benchmarks, not taken from a public repository; it states no licence). Needs only the
# Python standard library. Keep it byte-for-byte below this header so a diff
# with the original shows nothing else changed.
"""A CloudWatch Logs stand-in for a flooded group: FilterLogEvents with real paging (10,000 a page) over a group
that receives RATE lines/s forever (line i at T0 + i/RATE s); DescribeLogGroups lists just /g; StartLiveTail and everything else refused, so a client
must poll. Usage: logs-flood-mock.py PORT [RATE] [CALLS_LOG] [MESSAGE_BYTES]"""
import json, time, sys, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
RATE = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
T0 = int(time.time()*1000) - 120000   # events since 2 minutes before start
STEP = 1000.0 / RATE                   # ms between events
CALLS = sys.argv[3] if len(sys.argv) > 3 else os.devnull
PAD = "x" * int(sys.argv[4]) if len(sys.argv) > 4 else ""
calls = []
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type","application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0); req = json.loads(self.rfile.read(n) or b"{}")
        target = self.headers.get("X-Amz-Target","")
        if target.endswith("FilterLogEvents"):
            now = int(time.time()*1000)
            start = max(req.get("startTime", T0), T0); end = min(req.get("endTime", now), now)
            first = int(-(-(start - T0)//STEP)); last = int((end - T0)//STEP)
            off = int(req.get("nextToken") or first)
            hi = min(off + min(10000, max(1, 1_000_000 // (len(PAD) + 20))), last + 1)  # a page: 10,000 events or 1 MB
            evs = [{"logStreamName":"s","timestamp":int(T0+i*STEP),"ingestionTime":int(T0+i*STEP),
                    "message":f"line {i} {PAD}","eventId":str(i)} for i in range(off, hi)]
            out = {"events": evs, "searchedLogStreams": []}
            if hi <= last: out["nextToken"] = str(hi)
            with open(CALLS,"a") as f: f.write(f"{time.time():.1f} start={start} off={off} n={len(evs)}\n")
            return self.reply(200, out)
        if target.endswith("DescribeLogGroups"):
            return self.reply(200, {"logGroups": [{"logGroupName": "/g", "arn": "arn:aws:logs:us-east-1:000000000000:log-group:/g:*",
                "creationTime": T0, "storedBytes": 0}]})
        return self.reply(400, {"__type":"AccessDeniedException","message":"live tail not allowed here"})
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
