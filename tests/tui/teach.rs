//! What a learner tripped over in the debugger (issue 18), each pinned by a test, and the
//! teaching aids: the expression prompt, stage explanations, search.

use crate::support::*;

const HELLO: &str = include_str!("../../sample-machines/hello-world.asl.json");
const HELLO_INPUT: &str = include_str!("../../sample-machines/hello-world.input.json");

/// Hot reloads build a new execution whose stage values may land at the address an old one
/// was freed from; the stage pane must show the new value every time, not the cached lines.
#[test]
fn the_stage_pane_shows_the_reloaded_value_after_every_save() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "nnss");
    let before = screen(&mut app, 120, 40);
    assert!(before.contains("Thank you for your big order!"), "{before}");
    for i in 0..30 {
        let text = HELLO.replace("Thank you for your big order!", &format!("Thanks, edit {i}"));
        definition_changed(&mut app, &text);
        // The status line names the edit, old value included ("reloaded: …; 'X' Result: old → new"):
        // only the panes must not show the old JSON.
        let shown: String =
            screen(&mut app, 120, 40).lines().filter(|l| !l.contains("reloaded:")).collect::<Vec<_>>().join("\n");
        let stale = format!("\"Thanks, edit {}\"", i.max(1) - 1);
        assert!(i == 0 || !shown.contains(&stale), "save {i}: the previous save's JSON is still shown\n{shown}");
        assert!(shown.contains(&format!("\"Thanks, edit {i}\"")), "save {i}: stale stage JSON\n{shown}");
    }
}

/// The cells of the rendered screen whose text is `needle`, on the first line showing it.
fn cells_of(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>, needle: &str) -> Vec<ratatui::buffer::Cell> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: Vec<_> = (0..area.width).map(|x| buffer[(x, y)].clone()).collect();
        let text: String = row.iter().map(|c| c.symbol()).collect();
        if let Some(at) = text.find(needle) {
            let start = text[..at].chars().count();
            return row[start..start + needle.chars().count()].to_vec();
        }
    }
    panic!("'{needle}' is not on screen");
}

#[test]
fn no_color_keeps_bold_reverse_and_underline_for_the_cues() {
    use ratatui::style::{Color, Modifier};
    use statescope::tui::app::Pane;
    let mut app = app_for(HELLO, HELLO_INPUT);
    app.monochrome = true;
    keys(&mut app, "n");
    app.focus = Pane::Graph;
    let terminal = render(&mut app, 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(buffer.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset), "no colour at all");
    // The selection (the graph cursor follows the current state) is reversed and bold.
    let current = cells_of(&terminal, "Big order?");
    assert!(current.iter().all(|c| c.modifier.contains(Modifier::REVERSED | Modifier::BOLD)), "{current:?}");
    // The focused pane's frame is bold, the others are not.
    assert!(cells_of(&terminal, " Graph ")[1].modifier.contains(Modifier::BOLD));
    assert!(!cells_of(&terminal, " Explain ")[1].modifier.contains(Modifier::BOLD));
    // The status badge keeps its shape: reversed instead of a background colour.
    assert!(cells_of(&terminal, " RUNNING ")[1].modifier.contains(Modifier::REVERSED));
}

/// What reaches the terminal under `NO_COLOR`: the emphasis escapes, and never the empty SGR
/// (`ESC[m`, a full reset) crossterm writes for a colour it was told not to write.
#[test]
fn no_color_output_keeps_the_emphasis_escapes() {
    use ratatui::backend::CrosstermBackend;
    let mut app = app_for(HELLO, HELLO_INPUT);
    app.monochrome = true;
    keys(&mut app, "n");
    // What crossterm does by itself when it sees NO_COLOR; the debugger undoes it on entering.
    crossterm::style::Colored::set_ansi_color_disabled(true);
    statescope::tui::terminal::colours_from_frames();
    let mut out = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut out);
        let mut terminal = ratatui::Terminal::with_options(
            backend,
            ratatui::TerminalOptions { viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 120, 40)) },
        )
        .expect("terminal");
        terminal.draw(|f| statescope::tui::ui::draw(f, &app)).expect("draw");
    }
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("\u{1b}[1m"), "bold is written");
    assert!(!text.contains("\u{1b}[m"), "an empty SGR resets the emphasis");
    assert!(!text.contains("[38;5;") && !text.contains("[38;2;"), "no foreground colour");
}

/// The width of the graph pane's frame on the first row.
fn graph_pane_width(text: &str) -> usize {
    let first = text.lines().next().unwrap_or_default();
    first.chars().position(|c| c == '┐').map_or(0, |i| i + 1)
}

#[test]
fn a_wide_terminal_gives_the_graph_the_room_its_labels_need() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    let text = screen(&mut app, 220, 60);
    assert!(text.contains("Thank a big spender [Pass]"), "full labels at 220x60\n{text}");
    assert!(!text.contains("spe…"), "{text}");
    // Still room for the stages beside it.
    assert!(graph_pane_width(&text) <= 140, "{}", graph_pane_width(&text));
}

#[test]
fn plus_and_minus_resize_the_graph_pane() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    let natural = graph_pane_width(&screen(&mut app, 120, 40));
    keys(&mut app, "++");
    let wider = graph_pane_width(&screen(&mut app, 120, 40));
    assert_eq!(wider, natural + 8);
    keys(&mut app, "----");
    assert_eq!(graph_pane_width(&screen(&mut app, 120, 40)), natural - 8);
    // Past the limit, presses do not pile up: one `+` undoes one `-` from there.
    keys(&mut app, &"-".repeat(40));
    let least = graph_pane_width(&screen(&mut app, 120, 40));
    key(&mut app, '+');
    assert_eq!(graph_pane_width(&screen(&mut app, 120, 40)), least + 4);
}

#[test]
fn compact_drawings_keep_state_names_readable() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    // 100 columns, the graph pane widened to 40: the compact drawing, whole.
    screen(&mut app, 100, 30);
    keys(&mut app, "++++");
    let text = screen(&mut app, 100, 30);
    assert!(text.contains("compact"), "{text}");
    assert!(text.contains("│Thank a big spender│"), "{text}");
}

#[test]
fn below_80x24_one_pane_at_a_time_instead_of_too_small() {
    use crossterm::event::KeyCode;
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "ss");
    let text = screen(&mut app, 70, 20);
    assert!(!text.contains("too small"), "{text}");
    assert!(text.contains("Pick the person · afterInputPath"), "the stage pane\n{text}");
    assert!(text.contains("RUNNING"), "the status bar\n{text}");
    code(&mut app, KeyCode::BackTab);
    let text = screen(&mut app, 70, 20);
    assert!(text.contains("Graph (5)") || text.contains("States (5)"), "Shift-Tab shows the graph\n{text}");
}

/// Two Tasks in a row: a lambda:invoke and a plain Lambda function.
const TWO_TASKS: &str = r#"{
  "StartAt": "Reserve",
  "States": {
    "Reserve": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "reserve", "Payload.$": "$"},
      "ResultSelector": {"held.$": "$.Payload.held"},
      "ResultPath": "$.reserved",
      "Next": "Notify"
    },
    "Notify": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:111111111111:function:notify",
      "ResultPath": "$.notified",
      "End": true
    }
  }
}"#;

fn ctrl(app: &mut statescope::tui::App, c: char) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    statescope::tui::update(app, statescope::tui::Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

fn paste(app: &mut statescope::tui::App, text: &str) {
    statescope::tui::update(app, statescope::tui::Event::Paste(text.into()));
}

fn awaiting(app: &statescope::tui::App) -> Option<String> {
    match app.session.exec.status() {
        statescope::asl::engine::Status::AwaitingTask(r) => Some(r.state.clone()),
        _ => None,
    }
}

/// Answers the dialog with `json` (replacing what it holds).
fn answer_with(app: &mut statescope::tui::App, json: &str) {
    ctrl(app, 'u');
    paste(app, json);
    code(app, crossterm::event::KeyCode::Enter);
}

#[test]
fn the_dialog_starts_from_the_result_shape_of_the_integration() {
    let mut app = app_for(TWO_TASKS, r#"{"sku": "tea"}"#);
    key(&mut app, 'c');
    let dialog = app.dialog.as_ref().expect("the dialog opens");
    let prefilled: serde_json::Value = serde_json::from_str(&dialog.result).expect("pre-filled with JSON");
    assert_eq!(prefilled["StatusCode"], 200, "{prefilled}");
    assert!(prefilled.get("Payload").is_some(), "{prefilled}");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("\"StatusCode\":200"), "{text}");
    // A Lambda function ARN returns the payload itself.
    answer_with(&mut app, r#"{"Payload": {"held": 1}}"#);
    key(&mut app, 'c');
    assert_eq!(awaiting(&app).as_deref(), Some("Notify"));
    assert_eq!(app.dialog.as_ref().map(|d| d.result.as_str()), Some("{}"));
}

#[test]
fn the_current_and_an_earlier_task_can_be_answered_again() {
    use statescope::asl::engine::Status;
    let mut app = app_for(TWO_TASKS, r#"{"sku": "tea"}"#);
    key(&mut app, 'c');
    answer_with(&mut app, r#"{"Payload": {"held": 1}}"#);
    // The task just answered: `a` takes the answer back, pre-filled.
    key(&mut app, 'a');
    assert_eq!(awaiting(&app).as_deref(), Some("Reserve"));
    assert_eq!(app.dialog.as_ref().map(|d| d.result.as_str()), Some(r#"{"Payload":{"held":1}}"#));
    answer_with(&mut app, r#"{"Payload": {"held": 2}}"#);
    key(&mut app, 'c');
    answer_with(&mut app, r#"{"sent": true}"#);
    key(&mut app, 'c');
    let Status::Succeeded(out) = app.session.exec.status() else { panic!("{:?}", app.session.exec.status()) };
    assert_eq!(out["reserved"]["held"], 2);
    // At the end, the earlier task: select it in the graph and answer it again.
    app.focus = statescope::tui::app::Pane::Graph;
    app.graph_selected = Some("Reserve".into());
    key(&mut app, 'a');
    assert_eq!(awaiting(&app).as_deref(), Some("Reserve"), "rewound to the earlier task");
    assert!(app.message.as_deref().is_some_and(|m| m.contains("rewound to 'Reserve'")), "{:?}", app.message);
    answer_with(&mut app, r#"{"Payload": {"held": 3}}"#);
    // The later task keeps its answer: the run goes to the end without asking.
    key(&mut app, 'c');
    let Status::Succeeded(out) = app.session.exec.status() else { panic!("{:?}", app.session.exec.status()) };
    assert_eq!((out["reserved"]["held"].clone(), out["notified"]["sent"].clone()), (3.into(), true.into()));
}

#[test]
fn pasted_text_is_never_taken_as_commands() {
    let mut app = app_for(TWO_TASKS, r#"{"sku": "tea"}"#);
    paste(&mut app, "nnnscq");
    assert!(!app.quit, "q in pasted text does not quit");
    assert!(shown(&app).is_empty(), "n/s/c in pasted text do not step");
    key(&mut app, 'c');
    ctrl(&mut app, 'u');
    paste(&mut app, "{\"Payload\":\n  {\"held\": 5}}");
    assert_eq!(awaiting(&app).as_deref(), Some("Reserve"), "a pasted newline does not press Enter");
    code(&mut app, crossterm::event::KeyCode::Enter);
    assert_eq!(awaiting(&app), None);
    key(&mut app, 'c');
    assert_eq!(awaiting(&app).as_deref(), Some("Notify"));
}

/// A long machine: `Step 001` … `Step 300`, every tenth a `Checkpoint`.
fn long_machine() -> String {
    let mut states = Vec::new();
    for i in 1..=300 {
        let name = if i % 10 == 0 { format!("Checkpoint {i:03}") } else { format!("Step {i:03}") };
        let next = if i == 300 {
            "\"End\": true".to_owned()
        } else if (i + 1) % 10 == 0 {
            format!("\"Next\": \"Checkpoint {:03}\"", i + 1)
        } else {
            format!("\"Next\": \"Step {:03}\"", i + 1)
        };
        states.push(format!("\"{name}\": {{\"Type\": \"Pass\", {next}}}"));
    }
    format!("{{\"StartAt\": \"Step 001\", \"States\": {{{}}}}}", states.join(","))
}

#[test]
fn slash_finds_a_state_by_name_and_brackets_go_to_the_next_match() {
    use crossterm::event::KeyCode;
    let mut app = app_for(&long_machine(), "{}");
    key(&mut app, '/');
    keys(&mut app, "step 25");
    assert_eq!(app.graph_state(), Some("Step 251"), "the first match as the query is typed");
    // `n` inside the prompt is typed, not "next state".
    assert!(shown(&app).is_empty());
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("/step 25"), "{text}");
    assert!(text.contains("Step 251"), "the graph shows the match\n{text}");
    assert!(text.contains("match 1 of 9"), "{text}");
    code(&mut app, KeyCode::Down);
    assert_eq!(app.graph_state(), Some("Step 252"));
    code(&mut app, KeyCode::Up);
    code(&mut app, KeyCode::Up);
    assert_eq!(app.graph_state(), Some("Step 259"), "wraps around");
    code(&mut app, KeyCode::Enter);
    assert!(app.search.is_none());
    key(&mut app, ']');
    assert_eq!(app.graph_state(), Some("Step 251"));
    key(&mut app, '[');
    assert_eq!(app.graph_state(), Some("Step 259"));
    // `n` after the search is still "next state".
    key(&mut app, 'n');
    assert_eq!(selected(&app).map(|s| s.0).as_deref(), Some("Step 001"));
    // In the list too; Esc goes back to where the search started.
    key(&mut app, 'g');
    let origin = app.graph_state().map(str::to_owned);
    key(&mut app, '/');
    keys(&mut app, "checkpoint 03");
    assert_eq!(app.graph_state(), Some("Checkpoint 030"));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Checkpoint 030"), "{text}");
    code(&mut app, KeyCode::Esc);
    assert_eq!(app.graph_state(), origin.as_deref());
    key(&mut app, '/');
    keys(&mut app, "nowhere");
    assert_eq!(app.message.as_deref(), Some("no state matches 'nowhere'"));
}

#[test]
fn the_stage_list_is_the_states_whole_pipeline_with_fields_and_plain_words() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "sss");
    let text = screen(&mut app, 140, 40);
    // Counted in the state's pipeline, not in the stages revealed so far.
    assert!(text.contains("Stage 3 of 6 · Pick the person · afterParameters"), "{text}");
    for row in [
        "afterInputPath ← InputPath",
        "afterParameters ← Parameters",
        "result  unchanged",
        "afterResultPath ← ResultPath",
        "output  unchanged",
    ] {
        assert!(text.contains(row), "missing list row '{row}'\n{text}");
    }
    assert!(text.contains("Parameters: the input is rebuilt from the template"), "{text}");
    key(&mut app, 's');
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("Stage 5 of 6"), "{text}");
    assert!(text.contains("ResultPath \"$.picked\": the result was put under"), "{text}");
    assert!(text.contains("`picked`; the rest of the input was kept"), "{text}");
}

#[test]
fn a_long_field_wraps_instead_of_being_cut() {
    let long: Vec<String> = (0..8).map(|i| format!("\"field{i}.$\": \"$.value{i}\"")).collect();
    let def = format!(
        r#"{{"StartAt": "Wide", "States": {{"Wide": {{"Type": "Pass", "Parameters": {{{}}}, "End": true}}}}}}"#,
        long.join(", ")
    );
    let input: Vec<String> = (0..30).map(|i| format!("\"value{i}\": {i}")).collect();
    let mut app = app_for(&def, &format!("{{{}}}", input.join(", ")));
    keys(&mut app, "ss");
    let text = screen(&mut app, 120, 40);
    // The last entry of the template is on screen: the line wrapped.
    assert!(text.contains("$.value7"), "{text}");
}

fn type_text(app: &mut statescope::tui::App, text: &str) {
    for c in text.chars() {
        key(app, c);
    }
}

#[test]
fn the_prompt_evaluates_a_jsonpath_live_and_highlights_what_it_selected() {
    use crossterm::event::KeyCode;
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "sss"); // afterParameters: {"name": "Ada", "items": [...]}
    key(&mut app, ':');
    type_text(&mut app, "$.items[1]");
    let terminal = render(&mut app, 120, 40);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Evaluate · JSONPath"), "{text}");
    assert!(text.contains("> $.items[1]"), "{text}");
    assert!(text.contains("\"scones\""), "{text}");
    // `n`, `s`, `q` typed into the prompt are text, not commands.
    assert_eq!(shown(&app).len(), 3);
    // The selected node is highlighted in the stage JSON (and only it).
    let buffer = terminal.backend().buffer();
    let highlighted: Vec<String> = (0..40)
        .filter_map(|y| {
            let row: Vec<_> = (0..120).map(|x| buffer[(x, y)].clone()).collect();
            let text: String = row.iter().map(|c| c.symbol()).collect();
            row.iter().any(|c| c.bg == ratatui::style::Color::Rgb(70, 60, 0)).then(|| text.trim().to_string())
        })
        .collect();
    assert_eq!(highlighted.len(), 1, "{highlighted:?}");
    assert!(highlighted[0].contains("\"scones\","), "{highlighted:?}");
    // Live: each key re-evaluates.
    code(&mut app, KeyCode::Backspace);
    code(&mut app, KeyCode::Backspace);
    type_text(&mut app, "0]");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("\"tea\""), "{text}");
}

#[test]
fn the_prompt_evaluates_an_intrinsic_and_jsonata_and_shows_aws_errors() {
    use crossterm::event::KeyCode;
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "sss");
    key(&mut app, 'e');
    type_text(&mut app, "States.ArrayLength($.items)");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Evaluate · intrinsic"), "{text}");
    assert!(text.contains("│3 "), "the result, 3\n{text}");
    code(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    type_text(&mut app, "{% $uppercase($states.input.name) & ' x' & $count($states.input.items) %}");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Evaluate · JSONata"), "{text}");
    assert!(text.contains("\"ADA x3\""), "{text}");
    code(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    type_text(&mut app, "$.total");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("States.Runtime: Invalid path '$.total' : No results for path: $['total']"), "{text}");
    ctrl(&mut app, 'u');
    type_text(&mut app, "States.ArrayGetItem($.items, 9)");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("States.IntrinsicFailure"), "{text}");
    ctrl(&mut app, 'u');
    type_text(&mut app, "{% $sum('x') %}");
    assert!(screen(&mut app, 120, 40).contains("T0412"));
    // ↑/↓ walk the expressions kept with Enter.
    ctrl(&mut app, 'u');
    code(&mut app, KeyCode::Up);
    assert!(app.prompt.as_ref().is_some_and(|p| p.text.starts_with("{% $uppercase")));
    code(&mut app, KeyCode::Up);
    assert_eq!(app.prompt.as_ref().map(|p| p.text.as_str()), Some("States.ArrayLength($.items)"));
    code(&mut app, KeyCode::Down);
    code(&mut app, KeyCode::Down);
    assert_eq!(app.prompt.as_ref().map(|p| p.text.as_str()), Some(""));
    code(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    key(&mut app, 's');
    assert_eq!(shown(&app).len(), 4, "keys are commands again");
}

#[test]
fn a_jsonata_choice_is_explained_rule_by_rule() {
    let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Default": "Small",
          "Choices": [{"Condition": "{% $states.input.total > 100 %}", "Next": "Big"}]},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}"#;
    let mut app = app_for(def, r#"{"total": 42}"#);
    key(&mut app, 'n');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("rule 1: {% $states.input.total > 100 %} → false"), "{text}");
    assert!(text.contains("no rule matched → Default 'Small'"), "{text}");
}

/// Rows of the rendered screen with a cell of background `bg`, trimmed.
fn rows_with_bg(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>, bg: ratatui::style::Color) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .filter_map(|y| {
            let row: Vec<_> = (0..area.width).map(|x| buffer[(x, y)].clone()).collect();
            let text: String = row.iter().map(|c| c.symbol()).collect();
            row.iter().any(|c| c.bg == bg).then(|| text.trim().to_string())
        })
        .collect()
}

#[test]
fn each_stage_shows_what_it_changed_and_d_diffs_against_the_states_input() {
    let mut app = app_for(HELLO, HELLO_INPUT);
    keys(&mut app, "ssss"); // afterResultPath of Pick the person: + picked
    let terminal = render(&mut app, 140, 40);
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("changed from input: + picked"), "{text}");
    let marked = rows_with_bg(&terminal, ratatui::style::Color::Rgb(0, 55, 0));
    assert!(
        !marked.is_empty() && marked.iter().all(|r| !r.contains("\"order\"")),
        "only the added subtree: {marked:?}"
    );
    assert!(marked.iter().any(|r| r.contains("\"picked\": {")), "{marked:?}");
    // `d`: against the state's input, so `picked` is added and `order` is unchanged.
    key(&mut app, 'd');
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("[diff vs input]"), "{text}");
    assert!(text.contains("+  \"picked\": {"), "{text}");
    assert!(!text.contains("-  \"order\""), "not the whole document removed and re-added\n{text}");
    // A stage that changed nothing says so; its diff base is the stage before that differs.
    key(&mut app, 'd');
    keys(&mut app, "nnn");
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("no change from afterResultPath"), "{text}");
    assert!(!text.contains("changed from"), "{text}");
    key(&mut app, 'd');
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("[diff vs result]"), "{text}");
}

#[test]
fn retry_and_wait_decisions_are_on_the_stage_n_lands_on() {
    use crossterm::event::KeyCode;
    let def = r#"{"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "f"},
          "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
          "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 30, "End": true}}}"#;
    let mut app = app_for(def, "{}");
    for _ in 0..2 {
        key(&mut app, 'c');
        assert_eq!(awaiting(&app).as_deref(), Some("Call"));
        code(&mut app, KeyCode::Tab);
        type_text(&mut app, "States.TaskFailed");
        code(&mut app, KeyCode::Enter);
    }
    key(&mut app, 'c');
    answer_with(&mut app, r#"{"Payload": 1}"#);
    key(&mut app, 'n');
    assert_eq!(selected(&app), Some(("Call".into(), "output")));
    let text = screen(&mut app, 140, 44);
    assert!(text.contains("Retrier #1 (States.TaskFailed): attempt 1 of 3 after 2 s (IntervalSeconds 2)"), "{text}");
    assert!(
        text.contains("Retrier #1 (States.TaskFailed): attempt 2 of 3 after 4 s (IntervalSeconds 2 × BackoffRate 2)"),
        "{text}"
    );
    keys(&mut app, "n");
    assert_eq!(selected(&app), Some(("Pause".into(), "output")));
    let text = screen(&mut app, 140, 44);
    assert!(text.contains("Wait: Wait 30 s → "), "{text}");
}

#[test]
fn the_history_shows_virtual_time_and_readable_fields() {
    let def = r#"{"StartAt": "Pause", "States": {
        "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}}}"#;
    let mut app = app_for(def, r#"{"n": 1}"#);
    key(&mut app, 'c');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("+0s WaitStateEntered Pause"), "{text}");
    assert!(text.contains("+30s WaitStateExited Pause"), "{text}");
    app.focus = statescope::tui::app::Pane::History;
    code(&mut app, crossterm::event::KeyCode::Up);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("(+30s after the start)"), "{text}");
    assert!(text.contains("  output: {\"n\":1}"), "{text}");
}

/// What the prompt's text gave, as a value (`None`: an error or JSONata's undefined).
fn prompt_value(app: &statescope::tui::App) -> Option<serde_json::Value> {
    match app.prompt.as_ref().and_then(|p| p.evaluated.as_ref()) {
        Some((_, statescope::asl::evaluate::Outcome::Value { value, .. })) => Some(value.clone()),
        _ => None,
    }
}

/// Selects stage `index` of the finished run and types `expr` into a fresh prompt.
fn evaluate_at(app: &mut statescope::tui::App, index: usize, expr: &str) -> Option<serde_json::Value> {
    app.prompt = None;
    app.stage_selected = Some(index);
    key(app, ':');
    type_text(app, expr);
    prompt_value(app)
}

/// The position of the `n`th (0-based) stage of `state` of kind `kind`.
fn stage_of(app: &statescope::tui::App, state: &str, kind: &str, n: usize) -> usize {
    let mut at = app.session.exec.stages().iter().filter(|s| &*s.state == state && s.kind.as_str() == kind);
    at.nth(n).map(|s| s.index()).unwrap_or_else(|| panic!("no stage {n} {kind} of {state}"))
}

/// A stage inside a Map iteration is evaluated with that iteration's scope: its variables (an
/// iteration's Assign is its own, discarded at its end) and `$$.State` of the inner state, not
/// what the execution holds once the Map is over.
#[test]
fn the_prompt_sees_the_scope_of_the_selected_map_iteration() {
    let machine = r#"{"StartAt": "Each", "States": {
      "Each": {"Type": "Map", "ItemsPath": "$.items",
        "ItemSelector": {"index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Note", "States": {
          "Note": {"Type": "Pass", "Assign": {"position.$": "$.index"}, "Next": "Pack"},
          "Pack": {"Type": "Pass", "Parameters": {"packed.$": "$.item"}, "End": true}}},
        "Next": "Done"},
      "Done": {"Type": "Pass", "Assign": {"count.$": "States.ArrayLength($)"}, "End": true}}}"#;
    let mut app = app_for(machine, r#"{"items": ["tea", "jam", "scones"]}"#);
    app.session.exec.run();
    for i in 0..3 {
        let pack = stage_of(&app, "Pack", "input", i);
        assert_eq!(evaluate_at(&mut app, pack, "$position"), Some(serde_json::json!(i)), "iteration {i}");
        assert_eq!(evaluate_at(&mut app, pack, "$$.State.Name"), Some(serde_json::json!("Pack")));
        assert_eq!(
            evaluate_at(&mut app, pack, "{% $states.input.item & ' at ' & $string($position) %}"),
            Some(serde_json::json!(format!("{} at {i}", ["tea", "jam", "scones"][i])))
        );
    }
    // The top level after the Map: the iteration's variable is gone, as on AWS (rule 7.5).
    let done = stage_of(&app, "Done", "input", 0);
    assert_eq!(evaluate_at(&mut app, done, "$$.State.Name"), Some(serde_json::json!("Done")));
    assert_eq!(evaluate_at(&mut app, done, "$position"), None);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("States.Runtime"), "an undefined variable is AWS's error\n{text}");
}

/// An earlier stage is evaluated with the variables as they were then: one assigned later is
/// not yet there, one assigned before is.
#[test]
fn the_prompt_does_not_see_a_variable_assigned_after_the_selected_stage() {
    let machine = r#"{"StartAt": "Greet", "States": {
      "Greet": {"Type": "Pass", "Assign": {"greeting": "hello"}, "Next": "Sign"},
      "Sign": {"Type": "Pass", "Assign": {"signature": "Ada"}, "Next": "Send"},
      "Send": {"Type": "Pass", "End": true}}}"#;
    let mut app = app_for(machine, r#"{"to": "Grace"}"#);
    app.session.exec.run();
    let greet = stage_of(&app, "Greet", "input", 0);
    let sign = stage_of(&app, "Sign", "input", 0);
    let send = stage_of(&app, "Send", "input", 0);
    assert_eq!(evaluate_at(&mut app, greet, "$greeting"), None, "assigned by Greet itself, after its fields");
    assert_eq!(evaluate_at(&mut app, greet, "$$.State.Name"), Some(serde_json::json!("Greet")));
    assert_eq!(evaluate_at(&mut app, sign, "$greeting"), Some(serde_json::json!("hello")));
    assert_eq!(evaluate_at(&mut app, sign, "$signature"), None, "assigned later");
    assert_eq!(evaluate_at(&mut app, send, "$signature"), Some(serde_json::json!("Ada")));
    // Typing on at one stage keeps evaluating in that stage's scope.
    let _ = evaluate_at(&mut app, sign, "$greet");
    type_text(&mut app, "ing");
    assert_eq!(prompt_value(&app), Some(serde_json::json!("hello")));
}
