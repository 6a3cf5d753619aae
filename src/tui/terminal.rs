//! Entering and leaving the full-screen terminal. Leaving happens on every way out: a normal
//! return, an error (the caller restores), and a panic (the hook restores before the panic
//! message is printed, so the message lands on a usable screen).

use std::io::{self, Stdout, stdout};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the user asked for no colour (`NO_COLOR` set and not empty, as no-color.org says).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Leaves colour to the frames: under `NO_COLOR` the debugger draws monochrome frames itself
/// (`ui::monochrome`). crossterm's own `NO_COLOR` handling writes an empty SGR (`ESC[m`, a full
/// reset) for every colour change, which also wipes the bold/reverse/underline set just before
/// it, and with them every cue on the screen.
pub fn colours_from_frames() {
    crossterm::style::Colored::set_ansi_color_disabled(false);
}

/// Raw mode + alternate screen, with a panic hook that undoes both.
pub fn enter() -> io::Result<Term> {
    colours_from_frames();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Best effort: the panic is what matters, a failed restore must not hide it.
        let _ = restore();
        previous(info);
    }));
    enable_raw_mode()?;
    // Bracketed paste: pasted text arrives as one event, so it can never press keys.
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste) {
        let _ = disable_raw_mode();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(stdout())).inspect_err(|_| {
        // Half set up is still set up: undo it before reporting.
        let _ = restore();
    })
}

/// Leaves raw mode and the alternate screen and shows the cursor again.
pub fn restore() -> io::Result<()> {
    disable_raw_mode()?;
    execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen, Show)
}

/// Takes the screen back after a child program (the editor) used it. The terminal is made
/// anew, so its first frame is drawn whole on the blank screen (`Terminal::clear` would ask the
/// terminal for the cursor position, a reply the key reader can swallow).
pub fn resume(term: &mut Term) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All))?;
    *term = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(())
}
