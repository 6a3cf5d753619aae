//! Where a learner's work lives: the state directory (`$STATESCOPE_STATE_DIR`, else
//! `$XDG_STATE_HOME/statescope`, else `~/.local/state/statescope`), holding a working copy of
//! each lesson opened (`lessons/NN-name/`) and `progress.json`, the lessons solved.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::learn::Lesson;

/// The directory for statescope's per-user state, if one can be named.
pub fn state_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("STATESCOPE_STATE_DIR") {
        return Some(dir);
    }
    if let Some(dir) = var("XDG_STATE_HOME") {
        return Some(dir.join("statescope"));
    }
    if let Some(dir) = var("LOCALAPPDATA") {
        return Some(dir.join("statescope"));
    }
    var("HOME").map(|h| h.join(".local").join("state").join("statescope"))
}

/// The folder of a lesson's working copy.
pub fn working_dir(lesson: &Lesson) -> Option<PathBuf> {
    state_dir().map(|d| d.join("lessons").join(lesson.slug))
}

/// Makes the working copy (definition and input) from the lesson's starting files unless it
/// exists; `reset` replaces the definition with the starting one. The input is always
/// rewritten: it is the lesson's, not the learner's (as are the task results, which come from
/// the lesson's mock config in the binary).
pub fn prepare_working_copy(lesson: &Lesson, reset: bool) -> Result<PathBuf, String> {
    let dir = working_dir(lesson).ok_or("no state directory: set STATESCOPE_STATE_DIR or HOME")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create '{}': {e}", dir.display()))?;
    let write = |name: String, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write '{}': {e}", path.display()))
    };
    let definition = dir.join(lesson.file_name());
    if reset || !definition.exists() {
        write(lesson.file_name(), lesson.start)?;
    }
    write(format!("{}.input.json", lesson.slug), lesson.input)?;
    Ok(dir)
}

/// The lessons solved, by folder name.
#[derive(Debug, Default)]
pub struct Progress {
    solved: Vec<String>,
}

impl Progress {
    fn path() -> Option<PathBuf> {
        state_dir().map(|d| d.join("progress.json"))
    }

    /// What `progress.json` records; nothing when it is absent or unreadable.
    pub fn load() -> Progress {
        let text = Progress::path().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
        let doc: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let solved = doc["solved"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned));
        Progress { solved: solved.collect() }
    }

    pub fn has(&self, slug: &str) -> bool {
        self.solved.iter().any(|s| s == slug)
    }

    /// Marks a lesson solved in `progress.json`.
    pub fn record(slug: &str) -> Result<(), String> {
        let path = Progress::path().ok_or("no state directory")?;
        let mut progress = Progress::load();
        if progress.has(slug) {
            return Ok(());
        }
        progress.solved.push(slug.to_owned());
        progress.solved.sort();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create '{}': {e}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(&json!({"solved": progress.solved})).unwrap_or_default() + "\n";
        std::fs::write(&path, text).map_err(|e| format!("cannot write '{}': {e}", path.display()))
    }
}
