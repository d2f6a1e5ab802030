//! The word tables of `python/phiwall/detect/lexicon.py`, generated from it (see the parity tests).
//!
//! Each table is a `match` on the lower-case word: the compiler turns it into a length switch
//! and a few comparisons, with no allocation or hashing.

/// `DIGITS`: a spoken digit word ("oh" = 0) -> its value.
pub fn digit(word: &str) -> Option<u32> {
    Some(match word {
        "eight" => 8,
        "five" => 5,
        "four" => 4,
        "nine" => 9,
        "o" => 0,
        "oh" => 0,
        "one" => 1,
        "seven" => 7,
        "six" => 6,
        "three" => 3,
        "two" => 2,
        "zero" => 0,
        _ => return None,
    })
}

/// `TEENS`: "ten" ... "nineteen" -> its value.
pub fn teen(word: &str) -> Option<u32> {
    Some(match word {
        "eighteen" => 18,
        "eleven" => 11,
        "fifteen" => 15,
        "fourteen" => 14,
        "nineteen" => 19,
        "seventeen" => 17,
        "sixteen" => 16,
        "ten" => 10,
        "thirteen" => 13,
        "twelve" => 12,
        _ => return None,
    })
}

/// `TENS`: "twenty" ... "ninety" -> its value.
pub fn tens(word: &str) -> Option<u32> {
    Some(match word {
        "eighty" => 80,
        "fifty" => 50,
        "forty" => 40,
        "ninety" => 90,
        "seventy" => 70,
        "sixty" => 60,
        "thirty" => 30,
        "twenty" => 20,
        _ => return None,
    })
}

/// `ORDINALS`: an ordinal word -> its value.
pub fn ordinal(word: &str) -> Option<u32> {
    Some(match word {
        "eighteenth" => 18,
        "eighth" => 8,
        "eleventh" => 11,
        "fifteenth" => 15,
        "fifth" => 5,
        "first" => 1,
        "fourteenth" => 14,
        "fourth" => 4,
        "nineteenth" => 19,
        "ninth" => 9,
        "second" => 2,
        "seventeenth" => 17,
        "seventh" => 7,
        "sixteenth" => 16,
        "sixth" => 6,
        "tenth" => 10,
        "third" => 3,
        "thirteenth" => 13,
        "thirtieth" => 30,
        "twelfth" => 12,
        "twentieth" => 20,
        _ => return None,
    })
}

/// `MONTHS`: a month name or abbreviation -> its number.
pub fn month(word: &str) -> Option<u32> {
    Some(match word {
        "apr" => 4,
        "april" => 4,
        "aug" => 8,
        "august" => 8,
        "dec" => 12,
        "december" => 12,
        "feb" => 2,
        "february" => 2,
        "jan" => 1,
        "january" => 1,
        "jul" => 7,
        "july" => 7,
        "jun" => 6,
        "june" => 6,
        "mar" => 3,
        "march" => 3,
        "may" => 5,
        "nov" => 11,
        "november" => 11,
        "oct" => 10,
        "october" => 10,
        "sep" => 9,
        "sept" => 9,
        "september" => 9,
        _ => return None,
    })
}

/// `REPEATS`: "double" / "triple" -> the multiplier.
pub fn repeat(word: &str) -> Option<u32> {
    Some(match word {
        "double" => 2,
        "triple" => 3,
        _ => return None,
    })
}

/// `JOINERS`: a spoken separator kept inside a value.
pub fn is_joiner(word: &str) -> bool {
    matches!(
        word,
        "colon" | "dash" | "dot" | "hyphen" | "period" | "slash" | "underscore"
    )
}

/// `FILLERS`: a word that interrupts a value.
pub fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "actually"
            | "ah"
            | "and"
            | "correction"
            | "er"
            | "erm"
            | "hmm"
            | "hold"
            | "i"
            | "is"
            | "it's"
            | "its"
            | "know"
            | "let"
            | "like"
            | "me"
            | "mean"
            | "no"
            | "ok"
            | "okay"
            | "on"
            | "oops"
            | "or"
            | "rather"
            | "scratch"
            | "see"
            | "so"
            | "sorry"
            | "that"
            | "that's"
            | "the"
            | "then"
            | "uh"
            | "uhm"
            | "um"
            | "wait"
            | "you"
    )
}

/// `RESTARTS`: a word that cuts a value off to start again.
pub fn is_restart(word: &str) -> bool {
    matches!(
        word,
        "actually"
            | "er"
            | "erm"
            | "hold"
            | "like"
            | "no"
            | "scratch"
            | "sorry"
            | "uh"
            | "uhm"
            | "um"
            | "wait"
    )
}
