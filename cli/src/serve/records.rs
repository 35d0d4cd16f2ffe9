//! The pieces of `serve`'s answers that several actions share: a response
//! document, the full ECS record of a disk or an instance of the world
//! (written by the library's `ecs` module with the world-level
//! [`DEFAULTS`]), and the parameters every action reads alike. Below
//! actions.rs and describe.rs, which both use it; no I/O.

use std::sync::LazyLock;

use super::errors::ApiError;
use reinit_disk::InMemoryWorld;
use reinit_disk::ecs::{self, Defaults, Describer, Fields, Layout, device_among};
use reinit_disk::model::{Disk, DiskSource, DiskType, Instance};
use reinit_disk::wire::{
    Document, EncodeError, Format, Params, Response, encode_document, to_document,
};

/// A response of `value` under `root` (XML) in `format`, status 200.
pub(super) fn document(format: Format, root: &str, value: &Document) -> Result<Response, ApiError> {
    let body = encode_document(format, root, value).map_err(ApiError::Encode)?;
    Ok(Response {
        status: 200,
        format,
        body,
    })
}

/// A text field.
pub(super) fn text(value: &str) -> Document {
    Document::Text(value.to_owned())
}

pub(super) fn count(n: usize) -> Document {
    Document::Number(u64::try_from(n).unwrap_or(u64::MAX))
}

/// The world-level defaults of the records the server writes (docs/ecs.md):
/// `cn-hangzhou`, `cn-hangzhou-i`, `ecs.g7.large`, ...
pub(super) static DEFAULTS: LazyLock<Defaults> = LazyLock::new(Defaults::default);

/// A disk of `world` as `DescribeDisks` shows it: the library's full ECS
/// record (every field of the SDK's model; docs/ecs.md gives each
/// default), its `Device` by its place among its instance's disks.
pub fn disk_document(
    world: &InMemoryWorld,
    fields: &Fields,
    disk: &Disk,
) -> Result<Document, EncodeError> {
    let device = disk
        .instance_id
        .as_deref()
        .and_then(|i| device_among(world.disks_of(i), &disk.id))
        .unwrap_or_default();
    to_document(
        &Describer::with_layout(Layout::default(), &DEFAULTS)
            .with_fields(fields)
            .disk_at(disk, &device),
    )
}

/// An instance of `world` as `DescribeInstances` shows it: the library's
/// full ECS record, running its system disk's image, its addresses
/// numbered by its place in the world.
pub fn instance_document(
    world: &InMemoryWorld,
    fields: &Fields,
    instance: &Instance,
) -> Result<Document, EncodeError> {
    to_document(&instance_record(world, fields, instance))
}

/// The full ECS record of `instance`, as [`instance_document`] writes it.
pub(super) fn instance_record(
    world: &InMemoryWorld,
    fields: &Fields,
    instance: &Instance,
) -> ecs::Instance {
    Describer::with_layout(Layout::default(), &DEFAULTS)
        .with_fields(fields)
        .instance_at(
            instance,
            image_of(world, &instance.id),
            world.instance_position(&instance.id).unwrap_or_default(),
        )
}

/// A parameter's value, `None` when absent or empty (as ECS reads an empty
/// filter: not given).
pub(super) fn given<'p>(params: &'p Params<'_>, name: &str) -> Option<&'p str> {
    params.get(name).filter(|v| !v.is_empty())
}

/// A boolean parameter: `true` or `false` (any case); anything else is
/// refused with the common `InvalidParameter`, naming it.
pub fn boolean(params: &Params<'_>, name: &'static str) -> Result<Option<bool>, ApiError> {
    match given(params, name) {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::InvalidParameter(name)),
    }
}

/// The image an instance runs: its system disk's (empty if the world has
/// none attached to it).
pub fn image_of<'w>(world: &'w InMemoryWorld, instance_id: &'w str) -> &'w str {
    world
        .disks_of(instance_id)
        .find(|d| d.disk_type() == DiskType::System)
        .and_then(|d| match &d.source {
            DiskSource::Image { image_id, .. } => Some(image_id.as_str()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A JSON answer of the admin endpoints.
pub(super) fn json_response(
    status: axum::http::StatusCode,
    body: &serde_json::Value,
) -> axum::response::Response {
    let mut response = axum::response::IntoResponse::into_response((status, body.to_string()));
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}
