//! Snapshot files under tests/snapshots/: exact bytes, reviewed by eye once.

use std::path::PathBuf;

/// Asserts that `actual` is byte for byte the snapshot `name`; with
/// `UPDATE_SNAPSHOTS=1` in the environment, writes it instead.
pub fn snapshot(name: &str, actual: &str) {
    let path: PathBuf = [
        crate::workspace_root(),
        "tests".into(),
        "snapshots".into(),
        name.into(),
    ]
    .iter()
    .collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 writes it)", path.display()));
    assert_eq!(actual, expected, "{name} differs from its snapshot");
}
