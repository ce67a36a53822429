#!/usr/bin/env bash
# Ratusha benchmarks, end to end (see bench/RESULTS.md for what they mean):
#   1. GET /api/v1/me (session cookie, database read) and GET /healthz with wrk, 64 keep-alive
#      connections, on SQLite and on PostgreSQL, beside a bare Beast server (bench_hello);
#   2. 10,000 WebSocket clients subscribed to "audit": server memory, and how long one event
#      (a failed login) takes to reach all of them (bench_ws_clients);
#   3. resident memory right after start and time until /readyz answers (bench_startup);
#   4. build and test time, read from the lead's CI log (/tmp/ci.log) when there is one.
# Prints a Markdown table on stdout; progress on stderr.
#
# Settings (environment): BENCH_DURATION=10 (s per wrk run), BENCH_CONNECTIONS=64,
# BENCH_WS_CLIENTS=10000, BENCH_STARTUP_RUNS=7, BENCH_POSTGRES=1 (0: SQLite only),
# BENCH_KEEP=DIR (keep the raw outputs there), BUILD=build directory.
# Loopback only. Every load loop is bounded in time; everything started here is stopped by pid,
# and the temporary directory (databases, PostgreSQL cluster) is removed, also on Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-64}
WS_CLIENTS=${BENCH_WS_CLIENTS:-10000}
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-7}
WITH_PG=${BENCH_POSTGRES:-1}
PASSWORD='липа над реката 7'
COOKIE_NAME='__Host-ratusha_session'

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"


for t in wrk curl jq; do command -v "$t" >/dev/null || die "$t is missing (apt-get install $t)"; done
for t in ratusha bench_hello bench_ws_clients bench_startup; do
  [[ -x $BUILD/$t ]] || die "$BUILD/$t is missing: cmake $BUILD && cmake --build $BUILD --target ratusha bench_hello bench_ws_clients bench_startup"
done


# The server keeps one descriptor per WebSocket: raise the soft limit to the hard one.
FD_LIMIT=$(ulimit -Hn)
[[ $FD_LIMIT == unlimited ]] && FD_LIMIT=1048576
ulimit -n "$FD_LIMIT" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
if ((FD_LIMIT < WS_CLIENTS + 512)); then
  log "open-file limit $FD_LIMIT is too small for $WS_CLIENTS WebSockets; using $((FD_LIMIT - 512))"
  WS_CLIENTS=$((FD_LIMIT - 512))
fi




# ratusha_suite LABEL DATA_DIR [ENV...]: demo data, serve, log in, wrk, WebSockets, start-up.
ratusha_suite() {
  local label=$1 dir=$2
  shift 2
  local envs=("$@" RATUSHA_LOG_LEVEL=warn)
  log "[$label] demo municipality"
  env "${envs[@]}" "$BIN" demo --data-dir "$dir" --json >"$WORK/$label-demo.json" 2>"$WORK/$label-demo.log"
  local code secret
  code=$(jq -r .administrator.access_code "$WORK/$label-demo.json")
  secret=$(jq -r .administrator.activation_secret "$WORK/$label-demo.json")
  start "$label-serve" env "${envs[@]}" "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0
  local pid=$PID port=$PORT base="http://127.0.0.1:$PORT"
  curl -fsS -o /dev/null -c "$WORK/$label.jar" -H 'content-type: application/json' \
    --data "$(jq -nc --arg c "$code" --arg s "$secret" --arg p "$PASSWORD" \
      '{access_code: $c, activation_secret: $s, password: $p}')" "$base/api/v1/activation" ||
    die "[$label] activation failed"
  local token
  token=$(awk -v n="$COOKIE_NAME" '$6 == n {print $7}' "$WORK/$label.jar")
  [[ -n $token ]] || die "[$label] no session cookie"
  local cookie="$COOKIE_NAME=$token"
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/me") == 200 ]] ||
    die "[$label] GET /api/v1/me is not 200"
  R["$label.rss_before_load"]=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")

  wrk_run "$label-healthz" "$base/healthz"
  R["$label.healthz_rps"]=$RPS R["$label.healthz_p99"]=$P99 R["$label.healthz_bad"]=$BAD
  wrk_run "$label-me" "$base/api/v1/me" "Cookie: $cookie"
  R["$label.me_rps"]=$RPS R["$label.me_p99"]=$P99 R["$label.me_bad"]=$BAD
  R["$label.rss_after_load"]=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")

  log "[$label] $WS_CLIENTS WebSocket clients on 'audit', then one failed login"
  timeout --foreground 400 "$BUILD/bench_ws_clients" --port "$port" --cookie "$cookie" --clients "$WS_CLIENTS" \
    --topic audit --server-pid "$pid" --trigger-code "$code" --connect-timeout 300 \
    >"$WORK/$label-ws.json" 2>"$WORK/$label-ws.log" || true
  [[ -s $WORK/$label-ws.json ]] || { cat "$WORK/$label-ws.log" >&2; die "[$label] bench_ws_clients failed"; }
  log "  $(cat "$WORK/$label-ws.json")"
  stop_pid "$pid"

  log "[$label] start-up, $STARTUP_RUNS runs on the existing database"
  env "${envs[@]}" timeout --foreground 300 "$BUILD/bench_startup" --runs "$STARTUP_RUNS" --idle-ms 2000 -- \
    "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0 >"$WORK/$label-startup.json" 2>"$WORK/$label-startup.log" || true
  [[ -s $WORK/$label-startup.json ]] || { cat "$WORK/$label-startup.log" >&2; die "[$label] bench_startup failed"; }
  log "  $(cat "$WORK/$label-startup.json")"
}

declare -A R
START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
log "$(nproc) cores, $CPU, load $LOAD_BEFORE; work dir $WORK"
# A private copy, so that a rebuild during the run cannot change the binary under test.
BIN=$WORK/ratusha
cp "$BUILD/ratusha" "$BIN"
BUILT=$(date -u -r "$BUILD/ratusha" "+%Y-%m-%d %H:%M UTC")
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | wc -l)

# ---- baseline: bare Beast server ----
start hello "$BUILD/bench_hello" --listen 127.0.0.1:0
HELLO_PID=$PID
wrk_run hello "http://127.0.0.1:$PORT/"
R[hello.rps]=$RPS R[hello.p99]=$P99 R[hello.bad]=$BAD
R[hello.rss]=$(awk '/^VmRSS/ {print $2}' "/proc/$HELLO_PID/status")
stop_pid "$HELLO_PID"

# ---- SQLite ----
ratusha_suite sqlite "$WORK/sqlite"

# ---- PostgreSQL: a throwaway cluster, server defaults apart from where it listens ----
if [[ $WITH_PG == 1 ]]; then
  start_postgres ratusha_bench
  R[pg.version]=$(as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc 'SHOW server_version' ratusha_bench)
  R[pg.fsync]=$(as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc 'SHOW fsync' ratusha_bench)
  ratusha_suite postgresql "$WORK/postgresql" "RATUSHA_DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/ratusha_bench"
  as_postgres pg_ctl -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  PG_DATA=""
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- build and test time from the CI log ----
# The log has no timestamps: what it does time are the ctest runs (with the integration and
# end-to-end suites as ctest tests) and the fuzz runs. Its file times (created → last written)
# bound the whole .ci/run, including package installation and the builds.
CI_NOTE="not measured (no /tmp/ci.log)"
if [[ -f /tmp/ci.log ]]; then
  CI_NOTE=$(awk '
    /^Test project / {proj = $3; sub(/.*\//, "", proj); parts = ""}
    /Test +#[0-9]+: (integration|e2e)/ {parts = parts sprintf("%s%s %s s", parts == "" ? "" : ", ", $4, $(NF - 1))}
    /Total Test time \(real\)/ {t = t sprintf("ctest in %s %s s (%s); ", proj, $(NF - 1), parts)}
    /^Done [0-9]+ runs in/ {f += $5; nf++}
    /^EXIT / {e = $2}
    END {
      if (nf) t = t sprintf("fuzz %d × ≈%d s; ", nf, f / nf)
      if (e != "") t = t "exit " e "; "
      print t
    }' /tmp/ci.log)
  born=$(stat -c %W /tmp/ci.log 2>/dev/null || echo 0) changed=$(stat -c %Y /tmp/ci.log)
  if [[ $born =~ ^[0-9]+$ ]] && ((born > 0 && changed >= born)); then
    CI_NOTE+="whole .ci/run ≈ $(((changed - born) / 60)) min $(((changed - born) % 60)) s by the log file's times (builds not timed separately)"
  else
    CI_NOTE+="build time not measured (the log has no timestamps)"
  fi
  CI_NOTE="/tmp/ci.log: $CI_NOTE"
fi

# ---- the table ----
kib_mb() { [[ -n ${1:-} && $1 != -1 && $1 != null ]] && awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}' || echo "n/a"; }
ok() { [[ $1 == 1 ]] && echo "met" || echo "**missed**"; }
ge() { awk -v a="${1:-0}" -v b="$2" 'BEGIN {print (a + 0 >= b) ? 1 : 0}'; }
lt() { awk -v a="${1:-}" -v b="$2" 'BEGIN {print (a != "" && a != "null" && a + 0 < b) ? 1 : 0}'; }
num() { awk -v v="${1:-}" 'BEGIN {if (v == "" || v == "null") print "n/a"; else printf "%.0f", v}'; }
ms() { awk -v v="${1:-}" 'BEGIN {if (v == "" || v == "null") print "n/a"; else printf "%.1f ms", v}'; }
wsj() { jq -r "$2 // empty" "$WORK/$1-ws.json" 2>/dev/null; }
suj() { jq -r "$2 // empty" "$WORK/$1-startup.json" 2>/dev/null; }
DBS=(sqlite)
[[ $WITH_PG == 1 ]] && DBS+=(postgresql)

{
  echo "Ratusha benchmarks, $START_DATE; build/ratusha built $BUILT from commit $REV$( ((DIRTY > 0)) && echo " (+ $DIRTY files changed under src/)")"
  echo "Machine: $(nproc) cores, $CPU; load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "wrk -t2 -c$CONNS -d${DURATION}s --latency (load generator on the same machine)${R[pg.version]:+; PostgreSQL ${R[pg.version]} (fsync=${R[pg.fsync]})}"
  echo
  echo "| measurement | target | database | Ratusha | baseline (bench_hello) | result |"
  echo "|---|---|---|---|---|---|"
  for db in "${DBS[@]}"; do
    echo "| GET /api/v1/me, req/s | ≥ 20,000 | $db | $(num "${R[$db.me_rps]}") (errors: ${R[$db.me_bad]}) | $(num "${R[hello.rps]}") | $(ok "$(ge "${R[$db.me_rps]}" 20000)") |"
    echo "| GET /api/v1/me, p99 | < 10 ms | $db | $(ms "${R[$db.me_p99]}") | $(ms "${R[hello.p99]}") | $(ok "$(lt "${R[$db.me_p99]}" 10)") |"
  done
  for db in "${DBS[@]}"; do
    echo "| GET /healthz (no database), req/s · p99 | reference | $db | $(num "${R[$db.healthz_rps]}") · $(ms "${R[$db.healthz_p99]}") | $(num "${R[hello.rps]}") · $(ms "${R[hello.p99]}") | — |"
  done
  for db in "${DBS[@]}"; do
    sub=$(wsj "$db" .subscribed) rss=$(wsj "$db" .server_rss_held_kib) last=$(wsj "$db" .event_last_ms)
    echo "| WebSocket clients subscribed to audit | $WS_CLIENTS | $db | ${sub:-0} of $(wsj "$db" .clients) in $(awk -v s="$(wsj "$db" .connect_seconds)" 'BEGIN {printf "%.1f s", s}') | — | $(ok "$(ge "${sub:-0}" "$WS_CLIENTS")") |"
    echo "| server VmRSS holding them | < 1 GiB | $db | $(kib_mb "$rss") (before: $(kib_mb "$(wsj "$db" .server_rss_before_kib)")) | — | $(ok "$(lt "$rss" 1048576)") |"
    echo "| failed login → event at the last client | < 1 s | $db | $(ms "$last") (first $(ms "$(wsj "$db" .event_first_ms)"), p50 $(ms "$(wsj "$db" .event_p50_ms)"); $(wsj "$db" .received)/$(wsj "$db" .expected) received; POST answered $(wsj "$db" .trigger_status) in $(ms "$(wsj "$db" .trigger_response_ms)")) | — | $(ok "$(( $(lt "$last" 1000) && $(ge "$(wsj "$db" .received)" "$WS_CLIENTS") ))") |"
  done
  for db in "${DBS[@]}"; do
    idle=$(suj "$db" .rss_idle_kib_median) ready=$(suj "$db" .ready_ms_median)
    echo "| idle VmRSS after start (median of $STARTUP_RUNS) | < 60 MiB | $db | $(kib_mb "$idle") (at ready: $(kib_mb "$(suj "$db" .rss_ready_kib_median)")) | $(kib_mb "${R[hello.rss]}") after its wrk run | $(ok "$(lt "$idle" 61440)") |"
    echo "| start-up until /readyz 200 (median of $STARTUP_RUNS) | < 1 s | $db | $(ms "$ready") (all: $(jq -r '[.ready_ms[] | . * 10 | round / 10] | join(", ")' "$WORK/$db-startup.json") ms) | — | $(ok "$(lt "$ready" 1000)") |"
  done
  echo "| build and test time | — | — | $CI_NOTE | — | — |"
} | tee "$WORK/results.md"
