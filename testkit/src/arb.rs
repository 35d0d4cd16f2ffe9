//! Generators for the property tests: worlds, requests and policies over small
//! id pools, so that requests and references hit as often as they miss.

use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use reinit_disk::answers::{
    ActiveOnNonPublicImage, Answers, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::model::{
    CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias,
    Instance, InstanceStatus, LockReason, LockSet, Snapshot,
};
use reinit_disk::revision::SEED;
use reinit_disk::scenario::Scenario;
use reinit_disk::{Check, Policy, Request};
use strum::VariantArray;

pub const DISK_IDS: [&str; 4] = ["d-0", "d-1", "d-2", "d-3"];
pub const INSTANCE_IDS: [&str; 3] = ["i-0", "i-1", "i-2"];
pub const IMAGE_IDS: [&str; 3] = ["m-0", "m-1", "m-2"];
pub const SNAPSHOT_IDS: [&str; 3] = ["s-0", "s-1", "s-2"];

pub fn category() -> impl Strategy<Value = DiskCategory> {
    select(DiskCategory::VARIANTS)
}

pub fn disk_status() -> impl Strategy<Value = DiskStatus> {
    select(DiskStatus::VARIANTS)
}

pub fn instance_status() -> impl Strategy<Value = InstanceStatus> {
    select(InstanceStatus::VARIANTS)
}

pub fn alias() -> impl Strategy<Value = ImageOwnerAlias> {
    select(ImageOwnerAlias::VARIANTS)
}

pub fn locks() -> impl Strategy<Value = LockSet> {
    subsequence(LockReason::VARIANTS, 0..=LockReason::VARIANTS.len())
        .prop_map(|reasons| reasons.into_iter().collect())
}

/// Creation times around the 2013-07-16T00:00:00Z cut-off, and far from it.
pub fn creation_time() -> impl Strategy<Value = CreationTime> {
    let cutoff = 1_373_932_800i64;
    prop_oneof![
        (-2i64..=2).prop_map(move |d| cutoff + d),
        (-100_000_000i64..=100_000_000).prop_map(move |d| cutoff + d),
    ]
    .prop_map(|s| CreationTime::from_unix_seconds(s).unwrap())
}

pub fn source() -> impl Strategy<Value = DiskSource> {
    prop_oneof![
        (
            select(&IMAGE_IDS),
            proptest::option::of(select(&SNAPSHOT_IDS))
        )
            .prop_map(|(i, s)| {
                DiskSource::Image {
                    image_id: i.to_owned(),
                    snapshot_id: s.map(str::to_owned),
                }
            }),
        select(&SNAPSHOT_IDS).prop_map(|s| DiskSource::Snapshot {
            snapshot_id: s.to_owned()
        }),
        Just(DiskSource::Empty),
    ]
}

/// A disk's own locks: none half of the time (most disks have none), else
/// any set.
pub fn disk_locks() -> impl Strategy<Value = LockSet> {
    prop_oneof![Just(LockSet::EMPTY), locks()]
}

pub fn disk(id: &'static str) -> impl Strategy<Value = Disk> {
    (
        category(),
        disk_status(),
        proptest::option::of(select(&INSTANCE_IDS)),
        source(),
        any::<bool>(),
        disk_locks(),
    )
        .prop_map(
            move |(category, status, instance, source, creating_snapshot, operation_locks)| Disk {
                id: id.to_owned(),
                category,
                status,
                instance_id: instance.map(str::to_owned),
                source,
                creating_snapshot,
                operation_locks,
                ..Default::default()
            },
        )
}

pub fn instance(id: &'static str) -> impl Strategy<Value = Instance> {
    (instance_status(), any::<bool>(), locks()).prop_map(
        move |(status, has_started, operation_locks)| Instance {
            id: id.to_owned(),
            status,
            has_started,
            operation_locks,
            ..Default::default()
        },
    )
}

pub fn image(id: &'static str) -> impl Strategy<Value = Image> {
    (alias(), any::<bool>()).prop_map(move |(image_owner_alias, deleted)| Image {
        id: id.to_owned(),
        image_owner_alias,
        deleted,
        ..Default::default()
    })
}

pub fn snapshot(id: &'static str) -> impl Strategy<Value = Snapshot> {
    (creation_time(), any::<bool>()).prop_map(move |(creation_time, deleted)| Snapshot {
        id: id.to_owned(),
        creation_time,
        deleted,
        ..Default::default()
    })
}

fn some_of<T: std::fmt::Debug>(
    ids: &'static [&'static str],
    each: impl Fn(&'static str) -> BoxedStrategy<T>,
) -> impl Strategy<Value = Vec<T>> {
    let parts: Vec<_> = ids
        .iter()
        .map(|id| proptest::option::of(each(id)))
        .collect();
    parts.prop_map(|v| v.into_iter().flatten().collect())
}

/// A world with unique ids, any of which may be absent. Disks may name
/// instances, images and snapshots the world lacks (an inconsistent store).
pub fn world() -> impl Strategy<Value = Scenario> {
    (
        some_of(&DISK_IDS, |id| disk(id).boxed()),
        some_of(&INSTANCE_IDS, |id| instance(id).boxed()),
        some_of(&IMAGE_IDS, |id| image(id).boxed()),
        some_of(&SNAPSHOT_IDS, |id| snapshot(id).boxed()),
    )
        .prop_map(|(disks, instances, images, snapshots)| Scenario {
            disks,
            instances,
            images,
            snapshots,
            ..Scenario::default()
        })
}

/// A world that has the disk `d-0` (attached to nothing, to an instance
/// the world has, or to one it lacks; with or without locks of its own).
pub fn world_with_disk() -> impl Strategy<Value = Scenario> {
    (world(), disk("d-0")).prop_map(|(mut world, disk)| {
        world.disks.retain(|d| d.id != disk.id);
        world.disks.insert(0, disk);
        world
    })
}

/// A world whose disk `d-0` is attached to the instance `i-0`, which the
/// world has.
pub fn attached_world() -> impl Strategy<Value = Scenario> {
    (world_with_disk(), instance("i-0")).prop_map(|(mut world, instance)| {
        if let Some(disk) = world.disks.first_mut() {
            disk.instance_id = Some(instance.id.clone());
        }
        world.instances.retain(|i| i.id != instance.id);
        world.instances.insert(0, instance);
        world
    })
}

pub fn request() -> impl Strategy<Value = Request<'static>> {
    (
        proptest::option::weighted(
            0.9,
            select(
                &[
                    "ReInitDisk",
                    "ReInitDisk",
                    "reinitdisk",
                    "DescribeDisks",
                    "",
                ][..],
            ),
        ),
        proptest::option::weighted(0.95, select(&["d-0", "d-1", "d-2", "d-3", "d-9", ""][..])),
        proptest::option::of(select(&["Active", "Deactive", "active", "", "None"][..])),
    )
        .prop_map(|(action, disk_id, security_enhancement_strategy)| Request {
            action,
            disk_id,
            security_enhancement_strategy,
            ..Default::default()
        })
}

/// A request the request checks accept, for `d-0`..`d-3`, with or without
/// a valid strategy.
pub fn valid_request() -> impl Strategy<Value = Request<'static>> {
    (
        select(&DISK_IDS),
        proptest::option::of(select(&["Active", "Deactive"][..])),
    )
        .prop_map(|(disk_id, strategy)| Request {
            action: Some("ReInitDisk"),
            disk_id: Some(disk_id),
            security_enhancement_strategy: strategy,
            ..Default::default()
        })
}

/// A permutation of the seed revision's world checks.
pub fn order() -> impl Strategy<Value = Vec<Check>> {
    Just(SEED.world_checks.to_vec()).prop_shuffle()
}

/// The seed revision under any order and any answers.
pub fn policy() -> impl Strategy<Value = Policy> {
    (
        order(),
        select(DeletedSnapshotCode::VARIANTS),
        subsequence(DiskCategory::VARIANTS, 0..=DiskCategory::VARIANTS.len()),
        select(ActiveOnNonPublicImage::VARIANTS),
    )
        .prop_map(|(order, deleted_snapshot_code, unsupported, active)| {
            Policy::new(&reinit_disk::revision::SEED)
                .with_answers(Answers {
                    deleted_snapshot_code,
                    unsupported_categories: UnsupportedCategories(CategorySet::from(unsupported)),
                    active_on_non_public_image: active,
                    ..Default::default()
                })
                .with_order(&order)
                .unwrap()
        })
}
