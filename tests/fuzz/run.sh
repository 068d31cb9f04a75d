#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a libFuzzer target (preset "fuzz": clang, ASan, UBSan) and fuzzes it: the event decoder,
# or with GM_FUZZ_TARGET=fuzz_partial_codec the partial codec.
#
#   tests/fuzz/run.sh                          # 10 minutes
#   tests/fuzz/run.sh -max_total_time=60       # extra arguments go to libFuzzer
#   tests/fuzz/run.sh path/to/crash-file       # replay one input (a file argument)
#
# New interesting inputs go to build/fuzz/corpus (build/fuzz/corpus_partial_codec), not the
# checked-in seeds; crashes are written to build/fuzz/artifacts/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
export CCACHE_BASEDIR="$repo_root" CCACHE_NOHASHDIR=1

target="${GM_FUZZ_TARGET:-fuzz_event_decoder}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "$target"

work="build/fuzz"
if [[ "$target" == fuzz_event_decoder ]]; then
    corpus="$work/corpus"
    seeds=tests/fuzz/corpus
else
    corpus="$work/corpus_${target#fuzz_}"
    seeds="tests/fuzz/corpus_${target#fuzz_}"
fi
mkdir -p "$corpus" "$work/artifacts"
fuzzer="$work/tests/fuzz/$target"

if [[ $# -gt 0 && -f "$1" ]]; then
    exec "$fuzzer" "$@"
fi
exec "$fuzzer" "$corpus" "$seeds" -artifact_prefix="$work/artifacts/" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -max_total_time=600 "$@"
