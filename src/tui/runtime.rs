//! The event loop: a tokio current-thread runtime merging crossterm's key/resize stream, file
//! watcher notifications (debounced) and a tick into `Event`s for `update`, drawing only after
//! something changed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures_util::StreamExt;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::tui::app::App;
use crate::tui::event::{Event, FileChange};
use crate::tui::terminal::{self, Term};
use crate::tui::{ui, update};

/// Quiet time after the last file-system notification before files are re-read: editors save
/// in several steps (write temp, rename, chmod), and reading in the middle sees half a file.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often `Tick` arrives.
const TICK: Duration = Duration::from_secs(1);

/// The files the debugger re-reads when they change.
#[derive(Clone, Debug)]
pub struct Watched {
    pub definition: PathBuf,
    pub input: Option<PathBuf>,
}

/// Which watched files a notification touched.
#[derive(Clone, Copy, Debug, Default)]
struct Touched {
    definition: bool,
    input: bool,
}

/// Runs the debugger until the user quits. The terminal is restored on every exit path.
pub fn run(mut app: App, watched: Watched) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    rt.block_on(async {
        let (tx, rx) = unbounded_channel();
        let watcher = watch(&watched, tx);
        if let Err(e) = &watcher {
            app.message = Some(format!("not watching files: {e}"));
        }
        let mut term = terminal::enter()?;
        let outcome = event_loop(&mut term, &mut app, &watched, rx).await;
        let restored = terminal::restore();
        outcome.and(restored)
    })
}

async fn event_loop(
    term: &mut Term,
    app: &mut App,
    watched: &Watched,
    mut fs: UnboundedReceiver<Touched>,
) -> std::io::Result<()> {
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    let size = term.size()?;
    update(app, Event::Resize { width: size.width, height: size.height });
    let mut dirty = true;
    while !app.quit {
        if dirty {
            term.draw(|f| ui::draw(f, app))?;
        }
        let event = tokio::select! {
            key = keys.next() => match key {
                Some(Ok(TermEvent::Key(k))) if k.kind != KeyEventKind::Release => Event::Key(k),
                Some(Ok(TermEvent::Resize(width, height))) => Event::Resize { width, height },
                Some(Ok(_)) => { dirty = false; continue }
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(touched) = fs.recv() => {
                let touched = settle(&mut fs, touched).await;
                Event::FileChanged(read_changed(watched, touched))
            },
            _ = tick.tick() => Event::Tick,
        };
        dirty = update(app, event);
    }
    Ok(())
}

/// Waits until no notification arrived for `DEBOUNCE`, merging what they touched.
async fn settle(fs: &mut UnboundedReceiver<Touched>, mut touched: Touched) -> Touched {
    while let Ok(Some(more)) = tokio::time::timeout(DEBOUNCE, fs.recv()).await {
        touched.definition |= more.definition;
        touched.input |= more.input;
    }
    touched
}

fn read_changed(watched: &Watched, touched: Touched) -> FileChange {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read: {e}", p.display()));
    FileChange {
        definition: touched.definition.then(|| read(&watched.definition)),
        input: watched.input.as_deref().filter(|_| touched.input).map(read),
    }
}

/// Watches the directories holding the files, not the files: editors save by writing a new
/// file and renaming it over the old one, which a watch on the old file would miss.
fn watch(watched: &Watched, tx: UnboundedSender<Touched>) -> notify::Result<RecommendedWatcher> {
    let definition = Target::new(&watched.definition);
    let input = watched.input.as_deref().map(Target::new);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if event.kind.is_access() {
            return;
        }
        let hit = |target: &Target| event.paths.iter().any(|p| target.is(p));
        let touched = Touched { definition: hit(&definition), input: input.as_ref().is_some_and(hit) };
        if touched.definition || touched.input {
            // The receiver is gone only when the loop ended; nothing left to tell.
            let _ = tx.send(touched);
        }
    })?;
    let mut dirs: Vec<PathBuf> = vec![parent(&watched.definition)];
    if let Some(i) = &watched.input {
        dirs.push(parent(i));
    }
    dirs.dedup();
    for d in dirs {
        watcher.watch(&d, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

fn parent(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A watched file as notifications name it: its file name in its (canonical) directory.
struct Target {
    dir: PathBuf,
    name: Option<std::ffi::OsString>,
}

impl Target {
    fn new(p: &Path) -> Target {
        Target { dir: canonical_dir(p), name: p.file_name().map(ToOwned::to_owned) }
    }

    /// Notifications carry absolute paths, and a saved file may be new (renamed over the old
    /// one), so compare names and directories rather than inodes.
    fn is(&self, p: &Path) -> bool {
        p.file_name() == self.name.as_deref() && canonical_dir(p) == self.dir
    }
}

fn canonical_dir(p: &Path) -> PathBuf {
    let dir = parent(p);
    std::fs::canonicalize(&dir).unwrap_or(dir)
}
