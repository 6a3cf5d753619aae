//! Reading what the commands run, the same way for each: a definition or template file (and a
//! template's local `DefinitionUri` file), the loader options from the shared flags
//! (`--machine`, `--substitute`, `--type`, `--allow`), the execution input and the mock config.
//!
//! The rules, as the README documents them:
//! - a definition is checked with [`check_with`]; `--machine` picks a template's state machine;
//! - the execution input is `--input FILE` (`-` is standard input, for `run` and `test`), else
//!   `NAME.input.json` beside the definition when present, else `{}`; `NAME` is the file name
//!   without `.asl.json`, `.asl.yaml`, `.asl.yml`, `.json`, `.yaml` or `.yml`;
//! - a mock config is `--mock-config FILE` (with `--test-case`), or for `test` `NAME.mock.json`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::asl::check::{Checked, check_with};
use crate::asl::definition::StateMachine;
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::engine::tasks::{NoTasks, TaskSource};
use crate::asl::load::{LoadOptions, ReadFile};
use crate::asl::mock::{MockConfig, MockSource, check_against, parse_mock_config};
use crate::asl::source::{LineIndex, Source};
use crate::cli::check_flags::CheckFlags;

/// `--substitute NAME=VALUE` (repeatable), shared by validate, run, test and the debugger.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SubstituteArgs {
    /// A value for a `${NAME}` placeholder in the definition, as a template's
    /// DefinitionSubstitutions gives it (repeatable; wins over the template's own).
    #[arg(long = "substitute", value_name = "NAME=VALUE", value_parser = parse_substitution)]
    pub substitutions: Vec<(String, String)>,
}

fn parse_substitution(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("'{arg}' is not NAME=VALUE")),
    }
}

/// Loader options from the shared command-line flags, for the definition or template at `path`.
pub fn load_options(machine: Option<&str>, substitute: &SubstituteArgs, path: &Path) -> LoadOptions {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    LoadOptions {
        machine: machine.map(str::to_string),
        substitutions: substitute.substitutions.clone(),
        reader: Some(Arc::new(BesideTemplate { dir })),
        ..LoadOptions::default()
    }
}

/// Reads a template's local `DefinitionUri` file, relative to the template's directory.
struct BesideTemplate {
    dir: PathBuf,
}

impl ReadFile for BesideTemplate {
    fn read(&self, uri: &str) -> Result<Source, String> {
        let path = self.dir.join(uri);
        read(&path).map_err(|d| d.message)
    }
}

/// Reads a file; an unreadable one is a diagnostic, not a crash.
pub fn read(path: &Path) -> Result<Source, Diagnostic> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(e) => Err(Diagnostic::error(
                crate::asl::codes::SYNTAX,
                format!("{name}: the file is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
            )),
        },
        Err(e) => Err(Diagnostic::error(crate::asl::codes::SYNTAX, format!("cannot read '{name}': {e}"))),
    }
}

/// A definition read and checked: the text, the options it was loaded with (the debugger
/// reloads with them) and the outcome. `checked.runnable()` is the machine, when one can run.
pub struct Definition {
    pub source: Source,
    pub options: LoadOptions,
    pub checked: Checked,
}

/// Why a definition could not even be checked.
#[derive(Debug, PartialEq)]
pub enum Unloadable {
    /// The file cannot be read (or is not UTF-8).
    Unreadable(String),
    /// A flag is wrong (an `--allow` that names no lint).
    Flag(String),
}

impl std::fmt::Display for Unloadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unloadable::Unreadable(m) | Unloadable::Flag(m) => f.write_str(m),
        }
    }
}

/// Reads and checks the definition or template at `path` with the shared flags.
pub fn load_definition(
    path: &Path,
    machine: Option<&str>,
    substitute: &SubstituteArgs,
    check: &CheckFlags,
) -> Result<Definition, Unloadable> {
    let source = read(path).map_err(|d| Unloadable::Unreadable(d.message))?;
    let options = check.apply(load_options(machine, substitute, path)).map_err(Unloadable::Flag)?;
    let checked = check_with(&source, &options);
    Ok(Definition { source, options, checked })
}

/// The definition's name: its file name without `.asl.json`, `.asl.yaml`, `.asl.yml`, `.json`,
/// `.yaml` or `.yml` (`order.asl.yaml` → `order`).
pub fn stem(definition: &Path) -> &str {
    let name = definition.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    [".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name)
}

/// `NAME{suffix}` beside the definition (`beside("m/order.asl.yaml", ".input.json")` is
/// `m/order.input.json`).
pub fn beside(definition: &Path, suffix: &str) -> PathBuf {
    definition.with_file_name(format!("{}{suffix}", stem(definition)))
}

/// Where the execution input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputFrom {
    /// `--input -`.
    Stdin,
    /// `--input FILE`: it must exist.
    Given(PathBuf),
    /// `NAME.input.json` beside the definition: `{}` while it does not exist.
    Beside(PathBuf),
}

impl InputFrom {
    /// `--input` if given, else the file beside `definition`.
    pub fn new(definition: &Path, input: Option<&Path>) -> InputFrom {
        match input {
            Some(p) if p.as_os_str() == "-" => InputFrom::Stdin,
            Some(p) => InputFrom::Given(p.to_path_buf()),
            None => InputFrom::Beside(beside(definition, ".input.json")),
        }
    }

    /// The file, if the input is one (the debugger watches it and `i` edits it).
    pub fn path(&self) -> Option<&Path> {
        match self {
            InputFrom::Stdin => None,
            InputFrom::Given(p) | InputFrom::Beside(p) => Some(p),
        }
    }

    /// The input value; a missing default file is `{}`, anything unreadable or not JSON an
    /// error naming the file (and line and column).
    pub fn read(&self) -> Result<Value, String> {
        let (name, text) = match self {
            InputFrom::Beside(p) if !p.exists() => return Ok(json!({})),
            InputFrom::Stdin => (
                "-".to_string(),
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| format!("cannot read input from standard input: {e}"))?,
            ),
            InputFrom::Given(p) | InputFrom::Beside(p) => (
                p.display().to_string(),
                std::fs::read_to_string(p).map_err(|e| format!("cannot read input '{}': {e}", p.display()))?,
            ),
        };
        crate::asl::json_text::parse_execution_input(&name, &text)
    }
}

/// `--mock-config FILE --test-case NAME [--state-machine NAME]`, shared by `run` and the debugger.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct MockArgs {
    /// Task results from a mock config in Step Functions Local's MockConfigFile format; a task
    /// it does not mock waits for an answer.
    #[arg(long, value_name = "FILE", requires = "test_case")]
    pub mock_config: Option<PathBuf>,
    /// The mock config's test case to use.
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub test_case: Option<String>,
    /// The mock config's state machine (default: its only one).
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub state_machine: Option<String>,
}

impl MockArgs {
    /// The test case as the task source; without `--mock-config`, nothing answers.
    pub fn source(&self, machine: &StateMachine) -> Result<Arc<dyn TaskSource>, String> {
        let (Some(path), Some(case)) = (&self.mock_config, &self.test_case) else { return Ok(Arc::new(NoTasks)) };
        let mocks = load_mocks(path, self.state_machine.as_deref(), machine)?;
        let source = MockSource::new(&mocks.config, Some(&mocks.machine), case)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Arc::new(source))
    }
}

/// A mock config read and checked against the machine it mocks.
pub struct LoadedMocks {
    pub config: MockConfig,
    /// The mock config's state machine to use.
    pub machine: String,
}

/// Reads, parses and checks a mock config; on errors prints them (file:line:col) and returns
/// the message for the caller's exit path.
pub fn load_mocks(path: &Path, state_machine: Option<&str>, definition: &StateMachine) -> Result<LoadedMocks, String> {
    let source = read(path).map_err(|d| d.message)?;
    let parsed = parse_mock_config(&source.text);
    let mut diagnostics: Vec<Diagnostic> = parsed.diagnostics;
    let config = parsed.config.unwrap_or_default();
    let machine = match config.machine(state_machine) {
        Ok(m) => {
            diagnostics.extend(check_against(m, definition));
            Some(m.name.clone())
        }
        // A config that did not parse cleanly may have lost its machines: show why first.
        Err(_) if diagnostics.iter().any(Diagnostic::is_error) => None,
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let index = LineIndex::new(&source.text);
        for d in &errors {
            eprint!("{}", diagnostic::render(&source, &index, d));
        }
        return Err(format!("{}: {} error(s) in the mock config", path.display(), errors.len()));
    }
    Ok(LoadedMocks { config, machine: machine.unwrap_or_default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_extension_names_the_same_input() {
        for name in ["order.asl.json", "order.asl.yaml", "order.asl.yml", "order.json", "order.yaml", "order.yml"] {
            let def = Path::new("machines").join(name);
            assert_eq!(beside(&def, ".input.json"), Path::new("machines/order.input.json"), "{name}");
            assert_eq!(
                InputFrom::new(&def, None),
                InputFrom::Beside(PathBuf::from("machines/order.input.json")),
                "{name}"
            );
        }
        // An unknown extension is kept: the name is the whole file name.
        assert_eq!(beside(Path::new("order.txt"), ".mock.json"), Path::new("order.txt.mock.json"));
    }

    #[test]
    fn a_given_input_wins_and_a_dash_is_standard_input() {
        let def = Path::new("order.asl.yaml");
        assert_eq!(InputFrom::new(def, Some(Path::new("-"))), InputFrom::Stdin);
        assert_eq!(InputFrom::new(def, Some(Path::new("in.json"))), InputFrom::Given(PathBuf::from("in.json")));
        assert_eq!(InputFrom::Stdin.path(), None);
    }

    #[test]
    fn an_input_over_256_kib_is_refused_before_the_run() {
        let dir = std::env::temp_dir().join(format!("statescope-bigin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("big.json");
        let fits = format!("{{\"s\": \"{}\"}}", "x".repeat(262_144 - 8));
        std::fs::write(&file, &fits).expect("write");
        assert!(InputFrom::Given(file.clone()).read().is_ok(), "exactly 256 KiB is allowed");
        std::fs::write(&file, format!("{{\"s\": \"{}\"}}", "x".repeat(262_144 - 7))).expect("write");
        let why = InputFrom::Given(file.clone()).read().expect_err("one byte over");
        assert!(why.contains("big.json") && why.contains("262144 bytes"), "{why}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_default_input_is_empty_but_a_missing_given_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("statescope-inputs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let def = dir.join("absent.asl.yaml");
        assert_eq!(InputFrom::new(&def, None).read(), Ok(json!({})));
        let given = InputFrom::new(&def, Some(&dir.join("absent.input.json"))).read();
        assert!(given.as_ref().is_err_and(|e| e.contains("cannot read input")), "{given:?}");
        std::fs::write(dir.join("absent.input.json"), "{\"a\": [1,\n ]}").expect("write");
        let bad = InputFrom::new(&def, None).read();
        assert!(bad.as_ref().is_err_and(|e| e.contains("absent.input.json:2:")), "line and column: {bad:?}");
        std::fs::write(dir.join("absent.input.json"), "{\"a\": 1}").expect("write");
        assert_eq!(InputFrom::new(&def, None).read(), Ok(json!({"a": 1})));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_bad_allow_flag_is_told_apart_from_an_unreadable_file() {
        let check = CheckFlags { allow: vec!["timeout-mising".into()], ..CheckFlags::default() };
        let flag = load_definition(Path::new("Cargo.toml"), None, &SubstituteArgs::default(), &check);
        assert!(matches!(flag, Err(Unloadable::Flag(ref m)) if m.contains("timeout-missing")), "did you mean");
        let missing =
            load_definition(Path::new("no/such.asl.json"), None, &SubstituteArgs::default(), &CheckFlags::default());
        assert!(matches!(missing, Err(Unloadable::Unreadable(ref m)) if m.contains("no/such.asl.json")));
    }
}
