"""`reinit-disk serve` driven by Apache Libcloud's ECS driver (a third-party
client: it signs HMAC-SHA1 1.0 itself and reads XML) over HTTP on
127.0.0.1: `list_nodes` and `list_volumes` give each field libcloud maps
(state, size, zone, extra) as the world and docs/ecs.md's defaults say,
`stop_node`/`start_node` wait with the driver's own polling, and a signed
`ReInitDisk` through the driver's connection is polled back to `In_use`.
The server runs on a real clock with short timings (the driver sleeps 3 s
between its own polls). Issue 20, item 7."""

import io
import json
import subprocess
import sys
import time

import pytest

from conftest import ROOT, cli_path

libcloud = pytest.importorskip("libcloud")

from libcloud.compute.base import Node  # noqa: E402
from libcloud.compute.drivers.ecs import ECSDriver  # noqa: E402
from libcloud.compute.types import NodeState, StorageVolumeState  # noqa: E402

KEY_ID = "LTAIlibcloud"
SECRET = "libcloudsecret"
WORLD = ROOT / "examples" / "serve-world.json"


@pytest.fixture()
def driver(monkeypatch):
    # libcloud's signer reads sys.stdin.encoding (to decode bytes values,
    # which these tests do not send); under pytest with no standard input
    # at all that read fails, so the driver gets a stdin of its own.
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    path = cli_path()
    if path is None:
        pytest.fail("the reinit-disk binary is not built: run `cargo build`")
    proc = subprocess.Popen(
        [path, "serve", "--addr", "127.0.0.1:0", "--world", str(WORLD),
         "--access-key", f"{KEY_ID}:{SECRET}",
         "--stop-seconds", "0.2", "--start-seconds", "0.2", "--reinit-seconds", "0.5"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        host, port = proc.stdout.readline().strip().rsplit(":", 1)
        assert host == "127.0.0.1"
        yield ECSDriver(KEY_ID, SECRET, region="cn-hangzhou", host=host, port=int(port), secure=False)
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0


def world():
    return json.loads(WORLD.read_text(encoding="utf-8"))


# docs/ecs.md: a disk's Size is its category's minimum (a system disk at
# least 20 GiB); every record is in cn-hangzhou-i.
MINIMUM_SIZE = {("cloud_essd", "system"): 20, ("cloud_auto", "data"): 40, ("cloud_essd", "data"): 20}
VOLUME_STATE = {"In_use": StorageVolumeState.INUSE, "Available": StorageVolumeState.AVAILABLE}
NODE_STATE = {"Running": NodeState.RUNNING, "Stopped": NodeState.STOPPED}


def test_libcloud_lists_the_worlds_volumes_with_size_zone_state_and_extra(driver):
    volumes = driver.list_volumes()
    disks = world()["Disks"]
    assert [v.id for v in volumes] == [d["DiskId"] for d in disks]
    for volume, disk in zip(volumes, disks):
        assert volume.size == MINIMUM_SIZE[(disk["Category"], disk["Type"])], disk["DiskId"]
        assert volume.state == VOLUME_STATE[disk["Status"]]
        assert volume.name == ""
        extra = volume.extra
        assert extra["zone_id"] == "cn-hangzhou-i"
        assert extra["region_id"] == "cn-hangzhou"
        assert extra["type"] == disk["Type"]
        assert extra["category"] == disk["Category"]
        assert extra["instance_id"] == disk.get("InstanceId", "")
        assert extra["image_id"] == disk.get("ImageId", "")
        assert extra["source_snapshot_id"] == disk.get("SourceSnapshotId", "")
        assert extra["portable"] is (disk["Type"] == "data")
        assert extra["delete_with_instance"] is (disk["Type"] == "system")
        assert extra["disk_charge_type"] == "PostPaid"
    devices = {v.id: v.extra["device"] for v in volumes}
    assert devices == {"d-sys-1": "/dev/xvda", "d-data-1": "/dev/xvdb", "d-sys-2": "/dev/xvda"}


def test_libcloud_lists_the_worlds_nodes_with_state_addresses_and_extra(driver):
    nodes = driver.list_nodes()
    instances = world()["Instances"]
    assert [n.id for n in nodes] == [i["InstanceId"] for i in instances]
    images = {d["InstanceId"]: d["ImageId"] for d in world()["Disks"] if d["Type"] == "system"}
    for n, (node, instance) in enumerate(zip(nodes, instances), start=1):
        assert node.name == instance["InstanceId"], "InstanceName defaults to the id"
        assert node.state == NODE_STATE[instance["Status"]]
        assert node.private_ips == [f"172.16.0.{n}"]
        assert node.public_ips == []
        extra = node.extra
        assert extra["zone_id"] == "cn-hangzhou-i"
        assert extra["image_id"] == images[instance["InstanceId"]]
        assert (extra["instance_type"], extra["instance_type_family"]) == ("ecs.g7.large", "ecs.g7")
        assert extra["io_optimized"] == "true"
        assert extra["instance_network_type"] == "vpc"
        assert extra["vpc_attributes"]["private_ip_address"] == f"172.16.0.{n}"
        assert extra["eip_address"]["bandwidth"] == 0


def node(driver, instance_id):
    (found,) = driver.list_nodes(ex_node_ids=[instance_id])
    return found


def volume_state(driver, disk_id):
    (found,) = driver.list_volumes(ex_volume_ids=[disk_id])
    return found.state


def test_libcloud_lists_the_worlds_images_by_page_and_by_id(driver):
    """`list_images` pages DescribeImages by PageNumber (reading TotalCount)
    and joins `ex_image_ids` with commas, as ECS takes ImageId."""
    images = driver.list_images()
    expected = [i["ImageId"] for i in world()["Images"] if not i.get("Deleted")]
    assert sorted(i.id for i in images) == sorted(expected)
    for image in images:
        assert image.name == image.id
        assert image.extra["image_owner_alias"] == "system"
        assert image.extra["os_type"] == "linux"
        assert image.extra["disk_device_mappings"]["device"] == "/dev/xvda"
    assert [i.id for i in driver.list_images(ex_image_ids=[expected[0], "m-none"])] == expected[:1]


def test_libcloud_stops_reinits_through_its_signed_connection_and_starts(driver):
    i1 = node(driver, "i-1")
    assert driver.stop_node(i1) is True  # the driver's own wait for Stopped
    assert node(driver, "i-1").state == NodeState.STOPPED

    response = driver.connection.request("/", params={"Action": "ReInitDisk", "DiskId": "d-sys-1"})
    assert response.status == 200
    assert response.object.tag == "ReInitDiskResponse"
    states = [volume_state(driver, "d-sys-1")]
    deadline = time.monotonic() + 20
    while states[-1] != StorageVolumeState.INUSE and time.monotonic() < deadline:
        time.sleep(0.1)
        states.append(volume_state(driver, "d-sys-1"))
    # ReIniting (libcloud maps it to CREATING), then In_use.
    assert states[0] == StorageVolumeState.CREATING
    assert states[-1] == StorageVolumeState.INUSE

    assert driver.start_node(i1) is True
    assert node(driver, "i-1").state == NodeState.RUNNING


def test_libcloud_gets_the_ecs_error_of_a_refused_reinit(driver):
    from libcloud.common.exceptions import BaseHTTPError

    # i-1 runs: ECS refuses to re-initialize the disk of a running instance.
    with pytest.raises(BaseHTTPError) as raised:
        driver.connection.request("/", params={"Action": "ReInitDisk", "DiskId": "d-sys-1"})
    assert raised.value.code == 403
    assert "'code': 'IncorrectInstanceStatus'" in raised.value.message


def test_libcloud_with_a_wrong_secret_is_refused(driver):
    wrong = ECSDriver(KEY_ID, "not-the-secret", region="cn-hangzhou", host=driver.connection.host,
                      port=driver.connection.port, secure=False)
    from libcloud.common.exceptions import BaseHTTPError

    with pytest.raises(BaseHTTPError) as raised:
        wrong.list_nodes()
    assert "'code': 'SignatureDoesNotMatch'" in raised.value.message
    assert isinstance(driver.list_nodes()[0], Node)
