//! A conformance corpus: one entry per decision class of a policy's space
//! ([`decision_classes`]), each its witness as a scenario with the decision
//! `eval` gives it ([`corpus`]) and, with the `wire` feature, the HTTP
//! exchange an official SDK has for it ([`http_corpus`]): the request the
//! Python SDK `alibabacloud_ecs20140526` sends, the world an emulator loads
//! first, and the exact response. `reinit-disk corpus` renders them
//! (docs/corpus.md).

use crate::policy::Policy;
use crate::scenario::{Decision, Scenario};

use super::{DecisionClass, Witness, decision_classes};

/// One decision class of a policy's space, as the corpus writes it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The class's number in the corpus, from 1.
    pub number: usize,
    /// The class: its witness, its decision, how many situations it holds.
    pub class: DecisionClass,
    /// The witness as a scenario under the policy, its `Description`
    /// naming the class, the answer and its count of situations (`class 3:
    /// SharedImageDeleted by source-image-exists (6 situations)`).
    pub scenario: Scenario,
    /// The decision `eval` prints for the scenario.
    pub decision: Decision,
}

impl Entry {
    /// The witness (a [`World`](crate::World) and a request).
    pub const fn witness(&self) -> &Witness {
        &self.class.witness
    }
}

/// Every decision class of `policy`'s space, the plainest first: one
/// witness scenario each, with the decision `eval` gives it. An emulator
/// that answers every scenario as the decision says answers every class of
/// situations the rules tell apart.
pub fn corpus(policy: &Policy) -> Vec<Entry> {
    decision_classes(policy)
        .into_iter()
        .enumerate()
        .map(|(at, class)| {
            let number = at.saturating_add(1);
            let decision = Decision::from(&class.decided);
            let answer = match (&decision.code, &decision.check) {
                (Some(code), Some(check)) => format!("{code} by {check}"),
                _ => "accepted".to_owned(),
            };
            let mut scenario = class.witness.to_scenario(*policy);
            scenario.description = Some(format!(
                "class {number}: {answer} ({} situations)",
                class.situations
            ));
            Entry {
                number,
                class,
                scenario,
                decision,
            }
        })
        .collect()
}

#[cfg(feature = "wire")]
pub use http::{
    API_VERSION, ExpectedResponse, HttpCorpusError, HttpExchange, SdkRequest, corpus_request_id,
    http_corpus, http_exchange,
};

#[cfg(feature = "wire")]
mod http {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    use serde::Serialize;

    use super::{Entry, corpus};
    use crate::engine::evaluate;
    use crate::outcome::Target;
    use crate::policy::Policy;
    use crate::request::{ACTION, Param};
    use crate::scenario::{Decision, Scenario};
    use crate::wire::{EncodeError, HttpRequest, Ids, Params, Response, encode_outcome};

    /// The API version the SDK names in `x-acs-version`.
    pub const API_VERSION: &str = "2014-05-26";

    /// What Python's `urllib.parse.urlencode` leaves as it is (the SDK
    /// builds its query with it): letters, digits and `_.-~`; a space is
    /// written `+` apart.
    const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'_')
        .remove(b'.')
        .remove(b'-')
        .remove(b'~');

    /// The request the official Python SDK (`alibabacloud_ecs20140526`,
    /// `Client.re_init_disk`) sends for a witness's parameters, as it sends
    /// it: `POST /`, an empty body, the parameters in the query string, the
    /// action in the `x-acs-action` header.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "PascalCase")]
    #[non_exhaustive]
    pub struct SdkRequest {
        /// `POST`.
        pub method: &'static str,
        /// `/`.
        pub path: &'static str,
        /// The query string, without the `?`: every parameter but `Action`,
        /// sorted by name (the SDK's own order: its request model's fields,
        /// alphabetical), percent-encoded as the SDK encodes it (`+` for a
        /// space, `%2F` for `/`); `AutoStartInstance` as Python writes a
        /// boolean, `True` or `False`.
        pub query: String,
        /// The headers that say what the request is, lower case, in the
        /// order the SDK sends them: `x-acs-action` (the witness's
        /// `Action`), `x-acs-version` and `accept: application/json`. The
        /// SDK's per-request headers (`x-acs-date`, the nonce, the
        /// signature) are left out: an emulator that checks signatures
        /// needs the harness to sign.
        #[serde(serialize_with = "as_map")]
        pub headers: Vec<(&'static str, &'static str)>,
        /// The body: empty.
        pub body: &'static str,
    }

    /// Writes the pairs as a JSON object, in their order.
    fn as_map<S: serde::Serializer>(
        pairs: &[(&'static str, &'static str)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(pairs.iter().copied())
    }

    impl SdkRequest {
        /// The request the SDK sends for `params` (a witness's, each name
        /// once).
        pub fn of(params: &[(Param, &'static str)]) -> Self {
            let action = params
                .iter()
                .find(|(p, _)| *p == Param::Action)
                .map_or(ACTION, |(_, v)| *v);
            let mut query: Vec<(&'static str, &'static str)> = params
                .iter()
                .filter(|(p, _)| *p != Param::Action)
                .map(|(p, v)| (p.as_str(), sdk_value(*p, v)))
                .collect();
            query.sort_unstable();
            let query = query
                .iter()
                .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
                .collect::<Vec<_>>()
                .join("&");
            Self {
                method: "POST",
                path: "/",
                query,
                headers: vec![
                    ("x-acs-action", action),
                    ("x-acs-version", API_VERSION),
                    ("accept", "application/json"),
                ],
                body: "",
            }
        }

        /// The request target: the path, then `?` and the query if any.
        pub fn target(&self) -> String {
            if self.query.is_empty() {
                self.path.to_owned()
            } else {
                format!("{}?{}", self.path, self.query)
            }
        }

        /// The request as the wire layer reads it.
        pub fn as_http(&self) -> HttpRequest<'_> {
            HttpRequest {
                query: &self.query,
                body: self.body.as_bytes(),
                headers: &self.headers,
            }
        }
    }

    /// A value as the SDK writes it: a boolean parameter's `true` or
    /// `false` (any case) as Python prints a `bool`; any other as it is.
    fn sdk_value(param: Param, value: &'static str) -> &'static str {
        match param {
            Param::AutoStartInstance if value.eq_ignore_ascii_case("true") => "True",
            Param::AutoStartInstance if value.eq_ignore_ascii_case("false") => "False",
            _ => value,
        }
    }

    /// `text` encoded as `urllib.parse.urlencode` encodes it.
    fn encode(text: &str) -> String {
        utf8_percent_encode(text, QUERY_VALUE)
            .to_string()
            .replace("%20", "+")
    }

    /// The `RequestId` the corpus's response to class `number` carries, in
    /// ECS's form (an uppercase UUID): `00000000-0000-4000-8000-` and the
    /// number in 12 digits.
    pub fn corpus_request_id(number: usize) -> String {
        format!("00000000-0000-4000-8000-{:012}", number % 1_000_000_000_000)
    }

    /// One class's HTTP exchange: the world to load, the SDK's request and
    /// the exact response. Serialized as one line of `reinit-disk corpus
    /// --format http` (docs/corpus.md).
    #[derive(Clone, Debug, PartialEq, Serialize)]
    #[serde(rename_all = "PascalCase")]
    #[non_exhaustive]
    pub struct HttpExchange {
        /// The class's number, from 1 (the line of `--format scenarios`).
        pub class: usize,
        /// The class: its number, answer and count of situations.
        pub description: String,
        /// The world (and policy) an emulator loads before the request:
        /// the class's scenario with an empty `Request` (`reinit-disk
        /// serve` takes it as it is at `PUT /_reinit-disk/world`).
        pub world: Scenario,
        /// The request.
        pub request: SdkRequest,
        /// The response.
        pub response: ExpectedResponse,
    }

    /// The exact response to an exchange's request.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "PascalCase")]
    #[non_exhaustive]
    pub struct ExpectedResponse {
        /// The HTTP status.
        pub status: u16,
        /// The `Content-Type` header's value.
        pub content_type: &'static str,
        /// The `RequestId` the body carries ([`corpus_request_id`]): an
        /// emulator makes its own, so a harness puts the one it got in
        /// its place (in `RequestId` and in `Recommend`'s `requestId`)
        /// before comparing bytes.
        pub request_id: String,
        /// The error's code; `null` for a success.
        pub code: Option<&'static str>,
        /// The error's message; `null` for a success.
        pub message: Option<&'static str>,
        /// The body, exactly.
        pub body: String,
    }

    /// Why an exchange could not be written (nothing in the corpus gives
    /// either: the witnesses' parameters decode, and JSON carries any
    /// `RequestId`).
    #[derive(Debug, thiserror::Error)]
    #[non_exhaustive]
    pub enum HttpCorpusError {
        /// The SDK's request does not decode (the witness's parameters
        /// cannot be sent as they are).
        #[error("class {class}: the SDK's request does not decode: parameter {parameter:?}")]
        Malformed {
            /// The class's number.
            class: usize,
            /// The parameter at fault.
            parameter: String,
        },
        /// The response could not be encoded.
        #[error("class {class}: {source}")]
        Encode {
            /// The class's number.
            class: usize,
            /// Why.
            source: EncodeError,
        },
        /// The SDK's request is decided otherwise than the witness's
        /// scenario (a value the SDK writes differently is read
        /// differently).
        #[error(
            "class {class}: the SDK's request gets {}, the scenario {}: the corpus would contradict itself",
            .got.unwrap_or("accepted"),
            .expected.unwrap_or("accepted")
        )]
        Disagrees {
            /// The class's number.
            class: usize,
            /// The scenario's code (`None`: accepted).
            expected: Option<&'static str>,
            /// The HTTP request's code.
            got: Option<&'static str>,
        },
    }

    /// The HTTP exchange of `entry` under `policy`: the SDK's request for
    /// its witness, decided against the witness by the wire layer's steps
    /// (decode, [`evaluate`], [`encode_outcome`]: what
    /// [`respond`](crate::wire::respond) does) with the class's
    /// [`corpus_request_id`].
    pub fn http_exchange(entry: &Entry, policy: &Policy) -> Result<HttpExchange, HttpCorpusError> {
        let class = entry.number;
        let request = SdkRequest::of(&entry.witness().params);
        let http = request.as_http();
        let params = Params::decode(&http);
        let decoded = params
            .request()
            .map_err(|malformed| HttpCorpusError::Malformed {
                class,
                parameter: malformed.parameter.clone(),
            })?;
        let outcome: Result<Target<'_>, _> = evaluate(&decoded, entry.witness(), policy);
        let decision = Decision::from(&outcome);
        if decision != entry.decision {
            return Err(HttpCorpusError::Disagrees {
                class,
                expected: entry.decision.code.map(|c| c.as_str()),
                got: decision.code.map(|c| c.as_str()),
            });
        }
        let request_id = corpus_request_id(class);
        let Response {
            status,
            format,
            body,
        } = encode_outcome(params.format(), &Ids::new(&request_id), &outcome)
            .map_err(|source| HttpCorpusError::Encode { class, source })?;
        let (code, message) = match &outcome {
            Ok(_) => (None, None),
            Err(rejection) => (Some(rejection.code().as_str()), Some(rejection.message())),
        };
        let mut world = entry.scenario.clone();
        world.request.clear();
        Ok(HttpExchange {
            class,
            description: entry.scenario.description.clone().unwrap_or_default(),
            world,
            request,
            response: ExpectedResponse {
                status,
                content_type: format.content_type(),
                request_id,
                code,
                message,
                body,
            },
        })
    }

    /// The HTTP exchange of every class of `policy`'s space ([`corpus`],
    /// [`http_exchange`]), in the corpus's order.
    pub fn http_corpus(policy: &Policy) -> Result<Vec<HttpExchange>, HttpCorpusError> {
        corpus(policy)
            .iter()
            .map(|entry| http_exchange(entry, policy))
            .collect()
    }
}
