#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (preset "fuzz": clang, ASan, UBSan) and fuzzes the event decoder.
#
#   tests/fuzz/run.sh                          # 10 minutes
#   tests/fuzz/run.sh -max_total_time=60       # extra arguments go to libFuzzer
#   tests/fuzz/run.sh path/to/crash-file       # replay one input (a file argument)
#
# New interesting inputs go to build/fuzz/corpus (not the checked-in seeds); crashes are written
# to build/fuzz/artifacts/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export CCACHE_BASEDIR="$repo_root" CCACHE_NOHASHDIR=1

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_event_decoder

work="build/fuzz"
mkdir -p "$work/corpus" "$work/artifacts"
fuzzer="$work/tests/fuzz/fuzz_event_decoder"

if [[ $# -gt 0 && -f "$1" ]]; then
    exec "$fuzzer" "$@"
fi
exec "$fuzzer" "$work/corpus" tests/fuzz/corpus -artifact_prefix="$work/artifacts/" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -max_total_time=600 "$@"
