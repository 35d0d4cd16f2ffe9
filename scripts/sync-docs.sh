#!/usr/bin/env bash
# Regenerates the generated sections of docs/ from the CLI (the tests fail
# when they differ): docs/revisions.md's diff of seed to 2025-02-27.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/reinit-disk
python3 - "$bin" <<'PY'
import re, subprocess, sys
bin = sys.argv[1]
path = "docs/revisions.md"
doc = open(path).read()
begin = "<!-- BEGIN reinit-disk diff --from seed --to 2025-02-27 --format markdown -->\n"
end = "<!-- END reinit-disk diff -->"
out = subprocess.run([bin, "diff", "--from", "seed", "--to", "2025-02-27", "--format", "markdown"],
                     capture_output=True, text=True).stdout
i = doc.index(begin) + len(begin)
j = doc.index(end)
open(path, "w").write(doc[:i] + out + doc[j:])
PY
