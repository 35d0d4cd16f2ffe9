//! The commands of the `reinit-disk` binary.

pub mod call;
pub mod corpus;
pub mod diff;
pub mod eval;
pub mod explain;
pub use reinit_disk_cli::lines;
pub mod preflight;
pub mod rules;
pub mod table;

pub use reinit_disk_cli::io::*;

/// `one` when `n` is 1, else `many`.
pub fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}
