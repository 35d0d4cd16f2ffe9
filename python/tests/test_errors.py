"""Every bad input raises a Python exception that says where: never a crash."""

import json

import pytest

import reinit_disk
from conftest import ROOT, load

GOOD = load(ROOT / "examples" / "accepted-system-disk.json")
DISK = {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "Available"}


def test_scenario_error_is_a_value_error_with_path_and_message():
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate('{"Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "in_use"}]}')
    e = info.value
    assert isinstance(e, ValueError)
    assert e.path == "Disks[0].Status"
    assert "unknown variant `in_use`" in e.message
    assert str(e).startswith("Disks[0].Status: ")


@pytest.mark.parametrize("text", ["", "   ", "{", "{} {}", "nul", "\ufeff"])
def test_bad_json_is_at_the_document(text):
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate(text)
    assert info.value.path == "."


def test_the_path_is_the_clis(cli, tmp_path):
    bad = json.loads(json.dumps(GOOD))
    bad["Instances"][0]["Status"] = 7
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(bad))
    done = cli("eval", str(f))
    assert done.returncode == 2
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate(bad)
    assert info.value.path == "Instances[0].Status"
    # The CLI's line names the same field with the same words.
    assert f": {info.value.path}: invalid type: integer `7`" in done.stderr.decode()


@pytest.mark.parametrize(
    "mutate, path",
    [
        (lambda s: s.__setitem__("Disks", {}), "Disks"),
        (lambda s: s.__setitem__("Request", []), "Request"),
        (lambda s: s["Disks"].__setitem__(0, ["d-1"]), "Disks[0]"),
        (lambda s: s["Request"].__setitem__("DiskId", 1), "Request.DiskId"),
        (lambda s: s.__setitem__("Unknown", 1), "Unknown"),
        (lambda s: s["Disks"][0].__setitem__("InstanceId", "i-missing"), "Disks[0].InstanceId"),
        (lambda s: s["Disks"][0].__setitem__("When", object()), "Disks[0].When"),
        (lambda s: s["Disks"][0].__setitem__(1, "x"), "Disks[0]"),
        (lambda s: s["Snapshots"][0].__setitem__("CreationTime", float("nan")), "Snapshots[0].CreationTime"),
        (lambda s: s.__setitem__("Policy", {"Order": ["no-such-check"]}), "Policy.Order[0]"),
    ],
)
def test_wrong_types_and_values_name_the_field(mutate, path):
    bad = json.loads(json.dumps(GOOD))
    mutate(bad)
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate(bad)
    assert info.value.path == path


@pytest.mark.parametrize("arg", [[GOOD], 42, None, 1.5])
def test_a_scenario_of_the_wrong_python_type_is_a_type_error(arg):
    with pytest.raises(TypeError):
        reinit_disk.evaluate(arg)


def test_a_list_where_a_dict_is_expected_by_the_api():
    world = reinit_disk.World()
    with pytest.raises(TypeError):
        world.add_disk([DISK])
    with pytest.raises(TypeError):
        world.evaluate([("DiskId", "d-1")])
    with pytest.raises(TypeError):
        reinit_disk.World.from_scenario([GOOD])


def test_huge_input_is_refused_without_reading_it_all():
    huge = '{"Description": "' + "x" * reinit_disk.MAX_INPUT_BYTES + '"}'
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate(huge)
    assert info.value.path == "."
    assert "larger than" in info.value.message
    assert len(str(info.value)) < 300
    with pytest.raises(reinit_disk.ScenarioError):
        reinit_disk.evaluate({"Description": "x" * reinit_disk.MAX_INPUT_BYTES})


def test_a_dict_past_the_limit_stops_converting_at_the_limit():
    # The conversion stops at the first value it would write past the limit,
    # so a huge dict costs at most the limit in memory: the NaN after the
    # limit is never reached. Up to the limit exactly, it goes on (and meets
    # the NaN).
    limit = reinit_disk.MAX_INPUT_BYTES
    # '{"Description":"' + text + '","Y":' is the text before the NaN.
    fixed = len('{"Description":"') + len('","Y":')
    at_limit = {"Description": "x" * (limit - fixed), "Y": float("nan")}
    with pytest.raises(reinit_disk.ScenarioError, match="NaN") as info:
        reinit_disk.evaluate(at_limit)
    assert info.value.path == "Y"
    past_limit = {"Description": "x" * (limit - fixed + 1), "Y": float("nan")}
    with pytest.raises(reinit_disk.ScenarioError, match="larger than") as info:
        reinit_disk.evaluate(past_limit)


def test_large_valid_world_is_fine():
    disks = [dict(DISK, DiskId=f"d-{i}") for i in range(20000)]
    decision = reinit_disk.evaluate({"Request": {"DiskId": "d-19999"}, "Disks": disks})
    assert decision["Code"] == "IncorrectDiskStatus"


def test_deep_nesting_and_cycles_are_refused():
    deep = {}
    inner = deep
    for _ in range(10000):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(reinit_disk.ScenarioError, match="nested more than"):
        reinit_disk.evaluate(deep)
    cycle = {"Request": {}}
    cycle["Description"] = cycle
    with pytest.raises(reinit_disk.ScenarioError):
        reinit_disk.evaluate(cycle)
    with pytest.raises(reinit_disk.ScenarioError):
        reinit_disk.evaluate("[" * 100000)


def test_keys_must_be_strings():
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.evaluate({"Request": {1: "d-1"}})
    assert info.value.path == "Request"


def test_lone_surrogates_are_refused():
    with pytest.raises(reinit_disk.ScenarioError):
        reinit_disk.evaluate({"Request": {"DiskId": "\ud800"}})
    with pytest.raises(reinit_disk.ScenarioError):
        reinit_disk.World().evaluate({"DiskId": "\ud800"})


def test_unknown_revision():
    with pytest.raises(ValueError, match="seed"):
        reinit_disk.evaluate(GOOD, revision="2099-01-01")
    with pytest.raises(ValueError):
        reinit_disk.World(policy="nope")
    with pytest.raises(ValueError):
        reinit_disk.evaluate_many([], revision="nope")
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.World(policy={"Revision": "nope"})
    assert info.value.path == "Policy.Revision"


SECRET = "Sup3r-Secret!pw"


@pytest.mark.parametrize(
    "call",
    [
        lambda: reinit_disk.evaluate({"Request": {"Password": SECRET}, "Disks": "x"}),
        lambda: reinit_disk.evaluate({"Request": {"Password": [SECRET]}}),
        lambda: reinit_disk.evaluate({"Request": {"Password": {"v": SECRET}}}),
        lambda: reinit_disk.World().evaluate({"Password": [SECRET], "DiskId": "d"}),
        lambda: reinit_disk.World().evaluate({"Password": SECRET, "DiskId": 1}),
    ],
)
def test_a_password_never_appears_in_an_error(call):
    with pytest.raises(reinit_disk.ScenarioError) as info:
        call()
    shown = str(info.value) + repr(info.value) + info.value.path + info.value.message
    assert SECRET not in shown


def test_a_password_never_appears_in_a_decision_or_a_response():
    scenario = load(ROOT / "examples" / "2025-auto-start-with-key-pair.json")
    for password in (SECRET, "short"):
        scenario["Request"]["Password"] = password
        decision = reinit_disk.evaluate(scenario)
        assert password not in json.dumps(decision)
        world = reinit_disk.World.from_scenario(scenario)
        assert password not in repr(world) + json.dumps(world.to_scenario())
        out = reinit_disk.respond(world, "GET", "DiskId=d-1&Password=" + password, request_id="R")
        assert password.encode() not in out[2]


def test_record_errors_name_the_field_inside_the_record():
    world = reinit_disk.World()
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_disk(dict(DISK, Status=1))
    assert info.value.path == "Status"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_disk(dict(DISK, DiskId=""))
    assert info.value.path == "DiskId"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_disk(dict(DISK, Status="In_use"))
    assert info.value.path == "InstanceId"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_instance({"InstanceId": "i-1", "Status": "Running", "Extra": 1})
    assert info.value.path == "Extra"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_snapshot({"SnapshotId": "s-1", "CreationTime": "yesterday"})
    assert info.value.path == "CreationTime"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_image({"ImageId": "m-1", "ImageOwnerAlias": ["system"]})
    assert info.value.path == "ImageOwnerAlias"
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.set_account({"Nope": True})
    assert info.value.path == "Nope"
    assert repr(world).startswith("World(disks=0, instances=0, images=0")


def test_duplicate_ids():
    world = reinit_disk.World()
    world.add_disk(DISK)
    with pytest.raises(reinit_disk.DuplicateIdError) as info:
        world.add_disk(DISK)
    assert (info.value.kind, info.value.id) == ("disk", "d-1")
    world.add_key_pair({"KeyPairName": "kp"})
    with pytest.raises(reinit_disk.DuplicateIdError):
        world.add_key_pair({"KeyPairName": "kp"})
    with pytest.raises(reinit_disk.ScenarioError) as info:
        reinit_disk.World.from_scenario({"Disks": [DISK, DISK]})
    assert info.value.path == "Disks[1].DiskId"


def test_transition_errors():
    world = reinit_disk.World()
    with pytest.raises(reinit_disk.TransitionError, match="does not exist"):
        world.settle_reinit("d-9")
    world.add_disk(DISK)
    with pytest.raises(reinit_disk.TransitionError, match="not ReIniting"):
        world.settle_reinit("d-1")


def test_evaluate_many_refuses_non_text_lines():
    with pytest.raises(TypeError):
        list(reinit_disk.evaluate_many([GOOD]))
    with pytest.raises(TypeError):
        reinit_disk.evaluate_many(5)
    out = list(reinit_disk.evaluate_many([b"\xff\xfe"]))
    assert out[0]["Error"].startswith("not valid UTF-8")


@pytest.mark.parametrize("status", ["In_use", "Available"])
def test_add_disk_refuses_an_empty_instance_id_as_a_scenario_does(status):
    # An empty id is never an instance (issue 21): refused at InstanceId,
    # and nothing is added.
    world = reinit_disk.World()
    with pytest.raises(reinit_disk.ScenarioError) as info:
        world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
                        "Status": status, "InstanceId": ""})
    assert info.value.path == "InstanceId"
    assert "an id cannot be empty" in str(info.value)
    assert world.disk("d-1") is None


# Objects that change under the conversion (issue 21): the caller's code runs
# while a dict is read (a subclass's __str__, __repr__ or __iter__), and may
# change the dict being read. Each is a clean ScenarioError or a result,
# never a pyo3 PanicException (which `except Exception` does not catch).

def _disk_record():
    return {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "Available"}


def test_a_list_whose_iteration_clears_its_record_is_not_a_panic():
    record = _disk_record()

    class Clearing(list):
        def __iter__(self):
            record.clear()
            record.update({f"k{i}": i for i in range(100)})
            return super().__iter__()

    record["OperationLocks"] = Clearing([{"LockReason": "financial"}])
    try:
        reinit_disk.World().add_disk(record)
    except reinit_disk.ScenarioError:
        pass  # what it reads of a changed dict may be refused; cleanly


def test_an_int_whose_repr_clears_the_scenario_is_not_a_panic():
    scenario = {"Request": {"DiskId": "d-1"}, "Disks": [_disk_record()]}

    class Clearing(int):
        def __repr__(self):
            scenario.clear()
            return "5"
        __str__ = __repr__

    scenario["Number"] = Clearing(3)
    scenario["After"] = {"a": 1}
    try:
        reinit_disk.evaluate(scenario)
    except reinit_disk.ScenarioError:
        pass


def test_a_request_value_that_changes_the_request_is_not_a_panic():
    request = {"DiskId": "d-1", "RegionId": "cn-hangzhou"}

    class Changing(str):
        def __eq__(self, other):
            request.clear()
            return str.__eq__(self, other)
        __hash__ = str.__hash__

    request["Action"] = Changing("ReInitDisk")
    world = reinit_disk.World.from_scenario({"Disks": [_disk_record()]})
    assert world.evaluate(request)["Code"] == "IncorrectDiskStatus"


def test_an_int_subclass_cannot_write_json_into_the_document():
    # int.__repr__ writes the number, never the subclass's own text: the
    # text below would otherwise be read as the string "data".
    class Injecting(int):
        def __repr__(self):
            return '"data"'
        __str__ = __repr__

    record = _disk_record()
    record["Type"] = Injecting(1)
    with pytest.raises(reinit_disk.ScenarioError, match="Type: invalid type: integer `1`"):
        reinit_disk.World().add_disk(record)
