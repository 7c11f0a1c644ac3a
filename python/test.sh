#!/usr/bin/env bash
# Builds the Python bindings into a virtual environment under target/pyenv (at the
# repository root) and runs their pytest suite. Needs only python3 (with venv and
# pip) and cargo; installs maturin, pytest and pandas into the environment itself.
# Re-runs reuse the environment and cargo's incremental build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
env_dir="$root/target/pyenv"

if ! command -v cargo >/dev/null 2>&1; then
  echo "python/test.sh: cargo not found; the bindings compile from Rust source, so install a Rust toolchain (1.75 or newer) first" >&2
  exit 1
fi
py="$env_dir/bin/python"

if [ ! -x "$py" ]; then
  mkdir -p "$root/target"
  python3 -m venv "$env_dir"
fi
if ! "$py" -c 'import maturin, pytest, pandas' >/dev/null 2>&1 || [ ! -x "$env_dir/bin/maturin" ]; then
  "$py" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2' pytest pandas
fi

export VIRTUAL_ENV="$env_dir"
export PATH="$env_dir/bin:$PATH"
(cd python && maturin develop --release --quiet)

"$py" -m pytest -q python/tests "$@"
