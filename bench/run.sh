#!/usr/bin/env bash
# The benchmark (`make bench`): Samenscan against the yardstick in ../shared/bench
# (ceiling.py), both under gunicorn with 2 sync workers, both loaded by wrk with
# the same settings in the same run. Prints a markdown table of requests/s and
# latency (p50, p99) with ratios to the ceiling's matching route; also written to
# bench/out/results.md. Every server it starts is stopped on exit.
#
# Settings (environment): SHARED_BENCH (the yardstick's folder), DURATION (10s),
# WARMUP (2s, not measured), ROUND (17: a round id that exists in both databases),
# and SCAN_QUESTIONS, passed on to the app like any SCAN_ setting. ONLY (empty: every
# row) measures only the rows named, by their file in bench/out/wrk, with the
# yardstick's rows they are compared with, e.g. while working on the polls:
#   ONLY="ceiling-hello scan-joint-poll scan-projector-poll" bench/run.sh
set -euo pipefail

die() { echo "bench: $*" >&2; exit 1; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
YARDSTICK=${SHARED_BENCH:-$ROOT/../shared/bench}
SHARED_BENCH=$(cd "$YARDSTICK" 2>/dev/null && pwd) || die "no folder $YARDSTICK (set SHARED_BENCH)"
BIN=$ROOT/.venv/bin
OUT=$ROOT/bench/out
DB=$OUT/bench.db
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUND=${ROUND:-17}
ROUNDS=1000 YEARS=10   # bench/generate.py's defaults; ceiling init matches them
PARTNERSHIP=$(( (ROUND - 1) / YEARS + 1 ))
CEILING=http://127.0.0.1:8901
SCAN=http://127.0.0.1:8902
COLD=http://127.0.0.1:8903   # the app again, rendering every report part (no kept parts)
# Throttling counted in Redis, as in production with several workers (docs/production.md):
# Debian's redis-server on its own port. The poll limit is lifted far above what wrk
# sends from its one address (a room of 60 phones polls 30 times a second), so the
# poll is measured being answered, with its throttling check, not being refused. (Its
# count reaches Redis once a second per worker, as a real room's does, scan.web.flood_guard.)
REDIS_PORT=8905
THROTTLING=(SCAN_RATELIMIT_STORAGE_URI=redis://127.0.0.1:$REDIS_PORT/0
            SCAN_POLL_LIMIT="1000000 per minute")
# One browser: the same User-Agent for the sign-in and every request. Flask-Login's
# session protection marks a session whose agent changed as not fresh and rewrites
# its cookie on every request, which no real reader's browser causes.
AGENT=samenscan-bench
LOAD=(-t2 -c32 -d"$DURATION" --latency -H "User-Agent: $AGENT")
ONLY=${ONLY:-}
chosen() {  # chosen NAME: is this row measured in this run
  [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]
}

[ -x "$BIN/gunicorn" ] || die "no $BIN/gunicorn: run 'make bench' (it installs the bench extra)"
[ -f "$SHARED_BENCH/ceiling.py" ] || die "no ceiling.py in $SHARED_BENCH (set SHARED_BENCH)"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    die "wrk is missing: install Debian's 'wrk' package"
  fi
fi
for url in "$CEILING" "$SCAN" "$COLD" "http://127.0.0.1:$REDIS_PORT"; do
  if curl -s -o /dev/null "$url/"; then die "something already listens at $url"; fi
done
command -v redis-server >/dev/null || die "redis-server is missing: install Debian's 'redis-server' package"

cd "$ROOT"
"$BIN/scan" check ${SCAN_QUESTIONS:+"$SCAN_QUESTIONS"} >/dev/null \
  || die "the question files do not load (problems above), so the app cannot start"
mkdir -p "$OUT/wrk"
rm -f "$OUT"/wrk/*.txt "$OUT/results.md"
# The run starts here (bench/record.py takes only tables written after it), and how
# busy the machine was at its start.
cut -d' ' -f1 /proc/loadavg >"$OUT/run-started"
if [ ! -f "$DB" ]; then
  "$BIN/python" bench/generate.py "$DB"
  rm -f "$OUT/respondents.lua"   # its respondents were in the old database
fi
# A joint scoring session in the placing step, 60 participants who all placed
# (added once; its phones' link token is fixed): its two poll URLs, one a line.
joint=$("$BIN/python" bench/joint_session.py "$DB" "$ROUND")
PHONE_POLL=$(sed -n 1p <<<"$joint")
PROJECTOR_POLL=$(sed -n 2p <<<"$joint")
[ -n "$PROJECTOR_POLL" ] || die "bench/joint_session.py printed no poll URLs"
# Respondents half-way through the open rounds (added once), for the page save; it
# prints one respondent's page and a form body answering it, to check a save below.
read -r SAVE_PATH SAVE_BODY < <(SCAN_DATABASE=$DB SCAN_INSTANCE_PATH=$OUT/instance \
  "$BIN/python" bench/respondents.py "$OUT/respondents.lua")
[ -n "$SAVE_BODY" ] || die "bench/respondents.py printed no page to save"
TMP=$(mktemp -d /tmp/samenscan-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Initialising the ceiling's database ..."
"$BIN/python" "$SHARED_BENCH/ceiling.py" init "$TMP/ceiling.db" \
  --rounds "$ROUNDS" --respondents 30 --items 40
CEILING_DB=$TMP/ceiling.db "$BIN/gunicorn" -w 2 -b 127.0.0.1:8901 --chdir "$SHARED_BENCH" \
  --error-logfile "$OUT/ceiling.log" ceiling:app &
PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP" \
  >"$OUT/redis.log" &
PIDS+=($!)
env "${THROTTLING[@]}" SCAN_DATABASE=$DB SCAN_INSTANCE_PATH=$OUT/instance "$BIN/gunicorn" \
  -w 2 -b 127.0.0.1:8902 --error-logfile "$OUT/scan.log" 'scan:create_app()' &
PIDS+=($!)
env "${THROTTLING[@]}" SCAN_DATABASE=$DB SCAN_INSTANCE_PATH=$OUT/instance \
  SCAN_KEEP_RENDERED=false "$BIN/gunicorn" -w 2 -b 127.0.0.1:8903 \
  --error-logfile "$OUT/scan-cold.log" 'scan:create_app()' &
PIDS+=($!)

wait_for() {
  for _ in $(seq 150); do
    curl -sf -o /dev/null "$1" && return
    sleep 0.2
  done
  die "no answer from $1 (see $OUT/ceiling.log and $OUT/scan.log)"
}
wait_for "$CEILING/hello"
wait_for "$SCAN/login"
wait_for "$COLD/login"

# Sign in as the bench user: the login form's CSRF token, then the session cookie.
csrf=$(curl -sf -A "$AGENT" -c "$TMP/jar" "$SCAN/login" \
  | grep -o 'name="csrf_token" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || die "no csrf_token on $SCAN/login"
code=$(curl -s -A "$AGENT" -b "$TMP/jar" -c "$TMP/jar" -o /dev/null -w '%{http_code}' \
  --data-urlencode email=bench@samenscan.nl --data-urlencode password=bench-samenscan \
  --data-urlencode "csrf_token=$csrf" "$SCAN/login")
[ "$code" = 302 ] || die "login answered $code, not 302"
# A browser's first page after sign-in stores the sign-out form's CSRF token in the
# session (sign-in starts a fresh session); take the cookie after that page, or every
# request would store a new token and rewrite the cookie.
curl -s -A "$AGENT" -b "$TMP/jar" -c "$TMP/jar" -o /dev/null "$SCAN/"
COOKIE="session=$(awk '$6 == "session" {print $7}' "$TMP/jar")"

REPORT=/p/$PARTNERSHIP/rounds/$ROUND/report/samen-opleiden
YEARS_PAGE=/p/$PARTNERSHIP/years/samen-opleiden
expect_200() {
  local code
  code=$(curl -s -A "$AGENT" -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$1")
  [ "$code" = 200 ] || die "$1 answered $code, not 200 (302 means the login did not hold)"
}
expect_200 "$CEILING/report/$ROUND"
expect_200 "$SCAN$REPORT"
expect_200 "$SCAN$YEARS_PAGE"
expect_200 "$SCAN$PHONE_POLL"
expect_200 "$SCAN$PROJECTOR_POLL"
# One real save (a respondent's first page): answers 302, on to the next page.
code=$(curl -s -o /dev/null -w '%{http_code}' --data "$SAVE_BODY" "$SCAN$SAVE_PATH")
[ "$code" = 302 ] || die "a page save answered $code, not 302 ($SAVE_PATH)"
for rid in 1 "$ROUNDS" $(shuf -i 1-"$ROUNDS" -n 5); do
  expect_200 "$SCAN/p/$(( (rid - 1) / YEARS + 1 ))/rounds/$rid/report/samen-opleiden"
done
expect_200 "$COLD$REPORT"   # the same session cookie: both servers share the secret key
# Every round's report read once, as the first reader after each release does: from
# then on its body is kept (in SQLite, for every worker) until the next release.
if chosen scan-report-random; then
  echo "Reading every round's report once ..."
  for rid in $(seq "$ROUNDS"); do
    echo "$SCAN/p/$(( (rid - 1) / YEARS + 1 ))/rounds/$rid/report/samen-opleiden"
  done | xargs -P 2 -n 50 curl -sf -A "$AGENT" -H "Cookie: $COOKIE" >/dev/null || die "a report did not answer 200"
fi

measure() {  # measure NAME WRK-ARGUMENTS...: a warm-up run, then the measured run
  chosen "$1" || return 0
  echo "Measuring $1 ..."
  local name=$1
  shift
  wrk -t2 -c32 -d"$WARMUP" -H "User-Agent: $AGENT" "$@" >/dev/null
  wrk "${LOAD[@]}" "$@" >"$OUT/wrk/$name.txt"
}
# Each of our routes runs right after the ceiling route it is compared with, so
# drift on the shared machine hits both alike. /submit writes into the ceiling's
# database, so it runs last. The joint scoring polls are small JSON, so they are
# compared with /hello: the phones' poll has no cookie (participants have no
# account), the projector's is the facilitator's, signed in.
measure ceiling-hello "$CEILING/hello"
measure scan-joint-poll "$SCAN$PHONE_POLL"
measure scan-projector-poll -H "Cookie: $COOKIE" "$SCAN$PROJECTOR_POLL"
measure ceiling-report "$CEILING/report/$ROUND"
measure scan-report -H "Cookie: $COOKIE" "$SCAN$REPORT"
measure ceiling-report-random -s bench/random_round.lua "$CEILING" -- ceiling "$ROUNDS"
measure scan-report-random -H "Cookie: $COOKIE" -s bench/random_round.lua "$SCAN" \
  -- scan "$ROUNDS" "$YEARS"
measure ceiling-report-cold -s bench/random_round.lua "$CEILING" -- ceiling "$ROUNDS"
measure scan-report-cold -H "Cookie: $COOKIE" -s bench/random_round.lua "$COLD" \
  -- scan "$ROUNDS" "$YEARS"
measure ceiling-report-again "$CEILING/report/$ROUND"
measure scan-years -H "Cookie: $COOKIE" "$SCAN$YEARS_PAGE"
measure ceiling-submit -s "$SHARED_BENCH/submit.lua" "$CEILING/submit"
measure scan-save -s bench/save_page.lua "$SCAN"
expect_200 "$SCAN$REPORT"  # still signed in: nothing above was a redirect

{
  echo "Bench run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores" \
    "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)," \
    "wrk ${LOAD[*]}, gunicorn 2 sync workers each; round $ROUND of partnership $PARTNERSHIP."
  echo
  "$BIN/python" bench/table.py "$OUT/wrk"
} | tee "$OUT/results.md"
