//! Unit tests for the intrinsic parser and functions.
