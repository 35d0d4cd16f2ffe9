#!/usr/bin/env bash
# What `GET /_reinit-disk/state` costs the server in memory: the peak resident
# size of `reinit-disk serve` after loading a 100,000-disk world, then after
# 16 `/state` requests at once (docs/performance.md). Binds 127.0.0.1 only.
#
#   bash scripts/state-memory.sh [BINARY]   # default: a release build
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin reinit-disk
  bin="${CARGO_TARGET_DIR:-target}/release/reinit-disk"
fi
dir=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$dir"' EXIT
python3 - "$dir/world.json" <<'PY'
import json, sys
disks = [{"DiskId": f"d-{n:08d}", "Type": "data", "Category": "cloud_essd", "Status": "Available"} for n in range(100_000)]
json.dump({"Disks": disks}, open(sys.argv[1], "w"))
PY
port=$((20000 + RANDOM % 10000))
"$bin" serve --world "$dir/world.json" --addr "127.0.0.1:$port" >/dev/null 2>"$dir/serve.log" &
pid=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/_reinit-disk/health" && break
  sleep 0.2
done
echo "100,000 disks loaded: $(grep VmHWM "/proc/$pid/status")"
pids=()
for i in $(seq 16); do
  curl -sf -o "$dir/state.$i" --max-time 120 "http://127.0.0.1:$port/_reinit-disk/state" & pids+=($!)
done
wait "${pids[@]}"
echo "one /state document: $(wc -c < "$dir/state.1") bytes"
echo "after 16 /state at once: $(grep VmHWM "/proc/$pid/status")"
