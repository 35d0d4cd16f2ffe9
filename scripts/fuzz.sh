#!/usr/bin/env bash
# Builds the fuzz targets and runs each for FUZZ_SECONDS seconds (default 60),
# failing on the first crash (a panic is a crash: every target asserts a
# property, see fuzz/README.md).
#
#   bash scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh     # longer
#   FUZZ_TARGETS="evaluate" bash scripts/fuzz.sh
#
# Each target starts from its committed seeds (fuzz/seeds/<target>/) and the
# corpus grown by earlier runs (fuzz/corpus/<target>/, not committed), with its
# dictionary (fuzz/dict/<target>.dict). A crash leaves its input in
# fuzz/artifacts/<target>/; reproduce it with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
# and turn it into a scenario under tests/regressions/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds="${FUZZ_SECONDS:-60}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# libFuzzer needs nightly rustc flags (-Zsanitizer); on stable, unlock them.
if cargo +nightly --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz)
else
  echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi

targets="${FUZZ_TARGETS:-$("${fuzz[@]}" list)}"

# fuzz/ is its own workspace: the main package's fmt check does not see it.
cargo fmt --manifest-path fuzz/Cargo.toml --check

started=$(date +%s)
"${fuzz[@]}" build
echo "fuzz: built the targets in $(( $(date +%s) - started )) s"

for target in $targets; do
  mkdir -p "fuzz/corpus/$target"
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("$root/fuzz/seeds/$target")
  dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=("-dict=$root/fuzz/dict/$target.dict")
  echo "fuzz: $target for ${seconds} s"
  set +e
  "${fuzz[@]}" run "$target" "$root/fuzz/corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 "${dict[@]}" 2>&1 |
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target FAILED (status $status; the input is in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
echo "fuzz: every target ran ${seconds} s without a crash"
