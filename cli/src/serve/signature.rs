//! Signature checks, on when the server is given access keys: ACS3-HMAC-SHA256
//! (the current SDKs: an `Authorization` header) and HMAC-SHA1 signature
//! version 1.0 (the older Python SDK, and the current SDKs' v2 mode:
//! `Signature` among the parameters). docs/serve.md gives the algorithms'
//! sources. A secret never appears in an error or a log line.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
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

/// The longest nonce accepted, in bytes. No ECS document found gives a
/// limit; the SDKs send 32 to 36 characters (a UUID, or 32 hex digits), so
/// 128 leaves room and bounds what one request makes the server remember.
pub const MAX_NONCE_BYTES: usize = 128;

/// What the nonce store may hold by default, in bytes (each nonce counted
/// as its length plus [`NONCE_OVERHEAD_BYTES`]): 64 MiB, about 300,000
/// nonces of 128 bytes, or 500,000 of 36.
pub const DEFAULT_NONCE_STORE_BYTES: usize = 64 << 20;

/// What one remembered nonce costs beside its bytes (the map's entry, the
/// expiry queue's entry and the shared string's header), counted against
/// the store's bound.
pub const NONCE_OVERHEAD_BYTES: usize = 96;

/// The headers an ACS3 `SignedHeaders` must list (and `content-type` when
/// the request has one): without them a captured signature could be
/// replayed with another nonce or date, another action or another body.
pub const REQUIRED_SIGNED_HEADERS: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

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

    /// The key's id as the server holds it, and its secret.
    fn get(&self, id: &str) -> Option<(&str, &str)> {
        self.0
            .get_key_value(id)
            .map(|(id, secret)| (id.as_str(), secret.as_str()))
    }
}

/// `--admin-token`: the bearer token the admin endpoints take. Compared in
/// time that does not depend on where it differs; never shown (`Debug`
/// writes a placeholder).
#[derive(Clone)]
pub struct AdminToken(String);

impl core::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AdminToken(..)")
    }
}

impl AdminToken {
    /// The token, as `--admin-token` takes it: 16 to 256 visible ASCII
    /// characters (what an `Authorization` header carries). The error
    /// never shows it.
    pub fn parse(text: &str) -> Result<Self, String> {
        if (16..=256).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "--admin-token: expected 16 to 256 visible ASCII characters, no spaces (got {} bytes; the token is not shown)",
                text.len()
            ))
        }
    }

    /// Whether `given` is the token.
    pub fn admits(&self, given: &str) -> bool {
        same(self.0.as_bytes(), given.as_bytes())
    }
}

/// The nonces seen, each remembered until the timestamp it came with
/// leaves the window (after which a replay is refused as expired anyway),
/// in a store bounded in bytes. Full, it refuses new nonces
/// ([`SignatureError::NonceStoreFull`]) rather than forget one that could
/// still be replayed.
pub struct Nonces {
    capacity: usize,
    store: Mutex<NonceStore>,
}

#[derive(Default)]
struct NonceStore {
    /// Each nonce and the time (seconds since the epoch) until which it is
    /// kept.
    seen: HashMap<std::sync::Arc<str>, i64>,
    /// The same nonces, the soonest to expire first.
    expiring: BinaryHeap<Reverse<(i64, std::sync::Arc<str>)>>,
    /// What they cost, as [`NONCE_OVERHEAD_BYTES`] counts.
    bytes: usize,
}

impl Default for Nonces {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_NONCE_STORE_BYTES)
    }
}

impl core::fmt::Debug for Nonces {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Nonces")
            .field("capacity", &self.capacity)
            .field("bytes", &self.bytes())
            .finish_non_exhaustive()
    }
}

impl Nonces {
    /// A store that holds at most `capacity` bytes of nonces.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            store: Mutex::new(NonceStore::default()),
        }
    }

    /// What the nonces remembered cost now, in bytes.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NonceStore> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `nonce`, signed with the timestamp `at`, at `now` (seconds
    /// since the epoch): refused if seen already, too long, or if the
    /// store is full of nonces that could still be replayed.
    fn first_use(&self, nonce: &str, at: i64, now: i64) -> Result<(), SignatureError> {
        if nonce.len() > MAX_NONCE_BYTES {
            return Err(SignatureError::NonceTooLong);
        }
        let mut store = self.lock();
        // Forget what can no longer be replayed: a nonce whose timestamp
        // is more than the window behind `now`.
        while let Some(Reverse((until, _))) = store.expiring.peek() {
            if *until >= now {
                break;
            }
            if let Some(Reverse((_, old))) = store.expiring.pop() {
                store.seen.remove(&old);
                store.bytes = store
                    .bytes
                    .saturating_sub(old.len().saturating_add(NONCE_OVERHEAD_BYTES));
            }
        }
        if store.seen.contains_key(nonce) {
            return Err(SignatureError::NonceUsed);
        }
        let cost = nonce.len().saturating_add(NONCE_OVERHEAD_BYTES);
        if store.bytes.saturating_add(cost) > self.capacity {
            return Err(SignatureError::NonceStoreFull);
        }
        let until = at.saturating_add(MAX_SKEW_SECONDS);
        let shared: std::sync::Arc<str> = std::sync::Arc::from(nonce);
        store.seen.insert(std::sync::Arc::clone(&shared), until);
        store.expiring.push(Reverse((until, shared)));
        store.bytes = store.bytes.saturating_add(cost);
        Ok(())
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
/// keys, at `now` (seconds since the epoch); the id of the key that signed
/// it (what the throttle counts by).
pub fn verify<'k>(
    keys: &'k AccessKeys,
    nonces: &Nonces,
    method: &str,
    path: &str,
    http: &HttpRequest<'_>,
    now: i64,
) -> Result<&'k str, SignatureError> {
    match http.header("authorization") {
        Some(authorization) => verify_acs3(keys, nonces, method, path, http, authorization, now),
        None => verify_v1(keys, nonces, method, http, now),
    }
}

/// A timestamp exactly as ECS writes it, `YYYY-MM-DDThh:mm:ssZ` (UTC, no
/// fraction, no offset), in seconds since the epoch.
fn timestamp(text: &str) -> Result<i64, SignatureError> {
    // The parser takes each component zero-padded to its width and the
    // literals exactly, but a year with a sign (`+2016-...`): 20 bytes
    // leave no room for one.
    if text.len() != 20 {
        return Err(SignatureError::TimestampMalformed);
    }
    time::PrimitiveDateTime::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
    .map(|t| t.assume_utc().unix_timestamp())
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
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn verify_v1<'k>(
    keys: &'k AccessKeys,
    nonces: &Nonces,
    method: &str,
    http: &HttpRequest<'_>,
    now: i64,
) -> Result<&'k str, SignatureError> {
    let params = Params::decode(http);
    let signature = params
        .get("Signature")
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing("Signature"))?;
    let id = params
        .get("AccessKeyId")
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing("AccessKeyId"))?;
    let (id, secret) = keys.get(id).ok_or(SignatureError::UnknownAccessKey)?;
    for (name, expected) in [
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ] {
        match params.get(name) {
            None | Some("") => return Err(SignatureError::Missing(name)),
            Some(given) if given != expected => {
                return Err(SignatureError::UnsupportedMethod(name));
            }
            Some(_) => {}
        }
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
    nonces.first_use(nonce, at, now).map(|()| id)
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

/// Whether `SignedHeaders` lists every header a signature must cover:
/// [`REQUIRED_SIGNED_HEADERS`], and `content-type` when the request has
/// one.
fn covers_required(signed_headers: &str, http: &HttpRequest<'_>) -> bool {
    let listed = |name: &str| {
        signed_headers
            .split(';')
            .any(|listed| listed.eq_ignore_ascii_case(name))
    };
    REQUIRED_SIGNED_HEADERS.iter().all(|name| listed(name))
        && (http.header("content-type").is_none() || listed("content-type"))
}

fn verify_acs3<'k>(
    keys: &'k AccessKeys,
    nonces: &Nonces,
    method: &str,
    path: &str,
    http: &HttpRequest<'_>,
    authorization: &str,
    now: i64,
) -> Result<&'k str, SignatureError> {
    let (id, signed_headers, signature) =
        authorization_fields(authorization).ok_or(SignatureError::Incomplete)?;
    let (id, secret) = keys.get(id).ok_or(SignatureError::UnknownAccessKey)?;
    if !covers_required(signed_headers, http) {
        return Err(SignatureError::Incomplete);
    }
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
    // The body's hash as sent must be the body's: the signature covers the
    // header, and the canonical request the body itself.
    let sent_hash = http.header("x-acs-content-sha256").unwrap_or_default();
    if !same(expected.as_bytes(), signature.as_bytes())
        || !sent_hash.eq_ignore_ascii_case(&payload_hash)
    {
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
    nonces.first_use(nonce, at, now).map(|()| id)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed assumption is a failed test"
    )]
    use super::*;

    #[test]
    fn access_keys_are_empty_only_without_a_key() {
        assert!(AccessKeys::default().is_empty());
        assert!(AccessKeys::parse([]).unwrap().is_empty());
        let keys = AccessKeys::parse(["id:secret"]).unwrap();
        assert!(!keys.is_empty());
        assert_eq!(keys.get("id"), Some(("id", "secret")));
        assert_eq!(keys.get("other"), None);
    }

    #[test]
    fn an_empty_id_or_secret_is_refused_and_a_secret_may_hold_colons() {
        for bad in [":secret", "id:", ":", "no-colon", ""] {
            assert!(AccessKeys::parse([bad]).is_err(), "{bad:?}");
        }
        let error = AccessKeys::parse(["a:1", "b:"]).unwrap_err();
        assert!(error.contains("number 2"), "{error}");
        let keys = AccessKeys::parse(["id:s:e:c"]).unwrap();
        assert_eq!(keys.get("id"), Some(("id", "s:e:c")));
    }

    #[test]
    fn debug_shows_no_secret_no_token() {
        let keys = AccessKeys::parse(["id-1:s3cret-value"]).unwrap();
        let shown = format!("{keys:?}");
        assert!(
            shown.contains("id-1") && !shown.contains("s3cret"),
            "{shown}"
        );
        let token = AdminToken::parse("a-token-of-16-chars").unwrap();
        assert_eq!(format!("{token:?}"), "AdminToken(..)");
        let nonces = Nonces::with_capacity(4096);
        assert_eq!(
            format!("{nonces:?}"),
            "Nonces { capacity: 4096, bytes: 0, .. }"
        );
    }

    #[test]
    fn the_admin_token_is_bounded_and_compared_whole() {
        assert!(AdminToken::parse(&"t".repeat(15)).is_err());
        assert!(AdminToken::parse(&"t".repeat(16)).is_ok());
        assert!(AdminToken::parse(&"t".repeat(256)).is_ok());
        assert!(AdminToken::parse(&"t".repeat(257)).is_err());
        let error = AdminToken::parse("with a space 123456").unwrap_err();
        assert!(!error.contains("with a space"), "{error}");
        assert!(AdminToken::parse("tab\tinside-the-token").is_err());
        let token = AdminToken::parse("0123456789abcdef").unwrap();
        assert!(token.admits("0123456789abcdef"));
        assert!(!token.admits("0123456789abcdeF"));
        assert!(!token.admits("0123456789abcde"));
        assert!(!token.admits("0123456789abcdef0"));
        assert!(!token.admits(""));
    }

    #[test]
    fn the_comparison_needs_every_byte_and_the_length() {
        assert!(same(b"", b""));
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"xbc", b"abc"));
        // Two differences that would cancel out if they were xor-ed
        // together rather than or-ed.
        assert!(!same(b"\x01\x01", b"\x00\x00"));
        assert!(!same(b"\x03\x01", b"\x00\x02"));
        // A prefix is not the whole.
        assert!(!same(b"a", b"ab"));
        assert!(!same(b"ab", b"a"));
    }

    #[test]
    fn a_timestamp_is_taken_exactly_as_ecs_writes_it() {
        assert_eq!(timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(timestamp("2016-02-23T12:46:24Z"), Ok(1_456_231_584));
        for bad in [
            "2016-02-23T12:46:24",
            "2016-02-23T12:46:24.000Z",
            "2016-02-23T12:46:24+00:00",
            "2016-02-23 12:46:24Z",
            "2016-02-23t12:46:24Z",
            "2016-02-23T12:46:24z",
            "2016/02/23T12:46:24Z",
            "2016-02-23T12-46-24Z",
            "2016-02-23T12:46.24Z",
            "+016-02-23T12:46:24Z",
            "+2016-02-23T12:46:24Z",
            "-2016-02-23T12:46:24Z",
            "12016-02-23T12:46:24Z",
            "2016-2-23T12:46:24Z",
            "2016-02-23T2:46:24Z",
            " 2016-02-23T12:46:24Z",
            "2016-02-23T12:46:24Z ",
            "2016-02-23T12:46:60Z",
            "２016-02-23T12:46:24Z",
            "2016-02-23T12:46:2xZ",
            "2016-13-23T12:46:24Z",
            "2016-02-30T12:46:24Z",
            "2016-02-23T24:46:24Z",
            "",
        ] {
            assert_eq!(
                timestamp(bad),
                Err(SignatureError::TimestampMalformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn fresh_is_within_the_window_either_way_edges_included() {
        assert_eq!(fresh(1000, 1000 + MAX_SKEW_SECONDS), Ok(()));
        assert_eq!(fresh(1000, 1000 - MAX_SKEW_SECONDS), Ok(()));
        assert_eq!(
            fresh(1000, 1001 + MAX_SKEW_SECONDS),
            Err(SignatureError::TimestampExpired)
        );
        assert_eq!(
            fresh(1000, 999 - MAX_SKEW_SECONDS),
            Err(SignatureError::TimestampExpired)
        );
        assert_eq!(
            fresh(i64::MIN, i64::MAX),
            Err(SignatureError::TimestampExpired)
        );
    }

    #[test]
    fn a_nonce_is_kept_while_its_timestamp_is_in_the_window_and_not_after() {
        let nonces = Nonces::default();
        assert_eq!(nonces.first_use("n", 0, 0), Ok(()));
        assert_eq!(nonces.first_use("n", 0, 0), Err(SignatureError::NonceUsed));
        // Replayable up to `at + window` inclusive: kept that long.
        assert_eq!(
            nonces.first_use("n", 0, MAX_SKEW_SECONDS),
            Err(SignatureError::NonceUsed)
        );
        // A second later the request has expired; the nonce is forgotten
        // and its bytes freed.
        assert_eq!(
            nonces.first_use("m", MAX_SKEW_SECONDS, MAX_SKEW_SECONDS + 1),
            Ok(())
        );
        assert_eq!(nonces.bytes(), 1 + NONCE_OVERHEAD_BYTES);
        assert_eq!(nonces.first_use("n", 1, MAX_SKEW_SECONDS + 1), Ok(()));
        // A nonce with a timestamp ahead of the clock is kept until that
        // timestamp leaves the window.
        let ahead = Nonces::default();
        assert_eq!(ahead.first_use("a", 100 + MAX_SKEW_SECONDS, 100), Ok(()));
        assert_eq!(
            ahead.first_use("a", 0, 100 + 2 * MAX_SKEW_SECONDS),
            Err(SignatureError::NonceUsed)
        );
        assert_eq!(ahead.first_use("a", 0, 101 + 2 * MAX_SKEW_SECONDS), Ok(()));
    }

    #[test]
    fn the_store_is_bounded_in_bytes_and_refuses_rather_than_forgets() {
        let cost = |n: &str| n.len() + NONCE_OVERHEAD_BYTES;
        let nonces = Nonces::with_capacity(cost("aa") + cost("bbb"));
        assert_eq!(nonces.first_use("aa", 0, 0), Ok(()));
        assert_eq!(nonces.first_use("bbb", 0, 0), Ok(()));
        assert_eq!(nonces.bytes(), cost("aa") + cost("bbb"));
        assert_eq!(
            nonces.first_use("c", 0, 10),
            Err(SignatureError::NonceStoreFull)
        );
        // Full, a replay is still refused as used.
        assert_eq!(
            nonces.first_use("aa", 0, 10),
            Err(SignatureError::NonceUsed)
        );
        // Once the first two leave the window there is room again.
        assert_eq!(
            nonces.first_use("c", MAX_SKEW_SECONDS + 1, MAX_SKEW_SECONDS + 1),
            Ok(())
        );
        assert_eq!(nonces.bytes(), cost("c"));
    }

    #[test]
    fn a_nonce_of_more_than_128_bytes_is_refused() {
        let nonces = Nonces::default();
        assert_eq!(nonces.first_use(&"x".repeat(MAX_NONCE_BYTES), 0, 0), Ok(()));
        assert_eq!(
            nonces.first_use(&"y".repeat(MAX_NONCE_BYTES + 1), 0, 0),
            Err(SignatureError::NonceTooLong)
        );
        assert_eq!(nonces.bytes(), MAX_NONCE_BYTES + NONCE_OVERHEAD_BYTES);
    }

    #[test]
    fn signed_headers_must_cover_the_required_ones_and_a_content_type() {
        let all =
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";
        let bare = HttpRequest::default();
        assert!(covers_required(all, &bare));
        assert!(covers_required(&all.to_ascii_uppercase(), &bare));
        for left_out in REQUIRED_SIGNED_HEADERS {
            let thin: Vec<&str> = all.split(';').filter(|h| *h != left_out).collect();
            assert!(!covers_required(&thin.join(";"), &bare), "{left_out}");
        }
        let headers = [("Content-Type", "application/json")];
        let typed = HttpRequest {
            headers: &headers,
            ..HttpRequest::default()
        };
        assert!(!covers_required(all, &typed));
        assert!(covers_required(&format!("content-type;{all}"), &typed));
    }

    #[test]
    fn an_authorization_header_is_whole_or_nothing() {
        assert_eq!(
            authorization_fields("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab"),
            Some(("id", "host", "ab"))
        );
        for bad in [
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab,Extra=1",
            "HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature",
        ] {
            assert_eq!(authorization_fields(bad), None, "{bad}");
        }
    }
}
