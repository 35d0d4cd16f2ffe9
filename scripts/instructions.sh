#!/usr/bin/env bash
# Instructions per decision, counted by callgrind (load-independent): for
# every benchmark case, `evaluate` under the seed and the 2025-02-27
# revisions and the hand-written seed rules, and the ratios issue 7 and
# issue 8 set targets on. Needs valgrind. docs/performance.md quotes it.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo bench --bench instructions --no-run 2>/dev/null
bin=$(ls -t target/release/deps/instructions-* | grep -v '\.d$' | head -1)
out=$(mktemp)
count() { # case mode function
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" "$2" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep "instructions::$3 " | head -1 |
    awk '{gsub(",","",$1); printf "%d", $1/100000}'
}
printf '| case | seed | 2025-02-27 | by hand | seed / by hand | 2025-02-27 / seed |\n|---|---:|---:|---:|---:|---:|\n'
for c in $("$bin" --list); do
  s=$(count "$c" seed evaluated); v=$(count "$c" 2025 evaluated); h=$(count "$c" by-hand by_hand_decided)
  awk -v c="$c" -v s="$s" -v v="$v" -v h="$h" 'BEGIN { printf "| %s | %d | %d | %d | %.2f | %.2f |\n", c, s, v, h, s/h, v/s }'
done
rm -f "$out"
