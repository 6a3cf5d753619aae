//! The official JSONata test suite (`../shared/jsonata-suite`, read in place, or
//! `$STATESCOPE_JSONATA_SUITE`): every case whose expected error is a syntax error (`S0xxx`)
//! must fail to parse with that code, and every other case's expression must parse.
//! Prints the counts; fails when passes drop below the floor. `STATESCOPE_JSONATA_VERBOSE=1`
//! lists the failures.

use std::path::{Path, PathBuf};

use serde_json::Value;
use statescope::asl::jsonata;

/// Cases whose parse outcome matches the suite; raise when it grows, never lower it.
const PARSE_FLOOR: usize = 1684;

fn suite_dir() -> PathBuf {
    std::env::var_os("STATESCOPE_JSONATA_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/jsonata-suite"))
}

/// One case: where it came from, its expression and the error code it expects, if any.
struct Case {
    name: String,
    expr: String,
    code: Option<String>,
}

/// The cases, plus the files serde_json cannot read (a lone UTF-16 surrogate in a string).
fn load_cases(root: &Path) -> (Vec<Case>, Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("groups"))
        .expect("suite groups directory")
        .flat_map(|group| std::fs::read_dir(group.expect("group entry").path()).expect("group directory"))
        .map(|entry| entry.expect("case entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("case file");
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            unreadable.push(file.display().to_string());
            continue;
        };
        let list = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for (i, case) in list.into_iter().enumerate() {
            let expr = match (case.get("expr"), case.get("expr-file")) {
                (Some(Value::String(e)), _) => e.clone(),
                (_, Some(Value::String(f))) => {
                    std::fs::read_to_string(file.with_file_name(f)).expect("expression file")
                }
                _ => continue,
            };
            let code = case
                .get("code")
                .or_else(|| case.get("error").and_then(|e| e.get("code")))
                .and_then(Value::as_str)
                .map(str::to_string);
            cases.push(Case { name: format!("{}#{i}", file.display()), expr, code });
        }
    }
    (cases, unreadable)
}

#[test]
fn official_suite_parses_like_jsonata() {
    let root = suite_dir();
    let (cases, unreadable) = load_cases(&root);
    assert!(cases.len() > 1500, "expected the full suite under {}", root.display());
    let verbose = std::env::var_os("STATESCOPE_JSONATA_VERBOSE").is_some();
    let (mut pass, mut syntax_cases, mut syntax_pass) = (0, 0, 0);
    for case in &cases {
        let expected_syntax = case.code.as_deref().filter(|c| c.starts_with("S0"));
        let outcome = jsonata::parse(&case.expr);
        let ok = match (expected_syntax, &outcome) {
            (Some(code), Err(e)) => e.code == code,
            (Some(_), Ok(_)) => false,
            (None, result) => result.is_ok(),
        };
        if expected_syntax.is_some() {
            syntax_cases += 1;
            syntax_pass += usize::from(ok);
        }
        if ok {
            pass += 1;
        } else if verbose {
            println!("FAIL {}: {:?} expected {:?}, got {:?}", case.name, case.expr, case.code, outcome.err());
        }
    }
    println!("jsonata suite (parse): {pass}/{} cases match; syntax errors {syntax_pass}/{syntax_cases}", cases.len());
    println!("skipped {} case files serde_json cannot read: {unreadable:?}", unreadable.len());
    assert!(pass >= PARSE_FLOOR, "parse passes dropped to {pass} (floor {PARSE_FLOOR})");
}
