#!/usr/bin/env bash
# Council benchmarks (issue 6's targets) for a body of BENCH_MEMBERS (10,000) members, on SQLite
# and on PostgreSQL with two nodes:
#   1. every member casts one ballot (bench_ballots, 64 keep-alive connections, each member with
#      an API token scoped council.vote, as a voting device in the hall would): all acknowledged
#      within 5 s, p99 of the acknowledgement < 50 ms; then the stored ballots and the ledger
#      are counted and `ratusha council verify` recomputes the vote;
#   2. 10,000 WebSocket clients watch the sitting (bench_ws_clients); the chair closes the vote;
#      the time until the result (which travels with the event) reached the first, median, 99th
#      percentile and last of them: all within 1 s. With two PostgreSQL nodes, the ballots are
#      split between the nodes and the watchers sit on the node the chair does not use.
# Baseline: bench_hello on the same loopback. Prints a Markdown table on stdout; progress on
# stderr. Everything started here is stopped by pid; the work directory is removed at the end.
#
# Settings: BENCH_MEMBERS=10000, BENCH_WATCHERS=10000, BENCH_POSTGRES=1 (0: SQLite only),
# BENCH_KEEP=DIR, BUILD=build directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_DURATION:-5}
CONNS=64
MEMBERS=${BENCH_MEMBERS:-10000}
WATCHERS=${BENCH_WATCHERS:-10000}
WITH_PG=${BENCH_POSTGRES:-1}
BASE=1000000

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for t in wrk curl jq python3 sqlite3; do command -v "$t" >/dev/null || die "$t is missing"; done
for t in ratusha bench_hello bench_ws_clients bench_ballots; do [[ -x $BUILD/$t ]] || die "$BUILD/$t is missing"; done
cp "$BUILD/ratusha" "$WORK/ratusha"
BIN=$WORK/ratusha
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
declare -A R

suite() {
  local label=$1 dir=$2 nodes=$3
  shift 3
  local envs=("$@" RATUSHA_LOG_LEVEL=warn)
  env "${envs[@]}" "$BIN" demo --data-dir "$dir" --json >"$WORK/$label-demo.json" 2>"$WORK/$label-demo.log"
  log "[$label] a body of $MEMBERS members, everyone present"
  python3 "$ROOT/bench/tools/council_corpus.py" --members "$MEMBERS" --base "$BASE" \
    --tokens "$WORK/$label-tokens.txt" | sql "$label" "$dir"
  [[ $label == postgresql ]] && psql -q "$PG_URL" -c ANALYZE >/dev/null
  local pids=() ports=() i
  for ((i = 0; i < nodes; i++)); do
    start "$label-serve$i" env "${envs[@]}" RATUSHA_NODE_ID="node$i" "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0
    pids+=("$PID") ports+=("$PORT")
  done
  local a="http://127.0.0.1:${ports[0]}" b="http://127.0.0.1:${ports[$((nodes - 1))]}"
  login "$label" "$b" "$(jq -r .administrator.access_code "$WORK/$label-demo.json")" \
    "$(jq -r .administrator.activation_secret "$WORK/$label-demo.json")"
  local chair vote
  chair=$(head -1 "$WORK/$label-tokens.txt")
  vote=$(curl -fsS -H "Authorization: Bearer $chair" -H 'content-type: application/json' \
    --data '{"title":"Uchwała budżetowa"}' "$a/api/v1/council/sittings/$BASE/votes" | jq -r .id)
  [[ -n $vote && $vote != null ]] || die "[$label] the vote did not open"

  # 1. every member votes
  log "[$label] $MEMBERS ballots over $CONNS connections ($nodes node(s))"
  if ((nodes == 1)); then
    "$BUILD/bench_ballots" --port "${ports[0]}" --vote "$vote" --tokens "$WORK/$label-tokens.txt" \
      --connections $CONNS >"$WORK/$label-ballots.json" 2>"$WORK/$label-ballots.log" || true
    R[$label.b_ack]=$(jq -r .acknowledged "$WORK/$label-ballots.json")
    R[$label.b_wall]=$(jq -r '.wall_ms / 1000 * 100 | round / 100' "$WORK/$label-ballots.json")
    R[$label.b_p50]=$(jq -r '.p50_ms * 10 | round / 10' "$WORK/$label-ballots.json")
    R[$label.b_p99]=$(jq -r '.p99_ms * 10 | round / 10' "$WORK/$label-ballots.json")
  else
    split -n l/2 -d "$WORK/$label-tokens.txt" "$WORK/$label-tokens-part"
    "$BUILD/bench_ballots" --port "${ports[0]}" --vote "$vote" --tokens "$WORK/$label-tokens-part00" \
      --connections $((CONNS / 2)) >"$WORK/$label-ballots0.json" 2>"$WORK/$label-ballots0.log" &
    local p0=$!
    "$BUILD/bench_ballots" --port "${ports[1]}" --vote "$vote" --tokens "$WORK/$label-tokens-part01" \
      --connections $((CONNS / 2)) >"$WORK/$label-ballots1.json" 2>"$WORK/$label-ballots1.log" || true
    wait "$p0" || true
    R[$label.b_ack]=$(jq -s 'map(.acknowledged) | add' "$WORK/$label-ballots0.json" "$WORK/$label-ballots1.json")
    R[$label.b_wall]=$(jq -s 'map(.wall_ms) | max / 1000 * 100 | round / 100' "$WORK/$label-ballots0.json" "$WORK/$label-ballots1.json")
    R[$label.b_p50]=$(jq -s 'map(.p50_ms) | max * 10 | round / 10' "$WORK/$label-ballots0.json" "$WORK/$label-ballots1.json")
    R[$label.b_p99]=$(jq -s 'map(.p99_ms) | max * 10 | round / 10' "$WORK/$label-ballots0.json" "$WORK/$label-ballots1.json")
  fi
  R[$label.b_stored]=$(scalar "$label" "$dir" "SELECT COUNT(*) FROM council_ballots WHERE vote_id = $vote")
  R[$label.b_ledger]=$(scalar "$label" "$dir" "SELECT COUNT(*) FROM council_ledger WHERE vote_id = $vote AND kind = 'ballot'")
  log "  ${R[$label.b_ack]} acknowledged in ${R[$label.b_wall]} s; p50 ${R[$label.b_p50]} ms, p99 ${R[$label.b_p99]} ms; stored ${R[$label.b_stored]}, in the ledger ${R[$label.b_ledger]}"

  # 2. the result reaches everyone watching
  log "[$label] $WATCHERS clients watching the sitting; the chair closes the vote"
  timeout --foreground 600 "$BUILD/bench_ws_clients" --port "${b##*:}" --cookie "$COOKIE" \
    --origin "$b" --clients "$WATCHERS" --topic "council:$BASE" --server-pid "${pids[$((nodes - 1))]}" \
    --trigger-post "/api/v1/council/votes/$vote/close" --bearer "$chair" --expect council.vote_closed \
    --event-timeout 30 >"$WORK/$label-result.json" 2>"$WORK/$label-result.log" ||
    die "[$label] bench_ws_clients failed: $(tail -3 "$WORK/$label-result.log")"
  R[$label.r_recv]=$(jq -r '"\(.received)/\(.expected)"' "$WORK/$label-result.json")
  R[$label.r_p50]=$(jq -r '.event_p50_ms // .event_median_ms // 0 | . * 10 | round / 10' "$WORK/$label-result.json")
  R[$label.r_p99]=$(jq -r '.event_p99_ms | . * 10 | round / 10' "$WORK/$label-result.json")
  R[$label.r_last]=$(jq -r '.event_last_ms | . * 10 | round / 10' "$WORK/$label-result.json")
  R[$label.r_rss]=$(jq -r '.server_rss_subscribed_kib // 0 | . / 1024 | round' "$WORK/$label-result.json")
  log "  result reached ${R[$label.r_recv]}: p99 ${R[$label.r_p99]} ms, last ${R[$label.r_last]} ms"
  if env "${envs[@]}" "$BIN" council verify --data-dir "$dir" --vote "$vote" >"$WORK/$label-verify.txt" 2>&1; then
    R[$label.verify]="intact"
  else
    R[$label.verify]="BROKEN"
  fi
  log "  $(cat "$WORK/$label-verify.txt")"
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
}

start hello "$BUILD/bench_hello" --listen 127.0.0.1:0
wrk_run hello "http://127.0.0.1:$PORT/"
R[hello_rps]=$RPS R[hello_p99]=$P99
stop_pid "$PID"

mkdir -p "$WORK/sqlite"
suite sqlite "$WORK/sqlite" 1
if [[ $WITH_PG == 1 ]]; then
  start_postgres ratusha_bench
  mkdir -p "$WORK/pgdata"
  suite postgresql "$WORK/pgdata" 2 RATUSHA_DATABASE_URL="$PG_URL"
fi

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo "Machine: $(nproc) cores, $CPU; $(date -u +%F). Command: \`bench/council.sh\`. Baseline: bench_hello ${R[hello_rps]} req/s, p99 ${R[hello_p99]} ms."
echo
echo "| measurement | target | database | Ratusha | result |"
echo "|---|---|---|---|---|"
for db in sqlite postgresql; do
  [[ -n ${R[$db.b_ack]:-} ]] || continue
  nodes=$([[ $db == sqlite ]] && echo "1 node" || echo "2 nodes")
  b_ok=$(awk -v a="${R[$db.b_ack]}" -v n="$MEMBERS" -v w="${R[$db.b_wall]}" -v p="${R[$db.b_p99]}" -v s="${R[$db.b_stored]}" -v l="${R[$db.b_ledger]}" -v v="${R[$db.verify]}" \
    'BEGIN {print (a == n && w <= 5 && p < 50 && s == n && l == n && v == "intact") ? "met" : "NOT MET"}')
  r_ok=$(awk -v l="${R[$db.r_last]}" -v r="${R[$db.r_recv]}" 'BEGIN {split(r, a, "/"); print (l < 1000 && a[1] == a[2] && a[2] > 0) ? "met" : "NOT MET"}')
  echo "| $MEMBERS ballots, one per member, 64 connections | all within 5 s, p99 < 50 ms | $db, $nodes | ${R[$db.b_ack]} acknowledged in ${R[$db.b_wall]} s; p50 ${R[$db.b_p50]} ms, p99 ${R[$db.b_p99]} ms; ${R[$db.b_stored]} stored, ${R[$db.b_ledger]} in the ledger, verify: ${R[$db.verify]} | $b_ok |"
  echo "| the result to $WATCHERS watchers after the close | all within 1 s | $db, $nodes | ${R[$db.r_recv]} received; median ${R[$db.r_p50]} ms, p99 ${R[$db.r_p99]} ms, last ${R[$db.r_last]} ms | $r_ok |"
done
