//! The intrinsic function table: names, argument counts and the type each argument must have,
//! which is what the parser can check before anything runs.

/// One of the 18 intrinsic functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

/// What an argument must be (integers are numbers too: AWS rounds non-integers, Java-style); literals are checked against it at parse time, values at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Any,
    String,
    Number,
    Boolean,
    Array,
    Object,
    /// Any value, but it must come from a path or a nested call, not a literal (rule 9.6).
    NotLiteral,
}

impl Kind {
    /// "a string", "an array", … for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Any | Kind::NotLiteral => "a value",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// Every function, for name lookup and suggestions.
pub const ALL: [Func; 18] = [
    Func::Format,
    Func::StringToJson,
    Func::JsonToString,
    Func::Array,
    Func::ArrayPartition,
    Func::ArrayContains,
    Func::ArrayRange,
    Func::ArrayGetItem,
    Func::ArrayLength,
    Func::ArrayUnique,
    Func::Base64Encode,
    Func::Base64Decode,
    Func::Hash,
    Func::JsonMerge,
    Func::MathRandom,
    Func::MathAdd,
    Func::StringSplit,
    Func::Uuid,
];

impl Func {
    /// The full name, `States.Format`.
    pub fn name(self) -> &'static str {
        match self {
            Func::Format => "States.Format",
            Func::StringToJson => "States.StringToJson",
            Func::JsonToString => "States.JsonToString",
            Func::Array => "States.Array",
            Func::ArrayPartition => "States.ArrayPartition",
            Func::ArrayContains => "States.ArrayContains",
            Func::ArrayRange => "States.ArrayRange",
            Func::ArrayGetItem => "States.ArrayGetItem",
            Func::ArrayLength => "States.ArrayLength",
            Func::ArrayUnique => "States.ArrayUnique",
            Func::Base64Encode => "States.Base64Encode",
            Func::Base64Decode => "States.Base64Decode",
            Func::Hash => "States.Hash",
            Func::JsonMerge => "States.JsonMerge",
            Func::MathRandom => "States.MathRandom",
            Func::MathAdd => "States.MathAdd",
            Func::StringSplit => "States.StringSplit",
            Func::Uuid => "States.UUID",
        }
    }

    /// The function with this exact (case-sensitive) name.
    pub fn from_name(name: &str) -> Option<Func> {
        ALL.into_iter().find(|f| f.name() == name)
    }

    /// The fixed parameters; `variadic` functions take any number of further `Any` arguments.
    pub fn params(self) -> &'static [Kind] {
        use Kind::*;
        match self {
            Func::Format => &[String],
            Func::StringToJson => &[String],
            Func::JsonToString => &[NotLiteral],
            Func::Array => &[],
            Func::ArrayPartition => &[Array, Number],
            Func::ArrayContains => &[Array, Any],
            Func::ArrayRange => &[Number, Number, Number],
            Func::ArrayGetItem => &[Array, Number],
            Func::ArrayLength => &[Array],
            Func::ArrayUnique => &[Array],
            Func::Base64Encode => &[String],
            Func::Base64Decode => &[String],
            Func::Hash => &[Any, String],
            Func::JsonMerge => &[Object, Object, Boolean],
            Func::MathRandom => &[Number, Number, Number],
            Func::MathAdd => &[Number, Number],
            Func::StringSplit => &[String, String],
            Func::Uuid => &[],
        }
    }

    /// How many of [`params`](Self::params) may be left out (MathRandom's seed).
    pub fn optional(self) -> usize {
        usize::from(self == Func::MathRandom)
    }

    /// Whether any number of extra arguments may follow the fixed ones (Format, Array).
    pub fn variadic(self) -> bool {
        matches!(self, Func::Format | Func::Array)
    }

    /// The parameter kind of argument `i` (0-based).
    pub fn kind(self, i: usize) -> Kind {
        self.params().get(i).copied().unwrap_or(Kind::Any)
    }

    /// `None` if `n` arguments are accepted, else what is expected, e.g. "2", "2 or 3", "at least 1".
    pub fn arity_problem(self, n: usize) -> Option<String> {
        let max = self.params().len();
        let min = max - self.optional();
        if self.variadic() {
            return (n < min).then(|| format!("at least {min}"));
        }
        if (min..=max).contains(&n) {
            return None;
        }
        Some(if min == max { min.to_string() } else { format!("{min} or {max}") })
    }
}
