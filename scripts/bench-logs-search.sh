#!/usr/bin/env bash
# `monitui logs search` against `awslogs get` (PyPI awslogs) over the same
# 10,000 events on the emulator, side by side in one run: each tool reads
# the group's events since an hour ago, five times, and the best and median
# wall times are printed, with the line count each got.
#
#   scripts/bench-logs-search.sh    (builds monitui with the optimised bench profile)
#
# Needs python3; installs the emulator and awslogs into venvs under target/.
#
#   VOLUME=1 scripts/bench-logs-search.sh
#
# measures instead the peak memory of `logs search` over about 240 MB of
# events: scripts/tools/logs-flood-mock.py (127.0.0.1 only) serves a group
# that received 1,000 lines a second of 2,000 bytes for the 2 minutes
# before it started, paged as FilterLogEvents pages (1 MB at most), and
# `logs search /g --since 2m` prints all of them as JSON to /dev/null
# (MONITUI=path picks the binary, default target/debug/monitui).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/emulator.sh

if [ -n "${VOLUME:-}" ]; then
    MONITUI="${MONITUI:-target/debug/monitui}"
    [ -x "$MONITUI" ] || cargo build --quiet --bin monitui
    port="$(free_port)"
    python3 scripts/tools/logs-flood-mock.py "$port" 1000 /dev/null 2000 2>/dev/null &
    MOCK=$!
    trap 'kill "$MOCK" 2>/dev/null || true' EXIT
    sleep 1
    export_dummy_aws_env
    /usr/bin/time -f "%e s wall, %M KiB peak resident" \
        "$MONITUI" --endpoint-url "http://127.0.0.1:$port" logs search /g --since 2m \
        --limit 100000000 --output json | wc -lc |
        awk '{ printf "%d lines, %.0f MB printed\n", $1, $2 / 1e6 }'
    exit
fi

EVENTS=10000
RUNS=5
GROUP=/bench/logs-search
AWSLOGS_VENV=target/awslogs-venv

install_emulator
[ -x "$AWSLOGS_VENV/bin/awslogs" ] || {
    python3 -m venv "$AWSLOGS_VENV" &&
        "$AWSLOGS_VENV/bin/pip" install --quiet --disable-pip-version-check awslogs==0.15.0
}
cargo build --profile bench --quiet --bin monitui
start_emulator
export_dummy_aws_env

"$AWSLOGS_VENV/bin/python" - "$EMULATOR_URL" "$GROUP" "$EVENTS" <<'PY'
import sys, time, boto3
url, group, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
logs = boto3.client("logs", endpoint_url=url, region_name="us-east-1",
                    aws_access_key_id="test", aws_secret_access_key="test")
logs.create_log_group(logGroupName=group)
logs.create_log_stream(logGroupName=group, logStreamName="app")
start = int(time.time() * 1000) - count
for first in range(0, count, 5000):
    events = [{"timestamp": start + i,
               "message": f'{{"level":"INFO","request":{i},"path":"/v1/orders","ms":{i % 300}}}'}
              for i in range(first, min(first + 5000, count))]
    logs.put_log_events(logGroupName=group, logStreamName="app", logEvents=events)
PY

# Prints "best median lines" of RUNS runs of the command given.
measure() {
    local times=() lines=0 t0 t1
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        lines=$("$@" | wc -l)
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n |
        awk -v lines="$lines" '{ t[NR] = $1 } END { printf "best %.3fs  median %.3fs  lines %d\n", t[1], t[int((NR + 1) / 2)], lines }'
}

echo "monitui logs search ($EVENTS events, --output json, $RUNS runs):"
measure target/release/monitui --endpoint-url "$EMULATOR_URL" logs search "$GROUP" --since 1h --output json
echo "monitui logs search (table):"
measure target/release/monitui --endpoint-url "$EMULATOR_URL" logs search "$GROUP" --since 1h
echo "awslogs get (same events):"
measure "$AWSLOGS_VENV/bin/awslogs" get "$GROUP" --start 1h --aws-endpoint-url "$EMULATOR_URL" --aws-region us-east-1
