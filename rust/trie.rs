//! A flat trie over the canonical token words: what tells a token's beginning from text.
//!
//! Nodes are stored breadth first, and each node's edges side by side in two arrays (byte,
//! target), so a step is a short linear scan with no pointer chasing (most nodes have a single
//! edge). A node exists only where some word goes on, so "the text read so far can still
//! become a token" is exactly "there is a node for it".

/// The trie of a set of words; each word's node carries the word's index in that set.
#[derive(Debug)]
pub struct Trie {
    /// Node 0 is the root (the empty word).
    nodes: Vec<Node>,
    /// Edge labels; node `n`'s edges are `nodes[n].edges`.
    edge_bytes: Vec<u8>,
    /// Edge targets, parallel to `edge_bytes`.
    edge_targets: Vec<u32>,
}

#[derive(Debug)]
struct Node {
    /// Range of this node's edges in `edge_bytes` / `edge_targets`.
    edges: (u32, u32),
    /// Index of the word that ends here, or [`NO_WORD`].
    word: u32,
}

const NO_WORD: u32 = u32::MAX;

impl Trie {
    /// The node of the empty word, where every walk starts.
    pub const ROOT: u32 = 0;

    /// Builds the trie of `words`, which must be sorted and unique (checked in debug builds).
    ///
    /// Breadth first: sorted words that share a prefix are adjacent, so each node covers a
    /// range of words, and its children are the runs of equal bytes right after the prefix.
    /// O(total length) time and space.
    pub fn new(words: &[&[u8]]) -> Self {
        debug_assert!(words.windows(2).all(|pair| pair[0] < pair[1]));
        // Every byte of every word is at most one edge and one node: allocate once.
        let most = words.iter().map(|w| w.len()).sum::<usize>();
        let mut trie = Self {
            nodes: Vec::with_capacity(most + 1),
            edge_bytes: Vec::with_capacity(most),
            edge_targets: Vec::with_capacity(most),
        };
        trie.nodes.push(Node::new());
        // (node, range of the words through it, depth of the node); each node is queued once.
        let mut queue = Vec::with_capacity(most + 1);
        queue.push((0, 0..words.len(), 0));
        let mut next = 0;
        while let Some((node, mut range, depth)) = queue.get(next).cloned() {
            next += 1;
            // A word ending here is the shortest of the range, so it sorts first.
            if words[range.clone()]
                .first()
                .is_some_and(|w| w.len() == depth)
            {
                trie.nodes[node].word = range.start as u32;
                range.start += 1;
            }
            let first_edge = trie.edge_bytes.len() as u32;
            while !range.is_empty() {
                let byte = words[range.start][depth];
                let run = words[range.clone()].partition_point(|w| w[depth] == byte);
                let child = trie.nodes.len();
                trie.nodes.push(Node::new());
                trie.edge_bytes.push(byte);
                trie.edge_targets.push(child as u32);
                queue.push((child, range.start..range.start + run, depth + 1));
                range.start += run;
            }
            trie.nodes[node].edges = (first_edge, trie.edge_bytes.len() as u32);
        }
        trie
    }

    /// The node reached from `node` by `byte`, if some word goes on that way.
    #[inline]
    pub fn child(&self, node: u32, byte: u8) -> Option<u32> {
        let (start, end) = self.nodes[node as usize].edges;
        let (start, end) = (start as usize, end as usize);
        let offset = self.edge_bytes[start..end]
            .iter()
            .position(|&b| b == byte)?;
        Some(self.edge_targets[start + offset])
    }

    /// The index of the word that ends at `node`, if one does.
    #[inline]
    pub fn word_at(&self, node: u32) -> Option<u32> {
        let word = self.nodes[node as usize].word;
        (word != NO_WORD).then_some(word)
    }

    /// The node of `prefix`, if it is a prefix of some word.
    pub fn walk(&self, prefix: &[u8]) -> Option<u32> {
        prefix
            .iter()
            .try_fold(Self::ROOT, |node, &b| self.child(node, b))
    }
}

impl Node {
    fn new() -> Self {
        Self {
            edges: (0, 0),
            word: NO_WORD,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_for_each_prefix_and_an_index_for_each_word() {
        let words: [&[u8]; 4] = [b"A_2", b"NAME_1", b"NAME_10", b"NOTE_1"];
        let trie = Trie::new(&words);
        // "", A, A_, A_2, N, NA, NAM, NAME, NAME_, NAME_1, NAME_10, NO, NOT, NOTE, NOTE_, NOTE_1
        assert_eq!(trie.nodes.len(), 16);
        for (index, word) in words.iter().enumerate() {
            let node = trie.walk(word);
            assert_eq!(node.and_then(|n| trie.word_at(n)), Some(index as u32));
        }
        let cases: [(&[u8], bool); 7] = [
            (b"", true),
            (b"NAME_", true),
            (b"NAME_2", false),
            (b"NAME_100", false),
            (b"name_1", false),
            (b"X", false),
            (b"A_", true),
        ];
        for (prefix, exists) in cases {
            assert_eq!(trie.walk(prefix).is_some(), exists, "{prefix:?}");
            assert_eq!(trie.walk(prefix).and_then(|n| trie.word_at(n)), None);
        }
    }

    #[test]
    fn empty() {
        let trie = Trie::new(&[]);
        assert_eq!(trie.walk(b""), Some(Trie::ROOT));
        assert_eq!(trie.word_at(Trie::ROOT), None);
        assert_eq!(trie.child(Trie::ROOT, b'N'), None);
    }
}
