//! Watching the definition, input and mock config files: notify on their directories, debounced, and the
//! changed files re-read, delivered as one `FileChange` per burst of saves.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::tui::event::FileChange;

/// Quiet time after the last file-system notification before files are re-read: editors save
/// in several steps (write temp, rename, chmod), and reading in the middle sees half a file.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// The files the debugger re-reads when they change.
#[derive(Clone, Debug)]
pub struct Watched {
    pub definition: PathBuf,
    /// Files the definition reads (a template's `DefinitionUri` file): a change to one
    /// reloads the definition.
    pub also: Vec<PathBuf>,
    pub input: Option<PathBuf>,
    /// The `--mock-config` file, if any.
    pub mock: Option<PathBuf>,
}

/// Which watched files a notification touched.
#[derive(Clone, Copy, Debug, Default)]
struct Touched {
    definition: bool,
    input: bool,
    mock: bool,
}

impl Touched {
    fn any(self) -> bool {
        self.definition || self.input || self.mock
    }
}

/// A running watch. Dropping it stops watching.
pub struct FileWatch {
    watched: Watched,
    rx: UnboundedReceiver<Touched>,
    /// Kept alive for its callbacks; `Err` when watching could not start.
    watcher: notify::Result<RecommendedWatcher>,
    /// Files touched by notifications taken from `rx` but not yet delivered.
    pending: Option<Touched>,
}

impl FileWatch {
    /// Starts watching; call from inside a tokio runtime with the time driver.
    pub fn start(watched: Watched) -> FileWatch {
        let (tx, rx) = unbounded_channel();
        let watcher = watch(&watched, tx);
        FileWatch { watched, rx, watcher, pending: None }
    }

    /// The input file being watched, if any.
    pub fn input_path(&self) -> Option<&Path> {
        self.watched.input.as_deref()
    }

    /// Why watching did not start, if it did not.
    pub fn error(&self) -> Option<String> {
        self.watcher.as_ref().err().map(ToString::to_string)
    }

    /// The next change, once the files have been quiet for `DEBOUNCE`; `None` when no more
    /// can come (watching failed).
    ///
    /// Cancel-safe, because the event loop polls it in a `select!` that drops it whenever a
    /// key or tick wins: notifications already taken from the channel wait in `pending`, and a
    /// cancelled quiet period simply starts again on the next call.
    pub async fn changed(&mut self) -> Option<FileChange> {
        loop {
            let Some(pending) = self.pending else {
                self.pending = Some(self.rx.recv().await?);
                continue;
            };
            match tokio::time::timeout(DEBOUNCE, self.rx.recv()).await {
                Ok(Some(more)) => {
                    self.pending = Some(Touched {
                        definition: pending.definition || more.definition,
                        input: pending.input || more.input,
                        mock: pending.mock || more.mock,
                    });
                }
                // Quiet for long enough, or the watcher is gone: deliver what we have.
                Err(_) | Ok(None) => break,
            }
        }
        let touched = self.pending.take()?;
        Some(read_changed(&self.watched, touched))
    }
}

fn read_changed(watched: &Watched, touched: Touched) -> FileChange {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read: {e}", p.display()));
    FileChange {
        definition: touched.definition.then(|| read(&watched.definition)),
        input: watched.input.as_deref().filter(|_| touched.input).map(read),
        mock: watched.mock.as_deref().filter(|_| touched.mock).map(read),
    }
}

/// Watches the directories holding the files, not the files: editors save by writing a new
/// file and renaming it over the old one, which a watch on the old file would miss.
fn watch(watched: &Watched, tx: UnboundedSender<Touched>) -> notify::Result<RecommendedWatcher> {
    let definition = Target::new(&watched.definition);
    let also: Vec<Target> = watched.also.iter().map(|p| Target::new(p)).collect();
    let input = watched.input.as_deref().map(Target::new);
    let mock = watched.mock.as_deref().map(Target::new);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if event.kind.is_access() {
            return;
        }
        let hit = |target: &Target| event.paths.iter().any(|p| target.is(p));
        let touched = Touched {
            definition: hit(&definition) || also.iter().any(hit),
            input: input.as_ref().is_some_and(hit),
            mock: mock.as_ref().is_some_and(hit),
        };
        if touched.any() {
            // The receiver is gone only when the loop ended; nothing left to tell.
            let _ = tx.send(touched);
        }
    })?;
    let mut dirs: Vec<PathBuf> = vec![parent(&watched.definition)];
    dirs.extend(watched.also.iter().map(|p| parent(p)));
    dirs.extend(watched.input.iter().chain(&watched.mock).map(|p| parent(p)));
    dirs.sort();
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
