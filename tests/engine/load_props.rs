//! Loading and checking never panic: not on arbitrary bytes, not on valid definitions and
//! templates (JSON and YAML) with random edits.

use proptest::prelude::*;
use statescope::asl::check::check_with;
use statescope::asl::load::{LoadOptions, Syntax};
use statescope::asl::source::Source;

const SEEDS: &[(&str, &str)] = &[
    ("hello.asl.json", include_str!("../../sample-machines/hello-world.asl.json")),
    ("order.asl.json", include_str!("../../sample-machines/order-processing.asl.json")),
    ("jsonata.asl.json", include_str!("../../sample-machines/jsonata-variables.asl.json")),
    ("image.asl.yaml", include_str!("../../sample-machines/image-pipeline.asl.yaml")),
    ("events.template.yaml", include_str!("../../sample-machines/order-events.template.yaml")),
    (
        "string.template.yaml",
        "Resources:\n  F:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub\n        - |\n          {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${Arn}\", \"End\": true}}}\n        - Arn: !GetAtt Fn.Arn\n",
    ),
    (
        "string.template.json",
        r#"{"Resources": {"F": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["\n", ["{\"StartAt\": \"A\",", "\"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}"]]}}}}}"#,
    ),
];

/// Characters that change structure in JSON or YAML, to make edits that matter.
const NASTY: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "'",
    "\\",
    "\n",
    "  ",
    "-",
    "&a",
    "*a",
    "!Sub ",
    "!!str ",
    "|",
    ">",
    "#",
    "${",
    "\u{e9}",
    "\u{1f600}",
    "\t",
    "? ",
    "---\n",
    "%",
    "\\u00",
    ".nan",
];

fn check_all_ways(name: &str, text: &str) {
    for syntax in [None, Some(Syntax::Json), Some(Syntax::Yaml)] {
        for machine in [None, Some("F".to_string())] {
            let options = LoadOptions { syntax, machine: machine.clone(), ..LoadOptions::default() };
            let checked = check_with(&Source::new(name, text), &options);
            for d in &checked.diagnostics {
                if let Some(span) = d.span {
                    assert!(span.start <= span.end, "{d:?}");
                    // An error at the end of the file may blame the (virtual) character after it.
                    assert!(span.start as usize <= text.len(), "{d:?} beyond the text ({} bytes)", text.len());
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), prop::sample::select(NASTY)).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

/// Applies an edit at a character boundary, so the text stays a `str`.
fn apply(text: &mut String, e: &Edit) {
    let boundary = |text: &str, at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match *e {
        Edit::Delete(at, n) => {
            let from = boundary(text, at);
            let to = boundary(text, (from + n).min(text.len()));
            text.replace_range(from..to.max(from), "");
        }
        Edit::Insert(at, s) => {
            let at = boundary(text, at);
            text.insert_str(at, s);
        }
        Edit::Duplicate(at, n) => {
            let from = boundary(text, at);
            let to = boundary(text, (from + n).min(text.len())).max(from);
            let piece = text[from..to].to_string();
            text.insert_str(to, &piece);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        check_all_ways("fuzz.json", &text);
        check_all_ways("fuzz.yaml", &text);
    }

    #[test]
    fn mutated_definitions_never_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec(edit(), 1..6)) {
        let (name, original) = SEEDS[seed];
        let mut text = original.to_string();
        for e in &edits {
            apply(&mut text, e);
        }
        check_all_ways(name, &text);
    }
}

#[test]
fn the_seeds_themselves_load() {
    for (name, text) in SEEDS {
        check_all_ways(name, text);
    }
}

/// The fuzz targets of `fuzz/` (coverage-guided, nightly) in a short bounded pass: their own
/// seeds, mutated with the edits above, and arbitrary bytes. A crash the fuzzer found and that
/// was fixed stays fixed here.
mod fuzz_targets {
    use proptest::prelude::*;
    use statescope::fuzz;

    type Target = fn(&[u8]);
    const TARGETS: &[(&str, Target)] = &[
        ("jsonpath", fuzz::jsonpath),
        ("intrinsic", fuzz::intrinsic),
        ("jsonata", fuzz::jsonata),
        ("execution", fuzz::execution),
    ];

    fn seeds(target: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("fuzz seeds").flatten().map(|e| e.path()).collect();
        files.sort();
        files.iter().map(|p| std::fs::read_to_string(p).expect("seed")).collect()
    }

    #[test]
    fn every_seed_runs() {
        for (name, target) in TARGETS {
            let seeds = seeds(name);
            assert!(seeds.len() >= 5, "{name} has {} seeds", seeds.len());
            for s in seeds {
                target(s.as_bytes());
            }
        }
        for (name, text) in super::SEEDS {
            let _ = name;
            fuzz::load_and_validate(text.as_bytes());
            fuzz::execution(text.as_bytes());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn mutated_seeds_never_panic(
            target in 0..TARGETS.len(),
            pick in any::<usize>(),
            edits in prop::collection::vec(super::edit(), 1..5),
        ) {
            let (name, run) = TARGETS[target];
            let seeds = seeds(name);
            let mut text = seeds[pick % seeds.len()].clone();
            for e in &edits {
                super::apply(&mut text, e);
            }
            run(text.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_never_panic_any_target(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            for (_, run) in TARGETS {
                run(&bytes);
            }
            fuzz::load_and_validate(&bytes);
        }
    }
}
