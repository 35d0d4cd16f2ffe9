"""ECS answered from a ``World``, in-process, for test suites (as moto's
``mock_aws``): inside ``with mock_ecs(world):`` every HTTP request the
official ECS SDKs send to an ECS endpoint (``ecs.aliyuncs.com``,
``ecs-cn-hangzhou.aliyuncs.com``, ...) is answered by ``reinit_disk.respond``
against ``world``, byte for byte as ECS answers, and no socket is opened.

Both SDKs are answered: the current one (``alibabacloud-ecs20140526`` with
``alibabacloud_tea_openapi``; it sends through ``requests``) and the older one
(``aliyun-python-sdk-ecs`` with ``aliyunsdkcore``; it sends through the copy
of ``requests`` it vendors). Each one's transport adapter's ``send`` is
replaced for the time of the block. A request to any other host raises
``ConnectionError``: nothing leaves the process.

With pytest, the package's plugin gives the fixtures ``ecs_world`` (a fresh
``World``; ``@pytest.mark.ecs_policy("2025-02-27")`` chooses its policy) and
``mock_ecs`` (the ``Endpoint`` answering from it).

>>> import requests, reinit_disk
>>> from reinit_disk.testing import mock_ecs
>>> world = reinit_disk.World()
>>> with mock_ecs(world) as ecs:
...     response = requests.get("https://ecs.aliyuncs.com/?Action=ReInitDisk&DiskId=d-9&Format=JSON")
>>> response.status_code, response.json()["Code"], ecs.calls[0][2]
(404, 'InvalidDiskId.NotFound', 404)
"""

import contextlib
import importlib
import urllib.parse
from typing import Any, Iterator, List, Optional, Tuple
from unittest import mock

from ._native import World, respond

__all__ = ["Endpoint", "mock_ecs"]

# The `requests` packages the SDKs send through: the current SDK's own,
# and the copy aliyunsdkcore vendors.
_TRANSPORTS = ("requests", "aliyunsdkcore.vendored.requests")


class Endpoint:
    """The ECS endpoint ``mock_ecs`` runs: its ``world``, the ``policy``
    it answers under (``None``: the world's), and ``calls``, the
    ``(method, url, status)`` of each request answered, in order.

    >>> from reinit_disk.testing import Endpoint
    >>> endpoint = Endpoint(reinit_disk.World())
    >>> endpoint.answers("https://ecs.aliyuncs.com/"), endpoint.answers("https://example.com/")
    (True, False)
    """

    def __init__(self, world: World, policy: Any = None) -> None:
        self.world = world
        self.policy = policy
        self.calls: List[Tuple[str, str, int]] = []

    def answers(self, url: str) -> bool:
        """Whether ``url`` is an ECS endpoint's (``ecs.aliyuncs.com``,
        ``ecs-<region>.aliyuncs.com``, ``ecs.<region>.aliyuncs.com``).

        >>> Endpoint(reinit_disk.World()).answers("http://ecs-cn-hangzhou.aliyuncs.com/?x=1")
        True
        """
        host = urllib.parse.urlsplit(url).hostname or ""
        return host.endswith(".aliyuncs.com") and host.split(".")[0].split("-")[0] == "ecs"

    def respond(self, method: str, url: str, headers: Any, body: Any) -> Tuple[int, dict, bytes]:
        """Answers one HTTP request as ECS does, against the world (as
        ``reinit_disk.respond``), and records it in ``calls``.

        >>> endpoint = Endpoint(reinit_disk.World())
        >>> status, _, _ = endpoint.respond("GET", "https://ecs.aliyuncs.com/?DiskId=d-9", {}, None)
        >>> status, endpoint.calls
        (404, [('GET', 'https://ecs.aliyuncs.com/?DiskId=d-9', 404)])
        """
        if isinstance(body, str):
            body = body.encode("utf-8")
        answer = respond(self.world, method, url, headers, body or b"", policy=self.policy)
        self.calls.append((method, url, answer[0]))
        return answer


def _patch(endpoint: Endpoint, package: str) -> Optional[Any]:
    """The patch of ``package``'s transport adapter's ``send``, or ``None``
    when the package is not installed."""
    try:
        requests = importlib.import_module(package)
        adapters = importlib.import_module(package + ".adapters")
        structures = importlib.import_module(package + ".structures")
    except ImportError:
        return None

    def send(adapter: Any, request: Any, **kwargs: Any) -> Any:
        if not endpoint.answers(request.url):
            raise requests.ConnectionError(f"not an ECS endpoint, not answered in-process: {request.url}")
        status, headers, body = endpoint.respond(request.method, request.url, request.headers, request.body)
        response = requests.Response()
        response.status_code = status
        response.reason = requests.status_codes._codes.get(status, ("",))[0].upper().replace("_", " ")
        response.headers = structures.CaseInsensitiveDict(headers)
        response._content = body
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    return mock.patch.object(adapters.HTTPAdapter, "send", send)


@contextlib.contextmanager
def mock_ecs(world: Optional[World] = None, *, policy: Any = None) -> Iterator[Endpoint]:
    """Answers both official ECS SDKs' requests from ``world`` (a new,
    empty ``World()`` when ``None``) for the time of the ``with`` block,
    in-process; yields the ``Endpoint``. ``policy`` answers under that
    policy instead of the world's (as for ``World.evaluate``). An accepted
    ``ReInitDisk`` begins the re-init in the world (``World.begin_reinit``);
    ``world.settle_reinit(disk_id)`` ends it.

    >>> import requests
    >>> with mock_ecs() as ecs:
    ...     ecs.world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    ...                         "Status": "Available"})
    ...     r = requests.post("https://ecs.aliyuncs.com/",
    ...                       data={"Action": "ReInitDisk", "DiskId": "d-1", "Format": "XML"})
    >>> r.status_code, "<Code>IncorrectDiskStatus</Code>" in r.text
    (403, True)
    """
    endpoint = Endpoint(World() if world is None else world, policy)
    with contextlib.ExitStack() as stack:
        for package in _TRANSPORTS:
            patch = _patch(endpoint, package)
            if patch is not None:
                stack.enter_context(patch)
        yield endpoint
