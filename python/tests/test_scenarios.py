"""Every shipped scenario is decided identically through Python and the CLI."""

import json

import pytest

import reinit_disk
from conftest import ROOT, SCENARIOS, load

IDS = [str(p.relative_to(ROOT / "tests" / "scenarios")) for p in SCENARIOS]


def test_the_suite_is_found():
    # Both revisions' directories, and enough cases that a broken glob fails.
    assert len(SCENARIOS) >= 150
    assert {p.parent.name for p in SCENARIOS} >= {"seed", "2025-02-27"}


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_python_decides_as_the_cli(path, cli):
    done = cli("eval", str(path))
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    text = path.read_text(encoding="utf-8")
    scenario = json.loads(text)

    by_text = reinit_disk.evaluate(text)
    assert by_text == expected
    # Same keys in the same order as the CLI prints them.
    assert json.dumps(by_text, separators=(",", ":")) == done.stdout.decode().strip()
    assert reinit_disk.evaluate(scenario) == expected
    assert reinit_disk.evaluate(text.encode()) == expected

    # The same decision through a World built from the scenario.
    world = reinit_disk.World.from_scenario(scenario)
    assert world.evaluate(scenario.get("Request", {})) == expected
    # And the expected file the Rust suite holds.
    assert expected == load(str(path).replace(".json", ".expected.json"))


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_evaluate_many_and_revision_as_the_cli(revision, cli):
    lines = [json.dumps(load(p)) for p in SCENARIOS]
    done = cli("eval", "--lines", "--revision", revision, stdin="\n".join(lines).encode())
    expected = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(expected) == len(lines)
    got = list(reinit_disk.evaluate_many(lines, revision=revision))
    assert got == expected
    one_by_one = []
    for number, line in enumerate(lines, start=1):
        try:
            one_by_one.append(reinit_disk.evaluate(line, revision=revision))
        except reinit_disk.ScenarioError as e:
            one_by_one.append({"Error": str(e), "Line": number})
    assert one_by_one == expected


def test_evaluate_many_without_revision_keeps_each_scenarios(cli):
    lines = [json.dumps(load(p)) for p in SCENARIOS] + ["", "{", "[]"]
    done = cli("eval", "--lines", stdin="\n".join(lines).encode())
    expected = [json.loads(line) for line in done.stdout.decode().splitlines()]
    got = list(reinit_disk.evaluate_many(iter(lines)))
    assert got == expected
    assert got[-3]["Error"].startswith("empty line")
    # bytes lines, with their newlines, as a file gives them.
    assert list(reinit_disk.evaluate_many(line.encode() + b"\n" for line in lines)) == expected
