//! The HTTP layer: raw request bytes, as a client (or an attacker) sends
//! them, through hyper's HTTP/1 parser into `serve`'s router (the admin
//! guard, the body limits, the signature checks, the actions), over an
//! in-memory connection.
//!
//! Properties: never a panic; whatever arrives, the server answers with
//! zero or more whole HTTP/1.1 (or, to HTTP/1.0, 1.0) responses (every
//! answer starts with a status line) and then closes the connection, within a bound of time; an
//! answer's status is never 500 for a request that carried no world change
//! (nothing a client sends is an internal error, but a store the request
//! cannot write); with access keys configured, no admin endpoint and no
//! action answers 200 to an unsigned request.
//!
//! The answers are read back as a client reads them (heads, then bodies by
//! length or chunks): a first reading that split the output at every
//! `HTTP/1.1 ` took a `Host` of `HTTP/1.0 x`, echoed in a 403's body, for a
//! broken status line (2026-12-07, seeds/http/status-line-echoed-in-a-body).

#![no_main]

use std::net::SocketAddr;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use reinit_disk::scenario::Scenario;
use reinit_disk_cli::serve::{AccessKeys, Config, Limits, LogFormat, Timings, service};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The world every input starts from: a stopped instance with a system
/// disk, as examples/serve-world.json has it.
const WORLD: &str = r#"{"Disks": [{"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
  "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"}],
  "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
  "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}]}"#;

fn router(keys: bool) -> axum::Router {
    let access_keys = if keys {
        AccessKeys::parse(["LTAIfuzz:fuzzsecret"]).expect("a valid key")
    } else {
        AccessKeys::default()
    };
    let config = Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        timings: Timings::default(),
        revision: None,
        access_keys,
        admin_token: None,
        rate_limit: None,
        log_format: LogFormat::Text,
        manual_clock: true,
        limits: Limits {
            max_body_bytes: 4096,
            body_timeout: Duration::from_secs(1),
            ..Limits::default()
        },
        state: None,
        system_disk_detach: reinit_disk::SystemDiskDetach::default(),
    };
    let scenario = Scenario::from_json(WORLD).expect("the fuzz world is valid");
    service(config, scenario).expect("the router builds")
}

/// The status codes of the responses in `out`, in order; `None` when `out`
/// is not a run of whole HTTP/1.x responses. Each response is read as a
/// client reads it (its head by `httparse`, hyper's own parser, then its
/// body by `Content-Length` or chunks), so that a value the server echoes
/// in a body (a `Host` of `HTTP/1.0 x`) is not taken for a status line. A
/// head followed at once by another status line is a response without a
/// body (to `HEAD`: hyper sends its `Content-Length` and no body).
fn statuses(out: &[u8]) -> Option<Vec<u16>> {
    let mut rest = out;
    let mut found = Vec::new();
    while !rest.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(head) = response.parse(rest).ok()? else {
            return None;
        };
        found.push(response.code?);
        let value = |name: &str| {
            response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).into_owned())
        };
        let length = value("content-length");
        let chunked = value("transfer-encoding").is_some_and(|v| v.contains("chunked"));
        rest = rest.get(head..)?;
        if rest.starts_with(b"HTTP/1.") {
            continue;
        }
        rest = if chunked {
            after_chunks(rest)?
        } else if let Some(length) = length {
            rest.get(length.trim().parse::<usize>().ok()?..)?
        } else {
            // No length: the body runs to the end of the connection.
            &[]
        };
    }
    Some(found)
}

/// What follows a whole chunked body at the start of `body`; `None` if it
/// is cut short or malformed.
fn after_chunks(mut body: &[u8]) -> Option<&[u8]> {
    loop {
        let line = body.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(body.get(..line)?).ok()?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        body = body.get(line + 2..)?;
        if size == 0 {
            // No trailers: the blank line that ends the body.
            return body.strip_prefix(b"\r\n");
        }
        body = body.get(size..)?.strip_prefix(b"\r\n")?;
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, request)) = data.split_first() else {
        return;
    };
    let keys = mode & 1 == 1;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let out = runtime.block_on(async move {
        let (mut client, server) = tokio::io::duplex(1 << 17);
        let service = hyper_util::service::TowerToHyperService::new(router(keys));
        let connection = tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(server);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(1))
                .serve_connection(io, service)
                .await;
        });
        let mut out = Vec::new();
        let exchange = async {
            let _ = client.write_all(request).await;
            let _ = client.shutdown().await;
            let _ = client.read_to_end(&mut out).await;
        };
        let ended = tokio::time::timeout(Duration::from_secs(5), exchange).await;
        assert!(ended.is_ok(), "the connection did not end within 5 s");
        let _ = tokio::time::timeout(Duration::from_secs(1), connection).await;
        out
    });
    let Some(statuses) = statuses(&out) else {
        panic!(
            "an answer that is not HTTP/1.1: {:?}",
            String::from_utf8_lossy(&out)
        );
    };
    for status in &statuses {
        assert!(
            *status != 500,
            "500 for {:?}",
            String::from_utf8_lossy(request)
        );
    }
    if keys {
        // Unsigned requests carry no valid signature: nothing succeeds
        // (the signature can only be right by forging HMAC-SHA1/SHA-256).
        // `/_reinit-disk/health` is open by design.
        let text = String::from_utf8_lossy(request);
        if !text.contains("/_reinit-disk/health")
            && !text.contains("Signature")
            && !text.contains("ACS3")
        {
            assert!(
                statuses.iter().all(|s| *s != 200),
                "200 without a signature: {text:?}"
            );
        }
    }
});
