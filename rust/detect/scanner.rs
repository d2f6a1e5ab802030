//! Hyperscan's pattern reports, computed natively: `patterns.reports` + the pruning of
//! `patterns.scan`, for ASCII text.
//!
//! What: [`Scanner::new`] compiles the regexes of `patterns.PATTERNS` (handed in by Python,
//! which stays their only source) in Hyperscan's dialect here: caseless ASCII bytes, `\b`
//! `\d` `\w` ASCII. Hyperscan (HS_FLAG_SOM_LEFTMOST, block mode) reports, for every offset `e`
//! where some match of a pattern ends, `(s, e)` with `s` the leftmost start of any match of
//! that pattern ending at `e`. [`Scanner::reports`] finds the same: one forward pass of a lazy
//! DFA (regex-automata's hybrid DFA, all patterns, unanchored, every match) gives every
//! (pattern, end); a reverse lazy DFA anchored at each end, run to its death, gives the
//! leftmost start. Of those it keeps what `patterns.scan` keeps: per pattern, a report
//! ending at or before the furthest end of an earlier-starting (or same-start, longer) one
//! is dropped.
//!
//! Cost: building compiles the NFAs only (about 20 ms for all 17 patterns); DFA states are
//! built lazily, on the first text that reaches them, into a cache per thread (a pool,
//! bounded by [`FORWARD_CACHE`] + [`REVERSE_CACHE`] bytes each; a full cache is cleared and
//! refilled). A scan is one forward pass plus the reverse passes, memoised by (position,
//! DFA state): a reverse pass that reaches a state an earlier pass had at the same position
//! knows the rest of the answer, so a spoken run of k words costs O(run), not O(k * run).
//! About 1-2 µs for a spoken utterance.
//!
//! Failure: [`Scanner::new`] returns an error for a pattern regex-automata can't compile
//! (a bug in `patterns.py`, caught by the tests). [`Scanner::reports`] cannot fail with this
//! configuration (no quit bytes, no Unicode word boundary, the lazy DFA never gives up); an
//! error there would be a bug, and is returned rather than hidden.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

/// The forward lazy DFA's cache bound, per thread (bytes).
pub const FORWARD_CACHE: usize = 4 << 20;
/// The reverse lazy DFA's cache bound, per thread (bytes).
pub const REVERSE_CACHE: usize = 2 << 20;

/// No match start (a memo value).
const NONE: u32 = u32::MAX;
/// A memo longer than this (entries) is freed after its text, not kept in the pool.
const MEMO_KEPT: usize = 1 << 16;

struct Caches {
    fwd: Cache,
    rev: Cache,
    /// Per position: the state a reverse pass had after reading that byte, and the leftmost
    /// start that pass found at or before the position (`NONE` if none).
    memo: Vec<Option<(LazyStateID, u32)>>,
    /// Every pattern's match ends of the current text: (pattern, end).
    ends: Vec<(u32, usize)>,
}

type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The patterns' lazy DFAs and a pool of per-thread caches.
pub struct Scanner {
    /// The kind (`patterns.Kind` value) of each pattern, by pattern id.
    kinds: Vec<u32>,
    fwd: DFA,
    rev: DFA,
    pool: Pool<Caches, MakeCaches>,
}

impl Scanner {
    /// Compile `patterns`: (kind, regex) pairs in Hyperscan's syntax, as `patterns.PATTERNS`.
    pub fn new(patterns: &[(u32, String)]) -> Result<Scanner, String> {
        Self::with_caches(patterns, FORWARD_CACHE, REVERSE_CACHE)
    }

    /// [`Scanner::new`] with other cache bounds (bytes): small ones make the tests clear
    /// the caches mid-scan. Fails as `new` does, or if a bound is below what the patterns
    /// need.
    fn with_caches(
        patterns: &[(u32, String)],
        forward: usize,
        reverse: usize,
    ) -> Result<Scanner, String> {
        let regexes: Vec<&str> = patterns.iter().map(|(_, p)| p.as_str()).collect();
        // Hyperscan here: HS_FLAG_CASELESS, no HS_FLAG_UTF8/UCP, so ASCII-only classes.
        let syntax = syntax::Config::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false);
        let build = |reverse: bool, capacity: usize| {
            DFA::builder()
                .syntax(syntax)
                .thompson(thompson::Config::new().utf8(false).reverse(reverse))
                .configure(
                    DFA::config()
                        .match_kind(MatchKind::All)
                        .starts_for_each_pattern(reverse)
                        .cache_capacity(capacity)
                        .minimum_cache_clear_count(None),
                )
                .build_many(&regexes)
                .map_err(|e| format!("cannot compile the patterns: {e}"))
        };
        let fwd = build(false, forward)?;
        let rev = build(true, reverse)?;
        let (f, r) = (fwd.clone(), rev.clone());
        let make: MakeCaches = Box::new(move || Caches {
            fwd: f.create_cache(),
            rev: r.create_cache(),
            memo: Vec::new(),
            ends: Vec::new(),
        });
        Ok(Scanner {
            kinds: patterns.iter().map(|&(k, _)| k).collect(),
            fwd,
            rev,
            pool: Pool::new(make),
        })
    }

    /// The kinds this scanner reports, by pattern id.
    pub fn kinds(&self) -> &[u32] {
        &self.kinds
    }

    /// Append to `out` the pruned reports of every pattern in `text` as `(start, -end, kind)`
    /// (the shape of `patterns.reports`); see the module doc for cost and failure.
    pub fn reports(&self, text: &[u8], out: &mut Vec<(usize, i64, u32)>) -> Result<(), String> {
        if text.len() >= NONE as usize {
            return Err("the text is too long to scan".to_owned());
        }
        let mut guard = self.pool.get();
        let caches = &mut *guard;
        self.ends(text, caches)?;
        if caches.ends.is_empty() {
            return Ok(()); // most texts: no reverse pass, no memo
        }
        let mut ends = std::mem::take(&mut caches.ends);
        // Per pattern, the furthest end first: a report is kept iff its start is left of
        // every start of a longer-ending one (patterns.scan's prune, one kind at a time).
        ends.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        caches.memo.clear();
        caches.memo.resize(text.len(), None);
        let mut clears = caches.rev.clear_count();
        let mut i = 0;
        while i < ends.len() {
            let pattern = ends[i].0;
            let mut leftmost = usize::MAX;
            while i < ends.len() && ends[i].0 == pattern {
                let end = ends[i].1;
                let start = self.start(text, pattern, end, caches, &mut clears)?;
                if start < leftmost {
                    out.push((start, -(end as i64), self.kinds[pattern as usize]));
                    leftmost = start;
                }
                i += 1;
            }
        }
        caches.ends = ends;
        if caches.memo.capacity() > MEMO_KEPT {
            caches.memo = Vec::new(); // a long text's memo is not worth keeping per thread
        }
        Ok(())
    }

    /// Every (pattern, end) of a match in `text`, into `caches.ends`, in one forward pass.
    fn ends(&self, text: &[u8], caches: &mut Caches) -> Result<(), String> {
        let (dfa, cache, ends) = (&self.fwd, &mut caches.fwd, &mut caches.ends);
        ends.clear();
        let mut sid = dfa
            .start_state_forward(cache, &Input::new(text))
            .map_err(|e| e.to_string())?;
        // A lazy DFA reports a match one byte late: a match state after byte `at` means a
        // match ending at `at`; the EOI transition reports the ones ending at the text's end.
        let mut at = 0;
        loop {
            if !sid.is_tagged() {
                (at, sid) = untagged_run(dfa, cache, text, at, sid);
            }
            let Some(&byte) = text.get(at) else { break };
            // A tagged state or transition: a match, or a transition still to compute.
            sid = dfa
                .next_state(cache, sid, byte)
                .map_err(|e| e.to_string())?;
            if sid.is_tagged() {
                if sid.is_match() {
                    for k in 0..dfa.match_len(cache, sid) {
                        ends.push((dfa.match_pattern(cache, sid, k).as_u32(), at));
                    }
                } else if sid.is_quit() || sid.is_dead() {
                    return Err(format!("the forward scan stopped at {at}"));
                }
            }
            at += 1;
        }
        sid = dfa.next_eoi_state(cache, sid).map_err(|e| e.to_string())?;
        if sid.is_match() {
            for k in 0..dfa.match_len(cache, sid) {
                ends.push((dfa.match_pattern(cache, sid, k).as_u32(), text.len()));
            }
        }
        Ok(())
    }

    /// The leftmost start of a match of `pattern` ending at `end`: the reverse DFA anchored
    /// at `end`, run until it dies or reaches a (position, state) already memoised.
    fn start(
        &self,
        text: &[u8],
        pattern: u32,
        end: usize,
        caches: &mut Caches,
        clears: &mut usize,
    ) -> Result<usize, String> {
        let (dfa, cache, memo) = (&self.rev, &mut caches.rev, &mut caches.memo);
        let pid = PatternID::new(pattern as usize).map_err(|e| e.to_string())?;
        let input = Input::new(text)
            .range(..end)
            .anchored(Anchored::Pattern(pid));
        let mut sid = dfa
            .start_state_reverse(cache, &input)
            .map_err(|e| e.to_string())?;
        // Computing the start state (or the previous pass's end) may have cleared the cache.
        forget_if_cleared(cache, clears, memo);
        let mut found = NONE;
        let mut at = end;
        let mut low = end; // the lowest position this pass memoised
        loop {
            if at == 0 {
                sid = dfa.next_eoi_state(cache, sid).map_err(|e| e.to_string())?;
                if sid.is_match() {
                    found = 0;
                }
                break;
            }
            at -= 1;
            let known = match sid.is_tagged() {
                false => Some(dfa.next_state_untagged(cache, sid, text[at])),
                true => None,
            };
            sid = match known.filter(|next| !next.is_unknown()) {
                Some(next) => next,
                None => {
                    // A transition to compute (or from a tagged state): it may clear the cache.
                    let next = dfa
                        .next_state(cache, sid, text[at])
                        .map_err(|e| e.to_string())?;
                    forget_if_cleared(cache, clears, memo);
                    next
                }
            };
            if sid.is_tagged() {
                if sid.is_match() {
                    found = at as u32 + 1; // reverse matches are one byte late too
                } else if sid.is_dead() {
                    break;
                } else if sid.is_quit() {
                    return Err(format!("the reverse scan stopped at {at}"));
                }
            }
            if let Some((seen, start)) = memo[at] {
                if seen == sid {
                    // Same state, same position: the rest of this pass is that pass's.
                    if start != NONE {
                        found = start;
                    }
                    break;
                }
            }
            memo[at] = Some((sid, NONE));
            low = at;
        }
        if found == NONE {
            return Err(format!("no start for a match ending at {end}"));
        }
        // Memoise this pass: from each position it visited, the leftmost start still to
        // come is `found` if it is at or before that position.
        let from = low.max(found as usize).min(end);
        for (_, start) in memo[from..end].iter_mut().flatten() {
            *start = found;
        }
        Ok(found as usize)
    }
}

/// Empty `memo` if the reverse DFA's `cache` was cleared since `clears` was read: every
/// state id it holds is stale then. Only computing a state can clear the cache, so this
/// is asked after each computation, not after each step. O(1), or O(memo) after a clear.
fn forget_if_cleared(cache: &Cache, clears: &mut usize, memo: &mut [Option<(LazyStateID, u32)>]) {
    if cache.clear_count() != *clears {
        *clears = cache.clear_count();
        memo.iter_mut().for_each(|m| *m = None);
    }
}

/// From untagged `sid` at `at`, the DFA over `text` while its transitions are known and lead
/// to untagged states (no match, nothing to compute): the position of the first byte whose
/// transition is not such (or the text's end) and the state before it. The forward scan's
/// inner loop: one table load per byte, and the cache is only read. Never fails.
#[inline]
fn untagged_run(
    dfa: &DFA,
    cache: &Cache,
    text: &[u8],
    mut at: usize,
    mut sid: LazyStateID,
) -> (usize, LazyStateID) {
    while let Some(&byte) = text.get(at) {
        let next = dfa.next_state_untagged(cache, sid, byte);
        if next.is_tagged() {
            break;
        }
        sid = next;
        at += 1;
    }
    (at, sid)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns shaped like `patterns.PATTERNS`' hardest ones: long spoken runs (many ends,
    /// long reverse passes) and codes.
    fn patterns() -> Vec<(u32, String)> {
        let digit = "(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)";
        vec![
            (
                15,
                format!(r"\b{digit}(?:(?: |-|, )(?:{digit}|\d+|[a-z]))*\b"),
            ),
            (
                13,
                r"\b(?:[a-z]{1,4}-)?[a-z0-9]*\d[a-z0-9]*(?:-[a-z0-9]+)*\b".to_owned(),
            ),
            (4, r"\b\d{3}[-. ]\d{3}[-. ]?\d{4}\b".to_owned()),
        ]
    }

    fn reports(scanner: &Scanner, text: &str) -> Vec<(usize, i64, u32)> {
        let mut out = Vec::new();
        scanner.reports(text.as_bytes(), &mut out).unwrap();
        out.sort_unstable();
        out
    }

    #[test]
    fn cleared_caches_change_no_report() {
        let big = Scanner::new(&patterns()).unwrap();
        // Small enough to be cleared many times over these texts.
        let small = Scanner::with_caches(&patterns(), 8 << 10, 8 << 10).unwrap();
        let words = [
            "one", "two", "oh", "nine", "x", "b", "415", "555-0199", "a1-b2", "and", "uh", ",",
            "seven", "k9", "-", "12", "3",
        ];
        let mut seed = 7u64;
        for n in 0..400 {
            let mut text = String::new();
            for _ in 0..(n % 60) {
                // A fixed linear congruential sequence: the same texts every run.
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push(if seed & 1 == 0 { ' ' } else { '-' });
            }
            assert_eq!(reports(&small, &text), reports(&big, &text), "{text}");
        }
        let guard = small.pool.get();
        assert!(
            guard.rev.clear_count() > 0,
            "the reverse cache was never cleared"
        );
    }
}
