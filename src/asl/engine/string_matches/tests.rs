//! Rule 10.10: `*` wildcard, `\*` and `\\` escapes, anchored matching.

use proptest::prelude::*;

use super::*;

#[test]
fn rule_10_10_examples_from_the_spec() {
    assert!(matches("foo*.log", "foo23.log"));
    assert!(matches("*.log", "zebra.log"));
    assert!(matches("foo*.*", "foobar.zebra"));
    assert!(!matches("foo*.log", "foo23.txt"));
    assert!(!matches("*.log", "zebra.log.gz"), "anchored at the end");
    assert!(!matches("log*", "a log"), "anchored at the start");
}

#[test]
fn rule_10_10_star_matches_any_run_including_none() {
    assert!(matches("*", ""));
    assert!(matches("*", "anything at all"));
    assert!(matches("a*", "a"));
    assert!(matches("**", "x"));
    assert!(matches("a*b*c", "abc"));
    assert!(matches("a*b*c", "a-b-b-c"));
    assert!(!matches("a*a", "a"), "first and last pieces cannot overlap");
    assert!(matches("a*a", "aa"));
    assert!(matches("", ""));
    assert!(!matches("", "x"));
}

#[test]
fn rule_10_10_nothing_but_star_is_special() {
    assert!(matches("a?c", "a?c"));
    assert!(!matches("a?c", "abc"));
    assert!(matches("[ab]", "[ab]"));
    assert!(!matches("[ab]", "a"));
    assert!(matches(".+", ".+"));
}

#[test]
fn rule_10_10_escapes_are_literal() {
    // JSON "\\*" is the pattern `\*`: a literal star.
    assert!(matches(r"a\*b", "a*b"));
    assert!(!matches(r"a\*b", "axb"));
    assert!(matches(r"a\\b", r"a\b"));
    assert!(matches(r"\\*", r"\anything"), "an escaped backslash, then a wildcard");
    assert!(matches(r"*\**", "x*y"));
    assert!(!matches(r"*\**", "xy"));
}

#[test]
fn rule_10_10_other_escapes_are_errors_with_their_offset() {
    assert_eq!(check_pattern(r"ab\n").map_err(|e| e.0), Err(2));
    assert_eq!(check_pattern(r"é\x").map_err(|e| e.0), Err(1), "offsets count characters");
    assert_eq!(check_pattern("abc\\").map_err(|e| e.0), Err(3));
    assert!(check_pattern(r"a\*b\\c*").is_ok());
    assert!(!matches(r"a\n", r"a\n"), "an invalid pattern matches nothing");
}

#[test]
fn matching_is_by_character_not_byte() {
    assert!(matches("é*ü", "éaü"));
    assert!(matches("*ü", "ü"));
    assert!(!matches("é*ü", "é"));
}

#[test]
fn many_stars_do_not_backtrack_exponentially() {
    // Every middle piece can be placed in thousands of ways; only the last one fails.
    let pattern = "*a".repeat(30) + "*c*b";
    let s = "a".repeat(5000) + "b";
    let started = std::time::Instant::now();
    assert!(!matches(&pattern, &s));
    assert!(started.elapsed().as_secs() < 2);
}

/// The reference semantics: a straightforward recursive matcher over characters.
fn reference(p: &[Option<char>], s: &[char]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((None, rest)) => (0..=s.len()).any(|i| reference(rest, &s[i..])),
        Some((Some(c), rest)) => s.first() == Some(c) && reference(rest, &s[1..]),
    }
}

fn tokens(pattern: &str) -> Vec<Option<char>> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push(None),
            '\\' => out.push(chars.next()),
            c => out.push(Some(c)),
        }
    }
    out
}

proptest! {
    #[test]
    fn never_panics(p in ".{0,20}", s in ".{0,20}") {
        let _ = check_pattern(&p);
        let _ = matches(&p, &s);
    }

    #[test]
    fn agrees_with_the_reference_matcher(p in r"([ab*]|\\\*|\\\\){0,8}", s in "[ab*\\\\]{0,10}") {
        let s_chars: Vec<char> = s.chars().collect();
        prop_assert_eq!(matches(&p, &s), reference(&tokens(&p), &s_chars), "pattern {:?} on {:?}", p, s);
    }
}
