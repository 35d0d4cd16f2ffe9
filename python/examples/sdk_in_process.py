"""The official ECS SDK (alibabacloud-ecs20140526), answered in-process.

`reinit_disk.testing.mock_ecs(world)` replaces the transport adapter's
`send` of `requests` (which the SDK's synchronous calls go through:
darabonba's DaraCore opens a `requests.Session` and calls `session.send`)
for the duration of a `with` block: each request the SDK sends to an ECS
endpoint is answered by `reinit_disk.respond` against `world`, byte for byte
as ECS answers it, and no socket is opened. The SDK signs, sends, parses
and raises exactly as against the real endpoint. (The older SDK,
aliyun-python-sdk-ecs, is answered the same way.)

Run it:  python python/examples/sdk_in_process.py
"""

import contextlib

import reinit_disk
from reinit_disk.testing import mock_ecs


@contextlib.contextmanager
def answered_by(world):
    """Answers the SDK's calls from `world`; yields the list of
    (method, url, status) answered."""
    with mock_ecs(world) as endpoint:
        yield endpoint.calls


def client(region="cn-hangzhou"):
    """An ECS client as an application makes one (fake keys: nothing is sent)."""
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    config = open_api_models.Config(
        access_key_id="LTAI-in-process",
        access_key_secret="not-a-secret",
        region_id=region,
        endpoint="ecs.aliyuncs.com",
    )
    return Client(config)


def main():
    from alibabacloud_ecs20140526 import models as ecs_models

    world = reinit_disk.World(policy="2025-02-27")
    world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    world.add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    world.add_disk({"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
                    "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"})
    ecs = client()
    with answered_by(world) as calls:
        response = ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
        print("accepted:", response.status_code, response.body.request_id)
        print("disk is now", world.disk("d-1")["Status"])
        try:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-1"))
        except Exception as e:  # the SDK's ClientException
            print("again:", e.status_code, e.code)
        try:
            ecs.re_init_disk(ecs_models.ReInitDiskRequest(disk_id="d-404"))
        except Exception as e:
            print("missing disk:", e.code)
    world.settle_reinit("d-1")
    print("settled: disk", world.disk("d-1")["Status"], "-", len(calls), "calls answered in-process")


if __name__ == "__main__":
    main()
