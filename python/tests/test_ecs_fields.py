"""tests/ecs-fields.txt, the field list the library's ECS records are held
to (tests/ecs.rs), is the installed official SDK's: every field of the
DescribeDisks, DescribeInstances, DescribeImages and DescribeSnapshots
models, in their order (scripts/ecs_records.py --names)."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytest.importorskip("alibabacloud_ecs20140526")


def test_the_field_list_is_the_installed_sdks():
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ecs_records.py"), "--names"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert generated == (ROOT / "tests" / "ecs-fields.txt").read_text()


def test_the_records_count_the_sdk_models_fields():
    from alibabacloud_ecs20140526 import models

    fields = {
        line.split(": ")[0]: line.split(": ")[1].split()
        for line in (ROOT / "tests" / "ecs-fields.txt").read_text().splitlines()
    }
    for path, model in [
        ("Disk", models.DescribeDisksResponseBodyDisksDisk),
        ("Instance", models.DescribeInstancesResponseBodyInstancesInstance),
        ("Image", models.DescribeImagesResponseBodyImagesImage),
        ("Snapshot", models.DescribeSnapshotsResponseBodySnapshotsSnapshot),
        ("KeyPair", models.DescribeKeyPairsResponseBodyKeyPairsKeyPair),
    ]:
        # The model's own parameters, one per field.
        assert len(fields[path]) == model.__init__.__code__.co_argcount - 1, path
