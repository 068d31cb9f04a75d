#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a source file of ui/, models/ or app/ includes, directly or through our headers,
# a header of librdkafka, libpq or libpqxx. Those libraries belong to the persistence and Kafka
# libraries, behind the runtime's private implementation (README, "Architecture").
# Reads the dependencies the compiler recorded for the last build (ninja's deps log), so it
# sees exactly what was compiled.
set -euo pipefail
build_dir="${1:?usage: check_io_headers.sh BUILD_DIR}"
if [[ ! -f "$build_dir/.ninja_deps" ]]; then
    echo "check_io_headers: $build_dir has no ninja deps log (build with a Ninja preset first)" >&2
    exit 1
fi
forbidden='(/librdkafka/|/pqxx/|/libpq-fe\.h|/postgresql/)'
report=$(ninja -C "$build_dir" -t deps 2>/dev/null | awk -v bad="$forbidden" '
    /^[^ ].*\.o: #deps/ {
        object = $1
        watched = (object ~ /^(ui|models|app|app\/http)\/CMakeFiles\/(gm_ui|gm_models|gm_app_core|globalmart|gm_http)\.dir\//)
        if (watched) { count++ }
        next
    }
    watched && $0 ~ bad { gsub(/^ +/, ""); print object " includes " $0 }
    END { print "#checked " count + 0 }')
checked=$(sed -n 's/^#checked //p' <<<"$report")
offending=$(grep -v '^#checked ' <<<"$report" || true)
if ((checked == 0)); then
    echo "check_io_headers: found no compiled ui/, models/ or app/ objects in $build_dir" >&2
    exit 1
fi
if [[ -n "$offending" ]]; then
    echo "I/O library headers reach the window or the app:" >&2
    sort -u <<<"$offending" >&2
    exit 1
fi
echo "check_io_headers: $checked objects of ui/, models/ and app/ include no librdkafka, libpq or libpqxx header"
