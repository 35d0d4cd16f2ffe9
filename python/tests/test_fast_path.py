"""The decision dicts built without JSON (templates, copies) are exactly the CLI's.

`World.evaluate`, `World.begin_reinit` and `evaluate` build their answer from
templates: a rejection's dict per catalogue entry and check, an accepted
one's per what its target says besides its ids, and a world's accepted
answers kept per target. Each is compared here, as JSON text (so key order,
nesting and `true` against `1` count), with what `reinit-disk eval` prints
(serde's JSON: the path the package answered by before), for every shipped
scenario under each revision, on the first call (a template is built) and
on the next ones (it is copied).
"""

import json

import pytest

import reinit_disk
from conftest import ROOT, SCENARIOS, load

IDS = [str(p.relative_to(ROOT / "tests" / "scenarios")) for p in SCENARIOS]


def text(decision):
    return json.dumps(decision, separators=(",", ":"), ensure_ascii=False)


@pytest.fixture(scope="module")
def cli_lines(cli):
    """Per revision, `reinit-disk eval --lines --revision R` of every scenario."""
    lines = [json.dumps(load(p)) for p in SCENARIOS]
    out = {}
    for revision in reinit_disk.REVISIONS:
        done = cli("eval", "--lines", "--revision", revision, stdin="\n".join(lines).encode())
        # 2: some lines are not valid under the revision (each an Error line).
        assert done.returncode in (0, 2), done.stderr
        out[revision] = done.stdout.decode().splitlines()
        assert len(out[revision]) == len(lines)
    return out


@pytest.mark.parametrize("revision", reinit_disk.REVISIONS)
def test_every_scenario_as_the_cli_under_each_revision(revision, cli_lines):
    compared = accepted = 0
    for number, path in enumerate(SCENARIOS):
        expected = cli_lines[revision][number]
        scenario = load(path)
        request = scenario.get("Request", {})
        # `--revision R` keeps the scenario's Order and answers: its Policy
        # with the revision replaced.
        policy = dict(scenario.get("Policy", {}), Revision=revision)
        if json.loads(expected).keys() == {"Error", "Line"}:
            with pytest.raises(reinit_disk.ScenarioError):
                world = reinit_disk.World.from_scenario(scenario)
                world.evaluate(request, policy)
            continue
        compared += 1
        accepted += json.loads(expected)["Accepted"]
        world = reinit_disk.World.from_scenario(scenario)
        # World.evaluate: the first call builds (and keeps) the answer, the
        # next ones copy it; each is the CLI's.
        for call in range(3):
            assert text(world.evaluate(request, policy)) == expected, (path.name, call)
        # The module's evaluate, under the revision.
        assert text(reinit_disk.evaluate(scenario, revision=revision)) == expected, path.name
        # begin_reinit decides as evaluate (then applies it, on a fresh world).
        fresh = reinit_disk.World.from_scenario(scenario)
        assert text(fresh.begin_reinit(request, policy)) == expected, path.name
    # Both kinds of answer were compared, many times over.
    assert compared >= 150 and 30 <= accepted < compared


def test_a_returned_dict_is_the_callers():
    world = reinit_disk.World()
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-1"})
    for request in ({"DiskId": "d-1"}, {"DiskId": "d-9"}, {}):
        first = world.evaluate(request)
        before = text(first)
        # Changing what a call returned, nested dict included, changes no
        # other answer.
        first["Code"] = "Changed"
        first["Extra"] = 1
        if first["Target"] is not None:
            first["Target"]["DiskId"] = "d-changed"
            first["Target"]["New"] = True
        second = world.evaluate(request)
        assert text(second) == before
        assert second is not first
        second.clear()
        assert text(world.evaluate(request)) == before
        assert text(reinit_disk.evaluate({"Disks": world.to_scenario()["Disks"],
                                          "Instances": world.to_scenario()["Instances"],
                                          "Request": request})) == before


def test_targets_of_one_disk_differ_by_what_the_request_asks():
    # Same disk, instance and image: the answers differ by the strategy and
    # AutoStartInstance only, and each is its own (not another's copy).
    world = reinit_disk.World(policy="2025-02-27")
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    world.add_disk({"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"})
    seen = {}
    for _ in range(2):
        for strategy in (None, "Active", "Deactive"):
            for start in (None, "true", "false"):
                request = {"DiskId": "d-1"}
                if strategy:
                    request["SecurityEnhancementStrategy"] = strategy
                if start:
                    request["AutoStartInstance"] = start
                target = world.evaluate(request)["Target"]
                if strategy:
                    assert target["SecurityEnhancement"] == strategy
                assert target["InstanceStatusAfter"] == ("Running" if start == "true" else "Stopped")
                key = (strategy, start)
                assert seen.setdefault(key, text(target)) == text(target)
                scenario = dict(world.to_scenario(), Request=request)
                assert text(reinit_disk.evaluate(scenario)["Target"]) == text(target)


def test_values_are_plain_str_even_for_a_str_subclass():
    class Id(str):
        pass

    world = reinit_disk.World()
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-1"})
    for _ in range(2):
        target = world.evaluate({Id("DiskId"): Id("d-1")})["Target"]
        assert target["DiskId"] == "d-1" and type(target["DiskId"]) is str
        assert type(target["InstanceId"]) is str
    decision = world.evaluate({"DiskId": "d-1"})
    assert [type(v) for v in decision.values()] == [bool, int, type(None), type(None), type(None), dict]
