#!/usr/bin/env bash
# The Python package (python/, docs/python.md): builds it into a fresh
# virtual environment with `pip install ./python`, installs the pinned test
# requirements and runs its pytest suite. .ci/run calls it; so can you.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${PYTHON_VENV:-target/python-venv}"
pip_q=(--quiet --disable-pip-version-check)
rm -rf "$venv"
python3 -m venv "$venv"
# The build backend (maturin, no build isolation) runs from the venv's bin.
export PATH="$(cd "$venv" && pwd)/bin:$PATH"
"$venv/bin/pip" install "${pip_q[@]}" maturin==1.16.0
# maturin as pinned above builds the wheel (abi3, CPython 3.10+).
"$venv/bin/pip" install "${pip_q[@]}" --no-build-isolation ./python
"$venv/bin/pip" install "${pip_q[@]}" -r python/requirements-test.txt
# The CLI the tests compare every decision with (cargo test has built it).
cargo build --quiet --bin reinit-disk
"$venv/bin/python" -m pytest -q python/tests
