#!/usr/bin/env bash
# Mutation testing of the Python package's Rust code against its pytest
# suite (docs/testing.md). cargo-mutants runs `cargo test`, which does not
# reach python/src (its tests are in Python), so this script asks
# cargo-mutants for the mutants only (`--list --json --diff`) and tests each
# itself: apply the diff in a scratch copy, build the extension in place
# (`maturin develop`), run pytest; a mutant that does not build is
# "unviable", one the tests do not notice is "MISSED".
#
#   bash scripts/mutants-python.sh python/src/convert.rs python/src/request.rs
#
# Needs cargo-mutants and a virtual environment with maturin, pytest and
# python/requirements-test.txt (VENV, default target/python-venv, as
# scripts/python-tests.sh makes). Results: target/mutants-python/outcomes.txt.
# Mutants whose name matches a line of .cargo/mutants-python.exclude (a
# exact name, each after a comment with its reason) are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="${VENV:-$root/target/python-venv}"
out="$root/target/mutants-python"
scratch="$out/tree"
[ "$#" -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
[ -x "$venv/bin/maturin" ] || { echo "no maturin in $venv (set VENV)" >&2; exit 2; }
mkdir -p "$out"
args=()
for f in "$@"; do args+=(-f "$f"); done
cargo mutants --no-config --list --workspace --json --diff "${args[@]}" > "$out/mutants.json"
rm -rf "$scratch"
git worktree remove --force "$scratch" 2>/dev/null || true
git worktree add --detach -q "$scratch" HEAD
cp -r python/python/reinit_disk/*.so "$scratch/python/python/reinit_disk/" 2>/dev/null || true
export VIRTUAL_ENV="$venv" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
: > "$out/outcomes.txt"
# The tests compare with the CLI: built once, from the unmutated tree.
if [ -z "${REINIT_DISK_BIN:-}" ]; then
  cargo build --quiet --bin reinit-disk
  export REINIT_DISK_BIN="$CARGO_TARGET_DIR/debug/reinit-disk"
fi
# The unmutated baseline must pass, or every mutant would look caught.
(cd "$scratch/python" && "$venv/bin/maturin" develop -q > "$out/build.log" 2>&1) ||
  { echo "the unmutated package does not build: $out/build.log" >&2; exit 1; }
(cd "$scratch/python" && "$venv/bin/python" -m pytest -q -x -p no:cacheprovider tests > "$out/test.log" 2>&1) ||
  { echo "the unmutated tests fail: $out/test.log" >&2; exit 1; }
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out/mutants.json")
for ((i = 0; i < count; i++)); do
  name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[int(sys.argv[2])]["name"])' "$out/mutants.json" "$i")
  if [ -f .cargo/mutants-python.exclude ] &&
     grep -v '^#' .cargo/mutants-python.exclude | grep -v '^$' | grep -qF -x -f - <(echo "$name"); then
    echo "excluded  $name" | tee -a "$out/outcomes.txt"
    continue
  fi
  python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[int(sys.argv[2])]["diff"])' \
    "$out/mutants.json" "$i" > "$out/mutant.diff"
  (cd "$scratch" && git checkout -q -- . && patch -s -p0 < "$out/mutant.diff")
  if ! (cd "$scratch/python" && "$venv/bin/maturin" develop -q > "$out/build.log" 2>&1); then
    result=unviable
  elif (cd "$scratch/python" && timeout 600 "$venv/bin/python" -m pytest -q -x -p no:cacheprovider tests > "$out/test.log" 2>&1); then
    result=MISSED
  else
    result=caught
  fi
  echo "$result  $name" | tee -a "$out/outcomes.txt"
done
(cd "$scratch" && git checkout -q -- .)
git worktree remove --force "$scratch"
# Leave the virtual environment's package built from this checkout again.
(cd python && "$venv/bin/maturin" develop -q > "$out/build.log" 2>&1) || true
echo "missed: $(grep -c '^MISSED' "$out/outcomes.txt" || true) of $count"
