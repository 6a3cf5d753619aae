//! `statescope learn`: every lesson is solvable by its reference solution and not by its
//! starting file; the lesson folders match the list; `learn --check` exit codes, working copies
//! and progress; each goal kind says what differs; and in the debugger, the lesson pane shows
//! the goal, then ✓ after a save that solves it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{definition_changed, key, screen};
use serde_json::Value;
use statescope::asl::engine::ExecutionConfig;
use statescope::asl::load::LoadOptions;
use statescope::asl::source::Source;
use statescope::learn::{Lesson, LessonFiles, catalog};
use statescope::tui::App;
use statescope::tui::app::Files;
use statescope::tui::lesson::LessonView;
use statescope::tui::session::Session;

fn lessons_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-machines/lessons")
}

fn lessons() -> Vec<Lesson> {
    catalog::lessons().expect("every lesson.json parses")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn statescope(state_dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_statescope"))
        .args(args)
        .env("STATESCOPE_STATE_DIR", state_dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run statescope")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-learn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn every_solution_passes_and_no_starting_file_does() {
    let all = lessons();
    assert!(all.len() >= 14, "the curriculum has at least 14 lessons, found {}", all.len());
    let state = temp_dir("all");
    for lesson in &all {
        let dir = lessons_dir().join(lesson.slug);
        let solution = dir.join("solution.asl.json");
        let start = dir.join(lesson.file_name());
        let verdict = lesson.check("solution.asl.json", &read(&solution));
        assert!(verdict.passed(), "{}: the solution does not pass: {:?}", lesson.slug, verdict.differences);
        let verdict = lesson.check(&lesson.file_name(), lesson.start);
        assert!(!verdict.passed(), "{}: the starting file already passes", lesson.slug);
        // The shipped starting file is what is compiled in.
        assert_eq!(read(&start), lesson.start, "{}", lesson.slug);

        // The same through the command line, as an instructor's CI would run it.
        let number = lesson.number.to_string();
        let out = statescope(&state, &["learn", "--check", &number, "--file", solution.to_str().expect("utf-8")]);
        assert_eq!(out.status.code(), Some(0), "{}: {}", lesson.slug, String::from_utf8_lossy(&out.stdout));
        let out = statescope(&state, &["learn", "--check", lesson.slug, "--file", start.to_str().expect("utf-8")]);
        assert_eq!(out.status.code(), Some(1), "{}: {}", lesson.slug, String::from_utf8_lossy(&out.stdout));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("not yet") && text.contains("  - "), "{}: {text}", lesson.slug);
    }
    // Checking files given with --file is not the learner's progress.
    assert!(!state.join("progress.json").exists());
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn the_lesson_folders_are_the_list_in_order_with_every_file() {
    let all = lessons();
    let mut folders: Vec<String> = std::fs::read_dir(lessons_dir())
        .expect("lessons folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    folders.sort();
    let listed: Vec<&str> = all.iter().map(|l| l.slug).collect();
    assert_eq!(folders, listed, "every folder is in the list, in order");
    for lesson in &all {
        assert!(
            lesson.slug.starts_with(&format!("{:02}-", lesson.number)),
            "{} is lesson {}",
            lesson.slug,
            lesson.number
        );
        let dir = lessons_dir().join(lesson.slug);
        for file in [lesson.file_name(), format!("{}.input.json", lesson.slug), "solution.asl.json".into()] {
            assert!(dir.join(&file).is_file(), "{}: missing {file}", lesson.slug);
        }
        let mock = dir.join(format!("{}.mock.json", lesson.slug));
        assert_eq!(mock.is_file(), lesson.mock.is_some(), "{}: mock config and testCase go together", lesson.slug);
        assert!(!lesson.hints.is_empty(), "{}: no hints", lesson.slug);
        assert!(lesson.is_named(&lesson.number.to_string()) && lesson.is_named(lesson.slug));
    }
}

#[test]
fn check_exit_codes_working_copy_and_progress() {
    let state = temp_dir("progress");
    let listed = statescope(&state, &["learn"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("0 of") && text.contains("State types"), "{text}");

    // No working copy yet, an unreadable file, an unknown lesson: exit 2.
    assert_eq!(statescope(&state, &["learn", "--check", "1"]).status.code(), Some(2));
    assert_eq!(statescope(&state, &["learn", "--check", "1", "--file", "/nonexistent/x.json"]).status.code(), Some(2));
    assert_eq!(statescope(&state, &["learn", "--check", "99", "--file", "x.json"]).status.code(), Some(2));

    // --format json: one line for a CI to read.
    let start = lessons_dir().join("02-input-output-path/02-input-output-path.asl.json");
    let out =
        statescope(&state, &["learn", "--check", "2", "--file", start.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["lesson"], "02-input-output-path");
    assert_eq!(line["solved"], false);
    assert_eq!(line["differences"].as_array().map(Vec::len), Some(3), "{line}");

    // A definition that does not validate is "not yet", with the error's position.
    let broken = state.join("broken.asl.json");
    std::fs::write(&broken, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}")
        .expect("write");
    let out = statescope(&state, &["learn", "--check", "1", "--file", broken.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("does not validate") && text.contains("broken.asl.json:1:"), "{text}");

    // The learner's working copy, solved, is progress.
    let lesson = &lessons()[0];
    let copy = state.join("lessons").join(lesson.slug);
    std::fs::create_dir_all(&copy).expect("mkdir");
    std::fs::write(copy.join(lesson.file_name()), lesson.start).expect("write");
    assert_eq!(statescope(&state, &["learn", "--check", "state-types"]).status.code(), Some(1));
    let text = String::from_utf8_lossy(&statescope(&state, &["learn"]).stdout).into_owned();
    assert!(text.lines().any(|l| l.starts_with("…") && l.contains("State types")), "started: {text}");
    std::fs::copy(lessons_dir().join(lesson.slug).join("solution.asl.json"), copy.join(lesson.file_name()))
        .expect("copy");
    assert_eq!(statescope(&state, &["learn", "--check", "1"]).status.code(), Some(0));
    let text = String::from_utf8_lossy(&statescope(&state, &["learn"]).stdout).into_owned();
    assert!(text.lines().any(|l| l.starts_with("✓") && l.contains("State types")), "{text}");
    assert!(text.contains("1 of"), "{text}");
    let _ = std::fs::remove_dir_all(&state);
}

/// A lesson made of literal files, to try one goal kind at a time.
fn lesson_with(checks: &'static str, mock: Option<&'static str>) -> Lesson {
    let lesson: &'static str = Box::leak(
        format!(
            r#"{{"title": "T", "teaches": "t", "goal": "g", "hints": ["h"], {} "checks": {checks}}}"#,
            if mock.is_some() { r#""testCase": "Case","# } else { "" }
        )
        .into_boxed_str(),
    );
    let files = LessonFiles { slug: "99-test", lesson, start: "{}", input: r#"{"n": 1}"#, mock };
    Lesson::parse(1, &files).expect("test lesson parses")
}

const FLAKY: &str = r#"{
  "StartAt": "Call",
  "States": {
    "Call": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
      "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 5}],
      "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.error", "Next": "Recover"}],
      "Next": "Done"
    },
    "Recover": {"Type": "Pass", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}"#;

const FLAKY_MOCK: &str = r#"{
  "StateMachines": {"M": {"TestCases": {"Case": {"Call": "R"}}}},
  "MockedResponses": {"R": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Throw": {"Error": "Broken", "Cause": "c"}}}}
}"#;

#[test]
fn each_goal_kind_passes_when_met_and_says_what_differs() {
    let cases: &[(&'static str, bool, &str)] = &[
        (r#"[{"status": "SUCCEEDED"}]"#, true, ""),
        (r#"[{"status": "FAILED", "error": "Broken"}]"#, false, "the goal is that it fails with Broken"),
        (r#"[{"output": {"n": 1, "error": {"Error": "Broken", "Cause": "c"}}}]"#, true, ""),
        (r#"[{"output": {"n": 2}}]"#, false, "the goal is {\"n\": 2}"),
        (r#"[{"path": ["Call", "Recover", "Done"]}]"#, true, ""),
        (r#"[{"path": ["Call", "Done"]}]"#, false, "states entered: Call → Recover → Done; the goal: Call → Done"),
        (r#"[{"visits": ["Call", "Done"]}]"#, true, ""),
        (r#"[{"visits": ["Done", "Call"]}]"#, false, "'Call' is not entered where the goal needs it"),
        (r#"[{"caught": "Broken", "state": "Call"}]"#, true, ""),
        (r#"[{"caught": "Busy"}]"#, false, "no Catch took Busy (Catches taken: Broken in 'Call')"),
        (r#"[{"retried": "Call", "times": 1}]"#, true, ""),
        (r#"[{"retried": "Call", "times": 2}]"#, false, "'Call' is retried 1 time(s); the goal is 2"),
        (r#"[{"maxSeconds": 5}]"#, true, ""),
        (r#"[{"maxSeconds": 4}]"#, false, "the run takes 5 s; the goal is at most 4 s"),
        (r#"[{"stateInput": "Recover", "equals": {"n": 1, "error": {"Error": "Broken", "Cause": "c"}}}]"#, true, ""),
        (r#"[{"stateInput": "Call", "equals": {}}]"#, false, "'Call' is first given {\"n\": 1}; the goal is {}"),
        (r#"[{"noDiagnostic": "ASL104"}]"#, true, ""),
        (r#"[{"diagnostic": "ASL104"}]"#, false, "the validator does not report ASL104 yet"),
        (r#"[{"definition": "/States/Call/Retry/0/IntervalSeconds", "equals": 5}]"#, true, ""),
        (r#"[{"definition": "/States/Call/TimeoutSeconds"}]"#, false, "'Call' has no TimeoutSeconds yet"),
        (r#"[{"noDefinition": "/States/Call/TimeoutSeconds"}]"#, true, ""),
        (r#"[{"noDefinition": "/States/Call/Retry"}]"#, false, "'Call' still has Retry [{"),
        (
            r#"[{"definition": "/States/Call/Retry/0/IntervalSeconds", "equals": 2}]"#,
            false,
            "/States/Call/Retry/0/IntervalSeconds is 5; the goal is 2",
        ),
        (r#"[{"definition": "/States/Call/Resource", "equals": "x"}]"#, false, "'Call' has Resource \"arn:aws:lambda:"),
        (r#"[{"noResource": ".sync"}]"#, true, ""),
        (r#"[{"noResource": "function:f"}]"#, false, "Task 'Call' still uses arn:aws:lambda"),
    ];
    for (checks, passes, says) in cases {
        let verdict = lesson_with(checks, Some(FLAKY_MOCK)).check("m.asl.json", FLAKY);
        assert_eq!(verdict.passed(), *passes, "{checks}: {:?}", verdict.differences);
        if !passes {
            assert!(verdict.differences.iter().any(|d| d.contains(says)), "{checks}: {:?}", verdict.differences);
        }
    }
}

#[test]
fn a_yaml_definition_is_checked_like_json() {
    let yaml = "StartAt: Call\nStates:\n  Call:\n    Type: Task\n    Resource: arn:aws:lambda:us-east-1:123456789012:function:f\n    End: true\n";
    let lesson = lesson_with(r#"[{"definition": "/States/Call/TimeoutSeconds"}]"#, Some(FLAKY_MOCK));
    let verdict = lesson.check("m.asl.yaml", yaml);
    assert_eq!(verdict.differences, vec!["'Call' has no TimeoutSeconds yet".to_string()]);
    let with_timeout = yaml.replace("    End: true", "    TimeoutSeconds: 30\n    End: true");
    assert!(lesson.check("m.asl.yaml", &with_timeout).passed());
}

#[test]
fn a_long_path_is_summed_up_not_listed() {
    let lesson = lessons().into_iter().find(|l| l.slug == "18-history-quota").expect("lesson 18");
    let verdict = lesson.check("x", lesson.start);
    let path = verdict.differences.iter().find(|d| d.contains("states entered")).expect("a path difference");
    assert!(path.contains(" more … → "), "{path}");
    assert!(path.len() < 400, "{} characters: {path}", path.len());
}

#[test]
fn a_diagnostic_goal_names_the_code_and_position() {
    // An unreachable state is a warning: the machine still runs.
    let unreachable =
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}, "C": {"Type": "Succeed"}}}"#;
    let verdict = lesson_with(r#"[{"noDiagnostic": "ASL104"}]"#, None).check("u.asl.json", unreachable);
    assert_eq!(verdict.differences.len(), 2, "each finding, B and C: {verdict:?}");
    assert!(verdict.differences.iter().all(|d| d.starts_with("still reported: u.asl.json:1:")), "{verdict:?}");
    assert!(lesson_with(r#"[{"diagnostic": "ASL104"}]"#, None).check("u.asl.json", unreachable).passed());
}

#[test]
fn a_lesson_file_with_a_bad_check_is_refused() {
    for checks in [r#"[]"#, r#"[{"frobnicate": 1}]"#, r#"[{"retried": "A"}]"#, r#"[{"output": 1, "extra": 2}]"#] {
        let lesson: &'static str = Box::leak(
            format!(r#"{{"title": "T", "teaches": "t", "goal": "g", "hints": [], "checks": {checks}}}"#)
                .into_boxed_str(),
        );
        let files = LessonFiles { slug: "99-bad", lesson, start: "{}", input: "{}", mock: None };
        assert!(Lesson::parse(1, &files).is_err(), "{checks} was accepted");
    }
}

fn lesson_app(lesson: &Lesson) -> App {
    let input: Value = lesson.input_value().expect("input");
    let tasks = lesson.tasks().expect("tasks");
    let name = format!("lessons/{}", lesson.file_name());
    let session = Session::start_with_tasks(
        Source::new(name.as_str(), lesson.start),
        &LoadOptions::default(),
        input,
        ExecutionConfig::default(),
        tasks,
    )
    .expect("the starting definition checks");
    let mut app = App::new(session, Files { definition: name.clone(), input: None, mock: None, ..Files::default() });
    app.lesson = Some(LessonView::new(lesson.clone(), name, lesson.start));
    app
}

#[test]
fn the_lesson_pane_shows_the_goal_then_a_tick_after_a_solving_save() {
    let lesson = lessons().into_iter().find(|l| l.slug == "01-state-types").expect("lesson 1");
    let mut app = lesson_app(&lesson);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Lesson 1 · State types"), "{text}");
    assert!(text.contains("Goal: Make the execution succeed"), "{text}");
    assert!(text.contains("A state machine is a set of states"), "the intro says what it teaches: {text}");
    assert!(text.contains("Not yet: 3 thing(s) differ"), "{text}");
    assert!(text.contains("h: hint (3 left)"), "{text}");
    assert!(!app.lesson.as_ref().expect("lesson").unrecorded, "nothing to record before it is solved");
    // A small screen keeps the goal and the verdict line; the lesson text gives way.
    let lesson_11 = lessons().into_iter().find(|l| l.slug == "11-retry-catch").expect("lesson 11");
    let small = screen(&mut lesson_app(&lesson_11), 80, 24);
    assert!(small.contains("Goal: The gateway is busy") && small.contains("Not yet: 4 thing(s) differ"), "{small}");
    assert!(!small.contains("Retry lists retriers"), "{small}");
    // Below 80×24 (one pane at a time) the lesson stays on top.
    let tiny = screen(&mut lesson_app(&lesson_11), 70, 20);
    assert!(tiny.contains("Lesson 11 ·") && tiny.contains("Goal:"), "{tiny}");

    // `h` shows the first hint (and does not move the stage view).
    key(&mut app, 'h');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Hint 1 of 3: A Fail state always fails"), "{text}");
    assert!(text.contains("h: hint (2 left)"), "{text}");

    // A save that does not solve it yet: still the list of differences.
    definition_changed(&mut app, &lesson.start.replace("\"Give up\"", "\"Done\""));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Not yet:") && !text.contains("✓ Solved"), "{text}");
    assert!(text.contains("• the execution fails with NotDoneYet"), "what differs, after a save: {text}");
    assert!(!text.contains("A state machine is a set of states"), "the intro made room: {text}");

    let solution = read(&lessons_dir().join(lesson.slug).join("solution.asl.json"));
    definition_changed(&mut app, &solution);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("✓ Solved!"), "{text}");
    assert!(!text.contains("Not yet:"), "{text}");
    assert!(text.contains("✓ lesson 1 solved!"), "the status bar says so: {text}");
    assert!(app.lesson.as_ref().expect("lesson").unrecorded, "the runtime records the solve");

    // A save that breaks it again takes the tick away.
    definition_changed(&mut app, lesson.start);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Not yet:") && !text.contains("✓ Solved"), "{text}");
}

#[test]
fn what_does_not_fit_in_the_lesson_pane_is_counted() {
    let lesson = lessons().into_iter().find(|l| l.slug == "17-best-practices").expect("lesson 17");
    let differences = lesson.check("x", lesson.start).differences.len();
    assert!(differences >= 4, "{differences}");
    let mut app = lesson_app(&lesson);
    definition_changed(&mut app, lesson.start);
    let small = screen(&mut app, 100, 30);
    assert!(small.contains("… and ") && small.contains(" more"), "{small}");
    assert!(small.contains("edit lessons/17-best-practices"), "the footer stays: {small}");
    // With room, every difference is listed and nothing is counted.
    let tall = screen(&mut app, 160, 90);
    assert_eq!(tall.matches("  • ").count(), differences, "{tall}");
    assert!(!tall.contains("… and "), "{tall}");
}

#[test]
fn h_typed_into_the_answer_dialog_is_text_not_a_hint() {
    let lesson = lessons().into_iter().find(|l| l.slug == "04-result-selector").expect("lesson 4");
    let input: Value = lesson.input_value().expect("input");
    // No mock: the Task waits and the answer dialog takes the keys.
    let session = Session::start(Source::new("l.asl.json", lesson.start), input, ExecutionConfig::default())
        .expect("the starting definition checks");
    let mut app =
        App::new(session, Files { definition: "l.asl.json".into(), input: None, mock: None, ..Files::default() });
    app.lesson = Some(LessonView::new(lesson.clone(), "l.asl.json".into(), lesson.start));
    key(&mut app, 'c');
    assert!(app.dialog.is_some(), "the Task asks for its result");
    key(&mut app, 'h');
    assert_eq!(app.lesson.as_ref().expect("lesson").hints_shown, 0);
    assert!(app.dialog.as_ref().expect("dialog").result.ends_with('h'), "typed into the dialog");
}

#[test]
fn h_typed_into_the_expression_prompt_is_text_not_a_hint() {
    let lesson = lessons().into_iter().next().expect("a lesson");
    let mut app = lesson_app(&lesson);
    crate::support::keys(&mut app, "ss:");
    assert!(app.prompt.is_some(), "`:` opens the expression prompt");
    crate::support::keys(&mut app, "$.h");
    assert_eq!(app.lesson.as_ref().expect("lesson").hints_shown, 0);
    assert_eq!(app.prompt.as_ref().expect("prompt").text, "$.h");
}

#[test]
fn without_a_lesson_h_still_moves_left() {
    let lesson = lessons().into_iter().next().expect("a lesson");
    let mut app = lesson_app(&lesson);
    app.lesson = None;
    crate::support::keys(&mut app, "ss");
    let before = app.selected_stage_index();
    key(&mut app, 'h');
    assert_ne!(app.selected_stage_index(), before, "h is ← outside lessons");
}

#[test]
fn an_express_lesson_is_checked_and_run_as_express() {
    let lesson = lessons().into_iter().find(|l| l.slug == "16-standard-express").expect("lesson 16");
    assert_eq!(lesson.workflow_type, statescope::asl::workflow::WorkflowType::Express);
    let verdict = lesson.check("x", lesson.start);
    assert!(
        verdict.differences.iter().any(|d| d.contains("[express-unsupported-integration]")),
        "the callback is refused as Express refuses it: {:?}",
        verdict.differences
    );
    // Express's five-minute limit applies to the run: a 400 s Wait times out.
    let long = r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400, "End": true}}}"#;
    let express: &'static str = r#"{"title": "T", "teaches": "t", "goal": "g", "hints": [], "workflowType": "EXPRESS", "checks": [{"status": "SUCCEEDED"}]}"#;
    let files = LessonFiles { slug: "99-express", lesson: express, start: "{}", input: "{}", mock: None };
    let verdict = Lesson::parse(1, &files).expect("parses").check("w.asl.json", long);
    assert!(verdict.differences.iter().any(|d| d.contains("the execution times out")), "{verdict:?}");
    assert!(lesson_with(r#"[{"status": "SUCCEEDED"}]"#, None).check("w.asl.json", long).passed(), "Standard waits");
    let bad = r#"{"title": "T", "teaches": "t", "goal": "g", "hints": [], "workflowType": "FAST", "checks": [{"status": "SUCCEEDED"}]}"#;
    let files = LessonFiles { slug: "99-bad", lesson: bad, start: "{}", input: "{}", mock: None };
    assert!(Lesson::parse(1, &files).is_err(), "an unknown workflow type is refused");
}
