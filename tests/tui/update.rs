//! The debugger's behaviour, driven through `update` with synthetic events (no terminal).

use crate::support::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use statescope::asl::engine::Status;
use statescope::tui::app::Pane;
use statescope::tui::event::FileChange;
use statescope::tui::{Event, update};

fn pick(kind: &'static str) -> (String, &'static str) {
    ("Pick".to_string(), kind)
}

#[test]
fn opens_paused_before_the_first_state() {
    let app = greet();
    assert!(shown(&app).is_empty());
    assert_eq!(app.session.exec.current_state(), Some("Pick"));
    assert_eq!(app.session.exec.history().len(), 1, "only ExecutionStarted");
}

#[test]
fn s_steps_one_stage_in_aws_testsstate_order() {
    let mut app = greet();
    keys(&mut app, "sss");
    assert_eq!(shown(&app), vec![pick("input"), pick("afterInputPath"), pick("afterParameters")]);
    assert_eq!(selected(&app), Some(pick("afterParameters")), "the view follows the newest stage");
    let f11 = code(&mut app, KeyCode::F(11));
    assert!(f11);
    assert_eq!(selected(&app), Some(pick("afterResultPath")));
}

#[test]
fn p_steps_back_one_stage_and_shift_p_one_state() {
    let mut app = greet();
    keys(&mut app, "ssss");
    key(&mut app, 'p');
    assert_eq!(selected(&app), Some(pick("afterParameters")));
    keys(&mut app, "nn"); // finish Pick, then run Greet
    assert_eq!(selected(&app), Some(("Greet".into(), "output")));
    key(&mut app, 'P');
    assert_eq!(selected(&app), Some(pick("output")), "back to the end of the previous state");
    key(&mut app, 'P');
    assert!(shown(&app).is_empty(), "from the first state, back to the start");
}

#[test]
fn n_runs_to_the_end_of_the_state() {
    let mut app = greet();
    key(&mut app, 's');
    key(&mut app, 'n');
    assert_eq!(selected(&app), Some(pick("output")));
    assert!(app.session.between_states());
    assert_eq!(app.session.exec.current_state(), Some("Greet"));
    code(&mut app, KeyCode::F(10));
    assert_eq!(selected(&app), Some(("Greet".into(), "output")));
}

#[test]
fn c_continues_to_a_breakpoint_then_to_the_end() {
    let mut app = greet();
    app.focus = Pane::Graph;
    keys(&mut app, "jj"); // cursor on Wrap
    key(&mut app, 'b');
    assert!(app.breakpoints.contains("Wrap"));
    key(&mut app, 'c');
    assert_eq!(app.session.exec.current_state(), Some("Wrap"));
    assert!(app.session.between_states(), "paused before the breakpointed state");
    assert_eq!(app.message.as_deref(), Some("breakpoint: paused before 'Wrap'"));
    key(&mut app, 'c');
    assert!(matches!(app.session.exec.status(), Status::Succeeded(_)));
    assert_eq!(app.message.as_deref(), Some("execution succeeded"));
}

#[test]
fn b_toggles_the_breakpoint_on_the_selected_state() {
    let mut app = greet();
    app.focus = Pane::Graph;
    key(&mut app, 'b');
    code(&mut app, KeyCode::F(9));
    assert!(app.breakpoints.is_empty());
    key(&mut app, 'j');
    key(&mut app, 'b');
    assert_eq!(app.breakpoints.iter().collect::<Vec<_>>(), vec!["Greet"]);
}

#[test]
fn r_restarts() {
    let mut app = greet();
    keys(&mut app, "nn");
    key(&mut app, 'r');
    assert!(shown(&app).is_empty());
    assert_eq!(app.session.exec.history().len(), 1);
}

#[test]
fn tab_and_shift_tab_cycle_focus() {
    let mut app = greet();
    assert_eq!(app.focus, Pane::Stages);
    code(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::History);
    code(&mut app, KeyCode::Tab);
    code(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Graph);
    update(&mut app, Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(app.focus, Pane::Variables);
}

#[test]
fn left_and_right_inspect_earlier_stages_without_moving_the_execution() {
    let mut app = greet();
    keys(&mut app, "ssss");
    keys(&mut app, "hh");
    assert_eq!(selected(&app), Some(pick("afterInputPath")));
    assert_eq!(shown(&app).len(), 4);
    key(&mut app, 'l');
    assert_eq!(selected(&app), Some(pick("afterParameters")));
}

#[test]
fn enter_on_a_history_event_rewinds_to_it() {
    let mut app = greet();
    key(&mut app, 'c'); // to the end
    let events = app.session.exec.history().len();
    assert!(events > 5);
    app.focus = Pane::History;
    app.history_selected = Some(2); // event 3: PassStateExited Pick
    code(&mut app, KeyCode::Enter);
    assert_eq!(app.session.exec.history().len(), 3);
    assert_eq!(selected(&app), Some(pick("output")));
    assert_eq!(app.message.as_deref(), Some("rewound to event 3 (PassStateExited)"));
    app.history_selected = Some(1); // PassStateEntered Pick
    code(&mut app, KeyCode::Enter);
    assert_eq!(shown(&app), vec![pick("input")]);
}

#[test]
fn d_toggles_the_diff_and_question_mark_the_help() {
    let mut app = greet();
    key(&mut app, 'd');
    assert!(app.diff);
    key(&mut app, '?');
    assert!(app.help);
    key(&mut app, 's');
    assert!(!app.help, "a key closes the help");
    assert!(shown(&app).is_empty(), "and does nothing else");
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut app = greet();
    key(&mut app, 'q');
    assert!(app.quit);
    let mut app = greet();
    update(&mut app, Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.quit);
    assert!(shown(&app).is_empty(), "Ctrl-C is not 'continue'");
}

#[test]
fn resizing_keeps_the_state() {
    let mut app = greet();
    keys(&mut app, "sss");
    update(&mut app, Event::Resize { width: 40, height: 10 });
    update(&mut app, Event::Resize { width: 120, height: 40 });
    assert_eq!(shown(&app).len(), 3);
    assert_eq!(app.size, (120, 40));
}

#[test]
fn ticks_do_not_redraw() {
    let mut app = greet();
    assert!(!update(&mut app, Event::Tick));
}

#[test]
fn reload_replays_to_the_same_stage() {
    let mut app = greet();
    keys(&mut app, "nss"); // Pick done, Greet: input, result
    definition_changed(&mut app, &GREET.replace("\"Hello!\"", "\"Howdy!\""));
    // The message says what the edit changed, as `statescope diff` does (issue 16).
    assert_eq!(
        app.message.as_deref(),
        Some("reloaded: replayed to stage 7 of 'Greet'; 'Greet' Result: \"Hello!\" → \"Howdy!\"")
    );
    assert_eq!(selected(&app), Some(("Greet".into(), "result")));
    assert_eq!(*app.selected_stage().expect("a stage").value(), serde_json::json!("Howdy!"));
    assert!(app.diagnostics().is_empty());
}

#[test]
fn an_invalid_definition_keeps_the_last_good_one_running() {
    let mut app = greet();
    keys(&mut app, "ss");
    let broken = GREET.replace("\"Next\": \"Greet\"", "\"Next\": \"Greeet\"");
    definition_changed(&mut app, &broken);
    assert_eq!(shown(&app).len(), 2, "the execution is untouched");
    assert_eq!(app.diagnostics().len(), 2, "the problem and its hint: {:?}", app.diagnostics());
    let d = &app.diagnostics()[0];
    assert!(d.starts_with("machines/greet.asl.json:10:"), "file:line:col first: {d}");
    assert!(d.contains("Greeet"), "{d}");
    assert_eq!(app.diagnostics()[1], "  = help: did you mean 'Greet'?", "the hint is kept");
    key(&mut app, 's');
    assert_eq!(shown(&app).len(), 3, "still debuggable");
    definition_changed(&mut app, GREET);
    assert!(app.diagnostics().is_empty(), "fixing the file clears the panel");
    assert_eq!(app.message.as_deref(), Some("reloaded: replayed to stage 3 of 'Pick'"));
}

#[test]
fn half_written_and_deleted_files_end_in_the_right_state() {
    let mut app = greet();
    keys(&mut app, "ss");
    definition_changed(&mut app, &GREET[..GREET.len() / 2]);
    assert!(!app.diagnostics().is_empty());
    update(
        &mut app,
        Event::FileChanged(FileChange { definition: Some(Err("gone: cannot read".into())), input: None, mock: None }),
    );
    assert_eq!(app.diagnostics(), vec!["gone: cannot read".to_string()]);
    definition_changed(&mut app, GREET);
    assert!(app.diagnostics().is_empty());
    assert_eq!(shown(&app).len(), 2);
}

#[test]
fn a_vanished_state_is_named() {
    let mut app = greet();
    keys(&mut app, "ns"); // Greet: input
    let renamed = GREET.replace("\"Greet\"", "\"Salute\"");
    definition_changed(&mut app, &renamed);
    assert_eq!(
        app.message.as_deref(),
        Some("reloaded: state 'Greet' is gone; replayed to stage 6 of 'Salute'; renamed: \"Greet\" → 'Salute'")
    );
}

#[test]
fn breakpoints_survive_a_reload_by_name() {
    let mut app = greet();
    app.focus = Pane::Graph;
    keys(&mut app, "jjb");
    definition_changed(&mut app, &GREET.replace("Greets someone", "Greets anyone"));
    key(&mut app, 'c');
    assert_eq!(app.session.exec.current_state(), Some("Wrap"));
    assert!(app.session.between_states());
}

#[test]
fn input_changes_replay_with_the_new_input() {
    let mut app = greet();
    keys(&mut app, "ss");
    input_changed(&mut app, r#"{"order": {"customer": {"name": "Grace"}, "items": []}}"#);
    assert_eq!(app.selected_stage().map(|s| s.value()["customer"]["name"].clone()), Some(serde_json::json!("Grace")));
    input_changed(&mut app, "{\"order\": ");
    assert!(app.diagnostics()[0].starts_with("machines/greet.input.json:1:"), "{:?}", app.diagnostics());
}

#[test]
fn i_asks_the_runtime_to_open_the_editor_on_the_input() {
    let mut app = greet();
    key(&mut app, 'i');
    assert!(app.edit_input);
    assert!(shown(&app).is_empty(), "nothing else happens in the model");
}

#[test]
fn the_stage_list_holds_the_visit_of_the_selected_stage() {
    let mut app = greet();
    keys(&mut app, "nss"); // Pick (5 stages), Greet: input, result
    let visit = app.selected_visit().expect("a visit");
    assert_eq!((visit.state.as_str(), visit.start, visit.end), ("Greet", 5, 7));
    keys(&mut app, "hhh"); // back into Pick's stages
    let visit = app.selected_visit().expect("a visit");
    assert_eq!((visit.state.as_str(), visit.start, visit.end), ("Pick", 0, 5));
    assert_eq!(app.session.visits().len(), 2);
}

#[test]
fn each_file_keeps_its_own_problems() {
    let mut app = greet();
    keys(&mut app, "ss");
    definition_changed(&mut app, "{ broken");
    input_changed(&mut app, r#"{"order": {"customer": {"name": "Grace"}, "items": []}}"#);
    // The good input is taken; the broken definition is still reported.
    assert_eq!(app.diagnostics().len(), 1, "{:?}", app.diagnostics());
    assert!(app.diagnostics()[0].starts_with("machines/greet.asl.json:"), "{:?}", app.diagnostics());
    assert_eq!(app.selected_stage().map(|s| s.value()["customer"]["name"].clone()), Some(serde_json::json!("Grace")));
    definition_changed(&mut app, GREET);
    assert!(app.diagnostics().is_empty());
}

#[test]
fn long_json_lines_scroll_sideways_with_shift_arrows_and_angle_brackets() {
    let long = format!("{}END", "x".repeat(300));
    let mut app = app_for(GREET, &serde_json::json!({"order": {"note": long}}).to_string());
    key(&mut app, 's');
    let first = screen(&mut app, 120, 40);
    assert!(!first.contains("END"), "the end of the line is off screen");
    assert!(!first.contains("[from column"));
    // Far right: clamped to the widest line, so the end shows and one step back moves at once.
    for _ in 0..100 {
        key(&mut app, '>');
    }
    let right = screen(&mut app, 120, 40);
    assert!(right.contains("END\""), "{right}");
    assert!(right.contains("[from column "), "the field line says where the view starts");
    let max = app.json_hscroll;
    assert!(max > 0 && max == app.json_hmax.get());
    update(&mut app, Event::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT)));
    assert_eq!(app.json_hscroll, max - 8);
    assert_eq!(app.selected_stage_index(), Some(0), "Shift-← is not ←: the stage stays");
    update(&mut app, Event::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT)));
    assert_eq!(app.json_hscroll, max);
    for _ in 0..100 {
        key(&mut app, '<');
    }
    assert_eq!(app.json_hscroll, 0);
    assert_eq!(screen(&mut app, 120, 40), first);
}

/// `--history`: the debugger opens on a recording; an edit that makes the definition depart
/// from it is reported, and the state and event are marked `≠` in the graph and history.
#[test]
fn a_recording_reports_and_marks_where_an_edit_departs_from_it() {
    use statescope::asl::engine::history::aws::{AwsHistoryOptions, aws_history_document};
    use statescope::asl::engine::replay::parse_history;
    use statescope::tui::app::Recording;
    let mut recorded = greet();
    keys(&mut recorded, "c");
    let doc = aws_history_document(recorded.session.exec.history(), &AwsHistoryOptions::default());
    let history = parse_history(&doc.to_string()).expect("history");
    let mut app = greet();
    app.recording = Some(Recording { path: "greet.history.json".into(), history, divergence: None });
    assert_eq!(
        app.check_recording().as_deref(),
        Some("replaying greet.history.json: the definition matches the recording")
    );
    assert_eq!(app.diverged_state(), None);
    definition_changed(&mut app, &GREET.replace("\"Hello!\"", "\"Howdy!\""));
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with(
            "diverges from the recording at event 5: PassStateExited 'Greet': output differs at $.greeting: the \
             recording has \"Hello!\", the replay \"Howdy!\"; reloaded: "
        ),
        "{message}"
    );
    assert_eq!(app.diverged_state(), Some("Greet"));
    keys(&mut app, "c");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("≠ recording at #5"), "history pane title:\n{text}");
    assert!(
        text.lines().any(|l| l.contains("≠  5 ") && l.contains("PassStateExited Greet")),
        "the event is marked:\n{text}"
    );
}

/// Reads a template's DefinitionUri file from a directory, as the command line does.
struct Beside(std::path::PathBuf);

impl statescope::asl::load::ReadFile for Beside {
    fn read(&self, uri: &str) -> Result<statescope::asl::source::Source, String> {
        let path = self.0.join(uri);
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        Ok(statescope::asl::source::Source::new(path.display().to_string(), text))
    }
}

#[test]
fn a_templates_definition_file_reloads_with_the_template() {
    use statescope::asl::engine::ExecutionConfig;
    use statescope::asl::load::LoadOptions;
    use statescope::asl::source::Source;
    use statescope::tui::App;
    use statescope::tui::app::Files;
    use statescope::tui::session::Session;

    let dir = std::env::temp_dir().join(format!("statescope-uri-reload-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("statemachine")).expect("temp dir");
    let template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        Greeting: hello\n";
    let flow = |name: &str| {
        format!(
            r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Pass", "Result": "${{Greeting}}", "End": true}}}}}}"#
        )
    };
    std::fs::write(dir.join("template.yaml"), template).expect("write");
    std::fs::write(dir.join("statemachine/flow.asl.json"), flow("Greet")).expect("write");
    let options = LoadOptions { reader: Some(std::sync::Arc::new(Beside(dir.clone()))), ..LoadOptions::default() };
    let source = Source::new("template.yaml", template);
    let session = Session::start_with_tasks(
        source,
        &options,
        serde_json::json!({}),
        ExecutionConfig::default(),
        std::sync::Arc::new(statescope::asl::engine::tasks::NoTasks),
    )
    .expect("the template's definition checks");
    let mut app = App::new(session, Files { definition: "template.yaml".into(), load: options, ..Files::default() });
    assert_eq!(app.session.state_names(), ["Greet"]);
    // The definition file is saved: the watch delivers the (unchanged) template, which is
    // checked again and reads the new definition.
    std::fs::write(dir.join("statemachine/flow.asl.json"), flow("Welcome")).expect("write");
    definition_changed(&mut app, template);
    assert_eq!(app.session.state_names(), ["Welcome"]);
    // A broken definition file keeps the last good machine and names that file.
    std::fs::write(dir.join("statemachine/flow.asl.json"), "{\"StartAt\": ").expect("write");
    definition_changed(&mut app, template);
    assert_eq!(app.session.state_names(), ["Welcome"]);
    assert!(app.problems.definition.iter().any(|p| p.contains("flow.asl.json:1:")), "{:?}", app.problems.definition);
    let _ = std::fs::remove_dir_all(&dir);
}
