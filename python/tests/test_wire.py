"""respond answers byte for byte as `reinit-disk call`, and applies the transition."""

import json
import urllib.parse

import pytest

import reinit_disk
from conftest import ROOT, SCENARIOS, load

RID = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E"
STYLES = {
    "rpc-json": ("Action=ReInitDisk&Format=JSON&Version=2014-05-26&", []),
    "rpc-xml": ("Action=ReInitDisk&Version=2014-05-26&", []),
    "sdk": ("", [("x-acs-action", "ReInitDisk"), ("accept", "application/json")]),
}


def split_http(text):
    head, body = text.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return status, headers, body


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize(
    "path", SCENARIOS, ids=[str(p.relative_to(ROOT / "tests" / "scenarios")) for p in SCENARIOS]
)
def test_respond_is_the_cli_call(path, style, cli):
    scenario = load(path)
    prefix, headers = STYLES[style]
    query = prefix + urllib.parse.urlencode(scenario.get("Request", {}))
    args = ["call", str(path), query, "--request-id", RID]
    for name, value in headers:
        args += ["--header", f"{name}: {value}"]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    expected = split_http(done.stdout)

    world = reinit_disk.World.from_scenario(scenario)
    got = reinit_disk.respond(world, "POST", "/?" + query, dict(headers), b"", request_id=RID)
    assert got == expected
    if got[0] == 200:
        # Accepted: the disk is ReIniting now, and the same call is refused.
        disk = world.disk(scenario["Request"]["DiskId"])
        assert disk["Status"] == "ReIniting"
        again = reinit_disk.respond(world, "POST", "/?" + query, dict(headers), b"", request_id=RID)
        assert again[0] == 403 and b"IncorrectDiskStatus" in again[2]


def test_form_body_and_header_pairs():
    world = reinit_disk.World()
    status, headers, body = reinit_disk.respond(
        world, "POST", "", [("Content-Type", "application/x-www-form-urlencoded")],
        "Action=ReInitDisk&DiskId=d-9&Format=XML", request_id="R-1",
    )
    assert status == 404
    assert headers == {"Content-Type": "text/xml;charset=utf-8"}
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R-1</RequestId>")


def test_endless_headers_are_a_value_error_not_the_whole_memory():
    import itertools
    endless = itertools.repeat(("X-A", "b"))
    with pytest.raises(ValueError, match="too many headers: at most 1000 pairs"):
        reinit_disk.respond(reinit_disk.World(), "GET", "?Action=ReInitDisk", endless, None)
    huge = [("X-A", "b" * (1024 * 1024 + 1)), ("X-B", "c")]
    with pytest.raises(ValueError, match="too many headers"):
        reinit_disk.respond(reinit_disk.World(), "GET", "?Action=ReInitDisk", huge, None)
    # At the limit, still answered.
    status, _, _ = reinit_disk.respond(
        reinit_disk.World(), "GET", "?Action=ReInitDisk&Format=JSON", [("X-A", "b")] * 1000, None
    )
    assert status == 400


def test_malformed_request_names_the_parameter():
    status, _, body = reinit_disk.respond(
        reinit_disk.World(), "GET", "?Action=ReInitDisk&DiskId=d%2&Format=JSON", None, None, request_id="R-1"
    )
    assert status == 400
    assert json.loads(body)["Message"] == 'The specified parameter "DiskId" is not valid.'


def test_fresh_request_id_in_ecs_form():
    _, _, body = reinit_disk.respond(reinit_disk.World(), "GET", "Action=ReInitDisk&DiskId=d-9&Format=JSON")
    rid = json.loads(body)["RequestId"]
    assert len(rid) == 36 and rid == rid.upper() and rid.count("-") == 4


@pytest.mark.parametrize("rid", ["", "a\nb", "x\x01", "\ufffe"])
def test_bad_request_id_is_refused_and_changes_nothing(rid):
    world = reinit_disk.World.from_scenario(load(ROOT / "examples" / "accepted-system-disk.json"))
    with pytest.raises(ValueError, match="request_id"):
        reinit_disk.respond(world, "GET", "Action=ReInitDisk&DiskId=d-1", None, None, request_id=rid)
    assert world.disk("d-1")["Status"] == "In_use"


def test_policy_argument_chooses_the_revision():
    world = reinit_disk.World()
    # The 2025-02-27 revision (the default) reads RegionId; the seed
    # revision ignores it.
    query = "Action=ReInitDisk&DiskId=d-9&RegionId=NOT_A_REGION&Format=JSON"
    seed = reinit_disk.respond(world, "GET", query, request_id="R", policy="seed")
    today = reinit_disk.respond(world, "GET", query, request_id="R")
    assert json.loads(seed[2])["Code"] == "InvalidDiskId.NotFound"
    assert json.loads(today[2])["Code"] == "InvalidRegionId.MalFormed"


@pytest.mark.parametrize(
    "body",
    [range(10**15), [1, 2, 3], (65,), memoryview(b"x"), 12, object()],
    ids=["huge-range", "list", "tuple", "memoryview", "int", "object"],
)
def test_a_body_that_is_not_bytes_or_str_is_a_type_error_and_never_aborts(body):
    # Any sequence used to be read as bytes, room for its len() reserved
    # first: range(10**15) aborted the interpreter (issue 21).
    world = reinit_disk.World()
    with pytest.raises(TypeError, match="expected the body as bytes, bytearray, str or None"):
        reinit_disk.respond(world, "POST", "/", None, body, request_id=RID)


def test_a_bytearray_body_is_read_as_bytes():
    world = reinit_disk.World()
    got = reinit_disk.respond(world, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"},
                              bytearray(b"Action=ReInitDisk&DiskId=d-9&Format=JSON"), request_id=RID)
    assert got[0] == 404 and b"InvalidDiskId.NotFound" in got[2]
