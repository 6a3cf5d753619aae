//! What `statescope test` prints: text for people, one JSON line per case, or JUnit XML for CI
//! test reports; with coverage, a table (text), a line per machine (JSON) or suite properties
//! and output (JUnit).

use serde_json::json;

use super::{MachineRun, TestArgs, TestFormat};
use crate::asl::coverage::Coverage;

pub(super) fn print(args: &TestArgs, machines: &[MachineRun]) {
    match args.format {
        TestFormat::Text => text(machines),
        TestFormat::Json => json_lines(machines),
        TestFormat::Junit => outln!("{}", junit(machines)),
    }
}

fn text(machines: &[MachineRun]) {
    let several = machines.len() > 1;
    for m in machines {
        if several {
            outln!("== {}", m.definition.display());
        }
        let width = m.cases.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
        for c in &m.cases {
            let verdict = if c.verdict.is_empty() { String::new() } else { format!("{:<4} ", c.verdict) };
            outln!("{verdict}{:<width$}  {:<9}  {}", c.name, c.status(), c.summary());
            for d in &c.mismatches {
                outln!("       {d}");
            }
        }
        let total = m.cases.len();
        let failed = m.cases.iter().filter(|c| c.verdict == "FAIL").count();
        match &m.expectations {
            Some(_) => outln!("{} of {total} test cases as expected", total - failed),
            None => outln!("{total} test cases run (no expectations file: {})", m.expect_path.display()),
        }
        if let Some(cov) = &m.coverage {
            for line in coverage_table(cov) {
                outln!("{line}");
            }
        }
    }
    if several {
        let total: usize = machines.iter().map(|m| m.cases.len()).sum();
        let failed: usize = machines.iter().map(|m| m.cases.iter().filter(|c| c.verdict == "FAIL").count()).sum();
        let lowest = machines
            .iter()
            .filter_map(|m| m.coverage.as_ref().map(|c| (c.percent(), m)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(p, m)| format!("; lowest coverage {p:.1}% ({})", m.definition.display()))
            .unwrap_or_default();
        outln!(
            "{} machines: {} of {total} test cases as expected, {failed} failed{lowest}",
            machines.len(),
            total - failed
        );
    }
}

/// The coverage table: a summary, each state with its visits, then what was never reached.
pub(super) fn coverage_table(cov: &Coverage) -> Vec<String> {
    let j = cov.to_json();
    let mut out = vec![format!(
        "coverage: {:.1}% (states {}/{}, transitions {}/{})",
        cov.percent(),
        j["states"]["covered"],
        j["states"]["total"],
        j["transitions"]["covered"],
        j["transitions"]["total"]
    )];
    let labels: Vec<String> = cov.transitions().map(|(t, _)| t.to_string()).collect();
    let width = cov
        .states()
        .iter()
        .map(|(s, _)| s.chars().count())
        .chain(labels.iter().map(|l| l.chars().count()))
        .max()
        .unwrap_or(10)
        .max(10);
    out.push(format!("  {:<width$}  runs", "state"));
    for (s, n) in cov.states() {
        out.push(format!("  {s:<width$}  {n:>4}"));
    }
    out.push(format!("  {:<width$}  taken", "transition"));
    for (label, (_, n)) in labels.iter().zip(cov.transitions()) {
        out.push(format!("  {label:<width$}  {n:>5}"));
    }
    let unreached = cov.unreached();
    if !unreached.is_empty() {
        out.push(format!(
            "  never reached: {}",
            unreached.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

fn json_lines(machines: &[MachineRun]) {
    for m in machines {
        let definition = m.definition.display().to_string();
        for c in &m.cases {
            let mut o = c.got.clone();
            o["testCase"] = json!(c.name);
            o["definition"] = json!(definition);
            if !c.verdict.is_empty() {
                o["result"] = json!(c.verdict);
                o["mismatches"] = json!(c.mismatches);
            }
            outln!("{o}");
        }
        if let Some(cov) = &m.coverage {
            outln!("{}", json!({"definition": definition, "coverage": cov.to_json()}));
        }
    }
}

/// Text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// One `<testsuite>` per machine, one `<testcase>` per test case: a mismatch is a `<failure>`
/// listing every difference, a case that could not finish without an expectation an `<error>`.
pub(super) fn junit(machines: &[MachineRun]) -> String {
    let count = |m: &MachineRun| {
        let failures = m.cases.iter().filter(|c| c.verdict == "FAIL").count();
        let errors = m.cases.iter().filter(|c| c.verdict.is_empty() && !c.finished()).count();
        (m.cases.len(), failures, errors)
    };
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    let mut suites = String::new();
    for m in machines {
        let (t, f, e) = count(m);
        tests += t;
        failures += f;
        errors += e;
        let name = m.definition.display().to_string();
        let class = m
            .definition
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n.split('.').next().unwrap_or(n).to_string())
            .unwrap_or_default();
        let time: f64 = m.cases.iter().map(|c| c.seconds).sum();
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" time=\"{time:.3}\">\n",
            xml(&name)
        ));
        if let Some(cov) = &m.coverage {
            let j = cov.to_json();
            suites.push_str("    <properties>\n");
            suites.push_str(&format!("      <property name=\"coverage\" value=\"{:.1}\"/>\n", cov.percent()));
            for (k, key) in [("states", "unreached"), ("transitions", "untaken")] {
                let list: Vec<String> =
                    j[k][key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
                suites.push_str(&format!(
                    "      <property name=\"coverage.{k}\" value=\"{}/{}\"/>\n",
                    j[k]["covered"], j[k]["total"]
                ));
                if !list.is_empty() {
                    suites.push_str(&format!(
                        "      <property name=\"coverage.{key}\" value=\"{}\"/>\n",
                        xml(&list.join("; "))
                    ));
                }
            }
            suites.push_str("    </properties>\n");
        }
        for c in &m.cases {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                xml(&c.name),
                xml(&class),
                c.seconds
            );
            if c.verdict == "FAIL" {
                let message = c.mismatches.first().cloned().unwrap_or_default();
                suites.push_str(&format!(
                    "{open}>\n      <failure type=\"mismatch\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml(&message),
                    xml(&c.mismatches.join("\n"))
                ));
            } else if c.verdict.is_empty() && !c.finished() {
                suites.push_str(&format!(
                    "{open}>\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>\n",
                    xml(c.status()),
                    xml(&c.summary())
                ));
            } else {
                suites.push_str(&format!("{open}/>\n"));
            }
        }
        if let Some(cov) = &m.coverage {
            suites.push_str(&format!("    <system-out>{}</system-out>\n", xml(&coverage_table(cov).join("\n"))));
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"statescope\" tests=\"{tests}\" \
         failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>"
    )
}
