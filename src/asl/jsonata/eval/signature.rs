//! Function signatures (`<s-nn?:s>`): JSONata checks every call against them, substitutes the
//! context for a missing `-` argument and wraps a single value where an array is expected.

use regex::Regex;

use crate::asl::jsonata::error::JsonataError;
use crate::asl::jsonata::eval::value::V;

#[derive(Debug)]
pub struct Signature {
    regex: Regex,
    params: Vec<Param>,
}

#[derive(Debug, Default, Clone)]
struct Param {
    kind: String,
    regex: String,
    context: Option<Regex>,
    subtype: Option<String>,
}

impl Signature {
    /// Parses a signature; `None` if JSONata would not accept it (the parser rejected those).
    pub fn parse(sig: &str) -> Option<Signature> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        while i < chars.len() {
            let c = chars[i];
            match c {
                ':' => break,
                's' | 'n' | 'b' | 'l' | 'o' => {
                    params.push(Param { kind: c.to_string(), regex: format!("[{c}m]"), ..Param::default() })
                }
                'a' => params.push(Param { kind: "a".into(), regex: "[asnblfom]".into(), ..Param::default() }),
                'f' => params.push(Param { kind: "f".into(), regex: "f".into(), ..Param::default() }),
                'j' => params.push(Param { kind: "j".into(), regex: "[asnblom]".into(), ..Param::default() }),
                'x' => params.push(Param { kind: "x".into(), regex: "[asnblfom]".into(), ..Param::default() }),
                '-' => {
                    let last = params.last_mut()?;
                    last.context = Regex::new(&format!("^{}$", last.regex)).ok();
                    last.regex.push('?');
                }
                '?' | '+' => params.last_mut()?.regex.push(c),
                '(' => {
                    let end = (i..chars.len()).find(|&j| chars[j] == ')')?;
                    let choice: String = chars[i + 1..end].iter().collect();
                    params.push(Param {
                        kind: format!("({choice})"),
                        regex: format!("[{choice}m]"),
                        ..Param::default()
                    });
                    i = end;
                }
                '<' => {
                    let mut depth = 0;
                    let mut end = i;
                    for (j, &ch) in chars.iter().enumerate().skip(i) {
                        if ch == '<' {
                            depth += 1;
                        } else if ch == '>' {
                            depth -= 1;
                            if depth == 0 {
                                end = j;
                                break;
                            }
                        }
                    }
                    params.last_mut()?.subtype = Some(chars[i + 1..end.max(i + 1)].iter().collect());
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        let pattern: String = params.iter().map(|p| format!("({})", p.regex)).collect();
        let regex = Regex::new(&format!("^{pattern}$")).ok()?;
        Some(Signature { regex, params })
    }

    /// The number of declared parameters (how many arguments higher-order functions pass).
    pub fn arity(&self) -> usize {
        self.params.len()
    }

    /// Checks and adapts `args` for a call to `name`; `context` fills a missing `-` argument.
    pub fn validate<'a>(
        &self,
        name: &str,
        args: Vec<V<'a>>,
        context: &V<'a>,
        pos: usize,
    ) -> Result<Vec<V<'a>>, JsonataError> {
        let supplied: String = args.iter().map(V::symbol).collect();
        let Some(caps) = self.regex.captures(&supplied) else {
            return Err(self.mismatch(name, &supplied, pos));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut index = 0;
        for (p, param) in self.params.iter().enumerate() {
            let matched = caps.get(p + 1).map_or("", |m| m.as_str());
            if matched.is_empty() {
                if let Some(ctx_regex) = &param.context {
                    // The top-level input array is wrapped; a function sees the array itself.
                    let context = match context {
                        V::Arr(a) if a.outer_wrapper => a.items.first().cloned().unwrap_or_default(),
                        other => other.clone(),
                    };
                    let symbol = context.symbol().to_string();
                    if ctx_regex.is_match(&symbol) {
                        out.push(context);
                    } else {
                        return Err(JsonataError::with_message(
                            "T0411",
                            pos,
                            format!(
                                "Context value is not a compatible type with argument {} of function {name}",
                                index + 1
                            ),
                        ));
                    }
                } else {
                    out.push(args.get(index).cloned().unwrap_or_default());
                    index += 1;
                }
                continue;
            }
            for single in matched.chars() {
                let arg = args.get(index).cloned().unwrap_or_default();
                if param.kind == "a" {
                    if single == 'm' {
                        out.push(V::Undefined);
                    } else {
                        if let Some(sub) = &param.subtype {
                            let ok = if single != 'a' {
                                matched == sub
                            } else {
                                let items = arg.as_arr().map(|a| a.items.as_slice()).unwrap_or_default();
                                match items.first() {
                                    None => true,
                                    Some(first) => {
                                        let t = first.symbol();
                                        sub.starts_with(t) && items.iter().all(|v| v.symbol() == t)
                                    }
                                }
                            };
                            if !ok {
                                return Err(JsonataError::with_message(
                                    "T0412",
                                    pos,
                                    format!(
                                        "Argument {} of function {name} must be an array of {}",
                                        index + 1,
                                        type_name(sub)
                                    ),
                                ));
                            }
                        }
                        out.push(if single == 'a' { arg } else { V::array(vec![arg]) });
                    }
                } else {
                    out.push(arg);
                }
                index += 1;
            }
        }
        Ok(out)
    }

    /// T0410 naming the first argument that breaks the signature.
    fn mismatch(&self, name: &str, supplied: &str, pos: usize) -> JsonataError {
        let mut partial = String::from("^");
        let mut good = 0;
        for param in &self.params {
            partial.push_str(&param.regex);
            match Regex::new(&partial).ok().and_then(|r| r.find(supplied)) {
                Some(m) => good = m.end(),
                None => break,
            }
        }
        JsonataError::with_message(
            "T0410",
            pos,
            format!("Argument {} of function {name} does not match function signature", good + 1),
        )
    }
}

fn type_name(sub: &str) -> &'static str {
    match sub.chars().next() {
        Some('s') => "strings",
        Some('n') => "numbers",
        Some('b') => "booleans",
        Some('o') => "objects",
        Some('f') => "functions",
        Some('a') => "arrays",
        _ => "values",
    }
}
