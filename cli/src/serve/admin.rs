//! Admin endpoints added by issue 20, mounted by server.rs:
//! `PATCH /_reinit-disk/{disks,instances,images,snapshots,key-pairs,kms-keys}/ID` (set facts of
//! one record, validated as a scenario record is: fault injection) and
//! `GET /_reinit-disk/health` (version, revision, actions served).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response as HttpResponse;

use super::actions::ACTIONS;
use super::server::{App, json_response};
use super::store::{PatchError, RecordKind};

/// `GET /_reinit-disk/health`: `{"Status":"ok","Version":..,"Revision":..,
/// "Actions":[..]}`: the crate's version, the revision that decides
/// `ReInitDisk` now (`--revision`, else the world's policy's), the actions
/// served.
pub(super) async fn health(State(app): State<Arc<App>>) -> HttpResponse {
    let revision = app
        .store
        .policy(app.revision, app.clock.now())
        .revision()
        .name;
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "Status": "ok",
            "Version": env!("CARGO_PKG_VERSION"),
            "Revision": revision,
            "Actions": ACTIONS,
        }),
    )
}

/// `PATCH /_reinit-disk/KIND/ID` with a JSON object of the record's fields
/// (the scenario's spelling): 200 `{"Status":"patched"}`; 404 for an
/// unknown kind or record; 400 `{"Error":..,"Path":..}` for a patch the
/// scenario format refuses (the path inside the record), nothing changed.
pub(super) async fn patch_record(
    State(app): State<Arc<App>>,
    Path((kind, id)): Path<(String, String)>,
    body: Bytes,
) -> HttpResponse {
    let Some(kind) = RecordKind::from_path(&kind) else {
        return json_response(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"Error": "records are disks, instances, images, snapshots, key-pairs or kms-keys"}),
        );
    };
    let patch = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(patch) => patch,
        Err(e) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"Error": format!(".: not valid JSON: {e}"), "Path": "."}),
            );
        }
    };
    match app.store.patch(kind, &id, &patch, app.clock.now()) {
        Ok(()) => match super::persist::admin_durable(&app).await {
            Some(failed) => failed,
            None => json_response(StatusCode::OK, &serde_json::json!({"Status": "patched"})),
        },
        Err(PatchError::NotFound) => json_response(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"Error": format!("no such record in {}: {id:?}", kind.list())}),
        ),
        Err(PatchError::Invalid(e)) => json_response(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({"Error": e.to_string(), "Path": e.path}),
        ),
    }
}
