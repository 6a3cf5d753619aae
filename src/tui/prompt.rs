//! `:` (or `e`): the expression prompt. What is typed is evaluated as it is typed against the
//! selected stage's JSON, with `$$` and the variables in scope, by the library's
//! `asl::evaluate` (the same code as `statescope eval`): a JSONPath, an intrinsic call, or
//! JSONata (`{% … %}`, or anything in a JSONata state). The nodes a JSONPath selected are
//! located in the pretty-printed stage JSON so the stage pane can highlight them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

use serde_json::Value;

use crate::asl::engine::stage::StageScope;
use crate::asl::evaluate::{self, EvalEnv, Lang, Outcome, Scope};
use crate::asl::jsonata::JsonataEnv;
use crate::asl::world::{Entropy, SeededEntropy};
use crate::tui::app::App;

/// The prompt: what is typed, where in the history ↑/↓ are, and the last evaluation.
#[derive(Clone, Debug, Default)]
pub struct Prompt {
    pub text: String,
    /// Index into the history while browsing it with ↑/↓.
    pub browsing: Option<usize>,
    /// The language the text was evaluated in and what it gave (`None` while empty).
    pub evaluated: Option<(Lang, Outcome)>,
    /// The selected stage's value and `$$`/variables there, as last asked of the engine.
    scope: Option<(Arc<Value>, Option<Arc<StageScope>>)>,
}

/// What a key in the prompt asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum PromptKey {
    Edited,
    /// Enter: keep the expression in the history.
    Keep,
    Close,
    Ignored,
}

impl Prompt {
    pub fn key(&mut self, k: &KeyEvent, history: &[String]) -> PromptKey {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('u') if ctrl => self.text.clear(),
            KeyCode::Char(c) if !ctrl => self.text.push(c),
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Up if !history.is_empty() => {
                let i = self.browsing.map_or(history.len() - 1, |i| i.saturating_sub(1));
                self.browsing = Some(i);
                self.text = history[i].clone();
            }
            KeyCode::Down => match self.browsing {
                Some(i) if i + 1 < history.len() => {
                    self.browsing = Some(i + 1);
                    self.text = history[i + 1].clone();
                }
                Some(_) => {
                    self.browsing = None;
                    self.text.clear();
                }
                None => return PromptKey::Ignored,
            },
            KeyCode::Enter => return PromptKey::Keep,
            KeyCode::Esc => return PromptKey::Close,
            _ => return PromptKey::Ignored,
        }
        PromptKey::Edited
    }

    /// Evaluates the text over `input` (the stage's JSON); `jsonata_state` makes bare text
    /// JSONata, as in a JSONata state's fields.
    pub fn evaluate(
        &mut self,
        input: &Value,
        context: &Value,
        variables: &serde_json::Map<String, Value>,
        jsonata_state: bool,
    ) {
        if self.text.trim().is_empty() {
            self.evaluated = None;
            return;
        }
        let default = if jsonata_state { Lang::Jsonata } else { Lang::JsonPath };
        let lang = Lang::of(&self.text, default);
        let scope = Scope { input: Some(input), context, variables };
        let outcome = evaluate::evaluate(&self.text, lang, &scope, &mut Fixed(SeededEntropy::new(0)));
        self.evaluated = Some((lang, outcome));
    }
}

/// The debugger's virtual clock stands still while the prompt evaluates: `$now()` is the
/// epoch and `$random()`/`States.UUID()` repeatable, so a live result does not flicker.
struct Fixed(SeededEntropy);

impl JsonataEnv for Fixed {
    fn now_millis(&mut self) -> i64 {
        0
    }

    fn random(&mut self) -> f64 {
        self.0.next_f64()
    }
}

impl EvalEnv for Fixed {
    fn entropy(&mut self) -> &mut dyn Entropy {
        &mut self.0
    }
}

/// A key while the expression prompt is open.
pub(crate) fn on_key(app: &mut App, k: &KeyEvent) {
    let history = app.prompt_history.clone();
    let Some(prompt) = app.prompt.as_mut() else { return };
    match prompt.key(k, &history) {
        PromptKey::Edited => evaluate_for(app),
        PromptKey::Keep => {
            let text = prompt.text.trim().to_owned();
            prompt.browsing = None;
            if !text.is_empty() && app.prompt_history.last() != Some(&text) {
                app.prompt_history.push(text);
            }
        }
        PromptKey::Close => app.prompt = None,
        PromptKey::Ignored => {}
    }
}

/// Evaluates the prompt's text against the selected stage (before any stage: the execution
/// input), with `$$` and the variables as that stage's state saw them: the engine replays the
/// run to it (kept while the same stage stays selected, so typing does not replay).
pub(crate) fn evaluate_for(app: &mut App) {
    let stage = app.selected_stage().map(|s| (s.value(), s.index(), s.state.clone()));
    let exec = &app.session.exec;
    let input = stage.as_ref().map_or_else(|| exec.input().clone(), |s| (*s.0).clone());
    let jsonata = stage
        .as_ref()
        .and_then(|s| exec.machine().scope.find(&s.2))
        .or_else(|| exec.current_state().and_then(|n| exec.machine().scope.find(n)))
        .is_some_and(|s| s.query_language == crate::asl::definition::QueryLanguage::Jsonata);
    let Some(prompt) = app.prompt.as_mut() else { return };
    let scope = match stage {
        // The stage's value is this run's own `Arc`: the same one means the same stage of the
        // same run (a rewind or reload makes new ones).
        Some((value, index, _)) => match &prompt.scope {
            Some((seen, scope)) if Arc::ptr_eq(seen, &value) => scope.clone(),
            _ => {
                let scope = exec.scope_at(index).map(Arc::new);
                prompt.scope = Some((value, scope.clone()));
                scope
            }
        },
        None => None,
    };
    let (context, variables) = match scope.as_deref() {
        Some(at) => (&at.context, &at.variables),
        None => (exec.context(), exec.variables()),
    };
    prompt.evaluate(&input, context, variables, jsonata);
}

/// One step of a Jayway bracket path (`$['order']['items'][0]`).
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        rest = rest.strip_prefix('[')?;
        if let Some(r) = rest.strip_prefix('\'') {
            let mut key = String::new();
            let mut chars = r.char_indices();
            let end = loop {
                match chars.next()? {
                    (_, '\\') => key.push(chars.next()?.1),
                    (i, '\'') => break i,
                    (_, c) => key.push(c),
                }
            };
            rest = r[end + 1..].strip_prefix(']')?;
            out.push(Step::Key(key));
        } else {
            let end = rest.find(']')?;
            out.push(Step::Index(rest[..end].parse().ok()?));
            rest = &rest[end + 1..];
        }
    }
    Some(out)
}

/// Lines `value` takes pretty-printed (serde_json's layout: a non-empty container opens and
/// closes on lines of its own, each member starts a line).
fn line_count(value: &Value) -> usize {
    match value {
        Value::Array(a) if !a.is_empty() => 2 + a.iter().map(line_count).sum::<usize>(),
        Value::Object(o) if !o.is_empty() => 2 + o.values().map(line_count).sum::<usize>(),
        _ => 1,
    }
}

/// The lines (`start..end`, 0-based) the node at `path` (Jayway's bracket form) takes in the
/// pretty-printed `root`.
pub fn node_lines(root: &Value, path: &str) -> Option<std::ops::Range<usize>> {
    let mut at = root;
    let mut start = 0;
    for step in steps(path)? {
        start += 1;
        match (step, at) {
            (Step::Key(k), Value::Object(o)) => {
                let mut found = None;
                for (name, v) in o {
                    if *name == k {
                        found = Some(v);
                        break;
                    }
                    start += line_count(v);
                }
                at = found?;
            }
            (Step::Index(i), Value::Array(a)) => {
                start += a.iter().take(i).map(line_count).sum::<usize>();
                at = a.get(i)?;
            }
            _ => return None,
        }
    }
    Some(start..start + line_count(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_selected_node_is_found_on_its_pretty_printed_lines() {
        let v = json!({"order": {"id": 7, "items": ["tea", {"sku": "jam"}]}, "it's": 1});
        let text = crate::tui::highlight::pretty(&v);
        let lines: Vec<&str> = text.lines().collect();
        let at = |p: &str| node_lines(&v, p).map(|r| lines[r].join("\n"));
        assert_eq!(at("$['order']['id']").as_deref(), Some("    \"id\": 7,"));
        assert_eq!(at("$['order']['items'][1]").as_deref(), Some("      {\n        \"sku\": \"jam\"\n      }"));
        assert_eq!(at("$['it\\'s']").as_deref(), Some("  \"it's\": 1"));
        assert_eq!(node_lines(&v, "$").map(|r| r.len()), Some(lines.len()));
        assert_eq!(node_lines(&v, "$['nope']"), None);
    }
}
