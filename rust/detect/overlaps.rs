//! Overlap resolution: `python/phiwall/detect/overlaps.py` and `engine.resolve`, natively.

use super::candidate::Candidate;

/// Threshold `cands`, rank them, drop those strictly inside a confident longer one, and keep
/// a non-overlapping subset greedily; the result is sorted by start (`engine.resolve`).
///
/// Ranking: higher score, then longer, then earlier, then label order. Cost: O(k log k) for
/// the ranking plus O(k^2) containment checks in the worst case, which only tool results with
/// thousands of values approach. Never fails.
pub fn resolve(cands: &[Candidate], threshold: f64, container_min: f64) -> Vec<Candidate> {
    let mut ranked: Vec<Candidate> = cands
        .iter()
        .copied()
        .filter(|c| c.score >= threshold)
        .collect();
    if ranked.len() < 2 {
        ranked.retain(|c| c.end > c.start);
        return ranked;
    }
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((a.start as isize - a.end as isize).cmp(&(b.start as isize - b.end as isize)))
            .then(a.start.cmp(&b.start))
            .then(a.label.cmp(&b.label))
    });
    let containers: Vec<(usize, usize)> = {
        let mut c: Vec<(usize, usize)> = ranked
            .iter()
            .filter(|c| c.score >= container_min)
            .map(|c| (c.start, c.end))
            .collect();
        c.sort_unstable_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
        c
    };
    // reach[i]: the furthest end among containers[..=i].
    let mut reach = Vec::with_capacity(containers.len());
    let mut furthest = 0usize;
    for &(_, end) in &containers {
        furthest = furthest.max(end);
        reach.push(furthest);
    }
    let inside = |c: &Candidate| -> bool {
        let before = containers.partition_point(|&(s, _)| s < c.start);
        if before > 0 && reach[before - 1] >= c.end {
            return true;
        }
        matches!(containers.get(before), Some(&(s, e)) if s == c.start && e > c.end)
    };
    let mut kept: Vec<Candidate> = Vec::new();
    for c in ranked {
        if c.end <= c.start || inside(&c) {
            continue;
        }
        let i = kept.partition_point(|k| k.start < c.start);
        if i > 0 && kept[i - 1].end > c.start {
            continue;
        }
        if i < kept.len() && kept[i].start < c.end {
            continue;
        }
        kept.insert(i, c);
    }
    kept
}
