#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds a release binary and runs GlobalMart Monitor.
# Arguments are passed to globalmart (e.g. app/run.sh --rate 100000 --accelerate 60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
installer/deps.sh
echo "==> building (release)"
cmake --preset release >/dev/null
cmake --build --preset release
binary="$root/build/release/app/globalmart"
# The desktop window is not part of this build yet: every run is headless for now and prints
# live figures once a second until Ctrl+C (or --duration S).
echo "==> running: globalmart --headless $*  (Ctrl+C to stop)"
exec "$binary" --headless "$@"
