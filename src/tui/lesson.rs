//! `statescope learn N` in the debugger: the lesson being worked on, the verdict on the
//! definition as last saved (re-checked on every reload, by `crate::learn`), and the hints
//! asked for. `update` changes it; the lesson pane draws it; the runtime records a solve.

use crate::learn::{Lesson, Verdict};
use crate::tui::app::App;

pub struct LessonView {
    pub lesson: Lesson,
    /// The working copy the learner edits, as shown.
    pub file: String,
    pub verdict: Verdict,
    /// How many hints have been shown (`h` shows one more).
    pub hints_shown: usize,
    /// The lesson was solved and the runtime has not recorded it yet.
    pub unrecorded: bool,
    /// No save yet: the pane still shows what the lesson teaches (after a save, the room goes
    /// to the verdict).
    pub intro: bool,
}

impl LessonView {
    /// The lesson, with the verdict on the definition as it is now.
    pub fn new(lesson: Lesson, file: String, text: &str) -> LessonView {
        let mut view =
            LessonView { lesson, file, verdict: Verdict::default(), hints_shown: 0, unrecorded: false, intro: true };
        view.recheck(text);
        view
    }

    /// Checks a new text of the definition.
    pub fn recheck(&mut self, text: &str) {
        self.verdict = self.lesson.check(&self.file, text);
        self.unrecorded = self.verdict.passed();
    }
}

/// After a file change: re-checks the lesson when the definition changed, and says how it went.
pub fn reloaded(app: &mut App, definition: Option<Result<String, String>>) {
    let Some(view) = app.lesson.as_mut() else { return };
    if definition.is_some() {
        view.intro = false;
    }
    match definition {
        None => return,
        Some(Ok(text)) => view.recheck(&text),
        Some(Err(why)) => view.verdict = Verdict { differences: vec![why] },
    }
    if view.verdict.passed() {
        app.message = Some(format!("✓ lesson {} solved!", view.lesson.number));
    }
}

/// `h`: the next hint, if there is one left.
pub fn hint(app: &mut App) {
    let Some(view) = app.lesson.as_mut() else { return };
    let total = view.lesson.hints.len();
    if view.hints_shown < total {
        view.hints_shown += 1;
        app.message = Some(format!("hint {} of {total}", view.hints_shown));
    } else {
        app.message = Some(format!("no more hints ({total} shown)"));
    }
}

/// The hint key: a plain `h` (in lessons it is not "left").
pub fn is_hint_key(k: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    k.code == KeyCode::Char('h') && !k.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}
