//! How long one frame takes at 120×40 with a 256 KiB payload on screen. Prints the figures
//! (`cargo test --test tui render_time:: -- --nocapture`) and fails only on a gross regression.

use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::{Value, json};

const PAYLOAD_BYTES: usize = 256 * 1024;

fn payload() -> Value {
    let mut items = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < PAYLOAD_BYTES {
        let item = json!({"id": i, "name": format!("item number {i}"), "tags": ["a", "b", "c"], "price": i as f64 * 1.25, "ok": i % 2 == 0});
        size += item.to_string().len() + 1;
        items.push(item);
        i += 1;
    }
    json!({"order": {"customer": {"name": "Ada"}, "items": items}})
}

fn time_frames(app: &mut statescope::tui::App, frames: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..frames {
        render(app, 120, 40);
    }
    start.elapsed() / frames
}

#[test]
fn frame_render_time_with_a_256_kib_payload() {
    let input = payload();
    let bytes = input.to_string().len();
    let mut app = app_for(GREET, &input.to_string());
    key(&mut app, 's'); // the input stage: the whole payload
    let start = Instant::now();
    render(&mut app, 120, 40);
    let first = start.elapsed();
    let steady = time_frames(&mut app, 20);
    // Scrolling to the bottom highlights everything once; later frames reuse it.
    app.json_scroll = usize::MAX / 2;
    let start = Instant::now();
    render(&mut app, 120, 40);
    let to_bottom = start.elapsed();
    let bottom_steady = time_frames(&mut app, 20);
    key(&mut app, 's'); // afterInputPath: a new value of about the same size
    let start = Instant::now();
    render(&mut app, 120, 40);
    let new_stage = start.elapsed();
    key(&mut app, 'd');
    let start = Instant::now();
    render(&mut app, 120, 40);
    let diff_first = start.elapsed();
    println!(
        "render 120x40, payload {bytes} B: first frame (loads syntect assets) {first:?}, \
         steady {steady:?}/frame, jump to bottom {to_bottom:?}, steady at bottom {bottom_steady:?}/frame, \
         first frame of the next stage {new_stage:?}, first diff frame {diff_first:?}"
    );
    // Gross regressions only: a steady frame takes about 5 ms in a debug build; 250 ms leaves
    // room for a shared 2-core machine under load, with this crate's other tests running on
    // the parallel test thread.
    assert!(steady < Duration::from_millis(250), "steady frame took {steady:?}");
}
