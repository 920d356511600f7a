#!/usr/bin/env bash
# Builds the wheel that makes `pip install inoculation-gate` give the `ipgate` command.
#
#   Scripts/build-wheel.sh [OUT_DIR]      (default: dist/)
#
# 1. A release build of ipgate with Swift's runtime, SQLite and zlib linked statically
#    (a folder holding only their static archives is searched first, so the `-lsqlite3`
#    and `-lz` the build asks for resolve to them): what remains is glibc, libm,
#    libstdc++ and libgcc_s — libraries the manylinux policies allow.
# 2. The wheel, first tagged linux_<arch>; auditwheel (in a private virtual environment)
#    then says which manylinux tag the binary really satisfies, and the wheel is written
#    again with that tag. The last line printed is the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
arch=$(uname -m)

static=.build/static-libs
mkdir -p "$static"
for lib in libsqlite3.a libz.a; do
  found=""
  for candidate in "/usr/lib/$arch-linux-gnu/$lib" "/usr/lib64/$lib" "/usr/lib/$lib" "$(gcc -print-file-name="$lib" 2>/dev/null || true)"; do
    if [ -f "$candidate" ]; then found=$candidate; break; fi
  done
  [ -n "$found" ] || { echo "build-wheel: $lib not found (apt-get install libsqlite3-dev zlib1g-dev)" >&2; exit 1; }
  ln -sf "$(readlink -f "$found")" "$static/$lib"
done
swift build -c release --static-swift-stdlib --product ipgate -Xlinker -L"$PWD/$static" >&2
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/ipgate"
if ldd "$bin" | grep -Eq "libswift|libsqlite3|libz\."; then
  echo "build-wheel: the binary still links a library dynamically that the wheel cannot carry:" >&2
  ldd "$bin" >&2
  exit 1
fi

venv="$HOME/.cache/ipgate/wheel-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
"$venv/bin/python" -c "import auditwheel" 2>/dev/null || "$venv/bin/python" -m pip install --quiet "auditwheel==6.8.2" >&2

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Symbols are for debuggers; without them the binary is half the size (160 → 83 MB).
strip -o "$scratch/ipgate" "$bin"
bin="$scratch/ipgate"
first=$("$venv/bin/python" Scripts/build_wheel.py "$bin" "$scratch/first" "linux_$arch")
# auditwheel names the most compatible platform the binary satisfies, e.g. manylinux_2_34_x86_64.
tag=$("$venv/bin/auditwheel" show "$first" | tr -s ' \n' ' ' | grep -oE '"manylinux_[0-9]+_[0-9]+_'"$arch"'"' | head -n 1 | tr -d '"' || true)
if [ -z "$tag" ]; then
  echo "build-wheel: auditwheel found no manylinux tag for this binary; keeping linux_$arch:" >&2
  "$venv/bin/auditwheel" show "$first" >&2
  tag="linux_$arch"
fi
mkdir -p "$out"
"$venv/bin/python" Scripts/build_wheel.py "$bin" "$out" "$tag"
