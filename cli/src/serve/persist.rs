//! `serve --state FILE`: the world and its changes under way saved after
//! every change and on shutdown, so that a restart resumes them.
//!
//! One writer thread saves; requests wait for it. A request that changes
//! the world (an accepted action, a patch, a new world, a reset) is
//! answered only once a snapshot holding its change is durable: the
//! handler notes the store's version after its change and waits until the
//! writer has saved that version or a later one. Changes made while the
//! writer saves are saved together by its next pass (group commit): at
//! most one snapshot is held at a time, always the latest. A save writes a
//! temporary file in the same directory, syncs it, renames it over FILE
//! and syncs the directory, so that FILE is always one whole snapshot. A
//! save that fails is logged (the path and the I/O error, nothing else)
//! and the requests waiting for it are answered `InternalError`; the next
//! change tries again.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::watch;

use super::actions::{self, Handled, error_response};
use super::errors::ApiError;
use super::store::Store;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{Ids, Response};

/// What the writer and the hooks read of the server's shared state (the
/// server's `App` is one): the writer, the store, the clock.
pub(super) trait Saved: Send + Sync + 'static {
    /// The writer, with `--state`.
    fn persist(&self) -> Option<&Persist>;
    /// The store whose world is saved.
    fn store(&self) -> &Store;
    /// The server clock's now.
    fn now(&self) -> std::time::Duration;
}

/// `--state FILE`: where the world is saved, and what was read from it at
/// start (`None`: the file did not exist, the server starts from its
/// `--world`).
#[derive(Clone, Debug)]
pub struct StateFile {
    /// The file.
    pub path: PathBuf,
    /// The world and changes under way read from it at start.
    pub saved: Option<Scenario>,
}

/// How far the writer has come: the last version saved, and the last
/// version whose save failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Written {
    durable: u64,
    failed: u64,
}

/// What the handlers ask of the writer.
#[derive(Debug, Default)]
struct Asked {
    /// The highest version a request waits for.
    wanted: u64,
    /// Shut down: save once more, then stop.
    stop: bool,
}

/// The writer's side the handlers share (in [`App`]).
pub(super) struct Persist {
    path: PathBuf,
    asked: Mutex<Asked>,
    wake: Condvar,
    written: watch::Receiver<Written>,
    /// Taken by the writer thread when it starts.
    sender: Mutex<Option<watch::Sender<Written>>>,
    thread: Mutex<Option<JoinHandle<Result<(), String>>>>,
}

impl Persist {
    /// The writer's side for `path`; [`start`] starts the writer.
    pub(super) fn new(path: PathBuf) -> Self {
        let (sender, written) = watch::channel(Written::default());
        Self {
            path,
            asked: Mutex::new(Asked::default()),
            wake: Condvar::new(),
            written,
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(None),
        }
    }

    /// Asks the writer for version `version` at least.
    fn ask(&self, version: u64) {
        let mut asked = self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        asked.wanted = asked.wanted.max(version);
        drop(asked);
        self.wake.notify_one();
    }
}

/// The writer's side for `state`, if given; a world read from the file at
/// start replaces `store`'s (its changes under way resume; a reset still
/// goes back to the `--world`).
pub(super) fn open(state: Option<StateFile>, store: &Store) -> Result<Option<Persist>, String> {
    let Some(state) = state else {
        return Ok(None);
    };
    if let Some(saved) = state.saved {
        store
            .replace(saved, std::time::Duration::ZERO)
            .map_err(|e| format!("invalid state {}: {e}", state.path.display()))?;
    }
    Ok(Some(Persist::new(state.path)))
}

/// Starts the writer thread of `app`, if it saves its state.
pub(super) fn start<A: Saved>(app: &Arc<A>) -> Result<(), String> {
    let Some(persist) = app.persist() else {
        return Ok(());
    };
    let sender = persist
        .sender
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let Some(sender) = sender else {
        return Ok(());
    };
    let writer = Arc::clone(app);
    let handle = std::thread::Builder::new()
        .name("reinit-disk-state".to_owned())
        .spawn(move || write_loop(&*writer, &sender))
        .map_err(|e| format!("cannot start the --state writer: {e}"))?;
    *persist
        .thread
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(handle);
    Ok(())
}

/// The writer: waits to be asked, saves the latest snapshot, tells the
/// waiting requests, until told to stop (then saves once more).
fn write_loop<A: Saved>(app: &A, sender: &watch::Sender<Written>) -> Result<(), String> {
    let Some(persist) = app.persist() else {
        return Ok(());
    };
    let mut attempted = 0;
    loop {
        let stop = {
            let mut asked = persist.asked.lock().unwrap_or_else(PoisonError::into_inner);
            while asked.wanted <= attempted && !asked.stop {
                asked = persist
                    .wake
                    .wait(asked)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            asked.stop
        };
        let (version, scenario) = app.store().snapshot(app.now());
        attempted = version;
        let saved = save(&persist.path, &scenario);
        sender.send_modify(|written| match &saved {
            Ok(()) => written.durable = written.durable.max(version),
            Err(_) => written.failed = written.failed.max(version),
        });
        if let Err(e) = &saved {
            tracing::error!(error = %e, "the state could not be saved");
        }
        if stop {
            return saved;
        }
    }
}

/// Waits until the store's changes so far are durable: `Ok` at once
/// without `--state`; `Err` if the save that held them failed (or the
/// writer is gone).
pub(super) async fn durable<A: Saved>(app: &A) -> Result<(), ()> {
    let Some(persist) = app.persist() else {
        return Ok(());
    };
    let version = app.store().version();
    persist.ask(version);
    let mut written = persist.written.clone();
    match written
        .wait_for(|w| w.durable >= version || w.failed >= version)
        .await
    {
        Ok(w) if w.durable >= version => Ok(()),
        Ok(_) | Err(_) => Err(()),
    }
}

/// The API's hook: a request that changed the world
/// ([`actions::changes_world`]) gets its `response` once its change is
/// durable, or `InternalError` if the save failed; any other request gets
/// its response at once.
pub(super) async fn acknowledged<A: Saved>(
    app: &A,
    response: Response,
    mut handled: Handled,
    ids: &Ids<'_>,
) -> (Response, Handled) {
    if !actions::changes_world(&handled) || durable(app).await.is_ok() {
        return (response, handled);
    }
    let error = ApiError::Internal;
    handled.code = Some(error.code().to_owned());
    (error_response(response.format, ids, &error), handled)
}

/// The admin endpoints' hook, after a change (a patch, a new world, a
/// reset): `None` once it is durable, else the 500 to answer.
pub(super) async fn admin_durable<A: Saved>(app: &A) -> Option<axum::response::Response> {
    durable(app).await.err().map(|()| {
        super::records::json_response(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"Error": "the change is made but could not be saved to the --state file (the server's log says why)"}),
        )
    })
}

/// The shutdown hook: once the server has stopped answering, saves the
/// world a last time and stops the writer. The error is the line to print.
pub(super) fn shut_down<A: Saved>(app: &A) -> Result<(), String> {
    let Some(persist) = app.persist() else {
        return Ok(());
    };
    persist
        .asked
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .stop = true;
    persist.wake.notify_one();
    let handle = persist
        .thread
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    match handle.map(JoinHandle::join) {
        Some(Ok(result)) => result,
        Some(Err(_)) => Err("the --state writer stopped unexpectedly".to_owned()),
        // Never started (an embedder's router): save here.
        None => save(&persist.path, &app.store().to_scenario(app.now())),
    }
}

/// The directory `path` is in, to sync after a rename: `.` for a bare file
/// name (whose parent is the empty path, which cannot be opened).
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Saves `scenario` to `path` atomically (the text streamed, not built
/// whole): written to a temporary file in
/// the same directory, synced, renamed over `path`, the directory synced.
/// The error names the file and says what failed.
pub fn save(path: &Path, scenario: &Scenario) -> Result<(), String> {
    let directory = directory_of(path);
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    let temporary = directory.join(format!(".{name}.tmp"));
    let failed = |what: &str, e: std::io::Error| {
        format!("cannot save the state to {}: {what}: {e}", path.display())
    };
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temporary)
        .map_err(|e| failed(&format!("create {}", temporary.display()), e))?;
    // Written as it is serialized, never held whole.
    let mut writer = std::io::BufWriter::with_capacity(64 << 10, &mut file);
    serde_json::to_writer(&mut writer, scenario)
        .map_err(std::io::Error::from)
        .and_then(|()| writer.write_all(b"\n"))
        .and_then(|()| writer.flush())
        .map_err(|e| failed(&format!("write {}", temporary.display()), e))?;
    drop(writer);
    file.sync_all()
        .map_err(|e| failed(&format!("sync {}", temporary.display()), e))?;
    drop(file);
    fs::rename(&temporary, path).map_err(|e| failed("rename", e))?;
    // The rename is durable once the directory is synced.
    File::open(&directory)
        .and_then(|d| d.sync_all())
        .map_err(|e| failed(&format!("sync the directory {}", directory.display()), e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_name_is_synced_in_the_current_directory() {
        assert_eq!(directory_of(Path::new("state.json")), PathBuf::from("."));
        assert_eq!(directory_of(Path::new("/")), PathBuf::from("."));
        assert_eq!(directory_of(Path::new("a/state.json")), PathBuf::from("a"));
        assert_eq!(
            directory_of(Path::new("/tmp/s.json")),
            PathBuf::from("/tmp")
        );
    }
}
