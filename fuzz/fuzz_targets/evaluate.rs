//! `evaluate` against the reference model, on small structured worlds.
//!
//! Properties: the decision equals the reference model's (tests/common/
//! reference.rs); evaluating twice gives the same answer; the trace follows
//! the policy's order and stops at the deciding check; a rejection carries
//! its catalogue row; an accepted request satisfies every precondition; the
//! same world behind another `World` implementation decides the same.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use reinit_disk::evaluate;
use reinit_disk_fuzz::{check_decision, in_memory, params, policy, world};

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let scenario = world(u)?;
    let policy = policy(u)?;
    let params = params(u)?;
    let request = params.request();
    let memory = in_memory(&scenario);

    check_decision(&request, &memory, &policy);
    check_decision(&request, &scenario, &policy);
    assert_eq!(
        evaluate(&request, &memory, &policy),
        evaluate(&request, &scenario, &policy),
        "two World implementations of the same world decide differently"
    );
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
