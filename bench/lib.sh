# Shared by the benchmark scripts (sourced): logging, the work directory, starting and
# stopping what a benchmark runs (by pid), and wrk with its numbers parsed.
# Needs: DURATION, CONNS (wrk), BUILD; sets WORK, PIDS, PG_DATA.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() { log "error: $*"; exit 1; }

# The servers benchmarked here run without video; bench/media.sh starts Janus itself.
export RATUSHA_JANUS=${RATUSHA_JANUS:-off}

WORK=$(mktemp -d /tmp/ratusha-bench.XXXXXX)
chmod 755 "$WORK"  # the PostgreSQL cluster below runs as the postgres user
PIDS=()            # every process started here, stopped by pid
PG_DATA=""

stop_pid() {  # SIGTERM, then SIGKILL after 15 s
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ -n $PG_DATA ]]; then as_postgres pg_ctl -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true; fi
  if [[ -n ${BENCH_KEEP:-} ]]; then
    mkdir -p "$BENCH_KEEP"
    cp "$WORK"/*.txt "$WORK"/*.json "$WORK"/*.md "$WORK"/*.log "$BENCH_KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {  # a port below the ephemeral range that nothing listens on
  local p
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 10000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
  die "no free port"
}

# start NAME CMD... : starts a server that prints "listening on http://ADDR:PORT"; sets PID, PORT.
start() {
  local name=$1 i
  shift
  : >"$WORK/$name.out.log"  # exists before the background job opens it
  "$@" >>"$WORK/$name.out.log" 2>"$WORK/$name.err.log" &
  PID=$!
  PIDS+=("$PID")
  PORT=""
  for ((i = 0; i < 150; i++)); do
    PORT=$(sed -n 's#^listening on http://[^ ]*:\([0-9][0-9]*\)$#\1#p' "$WORK/$name.out.log")
    [[ -n $PORT ]] && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/$name.err.log" >&2
  die "$name did not start"
}

# wrk_run NAME URL [HEADER]: writes $WORK/NAME.txt; sets RPS, P99 (ms), BAD (non-2xx + errors).
wrk_run() {
  local name=$1 url=$2 header=${3:-}
  local args=(-t2 "-c$CONNS" "-d${DURATION}s" --latency)
  log "wrk ${args[*]} ${header:+-H '${header%%=*}=…' }$url"
  [[ -n $header ]] && args+=(-H "$header")
  timeout --foreground $((DURATION + 60)) wrk "${args[@]}" "$url" >"$WORK/$name.txt" 2>&1 || true
  RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/$name.txt")
  P99=$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f}' "$WORK/$name.txt")
  BAD=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$WORK/$name.txt")
  [[ -n $RPS ]] || { cat "$WORK/$name.txt" >&2; die "wrk failed ($name)"; }
  log "  $name: $RPS req/s, p99 $P99 ms, $BAD errors or non-2xx"
}

# start_postgres DBNAME: a throwaway cluster in $WORK/pg (server defaults apart from where it
# listens) with one database; sets PG_PORT, PG_DATA (stopped by cleanup) and PG_URL.
start_postgres() {
  command -v initdb >/dev/null || PATH=/usr/lib/postgresql/15/bin:$PATH
  command -v initdb >/dev/null || die "initdb not found (BENCH_POSTGRES=0 to skip PostgreSQL)"
  mkdir -p "$WORK/pg"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$WORK/pg"
  log "[postgresql] initdb"
  as_postgres initdb -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$WORK/pg-initdb.log" 2>&1 ||
    die "initdb failed"
  PG_PORT=$(free_port)
  as_postgres pg_ctl -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg" start >"$WORK/pg-ctl.log" 2>&1 || die "pg_ctl start failed"
  PG_DATA=$WORK/pg/data
  as_postgres createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres "$1"
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/$1"
}

# The demo administrator's password in benchmarks, and the session cookie's name.
PASSWORD=${PASSWORD:-'липа над реката 7'}
COOKIE_NAME='__Host-ratusha_session'

# login LABEL BASE CODE SECRET: activates the demo administrator; sets COOKIE.
login() {
  local label=$1 base=$2 code=$3 secret=$4
  curl -fsS -o "$WORK/$label-session.json" -c "$WORK/$label.jar" -H 'content-type: application/json' \
    --data "$(jq -nc --arg c "$code" --arg s "$secret" --arg p "$PASSWORD" \
      '{access_code: $c, activation_secret: $s, password: $p}')" "$base/api/v1/activation" ||
    die "[$label] activation failed"
  COOKIE="$COOKIE_NAME=$(awk -v n="$COOKIE_NAME" '$6 == n {print $7}' "$WORK/$label.jar")"
  CSRF=$(jq -r .csrf_token "$WORK/$label-session.json")
}

# percentile FILE P: the P-th percentile of the numbers in FILE (one per line).
percentile() { sort -n "$1" | awk -v p="$2" '{a[NR] = $1} END {i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print a[i]}'; }

# The database of a suite: LABEL sqlite (the file in DIR) or postgresql ($PG_URL).
sql() {  # sql LABEL DIR < statements
  if [[ $1 == sqlite ]]; then sqlite3 "$2/ratusha.db" >/dev/null; else psql -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null; fi
}
scalar() {  # scalar LABEL DIR QUERY
  if [[ $1 == sqlite ]]; then sqlite3 "$2/ratusha.db" "$3"; else psql -At "$PG_URL" -c "$3"; fi
}
