//! Test coverage of a definition: which states ran and which transitions were taken — each
//! Choice rule and Default, each Catch, each Retry — over any number of executions (the test
//! cases of a suite). Read from the executions' stage records, which say which rule matched,
//! which catcher caught and which retrier retried.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::asl::definition::{Scope, StateKind, StateMachine};
use crate::asl::engine::stage::{StageDetail, StageRecord};

/// One transition that can be taken.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Transition {
    /// Rule `rule` (0-based) of Choice `state`.
    ChoiceRule {
        state: String,
        rule: usize,
        next: String,
    },
    ChoiceDefault {
        state: String,
        next: String,
    },
    /// Catcher `catcher` (0-based) of `state`.
    Catch {
        state: String,
        catcher: usize,
        errors: String,
        next: String,
    },
    /// Retrier `retrier` (0-based) of `state`.
    Retry {
        state: String,
        retrier: usize,
        errors: String,
    },
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transition::ChoiceRule { state, rule, next } => write!(f, "Choice '{state}' rule {} → '{next}'", rule + 1),
            Transition::ChoiceDefault { state, next } => write!(f, "Choice '{state}' Default → '{next}'"),
            Transition::Catch { state, catcher, errors, next } => {
                write!(f, "'{state}' Catch {} [{errors}] → '{next}'", catcher + 1)
            }
            Transition::Retry { state, retrier, errors } => write!(f, "'{state}' Retry {} [{errors}]", retrier + 1),
        }
    }
}

/// Coverage collected so far.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Every state (nested ones included), in definition order, with how often it ran.
    states: Vec<(String, usize)>,
    transitions: BTreeMap<Transition, usize>,
}

/// Percent of `part` in `total` (100 when there is nothing to cover).
fn percent(part: usize, total: usize) -> f64 {
    if total == 0 { 100.0 } else { (part as f64) * 100.0 / (total as f64) }
}

impl Coverage {
    /// Nothing covered yet: every state and transition of `machine`.
    pub fn new(machine: &StateMachine) -> Coverage {
        fn walk(scope: &Scope, c: &mut Coverage) {
            for s in &scope.states {
                c.states.push((s.name.clone(), 0));
                let errors = |e: &[crate::asl::definition::Spanned<String>]| {
                    e.iter().map(|x| x.value.as_str()).collect::<Vec<_>>().join(", ")
                };
                for (i, r) in s.retry.iter().enumerate() {
                    let t = Transition::Retry { state: s.name.clone(), retrier: i, errors: errors(&r.error_equals) };
                    c.transitions.insert(t, 0);
                }
                for (i, k) in s.catch.iter().enumerate() {
                    let t = Transition::Catch {
                        state: s.name.clone(),
                        catcher: i,
                        errors: errors(&k.error_equals),
                        next: k.next.value.to_string(),
                    };
                    c.transitions.insert(t, 0);
                }
                match &s.kind {
                    StateKind::Choice(ch) => {
                        for (i, rule) in ch.choices.iter().enumerate() {
                            let next = rule.next.as_ref().map(|n| n.value.to_string()).unwrap_or_default();
                            c.transitions.insert(Transition::ChoiceRule { state: s.name.clone(), rule: i, next }, 0);
                        }
                        if let Some(d) = &ch.default {
                            let t = Transition::ChoiceDefault { state: s.name.clone(), next: d.value.to_string() };
                            c.transitions.insert(t, 0);
                        }
                    }
                    StateKind::Parallel(p) => p.branches.iter().for_each(|b| walk(b, c)),
                    StateKind::Map(m) => walk(&m.processor, c),
                    _ => {}
                }
            }
        }
        let mut c = Coverage::default();
        walk(&machine.scope, &mut c);
        c
    }

    /// Adds what one execution's stages show.
    pub fn record<'a>(&mut self, stages: impl IntoIterator<Item = &'a StageRecord>) {
        // A retried state shows its `input` again on each attempt: one visit all the same.
        let mut retrying: Vec<(&str, &str)> = Vec::new();
        for s in stages {
            let state = &*s.state;
            let at = (state, s.location.as_str());
            // Every visit starts with its `input` stage: count visits, not stages.
            if s.kind == crate::asl::engine::stage::StageKind::Input {
                if let Some(i) = retrying.iter().position(|r| *r == at) {
                    retrying.swap_remove(i);
                } else if let Some(entry) = self.states.iter_mut().find(|(n, _)| n == state) {
                    entry.1 += 1;
                }
            }
            if s.retry.is_some() {
                retrying.push(at);
            }
            if let Some(r) = &s.retry {
                self.hit(|t| matches!(t, Transition::Retry { state: st, retrier, .. } if st == state && *retrier == r.retrier));
            }
            match s.detail.as_deref() {
                Some(StageDetail::Choice(o)) => match o.matched {
                    Some(rule) => self.hit(
                        |t| matches!(t, Transition::ChoiceRule { state: st, rule: r, .. } if st == state && *r == rule),
                    ),
                    None if o.next.is_some() => {
                        self.hit(|t| matches!(t, Transition::ChoiceDefault { state: st, .. } if st == state))
                    }
                    None => {}
                },
                Some(StageDetail::Caught { catcher, .. }) => self.hit(
                    |t| matches!(t, Transition::Catch { state: st, catcher: c, .. } if st == state && c == catcher),
                ),
                _ => {}
            }
        }
    }

    fn hit(&mut self, which: impl Fn(&Transition) -> bool) {
        if let Some((_, n)) = self.transitions.iter_mut().find(|(t, _)| which(t)) {
            *n += 1;
        }
    }

    /// `(name, visits)` of every state, in definition order.
    pub fn states(&self) -> &[(String, usize)] {
        &self.states
    }

    pub fn transitions(&self) -> impl Iterator<Item = (&Transition, usize)> {
        self.transitions.iter().map(|(t, n)| (t, *n))
    }

    pub fn unreached(&self) -> Vec<&str> {
        self.states.iter().filter(|(_, n)| *n == 0).map(|(s, _)| s.as_str()).collect()
    }

    pub fn untaken(&self) -> Vec<&Transition> {
        self.transitions.iter().filter(|(_, n)| **n == 0).map(|(t, _)| t).collect()
    }

    /// States run and transitions taken, as one percentage of everything there is to cover.
    pub fn percent(&self) -> f64 {
        let states = self.states.iter().filter(|(_, n)| *n > 0).count();
        let transitions = self.transitions.values().filter(|n| **n > 0).count();
        percent(states + transitions, self.states.len() + self.transitions.len())
    }

    /// `{percent, states: {covered, total, unreached}, transitions: {covered, total, untaken}}`.
    pub fn to_json(&self) -> Value {
        let unreached = self.unreached();
        let untaken: Vec<String> = self.untaken().iter().map(|t| t.to_string()).collect();
        json!({
            "percent": (self.percent() * 10.0).round() / 10.0,
            "states": {"covered": self.states.len() - unreached.len(), "total": self.states.len(), "unreached": unreached},
            "transitions": {"covered": self.transitions.len() - untaken.len(), "total": self.transitions.len(), "untaken": untaken},
        })
    }
}

#[cfg(test)]
mod tests;
