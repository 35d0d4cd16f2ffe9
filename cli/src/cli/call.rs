//! `reinit-disk call SCENARIO 'QUERY'`: an ECS request in, the HTTP response
//! out, as a client receives it.

use std::path::Path;
use std::process::ExitCode;

use reinit_disk::Revision;
use reinit_disk::echo::Echo;
use reinit_disk::wire::{HttpRequest, Ids, check_request_id, new_request_id, query_of, respond};

use super::{fail, load_scenario, print};

/// The command's arguments.
pub struct Args<'a> {
    /// The scenario file holding the world.
    pub scenario: &'a Path,
    /// The query string (or a URL).
    pub query: &'a str,
    /// `Name: value` headers.
    pub headers: &'a [String],
    /// A form body.
    pub body: Option<&'a str>,
    /// The response's RequestId.
    pub request_id: Option<&'a str>,
    /// The revision that answers, instead of the scenario's.
    pub revision: Option<&'static Revision>,
}

/// Runs the command.
pub fn run(args: &Args<'_>) -> ExitCode {
    let headers = match args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(headers) => headers,
        Err(message) => return fail(&message),
    };
    let fresh;
    let request_id = match args.request_id {
        Some(id) => match check_request_id(id) {
            Ok(()) => id,
            Err(e) => return fail(&format!("invalid --request-id {e}")),
        },
        None => {
            fresh = new_request_id();
            &fresh
        }
    };
    let scenario = match load_scenario(Some(args.scenario), args.revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let http = HttpRequest {
        query: query_of(args.query),
        body: args.body.unwrap_or_default().as_bytes(),
        headers: &headers,
    };
    let response = match respond(&http, &scenario, &scenario.policy, &Ids::new(request_id)) {
        Ok(response) => response,
        Err(e) => return fail(&e.to_string()),
    };
    print(response.to_http().as_bytes(), "the response")
}

/// `Name: value` to its two parts.
fn parse_header(header: &str) -> Result<(&str, &str), String> {
    match header.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim(), value.trim())),
        _ => Err(format!(
            "invalid --header {}: expected \"Name: value\", such as \"x-acs-action: ReInitDisk\" or \"Accept: application/json\"",
            Echo(header)
        )),
    }
}
