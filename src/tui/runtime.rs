//! The event loop: a tokio current-thread runtime merging crossterm's key/resize stream, file
//! changes (`watch`) and a tick into `Event`s for `update`, drawing only after
//! something changed.

use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures_util::StreamExt;

use crate::tui::app::App;
use crate::tui::event::Event;
use crate::tui::terminal::{self, Term};
use crate::tui::watch::FileWatch;
pub use crate::tui::watch::Watched;
use crate::tui::{answer, handler};
use crate::tui::{ui, update};

/// How often `Tick` arrives.
const TICK: Duration = Duration::from_secs(1);

/// Runs the debugger until the user quits. The terminal is restored on every exit path.
pub fn run(mut app: App, watched: Watched) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    rt.block_on(async {
        let mut files = FileWatch::start(watched);
        if let Some(e) = files.error() {
            app.message = Some(format!("not watching files: {e}"));
        }
        let mut term = terminal::enter()?;
        let outcome = event_loop(&mut term, &mut app, &mut files).await;
        let restored = terminal::restore();
        outcome.and(restored)
    })
}

async fn event_loop(term: &mut Term, app: &mut App, files: &mut FileWatch) -> std::io::Result<()> {
    let mut keys = Some(EventStream::new());
    let mut tick = tokio::time::interval(TICK);
    let (mut handlers, mut handled) = handler::Runner::new();
    let size = term.size()?;
    update(app, Event::Resize { width: size.width, height: size.height });
    let mut dirty = true;
    while !app.quit {
        if app.edit_input {
            app.edit_input = false;
            // The key reader must let go of stdin while the editor owns the terminal.
            drop(keys.take());
            let outcome = edit_input(term, app, files);
            keys = Some(EventStream::new());
            outcome?;
            dirty = true;
        }
        if app.save_answers {
            app.save_answers = false;
            save_answers(app);
            dirty = true;
        }
        record_solved(app);
        let Some(keys) = keys.as_mut() else { break };
        if dirty {
            term.draw(|f| ui::draw(f, app))?;
        }
        let event = tokio::select! {
            key = keys.next() => match key {
                Some(Ok(TermEvent::Key(k))) if k.kind != KeyEventKind::Release => Event::Key(k),
                Some(Ok(TermEvent::Resize(width, height))) => Event::Resize { width, height },
                Some(Ok(TermEvent::Paste(text))) => Event::Paste(text),
                Some(Ok(_)) => { dirty = false; continue }
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(change) = files.changed() => Event::FileChanged(change),
            Some(finished) = handled.recv() => finished,
            _ = tick.tick() => Event::Tick,
        };
        dirty = update(app, event);
        // Starts the handler the model now wants (or kills the one it no longer does).
        handlers.sync(app);
    }
    Ok(())
}

/// A lesson just solved goes into the learner's progress (`statescope learn` shows ✓).
fn record_solved(app: &mut App) {
    let Some(view) = app.lesson.as_mut().filter(|v| v.unrecorded) else { return };
    view.unrecorded = false;
    if let Err(e) = crate::cli::learn::progress::Progress::record(view.lesson.slug) {
        app.message = Some(format!("solved, but progress not saved: {e}"));
    }
}

/// `w`: writes the answers given so far as a mock config beside the definition.
fn save_answers(app: &mut App) {
    let path = answer::mock_file(&app.files.definition);
    let answers = app.session.exec.answers();
    let count = answers.iter().count();
    let config = answer::mock_config(&app.files.definition, answers);
    let text = serde_json::to_string_pretty(&config).unwrap_or_default() + "\n";
    app.message = Some(match std::fs::write(&path, text) {
        Ok(()) => format!("saved {count} answer(s) to {path} (--mock-config {path} --test-case {})", answer::TEST_CASE),
        Err(e) => format!("cannot write {path}: {e}"),
    });
}

/// Suspends the screen, runs `$EDITOR` (else `vi`) on the input file, and comes back. The
/// input file is created from the current input first if it does not exist.
fn edit_input(term: &mut Term, app: &mut App, files: &FileWatch) -> std::io::Result<()> {
    let Some(path) = files.input_path() else {
        app.message = Some("no input file to edit".into());
        return Ok(());
    };
    if !path.exists() {
        let text = crate::tui::highlight::pretty(app.session.exec.input());
        std::fs::write(path, text)?;
    }
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    terminal::restore()?;
    let status = std::process::Command::new(program).args(words).arg(path).status();
    terminal::resume(term)?;
    app.message = Some(match status {
        Ok(s) if s.success() => format!("edited {}", path.display()),
        Ok(s) => format!("editor '{editor}' exited with {s}"),
        Err(e) => format!("cannot run editor '{editor}': {e}"),
    });
    Ok(())
}
