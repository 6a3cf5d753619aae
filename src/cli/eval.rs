//! `statescope eval EXPR [--input FILE|-] [--context FILE] [--variables FILE] [--lang
//! jsonpath|intrinsic|jsonata] [--format text|json]`: evaluates one expression the way a state
//! would (`crate::asl::evaluate`, the debugger's prompt does the same).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::{Map, Value};

use crate::asl::evaluate::{self, EvalEnv, Lang, Outcome, Scope};
use crate::asl::jsonata::JsonataEnv;
use crate::asl::world::{Entropy, SeededEntropy};
use crate::cli::Format;

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The expression: a JSONPath (`$.order.items[0]`), an intrinsic call
    /// (`States.ArrayLength($.items)`) or JSONata (`{% $sum($states.input.n) %}`).
    pub expr: String,
    /// The document `$` is (a JSON file, `-` for standard input); default: none (`{}` for a
    /// JSONPath or an intrinsic, undefined for JSONata).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// The context object `$$` (a JSON file); default `{}`.
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// The variables in scope (a JSON object file); for JSONata, `$name` bindings.
    #[arg(long)]
    pub variables: Option<PathBuf>,
    /// The expression's language; default: told from the text (`{% %}` JSONata, `States.`
    /// intrinsic, else JSONPath).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Seed for States.UUID / $random.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Jsonpath,
    Intrinsic,
    Jsonata,
}

/// The real clock (`$now()`, `$millis()`) and seeded entropy.
struct Host(SeededEntropy);

impl JsonataEnv for Host {
    fn now_millis(&mut self) -> i64 {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    fn random(&mut self) -> f64 {
        self.0.next_f64()
    }
}

impl EvalEnv for Host {
    fn entropy(&mut self) -> &mut dyn Entropy {
        &mut self.0
    }
}

pub fn run(args: &EvalArgs) -> ExitCode {
    let read = |path: &Option<PathBuf>, what: &str| -> Result<Option<Value>, String> {
        let Some(path) = path else { return Ok(None) };
        let text = if path.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read {what} from stdin: {e}"))?;
            s
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} '{}': {e}", path.display()))?
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{what} '{}' is not JSON: {}:{}: {e}", path.display(), e.line(), e.column()))
    };
    let loaded = (|| {
        let input = read(&args.input, "input")?;
        let context = read(&args.context, "context")?.unwrap_or_else(|| Value::Object(Map::new()));
        let variables = match read(&args.variables, "variables")? {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err("the variables must be a JSON object of name → value".to_string()),
        };
        Ok((input, context, variables))
    })();
    let (input, context, variables) = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let lang = match args.lang {
        Some(LangArg::Jsonpath) => Lang::JsonPath,
        Some(LangArg::Intrinsic) => Lang::Intrinsic,
        Some(LangArg::Jsonata) => Lang::Jsonata,
        None => Lang::of(&args.expr, Lang::JsonPath),
    };
    let scope = Scope { input: input.as_ref(), context: &context, variables: &variables };
    let outcome = evaluate::evaluate(&args.expr, lang, &scope, &mut Host(SeededEntropy::new(args.seed)));
    let failed = matches!(outcome, Outcome::Error(_));
    match args.format {
        Format::Json => outln!("{}", outcome.to_json()),
        Format::Text => match &outcome {
            Outcome::Value { value, .. } => outln!("{}", serde_json::to_string_pretty(value).unwrap_or_default()),
            Outcome::Undefined => outln!("(undefined: no value)"),
            Outcome::Error(e) => match e.position {
                Some(p) => eprintln!("error[{}]: {} (at character {})", e.code, e.message, p + 1),
                None => eprintln!("error[{}]: {}", e.code, e.message),
            },
        },
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
