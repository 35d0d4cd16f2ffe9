//! What a preflight found, as one value: the decision with every unknown
//! fact at its first value, the unknown facts with their values, and every
//! outcome they lead to, each with the fewest unknown facts away from their
//! first value that lead there. `reinit-disk preflight --format json`
//! prints it (its fields in this order); the text report renders it.

use serde::Serialize;

use super::{Outcome, Situation};
use crate::scenario::Decision;
use crate::{Check, Code};

/// A preflight's findings ([`Situation::report`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report<'a> {
    /// The disk the preflight is of.
    pub disk_id: &'a str,
    /// The revision that decides.
    pub revision: &'static str,
    /// Whether every fact the rules read is known (one situation).
    pub known: bool,
    /// The decision, as `eval` prints it, with every unknown fact at its
    /// first value.
    pub decision: Decision,
    /// The unknown facts, in the situation's order.
    pub unknown: Vec<UnknownFact<'a>>,
    /// Every outcome the situations lead to.
    pub outcomes: Vec<OutcomeReport<'a>>,
    /// What no Describe* response shows and the preflight takes as the
    /// documents say it usually is.
    pub assumed: &'a [&'static str],
}

/// An unknown fact, as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnknownFact<'a> {
    /// The fact: `instance i-1 Status`.
    pub fact: &'a str,
    /// Why it is unknown: `instances.json does not list i-1`.
    pub why: &'a str,
    /// Its values' labels, the assumed one first.
    pub values: Vec<&'a str>,
}

/// One outcome, as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OutcomeReport<'a> {
    /// Whether the disk is re-initialized.
    pub accepted: bool,
    /// The HTTP status: 200 when accepted.
    pub http_status: u16,
    /// The code, when rejected.
    pub code: Option<Code>,
    /// The deciding check, when rejected.
    pub check: Option<Check>,
    /// How many situations end so.
    pub situations: u64,
    /// The unknown facts away from their first value in the simplest
    /// situation that ends so.
    pub when: Vec<FactValue<'a>>,
}

/// An unknown fact at one of its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FactValue<'a> {
    /// The fact.
    pub fact: &'a str,
    /// The label of its value.
    pub value: &'a str,
}

impl Situation {
    /// The report of the preflight of `disk_id` on this situation, whose
    /// `outcomes` were found by [`Situation::outcomes`].
    pub fn report<'a>(&'a self, disk_id: &'a str, outcomes: &[Outcome]) -> Report<'a> {
        Report {
            disk_id,
            revision: self.scenario.policy.revision().name,
            known: self.unknowns.is_empty(),
            decision: self.scenario.decide(),
            unknown: (self.unknowns.iter())
                .map(|u| UnknownFact {
                    fact: &u.fact,
                    why: &u.why,
                    values: u.values.iter().map(|c| c.label.as_str()).collect(),
                })
                .collect(),
            outcomes: (outcomes.iter())
                .map(|o| OutcomeReport {
                    accepted: o.decision.accepted,
                    http_status: o.decision.http_status,
                    code: o.decision.code,
                    check: o.decision.check,
                    situations: o.situations,
                    when: (self.changed(&o.witness).into_iter())
                        .map(|(fact, value)| FactValue { fact, value })
                        .collect(),
                })
                .collect(),
            assumed: &self.assumed,
        }
    }
}
