#!/usr/bin/env bash
# Load benchmark of amends serve against a hello-world Echo handler, in one
# run, on SQLite and on PostgreSQL. Every read is computed: each request
# carries a query parameter no other request has, so no cache of any kind
# answers it.
#   bench/run.sh                              # 1,000,000 items, 15 s per endpoint, 64 connections
#   ITEMS=5000 CUSTOMERS=50 DURATION=3s bench/run.sh    # a smoke run
#   DATABASES=sqlite bench/run.sh             # one database only
#   AMENDS_BIN=/tmp/amends-main bench/run.sh  # measure another build (the code before a change)
# Needs wrk (apt-get install -y wrk); PostgreSQL at PG_URL for its half.
# vmtouch (apt-get install -y vmtouch) keeps the SQLite file in the page
# cache. Results go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ITEMS=${ITEMS:-1000000}
CUSTOMERS=${CUSTOMERS:-2000}
DATABASES=${DATABASES:-sqlite postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18090} # hello; amends serves on PORT+1
WORK=${WORK:-/tmp/amends-bench}
mkdir -p "$WORK" bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ).md
hello_url=http://127.0.0.1:$PORT
base=http://127.0.0.1:$((PORT + 1))
seed=bench-${CUSTOMERS}x${ITEMS}

BIN=${AMENDS_BIN:-$WORK/amends}
[ -n "${AMENDS_BIN:-}" ] || go build -o "$BIN" ./cmd/amends
go build -o "$WORK/hello" ./bench/hello
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/vmtouch.pid" ] && kill "$(cat "$WORK/vmtouch.pid")" 2>/dev/null || true
  rm -f "$WORK/vmtouch.pid"
}
trap cleanup EXIT

secret=bench-webhook-secret
payload=sync/ghsync/testdata/issues.closed.json
signature="sha256=$(openssl dgst -sha256 -hmac "$secret" -hex < "$payload" | awk '{print $NF}')"

# run measures one endpoint: name, url, extra wrk arguments.
run() {
  local name=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" > "$WORK/$name.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/{print $2}' "$WORK/$name.txt")
  p50=$(awk '$1=="50%"{print $2}' "$WORK/$name.txt")
  p99=$(awk '$1=="99%"{print $2}' "$WORK/$name.txt")
  errors=$(awk '/Non-2xx/{print $NF}' "$WORK/$name.txt")
  echo "$db $name $rps $p50 $p99 ${errors:-0}" >> "$WORK/summary"
  # The peak RSS of serve during this endpoint alone, then a fresh peak.
  if [ -n "${amends:-}" ]; then
    echo "$db $name $(awk '/VmHWM/{print int($2 / 1024)}' "/proc/$amends/status")" >> "$WORK/rss_endpoints"
    echo 5 > "/proc/$amends/clear_refs"
  fi
}

# prepare_sqlite and prepare_postgres make a fresh copy of the seeded
# database for a run (so that runs start from the same data, not from what
# earlier updates left) and set serve_args and TOKENS.
prepare_sqlite() {
  local db=$WORK/$seed.db
  [ -f "$db" ] || "$BIN" seed-bench --db "$db" --customers "$CUSTOMERS" --action-items "$ITEMS" > "$WORK/$seed.sqlite.tokens"
  "$BIN" migrate --db "$db" > /dev/null
  rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
  cp "$db" "$WORK/run.db"
  serve_args=(--db "$WORK/run.db")
  TOKENS=$WORK/$seed.sqlite.tokens
  dash_args=(--db "$WORK/run.db")
}

prepare_postgres() {
  local name=amends_${seed//-/_}
  name=${name//x/_}
  if ! psql "$PG_URL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql -q "$PG_URL/postgres" -c "CREATE DATABASE $name"
    "$BIN" seed-bench --database-url "$PG_URL/$name?sslmode=disable" --customers "$CUSTOMERS" \
      --action-items "$ITEMS" > "$WORK/$seed.postgres.tokens"
  fi
  "$BIN" migrate --database-url "$PG_URL/$name?sslmode=disable" > /dev/null
  # A copy made from a freshly seeded template has no planner statistics
  # until autovacuum gets to it, and without them PostgreSQL plans the
  # lists badly (11-88 list requests/s on 1,000,000 items, against
  # 1,100-2,000 once analysed). A served database has them; so does the
  # copy, as CREATE DATABASE copies pg_statistic.
  psql -q "$PG_URL/$name" -c "ANALYZE"
  psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS amends_bench_run" -c "CREATE DATABASE amends_bench_run TEMPLATE $name"
  serve_args=(--database-url "$PG_URL/amends_bench_run?sslmode=disable")
  TOKENS=$WORK/$seed.postgres.tokens
  dash_args=("${serve_args[@]}")
}

# bench_database serves one database and measures every endpoint on it.
bench_database() {
  db=$1
  "prepare_$db"
  echo "bench dashboard password" | "$BIN" user add "${dash_args[@]}" --email dash@provider.example --name Dash \
    --role admin --password-stdin > /dev/null 2>&1 || true
  AMENDS_GITHUB_WEBHOOK_SECRET=$secret AMENDS_GITHUB_TOKEN=bench AMENDS_GITHUB_API_URL=http://127.0.0.1:9 \
    "$BIN" serve "${serve_args[@]}" --addr "127.0.0.1:$((PORT + 1))" 2> "$WORK/serve-$db.log" &
  amends=$!
  pids+=("$amends")
  for _ in $(seq 100); do curl -fs "$base/readyz" > /dev/null && break; sleep 0.2; done
  # serve starts a reminder pass and the monthly drafts at once: measure
  # the serving after them, and report their memory peak apart.
  for _ in $(seq 300); do
    grep -q "reminder pass" "$WORK/serve-$db.log" && grep -q "review drafts" "$WORK/serve-$db.log" && break
    sleep 1
  done
  local rss_jobs
  rss_jobs=$(awk '/VmHWM/{print $2}' "/proc/$amends/status")
  echo 5 > "/proc/$amends/clear_refs" # the peak from here on is the serving's
  if [ "$db" = sqlite ] && command -v vmtouch > /dev/null; then
    vmtouch -q -d -l -P "$WORK/vmtouch.pid" "$WORK/run.db" "$WORK/run.db-wal"
  fi

  local admin customer session jar=$WORK/cookies
  admin=$(awk '$1=="admin"{print $2}' "$TOKENS")
  customer=$(awk '$1=="customer"{print $2}' "$TOKENS")
  # A staff session for the start page, signed in as a browser would.
  rm -f "$jar"
  curl -fs -c "$jar" "$base/login" -o "$WORK/login.html"
  local csrf
  csrf=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//; s/"$//')
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=dash@provider.example" \
    --data-urlencode "password=bench dashboard password" --data-urlencode "csrf=$csrf" "$base/login"
  session=$(awk '$6=="amends_session"{print $7}' "$jar")

  # Reads ask for gzip, as browsers and Go's HTTP client do.
  TOKEN=$customer GZIP=1 PATH_QUERY="/api/v1/action-items?status=open" run portal_items "$base" -s bench/get.lua
  TOKEN=$admin GZIP=1 PATH_QUERY="/api/v1/action-items?customer_id=1&status=open" run staff_by_customer "$base" -s bench/get.lua
  TOKEN=$admin GZIP=1 CUSTOMERS=$CUSTOMERS PATH_QUERY="/api/v1/action-items?status=open&customer_id={customer}" \
    run staff_random_customer "$base" -s bench/get.lua
  SESSION=$session GZIP=1 PATH_QUERY="/" run start_page "$base" -s bench/get.lua
  TOKEN=$admin ITEMS=$ITEMS run item_updates "$base" -s bench/update.lua
  PAYLOAD=$payload SIGNATURE=$signature run webhook_intake "$base" -s bench/webhook.lua
  local rss
  rss=$(awk '$1 == db && $3 > max {max = $3} END {print max}' db="$db" "$WORK/rss_endpoints")
  echo "$db $rss $((rss_jobs / 1024))" >> "$WORK/rss"
  kill "$amends"
  wait "$amends" 2> /dev/null || true
  amends=
  if [ -f "$WORK/vmtouch.pid" ]; then
    kill "$(cat "$WORK/vmtouch.pid")" 2> /dev/null || true
    rm -f "$WORK/vmtouch.pid"
  fi
}

rm -f "$WORK/summary" "$WORK/rss" "$WORK/rss_endpoints"
"$WORK/hello" --addr "127.0.0.1:$PORT" &
pids+=($!)
for _ in $(seq 50); do curl -fs "$hello_url/hello" > /dev/null && break; sleep 0.1; done
db=baseline
run hello "$hello_url/hello"
for d in $DATABASES; do
  bench_database "$d"
done

{
  echo "# Load benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$(nproc) cores; wrk -t$THREADS -c$CONNS -d$DURATION; $CUSTOMERS customers and $ITEMS action items;"
  echo "binary: ${AMENDS_BIN:-built from $(git rev-parse --short HEAD)$(git diff --quiet || echo ' with uncommitted changes')}."
  echo "Every read is computed: each request has a query parameter no other request has."
  echo
  echo "| database | endpoint | requests/s | ratio to hello | p50 | p99 | non-2xx |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  hello=$(awk '$2=="hello"{print $3}' "$WORK/summary")
  awk -v base="$hello" '{printf "| %s | %s | %.0f | %.3f | %s | %s | %s |\n", $1, $2, $3, $3/base, $4, $5, $6}' "$WORK/summary"
  echo
  echo "| database | peak RSS serving | peak RSS with the start-up jobs |"
  echo "| --- | ---: | ---: |"
  awk '{printf "| %s | %d MB | %d MB |\n", $1, $2, $3}' "$WORK/rss"
  echo
  echo "| database | endpoint | peak RSS while it ran |"
  echo "| --- | --- | ---: |"
  awk '{printf "| %s | %s | %d MB |\n", $1, $2, $3}' "$WORK/rss_endpoints"
} | tee "$out"
