"""The Alibaba Cloud ECS ``ReInitDisk`` engine (Rust, PyO3): decisions on
JSON scenarios, an in-memory world, and byte-exact ECS HTTP responses.

``reinit_disk.testing`` answers the official ECS SDKs from a ``World``,
in-process. CPython 3.10 and later. See docs/python.md.
"""

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

__version__: str
REVISIONS: List[str]
"""The revision names: ``["seed", "2025-02-27"]``."""
MAX_INPUT_BYTES: int
"""The largest scenario read, in bytes (64 MiB, as the CLI's default)."""

Json = Dict[str, Any]
Document = Union[Mapping[str, Any], str, bytes]
Policy = Union[None, str, Mapping[str, Any]]
"""``None`` (the world's, or the default policy), a revision name, or a
scenario's ``Policy`` object."""
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]

class ScenarioError(ValueError):
    """A scenario, record, request or policy that is not valid."""

    path: str
    """The field at fault, as the CLI names it (``Disks[0].Status``; ``.`` for
    the document)."""
    message: str
    """What is wrong (a ``Password`` value is never shown)."""

class DuplicateIdError(ValueError):
    """An id the world already holds."""

    kind: str
    id: str

class TransitionError(ValueError):
    """``settle_reinit`` of a disk that does not exist or is not ``ReIniting``."""

def evaluate(scenario: Document, *, revision: Optional[str] = None) -> Json:
    """Decides a scenario (a dict, or JSON text); the dict ``reinit-disk
    eval`` prints: ``Accepted``, ``HttpStatus``, ``Code``, ``Message``,
    ``Check``, ``Target``.

    >>> reinit_disk.evaluate({"Request": {"DiskId": "d-1"}})["Code"]
    'InvalidDiskId.NotFound'
    """

def evaluate_many(lines: Iterable[Union[str, bytes]], *, revision: Optional[str] = None) -> Decisions:
    """Decides one scenario a line, with the GIL released; yields a decision
    dict a line, or ``{"Error": "...", "Line": N}`` for a line that is not valid.

    >>> [d["Code"] for d in reinit_disk.evaluate_many(['{"Request":{"DiskId":"d-1"}}'])]
    ['InvalidDiskId.NotFound']
    """

class Decisions(Iterator[Json]):
    """The iterator ``evaluate_many`` returns."""

    def __iter__(self) -> Decisions: ...
    def __next__(self) -> Json: ...

def respond(
    world: World,
    method: str,
    query: str,
    headers: Optional[Headers] = None,
    body: Union[bytes, bytearray, str, None] = None,
    *,
    request_id: Optional[str] = None,
    policy: Policy = None,
) -> Tuple[int, Dict[str, str], bytes]:
    """Answers an ECS HTTP request byte for byte as ECS does, and applies the
    re-init's first stage when it is accepted.

    >>> status, headers, body = reinit_disk.respond(
    ...     world, "POST", "/?DiskId=d-9", {"x-acs-action": "ReInitDisk"}, b"", request_id="R-1")
    >>> status, body
    (404, b'{"RequestId":"R-1","HostId":"ecs.aliyuncs.com","Code":"InvalidDiskId.NotFound",...}')
    """

class World:
    """Resources held in memory; safe to share between threads.

    >>> world = reinit_disk.World()
    >>> world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
    >>> world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    ...                 "Status": "In_use", "InstanceId": "i-1"})
    >>> world.evaluate({"DiskId": "d-1"})["Accepted"]
    True
    """

    def __init__(self, policy: Policy = None) -> None: ...
    @staticmethod
    def from_scenario(scenario: Document) -> World:
        """The world of a scenario (validated whole); its policy is the world's."""
    def add_disk(self, disk: Mapping[str, Any]) -> None:
        """``{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "Available"}``"""
    def add_instance(self, instance: Mapping[str, Any]) -> None:
        """``{"InstanceId": "i-1", "Status": "Stopped"}``"""
    def add_image(self, image: Mapping[str, Any]) -> None:
        """``{"ImageId": "m-1", "ImageOwnerAlias": "system"}``"""
    def add_snapshot(self, snapshot: Mapping[str, Any]) -> None:
        """``{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"}``"""
    def add_key_pair(self, key_pair: Mapping[str, Any]) -> None:
        """``{"KeyPairName": "kp-1"}``"""
    def add_kms_key(self, key: Mapping[str, Any]) -> None:
        """A scenario's ``KmsKeys`` entry."""
    def set_account(self, account: Mapping[str, Any]) -> None:
        """A scenario's ``Account`` object."""
    def evaluate(self, request: Mapping[str, str], policy: Policy = None) -> Json:
        """Decides ``request`` (parameter name to string value); changes nothing.

        >>> world.evaluate({"DiskId": "d-9"})["Code"]
        'InvalidDiskId.NotFound'
        """
    def begin_reinit(self, request: Mapping[str, str], policy: Policy = None) -> Json:
        """Decides ``request`` and, if accepted, makes the disk ``ReIniting``."""
    def settle_reinit(self, disk_id: str) -> Json:
        """Ends a re-init: ``{"ResetTo": "Image", "SourceId": "m-1"}``."""
    def disk(self, disk_id: str) -> Optional[Json]:
        """The disk as a scenario spells it, or ``None``."""
    def instance(self, instance_id: str) -> Optional[Json]:
        """The instance as a scenario spells it, or ``None``."""
    def to_scenario(self) -> Json:
        """The world as a scenario dict (lists sorted by id)."""
    @property
    def revision(self) -> str:
        """The revision of the world's policy."""
