//! The AWS-recorded corpus (`../shared/conformance`, read in place): every case of the groups
//! the engine covers is executed in process and compared with what AWS did (status, output,
//! error and cause). The test fails when the pass count drops below the floor, so progress can
//! only ratchet up. Prints a per-group table; `STATESCOPE_CONFORMANCE_VERBOSE=1` lists failures.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::support::{cases, expected_states, matches, read_json, state_entry, status_json};
use serde_json::{Value, json};
use statescope::asl::check::check;
use statescope::asl::engine::{Execution, ExecutionConfig};
use statescope::asl::source::Source;

/// Minimum number of passing cases per group; raise them as the engine grows, never lower them.
/// A case passes when status, output, error, cause and (where AWS recorded it) the per-state
/// history of entered/exited states with their payloads all match.
const FLOORS: &[(&str, usize)] = &[
    ("assign", 32),
    ("base", 34),
    ("choice_operators", 491),
    ("comments", 1),
    ("context_object", 6),
    ("error_handling", 1),
    ("evaluate_jsonata", 14),
    ("intrinsic_functions", 164),
    ("outputdecl", 14),
    ("query_language", 8),
    ("scenarios", 126),
    ("validation", 9),
    ("with-tasks", 0),
];

const GROUPS: &[&str] = &[
    "assign",
    "base",
    "choice_operators",
    "comments",
    "context_object",
    "error_handling",
    "evaluate_jsonata",
    "intrinsic_functions",
    "outputdecl",
    "query_language",
    "scenarios",
    "validation",
    "with-tasks",
];

/// What statescope says for one case, in check.py's shape.
fn outcome(case: &Path) -> Value {
    let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
    let checked = check(&Source::new("definition.json", text));
    let Some(machine) = checked.runnable() else { return json!({"status": "INVALID_DEFINITION"}) };
    let input = read_json(&case.join("input.json"));
    let mut exec = Execution::new(machine.clone(), input, ExecutionConfig::default());
    let mut out = status_json(exec.run());
    out["states"] = exec.history().events().iter().filter_map(|e| state_entry(&e.kind)).collect();
    out["event_types"] = exec.history().events().iter().map(|e| Value::String(e.type_name())).collect();
    out
}

/// The scope each state belongs to: `""` at top level, `P/i` for branch `i` of Parallel `P`,
/// `M/*` for Map `M`'s processor (state names are unique machine-wide, rule 1.3).
fn scopes(definition: &Value) -> HashMap<String, String> {
    fn walk(states: &Value, scope: &str, out: &mut HashMap<String, String>) {
        let Some(states) = states.as_object() else { return };
        for (name, st) in states {
            out.insert(name.clone(), scope.to_string());
            match st["Type"].as_str() {
                Some("Parallel") => {
                    for (i, b) in st["Branches"].as_array().into_iter().flatten().enumerate() {
                        walk(&b["States"], &format!("{name}/{i}"), out);
                    }
                }
                Some("Map") => {
                    let p = if st.get("ItemProcessor").is_some() { &st["ItemProcessor"] } else { &st["Iterator"] };
                    walk(&p["States"], &format!("{name}/*"), out);
                }
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    walk(&definition["States"], "", &mut out);
    out
}

/// The states view split per scope, each keeping its order. AWS runs Parallel branches (and
/// Map iterations above MaxConcurrency 1) concurrently, so its recorded interleaving of
/// different branches is timing, not semantics. What is semantic, and compared exactly, is
/// the order within each scope and the top-level order. Inside a Parallel branch AWS's
/// recorded order is not even causal (`scenarios/test_parallel_state(PARALLEL_STATE)` has
/// `Branch22` entered before `Branch21`, its predecessor, exited: every branch's entries come
/// before any exit), so there the entries and the exits are each compared in order, apart.
fn per_scope(states: &Value, scopes: &HashMap<String, String>) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for s in states.as_array().into_iter().flatten() {
        let scope = s["name"].as_str().and_then(|n| scopes.get(n)).cloned().unwrap_or_default();
        let in_branch = scope.rsplit('/').next().is_some_and(|i| i.parse::<usize>().is_ok());
        let key = if in_branch { format!("{scope} {}", s["type"].as_str().unwrap_or_default()) } else { scope };
        out.entry(key).or_default().push(s.clone());
    }
    out
}

/// Whether AWS's recorded event order is the machine's own order: no Parallel (its branches
/// run concurrently, so their events interleave by timing) and no inline Map that may run
/// iterations concurrently (MaxConcurrency other than 1). DISTRIBUTED Maps record only
/// MapRun events, so they qualify. For these the complete list of event types must match;
/// for the others, the same events must occur, in any order. (Task states are left out:
/// their events come from task mocks, compared in `with-tasks`.)
fn sequential(definition: &Value) -> bool {
    fn ok(states: &Value) -> bool {
        states.as_object().is_none_or(|states| {
            states.values().all(|st| match st["Type"].as_str() {
                Some("Parallel") => false,
                Some("Map") => {
                    let p = if st.get("ItemProcessor").is_some() { &st["ItemProcessor"] } else { &st["Iterator"] };
                    let distributed = p["ProcessorConfig"]["Mode"] == "DISTRIBUTED";
                    (distributed || st["MaxConcurrency"] == 1) && ok(&p["States"])
                }
                _ => true,
            })
        })
    }
    ok(&definition["States"])
}

/// Whether any state is a Task (at any depth).
fn has_task(definition: &Value) -> bool {
    definition.to_string().contains(r#""Type":"Task""#)
}

/// Why `actual` differs from `expected`, or `None`.
fn compare(expected: &Value, actual: &Value, definition: &Value) -> Option<String> {
    let status = &expected["status"];
    if &actual["status"] != status {
        return Some(format!("status {} vs {}: {}", status, actual["status"], actual["cause"]));
    }
    let fields: &[&str] = match status.as_str() {
        Some("SUCCEEDED") => &["output"],
        Some("FAILED") => &["error", "cause"],
        _ => &[],
    };
    for f in fields {
        let e = expected.get(*f).unwrap_or(&Value::Null);
        let a = actual.get(*f).unwrap_or(&Value::Null);
        if !matches(e, a) {
            return Some(format!("{f}: expected {e} got {a}"));
        }
    }
    if let Some(events) = expected.get("events").and_then(Value::as_array) {
        let mut want: Vec<&Value> = events.iter().map(|e| &e["type"]).collect();
        if has_task(definition) {
            want.clear();
        }
        let mut got: Vec<&Value> = actual["event_types"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        if !sequential(definition) {
            // Concurrent parts: the same events, in any order.
            want.sort_by_key(|v| v.as_str());
            got.sort_by_key(|v| v.as_str());
        }
        if !want.is_empty() {
            if want != got {
                let i = (0..want.len().max(got.len())).find(|&i| want.get(i) != got.get(i)).unwrap_or(0);
                return Some(format!(
                    "events differ at #{i}: expected {:?} got {:?}",
                    want.get(i..(i + 3).min(want.len())),
                    got.get(i..(i + 3).min(got.len()))
                ));
            }
        }
    }
    if let Some(states) = expected_states(expected) {
        let scopes = scopes(definition);
        let (want, got) = (per_scope(&states, &scopes), per_scope(&actual["states"], &scopes));
        let keys: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
        for k in keys {
            let (w, g) = (want.get(k).cloned().unwrap_or_default(), got.get(k).cloned().unwrap_or_default());
            let (w, g) = (Value::Array(w), Value::Array(g));
            if !matches(&w, &g) {
                let (e, a) = (w.as_array().map_or(0, Vec::len), g.as_array().map_or(0, Vec::len));
                let first = (0..e.max(a)).find(|&i| !matches(&w[i], &g[i]));
                let at = first.map(|i| format!("#{i}: expected {} got {}", w[i], g[i])).unwrap_or_default();
                return Some(format!("states of scope '{k}' differ ({e} recorded, {a} produced) {at}"));
            }
        }
    }
    None
}

#[test]
fn aws_recorded_cases_pass_at_least_the_floor() {
    if crate::support::conformance_or_skip("aws_recorded_cases_pass_at_least_the_floor").is_none() {
        return;
    }
    let verbose = std::env::var_os("STATESCOPE_CONFORMANCE_VERBOSE").is_some();
    let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for group in GROUPS {
        for case in cases(group) {
            let expected = read_json(&case.join("expected.json"));
            if expected["status"] == "RUNNING" {
                continue;
            }
            let entry = table.entry(group).or_default();
            let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
            let definition: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match compare(&expected, &outcome(&case), &definition) {
                None => entry.0 += 1,
                Some(why) => {
                    entry.1 += 1;
                    if verbose {
                        eprintln!("FAIL {group}/{}: {why}", case.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
                    }
                }
            }
        }
    }
    let passed: usize = table.values().map(|v| v.0).sum();
    let failed: usize = table.values().map(|v| v.1).sum();
    eprintln!("{:<22} {:>7} {:>7}", "group", "passed", "failed");
    for (g, (p, f)) in &table {
        eprintln!("{g:<22} {p:>7} {f:>7}");
    }
    eprintln!("conformance: {passed} of {} AWS-recorded cases pass", passed + failed);
    let below: Vec<String> = FLOORS
        .iter()
        .filter_map(|(g, floor)| {
            let got = table.get(g).map_or(0, |v| v.0);
            (got < *floor).then(|| format!("{g}: {got} < floor {floor}"))
        })
        .collect();
    assert!(below.is_empty(), "conformance regressed: {}", below.join(", "));
}

#[test]
fn every_definition_aws_rejected_is_rejected() {
    if crate::support::conformance_or_skip("every_definition_aws_rejected_is_rejected").is_none() {
        return;
    }
    // issue 2: all 9 definitions CreateStateMachine refused must be refused here too.
    let accepted: Vec<String> = cases("validation")
        .iter()
        .filter(|case| {
            let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
            !check(&Source::new("definition.json", text)).has_errors()
        })
        .map(|case| case.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string())
        .collect();
    assert!(accepted.is_empty(), "accepted definitions AWS rejects: {accepted:?}");
}
