"""The official ECS SDK, answered in-process by respond (python/examples/sdk_in_process.py)."""

import pathlib
import subprocess
import sys

import pytest

import reinit_disk

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
from alibabacloud_ecs20140526 import models as ecs_models  # noqa: E402  (a hard dependency of this test: requirements-test.txt)
from alibabacloud_tea_openapi import models as open_api_models  # noqa: E402

import sdk_in_process  # noqa: E402


def world():
    w = reinit_disk.World(policy="2025-02-27")
    w.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    w.add_instance({"InstanceId": "i-run", "Status": "Running"})
    w.add_instance({"InstanceId": "i-win", "Status": "Stopped", "OSType": "windows"})
    w.add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    w.add_key_pair({"KeyPairName": "kp-1"})
    for disk, instance in (("d-1", "i-1"), ("d-run", "i-run"), ("d-win", "i-win")):
        w.add_disk({"DiskId": disk, "Type": "system", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": instance, "ImageId": "m-1"})
    w.add_disk({"DiskId": "d-orphan", "Type": "data", "Category": "cloud_essd",
                "Status": "In_use", "InstanceId": "i-gone"})
    return w


def clients():
    """The two signing styles the SDK has: ACS3 (default) and v2 (RPC query)."""
    default = sdk_in_process.client()
    config = open_api_models.Config(
        access_key_id="LTAI-in-process", access_key_secret="x", region_id="cn-hangzhou",
        endpoint="ecs.aliyuncs.com", signature_algorithm="v2",
    )
    from alibabacloud_ecs20140526.client import Client
    return {"acs3": default, "v2": Client(config)}


@pytest.fixture(params=["acs3", "v2"])
def ecs(request):
    return clients()[request.param]


def test_accepted_call_returns_the_request_id_and_begins_the_reinit(ecs):
    w = world()
    with sdk_in_process.answered_by(w) as calls:
        response = ecs.re_init_disk(ecs_models.ReInitDiskRequest(
            disk_id="d-1", key_pair_name="kp-1", auto_start_instance=True,
            security_enhancement_strategy="Active"))
    assert response.status_code == 200
    assert len(response.body.request_id) == 36
    assert [c[2] for c in calls] == [200]
    assert w.disk("d-1")["Status"] == "ReIniting"
    w.settle_reinit("d-1")
    assert w.instance("i-1")["Status"] == "Running"  # AutoStartInstance=true reached the engine


@pytest.mark.parametrize(
    "request_fields, status, code",
    [
        ({"disk_id": "d-404"}, 404, "InvalidDiskId.NotFound"),
        ({"disk_id": "d-run"}, 403, "IncorrectInstanceStatus"),
        ({"disk_id": "d-1", "security_enhancement_strategy": "active"}, 400, "InvalidParameter"),
        ({"disk_id": "d-1", "key_pair_name": "kp-404"}, 400, "InvalidKeyPairName.NotFound"),
        ({"disk_id": "d-win", "key_pair_name": "kp-1"}, 403, "DependencyViolation.WindowsInstance"),
        ({"disk_id": "d-1", "password": "weak"}, 400, "InvalidPassword.Malformed"),
    ],
)
def test_refused_calls_raise_the_sdks_exception(ecs, request_fields, status, code):
    w = world()
    before = w.to_scenario()
    with sdk_in_process.answered_by(w):
        with pytest.raises(Exception) as info:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(**request_fields))
    e = info.value
    assert type(e).__name__ == "ClientException"
    assert (e.status_code, e.code) == (status, code)
    assert e.data["Code"] == code and e.data["HostId"] == "ecs.aliyuncs.com"
    assert "weak" not in str(e) + repr(e.data)
    assert w.to_scenario() == before  # a refusal changes nothing


def test_internal_error_is_a_server_exception():
    w = world()
    ecs = sdk_in_process.client()
    with sdk_in_process.answered_by(w) as calls:
        with pytest.raises(Exception) as info:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-orphan"))
    assert type(info.value).__name__ == "ServerException"
    assert (info.value.status_code, info.value.code) == (500, "InternalError")
    assert len(calls) == 1


def test_the_second_call_sees_the_first():
    w = world()
    ecs = sdk_in_process.client()
    with sdk_in_process.answered_by(w):
        ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
        with pytest.raises(Exception) as info:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
    assert info.value.code == "IncorrectDiskStatus"


def test_the_example_runs():
    example = pathlib.Path(sdk_in_process.__file__)
    done = subprocess.run([sys.executable, str(example)], capture_output=True, timeout=120, text=True)
    assert done.returncode == 0, done.stderr
    assert "accepted: 200" in done.stdout
    assert "again: 403 IncorrectDiskStatus" in done.stdout
    assert "missing disk: InvalidDiskId.NotFound" in done.stdout
