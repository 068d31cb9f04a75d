#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 (bookworm) packages GlobalMart Monitor needs to build, test and run.
# Idempotent and silent when everything is already installed: it asks dpkg first and only runs
# `apt-get update` + `apt-get install` for what is missing (as root, or through sudo).
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config ccache clang-format
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
    qt6-httpserver-dev qt6-websockets-dev
    librdkafka-dev libpqxx-dev libpq-dev postgresql libbenchmark-dev libsimdjson-dev kcat
    prometheus
    xvfb xauth imagemagick
    dpkg-dev file help2man lintian appstream desktop-file-utils
)
# qt6-httpserver-dev needs qt6-websockets-dev to configure; prometheus brings promtool and the
# server the HTTP tests check our /metrics with.
# Not listed: libqt6svg6-dev is only a virtual name on bookworm (provided by qt6-svg-dev), so
# dpkg never reports it as installed.

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: dpkg-query not found; this script supports Debian 12 only." >&2
    exit 1
fi

# dpkg-query prints nothing for a package it has never heard of, so compare against the list.
declare -A installed=()
while read -r name status; do
    [[ "$status" == installed ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)

missing=()
for p in "${packages[@]}"; do
    [[ -n "${installed[$p]:-}" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID == 0)); then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "deps.sh: missing Debian packages (need root or sudo to install): ${missing[*]}" >&2
    exit 1
fi

echo "==> installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}"
