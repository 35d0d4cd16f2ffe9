#!/usr/bin/env bash
# Line coverage of src/ by the whole test suite (unit, integration and doc
# tests), with cargo-llvm-cov. Fails under 95 % of lines. Not run by CI;
# docs/testing.md has the latest figure.
#
#   bash scripts/coverage.sh            # summary table
#   bash scripts/coverage.sh --html     # and target/llvm-cov/html/index.html
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-llvm-cov >/dev/null 2>&1; then
  cargo install cargo-llvm-cov --locked
fi
# cargo-llvm-cov needs the llvm-tools matching rustc (the system LLVM is too
# old to read rustc's profiles).
rustup component add llvm-tools-preview >/dev/null 2>&1 || true

# The library's src/ and the command's cli/src/ count: not the tests, the
# benches, the fuzz targets or the test kit.
cargo llvm-cov --workspace --exclude reinit-disk-python --exclude reinit-disk-testkit \
  --all-features --summary-only \
  --ignore-filename-regex '/(tests|benches|fuzz|examples|testkit)/' \
  --fail-under-lines 95 "$@"
