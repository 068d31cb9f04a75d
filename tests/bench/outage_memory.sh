#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A headless run against a private PostgreSQL cluster that is killed (pg_ctl -m immediate) at
# DOWN_AT seconds and started again at UP_AT seconds: prints the program's peak RSS
# (/usr/bin/time -v), its exit code and the rows per table afterwards. A benchmark, not a test.
#
#   tests/bench/outage_memory.sh BINARY [DOWN_AT UP_AT] [-- globalmart options]
#   tests/bench/outage_memory.sh build/dev/app/globalmart 10 20 -- --rate 100000 --duration 40
# Without DOWN_AT/UP_AT (or with 0 0) the server stays up: the reference run.
set -euo pipefail

binary="$(realpath "$1")"
shift
down_at=0
up_at=0
if [[ $# -ge 2 && "$1" != "--" ]]; then
    down_at="$1"
    up_at="$2"
    shift 2
fi
[[ "${1:-}" == "--" ]] && shift
args=("$@")

pg_bins=(/usr/lib/postgresql/*/bin)
pg_bin="$(printf '%s\n' "${pg_bins[@]}" | sort -V | tail -n 1)"
as_pg=()
((EUID == 0)) && as_pg=(runuser -u postgres --)

work="$(mktemp -d "${TMPDIR:-/tmp}/gm-outage.XXXXXX")"
chmod 755 "$work"
((EUID == 0)) && chown postgres: "$work"
port=$((20000 + RANDOM % 40000))
pgctl() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" "$@"; }
cleanup() {
    pgctl -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf -- "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -A trust -U postgres --no-sync -E UTF8 \
    --locale=C.UTF-8 >/dev/null
start_server() {
    pgctl -l "$work/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $work -p $port -c fsync=off -c full_page_writes=off" \
        start >/dev/null
}
start_server
"$pg_bin/createdb" -h "$work" -p "$port" -U postgres bench
conninfo="host=$work port=$port user=postgres dbname=bench"

# The spill directory is the program's data directory: keep it out of the user's own.
export XDG_DATA_HOME="$work/xdg"
mkdir -p "$XDG_DATA_HOME"
/usr/bin/time -v -o "$work/time.txt" "$binary" --headless --db "$conninfo" "${args[@]}" \
    >"$work/run.log" 2>&1 &
run_pid=$!
if ((down_at > 0)); then
    sleep "$down_at"
    pgctl -m immediate -w stop >/dev/null
    echo "server killed at ${down_at} s"
    sleep $((up_at - down_at))
    start_server
    echo "server started at ${up_at} s"
fi
set +e
wait "$run_pid"
status=$?
set -e
tail -n 12 "$work/run.log"
echo "exit code: $status"
grep -E "Maximum resident set size|Elapsed \(wall" "$work/time.txt"
for table in $(psql -X -h "$work" -p "$port" -U postgres -d bench -At -c \
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    printf '%-28s %s\n' "$table" \
        "$(psql -X -h "$work" -p "$port" -U postgres -d bench -At -c "SELECT count(*) FROM $table")"
done
