use serde_json::json;

use super::*;
use crate::asl::world::SeededEntropy;

/// A fixed clock and seeded entropy.
pub(crate) struct Fixed(pub SeededEntropy);

impl JsonataEnv for Fixed {
    fn now_millis(&mut self) -> i64 {
        1_767_225_600_000
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

fn eval(expr: &str, lang: Lang, input: &Value) -> Outcome {
    let variables: Map<String, Value> = json!({"limit": 2}).as_object().cloned().unwrap_or_default();
    let context = json!({"Execution": {"Name": "run-1"}});
    let scope = Scope { input: Some(input), context: &context, variables: &variables };
    evaluate(expr, lang, &scope, &mut Fixed(SeededEntropy::new(1)))
}

#[test]
fn a_jsonpath_selects_with_jayways_places_and_aws_errors() {
    let input = json!({"order": {"items": ["tea", "jam"]}});
    assert_eq!(
        eval("$.order.items[1]", Lang::JsonPath, &input),
        Outcome::Value { value: json!("jam"), selected: vec!["$['order']['items'][1]".into()] }
    );
    assert_eq!(
        eval("$$.Execution.Name", Lang::JsonPath, &input),
        Outcome::Value { value: json!("run-1"), selected: vec!["$['Execution']['Name']".into()] }
    );
    let Outcome::Error(e) = eval("$.order.total", Lang::JsonPath, &input) else { panic!("an error") };
    assert_eq!(e.code, "States.Runtime");
    assert_eq!(e.message, "Invalid path '$.order.total' : No results for path: $['order']['total']");
    let Outcome::Error(e) = eval("$.order[", Lang::JsonPath, &input) else { panic!("an error") };
    assert_eq!(e.code, "InvalidDefinition");
}

#[test]
fn an_intrinsic_call_and_its_failure() {
    let input = json!({"items": ["tea", "jam"]});
    assert_eq!(
        eval("States.ArrayLength($.items)", Lang::Intrinsic, &input),
        Outcome::Value { value: json!(2), selected: vec![] }
    );
    let Outcome::Error(e) = eval("States.ArrayGetItem($.items, 5)", Lang::Intrinsic, &input) else { panic!() };
    assert_eq!(e.code, "States.IntrinsicFailure");
}

#[test]
fn jsonata_with_states_and_variables_and_its_own_error_codes() {
    let input = json!({"n": 3});
    assert_eq!(
        eval("{% $states.input.n * $limit %}", Lang::Jsonata, &input),
        Outcome::Value { value: json!(6), selected: vec![] }
    );
    assert_eq!(eval("nothing", Lang::Jsonata, &input), Outcome::Undefined);
    let Outcome::Error(e) = eval("{% 1 + 'a' %}", Lang::Jsonata, &input) else { panic!() };
    assert_eq!(e.code, "T2002");
    assert_eq!(e.position, Some(5), "at the +, counted in the whole text, delimiters included: {e:?}");
    assert_eq!(Lang::of("{% 1 %}", Lang::JsonPath), Lang::Jsonata);
    assert_eq!(Lang::of("States.UUID()", Lang::JsonPath), Lang::Intrinsic);
    assert_eq!(Lang::of("$.a", Lang::JsonPath), Lang::JsonPath);
}
