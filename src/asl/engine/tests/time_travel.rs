//! Rewind, step back, answer and replay: going back must give exactly what was shown then, and
//! stepping on must give exactly the original run (issue 4).

use proptest::prelude::*;
use serde_json::{Value, json};

use super::machine;
use crate::asl::engine::execution::{Replayed, SNAPSHOT_EVERY};
use crate::asl::engine::history::HistoryEvent;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

/// Sample machines touching every source of state: variables, the clock (Wait, retries with
/// jitter), entropy (States.UUID, MathRandom), Map iterations, Parallel branches, a loop.
fn sample(i: usize) -> Value {
    match i % 5 {
        0 => json!({"StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Loop"},
            "Loop": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "r.$": "States.MathRandom(1, 100)"},
                     "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 3, "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericLessThan": 40, "Next": "Loop"}],
                      "Default": "Done"},
            "Done": {"Type": "Succeed"}}}),
        1 => json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "u.$": "States.UUID()"},
            "ItemProcessor": {"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Wait", "Seconds": 1, "End": true}}},
            "End": true}}}),
        2 => json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
                {"StartAt": "X", "States": {"X": {"Type": "Pass", "Result": 1, "End": true}}},
                {"StartAt": "Y", "States": {"Y": {"Type": "Fail", "Error": "Boom", "Cause": "y"}}}],
            "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 3, "IntervalSeconds": 2, "JitterStrategy": "FULL"}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "After"}],
            "Next": "After"},
            "After": {"Type": "Pass", "Parameters": {"r.$": "States.MathRandom(1, 1000)"}, "End": true}}}),
        // The context object everywhere: snapshots do not keep it (the next state entry rewrites
        // what differs), so a rewind must still reproduce every `$$` exactly.
        4 => json!({"StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Look"},
            "Look": {"Type": "Pass", "Parameters": {"ctx.$": "$$", "n.$": "$n"}, "ResultPath": "$.look",
                     "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Next": "Fan"},
            "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Each", "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "End": true}}}]},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"ctx.$": "$$"}, "ResultPath": "$.each",
                     "ItemProcessor": {"StartAt": "I", "States": {
                         "I": {"Type": "Pass", "Parameters": {"s.$": "$$.State"}, "End": true}}},
                     "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericLessThan": 4, "Next": "Look"}],
                      "Default": "Done"},
            "Done": {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "End": true}}}),
        _ => json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$"}, "End": true}}},
            "ItemBatcher": {"MaxItemsPerBatch": 3}, "End": true}}}),
    }
}

type Shown = (Vec<(usize, String, Value)>, Vec<HistoryEvent>, Status);

fn shown(e: &Execution) -> Shown {
    let stages = e.stages().iter().map(|s| (s.index(), s.state.to_string(), (*s.value()).clone())).collect();
    (stages, e.history().events().to_vec(), e.status().clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Rewind then step reproduces the original history exactly, at random stops of random
    /// sample executions; several rewinds in a row (back and forth) too.
    #[test]
    fn rewind_then_run_reproduces_the_original(which in 0usize..5, items in 0usize..40, stops in prop::collection::vec(0usize..10_000, 1..5)) {
        let m = machine(sample(which));
        let input = json!({"items": (0..items).collect::<Vec<_>>()});
        let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
        e.run();
        let original = shown(&e);
        let total = original.0.len();
        prop_assert!(total > 0);
        for (k, stop) in stops.into_iter().enumerate() {
            let stop = stop % total;
            // Back or forward from wherever the previous round left off.
            e.rewind(stop);
            // Exactly what was shown then: the stages up to `stop`, the history of that moment,
            // and the same as stepping there from the start.
            prop_assert_eq!(e.stages().len(), stop + 1);
            prop_assert_eq!(&shown(&e).0[..], &original.0[..=stop]);
            let mut fresh = Execution::new(m.clone(), json!({"items": (0..items).collect::<Vec<_>>()}), ExecutionConfig::default());
            for _ in 0..=stop {
                fresh.step();
            }
            prop_assert_eq!(fresh.history().events(), e.history().events());
            prop_assert_eq!(fresh.now_ms(), e.now_ms());
            prop_assert_eq!(fresh.variables(), e.variables());
            if k % 2 == 1 {
                e.run();
                prop_assert_eq!(&shown(&e), &original);
            }
        }
        e.run();
        prop_assert_eq!(&shown(&e), &original);
    }
}

#[test]
fn rewind_and_step_back_land_mid_state_exactly() {
    let m = machine(sample(1));
    let mut e = Execution::new(m.clone(), json!({"items": (0..50).collect::<Vec<_>>()}), ExecutionConfig::default());
    e.run();
    let total = e.stages().len();
    assert!(total > 3 * SNAPSHOT_EVERY, "long enough to cross snapshots: {total}");
    let history_at = |e: &mut Execution, i: usize| {
        e.rewind(i);
        (e.history().len(), e.now_ms())
    };
    let mid = history_at(&mut e, 2 * SNAPSHOT_EVERY + 5);
    let mut f = Execution::new(m.clone(), json!({"items": (0..50).collect::<Vec<_>>()}), ExecutionConfig::default());
    for _ in 0..=(2 * SNAPSHOT_EVERY + 5) {
        f.step();
    }
    assert_eq!(mid, (f.history().len(), f.now_ms()), "same history length and clock as stepping there");
    e.step_back();
    assert_eq!(e.stages().len(), 2 * SNAPSHOT_EVERY + 5);
    e.rewind(0);
    e.step_back();
    assert!(e.stages().is_empty());
    assert_eq!(e.history().len(), 1, "only ExecutionStarted");
}

#[test]
fn replay_on_an_unchanged_machine_lands_on_the_same_stage() {
    let m = machine(sample(0));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    e.run();
    let m2 = machine(sample(0));
    let (r, at) = e.replay(m2.clone(), 100);
    assert_eq!(at, Replayed::Same(100));
    assert_eq!(r.stages().len(), 101);
    assert_eq!(r.stages()[100].payload, e.stages()[100].payload, "same seed, clock and answers");
}

#[test]
fn replay_after_a_state_was_removed_stops_before_it_and_says_so() {
    let m = machine(json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}}));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    e.run();
    let c_stage = e.stages().iter().position(|s| &*s.state == "C").expect("C shown");
    let edited = machine(json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": {"new": true}, "End": true}}}));
    let (r, at) = e.replay(edited.clone(), c_stage);
    let Replayed::Earlier { index, missing } = at else { panic!("{at:?}") };
    assert_eq!(missing, "C");
    assert_eq!(r.stages().len(), index + 1);
    assert_eq!(&*r.stages()[index].state, "B");
    // The new definition is what runs: B's new Result shows once stepping on.
    let mut r = r;
    assert!(matches!(r.run(), Status::Succeeded(v) if **v == json!({"new": true})));
}

#[test]
fn replay_reports_a_run_that_ends_earlier() {
    let m = machine(sample(0));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    e.run();
    // Same state names, but the loop now ends after one round.
    let mut def = sample(0);
    def["States"]["Check"]["Choices"][0]["NumericLessThan"] = json!(1);
    let short = machine(def);
    let (_, at) = e.replay(short.clone(), 200);
    assert!(matches!(at, Replayed::EndedBefore { stages } if stages < 200), "{at:?}");
}

#[test]
fn answering_tasks_one_by_one_gives_the_run_that_had_the_answers_up_front() {
    use std::sync::Arc;

    use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer};
    // A loop long enough to cross several snapshots, then a Map of tasks.
    let def = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Parameters": {"i": 0, "items": [10, 20, 30]}, "Next": "Loop"},
        "Loop": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 60, "Next": "Inc"}], "Default": "M"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "items.$": "$.items"}, "Next": "Loop"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"v.$": "$"}, "End": true}}},
            "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let mut given = RecordedAnswers::default();
    let mut rounds = 0;
    while let Status::AwaitingTask(r) = e.run().clone() {
        let answer = TaskAnswer::Return(json!({"doubled": r.input["v"].as_i64().unwrap_or(0) * 2}));
        given.record(&r.state, r.invocation, answer.clone());
        e.answer(answer);
        rounds += 1;
        assert!(rounds < 10, "answers must be taken");
    }
    assert_eq!(rounds, 3);
    let Status::Succeeded(out) = e.status().clone() else { panic!("{:?}", e.status()) };
    assert_eq!(*out, json!([{"doubled": 20}, {"doubled": 40}, {"doubled": 60}]));
    let mut upfront = Execution::with_tasks(m.clone(), json!({}), ExecutionConfig::default(), Arc::new(NoTasks), given);
    upfront.run();
    assert_eq!(shown(&e), shown(&upfront), "same stages, history and status");
    // And time travel still holds after answering.
    let total = e.stages().len();
    e.rewind(total / 2);
    e.run();
    assert_eq!(shown(&e), shown(&upfront));
}

/// Every stage, nested ones included, is given the `$$` of its own state, and the execution
/// input is in it; past the stages shown there is nothing.
#[test]
fn scope_at_gives_each_stage_the_context_of_its_own_state() {
    for i in 0..5 {
        let mut e = Execution::new(machine(sample(i)), json!({"items": [1, 2, 3]}), ExecutionConfig::default());
        e.run();
        for s in e.stages().iter() {
            let scope = e.scope_at(s.index()).expect("a shown stage has a scope");
            assert_eq!(scope.context["State"]["Name"], json!(&*s.state), "sample {i}, stage {}", s.index());
            assert_eq!(scope.context["Execution"]["Input"], json!({"items": [1, 2, 3]}));
        }
        assert_eq!(e.scope_at(e.stages().len()), None);
    }
}

/// A Parallel branch's Assign is seen by the branch's later states only (rule 7.5).
#[test]
fn scope_at_sees_a_branch_variable_only_inside_its_branch() {
    let m = machine(json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "Mark", "States": {
                "Mark": {"Type": "Pass", "Assign": {"branch": "left"}, "Next": "Use"},
                "Use": {"Type": "Pass", "End": true}}},
            {"StartAt": "Other", "States": {"Other": {"Type": "Pass", "End": true}}}]},
        "After": {"Type": "Pass", "End": true}}}));
    let mut e = Execution::new(m, json!({}), ExecutionConfig::default());
    e.run();
    let at = |name: &str| e.stages().iter().find(|s| &*s.state == name).map(|s| s.index()).expect("stage");
    let var = |i: usize| e.scope_at(i).expect("scope").variables.get("branch").cloned();
    assert_eq!(var(at("Mark")), None);
    assert_eq!(var(at("Use")), Some(json!("left")));
    assert_eq!(var(at("Other")), None);
    assert_eq!(var(at("After")), None);
}
