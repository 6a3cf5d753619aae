//! The file watch under the debugger's hot reload: editor-style saves (write + rename), bursts
//! coalesced by the debounce, deletion and re-creation.

use std::path::{Path, PathBuf};
use std::time::Duration;

use statescope::tui::event::FileChange;
use statescope::tui::watch::{FileWatch, Watched};

/// Long enough for inotify on a loaded machine; the debounce itself is 100 ms.
const WAIT: Duration = Duration::from_secs(5);

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statescope-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn save_like_an_editor(path: &Path, text: &str) {
    let tmp = path.with_extension("swp");
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename over");
}

async fn next(watch: &mut FileWatch) -> FileChange {
    tokio::time::timeout(WAIT, watch.changed()).await.expect("a change within the wait").expect("watching")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime")
}

#[test]
fn a_burst_of_saves_arrives_as_one_change_with_the_final_text() {
    let dir = temp_dir("burst");
    let def = dir.join("m.asl.json");
    let input = dir.join("m.input.json");
    std::fs::write(&def, "{}").expect("write");
    runtime().block_on(async {
        let mut watch = FileWatch::start(Watched {
            definition: def.clone(),
            also: Vec::new(),
            input: Some(input.clone()),
            mock: None,
        });
        assert_eq!(watch.error(), None);
        for i in 0..5 {
            save_like_an_editor(&def, &format!("{{\"v\": {i}}}"));
        }
        std::fs::write(dir.join("unrelated.txt"), "x").expect("write");
        // Let every notification of the burst reach the channel, so a loaded machine cannot
        // split it; coalescing what is queued is what this test is about.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let change = next(&mut watch).await;
        assert_eq!(change.definition, Some(Ok("{\"v\": 4}".to_string())));
        assert!(change.input.is_none(), "the input did not change");
        // Nothing else is pending: the burst was one change.
        let more = tokio::time::timeout(Duration::from_millis(400), watch.changed()).await;
        assert!(more.is_err(), "unexpected second change: {more:?}");

        std::fs::write(&input, "{\"a\": 1}").expect("write input");
        let change = next(&mut watch).await;
        assert_eq!(change.input, Some(Ok("{\"a\": 1}".to_string())));
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deleting_and_recreating_ends_with_the_new_text() {
    let dir = temp_dir("recreate");
    let def = dir.join("m.asl.json");
    std::fs::write(&def, "old").expect("write");
    runtime().block_on(async {
        let mut watch =
            FileWatch::start(Watched { definition: def.clone(), also: Vec::new(), input: None, mock: None });
        std::fs::remove_file(&def).expect("remove");
        let change = next(&mut watch).await;
        assert!(matches!(change.definition, Some(Err(ref e)) if e.contains("cannot read")), "{change:?}");
        std::fs::write(&def, "new").expect("recreate");
        let change = next(&mut watch).await;
        assert_eq!(change.definition, Some(Ok("new".to_string())));
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_change_survives_the_wait_being_cancelled() {
    // The event loop drops `changed()` whenever a key or a tick arrives first; a notification
    // already received must not be lost with it.
    let dir = temp_dir("cancel");
    let def = dir.join("m.asl.json");
    std::fs::write(&def, "old").expect("write");
    runtime().block_on(async {
        let mut watch =
            FileWatch::start(Watched { definition: def.clone(), also: Vec::new(), input: None, mock: None });
        save_like_an_editor(&def, "new");
        tokio::time::sleep(Duration::from_millis(50)).await; // the notification is queued
        for _ in 0..3 {
            let cut = tokio::time::timeout(Duration::from_millis(20), watch.changed()).await;
            assert!(cut.is_err(), "cancelled inside the quiet period");
        }
        let change = next(&mut watch).await;
        assert_eq!(change.definition, Some(Ok("new".to_string())));
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_saved_mock_config_arrives_on_its_own() {
    let dir = temp_dir("mock");
    let def = dir.join("m.asl.json");
    let mock = dir.join("m.mock.json");
    std::fs::write(&def, "{}").expect("write");
    std::fs::write(&mock, "old").expect("write");
    runtime().block_on(async {
        let watched = Watched { definition: def.clone(), also: Vec::new(), input: None, mock: Some(mock.clone()) };
        let mut watch = FileWatch::start(watched);
        save_like_an_editor(&mock, "new");
        let change = next(&mut watch).await;
        assert_eq!(change.mock, Some(Ok("new".to_string())));
        assert!(change.definition.is_none());
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saving_a_templates_definition_file_reloads_the_template() {
    // A SAM template's DefinitionUri file lives in a subdirectory; saving it must reload.
    let dir = temp_dir("definition-uri");
    std::fs::create_dir_all(dir.join("statemachine")).expect("subdir");
    let template = dir.join("template.yaml");
    let definition = dir.join("statemachine/flow.asl.json");
    std::fs::write(&template, "Resources: {}").expect("write");
    std::fs::write(&definition, "{}").expect("write");
    runtime().block_on(async {
        let watched = Watched { definition: template.clone(), also: vec![definition.clone()], input: None, mock: None };
        let mut watch = FileWatch::start(watched);
        save_like_an_editor(&definition, "{\"v\": 1}");
        let change = next(&mut watch).await;
        assert_eq!(change.definition, Some(Ok("Resources: {}".to_string())), "the template is re-read");
    });
    let _ = std::fs::remove_dir_all(&dir);
}
