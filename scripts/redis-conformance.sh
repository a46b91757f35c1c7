#!/usr/bin/env bash
# Runs a tool against a throwaway redis-server on 127.0.0.1.
#
#   scripts/redis-conformance.sh TOOL [ARGS...]
#
# Starts redis-server (REDIS_SERVER, default: the one on PATH) on a free port with no
# persistence (--save "" --appendonly no) bound to 127.0.0.1, runs `TOOL ARGS... --port N`, then
# stops the server by its own PID, always (also when the tool fails or the script is
# interrupted). Exits with the tool's status, or 77 (CTest's skip code) when redis-server is not
# installed. Examples:
#   scripts/redis-conformance.sh build/tools/redis_conformance --family zset --seed 42 --commands 3000
#   scripts/redis-conformance.sh build/tools/redis_conformance --seed 7 --record zset.txt
#   scripts/redis-conformance.sh build/tools/zset_memory --members 1000000
set -uo pipefail

if [ "$#" -lt 1 ]; then
    echo "usage: $0 TOOL [ARGS...]" >&2
    exit 2
fi

server=${REDIS_SERVER:-$(command -v redis-server || true)}
if [ -z "$server" ] || [ ! -x "$server" ]; then
    echo "redis-server is not installed: skipping (install it with: apt-get install redis-server)"
    exit 77
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/bptree-redis.XXXXXX")
server_pid=""

stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null
        # A server busy in a long command only sees SIGTERM between commands: give it 5 s.
        for _ in $(seq 1 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    server_pid=""
    rm -rf "$workdir"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

port_is_free() {
    # A connection that fails means nobody listens there.
    ! { (exec 3<>"/dev/tcp/127.0.0.1/$1"); } 2>/dev/null
}

# Waits until the server answers PING, or gives up after about 5 s.
server_answers() {
    local i reply
    for i in $(seq 1 100); do
        if ! kill -0 "$server_pid" 2>/dev/null; then return 1; fi
        if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
            printf 'PING\r\n' >&3
            read -r -t 1 reply <&3 || true
            exec 3>&- 3<&-
            case "$reply" in +PONG*) return 0 ;; esac
        fi
        sleep 0.05
    done
    return 1
}

port=""
for attempt in $(seq 1 20); do
    candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_is_free "$candidate" || continue
    "$server" --save "" --appendonly no --port "$candidate" --bind 127.0.0.1 --dir "$workdir" \
        --daemonize no --logfile "$workdir/redis.log" &
    server_pid=$!
    if server_answers "$candidate"; then
        port=$candidate
        break
    fi
    stop_server
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/bptree-redis.XXXXXX")
done
if [ -z "$port" ]; then
    echo "could not start redis-server on a free port" >&2
    exit 2
fi

"$@" --port "$port"
status=$?
exit "$status"
