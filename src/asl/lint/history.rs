//! `history-quota-risk`: a cycle in a scope's state graph (Next, Choice rules, Default, Catch)
//! in a Standard workflow. Each pass adds history events, and a Standard execution fails when
//! its history reaches 25,000 events (ASL-CHECKLIST 18.2). A Choice that bounds the loop does
//! not make it safe: its bound is data, so the lint reports every loop and the author allows it
//! with a Comment when the data is known to be small.

use std::collections::{BTreeSet, VecDeque};

use crate::asl::codes;
use crate::asl::definition::{Scope, State, StateKind, Transition};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::engine::limits::MAX_HISTORY_EVENTS;
use crate::asl::validate::{nested_scopes, targets};

/// One warning per loop of `scope` (not of its nested scopes: the caller walks those), with
/// the loop's states.
pub fn loops(scope: &Scope) -> Vec<(Diagnostic, Vec<&State>)> {
    let graph = edges(scope);
    let order = bfs_order(scope, &graph);
    let mut found = Vec::new();
    for component in strongly_connected(&graph) {
        let single = component.len() == 1;
        if single && !graph[component[0]].contains(&component[0]) {
            continue;
        }
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let header = order.iter().copied().find(|i| members.contains(i)).unwrap_or(component[0]);
        let cycle = shortest_cycle(scope, &graph, &members, header);
        found.push(warning(scope, &cycle));
    }
    found
}

fn warning<'m>(scope: &'m Scope, cycle: &[usize]) -> (Diagnostic, Vec<&'m State>) {
    let states: Vec<&State> = cycle.iter().map(|&i| &scope.states[i]).collect();
    let events: u64 = states.iter().map(|s| events_of(s)).sum::<u64>().max(1);
    let passes = (MAX_HISTORY_EVENTS as u64).div_ceil(events);
    let mut path: Vec<String> = states.iter().map(|s| format!("'{}'", s.name)).collect();
    path.push(format!("'{}'", states[0].name));
    let head = states[0];
    let message = format!(
        "the loop {} adds at least {events} history events per pass: about {} passes reach the \
         {}-event quota of a Standard execution, which then fails",
        path.join(" → "),
        thousands(passes),
        thousands(MAX_HISTORY_EVENTS as u64),
    );
    let diagnostic =
        Diagnostic::warning(codes::HISTORY_QUOTA_RISK, message).at(head.name_span).pointer(head.pointer.clone()).help(
            "count the passes (an Assign'd counter) and leave the loop in the Choice well before the quota, or \
             continue as a new execution (StartExecution with the current state); if the data keeps it short, \
             say so in a Comment with statescope:allow(history-quota-risk)",
        );
    (diagnostic, states)
}

/// The fewest history events one visit of `state` adds, as AWS records them: entered and exited
/// for every state, scheduled/started/succeeded for a Task, started (and Map's succeeded) for
/// Parallel and Map plus their branches' shortest runs (a Map with no items runs none).
pub fn events_of(state: &State) -> u64 {
    match &state.kind {
        StateKind::Task(_) => 5,
        StateKind::Parallel(_) => 3 + nested_scopes(state).iter().map(|s| shortest_run(s)).sum::<u64>(),
        StateKind::Map(_) => 4,
        _ => 2,
    }
}

/// The fewest events of a run of `scope` from StartAt to a state that ends it (0 if none can).
fn shortest_run(scope: &Scope) -> u64 {
    let graph = edges(scope);
    let Some(start) = scope.index_of(&scope.start_at.value) else { return 0 };
    let weight: Vec<u64> = scope.states.iter().map(events_of).collect();
    let (dist, _) = dijkstra(&graph, &weight, start, |_| true);
    let ends = |s: &State| {
        matches!(s.transition, Transition::End) || matches!(s.kind, StateKind::Succeed | StateKind::Fail(_))
    };
    (0..scope.states.len()).filter(|&i| ends(&scope.states[i])).filter_map(|i| dist[i]).min().unwrap_or(0)
}

/// The cheapest cycle through `header` inside `members`, as state indices starting at `header`.
fn shortest_cycle(scope: &Scope, graph: &[Vec<usize>], members: &BTreeSet<usize>, header: usize) -> Vec<usize> {
    let weight: Vec<u64> = scope.states.iter().map(events_of).collect();
    let (dist, prev) = dijkstra(graph, &weight, header, |v| members.contains(&v) && v != header);
    let last = members
        .iter()
        .copied()
        .filter(|&u| graph[u].contains(&header))
        .filter_map(|u| dist[u].map(|d| (d, u)))
        .min()
        .map(|(_, u)| u);
    let mut cycle = Vec::new();
    let mut at = last;
    while let Some(u) = at {
        cycle.push(u);
        at = if u == header { None } else { prev[u] };
    }
    cycle.reverse();
    if cycle.first() != Some(&header) {
        return vec![header];
    }
    cycle
}

/// Shortest paths where entering a node costs its weight; `allowed` filters nodes after the start.
fn dijkstra(
    graph: &[Vec<usize>],
    weight: &[u64],
    start: usize,
    allowed: impl Fn(usize) -> bool,
) -> (Vec<Option<u64>>, Vec<Option<usize>>) {
    let n = graph.len();
    let (mut dist, mut prev, mut done) = (vec![None; n], vec![None; n], vec![false; n]);
    dist[start] = Some(weight[start]);
    // Scopes are small (a few dozen states): the O(n²) form is simplest and fast enough.
    while let Some(u) = (0..n).filter(|&u| !done[u]).filter_map(|u| dist[u].map(|d| (d, u))).min().map(|(_, u)| u) {
        done[u] = true;
        let du = dist[u].unwrap_or(0);
        for &v in &graph[u] {
            if !allowed(v) || done[v] {
                continue;
            }
            let dv = du + weight[v];
            if dist[v].is_none_or(|d| dv < d) {
                dist[v] = Some(dv);
                prev[v] = Some(u);
            }
        }
    }
    (dist, prev)
}

/// Each state's successors (by index, in this scope).
fn edges(scope: &Scope) -> Vec<Vec<usize>> {
    scope
        .states
        .iter()
        .map(|s| {
            let mut next: Vec<usize> =
                targets(s).into_iter().filter_map(|(t, _, _)| scope.index_of(&t.value)).collect();
            next.sort_unstable();
            next.dedup();
            next
        })
        .collect()
}

/// States in the order a run can first reach them from StartAt.
fn bfs_order(scope: &Scope, graph: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = vec![false; graph.len()];
    let mut order = Vec::new();
    let mut queue: VecDeque<usize> = scope.index_of(&scope.start_at.value).into_iter().collect();
    while let Some(u) = queue.pop_front() {
        if std::mem::replace(&mut seen[u], true) {
            continue;
        }
        order.push(u);
        queue.extend(graph[u].iter().copied().filter(|&v| !seen[v]));
    }
    order
}

/// Tarjan's strongly connected components, iteratively (no recursion on hostile input).
fn strongly_connected(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = graph.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut next_index, mut stack, mut components) = (0, Vec::new(), Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&(u, edge)) = work.last() {
            if edge == 0 && index[u] == usize::MAX {
                index[u] = next_index;
                low[u] = next_index;
                next_index += 1;
                stack.push(u);
                on_stack[u] = true;
            }
            if let Some(&v) = graph[u].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[v] == usize::MAX {
                    work.push((v, 0));
                } else if on_stack[v] {
                    low[u] = low[u].min(index[v]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[u]);
            }
            if low[u] == index[u] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == u {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort();
    components
}

/// `25000` → `25,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
