//! Definition diffs: each kind of change, and renames told apart from removals.

use serde_json::{Value, json};

use super::{ChangeKind, diff};

fn old() -> Value {
    json!({"Comment": "orders", "StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}], "Next": "Big order?"},
        "Big order?": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 100, "Next": "Thank"}], "Default": "Hello"},
        "Thank": {"Type": "Pass", "Result": "thanks", "End": true},
        "Hello": {"Type": "Pass", "Result": "hello", "End": true},
        "Fan": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}}]}}})
}

fn lines(old: &Value, new: &Value) -> Vec<String> {
    diff(old, new).iter().map(|c| c.to_string()).collect()
}

#[test]
fn unchanged_definitions_have_no_differences() {
    assert!(diff(&old(), &old()).is_empty());
}

#[test]
fn changed_fields_show_old_and_new_values() {
    let mut new = old();
    new["States"]["Charge"]["Retry"][0]["MaxAttempts"] = json!(3);
    new["Comment"] = json!("orders v2");
    assert_eq!(
        lines(&old(), &new),
        ["changed: Comment: \"orders\" → \"orders v2\"", "changed: 'Charge' Retry[0].MaxAttempts: 2 → 3"]
    );
    let c = &diff(&old(), &new)[1];
    assert_eq!((c.old.clone(), c.new.clone()), (Some(json!(2)), Some(json!(3))));
}

#[test]
fn retargeted_transitions_added_and_removed_states() {
    let mut new = old();
    new["States"]["Big order?"]["Choices"][0]["Next"] = json!("Hello");
    new["States"].as_object_mut().expect("states").shift_remove("Thank");
    new["States"]["Fan"]["Branches"][0]["States"]["Right"] = json!({"Type": "Succeed"});
    assert_eq!(
        lines(&old(), &new),
        [
            "removed: 'Thank' (Pass)",
            "retargeted: 'Big order?' Choices[0].Next: \"Thank\" → \"Hello\"",
            "added: 'Right' (Succeed)",
        ]
    );
}

#[test]
fn a_renamed_state_is_one_rename_and_its_predecessors_follow_it_silently() {
    let text = old().to_string().replace("\"Charge\"", "\"Charge card\"");
    let new: Value = serde_json::from_str(&text).expect("json");
    let changes = diff(&old(), &new);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].kind, ChangeKind::Renamed);
    assert_eq!(changes[0].to_string(), "renamed: \"Charge\" → 'Charge card'");
    // Renamed and changed at once.
    let mut both = new.clone();
    both["States"]["Charge card"]["Retry"][0]["MaxAttempts"] = json!(5);
    assert_eq!(
        lines(&old(), &both),
        ["renamed: \"Charge\" → 'Charge card'", "changed: 'Charge card' Retry[0].MaxAttempts: 2 → 5"]
    );
}
