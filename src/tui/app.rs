//! The debugger's model: the session plus everything the screen remembers (focus, selections,
//! scroll offsets, breakpoints, messages). Changed only by `update`; read by `ui`.

use std::cell::Cell;
use std::collections::BTreeSet;

use crate::asl::engine::Status;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::{StageKind, StageRecord};
use crate::tui::answer::AnswerDialog;
use crate::tui::drill::{Drill, DrillMenu};
use crate::tui::graph_view::GraphView;
use crate::tui::highlight::{Cache, Key};
use crate::tui::session::{Session, Visit};

/// The panes Tab cycles through, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Graph,
    Stages,
    History,
    Variables,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Graph, Pane::Stages, Pane::History, Pane::Variables];

    pub fn next(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// Where the files being debugged live, as shown in messages.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub definition: String,
    /// `None` when the input is the built-in `{}`.
    pub input: Option<String>,
    /// The `--mock-config` the tasks are answered from, if any.
    pub mock: Option<MockFile>,
    /// How the definition is loaded (`--machine`, `--substitute`), again on every reload.
    pub load: crate::asl::load::LoadOptions,
}

/// A mock config and the part of it in use.
#[derive(Clone, Debug, Default)]
pub struct MockFile {
    pub path: String,
    pub test_case: String,
    /// The config's state machine (`None`: its only one).
    pub state_machine: Option<String>,
}

/// What is wrong with each watched file as it is on disk now (one line per problem).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    pub definition: Vec<String>,
    pub input: Vec<String>,
    pub mock: Vec<String>,
}

pub struct App {
    pub session: Session,
    pub files: Files,
    /// Opt-in local task handlers (`--handler`): they answer Tasks the mock config does not,
    /// as child processes the debugger does not wait for (`handler`).
    pub handlers: crate::handlers::HandlerConfig,
    /// The handler running (or to run) for the Task the execution waits on.
    pub handler: Option<crate::tui::handler::Job>,
    /// The Task whose handler the user cancelled with Esc: not started again for it.
    pub handler_cancelled: Option<crate::asl::engine::tasks::TaskRequest>,
    /// Jobs started so far (each job's id).
    pub handler_jobs: u64,
    pub breakpoints: BTreeSet<String>,
    pub focus: Pane,
    /// The state the graph pane's cursor is on (by name; nested states too).
    pub graph_selected: Option<String>,
    pub graph: GraphView,
    /// The stage being inspected; `None` follows the newest stage.
    pub stage_selected: Option<usize>,
    /// Vertical scroll of the stage JSON, in lines.
    pub json_scroll: usize,
    /// Horizontal scroll of the stage JSON, in columns (kept from stage to stage, so a column
    /// of a wide payload stays in view while stepping).
    pub json_hscroll: usize,
    /// How far the JSON on screen can scroll right (its widest line past the pane's width), as
    /// the last frame found it; `usize::MAX` before the first frame (drawing takes `&App`,
    /// hence the `Cell`).
    pub json_hmax: Cell<usize>,
    /// The history event under the cursor; `None` follows the newest event.
    pub history_selected: Option<usize>,
    pub variables_scroll: usize,
    pub diff: bool,
    pub help: bool,
    /// The help overlay's first line shown (it scrolls when taller than the screen).
    pub help_scroll: usize,
    /// A one-line report of the last thing that happened (reload, breakpoint, end).
    pub message: Option<String>,
    /// Why the files on disk are not what runs, per file; empty when they are.
    pub problems: Problems,
    /// `!` was pressed: the diagnostics list shows the running definition's warnings (lints).
    pub diagnostics_open: bool,
    /// First row of the diagnostics list on screen (`{` / `}` scroll it).
    pub diagnostics_scroll: usize,
    /// How far the diagnostics list can scroll (its wrapped rows past the area), as the last
    /// frame found it (drawing takes `&App`, hence the `Cell`).
    pub diagnostics_max: Cell<usize>,
    pub quit: bool,
    /// `i` was pressed: the runtime hands the terminal to `$EDITOR` on the input file, then
    /// clears this; the file watch brings the edit back as a reload.
    pub edit_input: bool,
    /// The Task waiting for an answer is being answered (keys go to the dialog).
    pub dialog: Option<AnswerDialog>,
    /// `w` was pressed: the runtime writes the answers given so far as a mock config, then
    /// clears this.
    pub save_answers: bool,
    /// `H` asked to write the history (AWS's GetExecutionHistory shape); the runtime does it.
    pub save_history: bool,
    /// Where `H` writes (`--history-out`); default `NAME.history.json` beside the definition.
    pub history_out: Option<String>,
    /// `--history FILE`: the recorded execution being replayed, and where the definition on
    /// screen first departs from it (recomputed on each reload).
    pub recording: Option<Recording>,
    /// Enter on a Parallel/Map that has run: the menu of its branches/iterations (keys go to it).
    pub drill_menu: Option<DrillMenu>,
    /// The branches/iterations drilled into, outermost first (a Map inside a Parallel branch
    /// drills twice); the stage pane shows the last one's stages and the graph highlights
    /// them. Esc backs out one level.
    pub drills: Vec<Drill>,
    pub size: (u16, u16),
    /// `statescope learn N`: the lesson being worked on and the verdict on the last save.
    pub lesson: Option<crate::tui::lesson::LessonView>,
    /// Highlighted JSON of the stage on screen, kept between frames.
    pub highlight: Cache,
    /// Bumped whenever the execution moves or is replaced: the highlight cache is keyed on it,
    /// since a replayed execution can put a different value at a freed value's address.
    pub generation: u64,
    /// `NO_COLOR`: frames are drawn without colour, keeping bold, reverse and underline.
    pub monochrome: bool,
    /// `+`/`-`: columns added to (or taken from) the graph pane's natural width.
    pub graph_resize: i32,
    /// `/`: the search prompt, while it is open (keys go to it).
    pub search: Option<crate::tui::search::Search>,
    /// The last search accepted, for `]`/`[`.
    pub last_search: Option<String>,
    /// `:`/`e`: the expression prompt, while it is open (keys go to it).
    pub prompt: Option<crate::tui::prompt::Prompt>,
    /// Expressions kept with Enter, oldest first (↑/↓ in the prompt).
    pub prompt_history: Vec<String>,
    /// What the stage on screen changed, kept between frames (drawing takes `&App`).
    pub changes: std::cell::RefCell<Option<(Key, Vec<crate::asl::explain::changes::Change>)>>,
}

/// A recorded execution opened with `--history`.
pub struct Recording {
    pub path: String,
    pub history: crate::asl::engine::replay::RecordedHistory,
    pub divergence: Option<crate::asl::engine::replay::Divergence>,
}

impl App {
    pub fn new(session: Session, files: Files) -> App {
        let mut app = App {
            graph: GraphView::new(session.exec.machine()),
            session,
            files,
            handlers: crate::handlers::HandlerConfig::default(),
            handler: None,
            handler_cancelled: None,
            handler_jobs: 0,
            breakpoints: BTreeSet::new(),
            focus: Pane::Stages,
            graph_selected: None,
            stage_selected: None,
            json_scroll: 0,
            json_hscroll: 0,
            json_hmax: Cell::new(usize::MAX),
            history_selected: None,
            variables_scroll: 0,
            diff: false,
            help: false,
            help_scroll: 0,
            message: None,
            problems: Problems::default(),
            diagnostics_open: false,
            diagnostics_scroll: 0,
            diagnostics_max: Cell::new(usize::MAX),
            quit: false,
            edit_input: false,
            dialog: None,
            save_answers: false,
            save_history: false,
            history_out: None,
            recording: None,
            drill_menu: None,
            drills: Vec::new(),
            size: (120, 40),
            lesson: None,
            highlight: Cache::default(),
            generation: 0,
            monochrome: false,
            graph_resize: 0,
            search: None,
            last_search: None,
            prompt: None,
            prompt_history: Vec::new(),
            changes: std::cell::RefCell::new(None),
        };
        app.execution_moved();
        app
    }

    /// Resets the view to follow the execution after it stepped, rewound or was replaced.
    pub fn execution_moved(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.stage_selected = None;
        self.history_selected = None;
        self.json_scroll = 0;
        self.graph.sync(self.session.exec.machine());
        self.drill_menu = None;
        // Drilled in, the view follows the branch's newest stage; a branch that is gone (the
        // execution was rewound before it, or a reload changed it) ends the drill.
        while let Some(drill) = self.drills.last() {
            match drill.stages(self.session.exec.stages()).last() {
                Some(last) => {
                    self.stage_selected = Some(last);
                    break;
                }
                None => {
                    self.drills.pop();
                }
            }
        }
        // A Task waiting for a result asks for one (unless its handler is running: `a` asks);
        // any other move closes the question.
        if let Status::AwaitingTask(request) = self.session.exec.status() {
            if self.handler.is_none() {
                self.dialog.get_or_insert_with(|| AnswerDialog::for_request(request));
            }
        } else {
            self.dialog = None;
        }
        // Once the execution has ended, the state it ended in.
        let last = self.session.exec.stages().last().map(|s| &*s.state);
        if let Some(now) = self.current_state().or(last).and_then(|c| self.graph.shown_as(c)) {
            self.graph_selected = Some(now.to_owned());
        }
        if self.drill().is_some() {
            let state = self.selected_stage().map(|s| &*s.state);
            if let Some(shown) = state.and_then(|s| self.graph.shown_as(s)) {
                self.graph_selected = Some(shown.to_owned());
            }
        }
    }

    /// The state being executed, nested ones included: the one whose stages are being shown,
    /// the Task waiting for an answer, or the next to enter between states. `None` once the
    /// execution has ended.
    pub fn current_state(&self) -> Option<&str> {
        let exec = &self.session.exec;
        match exec.status() {
            Status::AwaitingTask(request) => Some(request.state.as_str()),
            Status::Running if !self.session.between_states() => {
                exec.stages().last().map(|s| &*s.state).or(exec.current_state())
            }
            Status::Running => exec.current_state(),
            _ => None,
        }
    }

    /// The state the execution failed in, if it failed.
    /// The state where the definition departs from the recording, if it does.
    pub fn diverged_state(&self) -> Option<&str> {
        self.recording.as_ref()?.divergence.as_ref()?.state.as_deref()
    }

    /// Replays the recording against the machine on screen and keeps the first divergence;
    /// returns the one-line report.
    pub fn check_recording(&mut self) -> Option<String> {
        let rec = self.recording.as_mut()?;
        let machine = self.session.exec.machine().clone();
        let report = crate::asl::engine::replay::replay(&machine, &rec.history, self.session.config.clone()).ok()?;
        rec.divergence = report.divergence;
        Some(match &rec.divergence {
            None => format!("replaying {}: the definition matches the recording", rec.path),
            Some(d) => format!("diverges from the recording at event {}: {}", d.event_id, d.reason),
        })
    }

    pub fn failed_state(&self) -> Option<&str> {
        match self.session.exec.status() {
            Status::Failed { .. } => self.session.exec.stages().last().map(|s| &*s.state),
            _ => None,
        }
    }

    /// The index of the stage being inspected, if any stage has been shown.
    pub fn selected_stage_index(&self) -> Option<usize> {
        let n = self.session.exec.stages().len();
        if n == 0 { None } else { Some(self.stage_selected.unwrap_or(n - 1).min(n - 1)) }
    }

    pub fn selected_stage(&self) -> Option<&StageRecord> {
        self.selected_stage_index().and_then(|i| self.session.exec.stages().get(i))
    }

    /// What the selected stage is compared with (`d` diffs against it, its changes are
    /// highlighted from it): for `afterResultPath` the state's input (ResultPath writes the
    /// result into the input), else the nearest earlier stage of the visit whose value differs
    /// (a stage that changed nothing is skipped); an `input` stage, the stage before it.
    pub fn previous_stage(&self) -> Option<&StageRecord> {
        let i = self.selected_stage_index()?;
        let stages = self.session.exec.stages();
        let here = &stages[i];
        let visit = self.selected_visit().filter(|v| v.start < i);
        let Some(visit) = visit else { return i.checked_sub(1).and_then(|p| stages.get(p)) };
        if here.kind == StageKind::AfterResultPath {
            return stages.get(visit.start);
        }
        // Payloads compare their storage first: a value passed on unchanged is not walked.
        let differs = |j: &usize| stages[*j].payload != here.payload;
        (visit.start..i).rev().find(differs).or(i.checked_sub(1)).and_then(|p| stages.get(p))
    }

    /// The stage just before the selected one in its visit, when the selected one holds the
    /// same value (the field did nothing to it).
    pub fn unchanged_from(&self) -> Option<&StageRecord> {
        let i = self.selected_stage_index()?;
        let visit = self.selected_visit().filter(|v| v.start < i)?;
        let stages = self.session.exec.stages();
        let (before, here) = (&stages[i - 1], &stages[i]);
        (i > visit.start && before.payload == here.payload).then_some(before)
    }

    /// What the selected stage changed relative to [`App::previous_stage`] (cached per view).
    pub fn stage_changes(&self) -> Vec<crate::asl::explain::changes::Change> {
        let (Some(key), Some(stage)) = (self.view_key(), self.selected_stage()) else { return Vec::new() };
        let mut cached = self.changes.borrow_mut();
        if let Some((_, found)) = cached.as_ref().filter(|(k, _)| *k == key) {
            return found.clone();
        }
        // A stage that passed its value on unchanged changed nothing (its diff base is further
        // back, but nothing here is new).
        let found = match (self.unchanged_from(), self.previous_stage()) {
            (None, Some(before)) => crate::asl::explain::changes::changes(&before.value(), &stage.value()),
            _ => Vec::new(),
        };
        *cached = Some((key, found.clone()));
        found
    }

    /// Every problem of the files on disk, definition first, each followed by its hint line.
    pub fn diagnostics(&self) -> Vec<String> {
        let p = &self.problems;
        p.definition.iter().chain(&p.input).chain(&p.mock).cloned().collect()
    }

    /// Whether the explain area shows the diagnostics list: a refused reload always does; the
    /// running definition's warnings when `!` opened the list.
    pub fn diagnostics_shown(&self) -> bool {
        self.problems != Problems::default() || (self.diagnostics_open && !self.session.findings.items.is_empty())
    }

    /// The lines of the diagnostics list: the problems, then (when opened) the warnings of the
    /// definition that runs, hints included.
    pub fn diagnostic_lines(&self) -> Vec<String> {
        let mut lines = self.diagnostics();
        if self.diagnostics_open {
            lines.extend(self.session.findings.lines().cloned());
        }
        lines
    }

    /// What the stage view shows now, as the highlight cache knows it.
    pub fn view_key(&self) -> Option<Key> {
        let stage = self.selected_stage()?;
        Some(Key { stage: stage.index(), generation: self.generation, diff: self.diff })
    }

    /// The visit holding the selected stage: the stages of its state around it, from its
    /// `input` stage on (found locally, as this runs on every frame).
    pub fn selected_visit(&self) -> Option<Visit> {
        let i = self.selected_stage_index()?;
        let stages = self.session.exec.stages();
        let state = &stages[i].state;
        let mut start = i;
        while start > 0 && stages[start].kind != StageKind::Input && stages[start - 1].state == *state {
            start -= 1;
        }
        let mut end = i + 1;
        while end < stages.len() && stages[end].kind != StageKind::Input && stages[end].state == *state {
            end += 1;
        }
        Some(Visit { state: state.to_string(), start, end })
    }

    /// The branch/iteration being looked at, if drilled in.
    pub fn drill(&self) -> Option<&Drill> {
        self.drills.last()
    }

    /// The stages the stage pane lists: the drilled-into branch's, or the selected visit's.
    pub fn listed_stages(&self) -> Vec<usize> {
        match self.drill() {
            Some(drill) => drill.stages(self.session.exec.stages()).collect(),
            None => self.selected_visit().map(|v| (v.start..v.end).collect()).unwrap_or_default(),
        }
    }

    pub fn history_cursor(&self) -> usize {
        let n = self.session.exec.history().len();
        self.history_selected.unwrap_or(n.saturating_sub(1)).min(n.saturating_sub(1))
    }

    /// The name of the state under the graph pane's cursor.
    pub fn graph_state(&self) -> Option<&str> {
        self.graph_selected.as_deref()
    }

    /// States entered at least once so far.
    pub fn visited(&self) -> BTreeSet<&str> {
        self.session
            .exec
            .history()
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::StateEntered { name, .. } => Some(&**name),
                _ => None,
            })
            .collect()
    }
}
