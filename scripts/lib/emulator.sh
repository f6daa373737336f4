# Shared by scripts/test and scripts/bench-alarms-list: installs the AWS
# emulator (ministack, from PyPI) into a venv under target/ and runs it on a
# free port of 127.0.0.1. Source it from the repository root.
#
# After `start_emulator`, EMULATOR_URL holds the emulator's URL (after
# `start_second_emulator`, EMULATOR_URL_B a second one's); an EXIT trap
# stops them whatever happens.

VENV=target/emulator-venv
EMULATOR_REQUIREMENTS=(ministack==1.5.33 cbor2==6.3.0)
EMULATOR_LOG=target/emulator.log
STARTUP_WAIT_SECS=60
EMULATOR_PID=""
EMULATOR_URL=""
EMULATOR_PID_B=""
EMULATOR_URL_B=""

# Creates or reuses the venv and installs `EMULATOR_REQUIREMENTS` plus any
# extra pinned requirements given; each one is installed once (a marker file
# per requirement under the venv remembers it).
install_emulator() {
    local wanted=("${EMULATOR_REQUIREMENTS[@]}" "$@") missing=() req
    local markers="$VENV/.monitui-installed"
    for req in "${wanted[@]}"; do
        [ -e "$markers/$req" ] || missing+=("$req")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    mkdir -p target
    { [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >>"$EMULATOR_LOG" 2>&1; } &&
        "$VENV/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}" \
            >>"$EMULATOR_LOG" 2>&1 &&
        mkdir -p "$markers" &&
        for req in "${missing[@]}"; do touch "$markers/$req"; done
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls the health endpoint of $1 until it answers, the emulator (process
# $2) exits, or the wait runs out.
wait_for_emulator() {
    local url="$1/_ministack/health" pid="$2" deadline=$((SECONDS + STARTUP_WAIT_SECS))
    while [ "$SECONDS" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        if "$VENV/bin/python" -c \
            "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# Stops every emulator started here.
stop_emulator() {
    local pid
    for pid in "$EMULATOR_PID" "$EMULATOR_PID_B"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    EMULATOR_PID=""
    EMULATOR_PID_B=""
}

# Starts a ministack on a free port of 127.0.0.1 and waits for it; on
# success LAUNCHED_PID and LAUNCHED_URL say where it runs.
launch_emulator() {
    local port
    port="$(free_port)" || return 1
    CLOUDTRAIL_RECORDING=1 BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" "$VENV/bin/ministack" >>"$EMULATOR_LOG" 2>&1 &
    LAUNCHED_PID=$!
    if wait_for_emulator "http://127.0.0.1:$port" "$LAUNCHED_PID"; then
        LAUNCHED_URL="http://127.0.0.1:$port"
        return 0
    fi
    kill "$LAUNCHED_PID" 2>/dev/null
    wait "$LAUNCHED_PID" 2>/dev/null
    return 1
}

# The emulator every emulator test uses: EMULATOR_URL.
start_emulator() {
    trap stop_emulator EXIT
    trap 'exit 130' INT TERM
    launch_emulator || return 1
    EMULATOR_PID=$LAUNCHED_PID
    EMULATOR_URL=$LAUNCHED_URL
    echo "emulator: ministack on $EMULATOR_URL (log: $EMULATOR_LOG)"
}

# A second emulator, a second account for the tests across envs
# (tests/emulator_envs.rs): EMULATOR_URL_B. Stopped with the first.
start_second_emulator() {
    trap stop_emulator EXIT
    trap 'exit 130' INT TERM
    launch_emulator || return 1
    EMULATOR_PID_B=$LAUNCHED_PID
    EMULATOR_URL_B=$LAUNCHED_URL
    echo "emulator: second ministack on $EMULATOR_URL_B"
}

# Dummy credentials and region so nothing reaches for a real account.
export_dummy_aws_env() {
    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
    export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    unset AWS_PROFILE AWS_SESSION_TOKEN
}
