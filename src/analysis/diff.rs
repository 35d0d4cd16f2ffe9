//! What changes between two policies (two revisions, two sets of answers,
//! or both): every class of situations of the union of both spaces whose
//! answer differs, with its count and its smallest witness.

use std::collections::HashMap;

use super::{Answer, Decided, Leaf, Space, Witness};
use crate::policy::Policy;

/// One class of changed situations: the same answer on each side.
#[derive(Clone, Debug)]
pub struct Change {
    /// How many situations of the space it holds.
    pub situations: u64,
    /// The smallest witness: the fewest facts away from the plainest
    /// situation (the first found among equals).
    pub witness: Witness,
    /// How many facts the witness has away from the plainest situation.
    pub distance: u32,
    /// The decision of the `from` side on the witness.
    pub from: Decided,
    /// The decision of the `to` side on the witness.
    pub to: Decided,
}

/// Everything [`diff`] found.
#[derive(Clone, Debug)]
pub struct Diff {
    /// How many situations the space holds (the union of both sides').
    pub situations: u64,
    /// How many regions were decided to cover them.
    pub regions: u64,
    /// The classes of changed situations, by the old code (accepted
    /// first), then the new, the largest first among equals.
    pub changes: Vec<Change>,
}

impl Diff {
    /// How many situations change.
    pub fn changed(&self) -> u64 {
        self.changes
            .iter()
            .fold(0u64, |n, c| n.saturating_add(c.situations))
    }
}

/// Decides every situation of the union of both sides' spaces on both
/// sides, and groups those whose answer (code, status, message, or target)
/// differs by the pair of answers.
pub fn diff(from: &Policy, to: &Policy) -> Diff {
    let space = Space::new(&[*from, *to]);
    let mut changes: Vec<Change> = Vec::new();
    let mut index: HashMap<(Answer, Answer), usize> = HashMap::new();
    let regions = space.explore(&[*from, *to], |leaf: &Leaf| {
        let (Some(old), Some(new)) = (leaf.decided.first(), leaf.decided.get(1)) else {
            return;
        };
        let key = (Answer::of(old), Answer::of(new));
        if key.0 == key.1 {
            return;
        }
        match index.get(&key).and_then(|at| changes.get_mut(*at)) {
            Some(change) => {
                change.situations = change.situations.saturating_add(leaf.situations);
                if leaf.distance < change.distance {
                    change.distance = leaf.distance;
                    change.witness = space.witness(&leaf.point);
                    change.from = old.clone();
                    change.to = new.clone();
                }
            }
            None => {
                index.insert(key, changes.len());
                changes.push(Change {
                    situations: leaf.situations,
                    witness: space.witness(&leaf.point),
                    distance: leaf.distance,
                    from: old.clone(),
                    to: new.clone(),
                });
            }
        }
    });
    // Grouped for a reader: by the old code (accepted first), then the
    // new, the most situations first among equals.
    let code = |d: &Decided| d.as_ref().err().map(crate::outcome::Rejection::code);
    changes.sort_by(|a, b| {
        (code(&a.from), code(&a.to), core::cmp::Reverse(a.situations)).cmp(&(
            code(&b.from),
            code(&b.to),
            core::cmp::Reverse(b.situations),
        ))
    });
    Diff {
        situations: space.size(),
        regions,
        changes,
    }
}
