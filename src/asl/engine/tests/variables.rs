//! Variables in JSONPath mode (ASL-CHECKLIST section 7).

use serde_json::json;

use super::machine;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

#[test]
fn rule_7_2_assign_reads_entry_values_and_binds_from_the_next_state_on() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 5}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"x": 42, "old.$": "$x"}, "Parameters": {"seen.$": "$x"}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"x.$": "$x", "old.$": "$old"}, "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!({"x": 42, "old": 5}));
    let b_params = e.stages().iter().find(|s| &*s.state == "B" && s.kind == StageKind::AfterParameters);
    assert_eq!(
        b_params.map(|s| (*s.value()).clone()),
        Some(json!({"seen": 5})),
        "the state's own Assign is not visible"
    );
}

#[test]
fn a_variables_stage_shows_every_variable_once_assign_is_bound() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"a": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"b.$": "States.MathAdd($a, 1)"}, "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    e.run();
    let vars: Vec<_> = e
        .stages()
        .iter()
        .filter(|s| s.kind == StageKind::Variables)
        .map(|s| ((*s.value()).clone(), s.field()))
        .collect();
    assert_eq!(vars, vec![(json!({"a": 1}), Some("Assign")), (json!({"a": 1, "b": 2}), Some("Assign"))]);
}

#[test]
fn rule_7_8_choice_rule_and_wait_assign_see_the_effective_input() {
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "InputPath": "$.in", "Assign": {"w.$": "$.v"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.v", "NumericEquals": 3, "Assign": {"rule.$": "$.v"}, "Next": "D"}],
            "Default": "D", "Assign": {"rule": "default"}},
        "D": {"Type": "Pass", "Parameters": {"w.$": "$w", "rule.$": "$rule"}, "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({"in": {"v": 3}}), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!({"w": 3, "rule": 3}), "the matched rule's Assign, not the Default's (rule 7.4)");
}

#[test]
fn rule_7_5_parallel_branches_see_outer_values_and_not_each_other() {
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"outer": "o"}, "Next": "P"},
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A1", "States": {
                "A1": {"Type": "Pass", "Assign": {"mine": 1}, "Next": "A2"},
                "A2": {"Type": "Pass", "Parameters": {"o.$": "$outer", "m.$": "$mine"}, "End": true}}},
            {"StartAt": "B1", "States": {
                "B1": {"Type": "Pass", "Parameters": {"o.$": "$outer"}, "End": true}}}]}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!([{"o": "o", "m": 1}, {"o": "o"}]));
    assert!(e.variables().get("mine").is_none(), "branch variables are discarded");
}
