#!/usr/bin/env bash
# Issue 18's attack against `amends serve --demo` on a fresh SQLite file:
# 50 slow connections (half trickling a body to /webhooks/github, half
# never ending their headers) plus 16 sign-in loops, while /login and an
# authenticated API read are timed every half second and the server's RSS
# is read from /proc. Exits non-zero if a probe took over 1 s or failed, or
# RSS went over 300 MB.
#   bench/attack.sh                          # 60 s, server defaults
#   TRUSTED=127.0.0.0/8 bench/attack.sh      # the loops' X-Forwarded-For is
#       believed, so every guess comes from a new client: the hashing
#       itself is under load, not only the throttle
#   DURATION=120s bench/attack.sh -trickle 5s
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18400}
DURATION=${DURATION:-60s}
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
go build -o "$WORK/amends" ./cmd/amends
go build -o "$WORK/attack" ./bench/attack
AMENDS_TRUSTED_PROXIES=${TRUSTED:-} "$WORK/amends" serve --demo --addr "127.0.0.1:$PORT" \
  --db "$WORK/amends.db" > "$WORK/out" 2> "$WORK/log" &
PID=$!
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.5; done
TOKEN=$(awk -F': ' '/API token/{print $2}' "$WORK/out")
echo "amends serve pid $PID on 127.0.0.1:$PORT, trusted proxies '${TRUSTED:-}', $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$WORK/attack" -base "http://127.0.0.1:$PORT" -token "$TOKEN" -pid "$PID" -duration "$DURATION" "$@"
