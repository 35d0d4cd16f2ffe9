"""The Alibaba Cloud ECS ``ReInitDisk`` engine (Rust, PyO3): decisions on
JSON scenarios, an in-memory world, and byte-exact ECS HTTP responses.

``reinit_disk.testing`` answers the official ECS SDKs from a ``World``,
in-process. See docs/python.md.

>>> import reinit_disk
>>> reinit_disk.evaluate({"Request": {"DiskId": "d-1"}})["Code"]
'InvalidDiskId.NotFound'
"""

from ._native import (
    MAX_INPUT_BYTES,
    REVISIONS,
    Decisions,
    DuplicateIdError,
    ScenarioError,
    TransitionError,
    World,
    __version__,
    evaluate,
    evaluate_many,
    respond,
)

__all__ = [
    "MAX_INPUT_BYTES",
    "REVISIONS",
    "Decisions",
    "DuplicateIdError",
    "ScenarioError",
    "TransitionError",
    "World",
    "__version__",
    "evaluate",
    "evaluate_many",
    "respond",
]
