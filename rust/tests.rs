//! Table-driven tests of the rewriter: every case runs through `replace` and through a stream
//! cut at every pair of char boundaries (so also into one-char chunks and with empty chunks).

use std::borrow::Cow;
use std::sync::Arc;

use crate::rewriter::{replace, Rewriter};
use crate::table::{Mode, Table};

const TABLE: &[(&str, &str)] = &[
    ("[NAME_1]", "Ana Souza"),
    ("[NAME_10]", "Bo Li"),
    ("[A_1]", "one"),
    ("[A_2]", "two"),
    ("[MEMBER_ID_3]", "XJ-4471"),
    ("[PHONE_2]", "(415) 555-0100"),
    ("[CITY_1]", "São Paulo"),
    ("[NOTE_1]", "\"quoted\" \\ line\nend\t\u{1}"),
    ("[EMOJI_1]", "👩🏽‍⚕️ Zoë 東京 e\u{301}"),
    ("[EMPTY_1]", ""),
    ("[LOOP_1]", "[NAME_1]"),
];

/// (what the case shows, text, text after plain rehydration)
const PLAIN: &[(&str, &str, &str)] = &[
    ("empty text", "", ""),
    (
        "no token",
        "Your appointment is at 3 pm.",
        "Your appointment is at 3 pm.",
    ),
    ("token alone", "[NAME_1]", "Ana Souza"),
    ("token at start", "[NAME_1], welcome", "Ana Souza, welcome"),
    ("token at end", "Welcome, [NAME_1]", "Welcome, Ana Souza"),
    (
        "prefix token vs longer",
        "[NAME_1] [NAME_10]",
        "Ana Souza Bo Li",
    ),
    ("longer then prefix", "[NAME_10][NAME_1]", "Bo LiAna Souza"),
    (
        "longer unknown",
        "[NAME_100] [NAME_11]",
        "[NAME_100] [NAME_11]",
    ),
    ("adjacent tokens", "[A_1][A_2]", "onetwo"),
    ("double brackets", "[[NAME_1]]", "[Ana Souza]"),
    ("brackets pile", "[[[NAME_1]", "[[Ana Souza"),
    ("spaced bracket before", "[ [NAME_1]", "[ Ana Souza"),
    ("closing bracket after", "[NAME_1]]", "Ana Souza]"),
    ("glued to words", "Mr[NAME_1]'s", "MrAna Souza's"),
    ("underscore label", "id [MEMBER_ID_3].", "id XJ-4471."),
    ("lone bracket", "[", "["),
    ("lone bracket in text", "a [ b", "a [ b"),
    ("brackets only", "[[[", "[[["),
    ("empty brackets", "[]", "[]"),
    ("bracket then prose", "[see note] ok", "[see note] ok"),
    ("bracket then number", "[1] and [2]", "[1] and [2]"),
    ("label without number", "[NAME] [NAME_]", "[NAME] [NAME_]"),
    ("unterminated at end", "call [NAME_1", "call [NAME_1"),
    (
        "unterminated then text",
        "[NAME_1 is here",
        "[NAME_1 is here",
    ),
    ("unknown number", "[NAME_2]", "[NAME_2]"),
    (
        "unknown label",
        "[SSN_1] [FOO_BAR_9]",
        "[SSN_1] [FOO_BAR_9]",
    ),
    ("lower case", "[name_1]", "Ana Souza"),
    ("title case", "[Name_1]", "Ana Souza"),
    ("mixed case", "[nAmE_10]", "Bo Li"),
    (
        "underscore label lower",
        "[member_id_3] [Member_Id_3]",
        "XJ-4471 XJ-4471",
    ),
    ("one space left", "[ NAME_1]", "Ana Souza"),
    ("one space right", "[NAME_1 ]", "Ana Souza"),
    ("two spaces each side", "[  NAME_1  ]", "Ana Souza"),
    ("spaces and case", "[ name_10  ]", "Bo Li"),
    ("three spaces left", "[   NAME_1]", "[   NAME_1]"),
    ("three spaces right", "[NAME_1   ]", "[NAME_1   ]"),
    (
        "space inside word",
        "[NAME _1] [NAME_ 1]",
        "[NAME _1] [NAME_ 1]",
    ),
    ("tab padding", "[\tNAME_1]", "[\tNAME_1]"),
    ("no-break space padding", "[\u{a0}NAME_1]", "[\u{a0}NAME_1]"),
    ("leading zero", "[NAME_01]", "[NAME_01]"),
    (
        "other brackets",
        "(NAME_1) {NAME_1} NAME_1",
        "(NAME_1) {NAME_1} NAME_1",
    ),
    ("dash for underscore", "[NAME-1]", "[NAME-1]"),
    (
        "unicode text",
        "Olá [CITY_1]! 東京[NAME_1]👍",
        "Olá São Paulo! 東京Ana Souza👍",
    ),
    ("unicode value", "é[EMOJI_1]é", "é👩🏽‍⚕️ Zoë 東京 e\u{301}é"),
    (
        "combining marks",
        "e\u{301}[A_1]\u{301}",
        "e\u{301}one\u{301}",
    ),
    ("unicode in candidate", "[NAMÉ_1] [名_1]", "[NAMÉ_1] [名_1]"),
    (
        "value with specials",
        "[NOTE_1]",
        "\"quoted\" \\ line\nend\t\u{1}",
    ),
    ("empty value", "x[EMPTY_1]y", "xy"),
    ("value is not rescanned", "[LOOP_1]", "[NAME_1]"),
    ("escape in plain mode", "[NAME_1\\n]", "[NAME_1\\n]"),
];

/// (what the case shows, escaped JSON string content, after JSON-string rehydration)
const JSON: &[(&str, &str, &str)] = &[
    ("plain value", "[NAME_1]", "Ana Souza"),
    (
        "value escaped",
        "note: [NOTE_1]",
        "note: \\\"quoted\\\" \\\\ line\\nend\\t\\u0001",
    ),
    ("non-ASCII value raw", "[CITY_1]", "São Paulo"),
    (
        "upstream escapes kept",
        "caf\\u00e9 [CITY_1]\\n",
        "caf\\u00e9 São Paulo\\n",
    ),
    (
        "escaped quotes around",
        "say \\\"[NAME_1]\\\"",
        "say \\\"Ana Souza\\\"",
    ),
    ("escaped backslash before", "C:\\\\[A_1]", "C:\\\\one"),
    ("backslash ends a candidate", "[NAME_1\\n]", "[NAME_1\\n]"),
    (
        "bracket written as escape",
        "\\u005bNAME_1]",
        "\\u005bNAME_1]",
    ),
    (
        "digit written as escape",
        "[NAME_\\u0031]",
        "[NAME_\\u0031]",
    ),
    (
        "surrogate pair escape",
        "\\ud83d\\ude00[A_2]",
        "\\ud83d\\ude00two",
    ),
    (
        "tool-call arguments",
        "{\"patient\": \"[NAME_1]\", \"ids\": [\"[member_id_3]\"], \"n\": [1]}",
        "{\"patient\": \"Ana Souza\", \"ids\": [\"XJ-4471\"], \"n\": [1]}",
    ),
];

/// (text fed as one chunk, the tail held back afterwards)
const HELD: &[(&str, &str)] = &[
    ("no bracket at all", ""),
    ("ends in [", "["),
    ("text [NA", "[NA"),
    ("[name_1", "[name_1"),
    ("[NAME_10", "[NAME_10"),
    ("[NAME_1 ", "[NAME_1 "),
    ("[  NAME_1  ", "[  NAME_1  "),
    ("[NAME_1   ", ""),
    ("[  ", "[  "),
    ("[   ", ""),
    ("[X", ""),
    ("[NAME_2", ""),
    ("[NAME_1x", ""),
    ("[NAME_1] done", ""),
    ("[ [", "["),
    ("[[NAME_", "[NAME_"),
];

fn table() -> Arc<Table> {
    Arc::new(Table::new(TABLE.iter().copied()).unwrap())
}

/// Every char boundary of `text`, 0 and `text.len()` included.
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// Feeds `chunks` to a fresh stream, checking the held tail after each, and returns the output.
fn stream(table: &Arc<Table>, mode: Mode, chunks: &[&str]) -> String {
    let mut rewriter = Rewriter::new(Arc::clone(table), mode);
    let mut out = String::new();
    for chunk in chunks {
        out += &rewriter.feed(chunk);
        let held = rewriter.held();
        assert!(
            held.len() < table.longest_variant(),
            "held {held:?} of {chunks:?}"
        );
        assert!(held.is_empty() || held.starts_with('[') && held.rfind('[') == Some(0));
    }
    out + &rewriter.finish()
}

fn check(mode: Mode, cases: &[(&str, &str, &str)]) {
    let table = table();
    for &(name, text, expected) in cases {
        assert_eq!(replace(&table, mode, text), expected, "replace: {name}");
        let cuts = boundaries(text);
        for (i, &a) in cuts.iter().enumerate() {
            for &b in &cuts[i..] {
                let chunks = [&text[..a], &text[a..b], &text[b..]];
                assert_eq!(
                    stream(&table, mode, &chunks),
                    expected,
                    "{name}: {chunks:?}"
                );
            }
        }
        let chars: Vec<String> = text.chars().map(String::from).collect();
        let chars: Vec<&str> = chars.iter().map(String::as_str).collect();
        assert_eq!(
            stream(&table, mode, &chars),
            expected,
            "{name}: one char at a time"
        );
    }
}

#[test]
fn plain_cases_replace_and_stream_at_every_split() {
    check(Mode::Plain, PLAIN);
}

#[test]
fn json_cases_replace_and_stream_at_every_split() {
    check(Mode::JsonString, JSON);
}

#[test]
fn plain_cases_without_specials_read_the_same_in_json_mode() {
    let plain_only: Vec<_> = PLAIN
        .iter()
        .copied()
        .filter(|(_, text, expected)| {
            !text.contains(['\\', '"', '\t']) && !expected.contains(['\\', '"', '\t', '\u{1}'])
        })
        .collect();
    assert!(plain_only.len() > 40);
    check(Mode::JsonString, &plain_only);
}

#[test]
fn holds_back_only_what_can_still_begin_a_token() {
    let table = table();
    for &(text, held) in HELD {
        let mut rewriter = Rewriter::new(Arc::clone(&table), Mode::Plain);
        let out = rewriter.feed(text).into_owned();
        assert_eq!(rewriter.held(), held, "{text:?}");
        assert_eq!(out + &rewriter.finish(), replace(&table, Mode::Plain, text));
    }
}

#[test]
fn borrows_when_nothing_changes() {
    let table = table();
    let mut rewriter = Rewriter::new(Arc::clone(&table), Mode::Plain);
    assert!(matches!(
        rewriter.feed("no token here"),
        Cow::Borrowed("no token here")
    ));
    assert!(matches!(rewriter.feed("then [NA"), Cow::Borrowed("then ")));
    assert!(matches!(rewriter.feed("ME_1] x"), Cow::Owned(ref s) if s == "Ana Souza x"));
    assert!(matches!(
        replace(&table, Mode::Plain, "[x] [NAME_1"),
        Cow::Borrowed("[x] [NAME_1")
    ));
}

#[test]
fn finish_resets_the_stream() {
    let table = table();
    let mut rewriter = Rewriter::new(Arc::clone(&table), Mode::Plain);
    assert_eq!(rewriter.feed("a [NAME_1"), "a ");
    assert_eq!(rewriter.finish(), "[NAME_1");
    assert_eq!(rewriter.feed("0]"), "0]");
    assert_eq!(rewriter.finish(), "");
}

#[test]
fn an_empty_table_changes_and_holds_nothing() {
    let table = Arc::new(Table::new(std::iter::empty::<(&str, &str)>()).unwrap());
    let mut rewriter = Rewriter::new(Arc::clone(&table), Mode::Plain);
    assert_eq!(rewriter.feed("[NAME_1] ["), "[NAME_1] [");
    assert_eq!(rewriter.held(), "");
    assert_eq!(replace(&table, Mode::JsonString, "[A_1]"), "[A_1]");
}
