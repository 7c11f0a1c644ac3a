#!/usr/bin/env bash
# Builds the Python bindings into a virtual environment under target/pyenv (at the
# repository root) and runs their pytest suite. Needs only python3 (with venv and
# pip) and cargo; installs maturin, pytest, pandas, mypy and pandas-stubs into the environment itself
# (and pyspark with pyarrow when Java is there, for the Spark example's test).
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
if ! "$py" -c 'import maturin, pytest, pandas, mypy' >/dev/null 2>&1 || [ ! -x "$env_dir/bin/maturin" ] \
  || ! "$py" -m pip show --quiet pandas-stubs >/dev/null 2>&1; then
  "$py" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2' pytest pandas mypy pandas-stubs
fi

# The Spark example's test needs pyspark, pyarrow and Java; with Java on PATH they are
# installed too (SAMEAS_SKIP_SPARK=1 leaves them out; the test then skips, saying so).
if command -v java >/dev/null 2>&1 && [ "${SAMEAS_SKIP_SPARK:-0}" != 1 ] \
  && ! "$py" -c 'import pyspark, pyarrow' >/dev/null 2>&1; then
  "$py" -m pip install --quiet --disable-pip-version-check 'pyspark>=3.5,<5' 'pyarrow>=18'
fi

export VIRTUAL_ENV="$env_dir"
export PATH="$env_dir/bin:$PATH"
(cd python && maturin develop --release --quiet)

"$py" -m pytest -q python/tests "$@"
