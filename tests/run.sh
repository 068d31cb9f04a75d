#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# THE test command: installs missing dependencies, builds, starts a throwaway PostgreSQL cluster
# (Unix socket in a temp dir, no TCP), runs CTest against it and always tears it down again.
#
#   tests/run.sh                 # everything, preset "dev"
#   tests/run.sh -R generator    # extra arguments go to ctest
#   GM_PRESET=asan tests/run.sh  # another CMake preset
#   GM_PRESET=tsan GM_TARGETS="a b" tests/run.sh -L concurrency
#                                # build only these targets (the tests ctest selects must be
#                                # among them), e.g. the concurrency tests under ThreadSanitizer
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
preset="${GM_PRESET:-dev}"
# Let ccache reuse objects compiled from another clone of the repository (CI clones afresh).
export CCACHE_BASEDIR="$repo_root" CCACHE_NOHASHDIR=1

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# --- 1. dependencies --------------------------------------------------------------------------
t=$(now)
installer/deps.sh
echo "==> dependencies ok ($(since "$t"))"

# --- 2. build ---------------------------------------------------------------------------------
echo "==> building (preset $preset)"
t=$(now)
# CI builds with warnings as errors: a new warning fails the run there, not only locally.
cmake --preset "$preset" ${CI:+-DGM_WERROR=ON} >/dev/null
if [[ -n "${GM_TARGETS:-}" ]]; then
    # shellcheck disable=SC2086 # a space-separated list of target names
    cmake --build --preset "$preset" --target ${GM_TARGETS}
else
    cmake --build --preset "$preset"
fi
echo "==> built ($(since "$t"))"

# --- 3. throwaway PostgreSQL cluster ----------------------------------------------------------
pg_bin=""
pg_bins=(/usr/lib/postgresql/*/bin)
[[ -e "${pg_bins[0]}" ]] && pg_bin="$(printf '%s\n' "${pg_bins[@]}" | sort -V | tail -n 1)"
if [[ -z "$pg_bin" || ! -x "$pg_bin/pg_ctl" ]]; then
    echo "run.sh: no PostgreSQL server found under /usr/lib/postgresql/*/bin" >&2
    exit 1
fi
pg_version="$(basename "$(dirname "$pg_bin")")"

# PostgreSQL refuses to run as root: then the cluster belongs to the postgres system user.
if ((EUID == 0)); then
    as_pg=(runuser -u postgres --)
else
    as_pg=()
fi

pg_tmp=""
pg_started=0
ctest_pid=""
# shellcheck disable=SC2317  # called through the trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Interrupted while the tests ran: end ctest and the tests it started before the server.
    if [[ -n "$ctest_pid" ]] && kill -0 "$ctest_pid" 2>/dev/null; then
        kill -TERM -- "-$ctest_pid" 2>/dev/null || kill -TERM "$ctest_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$ctest_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$ctest_pid" 2>/dev/null || true
    fi
    if ((pg_started)); then
        local t0 pm_pid=""
        t0=$(now)
        [[ -r "$pg_tmp/data/postmaster.pid" ]] && pm_pid=$(head -n 1 "$pg_tmp/data/postmaster.pid")
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate -w stop >/dev/null 2>&1 ||
            true
        # pg_ctl daemonises the server, so init reaps it; wait (briefly) until it is really gone.
        if [[ "$pm_pid" =~ ^[0-9]+$ ]]; then
            for _ in $(seq 1 60); do
                [[ -e "/proc/$pm_pid" ]] || break
                sleep 0.05
            done
        fi
        echo "==> PostgreSQL stopped ($(since "$t0"))"
    fi
    [[ -n "$pg_tmp" && -d "$pg_tmp" ]] && rm -rf -- "$pg_tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nobody listens on over TCP (the server itself only opens a Unix socket in its own dir).
port_in_use() {
    local hex
    hex=$(printf ':%04X$' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p="$hex" '$2 ~ p && $4 == "0A" { f = 1 } END { exit !f }'
}
pg_port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! port_in_use "$candidate"; then
        pg_port=$candidate
        break
    fi
done
[[ -n "$pg_port" ]] || { echo "run.sh: found no free port" >&2; exit 1; }

t=$(now)
pg_tmp="$(mktemp -d "${TMPDIR:-/tmp}/gm-pg.XXXXXX")"
if ((EUID == 0)); then
    if ! id postgres >/dev/null 2>&1; then
        echo "run.sh: running as root but there is no 'postgres' system user" >&2
        exit 1
    fi
    chown postgres: "$pg_tmp"
fi
if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_tmp/data" -A trust -U postgres --no-sync \
        -E UTF8 --locale=C.UTF-8 >"$pg_tmp/initdb.log" 2>&1; then
    echo "run.sh: initdb failed:" >&2
    cat "$pg_tmp/initdb.log" >&2
    exit 1
fi
pg_started=1
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $pg_tmp -p $pg_port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
    echo "run.sh: PostgreSQL did not start:" >&2
    cat "$pg_tmp/server.log" >&2
    exit 1
fi

unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD PGPASSFILE PGOPTIONS PGSSLMODE
export PGHOST="$pg_tmp" PGPORT="$pg_port" PGUSER=postgres PGDATABASE=globalmart_test
export GLOBALMART_TEST_REQUIRE_DB=1
"$pg_bin/createdb" globalmart_test
echo "==> PostgreSQL $pg_version on $PGHOST:$PGPORT (started in $(since "$t"))"

# --- 4. tests ---------------------------------------------------------------------------------
echo "==> running tests"
# In the background, in its own process group, so that INT/TERM interrupt `wait` at once and
# the trap can stop the whole test tree (a foreground child would delay the trap until it ends).
setsid ctest --preset "$preset" "$@" &
ctest_pid=$!
set +e
wait "$ctest_pid"
ctest_status=$?
set -e
ctest_pid=""
exit "$ctest_status"
