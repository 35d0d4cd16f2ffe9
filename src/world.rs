//! The world view `evaluate` reads: the [`World`] trait an emulator
//! implements over its own store.

use crate::model::{DiskView, ImageView, InstanceView, SnapshotView};

/// A read-only view of the disks, instances, images and snapshots of one
/// account and region.
///
/// An emulator implements it over its own store: each method returns a
/// small view that borrows the store's strings (build it with `DiskView::new`
/// and the `with_*` methods), so no record is copied. A lookup that finds
/// nothing is a fact, not an error: no such disk answers
/// `InvalidDiskId.NotFound`; no such image or snapshot counts as deleted; a
/// disk attached to an instance the view lacks answers `InternalError`.
pub trait World {
    /// The disk `id`.
    fn disk(&self, id: &str) -> Option<DiskView<'_>>;
    /// The instance `id`.
    fn instance(&self, id: &str) -> Option<InstanceView<'_>>;
    /// The image `id` (a deleted one may be kept, `deleted: true`).
    fn image(&self, id: &str) -> Option<ImageView<'_>>;
    /// The snapshot `id` (a deleted one may be kept, `deleted: true`).
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>>;
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
}
