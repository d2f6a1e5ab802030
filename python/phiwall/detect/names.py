"""NAME finder: person names from cues, gazetteers and capitalisation.

Evidence, strongest first:

- a cue before the name: strong ("my name is", "last name", "attention", titles "Dr."),
  plain ("this is", "I'm", "my daughter", "thanks", "under") or weak ("okay", "sorry", "hi");
- the word itself: a first name or surname that is not an ordinary English word (gazetteer),
  a capitalised word in text that has capitals (typed or smart-formatted), a lowercase word
  no word list knows (spoken surnames), or a name that is also an ordinary word ("Will");
- without a cue, a first name followed by a surname ("francesco ottley", "Ivy Beaudoin"),
  also after "to"/"in" when both are capitalised and no town ("contact to Megan Banks").

Once a name has started, a later word continues it if it is a surname, even an ordinary
word ("dennis marsh", "heather lee"), unless it is a verb or a value's cue noun (ENDS_NAME:
"anna went", "elantra plate"); in cased text any capitalised word does, and a name word
that is also a function word, month or brand ("Tony May", "Kayleigh Ford") unless a
number follows. A month that is a first name stands alone only after a strong cue
("My name's April,"); a word with accents is never an ordinary English word.

Scores (the engine's default NAME threshold is assumed to be 0.5; nothing below is returned):

    0.95  strong cue + gazetteer name          0.90  plain cue + gazetteer name
    0.90  strong cue + capitalised word        0.85  plain cue + capitalised word
    0.85  no cue, first name + surname         0.80  weak cue + gazetteer name
    0.80  strong cue + unknown lowercase word  0.70  plain cue + unknown lowercase word
    0.85  ordinary-word first name + surname after a strong cue (0.80 plain, 0.75 weak)
    0.80  cue + words + "here"/"speaking"      0.75  "Daisy Danuva here" opening a text
    0.70  strong cue + ordinary-word name      0.70  spoken first name + unknown word
    0.60  no cue, capitalised first name mid-sentence ("cancelled, Darrick.")
    0.60  plain cue + first name closing the clause ("thank you, jewel.")
    0.55  weak cue + unknown word(s) closing the clause ("all set, Havoda.")
    0.55  capitalised unknown or name word set off by a comma at a clause end ("are in,
          Xiulan.", "are in, Brown.")
    0.85  title + capitalised ordinary, month or stop word ("Dr. May on", "Dr. Sip")
    0.80  strong cue + month-named first name closing the clause ("my name is june")
    0.60  two capitalised name or unknown words mid-sentence ("have Yutika Vohra bring")
    0.60  spoken first name before "asked", "said", "told" ("so zeynep asked me to call")
    0.55  a name opening the text before a comma ("Maria, please hold.", "Élodie, hi")
    0.60  spoken gazetteer name right before a title ("are in kevin doctor lomax")
    0.55  weak cue + popular name + pronoun ("i'm sorry flora i don't see it")
    0.85  no cue, first name + middle initial + surname ("walter p kaminski"; 0.90 cased),
          also an ordinary-word first name, read back from the initial ("maria t lopez")
    0.85  no cue, spoken family name first, then a first name ("pham minh tuan", "zhang
          wei", "bui van duc"; "park ji hoon" only before two given names)
    0.85  capitalised surname, comma, given name ("Hernandez, Maria J."); a surname found
          otherwise grows over a given name after its comma with its own score

A name interrupted by a filler ("claudia um cordero") gives two spans; titles, possessive
"'s" and the filler stay outside. Cost: the shared gazetteer scan plus a few regex matches
per cue or first-name hit. Never raises on any str.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phiwall.detect import gazetteer as gz
from phiwall.detect.candidate import Candidate
from phiwall.detect.lexicon import MONTHS

# A word (letters, inner hyphens or apostrophes) and the gap before it.
_WORD = re.compile(r"([\s,:;=(\"\u201c.]*)([^\W\d_]+(?:['\u2019\-][^\W\d_]+)*)")
# Capital letters of the Latin scripts names are written in ("Ö", "Ş", "É"), for classes.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
_CAP_WORD = rf"[{_UPPER}][^\W\d_{_UPPER}]+"  # "Maria", "Özbilge"; not "MRI"
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")
# Two capitalised words: "Yutika Vohra", "Victor Coulon", "Temuçin Öcalan".
# Pairs overlap (a look-ahead); no leading \b, which would cost the regex its fast scan for
# a capital, so the caller checks that a match starts a word.
_CAPITALISED_PAIR = re.compile(rf"({_CAP_WORD}) (?=({_CAP_WORD})\b)")
_WORD_BEFORE_TITLE = re.compile(r"\b([^\W\d_]{3,}) $")
# ", Name." / ", Name!" closing a clause; "Name, ..." opening the text.
_VOCATIVE = re.compile(rf", ({_CAP_WORD})[.!?](?:\s|$)")
_OPENING_VOCATIVE = re.compile(rf"({_CAP_WORD}), ")
# "Hernandez, Maria": a capitalised word before a comma (its given name read after it).
_SURNAME_COMMA = re.compile(rf"(?<![\w'\u2019-])({_CAP_WORD}), ")
# A given name, and a middle initial after it: "Maria", "Maria J.", "maria j".
_GIVEN = re.compile(r"([^\W\d_]+)\b(?: [^\W\d_]\b\.?)?")
# A name and "here", "speaking" or "calling": "hi, doge jeka here".
_SIGN_OFF_START = re.compile(
    r"\s*(?:(?:hi|hello|hey|yes|yeah|um|uh|oh|okay|ok)[,.]?\s+)*"
    r"([^\W\d_]{2,}(?: [^\W\d_]{2,})?),? (?:here|speaking)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:\s+[^\W\d_]+)?\s+(?:here|speaking|calling|again)\b", re.IGNORECASE
)  # "it's rosemary again"
_DOSE = re.compile(r"\s*\d")
_SENTENCE_END = re.compile(r"\s*(?:[.!?]|$)")
_DRUG_CONTEXT = re.compile(
    r"\b(?:take|takes|taking|took|on|of|refill|prescribed|use|uses|using|the|a|an)\s+$", re.I
)  # what comes before a drug or a device, hardly before a person
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_CONTRACTION = re.compile(r"['\u2019](?:m|s|re|ll|ve|d|t)$", re.IGNORECASE)
_MAX_TOKENS = 4

_STRONG, _PLAIN, _WEAK = 0, 1, 2
# score[strength] for each kind of first word.
_GAZ = (0.95, 0.9, 0.8)
_CAP = (0.9, 0.85, 0.0)
_CAP_ORDINARY_NAME = (0.85, 0.7, 0.6)
_LOWER_ORDINARY_NAME = (0.7, 0.0, 0.0)
_UNKNOWN = (0.8, 0.7, 0.0)
_NAME_THEN_SURNAME = (0.85, 0.8, 0.75)
_PAIR, _PAIR_CAP, _PAIR_UNKNOWN, _SINGLE_CAP = 0.85, 0.9, 0.7, 0.6
_PAIR_CAP_UNKNOWN = 0.6
_VOCATIVE_SCORE = 0.55
_SIGNED_SCORE = 0.75

# (start, end, gap before the word, word-class flags)
Token = tuple[int, int, str, int]

# Words that may follow a full name and start the next clause ("jun tang and i ...").
_CLAUSE_STARTS = frozenset(
    {"and", "i", "my", "date", "born", "but", "so", "from", "here", "medical", "phone"}
    | {"member", "policy", "account", "dob"}
    | {"how", "what", "where", "when", "why"}  # "good morning vinko how can i help"
)
# Lowercase particles inside surnames: "de la Cruz", "van der Berg", "mc intyre" (as spoken).
_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le", "los"}
    | {"las", "mc", "mac", "bin", "ibn", "al", "el", "ben", "st", "ter"}
)
# Vietnamese middle names, family name first: "tran van an", "nguyen thi hoa".
_VIET_MIDDLE = frozenset({"van", "thi"})
# Family names said first that are also ordinary words ("park ji hoon", "lee min jun"):
# common Korean and Chinese surnames (1990 US Census surname list), rarely an ordinary word
# right before a given name.
_FAMILY_WORDS = frozenset({"lee", "park", "song", "moon", "shin", "tang"})
_OWNED = re.compile(r"\b(?:my|your|his|her|our|their)\s+$", re.IGNORECASE)
# Verbs of asking and saying: a spoken first name before one is their subject.
_SAID = frozenset(
    {"asked", "said", "told", "called", "says", "asks", "wants", "wanted", "needs", "needed"}
)
_PRONOUNS = frozenset({"i", "he", "she", "we", "they", "it", "that", "this", "you"})
_NEVER = gz.STOP | gz.FILLER | gz.NUMBER | gz.ORDINAL | gz.CALENDAR | gz.ORG | gz.COUNTY_WORD
_NAME = gz.FIRST | gz.LAST
# What a family name said before a given name is not: a town, street word, verb or state.
_NO_FAMILY = (
    _NEVER | gz.COMMON | gz.PLACE | gz.STATE | gz.STATE_CODE | gz.SUFFIX | gz.ENDS_NAME | gz.COUNTY
)


def find(text: str) -> list[Candidate]:
    """Return NAME candidates of `text`, non-overlapping, sorted by start.

    Cost: the shared scan (cached per text), a few µs of Python per cue or first-name hit,
    and for cased text one regex pass for capitalised pairs and one for vocatives (~1 µs
    per 100 characters). Never raises; the first call anywhere builds the gazetteers (see
    `gazetteer.warm`).
    """
    mixed = text != text.lower()
    found: list[Candidate] = []
    for hit in gz.scan(text):
        flags = hit[2]
        if flags & gz.NAME_CUES:
            found += _after_cue(text, hit[1], _strength(flags), bool(flags & gz.TITLE), mixed)
            if flags & gz.TITLE and not mixed:
                found += _before_title(text, hit[0])
        elif flags & gz.FIRST:
            found += _pair(text, hit, mixed)
        elif flags & gz.INITIAL:
            found += _initialed(text, hit[0], mixed)
    if mixed:
        found += _capitalised_pairs(text, gz.lexicon(), found)  # never scanned: "Victor Coulon"
        if ", " in text:
            found += _vocatives(text, gz.lexicon())
    if " here" in text or " speaking" in text:
        sign_off = _SIGN_OFF_START.match(text)
        if sign_off:
            found += _signed(text, sign_off)
    if ", " not in text:
        return _resolve(found)
    found = _resolve(found)
    return _resolve(found + _surname_first(text, found, mixed))


def _surname_first(text: str, found: list[Candidate], mixed: bool) -> list[Candidate]:
    """A surname written before its given name, after a comma, as charts list people
    ("Hernandez, Maria J.", "patient hernandez, maria"): a name found as one surname grows
    over the given name, and in cased text a capitalised surname and given name are found
    without a cue. Both words must be gazetteer names (an ordinary word only if a popular
    name: "Brown, Maria"), neither a state ("Marion, Virginia") nor a stop word ("Thanks,
    Maria"). One regex pass, and a token read per name found."""
    lex = gz.lexicon()
    spans: list[Candidate] = []
    for name in found:
        if (
            text.startswith(", ", name.end)
            and " " not in text[name.start : name.end]
            and _name_word(_flags(text[name.start : name.end], lex), gz.LAST)
        ):
            given = _given_name(text, name.end + 2, mixed)
            if given is not None:
                spans.append(Candidate(name.start, given, "NAME", name.score))
    if mixed:
        for m in _SURNAME_COMMA.finditer(text):
            if _name_word(_flags(m.group(1), lex), gz.LAST):
                given = _given_name(text, m.end(1) + 2, mixed)
                if given is not None:
                    spans.append(Candidate(m.start(1), given, "NAME", _PAIR))
    return spans


def _given_name(text: str, start: int, mixed: bool) -> int | None:
    """The end of a given name starting at `start`, with a middle initial after it ("Maria
    J."), or None if the word there is no gazetteer first name (capitalised in cased text)."""
    m = _GIVEN.match(text, start)
    if m is None or (mixed and (not text[start].isupper() or m.group(1)[1:].isupper())):
        return None  # in cased text a given name is capitalised, not an acronym ("NY")
    if not _name_word(_flags(m.group(1), gz.lexicon()), gz.FIRST):
        return None
    return m.end()


def _name_word(flags: int, kind: int) -> bool:
    """Whether a word with `flags` is a `kind` name (FIRST or LAST) in a "Surname, Given"
    pair: not a stop word, a state or a state code ("Willet, NY"), and an ordinary word only
    if a popular name."""
    if not flags & kind or flags & (_NEVER | gz.STATE | gz.STATE_CODE):
        return False
    return not flags & gz.COMMON or bool(flags & gz.POPULAR)


def _signed(text: str, m: re.Match[str]) -> list[Candidate]:
    """ "Daisy Danuva here, I have a question": one or two name words opening the text and
    followed by "here" or "speaking" (with any greeting before them)."""
    lex = gz.lexicon()
    words = m.group(1).split()
    flags = [_flags(w, lex) for w in words]
    if any(f & (gz.STOP | _NEVER) for f in flags) or _looks_like_drug(text, *m.span(1)):
        return []
    if not flags[0] & _NAME and flags[0] & gz.COMMON:
        return []
    return [Candidate(m.start(1), m.end(1), "NAME", _SIGNED_SCORE)]


def _before_title(text: str, start: int) -> list[Candidate]:
    """A spoken name right before a title, addressing the caller: "the results are in
    kevin doctor lomax will review them". Only a gazetteer name that is no ordinary word,
    so "your family doctor", "see a doctor" stay alone. One regex search."""
    m = _WORD_BEFORE_TITLE.search(text, max(0, start - 30), start)
    if m is None:
        return []
    flags = _flags(m.group(1), gz.lexicon())
    if not flags & _NAME or flags & (gz.COMMON | _NEVER | gz.STATE | gz.ENDS_NAME):
        return []
    if flags & gz.PLACE and _after_place_word(text, m.start(1)):
        return []  # "in dallas doctor ..." is a town; "are in kevin doctor" a person
    return [Candidate(m.start(1), m.end(1), "NAME", _VOCATIVE_SCORE + 0.05)]


def _strength(flags: int) -> int:
    """How strongly a cue announces a name: _STRONG, _PLAIN or _WEAK."""
    if flags & (gz.NAME_STRONG | gz.TITLE):
        return _STRONG
    return _PLAIN if flags & gz.NAME_CUE else _WEAK


def _vocatives(text: str, lex: dict[str, int]) -> list[Candidate]:
    """A capitalised unknown or name word set off by a comma at a clause end, or opening
    the text: "The results are in, Meregenu.", "are in, Brown.", "Élodie, please confirm"
    (the assistant addressing the caller). One regex pass and a match at the start."""
    found: list[Candidate] = []
    opening = _OPENING_VOCATIVE.match(text)
    matches = [opening, *_VOCATIVE.finditer(text)] if opening else _VOCATIVE.finditer(text)
    for m in matches:
        start, end = m.span(1)
        flags = _flags(m.group(1), lex)
        if flags & (_NEVER | gz.STATE | gz.ENDS_NAME) or (
            flags & gz.SUFFIX and not flags & gz.LAST
        ):
            continue  # "…, Drive."; not the surname "are in, Mills."
        if flags & (gz.COMMON | gz.PLACE) and not flags & _NAME:
            continue  # "are in, Plano." is a town; "are in, Dallas.", "are in, Brown." people
        if m is opening and (
            flags & gz.NAME_CUES
            or (flags & (gz.COMMON | gz.PLACE) and not flags & gz.POPULAR)
            or not (flags & _NAME or not m.group(1).isascii())
        ):
            continue  # "Great, see you", "Gotcha, thanks"; not "Maria, hold", "Élodie, hi"
        if _looks_like_drug(text, start, end):
            continue
        found.append(Candidate(start, end, "NAME", _VOCATIVE_SCORE))
    return found


def _capitalised_pairs(text: str, lex: dict[str, int], known: list[Candidate]) -> list[Candidate]:
    """Two capitalised words mid-sentence that no list calls anything but names: "Please
    have Yutika Vohra bring", "with Victor Coulon" (first names that are ordinary words
    are never scanned, so `_pair` does not see them). Not towns, clinics, drugs, states or
    a run of three capitalised words ("Blue Cross Blue Shield"). Pairs inside a name in
    `known` are skipped unread. One regex pass; a few µs per pair that passes the lists."""
    found: list[Candidate] = []
    for m in _CAPITALISED_PAIR.finditer(text):
        start, end = m.start(1), m.end(2)
        if start and text[start - 1].isalnum():
            continue  # inside a word ("McDonald")
        if any(c.start <= start and end <= c.end for c in known):
            continue  # found already, by a cue: "my name is Victor Coulon"
        first, second = _flags(m.group(1), lex), _flags(m.group(2), lex)
        if not (_pair_word(first, gz.FIRST) and _pair_word(second, gz.LAST)):
            continue  # the common case, decided by two dict look-ups
        if first & second & gz.COMMON:
            continue  # "Blue Cross", "Grace Period": ordinary words that are also names
        if _sentence_start(text, start) or _after_capitalised(text, start):
            continue
        if _is_place(text, start, end) or _looks_like_drug(text, m.start(2), end):
            continue
        if _looks_like_drug(text, start, m.end(1)) or _after_place_word(text, start):
            continue
        if _DRUG_CONTEXT.search(text, max(0, start - 12), start):
            continue  # "I take Trelegy Ellipta", "the Omnipod Dash"
        nxt = _token(text, end)
        if nxt is not None and nxt[2] == " " and text[nxt[0]].isupper():
            continue  # part of a longer capitalised run: a clinic, a title
        found.append(Candidate(start, end, "NAME", _PAIR_CAP_UNKNOWN))
    return found


def _pair_word(flags: int, name: int) -> bool:
    """Whether a capitalised word with `flags` can be this half of a name pair: a `name`
    word (ordinary or not), or a word no list knows."""
    if flags & (_NEVER | gz.STATE | gz.STATE_CODE | gz.SUFFIX | gz.ENDS_NAME | gz.PLACE):
        return bool(flags & name) and not flags & (_NEVER | gz.STATE | gz.ENDS_NAME)
    return bool(flags & name) or not flags & gz.COMMON


def _flags(word: str, lex: dict[str, int]) -> int:
    """Word classes of `word` (any case); contractions ("I'm") count as STOP words. A word
    with accents is no ordinary English word even if its folded form is ("Féline")."""
    low = word.lower()
    if not low.isascii():
        flags = lex.get(gz.fold(low))
        if flags is not None:
            return flags & ~gz.COMMON
        low = gz.fold(low)
    flags = lex.get(low)
    if flags is not None:
        return flags
    if _CONTRACTION.search(low):
        return gz.STOP
    if "-" in low:  # "Garcia-Lopez": a name if any part is, ordinary only if all parts are
        parts = [lex.get(p, 0) for p in low.split("-")]
        name = 0
        for p in parts:
            name |= p & _NAME
        return name | (gz.COMMON if all(p & gz.COMMON for p in parts) else 0)
    return 0


@lru_cache(maxsize=512)
def _token(text: str, pos: int) -> Token | None:
    """The word after `pos` as (start, end, gap before it, flags), or None at a non-word.

    A possessive "'s" is cut off ("Gray's" -> "Gray"); the next read then stops at it.
    Cached: the rules of one text read the same few words again and again.
    """
    lex = gz.lexicon()
    m = _WORD.match(text, pos)
    if m is None:
        return None
    gap, word = m.groups()
    start = pos + len(gap)
    if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
        word = word[:-2]
    if len(gap) > 1 and not gap.strip(" \t"):
        gap = " "  # "tomas  herrera": runs of blanks count as one
    flags = lex.get(word.lower())  # the common case, inlined; `_flags` handles the rest
    return (start, start + len(word), gap, _flags(word, lex) if flags is None else flags)


def _first_score(word: str, flags: int, strength: int, mixed: bool) -> float:
    """Score of `word` as the first word of a name after a cue of `strength` (0: not one)."""
    if flags & _NEVER & ~gz.CALENDAR or len(word) < 2:
        return 0.0
    if flags & gz.CALENDAR:
        return 0.0  # "June" is a name only if a surname follows (`_by_next_word`)
    name, common = flags & _NAME, flags & gz.COMMON
    cap = mixed and word[0].isupper()
    if name and not common:
        return _GAZ[strength]
    if cap:
        return _CAP_ORDINARY_NAME[strength] if name else (0.0 if common else _CAP[strength])
    if name:
        return _LOWER_ORDINARY_NAME[strength]
    return 0.0 if common else _UNKNOWN[strength]


def _continues(text: str, token: Token, mixed: bool) -> bool:
    """Whether `token` can continue a name already started (middle or last name).

    Cased text capitalises names: a capitalised word continues unless it is a function word,
    number or clinic word, and even those do if they are name words ("Tony May", "Kayleigh
    Ford"). Lowercase text: a surname continues even if it is an ordinary word ("dennis
    marsh", "heather lee"), unless it is a verb ("anna went"); other ordinary words do not.
    O(1): dict-free checks on the token's flags.
    """
    start, end, _gap, flags = token
    if end - start < 2:
        return False
    if mixed and text[start].isupper():
        if flags & gz.STATE_CODE and text[start:end].isupper():
            return False  # "Boston MA"
        if flags & _NEVER:
            return _cased_name_word(text, token)
        return True
    if flags & _NEVER:
        return False
    return bool(flags & gz.LAST and not flags & gz.ENDS_NAME) or not flags & gz.COMMON


def _cased_name_word(text: str, token: Token) -> bool:
    """Whether a capitalised function word, month or brand is a name word here: a first
    name or surname ("May", "Ford", "Will") with no number after it ("May 3")."""
    start, end, _gap, flags = token
    if not flags & _NAME or flags & _NEVER & ~(gz.STOP | gz.CALENDAR | gz.ORG):
        return False
    if flags & gz.STOP and not flags & gz.POPULAR:
        return False  # "Doctor", "Patient", "Born"
    if flags & gz.CALENDAR and text[start:end].lower() not in MONTHS:
        return False  # a weekday after a name is the day of the appointment
    if flags & gz.ORG and not flags & gz.LAST:
        return False
    if _DOSE.match(text, end):
        return False
    nxt = _token(text, end)
    return nxt is None or nxt[2] != " " or not nxt[3] & (gz.NUMBER | gz.ORDINAL)


def _ordinary_surname(text: str, token: Token) -> bool:
    """Whether an ordinary-word surname ends the name: "jun tang", "fang long, date"."""
    start, end, _gap, flags = token
    if not flags & gz.LAST or flags & _NEVER or end - start < 3:
        return False
    return _clause_ends(text, _token(text, end))


def _clause_ends(text: str, nxt: Token | None) -> bool:
    """Whether the name before `nxt` ends its clause: punctuation, the end of the text, or
    a word that starts a new clause ("and", "i'm", "he's"); not "is" ("Ozempic is out")."""
    if nxt is None or nxt[2] != " ":
        return True
    word = text[nxt[0] : nxt[1]].lower()
    return word in _CLAUSE_STARTS or word.replace("\u2019", "'").split("'")[0] in _PRONOUNS


def _pronoun(text: str, nxt: Token | None) -> bool:
    """Whether `nxt` is a pronoun right after a space ("i", "i don't", "we'll")."""
    if nxt is None or nxt[2] != " ":
        return False
    word = text[nxt[0] : nxt[1]].lower()
    return word.replace("\u2019", "'").split("'")[0] in _PRONOUNS


def _name_boundary(text: str, end: int, mixed: bool) -> bool:
    """Whether an ordinary-word name ending at `end` is followed by what follows names: a
    surname, the end of the clause, or "speaking"/"here"/"calling"."""
    nxt = _token(text, end)
    if _clause_ends(text, nxt) or _SIGN_OFF.match(text, end):
        return True
    if nxt is None or nxt[2] != " ":
        return False
    if nxt[1] - nxt[0] == 1:  # a middle initial: "Ray P. Donnellan"
        nxt = _token(text, nxt[1])
        return nxt is not None and nxt[2] in (" ", ". ") and _continues(text, nxt, mixed)
    return _continues(text, nxt, mixed)


def _after_cue(text: str, pos: int, strength: int, title: bool, mixed: bool) -> list[Candidate]:
    """Name spans right after a cue ending at `pos`; a filler splits a name in two."""
    token = _token(text, pos)
    if token is None:
        return []
    if _plainly_no_name(text, token, title, mixed):
        word = text[token[0] : token[1]]
        if word != "like" and not text.endswith(word, 0, pos):
            return []  # "i'm calling", "it's fine", "this is my": most cues end here
    for _ in range(2):  # "my name is uh kwame", "this is like rebecca", "my father father ed"
        if token is None:
            break
        word = text[token[0] : token[1]]
        if not (token[3] & gz.FILLER or word == "like" or text.endswith(f" {word}", 0, pos)):
            break
        token = _token(text, token[1])
    if token is None:
        return []
    start, end, gap, flags = token
    if title and gap.startswith("."):
        gap = gap[1:]  # "Dr. Chen"
    if "." in gap or "\n" in gap or gap.count(",") > 1:
        return []  # the cue ended its sentence or clause
    if title and end - start == 1:
        nxt = _token(text, end)  # an initial: "Dr. B. Okoye", "doctor j smith"
        if nxt is not None and nxt[2] in (" ", ". ") and _continues(text, nxt, mixed):
            return _extend(text, start, nxt[1], _NAME_THEN_SURNAME[strength], mixed)
    if flags & _NEVER & ~gz.CALENDAR and _capitalised_stop_name(text, token, mixed):
        return _extend(text, start, end, _NAME_THEN_SURNAME[strength], mixed)  # "Will Smith"
    if title and _titled_word(text, token, mixed):
        return _extend(text, start, end, _NAME_THEN_SURNAME[strength], mixed)  # "Dr. Sip"
    if flags & _NEVER & ~gz.CALENDAR or (flags & (gz.COMMON | gz.CALENDAR) and not flags & _NAME):
        return []  # "it's fine", "i'm calling", "this is Monday": the common, quick case
    possessive = title and text.startswith(("'s", "\u2019s"), end)
    if flags & gz.ENDS_NAME and not (mixed and text[start].isupper()) and not possessive:
        return []  # "my son takes", "the doctor will call": verbs; "doctor heard's" no
    score = _first_score(text[start:end], flags, strength, mixed)
    if flags & gz.COMMON and strength != _STRONG and not _name_boundary(text, end, mixed):
        score = 0.0  # "This is Great news", "It is Great to hear"; not "This is Grace."
    if (
        flags & gz.COMMON
        and "," in gap
        and strength == _STRONG
        and not (flags & _NAME and _SENTENCE_END.match(text, end))
    ):
        score = 0.0  # "its name, street, city"; not "I'm her mom, Lee."
    if score < 0.5 and strength == _STRONG and flags & gz.CALENDAR and flags & gz.FIRST:
        score = _month_name(text, token)  # "My name's April, last name ..."
    lower_in_cased = mixed and text[start].islower()
    if lower_in_cased and (flags & gz.COMMON or (strength != _STRONG and not flags & _NAME)):
        score = 0.0  # cased text capitalises names: "its own NAME span", "name lookup"
    if score < 0.5:
        score = _by_next_word(text, token, strength, mixed)
    if score < 0.5:
        return []
    if strength != _STRONG and _DOSE.match(text, end):
        return []  # "it's Eliquis 5 mg", "under Section 2"
    nxt = _token(text, end)
    if mixed and nxt is not None and _org_follows(text, nxt, flags, cued=True):
        return []  # "this is Mercy Hospital"; not "I'm Carol Woods."
    return _extend(text, start, end, score, mixed)


def _plainly_no_name(text: str, token: Token, title: bool, mixed: bool) -> bool:
    """Whether the word after a cue can start no name, by its classes alone: an ordinary
    word that is no name, a function word ("my", "so"), or a verb ("look"), all lowercase.
    A filler, a capitalised word, or a verb after a title ("doctor heard's") need the
    full rules. The same verdicts as `_after_cue`'s, reached with no further reads."""
    flags = token[3]
    if flags & gz.FILLER or (mixed and text[token[0]].isupper()):
        return False
    if flags & _NEVER & ~gz.CALENDAR:
        return True
    if flags & gz.ENDS_NAME and not title:
        return True
    return bool(flags & (gz.COMMON | _NEVER)) and not flags & _NAME


def _titled_word(text: str, token: Token, mixed: bool) -> bool:
    """Whether a capitalised word after a title is a name although it is an ordinary word,
    a month or a function word ("Dr. Sip", "Dr. Love", "Dr. May on"); not an acronym, a
    clinic or street word or a number ("Dr. Office", "Dr. May 3")."""
    start, end, _gap, flags = token
    if not mixed or not text[start].isupper() or text[start:end].isupper():
        return False
    if _cased_name_word(text, token):
        return True
    return bool(flags & gz.COMMON) and not flags & (_NEVER | gz.SUFFIX | gz.STATE)


def _month_name(text: str, token: Token) -> float:
    """Score of a month that is a first name ("April", "june") right after a strong cue:
    a name if its clause ends after it and no day or year follows ("june 5", "may third")."""
    nxt = _token(text, token[1])
    if nxt is not None and (nxt[3] & (gz.NUMBER | gz.ORDINAL) or text[nxt[0]].isdigit()):
        return 0.0
    if _DOSE.match(text, token[1]) or not _clause_ends(text, nxt):
        return 0.0
    return 0.8


def _capitalised_stop_name(text: str, token: Token, mixed: bool) -> bool:
    """Whether a capitalised first name that is also a stop word ("Will", "May") starts a
    name here: in cased text, followed by a capitalised name word ("Will Sesozu")."""
    start, end, _gap, flags = token
    if not (mixed and text[start].isupper() and flags & gz.FIRST):
        return False
    if flags & (_NEVER & ~(gz.STOP | gz.CALENDAR)):
        return False
    nxt = _token(text, end)
    return (
        nxt is not None
        and nxt[2] == " "
        and text[nxt[0]].isupper()
        and _continues(text, nxt, mixed)
    )


def _by_next_word(text: str, token: Token, strength: int, mixed: bool) -> float:
    """Score of a first word too ordinary or too unknown to stand alone, judged by what
    follows it.

    "this is dean hoffman" (an ordinary-word first name, then a surname), "thank you,
    jewel." (a first name, then the end of the clause), "You're all set, Havoda." (an
    unknown capitalised word, then the end), "hi, doge jeka here" (words, then "here").
    Unknown words that look like drugs ("metformin", "Lipitor 20 mg") never pass.
    """
    start, end, _gap, flags = token
    if flags & _NEVER & ~gz.CALENDAR or end - start < 3 or (mixed and not text[start].isupper()):
        return 0.0
    known = flags & _NAME
    if not known and (flags & gz.COMMON or _looks_like_drug(text, start, end)):
        return 0.0
    nxt = _token(text, end)
    if nxt is not None and nxt[2] == " " and nxt[3] & gz.FILLER:  # "jate uh zusa"
        nxt = _token(text, nxt[1])
    elif (
        nxt is not None
        and nxt[2] == " "
        and (_initial(text, nxt) or _spoken_initial(text, nxt, mixed))
    ):  # "June D. Roberie", "maria t lopez"
        nxt = _token(text, nxt[1])
        if nxt is not None and nxt[2] == ". ":
            nxt = (nxt[0], nxt[1], " ", nxt[3])
    if _SIGN_OFF.match(text, end):
        return 0.8
    if nxt is not None and nxt[2] == " " and _continues(text, nxt, mixed):
        if known or mixed:
            return _NAME_THEN_SURNAME[strength]
        return 0.55 if strength == _WEAK else 0.0  # "it's bafe sejibuzo"
    if (nxt is not None and nxt[2] == " " and not nxt[3] & gz.STOP) or flags & gz.CALENDAR:
        return 0.0  # an ordinary sentence goes on, or a lone "June" / "Monday"
    if known:
        if flags & gz.FIRST and strength == _PLAIN and _clause_ends(text, nxt):
            return 0.6
        if strength == _WEAK and flags & gz.POPULAR and _pronoun(text, nxt):
            return 0.55  # "i'm sorry flora i don't see it"
        return 0.0
    return 0.55 if strength == _WEAK and _clause_ends(text, nxt) else 0.0


def _initial(text: str, token: Token) -> bool:
    """Whether `token` is a middle initial: one capital letter and a period, in cased text
    ("June D. Roberie"; not "I" in "June I think")."""
    return token[1] - token[0] == 1 and text[token[0]].isupper() and text.startswith(". ", token[1])


def _looks_like_drug(text: str, start: int, end: int) -> bool:
    """Whether an unknown word is likely a drug: a drug-name ending or a dose after it."""
    return text[start:end].lower().endswith(gz.drug_endings()) or bool(_DOSE.match(text, end))


def _extend(text: str, start: int, end: int, score: float, mixed: bool) -> list[Candidate]:
    """Grow the name `text[start:end]` over middle initials, fillers and further name words.

    Reads at most _MAX_TOKENS + 1 words; a filler between two name words splits the name.
    """
    spans: list[Candidate] = []
    count = 1
    mixed = mixed and text[start].isupper()  # a name typed in lowercase reads as spoken
    while count < _MAX_TOKENS:
        token = _token(text, end)
        if token is None or token[2] != " ":
            break  # punctuation ends the name
        t_start, t_end, _gap, flags = token
        word = text[t_start:t_end]
        if word.lower() in _VIET_MIDDLE:
            given = _token(text, t_end)
            if given is not None and given[2] == " " and _stop_given_name(given):
                end, count = given[1], count + 2  # "tran van an": a given name though "an"
                continue
        particle = word.lower() in _PARTICLES
        if word == "like":  # "ridhi like uh gerhart": "like" before a filler is one too
            filler = _token(text, t_end)
            if filler is not None and filler[2] == " " and filler[3] & gz.FILLER:
                token, flags, t_end = filler, filler[3], filler[1]
        if flags & gz.FILLER or t_end - t_start == 1 or particle:
            # "heidi uh kluttz" (two names), "Hope B. Scheidt", "juan van der berg" (one),
            # if a name word follows
            nxt = _token(text, t_end)
            while particle and nxt is not None and text[nxt[0] : nxt[1]].lower() in _PARTICLES:
                nxt = _token(text, nxt[1])  # "van der", "de la"
            ok_gap = (" ",) if flags & gz.FILLER else (" ", ". ")
            if nxt is None or nxt[2] not in ok_gap or not _continues(text, nxt, mixed):
                break
            if flags & gz.FILLER:
                spans.append(Candidate(start, end, "NAME", score))
                start = nxt[0]
            end, count = nxt[1], count + 2
            continue
        if not (
            _continues(text, token, mixed)
            or (count == 1 and _ordinary_surname(text, token))
            or _middle_name(text, token, mixed)
        ):
            break
        end, count = t_end, count + 1
    spans.append(Candidate(start, end, "NAME", score))
    return spans


def _stop_given_name(token: Token) -> bool:
    """Whether `token` is a popular first name that is also a function word ("an"), which
    ends a Vietnamese name after its middle name ("tran van an", "nguyen thi an")."""
    flags = token[3]
    if token[1] - token[0] < 2 or flags & (gz.FILLER | gz.NUMBER | gz.ORDINAL | gz.CALENDAR):
        return False
    return bool(flags & gz.STOP and flags & gz.FIRST and flags & gz.POPULAR)


def _viet_middle(text: str, token: Token, mixed: bool) -> bool:
    """Whether `token` is a Vietnamese middle name after a family name in spoken text, a
    given name after it: "tran van an", "le van long" (no cue; "van" is an ordinary word)."""
    if mixed or token[2] != " " or text[token[0] : token[1]].lower() not in _VIET_MIDDLE:
        return False
    given = _token(text, token[1])
    if given is None or given[2] != " ":
        return False
    return _continues(text, given, mixed) or _stop_given_name(given)


def _reports(text: str, start: int, nxt: Token | None) -> bool:
    """Whether a spoken first name at `start` is the subject of a verb of asking or saying
    ("so zeynep asked me to call", "travis said"); not after an article, a possessive or a
    drug context ("the elantra", "my jetta needs")."""
    if nxt is None or nxt[2] != " " or text[nxt[0] : nxt[1]] not in _SAID:
        return False
    before = max(0, start - 12)
    return not (_DRUG_CONTEXT.search(text, before, start) or _OWNED.search(text, before, start))


def _middle_name(text: str, token: Token, mixed: bool) -> bool:
    """Whether a popular first name that is also a month or function word is a middle name:
    a surname follows it ("anna may smith", "sarah june ward"; not "anna may call")."""
    flags = token[3]
    if not flags & gz.POPULAR or not flags & (gz.STOP | gz.CALENDAR):
        return False
    if flags & (gz.FILLER | gz.NUMBER | gz.ORDINAL):
        return False
    nxt = _token(text, token[1])
    if nxt is None or nxt[2] != " ":
        return False
    return bool(nxt[3] & gz.LAST) and _continues(text, nxt, mixed)


def _initial_then_surname(text: str, nxt: Token | None, cap: bool, mixed: bool) -> bool:
    """Whether a middle initial and a surname follow a first name: a lone letter after a
    space, then (after a space or ". ") a capitalised name word in cased text, or in spoken
    text a gazetteer surname that is no ordinary word ("walter p kaminski")."""
    if nxt is None or nxt[2] != " " or nxt[1] - nxt[0] != 1:
        return False
    after = _token(text, nxt[1])
    if after is None or after[2] not in (" ", ". "):
        return False
    if cap:
        return text[after[0]].isupper() and _continues(text, after, mixed)
    return not mixed and _surname_after_initial(text, nxt, after)


def _surname_after_initial(text: str, initial: Token, after: Token) -> bool:
    """Whether `after`, said after the spoken middle initial `initial`, is a surname: a
    gazetteer name that is no ordinary word ("walter p kaminski"), or an ordinary-word
    surname that is no verb ("maria t lopez", "john t smith"), unless the initial may be
    the article "a" or the pronoun "i" and the surname is no popular name ("told john a
    lie", "gave john a call"; but "john a smith")."""
    flags = after[3]
    if not flags & _NAME or flags & _NEVER:
        return False
    if not flags & gz.COMMON:
        return True
    if not flags & gz.LAST or flags & gz.ENDS_NAME:
        return False
    return text[initial[0]] not in "aiAI" or bool(flags & gz.POPULAR)


def _initialed(text: str, start: int, mixed: bool) -> list[Candidate]:
    """A first name that is an ordinary or function word, a middle initial and a surname,
    with no cue, read back from the initial at `start`: "maria t lopez", "will j turner
    called", "Will J. Turner" (such first names are never scanned, so `_pair` does not see
    them). In cased text all three are capitalised; in spoken text the surname is no
    ordinary word unless a popular name ("turner"), so "will u call", "may b late", "i will
    b fine" stay alone. A function word or month needs to be a popular name ("will",
    "may"). One word read back, two forwards."""
    word = _word_before(text, start)
    if word is None or word[1] - word[0] < 2:
        return []
    f_start, f_end = word
    flags = _flags(text[f_start:f_end], gz.lexicon())
    if not flags & gz.FIRST or not flags & (gz.COMMON | _NEVER):
        return []  # no name, or a scanned one (`_pair`)
    if flags & _NEVER & ~(gz.STOP | gz.CALENDAR) or flags & (gz.STATE | gz.SUFFIX):
        return []
    if flags & (gz.STOP | gz.CALENDAR) and not flags & gz.POPULAR:
        return []
    cap = mixed and text[f_start].isupper()
    if mixed and not (cap and text[start].isupper()):
        return []  # cased text capitalises a name and its initial
    initial = _token(text, f_end)
    if initial is None or not _initial_then_surname(text, initial, cap, mixed):
        return []
    if not cap:
        after = _token(text, initial[1])
        if after is None or (after[3] & gz.COMMON and not after[3] & gz.POPULAR):
            return []  # "will u call", "mark u down"
    return _extend(text, f_start, f_end, _PAIR_CAP if cap else _PAIR, mixed)


def _spoken_initial(text: str, token: Token, mixed: bool) -> bool:
    """Whether `token`, after a first name in spoken text, is a middle initial: one letter,
    then a surname (`_surname_after_initial`): "patient is maria t lopez"."""
    if mixed or token[1] - token[0] != 1:
        return False
    after = _token(text, token[1])
    return (
        after is not None and after[2] in (" ", ". ") and _surname_after_initial(text, token, after)
    )


def _pair(text: str, hit: gz.Hit, mixed: bool) -> list[Candidate]:
    """A first name with no cue: a name if a surname follows, or if capitalised mid-sentence."""
    start, end, flags = hit
    if flags & (gz.STATE | gz.COMMON | gz.SUFFIX | _NEVER):
        return []
    if flags & gz.PLACE and not flags & gz.POPULAR:
        return []  # a town first ("Plano"), unless a popular first name ("Dallas")
    cap = mixed and text[start].isupper()
    if mixed and not cap:
        return []
    if not mixed:
        family = _family_before(text, start, end)
        if family is not None and not _DOSE.match(text, end):
            return _extend(text, family, end, _PAIR, mixed)  # "pham minh tuan", "zhang wei"
    nxt = _token(text, end)
    initial = _initial_then_surname(text, nxt, cap, mixed)  # "walter p kaminski"
    if (
        not cap
        and not initial
        and (nxt is None or nxt[2] != " " or not _continues(text, nxt, mixed))
    ):
        if not mixed and _reports(text, start, nxt):
            return [Candidate(start, end, "NAME", _SINGLE_CAP)]  # "so zeynep asked me"
        return []  # spoken: a lone first name is weak evidence; the common case
    if _after_place_word(text, start) and not _person_not_place(text, flags, nxt, cap):
        return []
    if text[start:end].isupper() or _DOSE.match(text, end):
        return []  # an acronym ("VIN", "NY") or a drug ("Lyrica 800mg")
    if _DRUG_CONTEXT.search(text, max(0, start - 12), start):
        return []
    if nxt is not None and _org_follows(text, nxt, flags, cued=False):
        return []
    if nxt is not None and nxt[2] == " ":
        n_start, n_end, _gap, n_flags = nxt
        if _is_place(text, start, n_end):
            return []  # "Santa Rosa", "San Jose"
        if initial:  # "walter p kaminski", "Walter P. Kaminski": `_extend` takes both words
            return _extend(text, start, end, _PAIR_CAP if cap else _PAIR, mixed)
        surname = n_flags & _NAME and not n_flags & _NEVER
        if cap and text[n_start].isupper() and _continues(text, nxt, mixed):
            # "Mary Smith", "Ivy Beaudoin", "Priyanka Deshmukh"; "Maria" before it too
            return _extend(text, _capitalised_name_before(text, start), end, _PAIR_CAP, mixed)
        if not mixed and surname and not n_flags & gz.COMMON:
            return _extend(text, start, end, _PAIR, mixed)
        if _viet_middle(text, nxt, mixed):
            return _extend(text, start, end, _PAIR, mixed)  # "tran van an"
        if (
            not mixed
            and _continues(text, nxt, mixed)
            and (flags & gz.POPULAR or not n_flags & gz.COMMON)  # not "jetta plate"
            and not _looks_like_drug(text, n_start, n_end)
        ):
            return _extend(text, start, end, _PAIR_UNKNOWN, mixed)  # "svetlana ivanova"
    if not cap:
        return []
    begin = _capitalised_name_before(text, start)
    if begin < start:  # "Grace Kim called", not "Los Angeles"
        return [] if _is_place(text, begin, end) else [Candidate(begin, end, "NAME", _PAIR_CAP)]
    if not _sentence_start(text, start) and not _after_capitalised(text, start):
        return [Candidate(start, end, "NAME", _SINGLE_CAP)]
    return []


def _word_before(text: str, pos: int) -> tuple[int, int] | None:
    """The word (letters only) right before `pos` with one space between, as (start, end),
    or None: at the start of the text, after punctuation, or inside a longer word ("o'neil",
    "al-pham", "4b"). Reads the word's characters backwards."""
    end = pos - 1
    if end < 1 or text[end] != " ":
        return None
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    if start == end or (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_'-")):
        return None
    return start, end


def _family_before(text: str, start: int, end: int) -> int | None:
    """Start of a family name said right before the first name `text[start:end]`, family
    name first as in Vietnamese, Korean and Chinese names ("pham minh tuan", "zhang wei",
    "bui van duc", "park ji hoon"), or None. A surname that is no ordinary word, town,
    street word or verb (`_NO_FAMILY`), or one of `_FAMILY_WORDS` if a second given name
    follows ("park ji hoon"; not "the park john"); a Vietnamese middle name or a word no
    list knows between the two is read over. For spoken text (cased text capitalises all
    three). At most two word reads backwards and one forwards."""
    word = _word_before(text, start)
    if word is not None and (
        text[word[0] : word[1]] in _VIET_MIDDLE or not _flags(text[word[0] : word[1]], gz.lexicon())
    ):
        word = _word_before(text, word[0])  # "bui [van] duc", "huang [xiu] ying"
    if word is None or word[1] - word[0] < 2:
        return None
    low = text[word[0] : word[1]]
    flags = _flags(low, gz.lexicon())
    if flags & gz.LAST and not flags & _NO_FAMILY:
        return word[0]
    if low in _FAMILY_WORDS:
        nxt = _token(text, end)
        if nxt is not None and nxt[2] == " " and _continues(text, nxt, False):
            return word[0]
    return None


def _person_not_place(text: str, flags: int, nxt: Token | None, cap: bool) -> bool:
    """Whether a capitalised popular first name and a capitalised surname are a person even
    after "to", "in" or "from" ("updated the contact to Christy Mahoney"; not "to Austin
    Texas", "in Palm Springs"). A first name that is also a town needs a surname that is
    neither a town nor an ordinary word. O(1)."""
    if not cap or not flags & gz.POPULAR or nxt is None or nxt[2] != " ":
        return False
    n_flags = nxt[3]
    if n_flags & (gz.STATE | gz.STATE_CODE | gz.SUFFIX | gz.COUNTY_WORD | _NEVER):
        return False
    if flags & gz.PLACE and n_flags & (gz.PLACE | gz.COMMON):
        return False  # "to Tyler Mclean", but "to Tyler Springs"
    return text[nxt[0]].isupper() and not text[nxt[0] : nxt[1]].isupper()


def _is_place(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` (words separated by single spaces) is a known town."""
    return bool(gz.lexicon().get(gz.fold(text[start:end]), 0) & (gz.PLACE | gz.STATE))


def _capitalised_name_before(text: str, start: int) -> int:
    """Start of the name words just before `start`, capitalised and known as names even if
    ordinary ("Maria" in "Maria Fernanda Lopez"), or `start` itself."""
    while True:
        m = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
        if m is None:
            return start
        flags = _flags(m.group().strip(), gz.lexicon())
        if not flags & _NAME or flags & _NEVER:
            return start
        start = m.start()


def _after_capitalised(text: str, start: int) -> bool:
    """Whether a capitalised word ends right before `start` ("Los Angeles", "San Jose")."""
    return (
        start >= 2
        and text[start - 1] == " "
        and text[start - 2].isalpha()
        and bool(_CAPITALISED_BEFORE.search(text, max(0, start - 30), start))
    )


def _org_follows(text: str, token: Token, first: int, *, cued: bool) -> bool:
    """Whether `token`, after a word with flags `first`, starts capitalised words with a
    clinic or street word ("Mercy Hospital", "Oak Street"). After a first name that is no
    ordinary word, a surname that is also such a word and ends the capitalised run ("Gordon
    Green", "Kelly Hill", "Kayleigh Ford") is no clinic; after a name cue (`cued`), neither
    is a street word that ends it after a popular first name that is an ordinary word
    ("I'm Carol Woods.", "this is Rose Park"; not "this is Mercy Care"). Reads up to 3 words.
    """
    person = first & gz.FIRST and not first & gz.COMMON
    popular = cued and first & gz.FIRST and first & gz.POPULAR and not first & gz.STOP
    for _ in range(3):
        start, end, gap, flags = token
        if gap != " " or not text[start].isupper():
            return False
        nxt = _token(text, end)
        if flags & (gz.ORG | gz.SUFFIX):
            last_word = nxt is None or nxt[2] != " " or not text[nxt[0]].isupper()
            surname = flags & gz.LAST and last_word
            return not (surname and (person or (popular and not flags & gz.ORG)))
        if nxt is None:
            return False
        token = nxt
    return False


def _after_place_word(text: str, start: int) -> bool:
    """Whether the word before `start` is "in", "from", "to" or "at" (then it is a place)."""
    before = text[max(0, start - 6) : start].rstrip().lower()
    return before.endswith((" in", " from", " to", " at")) or before in ("in", "from", "to", "at")


def _sentence_start(text: str, start: int) -> bool:
    """Whether `start` begins a sentence (only spaces or quotes after a . ! ? or nothing).
    Reads at most 8 characters back: a longer run of spaces and quotes counts as a start."""
    before = text[max(0, start - 8) : start].rstrip(" \t\"'(\u201c")
    return not before or before[-1] in ".!?\n:"


def _resolve(found: list[Candidate]) -> list[Candidate]:
    """Merge overlapping candidates into one span (all are NAME) with the best score."""
    if len(found) < 2:
        return found
    found.sort()
    merged = [found[0]]
    for cand in found[1:]:
        last = merged[-1]
        if cand.start < last.end:
            merged[-1] = Candidate(
                last.start, max(last.end, cand.end), "NAME", max(last.score, cand.score)
            )
        else:
            merged.append(cand)
    return merged
