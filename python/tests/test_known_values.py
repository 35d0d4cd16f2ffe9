"""Request values in every form (python/src/request.rs).

`World.evaluate` and `World.begin_reinit` read each value's text in place
(CPython 3.10's stable ABI lends it). Whatever the form of a name or value
(a literal, an equal string built at run time, a `str` subclass, even one
whose `__eq__` and `__hash__` lie), the answer is the one its text gives:
each is compared with the `str` subclass's and with the module's `evaluate`
on the world's scenario (the JSON path).
"""

import itertools
import json

import pytest

import reinit_disk


class Sub(str):
    """A `str` subclass."""


class Liar(str):
    """A `str` subclass whose equality and hash say it is `ReInitDisk`."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return hash("ReInitDisk")


def fresh(s):
    """A `str` equal to `s`, not the same object when it has two characters
    or more (CPython shares the empty and one-character strings)."""
    out = "".join(list(s))
    if len(s) >= 2:
        assert out == s and out is not s
    return out


def text(decision):
    return json.dumps(decision, separators=(",", ":"), ensure_ascii=False)


def world_of(policy=None):
    world = reinit_disk.World(policy)
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_instance({"InstanceId": "i-2", "Status": "Stopped"})
    world.add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    world.add_disk({"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"})
    world.add_disk({"DiskId": "d-2", "Type": "data", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-2"})
    return world


def slow_answers(world, request, scenario=None):
    """The answers by text: the values as a `str` subclass (read by
    their text), and the module's `evaluate` of the world's scenario."""
    as_sub = {Sub(k): Sub(v) for k, v in request.items()}
    by_world = text(world.evaluate(as_sub))
    scenario = world.to_scenario() if scenario is None else scenario
    by_scenario = text(reinit_disk.evaluate(dict(scenario, Request=request)))
    return by_world, by_scenario


ACTIONS = [None, "ReInitDisk", "reinitdisk", "DescribeDisks", "", "R"]
STRATEGIES = [None, "", "Active", "Deactive", "active", "On", "Activ"]
STARTS = [None, "true", "false", "True", "FALSE", "yes", ""]
DISK_IDS = [None, "d-1", "d-2", "d-9", "", "D-1", "d-1 "]


def requests():
    for action, strategy, start, disk_id in itertools.product(ACTIONS, STRATEGIES, STARTS, DISK_IDS):
        request = {}
        for name, value in (("Action", action), ("SecurityEnhancementStrategy", strategy),
                            ("AutoStartInstance", start), ("DiskId", disk_id)):
            if value is not None:
                request[name] = value
        yield request


@pytest.mark.parametrize("policy", reinit_disk.REVISIONS)
def test_equal_values_answer_as_the_text_path(policy):
    world = world_of(policy)
    scenario = world.to_scenario()
    compared = accepted = 0
    for request in requests():
        by_world, by_scenario = slow_answers(world, request, scenario)
        assert by_world == by_scenario, request
        # The literals (interned names and values, known by identity), the
        # same strings rebuilt (equal, not identical), the names rebuilt
        # too, and the dict's order reversed.
        rebuilt = {k: fresh(v) for k, v in request.items()}
        renamed = {fresh(k): fresh(v) for k, v in request.items()}
        reversed_ = dict(reversed(list(rebuilt.items())))
        for form in (request, rebuilt, renamed, reversed_, request, rebuilt):
            assert text(world.evaluate(form)) == by_world, form
        compared += 1
        accepted += json.loads(by_world)["Accepted"]
    assert compared == len(ACTIONS) * len(STRATEGIES) * len(STARTS) * len(DISK_IDS)
    assert accepted > 20


def test_an_accepted_target_holds_the_disk_id_as_a_plain_str():
    world = world_of()
    given = fresh("d-2")
    target = world.evaluate({"DiskId": given})["Target"]
    assert target["DiskId"] == "d-2" and type(target["DiskId"]) is str
    # A subclass's text is a plain `str` in the answer.
    other = world_of()
    target = other.begin_reinit({"DiskId": Sub("d-2")})["Target"]
    assert target["DiskId"] == "d-2" and type(target["DiskId"]) is str


def test_str_subclasses_are_read_by_their_text():
    world = world_of()
    # A subclass whose `__eq__` and `__hash__` say it is `ReInitDisk` is
    # read by its text, as before: not the action.
    for name in ("Action", "DiskId", "SecurityEnhancementStrategy"):
        request = {"DiskId": "d-2", name: Liar("nope")}
        expected = text(reinit_disk.evaluate(dict(world.to_scenario(), Request={**request, name: "nope"})))
        assert text(world.evaluate(request)) == expected, name
    assert world.evaluate({"DiskId": "d-2", "Action": Liar("nope")})["Code"] == "InvalidAction.NotFound"
    assert world.evaluate({"DiskId": Liar("d-1x")})["Code"] == "InvalidDiskId.NotFound"
    # A subclass equal to a held string: the same answer as the `str`.
    for request in ({"DiskId": Sub("d-2"), "Action": Sub("ReInitDisk")},
                    {Sub("DiskId"): Sub("d-1"), Sub("SecurityEnhancementStrategy"): Sub("Active")}):
        plain = {str(k): str(v) for k, v in request.items()}
        assert text(world.evaluate(request)) == text(world.evaluate(plain))
    # A name that is a lying subclass is read by its text too.
    assert world.evaluate({Liar("Nope"): "x", "DiskId": "d-2"})["Accepted"]


def test_a_disk_added_after_decisions_is_known():
    world = world_of()
    for _ in range(2):
        assert world.evaluate({"DiskId": fresh("d-3")})["Code"] == "InvalidDiskId.NotFound"
    world.add_instance({"InstanceId": "i-3", "Status": "Stopped"})
    world.add_disk({"DiskId": "d-3", "Type": "data", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-3"})
    for _ in range(2):
        decision = world.evaluate({"DiskId": fresh("d-3")})
        assert decision["Accepted"] and decision["Target"]["DiskId"] == "d-3"
        assert decision["Target"]["InstanceId"] == "i-3"
        assert text(decision) == slow_answers(world, {"DiskId": "d-3"})[0]
    # A duplicate is refused, and the id still names its disk.
    with pytest.raises(reinit_disk.DuplicateIdError):
        world.add_disk({"DiskId": "d-3", "Type": "data", "Category": "cloud_essd",
                        "Status": "Available"})
    assert world.evaluate({"DiskId": fresh("d-3")})["Target"]["InstanceId"] == "i-3"
    # The disk's changes are the world's: begun, it is ReIniting; settled,
    # In_use again.
    assert world.begin_reinit({"DiskId": fresh("d-3")})["Accepted"]
    assert world.evaluate({"DiskId": fresh("d-3")})["Code"] == "IncorrectDiskStatus"
    world.settle_reinit("d-3")
    assert world.evaluate({"DiskId": fresh("d-3")})["Accepted"]
    # Another world does not know it.
    assert world_of().evaluate({"DiskId": fresh("d-3")})["Code"] == "InvalidDiskId.NotFound"


def test_a_world_from_a_scenario_knows_its_disks():
    world = world_of("2025-02-27")
    again = reinit_disk.World.from_scenario(world.to_scenario())
    for request in requests():
        rebuilt = {fresh(k): fresh(v) for k, v in request.items()}
        assert text(again.evaluate(rebuilt)) == text(world.evaluate(request)), request
    many = reinit_disk.World.from_scenario({
        "Disks": [{"DiskId": f"d-{i}", "Type": "data", "Category": "cloud_essd", "Status": "Available"}
                  for i in range(1000)]})
    for i in (0, 1, 500, 999):
        assert many.evaluate({"DiskId": fresh(f"d-{i}")})["Code"] == "IncorrectDiskStatus"
    assert many.evaluate({"DiskId": fresh("d-1000")})["Code"] == "InvalidDiskId.NotFound"


SURROGATES = ["\ud800", "ReInitDisk\ud800", "d-1\ud800", "\udcff", "true\ud800", "Active\udfff"]
PARAMS = ["Action", "DiskId", "SecurityEnhancementStrategy", "AutoStartInstance",
          "Password", "KeyPairName", "RegionId", "Signature"]


@pytest.mark.parametrize("name", PARAMS)
def test_lone_surrogates_are_the_same_error(name):
    world = world_of("2025-02-27")
    for value in SURROGATES:
        for given in (value, fresh(value), Sub(value)):
            # The invalid value after valid known ones, before a value of
            # the wrong type: the first fault in the dict's order.
            request = {"Action": fresh("ReInitDisk"), "DiskId": fresh("d-1"), name: given, "Later": 1}
            with pytest.raises(reinit_disk.ScenarioError) as info:
                world.evaluate(request)
            assert info.value.path == f"Request.{name}"
            assert info.value.message == "a value that is not valid Unicode (not shown)"
            assert str(info.value) == f"Request.{name}: a value that is not valid Unicode (not shown)"
            with pytest.raises(reinit_disk.ScenarioError) as again:
                world.begin_reinit(request)
            assert str(again.value) == str(info.value)
    # Nothing was begun.
    assert world.disk("d-1")["Status"] == "In_use"


def test_the_first_fault_in_the_dicts_order():
    world = world_of()
    cases = [
        ({"Action": fresh("ReInitDisk"), "DiskId": 1}, "Request.DiskId", "invalid type: int"),
        ({"DiskId": "\ud800", "Action": 1}, "Request.DiskId", "not valid Unicode"),
        ({"Action": 1, "DiskId": "\ud800"}, "Request.Action", "invalid type: int"),
        ({"DiskId": fresh("d-1"), 2: "x", "Action": "\ud800"}, "Request", "not a string"),
        ({"DiskId": fresh("d-1"), "\ud800": "x"}, "Request", "parameter name that is not valid Unicode"),
        ({fresh("DiskId"): fresh("d-1"), "Password": ["secret"]}, "Request.Password", "is a secret"),
    ]
    for request, path, message in cases:
        with pytest.raises(reinit_disk.ScenarioError) as info:
            world.evaluate(request)
        assert info.value.path == path, request
        assert message in info.value.message, request
        assert "secret" not in str(info.value).replace("is a secret", "")
