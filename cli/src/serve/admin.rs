//! Admin endpoints added by issue 20, mounted by server.rs:
//! `PATCH /_reinit-disk/{disks,instances,images,snapshots,key-pairs,kms-keys}/ID` (set facts of
//! one record, validated as a scenario record is: fault injection) and
//! `GET /_reinit-disk/health` (version, revision, actions served).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response as HttpResponse;

use super::actions::ACTIONS;
use super::app::{App, admin_error, body_status, read_body};
use super::records::json_response;
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
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let Some(kind) = RecordKind::from_path(&kind) else {
        return json_response(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"Error": "records are disks, instances, images, snapshots, key-pairs or kms-keys"}),
        );
    };
    // The body within `--max-body-bytes` and the shared body budget, as
    // every body the server reads.
    let (body, _budget) = match read_body(&app, &headers, body).await {
        Ok(read) => read,
        Err(e) => return admin_error(body_status(&e), &e.message()),
    };
    let patch = match serde_json::from_slice::<Unique>(&body) {
        Ok(Unique(patch)) => patch,
        Err(e) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"Error": format!(".: not valid JSON: {e}"), "Path": "."}),
            );
        }
    };
    match app.store.patch(kind, &id, &patch, app.clock.now()) {
        Ok(()) => match super::persist::admin_durable(&*app).await {
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

/// A JSON value whose objects name each field once, at any depth: a patch
/// that names a field twice is refused (`duplicate field`), as the scenario
/// format's records refuse it, instead of the last one silently winning.
struct Unique(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Unique(value) = map.next_value()?;
            if fields.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate field `{key}`"
                )));
            }
            fields.insert(key, value);
        }
        Ok(serde_json::Value::Object(fields))
    }
}
