"""Benchmark of the Python package (issue 11, item 5). Not a test: it prints figures.

1. `World.evaluate` per call, against `decide_seed`, a plain Python function
   that decides the seed revision's rules over dicts, on the same requests
   and worlds (the shipped seed scenarios with the default policy, where the
   two agree; the script checks that they do).
2. `evaluate_many` scenarios per second, against `json.loads` + `json.dumps`
   of the same lines.

Run:  python python/bench/bench.py  (after `pip install ./python`)
"""

import datetime
import json
import pathlib
import sys
import time

import reinit_disk

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "scenarios" / "seed"

MESSAGES = {
    "InvalidAction.NotFound": (404, "Specified api is not found, please check your url and method."),
    "MissingParameter": (400, 'The input parameter "DiskId" that is mandatory for processing this request is not supplied.'),
    "InvalidParameter": (400, 'The specified parameter "SecurityEnhancementStrategy" is not valid.'),
    "InvalidDiskId.NotFound": (404, "The specified disk does not exist."),
    "DiskCategory.OperationNotSupported": (400, "The operation is not supported to the specified disk due to its disk category"),
    "InstanceLockedForSecurity": (403, "The instance is locked due to security."),
    "InstanceExpiredOrInArrears": (403, "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode)."),
    "IncorrectDiskStatus": (403, "The current disk status does not support this operation."),
    "IncorrectInstanceStatus": (403, "The current status of the resource does not support this operation."),
    "DiskCreatingSnapshot": (403, "The operation is denied due to a snapshot of the specified disk is not completed yet."),
    "InvalidSourceSnapshot": (403, "The snapshot which is used to create the specified disk has been deleted."),
    "InvalidSnapshot.TooOld": (403, "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk any more since the detached first time."),
    "SharedImageDeleted": (403, "The specified image by others shared is deleted."),
    "InvalidDiskId.OperationNotSupported": (404, "The operation is not supported due to image not exist."),
    "InternalError": (500, "The request processing has failed due to some unknown error, exception or failure."),
}
UNSUPPORTED = {"elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium", "local_ssd_pro",
               "local_hdd_pro", "ephemeral", "ephemeral_ssd"}
ARREARS = {"financial", "recycling", "dedicatedhostfinancial", "refunded"}
TOO_OLD = datetime.datetime(2013, 7, 16, tzinfo=datetime.timezone.utc)


def refuse(code, check):
    status, message = MESSAGES[code]
    return {"Accepted": False, "HttpStatus": status, "Code": code, "Message": message, "Check": check, "Target": None}


def decide_seed(req, disks, instances, images, snapshots):
    """The seed revision's rules, default policy, in plain Python over dicts."""
    action = req.get("Action")
    if action is not None and action != "ReInitDisk":
        return refuse("InvalidAction.NotFound", "action")
    disk_id = req.get("DiskId")
    if not disk_id:
        return refuse("MissingParameter", "disk-id-given")
    strategy = req.get("SecurityEnhancementStrategy") or None
    if strategy is not None and strategy not in ("Active", "Deactive"):
        return refuse("InvalidParameter", "strategy-value")
    disk = disks.get(disk_id)
    if disk is None:
        return refuse("InvalidDiskId.NotFound", "disk-exists")
    if disk["Category"] in UNSUPPORTED:
        return refuse("DiskCategory.OperationNotSupported", "category-supported")
    instance_id = disk.get("InstanceId")
    instance = instances.get(instance_id) if instance_id else None
    in_use = disk["Status"] == "In_use"
    if in_use:
        if instance is None:
            return refuse("InternalError", "instance-not-security-locked")
        if "security" in instance.get("OperationLocks", ()):
            return refuse("InstanceLockedForSecurity", "instance-not-security-locked")
    if instance_id and instance is None:
        return refuse("InternalError", "instance-not-in-arrears")
    locks = set(disk.get("OperationLocks", ()))
    if instance is not None:
        locks.update(instance.get("OperationLocks", ()))
    if locks & ARREARS:
        return refuse("InstanceExpiredOrInArrears", "instance-not-in-arrears")
    if not in_use:
        return refuse("IncorrectDiskStatus", "disk-in-use")
    if instance["Status"] != "Stopped" or not instance.get("HasStarted", True):
        return refuse("IncorrectInstanceStatus", "instance-stopped")
    if disk.get("CreatingSnapshot", False):
        return refuse("DiskCreatingSnapshot", "no-snapshot-in-progress")
    system = disk["Type"] == "system"
    source_id = disk.get("ImageId") if system else disk.get("SourceSnapshotId")
    if not system and source_id is not None:
        snapshot = snapshots.get(source_id)
        if snapshot is None or snapshot.get("Deleted", False):
            return refuse("InvalidSourceSnapshot", "source-snapshot-exists")
        created = datetime.datetime.fromisoformat(snapshot["CreationTime"].replace("Z", "+00:00"))
        if created < TOO_OLD:
            return refuse("InvalidSnapshot.TooOld", "source-snapshot-not-too-old")
    applied = None
    if system:
        image = images.get(source_id)
        if image is None or image.get("Deleted", False):
            if image is not None and image.get("ImageOwnerAlias") == "others":
                return refuse("SharedImageDeleted", "source-image-exists")
            return refuse("InvalidDiskId.OperationNotSupported", "source-image-exists")
        applied = strategy
        if strategy == "Active" and image.get("ImageOwnerAlias") != "system":
            applied = None
    return {"Accepted": True, "HttpStatus": 200, "Code": None, "Message": None, "Check": None, "Target": {
        "DiskId": disk_id, "InstanceId": instance_id,
        "ResetTo": "Image" if system else ("Snapshot" if source_id else "Empty"),
        "SourceId": source_id, "SecurityEnhancement": applied, "PasswordReset": False, "KeyPairName": None,
        "StatusDuring": "ReIniting", "StatusAfter": "In_use", "InstanceStatusAfter": "Stopped"}}


def by_id(items, key):
    return {item[key]: item for item in items}


def timed(fn, args, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        for a in args:
            fn(*a)
    return (time.perf_counter() - start) / (repeat * len(args))


def per_call_side_by_side(first, second, repeat, rounds=9):
    """The best time per call of each of two (fn, args), their rounds
    alternating, so that a change of the machine's load reaches both."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, (fn, args) in enumerate((first, second)):
            best[i] = min(best[i], timed(fn, args, repeat))
    return best


def main():
    cases = []
    skipped = 0
    for path in sorted(SEED.glob("*.json")):
        if path.name.endswith(".expected.json"):
            continue
        s = json.loads(path.read_text())
        if s.get("Policy", {}) not in ({}, {"Revision": "seed"}):
            skipped += 1
            continue
        world = reinit_disk.World.from_scenario(s)
        request = s.get("Request", {})
        dicts = (by_id(s.get("Disks", []), "DiskId"), by_id(s.get("Instances", []), "InstanceId"),
                 by_id(s.get("Images", []), "ImageId"), by_id(s.get("Snapshots", []), "SnapshotId"))
        if decide_seed(request, *dicts) != world.evaluate(request):
            print(f"disagree (left out): {path.name}", file=sys.stderr)
            skipped += 1
            continue
        cases.append((world, request, dicts))
    print(f"python {sys.version.split()[0]}, reinit_disk {reinit_disk.__version__}")
    print(f"1. World.evaluate vs plain Python: {len(cases)} seed scenarios where both agree ({skipped} left out: a policy other than the default, or disagreement)")
    rust, py = per_call_side_by_side(
        (lambda w, r: w.evaluate(r), [(w, r) for w, r, _ in cases]),
        (lambda r, d: decide_seed(r, *d), [(r, d) for _, r, d in cases]),
        200,
    )
    print(f"   World.evaluate      {rust * 1e6:7.2f} us/decision")
    print(f"   decide_seed (dicts) {py * 1e6:7.2f} us/decision")
    print(f"   ratio               {py / rust:7.2f}x (the package is faster when > 1)")

    lines = []
    for path in sorted((ROOT / "tests" / "scenarios").rglob("*.json")):
        if not path.name.endswith(".expected.json"):
            lines.append(json.dumps(json.loads(path.read_text())))
    batch = lines * 60
    def many():
        for _ in reinit_disk.evaluate_many(batch):
            pass
    def loads_dumps():
        for line in batch:
            json.dumps(json.loads(line))
    def best(fn):
        t = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            fn()
            t = min(t, time.perf_counter() - start)
        return t
    t_many, t_json = best(many), best(loads_dumps)
    size = sum(map(len, batch)) / len(batch)
    print(f"2. evaluate_many vs json.loads+json.dumps: {len(batch)} lines (the shipped scenarios x60, {size:.0f} bytes a line on average)")
    print(f"   evaluate_many       {len(batch) / t_many:10,.0f} scenarios/s")
    print(f"   json.loads+dumps    {len(batch) / t_json:10,.0f} lines/s")
    print(f"   ratio               {t_json / t_many:7.2f}x (evaluate_many is faster when > 1)")


if __name__ == "__main__":
    main()
