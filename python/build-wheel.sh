#!/usr/bin/env bash
# Builds the release wheel of the Python bindings into target/wheels (at the repository
# root): one abi3 wheel for every CPython >= 3.9, tagged manylinux.
#
# With zig available (`pip install ziglang`), it links against glibc 2.17 whatever the
# host, giving a manylinux2014 wheel (separate cargo target dir: a zig-linked build
# must not reuse objects linked by the host toolchain). Without zig, maturin audits the
# library and tags the lowest manylinux the host's glibc allows (a newer glibc gives
# a newer tag). Either way the script fails unless the wheel is abi3 and manylinux.
# Needs cargo and maturin (test.sh installs maturin into target/pyenv).
set -euo pipefail
cd "$(dirname "$0")"
out="../target/wheels"
mkdir -p "$out"
if ! command -v cargo >/dev/null 2>&1; then
  echo "build-wheel.sh: cargo not found; install a Rust toolchain (1.75 or newer) first" >&2
  exit 1
fi
py="${PYTHON:-python3}"
before="$(ls "$out" 2>/dev/null || true)"
if "$py" -m ziglang version >/dev/null 2>&1; then
  CARGO_TARGET_DIR=target/zig maturin build --release --zig --compatibility manylinux2014 -o "$out"
else
  maturin build --release -o "$out"
fi
wheel="$(ls -t "$out"/*.whl | head -n 1)"
case "$(basename "$wheel")" in
  *-abi3-*manylinux*) echo "built $wheel" ;;
  *) echo "build-wheel.sh: $wheel is not an abi3 manylinux wheel" >&2; exit 1 ;;
esac
