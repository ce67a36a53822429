#!/usr/bin/env bash
# Workspace benchmarks (issue 4's targets), on SQLite (default) and PostgreSQL:
#   1. "my meetings this week" (GET /api/v1/meetings) for a person with 5,000 meetings in the
#      coming year, in a database of 1,000 people: wrk with 64 connections for BENCH_DURATION s;
#      baseline: bench_hello on the same loopback;
#   2. 100,000 reminders falling due in the same minute (1,000 meetings x 100 invitees starting
#      together; everyone's default 15-minute reminder): the time from the moment they fall due
#      until every one is delivered (reminders_sent and a notification each), and a check that
#      no one got one twice;
#   3. 1,000 WebSocket clients watching "presence" (bench_ws_clients; they share one session):
#      the time from a PUT /api/v1/me/presence until the change reached the first, median, 99th
#      percentile and last of them.
# Prints a Markdown table on stdout; progress on stderr. Loopback only; everything started here
# is stopped by pid; the work directory is removed at the end.
#
# Settings: BENCH_DURATION=10, BENCH_MEETINGS=5000, BENCH_REMINDER_MEETINGS=1000 (x 100
# invitees), BENCH_POSTGRES=1 (0: SQLite only), BENCH_KEEP=DIR, BUILD=build directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_DURATION:-10}
CONNS=64
MEETINGS=${BENCH_MEETINGS:-5000}
REMINDER_MEETINGS=${BENCH_REMINDER_MEETINGS:-1000}
WITH_PG=${BENCH_POSTGRES:-1}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for t in wrk curl jq python3 sqlite3; do command -v "$t" >/dev/null || die "$t is missing"; done
for t in ratusha bench_hello bench_ws_clients; do [[ -x $BUILD/$t ]] || die "$BUILD/$t is missing"; done
cp "$BUILD/ratusha" "$WORK/ratusha"  # a rebuild during the run cannot swap it
BIN=$WORK/ratusha
declare -A R

suite() {
  local label=$1 dir=$2
  shift 2
  local envs=("$@" RATUSHA_LOG_LEVEL=warn)
  env "${envs[@]}" "$BIN" demo --data-dir "$dir" --json >"$WORK/$label-demo.json" 2>"$WORK/$label-demo.log"
  start "$label-serve" env "${envs[@]}" "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0
  local pid=$PID base="http://127.0.0.1:$PORT"
  login "$label" "$base" "$(jq -r .administrator.access_code "$WORK/$label-demo.json")" \
    "$(jq -r .administrator.activation_secret "$WORK/$label-demo.json")"
  local person now
  person=$(jq -r .person.id "$WORK/$label-session.json")
  now=$(date +%s)

  # 1. upcoming meetings
  log "[$label] $MEETINGS meetings for person $person among 1,000 people"
  python3 "$ROOT/bench/tools/meeting_corpus.py" --mode upcoming --meetings "$MEETINGS" \
    --person "$person" --now "$now" | sql "$label" "$dir"
  [[ $label == postgresql ]] && psql -q "$PG_URL" -c ANALYZE >/dev/null
  local week
  week=$(curl -fsS -H "Cookie: $COOKIE" "$base/api/v1/meetings" | jq '.items | length')
  R[$label.week]=$week
  wrk_run "$label-upcoming" "$base/api/v1/meetings" "Cookie: $COOKIE"
  R[$label.up_rps]=$RPS R[$label.up_p99]=$P99 R[$label.up_bad]=$BAD
  # The same with 16 connections: at 64 on 2 cores, Little's law alone puts the mean wait above
  # 10 ms unless more than 6,400 requests a second are answered.
  CONNS=16 wrk_run "$label-upcoming16" "$base/api/v1/meetings" "Cookie: $COOKIE"
  R[$label.up16_rps]=$RPS R[$label.up16_p99]=$P99 R[$label.up16_bad]=$BAD

  # 2. reminders due in the same minute
  local count=$((REMINDER_MEETINGS * 100)) start_at due
  start_at=$(($(date +%s) + 15 * 60 + 40))
  due=$((start_at - 15 * 60))
  log "[$label] $count reminders due at $(date -u -d "@$due" +%T)"
  python3 "$ROOT/bench/tools/meeting_corpus.py" --mode reminders --meetings "$REMINDER_MEETINGS" \
    --invitees 100 --person "$person" --now "$now" --start "$start_at" | sql "$label" "$dir"
  [[ $label == postgresql ]] && psql -q "$PG_URL" -c ANALYZE >/dev/null
  local left=$((due - $(date +%s)))
  ((left > 0)) || die "[$label] loading the reminders took too long"
  log "[$label] waiting ${left} s for them to fall due"
  sleep "$left"
  # The sweep runs every 30 s by itself; an administrator's nudge starts it now (what is
  # measured is the delivery, not the 30 s timer).
  curl -fsS -o /dev/null -X POST -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
    -H 'content-type: application/json' --data '{"kind":"workspace.reminders"}' "$base/api/v1/jobs"
  local q="SELECT COUNT(*) FROM reminders_sent WHERE meeting_id >= 3000000"
  local n=0 t0 t1
  t0=$(date +%s.%N)
  for ((i = 0; i < 1200; i++)); do
    n=$(scalar "$label" "$dir" "$q")
    ((n >= count)) && break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  R[$label.rem_sent]=$n
  R[$label.rem_s]=$(awk -v a="$due" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  sleep 35  # one more regular sweep: nothing may be sent again
  R[$label.rem_notes]=$(scalar "$label" "$dir" "SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.reminder' AND person_id >= 3000000")
  R[$label.rem_twice]=$(scalar "$label" "$dir" "SELECT COUNT(*) FROM (SELECT person_id, link FROM notifications WHERE kind = 'meeting.reminder' AND person_id >= 3000000 GROUP BY person_id, link HAVING COUNT(*) > 1) x")
  log "  ${R[$label.rem_sent]} sent ${R[$label.rem_s]} s after they fell due; notifications ${R[$label.rem_notes]}, twice ${R[$label.rem_twice]}"

  # 3. a presence change to 1,000 watchers
  log "[$label] 1000 clients watching presence"
  timeout --foreground 300 "$BUILD/bench_ws_clients" --port "${base##*:}" --cookie "$COOKIE" \
    --origin "$base" --clients 1000 --topic presence --server-pid "$pid" \
    --trigger-presence "$CSRF" >"$WORK/$label-presence.json" 2>"$WORK/$label-presence.log" ||
    die "[$label] bench_ws_clients failed: $(tail -3 "$WORK/$label-presence.log")"
  R[$label.pr_recv]=$(jq -r '"\(.received)/\(.expected)"' "$WORK/$label-presence.json")
  R[$label.pr_p99]=$(jq -r '.event_p99_ms | . * 10 | round / 10' "$WORK/$label-presence.json")
  R[$label.pr_last]=$(jq -r '.event_last_ms | . * 10 | round / 10' "$WORK/$label-presence.json")
  log "  presence reached ${R[$label.pr_recv]}: p99 ${R[$label.pr_p99]} ms, last ${R[$label.pr_last]} ms"
  stop_pid "$pid"
}

start hello "$BUILD/bench_hello" --listen 127.0.0.1:0
wrk_run hello "http://127.0.0.1:$PORT/"
R[hello_rps]=$RPS R[hello_p99]=$P99
stop_pid "$PID"

mkdir -p "$WORK/sqlite"
suite sqlite "$WORK/sqlite"
if [[ $WITH_PG == 1 ]]; then
  start_postgres ratusha_bench
  mkdir -p "$WORK/pgdata"
  suite postgresql "$WORK/pgdata" RATUSHA_DATABASE_URL="$PG_URL"
fi

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo "Machine: $(nproc) cores, $CPU; $(date -u +%F). Command: \`bench/workspace.sh\`."
echo
echo "| measurement | target | database | Ratusha | baseline | result |"
echo "|---|---|---|---|---|---|"
for db in sqlite postgresql; do
  [[ -n ${R[$db.up_rps]:-} ]] || continue
  up_ok=$(awk -v r="${R[$db.up_rps]}" -v p="${R[$db.up_p99]}" -v b="${R[$db.up_bad]}" 'BEGIN {print (r >= 5000 && p < 10 && b == 0) ? "met" : "NOT MET"}')
  rem_ok=$(awk -v s="${R[$db.rem_s]}" -v n="${R[$db.rem_sent]}" -v c="$((REMINDER_MEETINGS * 100))" -v t="${R[$db.rem_twice]}" -v k="${R[$db.rem_notes]}" 'BEGIN {print (s <= 60 && n == c && k == c && t == 0) ? "met" : "NOT MET"}')
  echo "| my meetings this week ($MEETINGS a year, ${R[$db.week]} this week), 64 connections | ≥ 5,000 req/s, p99 < 10 ms | $db | ${R[$db.up_rps]} req/s, p99 ${R[$db.up_p99]} ms, ${R[$db.up_bad]} errors | bench_hello: ${R[hello_rps]} req/s, p99 ${R[hello_p99]} ms | $up_ok |"
  pr_ok=$(awk -v l="${R[$db.pr_last]}" -v r="${R[$db.pr_recv]}" 'BEGIN {split(r, a, "/"); print (l < 1000 && a[1] == a[2] && a[2] > 0) ? "met" : "NOT MET"}')
  up16_ok=$(awk -v r="${R[$db.up16_rps]}" -v p="${R[$db.up16_p99]}" -v b="${R[$db.up16_bad]}" 'BEGIN {print (r >= 5000 && p < 10 && b == 0) ? "met" : "NOT MET"}')
  echo "| the same, 16 connections | ≥ 5,000 req/s, p99 < 10 ms | $db | ${R[$db.up16_rps]} req/s, p99 ${R[$db.up16_p99]} ms, ${R[$db.up16_bad]} errors | — | $up16_ok |"
  echo "| a presence change to 1,000 watchers | all within 1 s | $db | ${R[$db.pr_recv]} received; p99 ${R[$db.pr_p99]} ms, last ${R[$db.pr_last]} ms | — | $pr_ok |"
  echo "| $((REMINDER_MEETINGS * 100)) reminders due in the same minute | all within 60 s, none twice | $db | ${R[$db.rem_sent]} delivered ${R[$db.rem_s]} s after falling due; ${R[$db.rem_notes]} notifications, ${R[$db.rem_twice]} twice | — | $rem_ok |"
done
