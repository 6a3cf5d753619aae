//! Building a debugger model without a terminal, and feeding it synthetic events.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use statescope::asl::engine::ExecutionConfig;
use statescope::asl::source::Source;
use statescope::tui::app::Files;
use statescope::tui::event::FileChange;
use statescope::tui::session::Session;
use statescope::tui::{App, Event, ui, update};

pub const DEF_NAME: &str = "machines/greet.asl.json";
pub const INPUT_NAME: &str = "machines/greet.input.json";

/// Three Pass states and a Succeed, with every path field, so each stage kind shows up.
pub const GREET: &str = r#"{
  "Comment": "Greets someone",
  "StartAt": "Pick",
  "States": {
    "Pick": {
      "Type": "Pass",
      "InputPath": "$.order",
      "Parameters": { "name.$": "$.customer.name", "items.$": "$.items" },
      "ResultPath": "$.picked",
      "Next": "Greet"
    },
    "Greet": {
      "Type": "Pass",
      "Result": "Hello!",
      "ResultPath": "$.greeting",
      "Next": "Wrap"
    },
    "Wrap": {
      "Type": "Pass",
      "OutputPath": "$.greeting",
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}"#;

pub const GREET_INPUT: &str = r#"{"order": {"customer": {"name": "Ada"}, "items": ["tea", "scones", "jam"]}}"#;

pub fn app_for(definition: &str, input: &str) -> App {
    let input: Value = serde_json::from_str(input).expect("test input is JSON");
    let session = Session::start(Source::new(DEF_NAME, definition), input, ExecutionConfig::default())
        .expect("test definition checks");
    App::new(
        session,
        Files { definition: DEF_NAME.into(), input: Some(INPUT_NAME.into()), mock: None, ..Files::default() },
    )
}

pub fn greet() -> App {
    app_for(GREET, GREET_INPUT)
}

pub fn key(app: &mut App, c: char) -> bool {
    update(app, Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
}

pub fn keys(app: &mut App, cs: &str) {
    for c in cs.chars() {
        key(app, c);
    }
}

pub fn code(app: &mut App, code: KeyCode) -> bool {
    update(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn definition_changed(app: &mut App, text: &str) {
    update(app, Event::FileChanged(FileChange { definition: Some(Ok(text.into())), input: None, mock: None }));
}

pub fn input_changed(app: &mut App, text: &str) {
    update(app, Event::FileChanged(FileChange { definition: None, input: Some(Ok(text.into())), mock: None }));
}

/// (state, stage kind) of every stage shown so far.
pub fn shown(app: &App) -> Vec<(String, &'static str)> {
    app.session.exec.stages().iter().map(|s| (s.state.to_string(), s.kind.as_str())).collect()
}

pub fn selected(app: &App) -> Option<(String, &'static str)> {
    app.selected_stage().map(|s| (s.state.to_string(), s.kind.as_str()))
}

/// Draws the model on a test terminal of the given size and returns it.
pub fn render(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    update(app, Event::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| ui::draw(f, app)).expect("draw");
    terminal
}

/// The rendered screen as text lines.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    let terminal = render(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// A Parallel with two branches between two Pass states.
pub const FAN: &str = r#"{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Next": "Fan"},
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Left one", "States": {
          "Left one": {"Type": "Pass", "Next": "Left two"},
          "Left two": {"Type": "Pass", "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": true}}}
      ],
      "Next": "Finish"
    },
    "Finish": {"Type": "Succeed"}
  }
}"#;
