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
# The window when there is a display; otherwise a headless run that prints live figures once a
# second until Ctrl+C (or --duration S).
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    echo "==> running: globalmart $*"
    exec "$binary" "$@"
fi
# Without a display the window cannot open: the run is headless, whether or not the arguments
# ask for it (and --headless is given once).
for argument in "$@"; do
    if [[ "$argument" == "--headless" ]]; then
        echo "==> running: globalmart $*  (Ctrl+C to stop)"
        exec "$binary" "$@"
    fi
done
echo "==> no display: running globalmart --headless $*  (Ctrl+C to stop)"
exec "$binary" --headless "$@"
