#!/usr/bin/env bash
# Mutation testing with cargo-mutants over the engine: every mutant of the
# files .cargo/mutants.toml lists must be caught by `cargo test`, or be listed
# there as unable to change behaviour, with the reason. Not run by CI (it
# takes about an hour on 2 cores); docs/testing.md has the latest result.
#
#   bash scripts/mutants.sh                        # the engine
#   bash scripts/mutants.sh -f src/checks.rs       # one file
#   bash scripts/mutants.sh -f 'src/wire/*.rs'     # the wire layer
#
# Results: mutants.out/ (caught.txt, missed.txt, unviable.txt, timeout.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install cargo-mutants --locked
fi

# Each mutant rebuilds the library and every test binary: no debug info makes
# that faster and changes no test. Dependencies stay built between runs in
# their own target directory (cargo-mutants builds in a scratch copy).
export CARGO_PROFILE_TEST_DEBUG=false
export CARGO_PROFILE_DEV_DEBUG=false
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/mutants}"

cargo mutants --no-shuffle "$@"
