//! ItemBatcher (rule 15.x): groups the (selected) items into batches, each iteration's input
//! being `{"BatchInput": …, "Items": [...]}`. Limits come from literals or paths.

use serde_json::{Map, Value};

use crate::asl::engine::io::Failure;
use crate::asl::jsonpath::{Path, Roots};

/// AWS's ceiling for MaxInputBytesPerBatch (rule 18.7): 256 KiB.
const MAX_BYTES_CEILING: u64 = 262_144;

/// Resolved ItemBatcher settings.
#[derive(Debug, PartialEq)]
pub(super) struct Batcher {
    max_items: Option<u64>,
    max_bytes: Option<u64>,
    batch_input: Option<Value>,
}

/// A positive integer from `<Field>` or `<Field>Path`.
fn limit(config: &Map<String, Value>, field: &str, roots: &Roots) -> Result<Option<u64>, Failure> {
    let path_key = format!("{field}Path");
    let (v, path) = if let Some(v) = config.get(field) {
        (v.clone(), None)
    } else if let Some(Value::String(p)) = config.get(&path_key) {
        let parsed = Path::parse(p).map_err(|e| Failure::runtime(format!("Invalid path '{p}': {e}")))?;
        let v = parsed.select(roots).map_err(|e| Failure::runtime(format!("Invalid path '{p}' : {e}")))?;
        (v, Some(p.clone()))
    } else {
        return Ok(None);
    };
    match v.as_u64() {
        Some(n) if n > 0 => Ok(Some(n)),
        _ => Err(Failure::runtime(match path {
            Some(p) => {
                format!("The {path_key} field refers to value \"{v}\" which is not a valid positive integer: {p}")
            }
            None => format!("{field} must be a positive integer, not {v}"),
        })),
    }
}

impl Batcher {
    /// Reads the ItemBatcher object; `BatchInput` is a template over the Map's effective input.
    pub fn resolve(
        config: &Value,
        roots: &Roots,
        entropy: &mut dyn crate::asl::world::Entropy,
    ) -> Result<Batcher, Failure> {
        let Some(obj) = config.as_object() else {
            return Err(Failure::runtime("ItemBatcher must be an object"));
        };
        let max_items = limit(obj, "MaxItemsPerBatch", roots)?;
        let max_bytes = limit(obj, "MaxInputBytesPerBatch", roots)?.map(|b| b.min(MAX_BYTES_CEILING));
        let batch_input = match obj.get("BatchInput") {
            None => None,
            Some(raw) => Some(evaluate_template(raw, roots, entropy)?),
        };
        Ok(Batcher { max_items, max_bytes, batch_input })
    }

    /// Splits `items` into batch inputs, in order. A single item over the byte limit still
    /// forms a batch of one (it cannot be split).
    pub fn batches(&self, items: Vec<Value>) -> Vec<Value> {
        let mut out = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = 0u64;
        for item in items {
            let size = serde_json::to_vec(&item).map_or(0, |v| v.len() as u64);
            let full_items = self.max_items.is_some_and(|m| current.len() as u64 >= m);
            let full_bytes = self.max_bytes.is_some_and(|m| !current.is_empty() && bytes + size > m);
            if full_items || full_bytes {
                out.push(self.wrap(std::mem::take(&mut current)));
                bytes = 0;
            }
            bytes += size;
            current.push(item);
        }
        if !current.is_empty() {
            out.push(self.wrap(current));
        }
        out
    }

    fn wrap(&self, items: Vec<Value>) -> Value {
        let mut m = Map::new();
        if let Some(b) = &self.batch_input {
            m.insert("BatchInput".into(), b.clone());
        }
        m.insert("Items".into(), Value::Array(items));
        Value::Object(m)
    }
}

/// A raw JSON payload template (keys ending `.$` are paths or intrinsics), as kept unparsed in
/// the definition's ItemBatcher.
fn evaluate_template(
    raw: &Value,
    roots: &Roots,
    entropy: &mut dyn crate::asl::world::Entropy,
) -> Result<Value, Failure> {
    Ok(match raw {
        Value::Object(fields) => {
            let mut out = Map::with_capacity(fields.len());
            for (k, v) in fields {
                match (k.strip_suffix(".$"), v) {
                    (Some(name), Value::String(expr)) => {
                        let value = if expr.starts_with("States.") {
                            let call = crate::asl::intrinsics::parse(expr)
                                .map_err(|e| Failure::runtime(format!("Invalid intrinsic '{expr}': {e}")))?;
                            call.eval(roots, entropy).map_err(Failure::from)?
                        } else {
                            let p = Path::parse(expr)
                                .map_err(|e| Failure::runtime(format!("Invalid path '{expr}': {e}")))?;
                            p.select(roots).map_err(|_| {
                                Failure::runtime(format!(
                                    "The JSONPath '{expr}' specified for the field '{k}' could not be found in the input '{}'",
                                    roots.input
                                ))
                            })?
                        };
                        out.insert(name.to_string(), value);
                    }
                    _ => {
                        out.insert(k.clone(), evaluate_template(v, roots, entropy)?);
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            Value::Array(a.iter().map(|v| evaluate_template(v, roots, entropy)).collect::<Result<_, _>>()?)
        }
        other => other.clone(),
    })
}
