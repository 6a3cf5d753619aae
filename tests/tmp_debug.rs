use statescope::asl::jsonata;
struct E;
impl jsonata::JsonataEnv for E { fn now_millis(&mut self) -> i64 { 0 } fn random(&mut self) -> f64 { 0.5 } }
#[test]
fn dbg() {
    for (e, d) in [("$[0]", "[[1,2],[3,4]]"), ("phone[0]", r#"[{"phone":[{"number":0}]},{"phone":[{"number":1}]}]"#), ("$", "[1,2]")] {
        let ast = jsonata::parse(e).unwrap();
        let v: serde_json::Value = serde_json::from_str(d).unwrap();
        println!("{e} => {:?}", ast.evaluate(&v, &Default::default(), &mut E));
        println!("{:?}", ast.root.kind);
    }
}
