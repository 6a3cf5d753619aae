//! What a learner tripped over in the debugger (issue 18), each pinned by a test, and the
//! teaching aids: the expression prompt, stage explanations, search.

mod tui_support;

use tui_support::*;

const HELLO: &str = include_str!("../sample-machines/hello-world.asl.json");
const HELLO_INPUT: &str = include_str!("../sample-machines/hello-world.input.json");

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
        let shown = screen(&mut app, 120, 40);
        let stale = format!("\"Thanks, edit {}\"", i.max(1) - 1);
        assert!(i == 0 || !shown.contains(&stale), "save {i}: the previous save's JSON is still shown\n{shown}");
        assert!(shown.contains(&format!("\"Thanks, edit {i}\"")), "save {i}: stale stage JSON\n{shown}");
    }
}
