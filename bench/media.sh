#!/usr/bin/env bash
# Media control-path benchmark (issue 5's third target): joins of live meetings at a fixed
# 200 a second (open loop, bench_joins) for BENCH_SECONDS (10) against a server that runs its
# own Janus. BENCH_PEOPLE (1,000) people, each in their personal room: the first join of each
# room checks who may enter, places the room and makes its VideoRoom in Janus (room create);
# every later join checks and signs a ticket (token issue). Target: p99 < 5 ms for both.
# Also: Ratusha's and Janus's CPU time and memory over the run.
# Baseline: bench_hello on the same loopback. Prints a Markdown table on stdout; progress on
# stderr. Everything started here is stopped by pid; the work directory is removed at the end.
# Media through browsers (join to first frame, a room of 10 publishers) is measured by
# bench/media_room.mjs in a network namespace.
#
# Settings: BENCH_PEOPLE=1000, BENCH_RATE=200, BENCH_SECONDS=10, BENCH_POSTGRES=1 (0: SQLite
# only), BENCH_BROWSERS=1 (0: the control path only), BENCH_KEEP=DIR, BUILD=build directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_DURATION:-5}
CONNS=64
PEOPLE=${BENCH_PEOPLE:-1000}
RATE=${BENCH_RATE:-200}
SECONDS_=${BENCH_SECONDS:-10}
WITH_PG=${BENCH_POSTGRES:-1}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for t in wrk curl jq python3 sqlite3; do command -v "$t" >/dev/null || die "$t is missing"; done
for t in ratusha bench_hello bench_joins; do [[ -x $BUILD/$t ]] || die "$BUILD/$t is missing"; done
[[ -x /usr/bin/janus ]] || die "Janus is missing (apt install janus)"
cp "$BUILD/ratusha" "$WORK/ratusha"
BIN=$WORK/ratusha
declare -A R

# cpu_ms PID: user+system CPU time of a process so far, in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }

suite() {
  local label=$1 dir=$2
  shift 2
  local envs=("$@" RATUSHA_LOG_LEVEL=warn RATUSHA_JANUS=local RATUSHA_JANUS_WS_LISTEN=127.0.0.1:0)
  env "${envs[@]}" "$BIN" demo --data-dir "$dir" --json >"$WORK/$label-demo.json" 2>"$WORK/$label-demo.log"
  log "[$label] $PEOPLE people, each with a personal room and an API token"
  python3 "$ROOT/bench/tools/media_corpus.py" --people "$PEOPLE" --out "$WORK/$label-people.txt" | sql "$label" "$dir"
  start "$label-serve" env "${envs[@]}" "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0
  local server=$PID port=$PORT janus
  janus=$(pgrep -f "janus -F $dir/janus" | head -1)
  [[ -n $janus ]] || die "[$label] Janus did not start: $(tail -3 "$WORK/$label-serve.err.log")"
  local s0 j0
  s0=$(cpu_ms "$server") j0=$(cpu_ms "$janus")
  log "[$label] $((RATE * SECONDS_)) joins at $RATE/s"
  "$BUILD/bench_joins" --port "$port" --people "$WORK/$label-people.txt" --rate "$RATE" \
    --seconds "$SECONDS_" >"$WORK/$label-joins.json" 2>"$WORK/$label-joins.log" || true
  R[$label.ok]=$(jq -r '.statuses["200"] // 0' "$WORK/$label-joins.json")
  R[$label.n]=$(jq -r .joins "$WORK/$label-joins.json")
  for k in first_join again; do
    R[$label.$k.p50]=$(jq -r ".$k.p50_ms * 100 | round / 100" "$WORK/$label-joins.json")
    R[$label.$k.p99]=$(jq -r ".$k.p99_ms * 100 | round / 100" "$WORK/$label-joins.json")
    R[$label.$k.max]=$(jq -r ".$k.max_ms * 100 | round / 100" "$WORK/$label-joins.json")
  done
  R[$label.cpu]=$(awk -v a="$s0" -v b="$(cpu_ms "$server")" -v s="$SECONDS_" 'BEGIN {printf "%.0f", (b - a) / (s * 10)}')
  R[$label.jcpu]=$(awk -v a="$j0" -v b="$(cpu_ms "$janus")" -v s="$SECONDS_" 'BEGIN {printf "%.0f", (b - a) / (s * 10)}')
  R[$label.rss]=$(rss_mib "$server") R[$label.jrss]=$(rss_mib "$janus")
  R[$label.rooms]=$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '$1 == "ratusha_media_participants" {print $2}')
  log "  ${R[$label.ok]}/${R[$label.n]} tickets; first join p99 ${R[$label.first_join.p99]} ms, again p99 ${R[$label.again.p99]} ms; CPU ratusha ${R[$label.cpu]} %, janus ${R[$label.jcpu]} %"
  stop_pid "$server"
}

start hello "$BUILD/bench_hello" --listen 127.0.0.1:0
wrk_run hello "http://127.0.0.1:$PORT/"
R[hello_rps]=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$WORK/hello.txt")
stop_pid "$PID"

mkdir -p "$WORK/sqlite"
suite sqlite "$WORK/sqlite"
labels=(sqlite)
if [[ $WITH_PG == 1 ]]; then
  start_postgres ratusha_bench
  mkdir -p "$WORK/pgdata"
  suite postgresql "$WORK/pgdata" RATUSHA_DATABASE_URL="$PG_URL"
  labels+=(postgresql)
fi

# Media through browsers, in a network namespace (as root; else this machine's own interface).
log "[browsers] join to first frame, and a room of publishers and watchers (bench/media_room.mjs)"
if [[ ${BENCH_BROWSERS:-1} == 1 ]] &&
  RATUSHA_BIN="$BIN" node "$ROOT/bench/media_room.mjs" >"$WORK/media_room.json" 2>"$WORK/media_room.log"; then
  M=$WORK/media_room.json
else
  log "  media_room failed or was skipped: $(tail -3 "$WORK/media_room.log")"
  M=""
fi

echo "Baseline: bench_hello ${R[hello_rps]} req/s on the same loopback."
echo
echo "| $((RATE * SECONDS_)) joins at $RATE/s ($PEOPLE rooms) | tickets | room create p50 / p99 / max | token issue p50 / p99 / max | CPU ratusha / janus | RSS ratusha / janus |"
echo "|---|---|---|---|---|---|"
for l in "${labels[@]}"; do
  echo "| $l | ${R[$l.ok]}/${R[$l.n]} | ${R[$l.first_join.p50]} / ${R[$l.first_join.p99]} / ${R[$l.first_join.max]} ms | ${R[$l.again.p50]} / ${R[$l.again.p99]} / ${R[$l.again.max]} ms | ${R[$l.cpu]} % / ${R[$l.jcpu]} % | ${R[$l.rss]} / ${R[$l.jrss]} MiB |"
done

if [[ -n $M ]]; then
  echo
  echo "| browsers (Chromium, fake camera 320×180 at 15 fps) | result |"
  echo "|---|---|"
  jq -r '"| click \"join\" → first remote video frame, \(.joins) joins | p50 \(.join_first_frame_ms.p50) ms, p95 \(.join_first_frame_ms.p95) ms, max \(.join_first_frame_ms.max) ms |",
    "| one room: \(.room.publishers) publishers and \(.room.watchers) watchers, \(.room.seconds) s | Janus CPU \(.room.janus_cpu_percent) %, RSS \(.room.janus_rss_mib) MiB; Ratusha CPU \(.room.ratusha_cpu_percent) %, RSS \(.room.ratusha_rss_mib) MiB |",
    "| what Janus receives from all publishers | \(.room.janus_receives_kbps) kbit/s |",
    "| what Janus sends each subscriber connection | min \(.room.subscriber_kbps.min), median \(.room.subscriber_kbps.median), max \(.room.subscriber_kbps.max) kbit/s |",
    "| frames per second of each video at the watchers | min \(.room.watcher_fps_per_video.min), median \(.room.watcher_fps_per_video.median) |"' "$M"
fi
