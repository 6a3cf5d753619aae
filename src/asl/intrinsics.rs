//! The 18 intrinsic functions (`States.Format`, `States.Array`, …): parsed at load time into a
//! call tree, evaluated against [`Roots`](crate::asl::jsonpath::Roots) with injected entropy.
//!
//! OWNER NOTE: implementation lives in `intrinsics/`.
