#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package and the tarball from a release build in its own build directory,
# checks them (lintian, appstreamcli, desktop-file-validate, contents, control fields), unpacks
# the .deb into a temporary root and runs the unpacked program from there with the source and
# build trees hidden, proving that it finds its files outside the build tree.
#
#   tests/installer/test_package.sh [SOURCE_DIR [WORK_DIR]]
#
# SOURCE_DIR defaults to this repository, WORK_DIR (build tree and packages, kept between runs
# so that rebuilding is incremental) to SOURCE_DIR/build/package-test. CTest runs it as
# installer.package (label "installer"). Needs lintian, appstream, desktop-file-utils and
# dpkg-dev (installer/deps.sh installs them).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "${1:-$script_dir/../..}" && pwd)"
work_dir="${2:-$source_dir/build/package-test}"
mkdir -p "$work_dir"
work_dir="$(cd "$work_dir" && pwd)"
build_dir="$work_dir/build"
out_dir="$work_dir/packages"
app_id="io.github.globalmart.Monitor"

step() { printf '==> %s\n' "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

for tool in cmake cpack dpkg-deb dpkg-shlibdeps lintian appstreamcli desktop-file-validate; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (run installer/deps.sh)"
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gm-package-test.XXXXXX")"
# shellcheck disable=SC2317  # called through the trap
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT

# --- 1. release build and packages -------------------------------------------------------------
step "configuring a release build in $build_dir"
(cd "$source_dir" && cmake --preset release -B "$build_dir" >"$tmp/configure.log") || {
    cat "$tmp/configure.log" >&2
    fail "cmake --preset release failed"
}
step "building"
cmake --build "$build_dir" >"$tmp/build.log" 2>&1 || {
    tail -n 60 "$tmp/build.log" >&2
    fail "release build failed"
}
step "packaging (cpack -G 'DEB;TGZ')"
rm -rf -- "$out_dir"
(cd "$build_dir" && cpack -G "DEB;TGZ" -B "$out_dir" >"$tmp/cpack.log" 2>&1) || {
    cat "$tmp/cpack.log" >&2
    fail "cpack failed"
}
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")"
[[ -n "$version" ]] || fail "no CPACK_PACKAGE_VERSION in $build_dir/CPackConfig.cmake"
shopt -s nullglob
debs=("$out_dir"/globalmart_"$version"_*.deb)
tgzs=("$out_dir"/globalmart-"$version"-linux-*.tar.gz)
shopt -u nullglob
((${#debs[@]} == 1)) || fail "expected one globalmart_${version}_*.deb, found ${#debs[@]}"
((${#tgzs[@]} == 1)) || fail "expected one globalmart-${version}-linux-*.tar.gz, found ${#tgzs[@]}"
deb="${debs[0]}"
tgz="${tgzs[0]}"
printf '    %s (%s bytes)\n    %s (%s bytes)\n' "$(basename "$deb")" "$(stat -c %s "$deb")" \
    "$(basename "$tgz")" "$(stat -c %s "$tgz")"

# --- 2. control fields -----------------------------------------------------------------------
step "control fields"
dpkg-deb -f "$deb" Package Version Architecture Maintainer Installed-Size Section Priority \
    Homepage Depends Recommends Suggests | sed 's/^/    /'
field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == globalmart ]] || fail "Package is not globalmart"
[[ "$(field Version)" == "$version" ]] || fail "Version $(field Version) is not $version"
depends="$(field Depends)"
has_dependency() { [[ ", $depends," =~ ,\ $1[\ ,] ]]; }
for package in libc6 libqt6core6; do
    has_dependency "$package" || fail "Depends lacks $package: $depends"
done
# Every shared library the binary needs is covered (dpkg-shlibdeps did its job).
needed="$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/globalmart >"$tmp/globalmart" &&
    readelf -d "$tmp/globalmart" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
while read -r soname; do
    case "$soname" in
    librdkafka.so.*) has_dependency librdkafka1 || fail "Depends lacks librdkafka1" ;;
    libpq.so.*) has_dependency libpq5 || fail "Depends lacks libpq5" ;;
    libpqxx-*) [[ "$depends" == *libpqxx-* ]] || fail "Depends lacks libpqxx" ;;
    libQt6Core.so.*) ;;
    esac
done <<<"$needed"
printf '    NEEDED: %s\n' "$(tr '\n' ' ' <<<"$needed")"
[[ "$(field Recommends)" == *postgresql* ]] || fail "Recommends lacks postgresql"
[[ "$(field Suggests)" == *kcat* ]] || fail "Suggests lacks kcat"

# --- 3. contents -----------------------------------------------------------------------------
step "contents"
root="$tmp/root"
dpkg -x "$deb" "$root"
expected=(
    usr/bin/globalmart
    "usr/share/applications/$app_id.desktop"
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg"
    "usr/share/metainfo/$app_id.metainfo.xml"
    usr/share/man/man1/globalmart.1.gz
    usr/share/doc/globalmart/copyright
    usr/share/doc/globalmart/changelog.gz
    usr/share/globalmart/sql/migrations
)
for path in "${expected[@]}"; do
    [[ -e "$root/$path" ]] || fail "the package lacks /$path"
done
# The schema files of the source tree, byte for byte (for reference: the program embeds them).
diff -r "$source_dir/sql/migrations" "$root/usr/share/globalmart/sql/migrations" >"$tmp/sql.diff" || {
    cat "$tmp/sql.diff" >&2
    fail "/usr/share/globalmart/sql/migrations differs from the source tree's sql/migrations"
}
sql_count="$(find "$root/usr/share/globalmart/sql" -name '*.sql' | wc -l)"
((sql_count > 0)) || fail "no .sql files in /usr/share/globalmart/sql"
if readelf -d "$root/usr/bin/globalmart" | grep -Eq 'R(UN)?PATH'; then
    fail "usr/bin/globalmart has an RPATH/RUNPATH"
fi
zcat "$root/usr/share/man/man1/globalmart.1.gz" | grep -qF -- '\-\-headless' ||
    fail "the man page does not document --headless"
printf '    %s files, %s SQL files, installed size %s KiB\n' \
    "$(find "$root" -type f | wc -l)" "$sql_count" "$(field Installed-Size)"

# --- 4. lintian, AppStream, desktop entry ----------------------------------------------------
step "lintian"
lintian_status=0
lintian --fail-on error --display-info --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1 ||
    lintian_status=$?
grep -v 'running with root privileges' "$tmp/lintian.log" | sed 's/^/    /' || true
printf '    %s error(s), %s warning(s), %s info\n' "$(grep -c '^E: ' "$tmp/lintian.log" || true)" \
    "$(grep -c '^W: ' "$tmp/lintian.log" || true)" "$(grep -c '^I: ' "$tmp/lintian.log" || true)"
((lintian_status == 0)) || fail "lintian reports errors (exit $lintian_status)"

step "appstreamcli validate --no-net"
metainfo="$root/usr/share/metainfo/$app_id.metainfo.xml"
appstreamcli validate --no-net "$metainfo" 2>&1 | sed 's/^/    /'
[[ "${PIPESTATUS[0]}" == 0 ]] || fail "appstreamcli validate failed"

step "desktop-file-validate"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" 2>&1 | sed 's/^/    /'
[[ "${PIPESTATUS[0]}" == 0 ]] || fail "desktop-file-validate failed"

# --- 5. run the unpacked program -------------------------------------------------------------
# A clean environment (no PG*, no GLOBALMART_SQL_DIR, a throwaway HOME) and, when a private
# mount namespace is allowed, the source tree (which holds the build tree and the compiled-in
# fallback paths) covered by an empty tmpfs.
home="$tmp/home"
mkdir -p "$home"
hide=()
hidden_note="source tree hidden"
if unshare --mount --propagation private -- true 2>/dev/null; then
    hide_dirs=("$source_dir")
    [[ "$work_dir" == "$source_dir"/* ]] || hide_dirs+=("$work_dir")
    # shellcheck disable=SC2016  # expanded by the inner shell
    hide=(unshare --mount --propagation private -- sh -c
        'while [ "$1" != -- ]; do mount -t tmpfs -o size=1m gm-hidden "$1" || exit 125; shift; done
         shift; exec "$@"' sh "${hide_dirs[@]}" --)
else
    hidden_note="source tree still visible: no mount namespace allowed here"
fi
run_unpacked() {
    "${hide[@]}" env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 TZ=UTC \
        XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
        XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run" QT_QPA_PLATFORM=offscreen \
        "$@"
}
mkdir -m 0700 "$home/run"

step "unpacked globalmart --version ($hidden_note)"
run_unpacked "$root/usr/bin/globalmart" --version >"$tmp/version.txt" 2>&1 || {
    cat "$tmp/version.txt" >&2
    fail "globalmart --version failed"
}
sed 's/^/    /' "$tmp/version.txt"
[[ "$(head -n 1 "$tmp/version.txt")" == "globalmart $version" ]] ||
    fail "the first line of --version is not 'globalmart $version'"
for name in commit Qt librdkafka libpqxx libpq; do
    grep -Eq "^ +$name +[^ ]" "$tmp/version.txt" || fail "--version does not report $name"
done

run_args=(--headless --duration 2 --rate 1000)
run_unpacked "$root/usr/bin/globalmart" --help >"$tmp/help.txt" 2>&1 || fail "--help failed"
if grep -q -- '--no-db' "$tmp/help.txt"; then
    run_args+=(--no-db)
fi
step "unpacked globalmart ${run_args[*]} ($hidden_note)"
run_status=0
run_unpacked timeout --kill-after=5 30 "$root/usr/bin/globalmart" "${run_args[@]}" \
    >"$tmp/run.txt" 2>&1 || run_status=$?
sed 's/^/    /' "$tmp/run.txt"
((run_status == 0)) || fail "the unpacked headless run exited with $run_status"
grep -q '^Summary' "$tmp/run.txt" || fail "the headless run printed no summary"

# --- 6. the tarball is relocatable too -------------------------------------------------------
step "tarball: unpacked anywhere, it runs and finds share/globalmart"
mkdir -p "$tmp/tar"
tar -xzf "$tgz" -C "$tmp/tar"
tar_root="$(find "$tmp/tar" -mindepth 1 -maxdepth 1 -type d)"
for path in bin/globalmart share/globalmart/sql/migrations "share/applications/$app_id.desktop" \
    share/doc/globalmart/copyright share/man/man1/globalmart.1.gz; do
    [[ -e "$tar_root/$path" ]] || fail "the tarball lacks $path"
done
run_unpacked "$tar_root/bin/globalmart" --version >"$tmp/tar-version.txt" 2>&1 ||
    fail "globalmart --version from the tarball failed"
cmp -s "$tmp/version.txt" "$tmp/tar-version.txt" || fail "the tarball's --version differs"

step "package test passed: $(basename "$deb"), $(basename "$tgz")"
