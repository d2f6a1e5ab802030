//! The rules that read words after a cue or a first name: `_after_cue`, `_pair`, `_extend`
//! and the word tests they share, in `names.py`'s order.

use super::text::{
    after_place_word, capitalised_before, dose, drug_context, is_upper, owned, sentence_end,
    sentence_start, sign_off, upper_at, with_lower, word_before,
};
use super::tokens::Token;
use super::{
    first_score, one_of, Finder, CLAUSE_STARTS, FAMILY_WORDS, MAX_TOKENS, NAME, NAME_THEN_SURNAME,
    NEVER, NO_FAMILY, PAIR, PAIR_CAP, PAIR_UNKNOWN, PARTICLES, PLAIN, PRONOUNS, SAID, SINGLE_CAP,
    STRONG, VIET_MIDDLE, WEAK,
};
use crate::detect::candidate::Candidate;
use crate::detect::lexicon::{self as gz, PhraseHit};
use crate::detect::words;

impl<'a> Finder<'a> {
    fn word(&self, token: &Token) -> &'a str {
        &self.text[token.start..token.end]
    }

    /// `_continues`: whether `token` can continue a name already started (a middle or last
    /// name). O(1) but for `cased_name_word`'s look at the next word.
    pub(super) fn continues(&self, token: &Token, mixed: bool) -> bool {
        let flags = token.flags;
        if token.end - token.start < 2 {
            return false;
        }
        if mixed && self.b[token.start].is_ascii_uppercase() {
            if flags & gz::STATE_CODE != 0 && is_upper(&self.b[token.start..token.end]) {
                return false; // "Boston MA"
            }
            if flags & NEVER != 0 {
                return self.cased_name_word(token);
            }
            return true;
        }
        if flags & NEVER != 0 {
            return false;
        }
        (flags & gz::LAST != 0 && flags & gz::ENDS_NAME == 0) || flags & gz::COMMON == 0
    }

    /// `_cased_name_word`: whether a capitalised function word, month or brand is a name
    /// word here ("Tony May", "Kayleigh Ford"), with no number after it ("May 3").
    fn cased_name_word(&self, token: &Token) -> bool {
        let flags = token.flags;
        if flags & NAME == 0 || flags & NEVER & !(gz::STOP | gz::CALENDAR | gz::ORG) != 0 {
            return false;
        }
        if flags & gz::STOP != 0 && flags & gz::POPULAR == 0 {
            return false; // "Doctor", "Patient", "Born"
        }
        if flags & gz::CALENDAR != 0 && with_lower(self.word(token), words::month).is_none() {
            return false; // a weekday after a name is the day of the appointment
        }
        if flags & gz::ORG != 0 && flags & gz::LAST == 0 {
            return false;
        }
        if dose(self.b, token.end) {
            return false;
        }
        match self.token(token.end) {
            Some(next) => next.gap != " " || next.flags & (gz::NUMBER | gz::ORDINAL) == 0,
            None => true,
        }
    }

    /// `_ordinary_surname`: an ordinary-word surname that ends the name ("jun tang").
    fn ordinary_surname(&self, token: &Token) -> bool {
        let flags = token.flags;
        if flags & gz::LAST == 0 || flags & NEVER != 0 || token.end - token.start < 3 {
            return false;
        }
        self.clause_ends(self.token(token.end))
    }

    /// `_clause_ends`: punctuation, the end of the text, or a word starting a new clause
    /// ("and", "i'm", "he's") after the name.
    fn clause_ends(&self, next: Option<Token>) -> bool {
        let Some(next) = next.filter(|n| n.gap == " ") else {
            return true;
        };
        with_lower(self.word(&next), |w| {
            one_of(w, &CLAUSE_STARTS) || one_of(w.split('\'').next().unwrap_or(w), &PRONOUNS)
        })
    }

    /// `_pronoun`: whether `next` is a pronoun right after a space ("i", "we'll").
    fn pronoun(&self, next: Option<Token>) -> bool {
        let Some(next) = next.filter(|n| n.gap == " ") else {
            return false;
        };
        with_lower(self.word(&next), |w| {
            one_of(w.split('\'').next().unwrap_or(w), &PRONOUNS)
        })
    }

    /// `_name_boundary`: whether an ordinary-word name ending at `end` is followed by a
    /// surname, the end of its clause, or "speaking"/"here"/"calling".
    fn name_boundary(&self, end: usize, mixed: bool) -> bool {
        let next = self.token(end);
        if self.clause_ends(next) || sign_off(self.b, end) {
            return true;
        }
        let Some(next) = next.filter(|n| n.gap == " ") else {
            return false;
        };
        if next.end - next.start == 1 {
            // a middle initial: "Ray P. Donnellan"
            return self
                .token(next.end)
                .is_some_and(|n| (n.gap == " " || n.gap == ". ") && self.continues(&n, mixed));
        }
        self.continues(&next, mixed)
    }

    /// `_after_cue`: the name spans right after a cue ending at `pos`.
    pub(super) fn after_cue(
        &self,
        found: &mut Vec<Candidate>,
        pos: usize,
        strength: usize,
        title: bool,
        mixed: bool,
    ) {
        let Some(first) = self.token(pos) else {
            return;
        };
        let before = &self.text[..pos];
        if self.plainly_no_name(&first, title, mixed) {
            let word = self.word(&first);
            if word != "like" && !before.ends_with(word) {
                return; // "i'm calling", "it's fine", "this is my": most cues end here
            }
        }
        // "my name is uh kwame", "this is like rebecca", "my father father ed"
        let mut token = Some(first);
        for _ in 0..2 {
            let Some(t) = token else { break };
            let word = self.word(&t);
            let repeated = before.len() > word.len()
                && before.ends_with(word)
                && before.as_bytes()[before.len() - word.len() - 1] == b' ';
            if !(t.flags & gz::FILLER != 0 || word == "like" || repeated) {
                break;
            }
            token = self.token(t.end);
        }
        let Some(token) = token else {
            return;
        };
        let (start, end, flags) = (token.start, token.end, token.flags);
        let mut gap = token.gap;
        if title && gap.starts_with('.') {
            gap = &gap[1..]; // "Dr. Chen"
        }
        if gap.contains('.') || gap.contains('\n') || gap.matches(',').count() > 1 {
            return; // the cue ended its sentence or clause
        }
        if title && end - start == 1 {
            // an initial: "Dr. B. Okoye", "doctor j smith"
            let next = self.token(end);
            if let Some(next) =
                next.filter(|n| (n.gap == " " || n.gap == ". ") && self.continues(n, mixed))
            {
                return self.extend(found, start, next.end, NAME_THEN_SURNAME[strength], mixed);
            }
        }
        if flags & NEVER & !gz::CALENDAR != 0 && self.capitalised_stop_name(&token, mixed) {
            return self.extend(found, start, end, NAME_THEN_SURNAME[strength], mixed);
            // "Will Smith"
        }
        if title && self.titled_word(&token, mixed) {
            return self.extend(found, start, end, NAME_THEN_SURNAME[strength], mixed);
            // "Dr. Sip"
        }
        if flags & NEVER & !gz::CALENDAR != 0
            || (flags & (gz::COMMON | gz::CALENDAR) != 0 && flags & NAME == 0)
        {
            return; // "it's fine", "i'm calling", "this is Monday": the common, quick case
        }
        let possessive = title && self.text[end..].starts_with("'s");
        if flags & gz::ENDS_NAME != 0
            && !(mixed && self.b[start].is_ascii_uppercase())
            && !possessive
        {
            return; // "my son takes", "the doctor will call": verbs
        }
        let common = flags & gz::COMMON != 0;
        let mut score = first_score(&self.b[start..end], flags, strength, mixed);
        if common && strength != STRONG && !self.name_boundary(end, mixed) {
            score = 0.0; // "This is Great news"; not "This is Grace."
        }
        if common
            && gap.contains(',')
            && strength == STRONG
            && !(flags & NAME != 0 && sentence_end(self.b, end))
        {
            score = 0.0; // "its name, street, city"; not "I'm her mom, Lee."
        }
        if score < 0.5 && strength == STRONG && flags & gz::CALENDAR != 0 && flags & gz::FIRST != 0
        {
            score = self.month_name(&token); // "My name's April, last name ..."
        }
        let lower_in_cased = mixed && self.b[start].is_ascii_lowercase();
        if lower_in_cased && (common || (strength != STRONG && flags & NAME == 0)) {
            score = 0.0; // cased text capitalises names: "its own NAME span"
        }
        if score < 0.5 {
            score = self.by_next_word(&token, strength, mixed);
        }
        if score < 0.5 {
            return;
        }
        if strength != STRONG && dose(self.b, end) {
            return; // "it's Eliquis 5 mg", "under Section 2"
        }
        if mixed {
            if let Some(next) = self.token(end) {
                if self.org_follows(next, flags, true) {
                    return; // "this is Mercy Hospital"; not "I'm Carol Woods."
                }
            }
        }
        self.extend(found, start, end, score, mixed);
    }

    /// `_plainly_no_name`: whether the word after a cue can start no name, by its classes
    /// alone (an ordinary lowercase word, a function word, a verb).
    fn plainly_no_name(&self, token: &Token, title: bool, mixed: bool) -> bool {
        let flags = token.flags;
        if flags & gz::FILLER != 0 || (mixed && self.b[token.start].is_ascii_uppercase()) {
            return false;
        }
        if flags & NEVER & !gz::CALENDAR != 0 {
            return true;
        }
        if flags & gz::ENDS_NAME != 0 && !title {
            return true;
        }
        flags & (gz::COMMON | NEVER) != 0 && flags & NAME == 0
    }

    /// `_titled_word`: a capitalised ordinary word, month or function word after a title
    /// ("Dr. Sip", "Dr. May on"); not an acronym, clinic word or number ("Dr. May 3").
    fn titled_word(&self, token: &Token, mixed: bool) -> bool {
        let flags = token.flags;
        if !mixed
            || !self.b[token.start].is_ascii_uppercase()
            || is_upper(&self.b[token.start..token.end])
        {
            return false;
        }
        if self.cased_name_word(token) {
            return true;
        }
        flags & gz::COMMON != 0 && flags & (NEVER | gz::SUFFIX | gz::STATE) == 0
    }

    /// `_month_name`: a month that is a first name right after a strong cue ("my name is
    /// june"), if its clause ends there and no day or year follows.
    fn month_name(&self, token: &Token) -> f64 {
        let next = self.token(token.end);
        if let Some(n) = next {
            if n.flags & (gz::NUMBER | gz::ORDINAL) != 0 || self.b[n.start].is_ascii_digit() {
                return 0.0;
            }
        }
        if dose(self.b, token.end) || !self.clause_ends(next) {
            return 0.0;
        }
        0.8
    }

    /// `_capitalised_stop_name`: a capitalised first name that is also a stop word ("Will")
    /// followed by a capitalised name word, in cased text.
    fn capitalised_stop_name(&self, token: &Token, mixed: bool) -> bool {
        let flags = token.flags;
        if !(mixed && self.b[token.start].is_ascii_uppercase() && flags & gz::FIRST != 0) {
            return false;
        }
        if flags & (NEVER & !(gz::STOP | gz::CALENDAR)) != 0 {
            return false;
        }
        self.token(token.end).is_some_and(|n| {
            n.gap == " " && self.b[n.start].is_ascii_uppercase() && self.continues(&n, mixed)
        })
    }

    /// `_by_next_word`: the score of a first word too ordinary or too unknown to stand
    /// alone, judged by what follows it ("this is dean hoffman", "thank you, jewel.").
    fn by_next_word(&self, token: &Token, strength: usize, mixed: bool) -> f64 {
        let (start, end, flags) = (token.start, token.end, token.flags);
        if flags & NEVER & !gz::CALENDAR != 0
            || end - start < 3
            || (mixed && !self.b[start].is_ascii_uppercase())
        {
            return 0.0;
        }
        let known = flags & NAME != 0;
        if !known && (flags & gz::COMMON != 0 || self.looks_like_drug(start, end)) {
            return 0.0;
        }
        let mut next = self.token(end);
        if let Some(n) = next.filter(|n| n.gap == " ") {
            if n.flags & gz::FILLER != 0 {
                next = self.token(n.end); // "jate uh zusa"
            } else if self.initial(&n) || self.spoken_initial(&n, mixed) {
                next = self.token(n.end); // "June D. Roberie", "maria t lopez"
                if let Some(n) = next.as_mut().filter(|n| n.gap == ". ") {
                    n.gap = " ";
                }
            }
        }
        if sign_off(self.b, end) {
            return 0.8;
        }
        let spaced = next.filter(|n| n.gap == " ");
        if spaced.is_some_and(|n| self.continues(&n, mixed)) {
            if known || mixed {
                return NAME_THEN_SURNAME[strength];
            }
            return if strength == WEAK { 0.55 } else { 0.0 }; // "it's bafe sejibuzo"
        }
        if spaced.is_some_and(|n| n.flags & gz::STOP == 0) || flags & gz::CALENDAR != 0 {
            return 0.0; // an ordinary sentence goes on, or a lone "June" / "Monday"
        }
        if known {
            if flags & gz::FIRST != 0 && strength == PLAIN && self.clause_ends(next) {
                return 0.6;
            }
            if strength == WEAK && flags & gz::POPULAR != 0 && self.pronoun(next) {
                return 0.55; // "i'm sorry flora i don't see it"
            }
            return 0.0;
        }
        if strength == WEAK && self.clause_ends(next) {
            0.55
        } else {
            0.0
        }
    }

    /// `_initial`: one capital letter and ". " ("June D. Roberie"; not "I" in "June I think").
    fn initial(&self, token: &Token) -> bool {
        token.end - token.start == 1
            && self.b[token.start].is_ascii_uppercase()
            && self.b[token.end..].starts_with(b". ")
    }

    /// `_extend`: grow the name `text[start..end]` over middle initials, particles, fillers
    /// and further name words, reading at most MAX_TOKENS + 1 words; a filler between two
    /// name words splits the name in two spans.
    pub(super) fn extend(
        &self,
        found: &mut Vec<Candidate>,
        mut start: usize,
        mut end: usize,
        score: f64,
        mixed: bool,
    ) {
        let mut count = 1;
        // a name typed in lowercase reads as spoken
        let mixed = mixed && self.b[start].is_ascii_uppercase();
        while count < MAX_TOKENS {
            let Some(token) = self.token(end).filter(|t| t.gap == " ") else {
                break; // punctuation ends the name
            };
            let t_start = token.start;
            let (mut flags, mut t_end) = (token.flags, token.end);
            let word = self.word(&token);
            if self.is_viet_middle(&token) {
                if let Some(given) = self.token(t_end) {
                    if given.gap == " " && stop_given_name(&given) {
                        end = given.end; // "tran van an": a given name though "an"
                        count += 2;
                        continue;
                    }
                }
            }
            let particle = self.is_particle(&token);
            if word == "like" {
                // "ridhi like uh gerhart": "like" before a filler is one too
                if let Some(filler) = self.token(t_end) {
                    if filler.gap == " " && filler.flags & gz::FILLER != 0 {
                        (flags, t_end) = (filler.flags, filler.end);
                    }
                }
            }
            let filler = flags & gz::FILLER != 0;
            if filler || t_end - t_start == 1 || particle {
                // "heidi uh kluttz" (two names), "Hope B. Scheidt", "juan van der berg"
                let mut next = self.token(t_end);
                // "van der", "de la"
                while let Some(n) = next.filter(|n| particle && self.is_particle(n)) {
                    next = self.token(n.end);
                }
                let Some(next) = next else { break };
                let gap_ok = next.gap == " " || (!filler && next.gap == ". ");
                if !gap_ok || !self.continues(&next, mixed) {
                    break;
                }
                if filler {
                    Self::push(found, start, end, score);
                    start = next.start;
                }
                end = next.end;
                count += 2;
                continue;
            }
            if !(self.continues(&token, mixed)
                || (count == 1 && self.ordinary_surname(&token))
                || self.middle_name(&token, mixed))
            {
                break;
            }
            end = t_end;
            count += 1;
        }
        Self::push(found, start, end, score);
    }

    /// Whether `token` is a Vietnamese middle name ("van", "thi"), in any case.
    fn is_viet_middle(&self, token: &Token) -> bool {
        with_lower(self.word(token), |w| one_of(w, &VIET_MIDDLE))
    }

    /// `_viet_middle`: whether `token` is a Vietnamese middle name after a family name in
    /// spoken text, a given name after it ("tran van an", "le van long").
    fn viet_middle(&self, token: &Token, mixed: bool) -> bool {
        if mixed || token.gap != " " || !self.is_viet_middle(token) {
            return false;
        }
        self.token(token.end).is_some_and(|given| {
            given.gap == " " && (self.continues(&given, mixed) || stop_given_name(&given))
        })
    }

    /// Whether `token` is a surname particle ("van", "de", "mc"), in any case.
    fn is_particle(&self, token: &Token) -> bool {
        with_lower(self.word(token), |w| one_of(w, &PARTICLES))
    }

    /// `_reports`: a spoken first name at `start` as the subject of a verb of saying ("so
    /// zeynep asked me to call"); not after an article, a possessive or a drug context.
    fn reports(&self, start: usize, next: Option<Token>) -> bool {
        let Some(next) = next.filter(|n| n.gap == " ") else {
            return false;
        };
        if !one_of(self.word(&next), &SAID) {
            return false;
        }
        !(drug_context(self.b, start) || owned(self.b, start))
    }

    /// `_middle_name`: a popular first name that is also a month or function word, with a
    /// surname after it ("anna may smith"; not "anna may call").
    fn middle_name(&self, token: &Token, mixed: bool) -> bool {
        let flags = token.flags;
        if flags & gz::POPULAR == 0 || flags & (gz::STOP | gz::CALENDAR) == 0 {
            return false;
        }
        if flags & (gz::FILLER | gz::NUMBER | gz::ORDINAL) != 0 {
            return false;
        }
        match self.token(token.end) {
            Some(n) if n.gap == " " => n.flags & gz::LAST != 0 && self.continues(&n, mixed),
            _ => false,
        }
    }

    /// `_pair`: a first name with no cue: a name if a surname follows, or if capitalised
    /// mid-sentence.
    pub(super) fn pair(&self, found: &mut Vec<Candidate>, hit: &PhraseHit, mixed: bool) {
        let (start, end, flags) = (hit.start, hit.end, hit.flags);
        if flags & (gz::STATE | gz::COMMON | gz::SUFFIX | NEVER) != 0 {
            return;
        }
        if flags & gz::PLACE != 0 && flags & gz::POPULAR == 0 {
            return; // a town first ("Plano"), unless a popular first name ("Dallas")
        }
        let cap = mixed && self.b[start].is_ascii_uppercase();
        if mixed && !cap {
            return;
        }
        if !mixed {
            if let Some(family) = self.family_before(start, end) {
                if !dose(self.b, end) {
                    // "pham minh tuan", "zhang wei"
                    return self.extend(found, family, end, PAIR, mixed);
                }
            }
        }
        let next = self.token(end);
        let spaced = next.filter(|n| n.gap == " ");
        let initial = self.initial_then_surname(spaced, cap, mixed); // "walter p kaminski"
        if !cap && !initial && !spaced.is_some_and(|n| self.continues(&n, mixed)) {
            if !mixed && self.reports(start, next) {
                Self::push(found, start, end, SINGLE_CAP); // "so zeynep asked me"
            }
            return; // spoken: a lone first name is weak evidence; the common case
        }
        if after_place_word(self.b, start) && !self.person_not_place(flags, next, cap) {
            return;
        }
        if is_upper(&self.b[start..end]) || dose(self.b, end) {
            return; // an acronym ("VIN", "NY") or a drug ("Lyrica 800mg")
        }
        if drug_context(self.b, start) {
            return;
        }
        if let Some(n) = next {
            if self.org_follows(n, flags, false) {
                return;
            }
        }
        if let Some(n) = spaced {
            if self.is_place(start, n.end) {
                return; // "Santa Rosa", "San Jose"
            }
            if initial {
                // "walter p kaminski", "Walter P. Kaminski": `extend` takes both words
                let score = if cap { PAIR_CAP } else { PAIR };
                return self.extend(found, start, end, score, mixed);
            }
            let surname = n.flags & NAME != 0 && n.flags & NEVER == 0;
            if cap && self.b[n.start].is_ascii_uppercase() && self.continues(&n, mixed) {
                // "Mary Smith", "Ivy Beaudoin"; "Maria" before it too
                let begin = self.capitalised_name_before(start);
                return self.extend(found, begin, end, PAIR_CAP, mixed);
            }
            if !mixed && surname && n.flags & gz::COMMON == 0 {
                return self.extend(found, start, end, PAIR, mixed);
            }
            if self.viet_middle(&n, mixed) {
                return self.extend(found, start, end, PAIR, mixed); // "tran van an"
            }
            if !mixed
                && self.continues(&n, mixed)
                && (flags & gz::POPULAR != 0 || n.flags & gz::COMMON == 0) // not "jetta plate"
                && !self.looks_like_drug(n.start, n.end)
            {
                return self.extend(found, start, end, PAIR_UNKNOWN, mixed); // "svetlana ivanova"
            }
        }
        if !cap {
            return;
        }
        let begin = self.capitalised_name_before(start);
        if begin < start {
            // "Grace Kim called", not "Los Angeles"
            if !self.is_place(begin, end) {
                Self::push(found, begin, end, PAIR_CAP);
            }
            return;
        }
        if !sentence_start(self.b, start) && !self.after_capitalised(start) {
            Self::push(found, start, end, SINGLE_CAP);
        }
    }

    /// `_initial_then_surname`: whether a middle initial and a surname follow a first name
    /// (`spaced`: the word after it, if a space comes first): a lone letter, then (after a
    /// space or ". ") a capitalised name word in cased text, or in spoken text a gazetteer
    /// surname that is no ordinary word.
    fn initial_then_surname(&self, spaced: Option<Token>, cap: bool, mixed: bool) -> bool {
        let Some(initial) = spaced.filter(|n| n.end - n.start == 1) else {
            return false;
        };
        let Some(after) = self
            .token(initial.end)
            .filter(|a| a.gap == " " || a.gap == ". ")
        else {
            return false;
        };
        if cap {
            return self.b[after.start].is_ascii_uppercase() && self.continues(&after, mixed);
        }
        !mixed && self.surname_after_initial(&initial, &after)
    }

    /// `_surname_after_initial`: whether `after`, said after the spoken middle initial
    /// `initial`, is a surname: a gazetteer name that is no ordinary word ("walter p
    /// kaminski"), or an ordinary-word surname that is no verb ("john t smith"), unless the
    /// initial may be the article "a" or the pronoun "i" and the surname is no popular name
    /// ("told john a lie"; but "john a smith").
    fn surname_after_initial(&self, initial: &Token, after: &Token) -> bool {
        let flags = after.flags;
        if flags & NAME == 0 || flags & NEVER != 0 {
            return false;
        }
        if flags & gz::COMMON == 0 {
            return true;
        }
        if flags & gz::LAST == 0 || flags & gz::ENDS_NAME != 0 {
            return false;
        }
        !matches!(self.b[initial.start], b'a' | b'i' | b'A' | b'I') || flags & gz::POPULAR != 0
    }

    /// `_initialed`: a first name that is an ordinary or function word, a middle initial
    /// and a surname, with no cue, read back from the initial at `start` ("maria t lopez",
    /// "will j turner called", "Will J. Turner"); in spoken text the surname is no
    /// ordinary word unless a popular name ("will u call", "may b late" stay alone).
    pub(super) fn initialed(&self, found: &mut Vec<Candidate>, start: usize, mixed: bool) {
        let Some((f_start, f_end)) = word_before(self.b, start).filter(|&(s, e)| e - s >= 2) else {
            return;
        };
        let flags = self.flags(f_start, f_end);
        if flags & gz::FIRST == 0 || flags & (gz::COMMON | NEVER) == 0 {
            return; // no name, or a scanned one (`pair`)
        }
        if flags & NEVER & !(gz::STOP | gz::CALENDAR) != 0 || flags & (gz::STATE | gz::SUFFIX) != 0
        {
            return;
        }
        if flags & (gz::STOP | gz::CALENDAR) != 0 && flags & gz::POPULAR == 0 {
            return;
        }
        let cap = mixed && self.b[f_start].is_ascii_uppercase();
        if mixed && !(cap && self.b[start].is_ascii_uppercase()) {
            return; // cased text capitalises a name and its initial
        }
        let Some(initial) = self.token(f_end) else {
            return;
        };
        if !self.initial_then_surname(Some(initial).filter(|n| n.gap == " "), cap, mixed) {
            return;
        }
        if !cap {
            let after = self.token(initial.end);
            if after.is_none_or(|a| a.flags & gz::COMMON != 0 && a.flags & gz::POPULAR == 0) {
                return; // "will u call", "mark u down"
            }
        }
        let score = if cap { PAIR_CAP } else { PAIR };
        self.extend(found, f_start, f_end, score, mixed);
    }

    /// `_spoken_initial`: whether `token`, after a first name in spoken text, is a middle
    /// initial: one letter, then a surname ("patient is maria t lopez").
    fn spoken_initial(&self, token: &Token, mixed: bool) -> bool {
        if mixed || token.end - token.start != 1 {
            return false;
        }
        self.token(token.end).is_some_and(|a| {
            (a.gap == " " || a.gap == ". ") && self.surname_after_initial(token, &a)
        })
    }

    /// `_family_before`: the start of a family name said right before the first name
    /// `text[start..end]` in spoken text ("pham minh tuan", "zhang wei", "bui van duc"): a
    /// surname that is no ordinary word, town, street word or verb, or one of FAMILY_WORDS
    /// if a second given name follows ("park ji hoon"; not "the park john"); a Vietnamese
    /// middle name or an unknown word between is read over.
    fn family_before(&self, start: usize, end: usize) -> Option<usize> {
        let mut word = word_before(self.b, start);
        if let Some((w_start, w_end)) = word {
            if one_of(&self.text[w_start..w_end], &VIET_MIDDLE) || self.flags(w_start, w_end) == 0 {
                word = word_before(self.b, w_start); // "bui [van] duc", "huang [xiu] ying"
            }
        }
        let (w_start, w_end) = word.filter(|&(s, e)| e - s >= 2)?;
        let low = &self.text[w_start..w_end];
        let flags = self.flags(w_start, w_end);
        if flags & gz::LAST != 0 && flags & NO_FAMILY == 0 {
            return Some(w_start);
        }
        let given = self
            .token(end)
            .is_some_and(|n| n.gap == " " && self.continues(&n, false));
        (one_of(low, &FAMILY_WORDS) && given).then_some(w_start)
    }

    /// `_person_not_place`: a capitalised popular first name and a capitalised surname are
    /// a person even after "to", "in" or "from" ("contact to Christy Mahoney").
    fn person_not_place(&self, flags: u32, next: Option<Token>, cap: bool) -> bool {
        if !cap || flags & gz::POPULAR == 0 {
            return false;
        }
        let Some(next) = next.filter(|n| n.gap == " ") else {
            return false;
        };
        let n_flags = next.flags;
        let never = gz::STATE | gz::STATE_CODE | gz::SUFFIX | gz::COUNTY_WORD | NEVER;
        if n_flags & never != 0 {
            return false;
        }
        if flags & gz::PLACE != 0 && n_flags & (gz::PLACE | gz::COMMON) != 0 {
            return false; // "to Tyler Mclean", but "to Tyler Springs"
        }
        self.b[next.start].is_ascii_uppercase() && !is_upper(&self.b[next.start..next.end])
    }

    /// `_capitalised_name_before`: the start of the capitalised name words right before
    /// `start` ("Maria" in "Maria Fernanda Lopez"), or `start` itself.
    fn capitalised_name_before(&self, mut start: usize) -> usize {
        while let Some((w_start, w_end)) = capitalised_before(self.b, start) {
            let flags = self.flags(w_start, w_end);
            if flags & NAME == 0 || flags & NEVER != 0 {
                break;
            }
            start = w_start;
        }
        start
    }

    /// `_after_capitalised`: a capitalised word ends right before `start` ("Los Angeles").
    pub(super) fn after_capitalised(&self, start: usize) -> bool {
        start >= 2
            && self.b[start - 1] == b' '
            && self.b[start - 2].is_ascii_alphabetic()
            && capitalised_before(self.b, start).is_some()
    }

    /// `_org_follows`: whether `token`, after a word with flags `first`, starts capitalised
    /// words with a clinic or street word ("Mercy Hospital"); "Gordon Green" is a person, and
    /// after a name cue (`cued`) so is "Carol Woods" (a popular first name that is an
    /// ordinary word, then a street word; not "Mercy Care").
    fn org_follows(&self, mut token: Token<'a>, first: u32, cued: bool) -> bool {
        let person = first & gz::FIRST != 0 && first & gz::COMMON == 0;
        let popular =
            cued && first & gz::FIRST != 0 && first & gz::POPULAR != 0 && first & gz::STOP == 0;
        for _ in 0..3 {
            if token.gap != " " || !upper_at(self.b, token.start) {
                return false;
            }
            let next = self.token(token.end);
            if token.flags & (gz::ORG | gz::SUFFIX) != 0 {
                let last_word =
                    !next.is_some_and(|n| n.gap == " " && self.b[n.start].is_ascii_uppercase());
                let surname = token.flags & gz::LAST != 0 && last_word;
                return !(surname && (person || (popular && token.flags & gz::ORG == 0)));
            }
            let Some(next) = next else {
                return false;
            };
            token = next;
        }
        false
    }
}

/// `_stop_given_name`: whether `token` is a popular first name that is also a function
/// word ("an"), which ends a Vietnamese name after its middle name ("tran van an").
fn stop_given_name(token: &Token) -> bool {
    let flags = token.flags;
    if token.end - token.start < 2
        || flags & (gz::FILLER | gz::NUMBER | gz::ORDINAL | gz::CALENDAR) != 0
    {
        return false;
    }
    flags & gz::STOP != 0 && flags & gz::FIRST != 0 && flags & gz::POPULAR != 0
}
