"""Every public function, method and module of the package has a docstring
with an example, and every example runs (doctest)."""

import doctest

import pytest

import reinit_disk
import reinit_disk.testing


def public():
    """(name, object) of every public function, method and module."""
    yield "reinit_disk", reinit_disk
    yield "reinit_disk.testing", reinit_disk.testing
    for name in ("evaluate", "evaluate_many", "respond", "World"):
        yield f"reinit_disk.{name}", getattr(reinit_disk, name)
    for name in vars(reinit_disk.World):
        if not name.startswith("_"):
            yield f"reinit_disk.World.{name}", getattr(reinit_disk.World, name)
    yield "reinit_disk.testing.mock_ecs", reinit_disk.testing.mock_ecs
    yield "reinit_disk.testing.Endpoint", reinit_disk.testing.Endpoint
    for name, member in vars(reinit_disk.testing.Endpoint).items():
        if not name.startswith("_"):
            yield f"reinit_disk.testing.Endpoint.{name}", member


PUBLIC = dict(public())


def test_every_method_of_world_is_listed():
    names = {name for name in dir(reinit_disk.World) if not name.startswith("_")}
    assert names == {"from_scenario", "add_disk", "add_instance", "add_image", "add_snapshot",
                     "add_key_pair", "add_kms_key", "set_account", "evaluate", "begin_reinit",
                     "settle_reinit", "disk", "instance", "to_scenario", "revision"}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_the_docstring_has_an_example_that_runs(name):
    doc = PUBLIC[name].__doc__ or ""
    assert ">>>" in doc, f"{name} has no example"
    # The globals of the module the object is in, as doctest gives them.
    module = reinit_disk.testing if name.startswith("reinit_disk.testing") else reinit_disk
    globs = dict(vars(module), reinit_disk=reinit_disk)
    test = doctest.DocTestParser().get_doctest(doc, globs, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)
