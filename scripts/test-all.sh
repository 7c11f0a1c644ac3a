#!/usr/bin/env bash
# Runs every test: the Rust crate (unit, integration, doc tests) and, when the
# Python bindings are present, their pytest suite in a virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --all-features --workspace

if [ -f python/pyproject.toml ]; then
  bash python/test.sh
fi
