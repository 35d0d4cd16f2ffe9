//! A fresh `RequestId`, in ECS's form.

/// A fresh `RequestId` as ECS makes them: a random (version 4) UUID in
/// uppercase, 8-4-4-4-12, such as `F3CD6886-D8D0-4FEE-B93E-1B73239673DE`.
///
/// The one function of the crate that draws a random number; nothing in
/// [`evaluate`](crate::evaluate) or the encoders calls it.
pub fn new_request_id() -> String {
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_upper(&mut buffer)
        .to_owned()
}
