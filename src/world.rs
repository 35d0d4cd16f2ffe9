//! The world view `evaluate` reads: the [`World`] trait an emulator
//! implements over its own store.

use crate::model::{
    Account, DiskView, ImageView, InstanceView, KeyPairView, KmsKeyView, SnapshotView,
};

/// A read-only view of the disks, instances, images and snapshots of one
/// account and region.
///
/// An emulator implements it over its own store: each method returns a
/// small view that borrows the store's strings (build it with `DiskView::new`
/// and the `with_*` methods), so no record is copied. A lookup that finds
/// nothing is a fact, not an error: no such disk answers
/// `InvalidDiskId.NotFound`; no such image or snapshot counts as deleted; a
/// disk attached to an instance the view lacks answers `InternalError`.
///
/// The methods the 2025-02-27 revision added (`key_pair`, `kms_key`,
/// `account`) have defaults, so that a world written for the seed revision
/// still compiles: no key pair, no KMS key, and an account nothing refuses.
/// Whether a disk has a snapshot with instant access is a field of its view
/// (`DiskView::with_instant_access_snapshot`, default no), which the store
/// derives from its snapshots.
pub trait World {
    /// The disk `id`.
    fn disk(&self, id: &str) -> Option<DiskView<'_>>;
    /// The instance `id`.
    fn instance(&self, id: &str) -> Option<InstanceView<'_>>;
    /// The image `id` (a deleted one may be kept, `deleted: true`).
    fn image(&self, id: &str) -> Option<ImageView<'_>>;
    /// The snapshot `id` (a deleted one may be kept, `deleted: true`).
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>>;
    /// The key pair `name` (default: none).
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        let _ = name;
        None
    }
    /// The KMS key `id` (default: none; a key the world lacks counts as not
    /// enabled).
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        let _ = id;
        None
    }
    /// The account, in the world's region (default: [`Account::DEFAULT`],
    /// which nothing refuses).
    fn account(&self) -> Account {
        Account::DEFAULT
    }
}

impl<W: World + ?Sized> World for &W {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        (**self).disk(id)
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        (**self).instance(id)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        (**self).image(id)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        (**self).snapshot(id)
    }
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        (**self).key_pair(name)
    }
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        (**self).kms_key(id)
    }
    fn account(&self) -> Account {
        (**self).account()
    }
}
