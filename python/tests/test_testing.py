"""reinit_disk.testing: both official ECS SDKs answered from a World,
in-process (mock_ecs, and the pytest plugin's fixtures ecs_world and
mock_ecs). The revision is always named: the project's default may change."""

import socket

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.ReInitDiskRequest import ReInitDiskRequest

import reinit_disk
from reinit_disk.testing import mock_ecs

REVISION = "2025-02-27"
STATUS_MESSAGE = "The current status of the resource does not support this operation."


def populate(world):
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_instance({"InstanceId": "i-run", "Status": "Running"})
    world.add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    for disk, instance in (("d-1", "i-1"), ("d-run", "i-run")):
        world.add_disk({"DiskId": disk, "Type": "system", "Category": "cloud_essd",
                        "Status": "In_use", "InstanceId": instance, "ImageId": "m-1"})
    return world


def current_client():
    return Client(open_api_models.Config(
        access_key_id="LTAI-in-process", access_key_secret="x", region_id="cn-hangzhou",
        endpoint="ecs.aliyuncs.com"))


def older_client():
    return AcsClient("LTAI-in-process", "x", "cn-hangzhou", auto_retry=False, timeout=5)


def older_reinit(client, disk_id):
    request = ReInitDiskRequest()
    request.set_DiskId(disk_id)
    return client.do_action_with_exception(request)


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch):
    """Nothing here opens a socket: a test that tried would fail."""
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_current_sdk_accepted_then_refused():
    world = populate(reinit_disk.World(policy=REVISION))
    ecs = current_client()
    with mock_ecs(world) as endpoint:
        response = ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
        assert response.status_code == 200 and len(response.body.request_id) == 36
        assert world.disk("d-1")["Status"] == "ReIniting"
        with pytest.raises(Exception) as info:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-run"))
    e = info.value
    assert type(e).__name__ == "ClientException"
    assert (e.code, e.status_code, e.data["Message"]) == ("IncorrectInstanceStatus", 403, STATUS_MESSAGE)
    assert [call[2] for call in endpoint.calls] == [200, 403]


def test_the_older_sdk_accepted_then_refused():
    world = populate(reinit_disk.World(policy=REVISION))
    client = older_client()
    with mock_ecs(world) as endpoint:
        body = older_reinit(client, "d-1")
        assert b'"RequestId"' in body
        assert world.disk("d-1")["Status"] == "ReIniting"
        with pytest.raises(ServerException) as info:
            older_reinit(client, "d-run")
    e = info.value
    assert (e.get_error_code(), e.get_http_status(), e.get_error_msg()) == (
        "IncorrectInstanceStatus", 403, STATUS_MESSAGE)
    assert [call[2] for call in endpoint.calls] == [200, 403]
    assert all("aliyuncs.com" in call[1] for call in endpoint.calls)


def test_outside_the_block_nothing_is_answered():
    world = populate(reinit_disk.World(policy=REVISION))
    with mock_ecs(world):
        pass
    with pytest.raises(Exception):
        older_reinit(older_client(), "d-1")  # the socket guard refuses it
    assert world.disk("d-1")["Status"] == "In_use"


def test_another_host_is_not_answered():
    import requests
    with mock_ecs() as endpoint:
        with pytest.raises(requests.ConnectionError, match="not answered in-process"):
            requests.get("https://example.com/?Action=ReInitDisk")
    assert endpoint.calls == []


def test_a_policy_answers_instead_of_the_worlds():
    world = populate(reinit_disk.World(policy="seed"))
    with mock_ecs(world, policy=REVISION):
        with pytest.raises(Exception) as info:
            current_client().re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1", key_pair_name="kp-404"))
    assert info.value.code == "InvalidKeyPairName.NotFound"  # a 2025-02-27 code


@pytest.mark.ecs_policy(REVISION)
def test_the_pytest_fixtures_answer_both_sdks(ecs_world, mock_ecs):
    assert ecs_world.revision == REVISION and mock_ecs.world is ecs_world
    populate(ecs_world)
    current_client().re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
    with pytest.raises(ServerException) as info:
        older_reinit(older_client(), "d-1")
    assert (info.value.get_error_code(), info.value.get_http_status()) == ("IncorrectDiskStatus", 403)
    assert [call[2] for call in mock_ecs.calls] == [200, 403]
