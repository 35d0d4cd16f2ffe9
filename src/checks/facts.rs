//! The facts the checks read: the request's values, the policy's answers,
//! the revision's too-old boundary (a [`Boundary`]: the checks read nothing
//! else of the revision, and never import it), and the world's records, each looked up at most
//! once, when a check first needs it.

use core::fmt;

use crate::answers::Answers;
use crate::model::{
    Account, CreationTime, DiskView, ImageView, InstanceView, KeyPairView, KmsKeyView,
    SnapshotView, Source,
};
use crate::request::{Request, SecurityEnhancementStrategy};
use crate::world::World;

/// The facts a check needs looked up before it runs (a set of bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Needs(u8);

impl Needs {
    /// Nothing of the world: a request check.
    pub const NOTHING: Self = Self(0);
    /// The disk.
    pub const DISK: Self = Self(1);
    /// The disk and the instance it is attached to (bits: disk 1,
    /// instance 2, image 4, snapshot 8).
    pub const INSTANCE: Self = Self(0b0011);
    /// The disk and its image (a system disk).
    pub const IMAGE: Self = Self(0b0101);
    /// The disk and its source snapshot (a data disk).
    pub const SNAPSHOT: Self = Self(0b1001);
    /// The key pair the request names (`KeyPairName`).
    pub const KEY_PAIR: Self = Self(0b0001_0000);
    /// The disk and its KMS key (an encrypted disk).
    pub const KMS_KEY: Self = Self(0b0010_0001);
    /// The account, in the world's region.
    pub const ACCOUNT: Self = Self(0b1000_0000);

    /// Both sets.
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every fact of `other` is in this set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Debug for Needs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (1, "disk"),
            (2, "instance"),
            (4, "image"),
            (8, "snapshot"),
            (16, "key pair"),
            (32, "KMS key"),
            (128, "account"),
        ];
        let mut list = f.debug_set();
        for (bit, name) in names {
            if self.0 & bit != 0 {
                list.entry(&name);
            }
        }
        list.finish()
    }
}

/// What the checks read of the revision that decides: its too-old
/// boundary (snapshots created before it are too old). A
/// [`Revision`](crate::Revision) converts into it, so that [`Facts::new`]
/// takes the revision itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Boundary {
    /// Borrowed, not copied: a pointer keeps [`Facts`] as small as it was
    /// when it held the revision.
    too_old_before: &'static CreationTime,
}

impl Boundary {
    /// Snapshots created before `too_old_before` are too old.
    pub const fn new(too_old_before: &'static CreationTime) -> Self {
        Self { too_old_before }
    }

    /// Snapshots created before this instant are too old.
    #[inline]
    pub const fn too_old_before(self) -> CreationTime {
        *self.too_old_before
    }
}

/// The instance a disk is attached to, as far as the world knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attached<'w> {
    /// There is no disk, or it is attached to nothing.
    Nothing,
    /// The disk names this instance, which the world does not have.
    Dangling(&'w str),
    /// The instance.
    To(InstanceView<'w>),
}

/// What the checks have read so far. `'r` is the request's lifetime, `'w`
/// the world's.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'r, 'w> {
    request: &'r Request<'r>,
    answers: Answers,
    boundary: Boundary,
    loaded: Needs,
    disk: Option<DiskView<'w>>,
    instance: Attached<'w>,
    image: Option<ImageView<'w>>,
    snapshot: Option<SnapshotView<'w>>,
    key_pair: Option<KeyPairView<'w>>,
    kms_key: Option<KmsKeyView<'w>>,
    account: Account,
}

impl<'r, 'w> Facts<'r, 'w> {
    /// The facts of `request` under `answers` and the revision's
    /// `boundary` (a [`Revision`](crate::Revision), or a [`Boundary`]),
    /// before anything is looked up (nothing is copied but the answers:
    /// cheap to build).
    #[inline]
    pub fn new(request: &'r Request<'r>, answers: Answers, boundary: impl Into<Boundary>) -> Self {
        Self {
            request,
            answers,
            boundary: boundary.into(),
            loaded: Needs::NOTHING,
            disk: None,
            instance: Attached::Nothing,
            image: None,
            snapshot: None,
            key_pair: None,
            kms_key: None,
            account: Account::DEFAULT,
        }
    }

    /// Looks up, in `world`, what `needs` asks for and is not yet known.
    #[inline(always)]
    pub fn look_up<W: World + ?Sized>(&mut self, needs: Needs, world: &'w W) {
        if self.loaded.contains(needs) {
            return;
        }
        if !self.loaded.contains(Needs::DISK) {
            self.disk = self
                .request
                .disk_id
                .filter(|id| !id.is_empty())
                .and_then(|id| world.disk(id));
        }
        let disk = self.disk;
        if needs.contains(Needs::INSTANCE) && !self.loaded.contains(Needs::INSTANCE) {
            self.instance = match disk.and_then(|d| d.instance_id) {
                None => Attached::Nothing,
                Some(id) => world
                    .instance(id)
                    .map_or(Attached::Dangling(id), Attached::To),
            };
        }
        if needs.contains(Needs::IMAGE) && !self.loaded.contains(Needs::IMAGE) {
            self.image = match disk.map(|d| d.source) {
                Some(Source::Image(id)) => world.image(id),
                _ => None,
            };
        }
        if needs.contains(Needs::SNAPSHOT) && !self.loaded.contains(Needs::SNAPSHOT) {
            self.snapshot = match disk.map(|d| d.source) {
                Some(Source::Snapshot(id)) => world.snapshot(id),
                _ => None,
            };
        }
        if needs.contains(Needs::KEY_PAIR) && !self.loaded.contains(Needs::KEY_PAIR) {
            self.key_pair = self
                .request
                .key_pair_name
                .filter(|name| !name.is_empty())
                .and_then(|name| world.key_pair(name));
        }
        if needs.contains(Needs::KMS_KEY) && !self.loaded.contains(Needs::KMS_KEY) {
            self.kms_key = disk
                .and_then(|d| d.kms_key_id)
                .and_then(|id| world.kms_key(id));
        }
        if needs.contains(Needs::ACCOUNT) && !self.loaded.contains(Needs::ACCOUNT) {
            self.account = world.account();
        }
        self.loaded = self.loaded.and(needs);
    }

    /// The request as sent.
    #[inline]
    pub const fn request(&self) -> &'r Request<'r> {
        self.request
    }

    /// `SecurityEnhancementStrategy`, when it is a valid value.
    #[inline]
    pub fn strategy(&self) -> Option<SecurityEnhancementStrategy> {
        self.request
            .security_enhancement_strategy
            .and_then(SecurityEnhancementStrategy::from_sent)
    }

    /// The policy's answers to the open questions.
    #[inline]
    pub const fn answers(&self) -> &Answers {
        &self.answers
    }

    /// The revision's too-old boundary: snapshots made before it are too old.
    #[inline]
    pub const fn too_old_before(&self) -> CreationTime {
        self.boundary.too_old_before()
    }

    /// The disk, if the world has it (and it was looked up).
    #[inline]
    pub const fn disk(&self) -> Option<&DiskView<'w>> {
        self.disk.as_ref()
    }

    /// The instance the disk is attached to.
    #[inline]
    pub const fn instance(&self) -> &Attached<'w> {
        &self.instance
    }

    /// The system disk's image, if the world has it.
    #[inline]
    pub const fn image(&self) -> Option<&ImageView<'w>> {
        self.image.as_ref()
    }

    /// The data disk's source snapshot, if the world has it.
    #[inline]
    pub const fn snapshot(&self) -> Option<&SnapshotView<'w>> {
        self.snapshot.as_ref()
    }

    /// The key pair `KeyPairName` names, if given and the world has it.
    #[inline]
    pub const fn key_pair(&self) -> Option<&KeyPairView<'w>> {
        self.key_pair.as_ref()
    }

    /// The encrypted disk's KMS key, if the world has it.
    #[inline]
    pub const fn kms_key(&self) -> Option<&KmsKeyView<'w>> {
        self.kms_key.as_ref()
    }

    /// The account, in the world's region.
    #[inline]
    pub const fn account(&self) -> &Account {
        &self.account
    }
}
