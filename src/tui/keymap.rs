//! The key table. `update` dispatches through it, the status bar takes its hints from it and
//! `?` lists it, so what the screen says a key does is what the key does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Step,
    NextState,
    Continue,
    ToggleBreakpoint,
    StepBack,
    BackState,
    Restart,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    ScrollLeft,
    ScrollRight,
    Select,
    Back,
    ToggleCollapse,
    ToggleDiff,
    ToggleGraph,
    GraphWider,
    Search,
    Prompt,
    SearchNext,
    SearchPrevious,
    GraphNarrower,
    Answer,
    SaveAnswers,
    SaveHistory,
    EditInput,
    ToggleDiagnostics,
    DiagnosticsUp,
    DiagnosticsDown,
    Help,
    Quit,
}

/// One key: a code plus the modifiers it needs. Shift counts only for keys that are not
/// characters (for a character it is part of the character, `P`, `<`) and not Shift-Tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub shift: bool,
}

const fn key(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: false, shift: false }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false, shift: false }
}

const fn shifted(code: KeyCode) -> Key {
    Key { code, ctrl: false, shift: true }
}

/// A row of the table.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// What the help screen says.
    pub describe: &'static str,
    /// The status bar's short label, for the keys worth showing there.
    pub hint: Option<&'static str>,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[key('s'), code(KeyCode::F(11))],
        action: Action::Step,
        describe: "step one stage",
        hint: Some("step"),
    },
    Binding {
        keys: &[key('n'), code(KeyCode::F(10))],
        action: Action::NextState,
        describe: "run to the next state",
        hint: Some("next"),
    },
    Binding {
        keys: &[key('c'), code(KeyCode::F(5))],
        action: Action::Continue,
        describe: "continue to the next breakpoint or the end",
        hint: Some("cont"),
    },
    Binding {
        keys: &[key('b'), code(KeyCode::F(9))],
        action: Action::ToggleBreakpoint,
        describe: "toggle a breakpoint on the selected state",
        hint: Some("break"),
    },
    Binding { keys: &[key('p')], action: Action::StepBack, describe: "step back one stage", hint: Some("back") },
    Binding {
        keys: &[key('P')],
        action: Action::BackState,
        describe: "back to the previous state",
        hint: Some("back state"),
    },
    Binding { keys: &[key('r')], action: Action::Restart, describe: "restart the execution", hint: Some("restart") },
    Binding {
        keys: &[code(KeyCode::Tab)],
        action: Action::FocusNext,
        describe: "focus the next pane",
        hint: Some("pane"),
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        action: Action::FocusPrev,
        describe: "focus the previous pane",
        hint: None,
    },
    Binding {
        keys: &[code(KeyCode::Up), key('k')],
        action: Action::Up,
        describe: "move up in lists and the graph / scroll the JSON",
        hint: None,
    },
    Binding {
        keys: &[code(KeyCode::Down), key('j')],
        action: Action::Down,
        describe: "move down in lists and the graph / scroll the JSON",
        hint: None,
    },
    Binding {
        keys: &[code(KeyCode::Left), key('h')],
        action: Action::Left,
        describe: "previous stage shown (no rewind) · graph: left",
        hint: None,
    },
    Binding {
        keys: &[code(KeyCode::Right), key('l')],
        action: Action::Right,
        describe: "next stage shown · graph: right",
        hint: None,
    },
    Binding {
        keys: &[shifted(KeyCode::Left), key('<')],
        action: Action::ScrollLeft,
        describe: "scroll long JSON lines left",
        hint: None,
    },
    Binding {
        keys: &[shifted(KeyCode::Right), key('>')],
        action: Action::ScrollRight,
        describe: "scroll long JSON lines right",
        hint: None,
    },
    Binding { keys: &[code(KeyCode::PageUp)], action: Action::PageUp, describe: "scroll a page up", hint: None },
    Binding { keys: &[code(KeyCode::PageDown)], action: Action::PageDown, describe: "scroll a page down", hint: None },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: Action::Select,
        describe: "drill into a Map iteration/Parallel branch · history: rewind",
        hint: None,
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        action: Action::Back,
        describe: "back out one level of drill-in (or close its menu)",
        hint: None,
    },
    Binding {
        keys: &[key('x')],
        action: Action::ToggleCollapse,
        describe: "graph: collapse/expand the selected Parallel or Map",
        hint: None,
    },
    Binding {
        keys: &[key('d')],
        action: Action::ToggleDiff,
        describe: "diff the stage against the previous one",
        hint: Some("diff"),
    },
    Binding {
        keys: &[key('g')],
        action: Action::ToggleGraph,
        describe: "show the states as a graph or as a list",
        hint: None,
    },
    Binding {
        keys: &[key(':'), key('e')],
        action: Action::Prompt,
        describe: "evaluate JSONPath, an intrinsic or JSONata on the stage (↑/↓)",
        hint: None,
    },
    Binding {
        keys: &[key('/')],
        action: Action::Search,
        describe: "find a state by name (↓/↑ matches, Enter keeps, Esc cancels)",
        hint: None,
    },
    Binding {
        keys: &[key(']')],
        action: Action::SearchNext,
        describe: "next match of the last search (n stays: next state)",
        hint: None,
    },
    Binding {
        keys: &[key('[')],
        action: Action::SearchPrevious,
        describe: "previous match of the last search",
        hint: None,
    },
    Binding {
        keys: &[key('+')],
        action: Action::GraphWider,
        describe: "widen the graph pane (narrow it with -)",
        hint: None,
    },
    Binding { keys: &[key('-')], action: Action::GraphNarrower, describe: "narrow the graph pane", hint: None },
    Binding { keys: &[key('a')], action: Action::Answer, describe: "answer the Task waiting for a result", hint: None },
    Binding {
        keys: &[key('w')],
        action: Action::SaveAnswers,
        describe: "save the task answers given as a mock config",
        hint: None,
    },
    Binding {
        keys: &[key('H')],
        action: Action::SaveHistory,
        describe: "write the history as AWS's GetExecutionHistory returns it",
        hint: None,
    },
    Binding {
        keys: &[key('i')],
        action: Action::EditInput,
        describe: "edit the input in $EDITOR (reloads on save)",
        hint: Some("input"),
    },
    Binding {
        keys: &[key('!')],
        action: Action::ToggleDiagnostics,
        describe: "show or hide the lints and warnings (with hints)",
        hint: None,
    },
    Binding {
        keys: &[key('{')],
        action: Action::DiagnosticsUp,
        describe: "scroll the diagnostics list up",
        hint: None,
    },
    Binding {
        keys: &[key('}')],
        action: Action::DiagnosticsDown,
        describe: "scroll the diagnostics list down",
        hint: None,
    },
    Binding { keys: &[key('?')], action: Action::Help, describe: "show or hide this help", hint: Some("help") },
    Binding {
        keys: &[key('q'), Key { code: KeyCode::Char('c'), ctrl: true, shift: false }],
        action: Action::Quit,
        describe: "quit",
        hint: Some("quit"),
    },
];

/// The action bound to a key press, if any.
pub fn lookup(event: &KeyEvent) -> Option<Action> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let shift =
        event.modifiers.contains(KeyModifiers::SHIFT) && !matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab);
    let pressed = Key { code: event.code, ctrl, shift };
    BINDINGS.iter().find(|b| b.keys.contains(&pressed)).map(|b| b.action)
}

/// How a key is written on screen: `s`, `F11`, `Ctrl-C`, `Shift-Tab`.
pub fn label(k: Key) -> String {
    if k.shift {
        return format!("Shift-{}", label(Key { shift: false, ..k }));
    }
    match k.code {
        KeyCode::Char(c) if k.ctrl => format!("Ctrl-{}", c.to_ascii_uppercase()),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    }
}

/// All keys of a binding, `s/F11`.
pub fn labels(b: &Binding) -> String {
    b.keys.iter().map(|k| label(*k)).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_meaning() {
        let mut seen = Vec::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} is bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn shift_and_control_keys_resolve() {
        let shift_p = KeyEvent::new(KeyCode::Char('P'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&shift_p), Some(Action::BackState));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&ctrl_c), Some(Action::Quit));
        let c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup(&c), Some(Action::Continue));
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(&back_tab), Some(Action::FocusPrev));
        let shift_left = KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT);
        assert_eq!(lookup(&shift_left), Some(Action::ScrollLeft));
        assert_eq!(lookup(&KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)), Some(Action::Left));
        let gt = KeyEvent::new(KeyCode::Char('>'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&gt), Some(Action::ScrollRight));
        assert_eq!(label(shifted(KeyCode::Right)), "Shift-→");
    }
}
