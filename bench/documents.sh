#!/usr/bin/env bash
# Documents benchmarks (issue 3's targets), on SQLite (default) and PostgreSQL:
#   1. one 1 GiB upload: wall time -> MB/s, and the server's resident memory growth (sampled
#      every 20 ms); baseline: `cp` of the same file on the same disk;
#   2. 100 connections downloading one 10 MB document for BENCH_DURATION s with wrk: bytes/s
#      and errors; baseline: bench_hello answering 10 MB from memory (the loopback ceiling);
#   3. search over a generated corpus of 100 spaces x 1,000 documents (Bulgarian and Polish
#      text) for a person who may enter 3 of the spaces: latency percentiles over 90 queries.
# Prints a Markdown table on stdout; progress on stderr. Loopback only; everything started here
# is stopped by pid; the work directory is removed at the end.
#
# Settings: BENCH_DURATION=10, BENCH_UPLOAD_MB=1024, BENCH_SPACES=100, BENCH_DOCS=1000,
# BENCH_POSTGRES=1 (0: SQLite only), BENCH_KEEP=DIR, BUILD=build directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
DURATION=${BENCH_DURATION:-10}
CONNS=100
UPLOAD_MB=${BENCH_UPLOAD_MB:-1024}
SPACES=${BENCH_SPACES:-100}
DOCS=${BENCH_DOCS:-1000}
WITH_PG=${BENCH_POSTGRES:-1}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for t in wrk curl jq python3 sqlite3; do command -v "$t" >/dev/null || die "$t is missing"; done
for t in ratusha bench_hello; do [[ -x $BUILD/$t ]] || die "$BUILD/$t is missing"; done
BIN=$BUILD/ratusha
declare -A R

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# Samples the resident memory of $1 every 20 ms until the file $2 exists; prints the peak (kB).
peak_rss() {
  local pid=$1 stop=$2 peak=0 v
  while [[ ! -e $stop ]]; do
    v=$(rss_kb "$pid" 2>/dev/null || echo 0)
    ((v > peak)) && peak=$v
    sleep 0.02
  done
  echo "$peak"
}

suite() {
  local label=$1 dir=$2
  shift 2
  local envs=("$@" RATUSHA_LOG_LEVEL=warn RATUSHA_MAX_UPLOAD=4G RATUSHA_PERSONAL_QUOTA=20G)
  env "${envs[@]}" "$BIN" demo --data-dir "$dir" --json >"$WORK/$label-demo.json" 2>"$WORK/$label-demo.log"
  start "$label-serve" env "${envs[@]}" "$BIN" serve --data-dir "$dir" --listen 127.0.0.1:0
  local pid=$PID base="http://127.0.0.1:$PORT"
  login "$label" "$base" "$(jq -r .administrator.access_code "$WORK/$label-demo.json")" \
    "$(jq -r .administrator.activation_secret "$WORK/$label-demo.json")"
  local root person
  root=$(curl -fsS -H "Cookie: $COOKIE" "$base/api/v1/documents/spaces" | jq -r '.items[] | select(.kind == "personal") | .root_id')
  person=$(jq -r .person.id "$WORK/$label-session.json")

  # 1. one large upload
  log "[$label] uploading ${UPLOAD_MB} MiB"
  local before peak t0 t1
  before=$(rss_kb "$pid")
  rm -f "$WORK/upload.done"
  peak_rss "$pid" "$WORK/upload.done" >"$WORK/$label-peak.txt" &
  local sampler=$!
  t0=$(date +%s.%N)
  curl -fsS -o "$WORK/$label-upload.json" -X POST -T "$WORK/big.bin" -H "Cookie: $COOKIE" \
    -H "X-CSRF-Token: $CSRF" -H 'content-type: application/octet-stream' \
    "$base/api/v1/documents/nodes/$root/files?name=big.bin" || die "[$label] upload failed"
  t1=$(date +%s.%N)
  touch "$WORK/upload.done"
  wait "$sampler"
  peak=$(cat "$WORK/$label-peak.txt")
  [[ $(jq -r .sha256 "$WORK/$label-upload.json") == "$BIG_SHA" ]] || die "[$label] upload damaged"
  R[$label.upload_mbs]=$(awk -v mb="$UPLOAD_MB" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", mb * 1.048576 / (b - a)}')
  R[$label.upload_rss]=$(awk -v a="$before" -v b="$peak" 'BEGIN {printf "%.1f", (b - a) / 1024}')
  log "  ${R[$label.upload_mbs]} MB/s, resident memory +${R[$label.upload_rss]} MB"

  # 2. concurrent downloads
  local doc
  doc=$(curl -fsS -X POST --data-binary @"$WORK/ten.bin" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
    -H 'content-type: application/octet-stream' "$base/api/v1/documents/nodes/$root/files?name=ten.bin" | jq -r .id)
  wrk_run "$label-download" "$base/api/v1/documents/nodes/$doc/content" "Cookie: $COOKIE"
  R[$label.dl_gbs]=$(awk '/^Transfer\/sec:/ {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[A-Z]+$/, "", v);
      f = (u == "GB") ? 1 : (u == "MB") ? 1 / 1024 : 1 / 1048576; printf "%.2f", v * f}' "$WORK/$label-download.txt")
  R[$label.dl_rps]=$RPS R[$label.dl_bad]=$BAD R[$label.dl_p99]=$P99

  # 3. search
  log "[$label] generating $((SPACES * DOCS)) documents"
  python3 "$ROOT/bench/tools/doc_corpus.py" --spaces "$SPACES" --docs "$DOCS" --person "$person" \
    --dialect "$label" --queries "$WORK/queries.txt" >"$WORK/$label-corpus.sql"
  if [[ $label == sqlite ]]; then
    sqlite3 "$dir/ratusha.db" <"$WORK/$label-corpus.sql" >/dev/null
  else
    psql -q -v ON_ERROR_STOP=1 "$PG_URL" <"$WORK/$label-corpus.sql" >/dev/null
    psql -q "$PG_URL" -c 'ANALYZE' >/dev/null
  fi
  local qn=0 hits=0 ms
  : >"$WORK/$label-search-ms.txt"
  for round in 1 2; do  # the first round warms the caches; the second is measured
    while IFS= read -r query; do
      local enc
      enc=$(jq -rn --arg q "$query" '$q | @uri')
      ms=$(curl -fsS -o "$WORK/hit.json" -w '%{time_total}' -H "Cookie: $COOKIE" \
        "$base/api/v1/documents/search?q=$enc&limit=20" | awk '{printf "%.2f", $1 * 1000}')
      if ((round == 2)); then
        echo "$ms" >>"$WORK/$label-search-ms.txt"
        qn=$((qn + 1))
        hits=$((hits + $(jq '.items | length' "$WORK/hit.json")))
        # Only the 3 granted spaces may answer.
        jq -e '[.items[].space_id | tonumber] | all(. < 1000003)' "$WORK/hit.json" >/dev/null ||
          die "[$label] search returned a document the person may not see"
      fi
    done <"$WORK/queries.txt"
  done
  R[$label.search_p50]=$(percentile "$WORK/$label-search-ms.txt" 50)
  R[$label.search_p95]=$(percentile "$WORK/$label-search-ms.txt" 95)
  R[$label.search_max]=$(percentile "$WORK/$label-search-ms.txt" 100)
  R[$label.search_hits]=$((hits / qn))
  log "  search p50 ${R[$label.search_p50]} ms, p95 ${R[$label.search_p95]} ms over $qn queries"
  stop_pid "$pid"
}

log "making a ${UPLOAD_MB} MiB file and a 10 MB file"
head -c $((UPLOAD_MB * 1048576)) /dev/urandom >"$WORK/big.bin"
head -c 10000000 /dev/urandom >"$WORK/ten.bin"
BIG_SHA=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
sync
t0=$(date +%s.%N)
cp "$WORK/big.bin" "$WORK/copy.bin" && sync
t1=$(date +%s.%N)
rm -f "$WORK/copy.bin"
R[cp_mbs]=$(awk -v mb="$UPLOAD_MB" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", mb * 1.048576 / (b - a)}')
log "baseline cp + sync: ${R[cp_mbs]} MB/s"

start hello "$BUILD/bench_hello" --listen 127.0.0.1:0 --body-bytes 10000000
wrk_run hello-10mb "http://127.0.0.1:$PORT/"
R[hello_gbs]=$(awk '/^Transfer\/sec:/ {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[A-Z]+$/, "", v);
    f = (u == "GB") ? 1 : (u == "MB") ? 1 / 1024 : 1 / 1048576; printf "%.2f", v * f}' "$WORK/hello-10mb.txt")
stop_pid "$PID"

mkdir -p "$WORK/sqlite"
suite sqlite "$WORK/sqlite"

if [[ $WITH_PG == 1 ]]; then
  start_postgres ratusha_bench
  mkdir -p "$WORK/pgdata"
  suite postgresql "$WORK/pgdata" RATUSHA_DATABASE_URL="$PG_URL"
fi

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
echo "Machine: $(nproc) cores, $CPU; $(date -u +%F). Command: \`bench/documents.sh\`."
echo
echo "| measurement | target | database | Ratusha | baseline | result |"
echo "|---|---|---|---|---|---|"
for db in sqlite postgresql; do
  [[ -n ${R[$db.upload_mbs]:-} ]] || continue
  ok() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN {print ((op == "ge" ? a >= b : a < b) ? "met" : "NOT MET")}'; }
  echo "| upload ${UPLOAD_MB} MiB: throughput | ≥ 200 MB/s | $db | ${R[$db.upload_mbs]} MB/s | cp + sync: ${R[cp_mbs]} MB/s | $(ok "${R[$db.upload_mbs]}" 200 ge) |"
  echo "| upload ${UPLOAD_MB} MiB: resident memory growth | < 50 MB | $db | +${R[$db.upload_rss]} MB | — | $(ok "${R[$db.upload_rss]}" 50 lt) |"
  echo "| 100 concurrent downloads of 10 MB | loopback saturated, 0 errors | $db | ${R[$db.dl_gbs]} GB/s, ${R[$db.dl_rps]} req/s, p99 ${R[$db.dl_p99]} ms, ${R[$db.dl_bad]} errors | bench_hello 10 MB from memory: ${R[hello_gbs]} GB/s | $( [[ ${R[$db.dl_bad]} == 0 ]] && awk -v a="${R[$db.dl_gbs]}" -v b="${R[hello_gbs]}" 'BEGIN {printf "%.0f%% of the ceiling", 100 * a / b}' || echo 'errors') |"
  echo "| search, $((SPACES * DOCS)) documents, access to $((3 * DOCS)) | p95 < 100 ms | $db | p50 ${R[$db.search_p50]} ms, p95 ${R[$db.search_p95]} ms, max ${R[$db.search_max]} ms (${R[$db.search_hits]} hits/query) | — | $(ok "${R[$db.search_p95]}" 100 lt) |"
done
