//! Scenario text into the scenario parser: the input's bytes as they are
//! (lossy UTF-8), and a hostile document the same bytes generate (issue 9):
//! creation times across the whole representable range and beyond it, with
//! offsets; enum fields given values of every JSON type; keys given twice;
//! a byte-order mark; non-characters, controls and long values.
//!
//! Properties: never a panic; an invalid scenario gets an error that names a
//! place and says what is wrong, on one line, its echoed values capped; a
//! document that is valid JSON is never called "not valid JSON" (a type
//! error names its field); a parameter given twice in `Request` is refused
//! at `Request.<name>`; a valid one evaluates, agrees with the reference
//! model, decides the same in an `InMemoryWorld`, gives a decision that
//! round-trips through JSON, and re-serialised (creation times displayed)
//! parses to an equal scenario.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{ACTION, Param, evaluate};
use reinit_disk_fuzz::{check_decision, in_memory};
use serde_json::{Value, json};

/// The most characters a path or a message may have once capped (the
/// limit, the cut's note, and room for the accepted values).
const MOST_CHARS: usize = 1_100;

fn check(text: &str, duplicate_parameter: Option<&str>) {
    match Scenario::from_json(text) {
        Err(e) => {
            assert!(!e.path.is_empty(), "an error names no place: {e:?}");
            assert!(!e.message.is_empty(), "an error says nothing: {e:?}");
            assert_eq!(e.to_string(), format!("{}: {}", e.path, e.message));
            for part in [&e.path, &e.message] {
                assert!(part.chars().count() <= MOST_CHARS, "not capped: {e}");
                assert!(!part.contains(char::is_control), "not one line: {e:?}");
            }
            let document = text.strip_prefix('\u{feff}').unwrap_or(text);
            if serde_json::from_str::<serde::de::IgnoredAny>(document).is_ok() {
                assert!(
                    !e.message.starts_with("not valid JSON"),
                    "valid JSON called invalid (a type error lost its field): {e}"
                );
            }
            if let Some(name) = duplicate_parameter {
                assert!(e.path.starts_with("Request"), "{name} twice: {e}");
            }
        }
        Ok(scenario) => {
            assert_eq!(duplicate_parameter, None, "a parameter twice is accepted");
            let request = scenario.request();
            check_decision(&request, &scenario, &scenario.policy);
            let memory = in_memory(&scenario);
            let result = scenario.evaluate();
            assert_eq!(evaluate(&request, &memory, &scenario.policy), result);

            let decision = scenario.decide();
            assert_eq!(decision, Decision::from(&result));
            assert_eq!(decision.accepted, result.is_ok());
            assert_eq!(decision.accepted, decision.code.is_none());
            assert_eq!(decision.accepted, decision.target.is_some());
            let printed = serde_json::to_string(&decision).expect("a decision serializes");
            let reread: Decision = serde_json::from_str(&printed).expect("a decision parses");
            assert_eq!(reread, decision);

            for snapshot in &scenario.snapshots {
                let shown = snapshot.creation_time.to_string();
                assert_eq!(shown.parse().ok(), Some(snapshot.creation_time), "{shown}");
            }
            let json = serde_json::to_string(&scenario).expect("a scenario serializes");
            let again = Scenario::from_json(&json)
                .unwrap_or_else(|e| panic!("re-serialised scenario {json} is refused: {e}"));
            assert_eq!(again, scenario, "re-serialised scenario differs: {json}");
        }
    }
}

/// A creation time as text: any date and time, the first and last days of
/// the range most often, with `Z`, an offset up to ±23:59, or ECS's minute
/// form; sometimes a signed or five-digit year.
fn creation_time(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let (year, month, day) = match u.int_in_range(0..=3u8)? {
        0 => (0, 1, 1),
        1 => (9999, 12, 31),
        2 => (
            u.int_in_range(0..=9999)?,
            u.int_in_range(1..=12)?,
            u.int_in_range(1..=28)?,
        ),
        _ => (
            *u.choose(&[0, 1, 2013, 9998, 9999])?,
            u.int_in_range(1..=12)?,
            u.int_in_range(1..=31)?,
        ),
    };
    let edge = u.ratio(1, 2)?;
    let (hour, minute, second) = if edge {
        *u.choose(&[(0, 0, 0), (23, 59, 59), (0, 0, 1), (23, 59, 0)])?
    } else {
        (
            u.int_in_range(0..=23)?,
            u.int_in_range(0..=59)?,
            u.int_in_range(0..=60)?,
        )
    };
    let year = match u.int_in_range(0..=9u8)? {
        0 => format!("-{year:04}"),
        1 => format!("+{year:04}"),
        2 => format!("1{year:04}"),
        _ => format!("{year:04}"),
    };
    let zone = match u.int_in_range(0..=3u8)? {
        0 => "Z".to_owned(),
        1 => {
            let minutes: i32 = u.int_in_range(-1439..=1439)?;
            let sign = if minutes < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
        }
        2 => (*u.choose(&["+23:59", "-23:59", "-00:01", "+00:01", "-01:00"])?).to_owned(),
        _ => return Ok(format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}Z")),
    };
    let fraction = if u.ratio(1, 4)? {
        format!(".{}", u.int_in_range(0..=999_999_999u32)?)
    } else {
        String::new()
    };
    Ok(format!(
        "{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}"
    ))
}

/// A string: a valid spelling, or something hostile (non-characters,
/// controls, a byte-order mark, quotes, a long run).
fn string(u: &mut Unstructured<'_>, valid: &[&str]) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => "\u{FFFE}\u{FFFF}\u{FDD0}".to_owned(),
        1 => "a\n\u{0}\u{1F}\u{7F}\u{85}b".to_owned(),
        2 => "x".repeat(u.int_in_range(100..=5_000)?),
        3 => String::arbitrary(u)?,
        _ => (*u.choose(valid)?).to_owned(),
    })
}

/// A value for an enum field: one of its spellings most often, else a
/// value of any JSON type.
fn enum_value(u: &mut Unstructured<'_>, valid: &[&str]) -> arbitrary::Result<Value> {
    Ok(match u.int_in_range(0..=11u8)? {
        0 => json!(u.int_in_range(-3..=3i64)?),
        1 => json!(f64::from(u.int_in_range(-30..=30i32)?) / 4.0),
        2 => json!(bool::arbitrary(u)?),
        3 => Value::Null,
        4 => json!([]),
        5 => json!([valid.first().copied().unwrap_or("")]),
        6 => json!({}),
        7 => json!({"x": 1}),
        8 => json!(string(u, valid)?),
        _ => json!(u.choose(valid)?),
    })
}

/// A hostile document, and the parameter it gives twice in `Request`.
fn document(u: &mut Unstructured<'_>) -> arbitrary::Result<(String, Option<String>)> {
    let mut snapshot = json!({"SnapshotId": "s-1", "CreationTime": creation_time(u)?});
    if u.ratio(1, 4)? {
        snapshot["CreationTime"] = json!(string(u, &["2013-07-16T00:00:00Z"])?);
    }
    let mut disk = json!({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
                          "Status": "In_use", "InstanceId": "i-1", "SourceSnapshotId": "s-1"});
    let mut instance = json!({"InstanceId": "i-1", "Status": "Stopped", "OperationLocks": []});
    let mut image = json!({"ImageId": "m-1", "ImageOwnerAlias": "system"});
    let mut policy = json!({});
    for _ in 0..u.int_in_range(0..=2u8)? {
        match u.int_in_range(0..=10u8)? {
            0 => disk["Type"] = enum_value(u, &["data", "system"])?,
            1 => disk["Category"] = enum_value(u, &["cloud", "cloud_essd", "ephemeral"])?,
            2 => disk["Status"] = enum_value(u, &["In_use", "Available", "ReIniting"])?,
            3 => instance["Status"] = enum_value(u, &["Stopped", "Running"])?,
            4 => instance["OperationLocks"] = json!([enum_value(u, &["security", "financial"])?]),
            5 => image["ImageOwnerAlias"] = enum_value(u, &["system", "others"])?,
            6 => policy["Revision"] = enum_value(u, &["seed"])?,
            7 => policy["DeletedSnapshotCode"] = enum_value(u, &["OperationDenied"])?,
            8 => policy["ActiveOnNonPublicImage"] = enum_value(u, &["Reject", "Ignore"])?,
            9 => policy["UnsupportedCategories"] = json!([enum_value(u, &["cloud"])?]),
            _ => policy["Order"] = json!([enum_value(u, &["disk-exists"])?]),
        }
    }
    if u.ratio(1, 4)? {
        disk["DiskId"] = json!(string(u, &["d-1"])?);
    }
    let disk_id = string(u, &["d-1", "d-1", "d-2"])?;
    let mut request = vec![
        (Param::Action.as_str().to_owned(), ACTION.to_owned()),
        (Param::DiskId.as_str().to_owned(), disk_id),
    ];
    let mut twice = None;
    if u.ratio(1, 4)? {
        let names: Vec<&str> = Param::ALL.iter().map(|param| param.as_str()).collect();
        let name = string(u, &names)?;
        request.push((name.clone(), string(u, &["d-1", "Active"])?));
        request.push((name.clone(), string(u, &["d-1", "Deactive"])?));
        twice = Some(name);
    }
    // The Request object written by hand, so that a key can repeat.
    let request = request
        .iter()
        .map(|(n, v)| format!("{}:{}", json!(n), json!(v)))
        .collect::<Vec<_>>()
        .join(",");
    let mut text = format!(
        r#"{{"Request":{{{request}}},"Disks":[{disk}],"Instances":[{instance}],"Images":[{image}],"Snapshots":[{snapshot}],"Policy":{policy}}}"#
    );
    if u.ratio(1, 4)? {
        // A field given twice elsewhere: refused too.
        text = text.replacen(r#""Images":"#, r#""Images":[],"Images":"#, 1);
    }
    if u.ratio(1, 3)? {
        text.insert(0, '\u{feff}');
    }
    Ok((text, twice))
}

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data), None);
    if let Ok((text, twice)) = document(&mut Unstructured::new(data)) {
        check(&text, twice.as_deref());
    }
});
