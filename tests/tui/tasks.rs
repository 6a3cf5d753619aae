//! Tasks waiting for an answer: the dialog, its checks, the execution going on, mocks, and
//! saving the answers as a mock config.

use std::sync::Arc;

use crate::support::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use statescope::asl::engine::stage::StageDetail;
use statescope::asl::engine::tasks::TaskAnswer;
use statescope::asl::engine::{ExecutionConfig, Status};
use statescope::asl::mock::{MockSource, parse_mock_config};
use statescope::asl::source::Source;
use statescope::tui::answer::{self, Field};
use statescope::tui::app::{Files, MockFile};
use statescope::tui::event::FileChange;
use statescope::tui::session::Session;
use statescope::tui::{App, Event, update};

/// Charge a card (a Task with Parameters and a Catch), then say thanks.
const SHOP: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "charge", "Payload": {"amount.$": "$.total"}},
      "ResultSelector": {"receipt.$": "$.Payload.receipt"},
      "ResultPath": "$.charged",
      "Catch": [{"ErrorEquals": ["Card.Declined"], "ResultPath": "$.why", "Next": "Declined"}],
      "Next": "Thanks"
    },
    "Thanks": {"Type": "Pass", "OutputPath": "$.charged", "End": true},
    "Declined": {"Type": "Fail", "Error": "NoSale"}
  }
}"#;

fn shop() -> App {
    app_for(SHOP, r#"{"total": 42}"#)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
}

/// Ctrl-U: empties the field (the result field starts with the integration's result shape).
fn clear_field(app: &mut App) {
    update(app, Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
}

fn waiting(app: &App) -> bool {
    matches!(app.session.exec.status(), Status::AwaitingTask(_))
}

/// Runs until the task asks.
fn to_the_task(app: &mut App) {
    key(app, 'c');
    assert!(waiting(app), "{:?}", app.session.exec.status());
}

#[test]
fn a_task_without_a_mock_opens_the_dialog_with_its_effective_input() {
    let mut app = shop();
    to_the_task(&mut app);
    assert!(app.dialog.is_some());
    let Status::AwaitingTask(request) = app.session.exec.status() else { unreachable!() };
    assert_eq!(*request.input, json!({"FunctionName": "charge", "Payload": {"amount": 42}}));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Task 'Charge' is waiting for a result"), "{text}");
    assert!(text.contains("\"amount\": 42"), "{text}");
    assert!(text.contains("WAITING FOR TASK"), "{text}");
}

#[test]
fn a_result_is_checked_then_the_execution_goes_on_with_it() {
    let mut app = shop();
    to_the_task(&mut app);
    // The field starts with lambda:invoke's result shape; start from scratch.
    clear_field(&mut app);
    type_text(&mut app, r#"{"Payload": {"receipt": "R-1"#);
    code(&mut app, KeyCode::Enter);
    assert!(waiting(&app), "refused: not JSON");
    let problem = app.dialog.as_ref().and_then(|d| d.problem.clone()).unwrap_or_default();
    assert!(problem.starts_with("the result is not JSON"), "{problem}");
    assert!(screen(&mut app, 120, 40).contains("the result is not JSON"));
    type_text(&mut app, "\"}}");
    code(&mut app, KeyCode::Enter);
    assert!(app.dialog.is_none());
    assert_eq!(app.session.exec.status(), &Status::Running);
    assert_eq!(app.message.as_deref(), Some("answered 'Charge' with a result; s steps on"));
    key(&mut app, 'c');
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "R-1"}))));
}

#[test]
fn an_error_answer_is_caught_like_a_failed_task() {
    let mut app = shop();
    to_the_task(&mut app);
    code(&mut app, KeyCode::Tab);
    assert_eq!(app.dialog.as_ref().map(|d| d.field), Some(Field::Error));
    code(&mut app, KeyCode::Enter);
    assert!(waiting(&app), "refused: no error name");
    type_text(&mut app, "Card.Declined");
    code(&mut app, KeyCode::Tab);
    type_text(&mut app, "insufficient funds");
    code(&mut app, KeyCode::Enter);
    key(&mut app, 'c');
    assert!(matches!(app.session.exec.status(), Status::Failed { error: Some(e), .. } if e == "NoSale"));
    let caught = app
        .session
        .exec
        .stages()
        .iter()
        .any(|s| matches!(s.detail.as_deref(), Some(StageDetail::Caught { next, .. }) if &**next == "Declined"));
    assert!(caught);
    let why = app.session.exec.stages().iter().find(|s| &*s.state == "Declined").map(|s| s.value()["why"].clone());
    assert_eq!(why, Some(json!({"Error": "Card.Declined", "Cause": "insufficient funds"})));
}

#[test]
fn esc_puts_the_question_off_and_a_brings_it_back() {
    let mut app = shop();
    to_the_task(&mut app);
    code(&mut app, KeyCode::Esc);
    assert!(app.dialog.is_none() && waiting(&app));
    assert_eq!(app.message.as_deref(), Some("task still waiting: press a to answer it"));
    // Other keys work again while it waits.
    key(&mut app, 'g');
    assert!(app.graph.list);
    key(&mut app, 'a');
    assert!(app.dialog.is_some());
    // Ctrl-C still quits from the dialog.
    update(&mut app, Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.quit);
}

#[test]
fn answers_survive_rewind_restart_and_reload() {
    let mut app = shop();
    to_the_task(&mut app);
    clear_field(&mut app);
    type_text(&mut app, r#"{"Payload": {"receipt": "R-2"}}"#);
    code(&mut app, KeyCode::Enter);
    keys(&mut app, "ss");
    let shown = app.session.exec.stages().len();
    definition_changed(&mut app, &SHOP.replace("\"End\": true", "\"Comment\": \"edited\", \"End\": true"));
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert_eq!(app.session.exec.stages().len(), shown, "replayed to the same stage, no new question");
    assert!(app.dialog.is_none());
    key(&mut app, 'r');
    key(&mut app, 'c');
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "R-2"}))));
}

#[test]
fn a_mock_config_answers_without_asking() {
    let parsed = parse_mock_config(PAID);
    let config = parsed.config.expect("mock parses");
    let tasks = Arc::new(MockSource::new(&config, None, "Paid").expect("test case"));
    let mut app = with_tasks(tasks);
    key(&mut app, 'c');
    assert!(app.dialog.is_none());
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "MOCK"}))));
}

fn with_tasks(tasks: Arc<MockSource>) -> App {
    let input: Value = json!({"total": 42});
    let session = Session::start_with_tasks(
        Source::new(DEF_NAME, SHOP),
        &Default::default(),
        input,
        ExecutionConfig::default(),
        tasks,
    )
    .expect("checks");
    let mock = MockFile { path: "machines/shop.mock.json".into(), test_case: "Paid".into(), state_machine: None };
    App::new(session, Files { definition: DEF_NAME.into(), input: None, mock: Some(mock), ..Files::default() })
}

const PAID: &str = r#"{"StateMachines": {"shop": {"TestCases": {"Paid": {"Charge": "Ok"}}}},
    "MockedResponses": {"Ok": {"0": {"Return": {"Payload": {"receipt": "MOCK"}}}}}}"#;

fn mock_changed(app: &mut App, text: &str) {
    update(app, Event::FileChanged(FileChange { definition: None, input: None, mock: Some(Ok(text.into())) }));
}

#[test]
fn an_edited_mock_config_is_reloaded_and_a_broken_one_reported() {
    let config = parse_mock_config(PAID).config.expect("mock parses");
    let mut app = with_tasks(Arc::new(MockSource::new(&config, None, "Paid").expect("test case")));
    key(&mut app, 'c');
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "MOCK"}))));
    mock_changed(&mut app, &PAID.replace("MOCK", "EDITED"));
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "EDITED"}))));
    // A mock for a state the machine lacks: refused, the last good mock still answers.
    mock_changed(&mut app, &PAID.replace("\"Charge\": \"Ok\"", "\"Chrage\": \"Ok\""));
    assert!(!app.diagnostics().is_empty());
    assert!(app.diagnostics()[0].starts_with("machines/shop.mock.json:"), "{:?}", app.diagnostics());
    assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "EDITED"}))));
    mock_changed(&mut app, "{ nope");
    assert!(app.diagnostics()[0].starts_with("machines/shop.mock.json:1:"), "{:?}", app.diagnostics());
    // Without the mock for Charge the task asks again.
    mock_changed(&mut app, &PAID.replace("{\"Charge\": \"Ok\"}", "{}"));
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert!(waiting(&app));
    assert!(app.dialog.is_some());
}

#[test]
fn w_saves_the_answers_as_a_mock_config_that_replays_the_run() {
    let mut app = shop();
    key(&mut app, 'w');
    assert!(!app.save_answers);
    assert_eq!(app.message.as_deref(), Some("no task answers given yet: nothing to save"));
    to_the_task(&mut app);
    clear_field(&mut app);
    type_text(&mut app, r#"{"Payload": {"receipt": "R-3"}}"#);
    code(&mut app, KeyCode::Enter);
    key(&mut app, 'w');
    assert!(app.save_answers, "the runtime writes the file");
    assert_eq!(answer::mock_file(DEF_NAME), "machines/greet.answers.mock.json");
    // What it writes, loaded back as a mock, answers the same way.
    let saved = answer::mock_config(DEF_NAME, app.session.exec.answers()).to_string();
    let config = parse_mock_config(&saved).config.expect("saved config parses");
    let tasks = Arc::new(MockSource::new(&config, None, answer::TEST_CASE).expect("test case"));
    let mut replayed = with_tasks(tasks);
    key(&mut replayed, 'c');
    assert_eq!(replayed.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "R-3"}))));
    let recorded: Vec<_> = app.session.exec.answers().iter().map(|(s, i, a)| (s.to_owned(), i, a.clone())).collect();
    assert_eq!(recorded, [("Charge".to_owned(), 0, TaskAnswer::Return(json!({"Payload": {"receipt": "R-3"}})))]);
}

#[test]
fn task_dialog_120x40() {
    let mut app = shop();
    to_the_task(&mut app);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

/// The shop with a `--handler` answering the charge: `command` runs for it.
fn shop_with_handler(command: &str) -> App {
    let mut app = shop();
    app.handlers = statescope::handlers::HandlerConfig {
        rules: vec![format!("arn:aws:states:::lambda:*={command}").parse().expect("handler rule")],
        timeout: std::time::Duration::from_secs(30),
    };
    app
}

/// Drives `update` and the handler runner the way the event loop does, on a tokio runtime.
fn on_runtime(test: impl AsyncFnOnce()) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(test());
}

fn esc(app: &mut App) -> bool {
    update(app, Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)))
}

#[test]
fn a_slow_handler_runs_while_keys_are_handled_and_its_answer_goes_on() {
    on_runtime(async || {
        // Slow enough that the key below is certainly handled before it ends.
        let mut app = shop_with_handler(r#"sleep 0.5; echo '{"Payload": {"receipt": "r-1"}}'"#);
        let (mut runner, mut finished) = statescope::tui::handler::Runner::new();
        key(&mut app, 'c');
        runner.sync(&app);
        assert!(waiting(&app), "the Task waits for its handler: {:?}", app.session.exec.status());
        assert_eq!(app.message.as_deref(), Some("running handler for 'Charge'… (Esc cancels)"));
        let screen = format!("{:?}", render(&mut app, 120, 40).backend().buffer());
        assert!(screen.contains("running handler for 'Charge'"), "shown on screen");
        assert!(app.dialog.is_none(), "no question while the handler runs");
        // A key is handled while the handler runs: the model is not blocked.
        let focus = app.focus;
        update(&mut app, Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
        assert_ne!(app.focus, focus, "Tab moved the focus");
        assert!(runner.is_running(), "the handler is still running after the key");
        let event = finished.recv().await.expect("the handler finishes");
        update(&mut app, event);
        runner.sync(&app);
        // `c` met the Task: it goes on to the end with the handler's result.
        assert_eq!(app.session.exec.status(), &Status::Succeeded(Arc::new(json!({"receipt": "r-1"}))));
        assert!(app.handler.is_none() && !runner.is_running());
    });
}

#[test]
fn esc_cancels_a_running_handler_and_kills_it() {
    let marker = std::env::temp_dir().join(format!("statescope-tui-handler-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    on_runtime(async || {
        let mut app = shop_with_handler(&format!("sleep 1; touch '{}'; echo '{{}}'", marker.display()));
        let (mut runner, _finished) = statescope::tui::handler::Runner::new();
        key(&mut app, 'c');
        runner.sync(&app);
        assert!(runner.is_running());
        esc(&mut app);
        runner.sync(&app);
        assert!(app.handler.is_none(), "cancelled");
        assert_eq!(app.message.as_deref(), Some("handler for 'Charge' cancelled: press a to answer the task"));
        assert!(waiting(&app), "the Task still waits, for a typed answer now");
        // Past the handler's sleep: a killed process never touched the marker.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert!(!marker.exists(), "the cancelled handler was killed");
        assert!(!runner.is_running());
        // Not started again for the same Task; `a` answers it by hand.
        key(&mut app, 's');
        runner.sync(&app);
        assert!(app.handler.is_none() && !runner.is_running());
        key(&mut app, 'a');
        assert!(app.dialog.is_some());
    });
}
