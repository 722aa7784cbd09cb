#!/usr/bin/env bash
# `make cpython`: CPython built twice from one upstream source, with the same flags, the default
# build and the free-threaded one (--disable-gil), into build/cpython/<version>/ and
# build/cpython/<version>t/ (never into the system).
#
# The source: PYTHON_SRC=path/to/Python-X.Y.Z.tar.xz, or, on Debian, the upstream tarball
# (orig.tar.xz, without Debian's patches) of the python3.14 source package, falling back to
# python3.13, fetched through a private apt configuration under build/cpython/apt that reuses
# the archive this machine's apt sources already name: the system's apt configuration is read,
# never changed, and no host name is written anywhere.
set -euo pipefail
OUT=${CPYTHON_OUT:-build/cpython}
JOBS=${JOBS:-$(nproc)}
PACKAGES=${CPYTHON_PACKAGES:-python3.14 python3.13}
SUITES=${CPYTHON_SUITES:-sid trixie}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

die() { echo "make cpython: $*" >&2; exit 2; }

# The Debian archive URIs this machine's apt sources name (deb822 and one-line forms), security
# and third-party archives aside.
archive_uris() {
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{for (i = 2; i <= NF; i++) print $i}'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print ($2 ~ /^\[/) ? $3 : $2}'
  } | grep -E '/debian/?$' | sort -u
}

# Downloads the newest upstream tarball that the archive serves into $OUT/src; prints its path.
fetch_debian_source() {
  command -v apt-get >/dev/null || die "no PYTHON_SRC given and no apt-get to fetch one: PYTHON_SRC=path/to/Python-X.Y.Z.tar.xz make cpython"
  local apt="$OUT/apt" uris
  uris=$(archive_uris)
  [ -n "$uris" ] || die "no Debian archive in this machine's apt sources; give PYTHON_SRC=path/to/Python-X.Y.Z.tar.xz"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$OUT/src"
  : > "$apt/sources.list"
  for u in $uris; do for s in $SUITES; do echo "deb-src $u $s main" >> "$apt/sources.list"; done; done
  local A=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
  echo "make cpython: reading the source index of suites $SUITES (private apt configuration in $apt)" >&2
  apt-get "${A[@]}" -qq update >&2 || die "apt-get update failed with the private configuration"
  local pkg v line
  for pkg in $PACKAGES; do
    for v in $(apt-cache "${A[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -Vr -u); do
      line=$(apt-get "${A[@]}" source --print-uris "$pkg=$v" 2>/dev/null | grep "orig.tar.xz'" | head -1 | tr -d "'") || true
      [ -n "$line" ] || continue
      set -- $line
      if [ -s "$OUT/src/$2" ] || /usr/lib/apt/apt-helper "${A[@]}" download-file "$1" "$OUT/src/$2" "$4" >/dev/null 2>&1; then
        echo "make cpython: $pkg $v: upstream source $2" >&2
        echo "$OUT/src/$2"
        return 0
      fi
      echo "make cpython: $pkg $v: its upstream tarball is not served; trying the next" >&2
    done
  done
  die "none of $PACKAGES had a served source tarball; give PYTHON_SRC=path/to/Python-X.Y.Z.tar.xz"
}

tarball=${PYTHON_SRC:-}
if [ -n "$tarball" ]; then
  [ -f "$tarball" ] || die "PYTHON_SRC=$tarball: no such file"
  tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
else
  tarball=$(fetch_debian_source)
fi

tree="$OUT/src/tree"
rm -rf "$tree" && mkdir -p "$tree"
tar -xf "$tarball" -C "$tree" --strip-components=1 || die "$tarball: not a source tarball"
[ -x "$tree/configure" ] || die "$tarball: no configure script inside: not a CPython source"
version=$(sed -n 's/^#define PY_VERSION[[:space:]]*"\(.*\)"/\1/p' "$tree/Include/patchlevel.h")
[ -n "$version" ] || die "$tarball: no PY_VERSION in Include/patchlevel.h"

# The same flags for both builds; only the GIL differs. No PGO/LTO (Debian's python has them),
# so the two builds differ in one thing.
build() {
  local name=$1; shift
  local dest="$OUT/$name" dir="$OUT/build-$name"
  rm -rf "$dir" && mkdir -p "$dir"
  echo "make cpython: building $name (configure $*) in $dir" >&2
  local t0=$SECONDS
  (cd "$dir" && "$tree/configure" --prefix="$dest" --without-ensurepip --disable-test-modules "$@" >configure.log 2>&1) \
    || { tail -20 "$dir/configure.log" >&2; die "configure failed for $name"; }
  (cd "$dir" && make -j "$JOBS" >make.log 2>&1 && make install >install.log 2>&1) \
    || { tail -20 "$dir/make.log" >&2; die "build failed for $name"; }
  echo "make cpython: $name built in $((SECONDS - t0)) s: $dest/bin/python3" >&2
}
build "$version"
build "${version}t" --disable-gil
for p in "$OUT/$version/bin/python3" "$OUT/${version}t/bin/python3"; do
  [ -x "$p" ] || p=$(ls "$(dirname "$p")"/python3.*[0-9t] 2>/dev/null | head -1)
  "$p" -c 'import sys, sysconfig; print(sys.executable, sys.version.split()[0], "GIL" if not sysconfig.get_config_var("Py_GIL_DISABLED") else "free-threaded")'
done
