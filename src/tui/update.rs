//! The one place the model changes: `update(app, event)`. No terminal, no files, no clock, so
//! every behaviour of the debugger is testable with synthetic events.

use crate::asl::engine::Status;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::TaskAnswer;
use crate::tui::answer::{AnswerDialog, Outcome};
use crate::tui::app::{App, Pane};
use crate::tui::drill::{self, Drill, DrillMenu};
use crate::tui::event::Event;
use crate::tui::handler;
use crate::tui::keymap::{self, Action};
use crate::tui::lesson;
use crate::tui::prompt::{self, Prompt};
use crate::tui::reload;
use crate::tui::search::{self, Search};

/// Lines PageUp/PageDown move.
const PAGE: usize = 10;

/// Columns `+`/`-` resize the graph pane by.
const GRAPH_STEP: i32 = 4;

/// Columns Shift-←/→ (`<`/`>`) scroll the JSON.
const HSTEP: usize = 8;

/// Applies one event; returns whether the screen must be redrawn.
pub fn update(app: &mut App, event: Event) -> bool {
    // The move that may run into a Task a handler answers, to go on with once it has.
    let mut resume = None;
    let redraw = match event {
        // While the answer dialog is open, keys are typing.
        Event::Key(k) if app.dialog.is_some() => {
            answer_key(app, &k);
            true
        }
        Event::Key(k) if app.prompt.is_some() => {
            prompt::on_key(app, &k);
            true
        }
        Event::Key(k) if app.search.is_some() => {
            search::on_key(app, &k);
            true
        }
        // In a lesson, `h` asks for a hint (←/→ still move between stages); after the text
        // inputs above, so an `h` typed into them stays text.
        Event::Key(k) if app.lesson.is_some() && !app.help && app.drill_menu.is_none() && lesson::is_hint_key(&k) => {
            lesson::hint(app);
            true
        }
        Event::Key(k) => match keymap::lookup(&k) {
            Some(action) => {
                act(app, action);
                resume = Some(action).filter(|a| matches!(a, Action::Continue | Action::NextState));
                true
            }
            // Any other key closes the help screen.
            None => std::mem::replace(&mut app.help, false),
        },
        Event::Resize { width, height } => {
            app.size = (width, height);
            true
        }
        Event::FileChanged(change) => {
            let definition = change.definition.clone();
            reload::apply(app, change);
            lesson::reloaded(app, definition);
            prompt::evaluate_for(app);
            true
        }
        Event::Paste(text) => {
            paste(app, &text);
            true
        }
        Event::Tick => false,
        Event::HandlerFinished { id, answer } => {
            resume = handler_finished(app, id, answer);
            true
        }
    };
    handler::sync(app, resume);
    redraw
}

/// A handler's answer goes to the execution like a typed one; the move that met the Task goes
/// on. Returns that move, so a further handled Task resumes it too.
fn handler_finished(app: &mut App, id: u64, answer: TaskAnswer) -> Option<Action> {
    let resume = handler::finished(app, id, &answer)?;
    let said = app.message.take();
    moved(app, |a| a.session.exec.answer(answer));
    match resume {
        Some(action) => act(app, action),
        None if app.message.is_none() => app.message = said.map(|s| format!("{s}; s steps on")),
        None => {}
    }
    resume
}

fn act(app: &mut App, action: Action) {
    if app.help && !matches!(action, Action::Help | Action::Quit) {
        // ↑/↓ and PgUp/PgDn scroll a help taller than the screen; any other key closes it.
        let page = usize::from(app.size.1.saturating_sub(2)).max(1);
        let max = crate::tui::panes::help::max_scroll(app.size.1);
        match action {
            Action::Up => app.help_scroll = app.help_scroll.min(max).saturating_sub(1),
            Action::Down => app.help_scroll = (app.help_scroll + 1).min(max),
            Action::PageUp => app.help_scroll = app.help_scroll.min(max).saturating_sub(page),
            Action::PageDown => app.help_scroll = (app.help_scroll + page).min(max),
            _ => app.help = false,
        }
        return;
    }
    if app.drill_menu.is_some() && action != Action::Quit {
        drill_menu_key(app, action);
        return;
    }
    if action == Action::Back && app.handler.is_some() {
        handler::cancel(app);
        return;
    }
    match action {
        Action::Step => moved(app, |a| {
            a.session.exec.step();
        }),
        Action::NextState => moved(app, |a| {
            a.session.exec.step_state();
        }),
        Action::Continue => {
            let breakpoints = app.breakpoints.clone();
            moved(app, |a| a.session.continue_to_breakpoint(&breakpoints));
            let nested = app.selected_stage().filter(|s| s.kind == StageKind::Input && !s.location.is_empty());
            if let Some(stage) = nested.filter(|s| app.breakpoints.contains(&*s.state)) {
                app.message =
                    Some(format!("breakpoint: paused at the input of '{}' ({})", stage.state, stage.location));
            } else if app.session.between_states() {
                let at = app.session.exec.current_state().unwrap_or_default();
                app.message = Some(format!("breakpoint: paused before '{at}'"));
            }
        }
        Action::StepBack => moved(app, |a| a.session.exec.step_back()),
        Action::BackState => moved(app, |a| a.session.back_state()),
        Action::Restart => {
            // A fresh run: a handler cancelled in the last one may run again.
            app.handler_cancelled = None;
            moved(app, |a| a.session.restart());
            app.message = Some("restarted".into());
        }
        Action::ToggleBreakpoint => toggle_breakpoint(app),
        Action::FocusNext => app.focus = app.focus.next(),
        Action::FocusPrev => app.focus = app.focus.prev(),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => scroll(app, action),
        Action::Left | Action::Right if app.focus == Pane::Graph && !app.graph.list => {
            let from = app.graph_state().unwrap_or_default().to_owned();
            if let Some(to) = app.graph.beside(&from, action == Action::Right) {
                select_state(app, to);
            }
        }
        Action::Left | Action::Right => select_stage(app, action == Action::Right),
        Action::Select => match app.focus {
            Pane::History => rewind_to_event(app, app.history_cursor()),
            Pane::Graph | Pane::Stages => open_drill_menu(app),
            Pane::Variables => {}
        },
        Action::Back => leave_drill(app),
        Action::ScrollLeft | Action::ScrollRight => {
            let at = app.json_hscroll.min(app.json_hmax.get());
            app.json_hscroll = if action == Action::ScrollLeft {
                at.saturating_sub(HSTEP)
            } else {
                (at + HSTEP).min(app.json_hmax.get())
            };
        }
        Action::ToggleCollapse => toggle_container(app),
        Action::ToggleGraph => {
            app.graph.list = !app.graph.list;
            app.message = Some(if app.graph.list { "states as a list" } else { "states as a graph" }.into());
        }
        Action::Prompt => {
            app.prompt = Some(Prompt::default());
            app.message = Some(match app.selected_stage() {
                Some(s) => {
                    format!("evaluating against {} of '{}' · Enter keeps · Esc closes", s.kind.as_str(), s.state)
                }
                None => "no stage yet: evaluating against the execution input · Esc closes".into(),
            });
        }
        Action::Search => {
            app.search = Some(Search { query: String::new(), origin: app.graph_selected.clone() });
            app.focus = Pane::Graph;
        }
        Action::SearchNext | Action::SearchPrevious => match app.last_search.clone() {
            Some(query) => {
                let forward = action == Action::SearchNext;
                search::jump(app, &query, forward, false);
            }
            None => app.message = Some("no search yet: / finds a state by name".into()),
        },
        Action::GraphWider | Action::GraphNarrower => {
            let before = crate::tui::ui::graph_width(app, app.size.0);
            let step = if action == Action::GraphWider { GRAPH_STEP } else { -GRAPH_STEP };
            app.graph_resize += step;
            // Pressing past the limit must not bank columns that a later press has to undo.
            let after = crate::tui::ui::graph_width(app, app.size.0);
            app.graph_resize -= step.signum() * (GRAPH_STEP - i32::from(after.abs_diff(before))).max(0);
            app.message = Some(format!("graph pane {after} columns wide (+/- to resize)"));
        }
        Action::ToggleDiff => app.diff = !app.diff,
        Action::ToggleDiagnostics => {
            app.diagnostics_open = !app.diagnostics_open;
            app.diagnostics_scroll = 0;
            if app.diagnostics_open && app.session.findings.items.is_empty() {
                app.message = Some("no lints or warnings in this definition".into());
            }
        }
        Action::DiagnosticsUp => {
            app.diagnostics_scroll = app.diagnostics_scroll.min(app.diagnostics_max.get()).saturating_sub(1);
        }
        Action::DiagnosticsDown => {
            app.diagnostics_scroll = (app.diagnostics_scroll + 1).min(app.diagnostics_max.get());
        }
        Action::Help => {
            app.help = !app.help;
            app.help_scroll = 0;
        }
        Action::Quit => app.quit = true,
        Action::EditInput => app.edit_input = true,
        Action::Answer => match app.session.exec.status() {
            Status::AwaitingTask(request) => app.dialog = Some(AnswerDialog::for_request(request)),
            _ => reanswer(app),
        },
        Action::SaveHistory => app.save_history = true,
        Action::SaveAnswers => {
            if app.session.exec.answers().is_empty() {
                app.message = Some("no task answers given yet: nothing to save".into());
            } else {
                app.save_answers = true;
            }
        }
    }
}

/// Pasted text goes into the open field as typed text; without one it is dropped, never taken
/// as commands.
fn paste(app: &mut App, text: &str) {
    if let Some(dialog) = app.dialog.as_mut() {
        dialog.paste(text);
    } else if let Some(prompt) = app.prompt.as_mut() {
        prompt.text.push_str(&text.replace(['\r', '\n'], " "));
        prompt::evaluate_for(app);
    } else if let Some(search) = app.search.as_mut() {
        search.query.push_str(&text.replace(['\r', '\n'], " "));
        search::on_key(app, &crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Null));
    } else {
        app.message = Some(format!("pasted text ignored ({} chars): no field to paste into", text.chars().count()));
    }
}

/// `a` with no Task waiting: revise the answer given to the Task whose stage is selected (or
/// under the graph cursor), rewinding the execution to it.
fn reanswer(app: &mut App) {
    let stages = app.session.exec.stages();
    let selected = app.selected_stage_index();
    let target = match app.focus {
        Pane::Graph => app.graph_state().and_then(|name| {
            let last = stages.iter().rposition(|s| *s.state == *name)?;
            Some((name.to_owned(), last))
        }),
        _ => selected.map(|i| (stages[i].state.to_string(), i)),
    };
    let Some((state, stage)) = target else {
        app.message = Some("no Task is waiting for a result".into());
        return;
    };
    let mut given = None;
    moved(app, |a| given = a.session.reanswer(&state, stage));
    match given {
        Some(answer) => {
            app.dialog = Some(AnswerDialog::revising(&answer));
            app.message = Some(format!("rewound to '{state}': revise its answer (Esc keeps the task waiting)"));
        }
        None => app.message = Some(format!("'{state}' has no answer of yours to revise (select a Task you answered)")),
    }
}

/// A key in the answer dialog; an accepted answer goes to the execution, which goes on.
fn answer_key(app: &mut App, k: &crossterm::event::KeyEvent) {
    let Some(dialog) = app.dialog.as_mut() else { return };
    match dialog.key(k) {
        Outcome::Editing => {}
        Outcome::Quit => app.quit = true,
        Outcome::Later => {
            app.dialog = None;
            app.message = Some("task still waiting: press a to answer it".into());
        }
        Outcome::Answer(answer) => {
            let Status::AwaitingTask(request) = app.session.exec.status() else { return };
            let said = match &answer {
                TaskAnswer::Return(_) => "a result".to_owned(),
                TaskAnswer::Throw { error, .. } => format!("error {error}"),
            };
            let name = request.state.clone();
            moved(app, |a| a.session.exec.answer(answer));
            if app.message.is_none() {
                app.message = Some(format!("answered '{name}' with {said}; s steps on"));
            }
        }
    }
}

/// Runs an execution move, then makes the view follow it and says how it ended.
fn moved(app: &mut App, f: impl FnOnce(&mut App)) {
    f(app);
    app.execution_moved();
    app.message = match app.session.exec.status() {
        Status::Succeeded(_) => Some("execution succeeded".into()),
        Status::Failed { error, .. } => Some(format!("execution failed: {}", error.as_deref().unwrap_or("(no error)"))),
        Status::Stopped(why) => Some(format!("stopped: {why}")),
        Status::TimedOut => Some("execution timed out (TimeoutSeconds)".into()),
        Status::AwaitingTask(request) => Some(format!("task '{}' waits for a result", request.state)),
        // Running: the status bar says so.
        _ => None,
    };
}

fn toggle_breakpoint(app: &mut App) {
    let Some(name) = app.graph_state().map(str::to_owned) else { return };
    let name = name.as_str();
    if app.breakpoints.remove(name) {
        app.message = Some(format!("breakpoint removed from '{name}'"));
    } else {
        app.breakpoints.insert(name.to_owned());
        app.message = Some(format!("breakpoint set on '{name}'"));
    }
}

fn scroll(app: &mut App, action: Action) {
    let (up, by) = match action {
        Action::Up => (true, 1),
        Action::Down => (false, 1),
        Action::PageUp => (true, PAGE),
        _ => (false, PAGE),
    };
    let step = |v: usize, max: usize| if up { v.saturating_sub(by) } else { (v + by).min(max) };
    match app.focus {
        Pane::Graph => {
            let mut at = app.graph_selected.clone();
            for _ in 0..by {
                at = app.graph.step(at.as_deref(), !up);
            }
            if let Some(to) = at {
                select_state(app, to);
            }
        }
        Pane::Stages => {
            // The drawn view knows how long the JSON is; before the first draw, don't clamp.
            let lines = app.view_key().and_then(|k| app.highlight.total(k)).unwrap_or(usize::MAX);
            app.json_scroll = step(app.json_scroll.min(lines.saturating_sub(1)), lines.saturating_sub(1));
        }
        Pane::History => {
            let last = app.session.exec.history().len().saturating_sub(1);
            app.history_selected = Some(step(app.history_cursor(), last));
        }
        Pane::Variables => app.variables_scroll = step(app.variables_scroll, usize::MAX),
    }
}

/// Moves the graph cursor to `name`, and the stage view with it: to the last stage shown of
/// that state, or back to following the execution when it has none.
pub(crate) fn select_state(app: &mut App, name: String) {
    let stages = app.session.exec.stages();
    match app.drill() {
        // Drilled in, the stage view stays in the branch: the state's last stage there, if any.
        Some(drill) => {
            if let Some(i) = drill.stages(stages).filter(|&i| *stages[i].state == *name).last() {
                app.stage_selected = Some(i);
            }
        }
        None => {
            let last = stages.iter().rposition(|s| *s.state == *name);
            app.stage_selected = last.filter(|i| i + 1 < stages.len());
        }
    }
    app.json_scroll = 0;
    app.graph_selected = Some(name);
}

/// `x` on a Parallel/Map in the graph: collapse it to one node, or expand it again.
fn toggle_container(app: &mut App) {
    let Some(name) = app.graph_state().map(str::to_owned) else { return };
    if app.graph.list || !app.graph.toggle(app.session.exec.machine(), &name) {
        return;
    }
    let collapsed = app.graph.collapsed.contains(&name);
    app.message = Some(format!("{} '{name}'", if collapsed { "collapsed" } else { "expanded" }));
}

/// Left/Right: inspect the previous or next stage already shown (no execution move); drilled
/// in, the previous or next stage of that branch/iteration.
fn select_stage(app: &mut App, forward: bool) {
    let Some(i) = app.selected_stage_index() else { return };
    let last = app.session.exec.stages().len() - 1;
    let j = match app.drill() {
        Some(drill) => {
            let mut listed = drill.stages(app.session.exec.stages());
            let next = if forward { listed.find(|&k| k > i) } else { listed.take_while(|&k| k < i).last() };
            next.unwrap_or(i)
        }
        None if forward => (i + 1).min(last),
        None => i.saturating_sub(1),
    };
    app.stage_selected = if j == last && app.drill().is_none() { None } else { Some(j) };
    app.json_scroll = 0;
    // The graph cursor goes with the stage's state.
    let state = app.session.exec.stages()[j].state.clone();
    if let Some(shown) = app.graph.shown_as(&state) {
        app.graph_selected = Some(shown.to_owned());
    }
}

/// Rewinds the execution to the moment a history event was recorded: a state's k-th entry is
/// its k-th `input` stage, its k-th exit its k-th `output` stage (counting by state name keeps
/// this right when nested states interleave with their parent's stages).
fn rewind_to_event(app: &mut App, event: usize) {
    let events = app.session.exec.history().events();
    let Some(e) = events.get(event) else { return };
    let nth = |same: &dyn Fn(&EventKind) -> bool| events.range(..=event).filter(|x| same(&x.kind)).count();
    let stage_of = |state: &str, kind: StageKind, n: usize| {
        let stages = app.session.exec.stages().iter();
        stages.filter(|s| &*s.state == state && s.kind == kind).nth(n.wrapping_sub(1)).map(|s| s.index() + 1)
    };
    let target = match &e.kind {
        EventKind::ExecutionStarted { .. } => Some(0),
        EventKind::StateEntered { name, .. } => {
            let n = nth(&|k| matches!(k, EventKind::StateEntered { name: m, .. } if m == name));
            stage_of(name, StageKind::Input, n)
        }
        EventKind::StateExited { name, .. } => {
            let n = nth(&|k| matches!(k, EventKind::StateExited { name: m, .. } if m == name));
            stage_of(name, StageKind::Output, n)
        }
        // The end of the execution is where it already is; events the engine adds later (task
        // lifecycle, …) have no stage of their own yet.
        #[allow(unreachable_patterns)]
        _ => None,
    };
    if let Some(count) = target {
        let name = e.type_name();
        moved(app, |a| a.session.replay_to(count));
        app.message = Some(format!("rewound to event {} ({name})", event + 1));
    }
}

/// The Parallel/Map Enter drills into: the state selected in the graph; from the stage pane,
/// the selected stage's state, or the innermost container it ran in.
fn drill_target(app: &App) -> Option<String> {
    let stage = app.selected_stage().filter(|_| app.focus == Pane::Stages);
    let Some(stage) = stage else { return app.graph_state().map(str::to_owned) };
    let stages = app.session.exec.stages();
    let ran_as_container = stages.iter().any(|s| drill::branch_of(&s.location, &stage.state).is_some());
    if ran_as_container {
        Some(stage.state.to_string())
    } else {
        drill::innermost_container(&stage.location).map(str::to_owned).or_else(|| Some(stage.state.to_string()))
    }
}

/// Enter: the branches/iterations of the selected Parallel/Map that have run, to pick one.
fn open_drill_menu(app: &mut App) {
    let Some(container) = drill_target(app) else { return };
    let choices = drill::choices(app.session.exec.stages(), &container);
    if choices.is_empty() {
        let kind = app.graph.full.state(&container).map(|s| s.kind).unwrap_or_default();
        app.message = Some(if matches!(kind, "Parallel" | "Map") {
            format!("'{container}' has not run a branch or iteration yet")
        } else {
            format!("'{container}' is not a Parallel or Map: nothing to drill into")
        });
        return;
    }
    // Start on the branch being looked at, if it is one of these.
    let here = app.selected_stage().and_then(|s| drill::branch_of(&s.location, &container));
    let cursor = here.and_then(|h| choices.iter().position(|c| c.location == h)).unwrap_or(0);
    app.drill_menu = Some(DrillMenu { container, choices, cursor });
}

/// A key while the drill-in menu is open: move, choose, or close it.
fn drill_menu_key(app: &mut App, action: Action) {
    let Some(menu) = app.drill_menu.as_mut() else { return };
    let last = menu.choices.len().saturating_sub(1);
    match action {
        Action::Up => menu.cursor = menu.cursor.saturating_sub(1),
        Action::Down => menu.cursor = (menu.cursor + 1).min(last),
        Action::PageUp => menu.cursor = menu.cursor.saturating_sub(PAGE),
        Action::PageDown => menu.cursor = (menu.cursor + PAGE).min(last),
        Action::Select => {
            let Some(menu) = app.drill_menu.take() else { return };
            let Some(choice) = menu.choices.get(menu.cursor) else { return };
            let drill = Drill { container: menu.container.clone(), location: choice.location.clone() };
            let first = drill.stages(app.session.exec.stages()).next();
            app.message = Some(format!(
                "drilled into {} ({} stage(s)): ←/→ walk them · Esc back out",
                choice.location, choice.stages
            ));
            // Deeper inside the branch being looked at: one level more; elsewhere: the levels
            // that do not hold it are left first.
            while app.drill().is_some_and(|outer| !drill.within(&outer.location)) {
                app.drills.pop();
            }
            app.drills.push(drill);
            app.stage_selected = first;
            app.json_scroll = 0;
            app.focus = Pane::Stages;
            let state = app.selected_stage().map(|s| s.state.clone());
            if let Some(shown) = state.as_deref().and_then(|s| app.graph.shown_as(s)) {
                app.graph_selected = Some(shown.to_owned());
            }
        }
        // Esc, or any other key: close the menu and stay where we were.
        _ => app.drill_menu = None,
    }
}

/// Esc: out of one level of drill-in; out of the last one, back to following the execution.
fn leave_drill(app: &mut App) {
    let Some(drill) = app.drills.pop() else { return };
    app.json_scroll = 0;
    match app.drill().map(|d| d.location.clone()) {
        // The stage looked at is inside the outer branch too: stay on it.
        Some(outer) => app.message = Some(format!("left {}; back in {outer}", drill.location)),
        None => {
            app.stage_selected = None;
            app.execution_moved();
            app.message = Some(format!("left {}", drill.location));
        }
    }
}
