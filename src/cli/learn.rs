//! `statescope learn [LESSON] [--check [--file F]] [--reset]`: lists the lessons with progress,
//! opens the debugger on a lesson (on the learner's own working copy, so the shipped lessons
//! stay pristine), or checks a definition against a lesson's goal headless. The checking is
//! `crate::learn`'s; this module owns the files: the working copies and the progress record
//! under the user's state directory.

pub mod progress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

use crate::cli::Format;
use crate::learn::{self, Lesson};

#[derive(clap::Args, Debug)]
pub struct LearnArgs {
    /// The lesson, by number (3) or name (parameters); without one, the list of lessons.
    pub lesson: Option<String>,
    /// Check a definition against the lesson's goal without opening the debugger (exit 0
    /// solved, 1 not yet, 2 unreadable).
    #[arg(long)]
    pub check: bool,
    /// With --check: the definition to check (default: your working copy of the lesson).
    #[arg(long, value_name = "FILE", requires = "check")]
    pub file: Option<PathBuf>,
    /// Start the lesson over: replace your working copy with the starting definition.
    #[arg(long)]
    pub reset: bool,
    /// With --check: `json` prints one line, {"lesson", "solved", "differences"}.
    #[arg(long, value_enum, default_value_t, requires = "check")]
    pub format: Format,
}

pub fn run(args: &LearnArgs) -> ExitCode {
    let lessons = match learn::catalog::lessons() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(name) = &args.lesson else {
        if args.check {
            eprintln!("error: --check needs a lesson: statescope learn --check N [--file FILE]");
            return ExitCode::from(2);
        }
        list(&lessons);
        return ExitCode::SUCCESS;
    };
    let Some(lesson) = learn::find(&lessons, name) else {
        eprintln!("error: no lesson '{name}'; `statescope learn` lists them (1 to {})", lessons.len());
        return ExitCode::from(2);
    };
    if args.check { check(lesson, args.file.as_deref(), args.format) } else { open(lesson, args.reset) }
}

/// The list, with ✓ on the lessons solved and … on those started.
fn list(lessons: &[Lesson]) {
    let solved = progress::Progress::load();
    outln!("Learn ASL: {} lessons. `statescope learn N` opens lesson N.", lessons.len());
    for l in lessons {
        let started = progress::working_dir(l).is_some_and(|d| d.join(l.file_name()).exists());
        let mark = if solved.has(l.slug) {
            "✓"
        } else if started {
            "…"
        } else {
            " "
        };
        outln!("{mark} {:>2}. {:<34} {}", l.number, l.title, l.slug);
    }
    let done = lessons.iter().filter(|l| solved.has(l.slug)).count();
    outln!("{done} of {} solved.", lessons.len());
    if let Some(dir) = progress::state_dir() {
        outln!("Your work and progress: {}", dir.display());
    }
}

/// `--check`: the verdict on a file (default: the working copy); a pass of the working copy
/// is recorded (checking some other file, an instructor's say, leaves the progress alone).
fn check(lesson: &Lesson, file: Option<&Path>, format: Format) -> ExitCode {
    let path = match file {
        Some(f) => f.to_path_buf(),
        None => match progress::working_dir(lesson) {
            Some(dir) => dir.join(lesson.file_name()),
            None => {
                eprintln!("error: no state directory (set STATESCOPE_STATE_DIR or HOME); pass --file");
                return ExitCode::from(2);
            }
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read '{}': {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let verdict = lesson.check(&path.display().to_string(), &text);
    if format == Format::Json {
        outln!("{}", json!({"lesson": lesson.slug, "solved": verdict.passed(), "differences": verdict.differences}));
    }
    if verdict.passed() {
        if format == Format::Text {
            outln!("✓ lesson {} ({}) solved", lesson.number, lesson.title);
        }
        if file.is_none() {
            if let Err(e) = progress::Progress::record(lesson.slug) {
                eprintln!("warning: progress not saved: {e}");
            }
        }
        ExitCode::SUCCESS
    } else {
        if format == Format::Text {
            outln!("✗ lesson {} ({}): not yet", lesson.number, lesson.title);
            for d in &verdict.differences {
                outln!("  - {d}");
            }
        }
        ExitCode::FAILURE
    }
}

/// Opens the debugger on the learner's working copy, made from the starting files if absent
/// (or with `--reset`).
fn open(lesson: &Lesson, reset: bool) -> ExitCode {
    let dir = match progress::prepare_working_copy(lesson, reset) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let definition = dir.join(lesson.file_name());
    println!("Lesson {}: {}", lesson.number, lesson.title);
    println!("{}", lesson.teaches);
    println!("Goal: {}", lesson.goal_text);
    println!("Edit {} in your editor; every save is checked.", definition.display());
    open_debugger(lesson, definition)
}

#[cfg(feature = "tui")]
fn open_debugger(lesson: &Lesson, definition: PathBuf) -> ExitCode {
    use crate::asl::workflow::WorkflowType;
    use crate::cli::check_flags::TypeArg;
    use crate::cli::debug::{self, DebugArgs};
    let mut args = DebugArgs { definition: Some(definition.clone()), ..DebugArgs::default() };
    // The debugger checks and runs the machine as the lesson's workflow type, as `--check` does.
    args.check.workflow_type = Some(match lesson.workflow_type {
        WorkflowType::Standard => TypeArg::Standard,
        WorkflowType::Express => TypeArg::Express,
    });
    let (mut app, watched) = match debug::prepare(&args) {
        Ok(prepared) => prepared,
        Err(code) => {
            eprintln!("(fix {} or start over with `statescope learn {} --reset`)", definition.display(), lesson.number);
            return code;
        }
    };
    // The tasks answer from the lesson's own mock config, not a file the learner could break;
    // a Task the learner renames or adds just waits for an answer.
    match lesson.tasks() {
        Ok(tasks) => {
            app.session.tasks = tasks;
            app.session.restart();
            app.execution_moved();
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let text = std::fs::read_to_string(&definition).unwrap_or_default();
    app.lesson = Some(crate::tui::lesson::LessonView::new(lesson.clone(), definition.display().to_string(), &text));
    debug::open(app, watched)
}

#[cfg(not(feature = "tui"))]
fn open_debugger(_: &Lesson, definition: PathBuf) -> ExitCode {
    eprintln!(
        "this build has no debugger; check your work with `statescope learn --check N --file {}`",
        definition.display()
    );
    ExitCode::from(2)
}
