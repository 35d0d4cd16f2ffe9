"""`reinit-disk serve` driven by the official Python SDKs over HTTP on
127.0.0.1: the current one (alibabacloud-ecs20140526, ACS3-HMAC-SHA256) and
the older one (aliyun-python-sdk-ecs, HMAC-SHA1 1.0). Each runs the whole
flow (StopInstance, DescribeInstances, ReInitDisk, DescribeDisks until
In_use, StartInstance, or AutoStartInstance instead), gets every code of the
2025-02-27 revision's scenario suite as its own exception with the code,
HTTP status and message `reinit-disk eval` gives, and is refused with a
wrong secret. The server runs with a manual clock: the tests move time,
nothing sleeps. docs/serve.md."""

import json
import pathlib
import subprocess
import urllib.request

import pytest

from conftest import ROOT, cli_path

KEY_ID = "LTAItestid"
SECRET = "testsecret"
# With keys, the admin endpoints need a signature or this token (docs/serve.md).
ADMIN_TOKEN = "test-admin-token-0123456789"
WORLD = ROOT / "examples" / "serve-world.json"
SUITE = sorted(p for p in (ROOT / "tests" / "scenarios" / "2025-02-27").glob("*.json") if not p.name.endswith(".expected.json"))


class Server:
    def __init__(self, *args, keys=True):
        path = cli_path()
        if path is None:
            pytest.fail("the reinit-disk binary is not built: run `cargo build`")
        keys = ["--access-key", f"{KEY_ID}:{SECRET}", "--admin-token", ADMIN_TOKEN] if keys else []
        self.proc = subprocess.Popen(
            [path, "serve", "--addr", "127.0.0.1:0", "--manual-clock", "--world", str(WORLD),
             *keys, *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        self.addr = self.proc.stdout.readline().strip()
        assert self.addr.startswith("127.0.0.1:"), self.addr

    def admin(self, method, path, body=None):
        # JSON, with the token: what the admin guard takes with keys, and
        # without them (a form type is refused as a browser's would be).
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
        request = urllib.request.Request(
            f"http://{self.addr}/_reinit-disk/{path}", data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def advance(self, seconds):
        status, _ = self.admin("POST", f"clock?advance={seconds}")
        assert status == 200

    def close(self):
        self.proc.terminate()
        assert self.proc.wait(timeout=20) == 0


@pytest.fixture()
def server():
    s = Server()
    yield s
    s.close()


# --- the current SDK -------------------------------------------------------

def test_the_readme_snippet_points_the_current_sdk_at_the_server(capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("python/requirements-test.txt):\n\n```python\n", 1)[1].split("```", 1)[0]
    assert len(block.splitlines()) == 3, block
    assert "127.0.0.1:8080" in block
    s = Server(keys=False)
    try:
        exec(block.replace("127.0.0.1:8080", s.addr), {})
    finally:
        s.close()
    disks = len(json.loads(WORLD.read_text(encoding="utf-8"))["Disks"])
    assert capsys.readouterr().out.strip() == str(disks)


def new_client(server, secret=SECRET):
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    return Client(open_api_models.Config(
        access_key_id=KEY_ID, access_key_secret=secret, region_id="cn-hangzhou",
        endpoint=server.addr, protocol="http", read_timeout=20000, connect_timeout=5000,
    ))


def new_disk_status(client, disk_id):
    from alibabacloud_ecs20140526 import models as m

    body = client.describe_disks(m.DescribeDisksRequest(region_id="cn-hangzhou", disk_ids=json.dumps([disk_id]))).body
    return body.disks.disk[0].status


def new_instance_status(client, instance_id):
    from alibabacloud_ecs20140526 import models as m

    body = client.describe_instances(
        m.DescribeInstancesRequest(region_id="cn-hangzhou", instance_ids=json.dumps([instance_id]))).body
    return body.instances.instance[0].status


def test_the_current_sdk_gets_dry_run_operation_and_the_actions_around_a_reinit(server):
    """Issue 20: DryRun (the SDK's own exception, nothing changed), StoppedMode,
    RebootInstance, DescribeInstanceStatus, DescribeInstanceAttribute, and
    DescribeDisks paged by MaxResults/NextToken, through the SDK's models."""
    from alibabacloud_ecs20140526 import models as m
    from Tea.exceptions import TeaException

    client = new_client(server)
    with pytest.raises(TeaException) as raised:
        client.stop_instance(m.StopInstanceRequest(instance_id="i-1", dry_run=True))
    assert (raised.value.code, raised.value.data["statusCode"], raised.value.message.split(" request id")[0]) == (
        "DryRunOperation", 400, "code: 400, Request validation has been passed with DryRun flag set.")
    assert new_instance_status(client, "i-1") == "Running"
    client.stop_instance(m.StopInstanceRequest(instance_id="i-1", stopped_mode="StopCharging", force_stop=True))
    server.advance(2)
    body = client.describe_instances(m.DescribeInstancesRequest(region_id="cn-hangzhou")).body
    modes = {i.instance_id: (i.status, i.stopped_mode) for i in body.instances.instance}
    assert modes == {"i-1": ("Stopped", "StopCharging"), "i-2": ("Stopped", "KeepCharging")}
    body = client.describe_instance_status(
        m.DescribeInstanceStatusRequest(region_id="cn-hangzhou", instance_id=["i-2", "i-1"])).body
    assert [(s.instance_id, s.status) for s in body.instance_statuses.instance_status] == [
        ("i-1", "Stopped"), ("i-2", "Stopped")]
    client.start_instance(m.StartInstanceRequest(instance_id="i-1"))
    server.advance(2)
    client.reboot_instance(m.RebootInstanceRequest(instance_id="i-1"))
    body = client.describe_instance_attribute(m.DescribeInstanceAttributeRequest(instance_id="i-1")).body
    assert (body.instance_id, body.status, body.stopped_mode) == ("i-1", "Starting", "Not-applicable")
    seen, token = [], None
    for _ in range(5):
        body = client.describe_disks(m.DescribeDisksRequest(region_id="cn-hangzhou", max_results=1, next_token=token)).body
        seen += [d.disk_id for d in body.disks.disk]
        token = body.next_token
        if not token:
            break
    assert seen == ["d-sys-1", "d-data-1", "d-sys-2"]


def test_the_current_sdk_runs_the_whole_flow(server):
    from alibabacloud_ecs20140526 import models as m

    client = new_client(server)
    client.stop_instance(m.StopInstanceRequest(instance_id="i-1"))
    assert new_instance_status(client, "i-1") == "Stopping"
    server.advance(2)
    assert new_instance_status(client, "i-1") == "Stopped"
    client.re_init_disk(m.ReInitDiskRequest(disk_id="d-sys-1", key_pair_name="kp-1"))
    polls = []
    for _ in range(10):  # polled as clients poll, the clock moved between polls
        polls.append(new_disk_status(client, "d-sys-1"))
        if polls[-1] == "In_use":
            break
        server.advance(1)
    assert polls == ["ReIniting", "ReIniting", "In_use"]
    assert new_instance_status(client, "i-1") == "Stopped"
    client.start_instance(m.StartInstanceRequest(instance_id="i-1"))
    assert new_instance_status(client, "i-1") == "Starting"
    server.advance(2)
    assert new_instance_status(client, "i-1") == "Running"

    # AutoStartInstance instead of StartInstance (sent as `True`).
    client.re_init_disk(m.ReInitDiskRequest(disk_id="d-sys-2", auto_start_instance=True))
    server.advance(2)
    assert new_disk_status(client, "d-sys-2") == "In_use"
    assert new_instance_status(client, "i-2") == "Starting"
    server.advance(2)
    assert new_instance_status(client, "i-2") == "Running"


def test_the_current_sdk_attaches_detaches_and_snapshots_through_its_models(server):
    """Issue 20, item 5: DetachDisk and AttachDisk through Detaching and
    Attaching, CreateSnapshot refusing the re-init meanwhile (the SDK's own
    exception with the revision's code), DescribeSnapshots' records read
    into the SDK's model with every field, DeleteSnapshot and its error."""
    from alibabacloud_ecs20140526 import models as m
    from Tea.exceptions import TeaException

    client = new_client(server)
    client.detach_disk(m.DetachDiskRequest(disk_id="d-data-1", instance_id="i-1"))
    assert new_disk_status(client, "d-data-1") == "Detaching"
    server.advance(2)
    assert new_disk_status(client, "d-data-1") == "Available"
    client.attach_disk(m.AttachDiskRequest(disk_id="d-data-1", instance_id="i-2"))
    assert new_disk_status(client, "d-data-1") == "Attaching"
    server.advance(2)
    body = client.describe_disks(m.DescribeDisksRequest(region_id="cn-hangzhou", instance_id="i-2")).body
    assert [(d.disk_id, d.status, d.device) for d in body.disks.disk] == [
        ("d-data-1", "In_use", "/dev/xvdb"), ("d-sys-2", "In_use", "/dev/xvda")]

    snapshot_id = client.create_snapshot(m.CreateSnapshotRequest(disk_id="d-data-1")).body.snapshot_id
    assert snapshot_id.startswith("s-")
    with pytest.raises(TeaException) as raised:
        client.re_init_disk(m.ReInitDiskRequest(disk_id="d-data-1"))
    assert (raised.value.code, raised.value.data["statusCode"]) == ("DiskCreatingSnapshot", 403)
    request = m.DescribeSnapshotsRequest(region_id="cn-hangzhou", disk_id="d-data-1")
    snapshots = client.describe_snapshots(request).body.snapshots.snapshot
    assert [(s.snapshot_id, s.status) for s in snapshots] == [(snapshot_id, "progressing")]
    server.advance(2)
    snapshots = client.describe_snapshots(request).body.snapshots.snapshot
    assert [(s.snapshot_id, s.status, s.source_disk_id) for s in snapshots] == [
        (snapshot_id, "accomplished", "d-data-1")]
    assert_every_field("Snapshot", snapshots[0].to_map())
    client.re_init_disk(m.ReInitDiskRequest(disk_id="d-data-1"))

    with pytest.raises(TeaException) as raised:
        client.delete_snapshot(m.DeleteSnapshotRequest(snapshot_id="s-1"))
    assert (raised.value.code, raised.value.data["statusCode"]) == ("SnapshotCreatedDisk", 403)
    client.delete_snapshot(m.DeleteSnapshotRequest(snapshot_id=snapshot_id))
    left = client.describe_snapshots(m.DescribeSnapshotsRequest(region_id="cn-hangzhou")).body
    assert [s.snapshot_id for s in left.snapshots.snapshot] == ["s-1"]


def test_the_current_sdk_reads_describe_images_into_its_model_with_every_field(server):
    """DescribeImages through the SDK's model: each image the world holds,
    every field the model declares, and its DryRun answered as ECS does."""
    from alibabacloud_ecs20140526 import models as m
    from Tea.exceptions import TeaException

    client = new_client(server)
    body = client.describe_images(m.DescribeImagesRequest(region_id="cn-hangzhou")).body
    assert (body.total_count, body.page_number, body.page_size, body.region_id) == (1, 1, 10, "cn-hangzhou")
    assert [(i.image_id, i.image_owner_alias, i.status) for i in body.images.image] == [
        ("m-ubuntu", "system", "Available")]
    assert_every_field("Image", body.images.image[0].to_map())
    request = m.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
    assert client.describe_images(request).body.images.image == []
    with pytest.raises(TeaException) as raised:
        client.describe_images(m.DescribeImagesRequest(region_id="cn-hangzhou", dry_run=True))
    assert (raised.value.code, raised.value.data["statusCode"]) == ("DryRunOperation", 400)


def test_the_current_sdk_reads_describe_key_pairs_into_its_model_with_every_field(server):
    """DescribeKeyPairs through the SDK's model: the world's key pairs by
    name pattern, every field the model declares once PublicKey is asked."""
    from alibabacloud_ecs20140526 import models as m

    client = new_client(server)
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    names = sorted(k["KeyPairName"] for k in world.get("KeyPairs", []))
    body = client.describe_key_pairs(m.DescribeKeyPairsRequest(region_id="cn-hangzhou")).body
    assert [k.key_pair_name for k in body.key_pairs.key_pair] == names
    assert body.total_count == len(names)
    request = m.DescribeKeyPairsRequest(region_id="cn-hangzhou", include_public_key=True)
    pairs = client.describe_key_pairs(request).body.key_pairs.key_pair
    for pair in pairs:
        assert len(pair.key_pair_finger_print) == 32
        assert_every_field("KeyPair", pair.to_map())


def fields_of(path):
    """The SDK model's fields at `path` (tests/ecs-fields.txt, which
    test_ecs_fields.py holds to the installed SDK)."""
    for line in (ROOT / "tests" / "ecs-fields.txt").read_text().splitlines():
        name, fields = line.split(": ")
        if name == path:
            return fields.split()
    raise KeyError(path)


def assert_every_field(path, value):
    """The SDK's `to_map` of a record gives every field its model declares,
    at every object reached (a list's elements under the list's path)."""
    if isinstance(value, list):
        for item in value:
            assert_every_field(path, item)
    elif isinstance(value, dict):
        assert sorted(value) == sorted(fields_of(path)), path
        for key, item in value.items():
            assert_every_field(f"{path}.{key}", item)


def test_the_current_sdk_reads_every_field_of_its_models_from_the_servers_records(server):
    from alibabacloud_ecs20140526 import models as m

    client = new_client(server)
    disks = client.describe_disks(m.DescribeDisksRequest(region_id="cn-hangzhou")).body.disks.disk
    assert [d.disk_id for d in disks] == ["d-sys-1", "d-data-1", "d-sys-2"]
    for disk in disks:
        assert_every_field("Disk", disk.to_map())
    assert (disks[0].size, disks[0].device, disks[1].device, disks[0].zone_id) == (
        20, "/dev/xvda", "/dev/xvdb", "cn-hangzhou-i")
    instances = client.describe_instances(m.DescribeInstancesRequest(region_id="cn-hangzhou")).body
    for instance in instances.instances.instance:
        assert_every_field("Instance", instance.to_map())
    first = instances.instances.instance[0]
    assert (first.instance_type, first.cpu, first.memory, first.image_id) == ("ecs.g7.large", 2, 8192, "m-ubuntu")
    assert first.vpc_attributes.private_ip_address.ip_address == ["172.16.0.1"]


def sdk_request(scenario):
    """The scenario's request as the typed SDK can send it, or None."""
    params = dict(scenario.get("Request", {}))
    if params.pop("Action", "ReInitDisk") != "ReInitDisk":
        return None
    fields = {"DiskId": "disk_id", "SecurityEnhancementStrategy": "security_enhancement_strategy",
              "Password": "password", "KeyPairName": "key_pair_name"}
    out = {}
    for name, value in params.items():
        if name in fields:
            out[fields[name]] = value
        elif name == "AutoStartInstance" and value.lower() in ("true", "false"):
            out["auto_start_instance"] = value.lower() == "true"
        else:
            return None
    return out


def expected(cli, scenario_path):
    done = cli("eval", str(scenario_path), "--revision", "2025-02-27")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_current_sdk_gets_every_code_of_the_2025_suite_as_ecs_gives_it(server, cli):
    from alibabacloud_ecs20140526 import models as m
    from alibabacloud_tea_openapi.exceptions import ClientException, ServerException

    client = new_client(server)
    codes = set()
    for path in SUITE:
        scenario = json.loads(path.read_text())
        request = sdk_request(scenario)
        if request is None:
            continue
        world = {k: v for k, v in scenario.items() if k not in ("Request", "Description")}
        world.setdefault("Policy", {})
        world["Policy"]["Revision"] = "2025-02-27"
        status, body = server.admin("PUT", "world", json.dumps(world).encode())
        assert status == 200, (path.name, body)
        want = expected(cli, path)
        try:
            client.re_init_disk(m.ReInitDiskRequest(**request))
            got = None
        except (ClientException, ServerException) as e:
            got = (e.code, e.status_code, e.data.get("Message"))
        if want["Accepted"]:
            assert got is None, (path.name, got)
        else:
            assert got == (want["Code"], want["HttpStatus"], want["Message"]), path.name
            codes.add(want["Code"])
    # Every code the suite reaches through a typed request: all but those only
    # a malformed request reaches.
    assert len(codes) >= 28, sorted(codes)


def test_the_current_sdk_with_a_wrong_secret_gets_signature_does_not_match(server):
    from alibabacloud_ecs20140526 import models as m
    from alibabacloud_tea_openapi.exceptions import ClientException

    with pytest.raises(ClientException) as info:
        new_client(server, secret="wrong").stop_instance(m.StopInstanceRequest(instance_id="i-1"))
    assert info.value.code == "SignatureDoesNotMatch"
    assert info.value.status_code == 400
    assert "wrong" not in str(info.value.data) and SECRET not in str(info.value.data)


# --- the older SDK ----------------------------------------------------------

def old_call(server, request, secret=SECRET):
    from aliyunsdkcore.client import AcsClient

    client = AcsClient(KEY_ID, secret, "cn-hangzhou", auto_retry=False, timeout=20)
    request.set_endpoint(server.addr)
    request.set_protocol_type("http")
    return json.loads(client.do_action_with_exception(request))


def old_status(server, kind, ident):
    if kind == "disk":
        from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest as R

        r = R()
        r.set_DiskIds(json.dumps([ident]))
        return old_call(server, r)["Disks"]["Disk"][0]["Status"]
    from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest as R

    r = R()
    r.set_InstanceIds(json.dumps([ident]))
    return old_call(server, r)["Instances"]["Instance"][0]["Status"]


def test_the_older_sdk_runs_the_whole_flow_and_gets_ecs_errors(server):
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkecs.request.v20140526.ReInitDiskRequest import ReInitDiskRequest
    from aliyunsdkecs.request.v20140526.StartInstanceRequest import StartInstanceRequest
    from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest

    stop = StopInstanceRequest()
    stop.set_InstanceId("i-1")
    old_call(server, stop)
    server.advance(2)
    assert old_status(server, "instance", "i-1") == "Stopped"
    reinit = ReInitDiskRequest()
    reinit.set_DiskId("d-sys-1")
    reinit.set_AutoStartInstance(True)
    old_call(server, reinit)
    assert old_status(server, "disk", "d-sys-1") == "ReIniting"
    # A second request meanwhile.
    again = ReInitDiskRequest()
    again.set_DiskId("d-sys-1")
    with pytest.raises(ServerException) as info:
        old_call(server, again)
    assert (info.value.get_error_code(), info.value.get_http_status()) == ("IncorrectDiskStatus", 403)
    server.advance(2)
    assert old_status(server, "disk", "d-sys-1") == "In_use"
    server.advance(2)
    assert old_status(server, "instance", "i-1") == "Running"

    start = StartInstanceRequest()
    start.set_InstanceId("i-404")
    with pytest.raises(ServerException) as info:
        old_call(server, start)
    e = info.value
    assert (e.get_error_code(), e.get_http_status(), e.get_error_msg()) == (
        "InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist.")

    missing = ReInitDiskRequest()
    missing.set_DiskId("d-404")
    with pytest.raises(ServerException) as info:
        old_call(server, missing)
    assert (info.value.get_error_code(), info.value.get_http_status()) == ("InvalidDiskId.NotFound", 404)


def test_the_older_sdk_with_a_wrong_secret_is_told_its_secret_is_wrong(server):
    # ECS answers SignatureDoesNotMatch with the string it signed; the older
    # SDK compares it with its own and, when they are equal (only the secret
    # differs), raises InvalidAccessKeySecret instead.
    from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException
    from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest

    stop = StopInstanceRequest()
    stop.set_InstanceId("i-1")
    with pytest.raises((ClientException, ServerException)) as info:
        old_call(server, stop, secret="wrong")
    assert info.value.get_error_code() == "InvalidAccessKeySecret"
