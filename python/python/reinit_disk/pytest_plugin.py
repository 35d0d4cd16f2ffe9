"""The package's pytest plugin (entry point ``pytest11``): the fixtures
``ecs_world`` and ``mock_ecs`` (``reinit_disk.testing``).

.. code-block:: python

    @pytest.mark.ecs_policy("2025-02-27")
    def test_reinit(ecs_world, mock_ecs):
        ecs_world.add_disk({...})
        client.re_init_disk(...)          # answered from ecs_world
        assert mock_ecs.calls[-1][2] == 200
"""

from typing import Iterator

import pytest

from . import World
from .testing import Endpoint, mock_ecs as _mock_ecs


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ecs_policy(policy): the policy of the ecs_world fixture's World (a revision name or a Policy dict)"
    )


@pytest.fixture
def ecs_world(request: pytest.FixtureRequest) -> World:
    """A fresh, empty ``World``, under the policy of the test's
    ``ecs_policy`` marker (the default policy without one)."""
    marker = request.node.get_closest_marker("ecs_policy")
    return World(policy=marker.args[0] if marker else None)


@pytest.fixture
def mock_ecs(ecs_world: World) -> Iterator[Endpoint]:
    """Both official ECS SDKs answered from ``ecs_world``, in-process, for
    the test (``reinit_disk.testing.mock_ecs``); the ``Endpoint``."""
    with _mock_ecs(ecs_world) as endpoint:
        yield endpoint
