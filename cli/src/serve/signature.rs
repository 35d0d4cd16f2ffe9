//! Signature checks, on when the server is given access keys: ACS3-HMAC-SHA256
//! (the current SDKs: an `Authorization` header) and HMAC-SHA1 signature
//! version 1.0 (the older Python SDK, and the current SDKs' v2 mode:
//! `Signature` among the parameters). docs/serve.md gives the algorithms'
//! sources. A secret never appears in an error or a log line.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

use super::errors::SignatureError;
use reinit_disk::wire::{HttpRequest, Params};

/// How far a request's timestamp may be from the server's clock: 15
/// minutes, either way.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// The most nonces remembered; past it, those older than the skew window
/// (which a replay could not use anyway) are forgotten first.
const MAX_NONCES: usize = 1 << 20;

/// The access keys the server accepts: id to secret.
#[derive(Clone, Default)]
pub struct AccessKeys(HashMap<String, String>);

impl core::fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The ids, never the secrets.
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl AccessKeys {
    /// The keys, from `ID:SECRET` arguments; the error names the argument
    /// by its id only.
    pub fn parse<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut keys = HashMap::new();
        for (n, arg) in args.into_iter().enumerate() {
            match arg.split_once(':') {
                Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
                    if keys.insert(id.to_owned(), secret.to_owned()).is_some() {
                        return Err(format!(
                            "--access-key {}: given twice",
                            reinit_disk::echo::Echo(id)
                        ));
                    }
                }
                _ => {
                    return Err(format!(
                        "--access-key number {}: expected ID:SECRET (both not empty; the secret is not shown)",
                        n + 1
                    ));
                }
            }
        }
        Ok(Self(keys))
    }

    /// Whether no key was given (signatures then go unchecked).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn secret(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }
}

/// The nonces seen, with the time each was seen (seconds since the epoch).
#[derive(Default)]
pub struct Nonces(Mutex<HashMap<String, i64>>);

impl Nonces {
    /// Records `nonce` at `now`; false if it was seen already.
    fn first_use(&self, nonce: &str, now: i64) -> bool {
        let mut seen = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= MAX_NONCES {
            seen.retain(|_, at| now.saturating_sub(*at) <= MAX_SKEW_SECONDS);
        }
        if seen.len() >= MAX_NONCES {
            seen.clear();
        }
        seen.insert(nonce.to_owned(), now).is_none()
    }
}

/// What RFC 3986 leaves unreserved: letters, digits, `-`, `_`, `.`, `~`.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// Checks `http`'s signature (`method` and `path` as sent) against the
/// keys, at `now` (seconds since the epoch).
pub fn verify(
    keys: &AccessKeys,
    nonces: &Nonces,
    method: &str,
    path: &str,
    http: &HttpRequest<'_>,
    now: i64,
) -> Result<(), SignatureError> {
    match http.header("authorization") {
        Some(authorization) => verify_acs3(keys, nonces, method, path, http, authorization, now),
        None => verify_v1(keys, nonces, method, http, now),
    }
}

/// A timestamp `2025-02-27T08:00:00Z`, in seconds since the epoch.
fn timestamp(text: &str) -> Result<i64, SignatureError> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(time::OffsetDateTime::unix_timestamp)
        .map_err(|_| SignatureError::TimestampMalformed)
}

fn fresh(at: i64, now: i64) -> Result<(), SignatureError> {
    if now.abs_diff(at) > MAX_SKEW_SECONDS.unsigned_abs() {
        Err(SignatureError::TimestampExpired)
    } else {
        Ok(())
    }
}

/// Compares in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn verify_v1(
    keys: &AccessKeys,
    nonces: &Nonces,
    method: &str,
    http: &HttpRequest<'_>,
    now: i64,
) -> Result<(), SignatureError> {
    let params = Params::decode(http);
    let signature = params
        .get("Signature")
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing("Signature"))?;
    let id = params
        .get("AccessKeyId")
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing("AccessKeyId"))?;
    let secret = keys.secret(id).ok_or(SignatureError::UnknownAccessKey)?;
    if params
        .get("SignatureMethod")
        .is_some_and(|m| m != "HMAC-SHA1")
    {
        return Err(SignatureError::UnsupportedMethod("SignatureMethod"));
    }
    if params.get("SignatureVersion").is_some_and(|v| v != "1.0") {
        return Err(SignatureError::UnsupportedMethod("SignatureVersion"));
    }
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(name, _)| *name != "Signature")
        .map(|(name, value)| (encode(name), encode(value)))
        .collect();
    pairs.sort();
    pairs.dedup();
    let canonical = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let to_sign = format!("{method}&{}&{}", encode("/"), encode(&canonical));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .map_err(|_| SignatureError::DoesNotMatchV1(to_sign.clone()))?;
    mac.update(to_sign.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if !same(expected.as_bytes(), signature.as_bytes()) {
        return Err(SignatureError::DoesNotMatchV1(to_sign));
    }
    let at = timestamp(params.get("Timestamp").ok_or(SignatureError::NoTimestamp)?)?;
    fresh(at, now)?;
    let nonce = params
        .get("SignatureNonce")
        .filter(|n| !n.is_empty())
        .ok_or(SignatureError::Missing("SignatureNonce"))?;
    if nonces.first_use(nonce, now) {
        Ok(())
    } else {
        Err(SignatureError::NonceUsed)
    }
}

/// `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex`.
fn authorization_fields(authorization: &str) -> Option<(&str, &str, &str)> {
    let rest = authorization.strip_prefix("ACS3-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for field in rest.split(',') {
        match field.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return None,
        }
    }
    Some((credential?, signed?, signature?))
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            use core::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn verify_acs3(
    keys: &AccessKeys,
    nonces: &Nonces,
    method: &str,
    path: &str,
    http: &HttpRequest<'_>,
    authorization: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let (id, signed_headers, signature) =
        authorization_fields(authorization).ok_or(SignatureError::Incomplete)?;
    let secret = keys.secret(id).ok_or(SignatureError::UnknownAccessKey)?;
    // The query, each pair decoded then encoded again the canonical way,
    // sorted.
    let mut query: Vec<(String, String)> = http
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // A `+` is a space (the current Python SDK encodes with
            // `urlencode`).
            let decode = |t: &str| {
                percent_decode_str(&t.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (encode(&decode(name)), encode(&decode(value)))
        })
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let value = http.header(name).ok_or(SignatureError::Incomplete)?;
        canonical_headers.push_str(&name.to_ascii_lowercase());
        canonical_headers.push(':');
        canonical_headers.push_str(value.trim());
        canonical_headers.push('\n');
    }
    let payload_hash = hex(&Sha256::digest(http.body));
    let canonical_path = if path.is_empty() { "/" } else { path };
    let canonical_request = format!(
        "{method}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"
    );
    let to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| SignatureError::DoesNotMatchV3(to_sign.clone()))?;
    mac.update(to_sign.as_bytes());
    let expected = hex(&mac.finalize().into_bytes());
    if !same(expected.as_bytes(), signature.as_bytes()) {
        return Err(SignatureError::DoesNotMatchV3(to_sign));
    }
    let at = timestamp(
        http.header("x-acs-date")
            .ok_or(SignatureError::NoTimestamp)?,
    )?;
    fresh(at, now)?;
    let nonce = http
        .header("x-acs-signature-nonce")
        .filter(|n| !n.is_empty())
        .ok_or(SignatureError::Missing("x-acs-signature-nonce"))?;
    if nonces.first_use(nonce, now) {
        Ok(())
    } else {
        Err(SignatureError::NonceUsed)
    }
}
