"""Shared fixtures: the repository's scenarios and the CLI binary."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = sorted(
    p for p in (ROOT / "tests" / "scenarios").rglob("*.json") if not p.name.endswith(".expected.json")
)


def cli_path():
    """The `reinit-disk` binary: $REINIT_DISK_BIN, else the cargo target dir's debug build."""
    explicit = os.environ.get("REINIT_DISK_BIN")
    if explicit:
        return explicit
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        candidate = target / profile / "reinit-disk"
        if candidate.exists():
            return str(candidate)
    return shutil.which("reinit-disk")


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if path is None:
        pytest.fail("the reinit-disk binary is not built: run `cargo build` (or set REINIT_DISK_BIN)")

    def run(*args, stdin=None):
        done = subprocess.run([path, *args], input=stdin, capture_output=True, timeout=60)
        return done

    return run


def load(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
